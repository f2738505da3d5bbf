"""What a fully migrated ledger holds, as constants: read by every write, `check` and
the fast path of `status` (depositctl/fast.py), which imports no sqlite_utils.
tests/test_fastpath.py checks `MIGRATIONS` against store.migrations."""

from __future__ import annotations

import sqlite3

#: The migrations of the set, in order (`migration_names()`); their count is the schema
#: version (`PRAGMA user_version`).
MIGRATIONS = (
    "m001_initial",
    "m002_providers",
    "m003_record",
    "m004_replies",
    "m005_derived",
    "m006_sent_head",
)
MIGRATION_SET = "depositctl"
MIGRATIONS_TABLE = "_sqlite_migrations"

#: Every object of a fully migrated ledger (name -> type), without SQLite's own
#: (`sqlite_*`): what `check` and every write compare a ledger with. Kept as a table (a
#: write must not build a schema in memory first); tests/test_hostile_tamper.py checks it
#: against `reference_schema()`. A new migration that creates an object adds it here.
EXPECTED_OBJECTS = {
    "_sqlite_migrations": "table",
    "idx__sqlite_migrations_migration_set_name": "index",
    "profile": "table",
    "settings": "table",
    "cases": "table",
    "progress": "table",
    "contacts": "table",
    "evidence": "table",
    "refunds": "table",
    "history": "table",
    "idx_progress_case_id": "index",
    "idx_contacts_case_id": "index",
    "idx_refunds_case_id": "index",
    "idx_evidence_case_id": "index",
    "idx_history_case_id": "index",
    "idx_evidence_sha256": "index",
    "providers": "table",
    "idx_providers_name": "index",
    "provider_aliases": "table",
    "idx_provider_aliases_provider_id": "index",
    "statement_rows": "table",
    # m005_derived: the derived cache (not a fact) and the triggers that mark it dirty.
    "_derived": "table",
    "_derived_open": "index",
    "_derived_dirty": "table",
    **{
        f"{table}_derived_{event}": "trigger"
        for table in ("cases", "progress", "contacts", "refunds")
        for event in ("ins", "upd", "del")
    },
}


def foreign_objects(conn: sqlite3.Connection) -> list[str]:
    """Tables, views, triggers and indexes depositctl did not create (or of another kind
    than it did: a view where its table belongs), as `type name`."""
    want = EXPECTED_OBJECTS
    found = []
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY type, name"
    ):
        if want.get(name) != kind:
            found.append(f"{kind} {name}")
    return found


def missing_objects(conn: sqlite3.Connection) -> list[str]:
    """The tables, views, triggers and indexes depositctl creates that a fully migrated
    ledger lacks (dropped with another tool: a missing trigger leaves the derived cache
    stale), as `type name`. A ledger of an older schema lacks the newer ones by design
    (it is migrated when opened): none are named for it."""
    if conn.execute("PRAGMA user_version").fetchone()[0] < len(MIGRATIONS):
        return []
    have = {name: kind for kind, name in conn.execute("SELECT type, name FROM sqlite_master")}
    return [
        f"{kind} {name}"
        for name, kind in sorted(EXPECTED_OBJECTS.items())
        if have.get(name) != kind
    ]
