"""The read models' `record` decorator and the `status --json` item writer (issue 12)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depositctl.core.caseview import Basis, Deadline
from depositctl.core.records import Case, Condition
from depositctl.core.recordtype import fields_of, replace
from depositctl.render.jsonout import item_text
from tests.conftest import Cli


def _deadline(day: int = 1) -> Deadline:
    basis = Basis(rule="refund_within", text="{n} days", params={"n": 15}, citation=None)
    return Deadline(kind="refund_due", on=date(2026, 1, day), basis=basis)


def test_records_compare_and_hash_by_their_fields() -> None:
    a, b, c = _deadline(1), _deadline(1), _deadline(2)
    assert a == b and a != c
    assert len({Condition(count=3), Condition(count=3), Condition(days=90)}) == 2
    case = Case(
        id=1, provider="P", amount=__import__("decimal").Decimal("99.00"), paid_on=date(2026, 1, 1)
    )
    assert replace(case, brand="X").brand == "X" and case.brand is None


def test_records_are_slotted_keyword_only_and_not_frozen_at_run_time() -> None:
    d = _deadline()
    assert not hasattr(d, "__dict__")  # slots: no stray attribute can be set
    try:
        d.extra = 1  # type: ignore[attr-defined]
    except AttributeError:
        pass
    else:  # pragma: no cover - a failure
        raise AssertionError("a slotted record took an attribute it does not declare")
    try:
        Deadline("refund_due", date(2026, 1, 1), d.basis)  # type: ignore[misc]
    except TypeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a record took positional arguments")
    assert [f.name for f in fields_of(Deadline)][:3] == ["kind", "on", "basis"]


@pytest.mark.slow
def test_mypy_refuses_an_assignment_to_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen for the type checker (`dataclass_transform(frozen_default=True)`), which CI
    runs over src: an assignment to any record's field is an error there."""
    from mypy import api

    code = tmp_path / "assign.py"
    code.write_text(
        "from datetime import date\n"
        "from depositctl.core.caseview import Basis\n"
        "from depositctl.core.records import Condition\n"
        "b = Basis(rule='r', text='t')\n"
        "b.rule = 'x'\n"
        "c = Condition(days=3)\n"
        "c.days = 4\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MYPYPATH", str(Path(__file__).resolve().parents[1] / "src"))
    out, _err, status = api.run(["--no-incremental", "--follow-imports=silent", str(code)])
    assert status == 1, out
    assert 'Property "rule" defined in "Basis" is read-only' in out
    assert 'Property "days" defined in "Condition" is read-only' in out


_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(max_size=40),
)


@given(st.dictionaries(st.text(min_size=1, max_size=12), _SCALAR, max_size=25))
def test_item_text_is_json_dumps_indented_one_level(item: dict[str, Any]) -> None:
    expected = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    assert item_text(item) == expected


def test_item_text_of_nested_values_too() -> None:
    item = {"a": [1, {"b": "x\ny"}], "c": None}
    assert item_text(item) == json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")


@given(st.text(max_size=30))
def test_plain_listing_width_counts_wide_characters_twice(text: str) -> None:
    import unicodedata

    from depositctl.render.tables import _width

    expected = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert _width(text, {}) == expected


def test_status_items_hold_scalars_only(cli: Cli) -> None:
    """`status_item_utf8` writes an item with the C encoder in one call: every value of a
    status item is a scalar (a list or an object there would need `item_text`)."""
    add = ("add", "--provider", "示例支付股份有限公司", "--amount", "99", "--paid-on", "2025-01-10")
    cli.ok(*add)
    cli.ok(*add, "--condition-volume", "50000", "--condition-days", "90")
    items = json.loads(cli.ok("status", "--json", "--all").stdout)
    assert len(items) == 2
    for item in items:
        assert all(not isinstance(v, dict | list) for v in item.values())


def test_no_character_a_read_value_may_not_show_is_printable() -> None:
    """`records.safe` takes a printable text as safe without its patterns (compiled only
    when a text is not printable): sound only while every character they match is one
    `str.isprintable` refuses, which this checks over all of Unicode."""
    import re
    import sys

    from depositctl.core import records

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = re.findall(records._EITHER, every)
    assert len(matched) > 2000  # C0, C1, the bidi and zero-width controls, the surrogates
    assert [hex(ord(c)) for c in matched if c.isprintable()] == []


@given(st.dictionaries(st.sampled_from(["note", "provider", "serial"]), st.text(max_size=12)))
def test_safe_is_the_patterns_answer_printable_or_not(values: dict[str, str]) -> None:
    """What `safe` returns is what the patterns alone give, for any text (printable ones
    never reach them)."""
    import re

    from depositctl.core.records import _EITHER, _MULTILINE, safe, shown

    by_patterns = {
        k: shown(v, k in _MULTILINE) if re.search(_EITHER, v) else v for k, v in values.items()
    }
    assert safe(dict(values)) == by_patterns


def test_the_tables_are_the_patterns_over_all_of_unicode() -> None:
    """`shown` and `safe` find and replace with `str` methods what `_UNSAFE`, `_BREAKS`
    and `_EITHER` match (issue 12: no `re` in `status`): the same characters, every
    code point tried."""
    import re
    import sys

    from depositctl.core import records

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    unsafe = set(re.findall(records._UNSAFE, every))
    assert unsafe == records._UNSAFE_CHARS | {chr(c) for c in range(0xD800, 0xE000)}
    assert set(re.findall(records._BREAKS, every)) == records._BREAK_CHARS
    assert set(re.findall(records._EITHER, every)) == unsafe | records._BREAK_CHARS
    assert [c for c in map(chr, range(0xD800, 0xE000)) if not records._surrogate(c)] == []
    assert [c for c in every if records._surrogate(c)] == [chr(c) for c in range(0xD800, 0xE000)]


_EDGES = "\x00\x08\t\n\x0b\r\x1f\x20\x7e\x7f\x9f\xa0\u061b\u061c\u061d\u200a\u200b\u200f\u2010"
_EDGES += "\u2028\u2029\u202a\u202e\u202f\u205f\u2060\u2061\u2065\u2066\u2069\u206a\u3000"
_EDGES += "\ud7ff\ud800\udbff\udc00\udfff\ue000\ufefe\ufeff\uff00\ufffd\ufffe\uffff\U00010000aé中"


@given(st.text(alphabet=_EDGES, max_size=16) | st.text(max_size=16), st.booleans())
def test_shown_is_the_patterns_replacement(value: str, multiline: bool) -> None:
    import re

    from depositctl.core.records import _BREAKS, _EITHER, _UNSAFE, _needs_showing, shown

    expected = re.sub(_UNSAFE, "\ufffd", value)
    if not multiline:
        expected = re.sub(_BREAKS, " ", expected)
    assert shown(value, multiline) == expected
    assert _needs_showing(value) == bool(re.search(_EITHER, value))
