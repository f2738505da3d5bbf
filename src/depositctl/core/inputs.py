"""Parsing of the small typed values commands take (besides money and dates)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from depositctl.core.errors import N_, UserError
from depositctl.core.records import RefundWithin
from depositctl.core.vocab import Vocabulary

if TYPE_CHECKING:  # a write model (pydantic): this module is imported by `status` too
    from depositctl.core.models import NewContact

_WITHIN = re.compile(r"^(\d{1,4})\s*(d|wd|days?|workdays?|天|日|个工作日|工作日)?$", re.I)


def parse_within(text: str) -> RefundWithin:
    """`30d` (calendar days) or `15wd` (working days); a bare number means days."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    m = _WITHIN.match(s)
    if not m:
        raise UserError(
            N_("Not a time limit: {text} (write 30d for 30 days or 15wd for 15 working days)"),
            text=text,
        )
    unit = m.group(2) or "d"
    wd = unit in ("wd", "workday", "workdays", "个工作日", "工作日")
    return RefundWithin(n=int(m.group(1)), unit="wd" if wd else "d")


def parse_choice(value: str, choices: Vocabulary[Any] | Sequence[str], what: str) -> str:
    """The stored value a typed choice names. With a vocabulary table, its Chinese name
    and aliases are accepted too (`首刷`, `消协`), and an unknown word is answered with the
    choices in both names."""
    if isinstance(choices, Vocabulary):
        found = choices.find(value)
        if found is not None:
            return found
        listed = choices.choices_text()
    else:
        v = unicodedata.normalize("NFKC", value).strip().lower()
        if v in choices:
            return v
        listed = ", ".join(choices)
    raise UserError(
        N_("Unknown {what}: {value} (choose one of: {choices})"),
        what=what,
        value=value,
        choices=listed,
    )


#: The largest count or number of days taken (a target of a million transactions or a
#: window of a million days is already absurd; beyond, dates would overflow).
MAX_COUNT = 1_000_000


def parse_count(value: int | str, what: str, *, minimum: int = 1) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        raise UserError(
            N_("Not a whole number for {what}: {value}"), what=what, value=value
        ) from None
    if n < minimum:
        raise UserError(
            N_("{what} must be at least {minimum}: {value}"),
            what=what,
            minimum=minimum,
            value=value,
        )
    if n > MAX_COUNT:
        raise UserError(
            N_("{what} must be at most {maximum}: {value}"),
            what=what,
            maximum=MAX_COUNT,
            value=value,
        )
    return n


def clean_text(value: str | None) -> str | None:
    """Strip; an empty string means no value.

    Windows line ends become `\n`. Control characters (a terminal escape sequence, a
    vertical tab pasted from a chat) are kept, for the write models to refuse them with
    the field named (`check_text`).
    """
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes the terminal sent that are not UTF-8
        raise UserError(
            N_("Not valid UTF-8 text: {text} (set the terminal to UTF-8 and type it again)"),
            text=value.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace"),
        ) from None
    v = value.replace("\r\n", "\n").strip()
    return v or None


def check_contact(contact: NewContact) -> NewContact:
    """A contact as `contact` and a case file accept it: a reply of the other side
    (`incoming`) is not a refund request of the merchant's."""
    if contact.incoming and contact.refund_request:
        raise UserError(
            N_(
                "A reply from the other side (--incoming) cannot be your refund request: "
                "record your own request as a contact of its own, without --incoming"
            )
        )
    if contact.reason is not None and contact.outcome != "rejected":
        raise UserError(
            N_("--reason is the reason a complaint was rejected: give it with --outcome rejected")
        )
    return contact


def check_after_payment(on: date, paid_on: date) -> None:
    """A contact or a letter of a case (`contact`, `sent`) dates from the day its deposit
    was paid or later: an earlier day is a typing error, refused."""
    if on < paid_on:
        raise UserError(
            N_(
                "The date {date} is before the deposit was paid ({paid_on}): a contact or "
                "letter about it cannot be older; check the date"
            ),
            date=on.isoformat(),
            paid_on=paid_on.isoformat(),
        )


def fold_tracking(number: str | None) -> str | None:
    """A tracking number as compared: full-width folded to half-width, case folded
    (`ea123cn`, `EA123CN` and `ＥＡ１２３ＣＮ` are one number)."""
    if number is None:
        return None
    return unicodedata.normalize("NFKC", number).strip().casefold() or None


# -- free text -------------------------------------------------------------------------------
#: The longest one-line field (a provider, a name, an address, a ticket): a letter prints it
#: on one or two lines, and nothing real is longer.
MAX_LINE = 200
#: The longest multi-line field (a note, a summary, a condition as written, a reason):
#: about two pages of a letter.
MAX_TEXT = 4000
#: Fields that may hold line breaks (and tabs); every other text field is one line.
MULTILINE_FIELDS = frozenset({"note", "summary", "condition_text", "reason"})
#: Bidirectional overrides and isolates, and marks: they reorder what a reader sees
#: (an amount or a date can be made to read backwards) and are refused.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width characters: invisible, they make two equal-looking names differ; refused.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _bad_char(ch: str, multiline: bool) -> str | None:
    """Why `ch` is refused in a field (an English phrase for the error), or None."""
    o = ord(ch)
    if multiline and ch in "\n\t":
        return None
    if ch in "\n\r\u2028\u2029\x85":
        return N_("a line break")
    if o < 0x20 or 0x7F <= o <= 0x9F:
        return N_("a control character")
    if 0xD800 <= o <= 0xDFFF or (o & 0xFFFE) == 0xFFFE or 0xFDD0 <= o <= 0xFDEF:
        return N_("a character that is not valid text (cannot be written to a document)")
    if ch in BIDI:
        return N_("a text-direction control (it can make text read backwards)")
    if ch in ZERO_WIDTH:
        return N_("an invisible zero-width character")
    return None


def check_text(value: str, field: str) -> str:
    """A text field as typed, or a one-line refusal naming the field, the character (as
    U+XXXX) and why: control characters, line breaks in a one-line field, characters a
    document cannot hold, bidi controls and zero-width characters are refused, and the
    length is capped (MAX_LINE, MAX_TEXT). Windows line ends become `\\n`."""
    multiline = field in MULTILINE_FIELDS
    field = "--" + field.replace("_", "-")
    if multiline:
        value = value.replace("\r\n", "\n")
    limit = MAX_TEXT if multiline else MAX_LINE
    if len(value) > limit:
        raise UserError(
            N_("{field} is {length} characters long; the most a letter can hold is {limit}"),
            field=field,
            length=len(value),
            limit=limit,
        )
    for ch in value:
        why = _bad_char(ch, multiline)
        if why is not None:
            raise UserError(
                N_("{field} contains {what} (U+{code:04X}); remove it and try again"),
                field=field,
                what=why,
                code=ord(ch),
            )
    return value
