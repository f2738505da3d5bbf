"""The deadline rules of DESIGN.md, as pure functions of the facts and `today`.

Every computed date carries its basis: which rule, which fact, which article. The
English templates are marked with N_ and translated by the renderers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import Field

from depositctl.core.errors import N_
from depositctl.core.models import CaseFacts, Contact, Frozen, State
from depositctl.core.rules import Rule, Rules
from depositctl.core.workdays import WorkdayCalendar

#: Escalation ladder for an overdue refund, lowest first (DOMAIN.md, LEGAL.md).
LADDER = ("provider-complaint", "12315", "consumer-association", "12363", "court")
#: Channels whose record is a written, provable demand (interrupts limitation, 民法典 195).
WRITTEN_CHANNELS = frozenset(
    {
        "email",
        "chat",
        "wechat",
        "provider-complaint",
        "12315",
        "consumer-association",
        "12363",
        "blackcat",
        "lawyer",
        "court",
    }
)

DeadlineKind = Literal["condition", "refund_due", "follow_up", "limitation", "limitation_restart"]


class Basis(Frozen):
    """Why a date is what it is: a rule, the facts it used, and the law behind it."""

    rule: str
    text: str
    params: dict[str, Any] = Field(default_factory=dict)
    citation: str | None = None


class Deadline(Frozen):
    kind: DeadlineKind
    on: date
    basis: Basis
    estimate: bool = False
    is_default: bool = False
    contact_id: int | None = None


class Action(Frozen):
    """The next thing to do, as a template for the renderers."""

    code: str
    text: str
    params: dict[str, Any] = Field(default_factory=dict)
    #: The date in the text was counted in working days beyond the known calendar (rule 5).
    estimate: bool = False


class CaseView(Frozen):
    """A case with everything computed from its facts as of `today`."""

    facts: CaseFacts
    today: date
    state: State
    refunded: Decimal
    outstanding: Decimal
    progress_volume: Decimal
    progress_count: int
    condition_deadline: Deadline | None = None
    condition_met_on: date | None = None
    condition_met_basis: Basis | None = None
    trigger_on: date | None = None
    trigger_basis: Basis | None = None
    refund_due: Deadline | None = None
    days_overdue: int = 0
    follow_ups: tuple[Deadline, ...] = ()
    open_follow_up: Deadline | None = None
    limitation: Deadline | None = None
    limitation_restart: Deadline | None = None
    limitation_warning: bool = False
    #: Rule 7: where the limitation period would end if a written demand were made today.
    limitation_if_demanded_today: date | None = None
    next_action: Action
    next_deadline: date | None = None

    @property
    def id(self) -> int:
        return self.facts.case.id

    @property
    def estimate(self) -> bool:
        """Whether any date shown for this case rests on an estimated calendar."""
        dates = [self.refund_due, self.open_follow_up]
        return any(d is not None and d.estimate for d in dates)

    def urgency_key(self) -> tuple[int, int, date, int]:
        """Overdue first, most days first; then the nearest deadline; then id."""
        overdue = self.state is State.OVERDUE
        return (
            0 if overdue else 1,
            -self.days_overdue,
            self.next_deadline or date.max,
            self.id,
        )


def _add_period(
    start: date, rule: Rule, cal: WorkdayCalendar, override_days: int | None = None
) -> tuple[date, bool]:
    if override_days is not None:
        return start + timedelta(days=override_days), False
    if rule.workdays is not None:
        return cal.add_workdays(start, rule.workdays)
    if rule.years is not None:
        return start + relativedelta(years=rule.years), False
    return start + timedelta(days=rule.days or 0), False


def follow_up_for(contact: Contact, rules: Rules, cal: WorkdayCalendar) -> Deadline:
    """Rule 6: `--promised-by`, else the channel's rule, else the default period."""
    if contact.promised_by is not None:
        return Deadline(
            kind="follow_up",
            on=contact.promised_by,
            contact_id=contact.id,
            basis=Basis(
                rule="promise",
                text=N_("promised on {on} to answer by this date"),
                params={"on": contact.on.isoformat()},
            ),
        )
    rule = rules.follow_up_rule(contact.channel, contact.outcome)
    on, estimate = _add_period(contact.on, rule, cal)
    if rule.workdays is not None:
        text = N_("{channel} contact on {on} + {n} working days")
        n = rule.workdays
    else:
        text = N_("{channel} contact on {on} + {n} days")
        n = rule.days or 0
    return Deadline(
        kind="follow_up",
        on=on,
        estimate=estimate,
        is_default=rule.law is None,
        contact_id=contact.id,
        basis=Basis(
            rule=rule.id,
            text=text,
            params={"channel": contact.channel, "on": contact.on.isoformat(), "n": n},
            citation=rule.citation,
        ),
    )


