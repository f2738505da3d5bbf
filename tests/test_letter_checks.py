"""The letter checks of core (core/letter_checks.py) and the vocabulary tables: pure, no ledger.

The 12363 window is tested at its edges: the day before, the day of and the day after the
institution's time to answer ends, with and without its answer; the periods come from the
rule table, so a changed table moves the window.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from depositctl.core.caseview import CaseView
from depositctl.core.channels import ROUTES
from depositctl.core.deadlines import WRITTEN_CHANNELS, evaluate, follow_up_for
from depositctl.core.letter_checks import (
    Notice,
    Respondents,
    institution_answer,
    letter_notices,
    letter_refusals,
    provider_complaints,
    reply_deadline,
    respondents_for,
    samr_time_bar,
    taken_by,
)
from depositctl.core.models import Case, CaseFacts, Condition, Contact, Profile, Refund, State
from depositctl.core.recordtype import replace
from depositctl.core.respondents import Provider
from depositctl.core.rules import Rules
from depositctl.core.vocab import (
    CHANNEL,
    CHANNELS,
    CLOSE_REASON,
    EVIDENCE_KIND,
    FORMAT,
    OUTCOME,
    PAYMENT_METHOD,
    RECIPIENT,
    RECIPIENTS,
)
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
from depositctl.data import rules as load_rules

COMPLAINED = date(2026, 11, 20)
FULL_PROFILE = Profile(name="王秀英", phone="13800000000", address="杭州", id_number="330")


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return WorkdayCalendar(chinese_calendar_lookup())


def with_period(rules: Rules, rule_id: str, **period: int) -> Rules:
    """The rule table with one rule's period changed."""
    changed = replace(rules[rule_id], **period)
    return replace(rules, **{"rules": {**rules.rules, rule_id: changed}})


def unconditional() -> Case:
    return Case(
        id=1,
        provider="示例支付股份有限公司",
        amount=Decimal("99.00"),
        paid_on=date(2025, 3, 5),
        condition=Condition(none=True),
    )


def view_of(
    today: date, rules: Rules, cal: WorkdayCalendar, *contacts: Contact, case: Case | None = None
) -> CaseView:
    facts = CaseFacts(case=case or unconditional(), contacts=contacts)
    return evaluate(facts, today, cal, rules)


def complaint(channel: str = "provider-complaint", **kw: Any) -> Contact:
    base: dict[str, Any] = {"id": 7, "case_id": 1, "on": COMPLAINED, "channel": channel}
    base.update(kw)
    return Contact(**base)


def codes(notices: list[Notice]) -> list[str]:
    return [n.code for n in notices]


def pboc_codes(view: CaseView, rules: Rules, cal: WorkdayCalendar) -> list[str]:
    notices = letter_notices(view, FULL_PROFILE, "12363", rules, cal)
    return [c for c in codes(notices) if c.startswith("pboc_")]


# -- the 12363 window -----------------------------------------------------------------------


def test_window_opens_the_institutions_days_after_the_complaint(
    rules: Rules, cal: WorkdayCalendar
) -> None:
    days = rules["pboc_institution_answer"].days
    assert days is not None
    opens = COMPLAINED + timedelta(days=days)
    c = complaint(ticket="T1")
    window = institution_answer(view_of(opens, rules, cal, c), rules, cal)
    assert window is not None and window.complaint == c and not window.answered
    assert window.deadline.on == opens
    assert window.deadline == follow_up_for(c, rules, cal)  # the complaint's own follow-up
    assert window.deadline.basis.rule == "pboc_institution_answer"


@pytest.mark.parametrize(
    ("offset", "too_early"),
    [(-1, True), (0, False), (1, False)],
    ids=["day before", "day it opens", "day after"],
)
def test_window_boundaries_without_an_answer(
    rules: Rules, cal: WorkdayCalendar, offset: int, too_early: bool
) -> None:
    days = rules["pboc_institution_answer"].days
    assert days is not None
    opens = COMPLAINED + timedelta(days=days)
    today = opens + timedelta(days=offset)
    view = view_of(today, rules, cal, complaint(ticket="T1"))
    window = institution_answer(view, rules, cal)
    assert window is not None and window.too_early(today) is too_early
    notices = letter_notices(view, FULL_PROFILE, "12363", rules, cal)
    early = [n for n in notices if n.code == "pboc_too_early"]
    if too_early:
        assert len(early) == 1
        assert early[0].params == {
            "id": 1,
            "days": days,
            "on": COMPLAINED.isoformat(),
            "ends": opens.isoformat(),
        }
    else:
        assert early == []
    assert "pboc_no_provider_complaint" not in codes(notices)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["day before", "day it opens", "day after"])
