"""Correcting the record (issue 9): row labels, `void`/`unvoid`, duplicate guards, and
`evidence restore` instead of a second record of the same file."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_exchange import populate

PROVIDER = "示例支付股份有限公司"


def add(cli: Cli, *extra: str) -> int:
    r = cli.ok("add", "--provider", PROVIDER, "--amount", "299", "--paid-on", "2025-03-05", *extra)
    return int(r.stdout.split("#")[1].split()[0])


def letter(cli: Cli, cid: str) -> str:
    r = cli.run("letter", cid, "--to", "provider", "--format", "md")
    assert r.exit_code == 0, r.stderr
    return r.stdout


def show(cli: Cli, cid: int) -> dict[str, Any]:
    data: dict[str, Any] = cli.ok("show", "--json", str(cid)).json()
    return data


def status(cli: Cli, cid: int) -> dict[str, Any]:
    return next(x for x in cli.ok("status", "--json", "--all").json() if x["id"] == cid)


@pytest.fixture
def requested(cli: Cli, tmp_path: Path) -> int:
    """An unconditional case with two refund requests (C1 then C2), a refund (R1) and
    a piece of evidence (E1) attached to nothing."""
    cid = add(cli, "--no-condition", "--refund-within", "30d", "--serial", "SN-V1")
    cli.ok(
        "contact", str(cid), "--on", "2025-05-06 10:30", "--channel", "phone",
        "--ticket", "T-0506", "--refund-request",
    )  # fmt: skip
    cli.ok(
        "contact", str(cid), "--on", "2025-06-02", "--channel", "provider-complaint",
        "--ticket", "GD-0602", "--refund-request",
    )  # fmt: skip
    cli.ok("refund", str(cid), "--amount", "100", "--on", "2025-07-01")
    shot = tmp_path / "截图-void.png"
    shot.write_bytes(b"\x89PNG screenshot of the promise" + os.urandom(64))
    cli.ok("evidence", "add", str(cid), str(shot), "--kind", "chat")
    return cid


# -- labels ---------------------------------------------------------------------------------


def test_show_labels_every_row_per_case_in_order_of_entry(cli: Cli, requested: int) -> None:
    other = add(cli, "--no-condition")
    cli.ok("contact", str(other), "--on", "2025-04-01", "--channel", "phone")
    item = show(cli, requested)
    assert [(c["label"], c["ticket"], c["void"]) for c in item["contacts"]] == [
        ("C1", "T-0506", None),
        ("C2", "GD-0602", None),
    ]
    assert [r["label"] for r in item["refunds"]] == ["R1"]
    assert [e["label"] for e in item["evidence"]] == ["E1"]
    assert item["progress"] == []
    assert [c["label"] for c in show(cli, other)["contacts"]] == ["C1"]  # per case
    text = cli.ok("show", str(requested)).stdout
    for label in ("C1", "C2", "R1", "E1"):
        assert f"  {label}  " in text, text


# -- void and unvoid ------------------------------------------------------------------------


def test_void_and_unvoid_move_the_refund_due_date(cli: Cli, requested: int) -> None:
    before = show(cli, requested)
    assert before["trigger_on"] == "2025-05-06"
    assert before["refund_due_on"] == "2025-06-05"
    r = cli.ok("void", str(requested), "C1", "--reason", "wrong case")
    assert "C1" in r.stdout and "unvoid" in r.stdout
    after = show(cli, requested)
    # the voided earlier request no longer starts the 30 days
    assert after["trigger_on"] == "2025-06-02"
    assert after["refund_due_on"] == "2025-07-02"
    assert status(cli, requested)["refund_due_on"] == "2025-07-02"
    voided = next(c for c in after["contacts"] if c["label"] == "C1")
    assert voided["void"] == "wrong case" and voided["follow_up_on"] is None
    assert [h["action"] for h in after["history"]][-1] == "void"
    assert after["history"][-1]["changes"] == {
        "table": "contacts",
        "id": voided["id"],
        "label": "C1",
        "reason": "wrong case",
    }
    assert cli.ok("check").stdout.startswith("No problems found")
    cli.ok("unvoid", str(requested), "c1")  # labels are read case-insensitively
    again = show(cli, requested)
    assert again["trigger_on"] == "2025-05-06" and again["refund_due_on"] == "2025-06-05"
    assert next(c for c in again["contacts"] if c["label"] == "C1")["void"] is None
    assert cli.ok("check").stdout.startswith("No problems found")


def test_a_voided_progress_row_no_longer_meets_the_condition(cli: Cli) -> None:
    cid = add(
        cli, "--activated-on", "2025-03-05", "--condition-volume", "50000",
        "--condition-days", "90", "--refund-within", "30d",
    )  # fmt: skip
    cli.ok("progress", str(cid), "--on", "2025-04-01", "--volume", "60000")
    assert show(cli, cid)["condition_met_on"] == "2025-04-01"
    cli.ok("void", str(cid), "P1", "--reason", "typed 60000 for 6000")
    item = show(cli, cid)
    assert item["condition_met_on"] is None and item["refund_due_on"] is None
    assert item["progress"][0]["void"] == "typed 60000 for 6000"
    assert status(cli, cid)["condition_met_on"] is None
    cli.ok("unvoid", str(cid), "P1")
    assert show(cli, cid)["condition_met_on"] == "2025-04-01"


def test_voided_rows_vanish_from_every_output_but_show(
    cli: Cli, requested: int, tmp_path: Path
) -> None:
    cid = str(requested)
    assert status(cli, requested)["refunded"] == "100.00"
    letter_before = letter(cli, cid)
    assert "T-0506" in letter_before and "截图-void.png" in letter_before
    ics_before = cli.ok("ics").stdout
    for label, reason in (("C1", "entered twice"), ("R1", "never arrived"), ("E1", "wrong file")):
        cli.ok("void", cid, label, "--reason", reason)
    # status and agenda: the refund no longer counts
    item = status(cli, requested)
    assert item["refunded"] == "0.00" and item["outstanding"] == "299.00"
    # letters
    text_after = letter(cli, cid)
    assert "T-0506" not in text_after and "GD-0602" in text_after
    assert "截图-void.png" not in text_after
    # bundle: no evidence file, the letter without the voided contact
    target = tmp_path / "b.zip"
    r = cli.run("bundle", cid, "--to", "provider", "-o", str(target))
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert not any("截图-void" in n for n in names), names
    assert all(f["name"] != "截图-void.png" for f in manifest["files"])
    # ics: the limitation period runs from the later refund due date now
    ics = cli.ok("ics").stdout
    assert "DTSTART;VALUE=DATE:20280605" in ics_before, ics_before
    assert "DTSTART;VALUE=DATE:20280605" not in ics
    assert "DTSTART;VALUE=DATE:20280702" in ics
    # evidence list leaves the void record out
    assert "截图-void.png" not in cli.ok("evidence", "list", cid).stdout
    # show keeps every row, marked void with the reason, in both languages
    text = cli.ok("show", cid).stdout
    assert "[void: entered twice]" in text and "[void: never arrived]" in text
    assert "[void: wrong file]" in text and "T-0506" in text
    zh = cli.ok("show", cid, lang="zh").stdout
    assert "作废" in zh and "entered twice" in zh
    item_json = show(cli, requested)
    assert {r["label"]: r["void"] for r in item_json["refunds"]} == {"R1": "never arrived"}
    assert {e["label"]: e["void"] for e in item_json["evidence"]} == {"E1": "wrong file"}
    assert item_json["refunded"] == "0.00"
    assert cli.ok("check").stdout.startswith("No problems found")
    # the ledger still holds the rows
    conn = sqlite3.connect(cli.db)
    try:
        reasons = conn.execute("SELECT void_reason FROM refunds").fetchall()
    finally:
        conn.close()
    assert reasons == [("never arrived",)]


def test_check_finds_a_void_reason_changed_by_hand(cli: Cli, requested: int) -> None:
    cli.ok("void", str(requested), "C2", "--reason", "duplicate")
    assert cli.ok("check").stdout.startswith("No problems found")
    for statement in (
        "UPDATE contacts SET void_reason = 'forged' WHERE void_reason IS NOT NULL",
        "UPDATE contacts SET void_reason = NULL",
        "UPDATE refunds SET void_reason = 'hidden by hand'",
    ):
        conn = sqlite3.connect(cli.db, isolation_level=None)
        conn.execute("UPDATE contacts SET void_reason = 'duplicate' WHERE id = 2")
        conn.execute("UPDATE refunds SET void_reason = NULL")
        conn.execute(statement)
        conn.close()
        r = cli.run("check")
        assert r.exit_code == 1, (statement, r.stdout)
        assert "differs from its history in void_reason" in r.stdout, r.stdout


def test_void_refusals(cli: Cli, requested: int) -> None:
    cid = str(requested)
    cli.fails("void", cid, "C9", "--reason", "x", contains="C1, C2, R1, E1")
    cli.fails("void", cid, "Q1", "--reason", "x", contains="Not a row label: Q1")
    cli.fails("void", cid, "C", "--reason", "x", contains="Not a row label")
    cli.fails("void", cid, "C1", "--reason", "   ", contains="--reason")
    cli.fails("void", cid, "C1", "--reason", "", contains="--reason")
    cli.fails("void", cid, "C1", contains="--reason")
    cli.fails("void", "99", "C1", "--reason", "x", contains="No case #99")
    cli.fails("void", "abc", "C1", "--reason", "x", contains="Not a case id")
    cli.fails("unvoid", cid, "C1", contains="C1 of #1 is not void")
    cli.ok("void", cid, "C1", "--reason", "dup")
    cli.fails("void", cid, "C1", "--reason", "again", contains="already void (dup)")
    cli.fails("unvoid", cid, "P1", contains="C1, C2, R1, E1")
    empty = add(cli, "--no-condition")
    cli.fails("void", str(empty), "C1", "--reason", "x", contains="has no recorded rows")
    r = cli.run("void", cid, "C9", "--reason", "x", lang="zh")
    assert r.exit_code != 0 and "C1, C2, R1, E1" in r.stderr
    assert "No row" not in r.stderr  # translated


def test_help_of_the_new_commands_has_examples_in_both_languages(cli: Cli) -> None:
    for args in (("void",), ("unvoid",), ("evidence", "restore")):
        en = cli.ok(*args, "--help").stdout
        zh = cli.ok(*args, "--help", lang="zh").stdout
        assert "depositctl " + " ".join(args) in en
        assert en != zh
    assert "--again" in cli.ok("contact", "--help").stdout


# -- duplicates -----------------------------------------------------------------------------


def test_the_same_contact_twice_is_refused_naming_it(cli: Cli, requested: int) -> None:
    cid = str(requested)
    # "2025-05-06T10:30" is the contact entered as "2025-05-06 10:30"
    same = ("contact", cid, "--on", "2025-05-06T10:30", "--channel", "phone", "--ticket", "T-0506")
    cli.fails(*same, contains="C1")
    r = cli.run(*same, lang="zh")
    assert r.exit_code != 0 and "C1" in r.stderr and "--again" in r.stderr
    # another time, channel or ticket is another contact
    cli.ok("contact", cid, "--on", "2025-05-06T11:30", "--channel", "phone", "--ticket", "T-0506")
    cli.ok("contact", cid, "--on", "2025-05-06T10:30", "--channel", "phone", "--ticket", "T-2")
    cli.ok(*same, "--again")
    assert [c["label"] for c in show(cli, requested)["contacts"]] == [
        "C1",  # 10:30
        "C4",  # 10:30, ticket T-2
        "C5",  # 10:30, --again
        "C3",  # 11:30
        "C2",  # 2025-06-02
    ]
    # a void contact does not block entering it again
    cli.ok("void", cid, "C5", "--reason", "entered twice")
    cli.ok("void", cid, "C1", "--reason", "entered twice")
    cli.ok(*same)


def test_the_same_evidence_file_twice_is_refused_naming_it(
    cli: Cli, requested: int, tmp_path: Path
) -> None:
    cid = str(requested)
    copy = tmp_path / "renamed.png"
    copy.write_bytes((tmp_path / "截图-void.png").read_bytes())
    cli.fails("evidence", "add", cid, str(copy), "--kind", "chat", contains="evidence E1 of #1")
    new = tmp_path / "new.txt"
    new.write_text("另一份证据", encoding="utf-8")
    cli.fails("evidence", "add", cid, str(new), str(new), "--kind", "chat", contains="give it once")
    # the same file is fine as evidence of another case
    other = add(cli, "--no-condition")
    cli.ok("evidence", "add", str(other), str(copy), "--kind", "chat")
    # and again once the first record is void
    cli.ok("void", cid, "E1", "--reason", "wrong case")
    cli.ok("evidence", "add", cid, str(copy), "--kind", "chat")
    assert [e["label"] for e in show(cli, requested)["evidence"]] == ["E1", "E2"]


def test_a_serial_already_on_an_open_case_is_warned(cli: Cli, requested: int) -> None:
    r = cli.run(
        "add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05",
        "--serial", "sn-v1",
    )  # fmt: skip
    assert r.exit_code == 0
    assert "Case #2 added." in r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "#1" in lines[0] and "sn-v1" in lines[0], r.stderr
    assert len(cli.ok("status", "--json", "--all").json()) == 2  # still added
    zh = cli.run(
        "add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05",
        "--serial", "SN-V1", lang="zh",
    )  # fmt: skip
    assert zh.exit_code == 0 and "#1, #2" in zh.stderr and "Warning" not in zh.stderr
    # a closed case does not count
    cli.ok("close", "1", "--reason", "withdrawn")
    cli.ok("close", "2", "--reason", "withdrawn")
    cli.ok("close", "3", "--reason", "withdrawn")
    cli.ok("add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05",
           "--serial", "SN-V1")  # fmt: skip


# -- evidence restore -----------------------------------------------------------------------


def test_check_advises_restore_and_restore_keeps_one_record(
    cli: Cli, requested: int, tmp_path: Path
) -> None:
    original = tmp_path / "截图-void.png"
    store = cli.db.parent / "evidence"
    blob = next(p for p in store.glob("*/*") if p.read_bytes() == original.read_bytes())
    blob.unlink()
    r = cli.run("check")
    assert r.exit_code == 1
    assert "depositctl evidence restore 1 E1 FILE" in r.stdout, r.stdout
    assert "add the original" not in r.stdout
    wrong = tmp_path / "wrong.png"
    wrong.write_bytes(b"not it")
    cli.fails("evidence", "restore", "1", "E1", str(wrong), contains="not the original of E1")
    cli.fails("evidence", "restore", "1", "E7", str(original), contains="E1")
    cli.fails("evidence", "restore", "1", "X1", str(original), contains="Not a row label")
    cli.fails("evidence", "restore", "1", "E1", str(tmp_path / "nope"), contains="No such file")
    before = cli.snapshot()
    out = cli.ok("evidence", "restore", "1", "E1", str(original)).stdout
    assert "back in the store" in out
    assert blob.read_bytes() == original.read_bytes()
    assert cli.snapshot() == before  # no second record
    assert cli.ok("check").stdout.startswith("No problems found")
    assert "already in the store" in cli.ok("evidence", "restore", "1", "E1", str(original)).stdout


# -- export and import ----------------------------------------------------------------------


def test_export_import_round_trip_keeps_void_rows(cli: Cli, tmp_path: Path) -> None:
    ids = populate(cli, tmp_path)
    cli.ok("void", str(ids[1]), "R1", "--reason", "bank reversed it")
    cli.ok("void", str(ids[0]), "E2", "--reason", "not about this case")
    cli.ok("unvoid", str(ids[0]), "E2")
    cli.ok("void", str(ids[0]), "C1", "--reason", "wrong date")
    out = tmp_path / "out.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["void_reason"] for r in data["refunds"]] == ["bank reversed it"]
    assert [r["void_reason"] for r in data["contacts"]] == ["wrong date", None]
    new = tmp_path / "restored" / "ledger.db"
    old_folder = cli.db.parent
    cli.ok("--db", str(new), "import", str(out), "--evidence-from", str(old_folder))
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    for i in ids:
        assert cli.ok("--db", str(new), "show", "--json", str(i)).json() == show(cli, i)
    assert (
        cli.ok("--db", str(new), "status", "--json", "--all").json()
        == cli.ok("status", "--json", "--all").json()
    )
    # a void entry of a forged export is caught before anything is written
    forged = json.loads(out.read_text(encoding="utf-8"))
    forged["refunds"][0]["void_reason"] = None
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    r = cli.run("--db", str(tmp_path / "other" / "ledger.db"), "import", str(bad))
    assert r.exit_code != 0 and "Traceback" not in r.stderr
