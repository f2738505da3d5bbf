"""Respondents (issue 9): `provider set/show/list`, credit codes, aliases, the brand-name
warning, history, check, export and import."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from depositctl.core.errors import UserError
from depositctl.core.respondents import (
    Provider,
    brand_warning,
    check_credit_code,
    check_id_number,
    looks_like_legal_name,
    provider_warning,
    resolve_provider,
)
from depositctl.i18n import _
from tests.conftest import Cli

#: Synthetic codes (organisation code all zeros), valid by GB 32100-2015's check digit.
CODE = "91440300000000000E"
CODE2 = "91310000000000000U"
INSTITUTION = "示例支付股份有限公司"
AGENT = "示例信息技术有限公司"


def test_the_synthetic_codes_are_valid_and_a_wrong_check_digit_is_refused() -> None:
    from stdnum.cn import uscc

    assert uscc.is_valid(CODE) and uscc.is_valid(CODE2)
    assert check_credit_code(" 9144 0300-0000 0000 0e ") == CODE  # compact, upper case
    assert check_credit_code("９１４４０３０００００００００００Ｅ") == CODE  # full-width
    with pytest.raises(UserError, match="wrong check digit"):
        check_credit_code(CODE[:-1] + "F")
    with pytest.raises(UserError, match="has 16 characters"):
        check_credit_code(CODE[:16])
    with pytest.raises(UserError, match="other than I, O, S, V, Z"):
        check_credit_code(CODE[:-1] + "I")


def test_id_numbers_are_checked() -> None:
    assert check_id_number("11010519491231002x") == "11010519491231002X"
    with pytest.raises(UserError, match="wrong check digit"):
        check_id_number("110105194912310023")
    with pytest.raises(UserError, match="has 17 characters"):
        check_id_number("11010519491231002")
    with pytest.raises(UserError, match="birth date or region"):
        check_id_number("110105194913310021")  # month 13 (check digit made valid)


@pytest.mark.parametrize(
    ("name", "legal"),
    [
        ("拉卡拉支付股份有限公司", True),
        ("示例科技有限责任公司", True),
        ("示例银行股份有限公司北京分行", True),
        ("某某投资合伙企业（有限合伙）", True),
        ("某某农村信用合作联社", True),
        ("Example Payments Co., Ltd.", True),
        ("拉卡拉", False),
        ("智慧u米", False),
        ("收钱吧", False),
        ("Lakala", False),
    ],
)
def test_legal_names_are_told_from_brands(name: str, legal: bool) -> None:
    assert looks_like_legal_name(name) is legal


PROVIDERS = [
    Provider(name=INSTITUTION, aliases=("示例支付", "ShiLi")),
    Provider(name=AGENT, kind="agent-company"),
]


def test_resolution_by_alias_and_by_legal_name() -> None:
    assert resolve_provider("示例支付", PROVIDERS) == (INSTITUTION, True)
    assert resolve_provider(" shili ", PROVIDERS) == (INSTITUTION, True)  # case and space
    assert resolve_provider(INSTITUTION, PROVIDERS) == (INSTITUTION, False)
    assert resolve_provider("拉卡拉 ", PROVIDERS) == ("拉卡拉", False)  # unknown: as typed


def test_the_brand_warning_names_the_fix() -> None:
    w = brand_warning("拉卡拉")
    text = _(w.text).format(**w.params)
    assert "depositctl provider set '<legal name>' --alias 拉卡拉" in text
    odd = brand_warning("智慧 u米")
    assert "--alias '智慧 u米'" in _(odd.text).format(**odd.params)  # one shell word
    assert provider_warning("拉卡拉", PROVIDERS) == w
    assert provider_warning("示例支付", PROVIDERS) is None  # a recorded alias
    assert provider_warning("另一支付有限公司", PROVIDERS) is None  # a legal name


def test_the_warning_is_translated() -> None:
    from depositctl import i18n

    w = brand_warning("拉卡拉")
    i18n.set_language("zh")
    try:
        text = _(w.text).format(**w.params)
    finally:
        i18n.set_language("en")
    assert "depositctl provider set '<法定名称>' --alias 拉卡拉" in text


def record(cli: Cli) -> None:
    cli.ok(
        "provider",
        "set",
        INSTITUTION,
        "--credit-code",
        CODE,
        "--address",
        "广东省深圳市示例区示例路1号",
        "--licence",
        "Z0000000000000",
        "--hotline",
        "400-000-0000",
        "--email",
        "kefu@example.com",
        "--alias",
        "示例支付",
        "--alias",
        "ShiLi",
    )
    cli.ok("provider", "set", AGENT, "--kind", "agent-company", "--credit-code", CODE2)


def test_show_and_list_json_shape(cli: Cli) -> None:
    record(cli)
    shown = cli.ok("provider", "show", "shili", "--json").json()
    assert shown == {
        "name": INSTITUTION,
        "kind": "institution",
        "credit_code": CODE,
        "address": "广东省深圳市示例区示例路1号",
        "licence": "Z0000000000000",
        "hotline": "400-000-0000",
        "email": "kefu@example.com",
        "aliases": ["ShiLi", "示例支付"],
    }
    listed = cli.ok("provider", "list", "--json").json()
    assert [p["name"] for p in listed] == sorted([INSTITUTION, AGENT])
    assert next(p for p in listed if p["name"] == AGENT)["kind"] == "agent-company"
    text = cli.ok("provider", "show", "示例支付").stdout
    assert f"Credit code: {CODE}" in text and "Aliases: ShiLi, 示例支付" in text
    assert "agent company" in cli.ok("provider", "list").stdout
    zh = cli.ok("provider", "show", AGENT, lang="zh").stdout
    assert "类型: 代理商公司" in zh


def test_set_changes_fields_and_aliases_and_logs_them(cli: Cli) -> None:
    record(cli)
    cli.ok("provider", "set", INSTITUTION, "--remove-alias", "shili", "--hotline", "")
    p = cli.ok("provider", "show", INSTITUTION, "--json").json()
    assert p["aliases"] == ["示例支付"] and p["hotline"] is None
    assert p["address"] == "广东省深圳市示例区示例路1号"  # untouched
    before = cli.snapshot()
    cli.ok("provider", "set", INSTITUTION, "--alias", "示例支付")  # nothing changes
    assert cli.snapshot() == before
    conn = sqlite3.connect(cli.db)
    entries = [
        (cid, json.loads(c))
        for cid, c in conn.execute(
            "SELECT case_id, changes FROM history WHERE action = 'provider' ORDER BY id"
        )
    ]
    conn.close()
    assert len(entries) == 3 and all(cid is None for cid, _c in entries)
    assert entries[0][1]["credit_code"] == [None, CODE]
    assert entries[2][1]["aliases"] == [["ShiLi", "示例支付"], ["示例支付"]]
    assert entries[2][1]["hotline"] == ["400-000-0000", None]
    assert cli.ok("check").stdout.startswith("No problems found")


def test_a_brand_name_is_recorded_with_the_warning(cli: Cli) -> None:
    r = cli.run("provider", "set", "拉卡拉")
    assert r.exit_code == 0
    assert "Warning:" in r.stderr and "--alias 拉卡拉" in r.stderr
    assert "Provider saved: 拉卡拉" in r.stdout


@pytest.mark.parametrize(
    ("args", "contains"),
    [
        (["--credit-code", CODE[:-1] + "F"], "wrong check digit"),
        (["--credit-code", "12345"], "has 5 characters"),
        (["--credit-code", CODE[:-1] + "O"], "other than I, O, S, V, Z"),
        (["--hotline", "call me"], "Not a phone number"),
        (["--hotline", "12"], "Not a phone number"),
        (["--email", "kefu.example.com"], "Not an email address"),
        (["--kind", "bank"], "Unknown provider kind: bank"),
        (["--kind", ""], "Unknown provider kind"),
        (["--alias", " "], "--alias needs a name"),
        (["--remove-alias", ""], "--remove-alias needs a name"),
        (["--remove-alias", "拉卡拉"], "拉卡拉 is not an alias of"),
        (["--alias", "示例支付"], "already an alias of 示例支付股份有限公司"),
        (["--alias", "ＳＨＩＬＩ"], "already an alias of"),  # full-width, other case
        (["--alias", INSTITUTION], "legal name of another provider"),
        (["--alias", AGENT], "the legal name itself"),
        (["--licence", "Z1"], "agent company holds no payment licence"),
    ],
)
def test_bad_input_fails_cleanly_and_changes_nothing(
    cli: Cli, args: list[str], contains: str
) -> None:
    record(cli)
    cli.fails("provider", "set", AGENT, *args, contains=contains)


def test_names_that_clash_fail_cleanly(cli: Cli) -> None:
    record(cli)
    cli.fails("provider", "set", "示例支付", contains="is an alias of 示例支付股份有限公司")
    cli.fails("provider", "set", "  ", contains="needs its full legal name")
    cli.fails("provider", "show", "无此机构", contains="No provider 无此机构")
    cli.fails("provider", "set", INSTITUTION, "--kind", "agent-company", contains="licence")
    r = cli.fails("provider", "set", AGENT, "--credit-code", "1", lang="zh")
    assert "不是统一社会信用代码" in r.stderr


def test_an_empty_ledger_lists_nothing(cli: Cli) -> None:
    assert cli.ok("provider", "list", "--json").json() == []
    assert "No providers recorded" in cli.ok("provider", "list").stdout


def test_check_finds_providers_changed_outside_depositctl(cli: Cli) -> None:
    record(cli)
    assert cli.ok("check").stdout.startswith("No problems found")
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE providers SET address = '别处' WHERE name = ?", [INSTITUTION])
    conn.execute("INSERT INTO provider_aliases (alias, provider_id) VALUES ('偷加', 2)")
    conn.execute("INSERT INTO providers (name) VALUES ('手工公司')")
    conn.commit()
    conn.close()
    r = cli.run("check")
    assert r.exit_code != 0
    out = r.stdout + r.stderr
    assert f"provider {INSTITUTION} differs from its history in address" in out
    assert "provider alias 偷加 is not in the history" in out
    assert "provider 手工公司 is not in the history" in out


def test_check_reports_a_dangling_alias_as_a_foreign_key_problem(cli: Cli) -> None:
    record(cli)
    conn = sqlite3.connect(cli.db)  # foreign keys are off in a plain connection
    conn.execute("INSERT INTO provider_aliases (alias, provider_id) VALUES ('孤儿', 99)")
    conn.commit()
    conn.close()
    out = cli.run("check")
    assert "points to a missing row of providers" in out.stdout + out.stderr
    assert "damaged" not in out.stdout + out.stderr


def test_export_import_round_trip_keeps_providers(cli: Cli, tmp_path: Path) -> None:
    record(cli)
    cli.ok("provider", "set", INSTITUTION, "--remove-alias", "ShiLi")
    out = tmp_path / "out.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [p["name"] for p in data["providers"]] == [INSTITUTION, AGENT]
    assert data["provider_aliases"] == [{"alias": "示例支付", "provider_id": 1}]
    new = tmp_path / "restored" / "ledger.db"
    cli.ok("--db", str(new), "import", str(out))
    for args in (["provider", "list", "--json"], ["provider", "show", "示例支付", "--json"]):
        assert cli.ok("--db", str(new), *args).json() == cli.ok(*args).json()
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    # CSV: the provider tables are written when they hold rows
    folder = tmp_path / "csv"
    assert "Wrote 10 CSV files" in cli.ok("export", "--format", "csv", "-o", str(folder)).stdout
    assert (folder / "providers.csv").is_file()


def test_import_refuses_a_provider_changed_in_the_file(cli: Cli, tmp_path: Path) -> None:
    record(cli)
    for change in (
        lambda d: d["providers"][0].update(credit_code=CODE2),
        lambda d: d["provider_aliases"].append({"alias": "加的", "provider_id": 2}),
        lambda d: d["providers"].pop(),
    ):
        data = cli.ok("export").json()
        change(data)
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        target = tmp_path / "fresh" / "ledger.db"
        Cli(target).fails("--db", str(target), "import", str(bad), contains="do not match")
        assert not target.exists()


def test_resolve_provider_op(cli: Cli) -> None:
    from depositctl.ops.env import Env
    from depositctl.ops.providers import resolve_provider as resolve

    record(cli)
    env = Env(db_path=cli.db, today=date(2026, 11, 24))
    hit = resolve(env, "ShiLi")
    assert (hit.name, hit.from_alias, hit.warning) == (INSTITUTION, True, None)
    assert hit.provider is not None and hit.provider.credit_code == CODE
    miss = resolve(env, "拉卡拉")
    assert (miss.name, miss.from_alias, miss.provider) == ("拉卡拉", False, None)
    assert miss.warning is not None and miss.warning.params["alias"] == "拉卡拉"


@pytest.mark.parametrize("word", ["代理商", "服务商", "代理商公司", "agent-company"])
def test_the_kind_is_taken_by_its_chinese_name(cli: Cli, word: str) -> None:
    cli.ok("provider", "set", AGENT, "--kind", word)
    [row] = cli.ok("provider", "list", "--json").json()
    assert row["kind"] == "agent-company"
    cli.fails("provider", "set", AGENT, "--kind", "银行", contains="代理商")
