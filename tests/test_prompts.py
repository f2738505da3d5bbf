"""Guided `add` and `contact` on a terminal (cli/prompts.py): the question loop with a
fake console and answers from a string (fast), the commands in-process with the terminal
check patched (fast), and the installed `depositctl` through a pseudo-terminal (slow)."""

from __future__ import annotations

import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from depositctl.cli.prompts import (
    Asker,
    Cancelled,
    Declined,
    case_answers,
    confirm_case,
    contact_answers,
    parse_yes_no,
)
from depositctl.core.errors import UserError
from depositctl.core.models import RefundWithin
from depositctl.i18n import set_language
from tests.conftest import Cli

TODAY = date(2025, 11, 25)


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


def asker(answers: str) -> tuple[Asker, io.StringIO]:
    screen = io.StringIO()
    console = Console(file=screen, width=100, force_terminal=False, color_system=None)
    return Asker(console, io.StringIO(answers)), screen


def case_parse(name: str, text: str) -> Any:
    """`add`'s own parser for an option's value (what the prompts are given)."""
    from depositctl.cli.cases import FIELD_BY_NAME, parse_field

    return parse_field(FIELD_BY_NAME[name], text, TODAY)


def contact_parse(name: str, text: str) -> Any:
    from depositctl.cli.contact import parse_value

    return parse_value(name, text, TODAY)


# -- the loop -------------------------------------------------------------------------------
def test_a_bad_answer_is_shown_and_asked_again() -> None:
    from depositctl.core.money import parse_money

    ask, screen = asker("九十九块钱x\n人民币99元\n")
    assert ask.ask("Amount", parse_money) == Decimal("99.00")
    shown = screen.getvalue()
    assert shown.count("Amount") == 2
    assert "Error: Not an amount: 九十九块钱x" in shown


def test_an_empty_answer_skips_only_an_optional_question() -> None:
    ask, screen = asker("\n\nSN1\n")
    assert ask.ask("Serial", str, optional=True) is None
    assert ask.ask("Serial", str) == "SN1"
    assert "An answer is needed here." in screen.getvalue()


def test_enter_takes_the_default() -> None:
    ask, _screen = asker("\n")
    assert ask.ask("Date", str, default="2025-11-25") == "2025-11-25"


def test_end_of_input_cancels_with_exit_130() -> None:
    ask, _screen = asker("人民币99元\n")
    ask.ask("Amount", str)
    with pytest.raises(Cancelled) as caught:
        ask.ask("Date", str)
    assert caught.value.exit_code == 130


def test_ctrl_c_cancels_with_exit_130() -> None:
    class Interrupting(io.StringIO):
        def readline(self, *args: Any) -> str:
            raise KeyboardInterrupt

    ask = Asker(Console(file=io.StringIO()), Interrupting())
    with pytest.raises(Cancelled) as caught:
        ask.ask("Amount", str)
    assert caught.value.exit_code == 130


@pytest.mark.parametrize(
    ("text", "value"), [("是", True), ("y", True), ("Ｙｅｓ", True), ("否", False), ("n", False)]
)
def test_yes_and_no_in_both_languages(text: str, value: bool) -> None:
    assert parse_yes_no(text) is value


def test_neither_yes_nor_no_is_refused() -> None:
    with pytest.raises(UserError):
        parse_yes_no("也许")


def test_choices_are_listed_by_their_chinese_names_in_zh(zh: None) -> None:
    from depositctl.cli.prompts import term_options
    from depositctl.core.vocab import PAYMENT_METHOD

    ask, screen = asker("2\n")
    parse = lambda text: case_parse("paid_via", text)  # noqa: E731
    assert ask.choose("支付方式", term_options(PAYMENT_METHOD), parse) == "wechat"
    listed = screen.getvalue()
    assert "1. 首刷" in listed and "2. 微信" in listed
    assert "first-swipe" not in listed


