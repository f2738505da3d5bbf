"""Shared fixtures: every test gets its own ledger folder and a fixed `today`."""

from __future__ import annotations

import atexit
import copy
import functools
import json
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import typer
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

import depositctl.store.ledger as ledger_module
from depositctl.cli.main import build_app
from depositctl.i18n import set_language

TODAY = "2026-11-24"
T = TypeVar("T")

#: Every example (CI, `make test`), with no check that times a test or its data's
#: generation: the suite runs on every core beside subprocesses, and a draw that took a
#: second on a loaded machine failed a run (`HealthCheck.too_slow`) with nothing wrong.
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("untimed")
#: `make quick` runs with `--hypothesis-profile=quick`: a quarter of the examples (see
#: `examples`).
settings.register_profile("quick", parent=settings.get_profile("untimed"), max_examples=25)


def examples(n: int) -> int:
    """A property test's example count: `n` under the default profile (100 examples, what
    CI runs), scaled down with the profile's count (`quick`: n/4), never below 10."""
    return max(10, n * settings.default.max_examples // 100)


# -- session-wide speed-ups: each does once per session what every test would repeat --------
_REAL_CREATE = ledger_module._create_private_file
_REAL_NOW = ledger_module._now


@pytest.fixture(scope="session", autouse=True)
def migrated_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A new ledger starts as a copy of one migrated in this session (by the real
    `open_ledger`), instead of running every migration again: migrating costs more than
    most commands. The copy appears whole (written aside, then hard-linked into place, as
    `O_EXCL` creates it), with the same mode (0600) and folders (`private_mkdir`); a path
    that exists, or anything unusual on the way, takes the real, empty-file path."""
    folder = tmp_path_factory.mktemp("migrated")
    ledger_module.open_ledger(folder / "ledger.db").close()
    leftovers = sorted(p.name for p in folder.iterdir())
    assert leftovers == ["ledger.db"], leftovers  # no -wal, no head file: one file is all
    template = (folder / "ledger.db").read_bytes()

    def create_from_template(path: Path) -> None:
        if os.path.lexists(path):
            return _REAL_CREATE(path)
        from depositctl.store.outfile import private_mkdir

        private_mkdir(path.parent)
        aside = path.with_name(f".{path.name}.{secrets.token_hex(6)}.template")
        try:
            fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return _REAL_CREATE(path)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(template)
            try:
                os.link(aside, path)
            except FileExistsError:
                pass  # as O_EXCL: someone else created it first
            except OSError:
                return _REAL_CREATE(path)
        finally:
            os.unlink(aside)
        return None

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ledger_module, "_create_private_file", create_from_template)
        yield


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the ledger, the calendar file, the language (English) and the working
    directory at a private folder (a relative path in a test, e.g. a random `--db new`,
    lands there)."""
    folder = tmp_path / "ledger"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("DEPOSITCTL_DB", str(folder / "ledger.db"))
    monkeypatch.setenv("DEPOSITCTL_TODAY", TODAY)
    monkeypatch.setenv("DEPOSITCTL_LANG", "en")
    monkeypatch.delenv("DEPOSITCTL_CALENDAR", raising=False)
    # The language a test before this one left behind (Cli.run sets it) is not this one's.
    set_language("en")
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


# -- ledgers built once per session, copied per test ------------------------------------------
_BUILT: dict[tuple[Any, ...], tuple[Path, dict[str, bytes], Any]] = {}


@functools.cache
def _keep_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="depositctl-tests-built-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def built_once(name: str, cli: Cli, build: Callable[[], T], beside: Path | None = None) -> T:
    """`build()` fills the test's new ledger (through the CLI or the store) and may write
    files into `beside`. The first call per session runs it and keeps a copy of the
    ledger's folder, of those files and of its result; later calls restore the copy
    instead. Only for a ledger that does not exist yet, where the commands write (the
    `DEPOSITCTL_DB` of `isolated`); kept apart by the history clock (fixed or live) and
    the environment the commands read."""
    folder = cli.db.parent
    if os.path.lexists(folder) or os.environ.get("DEPOSITCTL_DB") != str(cli.db):
        return build()
    clock = (
        None if ledger_module._now is _REAL_NOW else ledger_module._now(),
        ledger_module._who(),
    )
    key = (
        name,
        cli.db.name,
        clock,
        *(os.environ.get(v) for v in ("DEPOSITCTL_TODAY", "DEPOSITCTL_CALENDAR")),
    )
    if key in _BUILT:
        kept, files, value = _BUILT[key]
        shutil.copytree(kept, folder, symlinks=True)
        for file, data in files.items():
            assert beside is not None
            (beside / file).write_bytes(data)
        return copy.deepcopy(value)
    before = set(beside.iterdir()) if beside else set()
    value = build()
    kept = _keep_root() / str(len(_BUILT))
    shutil.copytree(folder, kept, symlinks=True)
    files = {}
    if beside:
        files = {p.name: p.read_bytes() for p in set(beside.iterdir()) - before if p.is_file()}
    _BUILT[key] = (kept, files, copy.deepcopy(value))
    return value


@pytest.fixture
def cli(isolated: Path) -> Cli:
    return Cli(isolated / "ledger.db")


@pytest.fixture
def case_id(cli: Cli) -> int:
    """One conditional case: 99 yuan, 50,000 yuan within 90 days, refund within 15wd
    (added once per session: later tests get a copy of that ledger, `built_once`)."""
    return built_once("case_id", cli, lambda: _add_conditional_case(cli))


def _add_conditional_case(cli: Cli) -> int:
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
