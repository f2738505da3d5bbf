"""The route verdicts of core/channels (DESIGN.md part 2, "Channels"; issue 10), one rule at a
time: capacity x channel x history x today; then `channels ID [--json]` and its agreement
with `status`'s next action."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from depositctl.core.caseview import CaseView
from depositctl.core.channels import ROUTES, VERDICTS, ChannelVerdict, next_verdict, verdicts
from depositctl.core.deadlines import evaluate
from depositctl.core.models import Case, CaseFacts, Condition, Contact, RefundWithin
from depositctl.core.rules import Rules
from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
from depositctl.data import rules as load_rules
from tests.conftest import Cli

TODAY = date(2026, 11, 24)
CAL = WorkdayCalendar(chinese_calendar_lookup())
RULES: Rules = load_rules()


def D(text: str) -> date:
    return date.fromisoformat(text)


def case(**kw: Any) -> Case:
    """Unconditional, refund within 30 days of the request: overdue once requested early."""
    base: dict[str, Any] = {
        "id": 1,
        "provider": "示例支付股份有限公司",
        "amount": Decimal("99.00"),
        "paid_on": D("2025-03-05"),
        "condition": Condition(none=True),
        "refund_within": RefundWithin(n=30, unit="d"),
    }
    base.update(kw)
    return Case(**base)


_ids = itertools.count(1)


def contact(on: str, channel: str, **kw: Any) -> Contact:
    return Contact(id=next(_ids), case_id=1, on=D(on), channel=channel, **kw)


def request() -> Contact:
    """The refund asked of the sales agent on the day of payment: due 2025-04-04, overdue
    ever since; no complaint to the provider yet."""
    return contact("2025-03-05", "agent", refund_request=True)


def complained() -> Contact:
    """The provider's complaint line, long enough ago for its 15 days to be over."""
    return contact("2026-06-01", "provider-complaint", ticket="T-1")


def demand(on: str, delivered: str | None) -> Contact:
    """The provider's 催告函 as `sent` records it."""
    return contact(
        on,
        "provider-complaint",
        letter="provider",
        via="ems",
        refund_request=True,
        delivered_on=D(delivered) if delivered else None,
    )


def judge(
    *contacts: Contact,
    capacity: str | None = None,
    today: date = TODAY,
    c: Case | None = None,
) -> tuple[CaseView, dict[str, ChannelVerdict]]:
    facts = CaseFacts(case=c or case(), contacts=contacts)
    view = evaluate(facts, today, CAL, RULES, capacity=capacity)
    found = verdicts(view, capacity=capacity, rules=RULES, cal=CAL)
    assert tuple(v.channel for v in found) == ROUTES
    return view, {v.channel: v for v in found}


def kinds(found: dict[str, ChannelVerdict]) -> dict[str, str]:
    return {k: v.verdict for k, v in found.items()}


# -- capacity x channel -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [
        (
            None,  # unset: an individual
            {
                "provider": "available",
                "12363": "next",
                "12315": "available",
                "12315-report": "available",
                "consumer-association": "available",
                "pcac": "unsuitable",
                "blackcat": "available",
                "court": "available",
            },
        ),
        (
            "individual-business",
            {
                "provider": "available",
                "12363": "next",
                "12315": "unsuitable",
                "12315-report": "available",
                "consumer-association": "unsuitable",
                "pcac": "unsuitable",
                "blackcat": "available",
                "court": "available",
            },
        ),
        (
            "company",
            {
                "provider": "next",
                "12363": "unsuitable",
                "12315": "unsuitable",
                "12315-report": "available",
                "consumer-association": "unsuitable",
                "pcac": "unsuitable",
                "blackcat": "available",
                "court": "available",
            },
        ),
    ],
)
def test_capacity_decides_each_channel(capacity: str | None, expected: dict[str, str]) -> None:
    view, found = judge(request(), capacity=capacity)
    assert found["provider"].verdict == "next"  # always first: the complaint line
    assert view.next_action.code == "call_provider"
    view, found = judge(request(), complained(), capacity=capacity)
    assert kinds(found) == expected
    chosen = next_verdict(tuple(found.values()))
    assert chosen is not None and chosen.action == view.next_action
    if capacity == "company":
        assert view.next_action.code == "write_demand"
        assert found["12363"].basis == "pboc_scope"
        assert found["12315"].basis == "samr_refusal_scope"
    else:
        assert view.next_action.code == "file_12363"
    # Every basis names a rule of the table, printed with its citation.
    for v in found.values():
        if v.basis is not None:
            assert v.citation == RULES[v.basis].citation
    assert found["blackcat"].basis is None  # publicity only: no rule speaks for it