@pytest.mark.parametrize("outcome", [o.value for o in OUTCOME if o.answered])
def test_window_boundaries_with_an_answer(
    rules: Rules, cal: WorkdayCalendar, offset: int, outcome: str
) -> None:
    days = rules["pboc_institution_answer"].days
    assert days is not None
    today = COMPLAINED + timedelta(days=days + offset)
    view = view_of(today, rules, cal, complaint(ticket="T1", outcome=outcome))
    window = institution_answer(view, rules, cal)
    assert window is not None and window.answered and not window.too_early(today)
    assert pboc_codes(view, rules, cal) == []


@pytest.mark.parametrize("outcome", [None, *(o.value for o in OUTCOME if not o.answered)])
def test_an_outcome_that_is_no_answer_keeps_the_window_shut(
    rules: Rules, cal: WorkdayCalendar, outcome: str | None
) -> None:
    view = view_of(COMPLAINED + timedelta(days=1), rules, cal, complaint(outcome=outcome))
    assert pboc_codes(view, rules, cal) == ["pboc_too_early"]


def test_window_follows_the_rule_table(rules: Rules, cal: WorkdayCalendar) -> None:
    longer = with_period(rules, "pboc_institution_answer", days=20)
    today = COMPLAINED + timedelta(days=19)
    view = view_of(today, longer, cal, complaint())
    window = institution_answer(view, longer, cal)
    assert window is not None and window.deadline.on == COMPLAINED + timedelta(days=20)
    notices = letter_notices(view, FULL_PROFILE, "12363", longer, cal)
    early = next(n for n in notices if n.code == "pboc_too_early")
    assert early.params["days"] == 20
    assert pboc_codes(view_of(today, rules, cal, complaint()), rules, cal) == []


def test_a_ticketed_call_is_a_complaint_with_the_institutions_days(
    rules: Rules, cal: WorkdayCalendar
) -> None:
    days = rules["pboc_institution_answer"].days
    assert days is not None
    call = complaint("phone", ticket="GD1")
    today = COMPLAINED + timedelta(days=days - 1)
    view = view_of(today, rules, cal, call)
    assert provider_complaints(view) == [call]
    window = institution_answer(view, rules, cal)
    # Not the phone's own (default) follow-up: the institution's time to answer.
    assert window is not None and window.deadline.on == COMPLAINED + timedelta(days=days)
    assert window.deadline != follow_up_for(call, rules, cal)
    assert pboc_codes(view, rules, cal) == ["pboc_too_early"]


def test_a_promised_date_does_not_shorten_the_window(rules: Rules, cal: WorkdayCalendar) -> None:
    promised = complaint(promised_by=COMPLAINED + timedelta(days=2))
    view = view_of(COMPLAINED + timedelta(days=3), rules, cal, promised)
    window = institution_answer(view, rules, cal)
    assert window is not None and window.deadline.basis.rule == "pboc_institution_answer"
    assert pboc_codes(view, rules, cal) == ["pboc_too_early"]


@pytest.mark.parametrize("channel", ["phone", "wechat", "agent", "12315", "court"])
def test_no_complaint_to_the_provider_itself(
    rules: Rules, cal: WorkdayCalendar, channel: str
) -> None:
    # Without a ticket, or on a channel that is not the provider's, nothing counts.
    view = view_of(COMPLAINED + timedelta(days=100), rules, cal, complaint(channel))
    assert institution_answer(view, rules, cal) is None
    notices = letter_notices(view, FULL_PROFILE, "12363", rules, cal)
    missing = [n for n in notices if n.code.startswith("pboc_")]
    assert [n.code for n in missing] == ["pboc_no_provider_complaint"]
    assert missing[0].params["days"] == rules["pboc_institution_answer"].days
    assert rules["pboc_complaint"].citation in missing[0].params["citation"]


