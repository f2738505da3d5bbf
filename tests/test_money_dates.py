"""Money and dates as people type them (DESIGN.md, Inputs)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depositctl.core.dates import parse_date, parse_date_time, zh_date
from depositctl.core.errors import UserError
from depositctl.core.inputs import parse_choice, parse_count, parse_within
from depositctl.core.models import RefundWithin
from depositctl.core.money import fmt, fmt_yuan, from_fen, parse_money, to_fen

TODAY = date(2026, 11, 24)


# -- money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("99", "99.00"),
        ("99.5", "99.50"),
        ("99.00", "99.00"),
        ("¥99", "99.00"),
        ("￥99", "99.00"),
        ("99元", "99.00"),
        ("1,000", "1000.00"),
        ("1,000.50", "1000.50"),
        ("12,345,678", "12345678.00"),
        ("￥９９", "99.00"),  # full-width yuan sign and digits
        ("９９元", "99.00"),
        (" 299 ", "299.00"),
        ("0.01", "0.01"),
        ("RMB 99", "99.00"),
    ],
)
def test_money_forms_accepted(text: str, expected: str) -> None:
    value = parse_money(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert fmt(value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "0.00",
        "-5",
        "-0.01",
        "99.999",
        "1,00",
        "10,00.5",
        "abc",
        "",
        "99..5",
        "1e3",
        "¥",
        "NaN",
    ],
)
def test_money_forms_refused(text: str) -> None:
    with pytest.raises(UserError):
        parse_money(text)


def test_money_refusals_say_why() -> None:
    with pytest.raises(UserError, match="more than zero"):
        parse_money("0")
    with pytest.raises(UserError, match="more than zero"):
        parse_money("-5")
    with pytest.raises(UserError, match="two decimals"):
        parse_money("99.999")
    with pytest.raises(UserError, match="Not an amount"):
        parse_money("1,00")


def test_money_zero_allowed_only_when_asked() -> None:
    assert parse_money("0", allow_zero=True) == Decimal("0.00")
    with pytest.raises(UserError):
        parse_money("-1", allow_zero=True)


def test_fen_round_trip_is_exact() -> None:
    for text in ("0.01", "0.1", "99.99", "1000000.07", "33250.50"):
        value = parse_money(text)
        assert from_fen(to_fen(value)) == value
    assert to_fen(Decimal("99.99")) == 9999
    assert fmt(from_fen(1)) == "0.01"
    assert fmt_yuan(Decimal("1299")) == "¥1,299.00"


# -- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-05",
        "2025/3/5",
        "2025.3.5",
        "20250305",
        "2025年3月5日",
        "2025-3-5",
        "２０２５-０３-０５",
    ],
)
def test_date_forms_accepted(text: str) -> None:
    assert parse_date(text) == date(2025, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "2025-13-01",
        "2023-02-29",
        "junk",
        "",
        "05/03/2025",
        "2025-03",
        "2025年3月32日",
    ],
)
def test_date_forms_refused(text: str) -> None:
    with pytest.raises(UserError):
        parse_date(text)


def test_leap_day_and_month_ends() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2000/2/29") == date(2000, 2, 29)
    assert parse_date("2025-04-30") == date(2025, 4, 30)
    with pytest.raises(UserError, match="No such date"):
        parse_date("2025-04-31")
    with pytest.raises(UserError, match="No such date"):
        parse_date("2100-02-29")


def test_future_dates_refused_only_with_today() -> None:
    assert parse_date("2026-11-24", today=TODAY) == TODAY
    assert parse_date("2026-11-25") == date(2026, 11, 25)
    with pytest.raises(UserError, match="cannot be in the future"):
        parse_date("2026-11-25", today=TODAY, what="payment date")


def test_date_time_forms() -> None:
    assert parse_date_time("2025-09-01T10:30") == (date(2025, 9, 1), time(10, 30))
    assert parse_date_time("2025-09-01 9:05") == (date(2025, 9, 1), time(9, 5))
    assert parse_date_time("2025/9/1") == (date(2025, 9, 1), None)
    for bad in ("2025-09-01T25:00", "2025-09-01T10:60", "2025-09-01Tnoon"):
        with pytest.raises(UserError):
            parse_date_time(bad)
    with pytest.raises(UserError, match="future"):
        parse_date_time("2026-11-25T08:00", today=TODAY)


def test_zh_date() -> None:
    assert zh_date(date(2026, 3, 5)) == "2026年3月5日"


# -- other small inputs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", RefundWithin(n=30, unit="d")),
        ("15wd", RefundWithin(n=15, unit="wd")),
        ("15WD", RefundWithin(n=15, unit="wd")),
        ("30", RefundWithin(n=30, unit="d")),
        ("15个工作日", RefundWithin(n=15, unit="wd")),
        ("30天", RefundWithin(n=30, unit="d")),
    ],
)
def test_refund_within(text: str, expected: RefundWithin) -> None:
    assert parse_within(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "15w", "-3d", "1.5d"])
def test_refund_within_refused(text: str) -> None:
    with pytest.raises(UserError):
        parse_within(text)


def test_choice_and_count() -> None:
    assert parse_choice(" WeChat ", ("wechat", "phone"), "channel") == "wechat"
    assert parse_choice("ＰＨＯＮＥ", ("wechat", "phone"), "channel") == "phone"  # full-width
    with pytest.raises(UserError, match="Unknown channel: fax"):
        parse_choice("fax", ("wechat", "phone"), "channel")
    assert parse_count("3", "count") == 3
    for bad in ("0", "-1", "x", "1.5"):
        with pytest.raises(UserError):
            parse_count(bad, "count")


def test_dates_out_of_range_refused() -> None:
    """Far-off dates would overflow computed dates (limitation = due + 3 years)."""
    assert parse_date("1990-01-01") == date(1990, 1, 1)
    assert parse_date("2100-12-31") == date(2100, 12, 31)
    for bad in ("1989-12-31", "2101-01-01", "9999-12-31", "0001-01-01"):
        with pytest.raises(UserError, match="out of range"):
            parse_date(bad)


def test_counts_have_a_ceiling() -> None:
    assert parse_count("1000000", "condition-days") == 1_000_000
    for bad in ("1000001", "99999999999", "99999999999999999999999"):
        with pytest.raises(UserError, match="at most"):
            parse_count(bad, "condition-days")


# -- properties ---------------------------------------------------------------------------------


AMOUNTS = st.integers(min_value=1, max_value=10**15 - 1).map(from_fen)


@given(AMOUNTS)
def test_printed_amounts_parse_back(amount: Decimal) -> None:
    assert parse_money(fmt(amount)) == amount
    assert parse_money(fmt_yuan(amount)) == amount  # `¥1,299.00`, grouped
    assert parse_money(fmt(amount) + "元") == amount
    assert to_fen(parse_money(fmt(amount))) == to_fen(amount)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_form_parses_back(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    for text in (
        day.isoformat(),
        f"{y}/{m}/{d}",
        f"{y}.{m}.{d}",
        day.strftime("%Y%m%d"),
        zh_date(day),
    ):
        assert parse_date(text) == day
