"""Working days: the official calendar, the user calendar file, and estimates (rule 5)."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depositctl.core.errors import UserError
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup, parse_user_calendar
from depositctl.store.calendar import calendar_path, load_calendar
from tests.conftest import examples

USER_2027 = """
[2027]
holidays = ["2027-01-01..2027-01-03", "2027-02-06..2027-02-12"]
workdays = ["2027-02-14"]
"""


@pytest.fixture(scope="module")
def official() -> WorkdayCalendar:
    return WorkdayCalendar(chinese_calendar_lookup())


def test_package_knows_national_day_2025() -> None:
    """The facts the tests below rely on, checked against the chinesecalendar package."""
    import chinese_calendar

    off = [date(2025, 10, d) for d in range(1, 9)]
    assert not any(chinese_calendar.is_workday(d) for d in off)
    assert chinese_calendar.is_workday(date(2025, 9, 28))  # Sunday, swapped working day
    assert chinese_calendar.is_workday(date(2025, 10, 11))  # Saturday, swapped working day
    assert date(2025, 9, 28).weekday() == 6 and date(2025, 10, 11).weekday() == 5


def test_lookup_answers_none_beyond_the_package() -> None:
    lookup = chinese_calendar_lookup()
    assert lookup(date(2026, 12, 31)) is True
    assert lookup(date(2025, 10, 1)) is False
    assert lookup(date(2027, 1, 4)) is None


def test_is_workday_official(official: WorkdayCalendar) -> None:
    assert official.is_workday(date(2025, 10, 3)) == (False, False)  # holiday on a Friday
    assert official.is_workday(date(2025, 9, 28)) == (True, False)  # swapped Sunday
    assert official.is_workday(date(2025, 10, 11)) == (True, False)  # swapped Saturday
    assert official.is_workday(date(2025, 10, 12)) == (False, False)  # plain Sunday
    assert official.is_workday(date(2027, 1, 1)) == (True, True)  # Friday, unknown year
    assert official.is_workday(date(2027, 1, 2)) == (False, True)


def test_seven_workdays_over_national_day_2025(official: WorkdayCalendar) -> None:
    # From Fri 2025-09-26: Sep 28 (Sun, worked) 1, 29 2, 30 3, Oct 1-8 off,
    # Oct 9 4, 10 5, 11 (Sat, worked) 6, 12 Sun off, 13 7.
    assert official.add_workdays(date(2025, 9, 26), 7) == (date(2025, 10, 13), False)
    # Plain weekends would have given Oct 7.
    assert WorkdayCalendar().add_workdays(date(2025, 9, 26), 7) == (date(2025, 10, 7), True)
    # From the last day before the holiday.
    assert official.add_workdays(date(2025, 9, 30), 1) == (date(2025, 10, 9), False)
    assert official.add_workdays(date(2025, 9, 30), 3) == (date(2025, 10, 11), False)


def test_counting_starts_the_day_after(official: WorkdayCalendar) -> None:
    assert official.add_workdays(date(2025, 3, 3), 0) == (date(2025, 3, 3), False)
    assert official.add_workdays(date(2025, 3, 3), 1) == (date(2025, 3, 4), False)  # Mon -> Tue
    assert official.add_workdays(date(2025, 3, 7), 1) == (date(2025, 3, 10), False)  # Fri -> Mon
    # Triggered on a Saturday: the first working day is Monday.
    assert official.add_workdays(date(2025, 3, 8), 1) == (date(2025, 3, 10), False)
    with pytest.raises(ValueError):
        official.add_workdays(date(2025, 3, 3), -1)


def test_fifteen_workdays_into_2027_is_an_estimate(official: WorkdayCalendar) -> None:
    # 2026-12-24 (Thu): Dec 25, 28-31 are 5; Jan 1 2027 (Fri) counts on weekends only.
    on, estimate = official.add_workdays(date(2026, 12, 24), 15)
    assert (on, estimate) == (date(2027, 1, 14), True)
    # Staying inside 2026 is not an estimate.
    assert official.add_workdays(date(2026, 12, 24), 5) == (date(2026, 12, 31), False)


def test_user_calendar_adds_2027() -> None:
    user = parse_user_calendar(tomllib.loads(USER_2027))
    assert set(user) == {2027}
    assert user[2027][date(2027, 1, 1)] is False
    assert user[2027][date(2027, 2, 14)] is True
    cal = WorkdayCalendar(chinese_calendar_lookup(), user)
    assert cal.user_years == [2027]
    assert cal.is_workday(date(2027, 1, 1)) == (False, False)
    assert cal.is_workday(date(2027, 1, 4)) == (True, False)  # weekday not listed: worked
    assert cal.is_workday(date(2027, 1, 9)) == (False, False)  # weekend not listed: off
    assert cal.is_workday(date(2027, 2, 14)) == (True, False)  # swapped Sunday
    # Jan 1 is a holiday now, so the 15th working day moves one day later.
    assert cal.add_workdays(date(2026, 12, 24), 15) == (date(2027, 1, 15), False)
    assert cal.known_years([2025, 2026, 2027, 2028]) == [2025, 2026, 2027]
    # Beyond both the package and the user file: still an estimate.
    assert cal.is_workday(date(2028, 1, 3)) == (True, True)


def test_user_calendar_replaces_a_known_year() -> None:
    user = parse_user_calendar({"2025": {"holidays": ["2025-03-04"]}})
    cal = WorkdayCalendar(chinese_calendar_lookup(), user)
    assert cal.is_workday(date(2025, 3, 4)) == (False, False)
    # The whole year comes from the user: National Day is a plain week now.
    assert cal.is_workday(date(2025, 10, 8)) == (True, False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"27": {}}, "not a year"),
        ({"year2027": {}}, "not a year"),
        ({"2027": ["2027-01-01"]}, "must be a table"),
        ({"2027": {"holidays": "2027-01-01"}}, "must be a list"),
        ({"2027": {"holidays": ["2027-02-30"]}}, "not a date"),
        ({"2027": {"holidays": ["2027-02-10..2027-02-01"]}}, "not a date"),
        ({"2027": {"holidays": ["someday"]}}, "not a date"),
        ({"2027": {"holidays": ["2028-01-01"]}}, "listed under year 2027"),
        ({"2027": {"holidays": ["2026-12-31..2027-01-02"]}}, "listed under year 2027"),
        ({"2027": {"holiday": ["2027-01-01"]}}, "unknown key 2027.holiday"),
    ],
)
def test_user_calendar_refuses_bad_entries(data: dict[str, object], message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_user_calendar(data)


def test_weekends_only_without_any_source() -> None:
    cal = WorkdayCalendar()
    start = date(2030, 1, 4)  # a Friday
    assert cal.add_workdays(start, 1) == (date(2030, 1, 7), True)
    assert cal.add_workdays(start, 10) == (start + timedelta(days=14), True)


# -- the calendar file beside the ledger ---------------------------------------------------


def test_calendar_file_beside_the_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.db"
    assert calendar_path(ledger) == tmp_path / "workdays.toml"
    assert load_calendar(ledger).user_years == []
    (tmp_path / "workdays.toml").write_text(USER_2027, encoding="utf-8")
    cal = load_calendar(ledger)
    assert cal.user_years == [2027]
    assert cal.add_workdays(date(2026, 12, 24), 15) == (date(2027, 1, 15), False)


def test_calendar_file_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cal" / "my-2027.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(USER_2027, encoding="utf-8")
    monkeypatch.setenv("DEPOSITCTL_CALENDAR", str(elsewhere))
    assert calendar_path(tmp_path / "ledger.db") == elsewhere
    assert load_calendar(tmp_path / "ledger.db").user_years == [2027]


def test_calendar_file_named_in_the_environment_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEPOSITCTL_CALENDAR", str(tmp_path / "typo.toml"))
    with pytest.raises(UserError, match="No such file"):
        load_calendar(tmp_path / "ledger.db")


@pytest.mark.parametrize(
    "content",
    [
        b"[2027\nholidays = [",  # not TOML
        b"\xff\xfe\x00garbage",  # not UTF-8
        b'[2027]\nholidays = ["2027-13-01"]\n',  # TOML, but not a date
    ],
)
def test_bad_calendar_file_is_a_user_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "workdays.toml").write_bytes(content)
    with pytest.raises(UserError) as info:
        load_calendar(tmp_path / "ledger.db")
    assert "\n" not in str(info.value)


def test_toml_date_literals_are_accepted() -> None:
    user = parse_user_calendar(tomllib.loads("[2027]\nholidays = [2027-01-01]\n"))
    assert user[2027] == {date(2027, 1, 1): False}


@settings(max_examples=examples(60), deadline=None)
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=1, max_value=30),
)
def test_add_workdays_properties(start: date, n: int) -> None:
    cal = WorkdayCalendar(chinese_calendar_lookup())
    on, estimate = cal.add_workdays(start, n)
    assert on > start
    assert cal.is_workday(on)[0]
    worked = [start + timedelta(days=i) for i in range(1, (on - start).days + 1)]
    assert sum(cal.is_workday(d)[0] for d in worked) == n
    assert estimate == any(cal.is_workday(d)[1] for d in worked)
    later, _ = cal.add_workdays(start, n + 1)
    assert later > on


# -- the package's data as a table (data/workdays.json, issue 12) -------------------------
def _table_lookup() -> object:
    from depositctl import data
    from depositctl.core.workdays import table_lookup
    from depositctl.store.calendar import package_calendar_digest

    table = data.workdays_table(package_calendar_digest().hex())
    assert table is not None, "data/workdays.json is stale: run `make workdays-json`"
    return table_lookup(table["first_year"], table["last_year"], table["on"], table["off"])


def test_the_prebuilt_table_is_fresh() -> None:
    """data/workdays.json was made from the package as installed, as `make workdays-json`
    makes it (else `status` ignores it and imports the package: slower, never wrong)."""
    import json

    from depositctl import data
    from depositctl.store.calendar import prebuilt_workdays_text

    with open(data.file(data.WORKDAYS), encoding="utf-8") as f:
        stored = json.load(f)
    assert stored == json.loads(prebuilt_workdays_text()), "run `make workdays-json`"


def test_the_table_answers_every_day_as_the_package_does() -> None:
    """Day by day, from a year before the package's first to a year after its last: the
    table's answer is `chinese_calendar.is_workday`'s, and None where the package has
    no data (as `chinese_calendar_lookup`)."""
    table, package = _table_lookup(), chinese_calendar_lookup()
    day, end = date(2003, 1, 1), date(2028, 12, 31)
    compared = 0
    while day <= end:
        assert table(day) == package(day), day  # type: ignore[operator]
        compared += package(day) is not None
        day += timedelta(days=1)
    assert compared > 365 * 20


def test_a_stale_table_is_ignored_and_the_package_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table made from another version of the package (its digest differs) is not used:
    the calendar is the package's, lazily imported."""
    from depositctl import data
    from depositctl.store import calendar

    assert data.workdays_table("0" * 64) is None
    monkeypatch.setattr(calendar, "package_calendar_digest", lambda: b"\0" * 32)
    cal = WorkdayCalendar(calendar.package_lookup())
    assert cal.is_workday(date(2025, 10, 3)) == (False, False)
    assert cal.is_workday(date(2025, 9, 28)) == (True, False)


@pytest.mark.parametrize(
    "edit",
    [
        {"first_year": "2004"},
        {"on": "2004-01-17"},
        {"off": [20040101]},
        {"last_year": None},
    ],
)
def test_a_table_of_another_shape_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: dict[str, object]
) -> None:
    import json

    from depositctl import data
    from depositctl.store.calendar import package_calendar_digest

    with open(data.file(data.WORKDAYS), encoding="utf-8") as f:
        stored = json.load(f)
    digest = package_calendar_digest().hex()
    assert data.workdays_table(digest) is not None
    (tmp_path / data.WORKDAYS).write_text(json.dumps({**stored, **edit}), encoding="utf-8")
    monkeypatch.setattr(data, "_HERE", str(tmp_path))
    assert data.workdays_table(digest) is None