def test_the_latest_complaint_sets_the_window(rules: Rules, cal: WorkdayCalendar) -> None:
    first = complaint(id=1, on=COMPLAINED - timedelta(days=40), outcome="refused")
    second = complaint(id=2, on=COMPLAINED)
    view = view_of(COMPLAINED + timedelta(days=1), rules, cal, second, first)
    window = institution_answer(view, rules, cal)
    assert window is not None and window.complaint == second and not window.answered


# -- 12315 and the other channels --------------------------------------------------------------


def requested(on: date) -> Contact:
    return Contact(id=3, case_id=1, on=on, channel="phone", refund_request=True)


def test_12315_time_bar_boundaries(rules: Rules, cal: WorkdayCalendar) -> None:
    asked = date(2021, 1, 1)
    view = view_of(date(2024, 1, 1), rules, cal, requested(asked))
    assert view.refund_due is not None
    years = rules["limitation"].years
    assert years is not None
    due = view.refund_due.on
    bar = samr_time_bar(view, rules)
    assert bar == due.replace(year=due.year + years)
    for today, warned in ((bar, False), (bar + timedelta(days=1), True)):
        v = view_of(today, rules, cal, requested(asked))
        notices = letter_notices(v, FULL_PROFILE, "12315", rules, cal)
        assert ("samr_three_years" in codes(notices)) is warned, today
        assert "samr_daily_life" in codes(notices)


def test_12315_time_bar_follows_the_rule_table(rules: Rules, cal: WorkdayCalendar) -> None:
    view = view_of(date(2024, 6, 1), rules, cal, requested(date(2021, 1, 1)))
    assert view.refund_due is not None
    longer = with_period(rules, "limitation", years=5)
    bar = samr_time_bar(view, longer)
    assert bar is not None and bar.year == view.refund_due.on.year + 5
    assert "samr_three_years" not in codes(letter_notices(view, FULL_PROFILE, "12315", longer, cal))


def test_12315_time_bar_needs_a_due_date(rules: Rules, cal: WorkdayCalendar) -> None:
    view = view_of(date(2030, 1, 1), rules, cal)  # no refund request: nothing is due
    assert samr_time_bar(view, rules) is None
    assert "samr_three_years" not in codes(letter_notices(view, FULL_PROFILE, "12315", rules, cal))


def test_missing_facts_are_data_in_the_letters_order(rules: Rules, cal: WorkdayCalendar) -> None:
    view = view_of(date(2026, 11, 24), rules, cal)
    notices = letter_notices(view, Profile(), "consumer-association", rules, cal)
    assert codes(notices) == [
        "no_name",
        "no_phone",
        "no_address",
        "no_id_number",
        "no_serial",
        "no_merchant_no",
        "no_payment_evidence",
        "no_contact",
        "no_refund_request",
        "respondent_address_asked",
        "ca_business_dispute",
    ]
    assert all(n.params["id"] == 1 for n in notices)
    assert all(set(n.params) >= set(_fields(n.text)) for n in notices)


@pytest.mark.parametrize(
    ("recipient", "asked"),
    [("consumer-association", True), ("12363", True), ("12315", False), ("provider", False)],
)
def test_id_number_is_asked_for_where_the_recipient_needs_it(
    rules: Rules, cal: WorkdayCalendar, recipient: str, asked: bool
) -> None:
    view = view_of(date(2026, 11, 24), rules, cal)
    notices = letter_notices(view, Profile(name="王"), recipient, rules, cal)
    assert ("no_id_number" in codes(notices)) is asked
    with_id = letter_notices(view, FULL_PROFILE, recipient, rules, cal)
    assert "no_id_number" not in codes(with_id)


