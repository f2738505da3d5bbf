"""What the 12315 report, the court's 民事起诉状 and the PCAC report add to a letter.

`letter_context()` (render/letter_context.py) builds what every letter needs; for these
three recipients `add_recipient_context()` adds their own facts: the report's content
block and its length, the parties of a statement of claim (原告, 被告, 第二被告) with the
blanks the profile leaves, the court it is addressed to, the 催告函 if one was sent, and
the agent the PCAC report is about. The templates word them (`12315-report.md.j2`,
`court.md.j2`, `pcac.md.j2`, with `_report.j2` and `_court.j2`).

The checks of these recipients live here too, as data (`Notice`s, as core/letter_checks.py
returns them): what refuses the letter (`recipient_refusals`), what weakens it
(`recipient_warnings`) and what the merchant should know about the route (`recipient_notes`:
which court, small claims, the fee computed from the rule table, the 支付令). Nothing here
invents law: every citation and amount comes from the rule table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from depositctl.core.caseview import CaseView
from depositctl.core.dates import zh_date
from depositctl.core.errors import N_, UserError
from depositctl.core.letter_checks import Notice, Respondents, respondents_for
from depositctl.core.models import Profile, own_contacts
from depositctl.core.rules import Rules
from depositctl.core.vocab import DEFAULT_CAPACITY, VIA
from depositctl.render.letter_context import CONSUMER_RULES

#: Where the profile or a record lacks a fact: a blank to fill in by hand (as
#: render/letter_context.py writes it).
BLANK = "________________"
#: The recipients this module serves.
NEW_RECIPIENTS = ("12315-report", "court", "pcac")
#: The length of the report's content block the 12315 report form was observed to take
#: (an observation of the form, not a rule: above it the letter still renders, with a
#: warning).
REPORT_LIMIT = 400
#: The claim up to which the court fee is one flat amount per case (诉讼费用交纳办法
#: 第十三条, rule `court_fee`: "不超过1万元的，每件交纳…"); the amount itself is the rule's
#: `yuan`, never written here.
COURT_FEE_FLAT_UP_TO = Decimal(10000)


@dataclass(frozen=True)
class RecipientOptions:
    """What `letter --to court` takes besides the case: the court (`--court`) and
    whether the agent company is sued too (`--also-agent`)."""

    court: str | None = None
    also_agent: bool = False


def check_options(recipient: str, options: RecipientOptions | None) -> None:
    """`--court` and `--also-agent` belong to a court letter only."""
    if options is None or recipient == "court":
        return
    if options.court is not None:
        raise UserError(N_("--court is only for a letter to the court (--to court)"))
    if options.also_agent:
        raise UserError(N_("--also-agent is only for a letter to the court (--to court)"))


# -- the court fee ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CourtFee:
    """The case acceptance fee of a claim, from rule `court_fee`: `full` under the
    ordinary procedure, `halved` under the simplified (and small-claims) procedure;
    None where the claim is above the flat amount (the rule table does not hold the
    rates above it)."""

    full: Decimal | None
    halved: Decimal | None
    citation: str


def court_fee(claim: Decimal, rules: Rules) -> CourtFee:
    rule = rules["court_fee"]
    citation = rule.citation or ""
    if rule.yuan is None or claim > COURT_FEE_FLAT_UP_TO:
        return CourtFee(None, None, citation)
    full = Decimal(rule.yuan)
    return CourtFee(full, full / 2, citation)


def _amount(value: Decimal) -> str:
    """`50`, `25`, `12.5`: a fee without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


# -- the context ----------------------------------------------------------------------------


def add_recipient_context(
    context: dict[str, Any],
    view: CaseView,
    profile: Profile,
    rules: Rules,
    recipient: str,
    respondents: Respondents | None = None,
    options: RecipientOptions | None = None,
) -> dict[str, Any]:
    """`context` with what `recipient` needs besides the common facts (unchanged for the
    other recipients)."""
    if recipient not in NEW_RECIPIENTS:
        return context
    found = respondents or respondents_for(view.facts.case)
    opts = options or RecipientOptions()
    out = dict(context)
    if recipient == "court":
        ids = _court_basis(view, rules)
        cited = {rules[i].citation for i in ids}
        out["citations"] = [c for c in out["citations"] if c["citation"] in cited]
        # 综上 names the law the claim rests on: the consumer-only rules stay out (they
        # are cited conditionally above and in the list, never for a company).
        claim = [i for i in ids if i not in CONSUMER_RULES]
        out["court"] = {**_court(profile, found, opts), "law_names": _law_names(claim, rules)}
    elif recipient == "pcac":
        out["pcac"] = _pcac(view)
    out["demand_letter"] = _demand_letter(view)
    if recipient == "12315-report":
        text = report_text(out)
        if len(text) > REPORT_LIMIT and out["contact_summary"]["all_count"] > 1:
            # Over the form's limit: the contacts as 多次通过…等方式, without the list.
            out["contact_summary"] = {**out["contact_summary"], "brief": True}
            text = report_text(out)
        out["report"] = {
            "content": text,
            "chars": len(text),
            "limit": REPORT_LIMIT,
            "over": len(text) > REPORT_LIMIT,
        }
    return out


