"""The next action of a case: from its state, and once overdue from the route verdicts
(core/channels)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from depositctl.core.caseview import Action, Deadline, action
from depositctl.core.channels import NATURAL_PERSONS, OverdueFacts, Wait, overdue_next
from depositctl.core.errors import N_
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


def next_action(
    *,
    case: Case,
    follow_contact: tuple[str, date] | None,
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
    """`follow_contact` is the (channel, day) of the open follow-up's contact; `overdue`
    what the routes read from the contacts (`core.channels.overdue_facts`)."""
    cid = case.id
    if state is CLOSED:
        return action(code="none_closed", text=N_("nothing: the case is closed")), None
    if state is REFUNDED:
        return action(code="none_refunded", text=N_("nothing: the deposit is refunded")), None
    if state is AWAITING_ACTIVATION:
        return action(
            code="activate",
            text=N_(
                "activate the terminal, keep the activation record, then: "
                "depositctl edit {id} --activated-on DATE"
            ),
            params={"id": cid},
        ), (condition_deadline.on if condition_deadline else None)
    if state is CONDITION_PENDING:
        if case.condition.kind == "return":
            return action(
                code="return_device",
                text=N_(
                    "return the terminal, keep the courier receipt, then: "
                    "depositctl returned {id} --on DATE"
                ),
                params={"id": cid},
            ), None
        if remaining is not None and remaining > 0 and condition_deadline is not None:
            return action(
                code="record_progress",
                text=N_(
                    "record card volume as it comes in ({remaining} yuan still to go by "
                    "{deadline}): depositctl progress {id} --on DATE --volume X"
                ),
                params={
                    "id": cid,
                    "remaining": f"{remaining:.2f}",
                    "deadline": condition_deadline.on.isoformat(),
                },
            ), condition_deadline.on
        return action(
            code="record_progress_plain",
            text=N_(
                "record card volume as it comes in: depositctl progress {id} --on DATE --volume X"
            ),
            params={"id": cid},
        ), (condition_deadline.on if condition_deadline else None)
    if state is CONDITION_FAILED:
        return action(
            code="argue_condition",
            text=N_(
                "ask the provider in writing to refund anyway, the condition may be "
                "unreasonable: depositctl letter {id} --to provider"
            ),
            params={"id": cid},
        ), today
    if state is REFUND_PENDING and due is None:
        return action(
            code="request_refund",
            text=N_(
                "ask the provider for the refund in writing and log it: "
                "depositctl contact {id} --on DATE --channel provider-complaint --refund-request"
            ),
            params={"id": cid},
        ), today
    assert due is not None
    if state is REFUND_PENDING:
        if open_follow_up is not None and today <= open_follow_up.on < due.on:
            assert follow_contact is not None
            channel, on = follow_contact
            letter = open_follow_up.basis.params.get("letter")  # a letter recorded by `sent`
            return action(
                code="follow_up_then_wait",
                text=N_(
                    "if your {letter} of {on} has no answer by {date}, follow up; "
                    "the refund is due {due}"
                )
                if letter
                else N_(
                    "if {channel} has not answered your contact of {on} by {date}, follow up; "
                    "the refund is due {due}"
                ),
                params={
                    "id": cid,
                    "channel": channel,
                    **({"letter": letter} if letter else {}),
                    "on": on.isoformat(),
                    "date": open_follow_up.on.isoformat(),
                    "due": due.on.isoformat(),
                },
                estimate=due.estimate or open_follow_up.estimate,
            ), open_follow_up.on
        return action(
            code="wait_refund",
            text=N_("wait for the refund, due {due}; if it does not come, call the complaint line"),
            params={"id": cid, "due": due.on.isoformat()},
            estimate=due.estimate,
        ), due.on

    # Overdue: the route verdicts decide (core/channels): the limitation period first,
    # then a pending answer, then the `next` route for this merchant's capacity.
    assert overdue is not None
    return overdue_action(
        cid=cid,
        overdue=overdue,
        follow_contact=follow_contact,
        today=today,
        cal=cal,
        rules=rules,
        capacity=capacity,
        open_follow_up=open_follow_up,
        effective_limit=effective_limit,
        limitation_warning=limitation_warning,
    )


def overdue_action(
    *,
    cid: int,
    overdue: OverdueFacts,
    follow_contact: tuple[str, date] | None,
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
        cid=cid,
        natural=(capacity or DEFAULT_CAPACITY) in NATURAL_PERSONS,
        today=today,
        rules=rules,
        cal=cal,
        open_follow_up=open_follow_up,
        effective_limit=effective_limit,
        limitation_warning=limitation_warning,
    )
    if not isinstance(found, Wait):
        return found[1], today
    wait = found
    if wait.answer and open_follow_up is not None:
        assert follow_contact is not None
        channel, on = follow_contact
        letter = open_follow_up.basis.params.get("letter")  # a letter recorded by `sent`
        return action(
            code="await_answer",
            text=N_(
                "wait for the answer to your {letter} of {on} until {date}, then take the next step"
            )
            if letter
            else N_("wait for the answer from {channel} until {date}, then take the next step"),
            params={
                "id": cid,
                "channel": channel,
                "date": open_follow_up.on.isoformat(),
                **({"letter": letter, "on": on.isoformat()} if letter else {}),
            },
            estimate=open_follow_up.estimate,
        ), open_follow_up.on
    if wait.on is not None:
        return action(
            code="await_channel",
            text=N_("nothing to do before {date}; then see: depositctl channels {id}"),
            params={"id": cid, "channel": wait.channel, "date": wait.on.isoformat()},
        ), wait.on
    return action(
        code="await_body",
        text=N_(
            "wait for {channel} to decide, then record its answer: "
            "depositctl contact {id} --incoming --on DATE --channel C --outcome X"
        ),
        params={"id": cid, "channel": wait.channel},
    ), None