def test_individual_12315_warns_that_a_business_terminal_may_be_refused() -> None:
    _, found = judge(request(), complained())
    assert found["12315"].verdict == "available"
    assert found["12315"].basis == "samr_refusal_scope"
    assert "business" in found["12315"].reason
    assert found["consumer-association"].basis == "consumer_scope"


def test_pcac_needs_an_agent_company_or_salesperson() -> None:
    for kw in ({"agent_company": "某代理商有限公司"}, {"paid_to": "salesperson"}):
        _, found = judge(request(), c=case(**kw))
        assert found["pcac"].verdict == "available"
        assert found["pcac"].basis == "pcac_outsourcing"
    _, found = judge(request(), c=case(paid_to="institution"))
    assert found["pcac"].verdict == "unsuitable"


# -- the institution's 15 days ------------------------------------------------------------


def test_12363_waits_for_the_institutions_answer_or_its_15_days() -> None:
    complaint = contact("2026-11-01", "phone", ticket="GD-9")
    on_day_15 = D("2026-11-16")
    view, found = judge(request(), complaint, today=on_day_15)
    assert found["12363"].verdict == "not-yet"
    assert found["12363"].opens_on == D("2026-11-17")
    assert found["12363"].basis == "pboc_institution_answer"
    assert next_verdict(tuple(found.values())) is None
    assert view.next_action.code == "await_channel"
    assert view.next_deadline == D("2026-11-17")
    view, found = judge(request(), complaint, today=D("2026-11-17"))
    assert found["12363"].verdict == "next"
    assert view.next_action.code == "file_12363"


def test_an_answer_of_the_institution_opens_12363_at_once() -> None:
    complaint = contact("2026-11-01", "provider-complaint")
    answer = contact("2026-11-05", "phone", incoming=True, outcome="refused")
    view, found = judge(request(), complaint, today=D("2026-11-06"))
    assert view.next_action.code == "await_answer"  # its 15 days run to 2026-11-16
    assert found["12363"].verdict == "not-yet"
    view, found = judge(request(), complaint, answer, today=D("2026-11-06"))
    assert found["12363"].verdict == "next"
    assert view.next_action.code == "file_12363"


# -- a 12315 acceptance shuts out the consumer association and the court ----------------


def test_after_12315_accepted_the_other_two_are_unsuitable_until_it_ends() -> None:
    filed = contact("2026-09-01", "12315")
    accepted = contact("2026-09-08", "12315", incoming=True, outcome="accepted")
    during = D("2026-10-01")
    _, found = judge(request(), complained(), filed, accepted, today=during)
    assert found["12315"].verdict == "used"
    assert found["12315"].used_on == D("2026-09-01")
    assert found["12315"].outcome == "accepted"
    for route in ("consumer-association", "court"):
        assert found[route].verdict == "unsuitable", route
        assert found[route].basis == "samr_refusal_taken"
        assert found[route].opens_on == D("2026-11-08")  # 60 days after acceptance, + 1
    # 12363 is not one of the three, but while 12315 mediates (its 60 days are the
    # accepted reply's follow-up) the next action is to wait for it.
    assert found["12363"].verdict == "available"
    # Mediation failed: the association and the court are open again.
    failed = contact("2026-10-10", "12315", incoming=True, outcome="mediation-failed")
    _, found = judge(request(), complained(), filed, accepted, failed, today=D("2026-10-20"))
    assert found["consumer-association"].verdict == "available"
    assert found["court"].verdict == "available"
    assert found["12315"].outcome == "mediation-failed"
    # 60 days after acceptance without agreement: the same.
    _, on_60th = judge(request(), filed, accepted, today=D("2026-11-07"))
    assert on_60th["court"].verdict == "unsuitable"
    _, after = judge(request(), filed, accepted, today=D("2026-11-08"))
    assert after["court"].verdict == "available"
    assert after["consumer-association"].verdict == "available"


