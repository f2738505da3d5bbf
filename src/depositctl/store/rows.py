"""Rows of the ledger's tables <-> the core's models: how each fact is stored and read
back, the row labels (C1, P1, R1, E1), the history hashes and the query `status` reads
its contacts with."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time

from depositctl.core.channels import ROUTES
from depositctl.core.deadlines import DEMANDS, THIRD_PARTIES, WRITTEN_CHANNELS
from depositctl.core.digest import sha256
from depositctl.core.errors import N_, LedgerError
from depositctl.core.money import from_fen, to_fen
from depositctl.core.records import (
    Case,
    Condition,
    Contact,
    Evidence,
    HistoryEntry,
    Profile,
    Progress,
    Refund,
    RefundWithin,
    read,
    safe,
)
from depositctl.core.vocab import CHANNEL, OUTCOME

TYPE_CHECKING = False
if TYPE_CHECKING:  # the write models (pydantic): not imported by a read (`status`)
    from typing import Any, TypeVar

    from depositctl.core.models import CaseChanges, NewCase, NewContact
else:
    from depositctl.core.hints import Any, TypeVar

PROFILE_FIELDS = (
    "name",
    "phone",
    "address",
    "postcode",
    "id_number",
    "email",
    "capacity",
    "business_name",
    "business_licence",
    "payee_account",
)
#: The profile's fields before m003; `profile_digest` covers the later ones only when set,
#: so the digests logged by earlier versions still match.
DIGEST_BASE = 6


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def case_columns(fields: NewCase | CaseChanges) -> dict[str, Any]:
    """The fields a case write was given (Decimal yuan, dates) as ledger columns (`*_fen`
    integers, ISO dates, 0/1 flags), in the model's field order."""
    from depositctl.core.models import given

    row: dict[str, Any] = {}
    for key, value in given(fields).items():
        if key == "amount":
            row["amount_fen"] = to_fen(value)
        elif key == "condition_volume":
            row["condition_volume_fen"] = None if value is None else to_fen(value)
        elif isinstance(value, date):
            row[key] = value.isoformat()
        elif isinstance(value, bool):
            row[key] = int(value)
        elif key == "refund_within" and value is not None:
            row[key] = str(value)
        else:
            row[key] = value
    return row


def contact_columns(contact: NewContact) -> dict[str, Any]:
    """A contact attempt as a row of `contacts`."""
    return {
        "case_id": contact.case_id,
        "on_date": contact.on.isoformat(),
        "at_time": contact.at_time.strftime("%H:%M") if contact.at_time else None,
        "channel": contact.channel,
        "to_whom": contact.to,
        "ticket": contact.ticket,
        "outcome": contact.outcome,
        "promised_by": contact.promised_by.isoformat() if contact.promised_by else None,
        "summary": contact.summary,
        "refund_request": int(contact.refund_request),
        "incoming": int(contact.incoming),
        # Set only when given (m004), so a plain contact is stored and logged as before.
        **{
            k: v
            for k, v in (
                ("reason", contact.reason),
                ("letter", contact.letter),
                ("via", contact.via),
                ("tracking", contact.tracking),
                (
                    "delivered_on",
                    contact.delivered_on.isoformat() if contact.delivered_on else None,
                ),
                ("ledger_head", contact.ledger_head),
            )
            if v is not None
        },
    }


_Conv = TypeVar("_Conv", bound=Callable[[Any], Any])


def readable(table: str) -> Callable[[_Conv], _Conv]:
    """A row that cannot become a model (edited outside depositctl: a date that is not
    a date, text where money belongs) is one clear error, never a traceback."""

    def wrap(conv: _Conv) -> _Conv:
        @functools.wraps(conv)
        def inner(row: Any) -> Any:
            try:
                return conv(row)
            except (ValueError, TypeError, KeyError, ArithmeticError):
                try:
                    rid = row["id"]
                except (KeyError, IndexError, TypeError):
                    rid = "?"
                raise LedgerError(
                    N_(
                        "Row {id} of table {table} holds a value depositctl cannot read "
                        "(changed outside depositctl?); run depositctl check"
                    ),
                    table=table,
                    id=rid,
                ) from None

        return inner  # type: ignore[return-value]

    return wrap


