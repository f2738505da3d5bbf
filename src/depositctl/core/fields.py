"""What each stored column and each history action is called for people: the one table
the history in `show` and the CSV export's headers read (English message ids, translated
by the caller). Column names themselves stay English in the ledger and in JSON.
"""

from __future__ import annotations

from depositctl.core.errors import N_

#: Column → label, whatever the table (a table's own word for a column is in TABLE_LABELS).
FIELD_LABELS = {
    "id": N_("row id"),
    "case_id": N_("case"),
    # cases
    "provider": N_("provider"),
    "brand": N_("brand"),
    "model": N_("model"),
    "serial": N_("serial"),
    "merchant_no": N_("merchant number"),
    "amount_fen": N_("deposit (fen)"),
    "amount": N_("deposit (yuan)"),
    "paid_on": N_("date paid"),
    "paid_via": N_("paid via"),
    "paid_to": N_("paid to"),
    "agent_name": N_("sales agent"),
    "agent_phone": N_("sales agent's phone"),
    "agent_company": N_("agent company"),
    "activated_on": N_("activation date"),
    "condition_volume_fen": N_("condition: card volume (fen)"),
    "condition_volume": N_("condition: card volume (yuan)"),
    "condition_count": N_("condition: transactions"),
    "condition_days": N_("condition: days"),
    "condition_return": N_("condition: return of the terminal"),
    "no_condition": N_("no condition"),
    "refund_within": N_("refund time limit"),
    "promised_refund_on": N_("refund promised for"),
    "condition_text": N_("condition as agreed"),
    "note": N_("note"),
    "met_on": N_("condition met on"),
    "returned_on": N_("terminal returned on"),
    "closed_on": N_("closed on"),
    "close_reason": N_("reason for closing"),
    "created_at": N_("recorded at"),
    # progress, refunds
    "on_date": N_("date"),
    "volume_fen": N_("card volume (fen)"),
    "volume": N_("card volume (yuan)"),
    "count": N_("transactions"),
    "source": N_("source"),
    "void_reason": N_("void because"),
    # contacts
    "at_time": N_("time"),
    "channel": N_("channel"),
    "to_whom": N_("spoke to"),
    "ticket": N_("ticket number"),
    "outcome": N_("outcome"),
    "promised_by": N_("promised by"),
    "summary": N_("what was said"),
    "refund_request": N_("refund requested"),
    "incoming": N_("reply from the other side"),
    "reason": N_("reason"),
    "letter": N_("letter"),
    "via": N_("sent via"),
    "tracking": N_("tracking number"),
    "delivered_on": N_("delivered on"),
    "ledger_head": N_("ledger head in the letter"),
    # evidence
    "sha256": N_("SHA-256"),
    "size": N_("size (bytes)"),
    "added_on": N_("date added"),
    "dated_on": N_("document date"),
    "contact_id": N_("contact"),
    # providers and aliases
    "credit_code": N_("credit code"),
    "address": N_("address"),
    "licence": N_("licence number"),
    "hotline": N_("hotline"),
    "email": N_("email"),
    "alias": N_("alias"),
    "aliases": N_("aliases"),
    "provider_id": N_("provider"),
    # profile
    "phone": N_("phone"),
    "postcode": N_("postcode"),
    "id_number": N_("ID number"),
    "capacity": N_("capacity"),
    "business_name": N_("business name"),
    "business_licence": N_("business licence"),
    "payee_account": N_("payee account"),
    "digest": N_("fingerprint"),
    # settings, statement rows, void
    "key": N_("setting"),
    "value": N_("value"),
    "row_key": N_("statement row"),
    "progress_id": N_("progress row"),
    "rows": N_("statement rows"),
    "label": N_("label"),
    "table": N_("record"),
    # history
    "at": N_("time (UTC)"),
    "by": N_("by"),
    "action": N_("action"),
    "changes": N_("changes"),
    "prev_hash": N_("previous hash"),
    "hash": N_("hash"),
}

#: (table, column) → label where the table gives the column its own meaning.
TABLE_LABELS = {
    ("cases", "id"): N_("case number"),
    ("profile", "name"): N_("name"),
    ("evidence", "name"): N_("file name"),
    ("providers", "name"): N_("legal name"),
    ("evidence", "kind"): N_("evidence kind"),
    ("providers", "kind"): N_("type"),
    ("refunds", "amount_fen"): N_("amount (fen)"),
    ("refunds", "amount"): N_("amount (yuan)"),
}

#: The table a history action records a row of (for the table's own column words).
ACTION_TABLES = {
    "add": "cases",
    "edit": "cases",
    "met": "cases",
    "returned": "cases",
    "close": "cases",
    "reopen": "cases",
    "progress": "progress",
    "contact": "contacts",
    "refund": "refunds",
    "evidence": "evidence",
    "profile": "profile",
    "provider": "providers",
    "setting": "settings",
    "statement": "statement_rows",
}

#: History action → what `show` calls it.
ACTION_LABELS = {
    "add": N_("case added"),
    "edit": N_("case edited"),
    "met": N_("condition marked met"),
    "returned": N_("terminal marked returned"),
    "close": N_("case closed"),
    "reopen": N_("case reopened"),
    "progress": N_("progress recorded"),
    "contact": N_("contact recorded"),
    "refund": N_("refund recorded"),
    "evidence": N_("evidence added"),
    "void": N_("row voided"),
    "unvoid": N_("row restored"),
    "profile": N_("profile changed"),
    "provider": N_("provider recorded"),
    "setting": N_("setting changed"),
    "statement": N_("statement imported"),
    "delivered": N_("delivery recorded"),
}


def field_label(table: str | None, column: str) -> str:
    """The label (an English message id) of `column` of `table`; an unknown column is
    its own label."""
    if table is not None and (table, column) in TABLE_LABELS:
        return TABLE_LABELS[(table, column)]
    return FIELD_LABELS.get(column, column)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
