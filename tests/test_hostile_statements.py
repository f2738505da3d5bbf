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