def test_an_accepted_court_case_shuts_out_12315_and_the_association() -> None:
    sued = contact("2026-10-01", "court", outcome="accepted")
    _, found = judge(request(), sued, today=D("2027-03-01"))
    assert found["court"].verdict == "used"
    assert found["12315"].verdict == "unsuitable"
    assert found["12315"].basis == "samr_refusal_taken"
    assert found["consumer-association"].opens_on is None  # a court case has no 60 days


# -- court ---------------------------------------------------------------------------------


def test_court_not_before_the_refund_is_overdue() -> None:
    asked = contact("2026-11-20", "email", refund_request=True)  # due 2026-12-20
    view, found = judge(asked)
    assert view.state.value == "refund_pending"
    assert found["court"].verdict == "not-yet"
    assert found["court"].opens_on == D("2026-12-21")
    assert found["12363"].verdict == "not-yet"
    assert next_verdict(tuple(found.values())) is None
    _, late = judge(asked, today=D("2026-12-21"))
    assert late["court"].verdict == "available"


@pytest.mark.parametrize("capacity", [None, "individual-business", "company"])
def test_court_is_next_after_an_ignored_delivered_demand(capacity: str | None) -> None:
    history = [
        request(),
        complained(),
        contact("2026-06-20", "12363"),
        demand("2026-10-01", "2026-10-03"),
    ]
    # The reply date: delivery + the default grace period (15 days) = 2026-10-18.
    view, found = judge(*history, capacity=capacity, today=D("2026-10-18"))
    assert found["court"].verdict == "available"
    assert view.next_action.code == "await_answer"  # the 催告函's reply-by date
    assert view.next_deadline == D("2026-10-18")
    view, found = judge(*history, capacity=capacity, today=D("2026-10-19"))
    assert found["court"].verdict == "next"
    assert found["court"].basis == "limitation_delivery"
    assert view.next_action.code == "file_court"
    assert found["provider"].verdict == "used"
    assert found["provider"].used_on == D("2026-10-03")


def test_court_waits_while_a_regulator_is_pending() -> None:
    pending = contact("2026-10-15", "12363")  # 7 working days + 15 days: to 2026-11-09
    history = [request(), complained(), demand("2026-10-01", "2026-10-03"), pending]
    view, found = judge(*history, today=D("2026-11-10"))
    assert found["court"].verdict == "available"
    assert next_verdict(tuple(found.values())) is None
    assert view.next_action.code == "await_channel"
    assert view.next_deadline == D("2026-11-10")
    _, found = judge(*history, today=D("2026-11-11"))
    assert found["court"].verdict == "next"


def test_a_demand_not_yet_delivered_or_answered() -> None:
    sent = demand("2026-10-01", None)
    view, found = judge(request(), complained(), sent, capacity="company")
    assert found["provider"].verdict == "next"
    assert view.next_action.code == "confirm_delivery"
    assert found["court"].verdict == "available"
    delivered = demand("2026-10-01", "2026-10-03")
    refusal = contact("2026-10-10", "phone", incoming=True, outcome="refused")
    view, _ = judge(request(), delivered, refusal, capacity="company")
    assert view.next_action.code == "file_court"  # a refusal is no reason to wait
    promise = contact("2026-10-10", "phone", incoming=True, outcome="refund-promised")
    view, found = judge(request(), delivered, promise, capacity="company")
    assert view.next_action.code == "hold_provider"
    assert found["court"].verdict == "available"


