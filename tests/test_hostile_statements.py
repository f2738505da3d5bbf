"""Issue 13, statements: an over-long cell, CR-only line ends, sums beyond what the ledger
can hold, an unquoted grouped amount, a total row in Excel, and a zip that is not a
workbook each end in one clear message or are read correctly, never a traceback."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from depositctl.core.errors import UserError
from depositctl.core.statement import parse_statement, read_statement
from tests.conftest import Cli
from tests.test_statement import workbook

TODAY = date(2026, 11, 24)


def test_a_huge_cell_is_refused_with_the_line() -> None:
    text = "date,amount,memo\n2025-03-05,10,ok\n2025-03-06,10," + "x" * 140_000 + "\n"
    with pytest.raises(UserError, match="line 3"):
        parse_statement(text, TODAY)


def test_a_huge_cell_through_the_command(cli: Cli, case_id: int, tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    f.write_text("date,amount,memo\n2025-03-05,10," + "x" * 140_000 + "\n", encoding="utf-8")
    cli.fails("import-statement", str(case_id), str(f), contains="line 2")


def test_cr_only_line_ends_are_read() -> None:
    st = parse_statement("date,amount\r2025-03-05,10\r2025-03-06,20\r", TODAY)
    assert [(d.on, d.volume) for d in st.days] == [
        (date(2025, 3, 5), Decimal("10.00")),
        (date(2025, 3, 6), Decimal("20.00")),
    ]


def test_cr_only_line_ends_through_the_command(cli: Cli, case_id: int, tmp_path: Path) -> None:
    f = tmp_path / "mac.csv"
    f.write_bytes(b"date,amount\r2025-03-05,10\r2025-03-06,20\r")
    r = cli.ok("import-statement", str(case_id), str(f))
    assert "2 days" in r.stdout, r.stdout


def test_sums_beyond_the_ledger_are_refused(cli: Cli, case_id: int, tmp_path: Path) -> None:
    f = tmp_path / "huge.csv"
    f.write_text("date,amount\n" + "2025-03-05,9999999999999.99\n" * 10_000, encoding="utf-8")
    cli.fails("import-statement", str(case_id), str(f), contains="too large")


def test_one_absurd_amount_is_refused_with_its_line() -> None:
    with pytest.raises(UserError, match="line 3"):
        parse_statement("date,amount\n2025-03-05,10\n2025-03-05,99999999999999999999\n", TODAY)


def test_an_unquoted_grouped_amount_names_its_line() -> None:
    with pytest.raises(UserError, match="line 2: 3 cells but the header has 2 columns"):
        parse_statement("date,amount\n2025年3月5日,¥1,000元\n", TODAY)


def test_an_excel_total_row_is_skipped_and_said() -> None:
    st = read_statement(
        workbook(
            [
                ["交易日期", "交易金额"],
                ["2025-03-05", 100],
                ["2025-03-06", 50],
                ["合计", 150],
            ]
        ),
        TODAY,
    )
    assert [d.volume for d in st.days] == [Decimal("100.00"), Decimal("50.00")]
    assert st.totals == 1


def test_a_csv_total_row_is_skipped_too() -> None:
    st = parse_statement("date,amount\n2025-03-05,100\n总计,100\n", TODAY)
    assert [d.volume for d in st.days] == [Decimal("100.00")] and st.totals == 1


def test_a_zip_that_is_not_a_workbook_is_named() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    with pytest.raises(UserError, match="not a valid Excel"):
        read_statement(buf.getvalue(), TODAY)


# -- session 5: one strict reader, text a statement may not bring, ambiguous amounts ---------
def _refusal(data: bytes, tmp_path: Path, **columns: str) -> list[str]:
    """The message each path that reads a statement gives for `data`: the in-memory one
    (`core.statement.read_statement`) and the streaming one of `import-statement`
    (`store.statements.staged_statement`). Each must refuse."""
    from depositctl.store.statements import staged_statement

    messages = []
    with pytest.raises(UserError) as core:
        read_statement(data, TODAY, **columns)
    messages.append(str(core.value))
    f = tmp_path / "statement.bin"
    f.write_bytes(data)
    with pytest.raises(UserError) as store, staged_statement(f, TODAY, **columns):
        pass
    messages.append(str(store.value))
    return messages


def test_a_quote_never_closed_is_refused_alike_on_every_path(tmp_path: Path) -> None:
    """Session 4's review: `core.sheet.text_table` read CSV leniently (the rest of the
    file one cell: one row of three imported) while the streaming reader refused."""
    data = b'date,amount,note\n2025-03-09,5,ok\n2025-03-10,1000.00,"open\n2025-03-11,200.00,x\n'
    for text in _refusal(data, tmp_path):
        assert text.startswith('Statement line 3: a quote (") opened there is never closed'), text


def test_text_after_a_closing_quote_is_refused_alike(tmp_path: Path) -> None:
    data = b'date,amount,ref\n2025-03-10,10,"A1"B2\n'
    assert _refusal(data, tmp_path) == ["Statement line 2: ',' expected after '\"'"] * 2


@pytest.mark.parametrize(
    ("char", "what"),
    [
        ("\x1b", "a control character"),
        ("\u202e", "a text-direction control"),
        ("\u200b", "an invisible zero-width character"),
        ("\n", "a line break"),
    ],
)
def test_a_reference_with_hidden_characters_is_refused(
    tmp_path: Path, char: str, what: str
) -> None:
    """Session 4's review: a reference with an escape sequence, a bidi override or a
    zero-width space went raw into the row's key; every typed text refuses them."""
    text = f'交易日期,交易金额,交易参考号\n2025-03-05,10,R1\n2025-03-06,20,"R{char}2"\n'
    for message in _refusal(text.encode(), tmp_path):
        assert message.startswith("Statement line 3: the 交易参考号 column contains " + what)
        assert f"(U+{ord(char):04X})" in message


