"""The working-day calendar: the package's data plus the user's calendar file."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

from depositctl.core.errors import N_, UserError
from depositctl.core.evaluator import Evaluator
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup, parse_user_calendar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from depositctl.store.ledger import Ledger

CALENDAR_FILE = "workdays.toml"


def calendar_path(ledger_path: Path) -> Path:
    """`DEPOSITCTL_CALENDAR`, else `workdays.toml` beside the ledger."""
    env = os.environ.get("DEPOSITCTL_CALENDAR")
    return Path(env).expanduser() if env else ledger_path.parent / CALENDAR_FILE


def load_calendar(ledger_path: Path) -> WorkdayCalendar:
    path = calendar_path(ledger_path)
    user = {}
    if not path.exists() and os.environ.get("DEPOSITCTL_CALENDAR"):
        # Asked for by name: a typo must not quietly fall back to estimated dates.
        raise UserError(N_("No such file: {path}"), path=str(path))
    if path.exists():
        import tomllib  # only for a user's file: `status` reads none by default

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(
                N_("Cannot read the calendar file {path}: {reason}"),
                path=str(path),
                reason=str(exc),
            ) from None
        user = parse_user_calendar(data)
    return WorkdayCalendar(chinese_calendar_lookup(), user)


def make_evaluator(led: Ledger, today: date) -> Evaluator:
    return evaluator_of(led.db.conn, led.path, today)


def evaluator_of(conn: sqlite3.Connection, ledger_path: Path, today: date) -> Evaluator:
    """`make_evaluator` of the ledger at `ledger_path` open as `conn` (the fast path of
    `status` reads with a plain connection)."""
    from depositctl.data import rules as load_rules
    from depositctl.store.rows import profile_from_row

    rules = load_rules()
    row = conn.execute("SELECT value FROM settings WHERE key = 'grace_days'").fetchone()
    grace = row[0] if row else None
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    profile = profile_from_row(cur.execute("SELECT * FROM profile WHERE id = 1").fetchone())
    return Evaluator(
        today=today,
        calendar=load_calendar(ledger_path),
        rules=rules,
        grace_days=int(grace) if grace else rules.default_grace_days,
        capacity=profile.capacity,
    )
