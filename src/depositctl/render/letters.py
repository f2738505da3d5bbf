"""Complaint letters: the facts of one case, arranged for one recipient, in Chinese.

`letter_context()` turns a CaseView, the profile and the rule table into facts (dates as
2026年11月24日, amounts in figures and in RMB capitals, numbers, flags, codes and labels);
the Jinja2 templates in `depositctl/data/templates/` word and arrange them (the phrases
live in `_phrases.j2`); `letter_notices()` lists, for stderr, every
missing fact that weakens the letter and every reason the channel may refuse the case.
The docx and pdf writers take the markdown rendering, split into blocks by `blocks()`.

The letter body is always Chinese. Notices are English templates (N_) with parameters,
translated by the CLI. Nothing here invents law: the legal basis is the rule table's
`[letters]` list, each rule's citation and its Chinese gist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from depositctl.core.dates import zh_date
from depositctl.core.deadlines import CaseView, Deadline, follow_up_for
from depositctl.core.errors import N_
from depositctl.core.models import Contact, Evidence, Profile, State
from depositctl.core.rules import Rules
from depositctl.core.workdays import WorkdayCalendar

RECIPIENTS = ("consumer-association", "12315", "12363", "provider")
TEXT_FORMATS = ("md", "txt")
FILE_FORMATS = ("docx", "pdf")
FORMATS = TEXT_FORMATS + FILE_FORMATS

#: The document's title, and the name a bundle gives the letter file.
TITLES = {
    "consumer-association": "消费者投诉书",
    "12315": "12315平台投诉内容",
    "12363": "金融消费者投诉书",
    "provider": "催告函",
}

#: The channel a letter is sent through: its follow-up rule sets the reply-by date,
#: so the date in the letter is the one `agenda` shows once the sending is logged.
REPLY_CHANNEL = {
    "consumer-association": "consumer-association",
    "12315": "12315",
    "12363": "12363",
    "provider": "provider-complaint",
}

#: Channels through which a contact counts as a complaint to the provider itself.
PROVIDER_CHANNELS = frozenset({"provider-complaint", "phone", "chat", "email", "visit"})

#: Channels that are bodies a complaint is lodged with (向…投诉), not a way of talking.
COMPLAINT_BODIES = frozenset({"12315", "consumer-association", "12363"})

PAID_VIA_ZH = {
    "first-swipe": "从首笔刷卡交易中扣除（首刷扣押金）",
    "wechat": "微信支付",
    "alipay": "支付宝",
    "bank": "银行转账",
    "cash": "现金",
    "other": "其他方式",
}

CHANNEL_ZH = {
    "phone": "电话",
    "chat": "在线客服",
    "wechat": "微信",
    "agent": "代理商/业务员",
    "email": "电子邮件",
    "visit": "现场",
    "provider-complaint": "支付机构投诉渠道",
    "12315": "全国12315平台",
    "consumer-association": "消费者协会",
    "12363": "中国人民银行12363",
    "blackcat": "黑猫投诉",
    "lawyer": "律师",
    "court": "人民法院",
    "other": "其他方式",
}

OUTCOME_ZH = {
    "no-answer": "未接通或未回复",
    "promised": "对方承诺处理",
    "refused": "对方拒绝退还",
    "transferred": "对方推诿、转交他人处理",
    "accepted": "已受理",
    "rejected": "不予受理",
    "resolved": "已解决",
    "other": "其他",
}

EVIDENCE_KIND_ZH = {
    "receipt": "付款凭证",
    "contract": "合同/协议",
    "promise": "承诺记录",
    "chat": "聊天记录",
    "call-recording": "通话录音",
    "statement": "交易流水",
    "ticket": "工单记录",
    "photo": "照片",
    "letter": "函件",
    "other": "其他",
}

BLANK = "________________"


# -- notices (stderr) -----------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One warning line: an English template (translated by the CLI) and its values."""

    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)


