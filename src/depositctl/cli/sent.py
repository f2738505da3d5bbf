"""`sent` and `delivered`: a letter that went out, and the day it reached its recipient."""

from pathlib import Path
from typing import Annotated

import typer

from depositctl.cli.context import env, out, parse_id, resolved_date, settings
from depositctl.cli.options import case_id_arg
from depositctl.core.errors import N_
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import RECIPIENT, VIA

    @app.command(
        "sent",
        help=_(
            "Record a letter you sent: to whom, when, how, its tracking number and the "
            "letter itself as evidence. The provider's demand letter is your written refund "
            "request; its reply-by date runs from delivery (provisional until known).\n\n"
            "Example: depositctl sent 1 --to provider --on 2026-11-10 --via ems "
            "--tracking EA000000001CN --file 催告函.pdf"
        ),
    )
    def sent(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        to: Annotated[
            str,
            typer.Option(
                "--to",
                help=_("Recipient, one of: {choices}").format(choices=RECIPIENT.choices_text()),
                show_default=False,
            ),
        ],
        on: Annotated[str, typer.Option("--on", help=_("The day it was sent"), show_default=False)],
        via: Annotated[
            str,
            typer.Option(
                "--via",
                help=_("How it went out, one of: {choices}").format(choices=VIA.choices_text()),
                show_default=False,
            ),
        ],
        tracking: Annotated[
            str | None, typer.Option("--tracking", help=_("Postal tracking number"))
        ] = None,
        delivered_on: Annotated[
            str | None,
            typer.Option("--delivered-on", help=_("The day it was delivered (signed for)")),
        ] = None,
        file: Annotated[
            Path | None,
            typer.Option(
                "--file", help=_("The letter as sent (pdf, docx, photo), kept as evidence")
            ),
        ] = None,
        again: Annotated[
            bool,
            typer.Option(
                "--again",
                help=_(
                    "Record it even though the same letter (recipient, day, way and tracking "
                    "number) is already recorded"
                ),
            ),
        ] = False,
    ) -> None:
        from depositctl.core.inputs import clean_text, parse_choice
        from depositctl.ops.sent import letter_contact, record_sent
        from depositctl.render.text import term_name

        today = settings(ctx).today
        cid = parse_id(case_id)
        recipient = parse_choice(to, RECIPIENT, N_("recipient"))
        way = parse_choice(via, VIA, N_("way of sending"))
        day = resolved_date(on, today, N_("sending date"))
        delivered = (
            resolved_date(delivered_on, today, N_("delivery date")) if delivered_on else None
        )
        contact = letter_contact(cid, recipient, day, way, clean_text(tracking), delivered)
        result = record_sent(env(ctx), contact, file, again=again)
        out(
            _("Letter recorded on #{id} as {label}: {title}, {via}.").format(
                id=cid,
                label=result.label,
                title=RECIPIENT[recipient].title,
                via=term_name(VIA, way),
            )
        )
        if result.evidence:
            out(_("The file is evidence {label}.").format(label=result.evidence))
        _dates(result.follow_up, result.limitation_restart)
        if result.follow_up is not None and result.follow_up.provisional:
            out(
                _(
                    "Once it is delivered, record the day: depositctl delivered {id} {label} "
                    "--on DATE"
                ).format(id=cid, label=result.label)
            )

    @app.command(
        "delivered",
        help=_(
            "Record the day a letter recorded by sent was delivered (signed for), with the "
            "proof of delivery as evidence: its reply-by date and the limitation restart "
            "count from that day.\n\n"
            "Example: depositctl delivered 1 C3 --on 2026-11-12 --file 签收截图.png"
        ),
    )
    def delivered(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        label: Annotated[
            str,
            typer.Argument(
                help=_("The letter's label, as sent and show print it (C3)"),
                metavar="LABEL",
                show_default=False,
            ),
        ],
        on: Annotated[
            str, typer.Option("--on", help=_("The day it was delivered"), show_default=False)
        ],
        file: Annotated[
            Path | None,
            typer.Option("--file", help=_("Proof of delivery (tracking page, signed receipt)")),
        ] = None,
    ) -> None:
        from depositctl.ops.sent import record_delivery

        today = settings(ctx).today
        cid = parse_id(case_id)
        day = resolved_date(on, today, N_("delivery date"))
        result = record_delivery(env(ctx), cid, label, day, file)
        if result.before:
            out(
                _("Delivery of {label} on #{id} recorded: {date} (was {before}).").format(
                    label=result.label, id=cid, date=day.isoformat(), before=result.before
                )
            )
        else:
            out(
                _("Delivery of {label} on #{id} recorded: {date}.").format(
                    label=result.label, id=cid, date=day.isoformat()
                )
            )
        if result.evidence:
            out(_("The file is evidence {label}.").format(label=result.evidence))
        _dates(result.follow_up, result.limitation_restart)


def _dates(follow_up: object, restart: object) -> None:
    """The reply-by date and the limitation restart the letter sets, with their basis."""
    from depositctl.core.caseview import Deadline
    from depositctl.render.text import basis_text

    if isinstance(follow_up, Deadline):
        text = _("Reply due by {date}: {basis}").format(
            date=follow_up.on.isoformat(), basis=basis_text(follow_up.basis)
        )
        out(text)
    if isinstance(restart, Deadline):
        out(
            _("Limitation period, restarted, ends {date}: {basis}").format(
                date=restart.on.isoformat(), basis=basis_text(restart.basis)
            )
        )
