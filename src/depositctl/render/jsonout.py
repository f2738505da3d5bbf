"""The JSON shapes of DESIGN.md: keys and states in English whatever the language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time
from decimal import Decimal
from functools import cache
from itertools import chain, islice, repeat

from depositctl.core.caseview import CaseView, Deadline
from depositctl.core.jsontext import quote as encode_basestring
from depositctl.core.money import fmt
from depositctl.core.records import Contact, Evidence, Progress, Refund, Row
from depositctl.render.tables import _CASE, action_key, open_follow_ups, texts
from depositctl.render.text import action_text, basis_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar
else:
    from depositctl.core.hints import TypeVar


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def _on(d: Deadline | None) -> str | None:
    return d.on.isoformat() if d is not None else None


def status_item(v: CaseView) -> dict[str, Any]:
    c = v.facts.case
    return {
        "id": c.id,
        "provider": c.provider,
        "brand": c.brand,
        "serial": c.serial,
        "amount": fmt(c.amount),
        "refunded": fmt(v.refunded),
        "outstanding": fmt(v.outstanding),
        "state": v.state.value,
        "condition_deadline": _on(v.condition_deadline),
        "condition_met_on": _iso(v.condition_met_on),
        "refund_due_on": _on(v.refund_due),
        "refund_due_is_default": bool(v.refund_due and v.refund_due.is_default),
        "refund_due_is_estimate": bool(v.refund_due and v.refund_due.estimate),
        # Counted from the sending day of a letter whose delivery is not yet recorded.
        "refund_due_is_provisional": bool(v.refund_due and v.refund_due.provisional),
        "days_overdue": v.days_overdue,
        "next_action": action_text(v.next_action),
        "next_action_code": v.next_action.code,
        "next_deadline": _iso(v.next_deadline),
        "limitation_ends_on": _on(v.limitation),
        "limitation_warning": v.limitation_warning,
    }


def _deadline(d: Deadline) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "on": d.on.isoformat(),
        "basis": basis_text(d.basis),
        "rule": d.basis.rule,
        "citation": d.basis.citation,
        "estimate": d.estimate,
        "is_default": d.is_default,
        "provisional": d.provisional,
    }


_R = TypeVar("_R", Progress, Contact, Evidence, Refund)


def _with_void(rows: tuple[_R, ...], voided: tuple[Row, ...], kind: type[_R]) -> list[_R]:
    """The rows in force and the void ones of one kind, in the order the ledger loads them."""

    def key(r: Row) -> tuple[Any, ...]:
        if isinstance(r, Contact):
            return (r.on, r.at_time is not None, r.at_time or time(0), r.id)
        if isinstance(r, Evidence):
            return (r.id,)
        return (r.on, r.id)

    both: list[_R] = list(rows)
    both.extend(r for r in voided if isinstance(r, kind))
    return sorted(both, key=key)


def _row(r: Row) -> dict[str, Any]:
    return {"label": r.label, "void": r.void_reason}


def show_item(v: CaseView) -> dict[str, Any]:
    c = v.facts.case
    f = v.facts
    follow = {d.contact_id: d for d in v.follow_ups}
    item = status_item(v)
    item.update(
        {
            "model": c.model,
            "merchant_no": c.merchant_no,
            "paid_on": c.paid_on.isoformat(),
            "paid_via": c.paid_via,
            "agent_name": c.agent_name,
            "agent_phone": c.agent_phone,
            "agent_company": c.agent_company,
            "paid_to": c.paid_to,
            "activated_on": _iso(c.activated_on),
            "condition": {
                "kind": c.condition.kind,
                "volume": fmt(c.condition.volume) if c.condition.volume is not None else None,
                "count": c.condition.count,
                "days": c.condition.days,
                "text": c.condition_text,
            },
            "refund_within": str(c.refund_within) if c.refund_within else None,
            "promised_refund_on": _iso(c.promised_refund_on),
            "returned_on": _iso(c.returned_on),
            "closed_on": _iso(c.closed_on),
            "close_reason": c.close_reason,
            "note": c.note,
            "trigger_on": _iso(v.trigger_on),
            "limitation_restarted_ends_on": _on(v.limitation_restart),
            "deadlines": [
                _deadline(d)
                for d in (
                    v.condition_deadline,
                    v.refund_due,
                    *open_follow_ups(v),
                    v.limitation,
                    v.limitation_restart,
                )
                if d is not None
            ],
            "progress": [
                {
                    "id": p.id,
                    "on": p.on.isoformat(),
                    "volume": fmt(p.volume),
                    "count": p.count,
                    "source": p.source,
                    "note": p.note,
                    **_row(p),
                }
                for p in _with_void(f.progress, f.voided, Progress)
            ],
            "contacts": [
                {
                    "id": x.id,
                    "on": x.on.isoformat(),
                    "time": x.at_time.strftime("%H:%M") if x.at_time else None,
                    "channel": x.channel,
                    "to": x.to,
                    "ticket": x.ticket,
                    "outcome": x.outcome,
                    "promised_by": _iso(x.promised_by),
                    "summary": x.summary,
                    "refund_request": x.refund_request,
                    "incoming": x.incoming,
                    "reason": x.reason,
                    "letter": x.letter,
                    "via": x.via,
                    "tracking": x.tracking,
                    "delivered_on": _iso(x.delivered_on),
                    "follow_up_on": _on(follow.get(x.id)),
                    "follow_up_provisional": bool(
                        (d := follow.get(x.id)) is not None and d.provisional
                    ),
                    **_row(x),
                }
                for x in _with_void(f.contacts, f.voided, Contact)
            ],
            "evidence": [
                {
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind,
                    "size": e.size,
                    "sha256": e.sha256,
                    "added_on": e.added_on.isoformat(),
                    "dated_on": _iso(e.dated_on),
                    "note": e.note,
                    "contact_id": e.contact_id,
                    **_row(e),
                }
                for e in _with_void(f.evidence, f.voided, Evidence)
            ],
            "refunds": [
                {
                    "id": r.id,
                    "on": r.on.isoformat(),
                    "amount": fmt(r.amount),
                    "note": r.note,
                    **_row(r),
                }
                for r in _with_void(f.refunds, f.voided, Refund)
            ],
            "history": [
                {
                    "id": h.id,
                    "at": h.at.isoformat(),
                    "by": h.by,
                    "action": h.action,
                    "changes": h.changes,
                }
                for h in f.history
            ],
        }
    )
    return item


def status_item_utf8(v: CaseView) -> bytes:
    """`_flat_item_text(status_item(v))` written from the view, without the dict, as UTF-8:
    the item as it stands in `status --json`'s list (`json_chunks`), what `status --json
    --limit 0` keeps of each case until it prints them in order. Bytes, not text: the
    texts of a case are Chinese, and a text holding one Chinese character is two bytes a
    character, its ASCII copied in wide and encoded again to be written (a fifth of
    `status --json`); bytes are copied as they are. Keys in `status_item`'s order; every
    text through json's own encoder of a string; an amount, a day and a state hold no
    character json escapes. What many cases share is written once and kept: a day, an
    amount, a provider's or a brand's name, the next action's words without the case
    number (render/tables.py `_Texts.action_words`). A value of a type no view holds (a
    bool as the id, a number as a serial, a float as an amount, a day of a subclass of
    `date`) takes the dict and the encoder, which write it their way
    (tests/test_json_item_text.py). A lone surrogate (a cache row edited by hand: json
    reads one from its escape) is kept by "surrogatepass" for `write_chunks` to hand to
    the output stream as text, which writes or refuses it as it always did."""
    c = v.facts.case
    cid, days, warn = c.id, v.days_overdue, v.limitation_warning
    amount, refunded, outstanding = c.amount, v.refunded, v.outstanding
    met, due, nxt = v.condition_met_on, v.refund_due, v.next_deadline
    cond, lim, act = v.condition_deadline, v.limitation, v.next_action
    cond_on = None if cond is None else cond.on
    due_on = None if due is None else due.on
    lim_on = None if lim is None else lim.on
    # The memos' keys are equal only where their texts are (`_Days`, `_Amounts`).
    if (
        cid.__class__ is not int
        or days.__class__ is not int
        or warn.__class__ is not bool
        or amount.__class__ is not Decimal
        or refunded.__class__ is not Decimal
        or outstanding.__class__ is not Decimal
        or (cond_on is not None and cond_on.__class__ is not date)
        or (met is not None and met.__class__ is not date)
        or (due_on is not None and due_on.__class__ is not date)
        or (nxt is not None and nxt.__class__ is not date)
        or (lim_on is not None and lim_on.__class__ is not date)
    ):
        return _utf8(_flat_item_text(status_item(v)))
    # The next action's words as `_Texts.action_words` keeps them for every case alike,
    # the case number where `_CASE` stands; `_ACTION_PIECES` the words through json.
    case, key, items = action_key(act)
    t = texts()
    try:
        words, numbered = t.words[key]
    except (KeyError, TypeError):  # not kept yet, or a value that cannot be a key
        words, numbered = t.action_words(act, case, key, items)
    provider, brand, serial = c.provider, c.brand, c.serial
    # Each field one piece, its key and value (`_Field`): a piece joined costs about
    # as much as the bytes of a field.
    try:
        return b"".join(
            (
                b'{\n    "id": %d' % cid,  # an `int`: as `str` writes it, and cheaper
                _PROVIDER.null if provider is None else _PROVIDER[provider],
                _BRAND.null if brand is None else _BRAND[brand],
                # A serial is its case's own: not kept.
                _SERIAL.null if serial is None else _SERIAL.head + _json(serial)[0],
                _AMOUNT[amount] if amount else _AMOUNT.zero[amount.is_signed()],
                _REFUNDED[refunded] if refunded else _REFUNDED.zero[refunded.is_signed()],
                (
                    _OUTSTANDING[outstanding]
                    if outstanding
                    else _OUTSTANDING.zero[outstanding.is_signed()]
                ),
                # The state is its value (a `str`): no `.value` property (a Python call).
                _STATE[v.state],
                _CONDITION.null if cond_on is None else _CONDITION[cond_on],
                _MET.null if met is None else _MET[met],
                _DUE.null if due_on is None else _DUE[due_on],
                _IS_DEFAULT[1 if due and due.is_default else 0],
                _IS_ESTIMATE[1 if due and due.estimate else 0],
                _IS_PROVISIONAL[1 if due and due.provisional else 0],
                _DAYS[days],
                str(case).encode().join(_ACTION_PIECES[words]) if numbered else _ACTION[words],
                _CODE[act.code],
                _NEXT.null if nxt is None else _NEXT[nxt],
                _LIMITATION.null if lim_on is None else _LIMITATION[lim_on],
                _WARNING[1 if warn else 0],
            )
        )
    except TypeError:  # a text that is no str (or an amount no key): json's own way
        return _utf8(_flat_item_text(status_item(v)))


def _utf8(text: str) -> bytes:
    """`text` as UTF-8, a lone surrogate kept (`status_item_utf8`)."""
    return text.encode("utf-8", "surrogatepass")


#: Past this many entries a memo of this module starts again: never all of a big ledger.
_MAX = 1 << 14


def _json(text: str) -> tuple[bytes, bool]:
    """A text as json writes it (`encode_basestring`), in UTF-8; kept for any key equal
    to it (a `str`, or a subclass, which json writes by its characters); any other key
    raises TypeError in `encode_basestring`, never kept."""
    return _utf8(encode_basestring(text)), True


def _day(day: date) -> tuple[bytes, bool]:
    """A day as `_flat_item_text` writes `day.isoformat()` (through printf-style
    formatting: worth keeping); kept for a `date` only (`status_item_utf8` asks with
    one): equal dates are one day, one text."""
    return _utf8(encode_basestring(day.isoformat())), day.__class__ is date


def _amount(amount: Decimal) -> tuple[bytes, bool]:
    """A nonzero amount as `_flat_item_text` writes `fmt(amount)` (zero: `_Field.zero`),
    asked with a `Decimal` only (`status_item_utf8`: a float may be equal to one and be
    refused by `fmt`). Kept only where `fmt` wrote the amount as `str` does
    (`money.fmt`: exponent -2), which no decimal context changes: equal decimals of that
    form are one text, and a nonzero key is equal to no other text's (`0` and `-0`
    are)."""
    text = f'"{fmt(amount)}"'
    keep = bool(amount) and amount.__class__ is Decimal and amount.is_finite()
    return _utf8(text), keep and text == f'"{amount}"'


def _days(days: int) -> tuple[bytes, bool]:
    """Days overdue, an `int` (`status_item_utf8`): as json writes it."""
    return str(days).encode(), True


class _Field(dict[object, bytes]):
    """One field of a status item as it follows the one before, `,\n    "key": value`,
    in UTF-8, by its value: what many cases share written once and kept (a provider, a
    day, an amount, a state). `write` gives a value's json and whether to keep it; None
    and zero (`0.00` whatever the exponent, and the sign `quantize` keeps,
    tests/test_json_item_text.py) are no keys (0 and -0 are one)."""

    def __init__(self, key: str, write: Callable[[Any], tuple[bytes, bool]]) -> None:
        super().__init__()
        self.head = f',\n    "{key}": '.encode()
        self.null = self.head + b"null"
        self.zero = (self.head + b'"0.00"', self.head + b'"-0.00"')
        self.write = write

    def __missing__(self, value: Any) -> bytes:
        text, keep = self.write(value)
        piece = self.head + text
        if keep:
            if len(self) >= _MAX:
                self.clear()
            self[value] = piece
        return piece


_PROVIDER = _Field("provider", _json)
_BRAND = _Field("brand", _json)
_SERIAL = _Field("serial", _json)
_AMOUNT = _Field("amount", _amount)
_REFUNDED = _Field("refunded", _amount)
_OUTSTANDING = _Field("outstanding", _amount)
_STATE = _Field("state", _json)
_CONDITION = _Field("condition_deadline", _day)
_MET = _Field("condition_met_on", _day)
_DUE = _Field("refund_due_on", _day)
_DAYS = _Field("days_overdue", _days)
_ACTION = _Field("next_action", _json)
_CODE = _Field("next_action_code", _json)
_NEXT = _Field("next_deadline", _day)
_LIMITATION = _Field("limitation_ends_on", _day)
#: A flag's field, false and true; the last one closes the item.
_IS_DEFAULT = (b',\n    "refund_due_is_default": false', b',\n    "refund_due_is_default": true')
_IS_ESTIMATE = (b',\n    "refund_due_is_estimate": false', b',\n    "refund_due_is_estimate": true')
_IS_PROVISIONAL = (
    b',\n    "refund_due_is_provisional": false',
    b',\n    "refund_due_is_provisional": true',
)
_WARNING = (b',\n    "limitation_warning": false\n  }', b',\n    "limitation_warning": true\n  }')


class _ActionPieces(dict[str, tuple[bytes, ...]]):
    """Words kept by `_Texts.action_words` as the `next_action` field (`_Field`), cut
    where `_CASE` stands for the case number: `str(number).encode().join(pieces)` is the
    field with the number in. json escapes each character on its own, and no digit or
    `-`; UTF-8 encodes each character on its own."""

    def __missing__(self, words: str) -> tuple[bytes, ...]:
        pieces = [_utf8(encode_basestring(p)[1:-1]) for p in words.split(_CASE)]
        pieces[0] = _ACTION.head + b'"' + pieces[0]
        pieces[-1] += b'"'
        if len(self) >= _MAX:
            self.clear()
        kept = self[words] = tuple(pieces)
        return kept


_ACTION_PIECES = _ActionPieces()


_NESTED = (dict, list, tuple)


def item_text(item: dict[str, Any]) -> str:
    """One item of a JSON list, indented as its element (what `json.dumps(item,
    ensure_ascii=False, indent=2)` writes, shifted by one level)."""
    if not item or any(isinstance(v, _NESTED) for v in item.values()):
        import json

        return json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return _flat_item_text(item)


def _flat_item_text(item: dict[str, Any]) -> str:
    """`item_text` of a non-empty item whose values are all scalars: the C encoder in one
    call, its item separator carrying the line break and the indent (a break inside a
    value is escaped, so none of these is ambiguous). With `indent` json would run its
    pure-Python encoder, a third of `status --json`."""
    return "{\n    " + _flat_dumps()(item)[1:-1] + "\n  }"


def json_chunks(texts: list[bytes]) -> Iterator[bytes]:
    """The JSON list of the items `texts` (each as `item_text` writes it, in UTF-8)
    piece by piece, as `json.dumps(items, ensure_ascii=False, indent=2) + "\\n"` would
    in UTF-8, to be written as they come (never one string, `tables.write_chunks`): each
    item, and a separator before every one but the first. Chained by itertools, not a generator: no Python frame resumed per item, no
    item copied to stand after its separator (8% of writing the list, valgrind)."""
    if not texts:
        return iter((b"[]\n",))
    items = zip(repeat(b",\n  "), islice(texts, 1, None))
    return chain((b"[\n  ", texts[0]), chain.from_iterable(items), (b"\n]\n",))


@cache
def _flat_dumps() -> Callable[[Any], str]:
    import json

    return json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": ")).encode
