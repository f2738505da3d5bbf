"""Which route fits this merchant now: one verdict per channel (DESIGN.md part 2,
"Channels"), as pure functions of the case, the merchant's capacity, the rule table and
`today`.

The order of `next` (README, "Which channel now"):
- natural persons (individual, individual-business): the provider's complaint line →
  12363 (after the institution's answer or its 15 days) → the written 催告函, delivered
  provably → court;
- a company: the provider's complaint line → the 催告函 → court.
12315, the consumer association, the 12315 report, PCAC and Black Cat are offered
(`available`) where they fit, never as `next`: none of them needs to come first, and a
12315 complaint or a consumer association shuts the court out while it mediates.
A limitation period about to end puts the 催告函 first whatever else holds.

Every verdict has a one-line English template (N_, translated by the renderer) and its
basis, a rule id of data/rules.toml.
"""

from __future__ import annotations

from datetime import date, timedelta

from depositctl.core.caseview import Action, Deadline, action
from depositctl.core.errors import N_
from depositctl.core.periods import ISO, add_period, kept_for_today
from depositctl.core.records import CaseFacts, Contact, State, own_contacts
from depositctl.core.recordtype import field, record, replace
from depositctl.core.rules import Rules
from depositctl.core.vocab import CHANNEL, DEFAULT_CAPACITY, OUTCOME
from depositctl.core.workdays import WorkdayCalendar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    from depositctl.core.caseview import CaseView

    VerdictKind = Literal["next", "available", "not-yet", "unsuitable", "used"]

#: The routes `channels` judges, in the order it lists them.
ROUTES = (
    "provider",
    "12363",
    "12315",
    "12315-report",
    "consumer-association",
    "pcac",
    "blackcat",
    "court",
)

#: The Chinese name of each route (the vocabulary's, except the provider's two steps).
ROUTE_ZH = {r: CHANNEL.zh_name(r) for r in ROUTES} | {
    "provider": "支付机构（投诉渠道、催告函）",
    "12315": "全国12315平台投诉",
}
#: The English label of each route (a gettext message id).
ROUTE_LABEL = {r: CHANNEL.label(r) for r in ROUTES} | {
    "provider": N_("provider (complaint line, written demand)")
}

VERDICTS: tuple[VerdictKind, ...] = ("next", "available", "not-yet", "unsuitable", "used")

#: Merchants who are natural persons: a financial consumer under the PBoC rules (第二条).
NATURAL_PERSONS = frozenset({"individual", "individual-business"})
#: Bodies of which one taking the dispute shuts out the others (order 121 第十六条(二)).
EXCLUSIVE = ("12315", "consumer-association", "court")
#: Outcomes that end a body's handling of the dispute.
ENDED = frozenset({"rejected", "mediation-failed", "resolved"})
#: A provider's answer that refuses: the court is next as if it had not answered.
REFUSALS = frozenset({"refused", "rejected"})
#: Actions addressed to the provider before the refund is overdue.
PROVIDER_STATE_ACTIONS = frozenset({"argue_condition", "request_refund"})


@record()
class ChannelVerdict:
    """One route's verdict: what it is, why, on what basis, and (for `next`) what to do."""

    channel: str
    verdict: VerdictKind
    #: English template marked with N_, formatted with `params`.
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    #: A rule id of data/rules.toml, None where no rule speaks (Black Cat).
    basis: str | None = None
    citation: str | None = None
    opens_on: date | None = None
    used_on: date | None = None
    outcome: str | None = None
    action: Action | None = None
    #: A caveat printed apart from the table (stderr), as an English template (N_).
    note: str | None = None


