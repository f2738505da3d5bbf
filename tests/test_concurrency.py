"""Subprocess tests of the installed console script: concurrent writers, kill -9 in the
middle of an import and of `evidence add`, tampering found by `check`, backup while
another process writes. Each process is bounded by a timeout."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from depositctl.store.rows import history_hash

EXE = shutil.which("depositctl", path=str(Path(sys.prefix) / "bin")) or shutil.which("depositctl")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.alone,
    pytest.mark.skipif(EXE is None, reason="the depositctl console script is not installed"),
]
TIMEOUT = 60


def run(*args: str, db: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEPOSITCTL_LANG="en")
    if db is not None:
        env["DEPOSITCTL_DB"] = str(db)
    r = subprocess.run(
        [str(EXE), *args], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert "Traceback" not in r.stderr, r.stderr
    assert "database is locked" not in r.stderr, r.stderr
    if check:
        assert r.returncode == 0, f"{args}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def spawn(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, DEPOSITCTL_LANG="en")
    return subprocess.Popen(
        [str(EXE), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.002)
    return False


def writer_holds_the_lock(db: Path) -> bool:
    """True while another connection is inside a write transaction."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def count(db: Path, table: str = "cases") -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def big_export(n: int) -> dict[str, Any]:
    """An export of `n` cases with a valid hash chain (as `export` would write it)."""
    cases, history, prev = [], [], None
    for i in range(1, n + 1):
        row = {
            "provider": f"示例支付股份有限公司{i}",
            "amount_fen": 9900,
            "paid_on": "2025-03-05",
            "serial": f"SN{i:06d}",
            "no_condition": 1,
            "created_at": "2026-11-24T00:00:00+00:00",
            "note": "押金从首笔刷卡中扣除" * 5,
        }
        cases.append({"id": i, **row})
        h: dict[str, Any] = {
            "id": i,
            "case_id": i,
            "at": "2026-11-24T00:00:00+00:00",
            "by": "test",
            "action": "add",
            "changes": json.dumps(row, ensure_ascii=False, sort_keys=True),
            "prev_hash": prev,
        }
        h["hash"] = prev = history_hash(prev, h)
        history.append(h)
    empty: list[Any] = []
    return {
        "format": "depositctl-export",
        "format_version": 1,
        "schema_version": 1,
        "redacted": False,
        "history_head": prev,
        "profile": None,
        "settings": empty,
        "cases": cases,
        "progress": empty,
        "contacts": empty,
        "evidence": empty,
        "refunds": empty,
        "history": history,
    }


ADD = ["add", "--provider", "示例支付股份有限公司", "--amount", "99", "--paid-on", "2025-03-05"]


@pytest.fixture
def db(isolated: Path) -> Path:
    path = isolated / "ledger.db"
    run("check")  # create and migrate it first
    return path


