"""import-statement: a provider's CSV or xlsx statement becomes progress and evidence."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depositctl.core.errors import UserError
from depositctl.core.statement import (
    Statement,
    decode,
    new_rows,
    parse_statement,
    read_statement,
)
from tests.conftest import Cli, examples

TODAY = date(2026, 11, 24)


def test_daily_totals_net_of_cancellations() -> None:
    text = '交易日期,交易金额\n2025-03-05 09:12:44,1200.00\n2025-03-05 18:00:00,300\n2025/3/6,-50\n2025年3月7日,"¥2,000.50"\n'
    st = parse_statement(text, TODAY)
    assert [(d.on, d.volume, d.count) for d in st.days] == [
        (date(2025, 3, 5), Decimal("1500.00"), 2),
        (date(2025, 3, 6), Decimal("-50.00"), 0),  # refunds a sale of an earlier day
        (date(2025, 3, 7), Decimal("2000.50"), 1),
    ]
    assert (st.cancellations, st.skipped) == (1, 0)
    assert [r.amount for r in st.rows] == [
        Decimal("1200.00"),
        Decimal("300.00"),
        Decimal("-50.00"),
        Decimal("2000.50"),
    ]


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
        ("date,amount\n2025-01-01,0\n2025-01-02,-0.00\n", "no positive amounts"),
        ("date,amount\n2025年3月5日,¥1,000元\n", "line 2: 3 cells but the header has 2 columns"),
        ("date,amount\n\n2025-03-05,5\n\n2025-03-06,5,x\n", "line 5: 3 cells"),
        ("date,amount\n2025-03-05\n", "line 2: missing columns"),
        ("date,amount\n2025-03-05,1-2\n", "line 2: Not an amount"),
        ("", "no rows"),
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


# -- row identity -----------------------------------------------------------------------------
# One logical statement: (date, amount, reference, time of day, type). Rendered below in
# many spellings; every spelling must give the same keys and the same day totals.
SALES = [
    (date(2025, 3, 5), Decimal("1000"), "600123", "09:12:44", "消费"),
    (date(2025, 3, 5), Decimal("1000"), "600124", "09:30:00", "消费"),
    (date(2025, 3, 5), Decimal("1000"), "600124", "09:31:00", "消费撤销"),
    (date(2025, 3, 6), Decimal("88.5"), "600125", "10:00:01", "消费"),
    (date(2025, 3, 6), Decimal("88.5"), "600126", "10:00:02", "消费"),
    (date(2025, 3, 7), Decimal("12345.67"), "600127", "23:59:59", "退货"),
]
AMOUNT_SPELLINGS = {
    "plain": lambda a: f"{a}",
    "fen": lambda a: f"{a:.2f}",
    "yuan sign, grouped": lambda a: f"￥{a:,.2f}",  # full-width: GBK has no ¥
    "yuan suffix": lambda a: f"{a}元",
    "full-width": lambda a: f"{a:.2f}".translate(
        str.maketrans("0123456789.", "０１２３４５６７８９．")
    ),
}
DATE_SPELLINGS = {
    "iso": lambda d: d.isoformat(),
    "slashes": lambda d: f"{d.year}/{d.month}/{d.day}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
}


def render(
    sales: list[tuple[date, Decimal, str, str, str]],
    *,
    columns: tuple[str, ...] = ("交易日期", "交易时间", "交易金额", "交易类型", "交易参考号"),
    delimiter: str = ",",
    amount: str = "plain",
    day: str = "iso",
    encoding: str = "utf-8",
    ref_guard: str = "",
) -> bytes:
    """The statement as a provider's export might spell it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for on, value, ref, at, kind in sales:
        cell = {
            "交易日期": DATE_SPELLINGS[day](on),
            "交易时间": at,
            "交易金额": AMOUNT_SPELLINGS[amount](value),
            "交易类型": kind,
            "交易参考号": f"{ref_guard}{ref}",
            "交易时间 (full)": f"{DATE_SPELLINGS[day](on)} {at}",
        }
        writer.writerow([cell[c] for c in columns])
    return out.getvalue().encode(encoding)


def identity(st: Statement) -> tuple[list[str], list[tuple[date, Decimal, int]]]:
    return sorted(r.key for r in st.rows), [(d.on, d.volume, d.count) for d in st.days]


