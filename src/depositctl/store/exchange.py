"""Export and import of every fact: JSON (for import), CSV (for spreadsheets), redaction.

The JSON file holds the ledger's rows as they are stored (money in fen, dates ISO), the
history verbatim with its hash chain, and a format version. Import refuses a file whose
chain or facts do not verify: an export edited by hand is found, not loaded. Evidence
files are not in the export (it would be as large as the store); `backup` copies them,
and `import --evidence-from` copies them from a ledger folder or a backup.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from depositctl.core.errors import N_, UserError
from depositctl.store.ledger import SCHEMA_VERSION, Ledger
from depositctl.store.migrations import table_columns
from depositctl.store.providers import replay_providers
from depositctl.store.replay import (
    FACT_TABLES,
    MAX_ID,
    BadValue,
    Problem,
    chain_problems,
    replay_problems,
    row_problems,
)
from depositctl.store.rows import PROFILE_FIELDS
from depositctl.store.statements import replay_statement_rows

FORMAT = "depositctl-export"
FORMAT_VERSION = 1
#: Tables in the order they are written (parents before children).
TABLES = (
    "settings",
    "cases",
    "progress",
    "contacts",
    "evidence",
    "refunds",
    "statement_rows",
    "providers",
    "provider_aliases",
    "history",
)
ORDER = {"settings": "key", "provider_aliases": "alias", "statement_rows": "rowid"}
#: Tables written to CSV only when they hold rows (a ledger without them: the same files).
CSV_IF_ANY = ("statement_rows", "providers", "provider_aliases")
#: Columns in fen, shown in yuan beside them in the CSV files.
FEN_COLUMNS = {
    "cases": ("amount_fen", "condition_volume_fen"),
    "progress": ("volume_fen",),
    "refunds": ("amount_fen",),
}


# -- export ----------------------------------------------------------------------------------
def export_data(led: Ledger, *, redact: bool = False) -> dict[str, Any]:
    """Every fact of the ledger as one JSON-ready object (one consistent read)."""
    from depositctl import __version__

    db = led.db
    conn = db.conn
    conn.execute("BEGIN")  # one snapshot, even while another process writes
    try:
        profile = list(db.query("SELECT * FROM profile WHERE id = 1"))
        tables = {
            t: list(db.query(f'SELECT * FROM "{t}" ORDER BY "{ORDER.get(t, "id")}"'))
            for t in TABLES
        }
    finally:
        conn.execute("COMMIT")
    for table, rows in (("profile", profile), *tables.items()):
        for row in rows:
            if any(isinstance(v, bytes | float) for v in row.values()):
                raise UserError(
                    N_(
                        "Row {id} of table {table} holds a value depositctl cannot read "
                        "(changed outside depositctl?); run depositctl check"
                    ),
                    table=table,
                    id=row.get("id", row.get("key")),
                )
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "redacted": redact,
        "history_head": tables["history"][-1]["hash"] if tables["history"] else None,
        "profile": {k: v for k, v in profile[0].items() if k != "id"} if profile else None,
        **tables,
    }
    return redact_data(data) if redact else data


def _private_write(path: Path, write: Any) -> None:
    """Write `path` the one way every output file is written (store.outfile)."""
    from depositctl.store.outfile import output_file, private_mkdir

    path = path.expanduser()
    private_mkdir(path.parent if str(path.parent) else Path("."))
    with output_file(path) as raw:
        fh = io.TextIOWrapper(
            raw, encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8", newline=""
        )
        write(fh)
        fh.flush()
        fh.detach()


def write_json(data: Mapping[str, Any], path: Path) -> None:
    _private_write(path, lambda fh: fh.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n"))


def _yuan(fen: Any) -> str | None:
    from depositctl.core.money import fmt, from_fen

    return None if fen is None else fmt(from_fen(int(fen)))


_FORMULA = re.compile(r"^[=@\t\r]|^[+-].*[^0-9 .()+-]")


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def write_csv(
    data: Mapping[str, Any],
    folder: Path,
    title: Callable[[str, str], str] = lambda _table, column: column,
) -> list[Path]:
    """One CSV per table, UTF-8 with BOM (Excel and WPS then read Chinese correctly);
    `title(table, column)` is a column's header (default: its name)."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UserError(N_("Not a folder: {path}"), path=str(folder))
    try:
        from depositctl.store.outfile import private_mkdir

        private_mkdir(folder)
    except OSError as exc:
        raise UserError(
            N_("Cannot write {path}: {reason}"), path=str(folder), reason=exc.strerror
        ) from None
    written = []
    sheets: dict[str, list[dict[str, Any]]] = {
        "profile": [data["profile"]] if data.get("profile") else [],
        **{t: list(data[t]) for t in TABLES if data[t] or t not in CSV_IF_ANY},
    }
    for table, rows in sheets.items():
        header = _header(table, rows)
        out_rows = []
        for r in rows:
            row = dict(r)
            for col in FEN_COLUMNS.get(table, ()):
                row[col.removesuffix("_fen")] = _yuan(row.get(col))
            out_rows.append([_cell(row.get(c)) for c in header])

        titles = [title(table, c) for c in header]

        def write(
            fh: Any, header: list[str] = titles, out_rows: list[list[Any]] = out_rows
        ) -> None:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(out_rows)

        path = folder / f"{table}.csv"
        _private_write(path, write)
        written.append(path)
    return written


