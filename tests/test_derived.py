"""The derived cache (issue 12) never disagrees with a full recompute: after every kind
of command, after sqlite3 edits, a calendar file, a settings change and a DERIVE_VERSION
bump; and what `status` prints from it is what the facts give."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depositctl.ops.views import listing, listing_from_facts
from depositctl.render.jsonout import status_item
from depositctl.store import derived
from depositctl.store.calendar import make_evaluator
from depositctl.store.ledger import open_ledger
from tests.conftest import TODAY, Cli

TODAYS = (date(2025, 4, 1), date(2026, 11, 24), date(2028, 1, 1))


def stored(db: Path) -> dict[int, tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return {r[0]: r for r in conn.execute(f"SELECT {derived.COLUMNS} FROM _derived")}
    finally:
        conn.close()


def recomputed(db: Path) -> dict[int, tuple[object, ...]]:
    """Every case derived from its full facts, as the cache would store it."""
    with open_ledger(db) as led:
        ev = make_evaluator(led, date.fromisoformat(TODAY))
        key = derived.cache_key(led)
        return {
            f.case.id: derived.row(ev.derive(f, all_follow_ups=False), key)
            for f in led.all_facts(with_history=False)
        }


def assert_fresh(db: Path) -> None:
    """What a writer left: no stale row, each equal to a full recompute (of the full
    facts and of the facts `status` streams), and `check`'s comparison agrees."""
    with open_ledger(db) as led:
        assert derived.stale_ids(led, derived.cache_key(led)) == []
        assert derived.differences(led) == []
    assert stored(db) == recomputed(db)


def assert_listing_matches(db: Path) -> None:
    """`status` from the cache == `status` from the facts, at several todays, for every
    limit kind (the default 50, a small one, all), open and all cases."""
    with open_ledger(db) as led:
        for today in TODAYS:
            ev = make_evaluator(led, today)
            for include_all in (False, True):
                for limit in (0, 1, 3, 50):
                    a = listing(led, ev, include_all=include_all, limit=limit)
                    b = listing_from_facts(led, ev, include_all=include_all, limit=limit)
                    assert [status_item(v) for v in a.shown] == [status_item(v) for v in b.shown]
                    assert a.totals == b.totals
                    # A projection's listing reads the bases lazily (`StoredBasis`).
                    lazy = listing(
                        led, ev, include_all=include_all, limit=limit, project=status_item
                    )
                    assert lazy.shown == [status_item(v) for v in b.shown]


def assert_lists_as_before(cli: Cli, truth: dict[tuple[str, ...], str], case_id: str) -> None:
    """Every listing of `truth` exits 0 with no traceback and prints what it printed
    before a row was edited; `check` names the case."""
    for args in truth:
        r = cli.run(*args)
        assert r.exit_code == 0 and "Traceback" not in r.stderr, r.stderr
        assert r.stdout == truth[args], args
    r = cli.run("check")
    assert r.exit_code != 0 and f"#{case_id}" in r.stdout + r.stderr


def add(cli: Cli, *extra: str) -> str:
    r = cli.ok("add", "--provider", "示例支付股份有限公司", "--amount", "99", *extra)
    return r.stdout.split("#")[1].split()[0]


def test_every_command_kind_keeps_the_cache_fresh(cli: Cli) -> None:
    a = add(cli, "--paid-on", "2025-03-05", "--condition-volume", "50000", "--condition-days", "90")
    assert_fresh(cli.db)
    b = add(cli, "--paid-on", "2025-01-10")
    steps = [
        ("progress", a, "--on", "2025-04-10", "--volume", "60000", "--count", "80"),
        ("contact", b, "--on", "2025-03-05", "--channel", "agent", "--refund-request"),
        ("contact", b, "--on", "2025-04-05", "--channel", "provider-complaint", "--ticket", "T1"),
        ("sent", b, "--to", "provider", "--on", "2025-06-10", "--via", "ems"),
        ("delivered", b, "C3", "--on", "2025-06-12"),
        (
            "contact",
            b,
            "--incoming",
            "--on",
            "2025-06-20",
            "--channel",
            "provider-complaint",
            "--outcome",
            "refused",
        ),
        ("refund", a, "--amount", "10", "--on", "2025-09-15"),
        ("edit", a, "--serial", "SN-1"),
        ("void", b, "C2", "--reason", "wrong case"),
        ("unvoid", b, "C2"),
        ("close", a, "--reason", "written-off"),
        ("reopen", a),
        ("refund", a, "--amount", "89", "--on", "2025-10-01"),
    ]
    for step in steps:
        cli.ok(*step)
        assert_fresh(cli.db)
    # A setting changes the key of every case: the next read recomputes them all.
    cli.ok("profile", "set", "--grace-days", "20")
    with open_ledger(cli.db) as led:
        assert derived.stale_ids(led, derived.cache_key(led)) == [1, 2]
    cli.ok("status")
    assert_listing_matches(cli.db)
    assert_fresh(cli.db)


