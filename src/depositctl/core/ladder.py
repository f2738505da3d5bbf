"""The escalation ladder: how far the merchant has gone, and what to do next."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from depositctl.core.caseview import Action, Deadline
from depositctl.core.errors import N_
from depositctl.core.models import CaseFacts, Contact, State
from depositctl.core.periods import add_period
from depositctl.core.rules import Rules
from depositctl.core.workdays import WorkdayCalendar

#: Escalation ladder for an overdue refund, lowest first (DOMAIN.md, LEGAL.md).
LADDER = ("provider-complaint", "12315", "consumer-association", "12363", "court")


def ladder_level(contacts: tuple[Contact, ...]) -> int:
    """How far up the escalation ladder the merchant has gone (-1: not at all).

    Any contact that produced a ticket number counts as the provider's complaint channel;
    a reply of the other side (`incoming`) is no step the merchant took.
    """
    level = -1
    for c in contacts:
        if c.incoming:
            continue
        if c.channel in LADDER:
            level = max(level, LADDER.index(c.channel))
        elif c.ticket:
            level = max(level, 0)
    return level


def next_action(
    *,
    facts: CaseFacts,
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
) -> tuple[Action, date | None]:
    cid = facts.case.id
    if state is State.CLOSED:
        return Action(code="none_closed", text=N_("nothing: the case is closed")), None
    if state is State.REFUNDED:
        return Action(code="none_refunded", text=N_("nothing: the deposit is refunded")), None
    if state is State.AWAITING_ACTIVATION:
        return Action(
            code="activate",
            text=N_(
                "activate the terminal, keep the activation record, then: "
                "depositctl edit {id} --activated-on DATE"
            ),
            params={"id": cid},
        ), (condition_deadline.on if condition_deadline else None)
    if state is State.CONDITION_PENDING:
        if facts.case.condition.kind == "return":
            return Action(
                code="return_device",
                text=N_(
                    "return the terminal, keep the courier receipt, then: "
                    "depositctl returned {id} --on DATE"
                ),
                params={"id": cid},
            ), None
        if remaining is not None and remaining > 0 and condition_deadline is not None:
            return Action(
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
        return Action(
            code="record_progress_plain",
            text=N_(
                "record card volume as it comes in: depositctl progress {id} --on DATE --volume X"
            ),
            params={"id": cid},
        ), (condition_deadline.on if condition_deadline else None)
    if state is State.CONDITION_FAILED:
        return Action(
            code="argue_condition",
            text=N_(
                "ask the provider in writing to refund anyway, the condition may be "
                "unreasonable: depositctl letter {id} --to provider"
            ),
            params={"id": cid},
        ), today
    if state is State.REFUND_PENDING and due is None:
        return Action(
            code="request_refund",
            text=N_(
                "ask the provider for the refund in writing and log it: "
                "depositctl contact {id} --on DATE --channel provider-complaint --refund-request"
            ),
            params={"id": cid},
        ), today
    assert due is not None
    if state is State.REFUND_PENDING:
        if open_follow_up is not None and today <= open_follow_up.on < due.on:
            contact = next(c for c in facts.contacts if c.id == open_follow_up.contact_id)
            return Action(
                code="follow_up_then_wait",
                text=N_(
                    "if {channel} has not answered your contact of {on} by {date}, follow up; "
                    "the refund is due {due}"
                ),
                params={
                    "id": cid,
                    "channel": contact.channel,
                    "on": contact.on.isoformat(),
                    "date": open_follow_up.on.isoformat(),
                    "due": due.on.isoformat(),
                },
                estimate=due.estimate or open_follow_up.estimate,
            ), open_follow_up.on
        return Action(
            code="wait_refund",
            text=N_("wait for the refund, due {due}; if it does not come, call the complaint line"),
            params={"id": cid, "due": due.on.isoformat()},
            estimate=due.estimate,
        ), due.on

    # Overdue: the limitation period comes first, then a pending answer, then the ladder.
    if limitation_warning and effective_limit is not None:
        return Action(
            code="stop_limitation",
            text=N_(
                "send a written demand now, it restarts the limitation period ending "
                "{limit}: depositctl letter {id} --to provider"
            ),
            params={"id": cid, "limit": effective_limit.on.isoformat()},
        ), today
    if open_follow_up is not None and open_follow_up.on >= today:
        channel = next(c.channel for c in facts.contacts if c.id == open_follow_up.contact_id)
        return Action(
            code="await_answer",
            text=N_("wait for the answer from {channel} until {date}, then take the next step"),
            params={"id": cid, "channel": channel, "date": open_follow_up.on.isoformat()},
            estimate=open_follow_up.estimate,
        ), open_follow_up.on
    level = ladder_level(facts.contacts)
    if level < 0:
        return Action(
            code="call_provider",
            text=N_(
                "call the provider's complaint line, ask for a ticket number, then: "
                "depositctl contact {id} --on DATE --channel provider-complaint --ticket T"
            ),
            params={"id": cid},
        ), today
    if level == 0:
        rule = rules.follow_up_rule("12315", None)
        follow, estimate = add_period(today, rule, cal)
        return Action(
            code="file_12315",
            text=N_("file at 12315 (follow-up due {date}): depositctl letter {id} --to 12315"),
            params={"id": cid, "date": follow.isoformat()},
            estimate=estimate,
        ), today
    if level == 1:
        return Action(
            code="write_consumer_association",
            text=N_(
                "write to the consumer association: depositctl letter {id} --to consumer-association"
            ),
            params={"id": cid},
        ), today
    if level == 2:
        rule = rules.follow_up_rule("12363", None)
        follow, estimate = add_period(today, rule, cal)
        return Action(
            code="file_12363",
            text=N_(
                "complain to the People's Bank of China at 12363 (follow-up due {date}): "
                "depositctl letter {id} --to 12363"
            ),
            params={"id": cid, "date": follow.isoformat()},
            estimate=estimate,
        ), today
    limit = effective_limit.on.isoformat() if effective_limit else ""
    return Action(
        code="small_claims",
        text=N_("consider the small-claims court, before the limitation period ends {limit}"),
        params={"id": cid, "limit": limit},
    ), today