@pytest.mark.parametrize(
    "variant",
    [
        {"encoding": "utf-8-sig"},
        {"encoding": "gbk"},
        {"encoding": "gb18030"},
        {"encoding": "utf-16"},
        {"delimiter": "\t"},
        {"delimiter": ";"},
        {"columns": ("交易参考号", "交易类型", "交易金额", "交易时间", "交易日期")},
        {"amount": "fen"},
        {"amount": "yuan sign, grouped"},
        {"amount": "yuan suffix"},
        {"amount": "full-width"},
        {"day": "slashes"},
        {"day": "chinese", "encoding": "gbk", "delimiter": "\t", "amount": "yuan sign, grouped"},
        {"ref_guard": "\t"},  # Excel text guards some exporters put before long numbers
        {"ref_guard": "'"},
    ],
    ids=repr,
)
def test_the_row_keys_do_not_depend_on_the_spelling(variant: dict[str, Any]) -> None:
    baseline = read_statement(render(SALES), TODAY)
    assert identity(read_statement(render(SALES, **variant), TODAY)) == identity(baseline)


def test_the_key_is_date_signed_amount_reference_and_occurrence() -> None:
    st = read_statement(render(SALES), TODAY)
    assert [r.key for r in st.rows] == [
        "2025-03-05|1000.00|ref:600123|0",
        "2025-03-05|1000.00|ref:600124|0",
        "2025-03-05|-1000.00|ref:600124|0",  # the cancellation never shares the sale's key
        "2025-03-06|88.50|ref:600125|0",
        "2025-03-06|88.50|ref:600126|0",
        "2025-03-07|-12345.67|ref:600127|0",
    ]
    no_ref = ("交易日期", "交易时间", "交易金额", "交易类型")
    st = read_statement(render(SALES, columns=no_ref), TODAY)
    assert st.rows[0].key == "2025-03-05|1000.00|time:09:12:44|0"
    in_one_cell = ("交易时间 (full)", "交易金额")  # header "交易时间 (full)" is not a date header
    text = render(SALES, columns=in_one_cell).decode().replace("交易时间 (full)", "交易时间", 1)
    st = parse_statement(text, TODAY)
    assert st.rows[0].key == "2025-03-05|1000.00|time:09:12:44|0"
    assert st.rows[2].key == "2025-03-05|1000.00|time:09:31:00|0"  # no type column: a sale


@settings(max_examples=examples(40), deadline=None)
@given(
    sales=st.lists(
        st.tuples(
            st.dates(date(2024, 1, 1), TODAY),
            st.decimals(Decimal("0.01"), Decimal("99999.99"), places=2),
            st.sampled_from(["", "A1", "A2", "000917"]),
            st.sampled_from(["", "08:00:00", "23:59:59"]),
            st.sampled_from(["消费", "消费撤销", "退款", "sale"]),
        ),
        min_size=1,
        max_size=12,
    ),
    variant=st.fixed_dictionaries(
        {
            "encoding": st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
            "delimiter": st.sampled_from([",", "\t", ";"]),
            "amount": st.sampled_from(sorted(AMOUNT_SPELLINGS)),
            "day": st.sampled_from(sorted(DATE_SPELLINGS)),
        }
    ),
    shuffle=st.randoms(use_true_random=False),
)
def test_reimporting_any_spelling_in_any_order_adds_nothing(
    sales: list[tuple[date, Decimal, str, str, str]], variant: dict[str, Any], shuffle: Any
) -> None:
    first = read_statement(render(sales), TODAY)
    again = list(sales)
    shuffle.shuffle(again)  # the rows in another order, e.g. newest first
    second = read_statement(render(again, **variant), TODAY)
    assert len({r.key for r in first.rows}) == len(first.rows)  # never collapsed in a file
    fresh = new_rows(second, {r.key for r in first.rows})
    assert (fresh.rows, fresh.already_imported) == ((), len(first.rows))


def test_identical_rows_are_two_sales_and_both_are_skipped_next_time() -> None:
    twice = "日期,金额\n2025-03-05,100\n2025-03-05,100\n2025-03-06,100\n"
    st = parse_statement(twice, TODAY)
    assert [r.key for r in st.rows] == [
        "2025-03-05|100.00||0",
        "2025-03-05|100.00||1",
        "2025-03-06|100.00||0",
    ]
    assert [(d.on, d.volume, d.count) for d in st.days] == [
        (date(2025, 3, 5), Decimal("200.00"), 2),
        (date(2025, 3, 6), Decimal("100.00"), 1),
    ]
    seen = {r.key for r in st.rows}
    same_in_gbk = decode(twice.replace(",", "\t").encode("gbk"))
    assert new_rows(parse_statement(same_in_gbk, TODAY), seen).already_imported == 3
    # A later export that overlaps: the two sales of 03-06, and a new day.
    later = "日期,金额\n2025-03-06,100\n2025-03-06,100\n2025-03-07,5\n"
    fresh = new_rows(parse_statement(later, TODAY), seen)
    assert fresh.already_imported == 1
    assert [(d.on, d.volume, d.count) for d in fresh.days] == [
        (date(2025, 3, 6), Decimal("100.00"), 1),
        (date(2025, 3, 7), Decimal("5.00"), 1),
    ]