def _provider_complaints(view: CaseView) -> list[Contact]:
    """Contacts that count as a complaint to the institution itself (PBoC rules Art. 35)."""
    return [
        c
        for c in view.facts.contacts
        if c.channel == "provider-complaint" or (c.channel in PROVIDER_CHANNELS and c.ticket)
    ]


def letter_notices(view: CaseView, profile: Profile, recipient: str, rules: Rules) -> list[Notice]:
    """Every missing fact that weakens the letter, then the channel's likely objections."""
    case = view.facts.case
    cid = case.id
    facts = view.facts
    out: list[Notice] = []

    def add(code: str, text: str, **params: Any) -> None:
        out.append(Notice(code, text, {"id": cid, **params}))

    # Missing facts, in the order the letter uses them.
    if not profile.name:
        add("no_name", N_("no name in the profile: depositctl profile set --name NAME"))
    if not profile.phone:
        add("no_phone", N_("no phone number in the profile: depositctl profile set --phone N"))
    if not profile.address:
        add(
            "no_address",
            N_("no address in the profile: depositctl profile set --address TEXT"),
        )
    if not profile.id_number and recipient in ("consumer-association", "12363"):
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
    if not facts.contacts:
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

    # The state of the case.
    if view.state in (State.REFUNDED, State.CLOSED):
        add(
            "nothing_outstanding",
            N_("case #{id} is {state}: nothing is outstanding"),
            state=view.state.value,
        )
    elif view.state in (State.AWAITING_ACTIVATION, State.CONDITION_PENDING):
        add(
            "condition_not_met",
            N_("the refund condition of #{id} is not met yet; the refund is not owed yet"),
        )
    elif view.state is State.CONDITION_FAILED:
        add(
            "condition_failed",
            N_(
                "the condition of #{id} was not met in time; the letter argues that the "
                "condition is unreasonable, which the recipient may not accept"
            ),
        )
    elif view.state is State.REFUND_PENDING and view.refund_due is not None:
        add(
            "not_overdue",
            N_("the refund of #{id} is not overdue yet (due {due})"),
            due=view.refund_due.on.isoformat(),
        )

    out.extend(channel_notices(view, recipient, rules))
    return out


def channel_notices(view: CaseView, recipient: str, rules: Rules) -> list[Notice]:
    """Why this channel may turn the case away, and which channel is better then."""
    cid = view.id
    out: list[Notice] = []
    if recipient == "consumer-association":
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
        due = view.refund_due
        if due is not None and view.today > _add_years(due.on, 3):
            out.append(
                Notice(
                    "samr_three_years",
                    N_(
                        "the refund was due on {due}, more than 3 years ago: 12315 is likely "
                        "to refuse the complaint; consider the court"
                    ),
                    {"id": cid, "due": due.on.isoformat()},
                )
            )
    elif recipient == "12363":
        complaints = _provider_complaints(view)
        answer = rules["pboc_institution_answer"]
        if not complaints:
            out.append(
                Notice(
                    "pboc_no_provider_complaint",
                    N_(
                        "no complaint to the provider itself is logged for #{id}: the People's "
                        "Bank of China takes a complaint only after the institution has answered "
                        "or its {days} days have passed ({citation}). Send the provider letter "
                        "first: depositctl letter {id} --to provider"
                    ),
                    {"id": cid, "days": answer.days, "citation": _pboc_order_citation(rules)},
                )
            )
        else:
            last = max(complaints, key=lambda c: (c.on, c.id))
            ends = date.fromordinal(last.on.toordinal() + (answer.days or 15))
            answered = last.outcome in ("refused", "rejected", "resolved")
            if view.today < ends and not answered:
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
                            "days": answer.days,
                            "on": last.on.isoformat(),
                            "ends": ends.isoformat(),
                        },
                    )
                )
    return out


