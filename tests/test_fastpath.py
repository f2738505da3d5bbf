"""The fast path of `status` (depositctl/fast.py): the same bytes as Typer, or a hand-over."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from depositctl import fast
from depositctl.ops.env import Env
from depositctl.ops.views import status_listing
from depositctl.store.migrations import migration_names
from depositctl.store.schema import MIGRATIONS
from tests.fixtures import make_ledger

ARGS = [
    ["status", "--json"],
    ["status", "--json", "--all"],
    ["status", "--json", "--limit", "3"],
    ["status", "--limit", "0"],
    ["status", "--all", "--limit=0"],
    ["status", "--limit", "0", "--json"],
]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for n in (0, 5, 300):
        db = tmp_path_factory.mktemp(f"l{n}") / "ledger.db"
        make_ledger.main(["--cases", str(n), "--contacts-per-case", "3", "--db", str(db)])
        fresh(db)
        out[n] = db
    return out


def fresh(db: Path) -> None:
    """Compute the derived cache, as the first read does (a stale one is handed over)."""
    status_listing(Env(db_path=db, today=date(2026, 11, 24)))


def typer_output(argv: list[str]) -> str:
    run = subprocess.run(
        [sys.executable, "-c", "from depositctl.cli.main import main; main()", *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def test_migrations_listed() -> None:
    assert list(MIGRATIONS) == migration_names()


@pytest.mark.slow
@pytest.mark.parametrize("n", [0, 5, 300])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", ["2026-11-24", "2027-03-01"])
def test_same_bytes_as_typer(ledgers: dict[int, Path], n: int, lang: str, today: str) -> None:
    for args in ARGS:
        argv = ["--db", str(ledgers[n]), "--today", today, "--lang", lang, *args]
        mine = fast._status(argv, {})
        expected = typer_output(argv)
        if mine is None:  # handed over: only where rich would draw a table
            assert not args.count("--json") and n <= 200, argv
            continue
        assert mine == expected, argv


def test_served_in_process(ledgers: dict[int, Path]) -> None:
    out = fast._status(["--db", str(ledgers[300]), "--today", "2026-11-24", *ARGS[0]], {})
    assert out is not None and out.startswith("[\n  {\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--help"],
        ["status", "--bogus"],
        ["status", "--limit", "-1"],
        ["status", "--limit", "+3"],
        ["show", "1"],
        ["status", "--json", "extra"],
        ["--db"],
        [],
    ],
)
def test_hands_over_what_it_does_not_know(argv: list[str]) -> None:
    assert fast.parse(argv) is None


def test_dirty_cache_is_handed_over(ledgers: dict[int, Path], tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    make_ledger.main(["--cases", "300", "--contacts-per-case", "2", "--db", str(db)])
    fresh(db)
    argv = ["--db", str(db), "--today", "2026-11-24", "status", "--json"]
    assert fast._status(argv, {}) is not None
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cases SET provider = 'changed' WHERE id = 1")
    conn.commit()
    conn.close()
    assert fast._status(argv, {}) is None  # Typer recomputes the row first


def test_missing_ledger_is_handed_over(tmp_path: Path) -> None:
    argv = ["--db", str(tmp_path / "none.db"), "status", "--json"]
    with pytest.raises(FileNotFoundError):
        fast._status(argv, {})  # main() hands any exception over to Typer
    assert not (tmp_path / "none.db").exists()


@pytest.mark.slow
def test_no_heavy_imports(ledgers: dict[int, Path]) -> None:
    code = (
        "import sys; sys.argv = ['depositctl', '--db', sys.argv[1], 'status', '--json'];"
        "from depositctl.fast import main; main();"
        "heavy = [m for m in ('pydantic', 'typer', 'click', 'rich', 'sqlite_utils',"
        " 'dateutil.parser') if m in sys.modules]; print('HEAVY', heavy, file=sys.stderr)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(ledgers[300])], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("[")
    assert "HEAVY []" in run.stderr
