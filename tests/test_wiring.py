"""Issue 9 inputs wired into the commands: respondents and payee on a case, the merchant's
capacity, statement rows imported once whatever the file, and the documents' own dates."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

LEGAL = "拉卡拉支付股份有限公司"
AGENT = "杭州某某信息技术有限公司"
STATEMENT = (
    "交易日期,交易金额,交易类型,交易参考号\n2025-03-10,30000,消费,R1\n2025-03-20,25000,消费,R2\n"
)


def add(cli: Cli, *extra: str, provider: str = LEGAL) -> int:
    r = cli.ok("add", "--provider", provider, "--amount", "99", "--paid-on", "2025-03-05", *extra)
    m = re.search(r"#(\d+)", r.stdout)
    assert m, r.stdout
    return int(m.group(1))


def shown(cli: Cli, cid: int) -> dict[str, Any]:
    data: dict[str, Any] = cli.ok("show", str(cid), "--json").json()
    return data


# -- respondents -----------------------------------------------------------------------------
def test_add_and_edit_resolve_a_recorded_alias_to_the_legal_name(cli: Cli) -> None:
    cli.ok("provider", "set", LEGAL, "--alias", "拉卡拉")
    cli.ok("provider", "set", AGENT, "--alias", "某某科技", "--kind", "agent-company")
    cid = add(cli, "--agent-company", "某某科技", provider="拉卡拉")  # ok: nothing on stderr
    d = shown(cli, cid)
    assert (d["provider"], d["agent_company"]) == (LEGAL, AGENT)
    other = add(cli, provider="示例支付股份有限公司")
    cli.ok("edit", str(other), "--provider", "拉卡拉", "--agent-company", "某某科技")
    assert (shown(cli, other)["provider"], shown(cli, other)["agent_company"]) == (LEGAL, AGENT)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_brand_name_is_added_with_a_warning_naming_the_fix(cli: Cli, lang: str) -> None:
    r = cli.run(
        "add", "--provider", "智慧u米", "--amount", "99", "--paid-on", "2025-03-05", lang=lang
    )
    assert r.exit_code == 0, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr
    legal = "<legal name>" if lang == "en" else "<法定名称>"
    assert f"depositctl provider set '{legal}' --alias 智慧u米" in lines[0]
    assert "#1" in r.stdout
    assert shown(cli, 1)["provider"] == "智慧u米"  # added as typed
    # the fix works: once recorded as an alias, the same name resolves without a warning
    cli.ok("provider", "set", "深圳某某支付有限公司", "--alias", "智慧u米")
    cid = add(cli, provider="智慧u米")
    assert shown(cli, cid)["provider"] == "深圳某某支付有限公司"


def test_an_agent_company_that_is_a_brand_is_warned_about_too(cli: Cli) -> None:
    r = cli.run(
        "add", "--provider", LEGAL, "--amount", "99", "--paid-on", "2025-03-05",
        "--agent-company", "某某服务商",
    )  # fmt: skip
    assert r.exit_code == 0
    assert "--alias 某某服务商" in r.stderr
    assert shown(cli, 1)["agent_company"] == "某某服务商"


def test_agent_company_and_paid_to_are_stored_shown_edited_and_cleared(cli: Cli) -> None:
    cid = add(cli, "--agent-company", AGENT, "--paid-to", "Salesperson")
    d = shown(cli, cid)
    assert (d["agent_company"], d["paid_to"]) == (AGENT, "salesperson")
    en = cli.ok("show", str(cid)).stdout
    assert f"Agent company: {AGENT}" in en and "Paid to: salesperson (业务员)" in en
    zh = cli.ok("show", str(cid), lang="zh").stdout
    assert f"代理商公司：{AGENT}" in zh and "收款方：业务员\n" in zh
    r = cli.ok("edit", str(cid), "--paid-to", "agent-company")
    assert "paid_to" in r.stdout
    assert shown(cli, cid)["paid_to"] == "agent-company"
    assert "Paid to: agent-company (代理商公司)" in cli.ok("show", str(cid)).stdout
    cli.ok("edit", str(cid), "--clear", "agent-company", "--clear", "paid-to")
    d = shown(cli, cid)
    assert (d["agent_company"], d["paid_to"]) == (None, None)
    assert "Paid to" not in cli.ok("show", str(cid)).stdout
    edits = [h["changes"] for h in d["history"] if h["action"] == "edit"]
    assert edits[0]["paid_to"] == ["salesperson", "agent-company"]
    assert edits[1] == {"agent_company": [AGENT, None], "paid_to": ["agent-company", None]}
    assert cli.ok("check").stdout.startswith("No problems found")


def test_bad_paid_to_is_one_clear_line_and_changes_nothing(cli: Cli) -> None:
    cli.fails(
        "add", "--provider", LEGAL, "--amount", "99", "--paid-on", "2025-03-05",
        "--paid-to", "boss", contains="Unknown payee: boss",
    )  # fmt: skip
    cid = add(cli)
    cli.fails(
        "edit", str(cid), "--paid-to", "boss", contains="institution(机构), agent-company(代理商)"
    )
    r = cli.fails("edit", str(cid), "--paid-to", "老板", lang="zh")
    assert "收款方" in r.stderr


# -- the merchant's capacity -------------------------------------------------------------------
def test_capacity_defaults_to_individual_and_is_set_with_the_business(cli: Cli) -> None:
    assert cli.ok("profile", "show", "--json").json()["capacity"] == "individual"
    assert "Capacity: individual (个人)" in cli.ok("profile", "show").stdout
    cli.ok(
        "profile", "set", "--capacity", "individual-business",
        "--business-name", "杭州西湖区某某便利店", "--business-licence", "92330106MA2XXXXX1Y",
        "--payee-account", "中国银行西湖支行 6217 0000 1111 2222",
    )  # fmt: skip
    p = cli.ok("profile", "show", "--json").json()
    assert p["capacity"] == "individual-business"
    assert p["business_name"] == "杭州西湖区某某便利店"
    assert p["business_licence"] == "92330106MA2XXXXX1Y"
    assert p["payee_account"] == "中国银行西湖支行 6217 0000 1111 2222"
    text = cli.ok("profile", "show", lang="zh").stdout
    assert "投诉人身份: 个体工商户\n" in text and "杭州西湖区某某便利店" in text
    assert "individual-business (个体工商户)" in cli.ok("profile", "show").stdout
    cli.ok("profile", "set", "--capacity", "company", "--business-licence", "")
    p = cli.ok("profile", "show", "--json").json()
    assert (p["capacity"], p["business_licence"]) == ("company", None)
    assert cli.ok("check").stdout.startswith("No problems found")


def test_a_profile_with_the_new_fields_survives_export_and_import(cli: Cli, tmp_path: Path) -> None:
    cli.ok("profile", "set", "--name", "王秀英", "--capacity", "company", "--payee-account", "X1")
    out = tmp_path / "e.json"
    cli.ok("export", "-o", str(out))
    new = tmp_path / "new" / "ledger.db"
    cli.ok("--db", str(new), "import", str(out))
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    p = cli.ok("--db", str(new), "profile", "show", "--json").json()
    assert (p["name"], p["capacity"], p["payee_account"]) == ("王秀英", "company", "X1")
    # the payee account is private: a redacted export masks it
    cli.ok("profile", "set", "--payee-account", "6217000011112222")
    cli.ok("export", "--redact", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["profile"]["payee_account"] == (
        "621*********2222"
    )


def test_id_numbers_are_checked_and_stored_compact(cli: Cli) -> None:
    cli.ok("profile", "set", "--id-number", "11010519491231002x")
    assert cli.ok("profile", "show", "--json").json()["id_number"] == "11010519491231002X"
    cli.fails("profile", "set", "--id-number", "110105194912310023", contains="wrong check digit")
    cli.fails("profile", "set", "--id-number", "1101051949123100", contains="has 18")
    r = cli.fails("profile", "set", "--name", "张三", "--id-number", "110101199003071234")
    assert "check digit" in r.stderr  # the whole command refused: the name is not saved
    assert cli.ok("profile", "show", "--json").json()["name"] is None
    cli.fails("profile", "set", "--capacity", "boss", contains="Unknown capacity: boss")


# -- statements ----------------------------------------------------------------------------------
@pytest.fixture
def target_case(cli: Cli) -> int:
    """50,000 yuan within 90 days of 2025-03-05."""
    return add(cli, "--activated-on", "2025-03-05", "--condition-volume", "50000",
               "--condition-days", "90", "--refund-within", "15wd")  # fmt: skip


def test_the_same_statement_in_another_encoding_adds_nothing(
    cli: Cli, target_case: int, tmp_path: Path
) -> None:
    utf8, gbk = tmp_path / "流水-utf8.csv", tmp_path / "流水-gbk.csv"
    utf8.write_text(STATEMENT, encoding="utf-8-sig")
    gbk.write_bytes(STATEMENT.replace("30000", '"￥30,000.00"').encode("gbk"))
    r = cli.ok("import-statement", str(target_case), str(utf8))
    assert r.stdout.startswith(
        f"Imported 2 rows into #{target_case} (2 days, 55000.00 yuan in all); "
        "skipped 0 already imported; 0 cancellations."
    )
    r = cli.fails("import-statement", str(target_case), str(gbk), contains="already imported")
    d = shown(cli, target_case)
    assert sum(float(p["volume"]) for p in d["progress"]) == 55000
    assert d["condition_met_on"] == "2025-03-20"
    # a later statement repeating those rows counts only its new one
    later = tmp_path / "later.csv"
    later.write_bytes((STATEMENT + "2025-04-01,1000,消费,R3\n").encode("gb18030"))
    r = cli.ok("import-statement", str(target_case), str(later), lang="zh")
    assert "已导入 1 行" in r.stdout and "跳过已导入过的 2 行" in r.stdout, r.stdout
    assert [p["on"] for p in shown(cli, target_case)["progress"]] == [
        "2025-03-10", "2025-03-20", "2025-04-01",
    ]  # fmt: skip


def test_same_day_cancellations_net_to_zero(cli: Cli, target_case: int, tmp_path: Path) -> None:
    f = tmp_path / "流水.csv"
    f.write_text(
        "交易日期,交易金额,交易类型\n2025-03-10,30000,消费\n2025-03-12,25000,消费\n"
        "2025-03-12,25000,消费撤销\n2025-03-12,-100,冲正\n2025-03-12,100,消费\n",
        encoding="utf-8",
    )
    r = cli.ok("import-statement", str(target_case), str(f))
    assert "Imported 5 rows" in r.stdout and "(1 day, 30000.00 yuan" in r.stdout
    assert "2 cancellations." in r.stdout
    d = shown(cli, target_case)
    assert [(p["on"], p["volume"]) for p in d["progress"]] == [("2025-03-10", "30000.00")]
    assert d["condition_met_on"] is None
    # all five rows are remembered: the same file again is refused, nothing written
    cli.fails("import-statement", str(target_case), str(f), contains="already imported")
    assert cli.ok("check").stdout.startswith("No problems found")


def test_the_condition_met_date_follows_the_net_volume(
    cli: Cli, target_case: int, tmp_path: Path
) -> None:
    first = tmp_path / "三月.csv"
    first.write_text(STATEMENT, encoding="utf-8")
    r = cli.ok("import-statement", str(target_case), str(first))
    assert "Condition met on 2025-03-20" in r.stdout
    # a later export holds the cancellation of 03-20's sale: that day nets to nothing
    second = tmp_path / "四月.xlsx"
    second.write_bytes(
        workbook(
            [
                ["交易日期", "交易金额", "交易类型", "交易参考号"],
                ["2025-03-20", 25000, "消费撤销", "R2-C"],
                ["2025-04-01", 20000, "消费", "R4"],
            ]
        )
    )
    r = cli.ok("import-statement", str(target_case), str(second))
    assert "Imported 2 rows" in r.stdout and "1 cancellations." in r.stdout
    assert "Condition met on 2025-04-01" in r.stdout
    d = shown(cli, target_case)
    assert [(p["on"], p["volume"]) for p in d["progress"]] == [
        ("2025-03-10", "30000.00"),
        ("2025-03-20", "25000.00"),
        ("2025-03-20", "-25000.00"),
        ("2025-04-01", "20000.00"),
    ]
    assert d["condition_met_on"] == "2025-04-01"
    assert cli.ok("check").stdout.startswith("No problems found")


def test_xlsx_through_the_cli_and_the_same_rows_as_csv_add_nothing(
    cli: Cli, target_case: int, tmp_path: Path
) -> None:
    x = tmp_path / "流水.xlsx"
    x.write_bytes(
        workbook(
            [
                ["交易日期", "交易金额", "交易类型", "交易参考号"],
                ["2025-03-10", 30000, "消费", "R1"],
                ["2025-03-20", 25000.0, "消费", "R2"],
            ]
        )
    )
    r = cli.ok("import-statement", str(target_case), str(x))
    assert "Imported 2 rows" in r.stdout and "55000.00 yuan" in r.stdout
    d = shown(cli, target_case)
    assert [e["name"] for e in d["evidence"]] == ["流水.xlsx"]
    assert d["condition_met_on"] == "2025-03-20"
    csv = tmp_path / "流水.csv"
    csv.write_text(STATEMENT, encoding="utf-8")
    cli.fails("import-statement", str(target_case), str(csv), contains="already imported")


def test_reference_column_names_the_identity_column(
    cli: Cli, target_case: int, tmp_path: Path
) -> None:
    f = tmp_path / "流水.csv"
    f.write_text("日期,金额,单据\n2025-03-10,100,A\n2025-03-10,100,B\n", encoding="utf-8")
    cli.fails(
        "import-statement", str(target_case), str(f), "--reference-column", "票号",
        contains="no column 票号",
    )  # fmt: skip
    cli.ok("import-statement", str(target_case), str(f), "--reference-column", "单据")
    g = tmp_path / "again.csv"
    g.write_text("日期,金额,单据\n2025-03-10,100,B\n2025-03-10,100,C\n", encoding="utf-8")
    r = cli.ok("import-statement", str(target_case), str(g), "--reference-column", "单据")
    assert "Imported 1 row into" in r.stdout and "skipped 1 already imported" in r.stdout


def test_statement_rows_round_trip_and_check_finds_them_changed(
    cli: Cli, target_case: int, tmp_path: Path
) -> None:
    f = tmp_path / "流水.csv"
    f.write_text(STATEMENT + "2025-03-20,25000,消费撤销,R2X\n", encoding="utf-8")
    cli.ok("import-statement", str(target_case), str(f))
    out = tmp_path / "e.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {r["row_key"] for r in data["statement_rows"]} == {
        "2025-03-10|30000.00|ref:R1|0",
        "2025-03-20|25000.00|ref:R2|0",
        "2025-03-20|-25000.00|ref:R2X|0",
    }
    assert {r["progress_id"] for r in data["statement_rows"]} == {1, None}  # 03-20 nets to 0
    new = tmp_path / "new" / "ledger.db"
    cli.ok("--db", str(new), "import", str(out), "--evidence-from", str(cli.db.parent))
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    cli.fails("--db", str(new), "import-statement", "1", str(f), contains="already imported")
    # an export whose statement rows were changed is refused
    data["statement_rows"].pop()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cli.fails("--db", str(tmp_path / "x" / "l.db"), "import", str(bad), contains="do not match")
    # a statement row deleted behind depositctl's back is found by check
    conn = sqlite3.connect(cli.db)
    conn.execute("DELETE FROM statement_rows WHERE row_key LIKE '2025-03-10%'")
    conn.commit()
    conn.close()
    r = cli.run("check")
    assert r.exit_code != 0
    assert "statement row #1 2025-03-10|30000.00|ref:R1|0 is in the history but gone" in (
        r.stdout + r.stderr
    )


# -- documents' own dates ---------------------------------------------------------------------------
def test_evidence_dated_is_listed_and_shown(cli: Cli, tmp_path: Path) -> None:
    cid = add(cli)
    f = tmp_path / "收据.jpg"
    f.write_bytes(b"receipt")
    cli.ok("evidence", "add", str(cid), str(f), "--kind", "receipt", "--dated", "2025年3月5日")
    assert "dated 2025-03-05" in cli.ok("evidence", "list", str(cid)).stdout
    assert "文件日期 2025-03-05" in cli.ok("evidence", "list", lang="zh").stdout
    assert cli.ok("evidence", "list", "--json").json()[0]["dated_on"] == "2025-03-05"
    assert shown(cli, cid)["evidence"][0]["dated_on"] == "2025-03-05"
    assert "dated 2025-03-05" in cli.ok("show", str(cid)).stdout
    g = tmp_path / "合同.pdf"
    g.write_bytes(b"contract")
    cli.ok("evidence", "add", str(cid), str(g), "--kind", "contract")
    assert [e["dated_on"] for e in shown(cli, cid)["evidence"]] == ["2025-03-05", None]
    assert cli.ok("check").stdout.startswith("No problems found")


def test_evidence_dated_bad_input(cli: Cli, tmp_path: Path) -> None:
    cid = add(cli)
    f = tmp_path / "收据.jpg"
    f.write_bytes(b"receipt")
    args = ("evidence", "add", str(cid), str(f), "--kind", "receipt", "--dated")
    cli.fails(*args, "2025-02-30", contains="No such date")
    cli.fails(*args, "2099-01-01", contains="future")


def workbook(rows: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
