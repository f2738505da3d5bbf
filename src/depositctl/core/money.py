"""Money: parsed from what people type, kept as integer fen, handled as Decimal."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from depositctl.core.errors import N_, UserError

CENT = Decimal("0.01")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_PREFIXES = ("¥", "RMB", "CNY")
_SUFFIXES = ("元整", "元", "块", "RMB", "CNY")


def parse_money(text: str, *, allow_zero: bool = False) -> Decimal:
    """Parse `99`, `99.5`, `99.00`, `¥99`, `99元`, `1,000` (also full-width forms).

    At most two decimals; zero and negative amounts are refused.
    """
    raw = text
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    s = s.replace("￥", "¥")
    for p in _PREFIXES:
        if s.upper().startswith(p):
            s = s[len(p) :]
            break
    for suf in _SUFFIXES:
        if s.upper().endswith(suf):
            s = s[: -len(suf)]
            break
    if s.startswith("-"):
        raise UserError(N_("Amount must be more than zero: {text}"), text=raw)
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        raise UserError(
            N_("Not an amount: {text} (write it like 99, 99.50, ¥99, 99元 or 1,000)"), text=raw
        )
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
        raise UserError(N_("Not an amount: {text}"), text=raw) from None
    if value.as_tuple().exponent < -2 and value != value.quantize(CENT):  # type: ignore[operator]
        raise UserError(N_("At most two decimals (fen) in an amount: {text}"), text=raw)
    if value <= 0 and not (allow_zero and value == 0):
        raise UserError(N_("Amount must be more than zero: {text}"), text=raw)
    if value >= Decimal("1e13"):
        raise UserError(N_("Amount is too large: {text}"), text=raw)
    return value.quantize(CENT)


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


def fmt(amount: Decimal) -> str:
    """Two decimals, no grouping: the JSON form (`"99.00"`)."""
    return f"{amount.quantize(CENT):f}"


def fmt_yuan(amount: Decimal) -> str:
    """For people: `¥1,299.00`."""
    return f"¥{amount.quantize(CENT):,.2f}"