def _condition_met(facts: CaseFacts, deadline: date | None) -> tuple[date | None, Basis | None]:
    """Rule 2: the first date progress reaches every target within the window."""
    case = facts.case
    cond = case.condition
    if case.met_on is not None:
        return case.met_on, Basis(
            rule="met", text=N_("marked as met on {on}"), params={"on": case.met_on.isoformat()}
        )
    if cond.kind != "target":
        return None, None
    if cond.volume is None and cond.count is None:
        # Only a period: the condition is to keep (use) the terminal that long.
        if deadline is not None:
            return deadline, Basis(
                rule="condition_days",
                text=N_("terminal kept for the agreed {days} days"),
                params={"days": cond.days},
            )
        return None, None
    # Whole days: a day's entries (a sale and, from a later statement, its cancellation)
    # count net, so the condition is met on the first day whose end reaches the targets.
    volume, count = Decimal(0), 0
    entries = sorted(facts.progress, key=lambda p: (p.on, p.id))
    for i, entry in enumerate(entries):
        if deadline is not None and entry.on > deadline:
            break
        volume += entry.volume
        count += entry.count or 0
        if i + 1 < len(entries) and entries[i + 1].on == entry.on:
            continue
        if (cond.volume is None or volume >= cond.volume) and (
            cond.count is None or count >= cond.count
        ):
            return entry.on, Basis(
                rule="progress",
                text=N_("recorded progress reached {volume} yuan / {count} transactions on {on}"),
                params={"volume": f"{volume:.2f}", "count": count, "on": entry.on.isoformat()},
            )
    return None, None


def _trigger(facts: CaseFacts, met_on: date | None) -> tuple[date | None, Basis | None]:
    """Rule 3: the event from which the refund period runs."""
    case = facts.case
    kind = case.condition.kind
    if kind == "target" or (kind == "unknown" and met_on is not None):
        # A case whose condition was never recorded but was marked as met by hand is
        # a conditional one: the refund period runs from that date.
        if met_on is None:
            return None, None
        return met_on, Basis(
            rule="trigger_met", text=N_("condition met on {on}"), params={"on": met_on.isoformat()}
        )
    if kind == "return":
        if case.returned_on is None:
            return None, None
        return case.returned_on, Basis(
            rule="trigger_return",
            text=N_("terminal returned on {on}"),
            params={"on": case.returned_on.isoformat()},
        )
    requests = sorted((c for c in facts.contacts if c.refund_request), key=lambda c: (c.on, c.id))
    if not requests:
        return None, None
    first = requests[0]
    return first.on, Basis(
        rule="trigger_request",
        text=N_("refund requested on {on} ({channel})"),
        params={"on": first.on.isoformat(), "channel": first.channel},
    )


