"""The facts a ledger holds, as they are read: immutable slotted dataclasses.

No pydantic here (issue 12: `status` imports this module and not a validation library).
Nothing read needs validating: the rows come from the ledger through `store.rows`, which
makes every text safe to show (`safe`) and every value typed; a row that cannot be read
is an error there. The write models, which check typed input, are pydantic
(core/models.py, which re-exports these)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from depositctl.core.recordtype import field, fields_of, record
from depositctl.core.strenum import StrEnumBase, member
from depositctl.core.vocab import DEFAULT_CAPACITY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Literal, TypeVar
else:
    from depositctl.core.hints import Literal, TypeVar


class State(StrEnumBase):
    """A case's state: an `enum.StrEnum` as `core.strenum` makes one (no `enum` import)."""

    AWAITING_ACTIVATION: ClassVar[State] = member("awaiting_activation")
    CONDITION_PENDING: ClassVar[State] = member("condition_pending")
    CONDITION_FAILED: ClassVar[State] = member("condition_failed")
    REFUND_PENDING: ClassVar[State] = member("refund_pending")
    OVERDUE: ClassVar[State] = member("overdue")
    REFUNDED: ClassVar[State] = member("refunded")
    CLOSED: ClassVar[State] = member("closed")


# Each state as a name of this module, for the code run once a case of a listing
# (`settle`, the ladder): Python 3.11 read `State.OVERDUE` of an `enum.StrEnum` through
# the `__getattr__` hook of `EnumType`, 5 times a plain class attribute's cost, and
# `settle` read up to 11 a case, a quarter of its instructions (issue 12); a module name
# is still the cheapest read. The very members: `state is OVERDUE` is `state is
# State.OVERDUE`.
AWAITING_ACTIVATION = State.AWAITING_ACTIVATION
CONDITION_PENDING = State.CONDITION_PENDING
CONDITION_FAILED = State.CONDITION_FAILED
REFUND_PENDING = State.REFUND_PENDING
OVERDUE = State.OVERDUE
REFUNDED = State.REFUNDED
CLOSED = State.CLOSED


#: What a value read from the ledger may not bring to a terminal or a letter: C0/C1 controls
#: (an escape sequence), bidi controls, zero-width characters and what XML cannot hold.
#: Values written through the checks never have them; a ledger edited by hand or an old
#: one may. As patterns (what they are: tests/test_listing_records.py holds the tables
#: below to them over all of Unicode); found and replaced with `str` methods, without
#: `re` (with `enum`, a tenth of a 5-case `status`, issue 12, which imported it for any
#: text with an ideographic space U+3000). No character of either is printable
#: (`str.isprintable`), so a text that is printable needs no other test.
_UNSAFE = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
_BREAKS = "[\n\r\t\u2028\u2029]"
_EITHER = f"{_UNSAFE}|{_BREAKS}"
#: `_UNSAFE` but the surrogates (U+D800-DFFF: what UTF-8 cannot encode, `_surrogate`).
_UNSAFE_SPANS = (
    (0x00, 0x08),
    (0x0B, 0x1F),
    (0x7F, 0x9F),
    (0x61C, 0x61C),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2060),
    (0x2066, 0x2069),
    (0xFEFF, 0xFEFF),
    (0xFFFE, 0xFFFF),
)
_TO_FFFD = dict.fromkeys([c for a, b in _UNSAFE_SPANS for c in range(a, b + 1)], "\ufffd")
_TO_SPACE = dict.fromkeys(map(ord, "\n\r\t\u2028\u2029"), " ")
_UNSAFE_CHARS = frozenset(map(chr, _TO_FFFD))
_BREAK_CHARS = frozenset(map(chr, _TO_SPACE))
_EITHER_CHARS = _UNSAFE_CHARS | _BREAK_CHARS
#: Read fields that may hold line breaks (see core.inputs.MULTILINE_FIELDS).
_MULTILINE = frozenset({"note", "summary", "condition_text", "reason", "changes"})


