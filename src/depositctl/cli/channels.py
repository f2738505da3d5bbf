"""`channels`: which route fits this merchant now, with the reason and its basis."""

from typing import Annotated

import typer

from depositctl.cli.context import env, parse_id, print_json
from depositctl.cli.options import case_id_arg
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    @app.command(
        "channels",
        help=_(
            "Every channel (provider, 12363, 12315, report, consumer association, PCAC, "
            "Black Cat, court) with its verdict for this case: next, available, not yet, "
            "unsuitable or used, the reason and its legal basis.\n\n"
            "Examples: depositctl channels 3; depositctl channels 3 --json"
        ),
    )
    def channels(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.channels import channels as find

        found = find(env(ctx), parse_id(case_id))
        if as_json:
            from depositctl.render.channels import channel_items

            print_json(channel_items(found.verdicts))
            return
        from depositctl.render.channels import channel_table

        channel_table(found.view, found.capacity, found.verdicts)
