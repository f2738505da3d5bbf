"""Session 5 attacks on what landed that day: hand edits of the derived cache (`_derived`,
DERIVE_VERSION 3), the listings built from it, and crafted statement and export files.
Each test failed before the fix it names."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

LISTINGS = (
    ("status",),
    ("status", "--json"),
    ("status", "--limit", "0"),
    ("status", "--all"),
    ("status", "--json", "--limit", "0", "--all"),
    ("agenda",),
)


def _add(cli: Cli, *extra: str) -> int:
    r = cli.ok("add", "--provider", "示例支付股份有限公司", "--amount", "99", *extra)
    return int(r.stdout.split("#")[1].split()[0])


def _two_cases(cli: Cli) -> tuple[int, int]:
    """An overdue case with a refund request (its next action reads the contacts) and a
    conditional one; the cache computed by a first `status`."""
    a = _add(cli, "--paid-on", "2025-01-10")
    cli.ok("contact", str(a), "--on", "2025-03-05", "--channel", "agent", "--refund-request")
    b = _add(
        cli, "--paid-on", "2025-02-01", "--condition-volume", "50000", "--condition-days", "90"
    )
    cli.ok("status")
    return a, b


def _sql(cli: Cli, statement: str, *args: Any) -> None:
    conn = sqlite3.connect(cli.db)
    try:
        with conn:
            conn.execute(statement, args)
    finally:
        conn.close()


def _edit_row(cli: Cli, case_id: int, edit: Callable[[list[Any]], object]) -> None:
    """The stored row of `case_id` changed with sqlite3 (no trigger marks it dirty)."""
    conn = sqlite3.connect(cli.db)
    try:
        (data,) = conn.execute("SELECT data FROM _derived WHERE case_id = ?", [case_id]).fetchone()
        own, _, bases = data.partition("\n")  # the row's own JSON, then its bases
        v = json.loads(own)
        edit(v)
        with conn:
            conn.execute(
                "UPDATE _derived SET data = ? WHERE case_id = ?",
                [json.dumps(v, ensure_ascii=False) + "\n" + bases, case_id],
            )
    finally:
        conn.close()


def _outputs(cli: Cli) -> dict[tuple[str, ...], str]:
    """Every listing's output; each exits 0 with nothing on stderr (no traceback)."""
    return {args: cli.ok(*args).stdout for args in LISTINGS}


def _truth(cli: Cli) -> dict[tuple[str, ...], str]:
    """The listings computed again from the facts (the cache dropped)."""
    _sql(cli, "DELETE FROM _derived")
    return _outputs(cli)


def _set(path: tuple[int | str, ...], value: object) -> Callable[[list[Any]], None]:
    def edit(v: list[Any]) -> None:
        x: Any = v
        for p in path[:-1]:
            x = x[p]
        x[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    "where, value",
    [
        ((1,), "9" * 400),  # outstanding: too many digits to show with two decimals
        ((1,), "Infinity"),
        ((1,), "1e999999999"),
        ((10, 2), "1e400"),  # the case's amount
        ((9, 0), "no"),  # a flag of the overdue facts that is no bool
        ((10, 0), 10**30),  # the row's case is another (huge) id
    ],
)
def test_a_hand_edited_value_makes_the_listing_compute_from_the_facts(
    cli: Cli, where: tuple[int, ...], value: object
) -> None:
    """A value of a stored row that the listing cannot use (a number too large to show,
    a wrong type the next action trips on) is no traceback: the listing is the one the
    facts give, and `check` names the case. Before: InvalidOperation, AssertionError or
    OverflowError tracebacks from `status` and `agenda`."""
    a, _ = _two_cases(cli)
    _edit_row(cli, a, _set(where, value))
    got = _outputs(cli)
    r = cli.run("check")
    assert r.exit_code != 0 and f"#{a}" in r.stdout + r.stderr, r.stdout + r.stderr
    assert got == _truth(cli)


def test_a_row_deeply_nested_is_unreadable_not_a_recursion_error(cli: Cli) -> None:
    a, _ = _two_cases(cli)
    _sql(cli, "UPDATE _derived SET data = ? WHERE case_id = ?", "[" * 100_000 + "]" * 100_000, a)
    got = _outputs(cli)
    assert got == _truth(cli)


def test_a_row_holding_another_case_is_not_listed_as_it(cli: Cli) -> None:
    """The row of case a holding case b (both rows then list b): the listing is the facts'
    (a and b each once), not b twice and a missing until `check` is run."""
    a, b = _two_cases(cli)
    _sql(
        cli,
        "UPDATE _derived SET data = (SELECT data FROM _derived WHERE case_id = ?) "
        "WHERE case_id = ?",
        b,
        a,
    )
    got = _outputs(cli)
    assert got == _truth(cli)