def test_two_processes_writing_at_once_both_succeed(db: Path) -> None:
    add = shlex.join([str(EXE), *ADD])
    progress = shlex.join([str(EXE), "progress", "1", "--on", "2025-04-01", "--volume", "10"])
    loop = (
        f"for i in 1 2 3 4 5 6 7 8; do {add} --serial W$1-$i >/dev/null || exit 1; "
        f"{progress} >/dev/null || exit 1; done"
    )
    procs = [
        subprocess.Popen(
            ["bash", "-c", loop, "writer", str(n)],
            env=dict(os.environ, DEPOSITCTL_LANG="en"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=TIMEOUT)
        assert p.returncode == 0, err
        assert "locked" not in err and "busy" not in err and "Traceback" not in err, err
    assert count(db) == 16
    assert count(db, "progress") == 16
    assert run("check").stdout.startswith("No problems found (16 cases")


def test_processes_creating_the_same_new_ledger_at_once(tmp_path: Path) -> None:
    target = tmp_path / "new" / "ledger.db"
    procs = [spawn("--db", str(target), *ADD, "--serial", f"S{n}") for n in range(3)]
    for p in procs:
        _out, err = p.communicate(timeout=TIMEOUT)
        assert p.returncode == 0, err
    assert count(target) == 3
    assert run("--db", str(target), "check").stdout.startswith("No problems found (3 cases")


def test_a_writer_waits_for_a_long_import_instead_of_failing(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "big.json"
    f.write_text(json.dumps(big_export(20_000), ensure_ascii=False), encoding="utf-8")
    importer = spawn("import", str(f))
    assert wait_until(lambda: writer_holds_the_lock(db) or importer.poll() is not None)
    second = run(*ADD, "--serial", "LATE")  # waits on the busy timeout, then writes
    _out, err = importer.communicate(timeout=TIMEOUT)
    assert importer.returncode == 0, err
    assert "Case #20001 added." in second.stdout
    assert run("check").stdout.startswith("No problems found (20001 cases")


def test_kill_9_during_a_large_import_leaves_all_or_nothing(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "big.json"
    f.write_text(json.dumps(big_export(20_000), ensure_ascii=False), encoding="utf-8")
    importer = spawn("import", str(f))
    assert wait_until(lambda: writer_holds_the_lock(db) or importer.poll() is not None)
    importer.send_signal(signal.SIGKILL)
    importer.communicate(timeout=TIMEOUT)
    n = count(db)
    assert n in (0, 20_000)
    assert importer.returncode == -signal.SIGKILL
    assert run("check").stdout.startswith("No problems found")
    assert count(db, "history") in (0, 20_001)
    if n == 0:  # the ledger is still empty: the import can simply be run again
        run("import", str(f))
        assert count(db) == 20_000
        assert run("check").stdout.startswith("No problems found (20000 cases")


def test_kill_9_during_evidence_add_leaves_no_half_fact(db: Path, tmp_path: Path) -> None:
    run(*ADD)
    big = tmp_path / "通话录音.wav"
    with open(big, "wb") as fh:  # sparse: cheap to make, still read and hashed in full
        fh.truncate(768 * 1024 * 1024)
    tmp = db.parent / "evidence" / "tmp"
    adder = spawn("evidence", "add", "1", str(big), "--kind", "call-recording")

    def copying() -> bool:
        return adder.poll() is not None or (
            tmp.is_dir() and any(p.stat().st_size > 0 for p in tmp.iterdir())
        )

    assert wait_until(copying)
    adder.send_signal(signal.SIGKILL)
    adder.communicate(timeout=TIMEOUT)
    r = run("check")
    assert "No problems found" in r.stdout
    rows = count(db, "evidence")
    if adder.returncode == -signal.SIGKILL and rows == 0:
        # the half-written copy (or a complete but unrecorded one) is reported, not missed
        assert ": note: " in r.stdout, r.stdout
    assert run("evidence", "list", "--json").stdout.count('"sha256"') == rows
    small = tmp_path / "receipt.txt"
    small.write_text("receipt", encoding="utf-8")
    run("evidence", "add", "1", str(small), "--kind", "receipt")
    assert not list(tmp.iterdir())  # the next evidence add swept the leftovers
    big.unlink()


def test_a_large_file_is_streamed_and_stored_once(db: Path, tmp_path: Path) -> None:
    """A 256 MB recording: memory stays far below its size; added to two cases (the same
    file twice in one case is refused), stored once."""
    run(*ADD)
    run(*ADD)
    big = tmp_path / "录音.wav"
    with open(big, "wb") as fh:
        fh.truncate(256 * 1024 * 1024)
        fh.seek(1000)
        fh.write(b"RIFF")
    measure = (
        "import resource, subprocess, sys; "
        "r = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    for case in ("1", "2"):
        r = subprocess.run(
            [
                sys.executable,
                "-c",
                measure,
                str(EXE),
                "evidence",
                "add",
                case,
                str(big),
                "--kind",
                "call-recording",
            ],
            env=dict(os.environ, DEPOSITCTL_LANG="en"),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        )
        code, peak_kb = (int(x) for x in r.stdout.split())
        assert code == 0
        assert peak_kb < 128 * 1024, f"peak memory {peak_kb} kB for a 256 MB file"
    blobs = [p for p in (db.parent / "evidence").glob("*/*") if p.parent.name != "tmp"]
    assert len(blobs) == 1 and blobs[0].stat().st_size == big.stat().st_size
    assert count(db, "evidence") == 2
    blobs[0].unlink()
    big.unlink()


def test_tampering_is_found_by_check(db: Path, tmp_path: Path) -> None:
    run(*ADD, "--serial", "SN1")
    f = tmp_path / "contract.txt"
    f.write_text("合同", encoding="utf-8")
    run("evidence", "add", "1", str(f), "--kind", "contract")
    run("contact", "1", "--on", "2025-06-01", "--channel", "phone", "--outcome", "promised")
    assert run("check").stdout.startswith("No problems found")
    blob = next(p for p in (db.parent / "evidence").glob("*/*") if p.parent.name != "tmp")
    blob.write_text("合同（改）", encoding="utf-8")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE history SET changes = replace(changes, 'promised', 'refused')")
    conn.close()
    r = run("check", check=False)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(x.startswith("#1: evidence file contract.txt") and "changed" in x for x in lines)
    assert any(x.startswith("#1: history entry") and "changed outside" in x for x in lines)
    assert "problems found" in r.stderr


def test_backup_while_another_process_writes(db: Path, tmp_path: Path) -> None:
    run(*ADD)
    f = tmp_path / "receipt.txt"
    f.write_text("receipt", encoding="utf-8")
    run("evidence", "add", "1", str(f), "--kind", "receipt")
    loop = f"for i in $(seq 1 12); do {EXE} progress 1 --on 2025-04-01 --volume 10 >/dev/null || exit 1; done"
    writer = subprocess.Popen(
        ["bash", "-c", loop],
        env=dict(os.environ, DEPOSITCTL_LANG="en"),
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    for n in range(3):
        target = tmp_path / f"bk{n}" / "ledger.db"
        run("backup", str(target))
        copies.append(target)
    _out, err = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0, err
    seen = []
    for target in copies:
        assert run("check", db=target).stdout.startswith("No problems found")
        seen.append(count(target, "progress"))
    assert seen == sorted(seen) and seen[-1] <= 12
    assert count(db, "progress") == 12


def test_the_first_schema_fixture_through_the_console_script(tmp_path: Path) -> None:
    from tests.test_migrations import install_v1

    db = install_v1(tmp_path / "old")
    assert run("--db", str(db), "check").stdout.startswith("No problems found (8 cases")
    assert len(json.loads(run("--db", str(db), "status", "--json", "--all").stdout)) == 8
    future = install_v1(tmp_path / "future")
    conn = sqlite3.connect(future)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = future.read_bytes()
    r = run("--db", str(future), "status", check=False)
    assert r.returncode == 4 and "newer depositctl" in r.stderr
    assert future.read_bytes() == before


def test_bytes_that_are_not_utf8_on_the_command_line(db: Path, tmp_path: Path) -> None:
    """A terminal not set to UTF-8: one clear line, nothing written."""
    env = dict(os.environ, DEPOSITCTL_LANG="en")
    for argv in (
        [*ADD[:2], b"Bad\xff\xfe", *ADD[3:]],
        ["profile", "set", "--name", b"\xb9\xfa"],
        ["show", b"\xff"],
    ):
        r = subprocess.run(
            [str(EXE), *argv], env=env, capture_output=True, timeout=TIMEOUT, check=False
        )
        err = r.stderr.decode("utf-8", "replace")
        assert r.returncode == 2 and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1, err
    assert count(db) == 0


def test_check_while_another_process_writes_sees_no_false_problem(db: Path, tmp_path: Path) -> None:
    """check reads one snapshot: a case and its history entry appear together or not at all."""
    f = tmp_path / "big.json"
    f.write_text(json.dumps(big_export(3_000), ensure_ascii=False), encoding="utf-8")
    run("import", str(f))
    add = shlex.join([str(EXE), *ADD])
    contact = shlex.join(
        [str(EXE), "contact", "1", "--on", "2025-04-01", "--channel", "phone", "--again"]
    )
    writer = subprocess.Popen(
        [
            "bash",
            "-c",
            f"for i in $(seq 1 6); do {add} >/dev/null && {contact} >/dev/null || exit 1; done",
        ],
        env=dict(os.environ, DEPOSITCTL_LANG="en"),
        stderr=subprocess.PIPE,
        text=True,
    )
    checks = 0
    while writer.poll() is None or checks < 2:
        r = run("check", check=False)
        assert r.returncode == 0, r.stdout + r.stderr
        checks += 1
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert count(db) == 3_006


def test_kill_9_at_any_point_of_evidence_add_is_all_or_nothing(db: Path, tmp_path: Path) -> None:
    """Killed while copying the first file, between files, or once every file is stored
    (while recording them): the three files of one command are recorded all together or
    not at all, and `check` passes."""
    run(*ADD)
    store = db.parent / "evidence"
    tmp = store / "tmp"

    def blobs() -> set[str]:
        return {p.name for p in store.glob("*/*") if p.parent.name != "tmp"}

    phases: dict[str, Callable[[set[str]], bool]] = {
        "copying": lambda old: tmp.is_dir() and any(p.stat().st_size for p in tmp.iterdir()),
        "one stored": lambda old: len(blobs() - old) >= 1,
        "all stored": lambda old: len(blobs() - old) >= 3,
    }
    outcomes = []
    for n, (phase, reached) in enumerate(phases.items()):
        files = []
        for k in range(3):
            f = tmp_path / f"录音{n}-{k}.wav"
            with open(f, "wb") as fh:
                fh.write(os.urandom(1024))
                fh.truncate(24 * 1024 * 1024)
            files.append(str(f))
        old, rows = blobs(), count(db, "evidence")
        p = spawn("evidence", "add", "1", *files, "--kind", "call-recording")

        def ready(p: Any = p, reached: Any = reached, old: set[str] = old) -> bool:
            return bool(reached(old) or p.poll() is not None)

        assert wait_until(ready)
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=TIMEOUT)
        added = count(db, "evidence") - rows
        assert added in (0, 3), (phase, added)
        assert "No problems found" in run("check").stdout
        outcomes.append((phase, p.returncode, added))
    assert outcomes[0][1:] == (-signal.SIGKILL, 0), outcomes
    small = tmp_path / "receipt.txt"
    small.write_text("receipt", encoding="utf-8")
    run("evidence", "add", "1", str(small), "--kind", "receipt")
    assert not list(tmp.iterdir())  # half-written copies swept
    # complete copies no record uses are reported as notes (an add again reuses them)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    orphans = blobs() - {r[0] for r in conn.execute("SELECT sha256 FROM evidence")}
    conn.close()
    r = run("check")
    assert "No problems found" in r.stdout
    assert r.stdout.count("no evidence record uses") == len(orphans)
