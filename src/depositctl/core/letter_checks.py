"""What a letter rests on, and what weakens it: pure checks that return data.

`letter_notices()` lists every missing fact that weakens a letter and every reason its
channel may refuse the case, as `Notice`s (an English template, marked with N_, and its
values), the way beancount's validations return errors instead of raising; the CLI words
and prints them. The dates come from the deadline rules (`follow_up_for`) and the periods
from the rule table, never from numbers written here.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from depositctl.core.caseview import CaseView, Deadline
from depositctl.core.channels import LETTER_AS_COMPLAINT, received_on
from depositctl.core.deadlines import follow_up_for
from depositctl.core.errors import N_
from depositctl.core.periods import days_of, years_after, years_of
from depositctl.core.records import Case, Contact, Evidence, Profile, State, own_contacts
from depositctl.core.recordtype import replace
from depositctl.core.respondents import (
    Provider,
    looks_like_legal_name,
    name_key,
    resolve_provider,
    shell_word,
)
from depositctl.core.rules import Rules
from depositctl.core.vocab import CHANNEL, OUTCOME, RECIPIENT
from depositctl.core.workdays import WorkdayCalendar

#: The channel of a complaint to the provider itself; the rule table gives its follow-up
#: the institution's time to answer (PBoC rules Art. 43).
PROVIDER_COMPLAINT = "provider-complaint"


@dataclass(frozen=True)
class Notice:
    """One warning: a code, an English template (translated by the CLI) and its values."""

    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)


#: Recipients that refuse a complaint whose respondent has no address, with the rule of
#: the rule table that makes the address required material: the letter is not written
#: without it (SAMR order 121 Art. 10, 16 (5); PBoC rules Art. 41; 民诉法 第124条).
ADDRESS_REQUIRED = {
    "12315": "samr_complaint_material",
    "12363": "pboc_complaint",
    "court": "court_complaint",
}
#: Recipients that usually ask for the respondent's address (a notice, not a refusal).
ADDRESS_ASKED = ("consumer-association",)
#: Recipients that take the agent company as a second respondent.
SECOND_RESPONDENT = ("12315", "consumer-association")


@dataclass(frozen=True)
class Respondents:
    """Whom a letter names: the payment institution (the case's provider) and the agent
    company that sold the terminal, each as recorded with `provider set` or, unrecorded,
    by the name the case holds."""

    institution: Provider
    agent_company: Provider | None = None
    #: Whether the institution has a provider record (else only its name is known).
    institution_recorded: bool = False


def _recorded(text: str, providers: list[Provider]) -> Provider | None:
    name, _alias = resolve_provider(text, providers)
    return next((p for p in providers if name_key(p.name) == name_key(name)), None)


def respondents_for(case: Case, providers: Iterable[Provider] = ()) -> Respondents:
    """The respondents of `case`: a name the case holds (legal name or alias) gives its
    provider record; without one, a record of that name alone."""
    found = list(providers)
    institution = _recorded(case.provider, found)
    agent = None
    if case.agent_company:
        agent = _recorded(case.agent_company, found) or Provider(
            name=case.agent_company, kind="agent-company"
        )
    return Respondents(
        institution=institution or Provider(name=case.provider),
        agent_company=agent,
        institution_recorded=institution is not None,
    )


def address_command(respondents: Respondents) -> str:
    """The command that records the institution's address: under its legal name, with
    the name the case holds as an alias when that is not a legal name (a brand)."""
    inst = respondents.institution
    if respondents.institution_recorded or looks_like_legal_name(inst.name):
        return f"depositctl provider set {shlex.quote(inst.name)} --address <地址>"
    return (
        f"depositctl provider set '<legal name>' --alias {shell_word(inst.name)} --address <地址>"
    )


@dataclass(frozen=True)
class LetterOptions:
    """How a letter was asked for, beyond its recipient and format."""

    #: `--force`: write a letter to a third party although the refund is not due yet;
    #: the letter then says so.
    force: bool = False
    #: `--via`: how the provider's demand is sent (a VIA value); None: not said.
    via: str | None = None
    #: The grace period where no refund time was agreed (the profile's `--grace-days`,
    #: else the rule table's default): the provider's demand gives this many days.
    grace_days: int | None = None
    #: The ledger's history count and last hash when the letter was made (its footer
    #: prints them, so a letter sent proves the ledger's state that day); None: not said.
    ledger_head: tuple[int, str | None] | None = None


#: States in which the refund is not owed yet: a letter to a third party is refused
#: unless forced (and then says it is early).
NOT_YET_DUE = (State.AWAITING_ACTIVATION, State.CONDITION_PENDING, State.REFUND_PENDING)
#: States in which there is nothing left to complain about.
NOTHING_TO_CLAIM = (State.REFUNDED, State.CLOSED)
#: The recipient that is always written to: the demand to the provider itself.
PROVIDER = "provider"
#: Channels whose acceptance of the dispute bars a second complaint (order 121
#: Art. 16 (2)), and the recipients such a complaint would go to.
TAKING_CHANNELS = ("12315", "consumer-association", "court")
TAKEN_BARS = ("12315", "consumer-association")
#: Outcomes that end an accepted complaint before its mediation period runs out.
ENDING_OUTCOMES = ("rejected", "mediation-failed")
#: Recipients that take complaints of natural persons only, with the rule that says so.
NATURAL_PERSONS_ONLY = {"12363": "pboc_scope"}
#: Recipients that take complaints about daily-life consumption only, with the rule
#: that binds each: order 121 Art. 16 (3) binds the market regulator; a consumer
#: association serves consumers (消保法 第二条), order 121 does not bind it. A
#: business's terminal (individual business, company) is refused unless forced, as
#: `channels` calls the route unsuitable.
DAILY_LIFE_ONLY = {"12315": "samr_refusal_scope", "consumer-association": "consumer_scope"}
#: The recipient whose own acceptance of the dispute bars a second complaint to it for
#: good (order 121 Art. 16 (2): "已经受理或者处理过"), whatever came of the first.
ONCE_ONLY = "12315"


@dataclass(frozen=True)
class Taken:
    """A complaint body that has accepted the dispute and not ended it."""

    contact: Contact
    #: The last day of its mediation period (order 121 Art. 23): after it, a new
    #: complaint is no longer barred by this acceptance. None for a court: a suit runs
    #: until the court decides (an outcome recorded on the court channel), as in
    #: core/channels.
    ends_on: date | None


def taken_by(view: CaseView, rules: Rules) -> Taken | None:
    """The latest acceptance of the dispute by 12315, a consumer association or a court
    (an `accepted` outcome on that channel, the merchant's record or the body's reply)
    that has not ended: no later `rejected` or `mediation-failed` on that channel, and
    for 12315 or a consumer association today within the mediation days after
    acceptance (the first day not counted); a court's acceptance has no such end."""
    days = days_of(rules["samr_mediation"])
    contacts = sorted(view.facts.contacts, key=lambda c: (c.on, c.id))
    found = None
    for i, c in enumerate(contacts):
        if c.channel not in TAKING_CHANNELS or c.outcome != "accepted":
            continue
        ended = any(
            later.channel == c.channel and later.outcome in ENDING_OUTCOMES
            for later in contacts[i + 1 :]
        )
        if c.channel == "court":
            if not ended:
                found = Taken(c, None)
            continue
        ends_on = c.on + timedelta(days=days)
        if not ended and view.today <= ends_on:
            found = Taken(c, ends_on)
    return found


def _refusal(code: str, text: str, **params: Any) -> Notice:
    return Notice(code, text, params)


def state_refusal(view: CaseView, recipient: str, force: bool = False) -> Notice | None:
    """A letter to anyone but the provider says the refund is owed: not for a case that
    is refunded or closed, and not before the refund is due unless forced."""
    if recipient == PROVIDER:
        return None
    cid = view.id
    if view.state is State.REFUNDED:
        return _refusal(
            "refused_refunded",
            N_(
                "The {recipient} letter is not written: case #{id} is refunded in full, so "
                "there is nothing left to claim"
            ),
            id=cid,
            recipient=recipient,
        )
    if view.state is State.CLOSED:
        return _refusal(
            "refused_closed",
            N_(
                "The {recipient} letter is not written: case #{id} is closed (reopen it "
                "first: depositctl reopen {id})"
            ),
            id=cid,
            recipient=recipient,
        )
    if view.state not in NOT_YET_DUE or force:
        return None
    if view.refund_due is not None:
        return _refusal(
            "refused_not_due",
            N_(
                "The {recipient} letter is not written: the refund of case #{id} is not due "
                "until {due}. --force writes it anyway, and the letter says it is early"
            ),
            id=cid,
            recipient=recipient,
            due=view.refund_due.on.isoformat(),
        )
    if view.state is State.REFUND_PENDING:
        return _refusal(
            "refused_not_requested",
            N_(
                "The {recipient} letter is not written: no refund of case #{id} has been "
                "requested yet, so none is due; send the provider letter first "
                "(depositctl letter {id} --to provider), or --force writes it anyway, and "
                "the letter says it is early"
            ),
            id=cid,
            recipient=recipient,
        )
    return _refusal(
        "refused_condition_pending",
        N_(
            "The {recipient} letter is not written: the refund condition of case #{id} is not "
            "met yet, so the refund is not due. --force writes it anyway, and the letter "
            "says it is early"
        ),
        id=cid,
        recipient=recipient,
    )


def capacity_refusal(
    view: CaseView,
    recipient: str,
    profile: Profile | None,
    rules: Rules,
    force: bool = False,
) -> Notice | None:
    """12363 takes complaints of financial consumers, who are natural persons (PBoC
    rules Art. 2): not a company's. 12315 and a consumer association take disputes about
    daily-life consumption: not a business's, unless forced."""
    scope = DAILY_LIFE_ONLY.get(recipient)
    capacity = profile.capacity_or_default if profile is not None else "individual"
    if scope is not None and capacity != "individual" and not force:
        return _refusal(
            "refused_business",
            N_(
                "The {recipient} letter is not written: it takes disputes about daily-life "
                "consumption only ({citation}), and the profile's capacity is a business "
                "(individual business or company), whose terminal is for its business. Routes that fit: the provider letter, "
                "a 12315 report (举报), the court; --force writes it anyway"
            ),
            id=view.id,
            recipient=recipient,
            capacity=capacity,
            citation=rules[scope].citation,
        )
    rule_id = NATURAL_PERSONS_ONLY.get(recipient)
    if rule_id is None or profile is None or profile.capacity_or_default != "company":
        return None
    return _refusal(
        "refused_company",
        N_(
            "The {recipient} letter is not written: it takes complaints of natural persons "
            "only ({citation}), and the profile's capacity is company. The claim under the "
            "contract stands: send the provider letter, then go to court"
        ),
        id=view.id,
        recipient=recipient,
        citation=rules[rule_id].citation,
    )


def accepted_by_12315(view: CaseView) -> Contact | None:
    """The first acceptance of the dispute by 12315 (the merchant's record or the
    regulator's reply), at any time, whatever came of it."""
    accepted = [
        c for c in view.facts.contacts if c.channel == ONCE_ONLY and c.outcome == "accepted"
    ]
    return min(accepted, key=lambda c: (c.on, c.id)) if accepted else None


def taken_refusal(view: CaseView, recipient: str, rules: Rules) -> Notice | None:
    """A second complaint on a dispute that 12315, a consumer association or a court has
    accepted is refused (order 121 Art. 16 (2)) until that one has ended; a new 12315
    complaint once 12315 itself has accepted the dispute, for good (it "已经受理或者处理过"
    it, even after its mediation days or a failed mediation)."""
    if recipient not in TAKEN_BARS:
        return None
    first = accepted_by_12315(view) if recipient == ONCE_ONLY else None
    if first is not None:
        return _refusal(
            "refused_taken_12315",
            N_(
                "The {recipient} letter is not written: 12315 accepted this dispute on {on}, "
                "and a dispute it has already accepted or handled is refused ({citation}), "
                "even after its mediation ended. The route now is the court: "
                "depositctl letter {id} --to court"
            ),
            id=view.id,
            recipient=recipient,
            on=first.on.isoformat(),
            citation=rules["samr_refusal_taken"].citation,
        )
    taken = taken_by(view, rules)
    if taken is None:
        return None
    text = (
        N_(
            "The {recipient} letter is not written: {what} accepted the dispute on {on}, "
            "and a second complaint is refused while that one runs ({citation}); it ends "
            "when rejected, when mediation fails, or after {ends}"
        )
        if taken.ends_on is not None
        else N_(
            "The {recipient} letter is not written: {what} accepted the dispute on {on}, "
            "and a complaint is refused while the suit runs ({citation})"
        )
    )
    return _refusal(
        "refused_taken",
        text,
        id=view.id,
        recipient=recipient,
        channel=taken.contact.channel,
        # The channel's label, translated with the message (cli/errors TRANSLATED_PARAMS).
        what=CHANNEL.label(taken.contact.channel),
        on=taken.contact.on.isoformat(),
        ends=taken.ends_on.isoformat() if taken.ends_on else "",
        citation=rules["samr_refusal_taken"].citation,
    )


def letter_refusals(
    view: CaseView,
    recipient: str,
    rules: Rules,
    respondents: Respondents | None = None,
    profile: Profile | None = None,
    force: bool = False,
) -> list[Notice]:
    """Why the letter must not be written at all (blocking problems, as data, the most
    fundamental first): nothing to claim or not due yet (unless forced), a complainant
    the recipient does not serve, a dispute another body has taken, and a recipient
    that refuses a complaint without the respondent's address when none is recorded."""
    out = [
        n
        for n in (
            state_refusal(view, recipient, force),
            capacity_refusal(view, recipient, profile, rules, force),
            taken_refusal(view, recipient, rules),
            pboc_refusal(view, recipient, rules, force),
        )
        if n is not None
    ]
    found = respondents or respondents_for(view.facts.case)
    rule_id = ADDRESS_REQUIRED.get(recipient)
    if rule_id is None or found.institution.address:
        return out
    return [
        *out,
        Notice(
            "no_respondent_address",
            N_(
                "The {recipient} letter is not written: it must give the address of {name} "
                "({citation}), and none is recorded. Record it: {command}"
            ),
            {
                "id": view.id,
                "recipient": recipient,
                "name": found.institution.name,
                "citation": rules[rule_id].citation,
                "command": address_command(found),
            },
        ),
    ]


def pboc_refusal(
    view: CaseView, recipient: str, rules: Rules, force: bool = False
) -> Notice | None:
    """12363 comes after a complaint to the institution itself (PBoC rules Art. 35,
    43): without one recorded, the letter is refused unless forced (`channels`: 12363
    not-yet)."""
    if recipient != "12363" or force or provider_complaints(view):
        return None
    return _refusal(
        "refused_no_provider_complaint",
        N_(
            "The {recipient} letter is not written: no complaint to the provider itself is "
            "recorded for #{id}, and the People's Bank of China takes a complaint only after "
            "the institution has answered or its {days} days have passed ({citation}). "
            "Complain to the provider first (depositctl letter {id} --to provider); --force "
            "writes it anyway"
        ),
        id=view.id,
        recipient=recipient,
        days=days_of(rules["pboc_institution_answer"]),
        citation=pboc_order_citation(rules),
    )


def evidence_in_order(view: CaseView) -> list[Evidence]:
    """The evidence list's order: the letter and the bundle number the files this way."""
    return sorted(view.facts.evidence, key=lambda e: (e.added_on, e.id))


def reply_deadline(
    view: CaseView, recipient: str, rules: Rules, calendar: WorkdayCalendar
) -> Deadline:
    """The reply-by date: the follow-up the sending of this letter will get (rule 6)."""
    channel = RECIPIENT[recipient].channel
    sent = Contact(id=0, case_id=view.id, on=view.today, channel=channel)
    return follow_up_for(sent, rules, calendar)


def provider_complaints(view: CaseView) -> list[Contact]:
    """Contacts that count as a complaint to the institution itself (PBoC rules Art. 35)."""
    return [c for c in own_contacts(view.facts.contacts) if _complains_to_provider(c)]


def _complains_to_provider(contact: Contact) -> bool:
    """Its complaint channel, the 催告函 recorded by `sent`, or a ticketed contact on
    one of its channels (as core/channels counts it)."""
    if contact.channel == PROVIDER_COMPLAINT or contact.letter == PROVIDER:
        return True
    channel = CHANNEL.get(contact.channel)
    return channel is not None and channel.provider and bool(contact.ticket)


@dataclass(frozen=True)
class InstitutionAnswer:
    """The institution's time to answer the latest complaint to it, before 12363 takes
    the case (PBoC rules Art. 35, 43)."""

    complaint: Contact
    #: The end of its time to answer: from this day on, 12363 takes the complaint.
    deadline: Deadline
    #: It has already answered (refused, rejected or resolved), so 12363 takes it now.
    answered: bool
    #: Every complaint to it is a 催告函 (`sent --to provider`), counted as one.
    letter_only: bool = False

    def too_early(self, today: date) -> bool:
        """Whether the People's Bank of China may still send the merchant back."""
        return not self.answered and today < self.deadline.on


def institution_answer(
    view: CaseView, rules: Rules, calendar: WorkdayCalendar
) -> InstitutionAnswer | None:
    """The window of the latest complaint to the provider itself; None without one.

    However the complaint was made (a ticketed call counts), its time to answer is the
    follow-up of a complaint on the provider's complaint channel, without a promised date.
    """
    complaints = provider_complaints(view)
    if not complaints:
        return None
    last = max(complaints, key=lambda c: (c.on, c.id))
    # A 催告函 is answered from its delivery; until that is recorded, provisionally from
    # the day it was sent (`received_on`).
    start, provisional = received_on(last)
    as_complaint = Contact(id=last.id, case_id=last.case_id, on=start, channel=PROVIDER_COMPLAINT)
    # Answered: the outcome recorded with the complaint, or a later reply of the
    # institution (`incoming`, on one of its channels) that gives its answer.
    replies = [
        c
        for c in view.facts.contacts
        if c.incoming and c.on >= last.on and (c.channel == PROVIDER_COMPLAINT or _provider(c))
    ]
    answered = any(
        (o := OUTCOME.get(c.outcome) if c.outcome else None) is not None and o.answered
        for c in (last, *replies)
    )
    return InstitutionAnswer(
        complaint=last,
        deadline=replace(follow_up_for(as_complaint, rules, calendar), provisional=provisional),
        answered=answered,
        letter_only=all(c.letter is not None for c in complaints),
    )


def _provider(contact: Contact) -> bool:
    channel = CHANNEL.get(contact.channel)
    return channel is not None and channel.provider


def samr_time_bar(view: CaseView, rules: Rules) -> date | None:
    """After this day 12315 is likely to refuse: the refund was due longer ago than the
    years within which a complaint must follow knowing of the harm (SAMR order 121
    Art. 16 (4): the same three years as the limitation period, 民法典 188)."""
    due = view.refund_due
    if due is None:
        return None
    return years_after(due.on, years_of(rules["limitation"]))


def letter_notices(
    view: CaseView,
    profile: Profile,
    recipient: str,
    rules: Rules,
    calendar: WorkdayCalendar,
    respondents: Respondents | None = None,
) -> list[Notice]:
    """Every missing fact that weakens the letter, then the channel's likely objections."""
    found = respondents or respondents_for(view.facts.case)
    return [
        *missing_facts(view, profile, recipient),
        *respondent_notices(view, recipient, found),
        *state_notices(view),
        *channel_notices(view, recipient, rules, calendar, profile),
    ]


def respondent_notices(view: CaseView, recipient: str, found: Respondents) -> list[Notice]:
    """What the respondents' records lack where the recipient usually asks for it (where
    it is required, `letter_refusals` refuses the letter instead)."""
    out = []
    agent = found.agent_company
    if agent is not None and recipient in SECOND_RESPONDENT and not agent.address:
        # A second respondent is named with its address too (order 121 第十条).
        out.append(
            Notice(
                "agent_address_asked",
                N_(
                    "no address is recorded for the agent company {name}, named as the "
                    "second respondent: depositctl provider set '{name}' --kind "
                    "agent-company --address ADDRESS"
                ),
                {"id": view.id, "name": agent.name},
            )
        )
    if recipient in ADDRESS_ASKED and not found.institution.address:
        out.append(
            Notice(
                "respondent_address_asked",
                N_(
                    "no address is recorded for {name}; a {recipient} complaint usually "
                    "gives the respondent's address: {command}"
                ),
                {
                    "id": view.id,
                    "recipient": recipient,
                    "name": found.institution.name,
                    "command": address_command(found),
                },
            )
        )
    return out


def missing_facts(view: CaseView, profile: Profile, recipient: str) -> list[Notice]:
    """The facts the letter lacks, in the order the letter uses them."""
    case = view.facts.case
    facts = view.facts
    out: list[Notice] = []

    def add(code: str, text: str, **params: Any) -> None:
        out.append(Notice(code, text, {"id": case.id, **params}))

    if not profile.name:
        add("no_name", N_("no name in the profile: depositctl profile set --name NAME"))
    if not profile.phone:
        add("no_phone", N_("no phone number in the profile: depositctl profile set --phone N"))
    if not profile.address:
        add(
            "no_address",
            N_("no address in the profile: depositctl profile set --address TEXT"),
        )
    if profile.capacity in ("individual-business", "company") and not profile.business_name:
        add(
            "no_business_name",
            N_(
                "the profile's capacity is {capacity} but it names no business: "
                "depositctl profile set --business-name NAME"
            ),
            capacity=profile.capacity,
        )
    if not profile.id_number and RECIPIENT[recipient].needs_id_number:
        add(
            "no_id_number",
            N_(
                "no ID number in the profile; the {recipient} letter usually needs one: "
                "depositctl profile set --id-number N"
            ),
            recipient=recipient,
        )
    if not case.serial:
        add(
            "no_serial",
            N_("case #{id} has no terminal serial number: depositctl edit {id} --serial SN"),
        )
    if not case.merchant_no:
        add(
            "no_merchant_no",
            N_(
                "case #{id} has no merchant number, which lets the provider find your account: "
                "depositctl edit {id} --merchant-no N"
            ),
        )
    if not any(e.kind == "receipt" for e in facts.evidence):
        add(
            "no_payment_evidence",
            N_(
                "no evidence of payment (receipt or first-swipe slip) for #{id}: "
                "depositctl evidence add {id} FILE --kind receipt"
            ),
        )
    if case.condition.kind in ("target", "return", "unknown") and not case.condition_text:
        add(
            "no_condition_text",
            N_(
                "the wording of the refund condition is missing for #{id}, so the letter "
                "cannot quote it: depositctl edit {id} --condition-text TEXT"
            ),
        )
    if case.condition.kind == "unknown":
        add(
            "condition_unknown",
            N_(
                "the refund condition of #{id} is not recorded (targets, --condition-return "
                "or --no-condition)"
            ),
        )
    if (
        view.condition_met_on is not None
        and case.condition.kind == "target"
        and not any(e.kind == "statement" for e in facts.evidence)
    ):
        add(
            "no_statement",
            N_(
                "no transaction statement proves that the condition was met: "
                "depositctl evidence add {id} FILE --kind statement"
            ),
        )
    if not own_contacts(facts.contacts):
        add(
            "no_contact",
            N_(
                "no contact with the provider is logged for #{id}; the letter is stronger "
                "with dates and ticket numbers: depositctl contact {id} ..."
            ),
        )
    if case.condition.kind == "none" and view.trigger_on is None and recipient != "provider":
        add(
            "no_refund_request",
            N_(
                "no refund request is logged for #{id}, so no refund date can be shown; "
                "send the provider letter first: depositctl letter {id} --to provider"
            ),
        )
    return out


def state_notices(view: CaseView) -> list[Notice]:
    """What the state of the case means for a demand: nothing owed yet, or nothing left."""
    cid = view.id
    if view.state in (State.REFUNDED, State.CLOSED):
        return [
            Notice(
                "nothing_outstanding",
                N_("case #{id} is {state}: nothing is outstanding"),
                {"id": cid, "state": view.state.value},
            )
        ]
    if view.state in (State.AWAITING_ACTIVATION, State.CONDITION_PENDING):
        return [
            Notice(
                "condition_not_met",
                N_("the refund condition of #{id} is not met yet; the refund is not owed yet"),
                {"id": cid},
            )
        ]
    if view.state is State.CONDITION_FAILED:
        return [
            Notice(
                "condition_failed",
                N_(
                    "the condition of #{id} was not met in time; the letter argues that the "
                    "condition is unreasonable, which the recipient may not accept"
                ),
                {"id": cid},
            )
        ]
    if view.state is State.REFUND_PENDING and view.refund_due is not None:
        return [
            Notice(
                "not_overdue",
                N_("the refund of #{id} is not overdue yet (due {due})"),
                {"id": cid, "due": view.refund_due.on.isoformat()},
            )
        ]
    return []


def channel_notices(
    view: CaseView,
    recipient: str,
    rules: Rules,
    calendar: WorkdayCalendar,
    profile: Profile | None = None,
) -> list[Notice]:
    """Why this channel may turn the case away, and which channel is better then."""
    cid = view.id
    out: list[Notice] = []
    capacity = profile.capacity_or_default if profile is not None else "individual"
    business = capacity in ("individual-business", "company")
    if business and recipient in DAILY_LIFE_ONLY:
        scope = {
            "id": cid,
            "recipient": recipient,
            "citation": rules[DAILY_LIFE_ONLY[recipient]].citation,
        }
        if capacity == "company":
            out.append(
                Notice(
                    "not_daily_life_company",
                    N_(
                        "{recipient} takes complaints about daily-life consumption only "
                        "({citation}), and a company's terminal is for its business: expect "
                        "it to be refused. Routes that fit: a 12315 report (举报) of the "
                        "violation, and the court; the claim under the contract stands"
                    ),
                    scope,
                )
            )
        else:
            out.append(
                Notice(
                    "not_daily_life_business",
                    N_(
                        "{recipient} takes complaints about daily-life consumption only "
                        "({citation}), and an individual business's terminal is for its "
                        "business: expect it to be refused. Routes that fit: a 12315 report "
                        "(举报) of the violation, the People's Bank of China (12363, for "
                        "natural persons: depositctl letter {id} --to 12363), and the court"
                    ),
                    scope,
                )
            )
    if recipient == "consumer-association" and not business:
        out.append(
            Notice(
                "ca_business_dispute",
                N_(
                    "consumer associations may decline disputes between businesses or arising "
                    "from production needs; the letter presents you as an individual using a "
                    "personal POS service. If it is declined, complain to the People's Bank of "
                    "China: depositctl letter {id} --to 12363"
                ),
                {"id": cid},
            )
        )
    elif recipient == "12315":
        if not business:
            out.append(
                Notice(
                    "samr_daily_life",
                    N_(
                        "12315 takes complaints about daily-life consumption ({citation}) "
                        "made within 3 years of learning of the harm; a terminal used for "
                        "business may be refused. Then complain to the People's Bank of "
                        "China: depositctl letter {id} --to 12363"
                    ),
                    {"id": cid, "citation": rules["samr_refusal_scope"].citation},
                )
            )
        bar = samr_time_bar(view, rules)
        if bar is not None and view.refund_due is not None and view.today > bar:
            out.append(
                Notice(
                    "samr_three_years",
                    N_(
                        "the refund was due on {due}, more than 3 years ago: 12315 is likely "
                        "to refuse the complaint; consider the court"
                    ),
                    {"id": cid, "due": view.refund_due.on.isoformat()},
                )
            )
    elif recipient == "12363":
        window = institution_answer(view, rules, calendar)
        if window is not None and window.letter_only:
            out.append(Notice("pboc_letter_as_complaint", LETTER_AS_COMPLAINT, {"id": cid}))
        if window is None:
            out.append(
                Notice(
                    "pboc_no_provider_complaint",
                    N_(
                        "no complaint to the provider itself is logged for #{id}: the People's "
                        "Bank of China takes a complaint only after the institution has answered "
                        "or its {days} days have passed ({citation}). Send the provider letter "
                        "first: depositctl letter {id} --to provider"
                    ),
                    {
                        "id": cid,
                        "days": days_of(rules["pboc_institution_answer"]),
                        "citation": pboc_order_citation(rules),
                    },
                )
            )
        elif window.too_early(view.today):
            out.append(
                Notice(
                    "pboc_too_early",
                    N_(
                        "the provider's {days} days to answer your demand letter sent on {on} "
                        "run until {ends} (provisional: its delivery is not yet recorded); the "
                        "People's Bank of China may send you back to the provider until then"
                    )
                    if window.deadline.provisional
                    else N_(
                        "the provider's {days} days to answer your complaint of {on} run "
                        "until {ends}; the People's Bank of China may send you back to the "
                        "provider until then"
                    ),
                    {
                        "id": cid,
                        "days": days_of(rules["pboc_institution_answer"]),
                        "on": window.complaint.on.isoformat(),
                        "ends": window.deadline.on.isoformat(),
                    },
                )
            )
    return out


def pboc_order_citation(rules: Rules) -> str:
    """The two articles that put the institution's answer before 12363."""
    ids = ("pboc_complaint", "pboc_institution_answer")
    return "、".join(rules[i].citation or "" for i in ids)