def _header(table: str, rows: list[dict[str, Any]]) -> list[str]:
    cols: list[str] = list(rows[0]) if rows else list(PROFILE_FIELDS if table == "profile" else [])
    out: list[str] = []
    for c in cols:
        out.append(c)
        if c in FEN_COLUMNS.get(table, ()):
            out.append(c.removesuffix("_fen"))
    return out


# -- redaction -------------------------------------------------------------------------------
_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
#: The 15-digit ID numbers issued before 1999 (a two-digit year).
_ID15 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
#: Any other run of 11 or more digits (a bank account, a licence number).
_LONG_NUMBER = re.compile(r"(?<!\d)\d{11,}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PATTERNS = (_ID, _ID15, _MOBILE, _LANDLINE, _LONG_NUMBER)
#: Full-width digits and signs read as ASCII before the patterns run (１３８… is a phone).
_WIDE = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)} | {"＋": "+", "－": "-", "＠": "@"}
)

#: Fields masked whatever they hold, by how: numbers keep their first 3 and last 4
#: characters, names their first character, addresses their first 3 characters (the
#: province), emails their first character and the top-level domain.
NUMBER_FIELDS = (
    "phone",
    "id_number",
    "agent_phone",
    "payee_account",
    "merchant_no",
    "business_licence",
)
NAME_FIELDS = ("agent_name", "to_whom", "business_name")
MASKED = {
    "profile": (*NUMBER_FIELDS, *NAME_FIELDS, "name", "address", "email"),
    "cases": NUMBER_FIELDS + NAME_FIELDS,
    "contacts": NUMBER_FIELDS + NAME_FIELDS,
}


def mask(text: str, head: int = 3, tail: int = 4) -> str:
    """Keep the first `head` and last `tail` digits: 13812345678 -> 138****5678."""
    digits = [i for i, ch in enumerate(text) if ch.isalnum()]
    if len(digits) <= head + tail:
        keep: set[int] = set(digits[:1])
    else:
        keep = set(digits[:head] + digits[len(digits) - tail :])
    return "".join(ch if (i in keep or not ch.isalnum()) else "*" for i, ch in enumerate(text))


def _keep_head(text: str, head: int) -> str:
    return "".join(ch if i < head or ch.isspace() else "*" for i, ch in enumerate(text))


def _mask_email(text: str) -> str:
    tld = text.rsplit(".", 1)[-1] if "." in text.split("@")[-1] else ""
    return (text[:1] + "***@***" + ("." + tld if tld else "")) if "@" in text else "***"


def mask_field(field: str, value: str) -> str:
    if field in NUMBER_FIELDS:
        return mask(value.translate(_WIDE))
    if field == "address":
        return _keep_head(value, 3)
    if field == "email":
        return _mask_email(value)
    return _keep_head(value, 1)


def redact_text(text: str, known: Mapping[str, str] | None = None) -> str:
    """Mask, wherever they appear in free text: the values of masked fields (`known`:
    value -> its mask), ID numbers (18 and 15 digits), mobiles, landlines with or
    without a separator, other runs of 11 or more digits, and emails; full-width digits
    are read as ASCII first."""
    for value, masked in (known or {}).items():
        if value in text:
            text = text.replace(value, masked)
    text = text.translate(_WIDE)
    text = _EMAIL.sub(lambda m: _mask_email(m.group(0)), text)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: mask(m.group(0)), text)
    return text


