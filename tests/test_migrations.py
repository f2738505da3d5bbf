"""Migrations: a ledger from the first released schema opens, migrates and keeps every
fact; a ledger from a newer depositctl is refused, untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from depositctl.store.check import table_columns
from depositctl.store.ledger import SCHEMA_VERSION, open_ledger
from depositctl.store.migrations import migrations
from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"
#: Keys of `show --json` that are stored facts (the rest is computed and may change
#: with the rule table or the calendar, which is not what this test is about).
FACT_KEYS = (
    "id",
    "provider",
    "brand",
    "serial",
    "amount",
    "refunded",
    "outstanding",
    "model",
    "merchant_no",
    "paid_on",
    "paid_via",
    "agent_name",
    "agent_phone",
    "activated_on",
    "condition",
    "refund_within",
    "promised_refund_on",
    "returned_on",
    "closed_on",
    "close_reason",
    "note",
    "progress",
    "evidence",
    "refunds",
    "history",
)
CONTACT_FACTS = ("id", "on", "time", "channel", "to", "ticket", "outcome", "promised_by", "summary")


def install_v1(folder: Path) -> Path:
    """The fixture as a user would have it: folder 0700, files 0600."""
    shutil.copytree(FIXTURES / "v1", folder)
    folder.chmod(0o700)
    for p in folder.rglob("*"):
        p.chmod(0o700 if p.is_dir() else 0o600)
    return folder / "ledger.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def facts(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: item[k] for k in FACT_KEYS}
    out["contacts"] = [{k: c[k] for k in CONTACT_FACTS} for c in item["contacts"]]
    out["history"] = [{k: h[k] for k in ("id", "at", "action", "changes")} for h in item["history"]]
    return out


def test_the_fixture_is_the_first_schema() -> None:
    conn = sqlite3.connect(f"file:{FIXTURES / 'v1' / 'ledger.db'}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert names == ["m001_initial"]
    conn.close()


def test_a_v1_ledger_opens_migrates_and_keeps_every_fact(cli: Cli, tmp_path: Path) -> None:
    db = install_v1(tmp_path / "old")
    expected = json.loads((FIXTURES / "v1-expected.json").read_text(encoding="utf-8"))
    shown = [
        cli.ok("--db", str(db), "show", "--json", str(c["id"])).json() for c in expected["cases"]
    ]
    assert [facts(s) for s in shown] == [facts(c) for c in expected["cases"]]
    profile = cli.ok("--db", str(db), "profile", "show", "--json").json()
    assert {k: profile[k] for k in expected["profile"]} == expected["profile"]
    assert profile["grace_days"] == 20
    ids = [r["id"] for r in cli.ok("--db", str(db), "status", "--json", "--all").json()]
    assert sorted(ids) == [c["id"] for c in expected["cases"]]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    conn.close()
    assert applied == [m.name for m in migrations._migrations]
    # the old history (profile entries without a digest) verifies, and writing goes on
    assert cli.ok("--db", str(db), "check").stdout.startswith("No problems found")
    cli.ok("--db", str(db), "refund", "1", "--amount", "99", "--on", "2026-11-01")
    cli.ok("--db", str(db), "profile", "set", "--email", "new@example.com")
    assert cli.ok("--db", str(db), "check").stdout.startswith("No problems found")


def test_a_v1_ledger_round_trips_through_export(cli: Cli, tmp_path: Path) -> None:
    db = install_v1(tmp_path / "old")
    out = tmp_path / "v1.json"
    cli.ok("--db", str(db), "export", "-o", str(out))
    new = tmp_path / "new" / "ledger.db"
    cli.ok("--db", str(new), "import", str(out), "--evidence-from", str(db.parent))
    for d in (db, new):
        assert cli.ok("--db", str(d), "check").stdout.startswith("No problems found")
    assert (
        cli.ok("--db", str(new), "status", "--json", "--all").json()
        == cli.ok("--db", str(db), "status", "--json", "--all").json()
    )


def test_the_migrated_schema_equals_a_fresh_one(tmp_path: Path) -> None:
    db = install_v1(tmp_path / "old")
    open_ledger(db).close()
    fresh = Database(memory=True)
    migrations.apply(fresh)
    old = sqlite3.connect(db)
    for table in fresh.table_names():
        assert table_columns(old, table) == table_columns(fresh.conn, table), table
    old.close()


@pytest.mark.parametrize(
    "change",
    [
        f"PRAGMA user_version = {SCHEMA_VERSION + 1}",
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('depositctl', 'm999_from_the_future', '2030-01-01')",
    ],
)
def test_a_ledger_from_a_newer_version_is_refused_untouched(
    cli: Cli, tmp_path: Path, change: str
) -> None:
    db = install_v1(tmp_path / "future")
    conn = sqlite3.connect(db)
    conn.execute(change)
    conn.commit()
    conn.close()
    before = digest(db)
    for command in (
        ["status"],
        ["add", "--provider", "x", "--amount", "1", "--paid-on", "2025-01-01"],
        ["check"],
        ["export"],
    ):
        r = cli.run("--db", str(db), *command)
        assert r.exit_code == 4, r.stdout
        assert "written by a newer depositctl" in r.stderr and "not changed" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert digest(db) == before
    assert not Path(f"{db}-wal").exists()


def test_not_a_ledger_is_refused_untouched(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "notes.db"
    f.write_bytes(b"just some text, not SQLite" * 100)
    before = digest(f)
    r = cli.run("--db", str(f), "check")
    assert r.exit_code == 4 and "not a depositctl ledger" in r.stderr
    assert digest(f) == before