def _fields(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_reply_deadline_is_the_follow_up_of_the_recipients_channel(
    rules: Rules, cal: WorkdayCalendar, recipient: str
) -> None:
    today = date(2026, 11, 24)
    view = view_of(today, rules, cal)
    channel = RECIPIENT[recipient].channel
    sent = Contact(id=0, case_id=1, on=today, channel=channel)
    assert reply_deadline(view, recipient, rules, cal) == follow_up_for(sent, rules, cal)


# -- the vocabulary tables ---------------------------------------------------------------------


VOCABULARIES = [CHANNEL, OUTCOME, EVIDENCE_KIND, PAYMENT_METHOD, CLOSE_REASON, RECIPIENT, FORMAT]


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_term_has_a_distinct_chinese_name(vocabulary: Any) -> None:
    names = [t.zh for t in vocabulary]
    assert all(names) and len(set(names)) == len(names)
    assert list(vocabulary.zh) == list(vocabulary.values)


def test_channel_flags_and_the_rules_refer_to_known_values(rules: Rules) -> None:
    assert set(ROUTES) - {"provider"} <= set(CHANNELS)
    # Spoken contacts prove no written demand (民法典 195); written ones do.
    assert WRITTEN_CHANNELS.isdisjoint({"phone", "visit", "agent", "other"})
    assert {"email", "chat", "provider-complaint", "12363", "court"} <= WRITTEN_CHANNELS
    assert {"phone", "email", "provider-complaint"} <= {c.value for c in CHANNEL if c.provider}
    assert all(r.channel in CHANNEL for r in RECIPIENT)
    assert set(rules.letters) == set(RECIPIENTS)
    assert CHANNEL.zh_name("unknown-channel") == "unknown-channel"
    assert CHANNEL.label("chat") == "online chat" and EVIDENCE_KIND.label("receipt") == "receipt"


def test_the_vocabularies_import_without_pydantic() -> None:
    """`--help` reads them; it should not pay for importing the models."""
    import subprocess
    import sys

    code = "import sys, depositctl.core.vocab; print('pydantic' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("recipient", "asked"),
    [("12315", True), ("consumer-association", True), ("12363", False), ("provider", False)],
)
def test_an_agent_company_without_an_address_is_flagged_where_it_is_a_second_respondent(
    rules: Rules, cal: WorkdayCalendar, recipient: str, asked: bool
) -> None:
    from depositctl.core.respondents import Provider

    case = replace(unconditional(), **{"agent_company": "示例科技服务有限公司"})
    view = view_of(date(2026, 11, 24), rules, cal, case=case)
    institution = Provider(name="示例支付股份有限公司", address="上海市示例路1号")
    agent = Provider(name="示例科技服务有限公司", kind="agent-company")
    found = respondents_for(case, [institution, agent])
    notices = letter_notices(view, FULL_PROFILE, recipient, rules, cal, found)
    assert ("agent_address_asked" in codes(notices)) is asked
    housed = Provider(name="示例科技服务有限公司", kind="agent-company", address="杭州市示例路8号")
    found = respondents_for(case, [institution, housed])
    assert "agent_address_asked" not in codes(
        letter_notices(view, FULL_PROFILE, recipient, rules, cal, found)
    )


# -- refusals: what a letter must not be written for ------------------------------------------

TODAY = date(2026, 11, 24)
THIRD_PARTIES = [r for r in RECIPIENTS if r != "provider"]


def addressed() -> Respondents:
    """The institution with an address: the address refusal stays out of the way."""
    return Respondents(institution=Provider(name="示例支付股份有限公司", address="上海"))


def refusal_codes(view: CaseView, recipient: str, rules: Rules, **kw: Any) -> list[str]:
    return codes(letter_refusals(view, recipient, rules, addressed(), **kw))


def asked(on: date, **kw: Any) -> Contact:
    # On the complaint channel: a complaint to the institution, as 12363 needs first.
    return Contact(id=1, case_id=1, on=on, channel="provider-complaint", refund_request=True, **kw)


def overdue_view(rules: Rules, cal: WorkdayCalendar, *more: Contact) -> CaseView:
    return view_of(TODAY, rules, cal, asked(date(2026, 1, 5)), *more)


def test_overdue_and_failed_cases_may_be_written_to_anyone(
    rules: Rules, cal: WorkdayCalendar
) -> None:
    # A complaint to the institution first, as 12363 needs (refused without one).
    complained = Contact(id=2, case_id=1, on=date(2026, 2, 1), channel="provider-complaint")
    view = overdue_view(rules, cal, complained)
    assert view.state is State.OVERDUE
    failed_case = replace(
        unconditional(),
        **{
            "condition": Condition(volume=Decimal("50000"), days=30),
            "activated_on": date(2026, 1, 1),
        },
    )
    failed = view_of(TODAY, rules, cal, complained, case=failed_case)
    assert failed.state is State.CONDITION_FAILED
    for recipient in RECIPIENTS:
        assert refusal_codes(view, recipient, rules) == []
        assert refusal_codes(failed, recipient, rules) == []