def _known(data: Mapping[str, Any]) -> dict[str, str]:
    """Every masked field's value in the export (rows and history), longest first."""
    found: dict[str, str] = {}

    def add(field: str, value: Any) -> None:
        if isinstance(value, str) and len(value.strip()) >= 2:
            found[value] = mask_field(field, value)
            found[value.translate(_WIDE)] = mask_field(field, value)

    for field, value in (data.get("profile") or {}).items():
        if field in MASKED["profile"]:
            add(field, value)
    for table in ("cases", "contacts"):
        for row in data.get(table, ()):
            for field in MASKED[table]:
                add(field, row.get(field))
    for h in data.get("history", ()):
        try:
            changes = json.loads(h.get("changes") or "{}")
        except ValueError:
            continue
        if isinstance(changes, dict):
            for field in MASKED["cases"] + MASKED["contacts"]:
                value = changes.get(field)
                for v in value if isinstance(value, list) else [value]:
                    add(field, v)
    return dict(sorted(found.items(), key=lambda kv: -len(kv[0])))


def _redact_value(
    fields: tuple[str, ...], key: str | None, value: Any, known: Mapping[str, str]
) -> Any:
    if isinstance(value, str):
        return mask_field(key, value) if key in fields else redact_text(value, known)
    if isinstance(value, list):
        return [_redact_value(fields, key, v, known) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(fields, k, v, known) for k, v in value.items()}
    return value


def redact_data(data: dict[str, Any]) -> dict[str, Any]:
    """The export with personal data masked and nothing computed from what it hides:
    the history's hashes and the profile digest are removed (with them, a masked phone
    number is found among 10,000 candidates in seconds). Such a file cannot be imported."""
    known = _known(data)
    out = dict(data)
    out["history_head"] = None
    out["redaction"] = {
        "hashes": "removed",
        "masked_fields": {t: list(f) for t, f in MASKED.items()},
        "masked_patterns": [
            "ID numbers (18 and 15 digits)",
            "mobile and landline numbers",
            "runs of 11 or more digits",
            "emails",
            "every masked field's value",
        ],
    }
    if data.get("profile"):
        out["profile"] = _redact_value(MASKED["profile"], None, data["profile"], known)
    for table in TABLES:
        fields = MASKED.get(table, ())
        rows = []
        for row in data[table]:
            r = {k: _redact_value(fields, k, v, known) for k, v in row.items() if k != "changes"}
            if table == "history":
                r["hash"] = r["prev_hash"] = None
            if "changes" in row:
                try:
                    changes = json.loads(row["changes"])
                except ValueError:
                    changes = row["changes"]
                if isinstance(changes, dict):
                    changes.pop("digest", None)  # a profile digest could be brute-forced
                keys = MASKED["cases"] + MASKED["contacts"]
                r["changes"] = json.dumps(
                    _redact_value(keys, None, changes, known), ensure_ascii=False
                )
            rows.append(r)
        out[table] = rows
    return out


# -- import ----------------------------------------------------------------------------------
@dataclass
class ImportResult:
    cases: int
    history: int
    copied: int
    missing: int


#: Rows read, checked and written to the scratch database at a time.
BATCH = 2000
#: Characters read from the file at a time (more while one value is longer).
CHUNK = 1 << 16
#: The longest single value (one row, one history entry) an export may hold, so a
#: hostile file (a string that never ends) is refused instead of read whole.
MAX_VALUE = 128 << 20
#: Cases loaded and evaluated at a time when an import checks that every case reads.
VERIFY_CASES = 100
#: Members of the export that are not tables: written before the first table.
SECTIONS = ("profile", *TABLES)
#: What is read before the first table (export writes them first).
HEADER = ("format", "format_version", "schema_version", "redacted")


