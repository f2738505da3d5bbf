"""Session 7 attacks on what landed that day: the derived row's bases after its own JSON,
read when looked at (`StoredBasis`, DERIVE_VERSION 4), rows read back through
`recordtype.builder`, amounts memoised by text, `status_item_text` (now
`status_item_utf8`). Each test failed before the fix it names, or is a guard (said so)."""

from __future__ import annotations

import copy
import json
import pickle
import re
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from depositctl import fast
from depositctl.core import recordtype
from depositctl.core.caseview import Basis, Deadline
from depositctl.core.recordtype import asdict, fields_of, record, replace
from depositctl.store import derived
from tests.conftest import TODAY, Cli
from tests.test_attack_s5 import _sql
from tests.test_fastpath import fast_text

LISTINGS = (
    ("status",),
    ("status", "--limit", "0"),
    ("status", "--json"),
    ("status", "--all"),
    ("status", "--json", "--limit", "0", "--all"),
    ("agenda", "--days", "30"),
    ("ics",),
)

#: What no listing may write: C0/C1 controls, bidi controls, line separators, surrogates.
_CONTROLS = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(127, 160))] + [
    "\u2028",
    "\u2029",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


def _add(cli: Cli, *extra: str) -> int:
    r = cli.ok("add", "--provider", "示例支付股份有限公司", "--amount", "299", *extra)
    return int(r.stdout.split("#")[1].split()[0])


def _letter_case(cli: Cli) -> int:
    """An overdue case waiting for the answer to a 催告函: its next action quotes the
    letter's title from the basis of its open follow-up (`letter`); then a plain case."""
    a = _add(cli, "--paid-on", "2026-09-01")
    cli.ok("contact", str(a), "--on", "2026-11-01", "--channel", "agent", "--refund-request")
    cli.ok(
        "sent",
        str(a),
        "--to",
        "支付机构",
        "--on",
        "2026-11-20",
        "--via",
        "特快专递",
        "--tracking",
        "EA000000001CN",
    )
    _add(cli, "--paid-on", "2025-01-10")
    cli.ok("status")
    return a


def _data(cli: Cli, case_id: int) -> str:
    conn = sqlite3.connect(cli.db)
    try:
        (data,) = conn.execute("SELECT data FROM _derived WHERE case_id = ?", [case_id]).fetchone()
    finally:
        conn.close()
    return str(data)


def _edit_bases(cli: Cli, case_id: int, edit: Callable[[list[Any], list[Any]], object]) -> None:
    """The stored row of `case_id` changed with sqlite3: `edit(own, bases)` on its own
    JSON and on the list of bases after it (no trigger marks the row dirty)."""
    own_text, bases_text, rest_text = _data(cli, case_id).split("\n")
    own, bases = json.loads(own_text), json.loads(bases_text)
    edit(own, bases)
    # ASCII: a lone surrogate as its escape `\ud800`, as a hand edit of the text writes it.
    data = json.dumps(own, ensure_ascii=False) + "\n" + json.dumps(bases) + "\n" + rest_text
    _sql(cli, "UPDATE _derived SET data = ? WHERE case_id = ?", data, case_id)


def _follow_up_basis(own: list[Any], bases: list[Any]) -> list[Any]:
    """The basis of the row's open follow-up (the one the next action quotes)."""
    return bases[own[7][1]]  # type: ignore[no-any-return]


def _outputs(cli: Cli) -> dict[tuple[str, ...], str]:
    """Every listing's output through Typer, and the fast path's (the console script's
    `status`, in process) where it serves; each exits 0 with nothing on stderr (the
    console script's own run: tests/test_fastpath.py)."""
    got = {args: cli.ok(*args).stdout for args in LISTINGS}
    for args in LISTINGS:
        if args[0] == "status":
            argv = ["--db", str(cli.db), "--today", TODAY, "--lang", "en", *args]
            try:  # as `fast._main`: an exception before the output hands over to Typer
                text = fast_text(fast._status(argv, {}))
            except Exception:
                text = None
            if text is not None:
                got["fast", *args] = text
    return got


def _truth(cli: Cli) -> dict[tuple[str, ...], str]:
    """The listings computed again from the facts (the cache dropped before each)."""
    got = {}
    for args in LISTINGS:
        _sql(cli, "DELETE FROM _derived")
        got[args] = cli.ok(*args).stdout
    return got


def _stamped(text: str) -> str:
    """`ics` without its DTSTAMP (the time it was written)."""
    return re.sub(r"DTSTAMP:\S+", "DTSTAMP:", text)


def _same_as_truth(got: dict[tuple[str, ...], str], truth: dict[tuple[str, ...], str]) -> None:
    for args, text in got.items():
        expected = truth[args[1:] if args[0] == "fast" else args]
        assert _stamped(text) == _stamped(expected), args
        assert not any(c in text for c in _CONTROLS), args


# -- the bases: what a listing shows of them ----------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "催\x1b[31m告函\x07\x00",  # an escape sequence, a bell, NUL
        "\u202e函告催",  # a bidi override
        "催告\u2028函",  # a line separator
        "催告\ud800函",  # a lone surrogate (`\\ud800` in the JSON): not UTF-8 on output
    ],
)
def test_a_basis_text_that_is_not_safe_to_show_makes_the_listing_compute_from_the_facts(
    cli: Cli, value: str
) -> None:
    """Fixed in store/derived.py (`_StoredBases.__call__`, `_basis`): a basis read back is
    checked as the row's case is (`records.safe`): a text of it that is not safe to show
    (edited by hand: depositctl writes none) makes the row unreadable, and the listing is
    the facts'. Before: `status` and `agenda` (Typer and the console script) printed the
    escape sequence, NUL or bidi control of the `letter` parameter of the open
    follow-up's basis inside the next action (`status --json` carried it, escaped); a
    lone surrogate made `status` and `agenda` fail with "not valid UTF-8" (exit 2) and
    the console script's `status --json` a UnicodeEncodeError traceback. (Also on main:
    DERIVE_VERSION 3.)"""
    a = _letter_case(cli)
    assert "your 催告函 of 2026-11-20" in cli.ok("status").stdout
    _edit_bases(cli, a, lambda own, bases: _follow_up_basis(own, bases)[2].update(letter=value))
    got = _outputs(cli)
    r = cli.run("check")
    assert r.exit_code != 0 and f"#{a}" in r.stdout + r.stderr, r.stdout + r.stderr
    _same_as_truth(got, _truth(cli))


