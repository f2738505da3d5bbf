"""`contact --incoming` (issue 9, DESIGN.md "Replies and letters sent"): a reply of the
other side is recorded, shown and worded in letters as its answer, and counts for
nothing the merchant must do: no refund request, no complaint, no ladder step, no
limitation restart, no follow-up. And the demo ledger's incoming reply and void row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from depositctl.core.caseview import CaseView
from depositctl.core.deadlines import evaluate
from depositctl.core.errors import UserError
from depositctl.core.letter_checks import institution_answer
from depositctl.core.models import Case, CaseFacts, Condition, Contact, RefundWithin
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
from depositctl.data import rules as load_rules
from tests.conftest import Cli
from tests.test_letters import load_demo

PROVIDER = "示例支付股份有限公司"
TODAY = date(2026, 11, 24)


# -- the deadline engine: pure --------------------------------------------------------------


def unconditional(**kw: Any) -> Case:
    base: dict[str, Any] = {
        "id": 1,
        "provider": PROVIDER,
        "amount": Decimal("99.00"),
        "paid_on": date(2025, 3, 5),
        "condition": Condition(none=True),
        "refund_within": RefundWithin(n=30, unit="d"),
    }
    base.update(kw)
    return Case(**base)


def contact(id: int, on: str, channel: str, **kw: Any) -> Contact:
    return Contact(id=id, case_id=1, on=date.fromisoformat(on), channel=channel, **kw)


def view(*contacts: Contact, today: date = TODAY) -> CaseView:
    facts = CaseFacts(case=unconditional(), contacts=contacts)
    return evaluate(facts, today, WorkdayCalendar(chinese_calendar_lookup()), load_rules())


@pytest.mark.parametrize("incoming", [False, True], ids=["own", "incoming"])
def test_an_incoming_contact_does_not_start_the_refund_period(incoming: bool) -> None:
    # Even one marked as a refund request (data from elsewhere): a reply asks for nothing.
    v = view(contact(1, "2025-06-02", "email", refund_request=True, incoming=incoming))
    if incoming:
        assert v.trigger_on is None and v.refund_due is None
        assert v.next_action.code == "request_refund"
    else:
        assert v.trigger_on == date(2025, 6, 2)
        assert v.refund_due is not None and v.refund_due.on == date(2025, 7, 2)


@pytest.mark.parametrize("incoming", [False, True], ids=["own", "incoming"])
def test_an_incoming_written_contact_does_not_restart_limitation(incoming: bool) -> None:
    request = contact(1, "2025-06-02", "email", refund_request=True)
    later = contact(2, "2026-03-02", "12315", refund_request=True, incoming=incoming)
    v = view(request, later)
    assert v.refund_due is not None and v.refund_due.on == date(2025, 7, 2)
    if incoming:
        assert v.limitation_restart is None
    else:
        assert v.limitation_restart is not None
        assert v.limitation_restart.contact_id == 2


def test_an_incoming_contact_is_no_route_the_merchant_took() -> None:
    # Formerly `ladder_level`; now the route verdicts (core/channels): a reply on 12363
    # alone does not make 12363 used, the merchant's own complaint there does.
    ticketed = contact(1, "2025-06-02", "phone", ticket="T-1", refund_request=True)
    assert view(ticketed).next_action.code == "file_12363"
    assert view(ticketed, contact(2, "2025-07-01", "12363", incoming=True)).next_action.code == (
        "file_12363"
    )
    assert view(ticketed, contact(2, "2025-07-01", "12363")).next_action.code == "write_demand"
    # A reply from 12315 is nothing to wait for; the merchant's own complaint there is.
    request = contact(1, "2025-06-02", "provider-complaint", refund_request=True, ticket="T")
    own = view(request, contact(2, TODAY.isoformat(), "12315"))
    reply = view(request, contact(2, TODAY.isoformat(), "12315", incoming=True))
    assert own.next_action.code == "await_answer"
    assert own.next_action.params["channel"] == "12315"
    assert reply.next_action.code == "file_12363"


def test_an_incoming_contact_sets_no_follow_up() -> None:
    request = contact(1, "2026-11-20", "email", refund_request=True)
    reply = contact(2, "2026-11-22", "phone", incoming=True, outcome="promised")
    v = view(request, reply)
    assert [f.contact_id for f in v.follow_ups] == [1]
    assert v.open_follow_up is not None and v.open_follow_up.contact_id == 1


def test_an_incoming_refusal_answers_the_complaint_to_the_institution() -> None:
    cal = WorkdayCalendar(chinese_calendar_lookup())
    rules = load_rules()
    complaint = contact(1, "2026-11-10", "provider-complaint", ticket="T-9")
    waiting = institution_answer(view(complaint), rules, cal)
    assert waiting is not None and not waiting.answered
    refused = contact(2, "2026-11-12", "phone", incoming=True, outcome="refused")
    answered = institution_answer(view(complaint, refused), rules, cal)
    assert answered is not None and answered.answered and answered.complaint == complaint


# -- the command ---------------------------------------------------------------------------


def add(cli: Cli, *extra: str) -> int:
    r = cli.ok(
        "--today", TODAY.isoformat(), "add", "--provider", PROVIDER, "--amount", "99",
        "--paid-on", "2025-03-05", "--no-condition", "--refund-within", "30d",
        "--serial", "SN-IN1", *extra,
    )  # fmt: skip
    return int(r.stdout.split("#")[1].split()[0])


@pytest.fixture
def replied(cli: Cli) -> int:
    """A refund request by email (C1), then the institution's reply by phone (C2)."""
    cid = add(cli)
    cli.ok(
        "contact", str(cid), "--on", "2026-11-02", "--channel", "email", "--refund-request",
        "--to", "kefu@example.com",
    )  # fmt: skip
    cli.ok(
        "contact", str(cid), "--on", "2026-11-05T09:30", "--channel", "phone", "--incoming",
        "--to", "示例支付股份有限公司客服", "--outcome", "promised",
        "--summary", "回电称将核实后处理",
    )  # fmt: skip
    return cid


