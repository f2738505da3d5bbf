"""`sent` and `delivered`: a letter that went out, recorded as a contact of the merchant's
on its recipient's channel with the file as evidence, and the day it reached the
recipient, which its reply-by date and the limitation restart count from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositctl.core.caseview import Deadline
from depositctl.core.deadlines import letter_contact
from depositctl.core.errors import N_, UserError
from depositctl.core.inputs import check_after_payment, fold_tracking
from depositctl.core.models import NewContact
from depositctl.core.vocab import RECIPIENT
from depositctl.ops.env import Env, evaluator, opened

if TYPE_CHECKING:
    from depositctl.store.ledger import Ledger

__all__ = ["Delivery", "SentLetter", "letter_contact", "record_delivery", "record_sent"]


@dataclass(frozen=True)
class SentLetter:
    """What `sent` recorded: the contact's label, the file's evidence label, the reply-by
    date (provisional until the delivery is known) and the limitation restart."""

    case_id: int
    label: str
    evidence: str | None
    follow_up: Deadline | None
    limitation_restart: Deadline | None


def record_sent(
    env: Env, contact: NewContact, file: Path | None = None, again: bool = False
) -> SentLetter:
    """`sent`: the letter and its file (kind `letter`, linked to it), in one transaction;
    the file is copied into the store first, outside it. Refused, nothing written: an
    unknown case, a delivery before the sending day, a missing file, a file already
    evidence of the case, and the same letter (recipient, day, way and tracking number)
    already recorded, unless `again`."""
    from depositctl.ops.evidence import _refuse_known
    from depositctl.store.evidence import check_source, record_evidence, store_files

    if contact.letter is None:  # pragma: no cover - callers build it with letter_contact
        raise ValueError("not a letter")
    _check_delivery(contact.on, contact.delivered_on)
    with opened(env) as led:
        paid_on = date.fromisoformat(led.case_row(contact.case_id)["paid_on"])
        check_after_payment(contact.on, paid_on)
        ev = evaluator(env, led)  # a bad calendar file fails here, before anything is written
        _refuse_same_letter(led, contact, again)
        stored = []
        if file is not None:
            check_source(file)
            stored = store_files(led, [file])
        with led.atomic():
            _refuse_same_letter(led, contact, again)
            _refuse_known(led, contact.case_id, stored)
            contact_id = led.add_contact(contact)
            rows = record_evidence(
                led,
                contact.case_id,
                stored,
                "letter",
                RECIPIENT[contact.letter].title or None,
                env.today,
                contact_id=contact_id,
                dated_on=contact.on,
            )
        view = ev(led.facts(contact.case_id))
        return SentLetter(
            case_id=contact.case_id,
            label=_label(led, contact.case_id, "contacts", contact_id),
            evidence=_label(led, contact.case_id, "evidence", int(rows[0]["id"])) if rows else None,
            follow_up=next((d for d in view.follow_ups if d.contact_id == contact_id), None),
            limitation_restart=view.limitation_restart,
        )


@dataclass(frozen=True)
class Delivery:
    """What `delivered` recorded: the letter's label, the delivery date it replaced (None
    the first time), the proof's evidence label, and the dates that moved."""

    case_id: int
    label: str
    before: str | None
    evidence: str | None
    follow_up: Deadline | None
    limitation_restart: Deadline | None


def record_delivery(
    env: Env, case_id: int, label: str, on: date, file: Path | None = None
) -> Delivery:
    """`delivered`: the day the sent letter `label` reached its recipient (a correction
    replaces the day recorded before; both are in the history), with the proof of
    delivery as evidence when given."""
    from depositctl.ops.evidence import _refuse_known
    from depositctl.ops.record import parse_label
    from depositctl.store.evidence import check_source, record_evidence, store_files

    label = parse_label(label)
    with opened(env) as led:
        led.case_row(case_id)
        ev = evaluator(env, led)
        row = _letter_row(led, case_id, label)
        stored = []
        if file is not None:
            check_source(file)
            stored = store_files(led, [file])
        with led.atomic():
            row = _letter_row(led, case_id, label)
            _check_delivery(date.fromisoformat(row["on_date"]), on)
            if row["delivered_on"] == on.isoformat():
                raise UserError(
                    N_("{label} of #{id} is already recorded as delivered on {date}"),
                    label=label,
                    id=case_id,
                    date=on.isoformat(),
                )
            _refuse_known(led, case_id, stored)
            before = led.set_delivered(case_id, int(row["id"]), label, on)
            title = RECIPIENT[row["letter"]].title if row["letter"] in RECIPIENT else ""
            rows = record_evidence(
                led,
                case_id,
                stored,
                "letter",
                f"{title}签收记录" if title else None,
                env.today,
                contact_id=int(row["id"]),
                dated_on=on,
            )
        view = ev(led.facts(case_id))
        return Delivery(
            case_id=case_id,
            label=label,
            before=before,
            evidence=_label(led, case_id, "evidence", int(rows[0]["id"])) if rows else None,
            follow_up=next((d for d in view.follow_ups if d.contact_id == row["id"]), None),
            limitation_restart=view.limitation_restart,
        )


def _check_delivery(sent_on: date, delivered_on: date | None) -> None:
    if delivered_on is not None and delivered_on < sent_on:
        raise UserError(
            N_("The delivery date {delivered} is before the letter was sent ({sent})"),
            delivered=delivered_on.isoformat(),
            sent=sent_on.isoformat(),
        )


def _letter_row(led: Ledger, case_id: int, label: str) -> dict[str, Any]:
    """The contact `label` of the case, which must be a letter recorded by `sent`, in force."""
    rows = led.labelled_rows(case_id, "contacts")
    row = next((r for r in rows if r["label"] == label), None)
    letters = [str(r["label"]) for r in rows if r["letter"] and r["void_reason"] is None]
    if row is None or not row["letter"]:
        raise UserError(
            N_("{label} of #{id} is not a letter recorded by sent; its letters are {labels}"),
            label=label,
            id=case_id,
            labels=", ".join(letters) or "-",
        )
    if row["void_reason"] is not None:
        raise UserError(N_("{label} of #{id} is void; unvoid it first"), label=label, id=case_id)
    return row


def _refuse_same_letter(led: Ledger, contact: NewContact, again: bool) -> None:
    if again:
        return
    for r in led.labelled_rows(contact.case_id, "contacts"):
        if (
            r["void_reason"] is None
            and r["letter"] == contact.letter
            and r["on_date"] == contact.on.isoformat()
            and r["via"] == contact.via
            and fold_tracking(r["tracking"]) == fold_tracking(contact.tracking)
        ):
            raise UserError(
                N_(
                    "#{id} already has this letter as {label} (same recipient, day, way "
                    "and tracking number); add --again to record it a second time"
                ),
                id=contact.case_id,
                label=r["label"],
            )


def _label(led: Ledger, case_id: int, table: str, row_id: int) -> str:
    return next(str(r["label"]) for r in led.labelled_rows(case_id, table) if r["id"] == row_id)
