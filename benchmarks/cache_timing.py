"""Time `status` of two source trees on one generated ledger, in one run (issue 12):
medians of N runs each, and their ratio; then, for the tree with the derived cache, the
cost of a full recompute and of one write with its recompute.

    python benchmarks/cache_timing.py --old /tmp/main-src --new src --cases 10000 --runs 7

`--old`/`--new` are folders holding the `depositctl` package (put first on PYTHONPATH);
each gets its own copy of the ledger. Without hyperfine; `make bench` is the full run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-24"
ARGS = {
    "status": ["status"],
    "status --limit 0": ["status", "--limit", "0"],
    "status --json": ["status", "--json"],
}


def run(src: Path, db: Path, args: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(src), DEPOSITCTL_TODAY=TODAY, DEPOSITCTL_LANG="en")
    env["DEPOSITCTL_DB"] = str(db)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "depositctl", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - t


def median(src: Path, db: Path, args: list[str], runs: int) -> float:
    run(src, db, args)  # warm-up (the new tree fills its cache here)
    return statistics.median(run(src, db, args) for _ in range(runs))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--old", type=Path, required=True)
    p.add_argument("--new", type=Path, required=True)
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=7)
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="depositctl-cache-timing-"))
    try:
        base = tmp / "base.db"
        subprocess.run(
            [sys.executable, str(ROOT / "tests/fixtures/make_ledger.py"), "--cases",
             str(a.cases), "--contacts-per-case", "10", "--evidence-per-case", "0",
             "--db", str(base)],
            check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(a.old)),
        )  # fmt: skip
        dbs = {}
        for name in ("old", "new"):
            (tmp / name).mkdir()
            dbs[name] = tmp / name / "ledger.db"
            shutil.copy(base, dbs[name])
        print(f"{a.cases:,} cases x 10 contacts, medians of {a.runs} runs after one warm-up")
        print(f"{'command':<20}{'old':>10}{'new':>10}{'new/old':>10}")
        for label, args in ARGS.items():
            old = median(a.old, dbs["old"], args, a.runs)
            new = median(a.new, dbs["new"], args, a.runs)
            print(f"{label:<20}{old * 1000:>8.0f}ms{new * 1000:>8.0f}ms{new / old:>10.2f}")
        code = (
            "import sys, time; from pathlib import Path\n"
            "from depositctl.store.ledger import open_ledger\n"
            "from depositctl.store import derived\n"
            "with open_ledger(Path(sys.argv[1])) as led:\n"
            "    t = time.perf_counter(); derived.recompute(led)\n"
            "    print(f'{(time.perf_counter() - t) * 1000:.0f}')\n"
        )
        env = dict(os.environ, PYTHONPATH=str(a.new))
        full = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code, str(dbs["new"])],
                    env=env, check=True, capture_output=True, text=True,
                ).stdout
            )
            for _ in range(3)
        ]  # fmt: skip
        print(
            f"full recompute of the cache (in-process, median of 3): {statistics.median(full):.0f}ms"
        )

        def write(i: int) -> list[str]:
            return ["contact", "1", "--on", f"2026-01-0{i}", "--channel", "phone"]

        old_w = statistics.median(run(a.old, dbs["old"], write(i)) for i in range(1, 4))
        new_w = statistics.median(run(a.new, dbs["new"], write(i)) for i in range(4, 7))
        print(
            f"one write (contact) with its recompute: old {old_w * 1000:.0f}ms, "
            f"new {new_w * 1000:.0f}ms"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
