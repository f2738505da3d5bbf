"""Every human-readable string exists in Chinese and English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from depositctl.cli.main import build_app
from tests.conftest import Cli

PKG = Path(__file__).resolve().parents[1] / "src" / "depositctl"
PO = PKG / "locale" / "zh" / "LC_MESSAGES" / "depositctl.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _source_ids() -> set[str | tuple[str, ...]]:
    ids: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(PKG),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "ngettext": (1, 2)},
    ):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def test_every_source_string_has_a_chinese_translation() -> None:
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    translated = {
        (m.id if isinstance(m.id, str) else tuple(m.id))
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(map(str, _source_ids() - translated))
    assert not missing, "untranslated (run `make i18n` and translate):\n" + "\n".join(missing)


def test_placeholders_survive_translation() -> None:
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[-1]
        target = m.string if isinstance(m.string, str) else m.string[0]
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", target)), source


def test_compiled_catalog_matches_the_po_file() -> None:
    def norm(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    with PO.open("rb") as fh:
        po = {norm(m.id): norm(m.string) for m in read_po(fh) if m.id}
    with MO.open("rb") as fh:
        mo = {norm(m.id): norm(m.string) for m in read_mo(fh) if m.id}
    assert po == mo, "the .mo is stale: run `make i18n`"


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command and group (Typer vendors its own Click, so duck-type the groups)."""
    found = [(path, command)]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            found += _walk(sub, (*path, name))
    return found


def _commands(lang: str) -> dict[tuple[str, ...], Any]:
    return dict(_walk(typer.main.get_command(build_app(lang))))


def test_every_command_has_help_in_both_languages() -> None:
    zh, en = _commands("zh"), _commands("en")
    assert zh.keys() == en.keys()
    assert len(zh) > 15
    for path, cmd in zh.items():
        zh_help, en_help = cmd.help or "", en[path].help or ""
        assert en_help and not CJK.match(en_help[:1]), f"{path}: no English help"
        assert CJK.search(zh_help), f"{path}: no Chinese help: {zh_help!r}"
        assert zh_help != en_help
        for p_zh, p_en in zip(cmd.params, en[path].params, strict=True):
            if getattr(p_en, "help", None) and p_en.name not in ("help",):
                assert CJK.search(p_zh.help or ""), (
                    f"{path} {p_zh.name}: option help not in Chinese"
                )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_runs_for_every_command(cli: Cli, lang: str) -> None:
    # The app's command is built once per language (conftest `command`), not per --help:
    # building it costs more than printing a command's help.
    for path in _commands(lang):
        r = cli.run(*path, "--help", lang=lang)
        assert r.exit_code == 0, (path, r.stdout, r.stderr)
        assert ("用法" in r.stdout or "Usage" in r.stdout) and len(r.stdout) > 40


def test_language_detection() -> None:
    from depositctl import i18n

    assert i18n.detect(["--lang", "en", "status"], {}) == "en"
    assert i18n.detect(["--lang=zh"], {"DEPOSITCTL_LANG": "en"}) == "zh"
    assert i18n.detect([], {"DEPOSITCTL_LANG": "en_US"}) == "en"
    assert i18n.detect([], {"LANG": "en_GB.UTF-8"}) == "en"
    assert i18n.detect([], {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.detect([], {"LANG": "C.UTF-8"}) == "zh"
    assert i18n.detect([], {}) == "zh"


def test_messages_follow_the_language(cli) -> None:  # type: ignore[no-untyped-def]
    en = cli.fails("show", "9", lang="en")
    zh = cli.fails("show", "9", lang="zh")
    assert "No case #9" in en.stderr
    assert "台账中没有案件 #9" in zh.stderr


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (["progress", "1"], "Missing option --on", "缺少选项 --on"),
        (["show"], "Missing argument ID", "缺少参数 ID"),
        (["status", "--nope"], "No such option: --nope", "没有这个选项：--nope"),
        (["bogus"], "No such command: bogus", "没有这个命令：bogus"),
        (["status", "--limit", "x"], "Invalid value for --limit", "--limit 的值无效"),
        (["show", "1", "2"], "Unexpected extra argument: 2", "多余的参数：2"),
    ],
)
def test_usage_errors_are_one_translated_line(cli, args: list[str], en: str, zh: str) -> None:  # type: ignore[no-untyped-def]
    assert en in cli.fails(*args, lang="en").stderr
    assert zh in cli.fails(*args, lang="zh").stderr


def test_no_arguments_shows_help(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.ok(lang="zh")
    assert "记录未退还的POS机押金" in r.stdout
