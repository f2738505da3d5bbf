"""The derived cache (issue 12): one row per case with what `core.deadlines.derive`
computes from its facts, so `status` settles stored rows instead of recomputing every
case on every run.

The cache is no fact. Each row is a pure function of a key: the case's facts (triggers
of migration m005 put a case into `_derived_dirty` on any insert, update or delete of its
facts, so edits made with sqlite3 count too), the rule table, the calendar data (the
package's and the user's file, by content), the settings and `DERIVE_VERSION`. A row is
language-neutral (the English templates, as `derive` returns them) and holds nothing that
depends on `today`. Writers recompute their cases inside their own transaction
(`Ledger.atomic`); a read recomputes any case left dirty or computed under another key.
`check`'s replay, `export` and the history never see it; deleting it loses nothing;
`check` verifies it by recomputing (`problems`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from stat import S_ISREG

from depositctl.core import jsontext
from depositctl.core.caseview import Basis, Deadline, Totals
from depositctl.core.channels import OverdueFacts
from depositctl.core.deadlines import Branch, Derived
from depositctl.core.digest import blake2b
from depositctl.core.errors import UserError
from depositctl.core.records import Case, CaseFacts, Condition, RefundWithin, safe
from depositctl.core.recordtype import builder, fields_of, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from depositctl.core.caseview import CaseView
    from depositctl.core.evaluator import Evaluator
    from depositctl.store.ledger import Ledger
    from depositctl.store.replay import Problem

#: Bump whenever `derive` or this encoding changes what a row holds: every stored row
#: is then recomputed on the next read (a package upgrade never reads stale rows).
DERIVE_VERSION = 6

#: Above this many stale cases a read recomputes the whole cache in one streamed pass.
BULK = 200


# -- the key ------------------------------------------------------------------------------
def cache_key(led: Ledger) -> str:
    """The key every row of the ledger's cache must have been computed under."""
    return key_of(led.db.conn, led.path)


def key_of(conn: sqlite3.Connection, ledger_path: str | os.PathLike[str]) -> str:
    """`cache_key` of the ledger at `ledger_path` open as `conn` (the fast path of
    `status` reads with a plain connection)."""
    from depositctl import data
    from depositctl.store.calendar import calendar_file, file_stat, package_calendar_digest

    h = blake2b()
    h.update(f"derive {DERIVE_VERSION}\0".encode())
    h.update(b"rules\0" + data.rules_digest())
    h.update(b"\0package calendar\0" + package_calendar_digest())
    path = calendar_file(ledger_path)
    st = file_stat(path)
    user = None
    if st is not None and S_ISREG(st.st_mode):
        with open(path, "rb") as f:
            user = f.read()
    h.update(b"\0user calendar\0" + (blake2b(user).digest() if user is not None else b"-"))
    for key, value in conn.execute("SELECT key, value FROM settings ORDER BY key"):
        h.update(f"\0setting {key}={value}".encode())
    return h.hexdigest()[:32]


