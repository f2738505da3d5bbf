"""The working-day calendar: the package's data plus the user's calendar file."""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from datetime import date
from functools import cache

from depositctl.core.errors import N_, UserError
from depositctl.core.evaluator import Evaluator
from depositctl.core.workdays import (
    PackageLookup,
    WorkdayCalendar,
    chinese_calendar_lookup,
    parse_user_calendar,
    table_lookup,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

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
    path = calendar_file(ledger_path)  # written as `calendar_path` writes it
    exists = file_stat(path) is not None
    if not exists and os.environ.get("DEPOSITCTL_CALENDAR"):
        # Asked for by name: a typo must not quietly fall back to estimated dates.
        raise UserError(N_("No such file: {path}"), path=path)
    if exists:
        import tomllib  # only for a user's file: `status` reads none by default

        try:
            with open(path, encoding="utf-8") as f:
                data = tomllib.loads(f.read())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(
                N_("Cannot read the calendar file {path}: {reason}"), path=path, reason=str(exc)
            ) from None
        user = parse_user_calendar(data)
    return WorkdayCalendar(package_lookup(), user)


# -- the `chinesecalendar` package's data --------------------------------------------------
def package_lookup() -> PackageLookup:
    """The package's working days: from data/workdays.json while it was made from the
    package as installed (its modules' BLAKE2b), else from the package itself.

    The JSON holds what the package's `is_workday` answers (`make workdays-json` writes
    it; tests/test_workdays.py checks it day by day and that it is fresh): importing the
    package builds its table of ~1,000 dates, a twelfth of a 5-case `status` that settles
    an overdue case (issue 12). A newer package (a year's holidays published) does not
    match, and the package answers.
    """
    from depositctl import data

    table = data.workdays_table(package_calendar_digest().hex())
    if table is None:
        return chinese_calendar_lookup()
    return table_lookup(table["first_year"], table["last_year"], table["on"], table["off"])


def prebuilt_workdays_text() -> str:
    """What data/workdays.json holds for the package as installed (`make workdays-json`):
    its first and last year, the days it makes working days (weekends worked, 调休) and
    the weekdays it makes holidays."""
    import json

    import chinese_calendar
    from chinese_calendar.constants import holidays, workdays

    table = {
        "package_blake2b": package_calendar_digest().hex(),
        "package_version": chinese_calendar.__version__,
        "first_year": min(holidays).year,
        "last_year": max(holidays).year,
        "on": sorted(d.isoformat() for d in workdays),
        "off": sorted(d.isoformat() for d in holidays if d.weekday() <= 4),
    }
    return json.dumps(table, indent=0) + "\n"


@cache
def package_calendar_digest() -> bytes:
    """The BLAKE2b of `package_calendar()` (`core.digest`): part of the derived cache's
    key, and what data/workdays.json must have been made from (the same for the whole
    run)."""
    from depositctl.core.digest import blake2b

    return blake2b(package_calendar()).digest()


def package_calendar() -> bytes:
    """The holiday data of the `chinesecalendar` package (its modules' text, by name)."""
    spec = _find_spec("chinese_calendar")
    if spec is None or spec.origin is None:
        return b""
    folder = os.path.dirname(spec.origin)
    out = []
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".py")):
        with open(os.path.join(folder, name), "rb") as f:
            out.append(name.encode() + b"\0" + f.read())
    return b"".join(out)


def _find_spec(name: str) -> Any:
    """`importlib.util.find_spec(name)` of a top-level module, without `importlib.util`
    (with `contextlib`, ~2.4 ms of a 5-case `status`): the module's spec if it is
    imported, else the first the import system's finders give."""
    module = sys.modules.get(name)
    if module is not None:
        return module.__spec__
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(name, None) if find is not None else None
        if spec is not None:
            return spec
    return None


def make_evaluator(led: Ledger, today: date) -> Evaluator:
    return evaluator_of(led.db.conn, led.path, today)


def evaluator_of(
    conn: sqlite3.Connection, ledger_path: str | os.PathLike[str], today: date
) -> Evaluator:
    """`make_evaluator` of the ledger at `ledger_path` open as `conn` (the fast path of
    `status` reads with a plain connection)."""
    from depositctl.data import rules as load_rules

    rules = load_rules()
    row = conn.execute("SELECT value FROM settings WHERE key = 'grace_days'").fetchone()
    grace = row[0] if row else None
    # The merchant's capacity alone (`Profile.capacity`): it picks the route and is never
    # shown, so `store.rows` (what makes a profile row safe to show) is not needed here.
    row = conn.execute("SELECT capacity FROM profile WHERE id = 1").fetchone()
    return Evaluator(
        today=today,
        calendar=load_calendar(ledger_path),
        rules=rules,
        grace_days=int(grace) if grace else rules.default_grace_days,
        capacity=row[0] if row else None,
    )