class _JsonMembers:
    """An incremental reader of a JSON object's members, over a text file (stdlib only:
    `json.JSONDecoder.raw_decode` over a window of the file). Each member's value is
    decoded whole, except the arrays of `SECTIONS`, whose elements come one at a time;
    what is held is the window, about as long as the longest single row."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        held = len(self.buf) - self.pos
        if held > MAX_VALUE:
            raise ValueError("a value longer than the limit")
        chunk = self.fh.read(max(CHUNK, held))
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in " \t\n\r":
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self._more():  # the value goes on in the next chunk
                    continue
                raise
            if end == len(self.buf) and self._more():  # a number may go on
                continue
            self.pos = end
            return value

    def members(self) -> Iterator[tuple[str, str, Any]]:
        """("value", key, value) for each member; for an array of `SECTIONS`,
        ("row", key, element) for each element and ("end", key, None) after the last."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
        else:
            while True:
                key = self.value()
                if not isinstance(key, str):
                    raise ValueError("a key that is not a string")
                self.take(":")
                if key in SECTIONS and self.peek() == "[":
                    self.pos += 1
                    if self.peek() == "]":
                        self.pos += 1
                    else:
                        while True:
                            yield "row", key, self.value()
                            if self.peek() == "]":
                                self.pos += 1
                                break
                            self.take(",")
                    yield "end", key, None
                else:
                    yield "value", key, self.value()
                if self.peek() == "}":
                    self.pos += 1
                    break
                self.take(",")
        if self.peek() != "":
            raise ValueError("more after the object")


def _check_header(header: Mapping[str, Any], path: Path) -> None:
    """The export's format, versions and redaction (read before its first table)."""
    if header.get("format") != FORMAT:
        raise UserError(N_("{path} is not a depositctl export"), path=str(path))
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise UserError(N_("{path} is not a depositctl export"), path=str(path))
    schema = header.get("schema_version")
    if version > FORMAT_VERSION or (isinstance(schema, int) and schema > SCHEMA_VERSION):
        raise UserError(
            N_(
                "{path} was written by a newer depositctl (export format {found}, this "
                "version reads {known}); upgrade depositctl"
            ),
            path=str(path),
            found=version,
            known=FORMAT_VERSION,
        )
    if header.get("redacted"):
        raise UserError(
            N_(
                "{path} is a redacted export (ID and phone numbers masked) and cannot be "
                "imported; use an export made without --redact"
            ),
            path=str(path),
        )


def _out_of_order(path: Path, late: Sequence[str]) -> UserError:
    """A header member after the first table: the file is read as it streams, and what
    it is (an export, of a version this reads, not redacted) is settled before any row."""
    return UserError(
        N_(
            "{path} has {members} after its tables; import reads the header (format, "
            "format_version, schema_version, redacted) before the tables, in the order "
            "depositctl export writes them: move those members to the top, or export again"
        ),
        path=str(path),
        members=", ".join(dict.fromkeys(late)),
    )


def _twice(path: Path, member: str) -> UserError:
    return UserError(
        N_("{path} is not a depositctl export: it holds the member {member} twice"),
        path=str(path),
        member=member[:40],
    )


def _bad(where: str, reason: str) -> UserError:
    return UserError(
        N_("The export cannot be imported: {where}: {reason}"), where=where, reason=reason
    )


def _check_row(where: str, row: Any, table: str, columns: Mapping[str, tuple[str, Any]]) -> None:
    """One row's fields against the ledger's columns and their types."""
    if not isinstance(row, dict):
        raise _bad(where, "not an object")
    for key, value in row.items():
        if key not in columns:
            raise _bad(where, f"unknown field {key}")
        ctype = columns[key][0]
        if value is None:
            continue
        ok = (
            isinstance(value, int) and not isinstance(value, bool)
            if ctype == "INTEGER"
            else isinstance(value, str)
        )
        if not ok:
            raise _bad(where, f"{key} has the wrong type")
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise _bad(where, f"{key} is out of range")
        if isinstance(value, str) and "\x00" in value:
            raise _bad(where, f"{key} holds a NUL character")
    if "id" in columns and table != "settings":
        rid = row.get("id")
        if not isinstance(rid, int) or isinstance(rid, bool) or rid < 1:
            raise _bad(where, "no id")


