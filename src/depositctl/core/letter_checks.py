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
from datetime import date
from typing import Any

from depositctl.core.caseview import CaseView, Deadline
from depositctl.core.deadlines import follow_up_for
from depositctl.core.errors import N_
from depositctl.core.models import Case, Contact, Evidence, Profile, State, own_contacts
from depositctl.core.periods import days_of, years_after, years_of
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
#: What a complaint from a company rests on: the recipients that protect consumers, who
#: are natural persons buying for daily life (the rule that says so, per recipient).
CONSUMER_ONLY = {
    "12315": "consumer_scope",
    "consumer-association": "consumer_scope",
    "12363": "pboc_scope",
}


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


def letter_refusals(
    view: CaseView, recipient: str, rules: Rules, respondents: Respondents | None = None
) -> list[Notice]:
    """Why the letter must not be written at all (a blocking problem, as data): the
    recipient refuses a complaint without the respondent's address and none is recorded."""
    found = respondents or respondents_for(view.facts.case)
    rule_id = ADDRESS_REQUIRED.get(recipient)
    if rule_id is None or found.institution.address:
        return []
    return [
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
        )
    ]


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
    if contact.channel == PROVIDER_COMPLAINT:
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
    as_complaint = Contact(id=last.id, case_id=last.case_id, on=last.on, channel=PROVIDER_COMPLAINT)
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
        deadline=follow_up_for(as_complaint, rules, calendar),
        answered=answered,
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
    company = profile is not None and profile.capacity == "company"
    if company and recipient in CONSUMER_ONLY:
        out.append(
            Notice(
                "company_complainant",
                N_(
                    "the complaint is made in a company's name, but {recipient} is a channel "
                    "for consumers ({citation}) and may decline it; the claim under the "
                    "contract stands: send the provider letter"
                ),
                {
                    "id": cid,
                    "recipient": recipient,
                    "citation": rules[CONSUMER_ONLY[recipient]].citation,
                },
            )
        )
    if recipient == "consumer-association" and not company:
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
        out.append(
            Notice(
                "samr_daily_life",
                N_(
                    "12315 takes complaints about daily-life consumption ({citation}) made "
                    "within 3 years of learning of the harm; a terminal used for business may "
                    "be refused. Then complain to the People's Bank of China: "
                    "depositctl letter {id} --to 12363"
                ),
                {"id": cid, "citation": rules["consumer_scope"].citation},
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
