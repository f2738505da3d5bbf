"""The facts of one case as a letter template sees them, in Chinese.

`letter_context()` turns a CaseView, the profile and the rule table into facts (dates as
2026年11月24日, amounts in figures and in RMB capitals, numbers, flags, codes and labels);
the Jinja2 templates in `depositctl/data/templates/` word and arrange them (the phrases
live in `_phrases.j2`). The Chinese names of channels, outcomes, evidence kinds and
payment methods come from the vocabulary tables (`core/vocab.py`). Nothing here invents
law: the legal basis is the rule table's `[letters]` list, each rule's citation and its
Chinese gist.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from depositctl.core.caseview import CaseView, Deadline
from depositctl.core.channels import received_on
from depositctl.core.dates import zh_date
from depositctl.core.deadlines import obligor_demands
from depositctl.core.letter_checks import (
    NOT_YET_DUE,
    PROVIDER,
    SECOND_RESPONDENT,
    LetterOptions,
    Respondents,
    evidence_in_order,
    provider_complaints,
    reply_deadline,
    respondents_for,
)
from depositctl.core.models import Contact, Profile, State, own_contacts
from depositctl.core.periods import days_of
from depositctl.core.respondents import Provider
from depositctl.core.rules import Rules
from depositctl.core.vocab import (
    CHANNEL,
    DEFAULT_CAPACITY,
    EVIDENCE_KIND,
    OUTCOME,
    PAYMENT_METHOD,
    RECIPIENT,
)
from depositctl.core.workdays import WorkdayCalendar

#: Where the profile lacks a fact: a blank to fill in by hand.
BLANK = "________________"

#: Rules that bind an operator towards consumers only (for daily-life consumption,
#: 消保法 第二条): a letter cites them conditionally ("如投诉人属于…消费者"), after the
#: contract and the payment-institution regulation, and not at all for a company.
CONSUMER_RULES = ("deposit_refund", "deposit_penalty", "standard_terms_regulation")
#: Cited only where the respondent is a payment institution.
INSTITUTION_RULES = ("payment_institutions",)
#: Cited only where no refund time was agreed (民法典 第511条(四)).
NO_TIME_RULES = ("unclear_time",)
#: The contract's articles: a failed condition's argument (standard terms) follows them.
CONTRACT_RULES = ("performance", "breach")

#: Who answers on a complaint body's channel, as a reply names it
#: ("市场监管部门回复：已受理").
REPLIER = {
    "12315": "市场监管部门",
    "12315-report": "市场监管部门",
    "consumer-association": "消费者协会",
    "12363": "中国人民银行",
    "pcac": "中国支付清算协会",
    "court": "人民法院",
}

#: Rules cited by their full title (with the issuing body and document number): a
#: self-regulatory norm is known by its number (中支协发〔2025〕64号), not by articles.
FULL_TITLE_RULES = ("pcac_outsourcing",)
#: Who took the deposit on the institution's behalf (`--paid-to`).
AGENT_TOOK = ("agent-company", "salesperson")
#: How a salesperson's recorded name may mark the role, taken off where the letter
#: names the role itself (李某（业务员） -> 业务员李某).
SALES_MARKS = ("（业务员）", "(业务员)")

#: How a letter names the merchant where it is not a complaint: a statement of claim
#: speaks of the plaintiff, a report of the reporter (the provider letter says 本人).
SPEAKER = {"court": "原告", "12315-report": "举报人", "pcac": "举报人"}


def yuan(amount: Decimal) -> str:
    """`99.00元`, `50,000.00元`."""
    return f"{amount:,.2f}元"


def rmb_capitals(amount: Decimal) -> str:
    """RMB capitals as on a cheque: 99 -> 玖拾玖元整 (cn2an, not hand-written)."""
    import cn2an

    text: str = cn2an.an2cn(f"{amount:.2f}", "rmb")
    return text


def _period(n: int | None, unit: str) -> dict[str, Any]:
    """A time limit as `_phrases.j2` writes it: 15个工作日 or 30日."""
    return {"n": n, "workdays": unit == "wd"}


def _condition(view: CaseView) -> dict[str, Any]:
    """The agreed condition's facts; `condition_summary()` in `_phrases.j2` words them."""
    case = view.facts.case
    cond = case.condition
    within = case.refund_within
    return {
        "kind": cond.kind,
        "quote": case.condition_text or "",
        "activated": case.activated_on is not None,
        "volume": yuan(cond.volume) if cond.volume is not None else None,
        "count": cond.count,
        "days": cond.days,
        "within": _period(within.n, within.unit) if within is not None else None,
        "promised_on": zh_date(case.promised_refund_on) if case.promised_refund_on else None,
        "failed": _failed(view),
    }


