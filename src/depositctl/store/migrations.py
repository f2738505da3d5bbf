"""Schema migrations: append-only, named, recorded in the ledger (sqlite_utils.Migrations).

Never edit or remove a migration once released; add a new one. A migration never
drops user data. Every migration runs inside the one transaction `migrate` opens, so
none may be registered with `transactional=False` (VACUUM and the like cannot run there).

Only the public API of `Migrations` is used: `apply`, `pending`, `applied`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "depositctl"
migrations = Migrations(MIGRATION_SET)


def migration_names(steps: Migrations = migrations) -> list[str]:
    """Every migration of the set, in order: what `pending` reports for an empty
    database. Their count is the schema version."""
    empty = Database(memory=True, execute_plugins=False)
    try:
        return [m.name for m in steps.pending(empty)]
    finally:
        empty.close()


def migrate(db: Database, steps: Migrations = migrations) -> None:
    """Apply the pending migrations and set the schema version, all or nothing.

    One `BEGIN IMMEDIATE` transaction holds them all (and makes a second process
    opening a new ledger wait, then find nothing pending). `Migrations.apply` runs each
    migration in `db.atomic()`, which inside an open transaction is a savepoint: a
    migration that fails is rolled back to its savepoint and raises, and the rollback
    here undoes the ones before it, so the ledger is left as it was.
    """
    if not steps.pending(db):
        return
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        steps.apply(db)
        conn.execute(f"PRAGMA user_version = {len(migration_names(steps))}")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def reference_schema() -> sqlite3.Connection:
    """An empty, fully migrated ledger in memory: the tables, columns and types a
    ledger (or an export's rows) must have. The caller closes it."""
    db = Database(memory=True, execute_plugins=False)
    migrations.apply(db)
    return db.conn


# Every object of a fully migrated ledger: store/schema.py (read by the fast path too,
# which imports no sqlite_utils).
from depositctl.store.schema import EXPECTED_OBJECTS  # noqa: E402


def expected_objects() -> dict[str, str]:
    return EXPECTED_OBJECTS


def schema_objects(conn: sqlite3.Connection) -> dict[str, str]:
    """Every object of a database (name -> type), without SQLite's own."""
    return {
        name: kind
        for kind, name in conn.execute("SELECT type, name FROM sqlite_master")
        if not name.startswith("sqlite_")
    }


def table_columns(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, Any]]:
    """Column name -> (declared type, default value) of a ledger table."""
    out: dict[str, tuple[str, Any]] = {}
    for _cid, name, ctype, _notnull, dflt, _pk in conn.execute(f'PRAGMA table_info("{table}")'):
        out[name] = (str(ctype).upper(), _literal(dflt))
    return out


def _literal(dflt: Any) -> Any:
    if dflt is None:
        return None
    text = str(dflt).strip()
    if text.upper() == "NULL":
        return None
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        return text


# -- the migrations, in order: append new ones at the end -----------------------------------
@migrations()
def m001_initial(db: Database) -> None:
    db.table("profile").create(
        {
            "id": int,
            "name": str,
            "phone": str,
            "address": str,
            "postcode": str,
            "id_number": str,
            "email": str,
        },
        pk="id",
    )
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("cases").create(
        {
            "id": int,
            "provider": str,
            "brand": str,
            "model": str,
            "serial": str,
            "merchant_no": str,
            "amount_fen": int,
            "paid_on": str,
            "paid_via": str,
            "agent_name": str,
            "agent_phone": str,
            "activated_on": str,
            "condition_volume_fen": int,
            "condition_count": int,
            "condition_days": int,
            "condition_return": int,
            "no_condition": int,
            "refund_within": str,
            "promised_refund_on": str,
            "condition_text": str,
            "note": str,
            "met_on": str,
            "returned_on": str,
            "closed_on": str,
            "close_reason": str,
            "created_at": str,
        },
        pk="id",
        not_null={"provider", "amount_fen", "paid_on"},
        defaults={"condition_return": 0, "no_condition": 0},
    )
    fk = [("case_id", "cases", "id")]
    db.table("progress").create(
        {
            "id": int,
            "case_id": int,
            "on_date": str,
            "volume_fen": int,
            "count": int,
            "source": str,
            "note": str,
        },
        pk="id",
        foreign_keys=fk,
        not_null={"case_id", "on_date", "volume_fen"},
    )
    db.table("contacts").create(
        {
            "id": int,
            "case_id": int,
            "on_date": str,
            "at_time": str,
            "channel": str,
            "to_whom": str,
            "ticket": str,
            "outcome": str,
            "promised_by": str,
            "summary": str,
            "refund_request": int,
        },
        pk="id",
        foreign_keys=fk,
        not_null={"case_id", "on_date", "channel"},
        defaults={"refund_request": 0},
    )
    db.table("evidence").create(
        {
            "id": int,
            "case_id": int,
            "sha256": str,
            "name": str,
            "size": int,
            "kind": str,
            "note": str,
            "added_on": str,
            "contact_id": int,
        },
        pk="id",
        foreign_keys=[*fk, ("contact_id", "contacts", "id")],
        not_null={"case_id", "sha256", "name", "size", "kind", "added_on"},
    )
    db.table("refunds").create(
        {"id": int, "case_id": int, "on_date": str, "amount_fen": int, "note": str},
        pk="id",
        foreign_keys=fk,
        not_null={"case_id", "on_date", "amount_fen"},
    )
    db.table("history").create(
        {
            "id": int,
            "case_id": int,
            "at": str,
            "by": str,
            "action": str,
            "changes": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        foreign_keys=fk,
        not_null={"at", "action", "changes", "hash"},
    )
    for table in ("progress", "contacts", "refunds", "evidence", "history"):
        db.table(table).create_index(["case_id"], find_unique_name=True)
    db.table("evidence").create_index(["sha256"], find_unique_name=True)


@migrations()
def m002_providers(db: Database) -> None:
    """Respondents (issue 9): one row per legal name; aliases in their own table, so the
    database itself keeps an alias to one provider (its primary key) and finds it by index."""
    db.table("providers").create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "credit_code": str,
            "address": str,
            "licence": str,
            "hotline": str,
            "email": str,
        },
        pk="id",
        not_null={"name", "kind"},
        defaults={"kind": "institution"},
    )
    db.table("providers").create_index(["name"], unique=True, find_unique_name=True)
    db.table("provider_aliases").create(
        {"alias": str, "provider_id": int},
        pk="alias",
        foreign_keys=[("provider_id", "providers", "id")],
        not_null={"alias", "provider_id"},
    )
    db.table("provider_aliases").create_index(["provider_id"], find_unique_name=True)


