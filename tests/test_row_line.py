"""A case's row and its line in the plain listing (render/tables.py `status_row`,
`_plain_table`) are what they were before issue 12 made them cheaper: the same fields,
the same widths, the same lines, byte for byte.

The reference is a copy of the code as it was (`old_*` below, from commit 7499ecb): each
row worked out in full, its widths measured again in both passes of the listing. The
new code keeps what many cases share (`_Texts`) and each row's widths; these tests run
it cold and warm, in both languages, over generated ledgers on both sides of
RICH_MAX_ROWS, the demo ledger, and hypothesis-made hostile texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depositctl import i18n
from depositctl.core.caseview import Action, CaseView, Deadline, Totals
from depositctl.core.money import fmt_yuan
from depositctl.core.records import State
from depositctl.core.recordtype import replace
from depositctl.i18n import _, ngettext
from depositctl.ops.env import Env
from depositctl.ops.views import status_listing
from depositctl.render import tables, text
from depositctl.render.tables import RICH_MAX_ROWS, StatusRow, status_row
from tests.fixtures import make_ledger

TODAYS = (date(2026, 11, 24), date(2027, 3, 15))

# --- the code as it was (7499ecb) -------------------------------------------------------

OLD_COMMAND = re.compile(r"\s*[:：]?\s*(depositctl\s.*)$")


def old_split_command(txt: str) -> tuple[str, str | None]:
    m = OLD_COMMAND.search(txt) if "depositctl" in txt else None
    if m is None:
        return txt, None
    return txt[: m.start()].rstrip(" ：:"), m.group(1).strip()


def old_action_text(action: Action) -> str:
    out = _(action.text).format(**text._params(action.params))
    if action.estimate:
        out += _(" ({note})").format(note=_("estimate: working-day calendar not yet published"))
    return out


def old_due_marks(d: Deadline) -> str:
    marks = "*" if d.estimate or d.is_default else ""
    return marks + ("~" if d.provisional else "")


def old_status_row(v: CaseView) -> tuple[str, ...]:
    """The old `status_row`'s ten fields."""
    c = v.facts.case
    state = text.state_label(v.state)
    if v.state is State.OVERDUE:
        state += " " + ngettext("{n} day", "{n} days", v.days_overdue).format(n=v.days_overdue)
    marks = ""
    if v.refund_due:
        marks = old_due_marks(v.refund_due)
        due = v.refund_due.on.isoformat() + marks
    elif v.condition_deadline and v.state in (
        State.AWAITING_ACTIVATION,
        State.CONDITION_PENDING,
        State.CONDITION_FAILED,
    ):
        due = _("cond. {date}").format(date=v.condition_deadline.on.isoformat())
    else:
        due = "-"
    action, command = old_split_command(old_action_text(v.next_action))
    note = ""
    if v.limitation_warning and v.limitation:
        note = _("[limitation ends {date}]").format(
            date=(v.limitation_restart or v.limitation).on.isoformat()
        )
    terminal = " ".join(x for x in (c.brand, c.serial) if x)
    provider = c.provider + (f"\n{terminal}" if terminal else "")
    return (
        str(c.id),
        provider,
        fmt_yuan(v.outstanding),
        state,
        due,
        action,
        command,  # type: ignore[return-value]
        note,
        marks,
        tables.STATE_STYLE[v.state],
    )


def old_width(txt: str) -> int:
    if txt.isascii():
        return len(txt)
    kinds = list(map(unicodedata.east_asian_width, txt))
    return len(txt) + kinds.count("W") + kinds.count("F")


def old_one_line(provider: str) -> str:
    return provider.replace("\n", " / ")


def old_cells(r: tuple[str, ...]) -> tuple[str, ...]:
    ident, provider, outstanding, state, due, action, command, note = r[:8]
    action = action + (_(": ") + command if command else "")
    return (ident, provider, outstanding, state, due, action + (" " + note if note else ""))