@readable("cases")
def row_to_case(row: Mapping[str, Any]) -> Case:
    within = row["refund_within"]
    volume = row["condition_volume_fen"]
    return read(
        Case,
        {
            "id": row["id"],
            "provider": row["provider"],
            "amount": from_fen(row["amount_fen"]),
            "paid_on": date.fromisoformat(row["paid_on"]),
            "brand": row["brand"],
            "model": row["model"],
            "serial": row["serial"],
            "merchant_no": row["merchant_no"],
            "paid_via": row["paid_via"],
            "agent_name": row["agent_name"],
            "agent_phone": row["agent_phone"],
            "activated_on": to_date(row["activated_on"]),
            "condition": Condition(
                volume=None if volume is None else from_fen(volume),
                count=row["condition_count"],
                days=row["condition_days"],
                on_return=bool(row["condition_return"]),
                none=bool(row["no_condition"]),
            ),
            "refund_within": RefundWithin.from_text(within) if within else None,
            "promised_refund_on": to_date(row["promised_refund_on"]),
            "condition_text": row["condition_text"],
            "note": row["note"],
            "met_on": to_date(row["met_on"]),
            "returned_on": to_date(row["returned_on"]),
            "closed_on": to_date(row["closed_on"]),
            "close_reason": row["close_reason"],
            "agent_company": row["agent_company"],
            "paid_to": row["paid_to"],
        },
    )


def profile_from_row(row: Mapping[str, Any] | None) -> Profile:
    """The profile row (None: no profile yet)."""
    if row is None:
        return Profile()
    return Profile(**safe({k: row[k] for k in PROFILE_FIELDS}))


#: The recorded rows of a case and the letter of their labels (`show`, `void`).
LABEL_PREFIX = {"contacts": "C", "progress": "P", "refunds": "R", "evidence": "E"}


def labelled_sql(table: str, where: str = "") -> str:
    """Every row of `table` (`where` filters whole cases) with its number among its case's
    rows in order of entry, void rows included (`row_no`), so labels never shift."""
    return (
        f"SELECT *, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY id) AS row_no "
        f"FROM {table}{where}"
    )


def labelled(row: Mapping[str, Any], table: str) -> dict[str, Any]:
    """The label (`C2`) and void reason of a row read with its `row_no`."""
    keys = row.keys()
    return {
        "label": f"{LABEL_PREFIX[table]}{row['row_no']}" if "row_no" in keys else "",
        "void_reason": row["void_reason"] if "void_reason" in keys else None,
    }


@readable("progress")
def progress_from_row(row: Mapping[str, Any]) -> Progress:
    return read(
        Progress,
        dict(
            id=row["id"],
            case_id=row["case_id"],
            on=date.fromisoformat(row["on_date"]),
            volume=from_fen(row["volume_fen"]),
            count=row["count"],
            source=row["source"] or "manual",
            note=row["note"],
            **labelled(row, "progress"),
        ),
    )


@readable("contacts")
def contact_from_row(row: Mapping[str, Any]) -> Contact:
    return read(
        Contact,
        dict(
            id=row["id"],
            case_id=row["case_id"],
            on=date.fromisoformat(row["on_date"]),
            at_time=time.fromisoformat(row["at_time"]) if row["at_time"] else None,
            channel=row["channel"],
            to=row["to_whom"],
            ticket=row["ticket"],
            outcome=row["outcome"],
            promised_by=to_date(row["promised_by"]),
            summary=row["summary"],
            refund_request=bool(row["refund_request"]),
            incoming=bool(row["incoming"]),
            reason=row["reason"],
            letter=row["letter"],
            via=row["via"],
            tracking=row["tracking"],
            delivered_on=to_date(row["delivered_on"]),
            **labelled(row, "contacts"),
        ),
    )


@readable("evidence")
def evidence_from_row(row: Mapping[str, Any]) -> Evidence:
    return read(
        Evidence,
        dict(
            id=row["id"],
            case_id=row["case_id"],
            sha256=row["sha256"],
            name=row["name"],
            size=row["size"],
            kind=row["kind"],
            added_on=date.fromisoformat(row["added_on"]),
            note=row["note"],
            contact_id=row["contact_id"],
            dated_on=to_date(row["dated_on"]),
            **labelled(row, "evidence"),
        ),
    )


