"""The `statement_rows` table: which rows of a provider's statement a case has already
counted (`core.statement` row keys), so no later file, whatever its encoding or format,
counts one twice. Written in the transaction that adds the progress rows, logged in the
history chain, and replayed for `check` and `import`.

Every import logs one history entry, action `statement`, on the case:
`{"rows": {row_key: progress_id, ...}}`, the progress row being that day's total (None
for a row whose day netted to nothing, such as a sale cancelled the same day).
"""

from __future__ import annotations

import codecs
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from depositctl.core.errors import N_, UserError
from depositctl.core.money import from_fen, to_fen
from depositctl.core.sheet import DELIMITERS, XLS_MAGIC, XLSX_MAGIC, Row, records, trimmed
from depositctl.core.statement import DayTotal, StatementScan
from depositctl.store.ledger import Ledger
from depositctl.store.replay import Problem, same

ACTION = "statement"
WHAT_ROW = N_("statement row")
# The templates of the case tables' replay (store/replay.py), reused word for word.
_GONE = N_("{what} {row} is in the history but gone from the ledger (deleted outside depositctl)")
_ADDED = N_("{what} {row} is not in the history (added outside depositctl)")
_DIFFERS = N_("{what} {row} differs from its history in {fields} (changed outside depositctl)")


def seen_keys(led: Ledger, case_id: int) -> set[str]:
    """The keys of every statement row already imported for the case."""
    return {
        str(r[0])
        for r in led.db.execute("SELECT row_key FROM statement_rows WHERE case_id = ?", [case_id])
    }


def record_rows(led: Ledger, case_id: int, rows: Mapping[str, int | None]) -> None:
    """Record imported rows (key -> the progress row holding its day), logged; call inside
    the transaction that added the progress rows."""
    with led.atomic():
        led.db.conn.executemany(
            "INSERT INTO statement_rows (case_id, row_key, progress_id) VALUES (?, ?, ?)",
            [(case_id, key, pid) for key, pid in rows.items()],
        )
        led.log(case_id, ACTION, {"rows": dict(rows)})


def replay_statement_rows(
    history: Iterable[Mapping[str, Any]], rows: Iterable[Mapping[str, Any]]
) -> list[Problem]:
    """Replay the `statement` history entries and compare with the rows held (the
    ledger's, or an export file's)."""
    import json

    problems: list[Problem] = []
    expected: dict[tuple[Any, str], Any] = {}
    for h in history:
        if h.get("action") != ACTION or h.get("case_id") is None:
            continue
        try:
            changes = json.loads(h["changes"])
        except (TypeError, ValueError):
            continue  # reported by the main replay
        logged = changes.get("rows") if isinstance(changes, dict) else None
        if not isinstance(logged, dict):
            problems.append(
                Problem(
                    h.get("case_id"),
                    N_("history entry {entry} cannot be read"),
                    {"entry": h.get("id")},
                )
            )
            continue
        for key, pid in logged.items():
            expected[(h["case_id"], str(key))] = pid
    actual = {(r.get("case_id"), str(r.get("row_key"))): r.get("progress_id") for r in rows}
    for cid, key in sorted(set(actual) | set(expected), key=lambda k: (str(k[0]), k[1])):
        row = f"#{cid} {key}"
        case = cid if isinstance(cid, int) else None
        if (cid, key) not in actual:
            problems.append(Problem(case, _GONE, {"what": WHAT_ROW, "row": row}))
        elif (cid, key) not in expected:
            problems.append(Problem(case, _ADDED, {"what": WHAT_ROW, "row": row}))
        elif not same(actual[(cid, key)], expected[(cid, key)]):
            problems.append(
                Problem(case, _DIFFERS, {"what": WHAT_ROW, "row": row, "fields": "progress_id"})
            )
    return problems


def check_statement_rows(led: Ledger) -> list[Problem]:
    """`check`: the statement rows against their history."""
    return replay_statement_rows(
        led.db.query("SELECT * FROM history ORDER BY id"),
        led.db.query("SELECT * FROM statement_rows ORDER BY rowid"),
    )