def test_a_reference_column_can_be_named() -> None:
    text = "date,amount,单号\n2025-03-05,10,X1\n2025-03-05,10,X2\n"
    st = parse_statement(text, TODAY, reference_column="单号")
    assert [r.key for r in st.rows] == ["2025-03-05|10.00|ref:X1|0", "2025-03-05|10.00|ref:X2|0"]
    with pytest.raises(UserError, match="no column 凭证"):
        parse_statement(text, TODAY, reference_column="凭证")


def test_an_empty_reference_falls_back_to_the_time() -> None:
    text = "交易时间,交易金额,流水号\n2025-03-05 10:00,10,\n2025-03-05 11:00,10,\n"
    st = parse_statement(text, TODAY)
    assert [r.key for r in st.rows] == [
        "2025-03-05|10.00|time:10:00:00|0",
        "2025-03-05|10.00|time:11:00:00|0",
    ]


# -- cancellations ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["消费撤销", "冲正", "退货", "退款", "预授权完成撤销", "Refund"])
def test_a_cancellation_written_positive_is_subtracted(kind: str) -> None:
    text = f"日期,金额,交易类型\n2025-03-05,100,消费\n2025-03-05,100,{kind}\n2025-03-06,7,消费\n"
    st = parse_statement(text, TODAY)
    assert [(d.on, d.volume, d.count) for d in st.days] == [(date(2025, 3, 6), Decimal("7.00"), 1)]
    assert st.cancellations == 1
    assert [r.cancels for r in st.rows] == [False, True, False]


def test_cancellations_per_day_never_count_below_zero() -> None:
    text = (
        "日期,金额,摘要\n2025-03-05,50,\n2025-03-05,-20,\n2025-03-05,30,冲正\n2025-03-05,10,退款\n"
    )
    [day] = parse_statement(text, TODAY).days
    assert (day.volume, day.count) == (Decimal("-10.00"), 0)


def test_a_negative_amount_marked_as_a_refund_is_subtracted_once() -> None:
    st = parse_statement("日期,金额,类型\n2025-03-05,100,消费\n2025-03-05,-40,退货\n", TODAY)
    assert [(d.volume, d.count) for d in st.days] == [(Decimal("60.00"), 0)]


@pytest.mark.parametrize("minus", ["-40", "－40", "−40", "¥-40", "-¥40.00"])
def test_minus_in_any_spelling(minus: str) -> None:
    st = parse_statement(f"日期,金额\n2025-03-05,100\n2025-03-05,{minus}\n", TODAY)
    assert st.rows[1].amount == Decimal("-40.00") and st.rows[1].cancels


def test_a_status_column_is_not_a_cancellation() -> None:
    """WeChat-style: the sale says 已全额退款 and the refund has its own row."""
    text = "日期,金额,交易状态,交易类型\n2025-03-05,100,已全额退款,消费\n2025-03-06,100,退款成功,退款\n"
    st = parse_statement(text, TODAY)
    assert [r.amount for r in st.rows] == [Decimal("100.00"), Decimal("-100.00")]


def test_a_preamble_before_the_header_is_passed_over() -> None:
    text = "商户名称：某某小店\n起止日期：2025-03-01 至 2025-03-31\n\n交易日期,交易金额\n2025-03-05,10\n2025-13-05,10\n"
    with pytest.raises(UserError, match="line 6: No such date"):
        parse_statement(text, TODAY)
    st = parse_statement(text.rsplit("\n", 2)[0] + "\n", TODAY)
    assert [(r.line, r.amount) for r in st.rows] == [(5, Decimal("10.00"))]


# -- xlsx -------------------------------------------------------------------------------------
def workbook(rows: list[list[Any]], *, preamble: int = 0, sheets: int = 1) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(1, sheets):  # a first sheet without a statement (a summary page)
        sheet.append(["汇总"])
        sheet = book.create_sheet()
    for i in range(preamble):
        sheet.append([f"说明 {i}"])
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_cells_of_every_type() -> None:
    data = workbook(
        [
            ["交易时间", "交易金额", "交易类型", "交易参考号"],
            [datetime(2025, 3, 5, 9, 12, 44), 1000, "消费", 600123],
            ["2025-03-05 09:30:00", 0.1 + 0.2, "消费", "600124"],
            [45722, "¥1,000.00", "消费", 600125.0],  # a serial number: 2025-03-06
            [45722.5, 12.345, "消费", 600126],  # noon; a float's third decimal rounded
            [date(2025, 3, 7), -1000.0, "消费", 600127],
            [datetime(2025, 3, 7), 20, "冲正", None, None, None],  # padding is not a cell
        ],
        preamble=2,
        sheets=2,
    )
    assert data.startswith(b"PK\x03\x04")
    st = read_statement(data, TODAY)
    assert [(r.line, r.on, r.amount, r.key) for r in st.rows] == [
        (4, date(2025, 3, 5), Decimal("1000.00"), "2025-03-05|1000.00|ref:600123|0"),
        (5, date(2025, 3, 5), Decimal("0.30"), "2025-03-05|0.30|ref:600124|0"),
        (6, date(2025, 3, 6), Decimal("1000.00"), "2025-03-06|1000.00|ref:600125|0"),
        (7, date(2025, 3, 6), Decimal("12.35"), "2025-03-06|12.35|ref:600126|0"),
        (8, date(2025, 3, 7), Decimal("-1000.00"), "2025-03-07|-1000.00|ref:600127|0"),
        (9, date(2025, 3, 7), Decimal("-20.00"), "2025-03-07|-20.00||0"),
    ]
    assert st.cancellations == 2