def test_a_choice_by_number_or_by_name_or_asked_again() -> None:
    from depositctl.cli.prompts import term_options
    from depositctl.core.vocab import PAYMENT_METHOD

    ask, screen = asker("99\n首刷\n")
    parse = lambda text: case_parse("paid_via", text)  # noqa: E731
    assert ask.choose("Paid via", term_options(PAYMENT_METHOD), parse) == "first-swipe"
    assert "Unknown payment method: 99" in screen.getvalue()


# -- add --------------------------------------------------------------------------------------
ADD_ANSWERS = [
    "拉卡拉",  # not a legal name ...
    "否",  # ... and not an alias: asked again
    "示例支付股份有限公司",
    "九十九块x",  # a bad amount: asked again
    "人民币99元",
    "11月20日",
    "首刷",
    "1",  # a target
    "",  # all three left empty: the targets are asked again
    "",
    "",
    "5万",
    "",
    "90",
    "昨天",  # activation date
    "激活后90天内刷满5万元退还押金",
    "15个工作日",
    "SN00A1",
    "李四",
    "示例科技服务有限公司",
]


def test_add_asks_for_what_a_letter_needs() -> None:
    ask, screen = asker("\n".join(ADD_ANSWERS) + "\n")
    answers = case_answers(ask, {}, case_parse)
    assert answers == {
        "provider": "示例支付股份有限公司",
        "amount": Decimal("99.00"),
        "paid_on": date(2025, 11, 20),
        "paid_via": "first-swipe",
        "condition_volume": Decimal("50000.00"),
        "condition_days": 90,
        "activated_on": date(2025, 11, 24),
        "condition_text": "激活后90天内刷满5万元退还押金",
        "refund_within": RefundWithin(n=15, unit="wd"),
        "serial": "SN00A1",
        "agent_name": "李四",
        "agent_company": "示例科技服务有限公司",
    }
    shown = screen.getvalue()
    assert "拉卡拉 is not a company's legal name" in shown
    assert "Give at least one target" in shown
    assert "Error: Not an amount: 九十九块x" in shown
    assert shown.count("Deposit amount") == 2
    assert shown.count("Date paid") == 1  # the earlier answers kept, nothing else re-asked


def test_add_asks_only_what_the_options_left_out() -> None:
    ask, screen = asker("2025-03-05\n" + "\n" * 5)
    given = {"provider": "P有限公司", "amount": "99", "condition_return": True, "serial": "S"}
    answers = case_answers(ask, given, case_parse)
    assert answers == {"paid_on": date(2025, 3, 5)}
    shown = screen.getvalue()
    assert "Payment institution" not in shown and "refund condition" not in shown
    assert "Serial" not in shown


def test_a_recorded_alias_is_kept_when_the_user_says_so() -> None:
    ask, _screen = asker("拉卡拉\n是\n")
    answers = case_answers(
        ask,
        {
            "amount": "9",
            "paid_on": "今天",
            "paid_via": "cash",
            "no_condition": True,
            "condition_text": "x",
            "refund_within": "1",
            "serial": "s",
            "agent_name": "a",
            "agent_company": "c",
        },
        case_parse,
    )
    assert answers == {"provider": "拉卡拉"}


def test_text_answers_are_checked_as_the_write_models_check_them() -> None:
    ask, screen = asker("SN\x1b[31m\nSN2\n")
    from depositctl.cli.prompts import _checked

    assert ask.ask("Serial", _checked("serial", case_parse)) == "SN2"
    assert "--serial contains a control character (U+001B)" in screen.getvalue()


def test_condition_kinds_return_and_none() -> None:
    rest = {
        "serial": "s",
        "agent_name": "a",
        "agent_company": "c",
        "condition_text": "x",
        "refund_within": "1",
        "paid_via": "cash",
    }
    base = {"provider": "P有限公司", "amount": "9", "paid_on": "今天", **rest}
    assert case_answers(asker("2\n")[0], base, case_parse) == {"condition_return": True}
    assert case_answers(asker("无条件\n")[0], base, case_parse) == {"no_condition": True}
    assert case_answers(asker("4\n")[0], base, case_parse) == {}