def _refund_due(
    facts: CaseFacts,
    trigger: date | None,
    rules: Rules,
    cal: WorkdayCalendar,
    grace_days: int,
) -> Deadline | None:
    """Rule 4: promised date; else trigger + agreed limit; else trigger + default grace."""
    case = facts.case
    if case.promised_refund_on is not None:
        return Deadline(
            kind="refund_due",
            on=case.promised_refund_on,
            basis=Basis(
                rule="promised_refund",
                text=N_("refund promised for this date"),
                citation=rules["deposit_refund"].citation,
            ),
        )
    if trigger is None:
        return None
    within = case.refund_within
    if within is not None:
        if within.unit == "wd":
            on, estimate = cal.add_workdays(trigger, within.n)
            text = N_("{trigger} + {n} working days (agreed refund time limit)")
        else:
            on, estimate = trigger + timedelta(days=within.n), False
            text = N_("{trigger} + {n} days (agreed refund time limit)")
        return Deadline(
            kind="refund_due",
            on=on,
            estimate=estimate,
            basis=Basis(
                rule="refund_within",
                text=text,
                params={"trigger": trigger.isoformat(), "n": within.n},
                citation=rules["deposit_refund"].citation,
            ),
        )
    return Deadline(
        kind="refund_due",
        on=trigger + timedelta(days=grace_days),
        is_default=True,
        basis=Basis(
            rule="default_grace",
            text=N_(
                "{trigger} + {n} days: depositctl's default grace period, "
                "not a time limit from the contract"
            ),
            params={"trigger": trigger.isoformat(), "n": grace_days},
            citation=rules["unclear_time"].citation,
        ),
    )


def _restart_years(rules: Rules) -> int:
    """How long a provable written demand restarts the limitation period for (民法典 195)."""
    return rules["limitation_interrupt"].years or rules["limitation"].years or 3


@cache
def _years_after(day: date, years: int) -> date:  # the same for every case of a listing
    return day + relativedelta(years=years)


def _limitation(
    facts: CaseFacts, due: Deadline | None, rules: Rules
) -> tuple[Deadline | None, Deadline | None]:
    """Rule 7: refund due + 3 years; restarted by a later provable written demand."""
    if due is None:
        return None, None
    rule = rules["limitation"]
    years = rule.years or 3
    limitation = Deadline(
        kind="limitation",
        on=due.on + relativedelta(years=years),
        estimate=due.estimate,
        basis=Basis(
            rule=rule.id,
            text=N_("refund due {due} + {years} years (the earliest, conservative date)"),
            params={"due": due.on.isoformat(), "years": years},
            citation=rule.citation,
        ),
    )
    demands = [
        c
        for c in facts.contacts
        if c.refund_request and c.channel in WRITTEN_CHANNELS and c.on > due.on
    ]
    restart = None
    if demands:
        last = max(demands, key=lambda c: (c.on, c.id))
        irule = rules["limitation_interrupt"]
        restart_years = _restart_years(rules)
        restart = Deadline(
            kind="limitation_restart",
            on=last.on + relativedelta(years=restart_years),
            contact_id=last.id,
            basis=Basis(
                rule=irule.id,
                text=N_("written refund demand on {on} ({channel}) + {years} years"),
                params={"on": last.on.isoformat(), "channel": last.channel, "years": restart_years},
                citation=irule.citation,
            ),
        )
    return limitation, restart


