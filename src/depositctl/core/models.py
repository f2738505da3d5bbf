"""The facts a ledger holds, as immutable pydantic models."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
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


#: What a value read from the ledger may not bring to a terminal or a letter: C0/C1 controls
#: (an escape sequence), bidi controls, zero-width characters and what XML cannot hold.
#: Values written through the checks never have them; a ledger edited by hand or an old
#: one may.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
_BREAKS = re.compile("[\n\r\t\u2028\u2029]")
#: Read fields that may hold line breaks (see core.inputs.MULTILINE_FIELDS).
_MULTILINE = frozenset({"note", "summary", "condition_text", "reason", "changes"})


def shown(value: str, multiline: bool) -> str:
    """A value read from the ledger as it may be shown: each unsafe character becomes
    U+FFFD (visible, so nothing is hidden), line breaks in a one-line field a space."""
    if _UNSAFE.search(value):
        value = _UNSAFE.sub("\ufffd", value)
    if not multiline and _BREAKS.search(value):
        value = _BREAKS.sub(" ", value)
    return value


class Read(Frozen):
    """A read model: text from the ledger is made safe to show (`shown`)."""

    @model_validator(mode="before")
    @classmethod
    def _shown(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for k, v in data.items():
                if isinstance(v, str) and (_UNSAFE.search(v) or _BREAKS.search(v)):
                    data = {**data, k: shown(v, k in _MULTILINE)}
        return data


class Profile(Read):
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


class Case(Read):
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


class Progress(Read):
    id: int
    case_id: int
    on: date
    volume: Decimal
    count: int | None = None
    source: str = "manual"
    note: str | None = None
    label: str = ""
    void_reason: str | None = None


class Contact(Read):
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
    #: The ledger head a sent letter states in its footer, "COUNT:HASH12" (m006).
    ledger_head: str | None = None
    label: str = ""
    void_reason: str | None = None


def own_contacts(contacts: tuple[Contact, ...]) -> tuple[Contact, ...]:
    """The merchant's own contacts: the replies of the other side (`incoming`) are
    neither a refund request, nor a complaint, nor a contact to follow up."""
    return tuple(c for c in contacts if not c.incoming)


class Evidence(Read):
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


class Refund(Read):
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
    refund_within: RefundWithin | None = None
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
