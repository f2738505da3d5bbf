"""depositctl side by side with tools people already use (see benchmarks/README.md).

    make bench                       # from a clean clone: venv, apt packages, this script
    benchmarks/.venv/bin/python benchmarks/run.py [--runs 10] [--quick]

Needs hyperfine, taskwarrior (`task`) and GNU time (`/usr/bin/time`), and depositctl
installed normally (not editable) in the interpreter running this script. Builds its
ledgers and the taskwarrior data under benchmarks/.work/ (deleted and rebuilt each run),
then prints a table of medians, the ratios against the targets, the growth of `status`
from 1,000 to 100,000 cases and the peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-24"
BIN = Path(sys.executable).parent
DEPOSITCTL = str(BIN / "depositctl")
SQLITE_UTILS = str(BIN / "sqlite-utils")
PYTHON = sys.executable
#: The same rows as `status --json`: every open case (not closed, not fully refunded).
OPEN_CASES_SQL = (
    "select c.* from cases c where c.closed_on is null and c.amount_fen > "
    "(select coalesce(sum(r.amount_fen), 0) from refunds r where r.case_id = c.id)"
)


def sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)  # type: ignore[call-overload,no-any-return]


def check_install() -> None:
    missing = [t for t in ("hyperfine", "task") if shutil.which(t) is None]
    if not Path("/usr/bin/time").exists():
        missing.append("/usr/bin/time (package time)")
    if not Path(DEPOSITCTL).exists():
        missing.append(DEPOSITCTL)
    if missing:
        raise SystemExit("missing: " + ", ".join(missing) + " (run `make bench`)")
    direct = sh([PYTHON, "-m", "pip", "show", "-f", "depositctl"]).stdout
    if "__editable__" in direct or ".pth" in direct.split("Files:")[-1]:
        raise SystemExit("depositctl is an editable install here; use `make bench`")


def make_ledger(work: Path, name: str, cases: int, contacts: int, evidence: int = 2) -> Path:
    folder = work / name
    folder.mkdir(parents=True, mode=0o700)
    db = folder / "ledger.db"
    t0 = time.perf_counter()
    sh(
        [
            PYTHON,
            str(HERE.parent / "tests" / "fixtures" / "make_ledger.py"),
            "--cases",
            str(cases),
            "--contacts-per-case",
            str(contacts),
            "--evidence-per-case",
            str(evidence),
            "--db",
            str(db),
            "--today",
            TODAY,
        ]
    )
    print(
        f"  built {name}: {cases:,} cases x {contacts} contacts in {time.perf_counter() - t0:.1f} s"
    )
    return db


def make_tasks(work: Path, n: int) -> dict[str, str]:
    """`n` pending taskwarrior tasks with due dates and a project, in a private data dir."""
    data = work / "task"
    data.mkdir(parents=True)
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nnews.version=9.9.9\n")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    base = datetime(2026, 11, 24)
    lines = []
    for i in range(n):
        due = base + timedelta(days=i % 300 - 150)
        lines.append(
            json.dumps(
                {
                    "uuid": str(uuid.UUID(int=i + 1)),
                    "status": "pending",
                    "description": f"Get the POS deposit back, case {i}",
                    "entry": "20250101T000000Z",
                    "due": due.strftime("%Y%m%dT000000Z"),
                    "project": "deposits",
                }
            )
        )
    (work / "tasks.json").write_text("\n".join(lines) + "\n")
    subprocess.run(
        ["task", "import", str(work / "tasks.json")], env=env, check=True, capture_output=True
    )
    count = sh(["task", "status:pending", "count"], env=env).stdout.strip()
    print(f"  taskwarrior: {count} pending tasks")
    return env


def hyperfine(
    work: Path, runs: int, commands: dict[str, str], env: dict[str, str] | None = None
) -> dict[str, dict[str, float]]:
    out = work / f"hf-{len(list(work.glob('hf-*.json')))}.json"
    cmd = [
        "hyperfine",
        "-N",
        "--warmup",
        "2",
        "--runs",
        str(runs),
        "--export-json",
        str(out),
        "--style",
        "basic",
    ]
    for name, c in commands.items():
        cmd += ["-n", name, c]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    res = json.loads(out.read_text())["results"]
    return {
        r["command"]: {
            "median": r["median"],
            "mean": r["mean"],
            "min": r["min"],
            "max": r["max"],
            "runs": len(r["times"]),
        }
        for r in res
    }


def peak_mb(cmd: list[str], env: dict[str, str]) -> float:
    p = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True, check=True
    )
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if not m:
        raise SystemExit("no peak memory in /usr/bin/time -v output")
    return int(m.group(1)) / 1024


def letter_available(env: dict[str, str]) -> bool:
    p = subprocess.run([DEPOSITCTL, "letter", "--help"], env=env, capture_output=True, text=True)
    return p.returncode == 0 and "--format" in p.stdout


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    probe = (
        "import sqlite3\nfrom importlib.metadata import version as v\n"
        "print(', '.join(f'{p} {v(p)}' for p in ('typer', 'pydantic', 'rich', 'sqlite-utils'))"
        " + ', SQLite ' + sqlite3.sqlite_version)"
    )
    versions = sh([PYTHON, "-c", probe]).stdout.strip()
    task = sh(["task", "--version"]).stdout.strip()
    hf = sh(["hyperfine", "--version"]).stdout.strip()
    return (
        f"{platform.node() or 'host'}: {os.cpu_count()} cores, {cpu}{mem}; {platform.platform()}; "
        f"Python {platform.python_version()}; {versions}; taskwarrior {task}; {hf}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="runs per command (median over these)")
    ap.add_argument("--work", type=Path, default=HERE / ".work")
    ap.add_argument(
        "--max-cases", type=int, default=100_000, help="largest ledger (growth, memory)"
    )
    a = ap.parse_args()
    check_install()
    started = time.perf_counter()
    work: Path = a.work
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    print(f"depositctl benchmark, {date.today().isoformat()}")
    print(f"machine: {machine()}")
    print("setup:")
    sizes = sorted({1_000, 10_000, a.max_cases})
    dbs = {n: make_ledger(work, f"l{n}", n, 10) for n in sizes}
    letter_db = make_ledger(work, "letter", 1, 50, 20)
    task_env = make_tasks(work, 10_000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPOSITCTL_")}
    env.update(DEPOSITCTL_TODAY=TODAY, DEPOSITCTL_LANG="en", DEPOSITCTL_DB=str(dbs[10_000]))
    env.update(COLUMNS="120", TASKRC=task_env["TASKRC"], TASKDATA=task_env["TASKDATA"])

    d = DEPOSITCTL
    db10k = dbs[10_000]
    rows: list[tuple[str, str, float, str, float | None, float]] = []
    print(f"measuring (hyperfine, {a.runs} runs each after 2 warm-ups) ...")

    r = hyperfine(
        work,
        a.runs,
        {
            "status": f"{d} status",
            "status --limit 0": f"{d} status --limit 0",
            "task list": "task list",
        },
        env,
    )
    tl = r["task list"]["median"]
    rows += [
        (
            "1",
            "depositctl status (10k cases, 100k contacts)",
            r["status"]["median"],
            "task list (10k)",
            tl,
            0.5,
        ),
        (
            "1",
            "depositctl status --limit 0 (10k)",
            r["status --limit 0"]["median"],
            "task list (10k)",
            tl,
            1.0,
        ),
    ]

    r = hyperfine(
        work,
        a.runs,
        {
            "status --json": f"{d} status --json",
            "sqlite-utils query": f"{SQLITE_UTILS} query {db10k} '{OPEN_CASES_SQL}'",
        },
        env,
    )
    rows.append(
        (
            "2",
            "depositctl status --json (10k)",
            r["status --json"]["median"],
            "sqlite-utils query (same rows)",
            r["sqlite-utils query"]["median"],
            1.0,
        )
    )

    r = hyperfine(
        work,
        a.runs,
        {"depositctl --help": f"{d} --help", "import typer": f"{PYTHON} -c 'import typer'"},
        env,
    )
    rows.append(
        (
            "3",
            "depositctl --help",
            r["depositctl --help"]["median"],
            "python -c 'import typer'",
            r["import typer"]["median"],
            2.0,
        )
    )

    letter_env = {**env, "DEPOSITCTL_DB": str(letter_db)}
    letter_note = "not available (`depositctl letter --help` failed)"
    letter_s: float | None = None
    if letter_available(letter_env):
        pdf = work / "letter.pdf"
        r = hyperfine(
            work,
            a.runs,
            {"letter pdf": f"{d} letter 1 --to provider --format pdf -o {pdf}"},
            letter_env,
        )
        letter_s = r["letter pdf"]["median"]
        letter_note = f"{pdf.stat().st_size:,} bytes"

    growth = hyperfine(
        work, a.runs, {f"status {n:,}": f"{d} --db {dbs[n]} status" for n in sizes}, env
    )
    mem = {n: peak_mb([d, "--db", str(dbs[n]), "status"], env) for n in sizes if n >= 10_000}

    # -- report ------------------------------------------------------------------------------
    print()
    print(
        f"{'#':<2} {'command':<46} {'median':>9}   {'compared with':<30} {'median':>9} {'ratio':>6} {'target':>7}  "
    )
    print("-" * 128)
    for item, what, t, other, t2, target in rows:
        ratio = t / t2 if t2 else float("nan")
        ok = "met" if ratio <= target else "MISSED"
        print(
            f"{item:<2} {what:<46} {t * 1000:>7.0f}ms   {other:<30} {t2 * 1000:>7.0f}ms {ratio:>6.2f} {'<= ' + str(target):>7}  {ok}"
        )
    if letter_s is None:
        print(f"4  depositctl letter --format pdf (50 contacts, 20 evidence): {letter_note}")
    else:
        ok = "met" if letter_s <= 0.5 else "MISSED"
        print(
            f"4  {'letter --format pdf (50 contacts, 20 files)':<46} {letter_s * 1000:>7.0f}ms   {'(' + letter_note + ')':<30} {'':>9} {'':>6} {'<= 0.5 s':>7}  {ok}"
        )
    for n, mb in mem.items():
        ok = "met" if n < 100_000 or mb < 150 else "MISSED"
        target = "< 150 MB" if n >= 100_000 else ""
        print(
            f"5  {'peak memory of status, ' + f'{n:,} cases':<46} {mb:>7.0f}MB   {'(/usr/bin/time -v)':<30} {'':>9} {'':>6} {target:>7}  {ok if target else ''}"
        )
    print()
    print("growth of `status` (default view), 10 contacts per case:")
    prev = None
    for n in sizes:
        t = growth[f"status {n:,}"]["median"]
        step = f"x{t / prev[1]:.2f} for x{n / prev[0]:.0f} cases" if prev else ""
        print(f"   {n:>8,} cases  {t * 1000:>8.0f} ms  {step}")
        prev = (n, t)
    med = [growth[f"status {n:,}"]["median"] for n in sizes]
    per_case = [t / n for t, n in zip(med, sizes, strict=True)]
    # Linear or better: each step in time no bigger than the step in cases.
    linear = all(med[i + 1] / med[i] <= sizes[i + 1] / sizes[i] for i in range(len(sizes) - 1))
    print(
        f"   no worse than linear: {'yes' if linear else 'NO'} (time per case: "
        + ", ".join(f"{p * 1e6:.0f} us" for p in per_case)
        + ")"
    )
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
