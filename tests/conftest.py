"""Shared fixtures: every test gets its own ledger folder and a fixed `today`."""

from __future__ import annotations

import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from depositctl.cli.main import build_app
from depositctl.i18n import set_language

TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the ledger, the calendar file, the language and the working directory at a
    private folder (a relative path in a test, e.g. a random `--db new`, lands there)."""
    folder = tmp_path / "ledger"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("DEPOSITCTL_DB", str(folder / "ledger.db"))
    monkeypatch.setenv("DEPOSITCTL_TODAY", TODAY)
    monkeypatch.setenv("DEPOSITCTL_LANG", "en")
    monkeypatch.delenv("DEPOSITCTL_CALENDAR", raising=False)
    yield folder


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@functools.cache
def command(lang: str) -> Any:
    """The app's Click command in `lang`, built once per language and session: building the
    Typer app and its Click command costs four times what most commands do (the console
    script builds it once per process too)."""
    return typer.main.get_command(build_app(lang))


class Cli:
    """Runs depositctl in-process, in the isolation of Typer's CliRunner."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def run(self, *args: str, lang: str = "en", input: str | None = None) -> Result:
        """`CliRunner.invoke` on the cached command; an exception other than SystemExit
        propagates (a traceback the user would see)."""
        cmd = command(lang)
        set_language(lang)  # as build_app(lang) does before the command line is parsed
        runner = CliRunner()
        with runner.isolation(input=input) as (out, err, _mixed):
            try:
                cmd.main(args=["--lang", lang, *args], prog_name=runner.get_default_prog_name(cmd))
                code = 0
            except SystemExit as exc:
                code = 0 if exc.code is None else exc.code
                if not isinstance(code, int):  # as CliRunner.invoke: the message, exit 1
                    sys.stdout.write(f"{code}\n")
                    code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            stdout, stderr = (s.getvalue().decode().replace("\r\n", "\n") for s in (out, err))
        return Result(code, stdout, stderr)

    def ok(self, *args: str, lang: str = "en", input: str | None = None) -> Result:
        r = self.run(*args, lang=lang, input=input)
        assert r.exit_code == 0, f"exit {r.exit_code}\nstdout: {r.stdout}\nstderr: {r.stderr}"
        assert r.stderr == "", r.stderr
        return r

    def fails(self, *args: str, lang: str = "en", contains: str | None = None) -> Result:
        """A clean failure: non-zero exit, one line on stderr, no traceback, ledger unchanged."""
        before = self.snapshot()
        r = self.run(*args, lang=lang)
        assert r.exit_code != 0, f"expected failure, got 0\nstdout: {r.stdout}"
        assert "Traceback" not in r.stderr + r.stdout
        lines = [x for x in r.stderr.splitlines() if x.strip()]
        assert len(lines) == 1, f"expected one line on stderr, got: {r.stderr!r}"
        if contains is not None:
            assert contains in r.stderr, r.stderr
        assert self.snapshot() == before, "the ledger changed on a failed command"
        return r

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every non-empty table of user data (a fresh ledger equals none)."""
        if not self.db.exists():
            return {}
        try:
            conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
            try:
                tables = [
                    r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                rows = {
                    t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
                    for t in tables
                    if t != "_sqlite_migrations"
                }
                return {t: r for t, r in rows.items() if r}
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return {"<unreadable>": [(self.db.read_bytes(),)]}


@pytest.fixture
def cli(isolated: Path) -> Cli:
    return Cli(isolated / "ledger.db")


@pytest.fixture
def case_id(cli: Cli) -> int:
    """One conditional case: 99 yuan, 50,000 yuan within 90 days, refund within 15wd."""
    r = cli.ok(
        "add",
        "--provider",
        "示例支付股份有限公司",
        "--amount",
        "99",
        "--paid-on",
        "2025-03-05",
        "--activated-on",
        "2025-03-05",
        "--serial",
        "SN123",
        "--condition-volume",
        "50000",
        "--condition-days",
        "90",
        "--refund-within",
        "15wd",
    )
    return int(r.stdout.split("#")[1].split()[0])


@pytest.fixture(scope="session")
def build_ledger() -> Callable[..., dict[str, int]]:
    """`build(db, cases, contacts_per_case, evidence_per_case, today, seed=1)`: a new ledger
    at `db` with many cases in every state, written in one transaction
    (tests/fixtures/make_ledger.py, which also builds the benchmark's ledgers)."""
    from tests.fixtures.make_ledger import build

    return build


@pytest.fixture
def fixed_history_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """History entries stamped at a fixed time by a fixed user, so the ledger's head (the
    last hash, printed in letter footers) is the same on every run (golden letters)."""
    monkeypatch.setattr("depositctl.store.ledger._now", lambda: f"{TODAY}T09:00:00+00:00")
    monkeypatch.setattr("depositctl.store.ledger._who", lambda: "golden")
