"""Parsing of the small typed values commands take (besides money and dates)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from depositctl.core.errors import N_, UserError
from depositctl.core.models import NewContact, RefundWithin
from depositctl.core.vocab import Vocabulary

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

    Control characters (a terminal escape sequence, a vertical tab pasted from a chat)
    become spaces: they would reach terminals and letters, and docx cannot hold them.
    Line breaks and tabs stay.
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
    v = value.replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    v = "".join(
        " " if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch for ch in v
    ).strip()
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
