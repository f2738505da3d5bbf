"""The session-wide speed-ups of tests/conftest.py change no result: a ledger made from
the migrated copy is the ledger `open_ledger` makes, and a ledger `built_once` restores
is the one its builder writes."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

import depositctl.store.ledger as ledger_module
from tests.conftest import _REAL_CREATE, Cli
from tests.test_letters import load_demo


def described(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        return {
            "schema": conn.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY name"
            ).fetchall(),
            "pragmas": [
                conn.execute(f"PRAGMA {p}").fetchone()[0]
                for p in ("user_version", "journal_mode", "page_size", "auto_vacuum", "encoding")
            ],
            "migrations": conn.execute(
                "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
            ).fetchall(),
            "settings": conn.execute("SELECT * FROM settings ORDER BY key").fetchall(),
            "mode": stat.S_IMODE(os.stat(db).st_mode),
        }
    finally:
        conn.close()


def test_a_new_ledger_from_the_migrated_copy_is_a_migrated_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = tmp_path / "copied" / "ledger.db"
    ledger_module.open_ledger(copied).close()
    monkeypatch.setattr(ledger_module, "_create_private_file", _REAL_CREATE)
    migrated = tmp_path / "migrated" / "ledger.db"
    ledger_module.open_ledger(migrated).close()
    assert described(copied) == described(migrated)
    assert described(copied)["mode"] == 0o600
    for ledger in (copied, migrated):  # nothing else left in the folder
        assert sorted(p.name for p in ledger.parent.iterdir()) == ["ledger.db"]
        assert stat.S_IMODE(os.stat(ledger.parent).st_mode) == 0o700


def test_a_restored_demo_is_the_demo_loaded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixed_history_clock: None
) -> None:
    def demo_in(name: str, *, cached: bool) -> Cli:
        cli = Cli(tmp_path / name / "ledger.db")
        monkeypatch.setenv("DEPOSITCTL_DB", str(cli.db))
        if cached:
            load_demo(cli)  # the first call per session builds and keeps, later ones copy
        else:
            monkeypatch.setenv("DEPOSITCTL_DB", "elsewhere")  # built_once builds for real
            load_demo(cli)
        return cli

    demo_in("first", cached=True)
    restored = demo_in("second", cached=True)
    loaded = demo_in("third", cached=False)
    assert restored.snapshot() == loaded.snapshot() != {}
    for cli in (restored, loaded):
        assert cli.ok("--db", str(cli.db), "check").stdout.startswith("No problems found")

    def files(cli: Cli) -> list[tuple[str, int, bytes]]:
        root = cli.db.parent
        return sorted(
            (str(p.relative_to(root)), stat.S_IMODE(p.stat().st_mode), p.read_bytes())
            for p in root.rglob("*")
            if p.is_file() and not p.name.endswith(("-wal", "-shm")) and p.name != "ledger.db"
        )

    assert files(restored) == files(loaded)
