"""Money: parsed from what people type, kept as integer fen, handled as Decimal."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from depositctl.core.errors import N_, UserError

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e13")
#: The patterns are compiled on their first use (`re.match` keeps them): `status` parses
#: no amount, and compiling the three cost it ~1 ms (issue 12); `re` itself (with
#: `enum`) is imported only then.
_GROUPED = r"^\d{1,3}(,\d{3})+(\.\d+)?$"
_PLAIN = r"^\d+(\.\d+)?$"
_PREFIXES = ("¥", "RMB", "CNY", "人民币")
_SUFFIXES = ("元整", "块钱", "元", "块", "RMB", "CNY")
#: `5万` is 50000; `萬` is its traditional form.
_WAN = {"万": 10_000, "萬": 10_000}
#: A trailing `万` multiplies only a number without these (`一亿五千万` is read whole).
_NOT_BEFORE_WAN = ("万", "萬", "亿", "億", "元", "角", "分")
#: RMB capitals as the letters print them: `玖拾玖元伍角`, `伍元零贰分`, `壹分`.
_YUAN_JIAO_FEN = r"^(?:(?P<yuan>[^元角分点]+)元)?(?:(?P<jiao>.)角)?(?:零?(?P<fen>.)分)?$"


def parse_money(text: str, *, allow_zero: bool = False) -> Decimal:
    """Parse `99`, `99.5`, `¥99`, `99元`, `1,000`, `5万`, `1.2万`, `人民币99元`, `99块`,
    `RMB 99`, `九十九元`, `五万`, `玖拾玖元伍角` (also full-width forms).

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
    if s.startswith(("-", "负")):
        raise UserError(N_("Amount must be more than zero: {text}"), text=raw)
    scale = 1
    if s[-1:] in _WAN and not any(u in s[:-1] for u in _NOT_BEFORE_WAN):
        s, scale = s[:-1], _WAN[s[-1]]
    number = _number(s)
    if number is None:
        raise UserError(
            N_("Not an amount: {text} (write it like 99, 99.50, ¥99, 99元, 1,000 or 1.2万)"),
            text=raw,
        )
    value = number * scale
    if value.as_tuple().exponent < -2 and value != value.quantize(CENT):  # type: ignore[operator]
        raise UserError(N_("At most two decimals (fen) in an amount: {text}"), text=raw)
    if value <= 0 and not (allow_zero and value == 0):
        raise UserError(N_("Amount must be more than zero: {text}"), text=raw)
    if value >= MAX_AMOUNT:
        raise UserError(N_("Amount is too large: {text}"), text=raw)
    return value.quantize(CENT)


def _number(s: str) -> Decimal | None:
    """`1,000.5` or `1000.5` in digits, or a number in Chinese numerals; None if neither."""
    import re

    if re.match(_GROUPED, s):
        s = s.replace(",", "")
    if re.match(_PLAIN, s):
        try:
            return Decimal(s)
        except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
            return None
    if s and not any(c.isascii() for c in s):
        return _chinese_number(s)
    return None


def _chinese_number(s: str) -> Decimal | None:
    """`九十九`, `一万零五`, `两千`, `一点二`, `玖拾玖元伍角` through cn2an's strict mode,
    which refuses the colloquial short forms (`一万二`) and digit strings (`九九`).

    The decimals (after 点, or 角 and 分) are read here one numeral at a time, so they stay
    exact: cn2an returns a float, cuts long decimals off, and misreads `伍元零贰分`.
    """
    import re

    import cn2an

    s = s.replace("两", "二")
    m = re.match(_YUAN_JIAO_FEN, s)
    if m and (m["jiao"] or m["fen"]):
        whole, dot, decimals = m["yuan"] or "零", "点", (m["jiao"] or "零") + (m["fen"] or "")
    else:
        whole, dot, decimals = s.partition("点")
    if not whole or (dot and not decimals):
        return None
    try:
        integer = cn2an.cn2an(whole, "strict")
        digits = [cn2an.cn2an(c, "strict") for c in decimals]
    except ValueError:
        return None
    numbers = [integer, *digits]
    if not all(isinstance(n, int) and n >= 0 for n in numbers) or any(d > 9 for d in digits):
        return None
    return Decimal(f"{integer}.{''.join(map(str, digits))}" if dot else integer)


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


def fmt(amount: Decimal) -> str:
    """Two decimals, no grouping: the JSON form (`"99.00"`). An amount already in fen
    (what the ledger and the cache hold) is written as `str` writes it, not quantized
    and formatted again (`status --json` writes three a case): exponent -2 is the only
    one whose text ends in `.` and two digits (`1.5E+3`, `NaN` do not), and under 28
    characters `quantize` keeps its digits (context precision 28) and raises nothing."""
    text = str(amount)
    if text[-3:-2] == "." and amount.__class__ is Decimal and len(text) < 28:
        return text
    return f"{amount.quantize(CENT):f}"


def fmt_yuan(amount: Decimal) -> str:
    """For people: `¥1,299.00`."""
    return f"¥{amount.quantize(CENT):,.2f}"