def test_the_limitation_period_puts_the_written_demand_first() -> None:
    old = case(promised_refund_on=D("2024-02-29"))  # limitation ends 2027-02-28
    view, found = judge(request(), complained(), today=D("2026-09-02"), c=old)
    assert view.limitation_warning
    assert found["provider"].verdict == "next"
    assert found["provider"].basis == "limitation_interrupt"
    assert view.next_action.code == "stop_limitation"
    assert found["12363"].verdict == "available"


def test_closed_and_refunded_cases_have_no_next() -> None:
    used = contact("2026-01-01", "blackcat")
    _, found = judge(request(), used, c=case(closed_on=TODAY))
    assert next_verdict(tuple(found.values())) is None
    assert found["blackcat"].verdict == "used"
    assert {v.verdict for k, v in found.items() if k != "blackcat"} == {"unsuitable"}


# -- exactly one `next` whenever something is to be done -----------------------------------

WAITS = {"await_answer", "await_channel", "await_body", "wait_refund", "follow_up_then_wait"}
NOT_ON_A_CHANNEL = {
    "activate",
    "return_device",
    "record_progress",
    "record_progress_plain",
    "none_closed",
    "none_refunded",
}

HISTORIES: list[list[Contact]] = [
    [],
    [request()],
    [request(), complained()],
    [contact("2026-11-20", "email", refund_request=True)],
    [request(), contact("2026-11-10", "provider-complaint")],
    [request(), contact("2026-06-01", "12363")],
    [request(), complained(), contact("2026-06-20", "12363")],
    [request(), contact("2026-11-12", "phone", ticket="GD-2")],
    [request(), contact("2026-11-20", "12363")],
    [request(), complained(), contact("2026-06-20", "12363"), demand("2026-09-01", None)],
    [request(), complained(), contact("2026-06-20", "12363"), demand("2026-11-01", "2026-11-12")],
    [request(), complained(), contact("2026-06-20", "12363"), demand("2026-11-15", "2026-11-17")],
    [request(), complained(), contact("2026-06-20", "12363"), demand("2026-09-01", "2026-09-03")],
    [
        request(),
        demand("2026-09-01", "2026-09-03"),
        contact("2026-09-10", "phone", incoming=True, outcome="promised"),
    ],
    [
        request(),
        contact("2026-10-01", "12315"),
        contact("2026-10-05", "12315", incoming=True, outcome="accepted"),
    ],
    [request(), contact("2026-10-01", "court"), contact("2026-10-05", "court", incoming=True)],
    [request(), contact("2026-11-01", "blackcat"), contact("2026-11-02", "12315-report")],
]
CASES = [
    case(),
    case(condition=Condition(volume=Decimal("50000"), days=90), activated_on=D("2025-03-05")),
    case(condition=Condition(on_return=True)),
    case(condition=Condition(volume=Decimal("50000"), days=90), activated_on=D("2026-11-01")),
    case(agent_company="某代理商有限公司", promised_refund_on=D("2023-12-01")),
    case(closed_on=TODAY),
]


@pytest.mark.parametrize("capacity", [None, "individual", "individual-business", "company"])
@pytest.mark.parametrize("today", [TODAY, D("2026-12-31"), D("2025-03-06")])
def test_exactly_one_next_whenever_something_is_to_be_done(
    capacity: str | None, today: date
) -> None:
    seen: set[str] = set()
    for c, history in itertools.product(CASES, HISTORIES):
        contacts = [x for x in history if x.on <= today]
        view, found = judge(*contacts, capacity=capacity, today=today, c=c)
        assert all(v.verdict in VERDICTS for v in found.values())
        nexts = [v for v in found.values() if v.verdict == "next"]
        code = view.next_action.code
        seen.add(code)
        if code in WAITS or code in NOT_ON_A_CHANNEL:
            assert nexts == [], (code, nexts)
        else:
            assert len(nexts) == 1, (code, kinds(found))
            assert nexts[0].action == view.next_action  # status's next action is the route's
        for v in found.values():
            if v.verdict == "not-yet" and v.channel == "court":
                assert view.state.value != "overdue"
            if v.verdict == "used":
                assert v.used_on is not None
    if today == TODAY:
        expected = {"call_provider", "write_demand", "file_court", "await_answer"}
        if capacity != "company":
            expected.add("file_12363")
        assert expected <= seen, seen


