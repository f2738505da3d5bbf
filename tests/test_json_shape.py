"""The JSON shapes of `status --json` and `show --json` (DESIGN.md)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

STATUS_KEYS = {
    "id",
    "provider",
    "brand",
    "serial",
    "amount",
    "refunded",
    "outstanding",
    "state",
    "condition_deadline",
    "condition_met_on",
    "refund_due_on",
    "refund_due_is_default",
    "days_overdue",
    "next_action",
    "next_deadline",
    "limitation_ends_on",
}
SHOW_ARRAYS = {"contacts", "evidence", "refunds", "progress", "history"}
STATE_VALUES = {
    "awaiting_activation",
    "condition_pending",
    "condition_failed",
    "refund_pending",
    "overdue",
    "refunded",
    "closed",
}
DATE_KEYS = {
    "condition_deadline",
    "condition_met_on",
    "refund_due_on",
    "next_deadline",
    "limitation_ends_on",
}
AMOUNT_KEYS = {"amount", "refunded", "outstanding"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMOUNT = re.compile(r"^\d+\.\d{2}$")


def add(cli: Cli, *args: str) -> int:
    r = cli.ok("add", "--provider", "示例支付股份有限公司", *args)
    return int(re.search(r"#(\d+)", r.stdout).group(1))  # type: ignore[union-attr]


def requested(cli: Cli, on: str, amount: str = "99", **opts: str) -> int:
    """Unconditional deposit, refund requested on `on`: due 15 days later (default grace)."""
    extra = [x for k, v in opts.items() for x in ("--" + k.replace("_", "-"), v)]
    cid = add(cli, "--amount", amount, "--paid-on", on, "--no-condition", *extra)
    cli.ok("contact", str(cid), "--on", on, "--channel", "email", "--refund-request")
    return cid


@pytest.fixture
def every_state(cli: Cli) -> dict[str, int]:
    """One case in each state, as of 2026-11-24."""
    ids = {
        "awaiting_activation": add(
            cli, "--amount", "199", "--paid-on", "2026-11-01", "--condition-volume", "50000",
            "--condition-days", "90",
        ),
        "condition_pending": add(
            cli, "--amount", "299", "--paid-on", "2026-11-01", "--activated-on", "2026-11-01",
            "--condition-volume", "50000", "--condition-days", "90",
        ),
        "condition_failed": add(
            cli, "--amount", "99", "--paid-on", "2025-01-01", "--activated-on", "2025-01-01",
            "--condition-volume", "50000", "--condition-days", "90",
        ),
        "refund_pending": requested(cli, "2026-11-20", serial="SN-P", brand="示例POS"),
        "overdue": requested(cli, "2025-03-05", amount="1,299.5"),
        "refunded": requested(cli, "2025-03-05"),
        "closed": requested(cli, "2025-03-05"),
    }  # fmt: skip
    cli.ok("refund", str(ids["refunded"]), "--amount", "99", "--on", "2026-01-01")
    cli.ok("refund", str(ids["overdue"]), "--amount", "0.5", "--on", "2026-01-01")
    cli.ok("close", str(ids["closed"]), "--reason", "withdrawn")
    return ids


def check_status_item(item: dict[str, Any]) -> None:
    assert set(item) >= STATUS_KEYS, STATUS_KEYS - set(item)
    assert isinstance(item["id"], int)
    assert item["state"] in STATE_VALUES
    for key in AMOUNT_KEYS:
        assert isinstance(item[key], str) and AMOUNT.match(item[key]), (key, item[key])
    for key in DATE_KEYS:
        assert item[key] is None or (isinstance(item[key], str) and ISO.match(item[key])), key
    assert isinstance(item["refund_due_is_default"], bool)
    assert isinstance(item["days_overdue"], int)
    assert isinstance(item["next_action"], str) and item["next_action"]
    assert all(isinstance(k, str) and k.isascii() for k in item)


def test_status_json_keys_and_types(cli: Cli, every_state: dict[str, int]) -> None:
    rows = cli.ok("status", "--all", "--json").json()
    assert isinstance(rows, list)
    assert {r["state"] for r in rows} == STATE_VALUES
    by_state = {r["state"]: r for r in rows}
    for row in rows:
        check_status_item(row)
        assert every_state[row["state"]] == row["id"]
    overdue = by_state["overdue"]
    assert overdue["amount"] == "1299.50"
    assert overdue["refunded"] == "0.50"
    assert overdue["outstanding"] == "1299.00"
    assert overdue["refund_due_on"] == "2025-03-20"
    assert overdue["refund_due_is_default"] is True
    assert overdue["days_overdue"] == 614
    assert overdue["limitation_ends_on"] == "2028-03-20"
    assert overdue["next_deadline"] == "2026-11-24"
    pending = by_state["refund_pending"]
    assert (pending["brand"], pending["serial"]) == ("示例POS", "SN-P")
    assert pending["days_overdue"] == 0
    assert pending["refund_due_on"] == "2026-12-05"
    failed = by_state["condition_failed"]
    assert failed["condition_deadline"] == "2025-04-01"
    assert failed["condition_met_on"] is None
    assert failed["refund_due_on"] is None
    assert failed["limitation_ends_on"] is None
    assert by_state["refunded"]["outstanding"] == "0.00"
    assert by_state["awaiting_activation"]["brand"] is None


def test_status_without_all_leaves_out_refunded_and_closed(
    cli: Cli, every_state: dict[str, int]
) -> None:
    rows = cli.ok("status", "--json").json()
    assert {r["state"] for r in rows} == STATE_VALUES - {"refunded", "closed"}
    text = cli.ok("status").stdout
    assert f"│ {every_state['refunded']} " not in text
    assert f"│ {every_state['overdue']} " in text
    text_all = cli.ok("status", "--all").stdout
    assert f"│ {every_state['refunded']} " in text_all


def test_show_json_adds_the_arrays(cli: Cli, case_id: int, tmp_path: Path) -> None:
    f = tmp_path / "receipt.txt"
    f.write_text("凭证", encoding="utf-8")
    cli.ok("progress", str(case_id), "--on", "2025-04-20", "--volume", "50000", "--count", "3")
    cli.ok(
        "contact", str(case_id), "--on", "2025-06-01T09:30", "--channel", "phone", "--ticket", "T"
    )
    cli.ok("evidence", "add", str(case_id), str(f), "--kind", "receipt")
    cli.ok("refund", str(case_id), "--amount", "9.9", "--on", "2026-01-01")
    item = cli.ok("show", str(case_id), "--json").json()
    assert isinstance(item, dict)
    check_status_item(item)
    assert set(item) >= SHOW_ARRAYS
    for key in SHOW_ARRAYS:
        assert isinstance(item[key], list) and len(item[key]) >= 1, key
    assert item["progress"][0]["on"] == "2025-04-20"
    assert item["progress"][0]["volume"] == "50000.00"
    assert item["contacts"][0]["on"] == "2025-06-01"
    assert item["contacts"][0]["channel"] == "phone"
    assert item["evidence"][0]["name"] == "receipt.txt"
    assert len(item["evidence"][0]["sha256"]) == 64
    assert item["refunds"][0] == {**item["refunds"][0], "on": "2026-01-01", "amount": "9.90"}
    assert [h["action"] for h in item["history"]] == [
        "add",
        "progress",
        "contact",
        "evidence",
        "refund",
    ]
    assert (item["refunded"], item["outstanding"]) == ("9.90", "89.10")
    # show's keys are the status keys, with the same values.
    status_item = next(r for r in cli.ok("status", "--json").json() if r["id"] == case_id)
    assert {k: item[k] for k in STATUS_KEYS} == {k: status_item[k] for k in STATUS_KEYS}


def test_show_json_of_a_bare_case_has_empty_arrays(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2025-03-05")
    item = cli.ok("show", str(cid), "--json").json()
    for key in SHOW_ARRAYS - {"history"}:
        assert item[key] == []
    assert item["state"] == "refund_pending"  # no condition recorded: refundable on request
    assert item["next_deadline"] == "2026-11-24"


def test_keys_and_states_are_english_in_chinese(cli: Cli, every_state: dict[str, int]) -> None:
    en = cli.ok("status", "--all", "--json").json()
    zh = cli.ok("status", "--all", "--json", lang="zh").json()
    assert [set(r) for r in zh] == [set(r) for r in en]
    assert [r["state"] for r in zh] == [r["state"] for r in en]
    assert [r["id"] for r in zh] == [r["id"] for r in en]
    for a, b in zip(en, zh, strict=True):
        for key in STATUS_KEYS - {"next_action"}:
            assert a[key] == b[key], key
    overdue_en = next(r for r in en if r["state"] == "overdue")
    overdue_zh = next(r for r in zh if r["state"] == "overdue")
    assert overdue_zh["next_action"] != overdue_en["next_action"]
    assert re.search(r"[\u4e00-\u9fff]", overdue_zh["next_action"])
    show_zh = cli.ok("show", str(every_state["overdue"]), "--json", lang="zh").json()
    assert show_zh["state"] == "overdue"
    assert all(k.isascii() for k in show_zh)


def test_ordering_overdue_most_days_first_then_nearest_deadline(cli: Cli) -> None:
    a = requested(cli, "2026-01-10")  # overdue, fewer days
    b = requested(cli, "2025-03-05")  # overdue, most days
    c = requested(cli, "2026-11-22")  # pending, email follow-up 2026-11-29, due 2026-12-07
    d = requested(cli, "2026-11-18")  # pending, email follow-up 2026-11-25, due 2026-12-03
    e = add(cli, "--amount", "99", "--paid-on", "2025-03-05", "--no-condition")  # ask today
    f = add(  # condition pending, window ends 2027-01-30
        cli, "--amount", "99", "--paid-on", "2026-11-01", "--activated-on", "2026-11-01",
        "--condition-volume", "1000", "--condition-days", "90",
    )  # fmt: skip
    rows = cli.ok("status", "--json").json()
    assert [r["id"] for r in rows] == [b, a, e, d, c, f]
    assert rows[0]["days_overdue"] > rows[1]["days_overdue"] > 0
    assert [r["next_deadline"] for r in rows[3:]] == ["2026-11-25", "2026-11-29", "2027-01-30"]
    # The table keeps the same order.
    text = cli.ok("status").stdout
    assert [int(x) for x in re.findall(r"^│ +(\d+) │", text, flags=re.M)] == [b, a, e, d, c, f]


def test_json_limit(cli: Cli) -> None:
    ids = [requested(cli, f"2025-0{m}-05") for m in range(1, 6)]
    assert [r["id"] for r in cli.ok("status", "--json").json()] == ids
    assert [r["id"] for r in cli.ok("status", "--json", "--limit", "2").json()] == ids[:2]
    assert [r["id"] for r in cli.ok("status", "--json", "--limit", "0").json()] == ids
    assert [r["id"] for r in cli.ok("status", "--json", "--limit", "9").json()] == ids


def test_empty_ledger(cli: Cli) -> None:
    assert cli.ok("status", "--json").json() == []
    assert cli.ok("status", "--all", "--json").json() == []


# -- working-day estimates beyond the known calendar (rule 5) ----------------------------------------

CALENDAR_2027 = """
# the State Council's 2027 schedule, typed in by the user
[2027]
holidays = ["2027-01-01..2027-01-03"]
"""


def estimate_case(cli: Cli) -> int:
    """Condition met 2026-12-24, refund within 15 working days: runs into 2027."""
    cid = add(
        cli, "--amount", "99", "--paid-on", "2026-11-01", "--activated-on", "2026-11-01",
        "--condition-volume", "1000", "--condition-days", "90", "--refund-within", "15wd",
    )  # fmt: skip
    cli.ok("--today", "2026-12-31", "met", str(cid), "--on", "2026-12-24")
    return cid


def test_estimate_marked_in_json(cli: Cli) -> None:
    cid = estimate_case(cli)
    item = cli.ok("show", str(cid), "--json").json()
    assert item["refund_due_on"] == "2027-01-14"
    assert item["refund_due_is_estimate"] is True
    assert item["refund_due_is_default"] is False
    (row,) = cli.ok("status", "--json").json()
    assert row["refund_due_is_estimate"] is True
    due = next(d for d in item["deadlines"] if d["kind"] == "refund_due")
    assert due["estimate"] is True


def test_estimate_marked_in_text(cli: Cli) -> None:
    cid = estimate_case(cli)
    assert "2027-01-14*" in cli.ok("status").stdout
    assert "estimate" in cli.ok("show", str(cid)).stdout


def test_estimated_follow_up_in_the_next_action(cli: Cli) -> None:
    cid = add(cli, "--amount", "99", "--paid-on", "2025-03-05", "--no-condition")
    cli.ok(
        "contact",
        str(cid),
        "--on",
        "2025-03-05",
        "--channel",
        "provider-complaint",
        "--refund-request",
    )
    late_december = cli.ok("--today", "2026-12-28", "show", str(cid), "--json").json()
    assert late_december["next_action_code"] == "file_12363"  # was file_12315: core/channels
    assert "2027-01-06" in late_december["next_action"]
    assert "estimate" in late_december["next_action"]
    november = cli.ok("show", str(cid), "--json").json()
    assert "estimate" not in november["next_action"]


def test_user_calendar_beside_the_ledger_settles_the_estimate(cli: Cli) -> None:
    cid = estimate_case(cli)
    (cli.db.parent / "workdays.toml").write_text(CALENDAR_2027, encoding="utf-8")
    item = cli.ok("show", str(cid), "--json").json()
    assert item["refund_due_on"] == "2027-01-15"
    assert item["refund_due_is_estimate"] is False
    assert "2027-01-15*" not in cli.ok("status").stdout
    assert "estimate" not in cli.ok("show", str(cid)).stdout


def test_user_calendar_from_the_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = estimate_case(cli)
    cal = tmp_path / "elsewhere.toml"
    cal.write_text(CALENDAR_2027, encoding="utf-8")
    monkeypatch.setenv("DEPOSITCTL_CALENDAR", str(cal))
    item = cli.ok("show", str(cid), "--json").json()
    assert (item["refund_due_on"], item["refund_due_is_estimate"]) == ("2027-01-15", False)


# -- status (which loads only the contacts that decide a deadline) agrees with show ---------------


def test_status_agrees_with_show_on_every_case(cli: Cli) -> None:
    import random
    from datetime import time
    from decimal import Decimal

    from depositctl.core.inputs import parse_within
    from depositctl.core.models import CHANNELS, NewCase, NewContact, NewRefund
    from depositctl.store.ledger import open_ledger

    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    rnd = random.Random(20261124)
    days = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 10, 20)]
    days += [f"2026-{m:02d}-{d:02d}" for m in range(1, 12) for d in (1, 15)] + ["2026-11-20"]
    with open_ledger(cli.db) as led, led.atomic():
        for n in range(40):
            kind = rnd.choice(["none", "unknown", "target", "return"])
            fields: dict[str, Any] = {
                "provider": f"P{n}",
                "amount": rnd.choice([Decimal("99.00"), Decimal("199.00"), Decimal("299.00")]),
                "paid_on": date(2025, 1, 5),
            }
            if kind == "none":
                fields["no_condition"] = True
            elif kind == "target":
                fields |= {
                    "condition_volume": Decimal("50000.00"),
                    "met_on": day(rnd.choice(days[:20])),
                }
            elif kind == "return":
                fields |= {"condition_return": True, "returned_on": day(rnd.choice(days))}
            if rnd.random() < 0.5:
                fields["refund_within"] = parse_within(rnd.choice(["15wd", "30d"]))
            cid = led.add_case(NewCase(**fields))
            for _ in range(rnd.randint(0, 8)):
                on = rnd.choice(days)
                at = rnd.choice([None, "09:00", "15:30"])
                led.add_contact(
                    NewContact(
                        case_id=cid,
                        on=date.fromisoformat(on),
                        at_time=time.fromisoformat(at) if at else None,
                        channel=rnd.choice(CHANNELS),
                        ticket=rnd.choice([None, None, "T1"]),
                        outcome=rnd.choice([None, "accepted", "promised"]),
                        promised_by=day(rnd.choice([None, None, None, "2026-12-01", on])),
                        refund_request=rnd.random() < 0.4,
                    )
                )
            if rnd.random() < 0.2:
                led.add_refund(NewRefund(case_id=cid, on=date(2026, 1, 1), amount=Decimal("50.00")))
    keys = STATUS_KEYS | {"next_action_code", "limitation_warning", "refund_due_is_estimate"}
    rows = cli.ok("status", "--all", "--json").json()
    assert len(rows) == 40
    for row in rows:
        full = cli.ok("show", str(row["id"]), "--json").json()
        assert {k: row[k] for k in keys} == {k: full[k] for k in keys}, row["id"]
    codes = {r["next_action_code"] for r in rows}
    assert len(codes) >= 5, codes  # the cases really cover the ladder