@pytest.mark.parametrize("other", [77, -1])
def test_a_row_of_no_case_is_never_listed(cli: Cli, other: int) -> None:
    """A cache row whose case does not exist (copied in with sqlite3, or left by a case
    deleted behind the triggers' back) is dropped by the next read, never listed. Before:
    `status` listed case #77 and `check` found nothing."""
    a, _ = _two_cases(cli)
    _sql(
        cli,
        "INSERT INTO _derived SELECT ?, key, open, closed, outstanding, due_on, met_on, "
        "unmet_due_on, replace(data, '[' || case_id || ',\"示例', '[' || ? || ',\"示例') "
        "FROM _derived WHERE case_id = ?",
        other,
        other,
        a,
    )
    got = _outputs(cli)
    assert (
        f"#{other}" not in got[("status",)] and f'"id": {other},' not in got[("status", "--json")]
    )
    conn = sqlite3.connect(cli.db)
    try:
        left = conn.execute("SELECT count(*) FROM _derived WHERE case_id = ?", [other]).fetchone()
    finally:
        conn.close()
    assert left == (0,)
    assert got == _truth(cli)


@pytest.mark.parametrize("value", ["9223372036854775807", "1e300", "'abc'", "-9223372036854775808"])
def test_a_hand_edited_outstanding_column_is_recomputed(cli: Cli, value: str) -> None:
    """The `outstanding` column the totals sum, edited to what no amount can be (too large
    to sum, a real, a text): the next read recomputes the row. Before: 'integer overflow'
    (exit 4, every listing refused) or an InvalidOperation traceback from the totals."""
    _two_cases(cli)
    _sql(cli, f"UPDATE _derived SET outstanding = {value}")
    assert _outputs(cli) == _truth(cli)


def test_two_amount_columns_of_one_name_are_not_told_to_be_named(cli: Cli, tmp_path: Path) -> None:
    """Two amount columns with the same header: `--amount-column` with that name cannot
    choose one, so the refusal must not send the user back to it. Before: the same
    'name the one to read with --amount-column' however it was named (a loop)."""
    case = _add(cli, "--paid-on", "2025-01-10", "--condition-volume", "50000")
    f = tmp_path / "two.csv"
    f.write_text("交易日期,交易金额,交易金额,流水号\n2025-01-15,1.00,2.00,R9\n", encoding="utf-8")
    r = cli.fails("import-statement", str(case), str(f), "--amount-column", "交易金额")
    assert "--amount-column" not in r.stderr and "rename" in r.stderr, r.stderr
    r = cli.fails("import-statement", str(case), str(f), "--amount-column", "交易金额", lang="zh")
    assert "--amount-column" not in r.stderr and "改名" in r.stderr, r.stderr
    cli.fails("import-statement", str(case), str(f), contains="--amount-column")


def test_a_worksheet_name_with_controls_is_shown_safely(cli: Cli, tmp_path: Path) -> None:
    """The refusal of an empty amount cell names the cell by its sheet: a sheet named
    with a bidi override or a zero-width character by the file's author reached stderr as
    it was. Before: 'the amount cell A\\u202eB!B2' raw on the terminal."""
    import openpyxl

    case = _add(cli, "--paid-on", "2025-01-10", "--condition-volume", "50000")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "A\u202eB\u200b"
    sheet.append(["交易日期", "交易金额"])
    sheet.append(["2025-02-01", None])
    f = tmp_path / "s.xlsx"
    book.save(f)
    r = cli.fails("import-statement", str(case), str(f))
    assert "\u202e" not in r.stderr and "\u200b" not in r.stderr, repr(r.stderr)
    assert "A\ufffdB\ufffd!B2" in r.stderr, r.stderr


@pytest.mark.parametrize(
    "row",
    [
        "2025\u202e-01-21,8.00,RQ",  # a date cell with a bidi override: 'Not a date: …'
        "2025-01-21,8\u202e00,RQ",  # an amount cell: 'Not an amount: …'
        "2025-01-21,8\u200b00,RQ",  # a zero-width space
    ],
)
def test_a_refusal_quoting_a_cell_shows_no_format_control(
    cli: Cli, tmp_path: Path, row: str
) -> None:
    """A refusal quotes the cell it cannot read; a bidi override or a zero-width character
    in it is escaped (visible), as a control character is. Before: written to stderr as
    it was (the line then reads backwards on the terminal)."""
    case = _add(cli, "--paid-on", "2025-01-10", "--condition-volume", "50000")
    f = tmp_path / "s.csv"
    f.write_text(f"交易日期,交易金额,流水号\n{row}\n", encoding="utf-8")
    r = cli.fails("import-statement", str(case), str(f))
    assert "\u202e" not in r.stderr and "\u200b" not in r.stderr, repr(r.stderr)
    assert "\\u202e" in r.stderr or "\\u200b" in r.stderr, r.stderr