def _demand_letter(view: CaseView) -> dict[str, Any] | None:
    """The provider's 催告函 as `sent` recorded it (the first one), or None."""
    sent = sorted(
        (c for c in own_contacts(view.facts.contacts) if c.letter == "provider"),
        key=lambda c: (c.on, c.id),
    )
    if not sent:
        return None
    c = sent[0]
    return {
        "on": zh_date(c.on),
        "via": VIA.zh_name(c.via) if c.via else "",
        "tracking": c.tracking or "",
        "delivered_on": zh_date(c.delivered_on) if c.delivered_on else "",
    }


def _sex_and_birth(id_number: str | None) -> tuple[str, str]:
    """What a valid resident ID number states (GB 11643: the birth date, and the sex by
    the parity of the 17th digit); blanks without one."""
    if not id_number:
        return "", ""
    from stdnum.cn import ric

    if not ric.is_valid(id_number):
        return "", ""
    number = ric.compact(id_number)
    birth = ric.get_birth_date(number)
    return ("男" if int(number[16]) % 2 else "女"), zh_date(birth)


#: The plaintiff's facts 民诉法 第124条 asks for, as the statement names them, in order.
PLAINTIFF_FIELDS = ("性别", "出生日期", "民族", "职业", "公民身份号码", "住所", "联系电话")


def _licence_label(licence: str) -> str:
    """A company's registration number: a unified social credit code (GB 32100), else
    the older business-licence registration number."""
    from stdnum.cn import uscc

    return "统一社会信用代码" if not licence or uscc.is_valid(licence) else "营业执照注册号"


def _plaintiff(profile: Profile) -> dict[str, Any]:
    """The plaintiff: a person (with the business they run, if any) or a company; what the
    profile does not record is a blank, listed in `missing`."""
    capacity = profile.capacity or DEFAULT_CAPACITY
    if capacity == "company":
        licence = profile.business_licence or ""
        facts = {
            "名称": profile.business_name or "",
            "住所": profile.address or "",
            _licence_label(licence): licence,
            "法定代表人": "",
            "联系人": profile.name or "",
            "联系电话": profile.phone or "",
        }
    else:
        sex, birth = _sex_and_birth(profile.id_number)
        occupation = ""
        if capacity == "individual-business":
            business = f"“{profile.business_name}”" if profile.business_name else ""
            occupation = f"个体工商户{business}经营者"
        facts = {
            "姓名": profile.name or "",
            "性别": sex,
            "出生日期": birth,
            "民族": "",
            "职业": occupation,
            "公民身份号码": profile.id_number or "",
            "住所": profile.address or "",
            "联系电话": profile.phone or "",
        }
    missing = [k for k, v in facts.items() if not v]
    return {
        "company": capacity == "company",
        "licence": profile.business_licence if capacity == "individual-business" else "",
        "postcode": profile.postcode or "",
        "lines": [{"label": k, "value": v or BLANK} for k, v in facts.items()],
        "missing": missing,
    }


def _defendant(party: Any, role: str) -> dict[str, Any]:
    facts = {
        "名称": party.name,
        "住所": party.address or "",
        "统一社会信用代码": party.credit_code or "",
        "法定代表人": "",
    }
    return {
        "role": role,
        "name": party.name,
        "lines": [{"label": k, "value": v or BLANK} for k, v in facts.items()],
        "missing": [k for k, v in facts.items() if not v],
    }


def _court_basis(view: CaseView, rules: Rules) -> list[str]:
    """The rules the statement of claim rests on (the rule table's list for `court`):
    第511条(四) only where no refund time was agreed or promised."""
    case = view.facts.case
    agreed = case.refund_within is not None or case.promised_refund_on is not None
    return [
        i
        for i in rules.letters.get("court", [])
        if i in rules.rules and not (agreed and i == "unclear_time")
    ]


def _law_names(ids: list[str], rules: Rules) -> str:
    """`《民法典》第五百零九条、第五百七十七条、《…条例》第二十条`: the articles of one
    law after its name once, in the order of `ids`."""
    laws: dict[str, list[str]] = {}
    for i in ids:
        rule = rules[i]
        law = (rule.law or "").split("（", 1)[0]
        laws.setdefault(law, []).append(rule.article or "")
    return "、".join(law + "、".join(a for a in articles if a) for law, articles in laws.items())