# -- the command --------------------------------------------------------------------------


def add_overdue(cli: Cli, *extra: str) -> int:
    r = cli.ok(
        "add",
        "--provider",
        "示例支付股份有限公司",
        "--amount",
        "99",
        "--paid-on",
        "2025-03-05",
        "--no-condition",
        *extra,
    )
    m = re.search(r"#(\d+)", r.stdout)
    assert m, r.stdout
    cid = m.group(1)
    cli.ok("contact", cid, "--on", "2025-03-05", "--channel", "agent", "--refund-request")
    return int(cid)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_channels_json_shape(cli: Cli, lang: str) -> None:
    cid = add_overdue(cli)
    items = cli.ok("channels", str(cid), "--json", lang=lang).json()
    assert [i["channel"] for i in items] == list(ROUTES)
    for item in items:
        assert {"channel", "verdict", "reason", "basis", "opens_on"} <= set(item)
        assert item["verdict"] in VERDICTS  # English whatever --lang
        assert item["opens_on"] is None or date.fromisoformat(item["opens_on"])
        assert item["reason"]
    by = {i["channel"]: i for i in items}
    assert by["provider"]["verdict"] == "next"
    assert by["provider"]["action_code"] == "call_provider"
    assert by["12363"]["verdict"] == "not-yet"
    assert by["12363"]["basis"] == "pboc_complaint"
    assert by["court"]["citation"].startswith("《中华人民共和国民事诉讼法》")
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", by["provider"]["reason"])


def test_status_next_action_is_the_next_channels_action(cli: Cli) -> None:
    cid = add_overdue(cli)
    cli.ok("contact", str(cid), "--on", "2026-11-01", "--channel", "phone", "--ticket", "GD1")
    for capacity in ("individual", "company"):
        cli.ok("profile", "set", "--capacity", capacity)
        items = cli.ok("channels", str(cid), "--json").json()
        nexts = [i for i in items if i["verdict"] == "next"]
        assert len(nexts) == 1
        row = cli.ok("status", "--json").json()[0]
        assert row["next_action_code"] == nexts[0]["action_code"]
        assert row["next_action"] == nexts[0]["action"]
        expected = {"individual": "12363", "company": "provider"}[capacity]
        assert nexts[0]["channel"] == expected


def test_channels_table_in_both_languages(cli: Cli) -> None:
    cid = add_overdue(cli, "--agent-company", "某代理商有限公司")
    en = cli.ok("channels", str(cid)).stdout
    assert f"Channels for #{cid}" in en
    assert "中国支付清算协会" in en and "人民法院" in en
    assert "next" in en and "call the provider" in en
    zh = cli.ok("channels", str(cid), lang="zh").stdout
    assert "人民法院" in zh
    assert "available" not in zh and "next" not in zh.lower().replace("depositctl", "")


def test_channels_of_an_unknown_case_is_one_clear_line(cli: Cli) -> None:
    add_overdue(cli)
    cli.fails("channels", "9", contains="#9")
    cli.fails("channels", "x")
    cli.fails("channels", "9", "--json", contains="#9")


def test_channels_reads_the_day_given(cli: Cli) -> None:
    cid = add_overdue(cli)
    cli.ok("contact", str(cid), "--on", "2026-11-20", "--channel", "provider-complaint")
    before = cli.ok("channels", str(cid), "--json").json()
    assert {i["channel"]: i["opens_on"] for i in before}["12363"] == "2026-12-06"
    after = cli.ok("--today", str(D("2026-12-06")), "channels", str(cid), "--json").json()
    assert {i["channel"]: i["verdict"] for i in after}["12363"] == "next"
    assert D("2026-12-06") - D("2026-11-20") == timedelta(days=16)


def test_the_demo_shows_the_channels_of_its_most_urgent_case(cli: Cli) -> None:
    out = cli.ok("demo").stdout
    head, _, rest = out.partition("Which channel fits #1 now (depositctl channels 1):")
    assert "Deposits as of" in head and rest
    assert "人民法院" in rest and "Next:" in rest
    assert not cli.db.exists()


