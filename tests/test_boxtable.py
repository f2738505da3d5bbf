"""render/boxtable.py draws rich's status table byte for byte, or says it cannot (None).

Differential: the same rows through rich itself (render/tables._rich_table on a console
that is not a terminal, as `status` prints to a file or pipe) and through boxtable,
for generated ledgers and for hypothesis-generated cell texts, at several widths.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size
from rich.console import Console

from depositctl import fast, i18n
from depositctl.ops.env import Env
from depositctl.ops.views import status_listing as listing
from depositctl.render import boxtable, tables
from depositctl.render.tables import StatusRow
from tests.fixtures import make_ledger

WIDTHS = (80, 100, 120, 160)
TODAY = date(2026, 11, 24)


def rich_console(width: int) -> tuple[Console, io.StringIO]:
    """render/tables.console() for output that is not a terminal, writing to a buffer."""
    buf = io.StringIO()
    con = Console(file=buf, highlight=False)
    assert not con.is_terminal
    con.width = width
    return con, buf


def by_rich(rows: list[StatusRow], width: int) -> str:
    con, buf = rich_console(width)
    tables._rich_table("Deposits as of 2026-11-24", rows, ["bold red"] * len(rows), con)
    return buf.getvalue()


def by_boxtable(rows: list[StatusRow], width: int) -> str | None:
    cells, commands = tables._table_cells(rows)
    after = (tables._commands_heading(), *("  " + c for c in commands)) if commands else ()
    columns = tables.status_columns(width)
    lines = boxtable.render("Deposits as of 2026-11-24", columns, cells, width, after)
    return None if lines is None else "".join(line + "\n" for line in [*lines, *after])


def test_every_width_is_richs() -> None:
    """Each character boxtable draws takes the cells rich gives it; others are unknown."""
    for first, last, width in boxtable._WIDTHS:
        for cp in range(first, last + 1):
            assert get_character_cell_size(chr(cp)) == width, hex(cp)
    for ch in "\t\n\x1b\x85\u0301\u200b\u200d\ufe0f\U0001f600\u2028\u3099\ue000":
        assert not boxtable.known(ch), repr(ch)
    assert boxtable.cell_len("押金 ab，") == 9


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for n in (1, 7, 40, 120):
        db = tmp_path_factory.mktemp(f"b{n}") / "ledger.db"
        make_ledger.main(["--cases", str(n), "--contacts-per-case", "2", "--db", str(db)])
        out[n] = db
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", [TODAY, date(2027, 3, 1)])
def test_ledgers_drawn_as_rich_draws_them(ledgers: dict[int, Path], lang: str, today: date) -> None:
    i18n.set_language(lang)
    try:
        for n, db in ledgers.items():
            found = listing(Env(db_path=db, today=today), include_all=n % 2 == 0)
            for limit in (1, 3, 200):
                shown = found.shown[:limit]
                args = (shown, found.totals)
                for width in WIDTHS:
                    mine = tables.status_text(*args, today, width)
                    con, buf = rich_console(width)
                    tables.status_listing(*args, today, con=con)
                    if width >= 120:  # the default page: always served
                        assert mine is not None, (n, width)
                    assert mine is None or mine == buf.getvalue(), (n, limit, width)
    finally:
        i18n.set_language("en")


#: Cell text: ASCII, several spaces, brackets, CJK and full-width punctuation, the spaces
#: Python counts as whitespace (NBSP, ideographic), long unbroken words, and now and then
#: something boxtable must refuse (tab, emoji, backslash, an emoji code, a combining mark).
ALPHABET = "ab cde  xyz0129-/.[]()" + "押金退还中文，（）、。：" + "\u3000\xa0…—“”¥→ｱ가"
RARE = ["\t", "\U0001f600", "\\", ":smile:", "e\u0301", "[bold]", "[/]", "[a1]"]
text = st.one_of(
    st.text(ALPHABET, max_size=40),
    st.text(ALPHABET, max_size=160),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "中", "ab ", "  "]), st.integers(0, 90)),
    st.builds(
        lambda a, r, b: a + r + b,
        st.text(ALPHABET, max_size=20),
        st.sampled_from(RARE),
        st.text(ALPHABET, max_size=20),
    ),
)
one_line = text.map(lambda s: s.replace("\n", " "))
row = st.builds(
    StatusRow,
    id=st.integers(1, 10**6).map(str),
    provider=st.one_of(text, st.builds(lambda a, b: f"{a}\n{b}", one_line, one_line)),
    outstanding=st.one_of(st.just("¥99.00"), one_line.map(lambda s: s[:14])),
    state=one_line.map(lambda s: s[:24]),
    due=st.sampled_from(["-", "2026-12-01", "2026-12-01*", "cond. 2026-12-01"]),
    action=text,
    command=st.one_of(st.none(), st.just("depositctl letter 3 --to 12363"), one_line),
    note=st.sampled_from(["", "[limitation ends 2027-01-01]", "[诉讼时效届满 2027-01-01]"]),
)


def same_or_handed_over(rows: list[StatusRow], width: int) -> None:
    mine = by_boxtable(rows, width)
    if mine is not None:
        assert mine == by_rich(rows, width)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=5), width=st.sampled_from(WIDTHS))
def test_generated_cells_drawn_as_rich_draws_them(rows: list[StatusRow], width: int) -> None:
    same_or_handed_over(rows, width)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row, min_size=1, max_size=8),
    width=st.one_of(st.sampled_from(WIDTHS), st.integers(40, 240)),
)
def test_many_generated_cells_drawn_as_rich_draws_them(rows: list[StatusRow], width: int) -> None:
    same_or_handed_over(rows, width)


def plain_row(action: str = "Ask for the refund", provider: str = "某某支付") -> StatusRow:
    return StatusRow("1", provider, "¥99.00", "overdue 3 days", "2026-12-01", action, None, "")


@pytest.mark.parametrize("width", WIDTHS)
def test_ordinary_rows_are_served(width: int) -> None:
    rows = [plain_row(), plain_row("word " * 60), plain_row("x" * 300, "y" * 50)]
    mine = by_boxtable(rows, width)
    assert mine is not None
    assert mine == by_rich(rows, width)


@pytest.mark.parametrize(
    "rows",
    [
        [plain_row("tab\there")],
        [plain_row("an emoji \U0001f600")],
        [plain_row("C:\\path")],
        [plain_row("say :smile: now")],
        [plain_row("combining e\u0301")],
    ],
)
def test_unsure_texts_are_handed_to_rich(rows: list[StatusRow]) -> None:
    assert by_boxtable(rows, 120) is None


def test_the_decision() -> None:
    """`plan` gives rich's widths, or None where the table stays wider than the page
    after rich's collapsing (rich's last resort, or a minimum width it restores)."""
    columns = tables.status_columns(120)
    cells = [("1", "某某支付", "¥99.00", "overdue", "a short action")]
    # padding 1 + 1: "#" 1, provider 8 (header 19 → max 20), ¥99.00 6 (header 11) …
    assert boxtable.plan("T", columns, cells, 120) == [3, 21, 13, 13, 18]
    wide = [("1" * 60, "p", "9" * 60, "s", "a b c")]  # no-wrap columns wider than the page
    assert boxtable.plan("T", columns, wide, 120) is None
    squeezed = [("1" * 40, "p", "9" * 40, "s" * 20, "long " * 30)]  # action restored to 18
    assert boxtable.plan("T", columns, squeezed, 120) is None
    drawn = by_rich(
        [StatusRow("1" * 40, "p", "9" * 40, "s" * 20, "-", "long " * 30, None, "")], 120
    )
    assert not drawn.splitlines()[1].endswith("┓")  # rich cuts its lines at the page's edge
    assert boxtable.plan("[b]T[/b]", columns, cells, 120) is None  # markup in a title
    assert boxtable.plan("T", columns, cells, 120, ("x" * 121,)) is None  # a long command


@pytest.mark.parametrize(
    "environ", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}, {"UNICODE_VERSION": "9"}]
)
def test_rich_environment_is_handed_over(environ: dict[str, str]) -> None:
    assert fast.table_width(environ) is None


def test_table_width_is_the_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    assert fast.table_width({}) == 120
    monkeypatch.setenv("COLUMNS", "150")
    assert fast.table_width({}) == 150


# -- rich's regular expressions as string tests (issue 12: no `re` in `status`) ----------
_SINGLE_RE = r"^[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2500-\u25fc\u2800-\u28ff]*$"
#: Characters on each side of every range, the whitespace `\s` and `str.split` know,
#: colons, and line breaks.
_EDGES = (
    "\x1f\x20\x7e\x7f\x9f\xa0\xac\xad\xae\u02ff\u0300\u036f\u0370\u0482\u0483\u24ff\u2500"
    "\u25fc\u25fd\u27ff\u2800\u28ff\u2900a:： \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u3000\xa0中"
)
_texts = st.text(alphabet=_EDGES, max_size=24) | st.text(max_size=24)


@given(_texts)
def test_single_is_richs_one_cell_pattern(text: str) -> None:
    import re

    assert boxtable._single(text) == bool(re.match(_SINGLE_RE, text))


@given(_texts)
def test_emoji_like_is_the_emoji_code_pattern(text: str) -> None:
    import re

    assert boxtable._emoji_like(text) == bool(re.search(r":\S*?:", text))


@given(_texts)
def test_words_are_richs_word_matches(text: str) -> None:
    from rich._wrap import re_word

    expected = [(m.start(), m.group(0)) for m in re_word.finditer(text)]
    assert boxtable._words(text) == expected


@given(_texts)
def test_trailing_is_richs_trailing_whitespace(text: str) -> None:
    import re

    m = re.search(r"\s+$", text)
    assert boxtable._trailing(text) == (len(m.group(0)) if m else 0)
