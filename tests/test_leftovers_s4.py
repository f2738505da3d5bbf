"""Defects an attack run found in session 3 and left open (session 4, "leftovers"): each
was reproduced here first, seen failing, then fixed.

1. `show` and `agenda` list every open follow-up, as `ics` does.
2. A refund due date counted from an undelivered letter is marked provisional in
   `status` (and its JSON), `agenda` and `ics`, not only in `show`.
3. `met` dated after the condition window is recorded with a warning.
4. `sent` and `contact` dated before the deposit was paid are refused.
5. A sent 催告函 is named as the letter it is, not as a call to the complaint line.
6. `sent`'s duplicate check folds case (and full-width) in tracking numbers.
7. Chinese output uses full-width parentheses around Chinese text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Cli

PROVIDER = "示例支付股份有限公司"


def unconditional(cli: Cli) -> None:
    cli.ok("add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05",
           "--no-condition")  # fmt: skip


def several_letters(cli: Cli) -> None:
    """A 催告函 not yet delivered (reply by 2026-12-05, provisional), a letter to 12315
    by email (reply by 2026-12-01) and a call (follow up 2026-11-29); today 2026-11-24."""
    unconditional(cli)
    cli.ok("sent", "1", "--to", "provider", "--on", "2026-11-20", "--via", "ems",
           "--tracking", "EA123CN")  # fmt: skip
    cli.ok("sent", "1", "--to", "12315", "--on", "2026-11-21", "--via", "email")
    cli.ok("contact", "1", "--channel", "phone", "--on", "2026-11-22")


# -- 1. every open follow-up ------------------------------------------------------------------
def test_show_lists_every_open_follow_up(cli: Cli) -> None:
    several_letters(cli)
    out = cli.ok("show", "1").stdout
    deadlines = out.split("Deadlines")[1].split("Next action")[0]
    follow = [line for line in deadlines.splitlines() if "follow-up:" in line]
    assert [line.split("follow-up: ")[1][:10] for line in follow] == [
        "2026-11-29",
        "2026-12-01",
        "2026-12-05",
    ]
    assert "12315平台投诉内容 received on 2026-11-21" in deadlines
    assert "催告函 sent on 2026-11-20" in deadlines


def test_show_json_deadlines_list_every_open_follow_up(cli: Cli) -> None:
    several_letters(cli)
    item = cli.ok("show", "1", "--json").json()
    follow = [d["on"] for d in item["deadlines"] if d["kind"] == "follow_up"]
    assert follow == ["2026-11-29", "2026-12-01", "2026-12-05"]


def test_agenda_lists_every_open_follow_up_as_ics_does(cli: Cli) -> None:
    several_letters(cli)
    agenda = cli.ok("agenda", "--days", "30").stdout
    assert "2026-12-01  #1  follow-up: 12315平台投诉内容 received on 2026-11-21" in agenda
    assert "#1  follow-up: 催告函 sent on 2026-11-20" in agenda
    ics = cli.ok("ics").stdout.replace("\n ", "")
    assert ics.count("SUMMARY:Follow up #1") == 3


def test_a_past_follow_up_of_an_older_contact_is_not_open(cli: Cli) -> None:
    """Only the latest contact's follow-up stays open once passed; an older one that
    passed is no longer listed (ics, which lists from today on, agrees)."""
    unconditional(cli)
    cli.ok("contact", "1", "--channel", "phone", "--on", "2026-11-01")  # follow up 11-08
    cli.ok("contact", "1", "--channel", "phone", "--on", "2026-11-10")  # follow up 11-17
    out = cli.ok("show", "1").stdout
    assert out.count("follow-up:") == 1
    assert "follow-up: 2026-11-17" in out


def test_a_refunded_case_shows_no_follow_up(cli: Cli) -> None:
    several_letters(cli)
    cli.ok("refund", "1", "--amount", "99", "--on", "2026-11-24")
    assert "follow-up:" not in cli.ok("show", "1").stdout


# -- 2. a provisional refund due date -----------------------------------------------------------
def provisional_due(cli: Cli) -> None:
    unconditional(cli)
    cli.ok("sent", "1", "--to", "provider", "--on", "2026-11-20", "--via", "ems")


def test_status_marks_a_provisional_due_date(cli: Cli) -> None:
    provisional_due(cli)
    out = cli.ok("status").stdout
    assert "2026-12-05*~" in out
    assert "~ provisional: counted from the day a letter was sent" in out
    zh = cli.ok("status", lang="zh").stdout
    assert "2026-12-05*~" in zh
    assert "~ 暂定：" in zh


def test_status_json_marks_a_provisional_due_date(cli: Cli) -> None:
    provisional_due(cli)
    item = cli.ok("status", "--json").json()[0]
    assert item["refund_due_is_provisional"] is True


def test_the_plain_listing_marks_it_from_the_same_row(capsys: pytest.CaptureFixture[str]) -> None:
    """Over RICH_MAX_ROWS cases `status` prints plain lines: the same `status_row` mark
    and the same footnote."""
    from datetime import date
    from decimal import Decimal

    from depositctl.core.caseview import Totals
    from depositctl.core.deadlines import evaluate, letter_contact
    from depositctl.core.models import Case, CaseFacts, Condition, Contact
    from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
    from depositctl.data import rules
    from depositctl.i18n import set_language
    from depositctl.render.tables import RICH_MAX_ROWS, status_listing, status_row

    set_language("en")
    case = Case(id=1, provider=PROVIDER, amount=Decimal("99.00"), paid_on=date(2025, 3, 5),
                condition=Condition(none=True))  # fmt: skip
    sent = letter_contact(1, "provider", date(2026, 11, 20), "ems")
    facts = CaseFacts(case=case, contacts=(Contact(id=1, **sent.model_dump()),))
    today = date(2026, 11, 24)
    v = evaluate(facts, today, WorkdayCalendar(chinese_calendar_lookup()), rules())
    assert status_row(v).due == "2026-12-05*~"
    views = [v] * (RICH_MAX_ROWS + 1)
    totals = Totals(total=len(views), outstanding=Decimal(0), overdue=Decimal(0), n_overdue=0)
    status_listing(views, totals, today)
    out = capsys.readouterr().out
    assert out.count("2026-12-05*~") == RICH_MAX_ROWS + 1
    assert "~ provisional: counted from the day a letter was sent" in out


def test_status_json_provisional_is_false_once_delivered(cli: Cli) -> None:
    provisional_due(cli)
    cli.ok("delivered", "1", "C1", "--on", "2026-11-22")
    item = cli.ok("status", "--json").json()[0]
    assert item["refund_due_is_provisional"] is False
    assert item["refund_due_on"] == "2026-12-07"
    out = cli.ok("status").stdout
    assert "~" not in out


def test_agenda_and_ics_mark_a_provisional_due_date(cli: Cli) -> None:
    provisional_due(cli)
    agenda = cli.ok("agenda", "--days", "30").stdout
    # The due date is the next action's date: its line carries the mark.
    due = next(line for line in agenda.splitlines() if line.startswith("2026-12-05  #1"))
    assert "wait for the refund, due 2026-12-05" in due
    assert "provisional: the letter's delivery is not yet recorded" in due
    # A due date of its own line carries it there.
    cli.ok("contact", "1", "--channel", "phone", "--on", "2026-11-22")
    agenda = cli.ok("agenda", "--days", "30").stdout
    due = next(line for line in agenda.splitlines() if "refund due:" in line)
    assert "provisional: the letter's delivery is not yet recorded" in due
    zh = cli.ok("agenda", "--days", "30", lang="zh").stdout
    assert "暂定：尚未记录函件的签收日期" in zh
    ics = cli.ok("ics").stdout.replace("\n ", "")
    refund = next(e for e in ics.split("BEGIN:VEVENT") if "SUMMARY:Refund due #1" in e)
    assert "provisional: the letter's delivery is not yet recorded" in refund


# -- 3. met after the condition window -----------------------------------------------------------
def test_met_after_the_window_is_recorded_with_a_warning(cli: Cli, case_id: int) -> None:
    # The fixture's window: activated 2025-03-05 + 90 days = 2025-06-03.
    r = cli.run("met", str(case_id), "--on", "2025-07-01")
    assert r.exit_code == 0, r.stderr
    assert "condition met on 2025-07-01" in r.stdout
    assert "Warning:" in r.stderr
    assert "2025-06-03" in r.stderr
    assert "condition met: 2025-07-01" in cli.ok("show", str(case_id)).stdout
    zh = cli.run("met", str(case_id), "--on", "2025-07-02", lang="zh")
    assert zh.exit_code == 0 and "警告" in zh.stderr and "2025-06-03" in zh.stderr


def test_met_within_the_window_is_silent(cli: Cli, case_id: int) -> None:
    cli.ok("met", str(case_id), "--on", "2025-06-03")


# -- 4. before the deposit was paid ---------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sent_before_payment_is_refused(cli: Cli, lang: str) -> None:
    unconditional(cli)
    r = cli.fails("sent", "1", "--to", "provider", "--on", "2025-03-04", "--via", "ems",
                  lang=lang)  # fmt: skip
    assert r.exit_code == 2
    assert "2025-03-05" in r.stderr
    assert ("before the deposit was paid" if lang == "en" else "早于押金支付日期") in r.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_contact_before_payment_is_refused(cli: Cli, lang: str) -> None:
    unconditional(cli)
    r = cli.fails("contact", "1", "--channel", "phone", "--on", "2024-12-31", lang=lang)
    assert r.exit_code == 2
    assert "2025-03-05" in r.stderr
    assert ("before the deposit was paid" if lang == "en" else "早于押金支付日期") in r.stderr


def test_contact_on_the_payment_day_is_accepted(cli: Cli) -> None:
    unconditional(cli)
    cli.ok("contact", "1", "--channel", "phone", "--on", "2025-03-05")
    cli.ok("sent", "1", "--to", "provider", "--on", "2025-03-05", "--via", "email")


# -- 5. a letter is a letter ---------------------------------------------------------------------
def letter_sent_and_overdue(cli: Cli) -> None:
    unconditional(cli)
    cli.ok("provider", "set", PROVIDER, "--address", "上海市浦东新区示例路1号")
    cli.ok("profile", "set", "--name", "张三", "--phone", "13800000000", "--address",
           "北京市朝阳区示例街2号", "--id-number", "11010519491231002X")  # fmt: skip
    cli.ok("sent", "1", "--to", "provider", "--on", "2026-10-20", "--via", "ems",
           "--tracking", "EA123CN", "--delivered-on", "2026-10-22")  # fmt: skip


@pytest.mark.parametrize("recipient", ["12363", "12315"])
def test_letters_name_a_sent_demand_as_the_letter(cli: Cli, tmp_path: Path, recipient: str) -> None:
    letter_sent_and_overdue(cli)
    out = tmp_path / f"{recipient}.md"
    r = cli.run("letter", "1", "--to", recipient, "--force", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "支付机构投诉渠道" not in text
    assert "投诉人于2026年10月20日以EMS寄送催告函（2026年10月22日签收），至今未获退还。" in text


def test_12363_counts_the_demand_letter_as_the_complaint_to_the_institution(cli: Cli) -> None:
    """PBoC rules Art. 35: the institution first; the delivered 催告函 is that complaint,
    and with its 15 days passed 12363 is the next route."""
    letter_sent_and_overdue(cli)
    channels = {c["channel"]: c for c in cli.ok("channels", "1", "--json").json()}
    assert channels["12363"]["verdict"] == "next"
    assert channels["provider"]["verdict"] == "used"


def test_the_wait_text_names_the_letter(cli: Cli) -> None:
    cli.ok("add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05",
           "--no-condition", "--promised-refund-on", "2026-11-01")  # fmt: skip
    cli.ok("sent", "1", "--to", "provider", "--on", "2026-11-20", "--via", "ems",
           "--delivered-on", "2026-11-21")  # fmt: skip
    en = cli.ok("status", "--json").json()[0]["next_action"]
    assert "provider's complaint channel" not in en
    assert "your 催告函 of 2026-11-20" in en
    zh = cli.ok("status", "--json", lang="zh").json()[0]["next_action"]
    assert "支付机构投诉渠道" not in zh
    assert "2026-11-20 发出的催告函" in zh


def test_the_follow_up_wait_text_names_the_letter(cli: Cli) -> None:
    unconditional(cli)
    cli.ok("edit", "1", "--promised-refund-on", "2026-12-20")
    cli.ok("sent", "1", "--to", "provider", "--on", "2026-11-20", "--via", "email")
    en = cli.ok("status", "--json").json()[0]["next_action"]
    assert "your 催告函 of 2026-11-20" in en, en
    zh = cli.ok("status", "--json", lang="zh").json()[0]["next_action"]
    assert "支付机构投诉渠道" not in zh and "2026-11-20 发出的催告函" in zh, zh


def test_ics_names_the_letter_not_the_complaint_line(cli: Cli) -> None:
    provisional_due(cli)
    ics = cli.ok("ics").stdout.replace("\n ", "")
    assert "SUMMARY:Follow up #1: 示例支付股份有限公司 (催告函)" in ics
    assert "complaint channel" not in ics


# -- 6. tracking numbers fold case -----------------------------------------------------------------
@pytest.mark.parametrize("second", ["EA123CN", "ea123cn", "ＥＡ１２３ＣＮ"])
def test_the_same_letter_with_another_case_of_tracking_number_is_refused(
    cli: Cli, second: str
) -> None:
    unconditional(cli)
    cli.ok("sent", "1", "--to", "provider", "--on", "2026-11-20", "--via", "ems",
           "--tracking", "ea123CN")  # fmt: skip
    cli.fails("sent", "1", "--to", "provider", "--on", "2026-11-20", "--via", "ems",
              "--tracking", second, contains="C1")  # fmt: skip


# -- 7. full-width parentheses in Chinese ------------------------------------------------------------
CJK = "\u3000-\u9fff\uff00-\uffef"


def half_width_around_chinese(text: str) -> list[str]:
    """Lines with an ASCII parenthesis next to (or enclosing) Chinese text, commands aside."""
    found = []
    for line in text.splitlines():
        if "depositctl " in line:
            line = line.split("depositctl ")[0]
        if re.search(rf"\([^()]*[{CJK}][^()]*\)", line):
            found.append(line)
    return found


def test_show_in_chinese_has_no_half_width_parentheses_around_chinese(cli: Cli) -> None:
    several_letters(cli)
    cli.ok("contact", "1", "--channel", "phone", "--on", "2026-11-23", "--summary", "客服说会处理")
    out = cli.ok("show", "1", lang="zh").stdout
    assert "（默认值，非合同约定）" in out
    assert half_width_around_chinese(out) == []


def test_channels_in_chinese_uses_full_width_parentheses(cli: Cli) -> None:
    unconditional(cli)
    cli.ok("contact", "1", "--channel", "12315", "--on", "2026-09-15")
    cli.ok("contact", "1", "--incoming", "--channel", "12315", "--on", "2026-09-16",
           "--outcome", "accepted")  # fmt: skip
    out = cli.ok("channels", "1", lang="zh").stdout
    assert "（已受理）" in out and "(已受理)" not in out
    assert half_width_around_chinese(out) == []


def test_the_chinese_catalog_has_no_half_width_parentheses_around_chinese() -> None:
    from babel.messages.pofile import read_po

    import depositctl

    po = Path(depositctl.__file__).parent / "locale/zh/LC_MESSAGES/depositctl.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    bad = [
        m.string
        for m in catalog
        if m.id and isinstance(m.string, str) and half_width_around_chinese(m.string)
    ]
    assert bad == []


def test_agenda_from_the_cache_lists_what_a_full_evaluation_lists(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    """`agenda` reads the cached listing and only the contacts whose follow-up can still
    be open (`Ledger.recent_contacts`): its items equal those of every case evaluated
    from all its facts, over a ledger of every state with many contacts."""
    from datetime import date

    from depositctl.i18n import set_language
    from depositctl.ops.env import Env, evaluator, opened
    from depositctl.ops.views import OPEN_STATES, agenda_views
    from depositctl.render.tables import agenda_items

    set_language("en")
    today = date(2026, 11, 24)
    db = tmp_path / "many.db"
    build_ledger(db, 160, 6, 0, today, seed=4)
    env = Env(db_path=db, today=today)
    found = agenda_views(env)
    with opened(env) as led:
        ev = evaluator(env, led)
        full = [ev(f) for f in led.all_facts(with_history=False)]
    full = sorted((v for v in full if v.state in OPEN_STATES), key=lambda v: v.urgency_key())
    for days in (7, 30, 90):
        cached = agenda_items(found.views, today, days, found.follow_ups)
        assert cached == agenda_items(full, today, days)
    # the cached views alone miss follow-ups in this ledger, so the check means something
    assert len(agenda_items(found.views, today, 90)) < len(cached)


@pytest.mark.parametrize(
    "rows",
    [
        {"contacts": [{"on": "2025-03-04", "channel": "phone"}]},
        {"sent": [{"to": "provider", "on": "2025-03-04", "via": "ems"}]},
    ],
)
def test_a_case_file_row_before_payment_is_refused(
    cli: Cli, tmp_path: Path, rows: dict[str, object]
) -> None:
    """A case file (`demo`, and tests) holds contacts and letters as `contact` and
    `sent` take them: none before the deposit was paid."""
    from depositctl.core.errors import UserError
    from depositctl.store.casefile import load_casefile
    from depositctl.store.ledger import open_ledger

    case = {"provider": PROVIDER, "amount": "99", "paid_on": "2025-03-05", **rows}
    led = open_ledger(cli.db)
    try:
        with pytest.raises(UserError, match="before the deposit was paid"):
            load_casefile(led, {"cases": [case]}, tmp_path, date(2026, 11, 24))
    finally:
        led.close()


def test_a_letters_reply_by_date_says_provisional_once(cli: Cli) -> None:
    """Its basis says "(provisional)" already; no second note after it."""
    provisional_due(cli)
    cli.ok("contact", "1", "--channel", "phone", "--on", "2026-11-22")
    for out in (cli.ok("show", "1").stdout, cli.ok("agenda", "--days", "30").stdout):
        line = next(x for x in out.splitlines() if "follow-up: " in x and "催告函" in x)
        assert line.count("provisional") == 1, line
