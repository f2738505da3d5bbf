"""`sent` and `delivered` (issue 10, DESIGN.md "Replies and letters sent"): a letter that
went out is the merchant's written refund request (the provider's 催告函), its reply-by
date runs from delivery and is provisional until delivery is known, and the limitation
restart counts from delivery; bad input is one clear line with nothing written; the
history replays, `check` stays clean and export/import keeps the new columns."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from depositctl.core.caseview import CaseView
from depositctl.core.deadlines import evaluate, follow_up_for, letter_contact
from depositctl.core.models import Case, CaseFacts, Condition, Contact
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
from depositctl.data import rules as load_rules
from tests.conftest import Cli

PROVIDER = "示例支付股份有限公司"
TODAY = date(2026, 11, 24)
D = date.fromisoformat


# -- the deadline engine: pure --------------------------------------------------------------


def letter(id: int, on: str, recipient: str = "provider", via: str = "ems", **kw: Any) -> Contact:
    """A contact as `sent` records it (`letter_contact`), with an id."""
    new = letter_contact(
        1, recipient, D(on), via, kw.pop("tracking", None), kw.pop("delivered", None)
    )
    return Contact(id=id, **dict(new), **kw)


def view(case: Case, *contacts: Contact, today: date = TODAY) -> CaseView:
    facts = CaseFacts(case=case, contacts=contacts)
    return evaluate(facts, today, WorkdayCalendar(chinese_calendar_lookup()), load_rules())


def unconditional() -> Case:
    return Case(
        id=1, provider=PROVIDER, amount=Decimal("99.00"), paid_on=D("2025-03-05"),
        condition=Condition(none=True),
    )  # fmt: skip


def test_the_provider_letter_is_a_written_refund_request_on_the_complaint_channel() -> None:
    c = letter_contact(1, "provider", D("2026-11-10"), "ems", "EA1CN", None)
    assert (c.channel, c.letter, c.via, c.tracking, c.refund_request) == (
        "provider-complaint",
        "provider",
        "ems",
        "EA1CN",
        True,
    )
    # A complaint to a body is no demand made to the obligor (民法典 195).
    assert not letter_contact(1, "12315", D("2026-11-10"), "platform").refund_request
    assert letter_contact(1, "12315", D("2026-11-10"), "platform").channel == "12315"


def test_reply_by_and_limitation_restart_before_and_after_delivery() -> None:
    case = unconditional()
    ask = Contact(id=1, case_id=1, on=D("2025-04-01"), channel="phone", refund_request=True)
    sent = view(case, ask, letter(2, "2026-11-10"))
    follow = next(f for f in sent.follow_ups if f.contact_id == 2)
    # Until delivery is known: from the sending day, marked provisional.
    assert follow.on == D("2026-11-25") and follow.provisional
    assert sent.limitation_restart is not None
    assert sent.limitation_restart.on == D("2029-11-10") and sent.limitation_restart.provisional
    assert "delivery not yet recorded" in sent.limitation_restart.basis.text
    # Delivered two days later: 15 days from delivery, 3 years from delivery.
    done = view(case, ask, letter(2, "2026-11-10", delivered=D("2026-11-12")))
    follow = next(f for f in done.follow_ups if f.contact_id == 2)
    assert follow.on == D("2026-11-27") and not follow.provisional
    assert follow.basis.rule == "default_grace"
    assert not follow.is_default  # the period the letter itself sets
    assert done.open_follow_up == follow
    assert done.limitation_restart is not None
    assert done.limitation_restart.on == D("2029-11-12")
    assert not done.limitation_restart.provisional
    citation = done.limitation_restart.basis.citation or ""
    assert "第一百九十五条" in citation and "第八条" in citation  # delivery rule cited


def test_the_letter_period_follows_the_configured_grace() -> None:
    rules = load_rules()
    cal = WorkdayCalendar(chinese_calendar_lookup())
    c = letter(1, "2026-11-10", delivered=D("2026-11-12"))
    assert follow_up_for(c, rules, cal).on == D("2026-11-27")
    assert follow_up_for(c, rules, cal, grace_days=30).on == D("2026-12-12")


@pytest.mark.parametrize(
    ("via", "provisional"), [("ems", True), ("post", True), ("email", False), ("in-person", False)]
)
def test_only_a_posted_letter_waits_for_its_delivery(via: str, provisional: bool) -> None:
    f = follow_up_for(
        letter(1, "2026-11-10", via=via), load_rules(), WorkdayCalendar(chinese_calendar_lookup())
    )
    assert f.on == D("2026-11-25")
    assert f.provisional is provisional


def test_a_12315_letter_is_answered_in_7_working_days_and_asks_the_provider_nothing() -> None:
    v = view(unconditional(), letter(1, "2026-11-10", recipient="12315", via="platform"))
    follow = v.follow_ups[0]
    assert (follow.on, follow.basis.rule) == (D("2026-11-19"), "samr_accept")
    assert v.trigger_on is None and v.refund_due is None  # no refund request of the provider


def test_rule_4_grace_runs_from_the_delivered_demand() -> None:
    sent = view(unconditional(), letter(1, "2026-11-10"))
    assert sent.refund_due is not None
    assert sent.refund_due.on == D("2026-11-25") and sent.refund_due.provisional
    done = view(unconditional(), letter(1, "2026-11-10", delivered=D("2026-11-13")))
    assert done.refund_due is not None
    assert done.refund_due.on == D("2026-11-28") and not done.refund_due.provisional
    assert done.refund_due.is_default
    assert done.refund_due.basis.params["demand"] == "2026-11-13"


# -- the commands ---------------------------------------------------------------------------


def add(cli: Cli) -> int:
    r = cli.ok(
        "add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05",
        "--no-condition", "--serial", "SN-SENT1",
    )  # fmt: skip
    return int(r.stdout.split("#")[1].split()[0])


@pytest.fixture
def letter_file(tmp_path: Path) -> Path:
    path = tmp_path / "催告函.pdf"
    path.write_bytes(b"%PDF-1.4 letter")
    return path


def show(cli: Cli, cid: int) -> dict[str, Any]:
    result: dict[str, Any] = cli.ok("show", "--json", str(cid)).json()
    return result


def test_sent_records_the_letter_its_file_and_a_provisional_reply_date(
    cli: Cli, letter_file: Path
) -> None:
    cid = add(cli)
    r = cli.ok(
        "sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems",
        "--tracking", "EA000000001CN", "--file", str(letter_file),
    )  # fmt: skip
    assert "C1" in r.stdout and "E1" in r.stdout
    assert "Reply due by 2026-11-25" in r.stdout
    assert f"depositctl delivered {cid} C1 --on DATE" in r.stdout
    d = show(cli, cid)
    (c,) = d["contacts"]
    assert (c["letter"], c["via"], c["tracking"], c["delivered_on"]) == (
        "provider",
        "ems",
        "EA000000001CN",
        None,
    )
    assert c["channel"] == "provider-complaint" and c["refund_request"] is True
    assert (c["follow_up_on"], c["follow_up_provisional"]) == ("2026-11-25", True)
    (e,) = d["evidence"]
    assert (e["kind"], e["contact_id"], e["dated_on"]) == ("letter", c["id"], "2026-11-10")
    follow = next(x for x in d["deadlines"] if x["kind"] == "follow_up")
    assert follow["provisional"] is True
    shown = cli.ok("show", str(cid)).stdout
    assert "provisional: the letter's delivery is not yet recorded" in shown
    assert "sent: 催告函 to provider, ems, tracking EA000000001CN" in shown


def test_delivered_moves_the_dates_and_is_logged(cli: Cli, letter_file: Path) -> None:
    cid = add(cli)
    cli.ok("sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems")
    proof = letter_file.with_name("签收.png")
    proof.write_bytes(b"png")
    r = cli.ok("delivered", str(cid), "c1", "--on", "2026-11-12", "--file", str(proof))
    assert "2026-11-12" in r.stdout and "Reply due by 2026-11-27" in r.stdout
    d = show(cli, cid)
    assert d["contacts"][0]["delivered_on"] == "2026-11-12"
    assert d["contacts"][0]["follow_up_provisional"] is False
    assert d["limitation_restarted_ends_on"] is None or d["limitation_restarted_ends_on"]
    assert d["evidence"][0]["contact_id"] == d["contacts"][0]["id"]
    logged = [h for h in d["history"] if h["action"] == "delivered"]
    assert logged and logged[0]["changes"]["delivered_on"] == [None, "2026-11-12"]
    # A correction replaces the day; the history keeps both.
    r = cli.ok("delivered", str(cid), "C1", "--on", "2026-11-13")
    assert "was 2026-11-12" in r.stdout
    assert cli.ok("check").stdout.startswith("No problems found")
    cli.fails("delivered", str(cid), "C1", "--on", "2026-11-13", contains="already recorded")


def test_check_finds_a_delivery_date_changed_behind_its_back(cli: Cli) -> None:
    cid = add(cli)
    cli.ok(
        "sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems",
        "--delivered-on", "2026-11-12",
    )  # fmt: skip
    assert cli.ok("check").stdout.startswith("No problems found")
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE contacts SET delivered_on = '2026-11-11'")
    conn.commit()
    conn.close()
    r = cli.run("check")
    assert r.exit_code != 0 and "delivered_on" in r.stdout + r.stderr


def test_chinese_names_and_dates_are_accepted(cli: Cli) -> None:
    cid = add(cli)
    cli.ok(
        "sent", str(cid), "--to", "支付机构", "--on", "2026年11月10日", "--via", "特快专递",
        "--delivered-on", "2026/11/12",
    )  # fmt: skip
    (c,) = show(cli, cid)["contacts"]
    assert (c["letter"], c["via"], c["delivered_on"]) == ("provider", "ems", "2026-11-12")
    zh = cli.ok("show", str(cid), lang="zh").stdout
    assert (
        "寄出：催告函（致支付机构）" in zh and "EMS邮政特快专递" in zh and "签收 2026-11-12" in zh
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--file", "missing.pdf"), "No such file"),
        (("--via", "pigeon"), "Unknown way of sending"),
        (("--on", "2026-13-01"), "2026-13-01"),
        (("--on", "2026-12-01"), "cannot be in the future"),
        (("--delivered-on", "2026-11-09"), "before the letter was sent"),
        (("--to", "mayor"), "Unknown recipient"),
    ],
)
def test_bad_input_is_one_line_and_nothing_written(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    cid = add(cli)
    opts = {"--to": "provider", "--on": "2026-11-10", "--via": "ems"}
    extra: list[str] = []
    for k, v in zip(args[::2], args[1::2], strict=True):
        if k in opts:
            opts[k] = v
        else:
            extra += [k, v]
    argv = [x for kv in opts.items() for x in kv] + extra
    cli.fails("sent", str(cid), *argv, contains=message)
    assert not (cli.db.parent / "evidence").exists() or not any(
        p.is_file() for p in (cli.db.parent / "evidence").rglob("*") if p.parent.name != "tmp"
    )


def test_unknown_case_and_a_second_copy_are_refused(cli: Cli, letter_file: Path) -> None:
    cli.fails("sent", "9", "--to", "provider", "--on", "2026-11-10", "--via", "ems",
              contains="No case #9")  # fmt: skip
    cid = add(cli)
    args = ("sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems")
    cli.ok(*args, "--file", str(letter_file))
    cli.fails(*args, contains="already has this letter as C1")
    other = letter_file.with_name("copy.pdf")
    other.write_bytes(letter_file.read_bytes())
    cli.fails(*args, "--again", "--file", str(other), contains="already evidence E1")
    cli.ok(*args, "--again")


def test_delivered_refuses_what_is_not_a_sent_letter(cli: Cli) -> None:
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2026-11-01", "--channel", "phone")
    cli.fails("delivered", str(cid), "C1", "--on", "2026-11-12", contains="not a letter")
    cli.ok("sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems")
    cli.fails("delivered", str(cid), "C2", "--on", "2026-11-09", contains="before the letter")
    cli.fails("delivered", str(cid), "C2", "--on", "2026-11-30", contains="future")
    cli.ok("void", str(cid), "C2", "--reason", "wrong case")
    cli.fails("delivered", str(cid), "C2", "--on", "2026-11-12", contains="void")


def test_replay_check_and_export_import_keep_the_new_columns(
    cli: Cli, letter_file: Path, tmp_path: Path
) -> None:
    cid = add(cli)
    cli.ok(
        "sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems",
        "--tracking", "EA000000001CN", "--file", str(letter_file),
    )  # fmt: skip
    cli.ok("delivered", str(cid), "C1", "--on", "2026-11-12")
    cli.ok(
        "contact", str(cid), "--on", "2026-11-20", "--channel", "12315", "--incoming",
        "--outcome", "rejected", "--reason", "非生活消费",
    )  # fmt: skip
    assert cli.ok("check").stdout.startswith("No problems found")
    out = tmp_path / "export.json"
    cli.ok("export", "-o", str(out))
    new = tmp_path / "new" / "ledger.db"
    cli.ok("--db", str(new), "import", str(out), "--evidence-from", str(cli.db.parent))
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    before, after = show(cli, cid), cli.ok("--db", str(new), "show", "--json", str(cid)).json()
    keys = ("letter", "via", "tracking", "delivered_on", "reason", "follow_up_on")
    assert [{k: c[k] for k in keys} for c in after["contacts"]] == [
        {k: c[k] for k in keys} for c in before["contacts"]
    ]
    assert after["contacts"][0]["delivered_on"] == "2026-11-12"
    assert after["contacts"][1]["reason"] == "非生活消费"


def test_agenda_and_ics_carry_the_reply_by_date(cli: Cli) -> None:
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2026-11-20", "--channel", "email", "--refund-request")
    cli.ok(
        "sent", str(cid), "--to", "provider", "--on", "2026-11-21", "--via", "ems",
        "--delivered-on", "2026-11-23",
    )  # fmt: skip
    # Refund due 2026-12-05 (first demand, the email); the letter's reply-by 2026-12-08.
    agenda = cli.ok("agenda", "--days", "30").stdout
    assert "2026-12-08" in agenda and "催告函 delivered on 2026-11-23" in agenda
    ics = cli.ok("ics").stdout
    assert "DTSTART;VALUE=DATE:20261208" in ics


def test_letter_to_a_file_prints_the_sent_command(cli: Cli, tmp_path: Path) -> None:
    cid = add(cli)
    cli.ok("contact", str(cid), "--on", "2025-04-01", "--channel", "email", "--refund-request")
    target = tmp_path / "催告函.md"
    r = cli.run("letter", str(cid), "--to", "provider", "-o", str(target))
    assert r.exit_code == 0, r.stderr
    assert (
        f"depositctl sent {cid} --to provider --on DATE --via ems --tracking NO --file {target}"
        in r.stderr
    )
