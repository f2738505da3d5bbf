"""Issue 9 review fixes: who a case names as institution and agent company, one credit
code per provider, the business licence number, and duplicate contacts."""

from __future__ import annotations

from typing import Any

import pytest

from depositctl.core.errors import UserError
from tests.conftest import Cli

INSTITUTION = "示例支付股份有限公司"
AGENT = "代理有限公司"
CODE = "91440300000000000E"
CODE2 = "91310000000000000U"


def add(cli: Cli, *extra: str, provider: str = INSTITUTION) -> Any:
    return cli.run(
        "add", "--provider", provider, "--amount", "99", "--paid-on", "2025-03-05", *extra
    )


def shown(cli: Cli, cid: int) -> dict[str, Any]:
    data = cli.ok("show", str(cid), "--json").json()
    return data[0] if isinstance(data, list) else data


@pytest.fixture
def recorded(cli: Cli) -> Cli:
    cli.ok("provider", "set", INSTITUTION, "--alias", "示例支付")
    cli.ok("provider", "set", AGENT, "--kind", "agent-company", "--alias", "代理")
    return cli


# -- 1. institution and agent company ------------------------------------------------------
def test_an_agent_company_is_refused_as_the_provider(recorded: Cli) -> None:
    cli = recorded
    for text in (AGENT, "代理"):  # by legal name or alias
        r = cli.fails(
            "add",
            "--provider",
            text,
            "--amount",
            "99",
            "--paid-on",
            "2025-03-05",
            contains="is recorded as an agent company",
        )
        assert "--agent-company" in r.stderr and AGENT in r.stderr
    r = cli.run("add", "--provider", AGENT, "--amount", "99", "--paid-on", "2025-03-05", lang="zh")
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1
    assert "agent company" not in r.stderr  # translated
    assert add(cli).exit_code == 0
    cli.fails("edit", "1", "--provider", "代理", contains="--agent-company")


def test_an_institution_or_the_cases_provider_is_refused_as_agent_company(recorded: Cli) -> None:
    cli = recorded
    cli.fails(
        "add",
        "--provider",
        "某某支付有限公司",
        "--agent-company",
        "示例支付",
        "--amount",
        "99",
        "--paid-on",
        "2025-03-05",
        contains="is recorded as a payment institution",
    )
    # not recorded, but the same legal name as the provider (spaced differently)
    cli.fails(
        "add",
        "--provider",
        "某某支付有限公司",
        "--agent-company",
        "某某支付 有限公司",
        "--amount",
        "99",
        "--paid-on",
        "2025-03-05",
        contains="payment institution (--provider)",
    )
    assert add(cli, "--agent-company", "代理").exit_code == 0
    assert shown(cli, 1)["agent_company"] == AGENT
    # edit: the case's provider through its alias, or a recorded institution
    cli.ok("edit", "1", "--clear", "agent-company")
    cli.fails("edit", "1", "--agent-company", "示例支付", contains="--provider")
    cli.ok("edit", "1", "--provider", "某某支付有限公司")
    cli.fails("edit", "1", "--agent-company", "某某支付有限公司", contains="(--provider)")


def test_paid_to_the_agent_company_without_one_is_warned_about(recorded: Cli) -> None:
    cli = recorded
    r = add(cli, "--paid-to", "agent-company")
    assert r.exit_code == 0 and "--agent-company" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert shown(cli, 1)["paid_to"] == "agent-company"
    r = cli.ok("edit", "1", "--agent-company", AGENT)  # no warning once it is named
    r = cli.run("edit", "1", "--clear", "agent-company")
    assert r.exit_code == 0 and "--agent-company" in r.stderr
    assert add(cli, "--paid-to", "agent-company", "--agent-company", AGENT).stderr == ""
    assert add(cli, "--paid-to", "salesperson").stderr == ""
    zh = cli.run("edit", "1", "--paid-to", "agent-company", lang="zh")
    assert zh.exit_code == 0 and "--agent-company" in zh.stderr and "names none" not in zh.stderr


