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