@pytest.mark.parametrize(
    "edit",
    [
        lambda b: b.__setitem__(1, "{letter[0]} \x1b[2J"),  # the template
        lambda b: b.__setitem__(3, "《法》\x1b]0;x\x07"),  # the citation
        lambda b: b[2].update(letter=["\x1b[31m"]),  # a list (`{letter[0]}` would show it)
        lambda b: b[2].update({"\x1b": 1}),  # a key
        lambda b: b.append(None),  # five values
    ],
)
def test_a_basis_edited_by_hand_in_any_part_is_unreadable(
    cli: Cli, edit: Callable[[list[Any]], object]
) -> None:
    """Fixed with the test above for a parameter that is a list (a JSON scalar now):
    before, the next action showed `['\\x1b[31m']` as the letter's title. A guard for the
    rest: no listing shows a basis's template, citation or parameter keys, and a basis
    of five values is unreadable."""
    a = _letter_case(cli)
    _edit_bases(cli, a, lambda own, bases: edit(_follow_up_basis(own, bases)))
    got = _outputs(cli)
    _same_as_truth(got, _truth(cli))


@pytest.mark.parametrize("index", [-1, -2])
def test_a_negative_basis_index_is_unreadable(cli: Cli, index: int) -> None:
    """Fixed in store/derived.py (`_StoredBases.__call__`): an index below 0 names no
    basis. Before: Python's negative indexing read another basis of the row (-1 the
    last) without a word, eagerly or lazily."""
    a = _letter_case(cli)
    own_text, _, bases_text = _data(cli, a).partition("\n")
    own = json.loads(own_text)
    own[7][1] = index
    data = json.dumps(own, ensure_ascii=False) + "\n" + bases_text
    for lazy in (False, True):
        with pytest.raises(derived.UNREADABLE):
            d = derived.decode(data, lazy=lazy)
            assert d.open_follow_up is not None
            d.open_follow_up.basis.rule  # noqa: B018 (the look that reads it)


