"""The console script's entry (issue 12): a plain `status` served by the standard library
and depositctl's own pure modules; everything else handed to Typer (`cli.main.main`).

Served here: `status`, with `--json`, `--all`, `--limit N`, and the global options
`--db`, `--today`, `--lang` and their environment variables, read as `cli/main.py` reads
them: the JSON, the plain listing (more than `RICH_MAX_ROWS` cases, or none), and the
default table for output that is not a terminal, drawn by render/boxtable.py (rich's
table without rich; tests/test_boxtable.py diffs it against rich). Handed over,
untouched: any other argument (`--help`, an unknown or repeated-with-a-twist option, a
limit that is not plain digits), a table for a terminal or for an environment rich reads
(`table_width`), a table boxtable is not sure to draw as rich does (`boxtable.plan`), a
ledger that is missing, not writable, of another schema version, not yet migrated,
holding objects depositctl did not create or files with group or other rights
(`open_ledger` would change them), a cache with a dirty or stale row (a read recomputes
it first), and any exception before the first byte of output. Typer then does exactly
what it always did, errors included. tests/test_fastpath.py diffs both paths' output.

No pydantic, typer, click, rich, sqlite_utils or dateutil.parser is imported here or by
what this imports (tests/test_fastpath.py checks `sys.modules`).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # no `typing` at run time: it costs a 5-case `status` ~5% (issue 12)
    from collections.abc import Callable, Iterable
    from datetime import date
    from typing import Any

#: The global options (before the command) and the `status` options this path knows.
_GLOBAL = ("--db", "--today", "--lang")


def main() -> None:
    if sys.stdout is None:  # started with its output closed (`depositctl status >&-`)
        _output_error(None)
    try:
        _main()
    except KeyboardInterrupt:  # Ctrl-C: here, or in Typer's imports before it runs
        _interrupted()
    except BrokenPipeError:  # the reader left (`| head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        if exc.filename is not None:  # a file the command opened: not the output
            raise
        _output_error(exc.strerror)


def _main() -> None:
    from itertools import islice

    try:
        out = _status(sys.argv[1:], os.environ)
        if out is not None:  # the first thousand lines: all the work is done before them
            out = iter(out)
            first = list(islice(out, 1000))
    except Exception:  # anything unexpected: Typer does it, and says what went wrong
        out = None
    if out is None:
        from depositctl.cli.main import main as typer_main

        typer_main()
        return
    from itertools import chain

    from depositctl.render.tables import write_chunks

    write_chunks(chain(first, out), sys.stdout)
    sys.stdout.flush()


def _interrupted() -> None:
    """Ctrl-C: the one line and exit code Typer's commands give (`cli/errors.py`
    `translate`), not a traceback. `status` writes nothing here."""
    from depositctl.i18n import _

    _say(lambda: _("Error: {message}").format(message=_("Interrupted; nothing was half-written.")))
    sys.exit(130)


def _output_error(reason: str | None) -> None:
    """One line on stderr when the standard output cannot be written (a full disk, a
    closed descriptor), exit 1: what any command prints cannot reach its reader."""
    from depositctl.i18n import _

    _say(
        lambda: _("Error: cannot write the output: {reason}").format(
            reason=reason or _("standard output is closed")
        )
    )
    os._exit(1)  # no flush at exit: the output is what failed


def _say(line: Callable[[], str]) -> None:
    """`line()`, in the language asked for (`i18n.detect`), on stderr where it can be
    written."""
    from depositctl import i18n

    i18n.set_language(i18n.detect(sys.argv[1:], os.environ))
    if sys.stderr is not None:
        try:
            sys.stderr.write(line() + "\n")
            sys.stderr.flush()
        except OSError:
            pass


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain `status`, or None for anything else."""
    opts: dict[str, Any] = {"all": False, "json": False, "limit": None}
    i, command = 0, None
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if command is None and name in _GLOBAL:
            if name in opts:
                return None  # repeated: which one counts is Typer's (and i18n.detect's) call
            if not eq:
                if i + 1 >= len(argv):
                    return None
                i += 1
                value = argv[i]
            if not value or value.startswith("-"):
                return None
            opts[name] = value
        elif command is None and arg == "status":
            command = arg
        elif command is not None and arg in ("--all", "--json"):
            opts[arg[2:]] = True
        elif command is not None and name == "--limit":
            if not eq:
                if i + 1 >= len(argv):
                    return None
                i += 1
                value = argv[i]
            if not (value.isascii() and value.isdigit()) or len(value) > 9:
                return None
            opts["limit"] = int(value)
        else:
            return None
        i += 1
    return opts if command is not None else None


def _status(
    argv: list[str], environ: os._Environ[str] | dict[str, str]
) -> Iterable[str | bytes] | None:
    """What `status` prints for `argv`, piece by piece (text, or UTF-8 for `--json`:
    `tables.write_chunks`), or None: hand over to Typer."""
    opts = parse(argv)
    if opts is None:
        return None
    as_json, limit = opts["json"], opts["limit"]
    width = None
    if not as_json:
        width = table_width(environ)
        if width is None:
            return None
    db = opts.get("--db") or environ.get("DEPOSITCTL_DB")
    today_text = opts.get("--today") or environ.get("DEPOSITCTL_TODAY")
    if "--db" not in opts and "DEPOSITCTL_DB" in environ and not db:
        return None
    if "--today" not in opts and "DEPOSITCTL_TODAY" in environ and not today_text:
        return None
    from datetime import date

    from depositctl import i18n
    from depositctl.store.calendar import pure_path

    i18n.set_language(i18n.detect(argv, environ))
    if today_text:
        today = _iso_day(today_text)
        if today is None:
            from depositctl.core.dates import parse_date

            today = parse_date(today_text)
    else:
        today = date.today()
    if db is not None:
        if "$" in db or db.startswith("~"):
            return None  # expanded by cli/context.ledger_path
        path = pure_path(db)  # as `Path(db)` writes it: cli/context.ledger_path's
    else:
        folder = data_folder(environ)
        if folder is None:
            from platformdirs import user_data_dir

            folder = user_data_dir("depositctl")
        path = pure_path(os.path.join(folder, "ledger.db"))
    return _read(path, today, include_all=opts["all"], as_json=as_json, limit=limit, width=width)


