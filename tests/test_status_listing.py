"""`status`'s streamed, pruned read gives what the full facts give (functional, not timed)."""

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
            assert listing.total == len(full)
            assert (listing.outstanding, listing.overdue) == totals(full)
            top = status_listing(Env(db, today), include_all=include_all, limit=7)
            assert [v.id for v in top.shown] == [v.id for v in full[:7]]
            assert top.total == len(full)
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
