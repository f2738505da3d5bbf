"""What every command shares: the global options, the Env handed to ops, the consoles."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from depositctl.core.errors import N_, UserError

if TYPE_CHECKING:
    from depositctl.core.dates import ResolvedDate
    from depositctl.ops.env import Env


@dataclass
class Settings:
    db: Path | None
    today: date
    lang: str
    today_given: bool = False

    @property
    def db_path(self) -> Path:
        """`--db` (Typer also reads it from `DEPOSITCTL_DB`), else the user data folder."""
        if self.db is not None:
            return ledger_path(str(self.db))
        from platformdirs import user_data_dir

        return Path(user_data_dir("depositctl")) / "ledger.db"


def ledger_path(text: str) -> Path:
    """`~` and `$VAR`/`${VAR}` are expanded (a service or .env file may hand the variable
    over unexpanded); a `$` left over names a variable that is not set: refused, so no
    folder named `$HOME` is ever created."""
    import os

    expanded = os.path.expandvars(os.path.expanduser(text))
    if "$" in expanded:
        raise UserError(
            N_(
                "The ledger path {path} names an environment variable that is not set; "
                "give the path itself"
            ),
            path=text,
        )
    return Path(expanded).expanduser()


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):  # pragma: no cover - the callback always sets it
        raise RuntimeError("global options not parsed")
    return obj


def env(ctx: typer.Context) -> Env:
    """What an operation in `depositctl.ops` is given: the ledger's path and today."""
    from depositctl.ops.env import Env

    opts = settings(ctx)
    return Env(db_path=opts.db_path, today=opts.today)


def parse_id(text: str) -> int:
    """`3` and `#3` both name case 3."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text).strip().lstrip("#")
    # ASCII digits only (int() would choke on some Unicode digits), and no more than
    # SQLite's integers hold.
    if not (s.isascii() and s.isdigit()) or len(s) > 18 or int(s) == 0:
        raise UserError(
            N_("Not a case id: {text} (use the number status shows, like 3 or #3)"), text=text
        )
    return int(s)


def resolved_date(text: str, today: date, what: str) -> date:
    """A date of the past as typed (`2025-03-05`, `今天`, `11月20日`), echoed on stderr
    when it was resolved against today (see `echo_date`)."""
    from depositctl.core.dates import resolve_date

    return echo_date(text, resolve_date(text, today=today, what=what))


def echo_date(text: str, resolved: ResolvedDate) -> date:
    """Say which date a relative or partial form (`今天`, `11月20日`) was read as, one
    line on stderr; a full date is taken silently."""
    if resolved.relative:
        from depositctl.i18n import _

        err(_("({text} read as {date})").format(text=text.strip(), date=resolved.value.isoformat()))
    return resolved.value


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
