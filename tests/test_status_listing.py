"""`status`'s streamed, pruned read gives what the full facts give (functional, not timed)."""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from depositctl.core.caseview import CaseView
from depositctl.core.models import State
from depositctl.ops.env import Env
from depositctl.ops.views import case_views, status_listing
from depositctl.render.jsonout import status_item
from depositctl.store.calendar import make_evaluator
from depositctl.store.ledger import open_ledger


def totals(views: list[CaseView]) -> tuple[Decimal, Decimal]:
    """What status's totals line must say, summed over the fully evaluated views."""
    outstanding = sum((v.outstanding for v in views if v.state is not State.CLOSED), Decimal(0))
    overdue = sum((v.outstanding for v in views if v.state is State.OVERDUE), Decimal(0))
    return outstanding, overdue


@pytest.mark.parametrize("contacts", [0, 1, 12])
def test_status_listing_matches_full_facts(
    tmp_path: Path, build_ledger: Callable[..., object], contacts: int
) -> None:
    db = tmp_path / "ledger.db"
    today = date(2026, 11, 24)
    build_ledger(db, 140, contacts, 1, today, seed=contacts)
    with open_ledger(db) as led:
        ev = make_evaluator(led, today)
        for include_all in (False, True):
            full = case_views(led, ev, include_all=include_all)
            listing = status_listing(Env(db, today), include_all=include_all)
            assert [status_item(v) for v in listing.shown] == [status_item(v) for v in full]
            assert listing.totals.total == len(full)
            assert (listing.totals.outstanding, listing.totals.overdue) == totals(full)
            top = status_listing(Env(db, today), include_all=include_all, limit=7)
            assert [v.id for v in top.shown] == [v.id for v in full[:7]]
            assert top.totals.total == len(full)
        assert {v.state for v in case_views(led, ev, include_all=True)} == set(State)


def test_big_listing_is_plain_aligned_text(
    tmp_path: Path, build_ledger: Callable[..., object]
) -> None:
    from typer.testing import CliRunner

    from depositctl.cli.main import build_app

    db = tmp_path / "ledger.db"
    build_ledger(db, 400, 2, 0, date(2026, 11, 24))
    args = ["--lang", "en", "--db", str(db), "--today", "2026-11-24", "status"]
    r = CliRunner().invoke(build_app("en"), [*args, "--limit", "0"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "Deposits as of 2026-11-24"
    assert lines[1].split()[:3] == ["#", "Provider", "/"]
    assert len(lines) == 3 + 320 + 2  # title, header, rule, the open cases, two totals lines
    assert "more cases not shown" not in r.stdout
    top = CliRunner().invoke(build_app("en"), args)
    assert "┃" in top.stdout and "270 more cases not shown" in top.stdout


# -- layout: 80 columns, commands whole ------------------------------------------------------
def _render_status(db: Path, lang: str, width: int) -> tuple[str, list[str]]:
    """`status` rendered on a console `width` columns wide, and the commands its next
    actions name."""
    import io

    from rich.console import Console

    from depositctl.i18n import set_language
    from depositctl.render import tables
    from depositctl.render.text import action_text

    set_language(lang)
    try:
        s = status_listing(Env(db, date(2026, 11, 24)))
        buf = io.StringIO()
        con = Console(file=buf, width=width, color_system=None, force_terminal=False)
        tables.status_listing(s.shown, s.totals, date(2026, 11, 24), con)
        commands = [tables.split_command(action_text(v.next_action))[1] for v in s.shown]
    finally:
        set_language("en")
    return buf.getvalue(), [c for c in commands if c]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    from depositctl import data
    from depositctl.store.casefile import load_casefile, read_casefile

    db = tmp_path / "ledger.db"
    example = data.path("examples", "demo-ledger.toml")
    with open_ledger(db) as led:
        load_casefile(led, read_casefile(example), example.parent, date(2026, 11, 24))
    return db


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 120])
def test_status_fits_the_width_and_keeps_commands_whole(
    demo_db: Path, lang: str, width: int
) -> None:
    from rich.cells import cell_len

    text, commands = _render_status(demo_db, lang, width)
    lines = text.splitlines()
    assert len(commands) >= 4
    for line in lines:
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"
    stripped = [line.strip() for line in lines]
    for command in commands:
        assert command in stripped, f"{command!r} not on a line of its own:\n{text}"
    # every `depositctl` printed starts a whole command on its line: none is cut
    for line in lines:
        for m in re.finditer(r"deposi[\w-]*", line):
            assert m.group(0) == "depositctl", line
            if line.strip().startswith("depositctl"):
                assert line.strip() in [*commands, "depositctl", "depositctl status --all"], line
    # the table itself holds the words, with the provider, the state and the due date
    assert ("下一步" if lang == "zh" else "Next action") in text
    assert ("已逾期" if lang == "zh" else "overdue") in text


def test_long_commands_fit_80_columns(tmp_path: Path) -> None:
    """The longest command the next action names (contact … --channel provider-complaint
    --refund-request) with a three-digit case id still fits, whole, in 80 columns (as
    printed: DATE stands for the date, 日期 in Chinese, as wide)."""
    from rich.cells import cell_len

    from depositctl.core import ladder

    source = Path(ladder.__file__).read_text(encoding="utf-8")
    templates = re.findall(r"(depositctl [^\"]+)\"", source)
    assert templates
    for template in templates:
        command = template.replace("{id}", "123")
        assert cell_len("  " + command) <= 80, command


def test_empty_ledger_says_what_to_do(cli) -> None:  # type: ignore[no-untyped-def]
    zh = cli.ok("status", lang="zh").stdout
    en = cli.ok("status", lang="en").stdout
    for text in (zh, en):
        lines = [x.strip() for x in text.splitlines()]
        assert "depositctl demo" in lines and "depositctl status --all" in lines
        assert any(x.startswith("depositctl add --provider") for x in lines)
        assert "┃" not in text
    assert "没有未结案件" in zh and "No open cases" in en


def test_add_prints_the_next_step(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.ok(
        "add",
        "--provider",
        "示例支付股份有限公司",
        "--amount",
        "99",
        "--paid-on",
        "2026-11-01",
        lang="zh",
    )
    lines = [x.strip() for x in r.stdout.splitlines()]
    assert lines[0] == "已添加案件 #1。"
    assert "depositctl show 1" in lines
    printed = "depositctl contact 1 --on 日期 --channel 电话"
    assert printed in lines
    # the printed command works once the date is filled in
    cli.ok(*printed.replace("日期", "2026-11-20").split()[1:], lang="zh")
