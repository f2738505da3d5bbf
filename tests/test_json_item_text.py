"""`status_item_utf8` (render/jsonout.py) writes an item of `status --json` from the view,
without the dict `status_item`, in UTF-8: the same text as the dict through json, for
every case; `tables.write_chunks` writes the items as the output stream writes the text."""

from __future__ import annotations

import io
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
from depositctl.core.caseview import Action, CaseView
from depositctl.core.money import CENT, fmt
from depositctl.core.recordtype import replace
from depositctl.i18n import set_language
from depositctl.ops.env import Env, evaluator, opened
from depositctl.ops.views import listing_from_facts, status_listing
from depositctl.render.jsonout import (
    _flat_item_text,
    item_text,
    json_chunks,
    status_item,
    status_item_utf8,
)
from depositctl.render.tables import write_chunks
from tests.conftest import Cli, examples
from tests.fixtures import make_ledger
from tests.test_fastpath import fresh
from tests.test_letters import load_demo
from tests.test_row_line import TEMPLATES, hostile, ids

TODAYS = (date(2026, 11, 24), date(2027, 3, 15))


def status_item_text(v: CaseView) -> str:
    """The item `status_item_utf8` writes, as text (a lone surrogate kept)."""
    return status_item_utf8(v).decode("utf-8", "surrogatepass")


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


# -- what many cases share, kept ------------------------------------------------------------
# A kept text is written for whichever case asks next: each test writes a case cold, then
# others whose values are equal as keys (and may be written otherwise), then the first again.


def same_as_json(views: list[CaseView]) -> None:
    for v in views:
        assert outcome(status_item_text, v) == outcome(old_text, v), v.id


@settings(max_examples=examples(300), deadline=None)
@given(
    template=st.sampled_from(TEMPLATES),
    x=st.one_of(hostile, st.sampled_from([1, True, 1.0, Decimal("1.00"), ["a"]])),
    cases=st.lists(ids, min_size=1, max_size=4),
    estimate=st.booleans(),
    lang=st.sampled_from(["zh", "en"]),
    code=st.one_of(st.just("x"), HOSTILE),
)
@example(
    template="{x}：depositctl letter {id} --to {x}",
    x="a\x00b",
    cases=[5, 12345, -3],
    estimate=False,
    lang="zh",
    code="x",
)
def test_next_action_kept_for_every_case(
    a_view: CaseView,
    template: str,
    x: object,
    cases: list[object],
    estimate: bool,
    lang: str,
    code: str,
) -> None:
    """The next action's words kept for one case number are right for every other (a
    short and a long one, a number padded `{id:>4}`, `_CASE` in a value, values equal as
    keys but written otherwise, one that cannot be a key, no number at all), in json's
    escapes (`x` holds every character json escapes)."""
    set_language(lang)
    try:
        views = []
        for case in [*cases, None, cases[0]]:
            params = {"x": x, "date": "2026-12-03"}
            if case is not None:
                params = {"id": case, **params}
            action = Action(code=code, text=template, params=params, estimate=estimate)
            views.append(replace(a_view, next_action=action))
        same_as_json(views)
    finally:
        set_language("en")


class OtherDay(date):
    """Equal to the `date` of its day, written otherwise."""

    def isoformat(self) -> str:
        return "day " + super().isoformat()


@settings(max_examples=examples(200), deadline=None)
@given(days=st.lists(st.one_of(st.none(), st.dates()), min_size=5, max_size=5))
@example(days=[date(2026, 12, 3)] * 5)
def test_days_kept_for_every_case(a_view: CaseView, days: list[date | None]) -> None:
    """Each day of the item, kept, is written for every case as json writes it; a day
    of a subclass of `date` equal to a kept one is written its own way."""
    cond, met, due, nxt, lim = days
    ref = a_view.refund_due or a_view.limitation
    assert ref is not None

    def at(on: date | None) -> Any:
        return None if on is None else replace(ref, on=on)

    v = replace(
        a_view,
        condition_deadline=at(cond),
        condition_met_on=met,
        refund_due=at(due),
        next_deadline=nxt,
        limitation=at(lim),
    )
    others = [
        replace(v, condition_met_on=OtherDay(d.year, d.month, d.day)) for d in days if d is not None
    ]
    same_as_json([v, *others, v])


#: Amounts equal as keys and written otherwise (0 and -0), equal and written alike (1.5
#: and 1.50), what `fmt` quantizes, refuses or cannot hash (a float, an int, sNaN).
AMOUNTS = st.one_of(
    st.decimals(places=2, allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal("0"),
            Decimal("-0.00"),
            Decimal("0E+3"),
            Decimal("-0E-7"),
            Decimal("1.5"),
            Decimal("1.50"),
            Decimal("sNaN"),
            Decimal("1" * 27 + ".00"),
            1.5,
            1,
            True,
        ]
    ),
)