def test_sqlite3_edits_mark_the_case_dirty(cli: Cli) -> None:
    a = add(cli, "--paid-on", "2025-01-10")
    cli.ok("contact", a, "--on", "2025-03-05", "--channel", "agent", "--refund-request")
    assert_fresh(cli.db)
    before = stored(cli.db)
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("UPDATE contacts SET on_date = '2025-08-01' WHERE case_id = ?", [a])
    assert [r[0] for r in conn.execute("SELECT case_id FROM _derived_dirty")] == [int(a)]
    with conn:
        conn.execute("UPDATE cases SET amount_fen = amount_fen + 10000 WHERE id = ?", [a])
        conn.execute("DELETE FROM contacts")
    conn.close()
    assert_listing_matches(cli.db)  # a read recomputes the dirty case
    assert_fresh(cli.db)
    assert stored(cli.db) != before
    # A deleted case leaves no row behind.
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM history")
        conn.execute("DELETE FROM cases")
    conn.close()
    cli.ok("status")
    assert stored(cli.db) == {}


def test_calendar_file_settings_and_version_change_the_key(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = add(cli, "--paid-on", "2025-03-05", "--refund-within", "15wd")
    cli.ok("returned", a, "--on", "2025-04-28")  # 15 working days over the May holidays
    b = add(cli, "--paid-on", "2025-01-10")
    cli.ok("contact", b, "--on", "2025-03-05", "--channel", "12315")
    assert_fresh(cli.db)

    def keys() -> set[object]:
        return {r[1] for r in stored(cli.db).values()}

    first = keys()
    calendar = cli.db.parent / "workdays.toml"
    calendar.write_text('[2025]\nholidays = ["2025-05-06", "2025-05-07"]\n', encoding="utf-8")
    with open_ledger(cli.db) as led:
        assert len(derived.stale_ids(led, derived.cache_key(led))) == 2
    cli.ok("status")
    assert keys() != first
    assert_fresh(cli.db)
    with_file = stored(cli.db)
    calendar.unlink()
    cli.ok("status")
    assert keys() == first
    assert stored(cli.db) != with_file  # the holidays moved a working-day date
    assert_fresh(cli.db)

    with open_ledger(cli.db) as led:  # a setting written with sqlite3 counts too
        led.db.execute("INSERT INTO settings (key, value) VALUES ('grace_days', '30')")
        assert len(derived.stale_ids(led, derived.cache_key(led))) == 2
    assert_listing_matches(cli.db)
    assert_fresh(cli.db)

    monkeypatch.setattr(derived, "DERIVE_VERSION", derived.DERIVE_VERSION + 1)
    with open_ledger(cli.db) as led:
        assert len(derived.stale_ids(led, derived.cache_key(led))) == 2
    cli.ok("status")
    assert_fresh(cli.db)


def test_cache_is_no_fact(cli: Cli) -> None:
    """Deleting the cache loses nothing; export and check's replay do not see it."""
    a = add(cli, "--paid-on", "2025-01-10")
    cli.ok("contact", a, "--on", "2025-03-05", "--channel", "agent", "--refund-request")
    before = cli.ok("status", "--json", "--all").stdout
    export = cli.ok("export", "-o", "x.json").stdout
    assert "derived" not in Path("x.json").read_text(encoding="utf-8")
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("DELETE FROM _derived")
    conn.close()
    assert cli.ok("status", "--json", "--all").stdout == before
    assert export is not None
    assert cli.ok("check").stdout.startswith("No problems found")
    assert_fresh(cli.db)


def test_check_finds_a_wrong_row(cli: Cli) -> None:
    a = add(cli, "--paid-on", "2025-01-10")
    cli.ok("contact", a, "--on", "2025-03-05", "--channel", "agent", "--refund-request")
    conn = sqlite3.connect(cli.db)
    with conn:  # a cache row changed behind the triggers' back
        conn.execute("UPDATE _derived SET due_on = '2000-01-01'")
    conn.close()
    with open_ledger(cli.db) as led:
        assert derived.differences(led) == [int(a)]
    r = cli.run("check")
    assert r.exit_code != 0
    assert "differ from a recompute" in r.stdout + r.stderr
    conn = sqlite3.connect(cli.db)
    with conn:  # the remedy the message names
        conn.execute("DELETE FROM _derived")
    conn.close()
    cli.ok("status")
    assert_fresh(cli.db)
    assert cli.ok("check").stdout.startswith("No problems found")


def bulk_recomputed(tmp_path: Path, build_ledger: Callable[..., object]) -> Path:
    """A generated ledger with every state, its cache fully recomputed (streamed)."""
    db = tmp_path / "ledger.db"
    build_ledger(db, 120, 8, 0, date(2026, 11, 24), seed=3)
    with open_ledger(db) as led:
        derived.recompute(led)
    return db


def test_bulk_recompute_equals_per_case(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    """The streamed full recompute (the facts `status` reads) stores what the per-case
    recompute (the full facts) would, on a generated ledger with every state."""
    db = bulk_recomputed(tmp_path, build_ledger)
    assert stored(db) == recomputed(db)


@pytest.mark.slow  # a sweep on a large ledger (24 full evaluations of 120 cases): the quick
# loop has the same sweep on small ledgers above, and tests/test_status_listing.py's
# listing of 140 generated cases against the full facts
def test_bulk_recompute_lists_what_the_facts_list(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    """`status` from that recomputed cache == `status` from the facts, at every today and
    limit kind."""
    assert_listing_matches(bulk_recomputed(tmp_path, build_ledger))


COMMANDS = st.sampled_from(
    [
        ("progress", "{c}", "--on", "{d}", "--volume", "30000"),
        ("contact", "{c}", "--on", "{d}", "--channel", "phone"),
        ("contact", "{c}", "--on", "{d}", "--channel", "agent", "--refund-request"),
        ("contact", "{c}", "--on", "{d}", "--channel", "provider-complaint", "--ticket", "T"),
        (
            "contact",
            "{c}",
            "--incoming",
            "--on",
            "{d}",
            "--channel",
            "12315",
            "--outcome",
            "accepted",
        ),
        ("sent", "{c}", "--to", "provider", "--on", "{d}", "--via", "ems"),
        ("refund", "{c}", "--amount", "40", "--on", "{d}"),
        ("returned", "{c}", "--on", "{d}"),
        ("close", "{c}", "--reason", "written-off"),
        ("reopen", "{c}"),
        ("edit", "{c}", "--activated-on", "{d}"),
    ]
)
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(COMMANDS, st.integers(1, 3), DAYS), min_size=1, max_size=8))
def test_random_command_sequences(cli: Cli, seq: list[tuple[tuple[str, ...], int, date]]) -> None:
    if cli.db.exists():
        for f in cli.db.parent.iterdir():
            f.unlink()
    add(cli, "--paid-on", "2025-01-10")
    add(cli, "--paid-on", "2025-02-01", "--condition-volume", "50000", "--condition-days", "90")
    add(cli, "--paid-on", "2025-03-01", "--condition-return")
    for command, c, d in seq:
        args = [a.format(c=c, d=d.isoformat()) for a in command]
        cli.run(*args)  # some fail (a refund beyond the amount, reopen of an open case)
        assert_fresh(cli.db)
    assert_listing_matches(cli.db)


def test_each_row_holds_its_case_as_the_ledger_reads_it(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    """A listing builds each case from its stored row (no second read of `cases`): the
    row's case is the case `store.rows` reads, field for field, for every case."""
    from depositctl.store.rows import row_to_case

    db = bulk_recomputed(tmp_path, build_ledger)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        cases = {r["id"]: row_to_case(r) for r in conn.execute("SELECT * FROM cases")}
        rows = conn.execute("SELECT case_id, data FROM _derived").fetchall()
    finally:
        conn.close()
    assert len(rows) == len(cases) == 120
    for cid, data in rows:
        assert derived.decode(data).facts.case == cases[cid]


def test_a_case_edited_into_its_row_is_made_safe_and_type_checked(cli: Cli) -> None:
    """A row's case changed behind the triggers' back is read as a `cases` row is: its
    texts made safe to show (no escape sequence reaches the terminal), its types checked
    (a wrong type is an error, never a wrong listing)."""
    import json

    a = add(cli, "--paid-on", "2025-01-10")
    cli.ok("status")
    conn = sqlite3.connect(cli.db)
    (data,) = conn.execute("SELECT data FROM _derived WHERE case_id = ?", [int(a)]).fetchone()
    own, _, bases = data.partition("\n")  # the row's own JSON, then its bases
    v = json.loads(own)
    v[10][1] = "Evil\x1b[2J\u202eCorp"
    with conn:
        conn.execute("UPDATE _derived SET data = ?", [json.dumps(v) + "\n" + bases])
    conn.close()
    out = cli.ok("status", "--json").stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out)[0]["provider"] == "Evil\ufffd[2J\ufffdCorp"
    v[10][1] = 42  # not a text
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("UPDATE _derived SET data = ?", [json.dumps(v) + "\n" + bases])
    conn.close()
    with open_ledger(cli.db) as led, pytest.raises(derived.UnreadableRow):
        ev = make_evaluator(led, date.fromisoformat(TODAY))
        list(derived.settled(ev, [(int(a), json.dumps(v) + "\n" + bases)]))
    for args in (("status",), ("status", "--json"), ("status", "--limit", "0")):
        r = cli.run(*args)  # the listing from the facts, no traceback
        assert r.exit_code == 0, r.stderr
        assert "Traceback" not in r.stderr
    assert json.loads(cli.ok("status", "--json").stdout)[0]["provider"] == "示例支付股份有限公司"
    r = cli.run("check")
    assert r.exit_code != 0 and "differ from a recompute" in r.stdout + r.stderr


def test_a_row_read_back_is_what_derive_found(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    """`decode(encode(d))` is `d` (with the facts of its case alone and no follow-ups,
    which a listing does not read), the bases parsed at once or on the first look at
    one (`StoredDeadline`, `StoredBasis`), for every case of a ledger with every state."""
    from depositctl.core.records import CaseFacts
    from depositctl.core.recordtype import replace

    db = bulk_recomputed(tmp_path, build_ledger)
    looked = 0
    with open_ledger(db) as led:
        ev = make_evaluator(led, date.fromisoformat(TODAY))
        for facts in led.status_facts():
            d = ev.derive(facts, all_follow_ups=False)
            want = replace(d, facts=CaseFacts(case=facts.case), follow_ups=())
            data = derived.encode(d)
            assert derived.decode(data) == want
            lazy = derived.decode(data, lazy=True)
            due = lazy.met.due
            if due is not None:
                assert isinstance(due, derived.StoredDeadline)
                assert due._src.bases is None  # nothing parsed before a look
                assert due.basis.rule == d.met.due.basis.rule  # type: ignore[union-attr]
                assert due._src.bases is not None
                looked += 1
            met_basis = lazy.met.met_basis
            if met_basis is not None:
                assert isinstance(met_basis, derived.StoredBasis)
            assert isinstance(lazy, derived.StoredDerived)
            assert isinstance(lazy.facts.case, derived.StoredCase)
            tail = lazy._tail  # the case's rest and the unmet branch: read on a look
            assert tail.rest is None or due is not None
            assert lazy == want and want == lazy
            assert repr(lazy) == repr(want)
            assert tail.rest is not None
            assert hash(lazy.facts.case) == hash(want.facts.case)
    assert looked > 10


def test_a_row_read_for_a_listing_settles_as_one_read_whole_on_any_today(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    """A listing's read (`decode(bytes, lazy=True)`: the head alone, the rest on a look)
    settles to the view of the whole row read as text, on the todays of the listings and
    on the day before each condition met from progress (the unmet branch, read from the
    row's third line only then)."""
    from datetime import timedelta

    db = bulk_recomputed(tmp_path, build_ledger)
    unmet_read = 0
    with open_ledger(db) as led:
        rows = led.db.conn.execute("SELECT data FROM _derived ORDER BY case_id").fetchall()
        for (data,) in rows:
            whole = derived.decode(data)
            days = list(TODAYS)
            if whole.unmet is not None and whole.met.met_on is not None:
                days.append(whole.met.met_on - timedelta(days=1))
            for today in days:
                ev = make_evaluator(led, today)
                lazy = derived.decode(data.encode(), lazy=True)
                assert isinstance(lazy, derived.StoredDerived)
                got = ev.settle(lazy)
                tail = lazy._tail
                before = whole.met.met_on is not None and today < whole.met.met_on
                # The unmet branch read when, and only when, today comes before met_on.
                read = tail.rest is not None
                assert read == (before and whole.unmet is not None)
                unmet_read += read
                assert status_item(got) == status_item(ev.settle(whole))
                assert got == ev.settle(whole)
    assert unmet_read > 5


@pytest.mark.parametrize(
    "rest",
    [
        "",
        "[",
        "{}",
        "[[], null]",  # too few values of the case
        '[["2025-01-10"], null, 1]',
        "[" + '["x"' + ", null" * 14 + "], null]",  # paid_on no date
        "[" + '["2025-01-10"' + ", 5" * 14 + "], null]",  # numbers for texts
        "[" + '["2025-01-10"' + ", null" * 14 + "], [1, 2, 3]]",  # no unmet branch
    ],
)
def test_a_row_whose_third_line_cannot_be_read_lists_what_the_facts_list(
    cli: Cli, rest: str
) -> None:
    """The rest of a row's case and its unmet branch (its third line), edited by hand: a
    listing that reads them (`agenda`, or a day before a condition met from progress)
    computes from the facts; one that does not shows the same (it reads the head alone);
    no traceback; `check` names the case."""
    a = add(cli, "--paid-on", "2025-01-10", "--condition-volume", "50000", "--condition-days", "90")
    cli.ok("progress", a, "--on", "2025-02-10", "--volume", "60000", "--count", "80")
    listings = [
        ("status",),
        ("status", "--json"),
        ("status", "--limit", "0"),
        ("agenda",),
        ("--today", "2025-02-01", "status", "--json", "--all"),
    ]
    cli.ok("status")
    truth = {args: cli.ok(*args).stdout for args in listings}
    conn = sqlite3.connect(cli.db)
    with conn:
        (data,) = conn.execute("SELECT data FROM _derived").fetchone()
        head, bases, _ = data.split("\n")
        conn.execute("UPDATE _derived SET data = ?", [f"{head}\n{bases}\n{rest}"])
    conn.close()
    assert_lists_as_before(cli, truth, a)


def test_the_rest_of_a_stored_case_is_made_safe_when_read(cli: Cli) -> None:
    """A text of the case's third line edited to a control sequence is shown as any
    text read from the ledger is (`records.safe`), when read (`show` of the listing's
    case, as a record)."""
    import json

    a = add(cli, "--paid-on", "2025-01-10", "--note", "plain")
    cli.ok("status")
    conn = sqlite3.connect(cli.db)
    with conn:
        (data,) = conn.execute("SELECT data FROM _derived").fetchone()
        head, bases, rest_text = data.split("\n")
        rest = json.loads(rest_text)
        rest[0][derived._REST_FIELDS.index("note")] = "Evil\x1b[2J"
        conn.execute("UPDATE _derived SET data = ?", [f"{head}\n{bases}\n{json.dumps(rest)}"])
        (blob,) = conn.execute(f"SELECT {derived._DATA} FROM _derived").fetchone()
    conn.close()
    case = derived.decode(blob, lazy=True).facts.case
    assert case.id == int(a)
    assert case.note == "Evil\ufffd[2J"
    assert derived.decode(blob).facts.case.note == "Evil\ufffd[2J"


@pytest.mark.parametrize("tail", ["", "[", "{}", "[[1]]", "[]", "[] x"])
def test_a_row_whose_bases_cannot_be_read_lists_what_the_facts_list(cli: Cli, tail: str) -> None:
    """The bases after a row's own JSON, edited by hand: a listing that looks at a basis
    (the next action of a case waiting on a letter's answer, `agenda`) computes from the
    facts; one that does not shows the same; no traceback; `check` names the case."""
    a = add(cli, "--paid-on", "2025-01-10")
    cli.ok("contact", a, "--on", "2026-11-20", "--channel", "provider-complaint", "--ticket", "T1")
    listings = [("status",), ("status", "--json"), ("status", "--limit", "0"), ("agenda",)]
    cli.ok("status")
    truth = {args: cli.ok(*args).stdout for args in listings}
    conn = sqlite3.connect(cli.db)
    with conn:
        (data,) = conn.execute("SELECT data FROM _derived").fetchone()
        own = data.partition("\n")[0]
        conn.execute("UPDATE _derived SET data = ?", [own + "\n" + tail])
    conn.close()
    assert_lists_as_before(cli, truth, a)


#: The types `_head_back` accepted, as it tested them before it tested them value by
#: value (a tuple of the values' types in a set of the allowed ones): the spec it keeps.
_TEXT_OR_NONE = (str, type(None))
_OLD_HEAD_TYPES = frozenset(
    (int, str, str, brand, serial, activated, closed, list)
    for brand in _TEXT_OR_NONE
    for serial in _TEXT_OR_NONE
    for activated in _TEXT_OR_NONE
    for closed in _TEXT_OR_NONE
)
_OLD_CONDITION_TYPES = frozenset(
    (volume, count, days, bool, bool)
    for volume in _TEXT_OR_NONE
    for count in (int, type(None))
    for days in (int, type(None))
)
#: JSON values of every type a hand edit may leave in a row's head.
_JSON_VALUES = [None, False, True, 0, 1, 1.0, "2026-01-02", "12.00", [], {}]


def test_the_head_of_a_case_reads_back_values_of_the_types_it_always_did() -> None:
    """`_head_back` takes a case's head exactly where the types of its values are those
    it took before (`_OLD_HEAD_TYPES`, `_OLD_CONDITION_TYPES`): any other is a
    TypeError, an unreadable row. Every head as written (each value that may be null
    null or not), each with one place edited to each value of `_JSON_VALUES` (0-7: the
    head's, 8-12: the condition's) or with it added to the head (13) or the condition
    (14)."""
    tried = set()
    for optional in itertools.product([False, True], repeat=7):
        for at, value in itertools.product(range(15), _JSON_VALUES):
            texts = ["b", "s", "2026-01-02", None]
            cond: list[object] = [
                None if optional[4] else "12.00",
                None if optional[5] else 3,
                None if optional[6] else 90,
                False,
                True,
            ]
            v: list[object] = [
                1,
                "p",
                "12.00",
                *[None if o else t for o, t in zip(optional[:4], texts, strict=True)],
                cond,
            ]
            if at < 8:
                v[at] = value
            elif at < 13:
                cond[at - 8] = value
            else:
                (v if at == 13 else cond).append(value)
            taken = tuple(map(type, v)) in _OLD_HEAD_TYPES and (
                tuple(map(type, v[7])) in _OLD_CONDITION_TYPES  # type: ignore[call-overload]
            )
            back: Any = object.__new__(derived.StoredCase)
            try:
                derived._head_back(v, back)
            except TypeError:
                assert not taken, v
            except (ValueError, ArithmeticError):  # a text not a date, or not an amount
                assert taken and at in (2, 5, 6, 8), v
            else:
                assert taken, v
                assert back.id == v[0] and back.condition.count == cond[1]
                assert back.condition.on_return is cond[3] and back.condition.none is cond[4]
            tried.add(taken)
    assert tried == {False, True}