def _court(profile: Profile, found: Respondents, options: RecipientOptions) -> dict[str, Any]:
    defendants = [_defendant(found.institution, "被告")]
    if options.also_agent and found.agent_company is not None:
        defendants.append(_defendant(found.agent_company, "第二被告"))
    return {
        "name": options.court or "",
        # Whom the statement is addressed to (此致): the court, or a blank to fill in.
        "addressee": options.court or f"{BLANK}人民法院",
        "plaintiff": _plaintiff(profile),
        "defendants": defendants,
        # 被告…、第二被告…: whom the claim asks the court to order.
        "defendant_names": "、".join(f"{d['role']}{d['name']}" for d in defendants),
    }


def _pcac(view: CaseView) -> dict[str, Any]:
    case = view.facts.case
    return {
        "company": case.agent_company or "",
        "salesperson": case.agent_name or "",
        "salesperson_phone": case.agent_phone or "",
    }


# -- the report's content block --------------------------------------------------------------


def report_text(context: dict[str, Any]) -> str:
    """The 12315 report's content block as plain text (one paragraph, what is pasted into
    the form): the `report_content` macro of `_report.j2` with the values unescaped."""
    from depositctl.render.markup import prepare
    from depositctl.render.templates import environment

    env = environment(keep_trailing_newline=False)
    module = env.get_template("_report.j2").make_module(vars=prepare(context, "txt"))
    # The macro writes one paragraph; the template's line breaks are no part of it.
    text = str(module.report_content())  # type: ignore[attr-defined]
    return "".join(line.strip() for line in text.splitlines())


# -- the checks -----------------------------------------------------------------------------


def recipient_refusals(
    view: CaseView,
    recipient: str,
    respondents: Respondents | None = None,
    options: RecipientOptions | None = None,
) -> list[Notice]:
    """Why the letter must not be written at all: a PCAC report names no agent, or the
    court letter is to sue an agent company the case does not record."""
    case = view.facts.case
    found = respondents or respondents_for(case)
    if recipient == "pcac" and not (
        case.agent_company or case.agent_name or case.paid_to == "salesperson"
    ):
        return [
            Notice(
                "pcac_no_agent",
                N_(
                    "The pcac letter is not written: it reports an agent company or "
                    "salesperson, and case #{id} records neither. Record one: depositctl "
                    "edit {id} --agent-company NAME (or --agent-name NAME)"
                ),
                {"id": view.id},
            )
        ]
    also_agent = recipient == "court" and options is not None and options.also_agent
    if also_agent and found.agent_company is None:
        return [
            Notice(
                "court_no_agent_company",
                N_(
                    "--also-agent: case #{id} records no agent company to sue. Record "
                    "it: depositctl edit {id} --agent-company NAME"
                ),
                {"id": view.id},
            )
        ]
    return []


def recipient_warnings(
    view: CaseView,
    profile: Profile,
    rules: Rules,
    recipient: str,
    context: dict[str, Any],
    options: RecipientOptions | None = None,
) -> list[Notice]:
    """What weakens the letter: the blanks of a statement of claim, a court not named, a
    report content above what the form takes; read from the `context` the letter is
    rendered from (`add_recipient_context`)."""
    if recipient not in NEW_RECIPIENTS:
        return []
    cid = view.id
    out: list[Notice] = []
    if recipient == "court":
        court = context["court"]
        if court["plaintiff"]["missing"]:
            out.append(
                Notice(
                    "court_plaintiff_blanks",
                    N_(
                        "the statement of claim leaves blanks to fill in by hand for the "
                        "plaintiff's {fields}, which the profile does not record"
                    ),
                    {"id": cid, "fields": "、".join(court["plaintiff"]["missing"])},
                )
            )
        for d in court["defendants"]:
            out.append(
                Notice(
                    "court_defendant_blanks",
                    N_(
                        "the statement of claim leaves blanks for the {role} {name}'s {fields}: "
                        "see its business licence or the National Enterprise Credit "
                        "Information Publicity System"
                    ),
                    {
                        "id": cid,
                        "role": d["role"],
                        "name": d["name"],
                        "fields": "、".join(d["missing"]),
                    },
                )
            )
        took = view.facts.case.paid_to
        if took in ("agent-company", "salesperson") and not (options and options.also_agent):
            out.append(
                Notice(
                    "court_agent_took",
                    N_(
                        "the deposit was taken by the agent (company or salesperson) on the "
                        "institution's behalf, as the statement says; the institution may "
                        "answer that it never received it. Consider suing the agent company "
                        "too: depositctl letter {id} --to court --also-agent"
                    ),
                    {"id": cid},
                )
            )
        if not court["name"]:
            out.append(
                Notice(
                    "court_not_named",
                    N_(
                        "no court is named, so the statement of claim is addressed to a "
                        "blank: give --court NAME (which court: see the note below)"
                    ),
                    {"id": cid},
                )
            )
    elif recipient == "12315-report":
        if (profile.capacity or DEFAULT_CAPACITY) != "individual":
            out.append(
                Notice(
                    "report_business_weak",
                    N_(
                        "the report rests on {citation}, which protects consumers buying for "
                        "daily life; for a business's terminal it is weak. The contract is the "
                        "stronger ground: depositctl letter {id} --to provider, then the court"
                    ),
                    {"id": cid, "citation": rules["deposit_refund"].citation},
                )
            )
        report = context["report"]
        if report["over"]:
            out.append(
                Notice(
                    "report_too_long",
                    N_(
                        "the report's content block has {chars} characters, more than the "
                        "{limit} the 12315 report form was observed to take: shorten it "
                        "before pasting"
                    ),
                    {"id": cid, "chars": report["chars"], "limit": report["limit"]},
                )
            )
    return out


