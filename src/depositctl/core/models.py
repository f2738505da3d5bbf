"""The facts a ledger is asked to store, as immutable pydantic models that check typed
input; the read models (core/records.py) re-exported."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    InstanceOf,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)

# The read models are slotted dataclasses in a pydantic-free module (issue 12: `status`
# imports no validation library); re-exported here so imports keep working.
from depositctl.core.records import (
    Case as Case,
)
from depositctl.core.records import (
    CaseFacts as CaseFacts,
)
from depositctl.core.records import (
    Condition as Condition,
)
from depositctl.core.records import (
    Contact as Contact,
)
from depositctl.core.records import (
    Evidence as Evidence,
)
from depositctl.core.records import (
    HistoryEntry as HistoryEntry,
)
from depositctl.core.records import (
    Profile as Profile,
)
from depositctl.core.records import (
    Progress as Progress,
)
from depositctl.core.records import (
    Refund as Refund,
)
from depositctl.core.records import (
    RefundWithin as RefundWithin,
)
from depositctl.core.records import (
    Row as Row,
)
from depositctl.core.records import (
    State as State,
)
from depositctl.core.records import (
    own_contacts as own_contacts,
)
from depositctl.core.records import (
    safe as safe,
)
from depositctl.core.records import (
    shown as shown,
)

# The vocabularies live in a pydantic-free module (cheap `--help`); re-exported here.
from depositctl.core.vocab import (  # noqa: F401
    CAPACITIES,
    CHANNELS,
    CLOSE_REASONS,
    DEFAULT_CAPACITY,
    EVIDENCE_KINDS,
    OUTCOMES,
    PAID_TO,
    PAID_VIA,
)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- writes ------------------------------------------------------------------------------
# What the ledger is asked to store. Money is `Yuan`: a Decimal in yuan, never an int or a
# float (pydantic refuses both), so no value's Python type can decide whether it is yuan
# or fen; the ledger turns it into `*_fen` columns. Which optional fields an edit sets
# (`model_fields_set`) is what it changes: `CaseChanges(serial=None)` clears the serial,
# `CaseChanges()` changes nothing.

Yuan = Annotated[Decimal, Strict(), Field(decimal_places=2)]


class Written(Frozen):
    """A write model: every text field is checked as typed input (core.inputs.check_text:
    no control characters, no line breaks outside notes and summaries, nothing a document
    cannot hold, no bidi or zero-width characters, a length a letter can hold)."""

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            from depositctl.core.inputs import check_text

            return check_text(value, info.field_name or "text")
        return value


class NewCase(Written):
    """A case as `add` (or a case file) records it; the fields given are the ones stored."""

    provider: str
    amount: Yuan
    paid_on: date
    brand: str | None = None
    model: str | None = None
    serial: str | None = None
    merchant_no: str | None = None
    paid_via: str | None = None
    agent_name: str | None = None
    agent_phone: str | None = None
    activated_on: date | None = None
    condition_volume: Yuan | None = None
    condition_count: int | None = None
    condition_days: int | None = None
    condition_return: bool = False
    no_condition: bool = False
    refund_within: InstanceOf[RefundWithin] | None = None
    promised_refund_on: date | None = None
    condition_text: str | None = None
    note: str | None = None
    met_on: date | None = None
    returned_on: date | None = None
    agent_company: str | None = None
    paid_to: str | None = None


class CaseChanges(Written):
    """Fields of a case to change (`edit`, `met`, `returned`, `close`, `reopen`): exactly
    the fields given, `None` clearing one; the three required fields cannot be cleared."""

    provider: str | None = None
    amount: Yuan | None = None
    paid_on: date | None = None
    brand: str | None = None
    model: str | None = None
    serial: str | None = None
    merchant_no: str | None = None
    paid_via: str | None = None
    agent_name: str | None = None
    agent_phone: str | None = None
    activated_on: date | None = None
    condition_volume: Yuan | None = None
    condition_count: int | None = None
    condition_days: int | None = None
    condition_return: bool = False
    no_condition: bool = False
    refund_within: InstanceOf[RefundWithin] | None = None
    promised_refund_on: date | None = None
    condition_text: str | None = None
    note: str | None = None
    met_on: date | None = None
    returned_on: date | None = None
    closed_on: date | None = None
    close_reason: str | None = None
    agent_company: str | None = None
    paid_to: str | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> CaseChanges:
        for name in ("provider", "amount", "paid_on"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be cleared")
        return self


class NewProgress(Written):
    case_id: int
    on: date
    volume: Yuan
    count: int | None = None
    source: str = "manual"
    note: str | None = None


class NewContact(Written):
    case_id: int
    on: date
    at_time: time | None = None
    channel: str
    to: str | None = None
    ticket: str | None = None
    outcome: str | None = None
    promised_by: date | None = None
    summary: str | None = None
    refund_request: bool = False
    incoming: bool = False
    reason: str | None = None
    letter: str | None = None
    via: str | None = None
    tracking: str | None = None
    delivered_on: date | None = None
    #: The ledger head the sent letter states in its footer, "COUNT:HASH12" (m006).
    ledger_head: str | None = None


class NewRefund(Written):
    case_id: int
    on: date
    amount: Yuan
    note: str | None = None


class NewEvidence(Written):
    """A file already copied into the evidence store, to be recorded."""

    case_id: int
    sha256: str
    name: str
    size: int
    kind: str
    added_on: date
    note: str | None = None
    contact_id: int | None = None
    dated_on: date | None = None


class ProfileChanges(Written):
    """Complainant details to change: exactly the fields given, `None` clearing one."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    id_number: str | None = None
    email: str | None = None
    capacity: str | None = None
    business_name: str | None = None
    business_licence: str | None = None
    payee_account: str | None = None


def given(model: BaseModel) -> dict[str, Any]:
    """The fields a write model was given, in the model's field order."""
    return {k: getattr(model, k) for k in type(model).model_fields if k in model.model_fields_set}