def old_plain_table(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [old_width(h) for h in headers[:5]]
    w0, w1, w2, w3, w4 = widths
    for r in rows:
        w0 = max(w0, old_width(r[0]))
        w1 = max(w1, old_width(old_one_line(r[1])))
        w2 = max(w2, old_width(r[2]))
        w3 = max(w3, old_width(r[3]))
        w4 = max(w4, old_width(r[4]))
    widths = [w0, w1, w2, w3, w4]

    def line(c: tuple[str, ...]) -> str:
        return (
            f"{' ' * (w0 - old_width(c[0]))}{c[0]}  {c[1]}{' ' * (w1 - old_width(c[1]))}  "
            f"{' ' * (w2 - old_width(c[2]))}{c[2]}  {c[3]}{' ' * (w3 - old_width(c[3]))}  "
            f"{c[4]}{' ' * (w4 - old_width(c[4]))}  {c[5]}"
        )

    out = [title, line(headers)]
    out.append("  ".join("-" * w for w in widths) + "  " + "-" * max(old_width(headers[5]), 11))
    for r in rows:
        c = old_cells(r)
        out.append(line((c[0], old_one_line(c[1]), *c[2:])))
    return out


# --- the comparisons ----------------------------------------------------------------------

HEADERS = ("#", "Provider / terminal", "Outstanding", "State", "Due", "Next action")


def fields(r: StatusRow) -> tuple[str | None, ...]:
    return (r.id, r.provider, r.outstanding, r.state, r.due, r.action, r.command, r.note)


def same_as_before(views: Sequence[CaseView]) -> list[StatusRow]:
    """Every view's row has the old fields and the old widths, and the plain table of
    them all is the old one; cold (as the memos are) and again warm."""
    old = [old_status_row(v) for v in views]
    for _pass in range(2):
        rows = [status_row(v) for v in views]
        for v, r, o in zip(views, rows, old, strict=True):
            assert (*fields(r), r.marks, r.style) == o, v.id
            assert r.provider_width == old_width(old_one_line(o[1]))
            assert (r.outstanding_width, r.state_width, r.due_width) == tuple(
                old_width(x) for x in o[2:5]
            )
        headers = tuple(_(h) for h in HEADERS)
        mine = list(tables._plain_table("T", headers, rows))
        assert mine == old_plain_table("T", headers, old)
        assert list(tables._plain_table("T", headers, rows, "\n")) == [m + "\n" for m in mine]
        # A row made otherwise (no widths kept) is measured: the same lines.
        plain = [StatusRow(*fields(r), r.marks, r.style) for r in rows]
        assert list(tables._plain_table("T", headers, plain)) == mine
    return rows


def old_listing(
    rows: list[tuple[str, ...]], news: list[StatusRow], totals: Totals, today: date
) -> str:
    """The old `status_rows_lines` of more than RICH_MAX_ROWS rows (the footer is as it
    was: `_footer` of the new rows, whose marks are the old ones)."""
    headers = tuple(_(h) for h in HEADERS)
    lines = old_plain_table(tables._title(today), headers, rows)
    return "".join(line + "\n" for line in [*lines, *tables._footer(news, totals)])


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for n in (3, 150, RICH_MAX_ROWS + 60):
        db = tmp_path_factory.mktemp(f"r{n}") / "ledger.db"
        make_ledger.main(["--cases", str(n), "--contacts-per-case", "2", "--db", str(db)])
        out[n] = db
    return out


@pytest.fixture
def lang_reset() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", TODAYS)
def test_generated_ledgers(
    ledgers: dict[int, Path], lang: str, today: date, lang_reset: None
) -> None:
    i18n.set_language(lang)
    for n, db in ledgers.items():
        for include_all in (False, True):
            found = status_listing(Env(db_path=db, today=today), include_all=include_all)
            rows = same_as_before(found.shown)
            lines = tables.status_rows_lines(rows, found.totals, today, 120)
            assert lines is not None
            if len(rows) > RICH_MAX_ROWS:
                old = [old_status_row(v) for v in found.shown]
                assert "".join(lines) == old_listing(old, rows, found.totals, today)
            else:
                assert n < RICH_MAX_ROWS or not include_all


def test_languages_keep_their_own_texts(ledgers: dict[int, Path], lang_reset: None) -> None:
    """The memos are per language: zh, en, zh again in one process give each its words."""
    found = status_listing(Env(db_path=ledgers[150], today=TODAYS[0]))
    for lang in ("zh", "en", "zh"):
        i18n.set_language(lang)
        same_as_before(found.shown)


def test_full_memos_start_again(
    ledgers: dict[int, Path], monkeypatch: pytest.MonkeyPatch, lang_reset: None
) -> None:
    """A memo past `_Texts.MAX` entries is emptied and filled again: the same rows."""
    monkeypatch.setattr(tables._Texts, "MAX", 3)
    monkeypatch.setattr(tables, "_TEXTS", {})
    i18n.set_language("zh")
    found = status_listing(Env(db_path=ledgers[150], today=TODAYS[1]), include_all=True)
    same_as_before(found.shown)
    assert all(len(getattr(t, k)) <= 3 for t in tables._TEXTS.values() for k in t.__slots__)


@pytest.fixture
def demo_views(tmp_path: Path) -> Path:
    from depositctl import data
    from depositctl.store.casefile import load_casefile, read_casefile
    from depositctl.store.ledger import open_ledger

    db = tmp_path / "ledger.db"
    example = data.path("examples", "demo-ledger.toml")
    with open_ledger(db) as led:
        load_casefile(led, read_casefile(example), example.parent, TODAYS[0])
    return db


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", TODAYS)
def test_demo_ledger(demo_views: Path, lang: str, today: date, lang_reset: None) -> None:
    i18n.set_language(lang)
    found = status_listing(Env(db_path=demo_views, today=today), include_all=True)
    assert found.shown
    same_as_before(found.shown)


# --- hostile texts ------------------------------------------------------------------------

#: CJK, fullwidth and wide characters, colons of both widths, the spaces Python counts as
#: whitespace (NBSP, ideographic, the separators \x1c-\x1f), line breaks, `_CASE` itself.
ALPHABET = "ab xyz09-./" + "押金退还中文，（）。" + "：:\u3000\xa0\x1c\t\r\n" + "ＡＢ１ｱ가¥￥\x00"
hostile = st.one_of(
    st.text(ALPHABET, max_size=30),
    st.builds(
        lambda a, w, b: a + w + b,
        st.text(ALPHABET, max_size=12),
        st.sampled_from(["depositctl", "depositctl ", "：depositctl\n", ": depositctl x"]),
        st.text(ALPHABET, max_size=12),
    ),
)
#: Templates as the ladder writes them and worse: the command after "：" or ": ", the
#: number twice, formatted otherwise than `{id}`, none at all, after a line break.
TEMPLATES = [
    "ask for the refund: depositctl contact {id} --on DATE",
    "{x}：depositctl letter {id} --to {x}",
    "{x} depositctl {id}\n{x} depositctl {id} y",
    "{id:>4}: depositctl z {id}",
    "{id!r} depositctl {id}",
    "wait for {x} until {date}",
    "{x}",
    "depositctl{x}{id}",
    "{x}: depositctl\n",
]
params = st.fixed_dictionaries(
    {"x": hostile, "date": st.sampled_from(["2026-12-03", "2027-01-13"])},
    optional={"y": st.lists(st.text("ab", max_size=2), max_size=2)},  # cannot be a key
)
#: Case numbers, and what a hand-edited cache might hold instead of one.
ids = st.one_of(st.integers(1, 10**7), st.integers(-5, 5), st.just(True), hostile)
amounts = st.sampled_from(
    [
        Decimal(0),
        Decimal("-0"),
        Decimal("0.001"),
        Decimal("-5"),
        Decimal("1234567.891"),
        Decimal("99"),
    ]
)


@pytest.fixture(scope="module")
def base_views(tmp_path_factory: pytest.TempPathFactory) -> list[CaseView]:
    db = tmp_path_factory.mktemp("hostile") / "ledger.db"
    make_ledger.main(["--cases", "30", "--contacts-per-case", "2", "--db", str(db)])
    return status_listing(Env(db_path=db, today=TODAYS[0]), include_all=True).shown


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    provider=hostile,
    brand=st.one_of(st.none(), hostile),
    serial=st.one_of(st.none(), hostile),
    template=st.sampled_from(TEMPLATES),
    params=params,
    case=st.one_of(st.none(), ids),
    other=ids,
    estimate=st.booleans(),
    days=st.integers(0, 400),
    amount=amounts,
    lang=st.sampled_from(["zh", "en"]),
)
def test_hostile_texts(
    base_views: list[CaseView],
    data: st.DataObject,
    provider: str,
    brand: str | None,
    serial: str | None,
    template: str,
    params: dict[str, object],
    case: object,
    other: object,
    estimate: bool,
    days: int,
    amount: Decimal,
    lang: str,
) -> None:
    """Widths, fields and lines as before for any provider, terminal, next action (its
    template, params and case number, and the same for another number) and amount; the
    drawn rows among real ones."""
    i18n.set_language(lang)
    try:
        v = data.draw(st.sampled_from(base_views))
        given_params = {"id": case, **params} if case is not None else dict(params)
        action = Action(code="x", text=template, params=given_params, estimate=estimate)
        try:
            old_action_text(action)
        except (KeyError, ValueError, IndexError):
            action = replace(action, params={**given_params, "id": 1})  # a number it needs
        c = replace(v.facts.case, provider=provider, brand=brand, serial=serial)
        hostile_view = replace(
            v,
            facts=replace(v.facts, case=c),
            next_action=action,
            outstanding=amount,
            days_overdue=days if v.state is State.OVERDUE else v.days_overdue,
        )
        # The same action for another case number: kept for one, right for the other.
        params_other = {**action.params, "id": other} if "id" in action.params else action.params
        try:
            old_action_text(replace(action, params=params_other))
        except (KeyError, ValueError, IndexError):
            params_other = action.params
        other_view = replace(hostile_view, next_action=replace(action, params=params_other))
        same_as_before([hostile_view, *base_views[:3], other_view, hostile_view])
    finally:
        i18n.set_language("en")


