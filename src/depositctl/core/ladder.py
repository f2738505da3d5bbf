"""The next action of a case: from its state, and once overdue from the route verdicts
(core/channels)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from depositctl.core.caseview import Action, Deadline, action
from depositctl.core.channels import NATURAL_PERSONS, OverdueFacts, Wait, overdue_next
from depositctl.core.errors import N_
from depositctl.core.periods import ISO
from depositctl.core.records import (
    AWAITING_ACTIVATION,
    CLOSED,
    CONDITION_FAILED,
    CONDITION_PENDING,
    REFUND_PENDING,
    REFUNDED,
    Case,
    State,
)
from depositctl.core.rules import Rules
from depositctl.core.vocab import DEFAULT_CAPACITY
from depositctl.core.workdays import WorkdayCalendar

# The templates of the actions, each marked once here rather than by a call of `N_` a
# case (issue 12).
_CLOSED = N_("nothing: the case is closed")
_REFUNDED = N_("nothing: the deposit is refunded")
_ACTIVATE = N_(
    "activate the terminal, keep the activation record, then: "
    "depositctl edit {id} --activated-on DATE"
)
_RETURN = N_(
    "return the terminal, keep the courier receipt, then: depositctl returned {id} --on DATE"
)
_PROGRESS = N_(
    "record card volume as it comes in ({remaining} yuan still to go by "
    "{deadline}): depositctl progress {id} --on DATE --volume X"
)
_PROGRESS_PLAIN = N_(
    "record card volume as it comes in: depositctl progress {id} --on DATE --volume X"
)
_ARGUE = N_(
    "ask the provider in writing to refund anyway, the condition may be "
    "unreasonable: depositctl letter {id} --to provider"
)
_REQUEST = N_(
    "ask the provider for the refund in writing and log it: "
    "depositctl contact {id} --on DATE --channel provider-complaint --refund-request"
)
_FOLLOW_LETTER = N_(
    "if your {letter} of {on} has no answer by {date}, follow up; the refund is due {due}"
)
_FOLLOW = N_(
    "if {channel} has not answered your contact of {on} by {date}, follow up; "
    "the refund is due {due}"
)
_WAIT_REFUND = N_("wait for the refund, due {due}; if it does not come, call the complaint line")
_AWAIT_LETTER = N_(
    "wait for the answer to your {letter} of {on} until {date}, then take the next step"
)
_AWAIT = N_("wait for the answer from {channel} until {date}, then take the next step")
_AWAIT_CHANNEL = N_("nothing to do before {date}; then see: depositctl channels {id}")
_AWAIT_BODY = N_(
    "wait for {channel} to decide, then record its answer: "
    "depositctl contact {id} --incoming --on DATE --channel C --outcome X"
)


def next_action(
    case: Case,
    follow_contact: tuple[str, date, str | None] | None,
    overdue: OverdueFacts | None,
    state: State,
    today: date,
    cal: WorkdayCalendar,
    rules: Rules,
    condition_deadline: Deadline | None,
    due: Deadline | None,
    open_follow_up: Deadline | None,
    effective_limit: Deadline | None,
    limitation_warning: bool,
    remaining: Decimal | None,
    capacity: str | None = None,
) -> tuple[Action, date | None]:
    """`follow_contact` is the (channel, day, letter) of the open follow-up's contact; `overdue`
    what the routes read from the contacts (`core.channels.overdue_facts`). `remaining`
    (the volume still to reach) is read for a pending condition alone. Called once a case
    of a listing (`settle`), by position: naming 14 arguments cost a case ~1,000
    instructions (issue 12)."""
    cid = case.id
    if state is REFUND_PENDING:  # the most common state before overdue: tested first
        if due is None:
            return action("request_refund", _REQUEST, {"id": cid}, False), today
        if open_follow_up is not None and today <= open_follow_up.on < due.on:
            assert follow_contact is not None
            channel, on, letter = follow_contact  # letter: one recorded by `sent`
            params = {
                "id": cid,
                "channel": channel,
                "letter": letter,
                "on": ISO[on],
                "date": ISO[open_follow_up.on],
                "due": ISO[due.on],
            }
            if not letter:
                del params["letter"]
            return action(
                "follow_up_then_wait",
                _FOLLOW_LETTER if letter else _FOLLOW,
                params,
                due.estimate or open_follow_up.estimate,
            ), open_follow_up.on
        return action(
            "wait_refund", _WAIT_REFUND, {"id": cid, "due": ISO[due.on]}, due.estimate
        ), due.on
    if state is CLOSED:
        return action("none_closed", _CLOSED, {}, False), None
    if state is REFUNDED:
        return action("none_refunded", _REFUNDED, {}, False), None
    if state is AWAITING_ACTIVATION:
        return action("activate", _ACTIVATE, {"id": cid}, False), (
            condition_deadline.on if condition_deadline else None
        )
    if state is CONDITION_PENDING:
        if case.condition.kind == "return":
            return action("return_device", _RETURN, {"id": cid}, False), None
        if remaining is not None and remaining > 0 and condition_deadline is not None:
            return action(
                "record_progress",
                _PROGRESS,
                {
                    "id": cid,
                    "remaining": f"{remaining:.2f}",
                    "deadline": ISO[condition_deadline.on],
                },
                False,
            ), condition_deadline.on
        return action("record_progress_plain", _PROGRESS_PLAIN, {"id": cid}, False), (
            condition_deadline.on if condition_deadline else None
        )
    if state is CONDITION_FAILED:
        return action("argue_condition", _ARGUE, {"id": cid}, False), today

    # Overdue: the route verdicts decide (core/channels): the limitation period first,
    # then a pending answer, then the `next` route for this merchant's capacity.
    assert due is not None
    assert overdue is not None
    return overdue_action(
        cid,
        overdue,
        follow_contact,
        today,
        cal,
        rules,
        capacity,
        open_follow_up,
        effective_limit,
        limitation_warning,
    )


def overdue_action(
    cid: int,
    overdue: OverdueFacts,
    follow_contact: tuple[str, date, str | None] | None,
    today: date,
    cal: WorkdayCalendar,
    rules: Rules,
    capacity: str | None,
    open_follow_up: Deadline | None,
    effective_limit: Deadline | None,
    limitation_warning: bool,
) -> tuple[Action, date | None]:
    """The `next` route's action; when no route is `next`, what the case waits for."""
    found = overdue_next(
        overdue,
        cid,
        (capacity or DEFAULT_CAPACITY) in NATURAL_PERSONS,
        today,
        rules,
        cal,
        open_follow_up,
        effective_limit,
        limitation_warning,
    )
    if type(found) is tuple:  # (route, action): not a `Wait`
        return found[1], today
    assert type(found) is Wait
    wait = found
    if wait.answer and open_follow_up is not None:
        assert follow_contact is not None
        channel, on, letter = follow_contact  # letter: one recorded by `sent`
        params = {"id": cid, "channel": channel, "date": ISO[open_follow_up.on]}
        if letter:
            params["letter"] = letter
            params["on"] = ISO[on]
        return action(
            "await_answer",
            _AWAIT_LETTER if letter else _AWAIT,
            params,
            open_follow_up.estimate,
        ), open_follow_up.on
    if wait.on is not None:
        return action(
            "await_channel",
            _AWAIT_CHANNEL,
            {"id": cid, "channel": wait.channel, "date": ISO[wait.on]},
            False,
        ), wait.on
    return action("await_body", _AWAIT_BODY, {"id": cid, "channel": wait.channel}, False), None
