"""Issue 13, tamper evidence and planted SQL.

- The newest history entry (and its fact) deleted or rewritten, with the chain re-hashed:
  the head file beside the ledger (`ledger.db.head`, written on every commit) no longer
  matches, and `check` says so. Every letter footer and bundle manifest prints the head.
- A trigger or view planted with sqlite3: `check` names it, and a write refuses to run
  (one line naming the objects and `depositctl check`), so the planted SQL never runs.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from depositctl.store.rows import history_hash
from tests.conftest import Cli
from tests.test_exchange import populate


@pytest.fixture
def ids(cli: Cli, tmp_path: Path) -> list[int]:
    return populate(cli, tmp_path)


def sql(cli: Cli, *statements: str) -> None:
    conn = sqlite3.connect(cli.db, isolation_level=None)
    for s in statements:
        conn.execute(s)
    conn.close()


def head_file(cli: Cli) -> Path:
    return Path(f"{cli.db}.head")


def check_lines(cli: Cli) -> list[str]:
    r = cli.run("check")
    assert r.exit_code == 1, r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    return [x for x in r.stdout.splitlines() if ": note: " not in x]


def rechain_ledger(cli: Cli) -> None:
    """Re-hash the whole history chain in the ledger, as a forger would."""
    conn = sqlite3.connect(cli.db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    prev = None
    for row in conn.execute("SELECT * FROM history ORDER BY id").fetchall():
        h = dict(row)
        h["prev_hash"] = prev
        new = history_hash(prev, h)
        conn.execute(
            "UPDATE history SET prev_hash = ?, hash = ? WHERE id = ?", [prev, new, h["id"]]
        )
        prev = new
    conn.close()


# -- the head file --------------------------------------------------------------------------
def test_every_commit_writes_the_head_file(cli: Cli, ids: list[int]) -> None:
    conn = sqlite3.connect(cli.db)
    count, last = conn.execute(
        "SELECT count(*), (SELECT hash FROM history ORDER BY id DESC LIMIT 1) FROM history"
    ).fetchone()
    conn.close()
    head = json.loads(head_file(cli).read_text(encoding="utf-8"))
    assert head["count"] == count and head["head"] == last
    assert head_file(cli).stat().st_mode & 0o077 == 0
    cli.ok("refund", str(ids[0]), "--amount", "1", "--on", "2025-08-01")
    assert json.loads(head_file(cli).read_text(encoding="utf-8"))["count"] == count + 1
    cli.ok("check")


def test_deleting_the_newest_entry_and_its_fact_is_found(cli: Cli, ids: list[int]) -> None:
    cli.ok("refund", str(ids[0]), "--amount", "5", "--on", "2025-08-01")
    sql(
        cli,
        "DELETE FROM refunds WHERE id = (SELECT max(id) FROM refunds)",
        "DELETE FROM history WHERE id = (SELECT max(id) FROM history)",
    )
    lines = check_lines(cli)
    assert any("head" in x and "ledger.db.head" in x for x in lines), lines


def test_rewriting_the_newest_entry_and_its_fact_is_found(cli: Cli, ids: list[int]) -> None:
    cli.ok("refund", str(ids[0]), "--amount", "5", "--on", "2025-08-01")
    conn = sqlite3.connect(cli.db, isolation_level=None)
    rid, hid, changes = conn.execute(
        "SELECT r.id, h.id, h.changes FROM refunds r, history h "
        "WHERE r.id = (SELECT max(id) FROM refunds) AND h.id = (SELECT max(id) FROM history)"
    ).fetchone()
    forged = json.loads(changes)
    forged["amount_fen"] = 29900
    conn.execute("UPDATE refunds SET amount_fen = 29900 WHERE id = ?", [rid])
    conn.execute("UPDATE history SET changes = ? WHERE id = ?", [json.dumps(forged), hid])
    conn.close()
    rechain_ledger(cli)
    lines = check_lines(cli)
    assert any("ledger.db.head" in x for x in lines), lines


def test_a_missing_head_file_is_reported(cli: Cli, ids: list[int]) -> None:
    """A note (an older depositctl wrote no head file), rewritten by the next change."""
    head_file(cli).unlink()
    r = cli.ok("check")
    assert any("ledger.db.head" in x and "missing" in x for x in r.stdout.splitlines()), r.stdout
    cli.ok("refund", str(ids[0]), "--amount", "1", "--on", "2025-08-01")
    assert head_file(cli).exists()
    assert "ledger.db.head" not in cli.ok("check").stdout


def test_the_letter_footer_and_bundle_manifest_carry_the_head(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    head = json.loads(head_file(cli).read_text(encoding="utf-8"))
    r = cli.run("letter", str(ids[0]), "--to", "provider")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert f"{head['count']}" in text and head["head"][:12] in text
    assert text.rstrip().splitlines()[-1].count(head["head"][:12]) == 1
    out = tmp_path / "b.zip"
    r = cli.run("bundle", str(ids[0]), "-o", str(out), "--to", "provider")
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["ledger_head"] == {"count": head["count"], "hash": head["head"]}
        assert head["head"][:12] in zf.read("manifest.txt").decode("utf-8")


# -- planted SQL ----------------------------------------------------------------------------
SPY = (
    "CREATE TABLE spy (name TEXT, phone TEXT)",
    "CREATE TRIGGER spy_profile AFTER UPDATE ON profile BEGIN "
    "INSERT INTO spy VALUES (new.name, new.phone); END",
    "CREATE TRIGGER spy_case AFTER INSERT ON cases BEGIN "
    "INSERT INTO spy SELECT name, phone FROM profile; END",
)
SETTINGS_VIEW = (
    "ALTER TABLE settings RENAME TO settings_old",
    "CREATE VIEW settings AS SELECT key, value FROM settings_old",
)
NO_REFUND = (
    "CREATE TRIGGER no_refund BEFORE INSERT ON refunds BEGIN "
    "SELECT RAISE(ABORT, 'refunds are not allowed'); END",
)


@pytest.mark.parametrize(
    ("statements", "names"),
    [
        (SPY, ("spy", "spy_profile", "spy_case")),
        (SETTINGS_VIEW, ("settings",)),
        (NO_REFUND, ("no_refund",)),
    ],
    ids=["spy-trigger", "settings-view", "refund-trigger"],
)
def test_planted_sql_is_named_by_check_and_blocks_writes(
    cli: Cli, ids: list[int], statements: tuple[str, ...], names: tuple[str, ...]
) -> None:
    sql(cli, *statements)
    lines = check_lines(cli)
    for name in names:
        assert any(name in x for x in lines), (name, lines)
    for args in (
        ("profile", "set", "--phone", "13900001111"),
        ("add", "--provider", "X公司", "--amount", "99", "--paid-on", "2025-03-05"),
        ("refund", str(ids[0]), "--amount", "1", "--on", "2025-08-01"),
    ):
        r = cli.fails(*args, contains="depositctl check")
        assert names[0] in r.stderr, r.stderr
    conn = sqlite3.connect(cli.db)
    if names[0] == "spy":
        assert conn.execute("SELECT count(*) FROM spy").fetchone()[0] == 0
    conn.close()


def test_the_expected_objects_are_the_migrated_schema() -> None:
    from depositctl.store.migrations import EXPECTED_OBJECTS, reference_schema, schema_objects

    conn = reference_schema()
    try:
        assert schema_objects(conn) == EXPECTED_OBJECTS
    finally:
        conn.close()


def test_a_dropped_cache_trigger_is_named_and_status_reads_the_facts(
    cli: Cli, ids: list[int]
) -> None:
    """Attack (session 4): with the cache's update trigger dropped, an edit made with
    sqlite3 left `status` showing the old outstanding amount, and `check` was clean."""
    cli.ok("status", "--json")  # the cache is filled
    before = {i["id"]: i for i in json.loads(cli.ok("status", "--json", "--all").stdout)}
    case = ids[0]
    sql(
        cli,
        "DROP TRIGGER cases_derived_upd",
        f"UPDATE cases SET amount_fen = amount_fen + 50000 WHERE id = {case}",
    )
    lines = check_lines(cli)
    assert any("trigger cases_derived_upd is missing" in x for x in lines), lines
    r = cli.fails("add", "--provider", "X公司", "--amount", "99", "--paid-on", "2025-03-05")
    assert "cases_derived_upd" in r.stderr and "depositctl check" in r.stderr
    after = {i["id"]: i for i in json.loads(cli.ok("status", "--json", "--all").stdout)}
    assert after[case]["amount"] != before[case]["amount"]
    assert after[case]["outstanding"] != before[case]["outstanding"]  # not the stale row
