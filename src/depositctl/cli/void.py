"""`void`, `unvoid`: take a wrong or duplicate row out of the record, or put it back."""

from typing import Annotated

import typer

from depositctl.cli.context import env, out, parse_id
from depositctl.cli.options import case_id_arg
from depositctl.i18n import _


def _label_arg() -> typer.models.ArgumentInfo:
    info: typer.models.ArgumentInfo = typer.Argument(
        help=_(
            "The row's label as show prints it: C1 a contact, P1 progress, R1 a refund, E1 evidence"
        ),
        metavar="LABEL",
        show_default=False,
    )
    return info


def register(app: typer.Typer) -> None:
    @app.command(
        "void",
        help=_(
            "Take a wrong or duplicate row out of the record: it no longer counts in any "
            "deadline, status, letter, bundle or calendar, but stays in the ledger, the "
            "history and show (marked void, with the reason).\n\n"
            'Example: depositctl void 3 C2 --reason "entered twice"'
        ),
    )
    def void(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        label: Annotated[str, _label_arg()],
        reason: Annotated[
            str,
            typer.Option(
                "--reason", help=_("Why the row is wrong (kept in the history)"), show_default=False
            ),
        ],
    ) -> None:
        from depositctl.ops.record import void_row

        done = void_row(env(ctx), parse_id(case_id), label, reason)
        out(
            _(
                "{label} of #{id} is void ({reason}); depositctl unvoid {id} {label} puts it back."
            ).format(label=done.label, id=done.case_id, reason=done.reason)
        )

    @app.command(
        "unvoid",
        help=_("Put a void row back into the record.\n\nExample: depositctl unvoid 3 C2"),
    )
    def unvoid(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        label: Annotated[str, _label_arg()],
    ) -> None:
        from depositctl.ops.record import unvoid_row

        done = unvoid_row(env(ctx), parse_id(case_id), label)
        out(_("{label} of #{id} counts again.").format(label=done.label, id=done.case_id))