def _refuse_bad_values(bad: list[BadValue]) -> None:
    if not bad:
        return
    wrong = bad[0]
    why = {
        "value": "a value the CLI refuses (out of range, not a date, or not one of its words)",
        "text": "text the CLI refuses (control, bidi or zero-width characters, line "
        "breaks, or too long)",
        "case": "points to a row of another case",
        "id": f"beyond {MAX_ID}",
    }[wrong.why if not (wrong.field == "id" and wrong.why == "value") else "id"]
    raise _bad(f"{wrong.table} {wrong.row}", f"{wrong.field}: {why}")


def _scratch() -> sqlite3.Connection:
    """A private scratch database with the ledger's tables: SQLite's anonymous temporary
    file (`connect("")`), unlinked by SQLite as it is opened, so it is gone when the
    connection closes, even after kill -9; only its page cache is held in memory."""
    from sqlite_utils import Database

    from depositctl.store.migrations import migrations

    conn = sqlite3.connect("")
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    migrations.apply(Database(conn, execute_plugins=False))
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:  # the derived cache's: nothing to mark here
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.commit()
    return conn


def _stage_rows(conn: sqlite3.Connection, table: str, batch: list[dict[str, Any]]) -> None:
    """Check a batch of one table's rows as the CLI would (`row_problems`) and store them."""
    if table != "history":
        _refuse_bad_values(row_problems({table: batch}))
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in batch:
        groups.setdefault(tuple(row), []).append(row)
    for cols, rows in groups.items():
        names = ", ".join('"' + c + '"' for c in cols)  # checked against the table's columns
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})'
        try:
            conn.executemany(sql, (tuple(r.values()) for r in rows))
        except sqlite3.IntegrityError as exc:
            raise _bad(table, str(exc)) from None
    batch.clear()


def _stage(path: Path, conn: sqlite3.Connection) -> dict[str, Any]:
    """Read the export file into the scratch database, row by row, checking each row's
    types and values; returns the header (format, versions, `exported_at`, ...)."""
    columns = {t: table_columns(conn, t) for t in SECTIONS}
    header: dict[str, Any] = {}
    seen: set[str] = set()
    checked = False
    batch: list[dict[str, Any]] = []
    number = 0
    not_json = UserError(N_("{path} is not a depositctl export (not a JSON file)"), path=str(path))
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise UserError(N_("No such file: {path}"), path=str(path)) from None
    except IsADirectoryError:
        raise UserError(N_("That is a folder, not a file: {path}"), path=str(path)) from None
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    try:
        with fh:
            reader = _JsonMembers(fh)
            if reader.peek() != "{":
                reader.value()  # JSON, but not an object: not an export
                if reader.peek() != "":
                    raise ValueError("more after the value")
                raise UserError(N_("{path} is not a depositctl export"), path=str(path))
            members = reader.members()
            for kind, key, item in members:
                if key not in SECTIONS:
                    if key in header:
                        raise _twice(path, key)
                    if checked and key in HEADER:
                        raise _out_of_order(path, [key])
                    header[key] = item
                    if key == "format" and item != FORMAT:
                        _check_header(header, path)
                    continue
                if not checked:
                    if "format" not in header or "format_version" not in header:
                        # They may come later (rows are read, not kept): then say so.
                        late = {k: v for d, k, v in members if d == "value" and k in HEADER}
                        if late and {**late, **header}.get("format") == FORMAT:
                            raise _out_of_order(path, list(late))
                    _check_header(header, path)
                    checked = True
                if kind != "row" and key in seen:
                    raise _twice(path, key)
                if kind == "value":
                    seen.add(key)
                    if item is None:
                        continue
                    if key == "profile" and isinstance(item, dict):
                        item = {**item, "id": 1}
                        _check_row(key, item, key, columns[key])
                        _stage_rows(conn, key, [item])
                        continue
                    raise _bad(key, "not a list")
                if kind == "row":
                    number += 1
                    _check_row(f"{key} {number}", item, key, columns[key])
                    batch.append(item)
                    if len(batch) >= BATCH:
                        _stage_rows(conn, key, batch)
                    continue
                seen.add(key)  # "end"
                _stage_rows(conn, key, batch)
                number = 0
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise not_json from None
    if not checked:
        _check_header(header, path)
    conn.commit()
    return header