def test_xlsx_and_csv_of_the_same_rows_share_their_keys() -> None:
    header = ["交易日期", "交易时间", "交易金额", "交易类型", "交易参考号"]
    cells = [[on, at, float(value), kind, int(ref)] for on, value, ref, at, kind in SALES]
    from_excel = read_statement(workbook([header, *cells]), TODAY)
    assert identity(from_excel) == identity(read_statement(render(SALES), TODAY))
    no_ref = read_statement(workbook([header[:4]] + [c[:4] for c in cells]), TODAY)
    assert no_ref.rows[0].key == "2025-03-05|1000.00|time:09:12:44|0"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["日期", "金额"], ["2025-03-05", 10], ["2025-02-30", 10]], "line 3: No such date"),
        ([["日期", "金额"], [3000000, 10]], "line 2: Not a date: 3000000"),
        ([["日期", "金额"], ["2025-03-05", "10", "x"]], "line 2: 3 cells but the header has 2"),
        ([["日期", "金额"], ["2025-03-05", True]], "line 2: Not an amount"),
        ([["日期", "金额"], ["2099-03-05", 5]], "cannot be in the future"),
        ([["a", "b"], [1, 2]], "Cannot find the date column .*columns: a, b"),
        ([["日期", "金额"]], "no rows"),
    ],
)
def test_a_bad_xlsx_is_refused_whole(rows: list[list[Any]], message: str) -> None:
    with pytest.raises(UserError, match=message):
        read_statement(workbook(rows), TODAY)


def test_a_damaged_or_old_workbook_is_refused_with_advice() -> None:
    with pytest.raises(UserError, match="Cannot read the Excel statement"):
        read_statement(b"PK\x03\x04" + b"\x00" * 64, TODAY)
    with pytest.raises(UserError, match=r"old Excel \.xls file; .* save it as \.xlsx or CSV"):
        read_statement(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, TODAY)


def test_import_statement_nets_a_same_day_cancellation(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    f = tmp_path / "流水.csv"
    f.write_bytes(
        "交易日期,交易金额,交易类型\n2025-03-10,30000,消费\n2025-03-20,25000,消费\n"
        "2025-03-20,25000,消费撤销\n2025-04-01,20000,消费\n".encode("gbk")
    )
    cli.ok("import-statement", str(case_id), str(f))
    shown = cli.ok("show", str(case_id), "--json").json()
    assert [(p["on"], p["volume"]) for p in shown["progress"]] == [
        ("2025-03-10", "30000.00"),
        ("2025-04-01", "20000.00"),
    ]
    assert shown["condition_met_on"] == "2025-04-01"  # not 03-20, when the sale was counted


def test_an_unquoted_grouped_amount_is_refused_in_the_chosen_language(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    """Issue 13: `2025年3月5日,¥1,000元` unquoted once imported 1.00 yuan without a word."""
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,金额\n2025年3月4日,5\n2025年3月5日,¥1,000元\n", encoding="utf-8")
    r = cli.fails("import-statement", str(case_id), str(bad), lang="zh")
    assert "第 3 行" in r.stderr and "表头只有 2 列" in r.stderr, r.stderr
    cli.fails("import-statement", str(case_id), str(bad), contains="line 3: 3 cells")


def test_a_quote_never_closed_is_refused_not_swallowed(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    """Attack (session 4): a note opened with `"` and never closed made the csv reader
    read the rest of the file as one cell: 1 row of 2 imported, exit 0."""
    f = tmp_path / "流水.csv"
    f.write_text(
        'date,amount,note\n2025-03-10,1000.00,"open\n2025-03-11,200.00,x\n', encoding="utf-8"
    )
    cli.fails("import-statement", str(case_id), str(f), contains='line 2: a quote (") opened there')
    shown = cli.ok("show", str(case_id), "--json").json()
    assert shown["progress"] == [] or all(p["source"] != "statement" for p in shown["progress"])
