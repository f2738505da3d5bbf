"""Reading a provider's transaction statement: one row per sale or cancellation.

The file (CSV/TSV text in UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16, or an .xlsx
workbook; see `core.sheet`) has a header row naming at least a date and an amount column;
lines before the header (an export's preamble) are passed over, and of a workbook the
first worksheet with such a header is read. Every data row must parse, or the whole file
is refused with a message naming its line. Two columns that both read as the amount are
refused (naming both), not the first taken; an empty amount cell of a worksheet (openpyxl's
reading of a formula whose result was never saved) is refused naming the cell. The
reference, the one text a row stores, is held to the checks of typed text
(core.inputs): control, line-break, bidi and zero-width characters refuse the file.

Cancellations. A row cancels (reduces the volume by its amount) when its amount is
negative, or when a type or description column (交易类型, 摘要, 备注, ...) contains 撤销,
撤消, 冲正, 退货 or 退款 (or refund, reversal, cancel, void): then the amount is subtracted
even when it is written positive. A status column (交易状态 "已退款") is not read, since
the refund then has a row of its own. Rows with a zero amount count for nothing
(`Statement.skipped`). Per day, the volume is the net sum and the count is sales minus
cancellations, never below zero; a day that nets to nothing is left out of `days`.

Row identity. Each row gets a `key` so that a row imported once for a case is never
counted again, from whatever file it comes next:

    key = "DATE|AMOUNT|DISCRIMINATOR|N"

- DATE is the ISO date, AMOUNT the signed amount in yuan with two decimals (a
  cancellation is negative, so it never shares a key with the sale it cancels).
- DISCRIMINATOR is `ref:` and the row's reference when the file has a reference column
  (交易参考号, 参考号, 交易流水号, 流水号, 订单号, 凭证号, reference, ...; the first of these
  found, see REFERENCE_HEADERS) and the cell is not empty; else `time:HH:MM:SS` when the
  row has a time of day (in the date cell, or in a separate 交易时间/time column); else
  empty.
- N is the occurrence index: 0 for the first row of this file with the same DATE, AMOUNT
  and DISCRIMINATOR, 1 for the second, and so on. Two identical rows without a reference
  or time are two sales (a shop sells the same item twice a day), so they get two keys;
  importing the same file again gives the same two keys, and both are skipped.

Everything in the key is the parsed value, never the spelling: encoding, delimiter,
column order, `¥1,000.00` against `1000`, `2025/3/5` against `2025-03-05`, an Excel date
cell against text, all give the same key. What the key cannot bridge: an export with a
reference column against one of the same sales without it (the discriminators differ),
and, for rows with neither reference nor time, a later file that holds only part of a
day an earlier file also held (the occurrence indexes then count different rows).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, islice
from typing import NamedTuple, NoReturn

from depositctl.core.dates import parse_date
from depositctl.core.errors import N_, UserError
from depositctl.core.inputs import _bad_char
from depositctl.core.money import CENT, parse_money
from depositctl.core.sheet import Cell, Row, blank, cell_name, decode, tables, text_tables

__all__ = [
    "DayTotal",
    "Entry",
    "NewRows",
    "Statement",
    "StatementRow",
    "StatementScan",
    "day_totals",
    "decode",
    "new_rows",
    "parse_statement",
    "read_statement",
]

DATE_HEADERS = ("date", "日期", "交易日期", "交易时间", "时间", "transaction date")
AMOUNT_HEADERS = (
    "amount",
    "金额",
    "交易金额",
    "金额(元)",
    "交易金额(元)",
    "消费金额",
    "订单金额",
    "transaction amount",
)
TIME_HEADERS = ("交易时间", "时间", "交易时刻", "time", "transaction time")
REFERENCE_HEADERS = (
    "交易参考号",
    "系统参考号",
    "检索参考号",
    "参考号",
    "交易流水号",
    "流水号",
    "交易单号",
    "订单号",
    "商户订单号",
    "交易订单号",
    "凭证号",
    "reference",
    "reference no",
    "reference number",
    "ref",
    "ref no",
    "rrn",
    "serial no",
    "serial number",
    "transaction id",
    "order id",
    "order no",
)
KIND_HEADERS = (
    "交易类型",
    "类型",
    "业务类型",
    "交易名称",
    "交易描述",
    "摘要",
    "备注",
    "说明",
    "描述",
    "type",
    "transaction type",
    "description",
    "memo",
    "remark",
    "remarks",
)
CANCEL_WORDS = ("撤销", "撤消", "冲正", "退货", "退款", "refund", "reversal", "cancel", "void")
HEADER_SEARCH_ROWS = 50  # an export's preamble is shorter than this
#: A row whose date cell says one of these sums the rows above it (Excel exports end with
#: one): skipped and counted, never read as a sale.
TOTAL_WORDS = ("合计", "总计", "小计", "汇总", "总额", "合 计", "总 计", "total", "subtotal", "sum")
#: The most one day of a statement may add up to (yuan, either sign): ten trillion yuan,
#: far beyond any terminal and well inside what the ledger stores (fen in 64 bits).
MAX_DAY_VOLUME = Decimal("1e13")

_MINUS = re.compile(r"^[^\d]*-")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_COMPACT_TIME = re.compile(r"^(\d{2})(\d{2})(\d{2})$")
_COMPACT_DATETIME = re.compile(r"^(\d{8})(\d{6})$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (the 1900 leap-year bug included)


@dataclass(frozen=True)
class StatementRow:
    line: int  # the row's line (CSV) or row number (worksheet), for messages
    on: date
    amount: Decimal  # what the row adds to the volume: negative when it cancels
    key: str  # the row's identity, see the module docstring
    cancels: bool


@dataclass(frozen=True)
class DayTotal:
    on: date
    volume: Decimal  # net of cancellations; negative when a day refunds earlier sales
    count: int  # sales minus cancellations, never below 0


def day_totals(rows: Iterable[StatementRow]) -> tuple[DayTotal, ...]:
    """Net volume and count per day, in date order; days that net to nothing are left out."""
    volume: dict[date, Decimal] = {}
    sales: Counter[date] = Counter()
    cancellations: Counter[date] = Counter()
    for r in rows:
        volume[r.on] = volume.get(r.on, Decimal("0.00")) + r.amount
        (cancellations if r.cancels else sales)[r.on] += 1
    days = (
        DayTotal(on=d, volume=v, count=max(0, sales[d] - cancellations[d]))
        for d, v in sorted(volume.items())
    )
    return tuple(d for d in days if d.volume or d.count)


@dataclass(frozen=True)
class _Rows:
    """Statement rows, with their day totals and cancellations computed from them."""

    rows: tuple[StatementRow, ...]

    @property
    def days(self) -> tuple[DayTotal, ...]:
        return day_totals(self.rows)

    @property
    def cancellations(self) -> int:
        return sum(r.cancels for r in self.rows)


@dataclass(frozen=True)
class Statement(_Rows):
    """Every sale and cancellation of a file, in file order."""

    skipped: int  # rows with a zero amount, which count for nothing
    totals: int = 0  # total rows (合计) at the end of an export, which sum the others


@dataclass(frozen=True)
class NewRows(_Rows):
    """The rows of a statement not yet imported for a case."""

    already_imported: int  # rows skipped because their key was seen before


def new_rows(statement: Statement, seen_keys: Collection[str]) -> NewRows:
    """Leave out the rows whose key is in `seen_keys` (the keys already imported for the case)."""
    fresh = tuple(r for r in statement.rows if r.key not in seen_keys)
    return NewRows(rows=fresh, already_imported=len(statement.rows) - len(fresh))


# -- cells ----------------------------------------------------------------------------------
def _text(cell: Cell) -> str:
    """A cell as clean text: NFKC, trimmed, without Excel's text guards (`="0012"`, `'0012`)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, date | time):
        cell = cell.isoformat()
    s = unicodedata.normalize("NFKC", str(cell)).replace("\ufeff", "").strip()
    if s.startswith('="') and s.endswith('"') and len(s) >= 3:
        s = s[2:-1].strip()
    return s.lstrip("'").strip()


def _header_name(cell: Cell) -> str:
    return _text(cell).lower()


def _clock(text: str) -> time | None:
    s = text.strip()
    m = _TIME.match(s) or _COMPACT_TIME.match(s)
    if not m:
        return None
    h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 23 or mi > 59 or sec > 59:
        return None
    return time(h, mi, sec)


def _serial(value: float) -> datetime | None:
    """An Excel serial date-time (1900 system), or None when it cannot be one."""
    if not 1 <= value < 2958466:
        return None
    seconds = round((value - int(value)) * 86400)
    return datetime.combine(_EXCEL_EPOCH + timedelta(days=int(value)), time()) + timedelta(
        seconds=seconds
    )


def _date_time(cell: Cell, today: date) -> tuple[date, time | None]:
    """The date and, when the cell has one, the time of day (midnight counts as none)."""
    what = N_("transaction date")
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        when = _serial(float(cell))
        if when is None:
            raise UserError(
                N_("Not a date: {text} (write it like 2025-03-05, 2025/3/5 or 2025年3月5日)"),
                text=_text(cell),
            )
        cell = when
    if isinstance(cell, datetime):
        on = parse_date(cell.date().isoformat(), today=today, what=what)
        return on, _no_midnight(cell.time())
    if isinstance(cell, date):
        return parse_date(cell.isoformat(), today=today, what=what), None
    s = _text(cell)
    m = _COMPACT_DATETIME.match(s)
    if m:
        date_part, time_part = m.group(1), m.group(2)
    else:
        date_part, _, time_part = s.replace("T", " ").partition(" ")
    return parse_date(date_part, today=today, what=what), _no_midnight(_clock(time_part))


def _no_midnight(at: time | None) -> time | None:
    # An Excel date cell is a date-time at midnight: midnight says no more than "no time".
    at = at.replace(microsecond=0) if at is not None else None
    return None if at == time() else at


def _time_of(cell: Cell) -> time | None:
    """The time of day in a separate time column (text, a time, a datetime or a fraction)."""
    if isinstance(cell, datetime):
        return _no_midnight(cell.time())
    if isinstance(cell, time):
        return _no_midnight(cell)
    if isinstance(cell, float) and 0 <= cell < 1:
        when = _serial(1 + cell)
        return _no_midnight(when.time()) if when else None
    if isinstance(cell, int) and not isinstance(cell, bool):
        return _no_midnight(_clock(f"{cell:06d}"))
    s = _text(cell).replace("T", " ")
    return _no_midnight(_clock(s.rpartition(" ")[2]))


def _amount(cell: Cell) -> tuple[Decimal, bool]:
    """The amount's size (at most two decimals) and whether it is negative."""
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        value = Decimal(str(cell)) if isinstance(cell, float) else Decimal(cell)
        if value.is_finite() and abs(value) < Decimal("1e13"):
            value = value.quantize(CENT, rounding=ROUND_HALF_UP)  # a float's binary noise
        negative = value.is_signed() and value != 0
        text = f"{abs(value):f}" if value.is_finite() else str(cell)
        return parse_money(text, allow_zero=True), negative
    s = _text(cell).replace(" ", "").replace("\u2212", "-")
    negative = bool(_MINUS.match(s))
    if negative:
        s = s.replace("-", "", 1)
    elif s.startswith("+"):
        s = s[1:]
    return parse_money(s, allow_zero=True), negative


# -- columns --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Columns:
    date: int
    amount: int
    time: int | None
    reference: int | None
    kinds: tuple[int, ...]


def _find(names: list[str], wanted: str | None, candidates: tuple[str, ...]) -> int | None:
    if wanted is not None:
        w = _header_name(wanted)
        return names.index(w) if w in names else None
    for c in candidates:
        if c in names:
            return names.index(c)
    return None


def _columns(
    header: tuple[Cell, ...],
    date_column: str | None,
    amount_column: str | None,
    reference_column: str | None,
) -> _Columns | None:
    """The columns of a header row, or None when it is not the header (a preamble line)."""
    names = [_header_name(h) for h in header]
    di = _find(names, date_column, DATE_HEADERS)
    ai = _find(names, amount_column, AMOUNT_HEADERS)
    ri = _find(names, reference_column, REFERENCE_HEADERS)
    if di is None or ai is None or (ri is None and reference_column is not None):
        return None
    wanted = (_header_name(amount_column),) if amount_column is not None else AMOUNT_HEADERS
    amounts = [i for i, n in enumerate(names) if n in wanted]
    if len(amounts) > 1 and amount_column is not None:  # naming it again cannot help
        raise UserError(
            N_(
                "The statement has {count} columns named {name} ({columns}); rename all "
                "but the amount to read in the file's header and import it again"
            ),
            count=len(amounts),
            name=amount_column,
            columns=", ".join(f"{i + 1}: {_text(header[i])}" for i in amounts),
        )
    if len(amounts) > 1:  # taking the first would be a guess: which one is the sale?
        raise UserError(
            N_(
                "The statement has {count} amount columns ({columns}); name the one to "
                "read with --amount-column"
            ),
            count=len(amounts),
            columns=", ".join(f"{i + 1}: {_text(header[i])}" for i in amounts),
        )
    used = {di, ai, ri}
    times = [i for i, n in enumerate(names) if n in TIME_HEADERS and i not in used]
    kinds = tuple(i for i, n in enumerate(names) if n in KIND_HEADERS and i not in used)
    return _Columns(date=di, amount=ai, time=times[0] if times else None, reference=ri, kinds=kinds)


def _refuse_header(
    header: tuple[Cell, ...],
    date_column: str | None,
    amount_column: str | None,
    reference_column: str | None,
) -> NoReturn:
    """Say which column the (first) header row lacks."""
    names = [_header_name(h) for h in header]
    for what, wanted, candidates in (
        ("date", date_column, DATE_HEADERS),
        ("amount", amount_column, AMOUNT_HEADERS),
        ("reference", reference_column, REFERENCE_HEADERS),
    ):
        if _find(names, wanted, candidates) is not None or (what == "reference" and not wanted):
            continue
        if wanted is not None:
            raise UserError(N_("The statement has no column {name}"), name=wanted)
        raise UserError(
            N_(
                "Cannot find the {what} column in the statement (columns: {columns}); name it with --{what}-column"
            ),
            what=what,
            columns=", ".join(_text(h) for h in header),
        )
    raise AssertionError("the header was recognised")  # pragma: no cover


def _locate(
    candidates: Iterable[Iterable[Row]],
    date_column: str | None,
    amount_column: str | None,
    reference_column: str | None,
) -> tuple[Row, Iterator[Row], _Columns]:
    """The header row of the first table that has a recognisable one within its first
    `HEADER_SEARCH_ROWS` rows, the rows after it (read on demand) and its columns.

    Without one, the first row of the first table is taken as the header, so that the
    message names the columns it has.
    """
    first: list[Row] | None = None
    for table in candidates:
        rows = iter(table)
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        if first is None:
            first = head
        for i, row in enumerate(head):
            cols = _columns(row.cells, date_column, amount_column, reference_column)
            if cols is not None:
                return row, chain(head[i + 1 :], rows), cols
        close = getattr(rows, "close", None)
        if close is not None:  # a reader over a file: let it go
            close()
    if not first or len(first) < 2:
        raise UserError(N_("The statement has no rows"))
    _refuse_header(first[0].cells, date_column, amount_column, reference_column)


# -- parsing --------------------------------------------------------------------------------
def _cell(cells: tuple[Cell, ...], i: int | None) -> Cell:
    return cells[i] if i is not None and i < len(cells) else None


class Entry(NamedTuple):
    """A statement row before its occurrence index: `key` is `base|N` (module docstring)."""

    line: int
    on: date
    amount: Decimal
    base: str
    cancels: bool


class StatementScan:
    """A statement read one row at a time, so that nothing but the rows asked for (and
    a sum per day) is held: `entries()` yields each sale and cancellation in file order
    without its occurrence index (a caller holding millions of rows numbers them
    itself), iterating yields `StatementRow`s numbered here. `skipped` and `totals` are
    complete once the iteration has ended. Any malformed row raises (UserError naming
    its line) when it is reached."""

    def __init__(
        self,
        candidates: Iterable[Iterable[Row]],
        today: date,
        date_column: str | None = None,
        amount_column: str | None = None,
        reference_column: str | None = None,
    ) -> None:
        self._candidates = candidates
        self._today = today
        self._names = (date_column, amount_column, reference_column)
        self.skipped = 0  # rows with a zero amount, which count for nothing
        self.totals = 0  # total rows (合计) at the end of an export

    def __iter__(self) -> Iterator[StatementRow]:
        occurrences: Counter[str] = Counter()
        for e in self.entries():
            key = f"{e.base}|{occurrences[e.base]}"
            occurrences[e.base] += 1
            yield StatementRow(line=e.line, on=e.on, amount=e.amount, key=key, cancels=e.cancels)

    def entries(self) -> Iterator[Entry]:
        header, body, cols = _locate(self._candidates, *self._names)
        today = self._today
        width = len(header.cells)
        per_day: dict[date, Decimal] = {}
        any_row = any_entry = False
        for row in body:
            any_row = True
            line, cells = row.line, row.cells
            if _is_total(cells, cols.date):
                self.totals += 1
                continue
            if len(cells) > width:
                raise UserError(
                    N_(
                        "Statement line {line}: {cells} cells but the header has {columns} columns (put an amount like 1,000 in quotes)"
                    ),
                    line=line,
                    cells=len(cells),
                    columns=width,
                )
            if row.sheet is not None and blank(_cell(cells, cols.amount)):
                # openpyxl reads a formula whose result was never saved (a workbook
                # written by a program, not by Excel) as an empty cell.
                raise UserError(
                    N_(
                        "Statement line {line}: the amount cell {cell} holds no value (it is "
                        "empty, or a formula whose result was never saved); open the file in "
                        "Excel or LibreOffice, save it, and import it again"
                    ),
                    line=line,
                    cell=cell_name(row, cols.amount),
                )
            if max(cols.date, cols.amount) >= len(cells):
                raise UserError(N_("Statement line {line}: missing columns"), line=line)

            try:
                on, at_time = _date_time(cells[cols.date], today)
                size, negative = _amount(cells[cols.amount])
            except UserError as exc:
                raise UserError(
                    N_("Statement line {line}: {problem}"), line=line, problem=exc
                ) from None
            if size == 0:  # nothing happened (zero in any spelling)
                self.skipped += 1
                continue
            kinds = " ".join(_text(_cell(cells, i)).lower() for i in cols.kinds)
            cancels = negative or any(w in kinds for w in CANCEL_WORDS)
            amount = -size if cancels else size
            if at_time is None and cols.time is not None and not blank(_cell(cells, cols.time)):
                at_time = _time_of(_cell(cells, cols.time))
            reference = _text(_cell(cells, cols.reference))
            _check_reference(reference, line, header.cells, cols.reference)
            if reference:
                discriminator = f"ref:{reference}"
            elif at_time is not None:
                discriminator = f"time:{at_time.isoformat(timespec='seconds')}"
            else:
                discriminator = ""
            per_day[on] = per_day.get(on, Decimal(0)) + size
            if per_day[on] > MAX_DAY_VOLUME:
                raise UserError(
                    N_(
                        "Statement line {line}: the amounts of {date} add up to more than {most} "
                        "yuan, too large for the ledger"
                    ),
                    line=line,
                    date=on.isoformat(),
                    most=f"{MAX_DAY_VOLUME:,.0f}",
                )
            any_entry = True
            yield Entry(line, on, amount, f"{on.isoformat()}|{amount:f}|{discriminator}", cancels)
        if not any_row:
            raise UserError(N_("The statement has no rows"))
        if not any_entry:
            raise UserError(N_("The statement has no positive amounts"))


def _check_reference(
    reference: str, line: int, header: tuple[Cell, ...], column: int | None
) -> None:
    """A reference is stored (in the row's key) and shown: it must pass the checks of
    every typed text (core.inputs.check_text), or the file is refused naming the line,
    the column and the character, as a typed value would be."""
    if reference.isprintable():  # the common case: every refused character is not
        return
    for ch in reference:
        why = _bad_char(ch, multiline=False)
        if why is not None and column is not None:
            raise UserError(
                N_(
                    "Statement line {line}: the {column} column contains {what} (U+{code:04X}); "
                    "remove it and import again"
                ),
                line=line,
                column=_text(header[column]),
                what=why,
                code=ord(ch),
            )


def _parse(
    candidates: Iterable[Iterable[Row]],
    today: date,
    date_column: str | None,
    amount_column: str | None,
    reference_column: str | None,
) -> Statement:
    scan = StatementScan(candidates, today, date_column, amount_column, reference_column)
    rows = tuple(scan)
    return Statement(rows=rows, skipped=scan.skipped, totals=scan.totals)


def _is_total(cells: tuple[Cell, ...], date_at: int) -> bool:
    """A total row: its date cell (or, when that is empty, its first cell) says 合计."""
    cell = _cell(cells, date_at)
    if blank(cell):
        cell = cells[0] if cells else None
    text = _text(cell).strip().lower().rstrip(":：")
    return text in TOTAL_WORDS


def read_statement(
    data: bytes,
    today: date,
    date_column: str | None = None,
    amount_column: str | None = None,
    reference_column: str | None = None,
) -> Statement:
    """Parse a statement file's bytes: an .xlsx workbook (found by content) or delimited text.

    Any malformed row refuses the whole file (UserError naming the line).
    """
    return _parse(tables(data), today, date_column, amount_column, reference_column)


def parse_statement(
    text: str,
    today: date,
    date_column: str | None = None,
    amount_column: str | None = None,
    reference_column: str | None = None,
) -> Statement:
    """Parse a statement already decoded to text (CSV, TSV, `;`- or `|`-separated)."""
    return _parse(text_tables(text), today, date_column, amount_column, reference_column)
