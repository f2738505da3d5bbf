"""import-statement: a provider's CSV statement becomes progress and evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from depositctl.core.errors import UserError
from depositctl.core.statement import decode, parse_statement
from tests.conftest import Cli

TODAY = date(2026, 11, 24)


def test_daily_totals_and_skipped_reversals() -> None:
    text = '交易日期,交易金额\n2025-03-05 09:12:44,1200.00\n2025-03-05 18:00:00,300\n2025/3/6,-50\n2025年3月7日,"¥2,000.50"\n'
    st = parse_statement(text, TODAY)
    assert [(d.on, d.volume, d.count) for d in st.days] == [
        (date(2025, 3, 5), Decimal("1500.00"), 2),
        (date(2025, 3, 7), Decimal("2000.50"), 1),
    ]
    assert st.skipped == 1


@pytest.mark.parametrize("zero", ["0", "0.00", "0.000", "¥0", "0元", "０"])
def test_zero_in_any_spelling_is_skipped(zero: str) -> None:
    st = parse_statement(f"date,amount\n2025-03-05,{zero}\n2025-03-06,10\n", TODAY)
    assert [d.on for d in st.days] == [date(2025, 3, 6)]
    assert st.skipped == 1


def test_named_columns_and_gbk() -> None:
    raw = "流水号,成交日,成交额\nA1,2025-03-05,10\n".encode("gb18030")
    st = parse_statement(decode(raw), TODAY, date_column="成交日", amount_column="成交额")
    assert st.days[0].volume == Decimal("10.00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "Cannot find the date column"),
        ("date,amount\n", "no rows"),
        ("date,amount\n2025-02-30,5\n", "line 2"),
        ("date,amount\n2099-01-01,5\n", "cannot be in the future"),
        ("date,amount\n2025-01-01,5.555\n", "line 2"),
        ("date,amount\n2025-01-01,-5\n", "no positive amounts"),
    ],
)
def test_a_bad_statement_is_refused_whole(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_statement(text, TODAY)


def test_import_statement_meets_the_condition_once(cli: Cli, case_id: int, tmp_path: Path) -> None:
    f = tmp_path / "流水.csv"
    f.write_text("date,amount\n2025-03-10,30000\n2025-04-01,25000\n", encoding="utf-8-sig")
    r = cli.ok("import-statement", str(case_id), str(f))
    assert "2 days" in r.stdout and "55000.00" in r.stdout
    assert "Condition met on 2025-04-01" in r.stdout
    shown = cli.ok("show", str(case_id), "--json").json()
    assert [p["source"] for p in shown["progress"]] == ["statement", "statement"]
    assert [e["kind"] for e in shown["evidence"]] == ["statement"]
    assert shown["condition_met_on"] == "2025-04-01"
    cli.fails("import-statement", str(case_id), str(f), contains="already imported")


def test_import_statement_bad_input(cli: Cli, case_id: int, tmp_path: Path) -> None:
    cli.fails("import-statement", "99", str(tmp_path / "x.csv"), contains="No case #99")
    cli.fails(
        "import-statement", str(case_id), str(tmp_path / "missing.csv"), contains="No such file"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("date,amount\n2025-03-10,30000\n2025-13-01,5\n", encoding="utf-8")
    cli.fails("import-statement", str(case_id), str(bad), contains="line 3")


def test_a_bad_line_is_explained_in_the_chosen_language(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,amount\n2025-03-10,30000\n2025-13-01,5\n", encoding="utf-8")
    r = cli.fails("import-statement", str(case_id), str(bad), lang="zh")
    assert "第 3 行" in r.stderr and "没有这个日期" in r.stderr, r.stderr