def test_an_incoming_contact_is_stored_and_shown(cli: Cli, replied: int) -> None:
    item = cli.ok("--today", TODAY.isoformat(), "show", "--json", str(replied)).json()
    assert [(c["label"], c["incoming"]) for c in item["contacts"]] == [
        ("C1", False),
        ("C2", True),
    ]
    assert [c["follow_up_on"] is None for c in item["contacts"]] == [False, True]
    en = cli.ok("--today", TODAY.isoformat(), "show", str(replied)).stdout
    assert "C2  ← reply: phone, 示例支付股份有限公司客服" in en, en
    assert "C1  contact: email" in en
    zh = cli.ok("--today", TODAY.isoformat(), "show", str(replied), lang="zh").stdout
    assert "C2  ← 回复：" in zh, zh
    # history, replay and check: the column is part of the recorded fact
    assert cli.ok("check").stdout.startswith("No problems found")


def test_the_status_listing_agrees_with_show(cli: Cli, replied: int) -> None:
    # status reads only the contacts that decide (STATUS_CONTACTS_SQL); a later reply on
    # the last contact day must not take the open follow-up from the merchant's request.
    # C3: a call of the merchant's after the request and before the reply (C2).
    cli.ok("contact", str(replied), "--on", "2026-11-04", "--channel", "phone")
    t = ("--today", "2026-11-06")  # the open follow-up: C3's, not the reply's
    listed = next(x for x in cli.ok(*t, "status", "--json", "--all").json() if x["id"] == replied)
    shown = cli.ok(*t, "show", "--json", str(replied)).json()
    assert {k: shown[k] for k in listed} == listed
    assert listed["refund_due_on"] == "2026-12-02"
    assert listed["next_action_code"] == "follow_up_then_wait", listed
    calls = {c["label"]: c for c in shown["contacts"]}
    assert listed["next_deadline"] == calls["C3"]["follow_up_on"]
    assert "2026-11-04" in listed["next_action"], listed


def test_an_incoming_contact_round_trips_through_export(
    cli: Cli, replied: int, tmp_path: Path
) -> None:
    out = tmp_path / "x.json"
    cli.ok("export", "-o", str(out))
    new = tmp_path / "new" / "ledger.db"
    cli.ok("--db", str(new), "import", str(out))
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    item = cli.ok("--db", str(new), "show", "--json", str(replied)).json()
    assert [c["incoming"] for c in item["contacts"]] == [False, True]


