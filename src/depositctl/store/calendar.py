"""The working-day calendar: the package's data plus the user's calendar file."""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import date

from depositctl.core.errors import N_, UserError
from depositctl.core.evaluator import Evaluator
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup, parse_user_calendar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from depositctl.store.ledger import Ledger

CALENDAR_FILE = "workdays.toml"


def calendar_path(ledger_path: str | os.PathLike[str]) -> Path:
    """`DEPOSITCTL_CALENDAR`, else `workdays.toml` beside the ledger."""
    from pathlib import Path

    return Path(calendar_file(ledger_path))


def calendar_file(ledger_path: str | os.PathLike[str]) -> str:
    """`calendar_path` as text, which `status` reads without `pathlib` (issue 12)."""
    env = os.environ.get("DEPOSITCTL_CALENDAR")
    if not env:
        return os.path.join(os.path.dirname(pure_path(os.fspath(ledger_path))), CALENDAR_FILE)
    if env.startswith("~"):  # its home folder, or pathlib's error that it has none
        from pathlib import Path

        return str(Path(env).expanduser())
    return pure_path(env)


def pure_path(text: str) -> str:
    """`str(pathlib.PurePosixPath(text))`: the path without `.` parts, empty parts and a
    trailing slash, as `Path` writes it (depositctl's paths are Path-made elsewhere)."""
    if os.name != "posix":  # pragma: no cover - another flavour of path: pathlib's own
        from pathlib import Path

        return str(Path(text))
    rel = text.lstrip("/")
    root = "//" if len(text) - len(rel) == 2 else "/" if rel != text else ""
    return root + "/".join(x for x in rel.split("/") if x and x != ".") or "."


def file_stat(path: str) -> os.stat_result | None:
    """`os.stat(path)`, None where `pathlib`'s `exists()` and `is_file()` say False (no
    such file, a file where a folder should be, a loop, a name the system cannot
    encode); any other error raised, as they raise it."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise
    except ValueError:
        return None


def load_calendar(ledger_path: str | os.PathLike[str]) -> WorkdayCalendar:
    user = {}
    exists = file_stat(calendar_file(ledger_path)) is not None
    if not exists and os.environ.get("DEPOSITCTL_CALENDAR"):
        # Asked for by name: a typo must not quietly fall back to estimated dates.
        raise UserError(N_("No such file: {path}"), path=str(calendar_path(ledger_path)))
    if exists:
        path = calendar_path(ledger_path)
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


def evaluator_of(
    conn: sqlite3.Connection, ledger_path: str | os.PathLike[str], today: date
) -> Evaluator:
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
