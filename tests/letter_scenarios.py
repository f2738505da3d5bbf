"""Ledgers for the letter matrix (tests/test_letter_matrix.py): one case each, built through
the CLI as a merchant would record it, as of the tests' `today` (2026-11-24).

Each scenario is a function `(cli) -> case id`; SCENARIOS names them in the matrix's
order. The companies and people are made up (示例); the credit codes only pass the check
digit. The evidence files are small text files with fixed content, so their SHA-256 (and
the letters' evidence lists) never change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Cli

INSTITUTION = "示例支付股份有限公司"
INSTITUTION_ADDRESS = "上海市浦东新区示例大道100号"
INSTITUTION_CODE = "91310115MA0000015C"
AGENT_COMPANY = "示例科技服务有限公司"
AGENT_ADDRESS = "浙江省杭州市西湖区示例路88号"
AGENT_CODE = "91330106MA000004X1"
COMPANY_NAME = "杭州示例商贸有限公司"
COMPANY_CODE = "91330106MA00000508"


def _profile(cli: Cli, *extra: str) -> None:
    cli.ok(
        "profile",
        "set",
        "--name",
        "王秀英",
        "--phone",
        "13800000000",
        "--address",
        "浙江省杭州市西湖区示例路1号",
        "--id-number",
        "11010519491231002X",
        *extra,
    )


def _providers(cli: Cli) -> None:
    cli.ok(
        "provider",
        "set",
        INSTITUTION,
        "--address",
        INSTITUTION_ADDRESS,
        "--credit-code",
        INSTITUTION_CODE,
        "--licence",
        "Z20XX00000001",
        "--alias",
        "示例POS",
    )
    cli.ok(
        "provider",
        "set",
        AGENT_COMPANY,
        "--kind",
        "agent-company",
        "--address",
        AGENT_ADDRESS,
        "--credit-code",
        AGENT_CODE,
    )


def _add(cli: Cli, *args: str) -> int:
    r = cli.ok(
        "add",
        "--provider",
        INSTITUTION,
        "--brand",
        "示例POS",
        "--model",
        "电签POS A8",
        "--merchant-no",
        "M8220001",
        "--agent-name",
        "李某（业务员）",
        "--agent-company",
        AGENT_COMPANY,
        *args,
    )
    return int(r.stdout.split("#")[1].split()[0])


def _evidence(cli: Cli, cid: int, name: str, content: str, *args: str) -> None:
    path = Path(name)
    path.write_text(content, encoding="utf-8")
    cli.ok("evidence", "add", str(cid), str(path), *args)


def _complained(cli: Cli, cid: int) -> None:
    """A ticketed complaint to the institution, its promise in reply, and no money."""
    cli.ok(
        "contact",
        str(cid),
        "--on",
        "2026-06-01T10:15",
        "--channel",
        "provider-complaint",
        "--ticket",
        "TS20260601001",
        "--outcome",
        "transferred",
        "--summary",
        "投诉后称由代理商处理",
        "--refund-request",
    )
    cli.ok(
        "contact",
        str(cid),
        "--on",
        "2026-06-05",
        "--channel",
        "phone",
        "--incoming",
        "--outcome",
        "promised",
        "--summary",
        "回电称将核实后处理",
    )


def _met_case(cli: Cli) -> int:
    """Condition: 30,000 yuan within 90 days of activation, refund within 15 working days;
    met on 2026-04-10, so due 2026-04-30 and long overdue."""
    cid = _add(
        cli,
        "--serial",
        "SN00A8100001",
        "--amount",
        "99",
        "--paid-on",
        "2026-03-01",
        "--paid-via",
        "first-swipe",
        "--activated-on",
        "2026-03-01",
        "--condition-volume",
        "30000",
        "--condition-days",
        "90",
        "--refund-within",
        "15wd",
        "--condition-text",
        "激活后90天内累计刷卡满3万元，押金99元在达标后15个工作日内原路退还。",
    )
    cli.ok("progress", str(cid), "--on", "2026-04-10", "--volume", "31200.50", "--count", "80")
    _evidence(
        cli, cid, "首刷扣押金凭证.txt", "2026-03-01 首笔交易扣除押金99元\n", "--kind", "receipt",
        "--dated", "2026-03-01",
    )  # fmt: skip
    _evidence(
        cli, cid, "交易流水.csv", "date,amount\n2026-04-10,31200.50\n", "--kind", "statement",
        "--dated", "2026-04-30", "--note", "证明累计交易额已达3万元",
    )  # fmt: skip
    _complained(cli, cid)
    return cid


def overdue_after_met_condition(cli: Cli) -> int:
    """An individual; the condition met, the refund overdue."""
    _profile(cli)
    _providers(cli)
    return _met_case(cli)


def failed_condition(cli: Cli) -> int:
    """An individual; 100,000 yuan within 30 days: the window ran out unmet, no refund
    time agreed (the letter argues the condition is unreasonable)."""
    _profile(cli)
    _providers(cli)
    cid = _add(
        cli,
        "--serial",
        "SN00A8100002",
        "--amount",
        "99",
        "--paid-on",
        "2026-05-01",
        "--paid-via",
        "wechat",
        "--activated-on",
        "2026-05-01",
        "--condition-volume",
        "100000",
        "--condition-days",
        "30",
        "--condition-text",
        "30天内刷满10万元退押金（业务员口头称“很容易达到”）",
    )
    cli.ok("progress", str(cid), "--on", "2026-05-30", "--volume", "5200", "--count", "12")
    _evidence(
        cli, cid, "微信转账记录.txt", "2026-05-01 微信转账99元\n", "--kind", "receipt",
        "--dated", "2026-05-01",
    )  # fmt: skip
    return cid


def no_condition_requested(cli: Cli) -> int:
    """An individual; no condition and no refund time agreed: owed once requested
    (2026-09-01, in writing), + the grace period (民法典 第511条(四))."""
    _profile(cli)
    _providers(cli)
    cid = _add(
        cli,
        "--serial",
        "SN00A8100003",
        "--amount",
        "199",
        "--paid-on",
        "2026-06-01",
        "--paid-via",
        "wechat",
        "--paid-to",
        "agent-company",
        "--no-condition",
    )
    cli.ok(
        "contact",
        str(cid),
        "--on",
        "2026-09-01",
        "--channel",
        "email",
        "--to",
        "客服邮箱",
        "--summary",
        "书面申请退还押金",
        "--refund-request",
    )
    return cid


def partial_refund(cli: Cli) -> int:
    """An individual business; refund within 30 days of the request, half paid back."""
    _profile(
        cli,
        "--capacity",
        "individual-business",
        "--business-name",
        "杭州市西湖区示例便利店",
        "--business-licence",
        "92330106MA0000058X",
        "--payee-account",
        "中国工商银行杭州西湖支行 6222 0000 0000 0000",
    )
    _providers(cli)
    cid = _add(
        cli,
        "--serial",
        "SN00A8100004",
        "--amount",
        "199",
        "--paid-on",
        "2026-02-01",
        "--paid-via",
        "bank",
        "--no-condition",
        "--refund-within",
        "30d",
    )
    cli.ok(
        "contact",
        str(cid),
        "--on",
        "2026-08-01",
        "--channel",
        "provider-complaint",
        "--ticket",
        "KF0801-55",
        "--refund-request",
    )
    cli.ok("refund", str(cid), "--amount", "100", "--on", "2026-09-15")
    return cid


def company_capacity(cli: Cli) -> int:
    """A company complains in its own name; otherwise as the met-condition case."""
    _profile(
        cli,
        "--capacity",
        "company",
        "--business-name",
        COMPANY_NAME,
        "--business-licence",
        COMPANY_CODE,
    )
    _providers(cli)
    return _met_case(cli)


SCENARIOS: dict[str, Callable[[Cli], int]] = {
    "met-overdue": overdue_after_met_condition,
    "failed": failed_condition,
    "no-condition": no_condition_requested,
    "partial-refund": partial_refund,
    "company": company_capacity,
}