#: Where only a 催告函 (`sent --to provider`) is the complaint to the provider: it is
#: counted as the complaint first made to the institution, a reading no verified rule
#: states. Said apart from the verdict (`channels`, `letter --to 12363`), never in a letter.
LETTER_AS_COMPLAINT = N_(
    "only a demand letter to the provider is recorded: it is counted here as the complaint "
    "to the institution that must come first (PBoC rules Art. 35), a reading not verified; "
    "a complaint on the provider's complaint channel leaves no doubt"
)
COUNTED_VERDICTS = frozenset({"next", "available", "not-yet"})


@record(kw_only=False)
class Wait:
    """Nothing to do now: the route that opens next and when (None: no date known)."""

    channel: str
    on: date | None
    #: Waiting for the answer to the merchant's last contact (its follow-up date).
    answer: bool = False


#: Ways of sending a letter that reach the other side the day they are used (`sent
#: --via`): counted from the sending day unless `--delivered-on` says otherwise. A posted
#: letter (ems, post) counts from its delivery; until that is recorded, provisionally
#: from the day it was sent.
SAME_DAY_VIAS = frozenset({"email", "platform", "in-person"})


def received_on(contact: Contact) -> tuple[date, bool]:
    """The day a contact reached the other side, and whether that day is provisional:
    a posted letter whose delivery is not yet recorded counts from its sending day."""
    if contact.delivered_on is not None:
        return contact.delivered_on, False
    if contact.letter is not None and contact.via not in SAME_DAY_VIAS:
        return contact.on, True
    return contact.on, False


def _on_route(c: Contact, route: str) -> bool:
    return c.channel == route or c.letter == route


def _is_provider_complaint(c: Contact) -> bool:
    """A complaint to the provider itself: its complaint channel, a written demand, or
    any contact with the provider that produced a ticket number (PBoC rules Art. 35)."""
    if c.channel == "provider-complaint" or c.letter == "provider":
        return True
    term = CHANNEL.get(c.channel)
    return bool(c.ticket) and term is not None and term.provider


def _provider_side(c: Contact) -> bool:
    term = CHANNEL.get(c.channel)
    return c.letter == "provider" or (term is not None and term.provider)


def _answered(outcome: str | None) -> bool:
    term = OUTCOME.get(outcome) if outcome else None
    return term is not None and term.answered


def _key(c: Contact) -> tuple[date, int]:
    return (c.on, c.id)


@record(kw_only=False)
class OverdueFacts:
    """What the `next` route of an overdue case reads from its contacts, none of it
    depending on `today` (`derive` computes it once; `_overdue_next` settles it)."""

    has_complaint: bool
    answer_by: date | None
    provider_answered: bool
    used_12363: bool
    demand_on: date | None
    demand_delivered_on: date | None
    reply_by: date | None
    #: The provider's latest answer since the demand was delivered: (on, outcome).
    demand_answer: tuple[date, str | None] | None
    used_court: bool
    #: Bodies that accepted the dispute and did not end it: (route, until; None: court).
    taken: tuple[tuple[str, date | None], ...]
    #: Complaints to a body without an answer: (route, pending until).
    pending: tuple[tuple[str, date], ...]
    #: Whether the other side replied to the contact of the open follow-up.
    follow_up_answered: bool
    #: The channel of the open follow-up's contact.
    waiting_on: str | None


def _taken_at(taken: tuple[tuple[str, date | None], ...], today: date) -> dict[str, date | None]:
    return {r: until for r, until in taken if until is None or today <= until}


def _pending_at(
    pending: tuple[tuple[str, date], ...], taken: dict[str, date | None], today: date
) -> dict[str, date | None]:
    out: dict[str, date | None] = {r: until for r, until in pending if today <= until}
    for r, until in taken.items():
        if r != "court":
            out[r] = until
    return out