def _dicts(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()
) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _verify_staged(conn: sqlite3.Connection) -> None:
    """The staged rows' links, hash chain and facts (their replay), case by case: what
    is held at once is one case's rows and history."""
    _refuse_bad_values(
        [
            BadValue(table, rid, cid, link, "case")
            for table, link, sql in (
                (
                    "evidence",
                    "contact_id",
                    "SELECT e.id, e.case_id FROM evidence e JOIN contacts c "
                    "ON c.id = e.contact_id WHERE c.case_id IS NOT e.case_id",
                ),
                (
                    "statement_rows",
                    "progress_id",
                    "SELECT s.row_key, s.case_id FROM statement_rows s JOIN progress p "
                    "ON p.id = s.progress_id WHERE p.case_id IS NOT s.case_id",
                ),
            )
            for rid, cid in conn.execute(sql + " LIMIT 1")
        ]
    )
    if chain_problems(_dicts(conn, "SELECT * FROM history ORDER BY id")):
        raise UserError(
            N_(
                "The export's history does not verify (its hash chain is broken): the file "
                "was changed after it was written"
            )
        )
    count, first = 0, None

    def note(found: list[Problem]) -> None:
        nonlocal count, first
        if found and first is None:
            first = found[0]
        count += len(found)

    columns = {t: table_columns(conn, t) for t in FACT_TABLES}
    ledger_wide = list(_dicts(conn, "SELECT * FROM history WHERE case_id IS NULL ORDER BY id"))
    profile = list(_dicts(conn, "SELECT * FROM profile WHERE id = 1"))
    settings = {str(k): v for k, v in conn.execute("SELECT key, value FROM settings")}
    note(replay_problems(ledger_wide, {}, columns, profile[0] if profile else None, settings))
    note(
        replay_providers(
            ledger_wide,
            _dicts(conn, "SELECT * FROM providers ORDER BY id"),
            _dicts(conn, "SELECT * FROM provider_aliases ORDER BY alias"),
        )
    )
    del ledger_wide
    case_ids = conn.cursor().execute(
        "SELECT id FROM cases UNION SELECT case_id FROM history WHERE case_id IS NOT NULL "
        + "".join(f"UNION SELECT case_id FROM {t} " for t in (*FACT_TABLES[1:], "statement_rows"))
        + "ORDER BY 1"
    )
    for (cid,) in case_ids:
        history = list(_dicts(conn, "SELECT * FROM history WHERE case_id = ? ORDER BY id", [cid]))
        tables = {
            t: _dicts(
                conn, f'SELECT * FROM "{t}" WHERE {"id" if t == "cases" else "case_id"} = ?', [cid]
            )
            for t in FACT_TABLES
        }
        note(replay_problems(history, tables, columns, None, {}))
        rows = _dicts(conn, "SELECT * FROM statement_rows WHERE case_id = ?", [cid])
        note(replay_statement_rows(history, rows))
    if first is not None:
        raise UserError(
            N_(
                "The export's facts do not match its history ({count} differences, the first "
                "in {where}): the file was changed after it was written, or the ledger it "
                "came from does not pass check"
            ),
            count=count,
            where=f"#{first.case_id}" if first.case_id is not None else "profile/settings",
        )


@dataclass
class StagedExport:
    """An export file read and verified into a scratch database (`staged_export`)."""

    conn: sqlite3.Connection
    header: dict[str, Any]
    file_name: str


@contextmanager
def staged_export(path: Path) -> Iterator[StagedExport]:
    """Read an export file and verify it (types, values, hash chain, facts) without a
    ledger, so a bad file never creates one. The file is read incrementally and its rows
    kept in a scratch database on disk, so memory does not grow with the file."""
    path = path.expanduser()
    conn = _scratch()
    try:
        header = _stage(path, conn)
        _verify_header(conn, header)
        _verify_staged(conn)
        yield StagedExport(conn, header, path.name)
    finally:
        conn.close()


#: The members of an export besides its tables (`export_data` writes them all).
KNOWN_HEADER = (*HEADER, "app_version", "exported_at", "history_head", "redaction")


