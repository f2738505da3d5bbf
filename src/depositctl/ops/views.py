"""What the ledger says now: one case (`show`), the listings of many (`status`,
`agenda`, `ics`, `bundle --all`)."""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from depositctl.core.caseview import CaseView
from depositctl.core.evaluator import Evaluator
from depositctl.core.models import State
from depositctl.ops.env import Env, evaluator, opened
from depositctl.store.ledger import Ledger

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


@dataclass
class StatusListing:
    """What `status` prints: the cases shown, most urgent first, and the totals of all."""

    shown: list[CaseView]
    total: int
    outstanding: Decimal
    overdue: Decimal
    n_overdue: int


def status_listing(env: Env, *, include_all: bool = False, limit: int = 0) -> StatusListing:
    """`status`/`agenda`: the cases (open ones unless `include_all`), most urgent first,
    the `limit` first of them (all when 0), and the totals of all."""
    with opened(env) as led:
        return listing(led, evaluator(env, led), include_all=include_all, limit=limit)


def listing(
    led: Ledger, ev: Evaluator, *, include_all: bool = False, limit: int = 0
) -> StatusListing:
    """`case_views()` for `status`/`agenda`: the same order, totals and views, in one pass.

    Streams the cases (`Ledger.status_facts`) and keeps only the `limit` most urgent
    views (all when `limit` is 0), so a default `status` over 100,000 cases holds 50
    views, not 100,000.
    """
    total, n_overdue = 0, 0
    outstanding, overdue = Decimal(0), Decimal(0)

    def counted() -> Iterator[CaseView]:
        nonlocal total, n_overdue, outstanding, overdue
        for facts in led.status_facts():
            v = ev.brief(facts)
            if not include_all and v.state not in OPEN_STATES:
                continue
            total += 1
            if v.state is not State.CLOSED:
                outstanding += v.outstanding
            if v.state is State.OVERDUE:
                overdue += v.outstanding
                n_overdue += 1
            yield v

    key = CaseView.urgency_key
    with paused_gc():
        shown = heapq.nsmallest(limit, counted(), key=key) if limit else sorted(counted(), key=key)
    return StatusListing(shown, total, outstanding, overdue, n_overdue)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside (reference counting still frees memory).

    Views hold no reference cycles, but while thousands of them are alive every
    collection walks them all again: a third of `status` over 10,000 cases, and 80% of
    turning 8,000 views into JSON items afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
