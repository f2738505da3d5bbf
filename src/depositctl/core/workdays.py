"""Official Chinese working days, with holidays and swapped working days (调休).

Three sources, in order: a user calendar (years the user typed in from the State
Council's notice), the maintained `chinesecalendar` package, and beyond both a plain
Monday-to-Friday week. A date reached through the last source is an *estimate*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import cache

from depositctl.core.errors import N_, UserError

#: Answers "is this day a working day?" for the years the package knows, else None.
PackageLookup = Callable[[date], bool | None]


def chinese_calendar_lookup() -> PackageLookup:
    """The lookup backed by the `chinesecalendar` package, imported on the first day
    asked (a `status` settling stored rows never asks)."""
    from types import ModuleType

    package: list[ModuleType] = []

    @cache
    def year_known(year: int) -> bool:
        if not package:
            import chinese_calendar

            package.append(chinese_calendar)
        try:
            package[0].is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def lookup(day: date) -> bool | None:
        if not year_known(day.year):
            return None
        return bool(package[0].is_workday(day))

    return lookup


def table_lookup(
    first_year: int, last_year: int, on: Iterable[str], off: Iterable[str]
) -> PackageLookup:
    """The package's lookup from its data as a table (data/workdays.json): a day of the
    years `first_year` to `last_year` is a working day when it is among `on` (ISO dates:
    weekends worked, 调休), or a weekday not among `off` (weekdays off); None for another
    year, as the package has no data for it. The package's `is_workday` in a few lines."""
    on_days, off_days = frozenset(on), frozenset(off)

    def lookup(day: date) -> bool | None:
        if not first_year <= day.year <= last_year:
            return None
        iso = day.isoformat()
        return iso in on_days or (day.weekday() <= 4 and iso not in off_days)

    return lookup


class WorkdayCalendar:
    """Decides working days; remembers whether an answer was an estimate."""

    def __init__(
        self,
        package: PackageLookup | None = None,
        user_years: Mapping[int, Mapping[date, bool]] | None = None,
    ) -> None:
        self._package = package
        self._user = {year: dict(days) for year, days in (user_years or {}).items()}
        # Answers never change for one calendar: remember them (thousands of cases share
        # a few hundred distinct days, and the package's lookup is slow).
        self._days: dict[date, tuple[bool, bool]] = {}
        self._sums: dict[tuple[date, int], tuple[date, bool]] = {}

    @property
    def user_years(self) -> list[int]:
        return sorted(self._user)

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is a working day, is an estimate)."""
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: date) -> tuple[bool, bool]:
        if day.year in self._user:
            override = self._user[day.year].get(day)
            return (day.weekday() < 5 if override is None else override), False
        if self._package is not None:
            known = self._package(day)
            if known is not None:
                return known, False
        return day.weekday() < 5, True

    def add_workdays(self, start: date, n: int) -> tuple[date, bool]:
        """The n-th working day after `start` (counting starts the day after)."""
        if n < 0:
            raise ValueError("n must not be negative")
        known = self._sums.get((start, n))
        if known is not None:
            return known
        day, estimate, counted = start, False, 0
        while counted < n:
            day += timedelta(days=1)
            workday, est = self.is_workday(day)
            estimate = estimate or est
            if workday:
                counted += 1
        self._sums[(start, n)] = (day, estimate)
        return day, estimate

    def known_years(self, candidates: Iterable[int]) -> list[int]:
        """Which of `candidates` are covered by the user calendar or the package."""
        out = []
        for year in candidates:
            _, est = self.is_workday(date(year, 6, 1))
            if not est:
                out.append(year)
        return out


def parse_user_calendar(data: Mapping[str, object]) -> dict[int, dict[date, bool]]:
    """Read a user calendar, already parsed from TOML.

    ```toml
    [2027]
    holidays = ["2027-01-01", "2027-02-06..2027-02-13"]   # days off (ranges allowed)
    workdays = ["2027-02-14"]                              # swapped working days (调休)
    ```
    A year listed here replaces the package's answer for that whole year; weekends
    not listed are days off and weekdays not listed are working days.
    """
    years: dict[int, dict[date, bool]] = {}
    for key, table in data.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise UserError(N_("Calendar file: {key} is not a year"), key=key)
        if not isinstance(table, Mapping):
            raise UserError(N_("Calendar file: [{key}] must be a table"), key=key)
        unknown = sorted(str(k) for k in table if k not in ("holidays", "workdays"))
        if unknown:  # a typo (`holiday = [...]`) would silently give a plain year
            raise UserError(
                N_("Calendar file: unknown key {key}.{field} (use holidays and workdays)"),
                key=key,
                field=unknown[0],
            )
        year = int(key)
        days: dict[date, bool] = {}
        for field, workday in (("holidays", False), ("workdays", True)):
            entries = table.get(field, [])
            if not isinstance(entries, list):
                raise UserError(
                    N_("Calendar file: {key}.{field} must be a list"), key=key, field=field
                )
            for entry in entries:
                for day in _expand(str(entry)):
                    if day.year != year:
                        raise UserError(
                            N_("Calendar file: {day} is listed under year {key}"),
                            day=day.isoformat(),
                            key=key,
                        )
                    days[day] = workday
        years[year] = days
    return years


def _expand(entry: str) -> list[date]:
    try:
        if ".." in entry:
            first_s, last_s = entry.split("..", 1)
            first, last = date.fromisoformat(first_s.strip()), date.fromisoformat(last_s.strip())
            if last < first:
                raise ValueError
            return [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return [date.fromisoformat(entry.strip())]
    except ValueError:
        raise UserError(
            N_("Calendar file: not a date or date range: {entry}"), entry=entry
        ) from None
