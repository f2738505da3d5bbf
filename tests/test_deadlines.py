"""The deadline rules of DESIGN.md (1-8) against fixed dates: pure core, no ledger."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depositctl.core import channels, records
from depositctl.core.caseview import CaseView
from depositctl.core.deadlines import (
    Derived,
    derive,
    evaluate,
    follow_up_for,
    if_demanded_today,
    settle,
)
from depositctl.core.models import (
    Case,
    CaseFacts,
    Condition,
    Contact,
    Progress,
    Refund,
    RefundWithin,
    State,
)
from depositctl.core.periods import ISO, add_period, kept_for_today, years_after, years_of
from depositctl.core.recordtype import replace
from depositctl.core.rules import Rules
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup, parse_user_calendar
from depositctl.data import rules as load_rules
from tests.conftest import examples

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return WorkdayCalendar(chinese_calendar_lookup())


def D(text: str) -> date:
    return date.fromisoformat(text)


def case(**kw: Any) -> Case:
    base: dict[str, Any] = {
        "id": 1,
        "provider": "示例支付股份有限公司",
        "amount": Decimal("99.00"),
        "paid_on": D("2025-03-05"),
    }
    base.update(kw)
    return Case(**base)


def conditional(**kw: Any) -> Case:
    """The classic: 50,000 yuan within 90 days of activation, refund within 15wd."""
    base: dict[str, Any] = {
        "activated_on": D("2025-03-05"),
        "condition": Condition(volume=Decimal("50000"), days=90),
        "refund_within": RefundWithin(n=15, unit="wd"),
    }
    base.update(kw)
    return case(**base)


def progress(on: str, volume: str, count: int | None = None, id: int = 0) -> Progress:
    return Progress(
        id=id or int(D(on).strftime("%Y%m%d")),
        case_id=1,
        on=D(on),
        volume=Decimal(volume),
        count=count,
    )


_contact_ids = iter(range(1, 10_000))


def contact(on: str, channel: str, **kw: Any) -> Contact:
    return Contact(id=next(_contact_ids), case_id=1, on=D(on), channel=channel, **kw)


def refund(on: str, amount: str, id: int = 1) -> Refund:
    return Refund(id=id, case_id=1, on=D(on), amount=Decimal(amount))


def run(
    c: Case,
    *,
    today: date = TODAY,
    cal: WorkdayCalendar | None = None,
    rules: Rules | None = None,
    grace_days: int | None = None,
    capacity: str | None = None,
    **children: Any,
) -> CaseView:
    facts = CaseFacts(case=c, **{k: tuple(v) for k, v in children.items()})
    return evaluate(
        facts,
        today,
        cal or WorkdayCalendar(chinese_calendar_lookup()),
        rules or load_rules(),
        grace_days,
        capacity=capacity,
    )


# -- rules 1 and 2: the condition window, met from progress ----------------------------------


def test_condition_met_from_progress_and_15wd_over_labour_day(rules: Rules) -> None:
    v = run(
        conditional(),
        progress=[progress("2025-03-31", "18600", 41), progress("2025-04-20", "33250.50", 77)],
    )
    assert v.condition_deadline is not None
    assert v.condition_deadline.on == D("2025-06-03")  # 2025-03-05 + 90 days
    assert v.condition_met_on == D("2025-04-20")
    assert v.condition_met_basis is not None and v.condition_met_basis.rule == "progress"
    assert v.trigger_on == D("2025-04-20")
    # 15 working days from Sun 2025-04-20: Apr 27 (Sun) is worked, May 1-5 are off.
    assert v.refund_due is not None
    assert v.refund_due.on == D("2025-05-13")
    assert not v.refund_due.estimate and not v.refund_due.is_default
    assert v.refund_due.basis.citation == rules["deposit_refund"].citation
    assert v.state is State.OVERDUE
    assert v.days_overdue == (TODAY - D("2025-05-13")).days == 560
    assert v.progress_volume == Decimal("51850.50")
    assert v.progress_count == 118


def test_condition_met_on_the_first_day_every_target_is_reached() -> None:
    c = conditional(condition=Condition(volume=Decimal("1000"), count=10, days=90))
    v = run(
        c,
        progress=[
            progress("2025-03-10", "1200", 4),  # volume reached, count not yet
            progress("2025-03-20", "10", 5),  # count 9
            progress("2025-03-25", "10", 1),  # count 10: met
            progress("2025-03-30", "5000", 20),
        ],
    )
    assert v.condition_met_on == D("2025-03-25")


def test_progress_order_does_not_matter() -> None:
    c = conditional()
    a = run(c, progress=[progress("2025-04-20", "30000"), progress("2025-03-31", "20000")])
    assert a.condition_met_on == D("2025-04-20")


def test_condition_window_failing(rules: Rules) -> None:
    # Reaches 50,000 only after the window ends (2025-06-03).
    late = run(
        conditional(),
        today=D("2025-09-01"),
        progress=[progress("2025-04-01", "30000"), progress("2025-06-04", "30000")],
    )
    assert late.condition_met_on is None
    assert late.refund_due is None
    assert late.state is State.CONDITION_FAILED
    assert late.next_action.code == "argue_condition"
    assert late.next_deadline == D("2025-09-01")
    # The last day of the window still counts.
    on_time = run(
        conditional(),
        today=D("2025-09-01"),
        progress=[progress("2025-04-01", "30000"), progress("2025-06-03", "20000")],
    )
    assert on_time.condition_met_on == D("2025-06-03")
    assert on_time.state is not State.CONDITION_FAILED


def test_condition_pending_until_the_window_closes() -> None:
    c = conditional()
    during = run(c, today=D("2025-06-03"), progress=[progress("2025-04-01", "30000")])
    assert during.state is State.CONDITION_PENDING
    assert during.next_action.code == "record_progress"
    assert during.next_action.params["remaining"] == "20000.00"
    assert during.next_deadline == D("2025-06-03")
    after = run(c, today=D("2025-06-04"), progress=[progress("2025-04-01", "30000")])
    assert after.state is State.CONDITION_FAILED


def test_window_from_payment_when_not_activated() -> None:
    c = conditional(activated_on=None)
    v = run(c, today=D("2025-04-01"))
    assert v.condition_deadline is not None
    assert v.condition_deadline.on == D("2025-06-03")
    assert v.condition_deadline.basis.params["start"] == "2025-03-05"
    assert v.state is State.AWAITING_ACTIVATION
    assert v.next_action.code == "activate"


def test_met_given_by_hand_wins_over_progress_and_window() -> None:
    v = run(
        conditional(met_on=D("2025-07-01")),
        progress=[progress("2025-04-20", "60000")],
    )
    assert v.condition_met_on == D("2025-07-01")
    assert v.condition_met_basis is not None and v.condition_met_basis.rule == "met"


def test_days_only_condition_is_met_when_the_period_ends() -> None:
    c = case(activated_on=D("2025-01-31"), condition=Condition(days=29))
    # 2025-01-31 + 29 days = 2025-03-01 (not a leap year).
    running = run(c, today=D("2025-02-28"))
    assert running.condition_met_on is None
    assert running.state is State.CONDITION_PENDING
    # Rule 4: no time agreed, so the refund is owed once demanded (here on the day).
    done = run(
        c, today=D("2025-03-01"), contacts=[contact("2025-03-01", "phone", refund_request=True)]
    )
    assert done.condition_met_on == D("2025-03-01")
    assert done.refund_due is not None
    assert done.refund_due.on == D("2025-03-16")  # + default grace
    leap = run(case(activated_on=D("2024-01-31"), condition=Condition(days=29)))
    assert leap.condition_met_on == D("2024-02-29")


# -- rules 3 and 4: the trigger and the refund due date ------------------------------------------


def test_30_calendar_days_over_a_month_end() -> None:
    c = conditional(met_on=D("2025-01-31"), refund_within=RefundWithin(n=30, unit="d"))
    v = run(c)
    assert v.refund_due is not None
    assert v.refund_due.on == D("2025-03-02")
    assert v.refund_due.basis.rule == "refund_within"
    leap = run(conditional(met_on=D("2024-01-31"), refund_within=RefundWithin(n=30, unit="d")))
    assert leap.refund_due is not None and leap.refund_due.on == D("2024-03-01")


def test_15_working_days_over_national_day() -> None:
    # Condition met Fri 2025-09-26: Sep 28 (Sun) worked, Oct 1-8 off, Oct 11 (Sat) worked.
    c = conditional(met_on=D("2025-09-26"))
    v = run(c)
    assert v.refund_due is not None
    # 1 Sep 28, 2 Sep 29, 3 Sep 30, 4 Oct 9, 5 Oct 10, 6 Oct 11, 7-11 Oct 13-17, 12-15 Oct 20-23
    assert v.refund_due.on == D("2025-10-23")
    assert not v.refund_due.estimate


def test_default_grace_period(rules: Rules) -> None:
    c = conditional(met_on=D("2025-04-20"), refund_within=None)
    # Rule 4: asked before the condition was met, so the grace runs from the trigger.
    asked = [contact("2025-04-01", "phone", refund_request=True)]
    v = run(c, contacts=asked)
    assert v.refund_due is not None
    assert v.refund_due.on == D("2025-05-05")  # + 15 calendar days
    assert v.refund_due.is_default
    assert v.refund_due.basis.rule == "default_grace"
    assert v.refund_due.basis.citation == rules["unclear_time"].citation
    assert rules.default_grace_days == 15
    longer = run(c, grace_days=30, contacts=asked)
    assert longer.refund_due is not None and longer.refund_due.on == D("2025-05-20")


def test_promised_refund_date_wins() -> None:
    v = run(conditional(met_on=D("2025-04-20"), promised_refund_on=D("2025-06-30")))
    assert v.refund_due is not None
    assert v.refund_due.on == D("2025-06-30")
    assert not v.refund_due.is_default
    assert v.refund_due.basis.rule == "promised_refund"


def test_unconditional_deposit_is_triggered_by_the_first_refund_request() -> None:
    c = case(condition=Condition(none=True))
    before = run(c, contacts=[contact("2025-04-01", "phone")])
    assert before.state is State.REFUND_PENDING
    assert before.refund_due is None
    assert before.next_action.code == "request_refund"
    v = run(
        c,
        contacts=[
            contact("2025-04-01", "phone"),
            contact("2025-04-10", "wechat", refund_request=True),
            contact("2025-05-01", "email", refund_request=True),
        ],
    )
    assert v.trigger_on == D("2025-04-10")
    assert v.refund_due is not None and v.refund_due.on == D("2025-04-25")
    assert v.refund_due.is_default


def test_unrecorded_condition_is_treated_as_refundable_on_request() -> None:
    v = run(case(), contacts=[contact("2025-04-10", "phone", refund_request=True)])
    assert v.facts.case.condition.kind == "unknown"
    assert v.trigger_on == D("2025-04-10")
    assert v.state is State.OVERDUE


def test_unrecorded_condition_marked_met_by_hand_runs_from_that_date() -> None:
    v = run(
        case(met_on=D("2025-04-20")), contacts=[contact("2025-09-01", "phone", refund_request=True)]
    )
    assert v.trigger_on == D("2025-04-20")
    # Rule 4: no time agreed, so the grace runs from the later demand of 2025-09-01.
    assert v.refund_due is not None and v.refund_due.on == D("2025-09-16")
    # Refundable on request, as marked: `met` means nothing there.
    none = run(case(met_on=D("2025-04-20"), condition=Condition(none=True)))
    assert none.trigger_on is None


def test_return_condition() -> None:
    c = case(condition=Condition(on_return=True), refund_within=RefundWithin(n=30, unit="d"))
    waiting = run(c)
    assert waiting.state is State.CONDITION_PENDING
    assert waiting.next_action.code == "return_device"
    returned = run(replace(c, **{"returned_on": D("2026-11-01")}))
    assert returned.trigger_on == D("2026-11-01")
    assert returned.refund_due is not None and returned.refund_due.on == D("2026-12-01")
    assert returned.state is State.REFUND_PENDING
    assert returned.next_action.code == "wait_refund"
    assert returned.next_deadline == D("2026-12-01")


def test_due_today_is_not_yet_overdue() -> None:
    c = conditional(met_on=D("2025-04-20"))
    assert run(c, today=D("2025-05-13")).state is State.REFUND_PENDING
    late = run(c, today=D("2025-05-14"))
    assert late.state is State.OVERDUE
    assert late.days_overdue == 1


# -- refunds --------------------------------------------------------------------------------------


def test_partial_refunds_add_up() -> None:
    c = conditional(met_on=D("2025-04-20"))
    one = run(c, refunds=[refund("2025-06-01", "50")])
    assert one.refunded == Decimal("50.00")
    assert one.outstanding == Decimal("49.00")
    assert one.state is State.OVERDUE
    two = run(c, refunds=[refund("2025-06-01", "50"), refund("2025-07-01", "48.99", id=2)])
    assert two.outstanding == Decimal("0.01")
    assert two.state is State.OVERDUE
    pending = run(c, today=D("2025-05-01"), refunds=[refund("2025-04-30", "50")])
    assert pending.state is State.REFUND_PENDING
    assert pending.outstanding == Decimal("49.00")
    full = run(c, refunds=[refund("2025-06-01", "50"), refund("2025-07-01", "49", id=2)])
    assert full.state is State.REFUNDED
    assert full.outstanding == Decimal("0.00")
    assert full.days_overdue == 0
    assert full.next_action.code == "none_refunded"
    assert full.next_deadline is None


def test_closed_by_hand() -> None:
    v = run(conditional(met_on=D("2025-04-20"), closed_on=TODAY, close_reason="written-off"))
    assert v.state is State.CLOSED
    assert v.days_overdue == 0
    assert v.next_action.code == "none_closed"
    assert v.open_follow_up is None


# -- rule 5: estimates beyond the known calendar --------------------------------------------------


USER_2027 = """
[2027]
holidays = ["2027-01-01..2027-01-03"]
"""


def test_15wd_into_2027_is_an_estimate_until_a_user_calendar_knows_it(rules: Rules) -> None:
    c = conditional(met_on=D("2026-12-24"))
    v = run(c, today=D("2026-12-24"))
    assert v.refund_due is not None
    assert v.refund_due.on == D("2027-01-14")  # weekends only in 2027
    assert v.refund_due.estimate
    assert v.estimate
    assert v.limitation is not None and v.limitation.estimate
    user = parse_user_calendar(tomllib.loads(USER_2027))
    known = run(c, today=D("2026-12-24"), cal=WorkdayCalendar(chinese_calendar_lookup(), user))
    assert known.refund_due is not None
    assert known.refund_due.on == D("2027-01-15")  # Jan 1 is a holiday
    assert not known.refund_due.estimate
    assert not known.estimate


def test_30_calendar_days_into_2027_is_no_estimate() -> None:
    v = run(conditional(met_on=D("2026-12-24"), refund_within=RefundWithin(n=30, unit="d")))
    assert v.refund_due is not None and not v.refund_due.estimate


# -- rule 6: follow-ups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "outcome", "on", "expected", "rule"),
    [
        # 7 working days over National Day 2025 and its swapped Sunday/Saturday.
        # Order 121: 7 working days to accept (第十五条), 60 days of mediation (第二十三条).
        ("12315", None, "2025-09-26", "2025-10-13", "samr_accept"),
        ("12315", "accepted", "2025-09-26", "2025-11-25", "samr_mediation"),
        ("court", None, "2025-09-26", "2025-10-03", "court_complaint"),
        ("pcac", None, "2025-09-26", "2025-10-03", "default_follow_up"),
        ("12315-report", None, "2025-09-26", "2025-10-03", "default_follow_up"),
        ("12363", None, "2025-09-29", "2025-10-15", "pboc_branch"),
        ("provider-complaint", None, "2025-01-31", "2025-02-15", "pboc_institution_answer"),
        ("phone", None, "2024-02-26", "2024-03-04", "default_follow_up"),
        ("wechat", "promised", "2024-12-28", "2025-01-04", "default_follow_up"),
    ],
)
def test_follow_up_per_channel(
    rules: Rules,
    cal: WorkdayCalendar,
    channel: str,
    outcome: str | None,
    on: str,
    expected: str,
    rule: str,
) -> None:
    f = follow_up_for(contact(on, channel, outcome=outcome), rules, cal)
    assert f.on == D(expected)
    assert f.basis.rule == rule
    assert f.is_default is (rule == "default_follow_up")
    assert (f.basis.citation is None) is (rule == "default_follow_up")


def test_follow_up_promised_by_wins(rules: Rules, cal: WorkdayCalendar) -> None:
    f = follow_up_for(contact("2025-09-26", "12315", promised_by=D("2025-09-30")), rules, cal)
    assert f.on == D("2025-09-30")
    assert f.basis.rule == "promise"


def test_follow_up_into_2027_is_an_estimate(rules: Rules, cal: WorkdayCalendar) -> None:
    f = follow_up_for(contact("2026-12-28", "12315"), rules, cal)
    assert f.on == D("2027-01-06")  # Dec 29-31, then Jan 1 (Fri), 4, 5, 6
    assert f.estimate


def test_open_follow_up_is_the_latest_contact() -> None:
    c = conditional(met_on=D("2025-04-20"))
    a = contact("2026-11-20", "phone")
    b = contact("2026-11-20", "12315")
    b_time = replace(b, **{"at_time": __import__("datetime").time(9, 0)})
    v = run(c, contacts=[b_time, a, contact("2026-11-01", "provider-complaint")])
    assert v.open_follow_up is not None
    assert v.open_follow_up.contact_id == b_time.id
    assert len(v.follow_ups) == 3


# -- rule 7: limitation -----------------------------------------------------------------------


def test_limitation_from_a_leap_day(rules: Rules) -> None:
    c = conditional(promised_refund_on=D("2024-02-29"))
    v = run(c, today=D("2024-06-01"))
    assert v.limitation is not None
    assert v.limitation.on == D("2027-02-28")
    assert v.limitation.basis.citation == rules["limitation"].citation
    assert "第一百八十八条" in (v.limitation.basis.citation or "")


def test_limitation_month_end_and_plain_years() -> None:
    v = run(conditional(promised_refund_on=D("2025-05-13")))
    assert v.limitation is not None and v.limitation.on == D("2028-05-13")
    v = run(conditional(promised_refund_on=D("2025-01-31")))
    assert v.limitation is not None and v.limitation.on == D("2028-01-31")
    assert run(conditional()).limitation is None  # no due date, no limitation date


def test_limitation_restarted_by_a_later_written_demand(rules: Rules) -> None:
    c = conditional(promised_refund_on=D("2025-05-13"))
    v = run(
        c,
        contacts=[
            contact("2025-05-01", "email", refund_request=True),  # before due: no restart
            contact("2025-09-01", "provider-complaint", refund_request=True),
            contact("2025-10-01", "phone", refund_request=True),  # not written
            contact("2025-11-01", "12315"),  # written, but not a refund demand
        ],
    )
    assert v.limitation is not None and v.limitation.on == D("2028-05-13")
    assert v.limitation_restart is not None
    assert v.limitation_restart.on == D("2028-09-01")
    assert v.limitation_restart.basis.citation == rules["limitation_interrupt"].citation


def test_limitation_warning_under_180_days() -> None:
    c = conditional(promised_refund_on=D("2024-02-29"))  # limitation ends 2027-02-28
    far = run(c, today=D("2026-09-01"))  # 180 days before
    assert (D("2027-02-28") - D("2026-09-01")).days == 180
    assert not far.limitation_warning
    near = run(c, today=D("2026-09-02"))
    assert near.limitation_warning
    assert near.next_action.code == "stop_limitation"
    assert near.next_action.params["limit"] == "2027-02-28"
    assert near.next_deadline == D("2026-09-02")


# -- the next action ladder -------------------------------------------------------------------------


def overdue_case() -> Case:
    return conditional(met_on=D("2025-04-20"))  # due 2025-05-13, overdue on TODAY


def test_ladder_no_contact_calls_the_provider() -> None:
    v = run(overdue_case())
    assert v.state is State.OVERDUE
    assert v.next_action.code == "call_provider"
    assert v.next_deadline == TODAY


def test_ladder_pending_follow_up_waits() -> None:
    v = run(overdue_case(), contacts=[contact("2026-11-20", "provider-complaint")])
    assert v.open_follow_up is not None and v.open_follow_up.on == D("2026-12-05")
    assert v.next_action.code == "await_answer"
    assert v.next_deadline == D("2026-12-05")
    # On the follow-up day itself, still waiting.
    same_day = run(
        overdue_case(),
        today=D("2026-12-05"),
        contacts=[contact("2026-11-20", "provider-complaint")],
    )
    assert same_day.next_action.code == "await_answer"


def test_ladder_after_provider_complaint_files_at_12363() -> None:
    # The institution's 15 days after the complaint of 2026-11-01 are over: a natural
    # person goes to 12363 (core/channels); 12315 is never `next`.
    v = run(overdue_case(), contacts=[contact("2026-11-01", "provider-complaint")])
    assert v.next_action.code == "file_12363"
    # Follow-up date given with the action: today + 7 working days (pboc_branch).
    assert v.next_action.params["date"] == "2026-12-03"
    assert v.next_deadline == TODAY
    # Over National Day 2025: from Tue 2025-09-30 -> Oct 9, 10, 11 (Sat), 13, 14, 15, 16.
    holiday = run(
        overdue_case(),
        today=D("2025-09-30"),
        contacts=[contact("2025-06-01", "provider-complaint")],
    )
    assert holiday.next_action.code == "file_12363"
    assert holiday.next_action.params["date"] == "2025-10-16"
    # A company is no financial consumer: its next step is the written demand.
    company = run(
        overdue_case(), capacity="company", contacts=[contact("2026-11-01", "provider-complaint")]
    )
    assert company.next_action.code == "write_demand"


def test_ladder_a_ticket_counts_as_the_provider_complaint_channel() -> None:
    v = run(overdue_case(), contacts=[contact("2026-10-01", "phone", ticket="GD1")])
    assert v.next_action.code == "file_12363"
    no_ticket = run(overdue_case(), contacts=[contact("2026-10-01", "phone")])
    assert no_ticket.next_action.code == "call_provider"


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [
        (None, ["file_12363", "write_demand", "file_court"]),
        ("individual-business", ["file_12363", "write_demand", "file_court"]),
        ("company", ["write_demand", "write_demand", "file_court"]),
    ],
)
def test_ladder_climbs(capacity: str | None, expected: list[str]) -> None:
    steps = [
        contact("2026-06-01", "provider-complaint"),
        contact("2026-07-01", "12363"),
        contact(
            "2026-08-01",
            "provider-complaint",
            letter="provider",
            via="ems",
            delivered_on=D("2026-08-03"),
            refund_request=True,
        ),
    ]
    contacts: list[Contact] = []
    for step, code in zip(steps, expected, strict=True):
        contacts.append(step)
        v = run(overdue_case(), capacity=capacity, contacts=contacts)
        assert v.next_action.code == code, (step.channel, v.next_action)


def test_ladder_12363_follow_up_date() -> None:
    v = run(
        overdue_case(),
        contacts=[contact("2026-06-01", "12315"), contact("2026-08-01", "phone", ticket="T")],
    )
    assert v.next_action.code == "file_12363"
    assert v.next_action.params["date"] == "2026-12-03"  # 7 working days from 2026-11-24


def test_ladder_12315_pending_answer_waits() -> None:
    v = run(
        overdue_case(),
        contacts=[contact("2026-06-01", "provider-complaint"), contact("2026-11-20", "12315")],
    )
    assert v.next_action.code == "await_answer"
    assert v.next_action.params["channel"] == "12315"
    assert v.next_deadline == D("2026-12-01")  # 7 working days from Fri 2026-11-20


# -- urgency -------------------------------------------------------------------------------------


def test_urgency_order() -> None:
    views = [
        run(case(id=1, condition=Condition(none=True))),  # request_refund: next deadline today
        run(conditional(id=2, met_on=D("2026-05-01"))),  # overdue, fewer days
        run(conditional(id=3, met_on=D("2025-04-20"))),  # overdue, most days
        run(conditional(id=4, met_on=D("2026-11-20"))),  # pending, due in December
        run(conditional(id=5, activated_on=D("2026-11-01"))),  # condition pending, due 2027-01-30
        run(conditional(id=6, met_on=D("2025-04-20"), closed_on=TODAY)),
    ]
    views.sort(key=CaseView.urgency_key)
    order = [v.id for v in views]
    assert order[:2] == [3, 2]
    assert order[2:5] == [1, 4, 5]
    assert views[0].days_overdue > views[1].days_overdue > 0
    assert order[-1] == 6  # closed: no next deadline


def test_states_cover_every_value() -> None:
    seen = {
        run(conditional(activated_on=None), today=D("2025-03-06")).state,
        run(conditional(), today=D("2025-03-06")).state,
        run(conditional(), today=D("2025-07-01")).state,
        run(conditional(met_on=D("2025-04-20")), today=D("2025-04-21")).state,
        run(conditional(met_on=D("2025-04-20"))).state,
        run(conditional(met_on=D("2025-04-20")), refunds=[refund("2025-06-01", "99")]).state,
        run(conditional(closed_on=TODAY)).state,
    }
    assert seen == set(State)


def test_each_state_name_of_records_is_its_member() -> None:
    """Guard: `records.OVERDUE` and the others (what `settle` and the ladder compare
    with) are the members themselves, one name for each."""
    names = {n: getattr(records, n) for n in State.__members__ if hasattr(records, n)}
    assert names == dict(State.__members__)
    assert all(getattr(records, n) is member for n, member in State.__members__.items())


def test_evaluate_is_pure() -> None:
    c = conditional(met_on=D("2025-04-20"))
    facts = CaseFacts(case=c, contacts=(contact("2026-11-01", "provider-complaint"),))
    a = evaluate(facts, TODAY, WorkdayCalendar(chinese_calendar_lookup()), load_rules())
    b = evaluate(facts, TODAY, WorkdayCalendar(chinese_calendar_lookup()), load_rules())
    assert a == b
    later = evaluate(
        facts, TODAY + timedelta(days=1), WorkdayCalendar(chinese_calendar_lookup()), load_rules()
    )
    assert later.days_overdue == a.days_overdue + 1


def test_ladder_dates_into_an_unknown_year_are_marked_as_estimates() -> None:
    contacts = [contact("2026-06-01", "provider-complaint")]
    v = run(overdue_case(), today=D("2026-12-28"), contacts=contacts)
    assert v.next_action.code == "file_12363"
    assert v.next_action.params["date"] == "2027-01-06"
    assert v.next_action.estimate
    known = run(overdue_case(), today=D("2026-11-24"), contacts=contacts)
    assert not known.next_action.estimate
    user = parse_user_calendar(tomllib.loads(USER_2027))
    settled = run(
        overdue_case(),
        today=D("2026-12-28"),
        contacts=contacts,
        cal=WorkdayCalendar(chinese_calendar_lookup(), user),
    )
    assert settled.next_action.params["date"] == "2027-01-07"  # Jan 1 off in 2027
    assert not settled.next_action.estimate
    waiting = run(overdue_case(), today=D("2026-12-29"), contacts=[contact("2026-12-28", "12315")])
    assert waiting.next_action.code == "await_answer"
    assert waiting.next_action.estimate
    pending = run(conditional(met_on=D("2026-12-24")), today=D("2026-12-28"))
    assert pending.next_action.code == "wait_refund"
    assert pending.next_action.estimate


# -- rule 8: the rule table names its sources ------------------------------------------------------


def test_every_legal_rule_names_its_source(rules: Rules) -> None:
    assert rules.checked_on == D("2026-11-24")
    for rule in rules.rules.values():
        if rule.law is None:  # depositctl's own defaults
            assert rule.id.startswith("default_"), rule.id
            assert rule.citation is None
            continue
        assert rule.law.startswith("《"), rule.id
        if rule.id == "pcac_outsourcing":  # an association's standard, cited as a whole
            assert rule.article == "", rule.id
        else:
            assert rule.article and rule.article.startswith("第"), rule.id
        assert rule.source, rule.id
        for src in rule.source.split(","):
            assert src.strip() in rules.sources, (rule.id, src)
        assert rule.zh and rule.en, rule.id
        assert rule.citation == rule.law.split("（")[0] + rule.article
    assert rules["default_grace"].days == rules.default_grace_days == 15
    assert rules["default_follow_up"].days == 7
    assert rules["limitation"].years == 3
    assert rules["limitation"].citation == "《中华人民共和国民法典》第一百八十八条"
    assert rules["limitation_interrupt"].citation == "《中华人民共和国民法典》第一百九十五条"
    assert rules["complaint_12315"].workdays == 7


def test_rule_table_references_exist(rules: Rules) -> None:
    from depositctl.core.models import CHANNELS

    for key, rule_id in rules.channels.items():
        assert rule_id in rules.rules, key
        assert key.split(".")[0] in CHANNELS, key
    for recipient, ids in rules.letters.items():
        assert ids, recipient
        for rule_id in ids:
            assert rule_id in rules.rules, (recipient, rule_id)
    assert set(rules.letters) >= {"consumer-association", "12315", "12363", "provider"}


def test_progress_without_an_activation_date_means_activated() -> None:
    c = conditional(activated_on=None)
    v = run(c, today=D("2025-04-01"), progress=[progress("2025-03-20", "100")])
    assert v.state is State.CONDITION_PENDING
    assert v.next_action.code == "record_progress"


# -- the dates kept for today (issue 12): each is what its rule gives -----------------------------


def _rule_tables() -> list[Rules]:
    """The rule table, an equal copy of it, and tables whose limitation restarts for other
    years or whose 12363 follow-up counts another period (working days, calendar days)."""
    base = load_rules()
    interrupt, branch = base["limitation_interrupt"], base["pboc_branch"]
    return [
        base,
        replace(base),
        replace(base, rules={**base.rules, "limitation_interrupt": replace(interrupt, years=5)}),
        replace(base, rules={**base.rules, "pboc_branch": replace(branch, workdays=15)}),
        replace(base, channels={**base.channels, "12363": "default_follow_up"}),
    ]


RULE_TABLES = _rule_tables()
CALENDARS = [
    WorkdayCalendar(chinese_calendar_lookup()),
    WorkdayCalendar(chinese_calendar_lookup(), parse_user_calendar(tomllib.loads(USER_2027))),
]


@settings(max_examples=examples(100), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(date(2024, 1, 1), date(2028, 12, 31)) | st.just(date(2024, 2, 29)),
            st.sampled_from(range(len(RULE_TABLES))),
            st.sampled_from(range(len(CALENDARS))),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_kept_dates_are_what_their_rules_give(calls: list[tuple[date, int, int]]) -> None:
    """Guard: whatever day, rule table and calendar came before (a stale value would be
    the last call's), `if_demanded_today` and the 12363 follow-up are the rule's date for
    the day, table and calendar asked for."""
    for today, r, c in calls:
        rules, cal = RULE_TABLES[r], CALENDARS[c]
        years = years_of(rules["limitation_interrupt"])
        assert if_demanded_today(today, rules) == years_after(today, years)
        expected = add_period(today, rules.follow_up_rule("12363", None), cal)
        assert channels._follow_up_12363(today, rules, cal) == expected


@settings(max_examples=examples(40), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(date(2025, 6, 10), date(2027, 10, 31)),
            st.sampled_from(range(len(RULE_TABLES))),
            st.sampled_from(range(len(CALENDARS))),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_settle_gives_the_kept_dates_of_its_own_day_and_rules(
    calls: list[tuple[date, int, int]],
) -> None:
    """Guard: the view of an overdue case that files at 12363 has the follow-up date and
    the restarted limitation of its own day, rule table and calendar, call after call."""
    for today, r, c in calls:
        _assert_files_12363_with_the_dates_of(today, RULE_TABLES[r], CALENDARS[c])


def _assert_files_12363_with_the_dates_of(today: date, rules: Rules, cal: WorkdayCalendar) -> None:
    """The view of an overdue case that files at 12363 `today`: its follow-up date and
    its restarted limitation are those of `today`, `rules` and `cal`."""
    v = run(
        overdue_case(),
        today=today,
        rules=rules,
        cal=cal,
        contacts=[contact("2025-05-20", "provider-complaint")],
    )
    assert v.next_action.code == "file_12363", v.next_action
    follow, estimate = add_period(today, rules.follow_up_rule("12363", None), cal)
    assert v.next_action.params["date"] == follow.isoformat()
    assert v.next_action.estimate is estimate
    years = years_of(rules["limitation_interrupt"])
    assert v.limitation_if_demanded_today == years_after(today, years)


def test_a_kept_date_is_computed_again_for_other_arguments_only() -> None:
    """Guard: `kept_for_today` calls its function again when an argument differs, never
    for the arguments of the last call."""
    seen: list[tuple[date, object]] = []

    @kept_for_today
    def noted(today: date, table: object) -> date:
        seen.append((today, table))
        return today + timedelta(days=len(seen))

    a, b = object(), object()
    assert noted(TODAY, a) == noted(TODAY, a) == TODAY + timedelta(days=1)
    assert noted(TODAY, b) == TODAY + timedelta(days=2)
    assert noted(TODAY + timedelta(days=1), b) == TODAY + timedelta(days=4)
    assert noted(TODAY, a) == TODAY + timedelta(days=4)
    assert seen == [(TODAY, a), (TODAY, b), (TODAY + timedelta(days=1), b), (TODAY, a)]


# -- settling a case: the same view as the rules in their order (issue 12) -----------------

_DAYS = st.dates(date(2024, 6, 1), date(2027, 6, 30))
_CONDITIONS = st.sampled_from(
    [
        Condition(),
        Condition(none=True),
        Condition(on_return=True),
        Condition(volume=Decimal("1000"), days=90),
        Condition(volume=Decimal("1000"), count=5),
        Condition(count=3, days=30),
        Condition(days=60),
    ]
)
_CHANNELS = st.sampled_from(["provider-complaint", "phone", "12363", "12315", "court", "email"])


@st.composite
def _facts(draw: st.DrawFn) -> CaseFacts:
    """A case of any kind of condition, met, returned, promised, refunded or closed or
    not, with progress and contacts (refund requests, replies, letters)."""
    maybe = st.none() | _DAYS
    c = case(
        paid_on=draw(_DAYS),
        activated_on=draw(maybe),
        condition=draw(_CONDITIONS),
        refund_within=draw(
            st.none()
            | st.sampled_from([RefundWithin(n=15, unit="wd"), RefundWithin(n=30, unit="d")])
        ),
        promised_refund_on=draw(st.none() | st.none() | _DAYS),
        met_on=draw(st.none() | st.none() | _DAYS),
        returned_on=draw(maybe),
        closed_on=draw(st.none() | st.none() | st.none() | _DAYS),
    )
    made = [
        Progress(id=i + 1, case_id=1, on=on, volume=Decimal(v), count=n)
        for i, (on, v, n) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        _DAYS,
                        st.sampled_from(["0", "300", "800.50"]),
                        st.none() | st.integers(0, 3),
                    ),
                    max_size=3,
                )
            )
        )
    ]
    contacts = [
        Contact(
            id=i + 1,
            case_id=1,
            on=on,
            channel="provider-complaint" if letter else channel,
            refund_request=request or letter is not None,
            incoming=incoming and letter is None,
            outcome=outcome,
            letter=letter,
            via="ems" if letter else None,
            delivered_on=delivered if letter else None,
        )
        for i, (on, channel, request, incoming, outcome, letter, delivered) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        _DAYS,
                        _CHANNELS,
                        st.booleans(),
                        st.booleans(),
                        st.none() | st.sampled_from(["accepted", "refused", "answered"]),
                        st.none() | st.just("provider"),
                        maybe,
                    ),
                    max_size=4,
                )
            )
        )
    ]
    refunds = [
        Refund(id=i + 1, case_id=1, on=on, amount=Decimal(a))
        for i, (on, a) in enumerate(
            draw(
                st.lists(st.tuples(_DAYS, st.sampled_from(["40.00", "59.00", "99.00"])), max_size=2)
            )
        )
    ]
    return CaseFacts(case=c, progress=tuple(made), contacts=tuple(contacts), refunds=tuple(refunds))


def _state_in_the_rules_order(d: Derived, today: date) -> State:
    """The state as settle decided it before issue 12's reordering: each rule's test in
    turn, `cond.kind` asked where the rule reads it."""
    met_on = d.met.met_on
    b = d.unmet if met_on is not None and met_on > today and d.unmet is not None else d.met
    case, due = d.facts.case, b.due
    cond = case.condition
    if case.closed_on is not None:
        return State.CLOSED
    if d.outstanding == 0:
        return State.REFUNDED
    if due is not None and today > due.on:
        return State.OVERDUE
    if due is not None or b.trigger_on is not None or cond.kind in ("none", "unknown"):
        return State.REFUND_PENDING
    if cond.kind == "return":
        return State.CONDITION_PENDING
    if d.condition_deadline is not None and today > d.condition_deadline.on:
        return State.CONDITION_FAILED
    if case.activated_on is None and not d.has_progress:
        return State.AWAITING_ACTIVATION
    return State.CONDITION_PENDING


@settings(max_examples=examples(300), deadline=None)
@given(_facts(), st.lists(_DAYS, min_size=1, max_size=3))
def test_settle_decides_as_the_rules_in_their_order(facts: CaseFacts, days: list[date]) -> None:
    """Guard: `settle` (its tests reordered, `cond.kind` asked once, the branch read
    inline) gives the state, days overdue, limitation warning, branch and remaining
    volume the rules give in their order, for any case on any day."""
    rules = load_rules()
    cal = WorkdayCalendar(chinese_calendar_lookup())
    d = derive(facts, cal, rules)
    # Each day the state turns on, the days either side of it too.
    turns = [d.met.met_on, d.condition_deadline and d.condition_deadline.on]
    turns += [b.due and b.due.on for b in (d.met, d.unmet) if b is not None]
    for day in turns:
        if day is not None:
            days += [day - timedelta(days=1), day, day + timedelta(days=1)]
    for today in days:
        v = settle(d, today, cal, rules)
        state = _state_in_the_rules_order(d, today)
        assert v.state is state
        met_on = d.met.met_on
        b = d.unmet if met_on is not None and met_on > today and d.unmet is not None else d.met
        assert (v.condition_met_on, v.trigger_on, v.refund_due) == (b.met_on, b.trigger_on, b.due)
        assert (v.limitation, v.limitation_restart) == (b.limitation, b.restart)
        due = b.due
        assert v.days_overdue == ((today - due.on).days if state is State.OVERDUE and due else 0)
        limit = b.restart or b.limitation
        assert v.limitation_warning is (
            state is State.OVERDUE
            and limit is not None
            and (limit.on - today).days < rules.limitation_warning_days
        )
        if v.next_action.code == "record_progress":
            volume = facts.case.condition.volume
            assert volume is not None
            assert v.next_action.params["remaining"] == f"{volume - d.progress_volume:.2f}"
        expected = None if b.limitation is None else years_after(today, 3)
        assert v.limitation_if_demanded_today == expected


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(len(RULE_TABLES))), st.sampled_from(range(len(CALENDARS)))),
        min_size=1,
        max_size=8,
    )
)
def test_kept_dates_follow_the_table_for_the_very_same_day(calls: list[tuple[int, int]]) -> None:
    """Guard: `settle` keeps the day's dates for the very `today` object a listing passes
    (`periods.kept_for_today`, its `last` read inline): the same day object with another
    rule table or calendar (equal ones too: `replace(base)`) gives that table's dates."""
    today = date(2026, 12, 28)  # one object for every call; its follow-up is in 2027
    for r, c in calls:
        _assert_files_12363_with_the_dates_of(today, RULE_TABLES[r], CALENDARS[c])


@given(st.lists(st.dates() | st.datetimes(), max_size=20))
def test_iso_is_isoformat(days: list[date]) -> None:
    """Guard: `periods.ISO[day]` is `day.isoformat()`, a day met before or not, a
    `datetime` (never equal to its day) with its own text."""
    for day in days + days:
        assert ISO[day] == day.isoformat()
