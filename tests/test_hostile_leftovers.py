"""Issue 13, leftovers: a backup or bundle that fails, is interrupted (SIGTERM) or killed
(kill -9) leaves nothing at the user's destination but, after kill -9, one hidden
`.NAME.depositctl-PID-….tmp` that the next run removes; a backup into a folder whose
stored evidence was altered re-verifies every file and replaces the damaged ones."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.test_letters import load_demo


@pytest.fixture
def demo(cli: Cli) -> Cli:
    load_demo(cli)
    return cli


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def blobs(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "evidence").rglob("*") if p.is_file())


def test_backup_reverifies_altered_evidence(demo: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "bk"
    demo.ok("backup", str(dest))
    stored = blobs(dest)
    assert stored
    victim = stored[0]
    victim.write_bytes(b"altered")
    r = demo.ok("backup", str(dest / "again.db"))
    assert hashlib.sha256(victim.read_bytes()).hexdigest() == victim.name, "not re-verified"
    assert "replaced 1" in r.stdout, r.stdout


def test_a_failed_backup_leaves_nothing(
    demo: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from depositctl.store import evidence

    real = evidence.copy_in
    calls = []

    def failing(src: Path, store: Path) -> tuple[Path, str, int]:
        calls.append(src)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, store)

    monkeypatch.setattr("depositctl.store.backup.copy_in", failing)
    dest = tmp_path / "bk"
    dest.mkdir()
    demo.fails("backup", str(dest), contains="No space left on device")
    assert tree(dest) == [], "a partial evidence folder or temporary stayed"


def test_a_second_backup_sweeps_a_killed_ones_staging(demo: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "bk"
    dest.mkdir()
    dead = 2**22 + 4321
    stale = dest / f".ledger.db.depositctl-{dead}-x1y2.tmp"
    (stale / "evidence").mkdir(parents=True)
    (stale / "ledger.db").write_bytes(b"half")
    demo.ok("backup", str(dest))
    assert not stale.exists()
    assert [p for p in dest.iterdir() if p.name.startswith(".")] == []


def test_calendar_and_folders_are_private_under_umask_000(demo: Cli, tmp_path: Path) -> None:
    cal = demo.db.parent / "workdays.toml"
    cal.write_text("[2026]\n", encoding="utf-8")
    old = os.umask(0)
    try:
        dest = tmp_path / "a" / "b"
        demo.ok("backup", str(dest))
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", dest, dest / "evidence"):
        assert oct(folder.stat().st_mode & 0o777) == oct(0o700), folder
    if (dest / "workdays.toml").exists():
        assert oct((dest / "workdays.toml").stat().st_mode & 0o777) == oct(0o600)


def _big_ledger(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "recording.bin"
    with open(big, "wb") as fh:
        for _ in range(60):
            fh.write(os.urandom(1024 * 1024))
    load_demo(cli)
    cli.ok("evidence", "add", "1", str(big), "--kind", "call-recording")


def _run(args: list[str], db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DEPOSITCTL_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "depositctl", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_while_writing(proc: subprocess.Popen[bytes], dest: Path, sig: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".") for p in dest.iterdir()):
            time.sleep(0.05)
            break
        time.sleep(0.01)
    proc.send_signal(sig)
    proc.wait(30)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_backup_leaves_nothing_after_the_next_run(
    cli: Cli, tmp_path: Path, sig: int
) -> None:
    _big_ledger(cli, tmp_path)
    dest = tmp_path / "bk"
    dest.mkdir()
    _kill_while_writing(_run(["backup", str(dest)], cli.db), dest, sig)
    left = tree(dest)
    assert "ledger.db" not in left and "evidence" not in left, left
    if sig == signal.SIGTERM:
        assert left == [], left
    else:  # at most the hidden staging folder
        assert {x.split("/")[0] for x in left} <= {
            p.name for p in dest.iterdir() if ".depositctl-" in p.name
        }
    cli.ok("backup", str(dest))
    assert sorted(p.name for p in dest.iterdir()) == ["evidence", "ledger.db", "ledger.db.head"]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_bundle_leaves_nothing_after_the_next_run(
    cli: Cli, tmp_path: Path, sig: int
) -> None:
    _big_ledger(cli, tmp_path)
    dest = tmp_path / "out"
    dest.mkdir()
    _kill_while_writing(_run(["bundle", "1", "-o", str(dest / "case.zip")], cli.db), dest, sig)
    left = [p.name for p in dest.iterdir()]
    if sig == signal.SIGTERM:
        assert left == [], left
    r = cli.run("bundle", "1", "-o", str(dest / "case.zip"))
    assert r.exit_code == 0, r.stderr
    assert [p.name for p in dest.iterdir()] == ["case.zip"]
