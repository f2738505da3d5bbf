"""The facts a ledger holds, as immutable pydantic models."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

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


class State(StrEnum):
    AWAITING_ACTIVATION = "awaiting_activation"
    CONDITION_PENDING = "condition_pending"
    CONDITION_FAILED = "condition_failed"
    REFUND_PENDING = "refund_pending"
    OVERDUE = "overdue"
    REFUNDED = "refunded"
    CLOSED = "closed"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Profile(Frozen):
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    id_number: str | None = None
    email: str | None = None
    capacity: str | None = None  # individual | individual-business | company; None: individual
    business_name: str | None = None
    business_licence: str | None = None
    payee_account: str | None = None

    @property
    def capacity_or_default(self) -> str:
        """The merchant's capacity, `individual` when never set."""
        return self.capacity or DEFAULT_CAPACITY


class RefundWithin(Frozen):
    """A refund time limit: `30d` calendar days or `15wd` working days."""

    n: int = Field(ge=0)
    unit: Literal["d", "wd"]

    def __str__(self) -> str:
        return f"{self.n}{self.unit}"


class Condition(Frozen):
    """What must happen before the deposit is owed back."""

    volume: Decimal | None = None
    count: int | None = None
    days: int | None = None
    on_return: bool = False
    none: bool = False

    @property
    def kind(self) -> Literal["none", "return", "target", "unknown"]:
        if self.none:
            return "none"
        if self.on_return:
            return "return"
        if self.volume is not None or self.count is not None or self.days is not None:
            return "target"
        return "unknown"


class Case(Frozen):
    id: int
    provider: str
    amount: Decimal
    paid_on: date
    brand: str | None = None
    model: str | None = None
    serial: str | None = None
    merchant_no: str | None = None
    paid_via: str | None = None
    agent_name: str | None = None
    agent_phone: str | None = None
    activated_on: date | None = None
    condition: Condition = Condition()
    refund_within: RefundWithin | None = None
    promised_refund_on: date | None = None
    condition_text: str | None = None
    note: str | None = None
    met_on: date | None = None
    returned_on: date | None = None
    closed_on: date | None = None
    close_reason: str | None = None
    agent_company: str | None = None  # the 代理商/服务商 company, a second respondent
    paid_to: str | None = None  # who took the money: institution | agent-company | salesperson


class Progress(Frozen):
    id: int
    case_id: int
    on: date
    volume: Decimal
    count: int | None = None
    source: str = "manual"
    note: str | None = None
    label: str = ""
    void_reason: str | None = None


class Contact(Frozen):
    id: int
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
    incoming: bool = False  # a reply from the other side, not the merchant's own contact
    #: Why the other side refused (`--outcome rejected --reason …`).
    reason: str | None = None
    #: A letter recorded by `sent`: the recipient (a RECIPIENT value), how it went out
    #: (a VIA value), the postal or e-mail tracking number and the day it was delivered.
    letter: str | None = None
    via: str | None = None
    tracking: str | None = None
    delivered_on: date | None = None
    label: str = ""
    void_reason: str | None = None


def own_contacts(contacts: tuple[Contact, ...]) -> tuple[Contact, ...]:
    """The merchant's own contacts: the replies of the other side (`incoming`) are
    neither a refund request, nor a complaint, nor a contact to follow up."""
    return tuple(c for c in contacts if not c.incoming)


class Evidence(Frozen):
    id: int
    case_id: int
    sha256: str
    name: str
    size: int
    kind: str
    added_on: date
    note: str | None = None
    contact_id: int | None = None
    dated_on: date | None = None  # the document's own date (`evidence add --dated`)
    label: str = ""
    void_reason: str | None = None


class Refund(Frozen):
    id: int
    case_id: int
    on: date
    amount: Decimal
    note: str | None = None
    label: str = ""
    void_reason: str | None = None


class HistoryEntry(Frozen):
    id: int
    case_id: int | None
    at: datetime
    action: str
    by: str | None = None
    changes: dict[str, Any] = Field(default_factory=dict)


#: A recorded row of a case; its `label` (`P1`, `C2`, `R1`, `E3`) names it in `show`,
#: `void` and `unvoid`: the letter of its kind and its number among the case's rows of
#: that kind in order of entry, void rows included, so a label never changes.
Row = Progress | Contact | Evidence | Refund


class CaseFacts(Frozen):
    """Everything the ledger knows about one case.

    `progress`, `contacts`, `evidence` and `refunds` hold only the rows in force: every
    computation and output reads these. The rows taken out of the record (`void`) are
    in `voided` alone, for `show`.
    """

    case: Case
    progress: tuple[Progress, ...] = ()
    contacts: tuple[Contact, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    refunds: tuple[Refund, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    voided: tuple[Row, ...] = ()


# -- writes ------------------------------------------------------------------------------
# What the ledger is asked to store. Money is `Yuan`: a Decimal in yuan, never an int or a
# float (pydantic refuses both), so no value's Python type can decide whether it is yuan
# or fen; the ledger turns it into `*_fen` columns. Which optional fields an edit sets
# (`model_fields_set`) is what it changes: `CaseChanges(serial=None)` clears the serial,
# `CaseChanges()` changes nothing.

Yuan = Annotated[Decimal, Strict(), Field(decimal_places=2)]


class NewCase(Frozen):
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
    refund_within: RefundWithin | None = None
    promised_refund_on: date | None = None
    condition_text: str | None = None
    note: str | None = None
    met_on: date | None = None
    returned_on: date | None = None
    agent_company: str | None = None
    paid_to: str | None = None


class CaseChanges(Frozen):
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
    refund_within: RefundWithin | None = None
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


class NewProgress(Frozen):
    case_id: int
    on: date
    volume: Yuan
    count: int | None = None
    source: str = "manual"
    note: str | None = None


class NewContact(Frozen):
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


class NewRefund(Frozen):
    case_id: int
    on: date
    amount: Yuan
    note: str | None = None


class NewEvidence(Frozen):
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


class ProfileChanges(Frozen):
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