@readable("refunds")
def refund_from_row(row: Mapping[str, Any]) -> Refund:
    return read(
        Refund,
        dict(
            id=row["id"],
            case_id=row["case_id"],
            on=date.fromisoformat(row["on_date"]),
            amount=from_fen(row["amount_fen"]),
            note=row["note"],
            **labelled(row, "refunds"),
        ),
    )


@readable("history")
def history_from_row(row: Mapping[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        id=row["id"],
        case_id=row["case_id"],
        at=datetime.fromisoformat(row["at"]),
        action=row["action"],
        by=row["by"],
        changes=json.loads(row["changes"]),
    )


def history_hash(prev_hash: str | None, row: Mapping[str, Any]) -> str:
    """The hash chain: each history entry commits to the one before it."""
    payload = json.dumps(
        [prev_hash or "", row["case_id"], row["at"], row["by"], row["action"], row["changes"]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sha256(payload.encode()).hexdigest()


def profile_digest(fields: Mapping[str, Any]) -> str:
    """SHA-256 of the whole profile, logged instead of its (personal) values."""
    values = [fields.get(k) for k in PROFILE_FIELDS]
    while len(values) > DIGEST_BASE and values[-1] is None:
        values.pop()
    payload = json.dumps(values, ensure_ascii=False)
    return sha256(payload.encode()).hexdigest()


def _status_contacts_sql() -> str:
    """The contacts that decide a case's status, per case, ordered like `all_facts`.

    Void contacts count for nothing. The other side's replies (`incoming`) are no refund
    request; among them only those that set a follow-up (`accepted`, or with a promised
    date) can be the open follow-up. For each case: every contact on its last day among
    those with a follow-up (the open follow-up), every refund request on the first request
    day (the trigger) and on the first day a request to the obligor reached it (a sent
    letter's delivery: rule 4's demand, `obligor_demands`: a complaint to a body, a
    court, a lawyer or Black Cat is none), every written refund request on the last day one
    reached the other side (restarts the limitation period), and every contact the route
    verdicts (core/channels) read: replies, contacts on a route's channel (a letter
    recorded by `sent` goes on its recipient's channel), contacts with a ticket number
    and contacts whose outcome is an answer. Days tie: all contacts of that day are kept
    and `evaluate()` picks among them exactly as before.
    """

    def quoted(values: Any) -> str:
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values)

    routes = sorted(({"provider-complaint"} | set(ROUTES)) - {"provider"})
    answers = sorted(o.value for o in OUTCOME if o.answered)
    third = sorted({c.value for c in CHANNEL if c.body} | THIRD_PARTIES)
    return f"""
    WITH k AS (
        SELECT id, case_id, on_date,
            (refund_request AND NOT incoming) AS rr,
            (refund_request AND NOT incoming
                AND channel IN ({quoted(sorted(WRITTEN_CHANNELS))})) AS wr,
            (refund_request AND NOT incoming
                AND (COALESCE(letter, '') IN ({quoted(sorted(DEMANDS))})
                    OR channel NOT IN ({quoted(third)}))) AS od,
            COALESCE(delivered_on, on_date) AS rcv
        FROM contacts WHERE void_reason IS NULL
            AND (NOT incoming OR outcome = 'accepted' OR promised_by IS NOT NULL)
    ),
    agg AS (
        SELECT case_id, MAX(on_date) AS last_on,
            MIN(CASE WHEN rr THEN on_date END) AS first_rq,
            MIN(CASE WHEN od THEN rcv END) AS first_rcv,
            MAX(CASE WHEN wr THEN rcv END) AS last_wr
        FROM k GROUP BY case_id
    )
    SELECT c.*, (
        SELECT count(*) FROM contacts n WHERE n.case_id = c.case_id AND n.id <= c.id
    ) AS row_no
    FROM contacts c WHERE c.void_reason IS NULL AND (
        c.incoming
        OR c.channel IN ({quoted(routes)})
        OR c.ticket <> ''
        OR c.outcome IN ({quoted(answers)})
        OR c.id IN (
            SELECT k.id FROM k JOIN agg ON agg.case_id = k.case_id
            WHERE k.on_date = agg.last_on
                OR (k.rr AND k.on_date = agg.first_rq)
                OR (k.od AND k.rcv = agg.first_rcv)
                OR (k.wr AND k.rcv = agg.last_wr)
        )
    )
    ORDER BY c.case_id, c.on_date, c.at_time, c.id
    """


STATUS_CONTACTS_SQL = _status_contacts_sql()
