"""What one case costs in each stage of `status --limit 0` and `status --json` (issue 12):
the per-case CPU time of reading the stored rows back, settling them, and writing each
as a line or a JSON item, in one process, best of N passes over every open case.

    python benchmarks/stages.py --cases 10000          # builds its own ledger
    python benchmarks/stages.py --db LEDGER            # an existing one (cache fresh)

The stages are cumulative in the listing: a case pays all of its path's stages, plus
the start-up (`make bench` row 4) once per run. Process time, not wall time: the figures
move less under load, but compare two trees only within one run.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from depositctl.core.caseview import Totals
    from depositctl.render.tables import StatusRow

T = TypeVar("T")

TODAY = date(2026, 11, 24)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="a ledger (default: one built with --cases)")
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--passes", type=int, default=5, help="passes per stage (best counts)")
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _build(Path(tmp) / "ledger.db", args.cases)
        _stages(db, args.passes, args.lang)


def _lines(rows: list[StatusRow], totals: Totals) -> Iterable[str]:
    from depositctl.render.tables import status_rows_lines

    return status_rows_lines(rows, totals, TODAY, 120) or ()


def _build(db: Path, cases: int) -> Path:
    root = Path(__file__).resolve().parent.parent
    make = [sys.executable, "-m", "tests.fixtures.make_ledger", "--cases", str(cases)]
    subprocess.run([*make, "--db", str(db)], cwd=root, check=True, stdout=subprocess.DEVNULL)
    fill = [sys.executable, "-m", "depositctl", "--db", str(db), "status"]  # fills the cache
    subprocess.run(fill, check=True, stdout=subprocess.DEVNULL)
    return db


def _stages(db: Path, passes: int, lang: str) -> None:
    from depositctl import i18n
    from depositctl.core.caseview import Totals
    from depositctl.render.jsonout import status_item, status_item_utf8
    from depositctl.render.tables import status_row
    from depositctl.store import derived
    from depositctl.store.calendar import evaluator_of

    i18n.set_language(lang)
    conn = sqlite3.connect(db)
    if derived.stale_of(conn, derived.key_of(conn, db)):
        sys.exit(f"{db}: the cache is not fresh; run `depositctl --db {db} status` first")
    ev = evaluator_of(conn, db, TODAY)
    rows = list(derived.every(conn, include_all=False))
    conn.close()
    n = len(rows)
    gc.disable()  # as the listing runs (ops.views.paused_gc)

    def stage(name: str, work: Callable[[], T]) -> T:
        best = float("inf")
        for _ in range(passes):
            t = time.process_time()
            out = work()
            best = min(best, time.process_time() - t)
        print(f"{name:44s} {best / n * 1e6:7.1f} µs")
        return out

    print(f"{n:,} open cases of {db}, {lang}; per case, best of {passes}:")
    parse = json.JSONDecoder().raw_decode
    # The head alone, as bytes turned into text (`derived.decode` parses no more of it).
    stage(
        "JSON parse of the row's head",
        lambda: [parse(d[: d.find(b"\n")].decode()) for _, d in rows],
    )
    found = stage(
        "row read back as status does, parse included",
        lambda: [derived.decode(d, lazy=True) for _, d in rows],
    )
    views = stage("settle", lambda: [ev.settle(d) for d in found])
    stage("urgency key", lambda: [v.urgency_key() for v in views])
    cells = stage("status row (status_row)", lambda: [status_row(v) for v in views])
    totals = Totals(total=n, outstanding=Decimal(0), overdue=Decimal(0), n_overdue=0)
    stage("plain line (status_rows_lines)", lambda: list(_lines(cells, totals)))
    stage("JSON item (status_item_utf8)", lambda: [status_item_utf8(v) for v in views])
    stage("  status_item, the dict (for comparison)", lambda: [status_item(v) for v in views])


if __name__ == "__main__":
    main()
