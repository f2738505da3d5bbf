"""The installed console script, run as a real process (a few, they are slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "depositctl"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed"),
]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def env(isolated: Path) -> dict[str, str]:
    """The environment the `isolated` fixture set up, for a child process."""
    e = dict(os.environ)
    e.pop("COLUMNS", None)
    return e


def test_version(env: dict[str, str]) -> None:
    from depositctl import __version__

    r = run("--version", env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"depositctl {__version__}"
    assert r.stderr == ""


def test_demo(env: dict[str, str], isolated: Path) -> None:
    r = run("--lang", "en", "demo", env=env)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "overdue" in r.stdout
    assert "Total outstanding" in r.stdout
    assert not (isolated / "ledger.db").exists()


def test_add_then_status_json(env: dict[str, str], isolated: Path) -> None:
    r = run(
        "add",
        "--provider",
        "示例支付股份有限公司",
        "--amount",
        "¥99",
        "--paid-on",
        "2025/3/5",
        "--activated-on",
        "2025年3月5日",
        "--condition-volume",
        "50,000",
        "--condition-days",
        "90",
        "--refund-within",
        "15wd",
        "--serial",
        "SN1",
        env=env,
    )
    assert r.returncode == 0, r.stderr
    assert "#1" in r.stdout
    r = run("progress", "1", "--on", "20250420", "--volume", "50000", env=env)
    assert r.returncode == 0, r.stderr
    r = run("status", "--json", env=env)
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["id"] == 1
    assert row["serial"] == "SN1"
    assert row["amount"] == "99.00"
    assert row["state"] == "overdue"
    assert row["condition_met_on"] == "2025-04-20"
    assert row["refund_due_on"] == "2025-05-13"
    assert row["days_overdue"] == 560
    assert (isolated / "ledger.db").stat().st_mode & 0o777 == 0o600
    assert isolated.stat().st_mode & 0o777 == 0o700


def test_bad_input_has_no_traceback(env: dict[str, str], isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "ledger.db").write_bytes(b"garbage" * 100)
    for args in (
        ("add", "--provider", "P", "--amount", "99.999", "--paid-on", "2025-03-05"),
        ("status",),
        ("show", "abc"),
        ("--lang", "zh", "status"),
    ):
        r = run(*args, env=env)
        assert r.returncode != 0, args
        assert "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert (isolated / "ledger.db").read_bytes() == b"garbage" * 100


def test_missing_values_without_a_terminal(env: dict[str, str]) -> None:
    r = run("add", "--amount", "99", "--paid-on", "2025-03-05", env=env)
    assert r.returncode != 0
    assert "--provider" in r.stderr
    assert "Traceback" not in r.stderr
