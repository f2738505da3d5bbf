"""Adding a rule's period to a date: working days, calendar days or years."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from depositctl.core.rules import Rule
from depositctl.core.workdays import WorkdayCalendar


def add_period(
    start: date, rule: Rule, cal: WorkdayCalendar, override_days: int | None = None
) -> tuple[date, bool]:
    if override_days is not None:
        return start + timedelta(days=override_days), False
    if rule.workdays is not None:
        return cal.add_workdays(start, rule.workdays)
    if rule.years is not None:
        return years_after(start, rule.years), False
    return start + timedelta(days=rule.days or 0), False


def years_of(rule: Rule) -> int:
    """A rule's period in years, as the table sets it (no fallback repeats the table)."""
    if rule.years is None:
        raise ValueError(f"the rule table sets no years for {rule.id}")
    return rule.years


def days_of(rule: Rule) -> int:
    """A rule's period in calendar days, as the table sets it."""
    if rule.days is None:
        raise ValueError(f"the rule table sets no days for {rule.id}")
    return rule.days


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February (as `day +
    dateutil.relativedelta(years=years)`, which costs a 5-case `status` ~1% to import)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        if not (day.month == 2 and day.day == 29):
            raise  # a year out of range
        return day.replace(year=day.year + years, day=28)


#: `years_after` for `today`, the same for every case of a listing.
years_after_today = cache(years_after)
