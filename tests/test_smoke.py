"""A first walk through the everyday commands."""

from tests.conftest import Cli


def test_add_progress_contact_status(cli: Cli, case_id: int) -> None:
    cli.ok("progress", str(case_id), "--on", "2025-04-20", "--volume", "51000", "--count", "80")
    cli.ok(
        "contact", f"#{case_id}", "--on", "2025-06-01T10:00", "--channel", "phone", "--ticket", "T1"
    )
    rows = cli.ok("status", "--json").json()
    assert [r["id"] for r in rows] == [case_id]
    assert rows[0]["state"] == "overdue"
    assert rows[0]["condition_met_on"] == "2025-04-20"


def test_unknown_case_is_a_clean_failure(cli: Cli) -> None:
    cli.fails("show", "42", contains="No case #42")


def test_contact_with_evidence_links_the_files(cli: Cli, case_id: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shot = tmp_path / "客服截图.png"
    shot.write_bytes(b"\x89PNG fake screenshot")
    cli.ok(
        "contact",
        str(case_id),
        "--on",
        "2025-06-01",
        "--channel",
        "chat",
        "--ticket",
        "T9",
        "--evidence",
        str(shot),
    )
    shown = cli.ok("show", str(case_id), "--json").json()
    (contact,) = shown["contacts"]
    (evidence,) = shown["evidence"]
    assert evidence["name"] == "客服截图.png"
    assert evidence["contact_id"] == contact["id"]
    cli.fails(
        "contact",
        str(case_id),
        "--on",
        "2025-06-02",
        "--channel",
        "chat",
        "--evidence",
        str(tmp_path / "missing.png"),
        contains="No such file",
    )


def test_status_table_shows_the_condition_deadline_before_a_refund_is_due(cli: Cli) -> None:
    cli.ok(
        "add",
        "--provider",
        "P有限公司",
        "--amount",
        "299",
        "--paid-on",
        "2026-10-01",
        "--activated-on",
        "2026-10-02",
        "--condition-volume",
        "50000",
        "--condition-days",
        "90",
    )
    assert "cond. 2026-12-31" in cli.ok("status").stdout
    assert "达标 2026-12-31" in cli.ok("status", lang="zh").stdout


def test_pending_refund_names_the_follow_up_first(cli: Cli) -> None:
    r = cli.ok(
        "add",
        "--provider",
        "P有限公司",
        "--amount",
        "99",
        "--paid-on",
        "2026-11-01",
        "--no-condition",
    )
    cid = r.stdout.split("#")[1].split()[0]
    cli.ok("contact", cid, "--on", "2026-11-20", "--channel", "email", "--refund-request")
    (row,) = cli.ok("status", "--json").json()
    assert row["next_action_code"] == "follow_up_then_wait"
    assert row["next_deadline"] == "2026-11-27"  # the email + 7 days, before the due date
    assert "2026-11-27" in row["next_action"] and "2026-12-05" in row["next_action"]
    (later,) = cli.ok("--today", "2026-11-28", "status", "--json").json()
    assert later["next_action_code"] == "wait_refund"
    assert later["next_deadline"] == "2026-12-05"