# -- 2. one credit code, one provider -------------------------------------------------------
def test_a_credit_code_already_recorded_is_refused_naming_its_provider(cli: Cli) -> None:
    cli.ok("provider", "set", "甲支付有限公司", "--credit-code", CODE)
    cli.fails(
        "provider",
        "set",
        "乙支付有限公司",
        "--credit-code",
        CODE.lower(),
        contains="甲支付有限公司",
    )
    cli.ok("provider", "set", "乙支付有限公司")
    cli.fails("provider", "set", "乙支付有限公司", "--credit-code", CODE, contains="甲支付有限公司")
    cli.ok("provider", "set", "乙支付有限公司", "--credit-code", CODE2)
    cli.ok("provider", "set", "甲支付有限公司", "--credit-code", CODE)  # its own code again
    r = cli.run("provider", "set", "丙有限公司", "--credit-code", CODE2, lang="zh")
    assert r.exit_code != 0 and "乙支付有限公司" in r.stderr and "already" not in r.stderr


# -- 3. business licence --------------------------------------------------------------------
def test_business_licence_takes_a_credit_code_or_a_15_digit_number() -> None:
    from depositctl.core.respondents import check_business_licence

    assert check_business_licence(" 9144 0300-0000 0000 0e ") == CODE
    assert check_business_licence("110108012345678") == "110108012345678"
    for bad in ("123", CODE[:-1] + "F", "11010801234567X", "1101080123456789"):
        with pytest.raises(UserError):
            check_business_licence(bad)


def test_profile_refuses_a_business_licence_that_is_neither(cli: Cli) -> None:
    r = cli.fails("profile", "set", "--business-licence", "123", contains="15 digits")
    assert "credit code" in r.stderr
    zh = cli.run("profile", "set", "--business-licence", "123", lang="zh")
    assert zh.exit_code != 0 and "15 digits" not in zh.stderr
    cli.ok("profile", "set", "--business-licence", "110108012345678")
    cli.ok("profile", "set", "--business-licence", CODE.lower())
    assert cli.ok("profile", "show", "--json").json()["business_licence"] == CODE


def test_a_case_file_profile_checks_the_business_licence(tmp_path: Any) -> None:
    from datetime import date

    from depositctl.store.casefile import load_casefile
    from depositctl.store.ledger import open_ledger

    with open_ledger(tmp_path / "ledger.db") as led:
        for bad in ("123", CODE[:-1] + "F"):
            with pytest.raises(UserError):
                load_casefile(led, {"profile": {"business_licence": bad}}, tmp_path, date.today())
        load_casefile(led, {"profile": {"business_licence": CODE.lower()}}, tmp_path, date.today())
        assert led.profile().business_licence == CODE


# -- 4. duplicate contacts ------------------------------------------------------------------
def contact(cli: Cli, *args: str) -> Any:
    return cli.run("contact", "1", "--channel", "phone", *args)


def test_a_ticket_differing_in_case_width_or_spaces_is_the_same_contact(cli: Cli) -> None:
    assert add(cli).exit_code == 0
    assert contact(cli, "--on", "2025-05-06T10:30", "--ticket", "T-0506").exit_code == 0
    for ticket in ("t-0506", " T - 0506 ", "Ｔ－０５０６"):
        cli.fails(
            "contact",
            "1",
            "--channel",
            "phone",
            "--on",
            "2025-05-06T10:30",
            "--ticket",
            ticket,
            contains="C1",
        )
    assert contact(cli, "--on", "2025-05-06T10:30", "--ticket", "t-0506", "--again").exit_code == 0


def test_a_contact_without_time_matches_on_the_day(cli: Cli) -> None:
    assert add(cli).exit_code == 0
    assert contact(cli, "--on", "2025-05-06", "--ticket", "A1").exit_code == 0
    # the new one has a time, the recorded one none
    cli.fails(
        "contact",
        "1",
        "--channel",
        "phone",
        "--on",
        "2025-05-06T09:00",
        "--ticket",
        "a1",
        contains="C1",
    )
    assert contact(cli, "--on", "2025-05-07T09:00", "--ticket", "A1").exit_code == 0
    # the new one has no time, the recorded one has
    cli.fails(
        "contact", "1", "--channel", "phone", "--on", "2025-05-07", "--ticket", "A1", contains="C2"
    )
    # another day, channel or ticket is another contact; two times both given differ
    assert contact(cli, "--on", "2025-05-07T10:00", "--ticket", "A1").exit_code == 0
    assert contact(cli, "--on", "2025-05-07", "--ticket", "A2").exit_code == 0
    assert contact(cli, "--on", "2025-05-08", "--ticket", "A1").exit_code == 0
    assert contact(cli, "--on", "2025-05-07", "--ticket", "A1", "--again").exit_code == 0
