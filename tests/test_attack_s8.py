"""Session 8 attacks on what landed that day: a derived row as three JSON lines (the head
a listing reads, the bases, the rest of the case with the unmet branch; DERIVE_VERSION 5),
its head decoded from the row's UTF-8 bytes (`CAST(data AS BLOB)`), `StoredCase` and
`StoredDerived` reading their other fields on the first look. Each test failed before
the fix it names, or is a guard (said so)."""

from __future__ import annotations

import copy
import json
import pickle
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from depositctl import fast
from depositctl.core.caseview import Basis
from depositctl.core.deadlines import Derived
from depositctl.core.records import Case
from depositctl.core.recordtype import asdict, fields_of, replace
from depositctl.store import derived
from tests.conftest import TODAY, Cli
from tests.test_attack_s5 import _sql
from tests.test_attack_s7 import LISTINGS, _add, _letter_case, _same_as_truth, key_under
from tests.test_fastpath import fast_text

#: A day before the conditional case's condition is met from its progress: its listing
#: settles on the unmet branch, read from the row's third line.
EARLY = "2026-10-05"

#: Every listing, on `TODAY` and on `EARLY`; the most overdue case alone (its row read by
#: `derived.most_overdue`).
ALL = (
    *[(TODAY, *a) for a in LISTINGS],
    *[(EARLY, *a) for a in LISTINGS if a[0] == "status"],
    (TODAY, "status", "--limit", "1"),
    (TODAY, "status", "--json", "--limit", "1"),
)


def _cases(cli: Cli) -> tuple[int, int, int]:
    """An overdue case waiting on a letter (its settling reads the rest of its case), a
    plain one, and a conditional one met from progress on 2026-10-10 (before that day
    its unmet branch holds)."""
    a = _letter_case(cli)
    c = _add(
        cli, "--paid-on", "2026-09-01", "--condition-volume", "50000", "--condition-days", "90"
    )
    cli.ok("progress", str(c), "--on", "2026-10-10", "--volume", "60000", "--count", "80")
    cli.ok("status")
    return a, a + 1, c


def _outputs(cli: Cli) -> dict[tuple[str, ...], str]:
    """Every listing of `ALL` through Typer (exit 0, nothing on stderr), and the fast
    path's in process where it serves (as tests/test_attack_s7.py `_outputs`)."""
    got = {}
    for today, *args in ALL:
        got[today, *args] = cli.ok("--today", today, *args).stdout
        if args[0] == "status":
            argv = ["--db", str(cli.db), "--today", today, "--lang", "en", *args]
            try:
                text = fast_text(fast._status(argv, {}))
            except Exception:
                text = None
            if text is not None:
                got["fast", today, *args] = text
    return got


def _truth(cli: Cli) -> dict[tuple[str, ...], str]:
    got = {}
    for today, *args in ALL:
        _sql(cli, "DELETE FROM _derived")
        got[today, *args] = cli.ok("--today", today, *args).stdout
    return got


def _raw(cli: Cli, case_id: int) -> bytes:
    conn = sqlite3.connect(cli.db)
    try:
        (data,) = conn.execute(
            "SELECT CAST(data AS BLOB) FROM _derived WHERE case_id = ?", [case_id]
        ).fetchone()
    finally:
        conn.close()
    return bytes(data)


def _store(cli: Cli, case_id: int, value: object, as_text: bool) -> None:
    """`value` stored as the row's `data` by hand: bytes as a BLOB, or as TEXT holding
    those bytes unchecked (`CAST(x AS TEXT)`, as sqlite3's shell writes what it is given)."""
    if isinstance(value, bytes) and as_text:
        _sql(cli, "UPDATE _derived SET data = CAST(? AS TEXT) WHERE case_id = ?", value, case_id)
    else:
        _sql(cli, "UPDATE _derived SET data = ? WHERE case_id = ?", value, case_id)


