"""The README is the manual (as sqlite-utils' tests/test_docs.py keeps its docs honest):
every command in `depositctl --help` has an example in one of its sh code blocks, every
example names a real command, and the examples run, in order, as a merchant types them.

The README holds more than one walk-through: the Chinese tour for the merchant, then the
English tour and reference. Each starts at a `<!-- walk: NAME -->` line and runs against its
own fresh ledger, home and folder, so the two tours can number their cases alike."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, command

README = Path(__file__).resolve().parents[1] / "README.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
WALK = re.compile(r"^<!-- walk: (.+?) -->$", re.MULTILINE)


def example_lines(text: str) -> list[str]:
    """Every `depositctl ...` line of the sh blocks of `text`, in order, continuations joined."""
    lines = []
    for block in SH_BLOCK.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("depositctl "):
                lines.append(line)
    return lines


def walks() -> dict[str, list[str]]:
    """The README's walk-throughs by name: the examples from each `<!-- walk: NAME -->` line
    to the next (or the end), in order."""
    parts = WALK.split(README.read_text(encoding="utf-8"))
    assert not example_lines(parts[0]), "a depositctl example before the first walk marker"
    names = parts[1::2]
    assert len(names) == len(set(names)), f"a walk name used twice: {names}"
    return {name: example_lines(body) for name, body in zip(names, parts[2::2], strict=True)}


def argv(line: str) -> list[str]:
    """The arguments a shell passes for `line` (quotes, comments, `~`), without `depositctl`."""
    words = shlex.split(line, comments=True)
    assert words[0] == "depositctl", line
    return [os.path.expanduser(w) if w.startswith("~") else w for w in words[1:]]


def command_path(args: list[str]) -> tuple[str, ...]:
    """The command that `args` names, past the global options (`--db PATH`, `--lang en` ...)."""
    cmd, path, i = command("en"), [], 0
    while hasattr(cmd, "commands") and i < len(args):
        word = args[i]
        if word.startswith("-"):
            option = next((p for p in cmd.params if word.split("=")[0] in p.opts), None)
            takes_value = option is not None and not option.is_flag and "=" not in word
            i += 2 if takes_value else 1
            continue
        if word not in cmd.commands:
            break
        cmd = cmd.commands[word]
        path.append(word)
        i += 1
    return tuple(path)


def leaf_commands(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command a user runs (`profile set`, not the group `profile`), hidden ones aside."""
    if not hasattr(cmd, "commands"):
        return [path]
    found = []
    for name, sub in cmd.commands.items():
        if not getattr(sub, "hidden", False):
            found += leaf_commands(sub, (*path, name))
    return found


COMMANDS = leaf_commands(command("en"))
WALKS = walks()
EXAMPLES = [line for lines in WALKS.values() for line in lines]

#: Each walk by name, with the open cases (`status --json`) it leaves behind.
WALK_CASES = {"中文导览": [1, 2, 3], "English": [1, 2]}


def test_the_walk_finds_the_commands() -> None:
    """The lists below are not empty by accident."""
    assert {("add",), ("profile", "set"), ("evidence", "add"), ("import",)} <= set(COMMANDS)
    assert len(COMMANDS) > 20 and len(EXAMPLES) > 20
    assert list(WALKS) == list(WALK_CASES)
    assert all(len(lines) > 20 for lines in WALKS.values())


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_an_example_in_the_readme(path: tuple[str, ...]) -> None:
    documented = {command_path(argv(line)) for line in EXAMPLES}
    assert path in documented, f"README.md has no `depositctl {' '.join(path)} ...` example"


@pytest.mark.parametrize("line", EXAMPLES)
def test_every_readme_example_names_a_command(line: str) -> None:
    assert command_path(argv(line)) in COMMANDS, line


#: The files the tours' examples name, as a merchant would have them in the folder.
FILES: dict[str, bytes] = {
    "交易流水.csv": "交易日期,交易金额\n2025-04-02,1200.50\n2025/4/3,¥300\n2025-04-10,8000\n".encode(),
    "首刷扣款凭证.jpg": b"\xff\xd8\xff\xe0 a photo of the first card payment's receipt",
    "聊天记录.png": b"\x89PNG\r\n\x1a\n a screenshot of the agent's promise",
    "交易流水截图.png": b"\x89PNG\r\n\x1a\n a screenshot of the card volume in the app",
    "签收截图.png": b"\x89PNG\r\n\x1a\n the EMS tracking page: signed for",
    "退机快递单.jpg": b"\xff\xd8\xff\xe0 the courier slip of the returned terminal",
    "微信转账记录.png": b"\x89PNG\r\n\x1a\n a WeChat transfer to the salesperson",
}


@pytest.mark.parametrize("walk", list(WALK_CASES))
def test_the_readme_examples_run(
    walk: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    """In a fresh folder and home, against the default ledger (`~/.local/share/...`, which
    the `import --evidence-from` example names), in Chinese, with the tests' fixed today."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("DEPOSITCTL_DB", raising=False)
    monkeypatch.delenv("DEPOSITCTL_LANG", raising=False)
    for name, content in FILES.items():
        Path(name).write_bytes(content)
    ledger = home / ".local" / "share" / "depositctl" / "ledger.db"
    cli = Cli(ledger)
    for line in WALKS[walk]:
        r = cli.run(*argv(line), lang="zh")
        assert r.exit_code == 0, f"{line}\nexit {r.exit_code}\n{r.stdout}\n{r.stderr}"
        assert "Traceback" not in r.stdout + r.stderr, line
    assert ledger.exists()
    assert not (isolated / "ledger.db").exists()  # the tests' own ledger was not used
    cases = sorted(case["id"] for case in cli.ok("status", "--json").json())
    assert cases == WALK_CASES[walk]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ("现在开始记录您自己的押金", "profile set", "depositctl add", "README.md")),
        ("en", ("Now start your own", "profile set", "depositctl add", "README.md")),
    ],
)
def test_the_demo_ends_by_pointing_at_your_own_ledger(
    lang: str, words: tuple[str, ...], isolated: Path
) -> None:
    """`make demo` is the README's first command; its last line says how to go on (the tour)."""
    r = Cli(isolated / "ledger.db").run("demo", lang=lang)
    assert r.exit_code == 0, r.stderr
    last = r.stdout.rstrip("\n").splitlines()[-1]
    assert all(w in last for w in words), last
    assert not (isolated / "ledger.db").exists()


def test_the_chinese_tour_comes_first_and_opens_with_the_two_commands() -> None:
    """The README opens with `make demo` and `make test`, then speaks Chinese, then English."""
    text = README.read_text(encoding="utf-8")
    first_block = SH_BLOCK.search(text)
    assert first_block is not None and first_block.start() < text.index("\n## ")
    assert [line.split()[:2] for line in first_block.group(1).splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]
    assert (
        text.index("## 中文说明") < text.index("<!-- walk: 中文导览 -->") < text.index("## English")
    )
    assert text.index("## English") < text.index("<!-- walk: English -->")
    assert "pipx install ." in text and "uv tool install ." in text and ".venv/bin" in text
