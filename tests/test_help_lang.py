"""`--help` of every command in the language asked for: no English in Chinese help, no
Chinese in English help, outside the words the user types.

What Chinese help keeps in ASCII, on purpose: command and option names (what is typed),
the values a choice accepts (`first-swipe(首刷)`: the value is typed, its Chinese name
follows), case-field names `--clear` takes, `ID` (what `status` prints), environment
variable names, the example commands (paragraphs starting 示例：, which are checked to
be commands), file paths and extensions, and the names of formats and products in KEEP.
English help keeps the Chinese names of the choices (from core/vocab.py) and the
Chinese example values in EXAMPLE_VALUES.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
import typer

from depositctl.cli.cases import FIELDS
from depositctl.cli.main import build_app
from depositctl.core import vocab

#: Names of formats, standards and products, and input syntax, kept in Chinese help.
KEEP = {
    "depositctl",
    "ID",
    "JSON",
    "CSV",
    "Excel",
    "PDF",
    "pdf",
    "docx",
    "md",
    "txt",
    "zip",
    "iCalendar",
    "TrueType",
    "SHA-256",
    "SN",
    "POS",
    "YYYY-MM-DD",
    "zh",
    "en",
    "json",
    "csv",
    "xlsx",
    "30d",
    "15wd",
    "N",
}
#: Chinese example values in English help (a legal name, a brand, the Chinese term an
#: English help glosses).
EXAMPLE_VALUES = {"拉卡拉支付股份有限公司", "拉卡拉", "代理商/服务商", "代理商", "服务商"}

CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _walk(sub, (*path, name))
    return found


@cache
def _tree(lang: str) -> dict[tuple[str, ...], Any]:
    return dict(_walk(typer.main.get_command(build_app(lang))))


PATHS = sorted(_tree("en"))


def _typed_words() -> set[str]:
    """Everything a user types: command names, option names, choice values, fields."""
    words = {"depositctl", "-h", "--help", *(f.name.replace("_", "-") for f in FIELDS)}
    words |= {f.name for f in FIELDS}
    for path, cmd in _tree("en").items():
        words.update(path)
        for p in cmd.params:
            words.update(getattr(p, "opts", ()))
            words.update(getattr(p, "secondary_opts", ()))
    for table in vars(vocab).values():
        if isinstance(table, vocab.Vocabulary):
            words.update(table.values)
    return words


def _chinese_names() -> set[str]:
    names = set()
    for table in vars(vocab).values():
        if isinstance(table, vocab.Vocabulary):
            for t in table:
                names.update((t.zh, *t.aliases))
    return names


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _is_example(par: str) -> bool:
    return par.strip().startswith(("示例：", "Example:", "Examples:"))


def _example_commands(par: str) -> list[str]:
    body = " ".join(par.split()).split("：" if "示例：" in par else ":", 1)[1]
    return [c.strip() for c in re.split(r"[；;]", body) if c.strip()]


def _english_words(text: str, typed: set[str]) -> list[str]:
    """ASCII words in `text` that are not typed words, paths or KEEP."""
    leaks = []
    for run in re.findall(rf"[^\s{CJK}]+", text):
        m = re.match(r"([\w.-]+)\(", run)  # value(中文名) in a choice list
        if m:
            run = m.group(1)
        word = run.strip("()[],;:.'\"<>…")
        if not re.search(r"[A-Za-z]", word):
            continue
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d|[CPRE]\d+", word):  # a time, a row label
            continue
        if word in typed or word in KEEP or word.startswith("DEPOSITCTL_"):
            continue
        if "/" in word or re.fullmatch(r"[\w-]*\.[A-Za-z0-9]+", word):  # a path, a file
            continue
        if word.startswith("-") and word.split("=")[0] in typed:
            continue
        leaks.append(word)
    return leaks


def _help(cli: Any, path: tuple[str, ...], lang: str) -> str:
    r = cli.ok(*path, "--help", lang=lang)
    assert r.stdout.count("depositctl") >= 1
    return r.stdout


def test_every_command_is_walked() -> None:
    assert len(PATHS) > 30
    assert ("evidence", "add") in PATHS and ("provider", "set") in PATHS
    assert _tree("zh").keys() == _tree("en").keys()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "depositctl")
def test_chinese_help_has_no_english(cli: Any, path: tuple[str, ...]) -> None:
    text = _help(cli, path, "zh")
    typed = _typed_words()
    assert text.startswith("用法：depositctl")
    pars = _paragraphs(text)
    for par in pars:
        if _is_example(par):
            for command in _example_commands(par):
                assert command.startswith("depositctl ") or command.startswith("depositctl"), par
            continue
        leaks = _english_words(par, typed)
        assert not leaks, f"English in `{' '.join(path)} --help` (zh): {leaks}\n{par}"
    assert "选项：" in text and "显示本帮助并退出。" in text


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "depositctl")
def test_english_help_has_no_chinese(cli: Any, path: tuple[str, ...]) -> None:
    text = _help(cli, path, "en")
    allowed = sorted(_chinese_names() | EXAMPLE_VALUES, key=len, reverse=True)
    assert text.startswith("Usage: depositctl")
    for par in _paragraphs(text):
        if _is_example(par):
            continue
        # A line may break between two Chinese characters: join them again.
        rest = re.sub(rf"(?<=[{CJK}])\n\s*(?=[{CJK}])", "", par)
        for name in allowed:
            rest = rest.replace(name, "")
        assert not HAN.search(rest), f"Chinese in `{' '.join(path)} --help` (en):\n{par}"
    assert "Options:" in text and "Show this message and exit." in text


def test_click_words_are_translated(cli: Any) -> None:
    """The headings, placeholders and notes Click writes itself, in both languages."""
    zh = cli.ok("evidence", "add", "--help", lang="zh").stdout
    en = cli.ok("evidence", "add", "--help", lang="en").stdout
    assert "用法：depositctl evidence add [选项] ID 文件..." in zh
    assert "参数：" in zh and "[必填]" in zh and "<路径>" in zh and "<文本>" in zh
    assert "Usage: depositctl evidence add [OPTIONS] ID FILE..." in en
    assert "[required]" in en and "<path>" in en
    for text in (zh, en):
        assert "<str>" not in text and "list[" not in text and "{ID}" not in text
    agenda = cli.ok("agenda", "--help", lang="zh").stdout
    assert "[默认：7；0–3650]" in agenda
    root = cli.ok("--help", lang="zh").stdout
    assert "[环境变量：DEPOSITCTL_DB]" in root and "命令：" in root


def test_no_not_no_flags() -> None:
    """A flag's opposite reads as words: --has-condition, not --not-no-condition."""
    names = _typed_words()
    assert "--has-condition" in names and "--no-condition-return" in names
    assert not [n for n in names if n.startswith("--not-")]