def _verify_header(conn: sqlite3.Connection, header: Mapping[str, Any]) -> None:
    """What the header says about the rows, against them: its `history_head` is the hash
    of the last history entry (an export with its newest entries cut off, or a head
    edited, is refused), `exported_at` a date-time, and no member is unknown."""
    unknown = sorted(k for k in header if k not in KNOWN_HEADER)
    if unknown:
        raise _bad("header", f"unknown member {unknown[0][:40]!r}")
    at = header.get("exported_at")
    if at is not None:
        try:
            if not isinstance(at, str) or len(at) > 40:
                raise ValueError(at)
            datetime.fromisoformat(at)
        except ValueError:
            raise _bad("header", "exported_at is not a date and time") from None
    last = conn.execute("SELECT hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
    if header.get("history_head") != (last[0] if last else None):
        raise _bad(
            "header",
            "history_head is not the hash of the last history entry (entries removed or "
            "the head edited)",
        )


def _ledger_is_empty(led: Ledger) -> bool:
    db = led.db
    for table in ("cases", "history", "settings"):
        if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            return False
    profile = list(db.query("SELECT * FROM profile"))
    return not any(r.get(k) is not None for r in profile for k in PROFILE_FIELDS)


def _require_empty(led: Ledger) -> None:
    """Import never merges into a ledger that holds anything."""
    if not _ledger_is_empty(led):
        raise UserError(
            N_(
                "The ledger {path} already holds data; import only into an empty ledger "
                "(name a new file with --db)"
            ),
            path=str(led.path),
        )


def import_data(
    led: Ledger, staged: StagedExport, evidence_from: Path | None, today: date
) -> ImportResult:
    """Load a verified export (`staged_export`) into an empty ledger in one transaction,
    table by table in batches (a failure, or kill -9, leaves the ledger as it was)."""
    from depositctl.store.backup import copy_blobs

    src = staged.conn
    conn = led.db.conn
    _require_empty(led)
    shas = [str(r[0]) for r in src.execute("SELECT DISTINCT sha256 FROM evidence ORDER BY 1")]
    copied = 0
    if evidence_from is not None:  # content-addressed: a copy not used later is harmless
        copied, _missing = copy_blobs(_find_store(evidence_from), led.evidence_dir, shas)
    cases = src.execute("SELECT count(*) FROM cases").fetchone()[0]
    history = src.execute("SELECT count(*), max(id) FROM history").fetchone()
    head = src.execute("SELECT hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
    with led.atomic():
        _require_empty(led)  # again: another process may have written meanwhile
        conn.execute("DELETE FROM profile")
        for table in ("profile", *TABLES):
            _copy(src, conn, table)
        _verify_readable(led, today)
        led.log(
            None,
            "import",
            {
                "file": staged.file_name,
                "exported_at": staged.header.get("exported_at"),
                "cases": cases,
                "history_head": head[0] if head else None,
            },
        )
    from depositctl.store.evidence import blob_path

    missing = sum(1 for s in shas if not blob_path(led.evidence_dir, s).is_file())
    return ImportResult(cases, history[0], copied, missing)


def _copy(src: sqlite3.Connection, conn: sqlite3.Connection, table: str) -> None:
    """A table's staged rows into the ledger, `BATCH` at a time."""
    cursor = src.execute(f'SELECT * FROM "{table}" ORDER BY {ORDER.get(table, "id")}')
    cols = [d[0] for d in cursor.description]
    names = ", ".join('"' + c + '"' for c in cols)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})'
    while rows := cursor.fetchmany(BATCH):
        try:
            conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise _bad(table, str(exc)) from None


def _verify_readable(led: Ledger, today: date) -> None:
    """Every case must load and evaluate, as `status` and `show` will."""
    from depositctl.store.calendar import make_evaluator

    try:
        ev = make_evaluator(led, today)
        led.profile()
        last = 0
        while ids := [  # a hundred cases' facts at a time
            r[0]
            for r in led.db.execute(
                "SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ?", [last, VERIFY_CASES]
            )
        ]:
            for facts in led.all_facts(ids):
                ev(facts)
            last = ids[-1]
    except UserError:
        raise
    except Exception as exc:  # any unreadable value in the file: refuse it whole
        raise _bad("cases", f"a value depositctl cannot read ({type(exc).__name__})") from None


def _find_store(folder: Path) -> Path:
    """An evidence store: the folder itself, or its `evidence` subfolder."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise UserError(N_("Not a folder: {path}"), path=str(folder))
    sub = folder / "evidence"
    return sub if sub.is_dir() else folder