@settings(max_examples=500, deadline=None)
@given(st.one_of(hostile, st.lists(hostile, max_size=4).map("".join)))
def test_split_command_as_before(txt: str) -> None:
    assert OLD_COMMAND.pattern == tables.COMMAND  # what `tables._command` finds, as re
    assert tables.split_command(txt) == old_split_command(txt)


@given(st.text(ALPHABET + "\u00e9\u0301\U0001f600\uff01\u2e80", max_size=40))
def test_widths_as_before(txt: str) -> None:
    assert tables._cells_width(txt) == old_width(txt)
    assert tables._line_width(txt) == old_width(old_one_line(txt))


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize(
    "x", ["", "a\x00b", "：depositctl x\n", 1, True, 1.0, Decimal("1.00"), ["a"], "中 depositctl"]
)
def test_one_action_many_case_numbers(
    base_views: list[CaseView], template: str, x: object, lang_reset: None
) -> None:
    """The next action kept for one case number is right for every other: short and long
    numbers (a template padding `{id:>4}`), `_CASE` in a value, values equal as keys but
    printed otherwise (1, True, 1.0), a value that cannot be a key."""
    i18n.set_language("zh")
    views = []
    for case in (5, 12345, 7, -3, 5):
        action = Action(code="x", text=template, params={"id": case, "x": x, "date": "d"})
        views.append(replace(base_views[case % 7], next_action=action))
    same_as_before(views)
    for same in (1, True, 1.0):  # equal keys: each printed as it is
        action = Action(code="x", text=template, params={"x": same, "id": 9, "date": "d"})
        same_as_before([replace(base_views[0], next_action=action)])
