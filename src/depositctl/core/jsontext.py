"""JSON text read as `json.loads` reads it, with the standard library's own scanner (the
C module `_json` that `json` uses) but without importing `json`: the `json` package
imports `re` (with `enum` and `functools`), which cost a 5-case `status` a sixth of its
instructions (issue 12). Of a `str`, the same values and the same refusals as
`json.loads`, checked on generated documents by tests/test_jsontext.py; anything else
(bytes, which `json.loads` decodes by their BOM, or a subclass of `str`) is a
`TypeError`: depositctl reads its own files as strict UTF-8. `json` itself where `_json`
is missing (a Python built without it). Errors are `ValueError`s, as `json`'s are (a
malformed string's error is `json`'s own `JSONDecodeError`: the scanner imports `json`
to raise it), without `json`'s position attributes.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

#: What JSON's whitespace is (`json.decoder.WHITESPACE`).
_SPACE = " \t\n\r"


class _Context:
    """What `_json.make_scanner` reads off a `json.JSONDecoder()`: its defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {
        "-Infinity": float("-inf"),
        "Infinity": float("inf"),
        "NaN": float("nan"),
    }.__getitem__


def _scanner() -> Callable[[str, int], tuple[Any, int]]:
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover - a Python without the C module: json's own
        import json

        return json.JSONDecoder().scan_once  # type: ignore[attr-defined,no-any-return]
    return make_scanner(_Context)  # type: ignore[arg-type]


_scan = _scanner()

try:
    from _json import encode_basestring as _quote
except ImportError:  # pragma: no cover - a Python without the C module: json's own
    from json.encoder import encode_basestring as _quote

#: `json.encoder.encode_basestring` (the same function): a text as a JSON string,
#: with `ensure_ascii=False`.
quote: Callable[[str], str] = _quote


def raw_decode(text: str, at: int = 0) -> tuple[Any, int]:
    """`json.JSONDecoder().raw_decode(text, at)`: the value that starts at `at` and
    where it ends (no whitespace skipped before it)."""
    try:
        return _scan(text, at)
    except StopIteration as stop:
        raise ValueError(f"Expecting value: char {stop.value}") from None


def loads(text: str) -> Any:
    """`json.loads(text)` of a text (whitespace around the value, nothing else)."""
    if text.__class__ is not str:
        raise TypeError(f"the JSON object must be str, not {type(text).__name__}")
    at = len(text) - len(text.lstrip(_SPACE))
    value, end = raw_decode(text, at)
    if end != len(text) and text[end:].lstrip(_SPACE):
        raise ValueError(f"Extra data: char {end}")
    return value