def test_status_reads_every_contact_the_verdicts_need(cli: Cli) -> None:
    """`status` reads a subset of the contacts (store/rows.STATUS_CONTACTS_SQL); its next
    action must still be `show`'s in the states the routes distinguish."""
    histories = [
        # an answer of the institution on the phone, then unrelated chatter
        [
            ("2026-11-01", "provider-complaint"),
            ("2026-11-05", "phone", "--incoming"),
            ("2026-11-06", "wechat"),
        ],
        [
            ("2026-11-01", "phone", "--ticket", "A1"),
            ("2026-11-02", "phone", "--outcome", "refused"),
            ("2026-11-03", "chat"),
        ],
        # 12315 accepted, then chatter: the court is unsuitable while it mediates
        [
            ("2026-06-01", "provider-complaint"),
            ("2026-06-20", "12363"),
            ("2026-10-01", "12315"),
            ("2026-10-05", "12315", "--incoming", "--outcome", "accepted"),
            ("2026-10-07", "visit"),
        ],
        [("2026-06-01", "provider-complaint"), ("2026-06-20", "12363"), ("2026-07-01", "agent")],
    ]
    ids = []
    for history in histories:
        cid = add_overdue(cli)
        ids.append(cid)
        for on, channel, *extra in history:
            cli.ok("contact", str(cid), "--on", on, "--channel", channel, *extra)
    rows = {r["id"]: r for r in cli.ok("status", "--json").json()}
    codes = set()
    for cid in ids:
        full = cli.ok("show", str(cid), "--json").json()
        assert rows[cid]["next_action_code"] == full["next_action_code"], cid
        assert rows[cid]["next_action"] == full["next_action"], cid
        codes.add(full["next_action_code"])
    assert {"file_12363", "write_demand"} <= codes, codes


@pytest.mark.parametrize("delivered", [None, "2026-10-03"])
def test_a_demand_awaiting_its_reply_shows_the_provider_route_as_used(
    delivered: str | None,
) -> None:
    """A 催告函 recorded by `sent` whose reply date has not passed (or whose delivery is
    not recorded yet): the provider's route is in use, not still to be taken."""
    history = [request(), complained(), demand("2026-10-01", delivered)]
    _, found = judge(*history, today=D("2026-10-10"))
    # (undelivered, its provisional reply date counts from sending: still waiting)
    assert found["provider"].verdict == "used"
    assert found["provider"].used_on == D("2026-10-01")
    assert found["provider"].outcome is None
    _, before = judge(request(), complained(), today=D("2026-10-10"))
    assert before["provider"].verdict != "used"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_channels_table_fits_80_columns(tmp_path: Path, lang: str) -> None:
    """Every line within 80 columns, a channel's number never cut (12363), and the
    dates (used on, opens on) printed whole."""
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from depositctl import data
    from depositctl.i18n import set_language
    from depositctl.ops.channels import channels
    from depositctl.ops.env import Env
    from depositctl.render.channels import channel_table
    from depositctl.store.casefile import load_casefile, read_casefile
    from depositctl.store.ledger import open_ledger

    db = tmp_path / "ledger.db"
    example = data.path("examples", "demo-ledger.toml")
    with open_ledger(db) as led:
        load_casefile(led, read_casefile(example), example.parent, D("2026-11-24"))
    set_language(lang)
    try:
        for cid in (1, 6, 7):
            found = channels(Env(db, D("2026-11-24")), cid)
            buf = io.StringIO()
            con = Console(file=buf, width=80, color_system=None, force_terminal=False)
            channel_table(found.view, found.capacity, found.verdicts, con)
            text = buf.getvalue()
            for line in text.splitlines():
                assert cell_len(line) <= 80, f"{cell_len(line)}: {line!r}"
            assert "12363" in text and "12315" in text
            for v in found.verdicts:
                for day in (v.used_on, v.opens_on):
                    if day is not None:
                        assert day.isoformat() in text, (cid, v.channel)
    finally:
        set_language("en")