def _pboc_order_citation(rules: Rules) -> str:
    ids = ("pboc_complaint", "pboc_institution_answer")
    return "、".join(rules[i].citation or "" for i in ids)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# -- the context the templates see ------------------------------------------------------


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
        "grace": due.basis.params.get("n", rules.default_grace_days),
        "estimate": due.estimate,
    }


def _evidence_items(view: CaseView) -> list[dict[str, Any]]:
    contacts = {c.id: c for c in view.facts.contacts}
    items = []
    for n, e in enumerate(evidence_in_order(view), 1):
        linked = contacts.get(e.contact_id) if e.contact_id is not None else None
        items.append(
            {
                "n": n,
                "name": e.name,
                "kind": EVIDENCE_KIND_ZH.get(e.kind, e.kind),
                "date": zh_date(e.added_on),
                "note": e.note or "",
                "sha12": e.sha256[:12],
                "contact": zh_date(linked.on) if linked else "",
            }
        )
    return items


def evidence_in_order(view: CaseView) -> list[Evidence]:
    """The evidence list's order (the bundle numbers its files the same way)."""
    return sorted(view.facts.evidence, key=lambda e: (e.added_on, e.id))


def _met(view: CaseView, evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """How the condition was met, as facts (`met_how()` and `progress_item()` word them)."""
    case = view.facts.case
    kind = case.condition.kind
    statements = [e["n"] for e in evidence if e["kind"] == EVIDENCE_KIND_ZH["statement"]]
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


def _contacts(view: CaseView) -> list[dict[str, Any]]:
    """Each contact's facts, in order (`contact_line()` in `_phrases.j2` words them)."""
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
            # A complaint lodged with a third party (向…投诉), not a way of talking.
            "body": c.channel in COMPLAINT_BODIES,
            "label": CHANNEL_ZH.get(c.channel, c.channel),
            "to": c.to or None,
            "ticket": c.ticket or None,
            "outcome": OUTCOME_ZH.get(c.outcome, c.outcome) if c.outcome else None,
            "promised_by": zh_date(c.promised_by) if c.promised_by else None,
            "summary": c.summary.rstrip("。") if c.summary else None,
            "refund_request": bool(c.refund_request),
            "evidence": sorted(linked.get(c.id, [])),
        }
        for c in ordered
    ]


def reply_deadline(
    view: CaseView, recipient: str, rules: Rules, calendar: WorkdayCalendar
) -> Deadline:
    """The reply-by date: the follow-up the sending of this letter will get (rule 6)."""
    sent = Contact(id=0, case_id=view.id, on=view.today, channel=REPLY_CHANNEL[recipient])
    return follow_up_for(sent, rules, calendar)