# -- reading a statement file row by row -----------------------------------------------------
#: A statement import logs one history entry per this many rows (the first holds them all
#: when there are fewer): entries stay a few hundred kilobytes whatever the file's size.
ROWS_PER_ENTRY = 10_000
#: Rows looked up in the ledger, or written to it, at a time.
BATCH = 500


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes (read in chunks, nothing kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _encoding(path: Path) -> str:
    """As `core.sheet.decode`: UTF-16 when the file starts with its byte-order mark, else
    UTF-8 (with or without BOM), else GB18030."""
    with open(path, "rb") as fh:
        start = fh.read(2)
    utf16 = ["utf-16"] if start in (b"\xff\xfe", b"\xfe\xff") else []
    for encoding in (*utf16, "utf-8-sig", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise UserError(N_("The statement is neither UTF-8 nor GBK text"))


def _text_rows(path: Path, encoding: str, delimiter: str) -> Iterator[Row]:
    """The records of delimited text, read from the file as they are asked for by the
    one strict reader, `core.sheet.records` (universal newlines, blank records dropped)."""
    with open(path, encoding=encoding, newline=None) as fh:
        yield from records(fh, delimiter)


def _xlsx_error(path: Path, exc: Exception) -> UserError:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
        not_a_workbook = not {"[Content_Types].xml", "xl/workbook.xml"} <= names
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        not_a_workbook = False
    if not_a_workbook:
        return UserError(
            N_(
                "This file is a zip archive but not a valid Excel file (.xlsx); "
                "export the statement again as .xlsx or CSV"
            )
        )
    return UserError(N_("Cannot read the Excel statement: {reason}"), reason=exc)


def _sheet_rows(path: Path, sheet: Any) -> Iterator[Row]:
    """A worksheet's rows (cached values), read as they are asked for (openpyxl's
    read-only mode streams the sheet's XML)."""
    try:
        sheet.reset_dimensions()  # exporters often write a wrong or missing <dimension>
        values = iter(sheet.iter_rows(values_only=True))
    except Exception as exc:  # a damaged archive or XML
        raise _xlsx_error(path, exc) from None
    number = 0
    while True:
        try:
            cells = next(values)
        except StopIteration:
            return
        except Exception as exc:
            raise _xlsx_error(path, exc) from None
        number += 1
        kept = trimmed(cells)
        if kept:
            yield Row(line=number, cells=kept, sheet=sheet.title)


@contextmanager
def statement_tables(path: Path) -> Iterator[Iterator[Iterator[Row]]]:
    """The candidate tables of a statement file (as `core.sheet.tables`, by content),
    each read from the file row by row as it is asked for: every worksheet of an .xlsx
    workbook (openpyxl read-only mode), or the text read with each usual delimiter."""
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(XLSX_MAGIC):
        import openpyxl

        # Opened here and handed over as a file: openpyxl refuses a path by its name's
        # ending, and the kind is decided by content (a workbook saved as `.csv`).
        with open(path, "rb") as raw:
            try:
                book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
            except Exception as exc:
                raise _xlsx_error(path, exc) from None
            try:
                yield (_sheet_rows(path, sheet) for sheet in book.worksheets)
            finally:
                book.close()
        return
    if magic.startswith(XLS_MAGIC):
        raise UserError(
            N_(
                "This is an old Excel .xls file; open it and save it as .xlsx or CSV, then import that"
            )
        )
    encoding = _encoding(path)
    yield (_text_rows(path, encoding, d) for d in DELIMITERS)


@dataclass
class StagedStatement:
    """A statement's rows, each reduced to its key, day, amount in fen and whether it
    cancels, in a scratch database on disk (SQLite's anonymous temporary file, gone
    when closed, even after kill -9); `seen` marks the rows the case already holds."""

    conn: sqlite3.Connection
    skipped: int
    totals: int

    def mark_seen(self, led: Ledger, case_id: int) -> None:
        """Mark the rows whose key the case's statement rows already hold."""
        last = 0
        while batch := self.conn.execute(
            "SELECT seq, key FROM keyed WHERE seq > ? AND NOT seen ORDER BY seq LIMIT ?",
            [last, BATCH],
        ).fetchall():
            last = batch[-1][0]
            keys = [k for _s, k in batch]
            marks = ",".join("?" * len(keys))
            held = led.db.execute(
                f"SELECT row_key FROM statement_rows WHERE case_id = ? AND row_key IN ({marks})",
                [case_id, *keys],
            ).fetchall()
            if held:
                self.conn.executemany(
                    "UPDATE keyed SET seen = 1 WHERE key = ?", [(k,) for (k,) in held]
                )
        self.conn.commit()

    def counts(self) -> tuple[int, int, int, Decimal]:
        """The new rows, those already imported, the new cancellations and the net total."""
        new, old, cancels, fen = self.conn.execute(
            "SELECT count(*) FILTER (WHERE NOT seen), count(*) FILTER (WHERE seen), "
            "count(*) FILTER (WHERE NOT seen AND cancels), "
            "coalesce(sum(fen) FILTER (WHERE NOT seen), 0) FROM keyed"
        ).fetchone()
        return new, old, cancels, from_fen(fen)

    def days(self) -> list[DayTotal]:
        """Net volume and count of the new rows per day (as `core.statement.day_totals`)."""
        days = []
        for on, fen, sales, cancels in self.conn.execute(
            "SELECT day, sum(fen), count(*) FILTER (WHERE NOT cancels), "
            "count(*) FILTER (WHERE cancels) FROM keyed WHERE NOT seen GROUP BY day ORDER BY day"
        ):
            day = DayTotal(
                on=date.fromisoformat(on), volume=from_fen(fen), count=max(0, sales - cancels)
            )
            if day.volume or day.count:
                days.append(day)
        return days

    def record(self, led: Ledger, case_id: int, progress_of: Mapping[date, int]) -> None:
        """Record the new rows (key -> the progress row of its day) and log them, one
        history entry per `ROWS_PER_ENTRY` rows; call inside the transaction that added
        the progress rows."""
        pid = {on.isoformat(): p for on, p in progress_of.items()}
        cursor = self.conn.execute("SELECT key, day FROM keyed WHERE NOT seen ORDER BY seq")
        with led.atomic():
            while chunk := cursor.fetchmany(ROWS_PER_ENTRY):
                rows = {key: pid.get(day) for key, day in chunk}
                led.db.conn.executemany(
                    "INSERT INTO statement_rows (case_id, row_key, progress_id) VALUES (?, ?, ?)",
                    [(case_id, key, p) for key, p in rows.items()],
                )
                led.log(case_id, ACTION, {"rows": rows})


@contextmanager
def staged_statement(
    path: Path,
    today: date,
    date_column: str | None = None,
    amount_column: str | None = None,
    reference_column: str | None = None,
) -> Iterator[StagedStatement]:
    """Read a statement file row by row (`core.statement.StatementScan`) into a scratch
    database: memory holds one row and a sum per day, never the file. Keys are numbered
    there (`row_number()` over the rows of the same date, amount and discriminator, in
    file order), exactly as `core.statement` numbers them. Any malformed row refuses the
    file (UserError naming its line)."""
    conn = sqlite3.connect("")
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(
            "CREATE TABLE entry (seq INTEGER PRIMARY KEY, base TEXT NOT NULL, "
            "day TEXT NOT NULL, fen INTEGER NOT NULL, cancels INTEGER NOT NULL)"
        )
        try:
            with statement_tables(path) as candidates:
                scan = StatementScan(
                    candidates, today, date_column, amount_column, reference_column
                )
                entries = scan.entries()
                while batch := [
                    (e.base, e.on.isoformat(), to_fen(e.amount), int(e.cancels))
                    for e in islice(entries, BATCH * 4)
                ]:
                    conn.executemany(
                        "INSERT INTO entry (base, day, fen, cancels) VALUES (?, ?, ?, ?)", batch
                    )
        except OSError as exc:
            raise UserError(
                N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror
            ) from None
        conn.execute(
            "CREATE TABLE keyed (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, "
            "day TEXT NOT NULL, fen INTEGER NOT NULL, cancels INTEGER NOT NULL, "
            "seen INTEGER NOT NULL DEFAULT 0)"
        )
        conn.execute(
            "INSERT INTO keyed (seq, key, day, fen, cancels) SELECT seq, base || '|' || "
            "(row_number() OVER (PARTITION BY base ORDER BY seq) - 1), day, fen, cancels "
            "FROM entry"
        )
        conn.execute("DROP TABLE entry")
        conn.execute("CREATE INDEX keyed_key ON keyed (key)")
        conn.commit()
        yield StagedStatement(conn, scan.skipped, scan.totals)
    finally:
        conn.close()