def recipient_notes(
    view: CaseView,
    profile: Profile,
    rules: Rules,
    recipient: str,
    respondents: Respondents | None = None,
) -> list[Notice]:
    """What the merchant should know about the route (printed as notes, not warnings):
    for the court, which court, small claims, the fee and the payment order; for a
    report, that it brings no refund by itself."""
    cid = view.id
    found = respondents or respondents_for(view.facts.case)
    if recipient == "12315-report":
        return [
            Notice(
                "report_no_refund",
                N_(
                    "a report (举报) asks the market regulator to investigate a suspected "
                    "violation ({citation}); it brings no refund by itself. For the money: "
                    "depositctl letter {id} --to provider, then the court"
                ),
                {"id": cid, "citation": rules["samr_report"].citation},
            )
        ]
    if recipient == "pcac":
        return [
            Notice(
                "pcac_context",
                N_(
                    "the Payment & Clearing Association evaluates acquiring agents "
                    "({citation}); a report to it brings no refund by itself. For the "
                    "money: depositctl letter {id} --to provider"
                ),
                {"id": cid, "citation": rules["pcac_outsourcing"].citation},
            )
        ]
    if recipient != "court":
        return []
    claim = view.outstanding
    fee = court_fee(claim, rules)
    out = [
        Notice(
            "court_jurisdiction",
            N_(
                "which court: a contract dispute goes to the court where the defendant is "
                "domiciled ({address}) or where the contract is performed ({citation}); for "
                "a money claim with no agreed place of performance, that is where the party "
                "receiving the money is ({payment_citation}), usually your own place "
                "({own}). Name it with --court NAME"
            ),
            {
                "id": cid,
                "address": found.institution.address or "?",
                "citation": rules["court_jurisdiction"].citation,
                "payment_citation": rules["court_payment_place"].citation,
                "own": profile.address or "?",
            },
        ),
        Notice(
            "court_small_claims",
            N_(
                "small claims: a simple money claim up to half the province's previous-year "
                "average wage is heard under the small-claims procedure, in one instance; it "
                "may be decided in one hearing, within two months ({citation})"
            ),
            {
                "id": cid,
                "citation": _law_names(["small_claims", "small_claims_procedure"], rules),
            },
        ),
    ]
    if fee.full is not None and fee.halved is not None:
        out.append(
            Notice(
                "court_fee",
                N_(
                    "court fee for a claim of {claim} yuan (up to {limit} yuan): {full} yuan, "
                    "{halved} yuan under the simplified or small-claims procedure "
                    "({citation}); the statement asks that the defendant bear it"
                ),
                {
                    "id": cid,
                    "claim": _amount(claim),
                    "limit": _amount(COURT_FEE_FLAT_UP_TO),
                    "full": _amount(fee.full),
                    "halved": _amount(fee.halved),
                    "citation": fee.citation,
                },
            )
        )
    else:
        out.append(
            Notice(
                "court_fee_above_flat",
                N_(
                    "court fee: the claim of {claim} yuan is above {limit} yuan, for which "
                    "the rule table holds no fee ({citation}); the court computes it"
                ),
                {
                    "id": cid,
                    "claim": _amount(claim),
                    "limit": _amount(COURT_FEE_FLAT_UP_TO),
                    "citation": fee.citation,
                },
            )
        )
    out.append(
        Notice(
            "court_payment_order",
            N_(
                "instead of a suit, a creditor owed money with no other debt dispute with the "
                "debtor may apply to the basic court for a payment order (支付令) ({citation})"
            ),
            {"id": cid, "citation": rules["payment_order"].citation},
        )
    )
    return out