def letter_context(
    view: CaseView,
    profile: Profile,
    rules: Rules,
    calendar: WorkdayCalendar,
    recipient: str,
) -> dict[str, Any]:
    """Everything a letter template needs: the facts, as Chinese dates and amounts, numbers,
    flags and codes; the templates (`_phrases.j2`) word them into sentences."""
    case = view.facts.case
    today = view.today
    evidence = _evidence_items(view)
    receipts = [e["n"] for e in evidence if e["kind"] == EVIDENCE_KIND_ZH["receipt"]]

    due = view.refund_due
    reply = reply_deadline(view, recipient, rules, calendar)
    rule = rules.rules.get(reply.basis.rule)
    if rule is not None and rule.workdays is not None:
        period = _period(rule.workdays, "wd")
    elif rule is not None:
        period = _period(rule.days, "d")
    else:  # a promise cannot occur for a contact made today without one
        period = _period((reply.on - today).days, "d")

    ids = list(rules.letters.get(recipient, []))
    if view.state is State.CONDITION_FAILED and "standard_terms_civil" not in ids:
        ids.insert(1, "standard_terms_civil")
    citations = [
        {"citation": rules[i].citation or "", "gist": rules[i].zh} for i in ids if i in rules.rules
    ]

    refunds = [{"on": zh_date(r.on), "amount": yuan(r.amount)} for r in view.facts.refunds]
    complaints = sorted(_provider_complaints(view), key=lambda c: (c.on, c.id))
    first_complaint = None
    if complaints:
        c = complaints[0]
        first_complaint = {
            "on": zh_date(c.on),
            "ticket": c.ticket or "",
            "days": (today - c.on).days,
            "answer_days": rules["pboc_institution_answer"].days or 15,
        }

    channels: list[str] = []
    for c in sorted(view.facts.contacts, key=lambda c: (c.on, c.id)):
        label = CHANNEL_ZH.get(c.channel, c.channel)
        if label not in channels:
            channels.append(label)
    tickets = [c.ticket for c in view.facts.contacts if c.ticket]

    return {
        "recipient": recipient,
        "title": TITLES[recipient],
        "case_id": case.id,
        "today": zh_date(today),
        "checked_on": zh_date(rules.checked_on),
        "state": view.state.value,
        "complainant": {
            "name": profile.name or BLANK,
            "phone": profile.phone or BLANK,
            "address": profile.address or BLANK,
            "postcode": profile.postcode or "",
            "id_number": profile.id_number or "",
            "email": profile.email or "",
        },
        "respondent": {
            "name": case.provider,
            "agent": case.agent_name or "",
            "agent_phone": case.agent_phone or "",
        },
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
            "paid_via": PAID_VIA_ZH.get(case.paid_via or "", ""),
            "receipts": receipts,
            "refunds": refunds,
            "refunded": yuan(view.refunded),
            "outstanding": yuan(view.outstanding),
            "outstanding_capitals": rmb_capitals(view.outstanding)
            if view.outstanding > 0
            else "零元整",
        },
        "condition": _condition(view),
        "met": _met(view, evidence),
        "due": _due(view, due, rules) if due is not None else None,
        "contacts": _contacts(view),
        "contact_summary": {
            "count": len(view.facts.contacts),
            "channels": "、".join(channels),
            "tickets": "、".join(tickets),
        },
        "provider_complaint": first_complaint,
        "demand": {
            "amount": yuan(view.outstanding),
            "capitals": rmb_capitals(view.outstanding) if view.outstanding > 0 else "零元整",
            "reply_by": zh_date(reply.on),
            "period": period,
            "citation": reply.basis.citation or "",
            "estimate": reply.estimate,
        },
        "citations": citations,
        "cite": {k: r.citation or "" for k, r in rules.rules.items()},
        # Law and article apart, to cite two articles of one law as 《…》第…条、第…条.
        "law": {k: (r.law or "").split("（", 1)[0] for k, r in rules.rules.items()},
        "article": {k: r.article or "" for k, r in rules.rules.items()},
        "evidence": evidence,
    }


# -- rendering ----------------------------------------------------------------------------

#: A paragraph up to this many characters is a line (not indented), longer ones are prose.
LINE_MAX = 40

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|])")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _md_escape(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", value)


def _prepare(value: Any, fmt: str) -> Any:
    """Every string of the context on one line, and escaped for markdown."""
    if isinstance(value, str):
        line = _one_line(value)
        return _md_escape(line) if fmt == "md" else line
    if isinstance(value, dict):
        return {k: _prepare(v, fmt) for k, v in value.items()}
    if isinstance(value, list):
        return [_prepare(v, fmt) for v in value]
    return value


def render_markdown(context: dict[str, Any]) -> str:
    """The letter as markdown, from the recipient's Jinja2 template in the package."""
    import jinja2

    from depositctl import data

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data.path("templates"))),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    prepared = _prepare(context, "md")
    text = env.get_template(f"{context['recipient']}.md.j2").render(**prepared)
    # Templates may leave runs of blank lines where optional parts are missing.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# -- the markdown subset the templates write, as blocks for docx and pdf ------------------