#: What started the refund period, as `started()` in `_phrases.j2` knows it.
_TRIGGERS = {"trigger_met": "met", "trigger_return": "return", "trigger_request": "request"}


def _due(view: CaseView, due: Deadline, rules: Rules) -> dict[str, Any]:
    """The refund deadline and the facts of its basis (`due_basis()` words them)."""
    case = view.facts.case
    rule = due.basis.rule
    within = case.refund_within
    grace = int(due.basis.params.get("n", rules.default_grace_days))
    start = due.on - timedelta(days=grace) if rule == "default_grace" else None
    return {
        "on": zh_date(due.on),
        "overdue": view.state is State.OVERDUE,
        "passed": view.today > due.on,
        "days_overdue": view.days_overdue,
        # Codes without "_", which the markdown escaping would change.
        "promised": rule == "promised_refund",
        "trigger": _TRIGGERS.get(view.trigger_basis.rule, "") if view.trigger_basis else "",
        "trigger_on": zh_date(view.trigger_on) if view.trigger_on else "",
        "within": _period(within.n, within.unit)
        if rule == "refund_within" and within is not None
        else None,
        "grace": grace,
        # Rule 4: without an agreed time the grace runs from the demand (or, where the
        # deadline engine says so, the trigger): the day it starts, and whether a
        # recorded refund request or letter of that day is the demand.
        "start_on": zh_date(start) if start else "",
        "start_request": start is not None and start in _demand_days(view),
        "estimate": due.estimate,
    }


def _demand_days(view: CaseView) -> set[date]:
    """The days the merchant's refund requests to the obligor reached it (rule 4's
    demand, `obligor_demands`): a complaint to a body is none."""
    return {received_on(c)[0] for c in obligor_demands(view.facts)}


def _evidence_items(view: CaseView) -> list[dict[str, Any]]:
    contacts = {c.id: c for c in view.facts.contacts}
    items = []
    for n, e in enumerate(evidence_in_order(view), 1):
        linked = contacts.get(e.contact_id) if e.contact_id is not None else None
        items.append(
            {
                "n": n,
                "name": e.name,
                "kind": EVIDENCE_KIND.zh_name(e.kind),
                "date": zh_date(e.added_on),
                "dated": zh_date(e.dated_on) if e.dated_on else "",
                "note": e.note or "",
                "sha12": e.sha256[:12],
                "contact": zh_date(linked.on) if linked else "",
            }
        )
    return items