def _check_names(cli: Cli, case_id: int) -> None:
    r = cli.run("check")
    assert "Traceback" not in r.stderr, r.stderr
    assert r.exit_code != 0 and f"#{case_id}" in r.stdout + r.stderr, (r.stdout, r.stderr)


def _in_text(bad: bytes) -> Callable[[bytes], bytes]:
    """`bad` put inside the line's first text (a text of its own where it has none)."""

    def put(line: bytes) -> bytes:
        if b'"' in line:
            return line.replace(b'"', b'"' + bad, 1)
        return line[:1] + b'"' + bad + b'"' + (b"," if line[1:2] != b"]" else b"") + line[1:]

    return put


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _on_line(n: int, edit: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def on(data: bytes) -> bytes:
        lines = _lines(data)
        lines[n] = edit(lines[n])
        return b"\n".join(lines)

    return on


#: Byte edits of a row's `data`, by name.
BYTE_EDITS: dict[str, Callable[[bytes], bytes]] = {
    "crlf": lambda d: d.replace(b"\n", b"\r\n"),
    "cr-last": lambda d: d + b"\r",
    "bom": lambda d: b"\xef\xbb\xbf" + d,
    "bom-bases": _on_line(1, lambda x: b"\xef\xbb\xbf" + x),
    "bom-rest": _on_line(2, lambda x: b"\xef\xbb\xbf" + x),
    "invalid-head": _on_line(0, _in_text(b"\xff")),
    "invalid-bases": _on_line(1, _in_text(b"\xff")),
    "invalid-rest": _on_line(2, _in_text(b"\xff")),
    "surrogate-rest": _on_line(2, _in_text(b"\xed\xa0\x80")),
    "surrogate-bases": _on_line(1, _in_text(b"\xed\xa0\x80")),
    "nul-end": lambda d: d + b"\x00",
    "nul-head": _on_line(0, lambda x: x + b"\x00"),
    "nul-rest": _on_line(2, _in_text(b"\x00")),
    "extra-line": lambda d: d + b"\n[]",
    "trailing-break": lambda d: d + b"\n",
    "empty-line": _on_line(1, lambda x: x + b"\n"),
    "no-rest": lambda d: b"\n".join(_lines(d)[:2]),
    "head-only": lambda d: _lines(d)[0],
    "break-in-head": _on_line(0, lambda x: x[:1] + b"\n" + x[1:]),
    "utf16-rest": _on_line(2, lambda x: x.decode().encode("utf-16-le")),
    "utf16-bases": _on_line(1, lambda x: x.decode().encode("utf-16-le")),
    "swap-tail": lambda d: b"\n".join([_lines(d)[0], _lines(d)[2], _lines(d)[1]]),
    "deep-bases": _on_line(1, lambda x: b"[" * 100_000 + b"]" * 100_000),
    "deep-rest": _on_line(2, lambda x: b"[" * 100_000 + b"]" * 100_000),
    "huge-count": _on_line(0, lambda x: x.replace(b",false,", b"0" * 5000 + b",false,", 1)),
    "long-rest": _on_line(2, lambda x: x.replace(b"null", b'"' + b"x" * 2_000_000 + b'"', 1)),
    "utf8-head": _on_line(
        0, lambda x: json.dumps(json.loads(x), ensure_ascii=False, separators=(",", ":")).encode()
    ),
}


def _edited_case(i: int, name: str) -> int:
    """The case an edit is tried on: the letter's (its next action reads a basis) for an
    edit of the bases, the conditional one (its unmet branch is read before the
    condition's day) for an edit of the rest, the three in turn for the others. All
    three for every edit were 162 runs, a minute and a half of CI for little more."""
    if "bases" in name:
        return 0
    if "rest" in name:
        return 2
    return i % 3


_EDITS = [(name, _edited_case(i, name)) for i, name in enumerate(sorted(BYTE_EDITS))]


@pytest.mark.slow
@pytest.mark.parametrize("as_text", [True, False], ids=["text", "blob"])
@pytest.mark.parametrize(
    "name, which",
    _EDITS,
    ids=[f"{n}-{('letter', 'plain', 'conditional')[w]}" for n, w in _EDITS],
)
def test_a_row_edited_byte_by_byte_lists_what_the_facts_list(
    cli: Cli, name: str, which: int, as_text: bool
) -> None:
    """A row's bytes edited by hand (a line break or CR, a BOM, bytes that are no UTF-8,
    a NUL, lines missing, added, swapped, a line in UTF-16), stored as TEXT or as a BLOB:
    every listing, through Typer and the fast path, on a day the unmet branch holds too,
    is the one from the facts, exits 0 with no traceback; `check` names the case."""
    cid = _cases(cli)[which]
    data = _raw(cli, cid)
    edited = BYTE_EDITS[name](data)
    assert edited != data
    _store(cli, cid, edited, as_text)
    got = _outputs(cli)
    _check_names(cli, cid)
    _same_as_truth(got, _truth(cli))


@pytest.mark.parametrize("line", [0, 1, 2])
def test_check_names_a_case_whose_row_is_text_that_is_no_utf8(cli: Cli, line: int) -> None:
    """A row's `data` stored as TEXT holding bytes that are no UTF-8 (on any of its
    lines): the listings read it as bytes and list what the facts list, and `check`
    names the case, with the cache's remedy. It said "the database file is damaged"
    (sqlite3 cannot turn the column into a str), naming no case and no remedy."""
    a, _, _ = _cases(cli)
    _store(cli, a, _on_line(line, _in_text(b"\xff"))(_raw(cli, a)), as_text=True)
    for args in LISTINGS:
        r = cli.run(*args)
        assert r.exit_code == 0 and not r.stderr, r.stderr
    r = cli.run("check")
    assert "Traceback" not in r.stderr and "damaged" not in r.stdout + r.stderr
    assert r.exit_code != 0 and f"#{a}" in r.stdout + r.stderr, (r.stdout, r.stderr)
    assert "DELETE FROM _derived" in r.stdout + r.stderr


# -- StoredCase, StoredDerived, StoredBasis against the plain records ---------------------


def _lazy_and_whole(cli: Cli, case_id: int) -> tuple[Any, Any]:
    data = _raw(cli, case_id)
    return derived.decode(data, lazy=True), derived.decode(data)


@pytest.mark.parametrize("which", [0, 1, 2], ids=["letter", "plain", "conditional"])
def test_stored_records_behave_as_the_records_they_stand_for(cli: Cli, which: int) -> None:
    """Guard: ==, !=, hash, repr, copy, deepcopy, pickle, asdict, `replace` and
    `fields_of` of a `StoredDerived` and its `StoredCase`, each before any of its later
    fields was looked at, give what the plain records give."""
    cid = _cases(cli)[which]
    makers: list[Callable[[Any], Any]] = [
        lambda x: x,
        copy.copy,
        copy.deepcopy,
        lambda x: pickle.loads(pickle.dumps(x)),
    ]
    for make in makers:
        lazy, whole = _lazy_and_whole(cli, cid)
        assert isinstance(lazy, derived.StoredDerived)
        assert isinstance(lazy.facts.case, derived.StoredCase)
        d, c = make(lazy), make(lazy.facts.case)
        assert d == whole and whole == d and (d != whole) is False and (whole != d) is False
        assert c == whole.facts.case and whole.facts.case == c and (c != whole.facts.case) is False
        assert hash(c) == hash(whole.facts.case)
        assert repr(d) == repr(whole) and repr(c) == repr(whole.facts.case)
        assert asdict(d) == asdict(whole) and asdict(c) == asdict(whole.facts.case)
        assert fields_of(d) == fields_of(Derived) and fields_of(c) == fields_of(Case)
        assert replace(c, note="x") == replace(whole.facts.case, note="x")
        assert replace(d, unmet=None) == replace(whole, unmet=None)
        assert replace(c, id=99).id == 99 and replace(d, refunded=1).refunded == 1
        for name in derived._REST_FIELDS:
            assert getattr(c, name) == getattr(whole.facts.case, name), name
        assert d.unmet == whole.unmet


def test_a_stored_basis_behaves_as_the_basis_it_stands_for(cli: Cli) -> None:
    """Guard: ==, repr, copy, deepcopy, pickle and asdict of the basis of a met branch
    read lazily (`StoredBasis`) give what the plain basis gives; hashing fails as the
    plain one's does (its parameters are a dict)."""
    _, _, c = _cases(cli)
    lazy, whole = _lazy_and_whole(cli, c)
    sb, b = lazy.met.met_basis, whole.met.met_basis
    assert type(sb) is derived.StoredBasis and type(b) is Basis and isinstance(sb, Basis)
    assert sb == b and b == sb and (sb != b) is False and lazy.met == whole.met
    assert repr(sb) == repr(b) and repr(lazy.met) == repr(whole.met)
    for twin in (copy.copy(sb), copy.deepcopy(sb), pickle.loads(pickle.dumps(sb))):
        assert twin == b and asdict(twin) == asdict(b)
    assert pickle.loads(pickle.dumps(lazy.met)) == whole.met
    assert asdict(lazy.met) == asdict(whole.met)
    with pytest.raises(TypeError):
        hash(b)
    with pytest.raises(TypeError):
        hash(sb)


def test_a_stored_basis_can_be_replaced_as_a_basis_can(cli: Cli) -> None:
    """`recordtype.replace` of a basis or a date read lazily makes the record with the
    change, as of a plain one (`replace` calls the record's class with every field by
    name)."""
    a, _, c = _cases(cli)
    lazy, whole = _lazy_and_whole(cli, c)
    sb, b = lazy.met.met_basis, whole.met.met_basis
    assert isinstance(sb, derived.StoredBasis)
    assert replace(sb, text="x") == replace(b, text="x")
    lazy, whole = _lazy_and_whole(cli, a)
    sd, d = lazy.open_follow_up, whole.open_follow_up
    assert isinstance(sd, derived.StoredDeadline)
    assert replace(sd, on=date(2027, 1, 1)) == replace(d, on=date(2027, 1, 1))


# -- values of the head of another type than the one written ------------------------------


def _edit_head(cli: Cli, case_id: int, path: tuple[int, ...], value: object) -> None:
    """The head of `case_id`'s row with the value at `path` set to `value` by hand."""
    head, rest = _raw(cli, case_id).split(b"\n", 1)
    v = json.loads(head)
    x: Any = v
    for p in path[:-1]:
        x = x[p]
    assert type(x[path[-1]]) is not type(value), "a value of another type than the written"
    x[path[-1]] = value
    _store(cli, case_id, json.dumps(v).encode() + b"\n" + rest, as_text=True)


@pytest.mark.parametrize(
    "which, path, value",
    [
        (0, (6, 4, 2), True),  # the refund due date's flags: True is 1 to the table
        (0, (6, 4, 2), 1.0),  # ... and so is 1.0
        (0, (7, 2), True),  # the open follow-up's flags
        (0, (9, 11), 1),  # follow_up_answered, a bool of the overdue facts
        (0, (9, 11), "true"),
        (2, (4,), 0),  # has_progress
        (2, (4,), ""),
    ],
)
def test_a_flag_of_another_type_is_unreadable_not_read_as_the_number(
    cli: Cli, which: int, path: tuple[int, ...], value: object
) -> None:
    """A flag of the head edited to a value of another type that equals or is as true as
    one it can hold (True or 1.0 for a date's flags 1, 1 for a bool): every listing is
    the one from the facts. The dates' flags were looked up as the number (a dict key:
    True == 1 == 1.0) and the bools taken as true or false, so the listing showed them."""
    cid = _cases(cli)[which]
    _edit_head(cli, cid, path, value)
    got = _outputs(cli)
    _check_names(cli, cid)
    _same_as_truth(got, _truth(cli))


# -- a cache written by DERIVE_VERSION 4 ----------------------------------------------------


def _as_version_4(data: bytes) -> bytes:
    """A row of this version in the layout version 4 wrote: one line holding the row's
    own values with the unmet branch eighth and the whole case last, then its bases."""
    head_text, bases_text, rest_text = data.decode().split("\n")
    head, (rest, unmet) = json.loads(head_text), json.loads(rest_text)
    case_head = head.pop()
    by_name = dict(zip(derived._HEAD_FIELDS, case_head, strict=False))
    by_name |= dict(zip(derived._REST_FIELDS, rest, strict=True)) | {"condition": case_head[7]}
    case = [by_name[name] for name in derived._CASE_FIELDS]
    own = [*head[:7], unmet, *head[7:], case]
    return (json.dumps(own, ensure_ascii=False, separators=(",", ":")) + "\n" + bases_text).encode()


@pytest.mark.parametrize("keyed", ["version-4", "this-version"])
def test_a_row_of_version_4_is_recomputed_or_unreadable_never_misread(cli: Cli, keyed: str) -> None:
    """Guard: rows in version 4's layout, under version 4's key (an upgrade: recomputed
    by the first read; the fast path hands over to Typer) or under this version's (the
    key copied by hand: unreadable, `check` names them): every listing is the facts'."""
    ids = _cases(cli)
    conn = sqlite3.connect(cli.db)
    try:
        old_key = key_under(conn, cli.db, 4)
        key = old_key if keyed == "version-4" else derived.key_of(conn, cli.db)
        with conn:
            for cid in ids:
                conn.execute(
                    "UPDATE _derived SET data = ?, key = ? WHERE case_id = ?",
                    [_as_version_4(_raw(cli, cid)).decode(), key, cid],
                )
    finally:
        conn.close()
    if keyed == "this-version":
        for cid in ids:
            _check_names(cli, cid)
    got = _outputs(cli)
    _same_as_truth(got, _truth(cli))


# -- the channel of the open follow-up's contact -------------------------------------------


@pytest.mark.parametrize(
    "value", ["\u202eevil\x1b[2J", "agent\u2028", "\ud800", 5, None, ["agent"], {"a": 1}]
)
def test_a_follow_contact_channel_of_no_text_or_with_controls_is_unreadable(
    cli: Cli, value: object
) -> None:
    """The channel of the open follow-up's contact (the head's `follow_contact`), which a
    listing's next action shows ("if <channel> has not answered your contact of ..."),
    edited by hand to a bidi override and an escape, a line separator, a lone surrogate,
    or a value that is no text: every listing is the facts'. It was shown as it stood:
    the controls written to the terminal (also on main)."""
    a = _add(cli, "--paid-on", "2026-11-01")
    cli.ok("contact", str(a), "--on", "2026-11-20", "--channel", "agent", "--refund-request")
    cli.ok("status")
    head, rest = _raw(cli, a).split(b"\n", 1)
    v = json.loads(head)
    assert v[8] == ["agent", "2026-11-20", None]
    v[8][0] = value
    _store(cli, a, json.dumps(v).encode() + b"\n" + rest, as_text=True)
    got = _outputs(cli)
    _check_names(cli, a)
    _same_as_truth(got, _truth(cli))


@pytest.mark.parametrize(
    "value",
    ["\u202eevil\x1b[2J", "\u50ac\u544a\u51fd\u2028", "\ud800", 5, True, ["x"], {"a": 1}, "drop"],
)
def test_a_follow_contact_letter_of_no_text_or_with_controls_is_unreadable(
    cli: Cli, value: object
) -> None:
    """The letter the open follow-up waits on (the head's `follow_contact`, third value,
    DERIVE_VERSION 6; before, read from the follow-up's basis), which the next action
    names ("wait for the answer to your 催告函 of ..."), edited by hand to controls, a
    line separator, a lone surrogate or a value that is no text, or left out (the
    layout of version 5): every listing is the facts', and `check` names the case."""
    a = _cases(cli)[0]  # overdue, waiting for the answer to a 催告函
    head, rest = _raw(cli, a).split(b"\n", 1)
    v = json.loads(head)
    assert v[8][2] == "催告函"  # the title `sent` recorded, kept with the contact
    if value == "drop":
        del v[8][2]
    else:
        v[8][2] = value
    _store(cli, a, json.dumps(v).encode() + b"\n" + rest, as_text=True)
    got = _outputs(cli)
    _check_names(cli, a)
    truth = _truth(cli)
    assert any("催告函" in out for out in truth.values())  # a listing names it
    _same_as_truth(got, truth)


# -- the memo of conditions -----------------------------------------------------------------


def test_a_condition_equal_to_a_remembered_one_but_of_other_types_is_unreadable(
    cli: Cli,
) -> None:
    """Guard: a condition whose values equal those of one read before (and remembered by
    `_CONDITIONS`) but are of other types (True or 1.0 or "1" for the count 1, 0 for
    the flag False, 50000 for the volume "50000.00") is an unreadable row, lazily or not,
    however the memo was filled."""
    c = _cases(cli)[2]
    head, rest = _raw(cli, c).split(b"\n", 1)
    v = json.loads(head)
    cond = v[10][7]
    assert cond == ["50000.00", None, 90, False, False]

    def row(values: list[Any]) -> bytes:
        v[10][7] = values
        return json.dumps(v).encode() + b"\n" + rest

    remembered = ["50000.00", 1, 90, False, False]
    for lazy in (True, False):
        derived._CONDITIONS.clear()
        assert derived.decode(row(remembered), lazy=lazy).facts.case.condition.count == 1
        assert tuple(remembered) in derived._CONDITIONS
        for i, value in [(1, True), (1, 1.0), (1, "1"), (3, 0), (0, 50000), (2, 90.0)]:
            edited = list(remembered)
            edited[i] = value
            with pytest.raises(derived.UNREADABLE):
                derived.decode(row(edited), lazy=lazy)


# -- the overdue facts' texts (session 10) -------------------------------------------------


@pytest.mark.parametrize("value", ["\x1b[2J", "\u202eevil", "a\u2028b", "\ud800", 5, ["x"], True])
@pytest.mark.parametrize("where", ["waiting_on", "taken", "pending", "answer"])
def test_an_overdue_route_or_wait_of_no_text_or_with_controls_is_unreadable(
    cli: Cli, where: str, value: object
) -> None:
    """What an overdue case waits on (the channel of its open follow-up, which its next
    action names), the routes it has taken or has pending and the outcome of the answer
    to its demand (`OverdueFacts`, the head's tenth value), edited by hand to controls, a line separator, a lone surrogate or a
    value that is no text: the row is unreadable (`decode`), every listing is the
    facts', and `check` names the case."""
    a = _cases(cli)[0]  # overdue, waiting on its provider-complaint letter's answer
    head, rest = _raw(cli, a).split(b"\n", 1)
    v = json.loads(head)
    assert v[9][12] == "provider-complaint"
    if where == "waiting_on":
        v[9][12] = value
    elif where == "answer":
        v[9][7] = ["2026-11-21", value]
    else:
        v[9][9 if where == "taken" else 10] = [[value, "2026-11-21"]]
    row = json.dumps(v).encode() + b"\n" + rest
    for lazy in (True, False):
        with pytest.raises(derived.UNREADABLE):
            derived.decode(row, lazy=lazy)
    _store(cli, a, row, as_text=True)
    got = _outputs(cli)
    _check_names(cli, a)
    _same_as_truth(got, _truth(cli))
