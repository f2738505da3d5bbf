"""`contact`: one attempt to get the money back, with its date, channel and outcome."""

from pathlib import Path
from typing import Annotated

import typer

from depositctl.cli.context import echo_date, env, out, parse_id, settings
from depositctl.cli.options import case_id_arg
from depositctl.core.errors import N_
from depositctl.i18n import _


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
            str,
            typer.Option(
                "--on", help=_("Date, optionally with time: 2025-09-01T10:30"), show_default=False
            ),
        ],
        channel: Annotated[
            str,
            typer.Option(
                "--channel",
                help=_("One of: {choices}").format(choices=CHANNEL.choices_text()),
                show_default=False,
            ),
        ],
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
        from depositctl.core.dates import parse_date, resolve_date_time
        from depositctl.core.inputs import clean_text, parse_choice
        from depositctl.core.models import NewContact
        from depositctl.ops.cases import record_contact

        today = settings(ctx).today
        cid = parse_id(case_id)
        when, at = resolve_date_time(on, today=today, what=N_("contact date"))
        day = echo_date(on, when)
        attempt = NewContact(
            case_id=cid,
            on=day,
            at_time=at,
            channel=parse_choice(channel, CHANNEL, N_("channel")),
            to=clean_text(to),
            ticket=clean_text(ticket),
            outcome=parse_choice(outcome, OUTCOME, N_("outcome")) if outcome else None,
            promised_by=parse_date(promised_by) if promised_by else None,
            summary=clean_text(summary),
            refund_request=refund_request,
            incoming=incoming,
            reason=clean_text(reason),
        )
        follow = record_contact(env(ctx), attempt, list(evidence or []), again=again)
        out(_("Contact recorded on #{id}.").format(id=cid))
        if follow is not None:
            from depositctl.render.text import basis_text

            out(
                _("Follow up on {date}: {basis}").format(
                    date=follow.on.isoformat(), basis=basis_text(follow.basis)
                )
            )
