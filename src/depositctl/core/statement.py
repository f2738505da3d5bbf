"""Reading a provider's transaction statement (CSV with a date and an amount column)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from depositctl.core.dates import parse_date
from depositctl.core.errors import N_, UserError
from depositctl.core.money import parse_money

DATE_HEADERS = ("date", "日期", "交易日期", "交易时间", "时间", "transaction date")
AMOUNT_HEADERS = (
    "amount",
    "金额",
    "交易金额",
    "金额(元)",
    "金额（元）",
    "交易金额(元)",
    "交易金额（元）",
)


@dataclass(frozen=True)
class DayTotal:
    on: date
    volume: Decimal
    count: int


@dataclass(frozen=True)
class Statement:
    days: tuple[DayTotal, ...]
    skipped: int  # rows with a zero or negative amount (refunds, reversals)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the usual exports of Chinese providers."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(N_("The statement is neither UTF-8 nor GBK text"))


def _column(header: list[str], wanted: str | None, candidates: tuple[str, ...], what: str) -> int:
    names = [h.strip().lower() for h in header]
    if wanted is not None:
        if wanted.strip().lower() in names:
            return names.index(wanted.strip().lower())
        raise UserError(N_("The statement has no column {name}"), name=wanted)
    for c in candidates:
        if c in names:
            return names.index(c)
    raise UserError(
        N_(
            "Cannot find the {what} column in the statement (columns: {columns}); name it with --{what}-column"
        ),
        what=what,
        columns=", ".join(header),
    )


def parse_statement(
    text: str, today: date, date_column: str | None = None, amount_column: str | None = None
) -> Statement:
    """Sum the positive amounts per day. Any malformed row refuses the whole file."""
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise UserError(N_("The statement has no rows"))
    header = rows[0]
    di = _column(header, date_column, DATE_HEADERS, "date")
    ai = _column(header, amount_column, AMOUNT_HEADERS, "amount")
    totals: dict[date, list[Decimal]] = defaultdict(list)
    skipped = 0
    for line, row in enumerate(rows[1:], start=2):
        try:
            raw_date = row[di].strip().split(" ")[0].split("T")[0]
            raw_amount = row[ai].strip().replace(" ", "")
        except IndexError:
            raise UserError(N_("Statement line {line}: missing columns"), line=line) from None
        try:
            day = parse_date(raw_date, today=today, what=N_("transaction date"))
            amount = (
                Decimal(0)
                if raw_amount.startswith("-")
                else parse_money(raw_amount, allow_zero=True)
            )
        except UserError as exc:
            raise UserError(
                N_("Statement line {line}: {problem}"), line=line, problem=exc
            ) from None
        if amount == 0:  # a reversal or refund (negative), or nothing (zero in any spelling)
            skipped += 1
            continue
        totals[day].append(amount)
    days = tuple(
        DayTotal(on=d, volume=sum(v, Decimal("0.00")), count=len(v))
        for d, v in sorted(totals.items())
    )
    if not days:
        raise UserError(N_("The statement has no positive amounts"))
    return Statement(days=days, skipped=skipped)