def test_letters_word_an_incoming_contact_as_a_reply(cli: Cli, replied: int) -> None:
    cli.ok("profile", "set", "--name", "王秀英", "--phone", "13800000000", "--address", "杭州")
    r = cli.run(
        "--today", TODAY.isoformat(), "letter", str(replied), "--to", "consumer-association",
        "--format", "md", "--force",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    # a call of the other side is its answer (来电答复), without 对方: the line names who
    assert (
        "2026年11月5日 09:30，示例支付股份有限公司客服来电答复：承诺处理；回电称将核实后处理。"
    ) in text, text
    assert "回复（电话）" not in text and "对方承诺处理" not in text
    assert "联系示例支付股份有限公司客服" not in text  # never the merchant's own contact
    assert "先后2次" not in text and "曾通过电子邮件交涉" in text


def test_incoming_bad_input(cli: Cli) -> None:
    cid = str(add(cli))
    cli.fails(
        "contact", cid, "--on", "2026-11-05", "--channel", "phone", "--incoming",
        "--refund-request", contains="--incoming",
    )  # fmt: skip
    cli.fails("contact", cid, "--on", "2026-11-05", "--channel", "phone", "--incoming=yes")
    cli.fails(
        "contact", cid, "--on", "2026-11-05", "--channel", "phone", "--incoming",
        "--refund-request", lang="zh", contains="对方的回复",
    )  # fmt: skip


# -- the demo ledger -------------------------------------------------------------------------


def test_the_demo_holds_an_incoming_reply_and_a_void_row(cli: Cli) -> None:
    load_demo(cli)
    assert cli.ok("check").stdout.startswith("No problems found")
    t = ("--today", TODAY.isoformat())
    item = cli.ok(*t, "show", "--json", "1").json()
    rows = {c["label"]: c for c in item["contacts"]}
    assert rows["C4"]["void"] == "重复录入" and rows["C4"]["ticket"] == "TS20250901088"
    assert rows["C5"]["incoming"] is True and rows["C5"]["void"] is None
    text = cli.ok(*t, "show", "1").stdout
    assert "C4  [void: 重复录入] contact: provider's complaint channel" in text, text
    assert "C5  ← reply: phone" in text
    # --force: the demo's merchant is an individual business (refused otherwise)
    r = cli.run(*t, "letter", "1", "--to", "consumer-association", "--format", "md")
    assert r.exit_code == 2 and "not written" in r.stderr and r.stdout == ""
    r = cli.run(*t, "letter", "1", "--to", "consumer-association", "--format", "md", "--force")
    letter = r.stdout
    assert letter.count("TS20250901088") == 2, letter  # the complaint's line and the summary
    # issue 10: the demo's 催告函 sent 2026-10-08 is named as the letter, after 3 contacts
    assert (
        "先后3次" in letter
        and "，并于2026年10月8日以EMS寄送催告函（2026年10月10日签收），" in letter
    )
    assert "示例支付股份有限公司客服来电答复" in letter


def test_a_case_file_void_needs_a_reason(cli: Cli, tmp_path: Path) -> None:
    from depositctl.store.casefile import load_casefile
    from depositctl.store.ledger import open_ledger

    def load(extra: dict[str, Any]) -> None:
        data = {
            "cases": [
                {
                    "provider": PROVIDER,
                    "amount": "99",
                    "paid_on": "2025-03-05",
                    "contacts": [{"on": "2025-06-01", "channel": "phone", **extra}],
                }
            ]
        }
        led = open_ledger(cli.db)
        try:
            load_casefile(led, data, tmp_path, TODAY)
        finally:
            led.close()

    for bad in ({"void": ""}, {"void": True}, {"incoming": True, "refund_request": True}):
        with pytest.raises(UserError):
            load(bad)
    assert cli.ok("status", "--json", "--all").json() == []  # all or nothing
    load({"void": "录错了"})
    assert cli.ok("check").stdout.startswith("No problems found")
    item = cli.ok("show", "--json", "1").json()
    assert item["contacts"][0]["void"] == "录错了"
