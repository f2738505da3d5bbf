"""Recording a case and what happens to it (add, edit, refund, close, contact, evidence,
statements): every check and every write in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from depositctl.core.deadlines import CaseView
from depositctl.core.errors import N_, UserError
from depositctl.core.evaluator import Evaluator
from depositctl.core.money import fmt, to_fen
from depositctl.store.evidence import record_evidence, store_files
from depositctl.store.ledger import Ledger


def validate_case(fields: Mapping[str, Any]) -> None:
    """Cross-field checks for `add`/`edit` (after each value parsed on its own)."""
    targets = [fields.get(k) for k in ("condition_volume", "condition_count", "condition_days")]
    has_target = any(t is not None for t in targets)
    kinds = sum(
        [has_target, bool(fields.get("condition_return")), bool(fields.get("no_condition"))]
    )
    if kinds > 1:
        raise UserError(
            N_(
                "Choose one kind of condition: targets (--condition-volume/--condition-count/"
                "--condition-days), --condition-return, or --no-condition"
            )
        )


def edit_case(led: Ledger, case_id: int, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`edit`: change case fields, checked against what the case holds, in one
    transaction; returns the columns changed (old and new values)."""
    from depositctl.store.ledger import row_to_case

    with led.atomic():
        current = row_to_case(led.case_row(case_id)).condition
        validate_case(
            {
                "condition_volume": current.volume,
                "condition_count": current.count,
                "condition_days": current.days,
                "condition_return": current.on_return,
                "no_condition": current.none,
                **changes,
            }
        )
        if "amount" in changes:
            refunded = sum((r.amount for r in led.facts(case_id).refunds), Decimal("0.00"))
            if changes["amount"] < refunded:
                raise UserError(
                    N_("The deposit cannot be less than the {refunded} yuan already refunded"),
                    refunded=f"{refunded:.2f}",
                )
        return led.update_case(case_id, changes)


def close_case(led: Ledger, case_id: int, today: date, reason: str) -> None:
    with led.atomic():
        if led.case_row(case_id)["closed_on"]:
            raise UserError(N_("Case #{id} is already closed"), id=case_id)
        led.update_case(case_id, {"closed_on": today, "close_reason": reason}, action="close")


def reopen_case(led: Ledger, case_id: int) -> None:
    with led.atomic():
        if not led.case_row(case_id)["closed_on"]:
            raise UserError(N_("Case #{id} is not closed"), id=case_id)
        led.update_case(case_id, {"closed_on": None, "close_reason": None}, action="reopen")


def record_refund(
    led: Ledger, ev: Evaluator, case_id: int, amount: Decimal, on: date, note: str | None
) -> CaseView:
    with led.atomic():
        view = ev(led.facts(case_id))
        if amount > view.outstanding:
            raise UserError(
                N_(
                    "Refund of {amount} is more than the {outstanding} yuan still outstanding on #{id}"
                ),
                amount=fmt(amount),
                outstanding=fmt(view.outstanding),
                id=case_id,
            )
        led.add_refund(case_id, on, to_fen(amount), note)
        return ev(led.facts(case_id))


def record_contact(led: Ledger, row: Mapping[str, Any], files: list[Path], today: date) -> int:
    """`contact`: the attempt and the files attached to it, in one transaction (the files
    are copied into the store first, outside it). Returns the contact's id."""
    stored = store_files(led, files)
    with led.atomic():
        contact_id = led.add_contact(row)
        if stored:
            record_evidence(
                led, int(row["case_id"]), stored, "other", None, today, contact_id=contact_id
            )
    return contact_id


def add_evidence(
    led: Ledger,
    case_id: int,
    files: list[Path],
    kind: str,
    note: str | None,
    today: date,
    contact_id: int | None = None,
) -> list[dict[str, Any]]:
    """Copy each file into the store, then record all of them in one transaction."""
    led.case_row(case_id)
    return record_evidence(led, case_id, store_files(led, files), kind, note, today, contact_id)


def import_statement(
    led: Ledger,
    case_id: int,
    path: Path,
    today: date,
    date_column: str | None = None,
    amount_column: str | None = None,
) -> tuple[int, Decimal, int]:
    """Record a statement's daily totals as progress and keep the file as evidence.

    All or nothing; the same file is refused a second time (it would count twice).
    Returns (days recorded, total volume, rows skipped).
    """
    from depositctl.core.statement import decode, parse_statement
    from depositctl.store.evidence import check_source

    led.case_row(case_id)
    check_source(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    statement = parse_statement(decode(data), today, date_column, amount_column)
    stored = store_files(led, [path])  # copied before the write lock, like evidence add
    marker = f"statement {stored[0][1][:12]}"
    with led.atomic():
        seen = led.db.execute(
            "SELECT 1 FROM progress WHERE case_id = ? AND note = ? LIMIT 1", [case_id, marker]
        ).fetchone()
        if seen:
            raise UserError(N_("This statement was already imported into #{id}"), id=case_id)
        for day in statement.days:
            led.add_progress(
                case_id, day.on, to_fen(day.volume), day.count, source="statement", note=marker
            )
        record_evidence(led, case_id, stored, "statement", None, today)
    total = sum((d.volume for d in statement.days), Decimal("0.00"))
    return len(statement.days), total, statement.skipped
