"""depositctl side by side with tools people already use (see benchmarks/README.md).

    make bench                       # from a clean clone: venv, apt packages, this script
    benchmarks/.venv/bin/python benchmarks/run.py [--runs 10] [--max-cases 10000]

Needs hyperfine, taskwarrior (`task`), GNU time (`/usr/bin/time`) and the sqlite3 shell,
and depositctl installed normally (not editable, the same files as src/) in the
interpreter running this script. Builds its ledgers and the taskwarrior data under
benchmarks/.work/ (deleted and rebuilt each run), then prints one table: every timing
with what it is compared with, the ratio and the target (issue 12's "Done means"), the
peak memory, the growth from 1,000 to 100,000 cases, the cost of a full recompute of the
derived cache and of one write with its recompute. A command and what it is compared
with are timed in alternating rounds (`interleaved`), so both see the same machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
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
#: What `check` tells users to run to drop the derived cache; the next read recomputes it.
DROP_CACHE = "DELETE FROM _derived"
#: The write of item 8: one contact on case 1 (its case is recomputed in its transaction).
WRITE = "contact 1 --on 2026-11-20 --channel phone"
#: Variables that would change what is measured: no bytecode written (every run compiles
#: what has no .pyc), bytecode elsewhere, another source tree first on the path.
UNSET = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONPATH", "PYTHONHOME")


def q(arg: str | Path) -> str:
    """One argument of a command line hyperfine splits like a shell (paths with spaces)."""
    return shlex.quote(str(arg))


def sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)  # type: ignore[call-overload,no-any-return]


def installed_package(env: dict[str, str]) -> Path:
    """The folder of the depositctl package the measured commands import."""
    out = sh([PYTHON, "-c", "import depositctl; print(depositctl.__file__)"], env=env).stdout
    return Path(out.strip()).parent


def check_install(env: dict[str, str]) -> Path:
    """Tools present; depositctl installed normally, from this tree's sources. Returns
    the installed package's folder."""
    missing = [t for t in ("hyperfine", "task", "sqlite3") if shutil.which(t) is None]
    if not Path("/usr/bin/time").exists():
        missing.append("/usr/bin/time (package time)")
    if not Path(DEPOSITCTL).exists():
        missing.append(DEPOSITCTL)
    if missing:
        raise SystemExit("missing: " + ", ".join(missing) + " (run `make bench`)")
    direct = sh([PYTHON, "-m", "pip", "show", "-f", "depositctl"]).stdout
    if "__editable__" in direct or ".pth" in direct.split("Files:")[-1]:
        raise SystemExit("depositctl is an editable install here; use `make bench`")
    pkg = installed_package(env)
    src = ROOT / "src" / "depositctl"
    ours = {p.relative_to(src) for p in src.rglob("*.py")}
    theirs = {p.relative_to(pkg) for p in pkg.rglob("*.py")}
    differ = sorted(ours ^ theirs) + sorted(
        p for p in ours & theirs if (src / p).read_bytes() != (pkg / p).read_bytes()
    )
    if differ:
        raise SystemExit(
            f"the installed depositctl ({pkg}) is not this tree's src/ "
            f"({len(differ)} files differ, e.g. {differ[0]}): run `make bench`, it reinstalls"
        )
    return pkg


def pyc_files(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in site.rglob("*.pyc")}


def check_bytecode(pkg: Path, env: dict[str, str]) -> str:
    """Every module of depositctl has its .pyc, and the measured commands may write one.

    Without them (or with PYTHONDONTWRITEBYTECODE set while none exist) every run
    compiles the sources again, which is not what a user's second run costs."""
    flag = sh([PYTHON, "-c", "import sys; print(sys.dont_write_bytecode)"], env=env).stdout
    if flag.strip() != "False":
        raise SystemExit("the measured commands would not write bytecode")
    tag = sys.implementation.cache_tag
    modules = list(pkg.rglob("*.py"))
    without = [
        p for p in modules if not (p.parent / "__pycache__" / f"{p.stem}.{tag}.pyc").exists()
    ]
    if without:
        sh([PYTHON, "-m", "compileall", "-q", str(pkg)], env=env)
    return (
        f"{len(modules)} modules of depositctl, {len(modules) - len(without)} with bytecode "
        f"from the install" + (f", {len(without)} compiled now" if without else "")
    )


