"""Issue 13, text that breaks outputs: control characters and line breaks in one-line
fields, characters a document cannot hold, bidi and zero-width characters are refused at
input with the field and the character named; each field is capped at a length a letter
can hold; values already in a ledger reach neither the terminal nor a .docx raw."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli

ADD = ("add", "--amount", "99", "--paid-on", "2025-03-05")


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--provider", "示例公司\nRefunded: ¥99.00", "line break"),
        ("--provider", "示例\r公司", "line break"),
        ("--provider", "示例\x1b[31m公司", "control character"),
        ("--note", "备注\x9b31m", "control character"),
        ("--provider", "示例\u2028公司", "line break"),
        ("--brand", "示例\u202epos", "text-direction"),
        ("--brand", "示例\u2066pos\u2069", "text-direction"),
        ("--model", "A\u200b1", "zero-width"),
        ("--serial", "SN\ufeff1", "zero-width"),
        ("--merchant-no", "8\uffff1", "not valid text"),
        ("--merchant-no", "8\ufffe1", "not valid text"),
        ("--provider", "示" * 201, "200"),
        ("--note", "备" * 4001, "4000"),
        ("--agent-name", "张\n三", "line break"),
    ],
)
def test_add_refuses_text_that_breaks_outputs(cli: Cli, option: str, value: str, says: str) -> None:
    args = list(ADD)
    if option != "--provider":
        args += ["--provider", "示例公司"]
    cli.fails(*args, option, value, contains=says)


def test_a_multi_line_note_keeps_its_lines(cli: Cli) -> None:
    cli.ok(*ADD, "--provider", "示例公司", "--note", "第一行\n第二行")
    assert "第二行" in cli.ok("show", "1").stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("contact", "1", "--on", "2025-04-01", "--channel", "phone", "--to", "客服\n张"), "--to"),
        (
            ("contact", "1", "--on", "2025-04-01", "--channel", "phone", "--ticket", "T\u202e1"),
            "--ticket",
        ),
        (("profile", "set", "--name", "张\u200d三"), "--name"),
        (("profile", "set", "--address", "杭州" + "路" * 250), "200"),
        (("provider", "set", "示例公司", "--address", "杭州\n西湖"), "--address"),
        (("void", "1", "C1", "--reason", "错\x85了"), "--reason"),
    ],
)
def test_other_commands_refuse_it_too(cli: Cli, args: tuple[str, ...], says: str) -> None:
    cli.ok(*ADD, "--provider", "示例公司")
    if args[0] == "void":
        cli.ok("contact", "1", "--on", "2025-04-01", "--channel", "phone")
    cli.fails(*args, contains=says)


def test_the_error_is_in_chinese_too(cli: Cli) -> None:
    r = cli.run(*ADD, "--provider", "示例公司\n已退款", lang="zh")
    assert r.exit_code != 0
    assert "换行" in r.stderr and "--provider" in r.stderr, r.stderr


def _plant(cli: Cli, sql: str) -> None:
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute(sql)
    conn.close()


def test_show_and_status_never_print_raw_escapes_from_the_ledger(cli: Cli) -> None:
    cli.ok(*ADD, "--provider", "示例公司")
    _plant(
        cli,
        "UPDATE cases SET provider = 'X' || char(27) || '[2J' || char(10) || 'Refunded: 99',"
        " note = 'n' || char(27) || ']0;owned' || char(7)",
    )
    for args in (("show", "1"), ("status",)):
        r = cli.ok(*args)
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout, args
    assert "\nRefunded: 99" not in cli.ok("show", "1").stdout


def test_a_docx_letter_is_written_from_a_ledger_holding_xml_invalid_text(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok(*ADD, "--provider", "示例公司")
    cli.ok("profile", "set", "--name", "张三", "--phone", "13800138000")
    cli.ok("provider", "set", "示例公司", "--address", "浙江省杭州市西湖区文三路1号")
    _plant(cli, "UPDATE cases SET brand = 'B' || char(65535) || char(1) || 'x'")
    _plant(cli, "UPDATE profile SET name = '" + "张" * 256 + "'")
    out = tmp_path / "l.docx"
    r = cli.run("letter", "1", "--to", "12315", "--force", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as zf:
        assert zf.testzip() is None
