"""`check` and `evidence verify`: every edit behind depositctl's back is found."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from depositctl.store.rows import history_hash
from tests.conftest import Cli
from tests.test_exchange import populate


@pytest.fixture
def ids(cli: Cli, tmp_path: Path) -> list[int]:
    return populate(cli, tmp_path)


def sql(cli: Cli, *statements: str) -> None:
    """Change the ledger as a user with the sqlite3 shell would (foreign keys off)."""
    conn = sqlite3.connect(cli.db, isolation_level=None)
    for s in statements:
        conn.execute(s)
    conn.close()


def problems(cli: Cli) -> list[str]:
    r = cli.run("check")
    assert r.exit_code == 1, r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    assert "problem" in r.stderr
    lines = [x for x in r.stdout.splitlines() if ": note: " not in x]
    for line in lines:
        assert line.startswith(("#", "ledger: ")), line
    return lines


def test_a_clean_ledger_passes(cli: Cli, ids: list[int]) -> None:
    r = cli.ok("check")
    assert r.stdout.startswith("No problems found (3 cases,")
    data = cli.ok("check", "--json").json()
    assert data["ok"] is True and data["problems"] == [] and len(data["head"]) == 64
    assert cli.ok("evidence", "verify").stdout.startswith("All 2 evidence files")
    assert cli.ok("evidence", "verify", str(ids[1])).stdout.startswith("All 0 evidence files")


def test_the_empty_ledger_passes(cli: Cli) -> None:
    assert cli.ok("check").stdout.startswith("No problems found (0 cases")


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE cases SET amount_fen = 100 WHERE id = 1",
            "#1: case 1 differs from its history in amount_fen",
        ),
        (
            "UPDATE cases SET serial = 'SN1' WHERE id = 1",
            "#1: case 1 differs from its history in serial",
        ),
        (
            "UPDATE cases SET closed_on = NULL WHERE id = 3",
            "#3: case 3 differs from its history in closed_on",
        ),
        (
            "UPDATE contacts SET outcome = 'refused' WHERE id = 1",
            "#1: contact 1 differs from its history in outcome",
        ),
        (
            "UPDATE contacts SET case_id = 2 WHERE id = 1",
            "contact 1 differs from its history in case_id",
        ),
        ("UPDATE progress SET volume_fen = 1 WHERE id = 1", "#1: progress entry 1 differs"),
        (
            "UPDATE refunds SET amount_fen = 29900 WHERE id = 1",
            "#2: refund 1 differs from its history in amount_fen",
        ),
        ("DELETE FROM refunds WHERE id = 1", "#2: refund 1 is in the history but gone"),
        (
            "INSERT INTO refunds (case_id, on_date, amount_fen) VALUES (1, '2025-01-01', 5)",
            "#1: refund 2 is not in the history",
        ),
        (
            "UPDATE evidence SET sha256 = 'ab' || substr(sha256, 3) WHERE id = 1",
            "#1: evidence record 1 differs",
        ),
        (
            "UPDATE evidence SET name = 'other.txt' WHERE id = 1",
            "#1: evidence record 1 differs from its history in name",
        ),
        (
            "UPDATE profile SET phone = '13900000000'",
            "ledger: the profile differs from its history",
        ),
        ("UPDATE settings SET value = '1'", "ledger: the setting grace_days differs"),
        ("DELETE FROM contacts WHERE id = 2", "#2: contact 2 is in the history but gone"),
        (
            "UPDATE history SET changes = replace(changes, 'SN1-fixed', 'SN1-forged') WHERE action = 'edit'",
            "history entry",
        ),
        ("DELETE FROM history WHERE id = 3", "does not follow the one before it"),
        (
            "UPDATE history SET at = '2020-01-01T00:00:00+00:00' WHERE id = 2",
            "history entry 2 was changed",
        ),
        ("DELETE FROM cases WHERE id = 3", "points to a missing row of cases"),
    ],
)
def test_an_edit_behind_the_tools_back_is_found(
    cli: Cli, ids: list[int], statement: str, expected: str
) -> None:
    sql(cli, statement)
    lines = problems(cli)
    assert any(expected in line for line in lines), lines


def test_a_rechained_history_still_does_not_hide_a_changed_fact(cli: Cli, ids: list[int]) -> None:
    """Changing a row and recomputing the whole chain is found by replaying the history."""
    sql(cli, "UPDATE cases SET paid_on = '2025-01-01' WHERE id = 1")
    conn = sqlite3.connect(cli.db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    prev = None
    for row in conn.execute("SELECT * FROM history ORDER BY id").fetchall():
        h = history_hash(prev, dict(row))
        conn.execute(
            "UPDATE history SET prev_hash = ?, hash = ? WHERE id = ?", [prev, h, row["id"]]
        )
        prev = h
    conn.close()
    assert problems(cli) == [
        "#1: case 1 differs from its history in paid_on (changed outside depositctl)"
    ]


def test_a_delivery_date_changed_before_the_next_delivered_is_found(
    cli: Cli, ids: list[int]
) -> None:
    b = str(ids[1])
    cli.ok("sent", b, "--to", "provider", "--on", "2025-06-10", "--via", "ems")
    cli.ok("delivered", b, "C2", "--on", "2025-06-12")
    assert cli.ok("check").stdout.startswith("No problems found")
    sql(cli, "UPDATE contacts SET delivered_on = '2025-06-11' WHERE letter = 'provider'")
    cli.ok("delivered", b, "C2", "--on", "2025-06-13")
    lines = problems(cli)
    assert any(
        "delivered_on had been changed outside depositctl before history entry" in x for x in lines
    ), lines


def test_an_edit_then_a_tool_change_is_still_found(cli: Cli, ids: list[int]) -> None:
    sql(cli, "UPDATE cases SET serial = 'FORGED' WHERE id = 1")
    cli.ok("edit", "1", "--serial", "SN1-again")
    lines = problems(cli)
    assert any(
        "serial had been changed outside depositctl before history entry" in x for x in lines
    )


def test_evidence_file_changed_or_missing(cli: Cli, ids: list[int]) -> None:
    store = cli.db.parent / "evidence"
    blobs = sorted(p for p in store.glob("*/*") if p.parent.name != "tmp")
    blobs[0].chmod(0o600)
    with open(blobs[0], "ab") as fh:
        fh.write(b"x")
    blobs[1].unlink()
    lines = problems(cli)
    assert any("has changed in the store" in x for x in lines), lines
    assert any("is missing from the store" in x for x in lines), lines
    r = cli.run("evidence", "verify")
    assert r.exit_code == 1 and len(r.stdout.splitlines()) == 2


def test_a_folder_in_place_of_an_evidence_file(cli: Cli, ids: list[int]) -> None:
    store = cli.db.parent / "evidence"
    blob = next(p for p in store.glob("*/*") if p.parent.name != "tmp")
    blob.unlink()
    blob.mkdir()
    assert any("missing from the store" in x for x in problems(cli))


def test_loose_permissions_are_found(cli: Cli, ids: list[int]) -> None:
    folder = cli.db.parent
    folder.chmod(0o755)
    blob = next(p for p in (folder / "evidence").glob("*/*") if p.parent.name != "tmp")
    blob.chmod(0o644)
    lines = problems(cli)
    assert any("can be read by other users (mode 755, should be 700)" in x for x in lines)
    assert any("1 evidence files can be read by other users" in x for x in lines)
    folder.chmod(0o700)


def test_leftovers_of_a_killed_command_are_notes_and_swept(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    tmp = cli.db.parent / "evidence" / "tmp"
    tmp.mkdir(exist_ok=True)
    dead = tmp / "999999999-abcdef"  # no such process
    (tmp / ("9" * 30 + "-x")).write_bytes(b"")  # not even a possible process id
    (tmp / ("9" * 30 + "-x")).chmod(0o600)
    dead.write_bytes(b"half a recording")
    live = tmp / f"{os.getpid()}-abcdef"  # a copy in progress: left alone
    live.write_bytes(b"in progress")
    orphan = cli.db.parent / "evidence" / "00" / ("00" * 32)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"x")
    for p in (dead, live, orphan):
        p.chmod(0o600)
    r = cli.ok("check")
    notes = [x for x in r.stdout.splitlines() if ": note: " in x]
    assert len(notes) == 3, r.stdout
    assert "999999999-abcdef" in notes[0] and "half-written copy" in notes[0]
    assert "no evidence record uses" in notes[2]
    assert "No problems found" in r.stdout
    f = tmp_path / "more.txt"
    f.write_text("more")
    cli.ok("evidence", "add", str(ids[0]), str(f), "--kind", "other")
    assert not dead.exists() and live.exists()
    assert sorted(p.name for p in tmp.iterdir()) == [live.name]


def test_a_missing_column_is_found(cli: Cli, ids: list[int]) -> None:
    sql(cli, "ALTER TABLE contacts DROP COLUMN ticket")
    assert "ledger: column ticket of table contacts is missing" in problems(cli)


def test_a_damaged_database_file_is_one_clear_line(cli: Cli, ids: list[int]) -> None:
    data = bytearray(cli.db.read_bytes())
    for i in range(4096, min(len(data), 4096 * 6)):
        data[i] = 0xA5
    (cli.db.parent / "ledger.db-wal").unlink(missing_ok=True)
    cli.db.write_bytes(bytes(data))
    r = cli.run("check")
    assert r.exit_code != 0
    assert "Traceback" not in r.stdout + r.stderr
    out = r.stdout + r.stderr
    assert "damaged" in out or "not a depositctl ledger" in out


def test_legacy_profile_entries_without_a_digest_are_accepted(cli: Cli, ids: list[int]) -> None:
    """Ledgers written before the digest was logged pass (their profile is unverifiable)."""
    conn = sqlite3.connect(cli.db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    prev = None
    for row in conn.execute("SELECT * FROM history ORDER BY id").fetchall():
        r = dict(row)
        if r["action"] == "profile":
            changes = json.loads(r["changes"])
            changes.pop("digest")
            r["changes"] = json.dumps(changes, ensure_ascii=False, sort_keys=True)
        h = history_hash(prev, r)
        conn.execute(
            "UPDATE history SET changes = ?, prev_hash = ?, hash = ? WHERE id = ?",
            [r["changes"], prev, h, r["id"]],
        )
        prev = h
    count = conn.execute("SELECT count(*) FROM history").fetchone()[0]
    conn.close()
    from depositctl.store.ledger import write_head

    write_head(cli.db, count, prev)  # as that ledger's last commit left it
    assert cli.ok("check").stdout.startswith("No problems found")
    cli.ok("profile", "set", "--phone", "13700000000")
    assert cli.ok("check").stdout.startswith("No problems found")
    sql(cli, "UPDATE profile SET name = 'x'")
    assert problems(cli) == [
        "ledger: the profile differs from its history (changed outside depositctl)"
    ]


def test_check_in_chinese(cli: Cli, ids: list[int]) -> None:
    sql(cli, "UPDATE cases SET amount_fen = 100 WHERE id = 1")
    r = cli.run("check", lang="zh")
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    assert r.stdout.startswith("#1: ")


def test_restoring_the_original_repairs_a_damaged_file_without_a_second_record(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    original = tmp_path / "首刷 凭证.txt"  # written by populate()
    store = cli.db.parent / "evidence"
    blob = next(p for p in store.glob("*/*") if p.read_bytes() == original.read_bytes())
    blob.write_bytes(b"forged")
    advice = [x for x in problems(cli) if "has changed in the store" in x]
    assert len(advice) == 1 and f"depositctl evidence restore {ids[0]} E1 FILE" in advice[0]
    # adding it again would list it twice in every letter: refused, naming the record
    cli.fails("evidence", "add", str(ids[0]), str(original), "--kind", "receipt", contains="E1")
    cli.ok("evidence", "restore", str(ids[0]), "E1", str(original))
    assert blob.read_bytes() == original.read_bytes()
    assert cli.ok("check").stdout.startswith("No problems found")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases SET paid_on = 'garbage' WHERE id = 1",
        "UPDATE cases SET amount_fen = 'abc' WHERE id = 1",
        "UPDATE cases SET amount_fen = x'00ff' WHERE id = 1",
        "UPDATE cases SET refund_within = 'zz' WHERE id = 1",
        "UPDATE contacts SET on_date = 'x' WHERE id = 1",
        "UPDATE refunds SET amount_fen = 1.5 WHERE id = 1",
        "UPDATE history SET changes = '{' WHERE id = 4",
        "UPDATE history SET changes = x'7b7d' WHERE id = 4",
    ],
)
def test_unreadable_values_are_one_clear_line_everywhere(
    cli: Cli, ids: list[int], statement: str
) -> None:
    """A value edited by hand into something depositctl cannot read: no traceback, and
    `check` says where."""
    sql(cli, statement)
    for command in (["status", "--all"], ["show", "1"], ["show", "2"], ["agenda"], ["export"]):
        r = cli.run(*command)
        assert "Traceback" not in r.stdout + r.stderr
        if r.exit_code != 0:
            assert len(r.stderr.strip().splitlines()) == 1, r.stderr
            assert "cannot read" in r.stderr, r.stderr
    assert problems(cli)
