"""Peak memory (RSS) and wall time of `import` and `import-statement` for two source
trees, on the same files, at 1/10 size and full size (issue 13: "stream").

    python benchmarks/memory.py --old /work/main --new . [--cases 18000] [--rows 1000000]

`--old`/`--new` are source trees (a folder with `src/depositctl`); each runs with its own
`.venv/bin/python` when it has one (else this interpreter), `src` first on PYTHONPATH.
The export is built once with tests/fixtures/make_ledger.py (`--cases` cases, 10
contacts and 2 evidence files each: about 14 KB a case, so 18,000 cases make about 250 MB)
and `depositctl export` of the new tree; the statement is a CSV of `--rows` rows (date,
time, amount, reference, type; one row in 20 a cancellation) over a year of days. Each
import runs in a subprocess under GNU time (`/usr/bin/time -v`) into a fresh ledger:
the export into an empty one, the statement into case 1 of a one-case ledger.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-24"


def python_of(tree: Path) -> str:
    venv = tree / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def env_of(tree: Path, db: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), DEPOSITCTL_TODAY=TODAY)
    env.update(DEPOSITCTL_LANG="en", DEPOSITCTL_DB=str(db))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # recompiling the sources would be timed
    return env


def depositctl(tree: Path, db: Path, *args: str) -> None:
    subprocess.run(
        [python_of(tree), "-m", "depositctl", *args],
        env=env_of(tree, db),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measured(tree: Path, db: Path, *args: str) -> tuple[float, float]:
    """Peak RSS (MB) and wall time (s) of one command, from GNU time."""
    r = subprocess.run(
        ["/usr/bin/time", "-v", python_of(tree), "-m", "depositctl", *args],
        env=env_of(tree, db),
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise SystemExit(f"{tree}: depositctl {' '.join(args)} failed:\n{r.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", r.stderr)
    assert rss and wall, r.stderr
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return int(rss.group(1)) / 1024, seconds


def make_ledger(tree: Path, db: Path, cases: int, per_case: bool = True) -> None:
    extra = [] if per_case else ["--contacts-per-case", "0", "--evidence-per-case", "0"]
    subprocess.run(
        [python_of(tree), str(ROOT / "tests/fixtures/make_ledger.py"), "--cases", str(cases),
         "--db", str(db), "--today", TODAY, *extra],
        env=env_of(tree, db), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def make_statement(path: Path, rows: int) -> None:
    rng = random.Random(13)
    start = date(2025, 11, 1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("交易日期,交易时间,交易金额,交易参考号,交易类型\n")
        for n in range(rows):
            on = start + timedelta(days=n * 365 // rows)
            clock = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
            cancels = n % 20 == 19
            amount = f"{rng.randrange(100, 500_000) / 100:.2f}"
            kind = "撤销" if cancels else "消费"
            fh.write(f"{on.isoformat()},{clock},{amount},{n + 100_000_000_000:012d},{kind}\n")


def fresh(folder: Path, base: Path | None) -> Path:
    """A new folder with a copy of the ledger `base` (and its evidence store), or empty."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(mode=0o700)
    db = folder / "ledger.db"
    if base is not None:
        shutil.copy(base, db)
        head = Path(f"{base}.head")
        if head.exists():
            shutil.copy(head, Path(f"{db}.head"))
    return db


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--old", type=Path, required=True)
    p.add_argument("--new", type=Path, required=True)
    p.add_argument("--cases", type=int, default=18_000, help="cases of the full-size export")
    p.add_argument("--rows", type=int, default=1_000_000, help="rows of the full statement")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = p.parse_args()
    trees = {"old": a.old.resolve(), "new": a.new.resolve()}
    tmp = Path(tempfile.mkdtemp(prefix="depositctl-memory-"))
    try:
        files: list[tuple[str, str, Path, Path | None]] = []  # label, kind, file, base ledger
        one = tmp / "one.db"
        make_ledger(trees["new"], one, 1, per_case=False)
        for label, cases, rows in (
            ("1/10", max(1, a.cases // 10), max(1, a.rows // 10)),
            ("full", a.cases, a.rows),
        ):
            t = time.perf_counter()
            src = tmp / f"src-{cases}.db"
            make_ledger(trees["new"], src, cases)
            export = tmp / f"export-{cases}.json"
            depositctl(trees["new"], src, "export", "-o", str(export))
            statement = tmp / f"statement-{rows}.csv"
            make_statement(statement, rows)
            print(
                f"# {label}: export {export.stat().st_size / 1e6:.0f} MB ({cases:,} cases), "
                f"statement {statement.stat().st_size / 1e6:.0f} MB ({rows:,} rows); "
                f"built in {time.perf_counter() - t:.0f} s",
                flush=True,
            )
            files.append((label, "import", export, None))
            files.append((label, "import-statement", statement, one))
        print(f"{'command':<18}{'size':<6}{'file MB':>8}" + "".join(
            f"{name + ' RSS':>12}{name + ' s':>10}" for name in trees
        ))  # fmt: skip
        for label, kind, path, base in files:
            cells = []
            for name, tree in trees.items():
                db = fresh(tmp / f"run-{name}", base)
                args = ("import", str(path)) if kind == "import" else (kind, "1", str(path))
                rss, wall = measured(tree, db, *args)
                cells.append(f"{rss:>9.0f} MB{wall:>9.1f}s")
            size = path.stat().st_size / 1e6
            print(f"{kind:<18}{label:<6}{size:>8.0f}" + "".join(cells), flush=True)
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
