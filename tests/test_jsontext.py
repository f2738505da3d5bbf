"""core/jsontext.py reads JSON as `json.loads` does (issue 12: without importing `json`)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depositctl.core import jsontext

_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN, and of the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "value", read(text)
    except ValueError:
        return "refused", None


@given(_values, st.sampled_from([None, 0, 2]), st.booleans(), st.sampled_from(["", " ", "\n\t\r "]))
def test_loads_reads_what_json_writes(value: Any, indent: int | None, ascii: bool, ws: str) -> None:
    text = ws + json.dumps(value, indent=indent, ensure_ascii=ascii) + ws
    assert _same(jsontext.loads(text), json.loads(text))


_JSONISH = st.text(alphabet='{}[]",:0123456789.eE+-truefalsnNIinfy \t\n\r\\u\x00\x1fé\ufeff')


@given(_JSONISH)
def test_loads_refuses_what_json_refuses(text: str) -> None:
    got, expected = _outcome(jsontext.loads, text), _outcome(json.loads, text)
    assert got[0] == expected[0], text
    assert _same(got[1], expected[1])


@given(_JSONISH, st.integers(min_value=0, max_value=6))
def test_raw_decode_is_the_decoders(text: str, at: int) -> None:
    def ours(t: str) -> Any:
        return jsontext.raw_decode(t, at)

    def theirs(t: str) -> Any:
        return json.JSONDecoder().raw_decode(t, at)

    got, expected = _outcome(ours, text), _outcome(theirs, text)
    assert got[0] == expected[0], text
    assert _same(got[1], expected[1])


@pytest.mark.parametrize(
    "text",
    ["", " ", "[1,", '"\\x"', '"a\x00"', '{"a" 1}', "1 2", "\ufeff1", "[1]]", "nul", "-", "01"],
)
def test_malformed_text_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        jsontext.loads(text)


def test_only_text_is_read() -> None:
    with pytest.raises(TypeError):
        jsontext.loads(b"1")  # type: ignore[arg-type]


@given(st.text())
def test_quote_writes_what_json_writes(text: str) -> None:
    """As json's pure-Python encoder writes a text (not the C function `quote` may be)."""
    from json.encoder import py_encode_basestring  # type: ignore[attr-defined]

    assert jsontext.quote(text) == py_encode_basestring(text)
    assert jsontext.quote(text) == json.dumps(text, ensure_ascii=False)