class _Facts:
    """What the rules read from the contacts, computed once; `at(today)` settles what
    depends on the day."""

    taken: dict[str, tuple[date, date | None]]
    pending: dict[str, date | None]
    today: date

    def __init__(self, facts: CaseFacts, rules: Rules, cal: WorkdayCalendar):
        contacts = sorted(facts.contacts, key=_key)
        self.contacts = contacts
        own = sorted(own_contacts(facts.contacts), key=_key)
        self.by_route = {r: [c for c in contacts if _on_route(c, r)] for r in ROUTES}
        self.own_by_route = {r: [c for c in own if _on_route(c, r)] for r in ROUTES}
        complaints = [c for c in own if _is_provider_complaint(c)]
        self.first_complaint = complaints[0] if complaints else None
        self.answer_by: date | None = None
        self.provider_answered = False
        #: Only letters (`sent --to provider`) count as the complaint to the provider: a
        #: reading the verified rules do not state, so `channels` says so.
        self.letter_only = bool(complaints) and all(c.letter is not None for c in complaints)
        self.answer_provisional = False
        if self.first_complaint is not None:
            first = self.first_complaint.on
            # A letter is answered from its delivery (provisionally from its sending).
            start, self.answer_provisional = received_on(self.first_complaint)
            self.answer_by = start + timedelta(days=rules["pboc_institution_answer"].days or 0)
            self.provider_answered = any(
                c.on >= first and _provider_side(c) and (c.incoming or _answered(c.outcome))
                for c in contacts
            )
        demands = [c for c in own if c.letter == "provider"]
        self.demand = demands[-1] if demands else None
        self.reply_by: date | None = None
        self.demand_answer: Contact | None = None
        if self.demand is not None and self.demand.delivered_on is not None:
            delivered = self.demand.delivered_on
            self.reply_by = delivered + timedelta(days=rules.default_grace_days)
            answers = [
                c for c in contacts if c.incoming and _provider_side(c) and c.on >= delivered
            ]
            self.demand_answer = answers[-1] if answers else None
        # A body that accepted the dispute and has not ended it (order 121 第十六条(二)),
        # until the end of its mediation period (`at`).
        self.accepted: dict[str, date] = {}
        self.taken_all: list[tuple[str, date | None]] = []
        mediation = rules["samr_mediation"].days or 0
        for r in EXCLUSIVE:
            cs = self.by_route[r]
            acc = next((c for c in cs if c.outcome == "accepted"), None)
            if acc is None:
                continue
            ended = any(c.outcome in ENDED and _key(c) > _key(acc) for c in cs)
            until = None if r == "court" else acc.on + timedelta(days=mediation)
            if not ended:
                self.accepted[r] = acc.on
                self.taken_all.append((r, until))
        # How long a complaint to a body is pending without an answer (`at`).
        self.pending_all: list[tuple[str, date]] = []
        for r in ("12363", "12315", "consumer-association"):
            own_r = self.own_by_route[r]
            if not own_r or any(_answered(c.outcome) for c in self.by_route[r]):
                continue
            last = own_r[-1]
            if r == "12363":
                branch, _ = cal.add_workdays(last.on, rules["pboc_branch"].workdays or 0)
                until = branch + timedelta(days=rules["pboc_institution_answer"].days or 0)
            else:
                until, _ = add_period(last.on, rules.follow_up_rule(r, None), cal)
            self.pending_all.append((r, until))

    def at(self, today: date) -> _Facts:
        """What holds on `today`: the bodies that have the dispute, the complaints pending."""
        self.today = today
        taken = _taken_at(tuple(self.taken_all), today)
        self.taken = {r: (self.accepted[r], until) for r, until in taken.items()}
        self.pending = _pending_at(tuple(self.pending_all), taken, today)
        return self

    def overdue(self, open_follow_up: Deadline | None, waiting_on: str | None) -> OverdueFacts:
        """What `_overdue_next` reads, without `today`."""
        demand = self.demand
        answer = self.demand_answer
        return OverdueFacts(
            has_complaint=self.first_complaint is not None,
            answer_by=self.answer_by,
            provider_answered=self.provider_answered,
            used_12363=bool(self.own_by_route["12363"]),
            demand_on=demand.on if demand is not None else None,
            demand_delivered_on=demand.delivered_on if demand is not None else None,
            reply_by=self.reply_by,
            demand_answer=(answer.on, answer.outcome) if answer is not None else None,
            used_court=bool(self.own_by_route["court"])
            or any(r == "court" for r, _ in self.taken_all),
            taken=tuple(self.taken_all),
            pending=tuple(self.pending_all),
            follow_up_answered=(
                open_follow_up is not None and self.answered_since(open_follow_up.contact_id)
            ),
            waiting_on=waiting_on,
        )

    def answered_since(self, contact_id: int | None) -> bool:
        """Whether the other side replied (`incoming`) to the merchant's contact
        `contact_id`: on its channel, or on the provider's side for a provider contact."""
        asked = next((c for c in self.contacts if c.id == contact_id), None)
        if asked is None:
            return False
        same_side = _provider_side(asked)
        return any(
            c.incoming
            and _key(c) > _key(asked)
            and (c.channel == asked.channel or (same_side and _provider_side(c)))
            for c in self.contacts
        )

    @property
    def demand_failed(self) -> bool:
        """The delivered 催告函 went unanswered (or was refused) past its reply date."""
        if self.reply_by is None or self.today <= self.reply_by:
            return False
        return self.demand_answer is None or self.demand_answer.outcome in REFUSALS

    def used(self, route: str) -> tuple[date, str | None] | None:
        """When the merchant first turned to `route` and its latest outcome; a reply
        alone (`incoming`) is no step the merchant took, unless the body accepted (for
        12315 at any time: a dispute it accepted is never taken again, order 121
        第十六条(二))."""
        cs = self.by_route[route]
        own = self.own_by_route[route]
        accepted = route == "12315" and any(c.outcome == "accepted" for c in cs)
        if not own and route not in self.taken and not accepted:
            return None
        outcomes = [c.outcome for c in cs if c.outcome]
        return (own or cs)[0].on, (outcomes[-1] if outcomes else None)