def _surrogate(text: str) -> bool:
    """Whether `text` holds a surrogate code point (what strict UTF-8 cannot encode)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


def _needs_showing(text: str) -> bool:
    """Whether `_EITHER` is found in `text`."""
    return not _EITHER_CHARS.isdisjoint(text) or _surrogate(text)


def shown(value: str, multiline: bool) -> str:
    """A value read from the ledger as it may be shown: each unsafe character becomes
    U+FFFD (visible, so nothing is hidden), line breaks in a one-line field a space."""
    if not _UNSAFE_CHARS.isdisjoint(value):
        value = value.translate(_TO_FFFD)
    if _surrogate(value):
        value = "".join(["\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value])
    if not multiline and not _BREAK_CHARS.isdisjoint(value):
        value = value.translate(_TO_SPACE)
    return value


def safe(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of a record read from the ledger, each text made safe to show (`shown`):
    every value read from the ledger passes here before it becomes a record."""
    texts = "".join([v for v in values.values() if type(v) is str])
    if texts.isprintable() or not _needs_showing(texts):  # the common case: one test
        return values
    for k, v in values.items():
        if isinstance(v, str) and _needs_showing(v):
            values = {**values, k: shown(v, k in _MULTILINE)}
    return values


@record()
class Profile:
    """The complainant (one row)."""

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


@record()
class RefundWithin:
    """A refund time limit: `30d` calendar days or `15wd` working days."""

    n: int
    unit: Literal["d", "wd"]

    def __post_init__(self) -> None:
        if not (isinstance(self.n, int) and self.n >= 0 and self.unit in ("d", "wd")):
            raise ValueError(f"not a refund time limit: {self.n!r} {self.unit!r}")

    def __str__(self) -> str:
        return f"{self.n}{self.unit}"

    @classmethod
    def from_text(cls, text: str) -> RefundWithin:
        """`str(limit)` read back from the ledger (`30d`, `15wd`); ValueError for any
        other text."""
        if text.endswith("wd"):
            return cls(n=int(text[:-2]), unit="wd")
        return cls(n=int(text[:-1]), unit="d")


@record()
class Condition:
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


@record()
class Case:
    """One terminal's deposit."""

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


@record()
class Progress:
    """Card volume recorded on a day."""

    id: int
    case_id: int
    on: date
    volume: Decimal
    count: int | None = None
    source: str = "manual"
    note: str | None = None
    label: str = ""
    void_reason: str | None = None


@record()
class Contact:
    """A call, chat, complaint, letter or reply."""

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


@record()
class Evidence:
    """A file in the content-addressed store."""

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


@record()
class Refund:
    """Money received back."""

    id: int
    case_id: int
    on: date
    amount: Decimal
    note: str | None = None
    label: str = ""
    void_reason: str | None = None


@record()
class HistoryEntry:
    """One entry of the hash-chained history."""

    id: int
    case_id: int | None
    at: datetime
    action: str
    by: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)


#: A recorded row of a case; its `label` (`P1`, `C2`, `R1`, `E3`) names it in `show`,
#: `void` and `unvoid`: the letter of its kind and its number among the case's rows of
#: that kind in order of entry, void rows included, so a label never changes.
Row = Progress | Contact | Evidence | Refund


@record()
class CaseFacts:
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


_R = TypeVar("_R")
#: A field's annotation (this module's, as text) -> the types a value read may have.
_TYPE_NAMES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "Decimal": (Decimal,),
    "date": (date,),
    "time": (time,),
    "datetime": (datetime,),
    "None": (type(None),),
    "Condition": (Condition,),
    "RefundWithin": (RefundWithin,),
}
_FIELD_TYPES: dict[type, dict[str, tuple[type, ...]]] = {}


def _field_types(cls: type) -> dict[str, tuple[type, ...]]:
    out = _FIELD_TYPES.get(cls)
    if out is None:
        out = {}
        for f in fields_of(cls):
            allowed: tuple[type, ...] = ()
            for part in str(f.type).split(" | "):
                allowed += (str,) if part.startswith("Literal[") else _TYPE_NAMES[part]
            out[f.name] = allowed
        _FIELD_TYPES[cls] = out
    return out


def read(cls: type[_R], values: dict[str, Any]) -> _R:
    """A record of `cls` from values read from the ledger: each of its field's type (a
    TypeError names the first that is not: a row edited outside depositctl), each text
    made safe to show (`safe`)."""
    types = _field_types(cls)
    for k, v in values.items():
        if not isinstance(v, types[k]):
            raise TypeError(f"{cls.__name__}.{k}: {type(v).__name__} {v!r}")
    return cls(**safe(values))
