"""Letters name the right respondents (issue 9): the institution and the agent company
from the provider records, the merchant's capacity, the documents' own dates; a 12315 or
12363 letter is refused while the institution has no address."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from depositctl.core.errors import UserError
from depositctl.core.models import ProfileChanges
from tests.conftest import TODAY, Cli
from tests.test_letters import _pdf_text, load_demo

PROVIDER = "示例支付股份有限公司"
ADDRESS = "上海市浦东新区示例大道100号"
CODE = "91310115MA0000015C"  # passes the GB 32100-2015 check digit (fictional)
AGENT = "示例科技服务有限公司"
AGENT_CODE = "91330106MA000004X1"
FIX = f"depositctl provider set '{PROVIDER}' --address <地址>"


def text_of(cli: Cli, cid: int | str, recipient: str, *more: str) -> tuple[str, str]:
    r = cli.run("letter", str(cid), "--to", recipient, *more)
    assert r.exit_code == 0, r.stderr
    return r.stdout, r.stderr


def complain_to_provider(cli: Cli, cid: int | str) -> None:
    """A complaint to the institution itself: 12363 takes the case only after one."""
    cli.ok("contact", str(cid), "--on", "2025-07-01", "--channel", "provider-complaint")


def set_profile(cli: Cli, **fields: str) -> None:
    from depositctl.store.ledger import open_ledger

    with open_ledger(cli.db) as led:
        led.set_profile(ProfileChanges(name="王秀英", phone="13800000000", **fields))


# -- refusal without the institution's address ---------------------------------------------


@pytest.mark.parametrize("recipient", ["12315", "12363"])
def test_refused_without_an_address_then_written_with_it(
    cli: Cli, case_id: int, tmp_path: Path, recipient: str
) -> None:
    target = tmp_path / "letter.docx"
    if recipient == "12363":
        complain_to_provider(cli, case_id)  # else refused for want of it, first
    r = cli.fails("letter", str(case_id), "--to", recipient, "-o", str(target))
    assert FIX in r.stderr and "not written" in r.stderr
    assert r.stdout == "" and not target.exists()
    zipped = tmp_path / "case.zip"
    cli.fails("bundle", str(case_id), "--to", recipient, "-o", str(zipped), contains=FIX)
    assert not zipped.exists()
    # the rule's citation comes from the rule table (SAMR order 121; PBoC rules Art. 41)
    assert ("第十条、第十六条" if recipient == "12315" else "第四十一条") in r.stderr
    assert "暂行办法" not in r.stderr  # never the repealed order 20

    cli.ok("provider", "set", PROVIDER, "--address", ADDRESS, "--credit-code", CODE)
    r = cli.run("letter", str(case_id), "--to", recipient, "-o", str(target))
    assert r.exit_code == 0, r.stderr
    assert target.exists()
    text, _ = text_of(cli, case_id, recipient)
    assert f"- 地址：{ADDRESS}" in text and f"- 统一社会信用代码：{CODE}" in text
    r = cli.run("bundle", str(case_id), "--to", recipient, "-o", str(zipped))
    assert r.exit_code == 0 and zipped.exists()


def test_refusal_is_translated(cli: Cli, case_id: int) -> None:
    r = cli.fails("letter", str(case_id), "--to", "12315", lang="zh")
    assert "未生成" in r.stderr and FIX in r.stderr


def test_provider_and_consumer_association_letters_are_not_refused(cli: Cli, case_id: int) -> None:
    text, stderr = text_of(cli, case_id, "provider")
    assert "地址：" not in text.split("## 一、")[0]  # no empty address under 致：
    assert "respondent's address" not in stderr
    text, stderr = text_of(cli, case_id, "consumer-association")
    assert f"no address is recorded for {PROVIDER}" in stderr and FIX in stderr
    assert "None" not in text and "地址：\n" not in text


def test_a_brand_name_gets_the_alias_command_and_resolves_once_recorded(cli: Cli) -> None:
    r = cli.run(
        "add", "--provider", "示例宝", "--amount", "99", "--paid-on", "2025-03-05", "--no-condition"
    )
    cid = r.stdout.split("#")[1].split()[0]
    cli.ok(
        "contact", cid, "--on", "2025-03-10", "--channel", "provider-complaint", "--refund-request"
    )
    cli.fails(
        "letter",
        cid,
        "--to",
        "12363",
        contains="depositctl provider set '<legal name>' --alias 示例宝 --address <地址>",
    )
    cli.ok("provider", "set", "示例收单服务有限公司", "--alias", "示例宝", "--address", ADDRESS)
    text, _ = text_of(cli, cid, "12363")
    assert "- 名称：示例收单服务有限公司（" in text and f"- 地址：{ADDRESS}" in text


# -- the fields recorded, and those left out -----------------------------------------------


def test_missing_licence_and_credit_code_are_left_out(cli: Cli, case_id: int) -> None:
    cli.ok("provider", "set", PROVIDER, "--address", ADDRESS)
    complain_to_provider(cli, case_id)
    text, _ = text_of(cli, case_id, "12363")
    block = text.split("## 二、被投诉机构")[1].split("## 三")[0]
    assert f"- 地址：{ADDRESS}" in block
    assert "统一社会信用代码" not in block and "许可证" not in block
    assert "None" not in text and "：\n" not in text and "（）" not in text
    cli.ok("provider", "set", PROVIDER, "--credit-code", CODE, "--licence", "Z20XX00000001")
    block = text_of(cli, case_id, "12363")[0].split("## 二、被投诉机构")[1].split("## 三")[0]
    lines = [x for x in block.splitlines() if x]
    assert lines[1:4] == [
        f"- 地址：{ADDRESS}",
        f"- 统一社会信用代码：{CODE}",
        "- 支付业务许可证号：Z20XX00000001",
    ]


def test_demo_names_both_respondents_in_md_docx_and_pdf(cli: Cli, tmp_path: Path) -> None:
    import docx

    load_demo(cli)
    # the demo's merchant is an individual business: 12315 only with --force
    md, _ = text_of(cli, 1, "12315", "--force")
    for needle in (ADDRESS, CODE, "Z20XX00000001", AGENT, AGENT_CODE, "第二被投诉方"):
        assert needle in md, needle
    # 12363 takes the institution only: the agent company is named as the seller
    md63, _ = text_of(cli, 1, "12363")
    assert f"- 销售机具的代理商/服务商：{AGENT}" in md63 and "第二被投诉" not in md63
    provider, _ = text_of(cli, 1, "provider")
    assert f"抄送：{AGENT}（销售机具的代理商/服务商）" in provider
    # case 7: the agent company took the deposit
    r = cli.run("letter", "7", "--to", "consumer-association", "--force")  # not due yet
    assert "销售POS机具并收取押金的一方" in r.stdout

    target = tmp_path / "l.docx"
    assert cli.run("letter", "1", "--to", "12315", "--force", "-o", str(target)).exit_code == 0
    doc = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    for needle in (ADDRESS, CODE, AGENT, AGENT_CODE):
        assert needle in doc, needle

    from depositctl.render.pdf_writer import choose_font

    if not choose_font().embedded:
        assert not os.environ.get("DEPOSITCTL_TEST_REQUIRE_CJK_FONT"), "no CJK font found"
        pytest.skip("no CJK TrueType font on this machine")
    pdf = tmp_path / "l.pdf"
    assert cli.run("letter", "1", "--to", "12315", "--force", "-o", str(pdf)).exit_code == 0
    text = _pdf_text(pdf).replace("\n", "")
    for needle in (ADDRESS, CODE, AGENT, AGENT_CODE):
        assert needle in text, needle


def test_evidence_list_gives_the_documents_own_date(cli: Cli) -> None:
    load_demo(cli)
    text, _ = text_of(cli, 1, "provider")
    assert (
        "- 附件1：首刷扣押金凭证.txt（付款凭证；文件日期2025年3月5日；SHA-256前12位 "
        "e8a4f3be43a0，可据此核对文件未被改动）；说明：2025-03-05 首笔交易扣除押金99元\n"
    ) in text
    # an evidence record without one gives the day it was recorded
    assert "业务员承诺聊天记录.txt（承诺记录；文件日期未记录，登记于2026年11月24日；" in text
    # the text refers to the list by the same numbers
    assert "交纳方式：从首笔刷卡交易中扣除（首刷扣押金），见附件1" in text


# -- the merchant's capacity -----------------------------------------------------------------


def test_individual_is_the_default_wording(cli: Cli, case_id: int) -> None:
    set_profile(cli)
    cli.ok("provider", "set", PROVIDER, "--address", ADDRESS)
    complain_to_provider(cli, case_id)
    assert (
        "- 姓名：王秀英（个人，使用被投诉机构POS收款服务的金融消费者）"
        in text_of(cli, case_id, "12363")[0]
    )
    assert "本人王秀英于2025年3月5日" in text_of(cli, case_id, "provider")[0]


def test_individual_business_wording(cli: Cli, case_id: int) -> None:
    set_profile(
        cli,
        capacity="individual-business",
        business_name="杭州市西湖区示例便利店",
        business_licence="92330106MA0000058X",
    )
    cli.ok("provider", "set", PROVIDER, "--address", ADDRESS)
    complain_to_provider(cli, case_id)
    text, _ = text_of(cli, case_id, "12363")
    assert "## 一、投诉人（金融消费者）" in text
    assert "- 姓名：王秀英（个体工商户经营者，使用被投诉机构POS收款服务的金融消费者）" in text
    assert "- 个体工商户名称：杭州市西湖区示例便利店" in text
    assert "- 统一社会信用代码（营业执照）：92330106MA0000058X" in text
    letter, _ = text_of(cli, case_id, "provider")
    assert "本人王秀英（个体工商户“杭州市西湖区示例便利店”经营者）于" in letter
    # an older registration number is not called a credit code
    set_profile(cli, business_licence="330106600123456")
    assert "- 营业执照注册号：330106600123456" in text_of(cli, case_id, "12363")[0]


def test_company_speaks_in_its_own_name(cli: Cli, case_id: int) -> None:
    set_profile(
        cli, capacity="company", business_name="示例商贸有限公司", business_licence=AGENT_CODE
    )
    cli.ok("provider", "set", PROVIDER, "--address", ADDRESS)
    # not daily-life consumption (a consumer association serves consumers, 消保法 第二条;
    # order 121 does not bind it): refused unless forced, naming the routes that fit
    r = cli.fails("letter", str(case_id), "--to", "consumer-association")
    assert "not written" in r.stderr and "daily-life consumption only" in r.stderr
    assert "消费者权益保护法》第二条" in r.stderr and "第十六条" not in r.stderr
    assert "12315 report" in r.stderr and "court" in r.stderr and "12363" not in r.stderr
    assert "--force" in r.stderr and r.stdout == ""
    text, stderr = text_of(cli, case_id, "consumer-association", "--force")
    assert "## 一、投诉人\n" in text
    assert "- 名称：示例商贸有限公司（企业，申领并使用POS收款服务）" in text
    assert "- 联系人：王秀英" in text and "个人" not in text.split("## 二")[0]
    assert "投诉人：示例商贸有限公司（盖章）" in text and "经办人：王秀英" in text
    # forced, it is still warned that it will likely be refused
    assert "daily-life consumption only" in stderr and "expect it to be refused" in stderr
    assert "12315 report" in stderr and "court" in stderr and "12363" not in stderr
    # the consumer-only rules are not cited for a company
    assert "第二十条（要旨）" not in text and "如系为生活消费需要" not in text
    letter, _ = text_of(cli, case_id, "provider")
    assert "本公司示例商贸有限公司于2025年3月5日" in letter
    assert "原路退回本公司。" in letter and "## 九、本公司联系方式" in letter
    assert "本人" not in letter
    assert "None" not in letter and "：\n" not in letter


def test_company_without_a_business_name_is_warned(cli: Cli, case_id: int) -> None:
    set_profile(cli, capacity="company")
    _, stderr = text_of(cli, case_id, "provider")
    assert "depositctl profile set --business-name NAME" in stderr
    text = cli.run("letter", str(case_id), "--to", "provider", "--format", "txt").stdout
    assert "本公司________________于" in text  # a blank to fill in, never "None"


# -- the case file -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"profile": {"capacity": "sole-trader"}}, "Unknown capacity"),
        ({"profile": {"id_number": "110101199003071234"}}, "check digit"),
        ({"providers": [{"name": PROVIDER, "credit_code": CODE[:-1] + "0"}]}, "check digit"),
        ({"providers": [{"name": PROVIDER, "hotline": "12"}]}, "Not a phone number"),
        ({"providers": [{"name": PROVIDER, "street": "x"}]}, "unknown field street"),
    ],
)
def test_case_file_values_are_checked_like_the_cli(
    cli: Cli, content: dict[str, object], message: str
) -> None:
    from depositctl.store.casefile import load_casefile
    from depositctl.store.ledger import open_ledger

    with open_ledger(cli.db) as led, pytest.raises(UserError, match=message):
        load_casefile(led, content, Path("."), date.fromisoformat(TODAY))
    assert cli.snapshot().get("providers") is None  # all or nothing


def test_case_file_aliases_resolve_to_the_legal_name(cli: Cli) -> None:
    from depositctl.store.casefile import load_casefile
    from depositctl.store.ledger import open_ledger

    content = {
        "providers": [{"name": PROVIDER, "address": ADDRESS, "aliases": ["示例POS"]}],
        "cases": [{"provider": "示例POS", "amount": "99", "paid_on": "2025-03-05"}],
    }
    with open_ledger(cli.db) as led:
        (cid,) = load_casefile(led, content, Path("."), date.fromisoformat(TODAY))
        assert led.case(cid).provider == PROVIDER


@pytest.mark.parametrize(
    ("paid_to", "agent", "wording"),
    [
        # not recorded: the letter does not say to whom it was paid
        (None, None, "并交纳押金"),
        ("institution", None, "并向贵司交纳押金"),
        (
            "agent-company",
            "示例科技服务有限公司",
            "押金由贵司的代理商示例科技服务有限公司代为收取",
        ),
        ("salesperson", None, "押金由贵司的业务员李某代为收取"),
    ],
)
def test_the_demand_says_who_took_the_money(
    cli: Cli, paid_to: str | None, agent: str | None, wording: str
) -> None:
    args = ["add", "--provider", "示例支付股份有限公司", "--amount", "99"]
    args += ["--paid-on", "2025-03-05", "--no-condition", "--agent-name", "李某"]
    if paid_to:
        args += ["--paid-to", paid_to]
    if agent:
        args += ["--agent-company", agent]
    cli.run(*args)
    r = cli.run("letter", "1", "--to", "provider")
    assert r.exit_code == 0, r.stderr
    assert wording in r.stdout
    phrases = ("并交纳押金", "并向贵司交纳押金", "押金由贵司的代理商", "押金由贵司的业务员")
    assert [p for p in phrases if p in r.stdout] == [p for p in phrases if wording.startswith(p)]
