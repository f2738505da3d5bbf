"""Correcting the record: `void` takes a recorded row (a contact, progress entry,
refund or evidence record) out of every computation and output, `unvoid` puts it back.
The row stays in the ledger, the history and `show`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from depositctl.core.errors import N_, UserError
from depositctl.core.inputs import check_text
from depositctl.ops.env import Env, opened
from depositctl.store.ledger import Ledger
from depositctl.store.rows import LABEL_PREFIX

_LABEL = re.compile(r"^([CPRE])(\d{1,9})$")
_TABLE = {prefix: table for table, prefix in LABEL_PREFIX.items()}


@dataclass(frozen=True)
class VoidChange:
    """What `void`/`unvoid` changed: the row's label and table, and the reason."""

    case_id: int
    label: str
    table: str
    reason: str | None


def parse_label(text: str) -> str:
    """`C2`, `c2` or `Ｃ２` name the second contact; anything else is refused."""
    s = unicodedata.normalize("NFKC", text).strip().upper()
    m = _LABEL.match(s)
    if not m:
        raise UserError(
            N_(
                "Not a row label: {text} (use a label show prints: C1 for a contact, P1 "
                "progress, R1 a refund, E1 evidence)"
            ),
            text=text,
        )
    return f"{m.group(1)}{int(m.group(2))}"


def _find(led: Ledger, case_id: int, label: str) -> tuple[str, dict[str, object]]:
    led.case_row(case_id)
    table = _TABLE[label[0]]
    for row in led.labelled_rows(case_id, table):
        if row["label"] == label:
            return table, row
    labels = [
        str(r["label"])
        for t in ("contacts", "progress", "refunds", "evidence")
        for r in led.labelled_rows(case_id, t)
    ]
    if not labels:
        raise UserError(
            N_("No row {label} in #{id}: the case has no recorded rows"), label=label, id=case_id
        )
    raise UserError(
        N_("No row {label} in #{id}; its rows are {labels}"),
        label=label,
        id=case_id,
        labels=", ".join(labels),
    )


def void_row(env: Env, case_id: int, label: str, reason: str) -> VoidChange:
    """`void`: take the row `label` of a case out of the record, with a reason."""
    label = parse_label(label)
    reason = unicodedata.normalize("NFC", reason).strip()
    if not reason:
        raise UserError(N_("Give the reason the row is wrong with --reason"))
    check_text(reason, "reason")
    with opened(env) as led, led.atomic():
        table, row = _find(led, case_id, label)
        if row["void_reason"] is not None:
            raise UserError(
                N_(
                    "{label} of #{id} is already void ({reason}); unvoid it first to change the reason"
                ),
                label=label,
                id=case_id,
                reason=row["void_reason"],
            )
        led.set_void(case_id, table, int(str(row["id"])), label, reason)
    return VoidChange(case_id, label, table, reason)


def unvoid_row(env: Env, case_id: int, label: str) -> VoidChange:
    """`unvoid`: put a void row of a case back into the record."""
    label = parse_label(label)
    with opened(env) as led, led.atomic():
        table, row = _find(led, case_id, label)
        if row["void_reason"] is None:
            raise UserError(N_("{label} of #{id} is not void"), label=label, id=case_id)
        led.set_void(case_id, table, int(str(row["id"])), label, None)
    return VoidChange(case_id, label, table, None)
