"""Migrations: a ledger from the first released schema opens, migrates and keeps every
fact; a ledger from a newer depositctl is refused, untouched."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from depositctl.core.errors import LedgerError
from depositctl.store import ledger as ledger_module
from depositctl.store.ledger import SCHEMA_VERSION, open_ledger
from depositctl.store.migrations import (
    m001_initial,
    m002_providers,
    m003_record,
    migrate,
    migration_names,
    migrations,
    table_columns,
)
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
    "refunds",
    "history",
)
CONTACT_FACTS = ("id", "on", "time", "channel", "to", "ticket", "outcome", "promised_by", "summary")
EVIDENCE_FACTS = ("id", "name", "kind", "size", "sha256", "added_on", "note", "contact_id")


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
    for rows in ("progress", "refunds"):  # as in v1, without issue 9's label/void
        out[rows] = [{k: v for k, v in r.items() if k not in ("label", "void")} for r in out[rows]]
    out["contacts"] = [{k: c[k] for k in CONTACT_FACTS} for c in item["contacts"]]
    out["evidence"] = [{k: e[k] for k in EVIDENCE_FACTS} for e in item["evidence"]]
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
    for s in shown:  # every v1 row gets a label, in order of entry, and is in force
        for key, prefix in (("contacts", "C"), ("progress", "P"), ("evidence", "E")):
            rows = sorted(s[key], key=lambda r: r["id"])
            assert [r["label"] for r in rows] == [f"{prefix}{i}" for i in range(1, len(rows) + 1)]
            assert all(r["void"] is None for r in rows)
    # what m003 added is empty on a v1 case
    assert {(s["agent_company"], s["paid_to"]) for s in shown} == {(None, None)}
    assert {e["dated_on"] for s in shown for e in s["evidence"]} == {None}
    # what m004 added is empty on a v1 contact
    m004 = ("reason", "letter", "via", "tracking", "delivered_on")
    assert {c[k] for s in shown for c in s["contacts"] for k in m004} == {None}
    profile = cli.ok("--db", str(db), "profile", "show", "--json").json()
    assert {k: profile[k] for k in expected["profile"]} == expected["profile"]
    assert profile["grace_days"] == 20
    ids = [r["id"] for r in cli.ok("--db", str(db), "status", "--json", "--all").json()]
    assert sorted(ids) == [c["id"] for c in expected["cases"]]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    conn.close()
    assert applied == migration_names()
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


# -- applying: sqlite-utils' public Migrations.apply inside one BEGIN IMMEDIATE -------------
def test_the_schema_version_counts_every_migration_and_each_is_transactional() -> None:
    """`migrate` runs every migration inside its one transaction: a migration registered
    with transactional=False (VACUUM and the like) could not run there."""
    assert migration_names()[0] == "m001_initial"
    assert len(migration_names()) == SCHEMA_VERSION
    every = migrations.pending(Database(memory=True))
    assert [m.name for m in every] == migration_names()
    assert all(m.transactional for m in every)


def newer_set(fail: bool) -> Migrations:
    """This version's migrations, then two more: m002 adds a column and writes a row,
    m003 fails half-way (after a write of its own) when `fail`."""
    steps = Migrations("depositctl")
    steps()(m001_initial)

    @steps()
    def m002_add_a_column(db: Database) -> None:
        db.table("cases").add_column("colour", str)
        db.execute("INSERT INTO settings (key, value) VALUES ('m002', 'ran')")

    @steps()
    def m003_then_fail(db: Database) -> None:
        db.execute("INSERT INTO settings (key, value) VALUES ('m003', 'ran')")
        if fail:
            db.execute("INSERT INTO no_such_table VALUES (1)")

    return steps


def dump(path: Path) -> tuple[int, list[str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump())
    finally:
        conn.close()


def test_a_failing_migration_leaves_the_ledger_as_it_was(tmp_path: Path) -> None:
    db_path = install_v1(tmp_path / "old")
    before = dump(db_path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrate(db, newer_set(fail=True))
    assert not conn.in_transaction
    assert [m.name for m in migrations.applied(db)] == ["m001_initial"]
    conn.close()
    # m002 ran and committed its savepoint, m003 wrote before failing: all undone
    assert dump(db_path) == before
    assert before[0] == 1


def test_the_same_migrations_without_the_failure_apply_together(tmp_path: Path) -> None:
    db_path = install_v1(tmp_path / "old")
    conn = sqlite3.connect(db_path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    steps = newer_set(fail=False)
    migrate(db, steps)
    assert not conn.in_transaction
    assert [m.name for m in migrations.applied(db)] == migration_names(steps)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "colour" in table_columns(conn, "cases")
    assert dict(conn.execute("SELECT key, value FROM settings WHERE key LIKE 'm00%'")) == {
        "m002": "ran",
        "m003": "ran",
    }
    migrate(db, steps)  # nothing pending: nothing happens
    assert conn.execute("SELECT count(*) FROM settings WHERE key = 'm002'").fetchone()[0] == 1
    conn.close()


def test_open_ledger_refuses_a_failing_migration_and_the_ledger_stays_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = install_v1(tmp_path / "old")
    before = dump(db_path)
    monkeypatch.setattr(
        ledger_module, "migrate", functools.partial(migrate, steps=newer_set(fail=True))
    )
    with pytest.raises(LedgerError) as exc:
        open_ledger(db_path)
    assert "no_such_table" in str(exc.value)
    assert dump(db_path) == before
    monkeypatch.undo()
    led = open_ledger(db_path)  # this version's migrations still apply
    led.close()
    assert dump(db_path)[0] == SCHEMA_VERSION


def test_a_ledger_of_the_previous_schema_gains_the_reply_columns(cli: Cli, tmp_path: Path) -> None:
    """A ledger written before m004 (schema 3, a contact recorded then) opens, migrates,
    keeps its contact with the new columns empty, records a letter and passes check."""
    from datetime import date

    from depositctl.core.models import NewCase, NewContact
    from depositctl.store.ledger import Ledger

    path = tmp_path / "three" / "ledger.db"
    path.parent.mkdir(mode=0o700)
    steps = Migrations("depositctl")
    for step in (m001_initial, m002_providers, m003_record):
        steps()(step)
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    migrate(db, steps)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "letter" not in table_columns(conn, "contacts")
    old = Ledger(db, path)
    cid = old.add_case(NewCase(provider="示例支付股份有限公司", amount=Decimal("99.00"),
                               paid_on=date(2025, 3, 5), no_condition=True))  # fmt: skip
    old.add_contact(
        NewContact(case_id=cid, on=date(2025, 4, 1), channel="email", refund_request=True)
    )
    old.close()
    path.chmod(0o600)
    db_arg = ("--db", str(path))
    (c,) = cli.ok(*db_arg, "show", "--json", str(cid)).json()["contacts"]
    assert (c["channel"], c["refund_request"]) == ("email", True)
    assert [c[k] for k in ("reason", "letter", "via", "tracking", "delivered_on")] == [None] * 5
    conn = sqlite3.connect(path)
    columns = table_columns(conn, "contacts")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert {"reason", "letter", "via", "tracking", "delivered_on"} <= set(columns)
    cli.ok(*db_arg, "sent", str(cid), "--to", "provider", "--on", "2026-11-10", "--via", "ems")
    cli.ok(*db_arg, "delivered", str(cid), "C2", "--on", "2026-11-12")
    assert cli.ok(*db_arg, "check").stdout.startswith("No problems found")