# The templates of the overdue actions, each marked once here rather than by a call of
# `N_` a case (issue 12).
_STOP_LIMITATION = N_(
    "send a written demand now, it restarts the limitation period ending "
    "{limit}: depositctl letter {id} --to provider"
)
_CALL_PROVIDER = N_(
    "call the provider's complaint line, ask for a ticket number, then: "
    "depositctl contact {id} --on DATE --channel provider-complaint --ticket T"
)
_FILE_12363 = N_(
    "complain to the People's Bank of China at 12363 (follow-up due {date}): "
    "depositctl letter {id} --to 12363"
)
_WRITE_DEMAND = N_(
    "send the provider a written demand it provably receives (EMS): "
    "depositctl letter {id} --to provider, then record it with depositctl sent"
)
_CONFIRM_DELIVERY = N_(
    "find out when your written demand of {on} was delivered and record it "
    "(depositctl sent … --delivered-on DATE): the court needs proof it arrived"
)
_HOLD_PROVIDER = N_(
    "the provider answered your demand on {on}: hold it to that answer in "
    "writing; if the refund does not come: depositctl letter {id} --to court"
)
_FILE_COURT = N_(
    "sue at the court (small claims; fee {fee} yuan, halved under the simplified "
    "procedure): depositctl letter {id} --to court"
)


def overdue_facts(
    facts: CaseFacts, rules: Rules, cal: WorkdayCalendar, open_follow_up: Deadline | None
) -> OverdueFacts:
    """What the `next` route of the case reads once it is overdue, without `today`."""
    return _Facts(facts, rules, cal).overdue(open_follow_up, _waiting_on(facts, open_follow_up))


def _waiting_on(facts: CaseFacts, open_follow_up: Deadline | None) -> str | None:
    if open_follow_up is None or open_follow_up.contact_id is None:
        return None
    return next((c.channel for c in facts.contacts if c.id == open_follow_up.contact_id), None)