def evaluate(
    facts: CaseFacts,
    today: date,
    cal: WorkdayCalendar,
    rules: Rules,
    grace_days: int | None = None,
    *,
    all_follow_ups: bool = True,
) -> CaseView:
    """Compute the state, every deadline and the next action of one case.

    With `all_follow_ups=False` (listings: `status`, `agenda`) only the open follow-up
    is computed and `follow_ups` is left empty; everything else is the same.
    """
    case = facts.case
    cond = case.condition
    grace = rules.default_grace_days if grace_days is None else grace_days

    refunded = sum((r.amount for r in facts.refunds), Decimal("0.00"))
    outstanding = max(case.amount - refunded, Decimal("0.00"))
    progress_volume = sum((p.volume for p in facts.progress), Decimal("0.00"))
    progress_count = sum(p.count or 0 for p in facts.progress)

    condition_deadline = None
    if cond.kind == "target" and cond.days is not None:
        start = case.activated_on or case.paid_on
        condition_deadline = Deadline(
            kind="condition",
            on=start + timedelta(days=cond.days),
            basis=Basis(
                rule="condition_window",
                text=(
                    N_("activated {start} + {days} days (the agreed condition window)")
                    if case.activated_on
                    else N_("paid {start} + {days} days (no activation date recorded)")
                ),
                params={"start": start.isoformat(), "days": cond.days},
            ),
        )

    window_end = condition_deadline.on if condition_deadline else None
    met_on, met_basis = _condition_met(facts, window_end)
    if met_on is not None and met_on > today and case.met_on is None:
        met_on, met_basis = None, None  # a kept-for-N-days condition still running
    trigger_on, trigger_basis = _trigger(facts, met_on)
    due = _refund_due(facts, trigger_on, rules, cal, grace)

    if case.closed_on is not None:
        state = State.CLOSED
    elif outstanding == 0:
        state = State.REFUNDED
    elif due is not None and today > due.on:
        state = State.OVERDUE
    elif due is not None or trigger_on is not None or cond.kind in ("none", "unknown"):
        state = State.REFUND_PENDING
    elif cond.kind == "return":
        state = State.CONDITION_PENDING
    elif condition_deadline is not None and today > condition_deadline.on:
        state = State.CONDITION_FAILED
    elif case.activated_on is None and not facts.progress:
        state = State.AWAITING_ACTIVATION
    else:
        state = State.CONDITION_PENDING

    days_overdue = (today - due.on).days if state is State.OVERDUE and due else 0
    follow_ups: tuple[Deadline, ...] = ()
    if all_follow_ups:
        follow_ups = tuple(follow_up_for(c, rules, cal) for c in facts.contacts)
    open_follow_up = None
    if facts.contacts and state not in (State.CLOSED, State.REFUNDED):
        last = max(facts.contacts, key=lambda c: (c.on, c.at_time is not None, c.at_time, c.id))
        if all_follow_ups:
            open_follow_up = next(f for f in follow_ups if f.contact_id == last.id)
        else:
            open_follow_up = follow_up_for(last, rules, cal)

    limitation, restart = _limitation(facts, due, rules)
    effective_limit = restart or limitation
    limitation_warning = (
        state is State.OVERDUE
        and effective_limit is not None
        and (effective_limit.on - today).days < rules.limitation_warning_days
    )

    action, next_deadline = _next_action(
        facts=facts,
        state=state,
        today=today,
        cal=cal,
        rules=rules,
        condition_deadline=condition_deadline,
        due=due,
        open_follow_up=open_follow_up,
        effective_limit=effective_limit,
        limitation_warning=limitation_warning,
        remaining=(cond.volume - progress_volume) if cond.volume is not None else None,
    )

    return CaseView(
        facts=facts,
        today=today,
        state=state,
        refunded=refunded,
        outstanding=outstanding,
        progress_volume=progress_volume,
        progress_count=progress_count,
        condition_deadline=condition_deadline,
        condition_met_on=met_on,
        condition_met_basis=met_basis,
        trigger_on=trigger_on,
        trigger_basis=trigger_basis,
        refund_due=due,
        days_overdue=days_overdue,
        follow_ups=follow_ups,
        open_follow_up=open_follow_up,
        limitation=limitation,
        limitation_restart=restart,
        limitation_warning=limitation_warning,
        limitation_if_demanded_today=(
            _years_after(today, _restart_years(rules)) if limitation is not None else None
        ),
        next_action=action,
        next_deadline=next_deadline,
    )


def ladder_level(contacts: tuple[Contact, ...]) -> int:
    """How far up the escalation ladder the merchant has gone (-1: not at all).

    Any contact that produced a ticket number counts as the provider's complaint channel.
    """
    level = -1
    for c in contacts:
        if c.channel in LADDER:
            level = max(level, LADDER.index(c.channel))
        elif c.ticket:
            level = max(level, 0)
    return level


def _next_action(
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
        follow, estimate = _add_period(today, rule, cal)
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
        follow, estimate = _add_period(today, rule, cal)
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