def test_refunded_and_closed_cases_are_refused_except_to_the_provider(
    rules: Rules, cal: WorkdayCalendar
) -> None:
    refund = Refund(id=1, case_id=1, on=date(2026, 3, 1), amount=Decimal("99.00"))
    facts = CaseFacts(case=unconditional(), contacts=(asked(date(2026, 1, 5)),))
    refunded = evaluate(replace(facts, **{"refunds": (refund,)}), TODAY, cal, rules)
    closed_case = replace(
        unconditional(), **{"closed_on": date(2026, 2, 1), "close_reason": "written-off"}
    )
    closed = evaluate(replace(facts, **{"case": closed_case}), TODAY, cal, rules)
    assert (refunded.state, closed.state) == (State.REFUNDED, State.CLOSED)
    for recipient in THIRD_PARTIES:
        # --force does not write a letter about money that is not owed
        assert refusal_codes(refunded, recipient, rules, force=True) == ["refused_refunded"]
        assert refusal_codes(closed, recipient, rules, force=True) == ["refused_closed"]
    assert refusal_codes(refunded, "provider", rules) == []
    assert refusal_codes(closed, "provider", rules) == []


def test_not_yet_due_is_refused_unless_forced(rules: Rules, cal: WorkdayCalendar) -> None:
    pending = view_of(TODAY, rules, cal, asked(TODAY - timedelta(days=3)))
    assert pending.state is State.REFUND_PENDING and pending.refund_due is not None
    never_asked = view_of(TODAY, rules, cal)
    target = replace(
        unconditional(),
        **{
            "condition": Condition(volume=Decimal("50000"), days=90),
            "activated_on": TODAY - timedelta(days=10),
        },
    )
    running = view_of(TODAY, rules, cal, case=target)
    assert running.state is State.CONDITION_PENDING
    for recipient in THIRD_PARTIES:
        assert refusal_codes(pending, recipient, rules) == ["refused_not_due"]
        assert refusal_codes(never_asked, recipient, rules)[0] == "refused_not_requested"
        assert refusal_codes(running, recipient, rules)[0] == "refused_condition_pending"
        for view in (pending, never_asked, running):
            assert refusal_codes(view, recipient, rules, force=True) == []
    for view in (pending, never_asked, running):
        assert refusal_codes(view, "provider", rules) == []
    notice = letter_refusals(pending, "12315", rules, addressed())[0]
    assert notice.params["due"] == pending.refund_due.on.isoformat()


def test_12363_is_refused_for_a_company_only(rules: Rules, cal: WorkdayCalendar) -> None:
    view = overdue_view(rules, cal)
    company = Profile(name="王", capacity="company", business_name="示例商贸有限公司")
    [notice] = letter_refusals(view, "12363", rules, addressed(), profile=company)
    assert notice.code == "refused_company"
    assert notice.params["citation"] == rules["pboc_scope"].citation
    for capacity in ("individual", "individual-business", None):
        profile = Profile(name="王", capacity=capacity)
        assert refusal_codes(view, "12363", rules, profile=profile) == []
    assert refusal_codes(view, "provider", rules, profile=company) == []
    # 12315 and the consumer association: a business is refused unless forced.
    for recipient in ("12315", "consumer-association"):
        assert refusal_codes(view, recipient, rules, profile=company) == ["refused_business"]
        assert refusal_codes(view, recipient, rules, profile=company, force=True) == []


def accepted(channel: str, on: date, cid: int = 20, **kw: Any) -> Contact:
    return Contact(id=cid, case_id=1, on=on, channel=channel, outcome="accepted", **kw)