def make_ledger(work: Path, name: str, cases: int, contacts: int, evidence: int = 2) -> Path:
    folder = work / name
    folder.mkdir(parents=True, mode=0o700)
    db = folder / "ledger.db"
    t0 = time.perf_counter()
    sh(
        [
            PYTHON,
            str(ROOT / "tests" / "fixtures" / "make_ledger.py"),
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


def freeze(db: Path, to: Path) -> Path:
    """A copy of the ledger (WAL checkpointed into the file) and its head file, for
    restoring before each run of a command that writes."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    to.mkdir(mode=0o700)
    for f in db.parent.glob(db.name + "*"):
        if f.is_file() and not f.name.endswith(("-wal", "-shm")):
            shutil.copy2(f, to / f.name)
    return to


def restore_script(work: Path) -> Path:
    script = work / "restore.sh"
    script.write_text(
        'set -e\nrm -f "$2"/ledger.db*\ncp -p "$1"/ledger.db* "$2"/\n', encoding="utf-8"
    )
    return script


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
    work: Path,
    runs: int,
    commands: dict[str, str],
    env: dict[str, str],
    *,
    warmup: int = 2,
    prepare: dict[str, str] | None = None,
) -> dict[str, float]:
    """Median seconds of each command (hyperfine -N: no shell, output to /dev/null);
    `prepare` runs before each run of its command, untimed."""
    out = work / f"hf-{len(list(work.glob('hf-*.json')))}.json"
    cmd = ["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs)]
    cmd += ["--export-json", str(out), "--style", "basic"]
    for name, c in commands.items():
        if prepare is not None:
            cmd += ["--prepare", prepare[name]]
        cmd += ["-n", name, c]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return {r["command"]: r["median"] for r in json.loads(out.read_text())["results"]}


def interleaved(
    work: Path,
    rounds: int,
    commands: dict[str, str],
    env: dict[str, str],
    *,
    warmup: int = 2,
    prepare: dict[str, str] | None = None,
) -> dict[str, float]:
    """Median seconds of each command of a comparison, measured in rounds so that all
    see the same machine: this shared VM's speed drifts within seconds (one morning the
    same `status --limit 0` took a median 746 ms in one hyperfine call and 481 ms two
    minutes later), and a ratio of two commands timed at different moments then measures
    the drift.

    Each round is one hyperfine call (-N, `--runs 1`, no warm-up of its own) that runs
    every command once, in the order given on even rounds and reversed on odd ones, so
    neither is always the first after hyperfine starts. The first `warmup` rounds are the
    warm-ups: run the same way, not counted. Every run is timed by hyperfine as a lone
    process, so no per-run cost is added that differs between commands. Each round's
    export is kept in hf-N/ round-KK.json; hf-N.json has hyperfine's `results` keys
    `command`, `times` (the counted ones, in round order) and `median`, and `rounds`
    (each round's order and times, the warm-ups marked)."""
    n = len(list(work.glob("hf-*.json")))
    folder = work / f"hf-{n}"
    folder.mkdir()
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    record = []
    for k in range(warmup + rounds):
        order = names if k % 2 == 0 else names[::-1]
        out = folder / f"round-{k:02d}.json"
        cmd = ["hyperfine", "-N", "--warmup", "0", "--runs", "1"]
        cmd += ["--export-json", str(out), "--style", "basic"]
        for name in order:
            if prepare is not None:
                cmd += ["--prepare", prepare[name]]
            cmd += ["-n", name, commands[name]]
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        got = {r["command"]: r["times"][0] for r in json.loads(out.read_text())["results"]}
        record.append({"round": k, "warmup": k < warmup, "order": order, "times": got})
        if k >= warmup:
            for name in names:
                times[name].append(got[name])
    medians = {name: statistics.median(t) for name, t in times.items()}
    results = [{"command": name, "median": medians[name], "times": times[name]} for name in names]
    summary = {"method": "interleaved", "warmup_rounds": warmup, "results": results}
    (work / f"hf-{n}.json").write_text(json.dumps({**summary, "rounds": record}, indent=1))
    return medians


def peak(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run (/usr/bin/time -v)."""
    t0 = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True, check=True
    )
    took = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if not m:
        raise SystemExit("no peak memory in /usr/bin/time -v output")
    return took, int(m.group(1)) / 1024


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


def commit() -> str:
    try:
        rev = sh(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = sh(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"]).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return rev + (" + uncommitted changes in src/" if dirty.strip() else "")


@dataclass
class Row:
    item: str
    what: str
    value: float  # seconds, or MB when unit is "MB"
    other: str = ""
    other_value: float | None = None  # seconds
    target: float | None = None  # a ratio, or an absolute limit when `absolute`
    absolute: bool = False
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        return self.value / self.other_value if self.other_value else None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        got = self.value if self.absolute else self.ratio
        return "met" if got is not None and got <= self.target else "MISSED"

    def line(self) -> str:
        def amount(v: float | None, unit: str) -> str:
            if v is None:
                return ""
            return f"{v:.0f}MB" if unit == "MB" else f"{v * 1000:.0f}ms"

        if self.target is None:
            target = ""
        elif self.absolute:
            target = f"< {self.target:.0f} MB" if self.unit == "MB" else f"<= {self.target} s"
        else:
            target = f"<= {self.target:.1f}"
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else ""
        return (
            f"{self.item:<2} {self.what:<50} {amount(self.value, self.unit):>9}   "
            f"{self.other:<36} {amount(self.other_value, 'ms'):>9} {ratio:>6} {target:>9}  "
            f"{self.verdict}"
        ).rstrip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runs",
        type=int,
        default=10,
        help="runs per command (median over these); for a command and its baseline, rounds",
    )
    ap.add_argument(
        "--heavy-runs",
        type=int,
        default=5,
        help="runs of the commands that take seconds: a full recompute, the largest ledger",
    )
    ap.add_argument("--work", type=Path, default=HERE / ".work")
    ap.add_argument(
        "--max-cases", type=int, default=100_000, help="largest ledger (growth, memory)"
    )
    a = ap.parse_args()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DEPOSITCTL_") and k not in UNSET
    }
    pkg = check_install(env)
    started = time.perf_counter()
    work: Path = a.work
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    print(f"depositctl benchmark, {date.today().isoformat()}, commit {commit()}")
    print(f"machine: {machine()}")
    print(f"load average (1 min) at the start: {os.getloadavg()[0]:.2f}")
    print("setup:")
    print(f"  bytecode: {check_bytecode(pkg, env)}")
    sizes = sorted({1_000, 10_000, a.max_cases})
    big = sizes[-1]
    dbs = {n: make_ledger(work, f"l{n}", n, 10) for n in sizes}
    tiny = make_ledger(work, "l5", 5, 10)
    letter_db = make_ledger(work, "letter", 1, 50, 20)
    task_env = make_tasks(work, 10_000)
    env.update(DEPOSITCTL_TODAY=TODAY, DEPOSITCTL_LANG="en", DEPOSITCTL_DB=str(dbs[10_000]))
    env.update(COLUMNS="120", TASKRC=task_env["TASKRC"], TASKDATA=task_env["TASKDATA"])
    d = q(DEPOSITCTL)
    db10k = dbs[10_000]

    # A new ledger's first `status` computes the whole cache: timed once, with its memory.
    cold: dict[int, tuple[float, float]] = {}
    for n, db in {5: tiny, **dbs}.items():
        cold[n] = peak([DEPOSITCTL, "--db", str(db), "status"], env)
        print(
            f"  first status of l{n} (computes the whole cache): "
            f"{cold[n][0]:.1f} s, peak {cold[n][1]:.0f} MB"
        )
    restore = restore_script(work)
    frozen10k = freeze(db10k, work / "frozen10k")
    frozen5 = freeze(tiny, work / "frozen5")
    (work / "w10k").mkdir(mode=0o700)
    (work / "w5").mkdir(mode=0o700)
    pyc_before = pyc_files(pkg.parent)

    R, H = a.runs, a.heavy_runs
    print(
        f"measuring: the commands of a comparison (rows 1-4, 6-8) interleaved: {R} rounds "
        f"after 2 warm-up rounds (heavy: {H} after 1; the start-up rows 3-4: {4 * R}), each "
        f"round one\n  hyperfine -N call "
        f"running every command once, the order reversed every other round; medians over "
        f"the rounds.\n  Row 9: one hyperfine call, {R} runs after 2 warm-ups ..."
    )
    rows: list[Row] = []

    r = interleaved(
        work,
        R,
        {"status": f"{d} status", "limit 0": f"{d} status --limit 0", "task list": "task list"},
        env,
    )
    tl = r["task list"]
    status10k, limit10k = r["status"], r["limit 0"]
    rows.append(
        Row("1", "status (10k cases, 100k contacts)", status10k, "task list (10k)", tl, 0.5)
    )
    rows.append(Row("1", "status --limit 0 (10k)", limit10k, "task list (10k)", tl, 1.0))

    r = interleaved(
        work,
        R,
        {
            "json": f"{d} status --json",
            "su": f"{q(SQLITE_UTILS)} query {q(db10k)} '{OPEN_CASES_SQL}'",
        },
        env,
    )
    rows.append(
        Row("2", "status --json (10k)", r["json"], "sqlite-utils query (same rows)", r["su"], 1.0)
    )

    # The start-up rows time runs of 20-250 ms, which a few milliseconds of the shared
    # machine move by a tenth or more (one run's rounds of row 4 read 2.8 to 6.4): four
    # times the rounds, at a few seconds' cost.
    short = 4 * R
    r = interleaved(
        work, short, {"help": f"{d} --help", "typer": f"{q(PYTHON)} -c 'import typer'"}, env
    )
    rows.append(Row("3", "--help", r["help"], "python -c 'import typer'", r["typer"], 2.0))

    r = interleaved(
        work, short, {"status": f"{d} --db {q(tiny)} status", "pass": f"{q(PYTHON)} -c pass"}, env
    )
    rows.append(Row("4", "status (5 cases)", r["status"], "python -c pass", r["pass"], 4.0))

    # Peak memory, warm cache; then the first status of the largest ledger (above).
    for n in sizes[1:]:
        _, mb = peak([DEPOSITCTL, "--db", str(dbs[n]), "status"], env)
        limit = 150.0 if n == big else None
        rows.append(
            Row("5", f"peak memory: status ({n:,})", mb, target=limit, absolute=True, unit="MB")
        )
    _, mb = peak([DEPOSITCTL, "--db", str(dbs[big]), "status", "--limit", "0"], env)
    what = f"peak memory: status --limit 0 ({big:,})"
    rows.append(Row("5", what, mb, target=150.0, absolute=True, unit="MB"))
    what = f"peak memory: first status ({big:,}, fills cache)"
    rows.append(Row("5", what, cold[big][1], target=150.0, absolute=True, unit="MB"))

    # Growth: each step in time no bigger than the step in cases (linear or better). Every
    # size of a view interleaved, so a change in the machine's load does not pass for
    # growth; `--limit 0` over 100,000 cases takes the heavy runs.
    times: dict[tuple[str, int], float] = {}
    for view, args in (("status", "status"), ("status --limit 0", "status --limit 0")):
        heavy = view != "status" and big > 10_000
        r = interleaved(
            work,
            H if heavy else R,
            {str(n): f"{d} --db {q(dbs[n])} {args}" for n in sizes},
            env,
            warmup=1 if heavy else 2,
        )
        times.update({(view, n): r[str(n)] for n in sizes})
    for view in ("status", "status --limit 0"):
        for lo, hi in itertools.pairwise(sizes):
            rows.append(
                Row(
                    "6",
                    f"growth: {view} ({hi:,})",
                    times[(view, hi)],
                    f"{view} ({lo:,})",
                    times[(view, lo)],
                    hi / lo,
                )
            )

    # The cost of a full recompute: `status` right after dropping the cache (what `check`
    # tells users to do when a row is wrong) against `status` with the cache warm.
    r = interleaved(
        work,
        H,
        {"cold": f"{d} status", "warm": f"{d} status"},
        env,
        warmup=1,
        prepare={"cold": f"sqlite3 {q(db10k)} '{DROP_CACHE}'", "warm": "true"},
    )
    rows.append(
        Row(
            "7",
            "status after DELETE FROM _derived (10k)",
            r["cold"],
            "status, cache warm (10k)",
            r["warm"],
        )
    )
    rows.append(Row("7", "full recompute of 10,000 cases (difference)", r["cold"] - r["warm"]))

    # One write with its recompute, each run on a fresh copy of the ledger.
    w10k, w5 = work / "w10k", work / "w5"
    r = interleaved(
        work,
        R,
        {
            "10k": f"{d} --db {q(w10k / 'ledger.db')} {WRITE}",
            "5": f"{d} --db {q(w5 / 'ledger.db')} {WRITE}",
        },
        env,
        prepare={
            "10k": f"sh {q(restore)} {q(frozen10k)} {q(w10k)}",
            "5": f"sh {q(restore)} {q(frozen5)} {q(w5)}",
        },
    )
    rows.append(
        Row(
            "8",
            "contact: one write + its recompute (10k)",
            r["10k"],
            "the same, 5-case ledger",
            r["5"],
        )
    )

    letter_env = {**env, "DEPOSITCTL_DB": str(letter_db)}
    if letter_available(letter_env):
        pdf = work / "letter.pdf"
        r = hyperfine(
            work, R, {"pdf": f"{d} letter 1 --to provider --format pdf -o {q(pdf)}"}, letter_env
        )
        what, size = (
            "letter --format pdf (50 contacts, 20 files)",
            f"({pdf.stat().st_size:,} bytes)",
        )
        rows.append(Row("9", what, r["pdf"], size, target=0.5, absolute=True))
    else:
        print("9  letter --format pdf: not available (`depositctl letter --help` failed)")

    changed = {p for p, t in pyc_files(pkg.parent).items() if pyc_before.get(p) != t}

    # -- report ------------------------------------------------------------------------------
    print()
    head = f"{'#':<2} {'measured':<50} {'value':>9}   {'compared with':<36} {'value':>9} {'ratio':>6} {'target':>9}"
    print(head)
    print("-" * (len(head) + 8))
    for row in rows:
        print(row.line())
    judged = [row for row in rows if row.target is not None]
    met = sum(row.verdict == "met" for row in judged)
    print(f"\ntargets met: {met} of {len(judged)}")
    print(
        f"bytecode written during the measured runs: {len(changed)} .pyc files"
        + (f" (e.g. {sorted(changed)[0]})" if changed else "")
    )
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
