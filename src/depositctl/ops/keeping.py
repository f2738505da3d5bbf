"""Keeping the ledger safe and portable: `check`, `backup`, `export`, `import`.

Each function is the one call its command makes; it opens the ledger itself and
returns what the command shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositctl.core.errors import N_, UserError
from depositctl.ops.env import Env, opened
from depositctl.store.replay import Problem

if TYPE_CHECKING:
    from depositctl.store.backup import BackupResult
    from depositctl.store.exchange import ImportResult

__all__ = ["CheckReport", "Exported", "Problem", "backup", "check", "export", "import_export"]


@dataclass(frozen=True)
class CheckReport:
    """What `check` found (notes included) and the ledger's counts and last hash."""

    path: Path
    found: list[Problem]
    summary: dict[str, Any]

    @property
    def problems(self) -> list[Problem]:
        """The findings that make the ledger wrong (notes left out)."""
        return [p for p in self.found if not p.note]


@dataclass(frozen=True)
class Exported:
    """An export: the data, and where it went (`path` None: to standard output)."""

    data: dict[str, Any]
    path: Path | None
    csv_files: list[Path] | None = None


def check(env: Env) -> CheckReport:
    """Every check of the ledger, on one snapshot."""
    from depositctl.store.check import check_ledger

    with opened(env) as led:
        found, info = check_ledger(led)
        return CheckReport(led.path, found, info)


def backup(env: Env, path: str) -> BackupResult:
    """A consistent copy of the ledger and its evidence store at `path` (a new ledger
    file, or a folder to put ledger.db in)."""
    from depositctl.store.backup import backup_ledger

    with opened(env) as led:
        return backup_ledger(led, path)


def export(
    env: Env, output: Path | None, *, as_csv: bool = False, redact: bool = False
) -> Exported:
    """Every fact of the ledger, written as JSON to `output` or as CSV files into the
    folder `output`; JSON without `output` is returned for standard output."""
    from depositctl.store import exchange

    with opened(env) as led:
        data = exchange.export_data(led, redact=redact)
    if as_csv:
        if output is None:
            raise UserError(N_("CSV export writes one file per table: give a folder with -o"))
        from depositctl.render.text import column_title

        return Exported(data, output, exchange.write_csv(data, output, column_title))
    if output is not None:
        exchange.write_json(data, output)
    return Exported(data, output)


def import_export(env: Env, file: Path, evidence_from: Path | None) -> ImportResult:
    """Load a JSON export into the (empty) ledger, all or nothing. The file is read and
    its history verified before the ledger is opened, so a bad file creates nothing;
    the file is read incrementally into a scratch database (memory stays flat)."""
    from depositctl.store import exchange

    with exchange.staged_export(file) as staged, opened(env) as led:
        return exchange.import_data(led, staged, evidence_from, env.today)