@pytest.mark.parametrize("value", ["\x1b", [1], True, 1.5])
def test_a_contact_id_that_is_no_number_is_unreadable(cli: Cli, value: object) -> None:
    """Fixed in store/derived.py (`_deadline_back`): a deadline's contact id read back is
    an int or None. Before: `agenda` died with a TypeError traceback sorting
    the follow-ups of a row whose open follow-up's contact id was edited to a text or a
    list (`'<' not supported between instances of 'int' and 'str'`; also on main)."""
    a = _letter_case(cli)
    _edit_bases(cli, a, lambda own, bases: own[7].__setitem__(3, value))
    got = _outputs(cli)
    _same_as_truth(got, _truth(cli))


# -- amounts read back ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, 1, 1.5, 0])
def test_an_amount_that_is_no_text_is_unreadable(value: object) -> None:
    """Fixed in store/derived.py (`_number`): an amount of a row is its text (`str(d)`),
    and a JSON number or bool put there by hand is no amount. Before: `Decimal(True)` read
    back as 1 (and was kept in the memo under the key 1, which `True` and `1.0` then
    found too)."""
    derived._NUMBERS.clear()
    with pytest.raises(derived.UNREADABLE):
        derived._number(value)  # type: ignore[arg-type]
    assert value not in derived._NUMBERS
    assert derived._number("1.00") == Decimal("1.00")
    with pytest.raises(derived.UNREADABLE):
        derived._number([1])  # type: ignore[arg-type]


def test_the_amount_memo_is_capped_and_keeps_what_it_read() -> None:
    """Guard: the memo stops growing at its cap, and a text it holds reads back as a new
    reading does (str and exponent kept: `1.50` is not `1.5`)."""
    derived._NUMBERS.clear()
    for n in range(5000):
        assert derived._number(f"{n}.50") == Decimal(f"{n}.50")
    assert len(derived._NUMBERS) == 4096
    assert str(derived._number("1.50")) == "1.50" and str(derived._number("1.5")) == "1.5"
    with pytest.raises(derived.UNREADABLE):
        derived._number("1e20")
    assert "1e20" not in derived._NUMBERS


# -- StoredDeadline against a plain Deadline -----------------------------------------------


def _pair(cli: Cli) -> tuple[Any, Any]:
    """The open follow-up of the letter case as `status` reads it (lazily, a
    `StoredDeadline`) and as `agenda` reads it (a plain `Deadline`)."""
    a = _letter_case(cli)
    data = _data(cli, a)
    lazy, eager = derived.decode(data, lazy=True), derived.decode(data)
    assert lazy.open_follow_up is not None and eager.open_follow_up is not None
    return lazy.open_follow_up, eager.open_follow_up


@pytest.mark.parametrize("looked", [False, True], ids=["basis unread", "basis read"])
def test_a_stored_deadline_behaves_as_the_deadline_it_stands_for(cli: Cli, looked: bool) -> None:
    """Guard: ==, repr, copy, deepcopy, pickle, asdict and `replace` of a date read
    lazily (its basis read on the first look at it), before and after that look, give
    what the plain date gives; hashing fails as the plain one's does (its basis's
    parameters are a dict). (The `StoredBasis` of a met branch: tests/test_attack_s8.py.)"""
    lazy, eager = _pair(cli)
    assert type(lazy) is derived.StoredDeadline and type(eager) is Deadline
    assert isinstance(lazy, Deadline)
    if looked:
        assert type(lazy.basis) is Basis and lazy.basis == eager.basis
    twins = (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy)), lazy)
    for twin in twins:
        assert twin == eager and eager == twin and (twin != eager) is False
        assert repr(twin) == repr(eager) and asdict(twin) == asdict(eager)
    assert replace(lazy, kind="x") == replace(eager, kind="x")
    with pytest.raises(TypeError):
        hash(eager)
    with pytest.raises(TypeError):
        hash(lazy)


# -- the cache written by DERIVE_VERSION 3 ------------------------------------------------


