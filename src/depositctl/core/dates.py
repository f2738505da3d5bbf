"""Dates as people type them, and the rule that some dates cannot lie in the future."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time

from depositctl.core.errors import N_, UserError

_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
MIN_YEAR, MAX_YEAR = 1990, 2100


def parse_date(text: str, *, today: date | None = None, what: str = "date") -> date:
    """Parse `2025-03-05`, `2025/3/5`, `2025.3.5`, `20250305` or `2025年3月5日`.

    With `today`, a date after it is refused (for facts that cannot be in the future).
    """
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    for pattern in _PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                value = date(y, mo, d)
            except ValueError:
                raise UserError(N_("No such date: {text}"), text=text) from None
            break
    else:
        raise UserError(
            N_("Not a date: {text} (write it like 2025-03-05, 2025/3/5 or 2025年3月5日)"),
            text=text,
        )
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
    return value


def parse_date_time(
    text: str, *, today: date | None = None, what: str = "date"
) -> tuple[date, time | None]:
    """Parse `DATE`, `DATETHH:MM` or `DATE HH:MM`."""
    s = unicodedata.normalize("NFKC", text).strip()
    date_part, time_part = s, ""
    for sep in ("T", " "):
        if sep in s:
            date_part, _, time_part = s.partition(sep)
            break
    when = parse_date(date_part, today=today, what=what)
    if not time_part:
        return when, None
    m = _TIME.match(time_part.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UserError(N_("Not a time of day: {text} (write it like 14:30)"), text=time_part)
    return when, time(int(m.group(1)), int(m.group(2)))


def zh_date(value: date) -> str:
    """`2026年11月23日`, the form a Chinese letter is dated with."""
    return f"{value.year}年{value.month}月{value.day}日"
