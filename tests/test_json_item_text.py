"""`status_item_text` (render/jsonout.py) writes an item of `status --json` from the view,
without the dict `status_item`: the same text as the dict through json, for every case."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from depositctl import fast
from depositctl.core.caseview import CaseView
from depositctl.core.money import CENT, fmt
from depositctl.core.recordtype import replace
from depositctl.i18n import set_language
from depositctl.ops.env import Env, evaluator, opened
from depositctl.ops.views import listing_from_facts, status_listing
from depositctl.render.jsonout import _flat_item_text, status_item, status_item_text
from tests.conftest import Cli, examples
from tests.fixtures import make_ledger
from tests.test_fastpath import fresh
from tests.test_letters import load_demo

TODAYS = (date(2026, 11, 24), date(2027, 3, 15))


def old_text(v: CaseView) -> str:
    """What `status_item_text` was: the dict through json's C encoder."""
    return _flat_item_text(status_item(v))


def json_text(v: CaseView) -> str:
    """The item as json writes it in an indented list, the encoder left to itself."""
    return json.dumps(status_item(v), ensure_ascii=False, indent=2).replace("\n", "\n  ")


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for n in (1, 60, 400):
        db = tmp_path_factory.mktemp(f"l{n}") / "ledger.db"
        make_ledger.main(["--cases", str(n), "--contacts-per-case", "4", "--db", str(db)])
        fresh(db)
        out[n] = db
    return out


def every_view(db: Path, today: date) -> Iterator[CaseView]:
    """Every case's view as `status --all` settles it from the cache, then as it is
    computed from the facts (the path of a ledger whose cache cannot be read)."""
    env = Env(db_path=db, today=today)
    yield from status_listing(env, include_all=True).shown
    with opened(env) as led:
        yield from listing_from_facts(led, evaluator(env, led), include_all=True).shown


@pytest.mark.parametrize("n", [1, 60, 400])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", TODAYS)
def test_every_generated_case(ledgers: dict[int, Path], n: int, lang: str, today: date) -> None:
    set_language(lang)
    views = list(every_view(ledgers[n], today))
    assert len(views) == 2 * n
    for v in views:
        assert status_item_text(v) == old_text(v), v.id
    # The ledgers hold what the fast writing has to get right: cases without a brand,
    # refunds (an amount other than the one paid), overdue ones, every state it makes.
    if n == 400:
        items = [status_item(v) for v in views]
        assert any(i["brand"] is None for i in items)
        assert any(i["refunded"] != "0.00" for i in items)
        assert any(i["days_overdue"] > 0 for i in items)
        assert any(i["condition_met_on"] is not None for i in items)
        assert len({i["state"] for i in items}) >= 4


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", TODAYS)
def test_every_demo_case(cli: Cli, lang: str, today: date) -> None:
    load_demo(cli)
    set_language(lang)
    views = list(every_view(cli.db, today))
    assert len(views) == 16
    for v in views:
        assert status_item_text(v) == old_text(v) == json_text(v), v.id


# -- hostile texts ---------------------------------------------------------------------------
#: What json escapes or might: every C0 control, DEL and C1, quotes, the backslash, the
#: slash, lone surrogates (side by side: a pair), the line and paragraph separators, BOM, CJK, emoji.
SPECIAL = (
    [chr(i) for i in range(0x20)]
    + [chr(i) for i in range(0x7F, 0xA0)]
    + ['"', "\\", "/", "'", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00"]
    + ["\u2028", "\u2029", "\ufeff", "\u200b", "\u202e", "示", "例", "😀", "\U0010ffff"]
)
HOSTILE = st.text(
    st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=())), max_size=12
)


@pytest.fixture(scope="module")
def a_view(tmp_path_factory: pytest.TempPathFactory) -> CaseView:
    db = tmp_path_factory.mktemp("one") / "ledger.db"
    make_ledger.main(["--cases", "3", "--contacts-per-case", "2", "--db", str(db)])
    fresh(db)
    return status_listing(Env(db_path=db, today=TODAYS[0]), include_all=True).shown[0]


def with_case(v: CaseView, **changes: Any) -> CaseView:
    return replace(v, facts=replace(v.facts, case=replace(v.facts.case, **changes)))


@settings(max_examples=examples(300), deadline=None)
@given(provider=HOSTILE, brand=st.none() | HOSTILE, serial=st.none() | HOSTILE)
@example(provider="".join(SPECIAL), brand="\u2028\u2029", serial='\ud800\\"')
def test_hostile_texts_as_json_writes_them(
    a_view: CaseView, provider: str, brand: str | None, serial: str | None
) -> None:
    v = with_case(a_view, provider=provider, brand=brand, serial=serial)
    text = status_item_text(v)
    assert text == json_text(v)
    assert json.loads(text) == status_item(v)


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("id", True),  # json writes `true`
        ("serial", 5),  # a number, not a text
        ("brand", b"x"),  # what json refuses
        ("amount", Decimal("1.5")),  # one decimal: formatted to two
        ("amount", Decimal("-0.00")),
        ("amount", Decimal("1E+3")),
        ("amount", Decimal("12345678901234567890.12")),
        ("amount", 1.25),  # a float: `fmt` refuses it
    ],
)
def test_values_no_view_holds_as_json_writes_them(
    a_view: CaseView, change: str, value: object
) -> None:
    v = with_case(a_view, **{change: value})
    assert outcome(status_item_text, v) == outcome(old_text, v)


def test_other_days_and_flags_as_json_writes_them(a_view: CaseView) -> None:
    from depositctl.core.records import State

    for state in State:
        for days in (0, 7, True):
            for warn in (False, True, 0):
                v = replace(a_view, state=state, days_overdue=days, limitation_warning=warn)
                assert outcome(status_item_text, v) == outcome(old_text, v)


def outcome(f: Callable[[Any], str], x: Any) -> tuple[str, Any]:
    try:
        return ("text", f(x))
    except Exception as exc:
        return ("raised", type(exc))


@given(
    st.one_of(
        st.decimals(places=2, allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.builds(
            lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**40), 10**40), st.integers(-30, 3)
        ),
    )
)
@example(Decimal("-0.00"))
@example(Decimal("1" * 25 + ".00"))
@example(Decimal("1" * 27 + ".00"))
@example(Decimal("1E+2"))
def test_fmt_is_two_decimals_quantized(amount: Decimal) -> None:
    """`fmt`'s shortcut for an amount already in fen writes what quantizing does."""
    assert outcome(fmt, amount) == outcome(lambda a: f"{a.quantize(CENT):f}", amount)


# -- the whole output ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_json_loads_as_the_items(cli: Cli, lang: str) -> None:
    load_demo(cli)
    env = Env(db_path=cli.db, today=TODAYS[0])
    for args in (["--all"], [], ["--limit", "3"]):
        printed = cli.ok("status", "--json", *args, lang=lang).stdout
        set_language(lang)
        include_all, limit = "--all" in args, 3 if "--limit" in args else 0
        listing = status_listing(env, include_all=include_all, limit=limit)
        expected = [status_item(v) for v in listing.shown]
        assert len(expected) >= 3
        assert json.loads(printed) == expected
        argv = ["--db", str(cli.db), "--today", TODAYS[0].isoformat(), "--lang", lang]
        served = fast._status([*argv, "status", "--json", *args], {})
        assert served is not None  # the fast path wrote it
        assert "".join(served) == printed