@pytest.mark.parametrize("channel", ["12315", "consumer-association", "court"])
@pytest.mark.parametrize("incoming", [True, False])
def test_an_accepted_dispute_bars_a_second_complaint(
    rules: Rules, cal: WorkdayCalendar, channel: str, incoming: bool
) -> None:
    on = date(2026, 11, 2)
    view = overdue_view(rules, cal, accepted(channel, on, incoming=incoming))
    for recipient in ("12315", "consumer-association"):
        [notice] = letter_refusals(view, recipient, rules, addressed())
        if channel == "12315" and recipient == "12315":
            # 12315's own acceptance bars a new 12315 complaint for good (below).
            assert notice.code == "refused_taken_12315"
        else:
            assert notice.code == "refused_taken"
            assert notice.params["channel"] == channel
        assert notice.params["on"] == "2026-11-02"
        assert notice.params["citation"] == rules["samr_refusal_taken"].citation
    for recipient in ("12363", "provider"):
        assert refusal_codes(view, recipient, rules) == []


def test_an_acceptance_ends_after_the_mediation_days(rules: Rules, cal: WorkdayCalendar) -> None:
    days = rules["samr_mediation"].days
    assert days == 60
    on = date(2026, 9, 1)
    last_day = on + timedelta(days=days)
    still = evaluate(
        CaseFacts(case=unconditional(), contacts=(asked(date(2026, 1, 5)), accepted("12315", on))),
        last_day,
        cal,
        rules,
    )
    taken = taken_by(still, rules)
    assert taken is not None and taken.ends_on == last_day
    over = evaluate(still.facts, last_day + timedelta(days=1), cal, rules)
    assert taken_by(over, rules) is None
    assert refusal_codes(over, "consumer-association", rules) == []
    # 12315 itself never takes the dispute it accepted again (第十六条(二)).
    assert refusal_codes(over, "12315", rules) == ["refused_taken_12315"]
    # the period comes from the rule table
    longer = with_period(rules, "samr_mediation", days=90)
    assert taken_by(evaluate(still.facts, last_day + timedelta(days=1), cal, longer), longer)


def test_a_court_acceptance_has_no_mediation_days(rules: Rules, cal: WorkdayCalendar) -> None:
    """A suit runs until the court decides (as core/channels has it): 60 days after the
    court accepted the dispute, a complaint to 12315 is still refused."""
    on = date(2026, 9, 1)
    later = on + timedelta(days=rules["samr_mediation"].days or 0) + timedelta(days=30)
    facts = CaseFacts(
        case=unconditional(), contacts=(asked(date(2026, 1, 5)), accepted("court", on))
    )
    view = evaluate(facts, later, cal, rules)
    taken = taken_by(view, rules)
    assert taken is not None and taken.ends_on is None
    [notice] = letter_refusals(view, "12315", rules, addressed())
    assert notice.code == "refused_taken" and "suit" in notice.text
    decided = Contact(id=21, case_id=1, on=later, channel="court", outcome="rejected")
    ended = evaluate(replace(facts, **{"contacts": (*facts.contacts, decided)}), later, cal, rules)
    assert taken_by(ended, rules) is None


@pytest.mark.parametrize("ending", ["rejected", "mediation-failed"])
def test_a_rejection_or_failed_mediation_ends_an_acceptance(
    rules: Rules, cal: WorkdayCalendar, ending: str
) -> None:
    on = date(2026, 11, 2)
    ended = Contact(
        id=21, case_id=1, on=on + timedelta(days=5), channel="12315", outcome=ending, incoming=True
    )
    view = overdue_view(rules, cal, accepted("12315", on), ended)
    assert taken_by(view, rules) is None
    assert refusal_codes(view, "consumer-association", rules) == []
    # an ending on another channel does not end this one
    other = replace(ended, **{"channel": "consumer-association"})
    assert taken_by(overdue_view(rules, cal, accepted("12315", on), other), rules) is not None
    # an acceptance that is not accepted (an outcome other than accepted) bars nothing
    promised = replace(accepted("12315", on), **{"outcome": "promised"})
    assert taken_by(overdue_view(rules, cal, promised), rules) is None


