"""What the ledger says now: one case (`show`), the listings of many (`status`,
`agenda`, `ics`, `bundle --all`)."""

from __future__ import annotations

import gc
import heapq
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from decimal import Decimal
from operator import itemgetter

from depositctl.core.caseview import CaseView, Deadline, Totals
from depositctl.core.evaluator import Evaluator
from depositctl.core.records import CLOSED, OVERDUE, State
from depositctl.core.recordtype import record
from depositctl.ops.env import Env, evaluator, opened

TYPE_CHECKING = False
if TYPE_CHECKING:  # the fast path (depositctl/fast.py) imports this module: no sqlite_utils
    import sqlite3
    from typing import Any, Generic, TypeVar, overload

    from depositctl.store.ledger import Ledger
else:
    from depositctl.core.hints import Generic, TypeVar, overload

OPEN_STATES = frozenset(State) - {State.REFUNDED, State.CLOSED}


def case_view(env: Env, case_id: int) -> CaseView:
    """`show`: one case with every deadline, its timeline and its history."""
    with opened(env) as led:
        return evaluator(env, led)(led.facts(case_id))


def case_views(led: Ledger, ev: Evaluator, *, include_all: bool = False) -> list[CaseView]:
    """Every case (open ones unless `include_all`), most urgent first."""
    views = [ev(f) for f in led.all_facts(with_history=False)]
    if not include_all:
        views = [v for v in views if v.state in OPEN_STATES]
    views.sort(key=CaseView.urgency_key)
    return views


T = TypeVar("T")


@record(kw_only=False)
class StatusListing(Generic[T]):
    """What `status` prints: the cases shown, most urgent first (as views, or as what a
    `project` function made of each), and the totals of all."""

    shown: list[T]
    totals: Totals


@overload
def status_listing(
    env: Env, *, include_all: bool = ..., limit: int = ...
) -> StatusListing[CaseView]: ...
@overload
def status_listing(
    env: Env, *, include_all: bool = ..., limit: int = ..., project: Callable[[CaseView], T]
) -> StatusListing[T]: ...
def status_listing(
    env: Env,
    *,
    include_all: bool = False,
    limit: int = 0,
    project: Callable[[CaseView], Any] | None = None,
) -> StatusListing[Any]:
    """`status`/`agenda`: the cases (open ones unless `include_all`), most urgent first,
    the `limit` first of them (all when 0), and the totals of all; each case as
    `project` makes it (its view when None): `status --limit 0` keeps one line of text per
    case, not 80,000 views."""
    with opened(env) as led:
        return listing(
            led, evaluator(env, led), include_all=include_all, limit=limit, project=project
        )


def ranked(
    views: Iterable[CaseView], limit: int, project: Callable[[CaseView], Any] | None
) -> list[Any]:
    """The `limit` most urgent of `views` (all when 0), most urgent first, each as
    `project` makes it. Sorting all of them keeps only each one's key and projection."""
    key = CaseView.urgency_key
    if limit:
        top = heapq.nsmallest(limit, views, key=key)
        return top if project is None else [project(v) for v in top]
    if project is None:
        return sorted(views, key=key)
    pairs = [(key(v), project(v)) for v in views]
    pairs.sort(key=itemgetter(0))  # keys end with the case id: never equal
    return [p for _, p in pairs]


@record(kw_only=False)
class Agenda:
    """What `agenda` prints: the open cases as `status_listing` has them, and per case
    the follow-ups of its contacts that can still be open besides the latest contact's
    (several letters out, each with its reply-by date, as `ics` lists them)."""

    views: list[CaseView]
    follow_ups: dict[int, tuple[Deadline, ...]]


def agenda_views(env: Env) -> Agenda:
    """`agenda`: the cached listing, and the follow-ups the cache leaves out (it keeps
    the latest contact's only), computed from the contacts that can still have an open
    one: those of the last `_reach` days, or promising a date from today on."""
    from depositctl.core.deadlines import follow_up_for, sets_follow_up

    with opened(env) as led:
        ev = evaluator(env, led)
        shown = listing(led, ev).shown
        ids = [v.id for v in shown if v.open_follow_up is not None]
        since = env.today - timedelta(days=_reach(ev))
        recent = led.recent_contacts(ids, since, env.today)
    follow_ups = {
        cid: tuple(
            follow_up_for(c, ev.rules, ev.calendar, ev.grace_days)
            for c in contacts
            if sets_follow_up(c)
        )
        for cid, contacts in recent.items()
    }
    return Agenda(shown, follow_ups)


def _reach(ev: Evaluator) -> int:
    """The most calendar days a follow-up can lie after the day its contact reached the
    other side: the longest period of the rule table (a working day taken as two calendar
    days, plus a month of holidays), or the grace period of a 催告函."""
    longest = [ev.grace_days, ev.rules.default_grace_days]
    for rule in ev.rules.rules.values():
        longest += [rule.days or 0, 2 * (rule.workdays or 0) + 30]
    return max(longest)