def test_a_reference_in_a_workbook_is_checked_too(tmp_path: Path) -> None:
    data = workbook([["日期", "金额", "流水号"], ["2025-03-05", 10, "AB\u2066C"]])
    for message in _refusal(data, tmp_path):
        assert message.startswith("Statement line 2: the 流水号 column contains")
        assert "(U+2066)" in message


def test_a_reference_with_hidden_characters_through_the_command(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    f = tmp_path / "s.csv"
    f.write_text("日期,金额,参考号\n2025-03-05,10,A\u200dB\n", encoding="utf-8")
    r = cli.fails("import-statement", str(case_id), str(f), lang="zh")
    assert "第 2 行" in r.stderr and "U+200D" in r.stderr and "参考号" in r.stderr, r.stderr
    shown = cli.ok("show", str(case_id), "--json").json()
    assert all(p["source"] != "statement" for p in shown["progress"])


def test_two_amount_columns_are_refused_naming_both(tmp_path: Path) -> None:
    """Session 4's review: 金额 and 交易金额 both read as the amount; the first in
    AMOUNT_HEADERS' order was taken without a word."""
    data = "交易日期,交易金额,手续费,金额\n2025-03-05,100,1,99\n".encode()
    for message in _refusal(data, tmp_path):
        assert message == (
            "The statement has 2 amount columns (2: 交易金额, 4: 金额); "
            "name the one to read with --amount-column"
        )
    st = read_statement(data, TODAY, amount_column="金额")
    assert [d.volume for d in st.days] == [Decimal("99.00")]


def test_a_column_named_twice_as_the_chosen_amount_is_refused(tmp_path: Path) -> None:
    data = b"date,sum,sum\n2025-03-05,100,99\n"
    for message in _refusal(data, tmp_path, amount_column="sum"):
        assert message.startswith("The statement has 2 columns named sum (2: sum, 3: sum); rename")


def test_an_amount_formula_without_a_saved_value_names_its_cell(tmp_path: Path) -> None:
    """Session 4's review: a workbook written by a program holds formulas without their
    results; openpyxl reads such a cell as empty, which gave "missing columns" or "Not
    an amount:" with nothing to act on."""
    last = workbook([["日期", "金额"], ["2025-03-05", 10], ["2025-03-06", "=B2*2"]])
    inner = workbook([["日期", "金额", "备注"], ["2025-03-05", "=1+1", "x"]])
    for data, where in ((last, "line 3: the amount cell Sheet!B3"), (inner, "Sheet!B2")):
        for message in _refusal(data, tmp_path):
            assert where in message and "a formula whose result was never saved" in message


def test_a_workbook_under_another_name_is_read_by_its_content(tmp_path: Path) -> None:
    """openpyxl refuses a path whose name does not end in .xlsx; the streaming path
    gave "Cannot read the Excel statement: openpyxl does not support .csv file format"
    for a workbook a bank named `.csv`, which the in-memory path read."""
    from depositctl.store.statements import staged_statement

    f = tmp_path / "流水.csv"
    f.write_bytes(workbook([["日期", "金额"], ["2025-03-05", 10]]))
    with staged_statement(f, TODAY) as staged:
        assert [(d.on, d.volume) for d in staged.days()] == [(date(2025, 3, 5), Decimal("10.00"))]
