"""Every everyday command through the CLI, in process (the `cli` fixture)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


def add(cli: Cli, *extra: str, provider: str = "示例支付股份有限公司") -> int:
    r = cli.ok("add", "--provider", provider, *extra)
    m = re.search(r"#(\d+)", r.stdout)
    assert m, r.stdout
    return int(m.group(1))


def overdue_case(cli: Cli, amount: str = "99", paid: str = "2025-03-05", **kw: str) -> int:
    """Unconditional case, refund requested on `paid`, default grace: overdue on 2026-11-24."""
    cid = add(cli, "--amount", amount, "--paid-on", paid, "--no-condition", *_flags(kw))
    cli.ok("contact", str(cid), "--on", paid, "--channel", "phone", "--refund-request")
    return cid


def _flags(kw: dict[str, str]) -> list[str]:
    out: list[str] = []
    for k, v in kw.items():
        out += ["--" + k.replace("_", "-"), v]
    return out


def show(cli: Cli, cid: int) -> dict[str, Any]:
    data: dict[str, Any] = cli.ok("show", str(cid), "--json").json()
    return data


# -- profile ----------------------------------------------------------------------------


def test_profile_set_and_show(cli: Cli) -> None:
    assert "Name: -" in cli.ok("profile", "show").stdout
    cli.ok("profile", "set", "--name", "王秀英", "--phone", "13800000000", "--address", "杭州市")
    cli.ok("profile", "set", "--email", "w@example.com", "--grace-days", "20")
    r = cli.ok("profile", "show")
    assert "王秀英" in r.stdout and "w@example.com" in r.stdout and "20" in r.stdout
    data = cli.ok("profile", "show", "--json").json()
    assert data["name"] == "王秀英"
    assert data["phone"] == "13800000000"
    assert data["email"] == "w@example.com"
    assert data["id_number"] is None
    assert data["grace_days"] == 20


def test_grace_days_setting_moves_the_default_due_date(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2026-11-01", "--no-condition")
    cli.ok("contact", str(cid), "--on", "2026-11-01", "--channel", "email", "--refund-request")
    assert show(cli, cid)["refund_due_on"] == "2026-11-16"
    cli.ok("profile", "set", "--grace-days", "30")
    data = show(cli, cid)
    assert data["refund_due_on"] == "2026-12-01"
    assert data["refund_due_is_default"] is True


# -- add ----------------------------------------------------------------------------------


def test_add_with_every_option(cli: Cli) -> None:
    cid = add(
        cli,
        "--brand", "示例POS",
        "--model", "A8",
        "--serial", "SN1",
        "--merchant-no", "M1",
        "--amount", "¥1,299.5",
        "--paid-on", "2025年3月5日",
        "--paid-via", "first-swipe",
        "--agent-name", "李某",
        "--agent-phone", "139",
        "--activated-on", "2025/3/6",
        "--condition-volume", "50,000",
        "--condition-count", "10",
        "--condition-days", "90",
        "--refund-within", "15wd",
        "--promised-refund-on", "2025-07-01",
        "--condition-text", "激活后90天内刷满5万",
        "--note", "首刷扣押金",
    )  # fmt: skip
    d = show(cli, cid)
    assert d["amount"] == "1299.50"
    assert d["paid_on"] == "2025-03-05"
    assert d["activated_on"] == "2025-03-06"
    assert d["paid_via"] == "first-swipe"
    assert d["condition"] == {
        "kind": "target",
        "volume": "50000.00",
        "count": 10,
        "days": 90,
        "text": "激活后90天内刷满5万",
    }
    assert d["refund_within"] == "15wd"
    assert d["promised_refund_on"] == "2025-07-01"
    assert d["refund_due_on"] == "2025-07-01"
    assert (d["brand"], d["model"], d["serial"], d["merchant_no"]) == ("示例POS", "A8", "SN1", "M1")
    assert (d["agent_name"], d["agent_phone"], d["note"]) == ("李某", "139", "首刷扣押金")


def test_add_prints_consecutive_ids(cli: Cli) -> None:
    a = add(cli, "--amount", "99", "--paid-on", "2025-03-05")
    b = add(cli, "--amount", "199", "--paid-on", "2025-03-05")
    assert b == a + 1


def test_add_prompts_for_missing_values_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import depositctl.cli.cases

    monkeypatch.setattr(depositctl.cli.cases, "_interactive", lambda: True)
    r = cli.ok(
        "add",
        "--serial",
        "SN9",
        input="示例支付股份有限公司\n¥199\n2025/3/5\n" + "\n4\n" + "\n" * 5,
    )
    cid = int(re.search(r"#(\d+)", r.stdout).group(1))  # type: ignore[union-attr]
    d = show(cli, cid)
    assert d["provider"] == "示例支付股份有限公司"
    assert d["amount"] == "199.00"
    assert d["paid_on"] == "2025-03-05"
    assert d["serial"] == "SN9"


def test_add_prompts_only_for_what_is_missing(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import depositctl.cli.cases

    monkeypatch.setattr(depositctl.cli.cases, "_interactive", lambda: True)
    r = cli.ok(
        "add",
        "--provider",
        "P有限公司",
        "--amount",
        "99",
        input="2025-03-05\n" + "\n4\n" + "\n" * 6,
    )
    assert "Case #1 added." in r.stdout
    assert show(cli, 1)["paid_on"] == "2025-03-05"


def test_add_without_a_terminal_is_a_clean_error(cli: Cli) -> None:
    cli.fails("add", "--amount", "99", "--paid-on", "2025-03-05", contains="--provider")
    cli.fails("add", "--provider", "P", "--paid-on", "2025-03-05", contains="--amount")
    cli.fails("add", "--provider", "P", "--amount", "99", contains="--paid-on")


# -- edit ---------------------------------------------------------------------------------


def test_edit_keeps_history_with_old_and_new_values(cli: Cli, case_id: int) -> None:
    r = cli.ok("edit", str(case_id), "--serial", "SN999", "--brand", "示例")
    assert "serial" in r.stdout
    d = show(cli, case_id)
    assert d["serial"] == "SN999"
    edits = [h for h in d["history"] if h["action"] == "edit"]
    assert len(edits) == 1
    assert edits[0]["changes"]["serial"] == ["SN123", "SN999"]
    assert edits[0]["changes"]["brand"] == [None, "示例"]
    assert d["history"][0]["action"] == "add"


def test_edit_nothing_changed_and_clear(cli: Cli, case_id: int) -> None:
    r = cli.ok("edit", str(case_id), "--serial", "SN123")
    assert "nothing changed" in r.stdout
    assert [h["action"] for h in show(cli, case_id)["history"]] == ["add"]
    cli.ok("edit", f"#{case_id}", "--clear", "serial")
    assert show(cli, case_id)["serial"] is None


def test_edit_changes_deadlines(cli: Cli, case_id: int) -> None:
    cli.ok("progress", str(case_id), "--on", "2025-04-20", "--volume", "50000")
    assert show(cli, case_id)["refund_due_on"] == "2025-05-13"
    cli.ok("edit", str(case_id), "--refund-within", "30d")
    assert show(cli, case_id)["refund_due_on"] == "2025-05-20"
    cli.ok("edit", str(case_id), "--clear", "refund-within")
    # DESIGN rule 4: with no time agreed the refund is owed once demanded.
    assert show(cli, case_id)["refund_due_on"] is None
    cli.ok("contact", str(case_id), "--on", "2025-04-01", "--channel", "phone", "--refund-request")
    d = show(cli, case_id)
    assert d["refund_due_on"] == "2025-05-05"
    assert d["refund_due_is_default"] is True


def test_edit_switching_condition_kind_needs_clearing(cli: Cli, case_id: int) -> None:
    cli.fails("edit", str(case_id), "--no-condition", contains="one kind of condition")
    cli.ok(
        "edit",
        str(case_id),
        "--no-condition",
        "--clear",
        "condition-volume",
        "--clear",
        "condition-days",
    )
    assert show(cli, case_id)["condition"]["kind"] == "none"


# -- progress, met, returned ---------------------------------------------------------------------


def test_progress_meets_the_condition(cli: Cli, case_id: int) -> None:
    r = cli.ok("progress", str(case_id), "--on", "2025-03-31", "--volume", "18600", "--count", "41")
    assert "18600" in r.stdout and "met" not in r.stdout
    r = cli.ok("progress", str(case_id), "--on", "2025/4/20", "--volume", "33,250.50")
    assert "Condition met on 2025-04-20" in r.stdout
    d = show(cli, case_id)
    assert d["condition_met_on"] == "2025-04-20"
    assert d["refund_due_on"] == "2025-05-13"
    assert [p["volume"] for p in d["progress"]] == ["18600.00", "33250.50"]
    assert d["progress"][0]["count"] == 41


def test_met(cli: Cli, case_id: int) -> None:
    r = cli.ok("met", str(case_id), "--on", "2025-04-20")
    assert "2025-04-20" in r.stdout
    d = show(cli, case_id)
    assert d["condition_met_on"] == "2025-04-20"
    assert d["state"] == "overdue"
    assert d["history"][-1]["action"] == "met"


def test_met_on_a_case_without_a_recorded_condition(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2025-03-05")
    assert show(cli, cid)["next_action_code"] == "request_refund"
    cli.ok("met", str(cid), "--on", "2025-04-20")
    # DESIGN rule 4: no time agreed, so owed once demanded (asked before it was met).
    cli.ok("contact", str(cid), "--on", "2025-04-01", "--channel", "phone", "--refund-request")
    d = show(cli, cid)
    assert (d["refund_due_on"], d["refund_due_is_default"], d["state"]) == (
        "2025-05-05",
        True,
        "overdue",
    )


def test_default_grace_is_marked_as_default(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2025-03-05", "--no-condition")
    cli.ok("contact", str(cid), "--on", "2025-03-05", "--channel", "email", "--refund-request")
    assert "default, not from the contract" in cli.ok("show", str(cid)).stdout
    assert "2025-03-20*" in cli.ok("status").stdout


def test_returned(cli: Cli) -> None:
    cid = add(
        cli,
        "--amount",
        "299",
        "--paid-on",
        "2026-01-05",
        "--condition-return",
        "--refund-within",
        "30d",
    )
    assert show(cli, cid)["state"] == "condition_pending"
    cli.ok("returned", str(cid), "--on", "2026-11-01")
    d = show(cli, cid)
    assert d["returned_on"] == "2026-11-01"
    assert d["refund_due_on"] == "2026-12-01"
    assert d["state"] == "refund_pending"


# -- contact --------------------------------------------------------------------------------


def test_contact_with_every_option(cli: Cli, case_id: int, tmp_path: Path) -> None:
    shot = tmp_path / "截图.png"
    shot.write_bytes(b"png bytes")
    r = cli.ok(
        "contact", str(case_id),
        "--on", "2025-09-26T10:30",
        "--channel", "12315",
        "--to", "工号1032",
        "--ticket", "GD1",
        "--outcome", "no-answer",
        "--summary", "已登记",
        "--refund-request",
        "--evidence", str(shot),
    )  # fmt: skip
    # 7 working days over National Day 2025 (Sep 28 and Oct 11 worked, Oct 1-8 off).
    assert "Follow up on 2025-10-13" in r.stdout
    d = show(cli, case_id)
    (c,) = d["contacts"]
    assert c["on"] == "2025-09-26" and c["time"] == "10:30"
    assert (c["channel"], c["to"], c["ticket"], c["outcome"]) == (
        "12315",
        "工号1032",
        "GD1",
        "no-answer",
    )
    assert c["refund_request"] is True
    assert c["follow_up_on"] == "2025-10-13"
    (e,) = d["evidence"]
    assert e["name"] == "截图.png"
    assert e["contact_id"] == c["id"]
    assert e["sha256"] == hashlib.sha256(b"png bytes").hexdigest()


def test_contact_promised_by_sets_the_follow_up(cli: Cli, case_id: int) -> None:
    r = cli.ok(
        "contact", str(case_id), "--on", "2026-11-20", "--channel", "phone",
        "--outcome", "promised", "--promised-by", "2026-12-10",
    )  # fmt: skip
    assert "Follow up on 2026-12-10" in r.stdout
    assert show(cli, case_id)["contacts"][0]["follow_up_on"] == "2026-12-10"


# -- next action through the ladder ------------------------------------------------------------


def test_next_action_ladder(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2025-03-05", "--no-condition")

    def contact(on: str, channel: str, *extra: str) -> dict[str, Any]:
        """Log one contact, then return the case as `show --json` sees it."""
        cli.ok("contact", str(cid), "--on", on, "--channel", channel, *extra)
        return show(cli, cid)

    d = contact("2025-03-05", "agent", "--refund-request")
    assert d["state"] == "overdue"
    assert d["next_action_code"] == "call_provider"
    assert "complaint line" in d["next_action"]
    assert d["next_deadline"] == "2026-11-24"

    d = contact("2026-11-20", "provider-complaint")
    assert d["next_action_code"] == "await_answer"
    assert d["next_deadline"] == "2026-12-05"

    # the same day, channel and no ticket: another call that day, hence --again. The
    # promise passed, but the institution has 15 days from 2026-11-20 to answer before a
    # natural person turns to 12363 (core/channels): nothing to do until 2026-12-06.
    d = contact("2026-11-20", "provider-complaint", "--promised-by", "2026-11-23", "--again")
    assert d["next_action_code"] == "await_channel"
    assert d["next_deadline"] == "2026-12-06"
    assert f"channels {cid}" in d["next_action"]

    def later(today: str) -> dict[str, Any]:
        return cli.ok("--today", today, "show", str(cid), "--json").json()

    d = later("2026-12-06")
    assert d["next_action_code"] == "file_12363"
    assert "12363" in d["next_action"] and "2026-12-15" in d["next_action"]

    cli.ok("--today", "2026-12-06", "contact", str(cid), "--on", "2026-12-06", "--channel", "12363")
    assert later("2026-12-07")["next_action_code"] == "await_answer"
    d = later("2026-12-16")  # the branch's 7 working days are over
    assert d["next_action_code"] == "write_demand"
    assert f"letter {cid} --to provider" in d["next_action"]

    # A company is no financial consumer: straight from the complaint line to the demand
    # (the profile's capacity reaches the evaluator through store/calendar.make_evaluator).
    other = add(cli, "--amount", "99", "--paid-on", "2025-03-05", "--no-condition")
    cli.ok("contact", str(other), "--on", "2025-03-05", "--channel", "agent", "--refund-request")
    cli.ok("contact", str(other), "--on", "2026-11-01", "--channel", "provider-complaint")
    assert show(cli, other)["next_action_code"] == "file_12363"
    cli.ok("profile", "set", "--capacity", "company")
    assert show(cli, other)["next_action_code"] == "write_demand"


# -- evidence --------------------------------------------------------------------------------


def test_evidence_add_and_list(cli: Cli, case_id: int, tmp_path: Path) -> None:
    a = tmp_path / "receipt.txt"
    a.write_text("首刷扣押金 99 元", encoding="utf-8")
    b = tmp_path / "chat.txt"
    b.write_text("业务员承诺", encoding="utf-8")
    r = cli.ok(
        "evidence", "add", str(case_id), str(a), str(b), "--kind", "receipt", "--note", "凭证"
    )
    assert r.stdout.count("Added") == 2
    sha = hashlib.sha256(a.read_bytes()).hexdigest()
    blob = cli.db.parent / "evidence" / sha[:2] / sha
    assert blob.read_bytes() == a.read_bytes()
    assert a.exists()  # copied, never moved
    listed = cli.ok("evidence", "list", "--json").json()
    assert [e["name"] for e in listed] == ["receipt.txt", "chat.txt"]
    assert listed[0]["sha256"] == sha
    assert listed[0]["kind"] == "receipt" and listed[0]["note"] == "凭证"
    assert listed[0]["added_on"] == "2026-11-24"
    text = cli.ok("evidence", "list", str(case_id)).stdout
    assert "receipt.txt" in text and sha[:12] in text
    other = add(cli, "--amount", "99", "--paid-on", "2025-03-05")
    assert cli.ok("evidence", "list", str(other), "--json").json() == []
    assert "No evidence" in cli.ok("evidence", "list", str(other)).stdout


# -- refunds, close, reopen ------------------------------------------------------------------


def test_partial_refunds_add_up_to_refunded(cli: Cli) -> None:
    cid = overdue_case(cli, amount="99")
    r = cli.ok("refund", str(cid), "--amount", "50", "--on", "2026-11-01")
    assert "¥49.00" in r.stdout
    d = show(cli, cid)
    assert (d["refunded"], d["outstanding"], d["state"]) == ("50.00", "49.00", "overdue")
    cli.ok("refund", str(cid), "--amount", "48.99", "--on", "2026-11-02")
    assert show(cli, cid)["outstanding"] == "0.01"
    cli.fails("refund", str(cid), "--amount", "0.02", "--on", "2026-11-03", contains="outstanding")
    cli.ok("refund", str(cid), "--amount", "0.01", "--on", "2026-11-03")
    d = show(cli, cid)
    assert (d["refunded"], d["outstanding"], d["state"]) == ("99.00", "0.00", "refunded")
    assert d["days_overdue"] == 0
    assert [x["amount"] for x in d["refunds"]] == ["50.00", "48.99", "0.01"]
    assert cli.ok("status", "--json").json() == []
    assert [x["id"] for x in cli.ok("status", "--all", "--json").json()] == [cid]


def test_close_and_reopen(cli: Cli) -> None:
    cid = overdue_case(cli)
    cli.ok("close", str(cid), "--reason", "written-off")
    d = show(cli, cid)
    assert (d["state"], d["closed_on"], d["close_reason"]) == (
        "closed",
        "2026-11-24",
        "written-off",
    )
    assert cli.ok("status", "--json").json() == []
    cli.fails("close", str(cid), "--reason", "withdrawn", contains="already closed")
    cli.ok("reopen", str(cid))
    d = show(cli, cid)
    assert (d["state"], d["closed_on"], d["close_reason"]) == ("overdue", None, None)
    cli.fails("reopen", str(cid), contains="not closed")
    assert [h["action"] for h in d["history"]][-2:] == ["close", "reopen"]


# -- status, show, agenda ------------------------------------------------------------------------


def test_status_table_and_totals(cli: Cli) -> None:
    a = overdue_case(cli, amount="99")
    b = overdue_case(cli, amount="199", paid="2026-01-10")
    r = cli.ok("status")
    assert "Total outstanding ¥298.00" in r.stdout
    assert "overdue ¥298.00 in 2 cases" in r.stdout
    assert r.stdout.index(f"│ {a} ") < r.stdout.index(f"│ {b} ")


def test_status_limit(cli: Cli) -> None:
    ids = [overdue_case(cli, paid=f"2025-0{m}-01") for m in range(1, 8)]  # oldest most overdue
    r = cli.ok("status", "--limit", "3")
    shown = re.findall(r"^│ +(\d+) │", r.stdout, flags=re.M)
    assert shown == [str(i) for i in ids[:3]]
    assert "4 more cases not shown" in r.stdout
    r = cli.ok("status", "--limit", "0")
    assert len(re.findall(r"^│ +(\d+) │", r.stdout, flags=re.M)) == 7
    assert "not shown" not in r.stdout
    assert len(cli.ok("status", "--json").json()) == 7
    assert [x["id"] for x in cli.ok("status", "--json", "--limit", "2").json()] == ids[:2]
    assert len(cli.ok("status", "--json", "--limit", "0").json()) == 7


def test_status_default_limit_is_50(cli: Cli) -> None:
    from depositctl.core.models import NewCase
    from depositctl.store.ledger import open_ledger

    with open_ledger(cli.db) as led, led.atomic():
        for i in range(52):
            led.add_case(
                NewCase(
                    provider=f"P{i}",
                    amount=Decimal("99.00"),
                    paid_on=date(2025, 3, 5),
                    no_condition=True,
                )
            )
    r = cli.ok("status")
    assert len(re.findall(r"^│ +(\d+) │", r.stdout, flags=re.M)) == 50
    assert "2 more cases not shown" in r.stdout
    assert len(cli.ok("status", "--json").json()) == 52


def test_show_text(cli: Cli, case_id: int) -> None:
    cli.ok("progress", str(case_id), "--on", "2025-04-20", "--volume", "51000")
    cli.ok("contact", str(case_id), "--on", "2025-06-01", "--channel", "phone", "--ticket", "T1")
    r = cli.ok("show", f"#{case_id}")
    out = r.stdout
    assert "示例支付股份有限公司" in out
    assert "2025-05-13" in out  # refund due
    assert "2028-05-13" in out  # limitation
    assert "第一百八十八条" in out  # the article behind the limitation date
    assert "第一百九十五条" in out  # restart note
    assert "T1" in out
    assert "days overdue" in out


def test_limitation_warning_and_restart(cli: Cli) -> None:
    cid = add(
        cli, "--amount", "99", "--paid-on", "2023-12-01", "--no-condition",
        "--promised-refund-on", "2024-02-29",
    )  # fmt: skip
    d = show(cli, cid)
    assert d["limitation_ends_on"] == "2027-02-28"  # 96 days left on 2026-11-24
    assert d["limitation_warning"] is True
    assert d["next_action_code"] == "stop_limitation"
    assert "[limitation ends 2027-02-28]" in cli.ok("status").stdout
    cli.ok("contact", str(cid), "--on", "2026-11-01", "--channel", "email", "--refund-request")
    d = show(cli, cid)
    assert d["limitation_ends_on"] == "2027-02-28"  # the conservative date stays
    assert d["limitation_restarted_ends_on"] == "2029-11-01"
    assert d["limitation_warning"] is False
    assert d["next_action_code"] != "stop_limitation"
    text = cli.ok("show", str(cid)).stdout
    assert "2029-11-01" in text and "第一百九十五条" in text


def test_brackets_in_user_text_are_shown_not_eaten_as_markup(cli: Cli) -> None:
    cid = add(
        cli,
        "--amount",
        "99",
        "--paid-on",
        "2025-03-05",
        "--serial",
        "[sn1]",
        provider="[abc]支付有限公司",
    )
    status = cli.ok("status").stdout
    assert "[abc]支付" in status and "[sn1]" in status
    assert f"#{cid} [abc]支付有限公司" in cli.ok("show", str(cid)).stdout


def test_agenda(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2026-11-01", "--no-condition")
    cli.ok("contact", str(cid), "--on", "2026-11-20", "--channel", "email", "--refund-request")
    # Due 2026-12-05 (default grace): within 14 days, not within 7.
    week = cli.ok("agenda").stdout
    assert f"2026-11-27  #{cid}" in week  # the email's follow-up (7 days)
    assert "\n2026-12-05" not in week
    r = cli.ok("agenda", "--days", "14")
    assert f"\n2026-12-05  #{cid}  refund due" in r.stdout
    late = overdue_case(cli)
    r = cli.ok("agenda", "--days", "0")
    assert f"#{late}" in r.stdout


def test_agenda_empty(cli: Cli) -> None:
    assert "Nothing due" in cli.ok("agenda").stdout


def test_demo(cli: Cli) -> None:
    r = cli.ok("demo")
    assert "overdue" in r.stdout
    assert "Total outstanding" in r.stdout
    assert not cli.db.exists()  # the demo never touches the user's ledger


def test_lang_zh_output_is_chinese(cli: Cli) -> None:
    overdue_case(cli)
    en = cli.ok("status").stdout
    zh = cli.ok("status", lang="zh").stdout
    assert zh != en
    assert re.search(r"[\u4e00-\u9fff]", zh.replace("示例支付股份有限公司", ""))