@overload
def listing(
    led: Ledger, ev: Evaluator, *, include_all: bool = ..., limit: int = ...
) -> StatusListing[CaseView]: ...
@overload
def listing(
    led: Ledger,
    ev: Evaluator,
    *,
    include_all: bool = ...,
    limit: int = ...,
    project: Callable[[CaseView], T] | None,
) -> StatusListing[T]: ...
def listing(
    led: Ledger,
    ev: Evaluator,
    *,
    include_all: bool = False,
    limit: int = 0,
    project: Callable[[CaseView], Any] | None = None,
) -> StatusListing[Any]:
    """`case_views()` for `status`/`agenda`: the same order, totals and views.

    Reads the derived cache (store/derived.py), recomputing first whatever is stale:
    the totals by aggregates over it, the `limit` most urgent cases (all when 0) by
    settling only the stored rows that can be among them. A ledger whose cache cannot
    be written (read-only) is computed from its facts instead (`listing_from_facts`).
    """
    import sqlite3

    from depositctl.store import derived
    from depositctl.store.schema import missing_objects

    if missing_objects(led.db.conn):  # a trigger dropped: the cache may be stale
        return listing_from_facts(led, ev, include_all=include_all, limit=limit, project=project)
    try:
        derived.ensure_fresh(led, ev)
    except sqlite3.OperationalError:
        return listing_from_facts(led, ev, include_all=include_all, limit=limit, project=project)
    try:
        return from_cache(led.db.conn, ev, include_all=include_all, limit=limit, project=project)
    except derived.UnreadableRow:  # a row edited by hand: the facts still hold
        return listing_from_facts(led, ev, include_all=include_all, limit=limit, project=project)


@overload
def from_cache(
    conn: sqlite3.Connection, ev: Evaluator, *, include_all: bool = ..., limit: int = ...
) -> StatusListing[CaseView]: ...
@overload
def from_cache(
    conn: sqlite3.Connection,
    ev: Evaluator,
    *,
    include_all: bool = ...,
    limit: int = ...,
    project: Callable[[CaseView], T] | None,
) -> StatusListing[T]: ...
def from_cache(
    conn: sqlite3.Connection,
    ev: Evaluator,
    *,
    include_all: bool = False,
    limit: int = 0,
    project: Callable[[CaseView], Any] | None = None,
) -> StatusListing[Any]:
    """`listing` of a ledger whose cache is fresh, open as `conn` (the fast path of
    `status` reads with a plain connection)."""
    from depositctl.store import derived

    totals = derived.totals(conn, ev.today, include_all=include_all)
    with paused_gc():
        rows: Iterable[tuple[int, bytes]] | None = (
            derived.most_overdue(conn, ev.today, limit) if limit else None
        )
        if rows is None:
            rows = derived.every(conn, include_all=include_all)
        try:
            # A projection (the `status` row or JSON item) shows no basis: none is parsed.
            views = derived.settled(ev, rows, lazy=project is not None)
            shown = ranked(views, limit, project)
        finally:
            close = getattr(rows, "close", None)
            if close is not None:  # a stream left early: closed while its database is open
                close()
    return StatusListing(shown, totals)


def listing_from_facts(
    led: Ledger,
    ev: Evaluator,
    *,
    include_all: bool = False,
    limit: int = 0,
    project: Callable[[CaseView], Any] | None = None,
) -> StatusListing[Any]:
    """`listing` computed from the facts: streams the cases (`Ledger.status_facts`) and
    keeps only the `limit` most urgent views (all when `limit` is 0)."""
    total, n_overdue = 0, 0
    outstanding, overdue = Decimal(0), Decimal(0)

    def counted() -> Iterator[CaseView]:
        nonlocal total, n_overdue, outstanding, overdue
        for facts in led.status_facts():
            v = ev.brief(facts)
            if not include_all and v.state not in OPEN_STATES:
                continue
            total += 1
            if v.state is not CLOSED:  # the name, not State.CLOSED: core/records
                outstanding += v.outstanding
            if v.state is OVERDUE:
                overdue += v.outstanding
                n_overdue += 1
            yield v

    with paused_gc():
        shown = ranked(counted(), limit, project)
    totals = Totals(total=total, outstanding=outstanding, overdue=overdue, n_overdue=n_overdue)
    return StatusListing(shown, totals)


class paused_gc:  # a context manager, named as the function it was
    """No cyclic garbage collection inside (reference counting still frees memory).

    Views hold no reference cycles, but while thousands of them are alive every
    collection walks them all again: a third of `status` over 10,000 cases, and 80% of
    turning 8,000 views into JSON items afterwards. A class, not `@contextmanager`:
    `contextlib` costs a 5-case `status` ~1 ms to import.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_enabled:
            gc.enable()
