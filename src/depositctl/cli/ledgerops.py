"""`export`, `import`, `backup`, `check`: keeping the ledger safe and portable."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from depositctl.cli.context import env, err, out, print_json
from depositctl.core.errors import N_
from depositctl.i18n import _, ngettext

if TYPE_CHECKING:
    from depositctl.ops.keeping import Problem

#: Problem parameters that are words from our own catalog.
_TRANSLATED = ("what",)


def problem_text(p: "Problem") -> str:
    """The problem in the chosen language."""
    params = {
        k: (_(v) if k in _TRANSLATED and isinstance(v, str) else v) for k, v in p.params.items()
    }
    return _(p.template).format(**params)


def problem_line(p: "Problem") -> str:
    """ "#<case id>: <problem>" or "ledger: <problem>" (a note is marked as such)."""
    text = problem_text(p)
    where = f"#{p.case_id}" if p.case_id is not None else _("ledger")
    if p.note:
        return _("{where}: note: {text}").format(where=where, text=text)
    return f"{where}: {text}"


def register(app: typer.Typer) -> None:
    @app.command(
        "export",
        help=_(
            "Write every fact of the ledger to a JSON file (for import) or to CSV files "
            "(for spreadsheets). Evidence files are not included: use backup to move them.\n\n"
            "Examples: depositctl export -o ledger.json; "
            "depositctl export --format csv -o ledger-csv; "
            "depositctl export --redact -o share.json"
        ),
    )
    def export(
        ctx: typer.Context,
        fmt: Annotated[
            str, typer.Option("--format", help=_("json or csv"), show_default=False)
        ] = "json",
        output: Annotated[
            Path | None,
            typer.Option(
                "-o",
                "--output",
                help=_("File (json; default: standard output) or folder (csv)"),
                show_default=False,
            ),
        ] = None,
        redact: Annotated[
            bool,
            typer.Option("--redact", help=_("Mask ID numbers and phone numbers, for sharing")),
        ] = False,
    ) -> None:
        from depositctl.core.inputs import parse_choice
        from depositctl.ops.keeping import export as run_export

        kind = parse_choice(fmt, ("json", "csv"), N_("format"))
        done = run_export(env(ctx), output, as_csv=kind == "csv", redact=redact)
        if done.csv_files is not None:
            out(
                _("Wrote {count} CSV files to {path}.").format(
                    count=len(done.csv_files), path=done.path
                )
            )
        elif done.path is None:
            print_json(done.data)
        else:
            out(
                _("Exported {cases} cases to {path}.").format(
                    cases=len(done.data["cases"]), path=done.path
                )
            )

    @app.command(
        "import",
        help=_(
            "Load a JSON export into an empty ledger, all or nothing. The file's history "
            "must verify. Evidence files are copied from --evidence-from (a ledger folder, "
            "a backup or an evidence store) when given.\n\n"
            "Example: depositctl --db new/ledger.db import ledger.json --evidence-from old"
        ),
    )
    def import_(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help=_("The JSON export"), metavar="FILE")],
        evidence_from: Annotated[
            Path | None,
            typer.Option(
                "--evidence-from",
                help=_("Folder to copy the evidence files from"),
                show_default=False,
            ),
        ] = None,
    ) -> None:
        from depositctl.ops.keeping import import_export

        result = import_export(env(ctx), file, evidence_from)
        out(
            _("Imported {cases} cases and {history} history entries.").format(
                cases=result.cases, history=result.history
            )
        )
        if result.copied:
            out(_("Copied {count} evidence files.").format(count=result.copied))
        if result.missing:
            err(
                _(
                    "Warning: {count} evidence files are not in this ledger's store; "
                    "import again into a new ledger with --evidence-from, or restore from a backup."
                ).format(count=result.missing)
            )

    @app.command(
        "backup",
        help=_(
            "A consistent copy of the ledger and its evidence store, safe while "
            "depositctl is in use. The copy opens with --db.\n\n"
            "Examples: depositctl backup /media/usb/deposits-2026-11-24.db; "
            "depositctl backup /media/usb/deposits/"
        ),
    )
    def backup(
        ctx: typer.Context,
        path: Annotated[
            str,
            typer.Argument(
                help=_("A new ledger file (name.db), or a folder to put ledger.db in"),
                metavar="PATH",
            ),
        ],
    ) -> None:
        from depositctl.ops.keeping import backup as run_backup

        result = run_backup(env(ctx), path)
        out(
            _("Backed up {cases} cases and {files} evidence files to {path}.").format(
                cases=result.cases, files=result.files, path=result.path
            )
        )
        if result.replaced:
            out(
                _(
                    "Evidence files already there were checked again: replaced {count} damaged "
                    "evidence files (SHA-256 did not match)."
                ).format(count=result.replaced)
            )
        out(_("Open it with: depositctl --db {path} status").format(path=result.path))

    @app.command(
        "check",
        help=_(
            "Verify the ledger: database integrity, schema, the history hash chain, every "
            "fact against its history, evidence files and their SHA-256, file permissions. "
            "Exits non-zero when a problem is found.\n\nExample: depositctl check"
        ),
    )
    def check(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.keeping import check as run_check

        report = run_check(env(ctx))
        found, info, problems = report.found, report.summary, report.problems
        if as_json:
            print_json(
                {
                    "ok": not problems,
                    **info,
                    "problems": [_problem_json(p) for p in found],
                }
            )
        else:
            for p in found:
                out(problem_line(p))
            if not problems:
                out(
                    _(
                        "No problems found ({cases} cases, {history} history entries, "
                        "{evidence} evidence files; last history hash {head})."
                    ).format(**{**info, "head": (info["head"] or "-")[:16]})
                )
        if problems:
            if not as_json:
                err(
                    ngettext(
                        "{count} problem found in {path}.",
                        "{count} problems found in {path}.",
                        len(problems),
                    ).format(count=len(problems), path=report.path)
                )
            raise typer.Exit(1)


def _problem_json(p: "Problem") -> dict[str, Any]:
    return {"case_id": p.case_id, "note": p.note, "message": problem_text(p)}