@pytest.mark.parametrize("path", [("add",), ("contact",), ("letter",), ("export",)])
def test_help_lines_fit_80_columns_and_keep_words_whole(cli: Any, path: tuple[str, ...]) -> None:
    """Lines are wrapped by terminal columns (a Chinese character takes two), never inside
    an option, a choice value or a command."""
    from depositctl.cli.helpfmt import cells

    typed = _typed_words()
    for lang in ("zh", "en"):
        text = _help(cli, path, lang)
        for line in text.splitlines():
            words = line.split()
            long_word = len(words) == 1 or line.lstrip().startswith("-")
            assert cells(line) <= 80 or long_word, f"{lang}: {line!r}"
            for word in words:
                if word.endswith("-") and not word.startswith("-"):
                    assert word.rstrip("-,") + "-" not in typed, f"broken word in {line!r}"
        assert "--condition-\n" not in text and "provider-\n" not in text


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (["status", "--json=1"], "Option --json takes no value", "选项 --json 不接受值"),
        (["agenda", "--days", "x"], "a whole number is expected", "应为整数"),
        (["agenda", "--days", "99999"], "at most 3650", "最大为 3650"),
        (["backup"], "Missing argument PATH", "缺少参数 路径"),
    ],
)
def test_click_errors_in_both_languages(cli: Any, args: list[str], en: str, zh: str) -> None:
    e = cli.fails(*args, lang="en").stderr
    z = cli.fails(*args, lang="zh").stderr
    assert en in e
    assert zh in z
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"--?[\w-]+|depositctl|\w+ --help", "", z))
