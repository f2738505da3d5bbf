"""The Typer application: global options and the command groups, nothing else.

The app is built per language (help texts are translated at build time), so `main()`
looks at `--lang`/`DEPOSITCTL_LANG`/the locale before building it.
"""

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from depositctl import __version__, i18n
from depositctl.cli.context import Settings
from depositctl.cli.errors import DepositGroup, message, report
from depositctl.core.errors import UserError
from depositctl.i18n import _

#: Command modules, each with `register(app)`; order is the order in --help.
COMMAND_MODULES = (
    "depositctl.cli.profile",
    "depositctl.cli.provider",
    "depositctl.cli.cases",
    "depositctl.cli.contact",
    "depositctl.cli.sent",
    "depositctl.cli.evidence",
    "depositctl.cli.void",
    "depositctl.cli.views",
    "depositctl.cli.channels",
    "depositctl.cli.demo",
    "depositctl.cli.letters",
    "depositctl.cli.ledgerops",
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"depositctl {__version__}\n")
        raise typer.Exit()


def build_app(lang: str) -> typer.Typer:
    """A Typer app whose help and messages are in `lang` (`zh` or `en`)."""
    import importlib

    i18n.set_language(lang)
    app = typer.Typer(
        name="depositctl",
        cls=DepositGroup,
        help=_(
            "Keep a dated record of POS-terminal deposits that were not refunded, "
            "see what is overdue, and write the complaint letters."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def main_options(
        ctx: typer.Context,
        db: Annotated[
            Path | None,
            typer.Option(
                "--db",
                envvar="DEPOSITCTL_DB",
                help=_("The ledger file (default: the user data folder)"),
                show_envvar=True,
            ),
        ] = None,
        today: Annotated[
            str | None,
            typer.Option(
                "--today",
                envvar="DEPOSITCTL_TODAY",
                help=_("The date deadlines are computed against, YYYY-MM-DD (default: today)"),
                show_envvar=True,
            ),
        ] = None,
        lang_opt: Annotated[
            str | None,
            typer.Option(
                "--lang",
                envvar="DEPOSITCTL_LANG",
                help=_("Language of output: zh or en"),
                show_envvar=True,
            ),
        ] = None,
        version: Annotated[
            bool,
            typer.Option(
                "--version", callback=_version, is_eager=True, help=_("Print the version")
            ),
        ] = False,
    ) -> None:
        from depositctl.core.dates import parse_date

        if lang_opt is not None and i18n.normalize(lang_opt) != i18n.language():
            i18n.set_language(lang_opt)
        try:
            day = parse_date(today) if today else date.today()
        except UserError as exc:
            raise report(message(exc), exc.exit_code) from None
        ctx.obj = Settings(db=db, today=day, lang=i18n.language(), today_given=today is not None)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main() -> None:
    lang = i18n.detect(sys.argv[1:], os.environ)
    app = build_app(lang)
    app(prog_name="depositctl")
