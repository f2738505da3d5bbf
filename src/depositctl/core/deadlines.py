"""The deadline rules of DESIGN.md, as pure functions of the facts and `today`.

Every computed date carries its basis: which rule, which fact, which article. The
English templates are marked with N_ and translated by the renderers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from depositctl.core.caseview import Basis, CaseView, Deadline
from depositctl.core.channels import OverdueFacts, overdue_facts, received_on
from depositctl.core.errors import N_
from depositctl.core.ladder import next_action
from depositctl.core.periods import add_period, kept_for_today, years_after, years_of
from depositctl.core.records import (
    AWAITING_ACTIVATION,
    CLOSED,
    CONDITION_FAILED,
    CONDITION_PENDING,
    OVERDUE,
    REFUND_PENDING,
    REFUNDED,
    CaseFacts,
    Contact,
    own_contacts,
)
from depositctl.core.recordtype import builder, record
from depositctl.core.rules import Rules
from depositctl.core.vocab import CHANNEL, RECIPIENT
from depositctl.core.workdays import WorkdayCalendar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from depositctl.core.models import NewContact

#: Channels whose record is a written, provable demand (interrupts limitation, 民法典 195).
WRITTEN_CHANNELS = frozenset(c.value for c in CHANNEL if c.written)
#: SAME_DAY_VIAS and received_on live in core/channels (which counts from them too).
#: The recipient whose letter is a demand on the obligor itself (the 催告函): its reply
#: period is the grace period of rule 4, "自收到本函之日起" (from delivery).
PROVIDER_LETTER = "provider"


#: Letters that demand the refund from the obligor itself: the provider's 催告函. A
#: complaint to a body (12315, a consumer association, 12363) asks that body to act; it is
#: no demand made to the obligor (民法典 第195条), so `sent` records it without
#: `refund_request`: it neither starts rule 4's grace period nor restarts limitation.
DEMANDS = frozenset({PROVIDER_LETTER})
#: Channels that reach a third party rather than the obligor, besides the complaint
#: bodies (`body` channels): no demand on the obligor (`obligor_demands`).
THIRD_PARTIES = frozenset({"court", "lawyer", "blackcat"})


def letter_contact(
    case_id: int,
    recipient: str,
    on: date,
    via: str,
    tracking: str | None = None,
    delivered_on: date | None = None,
) -> NewContact:
    """A letter recorded by `sent` (or a case file's `[[cases.sent]]`): a contact of the
    merchant's on the recipient's channel, a written refund request when the letter
    demands the refund from the obligor (`DEMANDS`)."""
    from depositctl.core.models import NewContact  # a write model (pydantic), not for status

    return NewContact(
        case_id=case_id,
        on=on,
        channel=RECIPIENT[recipient].channel,
        letter=recipient,
        via=via,
        tracking=tracking,
        delivered_on=delivered_on,
        refund_request=recipient in DEMANDS,
    )


def obligor_demands(facts: CaseFacts) -> list[Contact]:
    """The merchant's refund requests made to the obligor's side: the provider and the
    agent or salesperson acting for it (phone, WeChat, email, a visit…), or its 催告函
    recorded by `sent`. A complaint to a body (12315, a consumer association, 12363, PCAC),
    a court, a lawyer or Black Cat asks a third party to act and is no demand made to the
    obligor (民法典 第195条, 第511条(四)), even when it asks for the refund."""
    out = []
    for c in own_contacts(facts.contacts):
        term = CHANNEL.get(c.channel)
        third = term is not None and (term.body or c.channel in THIRD_PARTIES)
        if c.refund_request and (c.letter in DEMANDS or not third):
            out.append(c)
    return out


def sets_follow_up(contact: Contact) -> bool:
    """Rule 6 applies to the merchant's own contacts; of the other side's replies
    (`incoming`) only to an acceptance (`accepted`: the time the body then has to
    mediate or decide) and to a reply that promised a date (`--promised-by`)."""
    return not contact.incoming or contact.outcome == "accepted" or contact.promised_by is not None


def _letter_title(contact: Contact) -> str:
    recipient = RECIPIENT.get(contact.letter or "")
    return recipient.title if recipient is not None and recipient.title else str(contact.letter)


def follow_up_for(
    contact: Contact, rules: Rules, cal: WorkdayCalendar, grace_days: int | None = None
) -> Deadline:
    """Rule 6: `--promised-by`, else a sent letter's reply-by date, else the channel's
    rule (`channel.outcome` first), else the default period.

    A sent letter (`letter`) is answered from the day it reached the recipient
    (`received_on`): the provider's 催告函 within the grace period of rule 4
    (`grace_days`, else the rule table's), any other letter within its channel's period.
    """
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
    if contact.letter is not None:
        return _letter_reply(contact, rules, cal, grace_days)
    rule = rules.follow_up_rule(contact.channel, contact.outcome)
    on, estimate = add_period(contact.on, rule, cal)
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


def _letter_reply(
    contact: Contact, rules: Rules, cal: WorkdayCalendar, grace_days: int | None
) -> Deadline:
    start, provisional = received_on(contact)
    params: dict[str, object] = {"letter": _letter_title(contact), "on": start.isoformat()}
    if contact.letter == PROVIDER_LETTER:
        rule = rules["default_grace"]
        n = rules.default_grace_days if grace_days is None else grace_days
        on, estimate = start + timedelta(days=n), False
        text = (
            N_("{letter} sent on {on}, delivery not yet recorded: + {n} days (provisional)")
            if provisional
            else N_("{letter} delivered on {on} + {n} days (the reply period the letter sets)")
        )
    else:
        recipient = RECIPIENT.get(contact.letter or "")
        rule = rules.follow_up_rule(recipient.channel if recipient else contact.channel, None)
        on, estimate = add_period(start, rule, cal)
        n = rule.workdays if rule.workdays is not None else (rule.days or 0)
        if rule.workdays is not None:
            text = (
                N_(
                    "{letter} sent on {on}, delivery not yet recorded: + {n} working days "
                    "(provisional)"
                )
                if provisional
                else N_("{letter} received on {on} + {n} working days")
            )
        else:
            text = (
                N_("{letter} sent on {on}, delivery not yet recorded: + {n} days (provisional)")
                if provisional
                else N_("{letter} received on {on} + {n} days")
            )
    params["n"] = n
    return Deadline(
        kind="follow_up",
        on=on,
        estimate=estimate,
        # The 催告函's period is the one the letter itself sets, not a default of ours.
        is_default=rule.law is None and contact.letter != PROVIDER_LETTER,
        contact_id=contact.id,
        provisional=provisional,
        basis=Basis(rule=rule.id, text=text, params=params, citation=rule.citation),
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
    requests = sorted(
        (c for c in own_contacts(facts.contacts) if c.refund_request), key=lambda c: (c.on, c.id)
    )
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
    """Rule 4: promised date; else trigger + agreed limit; else, where no time was
    agreed, the later of the trigger and the first refund request to the obligor
    (`obligor_demands`; for a sent letter the day it was delivered) + the default grace;
    None before any such request."""
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
    # No time agreed: owed once demanded (民法典 511(4)), so the grace period runs from
    # the later of the trigger and the first demand (the day it reached the other side).
    requests = obligor_demands(facts)
    if not requests:
        return None
    first = min(requests, key=lambda c: (received_on(c)[0], c.id))
    demand, provisional = received_on(first)
    params: dict[str, object] = {"trigger": trigger.isoformat(), "n": grace_days}
    if demand > trigger:
        start = demand
        params.update(demand=demand.isoformat(), channel=first.channel)
        text = N_(
            "refund demanded on {demand} ({channel}), after {trigger}, + {n} days: "
            "depositctl's default grace period, not a time limit from the contract"
        )
    else:
        # Still provisional when the trigger is that same undelivered letter's sending day.
        start, provisional = trigger, provisional and demand == trigger
        text = N_(
            "{trigger} + {n} days: depositctl's default grace period, "
            "not a time limit from the contract"
        )
    return Deadline(
        kind="refund_due",
        on=start + timedelta(days=grace_days),
        is_default=True,
        provisional=provisional,
        basis=Basis(
            rule="default_grace",
            text=text,
            params=params,
            citation=rules["unclear_time"].citation,
        ),
    )


def _restart_years(rules: Rules) -> int:
    """How long a provable written demand restarts the limitation period for (民法典 195)."""
    return years_of(rules["limitation_interrupt"])


@kept_for_today
def if_demanded_today(today: date, rules: Rules) -> date:
    """Rule 7: where the limitation period would end if a written demand were made
    `today` (the same for every case of a listing)."""
    return years_after(today, _restart_years(rules))


def _limitation(
    facts: CaseFacts, due: Deadline | None, rules: Rules
) -> tuple[Deadline | None, Deadline | None]:
    """Rule 7: refund due + 3 years; restarted by a later provable written demand."""
    if due is None:
        return None, None
    rule = rules["limitation"]
    years = years_of(rule)
    limitation = Deadline(
        kind="limitation",
        on=years_after(due.on, years),
        estimate=due.estimate,
        provisional=due.provisional,
        basis=Basis(
            rule=rule.id,
            text=N_("refund due {due} + {years} years (the earliest, conservative date)"),
            params={"due": due.on.isoformat(), "years": years},
            citation=rule.citation,
        ),
    )
    # A demand interrupts once it reaches the obligor (诉讼时效规定 第八条): a sent
    # letter counts from its delivery, provisionally from its sending day until then.
    demands = [
        (*received_on(c), c.id, c)
        for c in own_contacts(facts.contacts)
        if c.refund_request and c.channel in WRITTEN_CHANNELS
    ]
    demands = [d for d in demands if d[0] > due.on]
    restart = None
    if demands:
        day, provisional, _id, last = max(demands, key=lambda d: (d[0], d[2]))
        irule = rules["limitation_interrupt"]
        restart_years = _restart_years(rules)
        params: dict[str, object] = {"on": day.isoformat(), "years": restart_years}
        citation = irule.citation
        if last.letter is not None:
            params["letter"] = _letter_title(last)
            text = (
                N_(
                    "{letter} sent on {on}, delivery not yet recorded: + {years} years (provisional)"
                )
                if provisional
                else N_("{letter} delivered on {on} + {years} years")
            )
            delivery = rules["limitation_delivery"].citation
            citation = "；".join(c for c in (citation, delivery) if c)
        else:
            params["channel"] = last.channel
            text = N_("written refund demand on {on} ({channel}) + {years} years")
        restart = Deadline(
            kind="limitation_restart",
            on=years_after(day, restart_years),
            contact_id=last.id,
            provisional=provisional,
            basis=Basis(rule=irule.id, text=text, params=params, citation=citation),
        )
    return limitation, restart


@record(kw_only=False)
class Branch:
    """The dates that follow from whether the condition is met: rules 2, 3, 4 and 7."""

    met_on: date | None
    met_basis: Basis | None
    trigger_on: date | None
    trigger_basis: Basis | None
    due: Deadline | None
    limitation: Deadline | None
    restart: Deadline | None


@record(kw_only=False)
class Derived:
    """Everything about a case that does not depend on `today` (`derive`): every date
    with its basis and what the next action reads from the contacts. `settle` adds the
    day: the state, the days overdue, the warnings, the next action and deadline."""

    facts: CaseFacts
    refunded: Decimal
    outstanding: Decimal
    progress_volume: Decimal
    progress_count: int
    has_progress: bool
    condition_deadline: Deadline | None
    #: The dates as the facts have them.
    met: Branch
    #: The dates while a condition met on `met.met_on` (from progress or a kept-for-N-days
    #: window, not marked by hand) is still in the future of `today`.
    unmet: Branch | None
    follow_ups: tuple[Deadline, ...]
    open_follow_up: Deadline | None
    #: (channel, day, letter) of the open follow-up's contact: `letter` the title of the
    #: letter recorded by `sent` it waits on (its basis's `letter`), or None. Kept apart
    #: from the basis so that a listing's next action reads no basis (issue 12: one open
    #: case in eight parsed its row's whole line of bases for this alone).
    follow_contact: tuple[str, date, str | None] | None
    #: What the next action of an overdue case reads from the contacts (None: it cannot
    #: become overdue: closed, refunded or nothing due).
    overdue: OverdueFacts | None


def _branch(
    facts: CaseFacts,
    met_on: date | None,
    met_basis: Basis | None,
    rules: Rules,
    cal: WorkdayCalendar,
    grace: int,
) -> Branch:
    trigger_on, trigger_basis = _trigger(facts, met_on)
    due = _refund_due(facts, trigger_on, rules, cal, grace)
    limitation, restart = _limitation(facts, due, rules)
    return Branch(met_on, met_basis, trigger_on, trigger_basis, due, limitation, restart)


def derive(
    facts: CaseFacts,
    cal: WorkdayCalendar,
    rules: Rules,
    grace_days: int | None = None,
    *,
    all_follow_ups: bool = True,
) -> Derived:
    """Every date, flag and basis of one case that does not depend on `today`.

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
    met = _branch(facts, met_on, met_basis, rules, cal, grace)
    unmet = None
    if met_on is not None and case.met_on is None:
        # Until that day comes (a kept-for-N-days condition still running).
        unmet = _branch(facts, None, None, rules, cal, grace)

    # Closed or refunded whatever the day: nothing to follow up, nothing overdue.
    finished = case.closed_on is not None or outstanding == 0
    # A reply of the other side (`incoming`) is no contact of the merchant's to follow
    # up, unless it accepted a complaint or promised a date (`sets_follow_up`).
    followed = tuple(c for c in facts.contacts if sets_follow_up(c))
    follow_ups: tuple[Deadline, ...] = ()
    if all_follow_ups:
        follow_ups = tuple(follow_up_for(c, rules, cal, grace) for c in followed)
    open_follow_up = None
    follow_contact = None
    if followed and not finished:
        last = max(followed, key=lambda c: (c.on, c.at_time is not None, c.at_time, c.id))
        if all_follow_ups:
            open_follow_up = next(f for f in follow_ups if f.contact_id == last.id)
        else:
            open_follow_up = follow_up_for(last, rules, cal, grace)
        letter = open_follow_up.basis.params.get("letter")  # a letter recorded by `sent`
        follow_contact = (last.channel, last.on, None if letter is None else str(letter))

    overdue = None
    if not finished and (met.due is not None or (unmet is not None and unmet.due is not None)):
        overdue = overdue_facts(facts, rules, cal, open_follow_up)

    return Derived(
        facts=facts,
        refunded=refunded,
        outstanding=outstanding,
        progress_volume=progress_volume,
        progress_count=progress_count,
        has_progress=bool(facts.progress),
        condition_deadline=condition_deadline,
        met=met,
        unmet=unmet,
        follow_ups=follow_ups,
        open_follow_up=open_follow_up,
        follow_contact=follow_contact,
        overdue=overdue,
    )


def settle(
    d: Derived,
    today: date,
    cal: WorkdayCalendar,
    rules: Rules,
    *,
    capacity: str | None = None,
) -> CaseView:
    """The case as of `today`: its state, days overdue, warnings and next action.

    `capacity` is the merchant's (profile; None: individual): it picks the route.
    """
    case = d.facts.case
    cond = case.condition
    # The branch of `today`: `unmet` while the condition is met in its future. Read here
    # rather than by a method of Derived (a call a case of a listing, 5 % of `settle`);
    # `unmet` looked at last: a stored row reads it only then (store/derived.py).
    b = d.met
    met_on = b.met_on
    if met_on is not None and met_on > today:
        unmet = d.unmet
        if unmet is not None:
            b = unmet
    due = b.due
    condition_deadline = d.condition_deadline

    # The tests in the rules' order; `cond.kind` (a property) asked once, and only of a
    # case neither due nor triggered.
    if case.closed_on is not None:
        state = CLOSED
    elif not d.outstanding:  # `== 0`: an amount read back is finite (a NaN would be true)
        state = REFUNDED
    elif due is not None:
        state = OVERDUE if today > due.on else REFUND_PENDING
    elif b.trigger_on is not None or (kind := cond.kind) in ("none", "unknown"):
        state = REFUND_PENDING
    elif kind == "return":
        state = CONDITION_PENDING
    elif condition_deadline is not None and today > condition_deadline.on:
        state = CONDITION_FAILED
    elif case.activated_on is None and not d.has_progress:
        state = AWAITING_ACTIVATION
    else:
        state = CONDITION_PENDING

    effective_limit = b.restart or b.limitation
    if state is OVERDUE:
        assert due is not None
        days_overdue = (today - due.on).days
        limitation_warning = (
            effective_limit is not None
            and (effective_limit.on - today).days < rules.limitation_warning_days
        )
    else:
        days_overdue = 0
        limitation_warning = False

    # By position (`next_action`); the volume still to reach is read for a pending
    # condition alone.
    action, next_deadline = next_action(
        case,
        d.follow_contact,
        d.overdue,
        state,
        today,
        cal,
        rules,
        condition_deadline,
        due,
        d.open_follow_up,
        effective_limit,
        limitation_warning,
        (cond.volume - d.progress_volume)
        if state is CONDITION_PENDING and cond.volume is not None
        else None,
        capacity,
    )

    if b.limitation is None:
        demanded = None
    else:  # the value kept for this very day and table (`kept_for_today`)
        kept, demanded = if_demanded_today.last
        if not (kept and kept[0] is today and kept[1] is rules):
            demanded = if_demanded_today(today, rules)

    # Every field in CaseView's order: by position, as a call naming its 22 fields makes
    # Python build a dict of them (over 30 stack slots), 1.4 us a case of a listing.
    return _VIEW(
        d.facts,
        today,
        state,
        d.refunded,
        d.outstanding,
        d.progress_volume,
        d.progress_count,
        condition_deadline,
        b.met_on,  # condition_met_on
        b.met_basis,  # condition_met_basis
        b.trigger_on,
        b.trigger_basis,
        due,  # refund_due
        days_overdue,
        d.follow_ups,
        d.open_follow_up,
        b.limitation,
        b.restart,  # limitation_restart
        limitation_warning,
        demanded,  # limitation_if_demanded_today
        action,  # next_action
        next_deadline,
    )


#: CaseView made without the keyword dict of a class call (a view per case of a listing).
_VIEW = builder(CaseView)


def evaluate(
    facts: CaseFacts,
    today: date,
    cal: WorkdayCalendar,
    rules: Rules,
    grace_days: int | None = None,
    *,
    all_follow_ups: bool = True,
    capacity: str | None = None,
) -> CaseView:
    """Compute the state, every deadline and the next action of one case:
    `settle(derive(facts), today)`."""
    derived = derive(facts, cal, rules, grace_days, all_follow_ups=all_follow_ups)
    return settle(derived, today, cal, rules, capacity=capacity)