@settings(max_examples=examples(300), deadline=None)
@given(amounts=st.lists(AMOUNTS, min_size=3, max_size=9))
@example(amounts=[Decimal("1.50"), Decimal("1.5"), Decimal("0"), Decimal("-0.00"), 1.5, 1])
def test_amounts_kept_for_every_case(a_view: CaseView, amounts: list[Any]) -> None:
    """Each amount of the item, kept, is written for every case as json writes it (or
    refused as `fmt` refuses it)."""
    views = []
    for i in range(0, len(amounts) - 2):
        a, r, o = amounts[i : i + 3]
        views.append(replace(with_case(a_view, amount=a), refunded=r, outstanding=o))
    same_as_json([*views, *views])


def test_full_memos_start_again(a_view: CaseView, monkeypatch: pytest.MonkeyPatch) -> None:
    """A memo past its size is emptied and filled again: the same items."""
    from depositctl.render import jsonout

    monkeypatch.setattr(jsonout, "_MAX", 2)
    views = [
        replace(
            with_case(a_view, amount=Decimal(n) + CENT, provider=f"示例{n}"),
            condition_met_on=date(2026, 1, 1 + n),
            next_action=Action(code="x", text=f"step {n}: depositctl x {{id}}", params={"id": n}),
        )
        for n in range(1, 8)
    ]
    same_as_json([*views, *views])
    # The memos of the values that differ here: filled, emptied, filled again.
    for memo in (jsonout._PROVIDER, jsonout._AMOUNT, jsonout._MET, jsonout._ACTION_PIECES):
        assert 0 < len(memo) <= 2


@pytest.mark.parametrize("n", [0, 1, 2, 5, 2001])
def test_json_chunks_as_json_writes_the_list(n: int) -> None:
    items = [{"id": i, "provider": "示例\n"} for i in range(n)]
    chunks = list(json_chunks([item_text(i).encode() for i in items]))
    assert b"".join(chunks).decode() == json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    assert len(chunks) == (1 if n == 0 else 2 * n + 1)  # never one string


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
        assert b"".join(served).decode() == printed  # type: ignore[arg-type]


# -- writing the items ------------------------------------------------------------------------
class Stream(io.TextIOWrapper):
    """A text stream over bytes, as the standard output is, that says what it was given."""

    def __init__(self, encoding: str, errors: str = "strict") -> None:
        super().__init__(io.BytesIO(), encoding=encoding, errors=errors)
        self.texts = 0

    def write(self, s: str) -> int:
        self.texts += 1
        return super().write(s)

    def written(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()  # type: ignore[attr-defined,no-any-return]


def old_write(texts: list[str], out: io.TextIOWrapper) -> None:
    """How `status --json` wrote its items as text: the list's pieces joined a thousand
    at a time."""
    chunks = ["[\n  ", texts[0]]
    for t in texts[1:]:
        chunks += [",\n  ", t]
    chunks.append("\n]\n")
    for i in range(0, len(chunks), 1000):
        out.write("".join(chunks[i : i + 1000]))


@pytest.mark.parametrize(
    ("encoding", "errors"),
    [("utf-8", "strict"), ("UTF8", "surrogateescape"), ("gbk", "strict"), ("latin-1", "strict")],
)
@pytest.mark.parametrize("provider", ["示例支付", "plain", "\udcff", "\ud800", "한국", "x\u2028😀"])
def test_items_written_as_the_stream_writes_their_text(
    a_view: CaseView, encoding: str, errors: str, provider: str
) -> None:
    """UTF-8 items reach the output's bytes as the stream wrote their text, 2,001 of
    them (three batches), after text written before: as they are where it writes UTF-8,
    else through the stream, which writes what it can or refuses as it did (a lone
    surrogate, a character gbk or latin-1 has not)."""
    v = with_case(a_view, provider=provider)
    item, text = status_item_utf8(v), old_text(v)
    assert status_item_text(v) == text

    def written(write: Callable[[Stream], None]) -> tuple[tuple[str, Any], bytes, int]:
        out = Stream(encoding, errors)
        out.write("before\n")
        done = outcome(write, out)
        return done, out.written(), out.texts

    *new, texts = written(lambda out: write_chunks(json_chunks([item] * 2001), out))
    assert tuple(new) == written(lambda out: old_write([text] * 2001, out))[:2]
    if encoding in ("utf-8", "UTF8") and provider in ("示例支付", "plain", "x\u2028😀"):
        assert texts == 1  # "before" alone: the items went to the bytes as they are
    else:  # through the text layer (한국's UTF-8 holds an ED byte, as a surrogate's)
        assert texts > 1
