"""Money and dates as people type them (DESIGN.md, Inputs)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depositctl.core.dates import (
    ResolvedDate,
    parse_date,
    parse_date_time,
    resolve_date,
    resolve_date_time,
    zh_date,
)
from depositctl.core.errors import UserError
from depositctl.core.inputs import parse_choice, parse_count, parse_within
from depositctl.core.models import RefundWithin
from depositctl.core.money import MAX_AMOUNT, fmt, fmt_yuan, from_fen, parse_money, to_fen
from depositctl.render.letter_context import rmb_capitals

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


# -- money as Chinese merchants write it ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5万", "50000.00"),
        ("1.2万", "12000.00"),
        ("0.5万", "5000.00"),
        ("5万元", "50000.00"),
        ("1,000万", "10000000.00"),
        ("1.2345万", "12345.00"),
        ("1.234567万", "12345.67"),
        ("５万", "50000.00"),  # full-width digit
        ("5萬", "50000.00"),  # traditional 万
        ("人民币99元", "99.00"),
        ("人民币 99", "99.00"),
        ("99块", "99.00"),
        ("99块钱", "99.00"),
        ("RMB 99", "99.00"),
        ("rmb99", "99.00"),
        ("￥99", "99.00"),
        ("￥１２３．４５", "123.45"),
        ("九十九元", "99.00"),
        ("九十九", "99.00"),
        ("五万", "50000.00"),
        ("五万元", "50000.00"),
        ("人民币五万元", "50000.00"),
        ("九十九块钱", "99.00"),
        ("两千", "2000.00"),
        ("一万零五", "10005.00"),
        ("十万", "100000.00"),
        ("一点二万", "12000.00"),
        ("一百二十三点四五", "123.45"),
        ("一亿五千万", "150000000.00"),  # 万 after 亿: the whole number is cn2an's
        ("玖拾玖元整", "99.00"),  # RMB capitals, as the letters print them
        ("玖拾玖元伍角", "99.50"),
        ("伍元零贰分", "5.02"),
        ("伍角叁分", "0.53"),
        ("壹分", "0.01"),
        ("壹仟贰佰元", "1200.00"),
    ],
)
def test_chinese_money_forms_accepted(text: str, expected: str) -> None:
    value = parse_money(text)
    assert value == Decimal(expected)
    assert fmt(value) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("5万元3", "Not an amount"),
        ("万", "Not an amount"),
        ("1.2.3万", "Not an amount"),
        ("1万2", "Not an amount"),  # colloquial 12000, or a typo: refused
        ("一万二", "Not an amount"),  # the same in numerals (cn2an strict refuses it)
        ("九九", "Not an amount"),  # digit by digit: 99 or 18?
        ("五点", "Not an amount"),
        ("点五", "Not an amount"),
        ("一点十", "Not an amount"),
        ("一万万", "Not an amount"),
        ("伍角万", "Not an amount"),
        ("伍元拾角", "Not an amount"),
        ("元角分", "Not an amount"),
        ("5万万", "Not an amount"),
        ("万5", "Not an amount"),
        ("人民币", "Not an amount"),
        ("五1", "Not an amount"),
        ("0万", "more than zero"),
        ("零", "more than zero"),
        ("-5万", "more than zero"),
        ("负五", "more than zero"),
        ("负零点五", "more than zero"),
        ("1.2345678万", "two decimals"),
        ("一点二三四五六七八万", "two decimals"),
        ("零点零零一", "two decimals"),
        ("1000000000万", "too large"),
        ("十万亿", "too large"),
    ],
)
def test_chinese_money_forms_refused(text: str, why: str) -> None:
    with pytest.raises(UserError, match=why) as info:
        parse_money(text)
    assert "\n" not in str(info.value)
    assert text in str(info.value)


def test_not_an_amount_names_the_wan_form() -> None:
    with pytest.raises(UserError, match=r"1\.2万"):
        parse_money("lots")


def test_chinese_zero_allowed_only_when_asked() -> None:
    assert parse_money("零", allow_zero=True) == Decimal("0.00")
    assert parse_money("0万", allow_zero=True) == Decimal("0.00")
    with pytest.raises(UserError, match="more than zero"):
        parse_money("负五", allow_zero=True)


def test_largest_amount_in_wan() -> None:
    assert parse_money("999999999.999999万") == Decimal("9999999999999.99")
    with pytest.raises(UserError, match="too large"):
        parse_money("1000000000万")


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


# -- dates relative to today ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天", date(2026, 11, 24)),
        ("昨天", date(2026, 11, 23)),
        ("前天", date(2026, 11, 22)),
        (" 今天 ", date(2026, 11, 24)),
        ("11月20日", date(2026, 11, 20)),
        ("11月20号", date(2026, 11, 20)),
        ("11月20", date(2026, 11, 20)),  # as 2025年3月5 is read today
        ("１１月２０日", date(2026, 11, 20)),
        ("11月24日", date(2026, 11, 24)),  # today itself
        ("11月25日", date(2025, 11, 25)),  # tomorrow's month and day: last year
        ("12月30日", date(2025, 12, 30)),
        ("1月1日", date(2026, 1, 1)),
        ("2月29日", date(2024, 2, 29)),  # the latest 2月29日 that has been
    ],
)
def test_relative_dates_resolve_against_today(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected
    assert resolve_date(text, today=TODAY) == ResolvedDate(expected, relative=True)


def test_dates_with_their_year_are_not_relative() -> None:
    for text in ("2025年3月5号", "2025年3月5日", "2025-03-05", "20250305"):
        assert resolve_date(text, today=TODAY) == ResolvedDate(date(2025, 3, 5), relative=False)
        value, relative = resolve_date(text)
        assert (value, relative) == (date(2025, 3, 5), False)


def test_month_day_across_the_new_year() -> None:
    new_year = date(2027, 1, 2)
    assert parse_date("1月2日", today=new_year) == date(2027, 1, 2)
    assert parse_date("1月3日", today=new_year) == date(2026, 1, 3)
    assert parse_date("12月31日", today=new_year) == date(2026, 12, 31)
    assert parse_date("前天", today=new_year) == date(2026, 12, 31)


def test_leap_day_without_a_year_goes_back_to_the_latest_leap_year() -> None:
    """The rule: `2月29日` is the latest 29 February not after today, so in a common
    year (or a leap year before 29 February) it goes back to the last leap year."""
    assert parse_date("2月29日", today=date(2024, 2, 29)) == date(2024, 2, 29)
    assert parse_date("2月29日", today=date(2024, 3, 1)) == date(2024, 2, 29)
    assert parse_date("2月29日", today=date(2024, 2, 28)) == date(2020, 2, 29)
    assert parse_date("2月29日", today=date(2027, 2, 28)) == date(2024, 2, 29)
    # 2100 is not a leap year: from 2101-01-01 the latest is 2096, eight years back.
    assert parse_date("2月29日", today=date(2100, 12, 31)) == date(2096, 2, 29)
    assert parse_date("2月28日", today=date(2027, 2, 27)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2月30日", "No such date"),
        ("4月31日", "No such date"),
        ("13月1日", "No such date"),
        ("0月1日", "No such date"),
        ("11月0日", "No such date"),
        ("11月20日3", "Not a date"),
        ("11月", "Not a date"),
        ("月20日", "Not a date"),
        ("明天", "Not a date"),
        ("今天今天", "Not a date"),
        ("2025年11月", "Not a date"),
    ],
)
def test_relative_dates_refused(text: str, why: str) -> None:
    with pytest.raises(UserError, match=why):
        parse_date(text, today=TODAY)


def test_not_a_date_names_the_relative_forms() -> None:
    with pytest.raises(UserError, match="11月20日 or 今天"):
        parse_date("soon", today=TODAY)


@pytest.mark.parametrize("text", ["今天", "昨天", "前天", "11月20日", "2月29日"])
def test_relative_dates_need_today(text: str) -> None:
    with pytest.raises(UserError, match="Write the full date here") as info:
        parse_date(text)
    assert text in str(info.value)
    with pytest.raises(UserError, match="Write the full date here"):
        resolve_date(text)


def test_relative_dates_keep_the_year_range() -> None:
    early = date(1990, 3, 1)
    assert parse_date("1月1日", today=early) == date(1990, 1, 1)
    with pytest.raises(UserError, match="out of range"):
        parse_date("12月31日", today=early)  # would be 1989
    with pytest.raises(UserError, match="out of range"):
        parse_date("前天", today=date(1990, 1, 1))
    with pytest.raises(UserError, match="out of range"):
        parse_date("2月29日", today=date(1991, 2, 1))  # the latest, 1988, is too early


def test_relative_dates_are_never_in_the_future() -> None:
    for text in ("今天", "11月24日", "11月25日", "12月31日"):
        assert parse_date(text, today=TODAY, what="payment date") <= TODAY


def test_relative_date_with_a_time() -> None:
    assert parse_date_time("今天 14:30", today=TODAY) == (TODAY, time(14, 30))
    assert parse_date_time("昨天T09:05", today=TODAY) == (date(2026, 11, 23), time(9, 5))
    assert resolve_date_time("11月20日", today=TODAY) == (
        ResolvedDate(date(2026, 11, 20), relative=True),
        None,
    )
    assert resolve_date_time("2025-09-01 10:30", today=TODAY) == (
        ResolvedDate(date(2025, 9, 1), relative=False),
        time(10, 30),
    )
    with pytest.raises(UserError, match="Write the full date here"):
        parse_date_time("今天 14:30")
    with pytest.raises(UserError, match="time of day"):
        parse_date_time("今天 25:00", today=TODAY)


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


#: Amounts with up to two decimals whose 万 form is within the ceiling (below 10**13 yuan).
WAN_AMOUNTS = st.builds(
    lambda n, places: Decimal(n).scaleb(-places),
    st.integers(min_value=1, max_value=10**11 - 1),
    st.integers(min_value=0, max_value=2),
).filter(lambda x: x * 10000 < MAX_AMOUNT)


@given(WAN_AMOUNTS)
def test_wan_is_ten_thousand(x: Decimal) -> None:
    assert parse_money(str(x) + "万") == x * 10000
    assert parse_money(f"人民币{x}万元") == x * 10000


@given(st.integers(min_value=1, max_value=10**10 - 1).map(from_fen))
def test_rmb_capitals_parse_back(amount: Decimal) -> None:
    """What a letter prints in capitals (`玖拾玖元伍角`) reads back as the same amount.

    Below 1亿 yuan: above it cn2an's an2cn drops the 零 after 亿 (100009786 is printed
    `壹亿玖仟柒佰捌拾陆元整`), which the strict reading rightly refuses."""
    assert parse_money(rmb_capitals(amount)) == amount


def test_capitals_without_the_zero_after_yi_are_refused() -> None:
    with pytest.raises(UserError, match="Not an amount"):
        parse_money("壹亿玖仟柒佰捌拾陆元整")
    assert parse_money("壹亿零玖仟柒佰捌拾陆元整") == Decimal("100009786.00")


@given(
    st.dates(min_value=date(1991, 1, 1), max_value=date(2100, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)),
)
def test_month_day_is_the_latest_not_after_today(today: date, month_day: date) -> None:
    """Checked against its definition: no later date with that month and day is <= today."""
    m, d = month_day.month, month_day.day
    value = parse_date(f"{m}月{d}日", today=today)
    assert (value.month, value.day) == (m, d)
    assert value <= today
    later = [
        date(y, m, d)
        for y in range(value.year + 1, today.year + 1)
        if (m, d) != (2, 29) or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    ]
    assert not [day for day in later if day <= today]


@given(st.dates(min_value=date(1990, 1, 3), max_value=date(2100, 12, 31)))
def test_days_ago(today: date) -> None:
    assert [parse_date(w, today=today) for w in ("今天", "昨天", "前天")] == [
        today - timedelta(days=n) for n in range(3)
    ]
