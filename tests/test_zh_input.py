"""Chinese input (issue 11): every choice by its Chinese name or a short alias, from the one
vocabulary table; a date typed relative to today is echoed with the date it was read as."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from depositctl.core.errors import UserError
from depositctl.core.inputs import parse_choice
from depositctl.core.vocab import (
    CAPACITY,
    CHANNEL,
    CLOSE_REASON,
    EVIDENCE_KIND,
    OUTCOME,
    PAYEE,
    PAYMENT_METHOD,
    RECIPIENT,
    Vocabulary,
)
from tests.conftest import Cli

VOCABULARIES: dict[str, Vocabulary[Any]] = {
    "paid-via": PAYMENT_METHOD,
    "paid-to": PAYEE,
    "channel": CHANNEL,
    "outcome": OUTCOME,
    "kind": EVIDENCE_KIND,
    "reason": CLOSE_REASON,
    "to": RECIPIENT,
    "capacity": CAPACITY,
}
WORDS = [
    (name, word, term.value)
    for name, vocab in VOCABULARIES.items()
    for term in vocab
    for word in (term.value, term.zh, *term.aliases)
]


@pytest.mark.parametrize(("name", "word", "value"), WORDS)
def test_every_name_and_alias_parses_to_the_value(name: str, word: str, value: str) -> None:
    assert parse_choice(word, VOCABULARIES[name], name) == value
    assert parse_choice(f" {word} ", VOCABULARIES[name], name) == value


def test_full_width_and_upper_case_ascii() -> None:
    assert parse_choice("ＰＨＯＮＥ", CHANNEL, "channel") == "phone"
    assert parse_choice("Consumer-Association", RECIPIENT, "recipient") == "consumer-association"
    assert parse_choice("１２３１５", CHANNEL, "channel") == "12315"


def test_unknown_word_lists_both_names() -> None:
    with pytest.raises(UserError) as info:
        parse_choice("飞鸽", CHANNEL, "channel")
    choices = info.value.params["choices"]
    assert "phone(电话)" in choices and "consumer-association(消协)" in choices


def _db(cli: Cli, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(cli.db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_add_paid_via_and_paid_to_in_chinese(cli: Cli) -> None:
    cli.ok(
        "add",
        "--provider",
        "示例支付股份有限公司",
        "--amount",
        "99",
        "--paid-on",
        "2025-03-05",
        "--paid-via",
        "首刷",
        "--paid-to",
        "业务员",
    )
    assert _db(cli, "SELECT paid_via, paid_to FROM cases") == [("first-swipe", "salesperson")]


def test_contact_channel_and_outcome_in_chinese(cli: Cli, case_id: int) -> None:
    args = ("contact", str(case_id), "--on", "2025-09-01", "--channel", "电话")
    cli.ok(*args, "--outcome", "未接通")
    cli.ok("contact", str(case_id), "--on", "2025-09-02", "--channel", "消协", "--outcome", "受理")
    assert _db(cli, "SELECT channel, outcome FROM contacts ORDER BY id") == [
        ("phone", "no-answer"),
        ("consumer-association", "accepted"),
    ]


def test_evidence_kind_in_chinese(cli: Cli, case_id: int, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"not really a png")
    cli.ok("evidence", "add", str(case_id), str(shot), "--kind", "截图")
    assert _db(cli, "SELECT kind FROM evidence") == [("photo",)]


def test_capacity_and_close_reason_in_chinese(cli: Cli, case_id: int) -> None:
    cli.ok("profile", "set", "--capacity", "个体工商户")
    assert _db(cli, "SELECT capacity FROM profile") == [("individual-business",)]
    cli.ok("close", str(case_id), "--reason", "放弃")  # exits 1 on an unknown reason


def test_letter_to_in_chinese(cli: Cli, case_id: int) -> None:
    by_alias = cli.run("letter", str(case_id), "--to", "消协")
    by_value = cli.run("letter", str(case_id), "--to", "consumer-association")
    assert by_alias.exit_code == 0 and by_alias.stdout == by_value.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_choice_is_one_line_with_both_names(cli: Cli, case_id: int, lang: str) -> None:
    r = cli.fails("contact", str(case_id), "--on", "2025-09-01", "--channel", "飞鸽", lang=lang)
    assert "phone(电话)" in r.stderr and "飞鸽" in r.stderr
    r = cli.fails("letter", str(case_id), "--to", "居委会", lang=lang)
    assert "consumer-association(消协)" in r.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("command", "option", "vocab"),
    [
        (("add",), "--paid-via", PAYMENT_METHOD),
        (("add",), "--paid-to", PAYEE),
        (("contact",), "--channel", CHANNEL),
        (("contact",), "--outcome", OUTCOME),
        (("evidence", "add"), "--kind", EVIDENCE_KIND),
        (("close",), "--reason", CLOSE_REASON),
        (("letter",), "--to", RECIPIENT),
        (("profile", "set"), "--capacity", CAPACITY),
    ],
)
def test_help_lists_both_names(
    cli: Cli, command: tuple[str, ...], option: str, vocab: Vocabulary[Any], lang: str
) -> None:
    text = "".join(cli.ok(*command, "--help", lang=lang).stdout.split())
    assert option in text
    for term in vocab:
        shown = term.value if term.short == term.value else f"{term.value}({term.short})"
        assert shown in text, (shown, lang)


def test_relative_date_is_echoed_and_stored(cli: Cli, case_id: int) -> None:
    r = cli.run(
        "--today", "2026-11-23", "progress", str(case_id), "--on", "今天", "--volume", "100"
    )
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "(今天 read as 2026-11-23)\n"
    r = cli.run(
        "--today",
        "2026-11-23",
        "contact",
        str(case_id),
        "--on",
        "11月20日",
        "--channel",
        "电话",
        lang="zh",
    )
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "（11月20日 按 2026-11-20 记录）\n"
    r = cli.run(
        "--today", "2026-11-23", "contact", str(case_id), "--on", "12月1日", "--channel", "phone"
    )
    assert r.stderr == "(12月1日 read as 2025-12-01)\n"
    assert _db(cli, "SELECT on_date FROM progress") == [("2026-11-23",)]
    assert _db(cli, "SELECT on_date FROM contacts ORDER BY id") == [
        ("2026-11-20",),
        ("2025-12-01",),
    ]


def test_full_date_is_not_echoed(cli: Cli, case_id: int) -> None:
    cli.ok("--today", "2026-11-23", "progress", str(case_id), "--on", "2026-11-20", "--volume", "1")
    cli.ok(
        "--today", "2026-11-23", "refund", str(case_id), "--amount", "1", "--on", "2026年11月21日"
    )