def _as_version_3(data: str) -> str:
    """A row of this version in the form version 3 wrote: one JSON value, each basis in
    its place (no lines after it; its head's places are this version's: the row is
    stale by its key whatever it holds)."""
    own_text, bases_text, _ = data.split("\n")
    own, bases = json.loads(own_text), json.loads(bases_text)

    def inline(deadline: list[Any] | None, kind: str) -> None:
        if deadline is not None:  # [on, basis(, flags, contact)] -> version 3's seven values
            on, basis, flags, contact = [*deadline, 0, None] if len(deadline) == 2 else deadline
            deadline[:] = [kind, on, bases[basis], *(bool(flags & f) for f in (1, 2)), contact]
            deadline.append(bool(flags & 4))

    def branch(b: list[Any] | None) -> None:
        if b is None:
            return
        for i in (1, 3):
            if b[i] is not None:
                b[i] = bases[b[i]]
        for i, kind in ((4, "refund_due"), (5, "limitation"), (6, "limitation_restart")):
            inline(b[i], kind)

    inline(own[5], "condition")
    branch(own[6])
    inline(own[7], "follow_up")
    return json.dumps(own, ensure_ascii=False, separators=(",", ":"))


def key_under(conn: sqlite3.Connection, db: Path, version: int) -> str:
    """The cache key of the ledger `db` as `DERIVE_VERSION` `version` computed it."""
    saved, derived.DERIVE_VERSION = derived.DERIVE_VERSION, version
    try:
        return derived.key_of(conn, db)
    finally:
        derived.DERIVE_VERSION = saved


def test_a_cache_of_version_3_is_recomputed_not_misread(cli: Cli) -> None:
    """Guard: rows written by DERIVE_VERSION 3 (their key computed under 3) are stale to
    this version: every listing is the facts', and the rows are written again in the new
    form. (Checked by hand too: a ledger built by main's code, read by this tree.)"""
    a = _letter_case(cli)
    truth = _truth(cli)
    cli.ok("status")
    conn = sqlite3.connect(cli.db)
    try:
        old_key = key_under(conn, cli.db, 3)
        rows = conn.execute("SELECT case_id, data FROM _derived").fetchall()
        with conn:
            for cid, data in rows:
                conn.execute(
                    "UPDATE _derived SET data = ?, key = ? WHERE case_id = ?",
                    [_as_version_3(data), old_key, cid],
                )
    finally:
        conn.close()
    assert "\n" not in _data(cli, a)
    _same_as_truth(_outputs(cli), truth)
    assert "\n" in _data(cli, a)
    cli.ok("check")


# -- recordtype.builder against the class call ---------------------------------------------


def _fields(obj: object) -> list[Any]:
    return [getattr(obj, f.name, "<unset>") for f in fields_of(type(obj))]


def test_every_builder_makes_what_the_class_call_makes() -> None:
    """Guard: for every record a builder is made for (those `derived` and `settle` read
    rows back into), every field given by name or in order makes the record the class
    call makes; one value too few or too many, or a name it has not, is a TypeError."""
    assert {"Condition", "Deadline", "Branch", "OverdueFacts", "CaseFacts", "CaseView"} <= {
        c.__name__ for c in recordtype._BUILDERS
    }
    for cls, build in list(recordtype._BUILDERS.items()):
        values = {f.name: object() for f in fields_of(cls)}
        expected = cls(**values)
        for made in (build(**values), build(*values.values())):
            assert type(made) is cls and _fields(made) == _fields(expected), cls
        for args in (list(values.values())[:-1], [*values.values(), 1]):
            with pytest.raises(TypeError):
                build(*args)
        with pytest.raises(TypeError):
            build(**values, not_a_field=1)


def test_a_builder_runs_post_init_and_takes_a_field_named_self() -> None:
    """Guard: `__post_init__` runs (and raises) as from the class call; a field named
    `self`, `_new` or `_cls` (the names the builder's code uses) is set as any other."""

    @record(kw_only=False)
    class Checked:
        self: int
        _new: int
        _cls: int = 0

        def __post_init__(self) -> None:
            if self.self < 0:
                raise ValueError("negative")
            self._cls = self._cls * 2

    build = recordtype.build_function(Checked)
    assert _fields(build(1, 2, 3)) == _fields(Checked(1, 2, 3)) == [1, 2, 6]
    assert _fields(build(self=1, _new=2, _cls=3)) == [1, 2, 6]
    for make in (build, Checked):
        with pytest.raises(ValueError, match="negative"):
            make(-1, 2, 3)
