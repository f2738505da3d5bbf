"""Adding a rule's period to a date: working days, calendar days or years."""

from __future__ import annotations

from datetime import date, timedelta

from depositctl.core.rules import Rule
from depositctl.core.workdays import WorkdayCalendar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Protocol, TypeVar, TypeVarTuple

    _R = TypeVar("_R")
    _R_co = TypeVar("_R_co", covariant=True)
    _Args = TypeVarTuple("_Args")

    class Kept(Protocol[*_Args, _R_co]):
        last: tuple[tuple[Any, ...], Any]

        def __call__(self, *args: *_Args) -> _R_co: ...


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


class _Kept:
    """What `kept_for_today` makes of a function (`Kept` to the type checker)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self._fn = fn
        self.__doc__ = fn.__doc__
        #: (the arguments of the last call, its value): replaced as one.
        self.last: tuple[tuple[Any, ...], Any] = ((), None)

    def __call__(self, *args: Any) -> Any:
        kept, value = self.last
        if kept != args:
            value = self._fn(*args)
        self.last = (args, value)  # the very objects asked for, for `last`'s readers
        return value


def kept_for_today(fn: Callable[[*_Args], _R]) -> Kept[*_Args, _R]:
    """`fn(today, …)`, a date the rules give a step taken `today`, the same for every
    case of a listing: kept for the last arguments it was called with, and computed
    again only when they differ (`==`: a day by value; a rule table or a calendar,
    never changed once made, by identity first). Computed once a case, the two such
    dates `settle` gives were 4.5 % of its instructions (issue 12).

    `last` is (the last call's arguments, its value): code run once a case of a listing
    reads it inline where the arguments are the very objects it holds (`is`), and calls
    no function (a call cost ~1,000 instructions, a twelfth of settling a case)."""
    return _Kept(fn)  # type: ignore[return-value]