def test_declining_the_summary_writes_nothing() -> None:
    ask, screen = asker("n\n")
    with pytest.raises(Declined) as caught:
        confirm_case(ask, {"provider": "P有限公司", "amount": Decimal("99"), "paid_on": TODAY})
    assert caught.value.exit_code == 1
    assert "P有限公司" in screen.getvalue() and "¥99" in screen.getvalue()


# -- contact ----------------------------------------------------------------------------------
def test_contact_asks_date_channel_whom_ticket_outcome_summary_and_refund_request() -> None:
    ask, screen = asker(
        "\n".join(
            [
                "昨天 10:30",
                "电话",
                "否",
                "客服1032",
                "GD1",
                "承诺",
                "2025-12-01",
                "答应一周内退",
                "是",
            ]
        )
        + "\n"
    )
    answers = contact_answers(ask, {}, contact_parse, TODAY)
    assert answers == {
        "on": (date(2025, 11, 24), __import__("datetime").time(10, 30)),
        "channel": "phone",
        "incoming": False,
        "to": "客服1032",
        "ticket": "GD1",
        "outcome": "promised",
        "promised_by": date(2025, 12, 1),
        "summary": "答应一周内退",
        "refund_request": True,
    }
    assert "(2025-11-25)" in screen.getvalue()  # the date's default: today


def test_contact_date_defaults_to_today_and_a_reply_is_no_refund_request() -> None:
    ask, screen = asker(
        "\n".join(["", "12315", "是", "", "", "不予受理", "不属于受理范围", ""]) + "\n"
    )
    answers = contact_answers(ask, {}, contact_parse, TODAY)
    assert answers == {
        "on": (TODAY, None),
        "channel": "12315",
        "incoming": True,
        "outcome": "rejected",
        "reason": "不属于受理范围",
    }
    assert "Did you ask for the refund" not in screen.getvalue()


# -- the commands, in-process ----------------------------------------------------------------
@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import depositctl.cli.cases
    import depositctl.cli.contact

    monkeypatch.setattr(depositctl.cli.cases, "_interactive", lambda: True)
    monkeypatch.setattr(depositctl.cli.contact, "_interactive", lambda: True)


def test_add_guided_then_confirmed_records_the_case(cli: Cli, terminal: None) -> None:
    r = cli.run("add", input="\n".join(ADD_ANSWERS) + "\n\n", lang="zh")
    assert r.exit_code == 0, r.stderr
    assert "已添加案件 #1" in r.stdout
    assert "新案件" in r.stdout and "首刷" in r.stdout  # the summary, in Chinese
    assert "（11月20日 按 2026-11-20 记录）" in r.stderr  # against the fixed --today
    d = cli.ok("show", "1", "--json").json()
    assert (d["provider"], d["amount"], d["paid_on"]) == (
        "示例支付股份有限公司",
        "99.00",
        "2026-11-20",
    )
    assert d["paid_via"] == "first-swipe"
    condition = (d["condition"]["kind"], d["condition"]["volume"], d["condition"]["days"])
    assert condition == ("target", "50000.00", 90)
    assert d["condition"]["text"] == "激活后90天内刷满5万元退还押金"
    assert (d["activated_on"], d["refund_within"], d["serial"]) == ("2026-11-23", "15wd", "SN00A1")
    assert (d["agent_name"], d["agent_company"]) == ("李四", "示例科技服务有限公司")


def test_add_interrupted_writes_nothing(cli: Cli, terminal: None) -> None:
    before = cli.snapshot()
    r = cli.run("add", input="示例支付股份有限公司\n99\n")
    assert r.exit_code == 130
    assert "Interrupted; nothing was written." in r.stderr
    assert cli.snapshot() == before


def test_contact_without_a_terminal_still_needs_on_and_channel(cli: Cli, case_id: int) -> None:
    cli.fails("contact", str(case_id), "--channel", "phone", contains="Missing option --on")
    cli.fails("contact", str(case_id), "--on", "2025-04-01", contains="Missing option --channel")