def test_business_capacity_is_warned_with_the_routes_that_fit(
    rules: Rules, cal: WorkdayCalendar
) -> None:
    view = overdue_view(rules, cal)
    scopes = {
        "12315": rules["samr_refusal_scope"].citation,
        "consumer-association": rules["consumer_scope"].citation,
    }
    for recipient, scope in scopes.items():
        business = replace(FULL_PROFILE, capacity="individual-business")
        notices = letter_notices(view, business, recipient, rules, cal)
        [n] = [n for n in notices if n.code == "not_daily_life_business"]
        assert n.params["citation"] == scope
        assert "12315 report" in n.text and "12363" in n.text and "court" in n.text
        company = replace(business, **{"capacity": "company"})
        notices = letter_notices(view, company, recipient, rules, cal)
        [n] = [n for n in notices if n.code == "not_daily_life_company"]
        assert n.params["citation"] == scope
        assert "12315 report" in n.text and "court" in n.text and "12363" not in n.text
        individual = letter_notices(view, FULL_PROFILE, recipient, rules, cal)
        assert not {"not_daily_life_business", "not_daily_life_company"} & set(codes(individual))
    # an individual's 12315 letter keeps the warning that a business terminal may be refused
    assert "samr_daily_life" in codes(letter_notices(view, FULL_PROFILE, "12315", rules, cal))
    assert "not_daily_life_business" not in codes(
        letter_notices(
            view,
            replace(FULL_PROFILE, **{"capacity": "individual-business"}),
            "12363",
            rules,
            cal,
        )
    )


@pytest.mark.parametrize("ending", [None, "rejected", "mediation-failed"])
def test_12315_never_takes_a_dispute_it_accepted_again(
    rules: Rules, cal: WorkdayCalendar, ending: str | None
) -> None:
    """Order 121 第十六条(二) refuses a dispute 12315 "已经受理或者处理过": after its
    60 days or a failed mediation, a new 12315 complaint is refused, pointing to the
    court; the consumer association follows DESIGN (barred only while 12315 runs)."""
    on = date(2026, 1, 10)
    later = [Contact(id=21, case_id=1, on=on + timedelta(days=9), channel="12315", outcome=ending)]
    view = overdue_view(rules, cal, accepted("12315", on, incoming=True), *later[: bool(ending)])
    assert on + timedelta(days=rules["samr_mediation"].days or 0) < TODAY
    [notice] = letter_refusals(view, "12315", rules, addressed(), force=True)
    assert notice.code == "refused_taken_12315" and "--to court" in notice.text
    assert notice.params["on"] == "2026-01-10"
    assert refusal_codes(view, "consumer-association", rules) == []


def test_12363_without_a_complaint_to_the_institution_is_refused_unless_forced(
    rules: Rules, cal: WorkdayCalendar
) -> None:
    phoned = Contact(id=1, case_id=1, on=date(2026, 1, 5), channel="phone", refund_request=True)
    view = view_of(TODAY, rules, cal, phoned)
    assert view.state is State.OVERDUE
    [notice] = letter_refusals(view, "12363", rules, addressed())
    assert notice.code == "refused_no_provider_complaint"
    assert notice.params["days"] == rules["pboc_institution_answer"].days
    assert refusal_codes(view, "12363", rules, force=True) == []
    # a ticketed call, the complaint channel or a sent 催告函 is a complaint to it
    for extra in (
        {"ticket": "T1"},
        {"channel": "provider-complaint"},
        {"channel": "email", "letter": "provider", "via": "ems"},
    ):
        c = replace(phoned, **{"id": 2, **extra})
        assert refusal_codes(view_of(TODAY, rules, cal, phoned, c), "12363", rules) == []


@pytest.mark.parametrize(
    ("recipient", "rule"),
    [("12315", "samr_refusal_scope"), ("consumer-association", "consumer_scope")],
)
@pytest.mark.parametrize("capacity", ["individual-business", "company"])
def test_a_business_is_refused_by_the_consumer_routes_unless_forced(
    rules: Rules, cal: WorkdayCalendar, recipient: str, rule: str, capacity: str
) -> None:
    view = overdue_view(rules, cal)
    profile = Profile(name="王", capacity=capacity, business_name="示例")
    [notice] = letter_refusals(view, recipient, rules, addressed(), profile=profile)
    assert notice.code == "refused_business"
    # order 121 binds the regulator; the association serves consumers (消保法 第二条)
    assert notice.params["citation"] == rules[rule].citation
    assert refusal_codes(view, recipient, rules, profile=profile, force=True) == []
    person = Profile(name="王", capacity="individual")
    assert refusal_codes(view, recipient, rules, profile=person) == []
