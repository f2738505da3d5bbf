"""Dates as people type them, and the rule that some dates cannot lie in the future."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta
from typing import NamedTuple

from depositctl.core.errors import N_, UserError

_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
)
#: `11月20日`: a month and day without the year, read as the latest such date up to today.
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]?$")
#: Days before today.
_DAYS_AGO = {"今天": 0, "昨天": 1, "前天": 2}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
MIN_YEAR, MAX_YEAR = 1990, 2100


class ResolvedDate(NamedTuple):
    """A parsed date, and whether it was read relative to today (`今天`, `11月20日`), so
    the caller can say which date it took."""

    value: date
    relative: bool


def parse_date(text: str, *, today: date | None = None, what: str = "date") -> date:
    """Parse `2025-03-05`, `2025/3/5`, `2025.3.5`, `20250305`, `2025年3月5日` (or 号), and
    with `today` also `今天`, `昨天`, `前天` and `11月20日` (see `resolve_date`).

    With `today`, a date after it is refused (for facts that cannot be in the future).
    """
    return resolve_date(text, today=today, what=what).value


def resolve_date(text: str, *, today: date | None = None, what: str = "date") -> ResolvedDate:
    """`parse_date`, also telling whether the date was resolved against `today`.

    `今天`/`昨天`/`前天` are today and the one or two days before it. `M月D日` or `M月D号`
    is the latest such date not after today: this year's if it has come, else last year's;
    `2月29日` goes back to the latest leap year. Without `today` these forms are refused.
    """
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = _relative(s, today, text)
    relative = value is not None
    if value is None:
        value = _absolute(s, text)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        # Also keeps every computed date (limitation = due + 3 years, ...) within range.
        raise UserError(
            N_("Date out of range: {text} (depositctl takes dates from 1990 to 2100)"),
            text=text,
        )
    if today is not None and value > today:
        raise UserError(
            N_("The {what} cannot be in the future: {value} is after today ({today})"),
            what=what,
            value=value.isoformat(),
            today=today.isoformat(),
        )
    return ResolvedDate(value, relative)


def _relative(s: str, today: date | None, text: str) -> date | None:
    """`今天`, `昨天`, `前天` or `11月20日` against `today`; None for any other form."""
    m = _MONTH_DAY.match(s)
    if s not in _DAYS_AGO and not m:
        return None
    if today is None:
        raise UserError(N_("Write the full date here: {text} (like 2025-03-05)"), text=text)
    if m:
        return _latest(int(m.group(1)), int(m.group(2)), today, text)
    return today - timedelta(days=_DAYS_AGO[s])


def _absolute(s: str, text: str) -> date:
    for pattern in _PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                raise UserError(N_("No such date: {text}"), text=text) from None
    raise UserError(
        N_(
            "Not a date: {text} (write it like 2025-03-05, 2025/3/5, 2025年3月5日, 11月20日 or 今天)"
        ),
        text=text,
    )


def _latest(month: int, day: int, today: date, text: str) -> date:
    """The latest `month`/`day` not after `today`."""
    try:
        date(2000, month, day)  # a leap year: every month and day that exists at all
    except ValueError:
        raise UserError(N_("No such date: {text}"), text=text) from None
    year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    while year >= MIN_YEAR:
        try:
            return date(year, month, day)
        except ValueError:  # 2月29日 in a common year: back to the latest leap year
            year -= 1
    raise UserError(
        N_("Date out of range: {text} (depositctl takes dates from 1990 to 2100)"), text=text
    )


def parse_date_time(
    text: str, *, today: date | None = None, what: str = "date"
) -> tuple[date, time | None]:
    """Parse `DATE`, `DATETHH:MM` or `DATE HH:MM`."""
    when, at = resolve_date_time(text, today=today, what=what)
    return when.value, at


def resolve_date_time(
    text: str, *, today: date | None = None, what: str = "date"
) -> tuple[ResolvedDate, time | None]:
    """`parse_date_time`, also telling whether the date was resolved against `today`."""
    s = unicodedata.normalize("NFKC", text).strip()
    date_part, time_part = s, ""
    for sep in ("T", " "):
        if sep in s:
            date_part, _, time_part = s.partition(sep)
            break
    when = resolve_date(date_part, today=today, what=what)
    if not time_part:
        return when, None
    m = _TIME.match(time_part.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UserError(N_("Not a time of day: {text} (write it like 14:30)"), text=time_part)
    return when, time(int(m.group(1)), int(m.group(2)))


def zh_date(value: date) -> str:
    """`2026年11月23日`, the form a Chinese letter is dated with."""
    return f"{value.year}年{value.month}月{value.day}日"
