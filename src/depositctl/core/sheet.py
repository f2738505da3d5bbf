"""A table out of a file's bytes: CSV/TSV text in the usual encodings, or an Excel workbook.

No I/O: the caller reads the file and passes its bytes. The kind is decided by content,
not by the file's name: a zip archive (`PK\\x03\\x04`) is read as an .xlsx workbook with
openpyxl, an OLE2 compound file (the old binary .xls) is refused with advice, anything
else is text. Every row keeps the number it has in the file (the line of a CSV record,
the row of a worksheet), so messages can name it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from depositctl.core.errors import N_, UserError

Cell = str | int | float | Decimal | datetime | date | time | bool | None

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Tried in this order; the caller keeps the first table in which it finds its header.
DELIMITERS = (",", "\t", ";", "|")


@dataclass(frozen=True)
class Row:
    line: int  # 1-based: the CSV line the record starts on, or the worksheet row
    cells: tuple[Cell, ...]  # trailing empty cells removed
    sheet: str | None = None  # the worksheet's name (None for text), so a cell can be named


def cell_name(row: Row, column: int) -> str:
    """A worksheet cell as Excel names it (`Sheet1!C5`) from its 0-based column."""
    letters, n = "", column + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    from depositctl.core.records import shown

    # The sheet's name is the file's: made safe to show as a stored text is (a bidi
    # control or an escape sequence in it never reaches the terminal).
    return f"{shown(row.sheet or '', multiline=False)}!{letters}{row.line}"


def blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def trimmed(cells: Sequence[Cell]) -> tuple[Cell, ...]:
    end = len(cells)
    while end and blank(cells[end - 1]):
        end -= 1
    return tuple(cells[:end])


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the usual exports of Chinese providers;
    UTF-16 when it starts with a byte-order mark (Excel's "Unicode text")."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(N_("The statement is neither UTF-8 nor GBK text"))


def records(lines: Iterable[str], delimiter: str) -> Iterator[Row]:
    """The records of delimited text, blank ones dropped, each with the line it starts on:
    the one CSV reader of every statement path. `lines` is the text as lines (a text file
    opened with universal newlines, so CR-only line ends, old Mac exports, are lines
    too); the caller does the reading. Strict: a quote opened and never closed is refused
    naming the line it opens on, not the rest of the file read silently as one cell (rows
    lost); a cell over the csv module's field limit is refused naming its line."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    try:
        for record in reader:
            cells = trimmed(record)
            if cells:
                yield Row(line=start, cells=cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UserError(
                N_("Statement line {line}: a cell is longer than {limit} characters"),
                line=reader.line_num,
                limit=f"{csv.field_size_limit():,}",
            ) from None
        if "unexpected end of data" in str(exc):
            raise UserError(
                N_(
                    'Statement line {line}: a quote (") opened there is never closed; '
                    "the rows after it would be lost"
                ),
                line=start,
            ) from None
        raise UserError(
            N_("Statement line {line}: {problem}"), line=reader.line_num, problem=str(exc)
        ) from None


def text_table(text: str, delimiter: str) -> list[Row]:
    """The records of delimited text already in memory (`records`)."""
    return list(records(io.StringIO(text, newline=None), delimiter))


def text_tables(text: str) -> Iterator[list[Row]]:
    """The text read with each usual delimiter in turn (comma first)."""
    for delimiter in DELIMITERS:
        yield text_table(text, delimiter)


def xlsx_tables(data: bytes) -> list[list[Row]]:
    """Each worksheet of an .xlsx workbook, cached values (not formulas), in sheet order."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [_sheet_rows(sheet) for sheet in book.worksheets]
        finally:
            book.close()
    except Exception as exc:  # a damaged archive or XML: zipfile, KeyError, openpyxl's own
        if _not_a_workbook(data):
            raise UserError(
                N_(
                    "This file is a zip archive but not a valid Excel file (.xlsx); "
                    "export the statement again as .xlsx or CSV"
                )
            ) from None
        raise UserError(N_("Cannot read the Excel statement: {reason}"), reason=exc) from None


def _not_a_workbook(data: bytes) -> bool:
    """A zip archive without the parts every .xlsx has."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return not {"[Content_Types].xml", "xl/workbook.xml"} <= names


def _sheet_rows(sheet: Any) -> list[Row]:
    # Exporters often write a wrong or missing <dimension>; read what is there instead.
    sheet.reset_dimensions()
    rows: list[Row] = []
    values: tuple[Cell, ...]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = trimmed(values)
        if cells:
            rows.append(Row(line=number, cells=cells, sheet=sheet.title))
    return rows


def tables(data: bytes) -> Iterator[list[Row]]:
    """Candidate tables of a statement file, by its content."""
    if data.startswith(XLSX_MAGIC):
        return iter(xlsx_tables(data))
    if data.startswith(XLS_MAGIC):
        raise UserError(
            N_(
                "This is an old Excel .xls file; open it and save it as .xlsx or CSV, then import that"
            )
        )
    return text_tables(decode(data))