def _met(view: CaseView, evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """How the condition was met, as facts (`met_how()` and `progress_item()` word them)."""
    case = view.facts.case
    kind = case.condition.kind
    statements = [e["n"] for e in evidence if e["kind"] == EVIDENCE_KIND.zh["statement"]]
    if kind == "return" and case.returned_on is not None:
        return {"rule": "return", "on": zh_date(case.returned_on), "progress": [], "proof": []}
    met_on = view.condition_met_on
    if met_on is None:
        return None
    basis = view.condition_met_basis
    rule = basis.rule if basis else ""
    progress = []
    volume, count = Decimal(0), 0
    if rule == "progress":
        for p in sorted(view.facts.progress, key=lambda p: (p.on, p.id)):
            if p.on > met_on:
                break
            volume += p.volume
            count += p.count or 0
            progress.append(
                {
                    "on": zh_date(p.on),
                    "volume": yuan(p.volume),
                    "count": p.count,
                    "total": yuan(volume),
                    "statement": p.source == "statement",
                }
            )
    return {
        # A code without "_", which the markdown escaping would change.
        "rule": {"progress": "progress", "condition_days": "days"}.get(rule, "other"),
        "on": zh_date(met_on),
        "volume": yuan(volume),
        "count": count,
        "days": case.condition.days,
        "progress": progress,
        "proof": statements,
    }


def _failed(view: CaseView) -> dict[str, Any] | None:
    """The condition not met in time: when its period ended and what was reached."""
    if view.state is not State.CONDITION_FAILED or view.condition_deadline is None:
        return None
    cond = view.facts.case.condition
    return {
        "on": zh_date(view.condition_deadline.on),
        "volume": yuan(view.progress_volume),
        "count": view.progress_count if cond.count is not None else None,
    }


def _is_body(channel: str) -> bool:
    """A complaint lodged with a third party (向…投诉), not a way of talking."""
    term = CHANNEL.get(channel)
    return term is not None and term.body


def _salesperson(name: str) -> str:
    """A salesperson's name without a role mark it was recorded with."""
    for mark in SALES_MARKS:
        if name.endswith(mark) and len(name) > len(mark):
            return name[: -len(mark)].strip()
    return name


def _outcome(c: Contact) -> str | None:
    """An outcome as the contact line words it: a reply names who answered, so the
    answer drops its 对方 (承诺处理); no answer on a written channel is 未回复 (a
    message is not 接通)."""
    if not c.outcome:
        return None
    text = OUTCOME.zh_name(c.outcome)
    term = CHANNEL.get(c.channel)
    if c.outcome == "no-answer" and term is not None and term.written:
        return "未回复"
    if c.incoming and text.startswith("对方"):
        return text[len("对方") :]
    return text


def _contacts(view: CaseView, institution: str, addressee: bool = False) -> list[dict[str, Any]]:
    """Each contact's facts, in order (`contact_line()` in `_phrases.j2` words them): the
    merchant's own contacts, the other side's replies (`incoming`) and the letters the
    merchant recorded as sent (`letter`)."""
    numbers = {e.id: n for n, e in enumerate(evidence_in_order(view), 1)}
    linked: dict[int, list[int]] = {}
    for e in view.facts.evidence:
        if e.contact_id is not None:
            linked.setdefault(e.contact_id, []).append(numbers[e.id])
    ordered = sorted(
        view.facts.contacts, key=lambda c: (c.on, c.at_time is not None, c.at_time, c.id)
    )
    return [
        {
            "on": zh_date(c.on),
            "time": f"{c.at_time:%H:%M}" if c.at_time else "",
            "body": _is_body(c.channel),
            "label": CHANNEL.zh_name(c.channel),
            "to": c.to or None,
            "ticket": c.ticket or None,
            "outcome": _outcome(c),
            "promised_by": zh_date(c.promised_by) if c.promised_by else None,
            "summary": c.summary.rstrip("。") if c.summary else None,
            "refund_request": bool(c.refund_request),
            # A reply of the other side: worded as its answer, never as a complaint.
            "incoming": c.incoming,
            "who": _replier(c, institution, addressee),
            # A call of the other side (来电答复), not a reply on another channel.
            "call": c.incoming and c.channel == "phone",
            "reason": c.reason.rstrip("。") if c.reason else None,
            "letter": _sent_letter(c),
            "evidence": sorted(linked.get(c.id, [])),
        }
        for c in ordered
    ]


def _replier(contact: Contact, institution: str, addressee: bool = False) -> str:
    """Who gave a reply: the person recorded, else the body of the channel, else the
    institution on one of its own channels, else 对方. In a letter to the institution
    (`addressee`) it is 贵司 (示例支付股份有限公司客服 -> 贵司客服)."""
    if contact.to:
        if addressee and contact.to.startswith(institution):
            return "贵司" + contact.to[len(institution) :]
        return contact.to
    if contact.channel in REPLIER:
        return REPLIER[contact.channel]
    channel = CHANNEL.get(contact.channel)
    if channel is not None and channel.body:
        return channel.zh
    if channel is not None and channel.provider:
        return "贵司" if addressee else institution
    return "对方"


#: Per recipient of a letter `sent` records: what was sent, after the verb of
#: `sent_how` (以EMS寄送催告函), and its noun in a list of ways (the 12315 report).
LETTER_WORDS: dict[str, tuple[str, str]] = {
    "provider": ("催告函", "催告函"),
    "12315": ("投诉", "12315平台投诉"),
    "consumer-association": ("投诉", "消费者协会投诉"),
    "12363": ("投诉", "12363投诉"),
    "12315-report": ("举报", "12315平台举报"),
    "court": ("起诉状", "起诉"),
    "pcac": ("举报信", "支付清算协会举报"),
}


def _sent_letter(contact: Contact) -> dict[str, Any] | None:
    """A letter recorded by `sent`: which, to whom, how, its tracking number and the day
    it was delivered; None for any other contact."""
    if not contact.letter:
        return None
    recipient = RECIPIENT.get(contact.letter)
    return {
        "title": recipient.title if recipient is not None else contact.letter,
        # The body it went to, where the title does not say (a 催告函 goes to the provider).
        "to": recipient.zh if recipient is not None and recipient.value != PROVIDER else "",
        "via": contact.via or "",
        "tracking": contact.tracking or "",
        "delivered": zh_date(contact.delivered_on) if contact.delivered_on else "",
        # What was sent, after how (寄送催告函, 向全国12315平台提交投诉), and the noun in a
        # list of ways (电话、催告函、12315平台投诉): never the letter's full title.
        "short": LETTER_WORDS.get(contact.letter, ("", ""))[0] or contact.letter,
        "noun": LETTER_WORDS.get(contact.letter, ("", ""))[1] or contact.letter,
    }


def _institution_reply(
    view: CaseView, complaint: Contact, complaints: list[Contact]
) -> dict[str, Any] | None:
    """The institution's first answer (a reply on one of its channels) to the complaint:
    when, and what it said (its outcome, else the summary); None without one. A reply
    answers the latest of the merchant's own complaints (`complaints`) on or before it,
    so a reply after a later complaint is that one's, not this one's."""
    for c in sorted(view.facts.contacts, key=lambda c: (c.on, c.id)):
        term = CHANNEL.get(c.channel)
        if c.incoming and c.on >= complaint.on and term is not None and term.provider:
            latest = max((k for k in complaints if k.on <= c.on), key=lambda k: (k.on, k.id))
            if latest.id != complaint.id:
                return None
            what = _outcome(c) or (c.summary.rstrip("。") if c.summary else "")
            return {"on": zh_date(c.on), "what": what}
    return None


def _complaint(view: CaseView, c: Contact, complaints: list[Contact]) -> dict[str, Any]:
    """A complaint to the institution: when, its ticket, the 催告函 it is (`letter`, from
    `sent`: worded as the letter it is), the days since it reached the institution (a
    letter from its delivery; `provisional` while that is not recorded) and its answer."""
    start, provisional = received_on(c)
    return {
        "on": zh_date(c.on),
        "ticket": c.ticket or "",
        "letter": _sent_letter(c),
        "days": (view.today - start).days,
        "provisional": provisional,
        "answer": _institution_reply(view, c, complaints),
    }


def _party(p: Provider) -> dict[str, Any]:
    """A respondent's recorded facts; an empty text where one is not recorded."""
    return {
        "name": p.name,
        "address": p.address or "",
        "credit_code": p.credit_code or "",
        # A licence is the institution's (an agent company holds none).
        "licence": (p.licence or "") if p.kind == "institution" else "",
    }


def _is_uscc(text: str) -> bool:
    from stdnum.cn import uscc

    return bool(uscc.is_valid(text))


def _complainant(profile: Profile) -> dict[str, Any]:
    """Who complains, in what capacity (个人, 个体工商户, 企业): a company complains in its
    own name, with the person in the profile as its contact."""
    capacity = profile.capacity or DEFAULT_CAPACITY
    person = profile.name or BLANK
    company = capacity == "company"
    licence = profile.business_licence or ""
    return {
        "name": (profile.business_name or BLANK) if company else person,
        "person": person,
        "capacity": capacity,
        "business_name": profile.business_name or "",
        "business_licence": licence,
        "licence_is_code": bool(licence) and _is_uscc(licence),
        "self": "本公司" if company else "本人",
        "phone": profile.phone or BLANK,
        "address": profile.address or BLANK,
        "postcode": profile.postcode or "",
        "id_number": profile.id_number or "",
        "email": profile.email or "",
    }


def _citations(
    view: CaseView, recipient: str, rules: Rules, capacity: str, institution: bool
) -> list[dict[str, Any]]:
    """The legal basis of the letter, in its order: the rule table's `[letters]` list
    for the recipient (the contract first), less the payment-institution regulation
    where the respondent is none, 第511条(四) where a refund time was agreed and the
    consumer-only rules for a company; a failed condition adds the standard-terms
    articles after the contract's."""
    case = view.facts.case
    agreed = case.refund_within is not None or case.promised_refund_on is not None
    ids = [i for i in rules.letters.get(recipient, []) if i in rules.rules]
    if view.state is State.CONDITION_FAILED and "standard_terms_civil" not in ids:
        after = max((ids.index(i) + 1 for i in CONTRACT_RULES if i in ids), default=0)
        ids.insert(after, "standard_terms_civil")
    dropped = {
        *(INSTITUTION_RULES if not institution else ()),
        *(NO_TIME_RULES if agreed else ()),
        *(CONSUMER_RULES if capacity == "company" else ()),
    }
    return [
        {
            "id": i,
            "citation": (rules[i].law if i in FULL_TITLE_RULES else rules[i].citation) or "",
            "gist": rules[i].zh,
            # Binds operators towards consumers only: cited conditionally.
            "consumer": i in CONSUMER_RULES,
        }
        for i in ids
        if i not in dropped
    ]


def _early(view: CaseView, recipient: str) -> dict[str, Any] | None:
    """A letter written before the refund is due (to a third party only with `--force`):
    what is not due yet. None when the refund is due, and for the provider's demand
    where it is itself the request that makes the refund due."""
    if view.state not in NOT_YET_DUE:
        return None
    due = view.refund_due
    if due is not None:
        return {"why": "due", "on": zh_date(due.on)}
    if view.state is State.REFUND_PENDING:
        return None if recipient == PROVIDER else {"why": "request", "on": ""}
    return {"why": "condition", "on": ""}


def letter_context(
    view: CaseView,
    profile: Profile,
    rules: Rules,
    calendar: WorkdayCalendar,
    recipient: str,
    respondents: Respondents | None = None,
    options: LetterOptions | None = None,
) -> dict[str, Any]:
    """Everything a letter template needs: the facts, as Chinese dates and amounts, numbers,
    flags and codes; the templates (`_phrases.j2`) word them into sentences. The
    respondents are the provider records (`respondents_for`); without them, the names the
    case holds. `options` carries `--via` and the grace period of the provider's demand."""
    case = view.facts.case
    found = respondents or respondents_for(case)
    agent = found.agent_company
    opts = options or LetterOptions()
    today = view.today
    evidence = _evidence_items(view)
    receipts = [e["n"] for e in evidence if e["kind"] == EVIDENCE_KIND.zh["receipt"]]
    complainant = _complainant(profile)
    institution = found.institution.kind == "institution"

    due = view.refund_due
    reply = reply_deadline(view, recipient, rules, calendar)
    rule = rules.rules.get(reply.basis.rule)
    if rule is not None and rule.workdays is not None:
        period = _period(rule.workdays, "wd")
    elif rule is not None:
        period = _period(rule.days, "d")
    else:  # a promise cannot occur for a contact made today without one
        period = _period((reply.on - today).days, "d")
    grace = rules.default_grace_days if opts.grace_days is None else opts.grace_days

    refunds = [{"on": zh_date(r.on), "amount": yuan(r.amount)} for r in view.facts.refunds]
    complaints = sorted(provider_complaints(view), key=lambda c: (c.on, c.id))
    first_complaint = None
    if complaints:
        first_complaint = {
            **_complaint(view, complaints[0], complaints),
            "answer_days": days_of(rules["pboc_institution_answer"]),
            # Only 催告函: the letter states the facts, not that they count as the
            # complaint Art. 35 asks for first (a reading not verified; a notice says so).
            "letter_only": all(c.letter is not None for c in complaints),
            "again": None,
        }
        if first_complaint["answer"] is None:
            # The first answer may be a later complaint's: name that one too.
            later = (_complaint(view, c, complaints) for c in complaints[1:])
            first_complaint["again"] = next((k for k in later if k["answer"]), None)

    # The merchant's own contacts: the other side's replies are no attempt of theirs.
    # A letter recorded by `sent` is named as the letter it is (以EMS寄送催告函), not as
    # its recipient's channel (a 催告函 is no call to the complaint line).
    own = own_contacts(view.facts.contacts)
    channels: list[str] = []
    for c in sorted(own, key=lambda c: (c.on, c.id)):
        label = CHANNEL.zh_name(c.channel)
        if c.letter is None and label not in channels:
            channels.append(label)
    tickets = [c.ticket for c in own if c.ticket and c.letter is None]
    # Where the words are counted (the 12315 report), each letter by its title in the list.
    named: list[str] = []
    for c in sorted(own, key=lambda c: (c.on, c.id)):
        sent = _sent_letter(c)
        label = sent["noun"] if sent is not None else CHANNEL.zh_name(c.channel)
        if label not in named:
            named.append(label)
    letters = [
        {"on": zh_date(c.on), **(_sent_letter(c) or {})}
        for c in sorted(own, key=lambda c: (c.on, c.id))
        if c.letter is not None
    ]

    return {
        "recipient": recipient,
        "title": RECIPIENT[recipient].title,
        "case_id": case.id,
        "today": zh_date(today),
        "checked_on": zh_date(rules.checked_on),
        # The ledger's state when the letter was made (count and short last hash).
        "ledger_head": (
            {"count": opts.ledger_head[0], "hash": (opts.ledger_head[1] or "")[:12]}
            if opts.ledger_head is not None and opts.ledger_head[1]
            else None
        ),
        "state": view.state.value,
        # How the letter speaks of the merchant: 本人/本公司 in the demand to the
        # provider (no complaint), 投诉人 in a complaint.
        "me": complainant["self"] if recipient == PROVIDER else SPEAKER.get(recipient, "投诉人"),
        "complainant": complainant,
        "respondent": {
            **_party(found.institution),
            # A licensed payment institution (the regulation of payment institutions
            # applies), not an agent company recorded as the provider.
            "institution": institution,
            "email": found.institution.email or "",
            "agent": case.agent_name or "",
            # The salesperson by role and name: 业务员李某.
            "agent_person": _salesperson(case.agent_name or ""),
            "agent_label": f"业务员{_salesperson(case.agent_name)}" if case.agent_name else "",
            # The agent company or salesperson took the deposit on the institution's
            # behalf: the letters never say the institution took it.
            "agent_collected": case.paid_to in AGENT_TOOK,
            "agent_phone": case.agent_phone or "",
            # Who took the deposit, as flags (the codes hold "-").
            "took": case.paid_to == "institution",
            "agent_took": case.paid_to == "salesperson",
        },
        # The agent company: a second respondent where the recipient takes one, else
        # named as the seller of the terminal.
        "agent_company": {
            **_party(agent),
            "second": recipient in SECOND_RESPONDENT,
            "took": case.paid_to == "agent-company",
        }
        if agent is not None
        else None,
        "terminal": {
            "brand": case.brand or "",
            "model": case.model or "",
            "serial": case.serial or "",
            "merchant_no": case.merchant_no or "",
            "activated_on": zh_date(case.activated_on) if case.activated_on else "",
        },
        "deposit": {
            "amount": yuan(case.amount),
            "capitals": rmb_capitals(case.amount),
            "paid_on": zh_date(case.paid_on),
            "paid_via": PAYMENT_METHOD.zh.get(case.paid_via or "", ""),
            # Who took the money: "institution", "agent-company", "salesperson" or "".
            "paid_to": case.paid_to or "",
            "receipts": receipts,
            "refunds": refunds,
            "refunded": yuan(view.refunded),
            "outstanding": yuan(view.outstanding),
            "outstanding_capitals": rmb_capitals(view.outstanding)
            if view.outstanding > 0
            else "零元整",
            "nothing_left": view.outstanding == 0,
        },
        "condition": _condition(view),
        "met": _met(view, evidence),
        "due": _due(view, due, rules) if due is not None else None,
        "early": _early(view, recipient),
        "contacts": _contacts(view, found.institution.name, recipient == PROVIDER),
        "contact_summary": {
            "count": len(own) - len(letters),
            "channels": "、".join(channels),
            "tickets": "、".join(tickets),
            "letters": letters,
            "all_count": len(own),
            "named": "、".join(named),
            "named_list": named,
            # The 12315 report over its limit names the contacts briefly (recipient_context).
            "brief": False,
        },
        "provider_complaint": first_complaint,
        "demand": {
            "amount": yuan(view.outstanding),
            "capitals": rmb_capitals(view.outstanding) if view.outstanding > 0 else "零元整",
            "reply_by": zh_date(reply.on),
            "period": period,
            "citation": reply.basis.citation or "",
            "estimate": reply.estimate,
            # The provider's demand: its days from receipt (the grace period of rule 4),
            # how it is sent (a VIA value or "") and where the money goes.
            "grace": grace,
            "via": opts.via or "",
            "payee_account": profile.payee_account or "",
        },
        # The consumer-only rules apply where the complainant may be a consumer: cited
        # conditionally, never for a company.
        "consumer_law": complainant["capacity"] != "company",
        "citations": _citations(view, recipient, rules, complainant["capacity"], institution),
        "cite": {k: r.citation or "" for k, r in rules.rules.items()},
        # Law and article apart, to cite two articles of one law as 《…》第…条、第…条.
        "law": {k: (r.law or "").split("（", 1)[0] for k, r in rules.rules.items()},
        # A rule's full title with its issuer and number (FULL_TITLE_RULES).
        "law_full": {k: r.law or "" for k, r in rules.rules.items()},
        "article": {k: r.article or "" for k, r in rules.rules.items()},
        "evidence": evidence,
    }
