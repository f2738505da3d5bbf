"""Schema migrations: append-only, named, recorded in the ledger (sqlite_utils.Migrations).

Never edit or remove a migration once released; add a new one. A migration never
drops user data.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "depositctl"
migrations = Migrations(MIGRATION_SET)


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