@kept_for_today
def _follow_up_12363(today: date, rules: Rules, cal: WorkdayCalendar) -> tuple[date, bool]:
    """Rule 6: when a complaint filed at 12363 `today` is followed up (an estimate or not)."""
    return add_period(today, rules.follow_up_rule("12363", None), cal)


def overdue_next(
    f: OverdueFacts,
    cid: int,
    natural: bool,
    today: date,
    rules: Rules,
    cal: WorkdayCalendar,
    open_follow_up: Deadline | None,
    effective_limit: Deadline | None,
    limitation_warning: bool,
) -> tuple[str, Action] | Wait:
    """The `next` route of an overdue case and its action, or what it waits for. Called
    once an overdue case of a listing (`core.ladder`), by position (issue 12)."""
    if limitation_warning and effective_limit is not None:
        return "provider", action(
            "stop_limitation",
            _STOP_LIMITATION,
            {"id": cid, "limit": ISO[effective_limit.on]},
            False,
        )
    if open_follow_up is not None and open_follow_up.on >= today and not f.follow_up_answered:
        return Wait(f.waiting_on or "provider", open_follow_up.on, answer=True)
    if not f.has_complaint:
        return "provider", action("call_provider", _CALL_PROVIDER, {"id": cid}, False)
    if natural and not f.used_12363:
        assert f.answer_by is not None
        if not f.provider_answered and today <= f.answer_by:
            return Wait("12363", f.answer_by + timedelta(days=1))
        # The date kept for this very day, table and calendar (`kept_for_today`).
        kept, value = _follow_up_12363.last
        if kept and kept[0] is today and kept[1] is rules and kept[2] is cal:
            follow, estimate = value
        else:
            follow, estimate = _follow_up_12363(today, rules, cal)
        return "12363", action(
            "file_12363", _FILE_12363, {"id": cid, "date": ISO[follow]}, bool(estimate)
        )
    if f.demand_on is None:
        return "provider", action("write_demand", _WRITE_DEMAND, {"id": cid}, False)
    if f.demand_delivered_on is None:
        return "provider", action(
            "confirm_delivery", _CONFIRM_DELIVERY, {"id": cid, "on": ISO[f.demand_on]}, False
        )
    assert f.reply_by is not None
    if today <= f.reply_by:
        return Wait("court", f.reply_by + timedelta(days=1))
    answer = f.demand_answer
    if answer is not None and answer[1] not in REFUSALS:
        return "provider", action(
            "hold_provider", _HOLD_PROVIDER, {"id": cid, "on": ISO[answer[0]]}, False
        )
    taken = _taken_at(f.taken, today)
    if f.used_court or any(r != "court" for r in taken):
        return Wait("court", None)
    pending = _pending_at(f.pending, taken, today)
    if pending:
        route, until = min(pending.items(), key=lambda kv: kv[1] or date.max)
        return Wait(route, until)
    return "court", action(
        "file_court", _FILE_COURT, {"id": cid, "fee": rules["court_fee"].yuan}, False
    )


