"""Issue 13, "stream": `import` reads an export incrementally and `import-statement` a
statement row by row, so the memory they allocate does not grow with the file. Measured
with tracemalloc (Python's allocations, not the interpreter's own size): the peak of an
import stays far below the file's size, and no higher for a file four times as large."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from depositctl.ops.cases import import_statement
from depositctl.ops.env import Env
from depositctl.ops.keeping import export, import_export

TODAY = date(2026, 11, 24)

#: Large data (about 20 s each here): CI runs them, the quick loop does not.
pytestmark = pytest.mark.slow


def peak(run: Callable[[], object]) -> int:
    """The peak of the memory Python allocates while `run` runs, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        run()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def exported(build: Callable[..., object], folder: Path, cases: int) -> Path:
    folder.mkdir()
    db = folder / "ledger.db"
    build(db, cases, 10, 0, TODAY)
    out = folder / "export.json"
    export(Env(db, TODAY), out)
    return out


def test_import_of_an_export_allocates_a_bounded_amount(
    build_ledger: Callable[..., object], tmp_path: Path
) -> None:
    small = exported(build_ledger, tmp_path / "small", 200)
    large = exported(build_ledger, tmp_path / "large", 800)
    import_export(Env(tmp_path / "warm" / "ledger.db", TODAY), small, None)  # imports modules
    peaks = {}
    for name, file in (("small", small), ("large", large)):
        target = tmp_path / f"into-{name}" / "ledger.db"
        peaks[name] = peak(lambda t=target, f=file: import_export(Env(t, TODAY), f, None))
    size = large.stat().st_size
    assert size > 9_000_000  # four times the small one
    assert peaks["large"] < 12_000_000, (peaks, size)  # measured: about 8.5 MB
    assert peaks["large"] < peaks["small"] * 1.25 + 1_000_000, peaks  # flat, not 4x


def write_statement(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("交易日期,交易时间,交易金额,交易参考号,交易类型\n")
        for n in range(rows):
            day = date(2025, 1 + n * 12 // rows, 1 + n % 28).isoformat()
            kind = "撤销" if n % 20 == 19 else "消费"
            fh.write(f"{day},{n % 24:02d}:{n % 60:02d}:00,{10 + n % 997}.50,R{n:09d},{kind}\n")


def test_a_statement_import_allocates_a_bounded_amount(
    build_ledger: Callable[..., object], tmp_path: Path
) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_statement(small, 10_000)
    write_statement(large, 40_000)
    peaks = {}
    for name, file in (("warm", small), ("small", small), ("large", large)):
        folder = tmp_path / name
        folder.mkdir()
        build_ledger(folder / "ledger.db", 1, 0, 0, TODAY)
        env = Env(folder / "ledger.db", TODAY)
        peaks[name] = peak(lambda e=env, f=file: import_statement(e, 1, f))
    assert peaks["large"] < 8_000_000, peaks  # measured: about 5 MB
    assert peaks["large"] < peaks["small"] * 1.25 + 1_000_000, peaks  # flat, not 4x
