"""Options and arguments shared by several commands (built per language)."""

import typer

from depositctl.i18n import _


def case_id_arg() -> typer.models.ArgumentInfo:
    info: typer.models.ArgumentInfo = typer.Argument(
        help=_("Case id, as status shows it (3 or #3)"), metavar="ID", show_default=False
    )
    return info
