"""Adding a rule's period to a date: working days, calendar days or years."""

from __future__ import annotations

from datetime import date, timedelta

from depositctl.core.rules import Rule
from depositctl.core.workdays import WorkdayCalendar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, TypeVarTuple

    _R = TypeVar("_R")
    _Args = TypeVarTuple("_Args")


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


class _IsoDays(dict[date, str]):
    """`day.isoformat()` by the day, made on the first look at a day (`__missing__`)."""

    __slots__ = ()

    def __missing__(self, day: date) -> str:
        text = day.isoformat()
        if len(self) < 8192:  # the days of a few decades: a listing meets far fewer
            self[day] = text
        return text


#: `ISO[day]` is `day.isoformat()`, kept by the day: the ladder writes up to three dates
#: into a case's next action, each of them a day many cases of a listing share, and
#: `isoformat` formats through `PyUnicode_FromFormat`, ~3,500 instructions a call, six
#: times a look-up here (issue 12). A `datetime` is a key of its own (it is never equal
#: to a `date`), given its own text.
ISO = _IsoDays()


def kept_for_today(fn: Callable[[*_Args], _R]) -> Callable[[*_Args], _R]:
    """`fn(today, …)`, a date the rules give a step taken `today`, the same for every
    case of a listing: kept for the last arguments it was called with, and computed
    again only when they differ (`==`: a day by value; a rule table or a calendar,
    never changed once made, by identity first). Computed once a case, the two such
    dates `settle` gives were 4.5 % of its instructions (issue 12)."""
    last: tuple[Any, Any] = ((), None)  # (arguments, value): replaced as one

    def kept(*args: *_Args) -> _R:
        nonlocal last
        if last[0] != args:
            last = (args, fn(*args))
        return last[1]  # type: ignore[no-any-return]

    kept.__doc__ = fn.__doc__
    return kept