def test_contact_guided_records_the_contact(cli: Cli, case_id: int, terminal: None) -> None:
    answers = ["昨天", "微信", "否", "业务员张三", "", "", "", "否", ""]
    r = cli.run("contact", str(case_id), input="\n".join(answers) + "\n")
    assert r.exit_code == 0, r.stderr
    assert f"Contact recorded on #{case_id}." in r.stdout
    (c,) = cli.ok("show", str(case_id), "--json").json()["contacts"]
    assert (c["channel"], c["to"], c["refund_request"]) == ("wechat", "业务员张三", False)


# -- the installed depositctl on a pseudo-terminal (slow) -------------------------------------
DEPOSITCTL = Path(sys.executable).parent / "depositctl"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """`depositctl ARGS` with a pseudo-terminal as its controlling terminal (stdin, stdout
    and stderr), answered like a person: wait for a question, type the answer."""

    def __init__(self, *args: str) -> None:
        import fcntl
        import termios

        master, slave = os.openpty()
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DEPOSITCTL_", "LC_", "LANG"))
        }
        env.update(LC_ALL="C.UTF-8", DEPOSITCTL_LANG="zh", NO_COLOR="1", COLUMNS="100")

        def controlling_terminal() -> None:  # so that Ctrl-C (\x03) sends SIGINT
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            # ... and SIGINT is not ignored, as a shell starts a command on a terminal:
            # a run started in the background of a non-interactive shell (`make test &`)
            # ignores it, and an ignored signal stays ignored across exec.
            signal.signal(signal.SIGINT, signal.SIG_DFL)

        self.proc = subprocess.Popen(
            [str(DEPOSITCTL), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=controlling_terminal,  # runs after setsid, before exec
        )
        os.close(slave)
        self.master = master
        self.raw = b""
        self.mark = 0

    @property
    def screen(self) -> str:
        return ANSI.sub("", self.raw.decode("utf-8", errors="ignore")).replace("\r", "")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the program ended and closed the terminal
            return False
        self.raw += chunk
        return bool(chunk)

    def expect(self, text: str, timeout: float = 30) -> None:
        """Wait until `text` appears after what was last expected."""
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.mark :]:
            if time.monotonic() > deadline or not self._read(0.2):
                raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen}")
        self.mark = self.screen.index(text, self.mark) + len(text)

    def answer(self, question: str, text: str) -> None:
        self.expect(question)
        os.write(self.master, text.encode() + b"\r")

    def send(self, raw: bytes) -> None:
        os.write(self.master, raw)

    def finish(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self._read(0.2) and time.monotonic() < deadline:
            if self.proc.poll() is not None and not select.select([self.master], [], [], 0)[0]:
                break
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code


def show_json(db: Path, case: str) -> Any:
    out = subprocess.run(
        [str(DEPOSITCTL), "--db", str(db), "--lang", "en", "show", case, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.slow
@pytest.mark.alone  # keys typed on a terminal, timed: not beside other tests
def test_add_on_a_terminal_asks_in_chinese_and_asks_again_after_a_bad_answer(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ledger.db"
    term = Terminal("--db", str(db), "--today", "2025-11-25", "add")
    term.answer("支付机构（完整法定名称", "示例支付股份有限公司")
    term.answer("押金金额", "九十九块钱x")
    term.expect("错误：不是金额：九十九块钱x")
    term.answer("押金金额", "人民币99元")  # asked again, the institution not
    term.answer("付款日期", "11月20日")
    term.expect("1. 首刷")
    term.answer("押金如何支付", "首刷")
    term.expect("达标返还")
    term.answer("押金返还条件", "1")
    term.answer("需达到的刷卡交易额", "5万")
    term.answer("需达到的交易笔数", "")
    term.answer("达标期限天数", "90")
    term.answer("激活日期", "11月21日")
    term.answer("约定的返还条件原文", "激活后90天内刷满5万元，押金99元15个工作日内退还")
    term.answer("退款时限", "15个工作日")
    term.answer("机具序列号", "SN00A1")
    term.answer("业务员", "李四")
    term.answer("代理商公司", "")
    term.expect("新案件")
    term.answer("记录此案件", "是")
    term.expect("已添加案件 #1")
    assert term.finish() == 0, term.screen
    assert "支付机构" in term.screen and "Payment" not in term.screen
    d = show_json(db, "1")
    assert (d["provider"], d["amount"], d["paid_on"]) == (
        "示例支付股份有限公司",
        "99.00",
        "2025-11-20",
    )
    assert (d["paid_via"], d["activated_on"], d["serial"]) == (
        "first-swipe",
        "2025-11-21",
        "SN00A1",
    )
    assert (d["condition"]["volume"], d["condition"]["days"]) == ("50000.00", 90)
    assert d["condition"]["text"] == "激活后90天内刷满5万元，押金99元15个工作日内退还"
    assert (d["refund_within"], d["agent_name"]) == ("15wd", "李四")


def _one_case(db: Path) -> None:
    subprocess.run(
        [str(DEPOSITCTL), "--db", str(db), "--today", "2025-11-25", "add",
         "--provider", "示例支付股份有限公司", "--amount", "99", "--paid-on", "2025-03-05",
         "--condition-return"],
        capture_output=True,
        check=True,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.alone  # keys typed on a terminal, timed: not beside other tests
def test_contact_on_a_terminal_records_what_was_answered(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    _one_case(db)
    term = Terminal("--db", str(db), "--today", "2025-11-25", "contact", "1")
    term.answer("日期", "昨天 10:30")
    term.expect("1. 电话")
    term.answer("渠道", "客服")  # not a channel: asked again with the choices
    term.expect("错误：")
    term.answer("渠道", "电话")
    term.answer("对方的答复", "否")
    term.answer("联系对象", "客服工号1032")
    term.answer("工单号", "GD20251124")
    term.answer("结果", "承诺")
    term.answer("承诺答复或付款的期限", "2025-12-01")
    term.answer("对方说了什么", "答应一周内退")
    term.answer("退还押金", "是")
    term.expect("案件 #1 的联系记录")
    term.answer("记录这次联系", "")  # Enter: yes
    term.expect("已记录案件 #1 的联系")
    assert term.finish() == 0, term.screen
    (c,) = show_json(db, "1")["contacts"]
    assert (c["on"], c["time"], c["channel"]) == ("2025-11-24", "10:30", "phone")
    assert (c["to"], c["ticket"], c["outcome"]) == ("客服工号1032", "GD20251124", "promised")
    assert (c["promised_by"], c["summary"]) == ("2025-12-01", "答应一周内退")
    assert (c["refund_request"], c["incoming"]) == (True, False)


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.alone  # keys typed on a terminal, timed: not beside other tests
@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_at_a_question_exits_130_and_writes_nothing(tmp_path: Path, key: bytes) -> None:
    db = tmp_path / "ledger.db"
    _one_case(db)
    before = _rows(db)
    term = Terminal("--db", str(db), "--today", "2025-11-25", "add")
    term.answer("支付机构（完整法定名称", "示例支付股份有限公司")
    term.answer("押金金额", "199")
    term.expect("付款日期")
    term.send(key)
    # At the question: 已中断，未写入任何内容 (`prompts.Cancelled`). The key may also come
    # while the question is still being drawn, outside the prompt: 已中断；没有写入不完整的
    # 数据 (`errors.Interrupted`; before session 10, Typer exited 130 without a word).
    term.expect("已中断")
    assert term.finish() == 130, term.screen
    assert _rows(db) == before

    term = Terminal("--db", str(db), "--today", "2025-11-25", "contact", "1")
    term.answer("日期", "")
    term.expect("渠道")
    term.send(key)
    assert term.finish() == 130, term.screen
    assert _rows(db) == before


def test_an_outcome_given_in_chinese_still_leads_to_its_follow_up_question() -> None:
    ask, screen = asker("\n".join(["否", "2025-12-01", "", "否"]) + "\n")
    given = {"on": "今天", "channel": "电话", "outcome": "承诺", "to": "x", "ticket": "y"}
    answers = contact_answers(ask, given, contact_parse, TODAY)
    assert answers == {"incoming": False, "promised_by": date(2025, 12, 1), "refund_request": False}
    assert "Date they promised" in screen.getvalue()