def data_folder(environ: os._Environ[str] | dict[str, str]) -> str | None:
    """`platformdirs.user_data_dir("depositctl")` (where the ledger is by default: what
    `cli/context.py` names) where it is sure to be `$HOME/.local/share/depositctl`: on
    Linux, not Android, with `XDG_DATA_HOME` unset or empty and `HOME` an absolute path.
    None anywhere else: platformdirs knows. Importing it (with `pathlib`, `re`, `enum`,
    `tempfile`) cost a 5-case `status` without `--db` 40% of its instructions (issue 12);
    tests/test_startup.py compares the two."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in environ:
        return None
    home = environ.get("HOME", "")
    if environ.get("XDG_DATA_HOME") or not home.startswith("/"):
        return None
    return home.rstrip("/") + "/.local/share/depositctl"  # as `os.path.expanduser` joins


def _iso_day(text: str) -> date | None:
    """`--today` written as `2026-11-24` (ASCII, two-digit month and day, 1990 to 2100),
    as `core.dates.parse_date` reads it; None for any other form, which `parse_date` reads
    (its regular expressions cost a 5-case `status` ~2% to compile)."""
    from datetime import date

    digits = text[:4] + text[5:7] + text[8:]
    if not (len(text) == 10 and text[4] == text[7] == "-" and digits.isascii()):
        return None
    if not digits.isdigit():
        return None
    try:
        day = date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


#: What makes rich draw otherwise than render/boxtable (colour, a tty's behaviour, another
#: Unicode version's cell widths).
_RICH_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "UNICODE_VERSION")


def table_width(environ: os._Environ[str] | dict[str, str]) -> int | None:
    """The page width rich's console has for the listing (render/tables.console: the
    terminal's columns but at least 120, for output that is not a terminal), or None
    where rich would draw anything but boxtable's plain characters: a terminal, an
    environment variable rich reads, an encoding other than UTF-8 (rich's ASCII box)."""
    if sys.stdout.isatty() or any(name in environ for name in _RICH_ENV):
        return None
    if not (getattr(sys.stdout, "encoding", None) or "utf-8").lower().startswith("utf"):
        return None
    return max(_columns(120), 120)


def _columns(fallback: int) -> int:
    """`shutil.get_terminal_size((fallback, 24)).columns`, without importing shutil
    (with zlib, bz2 and lzma): `COLUMNS` first, then the terminal of `sys.__stdout__`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = fallback
        columns = columns or fallback
    return columns


def _usable(path: str) -> bool:
    """The ledger and its folder as `open_ledger` would take them without a word or a
    change: a writable regular file in a writable folder, no group or other rights."""
    import stat

    folder = os.path.dirname(path) or "."  # `Path(path).parent`
    for p in (path, folder):
        st = os.stat(p)
        if st.st_uid == os.geteuid() and not st.st_mode & stat.S_IWUSR:
            return False
        if not os.access(p, os.W_OK):
            return False
    if not stat.S_ISREG(os.stat(path).st_mode):
        return False
    for p in (str(path), f"{path}-wal", f"{path}-shm"):
        try:
            mode = os.lstat(p).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode) and mode & 0o077:
            return False
    return True


def _read(
    path: str, today: Any, *, include_all: bool, as_json: bool, limit: int | None, width: int | None
) -> Iterable[str | bytes] | None:
    import sqlite3

    from depositctl.store import derived, schema

    if not _usable(path):
        return None
    conn = sqlite3.connect(path, timeout=15, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 15000")
        if conn.execute("PRAGMA user_version").fetchone()[0] != len(schema.MIGRATIONS):
            return None
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None
        applied = {
            r[0]
            for r in conn.execute(
                f"SELECT name FROM {schema.MIGRATIONS_TABLE} WHERE migration_set = ?",
                [schema.MIGRATION_SET],
            )
        }
        if (
            applied != set(schema.MIGRATIONS)
            or schema.foreign_objects(conn)
            or schema.missing_objects(conn)
        ):
            return None
        if derived.stale_of(conn, derived.key_of(conn, path)):
            return None  # a read recomputes and writes it first: Typer's
        n = 0 if limit is None and as_json else (50 if limit is None else limit)
        from depositctl.ops.views import from_cache
        from depositctl.store.calendar import evaluator_of

        ev = evaluator_of(conn, path, today)
        if as_json:
            from depositctl.render.jsonout import json_chunks, status_item_utf8

            items = from_cache(conn, ev, include_all=include_all, limit=n, project=status_item_utf8)
            return json_chunks(items.shown)
        from depositctl.render.tables import status_row, status_rows_lines

        found = from_cache(conn, ev, include_all=include_all, limit=n, project=status_row)
    finally:
        conn.close()
    assert width is not None
    return status_rows_lines(found.shown, found.totals, today, width)
