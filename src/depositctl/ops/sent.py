"""`sent` and `delivered`: a letter that went out, recorded as a contact of the merchant's
on its recipient's channel with the file as evidence, and the day it reached the
recipient, which its reply-by date and the limitation restart count from."""

from __future__ import annotations

import re
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
    recipient = contact.letter
    _check_delivery(contact.on, contact.delivered_on)
    with opened(env) as led:
        paid_on = date.fromisoformat(led.case_row(contact.case_id)["paid_on"])
        check_after_payment(contact.on, paid_on)
        ev = evaluator(env, led)  # a bad calendar file fails here, before anything is written
        _refuse_same_letter(led, contact, again)
        stored = []
        if file is not None:
            check_source(file)
            head = stated_head(file)
            if head is not None:
                _refuse_foreign_head(led, file, head)
                contact = contact.model_copy(update={"ledger_head": head})
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
                RECIPIENT[recipient].title or None,
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


#: The footer every letter prints (data/templates/_parts.j2): the ledger's history count
#: and the first 12 characters of its last hash when the letter was generated.
_FOOTER = re.compile(r"账本共有\s*(\d{1,10})\s*条历史记录，末条记录哈希前12位为\s*([0-9a-f]{12})")
#: Letters are small; a file larger than this is not searched for the footer.
_MOST = 64 << 20


def stated_head(path: Path) -> str | None:
    """The ledger head ("COUNT:HASH12") a letter file states in its footer, or None.

    Read from the text of a .md/.txt letter and from the XML of a .docx; a PDF's text is
    drawn with embedded CJK fonts and cannot be read back without a PDF library, so a
    PDF (or a scan, or any file without the footer) records no head."""
    import zipfile

    try:
        if path.stat().st_size > _MOST:
            return None
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                parts = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")]
                text = " ".join(
                    re.sub(r"<[^>]+>", "", zf.read(n).decode("utf-8", "replace"))
                    for n in parts
                    if zf.getinfo(n).file_size <= _MOST
                )
        else:
            text = path.read_bytes().decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    found = _FOOTER.findall(text)
    if not found:
        return None
    count, digest = found[-1]
    return f"{int(count)}:{digest}" if int(count) > 0 else None


def _refuse_foreign_head(led: Ledger, file: Path, head: str) -> None:
    """A letter whose footer names a history entry this ledger does not have (a letter
    of another ledger, or edited) is refused: `check` would hold the history to it."""
    from depositctl.store.check import head_entry

    count, digest = head.split(":")
    held = head_entry(led, int(count))
    if held is None or not held.startswith(digest):
        raise UserError(
            N_(
                "{file} states the ledger had {count} history entries, the last {hash}, "
                "but this ledger's history does not hold that entry (a letter of another "
                "ledger, or changed?); nothing was recorded"
            ),
            file=str(file),
            count=count,
            hash=digest,
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