def assess(
    *,
    facts: CaseFacts,
    state: State,
    today: date,
    rules: Rules,
    cal: WorkdayCalendar,
    capacity: str | None,
    due: Deadline | None,
    open_follow_up: Deadline | None = None,
    effective_limit: Deadline | None = None,
    limitation_warning: bool = False,
    state_action: Action | None = None,
) -> tuple[tuple[ChannelVerdict, ...], Wait | None]:
    """One verdict per route of ROUTES, in that order, and (overdue, nothing to do now)
    what the case waits for.

    `state_action` is the next action of a case not yet overdue (core/ladder): the
    provider is `next` with it when it is addressed to the provider.
    """
    cid = facts.case.id
    natural = (capacity or DEFAULT_CAPACITY) in NATURAL_PERSONS
    f = _Facts(facts, rules, cal).at(today)

    nxt: tuple[str, Action] | None = None
    wait: Wait | None = None
    if state is State.OVERDUE:
        found = overdue_next(
            f.overdue(open_follow_up, _waiting_on(facts, open_follow_up)),
            cid=cid,
            natural=natural,
            today=today,
            rules=rules,
            cal=cal,
            open_follow_up=open_follow_up,
            effective_limit=effective_limit,
            limitation_warning=limitation_warning,
        )
        if isinstance(found, Wait):
            wait = found
        else:
            nxt = found
    elif state_action is not None and state_action.code in PROVIDER_STATE_ACTIONS:
        nxt = ("provider", state_action)

    def cite(rule: str | None) -> str | None:
        return rules[rule].citation if rule else None

    def verdict(
        route: str, kind: VerdictKind, reason: str, basis: str | None, **params: Any
    ) -> ChannelVerdict:
        opens_on = params.pop("opens_on", None)
        return ChannelVerdict(
            channel=route,
            verdict=kind,
            reason=reason,
            params={k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()},
            basis=basis,
            citation=cite(basis),
            opens_on=opens_on,
        )

    def used(route: str, basis: str | None) -> ChannelVerdict | None:
        u = f.used(route)
        if u is None:
            return None
        on, outcome = u
        return ChannelVerdict(
            channel=route,
            verdict="used",
            reason=N_("used on {on}"),
            params={"on": on.isoformat()},
            basis=basis,
            citation=cite(basis),
            used_on=on,
            outcome=outcome,
        )

    due_next = due.on + timedelta(days=1) if due is not None else None
    claimable = state in (State.OVERDUE, State.CONDITION_FAILED)
    done = state in (State.REFUNDED, State.CLOSED)
    done_reason = (
        N_("nothing to claim: the deposit is refunded")
        if state is State.REFUNDED
        else N_("nothing to claim: the case is closed")
    )

    def not_due(route: str, basis: str | None) -> ChannelVerdict:
        if due_next is not None:
            return verdict(
                route,
                "not-yet",
                N_("the refund is not overdue before {date}"),
                basis,
                date=due_next,
                opens_on=due_next,
            )
        return verdict(
            route,
            "not-yet",
            N_("opens once the refund is overdue (its date is not known yet)"),
            basis,
        )

    def taken_by_other(route: str) -> ChannelVerdict | None:
        for other, (accepted, until) in f.taken.items():
            if other == route:
                continue
            if until is None:
                return verdict(
                    route,
                    "unsuitable",
                    N_(
                        "{channel} accepted the dispute on {on}: nobody else takes it while it lasts"
                    ),
                    "samr_refusal_taken",
                    channel=other,
                    on=accepted,
                )
            return verdict(
                route,
                "unsuitable",
                N_("{channel} accepted the dispute on {on}: nobody else takes it before {until}"),
                "samr_refusal_taken",
                channel=other,
                on=accepted,
                until=until,
                opens_on=until + timedelta(days=1),
            )
        return None

    def is_next(route: str, reason: str, basis: str | None, **params: Any) -> ChannelVerdict | None:
        if nxt is None or nxt[0] != route:
            return None
        return replace(verdict(route, "next", reason, basis, **params), action=nxt[1])

    out: list[ChannelVerdict] = []

    # -- provider: always first --------------------------------------------------------
    if done:
        out.append(verdict("provider", "unsuitable", done_reason, None))
    elif nxt is not None and nxt[0] == "provider":
        code = nxt[1].code
        reasons = {
            "stop_limitation": (N_("the limitation period ends {limit}"), "limitation_interrupt"),
            "call_provider": (N_("complain to the provider first"), "pboc_complaint"),
            "write_demand": (
                N_("a delivered written demand restarts the limitation period"),
                "limitation_interrupt",
            ),
            "confirm_delivery": (
                N_("a demand counts once it provably reaches the provider"),
                "limitation_delivery",
            ),
            "hold_provider": (N_("the provider answered your written demand"), "performance"),
        }
        reason, basis = reasons.get(
            code, (N_("the refund is the provider's to make"), "performance")
        )
        params = {}
        if code == "stop_limitation" and effective_limit is not None:
            params["limit"] = effective_limit.on.isoformat()
        v = is_next("provider", reason, basis, **params)
        assert v is not None
        out.append(v)
    elif claimable and f.demand_failed:
        assert f.demand is not None and f.reply_by is not None
        out.append(
            replace(
                verdict(
                    "provider",
                    "used",
                    N_("your written demand delivered on {on} was not met by {date}"),
                    "limitation_delivery",
                    on=f.demand.delivered_on,
                    date=f.reply_by,
                ),
                used_on=f.demand.delivered_on,
                outcome=f.demand_answer.outcome if f.demand_answer else None,
            )
        )
    elif claimable and f.demand is not None:
        # A written demand is out and its reply date has not passed (or its delivery is
        # not recorded yet): the provider's route is in use, not still to be taken.
        out.append(
            replace(
                verdict(
                    "provider",
                    "used",
                    N_("your written demand of {on} awaits the provider's reply"),
                    "limitation_delivery",
                    on=f.demand.on,
                ),
                used_on=f.demand.on,
                outcome=None,
            )
        )
    elif not claimable:
        out.append(
            verdict(
                "provider",
                "available",
                N_("the refund is not overdue yet: any question goes to the provider"),
                "performance",
            )
        )
    else:
        out.append(
            verdict(
                "provider",
                "available",
                N_("complaint line first, then a written demand it provably receives"),
                "pboc_complaint",
            )
        )

    # -- 12363: natural persons, after the institution's answer or 15 days --------------
    v12363 = used("12363", "pboc_complaint")
    if v12363 is not None:
        out.append(v12363)
    elif not natural:
        out.append(
            verdict(
                "12363",
                "unsuitable",
                N_("only a natural person is a financial consumer; a company is not"),
                "pboc_scope",
            )
        )
    elif done:
        out.append(verdict("12363", "unsuitable", done_reason, None))
    elif (
        v := is_next(
            "12363",
            N_("the provider answered, or its {days} days to answer have passed"),
            "pboc_institution_answer",
            days=rules["pboc_institution_answer"].days,
        )
    ) is not None:
        out.append(v)
    elif not claimable:
        out.append(not_due("12363", "pboc_complaint"))
    elif f.first_complaint is None:
        out.append(
            verdict(
                "12363",
                "not-yet",
                N_("complain to the provider first; the People's Bank comes after its answer"),
                "pboc_complaint",
            )
        )
    elif not f.provider_answered and f.answer_by is not None and today <= f.answer_by:
        opens = f.answer_by + timedelta(days=1)
        first = f.first_complaint
        if first.letter is None:
            why = N_("the provider has {days} days from your complaint of {on} to answer")
            on = first.on
        elif f.answer_provisional:
            why = N_(
                "the provider has {days} days to answer your demand letter sent on {on}, "
                "delivery not yet recorded (provisional)"
            )
            on = first.on
        else:
            why = N_(
                "the provider has {days} days to answer from the delivery of your demand letter on {on}"
            )
            on = first.delivered_on or first.on
        out.append(
            verdict(
                "12363",
                "not-yet",
                why,
                "pboc_institution_answer",
                days=rules["pboc_institution_answer"].days,
                on=on,
                opens_on=opens,
            )
        )
    else:
        out.append(
            verdict(
                "12363",
                "available",
                N_("the provider answered, or its {days} days to answer have passed"),
                "pboc_institution_answer",
                days=rules["pboc_institution_answer"].days,
            )
        )

    if f.letter_only and out[-1].channel == "12363" and out[-1].verdict in COUNTED_VERDICTS:
        out[-1] = replace(out[-1], note=LETTER_AS_COMPLAINT)

    # -- 12315 complaint and consumer association: daily-life consumption only ----------
    def consumer_route(route: str, scope_basis: str) -> ChannelVerdict:
        u = used(route, scope_basis)
        if u is not None:
            return u
        if (capacity or DEFAULT_CAPACITY) != "individual":
            return verdict(
                route,
                "unsuitable",
                N_("for daily-life consumption only; a business's terminal is refused"),
                scope_basis,
            )
        if done:
            return verdict(route, "unsuitable", done_reason, None)
        taken = taken_by_other(route)
        if taken is not None:
            return taken
        if not claimable:
            return not_due(route, scope_basis)
        return verdict(
            route,
            "available",
            N_("possible, but a terminal used for business may be refused as not daily-life"),
            scope_basis,
        )

    out.append(consumer_route("12315", "samr_refusal_scope"))

    # -- 12315 report: anyone, no refund by itself --------------------------------------
    out.append(
        used("12315-report", "samr_report")
        or (
            verdict("12315-report", "unsuitable", done_reason, None)
            if done
            else verdict(
                "12315-report",
                "available",
                N_("a report of a suspected violation, open to anyone; it brings no refund"),
                "samr_report",
            )
        )
    )

    out.append(consumer_route("consumer-association", "consumer_scope"))

    # -- PCAC: about an agent company or salesperson ------------------------------------
    case = facts.case
    agent = case.agent_company is not None or case.paid_to in ("agent-company", "salesperson")
    out.append(
        used("pcac", "pcac_outsourcing")
        or (
            verdict("pcac", "unsuitable", done_reason, None)
            if done
            else verdict(
                "pcac",
                "available",
                N_("a report about the agent who took the deposit (context, not a ban)"),
                "pcac_outsourcing",
            )
            if agent
            else verdict(
                "pcac",
                "unsuitable",
                N_("no agent company or salesperson is recorded (add --agent-company)"),
                "pcac_outsourcing",
            )
        )
    )

    # -- Black Cat: publicity only ------------------------------------------------------
    out.append(
        used("blackcat", None)
        or (
            verdict("blackcat", "unsuitable", done_reason, None)
            if done
            else verdict("blackcat", "available", N_("publicity only, no legal effect"), None)
        )
    )

    # -- court --------------------------------------------------------------------------
    court: ChannelVerdict | None = used("court", "small_claims")
    if court is None and done:
        court = verdict("court", "unsuitable", done_reason, None)
    if court is None:
        court = taken_by_other("court")
    if court is None and state is not State.OVERDUE:
        court = not_due("court", "small_claims")
    if court is None and f.reply_by is not None:
        court = is_next(
            "court",
            N_("the provider did not meet your demand delivered on {on} by {date}"),
            "limitation_delivery",
            on=f.demand.delivered_on if f.demand else None,
            date=f.reply_by,
        )
    if court is None:
        court = verdict(
            "court",
            "available",
            N_("the refund is overdue: small claims (a delivered written demand first helps)"),
            "small_claims",
        )
    out.append(court)
    return tuple(out), wait


def verdicts(
    view: CaseView, *, capacity: str | None, rules: Rules, cal: WorkdayCalendar
) -> tuple[ChannelVerdict, ...]:
    """The verdicts for a computed case view: the same rules `next_action` followed."""
    found, _ = assess(
        facts=view.facts,
        state=view.state,
        today=view.today,
        rules=rules,
        cal=cal,
        capacity=capacity,
        due=view.refund_due,
        open_follow_up=view.open_follow_up,
        effective_limit=view.limitation_restart or view.limitation,
        limitation_warning=view.limitation_warning,
        state_action=view.next_action,
    )
    return found


def next_verdict(found: tuple[ChannelVerdict, ...]) -> ChannelVerdict | None:
    nexts = [v for v in found if v.verdict == "next"]
    assert len(nexts) <= 1, nexts
    return nexts[0] if nexts else None
