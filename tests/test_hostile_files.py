"""Issue 13, files and modes: a read-only ledger or folder is named as such and never
chmod-ed; an open error that is not "not a database" says what it is; folders created
under umask 000 are 0700 and copied files 0600; `$HOME` in DEPOSITCTL_DB is expanded.

Modes are checked by the owner's bits where depositctl owns the file, so these hold (and
are tested) as root too."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import Cli


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_read_only_ledger_is_not_chmod_ed(cli: Cli) -> None:
    cli.ok("status")
    os.chmod(cli.db, 0o400)
    r = cli.run("add", "--provider", "X公司", "--amount", "99", "--paid-on", "2025-03-05")
    assert r.exit_code != 0
    assert "read-only" in r.stderr and "not a depositctl ledger" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert mode(cli.db) == 0o400


def test_a_read_only_folder_is_named(cli: Cli) -> None:
    cli.ok("status")
    folder = cli.db.parent
    os.chmod(folder, 0o500)
    try:
        r = cli.run("status")
        assert r.exit_code != 0
        assert "read-only" in r.stderr and "not a depositctl ledger" not in r.stderr, r.stderr
    finally:
        os.chmod(folder, 0o700)


def test_group_rights_are_taken_away_but_none_added(cli: Cli) -> None:
    cli.ok("status")
    os.chmod(cli.db, 0o640)
    cli.ok("status")
    assert mode(cli.db) == 0o600


def test_a_full_disk_is_not_called_a_foreign_file(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("status")
    real = sqlite3.connect

    class Full:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> object:
            if sql.startswith("PRAGMA schema_version"):
                exc = sqlite3.OperationalError("database or disk is full")
                exc.sqlite_errorcode = 13  # type: ignore[attr-defined]
                raise exc
            return self.conn.execute(sql, *args)

        def close(self) -> None:
            self.conn.close()

    monkeypatch.setattr(
        "depositctl.store.ledger.sqlite3.connect", lambda *a, **k: Full(real(*a, **k))
    )
    r = cli.run("status")
    assert r.exit_code != 0
    assert "disk is full" in r.stderr and "not a depositctl ledger" not in r.stderr, r.stderr


def test_umask_000_creates_private_folders(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "new" / "deep" / "ledger.db"
    monkeypatch.setenv("DEPOSITCTL_DB", str(db))
    old = os.umask(0)
    try:
        Cli(db).ok("status")
        out = tmp_path / "exp" / "sub" / "e.json"
        Cli(db).ok("export", "-o", str(out))
    finally:
        os.umask(old)
    for folder in (tmp_path / "new", db.parent, tmp_path / "exp", out.parent):
        assert mode(folder) == 0o700, folder
    assert mode(db) == 0o600 and mode(out) == 0o600


def test_home_in_the_ledger_variable_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DEPOSITCTL_DB", "$HOME/dl/ledger.db")
    Cli(tmp_path / "home" / "dl" / "ledger.db").ok("status")
    assert (tmp_path / "home" / "dl" / "ledger.db").is_file()
    assert not Path("$HOME").exists()


def test_an_unset_variable_in_the_ledger_path_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_VAR_13", raising=False)
    monkeypatch.setenv("DEPOSITCTL_DB", "$NO_SUCH_VAR_13/ledger.db")
    r = Cli(tmp_path / "x.db").run("status")
    assert r.exit_code != 0 and "not set" in r.stderr, r.stderr
    assert not Path("$NO_SUCH_VAR_13").exists()