@migrations()
def m003_record(db: Database) -> None:
    """Issue 9 and 10: who sold and who took the money, the merchant's capacity, rows
    taken out of the record (`void`), documents' own dates, replies from the other side,
    and the identity of every statement row already imported."""
    db.table("cases").add_column("agent_company", str)
    db.table("cases").add_column("paid_to", str)
    for column in ("capacity", "business_name", "business_licence", "payee_account"):
        db.table("profile").add_column(column, str)
    for table in ("progress", "contacts", "refunds", "evidence"):
        db.table(table).add_column("void_reason", str)
    db.table("evidence").add_column("dated_on", str)
    db.table("contacts").add_column("incoming", int, not_null_default=0)
    db.table("statement_rows").create(
        {"case_id": int, "row_key": str, "progress_id": int},
        pk=("case_id", "row_key"),
        foreign_keys=[("case_id", "cases", "id"), ("progress_id", "progress", "id")],
        not_null={"case_id", "row_key"},
    )


@migrations()
def m004_replies(db: Database) -> None:
    """Issue 10: why the other side refused (`contact --outcome rejected --reason`), and
    the letters sent (`sent`): the recipient, how it went out, its tracking number and
    the day it was delivered (`sent --delivered-on`, `delivered`)."""
    for column in ("reason", "letter", "via", "tracking", "delivered_on"):
        db.table("contacts").add_column(column, str)


@migrations()
def m005_derived(db: Database) -> None:
    """Issue 12: the derived cache (store/derived.py), no fact: one row per case with
    what `derive` computed, a partial index over the open cases for `status`, and the
    triggers that mark a case dirty on any insert, update or delete of its facts."""
    db.execute(
        "CREATE TABLE _derived (case_id INTEGER PRIMARY KEY, key TEXT NOT NULL, "
        "open INTEGER NOT NULL, closed INTEGER NOT NULL, outstanding INTEGER NOT NULL, "
        "due_on TEXT, met_on TEXT, unmet_due_on TEXT, data TEXT NOT NULL)"
    )
    db.execute(
        "CREATE INDEX _derived_open ON _derived "
        "(due_on, case_id, outstanding, met_on, unmet_due_on) WHERE open"
    )
    db.execute("CREATE TABLE _derived_dirty (case_id INTEGER PRIMARY KEY)")
    mark = "INSERT OR IGNORE INTO _derived_dirty (case_id) VALUES"
    for table, col in (
        ("cases", "id"),
        *((t, "case_id") for t in ("progress", "contacts", "refunds")),
    ):
        db.execute(
            f"CREATE TRIGGER {table}_derived_ins AFTER INSERT ON {table} "
            f"BEGIN {mark} (NEW.{col}); END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_derived_upd AFTER UPDATE ON {table} "
            f"BEGIN {mark} (OLD.{col}); {mark} (NEW.{col}); END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_derived_del AFTER DELETE ON {table} "
            f"BEGIN {mark} (OLD.{col}); END"
        )
    db.execute("INSERT INTO _derived_dirty (case_id) SELECT id FROM cases")


@migrations()
def m006_sent_head(db: Database) -> None:
    """Issue 13: the ledger head (history count and hash prefix, "COUNT:HASH12") a sent
    letter states in its footer, recorded by `sent` so `check` can hold the history to it."""
    db.table("contacts").add_column("ledger_head", str)