# -- one row ------------------------------------------------------------------------------
def _d(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


#: A day read back (inline where a listing reads one per case: no call per day).
_iso = date.fromisoformat


#: What no amount, volume or sum of a row reaches (a value edited by hand to more digits
#: than output can show with two decimals is an unreadable row, not a traceback there).
_LIMIT = Decimal("1e20")


def _number(text: str) -> Decimal:
    value = _NUMBERS.get(text)
    if value is None:
        if text.__class__ is not str:  # a JSON number or bool: no key of the memo either
            raise TypeError(f"not an amount: {text!r:.50}")
        value = Decimal(text)
        if not value.is_finite() or abs(value) >= _LIMIT:
            raise ValueError(f"not an amount: {text!r}")
        if len(_NUMBERS) < 4096:
            _NUMBERS[text] = value
    return value


#: The amounts read back, by their text: deposits, refunds and volumes repeat from case
#: to case (a Decimal never changes), and making one cost a listing ~3 % (issue 12).
_NUMBERS: dict[str, Decimal] = {}


class _Bases:
    """Encoding: the bases of one row, in the order they are met; each place that has one
    holds its index in the row's list of bases (`encode`)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[list[Any]] = []

    def __call__(self, b: Basis | None) -> int | None:
        if b is None:
            return None
        self.items.append([b.rule, b.text, b.params, b.citation])
        return len(self.items) - 1


class _Tail:
    """Decoding: what a row holds after its head (`encode`), its second and third lines:
    the bases of its dates, then the rest of its case and its unmet branch; each line
    parsed on the first look at anything it holds (`StoredDeadline`, `StoredBasis`,
    `StoredCase`, `StoredDerived`)."""

    __slots__ = ("bases", "data", "end", "rest")

    def __init__(self, data: str | bytes, end: int) -> None:
        self.data = data
        self.end = end  # where the head ends: its line break
        self.bases: list[Any] | None = None
        self.rest: list[Any] | None = None

    def __call__(self, i: int) -> Basis:
        """The basis of index `i`."""
        if not isinstance(i, int) or isinstance(i, bool) or i < 0:  # -1 would be the last
            raise TypeError(f"not a basis index: {i!r:.50}")
        if self.bases is None:
            self._bases_line()
        assert self.bases is not None
        return _basis(self.bases[i])

    def case_rest(self) -> dict[str, Any]:
        """The case's fields the head does not hold, read back and checked (`_rest_back`)."""
        if self.rest is None:
            self._rest_line()
        assert self.rest is not None
        return self.rest[0]  # type: ignore[no-any-return]

    def unmet(self, lazy: bool) -> Branch | None:
        if self.rest is None:
            self._rest_line()
        assert self.rest is not None
        v = self.rest[1]
        return None if v is None else _branch_back(v, self, lazy)

    def _lines(self) -> None:
        """Both lines after the head, parsed and checked (a row read whole)."""
        self._bases_line()
        self._rest_line()

    def _last(self) -> int:
        """Where the third line starts (after its line break)."""
        data, end = self.data, self.end
        nl: Any = "\n" if data.__class__ is str else b"\n"
        if data[end : end + 1] != nl:
            raise TypeError("no line break after the head of a row")
        last = data.rfind(nl)
        if last <= end:
            raise TypeError("no third line in a row")
        return last

    def _line(self, start: int, end: int | None) -> str:
        """A line of the row as text: bytes decoded as UTF-8, strictly (`json.loads` would
        take bytes for UTF-16 or 32 too, and let a lone surrogate through)."""
        line = self.data[start:end]
        return line.decode() if isinstance(line, bytes) else line

    def _bases_line(self) -> None:
        bases = jsontext.loads(self._line(self.end + 1, self._last()))
        if not isinstance(bases, list):
            raise TypeError("not a list of bases")
        self.bases = bases

    def _rest_line(self) -> None:
        rest = jsontext.loads(self._line(self._last() + 1, None))
        if not (isinstance(rest, list) and len(rest) == 2 and isinstance(rest[0], list)):
            raise TypeError("not the rest of a row")
        # The line checked whole, whichever part is looked at (a case's rest edited to
        # values it cannot hold is an unreadable row, even where the unmet branch is read).
        self.rest = [_rest_back(rest[0]), rest[1]]


#: The JSON values a basis's parameter may hold: a list or object would be shown through
#: a template's `{p[0]}` as it is.
_PARAM_JSON = (str, int, float, bool, type(None))


def _basis(v: Any) -> Basis:
    """A basis read back, checked as the row's case is (`_head_back`, `_rest_back`): its
    four values, each text safe to show (`records.safe`: depositctl writes no other; a
    text edited by hand to a control, a bidi override or a lone surrogate makes the row
    unreadable, and the listing is the facts')."""
    rule, text, params, citation = v
    if not (
        type(rule) is str
        and type(text) is str
        and type(params) is dict
        and (citation is None or type(citation) is str)
        and all(isinstance(p, _PARAM_JSON) for p in params.values())
    ):
        raise TypeError(f"not a basis: {v!r:.200}")
    texts = [rule, text, citation or "", *params, *[p for p in params.values() if type(p) is str]]
    if not "".join(texts).isprintable():
        named = {str(n): t for n, t in enumerate(texts)}
        if safe(named) != named:
            raise TypeError(f"not a basis: {v!r:.200}")
    return Basis(rule=rule, text=text, params=params, citation=citation)


class _Later:
    """A field of a stored record (`_Stored`) read from its row's other lines on the first
    look at it: a data descriptor over the field's slot. A descriptor, not `__getattr__`:
    a class with `__getattr__` slows every attribute read of its instances (the
    interpreter does not specialise them), the fields read at once included."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot  # the record's own descriptor of the field

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return self.slot.__get__(obj, owner)
        except AttributeError:  # not read yet
            obj._read_later()
            return self.slot.__get__(obj, owner)

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


class _Stored:
    """What the records of a stored row that read some fields later have in common: each
    is equal to, hashed and shown as the record it stands for (`_plain`), whose class
    it subclasses (`_RECORD`); the fields named in `_later` read by `_read_later`."""

    __slots__ = ()
    _RECORD: type

    def _read_later(self) -> None:
        raise NotImplementedError

    def _plain(self) -> Any:
        # The class call: a `builder` kept for a class no listing reads back into would
        # be one `make record-code` does not prebuild (tests/test_recordtype.py).
        cls = self._RECORD
        return cls(**{f.name: getattr(self, f.name) for f in fields_of(cls)})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self._RECORD):
            return NotImplemented
        return bool(self._plain() == other)

    def __hash__(self) -> int:
        return hash(self._plain())

    def __repr__(self) -> str:
        return repr(self._plain())


def _later(cls: type, names: Iterable[str]) -> None:
    """Fields `names` of `cls` (a `_Stored`) read on the first look (`_Later`)."""
    for name in names:
        setattr(cls, name, _Later(cls._RECORD.__dict__[name]))  # type: ignore[attr-defined]


class StoredBasis(_Stored, Basis):
    """A basis of a stored row, read from the row's second line on the first look at it:
    a listing that shows no basis (`status`) never parses them, a sixth of reading a row
    back (issue 12: the bases are nearly half of a row's JSON). A row edited by hand so
    that its basis cannot be read raises where it is first looked at, inside `settled`
    (an `UnreadableRow`)."""

    __slots__ = ("_i", "_src")
    _RECORD = Basis
    _src: _Tail
    _i: int

    def _read_later(self) -> None:
        b = self._src(self._i)
        for f in _BASIS_FIELDS:
            setattr(self, f, getattr(b, f))


_BASIS_FIELDS = tuple(f.name for f in fields_of(Basis))
_later(StoredBasis, _BASIS_FIELDS)


class StoredDeadline(_Stored, Deadline):
    """A date of a stored row read for a listing: its basis read from the row's second
    line on the first look at it (`StoredBasis` for why), by the deadline itself (one
    record a date, not two: issue 12). A basis that cannot be read raises where it is
    first looked at, as a `StoredBasis`'s."""

    __slots__ = ("_i", "_src")
    _RECORD = Deadline
    _src: _Tail
    _i: int

    def _read_later(self) -> None:
        self.basis = self._src(self._i)  # type: ignore[misc]


_later(StoredDeadline, ["basis"])


def _deadline(d: Deadline | None, kind: str, bases: _Bases) -> list[Any] | None:
    """A date as its row holds it: its day, its basis, its flags (`_FLAGS`) and contact;
    the day and basis alone for a date with neither (most: a listing parses two values
    less of each). Its kind is its place in the row (`kind`: the one `derive` gives that
    place)."""
    if d is None:
        return None
    if d.kind != kind:
        raise ValueError(f"a {d.kind} deadline where the row holds its {kind}")
    flags = d.estimate | d.is_default << 1 | d.provisional << 2
    if not flags and d.contact_id is None:
        return [d.on.isoformat(), bases(d.basis)]
    return [d.on.isoformat(), bases(d.basis), flags, d.contact_id]


#: A date's flags read back, by their number (`_deadline`): estimate, is_default,
#: provisional; a number outside these is an unreadable row (a KeyError).
_FLAGS = {n: (bool(n & 1), bool(n & 2), bool(n & 4)) for n in range(8)}


def _deadline_back(v: list[Any] | None, kind: str, tail: _Tail, lazy: bool) -> Deadline | None:
    """A date read back (`_deadline`); with `lazy`, a `StoredDeadline` whose basis is read
    on the first look at it."""
    if v is None:
        return None
    if len(v) == 2:  # no flag, no contact
        on, b = v
        estimate = is_default = provisional = False
        contact_id = None
    else:
        on, b, flags, contact_id = v  # any other length: a ValueError, an unreadable row
        if contact_id is not None and contact_id.__class__ is not int:
            # `agenda` sorts the follow-ups on it: an int or None
            raise TypeError(f"not a contact id: {contact_id!r:.50}")
        if flags.__class__ is not int:  # True and 1.0 are the key 1 of `_FLAGS` too
            raise TypeError(f"not the flags of a date: {flags!r:.50}")
        estimate, is_default, provisional = _FLAGS[flags]
    if not lazy:
        # A deadline always has its basis: None is an unreadable row.
        return _DEADLINE(kind, _iso(on), tail(b), estimate, is_default, contact_id, provisional)
    # No class call and no second record for its basis: three dates a case (issue 12).
    d: Any = _new(StoredDeadline)
    d.kind = kind
    d.on = _iso(on)
    d.estimate = estimate
    d.is_default = is_default
    d.contact_id = contact_id
    d.provisional = provisional
    d._src = tail
    d._i = b
    return d  # type: ignore[no-any-return]


def _branch(b: Branch, bases: _Bases) -> list[Any]:
    return [
        _d(b.met_on),
        bases(b.met_basis),
        _d(b.trigger_on),
        bases(b.trigger_basis),
        _deadline(b.due, "refund_due", bases),
        _deadline(b.limitation, "limitation", bases),
        _deadline(b.restart, "limitation_restart", bases),
    ]


def _branch_back(v: list[Any], tail: _Tail, lazy: bool) -> Branch:
    if v == _NULLS:  # a list of seven nulls (a JSON list equals no other value)
        return _NO_BRANCH
    met_basis, trigger_basis = v[1], v[3]
    if met_basis is not None:
        met_basis = _stored_basis(tail, met_basis) if lazy else tail(met_basis)
    if trigger_basis is not None:
        trigger_basis = _stored_basis(tail, trigger_basis) if lazy else tail(trigger_basis)
    return _BRANCH(
        None if v[0] is None else _iso(v[0]),
        met_basis,
        None if v[2] is None else _iso(v[2]),
        trigger_basis,
        _deadline_back(v[4], "refund_due", tail, lazy),
        _deadline_back(v[5], "limitation", tail, lazy),
        _deadline_back(v[6], "limitation_restart", tail, lazy),
    )


def _stored_basis(src: _Tail, i: int) -> Basis:
    """The basis of index `i` of a branch as a `StoredBasis` (checked where it is read):
    a date reads its own (`StoredDeadline`), but `settle` copies a branch's bases into
    the view, which would read them."""
    b: Any = _new(StoredBasis)  # no class call (issue 12)
    b._src = src
    b._i = i
    return b  # type: ignore[no-any-return]


#: A branch of no date (a condition neither met nor failed yet: a third of the open cases
#: of a ledger), and the one record every row holding it reads back into (records are
#: never changed: mypy refuses any assignment to a field).
_NULLS = [None] * 7
_NO_BRANCH = Branch(None, None, None, None, None, None, None)


def _overdue(o: OverdueFacts | None) -> list[Any] | None:
    if o is None:
        return None
    return [
        o.has_complaint,
        _d(o.answer_by),
        o.provider_answered,
        o.used_12363,
        _d(o.demand_on),
        _d(o.demand_delivered_on),
        _d(o.reply_by),
        None if o.demand_answer is None else [_d(o.demand_answer[0]), o.demand_answer[1]],
        o.used_court,
        [[r, _d(u)] for r, u in o.taken],
        [[r, _d(u)] for r, u in o.pending],
        o.follow_up_answered,
        o.waiting_on,
    ]


_BOOLS = (bool,) * 5


def _overdue_back(v: list[Any] | None) -> OverdueFacts | None:
    if v is None:
        return None
    answer = v[7]
    # Its flags as written, bools (settling takes any value as true or false).
    flags = (v[0].__class__, v[2].__class__, v[3].__class__, v[8].__class__, v[11].__class__)
    if flags != _BOOLS:
        raise TypeError(f"not the overdue facts of a row: {v!r:.200}")
    waiting = v[12]  # the channel waited on: `_name`'s test inline (most overdue cases)
    if waiting is not None and (waiting.__class__ is not str or not waiting.isprintable()):
        _name(waiting, "a channel")  # raises
    return _OVERDUE_FACTS(
        v[0],
        None if v[1] is None else _iso(v[1]),
        v[2],
        v[3],
        None if v[4] is None else _iso(v[4]),
        None if v[5] is None else _iso(v[5]),
        None if v[6] is None else _iso(v[6]),
        None
        if answer is None
        else (_iso(answer[0]), None if answer[1] is None else _name(answer[1], "an outcome")),
        v[8],
        # No generator for none (most cases): making one cost more than the rest here.
        tuple([(_name(r, "a route"), None if u is None else _iso(u)) for r, u in v[9]])
        if v[9]
        else (),
        tuple([(_name(r, "a route"), _iso(u)) for r, u in v[10]]) if v[10] else (),
        v[11],
        waiting,
    )


def _name(value: Any, what: str) -> str:
    """A name a next action shows (a route, a channel, an outcome) read back: a text safe
    to show, as what `derive` makes of facts made safe (`records.safe`) always is; else
    the row was edited by hand."""
    if value.__class__ is not str or not value.isprintable():
        raise TypeError(f"not {what}: {value!r:.50}")
    return value


def encode(d: Derived) -> str:
    """The row's `data`: everything `derive` found except the facts, as compact JSON on
    three lines (compact JSON holds no line break): the head a listing reads of every
    case; the bases of its dates (`_Bases`); the rest of its case and its unmet branch.
    A listing parses the head alone (`decode(lazy=True)`): the other lines are read
    where a reader first looks at what they hold."""
    fc = d.follow_contact
    bases = _Bases()
    case = d.facts.case
    head = _ascii(
        [
            str(d.refunded),
            str(d.outstanding),
            str(d.progress_volume),
            d.progress_count,
            d.has_progress,
            _deadline(d.condition_deadline, "condition", bases),
            _branch(d.met, bases),
            _deadline(d.open_follow_up, "follow_up", bases),
            None if fc is None else [fc[0], fc[1].isoformat(), fc[2]],
            _overdue(d.overdue),
            _case_head(case),
        ]
    )
    unmet = None if d.unmet is None else _branch(d.unmet, bases)
    rest = _dumps([_case_rest(case), unmet])
    return f"{head}\n{_dumps(bases.items)}\n{rest}"


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _ascii(value: Any) -> str:
    """The head as ASCII (its few other characters escaped): a listing turns it from
    bytes into text at a byte's cost, and parses it faster."""
    import json

    return json.dumps(value, separators=(",", ":"))


#: The case's fields in a row's head: what a listing shows of a case (its number, the
#: provider and terminal, the amount) or settles on (the dates and the condition). The
#: others are in its third line (`_REST_FIELDS`).
_HEAD_FIELDS = ("id", "provider", "amount", "brand", "serial", "activated_on", "closed_on")
_CASE_FIELDS = tuple(f.name for f in fields_of(Case))
_REST_FIELDS = tuple(n for n in _CASE_FIELDS if n not in {*_HEAD_FIELDS, "condition"})


def _case_head(c: Case) -> list[Any]:
    """`_HEAD_FIELDS`, then the condition (fresh rows only: any change to the case's facts
    makes its row stale first)."""
    cond = c.condition
    return [
        c.id,
        c.provider,
        str(c.amount),
        c.brand,
        c.serial,
        _d(c.activated_on),
        _d(c.closed_on),
        [
            None if cond.volume is None else str(cond.volume),
            cond.count,
            cond.days,
            cond.on_return,
            cond.none,
        ],
    ]


def _case_rest(c: Case) -> list[Any]:
    """`_REST_FIELDS`: dates and the refund time limit as text."""
    out = []
    for name in _REST_FIELDS:
        value = getattr(c, name)
        out.append(value if value is None or type(value) is str else str(value))
    return out


#: The refund time limits read back, by their text: a handful of distinct values among
#: thousands of cases, and a record never changes.
_WITHIN: dict[str, RefundWithin] = {}


def _within(text: str) -> RefundWithin:
    found = _WITHIN.get(text)
    if found is None:
        found = _WITHIN[text] = RefundWithin.from_text(text)
    return found


#: The JSON type of each value of `_case_head` and `_case_rest`, in order (amounts and
#: dates as text): the check `records.read` makes of a `cases` row, made here in one pass
#: over the JSON list (through `records.read`, reading back a stored case cost a third
#: more: issue 12).
_NONE = type(None)
_TEXT = (str, _NONE)
_REST_JSON: tuple[type | tuple[type, ...], ...] = (str, *[_TEXT] * (len(_REST_FIELDS) - 1))
#: How `_rest_back` reads each value of the rest that is not a text.
_REST_DATES = frozenset({"paid_on", "promised_refund_on", "met_on", "returned_on"})

#: The records a row is read back into, each made from its fields' values in order
#: (`recordtype.builder`: no keyword dict per record; a quarter of reading a row back).
_CONDITION = builder(Condition)
_DEADLINE = builder(Deadline)
_BRANCH = builder(Branch)
_OVERDUE_FACTS = builder(OverdueFacts)
_FACTS = builder(CaseFacts)


def _head_back(v: Any, c: Any) -> None:
    """`_case_head` read back into the case `c` (made by `object.__new__`): the values of
    `_HEAD_FIELDS` and the condition, each type-checked and each text made safe to show
    (`records.safe`), as a row of `cases` is (`records.read`). Each type exactly (JSON
    reads no subclass but bool), tested value by value: a tuple of the types looked up
    in a set of the allowed ones cost twice as much (issue 12)."""
    if v.__class__ is not list or len(v) != 8:
        raise TypeError(f"not a case: {v!r:.200}")
    cid, provider, amount, brand, serial, activated, closed, cond = v
    if not (
        cid.__class__ is int
        and provider.__class__ is str
        and amount.__class__ is str
        and (brand is None or brand.__class__ is str)
        and (serial is None or serial.__class__ is str)
        and (activated is None or activated.__class__ is str)
        and (closed is None or closed.__class__ is str)
        and cond.__class__ is list
        and len(cond) == 5
    ):
        raise TypeError(f"not a case: {v!r:.200}")
    volume, count, days, on_return, none = cond
    # The types first: 1 and True are one key of `_CONDITIONS`.
    if not (
        (volume is None or volume.__class__ is str)
        and (count is None or count.__class__ is int)
        and (days is None or days.__class__ is int)
        and on_return.__class__ is bool
        and none.__class__ is bool
    ):
        raise TypeError(f"not a condition: {cond!r:.200}")
    key = (volume, count, days, on_return, none)
    condition = _CONDITIONS.get(key)
    if condition is None:
        condition = _condition(key)
    # `safe`'s test first, text by text (joined, they made two strings a case).
    if not (
        provider.isprintable()
        and (brand is None or brand.isprintable())
        and (serial is None or serial.isprintable())
    ):
        shown = safe({"provider": provider, "brand": brand, "serial": serial})
        provider, brand, serial = shown["provider"], shown["brand"], shown["serial"]
    c.id = cid
    c.provider = provider
    try:
        c.amount = _NUMBERS[amount]
    except KeyError:
        c.amount = _number(amount)
    c.brand = brand
    c.serial = serial
    c.activated_on = None if activated is None else _iso(activated)
    c.closed_on = None if closed is None else _iso(closed)
    c.condition = condition


def _condition(key: tuple[Any, ...]) -> Condition:
    volume, *others = key
    condition = _CONDITION(None if volume is None else _number(volume), *others)
    if len(_CONDITIONS) < 4096:
        _CONDITIONS[key] = condition
    return condition


#: The conditions read back, by their values (of the types `_head_back` checks first: no
#: value of another type equal to one of them looks one up): a few among thousands of
#: cases.
_CONDITIONS: dict[tuple[Any, ...], Condition] = {}


def _rest_back(v: list[Any]) -> dict[str, Any]:
    """`_case_rest` read back, by field name: checked as `_head_back` checks the head."""
    if len(v) != len(_REST_FIELDS) or not all(map(isinstance, v, _REST_JSON)):
        raise TypeError(f"not a case: {v!r:.200}")
    out = dict(zip(_REST_FIELDS, v, strict=True))
    for name in _REST_DATES:
        text = out[name]
        if text is not None:
            out[name] = date.fromisoformat(text)
    within = out["refund_within"]
    out["refund_within"] = _within(within) if within else None
    return safe(out)


class StoredCase(_Stored, Case):
    """The case of a stored row: the fields of its head (`_HEAD_FIELDS`, the condition)
    read with the head, the others (`_REST_FIELDS`) from the row's third line on the
    first look at any of them. A listing reads none of those (issue 12: they were a
    third of the head it parsed). A third line that cannot be read raises where it is
    first looked at."""

    __slots__ = ("_tail",)
    _RECORD = Case
    _tail: _Tail

    def _read_later(self) -> None:
        for name, value in self._tail.case_rest().items():
            setattr(self, name, value)


_later(StoredCase, _REST_FIELDS)


class StoredDerived(_Stored, Derived):
    """The `Derived` of a stored row read for a listing: its unmet branch is read from
    the row's third line on the first look at it (`settle` looks at it only for
    a condition met in the future of `today`)."""

    __slots__ = ("_tail",)
    _RECORD = Derived
    _tail: _Tail

    def _read_later(self) -> None:
        self.unmet = self._tail.unmet(True)  # type: ignore[misc]


_later(StoredDerived, ["unmet"])


_new = object.__new__

#: The JSON decoder's `raw_decode`: the row's head without the lines after it.
_raw_decode = jsontext.raw_decode


def decode(data: str | bytes, facts: CaseFacts | None = None, *, lazy: bool = False) -> Derived:
    """A stored row back as a `Derived`: of `facts` when given, else of the case its row
    holds (listings need no more than the case). `lazy`: the head alone is parsed, the
    rest where it is first looked at (`StoredDeadline`, `StoredBasis`, `StoredCase`,
    `StoredDerived`), for a listing that shows no basis. `data` as text, or as its UTF-8
    bytes (as listings read it: `_DATA`), of which only the head is decoded unless more
    is looked at."""
    if data.__class__ is bytes:
        assert isinstance(data, bytes)
        end = data.find(b"\n")
        head = (data if end < 0 else data[:end]).decode()
        v, used = _raw_decode(head)
        if used != len(head):
            raise ValueError("not the head of a row")
        end = len(data) if end < 0 else end
    else:
        assert isinstance(data, str)
        v, end = _raw_decode(data)
    tail: Any = _new(_Tail)  # no class call: once a case (issue 12)
    tail.data = data
    tail.end = end
    tail.bases = tail.rest = None
    if len(v) != 11:
        raise TypeError("not the head of a row")
    fc = v[8]
    if lazy:
        if facts is None:
            case: Any = _new(StoredCase)  # no class call, no tuple of the head's values
            _head_back(v[10], case)
            case._tail = tail
            f: Any = _new(CaseFacts)  # no call: once a case (issue 12)
            f.case = case
            f.progress = f.contacts = f.evidence = f.refunds = f.history = f.voided = ()
            facts = f
        d: Any = _new(StoredDerived)
        d._tail = tail
    else:
        tail._lines()
        if facts is None:
            case = _new(Case)  # a plain case: every field set here (it has no __post_init__)
            _head_back(v[10], case)
            for name, value in tail.case_rest().items():
                setattr(case, name, value)
            facts = _FACTS(case, (), (), (), (), (), ())
        d = _new(Derived)
        d.unmet = tail.unmet(False)
    d.facts = facts
    try:  # the amounts read before (a Decimal 0 is false: no `get(...) or ...`)
        d.refunded, d.outstanding, d.progress_volume = (
            _NUMBERS[v[0]],
            _NUMBERS[v[1]],
            _NUMBERS[v[2]],
        )
    except KeyError:  # one read for the first time (`_number` checks it)
        d.refunded, d.outstanding, d.progress_volume = _number(v[0]), _number(v[1]), _number(v[2])
    # As written (settling takes any value as true or false, or as a count).
    if v[3].__class__ is not int or v[4].__class__ is not bool:
        raise TypeError("not the progress of a row")
    d.progress_count = v[3]
    d.has_progress = v[4]
    d.condition_deadline = _deadline_back(v[5], "condition", tail, lazy)
    d.met = _branch_back(v[6], tail, lazy)
    d.follow_ups = ()  # a listing needs the open one alone
    d.open_follow_up = _deadline_back(v[7], "follow_up", tail, lazy)
    if fc is not None:
        # The next action shows the channel and the letter: a text edited to a control
        # is an unreadable row.
        channel, on, letter = fc
        if channel.__class__ is not str or not channel.isprintable():
            raise TypeError(f"not a channel: {channel!r:.50}")
        if letter is not None and (
            letter.__class__ is not str
            # as a basis's texts are checked (`_basis`): where it was read before
            or (not letter.isprintable() and safe({"letter": letter})["letter"] != letter)
        ):
            raise TypeError(f"not a letter: {letter!r:.50}")
        fc = (channel, _iso(on), letter)
    d.follow_contact = fc
    d.overdue = _overdue_back(v[9])
    return d  # type: ignore[no-any-return]


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


def row(d: Derived, key: str) -> tuple[Any, ...]:
    """The cache row of `d`: the columns the listings select and sum on, then `data`."""
    case = d.facts.case
    closed = case.closed_on is not None
    is_open = not closed and d.outstanding != 0
    met = d.met
    return (
        case.id,
        key,
        int(is_open),
        int(closed),
        _fen(d.outstanding),
        _d(met.due.on if met.due else None),
        _d(met.met_on) if d.unmet is not None else None,
        _d(d.unmet.due.on if d.unmet is not None and d.unmet.due else None),
        encode(d),
    )


COLUMNS = "case_id, key, open, closed, outstanding, due_on, met_on, unmet_due_on, data"
_UPSERT = f"INSERT OR REPLACE INTO _derived ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


# -- keeping it fresh ---------------------------------------------------------------------
@record(kw_only=False)
class _Engine:
    """derive and its key, for recomputing rows."""

    key: str
    ev: Evaluator


def _engine(led: Ledger) -> _Engine:
    from datetime import date as _date

    from depositctl.store.calendar import make_evaluator

    # `today` plays no part in `derive`; any day will do.
    return _Engine(cache_key(led), make_evaluator(led, _date(2000, 1, 1)))


def _derive_all(led: Ledger, ev: Evaluator) -> Iterator[Derived]:
    for facts in led.status_facts():
        yield ev.derive(facts, all_follow_ups=False)


def _derive_some(led: Ledger, ev: Evaluator, ids: list[int]) -> Iterator[Derived]:
    for start in range(0, len(ids), 500):
        for facts in led.all_facts(case_ids=ids[start : start + 500], with_history=False):
            yield ev.derive(facts, all_follow_ups=False)


def _write(led: Ledger, key: str, found: Iterable[Derived], ids: list[int] | None) -> None:
    """Store `found`; drop the rows of cases that are gone; the dirty marks are cleared."""
    db = led.db
    db.conn.executemany(_UPSERT, (row(d, key) for d in found))
    if ids is None:
        db.execute("DELETE FROM _derived WHERE case_id NOT IN (SELECT id FROM cases)")
        db.execute("DELETE FROM _derived_dirty")
        return
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        db.execute(
            f"DELETE FROM _derived WHERE case_id IN ({marks}) "
            "AND case_id NOT IN (SELECT id FROM cases)",
            chunk,
        )
        db.execute(f"DELETE FROM _derived_dirty WHERE case_id IN ({marks})", chunk)


def refresh_dirty(led: Ledger) -> None:
    """A writer's part, inside its transaction: recompute the cases it changed.

    A calendar file that cannot be read leaves them dirty (the writer's own command
    decides whether that is an error; the next read recomputes them), and so does a
    write of more than `BULK` cases (an import): a lock held for a recompute of every
    case would make other writers wait past their busy timeout, and the next read
    recomputes them in one streamed pass.
    """
    try:
        ids = [r[0] for r in led.db.execute("SELECT case_id FROM _derived_dirty ORDER BY case_id")]
    except sqlite3.OperationalError:  # a ledger not yet migrated (m005)
        return
    if not ids or len(ids) > BULK:
        return
    try:
        engine = _engine(led)
    except UserError:
        return
    _write(led, engine.key, _derive_some(led, engine.ev, ids), ids)


def stale_ids(led: Ledger, key: str) -> list[int]:
    """Cases whose row is dirty, missing or computed under another key."""
    return stale_of(led.db.conn, key)


def stale_of(conn: sqlite3.Connection, key: str) -> list[int]:
    """`stale_ids` of the ledger open as `conn`. A row edited by hand so that the totals
    cannot sum it (an `outstanding` that is no amount in fen) or left for a case that is
    gone counts too: the next read rewrites or drops it (`_write`). No case's outstanding
    reaches `MAX_AMOUNT` (1e13 yuan, 1e15 fen); a text is outside any range of numbers."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT case_id FROM _derived_dirty UNION "
            "SELECT case_id FROM _derived WHERE key <> ? "
            "OR outstanding NOT BETWEEN -1000000000000000 AND 1000000000000000 "
            "OR case_id NOT IN (SELECT id FROM cases) UNION "
            "SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM _derived) "
            "ORDER BY 1",
            [key],
        )
    ]


def ensure_fresh(led: Ledger, ev: Evaluator) -> None:
    """A read's part: recompute whatever is stale, in one transaction, before reading.

    `ev` is the reader's evaluator (its calendar, rules and grace period are the key's).
    """
    key = cache_key(led)
    ids = stale_ids(led, key)
    if not ids:
        return
    with led.atomic():
        ids = stale_ids(led, key)  # another process may have done it meanwhile
        if len(ids) > BULK:
            _write(led, key, _derive_all(led, ev), None)
        elif ids:
            _write(led, key, _derive_some(led, ev, ids), ids)


def recompute(led: Ledger) -> None:
    """Drop the cache and compute it again from the facts."""
    engine = _engine(led)
    with led.atomic():
        led.db.execute("DELETE FROM _derived")
        _write(led, engine.key, _derive_all(led, engine.ev), None)


def differences(led: Ledger) -> list[int]:
    """`check`: the cases whose stored row differs from a full recompute (dirty or
    stale rows count as different only when a read would not recompute them)."""
    engine = _engine(led)
    stale = set(stale_ids(led, engine.key))
    # `data` compared as the listings read it, as bytes (`_DATA`): a text edited by hand
    # to bytes that are no UTF-8 is a row that differs, not a column sqlite3 cannot read.
    columns = COLUMNS.removesuffix("data") + _DATA
    stored = {
        r[0]: tuple(r)
        for r in led.db.execute(f"SELECT {columns} FROM _derived ORDER BY case_id")
        if r[0] not in stale
    }
    wrong = []
    for d in _derive_all(led, engine.ev):
        got = stored.get(d.facts.case.id)
        if got is None:
            continue
        want = row(d, engine.key)
        if got != (*want[:-1], want[-1].encode()):
            wrong.append(d.facts.case.id)
    return wrong


# -- reading for `status` and `agenda` ------------------------------------------------------
#: The refund due date that holds on `:today` (the unmet branch while a condition met in
#: the future of `today` is not yet met).
_OVERDUE = (
    "open AND ((due_on < :today AND (met_on IS NULL OR met_on <= :today)) "
    "OR (met_on > :today AND unmet_due_on < :today))"
)


def _yuan(fen: int | None, n: int) -> Decimal:
    # As the sum of n amounts of two decimals would be (Decimal(0) when nothing is summed).
    return Decimal(fen or 0).scaleb(-2) if n else Decimal(0)


def totals(db: sqlite3.Connection, today: date, *, include_all: bool) -> Totals:
    """The totals line, by aggregates over the cache (the open ones over its index)."""
    t = today.isoformat()
    if include_all:
        n, fen, n_live = db.execute(
            "SELECT count(*), sum(CASE WHEN closed THEN 0 ELSE outstanding END), "
            "sum(NOT closed) FROM _derived"
        ).fetchone()
    else:
        n, fen = db.execute("SELECT count(*), sum(outstanding) FROM _derived WHERE open").fetchone()
        n_live = n
    n_over, fen_over = db.execute(
        f"SELECT count(*), sum(outstanding) FROM _derived WHERE {_OVERDUE}", {"today": t}
    ).fetchone()
    return Totals(
        total=n,
        outstanding=_yuan(fen, n_live or 0),
        overdue=_yuan(fen_over, n_over),
        n_overdue=n_over,
    )


#: What reading back or settling a row edited by hand can raise (a wrong type or shape).
UNREADABLE = (ValueError, TypeError, LookupError, ArithmeticError, AttributeError, AssertionError)


class UnreadableRow(Exception):
    """A stored row that cannot be read back (changed behind the triggers' back): the
    listing is computed from the facts instead (`ops.views.listing`), and `check` names
    the case."""


def settled(
    ev: Evaluator, rows: Iterable[tuple[int, str | bytes]], *, lazy: bool = False
) -> Iterator[CaseView]:
    """The stored `(case_id, data)` rows read back (`decode(data, lazy=lazy)`) and settled
    by `ev`. A row that cannot be read back, that holds another case than its own, or
    whose value edited by hand settling trips on (a flag that is no bool, a basis it
    reads that cannot be read) is an `UnreadableRow` (the listing from the facts then settles the same way, so a fault not
    of the row still shows). With `lazy`, the views' other bases are read where they are
    first looked at: only for a reader that looks at none (the `status` listing)."""
    from depositctl.core.deadlines import settle

    # `ev.settle`'s arguments read once, not once a case (issue 12).
    today, cal, rules, capacity = ev.today, ev.calendar, ev.rules, ev.capacity
    for cid, data in rows:
        try:
            d = decode(data, lazy=lazy)
            if d.facts.case.id != cid:
                raise UnreadableRow(cid)
            v = settle(d, today, cal, rules, capacity=capacity)
        except (*UNREADABLE, RecursionError) as exc:  # RecursionError: nested past the limit
            raise UnreadableRow(cid) from exc
        yield v


def most_overdue(db: sqlite3.Connection, today: date, n: int) -> list[tuple[int, bytes]] | None:
    """The overdue cases most days overdue first, at least `n` of them and every case
    tied with the `n`-th on its due date (the rest of the order is `settle`'s); None when
    fewer than `n` cases are overdue."""
    import heapq

    t = today.isoformat()
    # The due date of the met branch, over the partial index, in its order...
    plain = db.execute(
        "SELECT due_on, case_id FROM _derived INDEXED BY _derived_open WHERE open "
        "AND due_on < ? AND (met_on IS NULL OR met_on <= ?) ORDER BY due_on, case_id",
        [t, t],
    )
    # ... and the few cases whose condition is met only after `today`.
    rare = db.execute(
        "SELECT unmet_due_on, case_id FROM _derived WHERE open AND met_on > ? "
        "AND unmet_due_on < ? ORDER BY unmet_due_on, case_id",
        [t, t],
    ).fetchall()
    picked: list[int] = []
    last = None
    for due, cid in heapq.merge(plain, rare):
        if len(picked) >= n and due != last:
            break
        picked.append(cid)
        last = due
    plain.close()
    if len(picked) < n:
        return None
    return _data(db, picked)


def _data(db: sqlite3.Connection, ids: list[int]) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        out += db.execute(
            f"SELECT case_id, {_DATA} FROM _derived WHERE case_id IN ({marks})", chunk
        ).fetchall()
    return out


def every(db: sqlite3.Connection, *, include_all: bool) -> Iterator[tuple[int, bytes]]:
    """Every open case's stored row (every case's with `include_all`), streamed."""
    where = "" if include_all else " WHERE open"
    yield from db.execute(f"SELECT case_id, {_DATA} FROM _derived{where} ORDER BY case_id")


#: A row's `data` as listings read it: its UTF-8 bytes, of which `decode` turns only the
#: head into text (decoding the whole text cost a listing ~4 % more: issue 12).
_DATA = "CAST(data AS BLOB)"


def check_derived(led: Ledger) -> list[Problem]:
    """`check`: every stored row equals a recompute of its case's facts (rows a read
    would recompute anyway are not compared). `check` reads one snapshot and writes
    nothing, so a row found wrong (changed behind the triggers' back) stays as it is:
    the cache holds no fact, and deleting it is the remedy the message names."""
    from depositctl.core.errors import N_
    from depositctl.store.replay import Problem

    try:
        wrong = differences(led)
    except UserError:  # a calendar file that cannot be read: the commands report it
        return []
    return [
        Problem(
            cid,
            N_(
                "the stored derived dates differ from a recompute of the facts; the cache "
                "holds no fact: delete it (sqlite3 LEDGER 'DELETE FROM _derived') and the "
                "next read recomputes it"
            ),
        )
        for cid in wrong
    ]
