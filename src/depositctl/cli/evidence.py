"""`evidence add/list`: files that prove the case, kept in a content-addressed store."""

from pathlib import Path
from typing import Annotated

import typer

from depositctl.cli.context import env, err, out, parse_id, print_json, resolved_date, settings
from depositctl.core.errors import N_
from depositctl.i18n import _, ngettext


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import EVIDENCE_KIND

    group = typer.Typer(
        help=_("Evidence files: receipts, contracts, screenshots, recordings, statements"),
        no_args_is_help=True,
    )
    app.add_typer(group, name="evidence")

    @group.command(
        "add",
        help=_(
            "Copy files into the evidence store and record them.\n\nExample: depositctl evidence add 3 receipt.jpg --kind receipt --note 首刷扣款"
        ),
    )
    def evidence_add(
        ctx: typer.Context,
        case_id: Annotated[str, typer.Argument(help=_("Case id"), metavar="ID")],
        files: Annotated[list[Path], typer.Argument(help=_("Files to add"), metavar="FILE...")],
        kind: Annotated[
            str,
            typer.Option(
                "--kind",
                help=_("One of: {choices}").format(choices=EVIDENCE_KIND.choices_text()),
                show_default=False,
            ),
        ],
        note: Annotated[str | None, typer.Option("--note", help=_("What it proves"))] = None,
        dated: Annotated[
            str | None,
            typer.Option(
                "--dated",
                help=_("The document's own date (of the receipt, contract, chat), e.g. 2025-03-05"),
                show_default=False,
            ),
        ] = None,
    ) -> None:
        from depositctl.core.inputs import clean_text, parse_choice
        from depositctl.ops.evidence import add_evidence

        cid = parse_id(case_id)
        k = parse_choice(kind, EVIDENCE_KIND, N_("evidence kind"))
        day = (
            resolved_date(dated, settings(ctx).today, N_("document date"))
            if dated is not None
            else None
        )
        for e in add_evidence(env(ctx), cid, list(files), k, clean_text(note), day):
            out(_("Added {name} to #{id} ({sha}).").format(name=e.name, id=cid, sha=e.sha256[:12]))

    @group.command(
        "restore",
        help=_(
            "Put the original file of an evidence record back into the store, when check "
            "finds it missing or changed there. The file must be the original (same "
            "SHA-256); no second record is made.\n\n"
            "Example: depositctl evidence restore 3 E1 receipt.jpg"
        ),
    )
    def evidence_restore(
        ctx: typer.Context,
        case_id: Annotated[str, typer.Argument(help=_("Case id"), metavar="ID")],
        label: Annotated[
            str,
            typer.Argument(help=_("The record's label as show prints it (E1)"), metavar="LABEL"),
        ],
        file: Annotated[Path, typer.Argument(help=_("The original file"), metavar="FILE")],
    ) -> None:
        from depositctl.ops.evidence import restore_evidence

        done = restore_evidence(env(ctx), parse_id(case_id), label, file)
        text = (
            _("{label} of #{id} ({name}) was already in the store, unchanged.")
            if done.intact
            else _("{label} of #{id} ({name}) is back in the store.")
        )
        out(text.format(label=done.label, id=done.case_id, name=done.name))

    @group.command(
        "list",
        help=_("List evidence files, of one case or all.\n\nExample: depositctl evidence list 3"),
    )
    def evidence_list(
        ctx: typer.Context,
        case_id: Annotated[str | None, typer.Argument(help=_("Case id"), metavar="[ID]")] = None,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.evidence import list_evidence

        items = list_evidence(env(ctx), parse_id(case_id) if case_id else None)
        if as_json:
            print_json(
                [
                    {
                        "id": e.id,
                        "case_id": e.case_id,
                        "name": e.name,
                        "kind": e.kind,
                        "size": e.size,
                        "sha256": e.sha256,
                        "added_on": e.added_on.isoformat(),
                        "dated_on": e.dated_on.isoformat() if e.dated_on else None,
                        "note": e.note,
                    }
                    for e in items
                ]
            )
            return
        if not items:
            out(_("No evidence recorded."))
            return
        from depositctl.render.text import evidence_kind_name

        for e in items:
            kind = evidence_kind_name(e.kind)
            kind += " " * max(14 - len(kind) * (2 if not kind.isascii() else 1), 0)
            out(
                f"#{e.case_id}  {e.added_on.isoformat()}  {kind} {e.sha256[:12]}  {e.size:>10}  {e.name}"
                + (" " + _(" ({note})").format(note=e.note) if e.note else "")
                + (
                    "  " + _("dated {date}").format(date=e.dated_on.isoformat())
                    if e.dated_on
                    else ""
                )
            )

    @group.command(
        "verify",
        help=_(
            "Check that every evidence file (of one case or all) is in the store, "
            "unchanged: same size and SHA-256. Exits non-zero when one is missing or "
            "changed.\n\nExample: depositctl evidence verify 3"
        ),
    )
    def evidence_verify(
        ctx: typer.Context,
        case_id: Annotated[str | None, typer.Argument(help=_("Case id"), metavar="[ID]")] = None,
    ) -> None:
        from depositctl.cli.ledgerops import problem_line
        from depositctl.ops.evidence import verify_evidence

        found = verify_evidence(env(ctx), parse_id(case_id) if case_id else None)
        problems = found.problems
        for p in problems:
            out(problem_line(p))
        if problems:
            err(
                ngettext(
                    "{count} evidence file is missing or changed.",
                    "{count} evidence files are missing or changed.",
                    len(problems),
                ).format(count=len(problems))
            )
            raise typer.Exit(1)
        out(_("All {count} evidence files are present and unchanged.").format(count=found.count))
