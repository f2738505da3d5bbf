"""Replies of the other side (issue 10): `contact --incoming` with the outcomes accepted,
rejected (with `--reason`), mediation-failed and refund-promised; an acceptance on 12315
starts the 60 days of mediation (order 121 第二十三条); a reply never counts as the
merchant's refund request; `status` (which reads only the contacts that decide a date)
agrees with `show`; and the demo ledger's 12315 acceptance and sent 催告函."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from depositctl.core.caseview import CaseView
from depositctl.core.deadlines import evaluate, letter_contact
from depositctl.core.models import Case, CaseFacts, Condition, Contact
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
from depositctl.data import rules as load_rules
from tests.conftest import Cli
from tests.test_letters import load_demo

PROVIDER = "示例支付股份有限公司"
TODAY = date(2026, 11, 24)
D = date.fromisoformat


def contact(id: int, on: str, channel: str, **kw: Any) -> Contact:
    return Contact(id=id, case_id=1, on=D(on), channel=channel, **kw)


def view(case: Case, *contacts: Contact, today: date = TODAY) -> CaseView:
    facts = CaseFacts(case=case, contacts=contacts)
    return evaluate(facts, today, WorkdayCalendar(chinese_calendar_lookup()), load_rules())


def returned(**kw: Any) -> Case:
    """Refund on return of the device, returned 2026-08-01, no time limit agreed."""
    return Case(
        id=1, provider=PROVIDER, amount=Decimal("299.00"), paid_on=D("2024-05-10"),
        condition=Condition(on_return=True), returned_on=D("2026-08-01"), **kw,
    )  # fmt: skip


# -- the engine -------------------------------------------------------------------------------


def test_a_12315_acceptance_starts_60_days_of_mediation() -> None:
    complaint = contact(1, "2026-09-15", "12315", refund_request=True)
    accepted = contact(2, "2026-09-24", "12315", incoming=True, outcome="accepted")
    before = view(returned(), complaint)
    assert before.open_follow_up is not None
    assert before.open_follow_up.basis.rule == "samr_accept"  # 7 working days to accept
    v = view(returned(), complaint, accepted)
    assert v.open_follow_up is not None and v.open_follow_up.contact_id == 2
    assert v.open_follow_up.on == D("2026-11-23")  # 2026-09-24 + 60 days
    assert v.open_follow_up.basis.rule == "samr_mediation"
    assert "第二十三条" in (v.open_follow_up.basis.citation or "")
    # The acceptance is no refund request of the merchant's: the due date stays.
    assert v.trigger_on == before.trigger_on and v.refund_due == before.refund_due


@pytest.mark.parametrize("outcome", ["rejected", "mediation-failed", "refund-promised", "refused"])
def test_other_replies_set_no_follow_up(outcome: str) -> None:
    complaint = contact(1, "2026-09-15", "12315", refund_request=True)
    reply = contact(2, "2026-09-20", "12315", incoming=True, outcome=outcome)
    v = view(returned(), complaint, reply)
    assert [f.contact_id for f in v.follow_ups] == [1]


def test_a_reply_with_a_promised_date_is_followed_up_on_that_date() -> None:
    complaint = contact(1, "2026-11-10", "provider-complaint", refund_request=True)
    promise = contact(
        2, "2026-11-12", "phone", incoming=True, outcome="refund-promised",
        promised_by=D("2026-11-30"),
    )  # fmt: skip
    v = view(returned(), complaint, promise)
    assert v.open_follow_up is not None
    assert (v.open_follow_up.contact_id, v.open_follow_up.on) == (2, D("2026-11-30"))


def test_rule_4_grace_from_the_demand_not_from_the_return() -> None:
    # No demand yet: owed once demanded (民法典 511(4)), so no due date.
    nothing = view(returned())
    assert nothing.refund_due is None and nothing.next_action.code == "request_refund"
    # A complaint to 12315 asks a third party to act: no demand made to the obligor.
    body = view(returned(), contact(1, "2026-09-15", "12315", refund_request=True))
    assert body.refund_due is None and body.next_action.code == "request_refund"
    # Demanded of the provider after the return: 15 days from the demand.
    demand = contact(1, "2026-09-15", "provider-complaint", refund_request=True)
    later = view(returned(), demand)
    assert later.refund_due is not None and later.refund_due.on == D("2026-09-30")
    assert later.refund_due.basis.params["demand"] == "2026-09-15"
    # Demanded before the return: 15 days from the return.
    early = view(returned(), contact(1, "2026-07-01", "phone", refund_request=True))
    assert early.refund_due is not None and early.refund_due.on == D("2026-08-16")
    # An agreed time limit is unchanged: from the return.
    agreed = view(returned(promised_refund_on=D("2026-08-20")))
    assert agreed.refund_due is not None and agreed.refund_due.on == D("2026-08-20")
    # A void (absent) or incoming request counts for nothing.
    reply = contact(1, "2026-09-15", "12315", incoming=True, outcome="accepted")
    assert view(returned(), reply).refund_due is None


def test_the_first_demand_is_the_first_to_reach_the_provider() -> None:
    posted = letter_contact(1, "provider", D("2026-09-01"), "ems", None, D("2026-09-20"))
    letter = Contact(id=1, **dict(posted))
    email = contact(2, "2026-09-10", "email", refund_request=True)
    v = view(returned(), letter, email)
    assert v.refund_due is not None and v.refund_due.on == D("2026-09-25")  # the email + 15


# -- the commands -----------------------------------------------------------------------------


def add(cli: Cli) -> int:
    r = cli.ok(
        "add", "--provider", PROVIDER, "--amount", "299", "--paid-on", "2024-05-10",
        "--condition-return", "--serial", "SN-REPLY1",
    )  # fmt: skip
    cid = int(r.stdout.split("#")[1].split()[0])
    cli.ok("returned", str(cid), "--on", "2026-08-01")
    return cid


def test_contact_incoming_with_the_new_outcomes_and_a_reason(cli: Cli) -> None:
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2026-09-15", "--channel", "12315", "--refund-request")
    cli.ok(
        "contact", str(cid), "--on", "2026-09-24", "--channel", "全国12315平台", "--incoming",
        "--outcome", "不予受理", "--reason", "非生活消费，不属于受理范围",
    )  # fmt: skip
    cli.ok(
        "contact", str(cid), "--on", "2026-09-25", "--channel", "consumer-association",
        "--incoming", "--outcome", "调解终止",
    )  # fmt: skip
    d = cli.ok("show", "--json", str(cid)).json()
    got = [(c["outcome"], c["reason"], c["incoming"]) for c in d["contacts"]]
    assert got == [
        (None, None, False),
        ("rejected", "非生活消费，不属于受理范围", True),
        ("mediation-failed", None, True),
    ]
    en = cli.ok("show", str(cid)).stdout
    assert "← reply: 12315, rejected, reason: 非生活消费，不属于受理范围" in en
    zh = cli.ok("show", str(cid), lang="zh").stdout
    assert "理由：非生活消费，不属于受理范围" in zh


def test_a_reason_needs_the_rejected_outcome(cli: Cli) -> None:
    cid = add(cli)
    cli.fails(
        "contact", str(cid), "--on", "2026-09-24", "--channel", "12315", "--incoming",
        "--outcome", "accepted", "--reason", "x", contains="--outcome rejected",
    )  # fmt: skip
    cli.fails(
        "contact", str(cid), "--on", "2026-09-24", "--channel", "12315", "--incoming",
        "--reason", "x", contains="--outcome rejected",
    )  # fmt: skip


def test_accepted_on_12315_moves_the_follow_up_in_status_and_show(cli: Cli) -> None:
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2026-09-15", "--channel", "12315", "--refund-request")
    cli.ok(
        "contact", str(cid), "--on", "2026-10-09", "--channel", "12315", "--incoming",
        "--outcome", "accepted",
    )  # fmt: skip
    # The complaint to 12315 is no demand made to the provider: no refund date yet.
    assert cli.ok("show", "--json", str(cid)).json()["refund_due_on"] is None
    cli.ok("contact", str(cid), "--on", "2026-09-01", "--channel", "phone", "--refund-request")
    d = cli.ok("show", "--json", str(cid)).json()
    assert d["refund_due_on"] == "2026-09-16"  # 15 days from the demand of 2026-09-01
    assert [c["follow_up_on"] for c in d["contacts"]] == [
        "2026-09-08",
        "2026-09-23",
        "2026-12-08",
    ]  # 2026-09-20 is a working Sunday
    follow = next(x for x in d["deadlines"] if x["kind"] == "follow_up")
    assert (follow["on"], follow["rule"]) == ("2026-12-08", "samr_mediation")
    assert d["next_deadline"] == "2026-12-08"
    (listed,) = cli.ok("status", "--json").json()
    # `status` reads only the deciding contacts (Ledger.status_facts): same result.
    for key in ("refund_due_on", "next_deadline", "next_action", "limitation_ends_on"):
        assert listed[key] == d[key], key


def test_status_finds_the_demand_made_after_a_12315_complaint(cli: Cli) -> None:
    # Rule 4's demand is the first request to the provider (10-01), not the earlier
    # 12315 complaint: `status` reads that contact too (Ledger.status_facts).
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2026-09-15", "--channel", "12315", "--refund-request")
    cli.ok("contact", str(cid), "--on", "2026-10-01", "--channel", "phone", "--refund-request")
    cli.ok("contact", str(cid), "--on", "2026-10-20", "--channel", "phone")
    d = cli.ok("show", "--json", str(cid)).json()
    assert d["refund_due_on"] == "2026-10-16"  # 15 days from the demand of 2026-10-01
    (listed,) = cli.ok("status", "--json").json()
    for key in ("refund_due_on", "next_deadline", "next_action", "limitation_ends_on"):
        assert listed[key] == d[key], key


def test_status_agrees_with_show_for_letters_and_replies(cli: Cli) -> None:
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2026-09-01", "--channel", "phone", "--ticket", "T1")
    cli.ok("sent", str(cid), "--to", "provider", "--on", "2026-09-05", "--via", "ems",
           "--delivered-on", "2026-09-20")  # fmt: skip
    cli.ok("contact", str(cid), "--on", "2026-09-10", "--channel", "email", "--refund-request")
    cli.ok(
        "contact", str(cid), "--on", "2026-09-12", "--channel", "phone", "--incoming",
        "--outcome", "promised",
    )  # fmt: skip
    d = cli.ok("show", "--json", str(cid)).json()
    (listed,) = cli.ok("status", "--json").json()
    for key in listed:
        assert listed[key] == d[key], key
    assert d["refund_due_on"] == "2026-09-25"


def test_the_demo_shows_a_sent_letter_and_a_12315_acceptance(cli: Cli) -> None:
    load_demo(cli)
    six = cli.ok("show", "--json", "6").json()
    reply = six["contacts"][-1]
    assert (reply["incoming"], reply["outcome"], reply["follow_up_on"]) == (
        True,
        "accepted",
        "2026-11-23",
    )
    one = cli.ok("show", "--json", "1").json()
    sent = next(c for c in one["contacts"] if c["letter"])
    assert (sent["via"], sent["tracking"], sent["delivered_on"], sent["follow_up_on"]) == (
        "ems",
        "EA000000001CN",
        "2026-10-10",
        "2026-10-25",
    )
    assert one["limitation_restarted_ends_on"] == "2029-10-10"  # from delivery
    zh = cli.ok("show", "1", lang="zh").stdout
    assert "寄出：催告函（致支付机构）, EMS邮政特快专递, 单号 EA000000001CN, 签收 2026-10-10" in zh
    assert cli.ok("check").stdout.startswith("No problems found")
