"""`contact`: one attempt to get the money back, with its date, channel and outcome."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from depositctl.cli.context import echo_date, env, out, parse_id, settings
from depositctl.cli.options import case_id_arg
from depositctl.core.errors import N_
from depositctl.i18n import _


def _interactive() -> bool:
    """On a terminal (stdin and stdout), `contact` asks for missing values (cli/prompts.py)."""
    from depositctl.cli.prompts import on_terminal

    return on_terminal()


def parse_value(name: str, text: str, today: date) -> Any:
    """An option's value as typed, parsed (a prompt's answer goes through here too);
    `on` gives the (date, time) pair."""
    from depositctl.core.dates import parse_date, resolve_date_time
    from depositctl.core.inputs import clean_text, parse_choice
    from depositctl.core.vocab import CHANNEL, OUTCOME

    if name == "on":
        when, at = resolve_date_time(text, today=today, what=N_("contact date"))
        return echo_date(text, when), at
    if name == "channel":
        return parse_choice(text, CHANNEL, N_("channel"))
    if name == "outcome":
        return parse_choice(text, OUTCOME, N_("outcome")) if text else None
    if name == "promised_by":
        return parse_date(text) if text else None
    return clean_text(text)


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import CHANNEL, OUTCOME

    @app.command(
        "contact",
        help=_(
            "Record a contact attempt: when, which channel, whom, ticket, outcome. A reply "
            "of the other side is recorded with --incoming (accepted, rejected with "
            "--reason, mediation-failed, refund-promised).\n\n"
            "Example: depositctl contact 3 --on 2025-09-01T10:30 --channel provider-complaint "
            "--ticket GD20250901 --outcome promised --promised-by 2025-09-08 --refund-request"
        ),
    )
    def contact(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        on: Annotated[
            str | None,
            typer.Option(
                "--on", help=_("Date, optionally with time: 2025-09-01T10:30"), show_default=False
            ),
        ] = None,
        channel: Annotated[
            str | None,
            typer.Option(
                "--channel",
                help=_("One of: {choices}").format(choices=CHANNEL.choices_text()),
                show_default=False,
            ),
        ] = None,
        to: Annotated[
            str | None, typer.Option("--to", help=_("Whom you reached (name, staff number)"))
        ] = None,
        ticket: Annotated[str | None, typer.Option("--ticket", help=_("Ticket number"))] = None,
        outcome: Annotated[
            str | None,
            typer.Option(
                "--outcome", help=_("One of: {choices}").format(choices=OUTCOME.choices_text())
            ),
        ] = None,
        promised_by: Annotated[
            str | None,
            typer.Option("--promised-by", help=_("Date they promised to answer or pay by")),
        ] = None,
        summary: Annotated[str | None, typer.Option("--summary", help=_("What was said"))] = None,
        reason: Annotated[
            str | None,
            typer.Option(
                "--reason",
                help=_(
                    "With --outcome rejected: the reason the other side gave for not "
                    "taking the complaint (optional)"
                ),
            ),
        ] = None,
        refund_request: Annotated[
            bool, typer.Option("--refund-request", help=_("This contact asked for the refund"))
        ] = False,
        incoming: Annotated[
            bool,
            typer.Option(
                "--incoming",
                help=_(
                    "A reply from the other side (institution, agent, regulator, association, "
                    "court), --to naming who replied: not a refund request or complaint of yours"
                ),
            ),
        ] = False,
        evidence: Annotated[
            list[Path] | None,
            typer.Option("--evidence", help=_("Files to attach (screenshot, recording)")),
        ] = None,
        again: Annotated[
            bool,
            typer.Option(
                "--again",
                help=_(
                    "Record it even though a contact with the same day, channel and ticket "
                    "(and time, where both give one) is already recorded"
                ),
            ),
        ] = False,
    ) -> None:
        from depositctl.core.models import NewContact
        from depositctl.ops.cases import record_contact

        today = settings(ctx).today
        cid = parse_id(case_id)
        missing = [name for name, value in (("on", on), ("channel", channel)) if value is None]
        if missing and not _interactive():
            # the very error (and wording) of a required option left out, as before
            from typer._click.exceptions import MissingParameter

            param = next(p for p in ctx.command.params if p.name == missing[0])
            raise MissingParameter(ctx=ctx, param=param)  # type: ignore[arg-type]
        given = {
            "on": on,
            "channel": channel,
            "to": to,
            "ticket": ticket,
            "outcome": outcome,
            "promised_by": promised_by,
            "summary": summary,
            "reason": reason,
        }
        fields = {k: parse_value(k, v, today) for k, v in given.items() if v is not None}
        fields["refund_request"], fields["incoming"] = refund_request, incoming
        if missing:  # on a terminal: ask, then confirm
            from depositctl.cli.prompts import Asker, confirm_contact, contact_answers

            asker = Asker.terminal()
            fields.update(
                contact_answers(
                    asker,
                    {**given, "refund_request": refund_request, "incoming": incoming},
                    lambda name, text: parse_value(name, text, today),
                    today,
                )
            )
            day, at = fields["on"]
            confirm_contact(asker, cid, {**fields, "on": day, "at_time": at})
        day, at = fields.pop("on")
        attempt = NewContact(case_id=cid, on=day, at_time=at, **fields)
        follow = record_contact(env(ctx), attempt, list(evidence or []), again=again)
        out(_("Contact recorded on #{id}.").format(id=cid))
        if follow is not None:
            from depositctl.render.text import basis_text

            out(
                _("Follow up on {date}: {basis}").format(
                    date=follow.on.isoformat(), basis=basis_text(follow.basis)
                )
            )