@dataclass(frozen=True)
class Block:
    """One paragraph: title, heading, para (prose), line, item, quote, rule or small."""

    kind: str
    runs: tuple[tuple[str, bool], ...]  # (text, bold)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


def _runs(text: str) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    bold = False
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            if buf:
                out.append(("".join(buf), bold))
                buf = []
            bold = not bold
            i += 2
            continue
        buf.append(ch)
        i += 1
    if buf:
        out.append(("".join(buf), bold))
    return tuple(out)


def blocks(markdown: str) -> list[Block]:
    """Split the templates' markdown into paragraphs (one per non-blank line)."""
    out: list[Block] = []
    small = False
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.strip() == "---":
            out.append(Block("rule", ()))
            small = True  # what follows the rule is the footer
            continue
        if line.startswith("# "):
            out.append(Block("title", _runs(line[2:])))
        elif line.startswith("## ") or line.startswith("### "):
            out.append(Block("heading", _runs(line.split(" ", 1)[1])))
        elif line.startswith("> "):
            out.append(Block("quote", _runs(line[2:])))
        elif line.startswith("- "):
            out.append(Block("item", _runs(line[2:])))
        elif re.match(r"^\d+\. ", line):
            out.append(Block("item", _runs(line)))
        else:
            runs = _runs(line)
            text = "".join(t for t, _ in runs)
            # Prose is indented two characters; short lines (致：, 此致, 日期：…) are not.
            kind = "small" if small else ("para" if len(text) > LINE_MAX else "line")
            out.append(Block(kind, runs))
    return out


def plain_text(markdown: str) -> str:
    """The same letter without markup, for pasting into web forms and e-mails."""
    lines: list[str] = []
    prev = ""
    for b in blocks(markdown):
        if b.kind == "rule":
            text = "—" * 24
        elif b.kind == "quote":
            text = "    " + b.text
        else:
            text = b.text
        if lines and not (b.kind == "item" and prev == "item"):
            lines.append("")
        lines.append(text)
        prev = b.kind
    return "\n".join(lines) + "\n"


def render_text(context: dict[str, Any], fmt: str) -> str:
    """`md` or `txt`: the letter as text."""
    markdown = render_markdown(context)
    return markdown if fmt == "md" else plain_text(markdown)


def letter_files(
    view: CaseView,
    profile: Profile,
    rules: Rules,
    calendar: WorkdayCalendar,
    recipient: str,
    formats: tuple[str, ...],
    font_file: Path | None = None,
) -> tuple[dict[str, bytes], list[Notice]]:
    """The letter in each of `formats`, from one context and one Markdown rendering."""
    context = letter_context(view, profile, rules, calendar, recipient)
    files: dict[str, bytes] = {}
    notices: list[Notice] = []
    parts = None
    title, author = TITLES[recipient], profile.name or "depositctl"
    for fmt in formats:
        if fmt in TEXT_FORMATS:
            files[fmt] = render_text(context, fmt).encode("utf-8")
            continue
        if parts is None:
            parts = blocks(render_markdown(context))
        if fmt == "docx":
            from depositctl.render.docx_writer import docx_bytes

            files[fmt] = docx_bytes(parts, title=title, author=author, today=view.today)
            continue
        from depositctl.render.pdf_writer import FALLBACK_CID_FONT, choose_font, pdf_bytes

        font = choose_font(font_file)
        if not font.embedded:
            notices.append(
                Notice(
                    "font_fallback",
                    N_(
                        "no Chinese TrueType font found, so the PDF uses {font}, which is not "
                        "embedded: a reader without Chinese fonts shows empty boxes. Install one "
                        "(e.g. fonts-wqy-microhei) or give --font FILE"
                    ),
                    {"font": FALLBACK_CID_FONT},
                )
            )
        files[fmt] = pdf_bytes(parts, font, title=title, author=author, today=view.today)
    return files, notices
