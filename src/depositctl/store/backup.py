"""`backup`: a consistent copy of the ledger and its evidence store, while in use.

The database is copied with SQLite's online backup API in one step (a single read
transaction, so a snapshot even while another depositctl writes), to a temporary file
that is renamed into place only when complete and verified. The evidence files that
snapshot refers to are then copied (streamed, hash-checked) into `evidence/` beside the
copy; stored files never change, so the pair is consistent. A file already present in
the target store is not copied again, so backing up into the same folder is incremental.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from depositctl.core.errors import N_, UserError
from depositctl.store.evidence import blob_path, copy_in, fsync_dir, place
from depositctl.store.ledger import Ledger


@dataclass(frozen=True)
class BackupResult:
    path: Path
    cases: int
    files: int


def copy_blob(src: Path, store: Path, sha: str) -> bool:
    """Copy one stored file into `store`, checking its SHA-256; False if it is damaged."""
    target = blob_path(store, sha)
    if target.is_file() and target.stat().st_size == src.stat().st_size:
        return True
    tmp, found, _size = copy_in(src, store)
    try:
        if found != sha:
            return False
        place(tmp, target)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def copy_blobs(src_store: Path, dst_store: Path, shas: Iterable[str]) -> tuple[int, int]:
    """Copy the named files; returns (copied or already there, missing or damaged)."""
    dst_store.mkdir(parents=True, exist_ok=True, mode=0o700)
    ok = bad = 0
    for sha in shas:
        src = blob_path(src_store, sha)
        try:
            if src.is_file() and not src.is_symlink() and copy_blob(src, dst_store, sha):
                ok += 1
            else:
                bad += 1
        except OSError as exc:
            raise UserError(
                N_("Cannot copy evidence file {sha}: {reason}"), sha=sha[:12], reason=exc.strerror
            ) from None
    return ok, bad


def _target(text: str) -> Path:
    """A folder (existing, ending in a slash, or a name without a suffix) gets
    `ledger.db` inside it; a name like `copy.db` is the ledger file itself."""
    path = Path(text).expanduser()
    if path.is_dir() or text.endswith(("/", os.sep)) or not path.suffix:
        path = path / "ledger.db"
    if path.exists() or Path(f"{path}-wal").exists():
        raise UserError(
            N_("{path} already exists; a backup never overwrites a file, choose a new name"),
            path=str(path),
        )
    return path


def backup_ledger(led: Ledger, path: str) -> BackupResult:
    target = _target(path)
    if target.resolve() == led.path.resolve():
        raise UserError(N_("The backup cannot be the ledger itself"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UserError(
            N_("Cannot write {path}: {reason}"), path=str(target.parent), reason=exc.strerror
        ) from None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        dst = sqlite3.connect(tmp)
        try:
            led.db.conn.backup(dst)  # one step: a consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            cases = dst.execute("SELECT count(*) FROM cases").fetchone()[0]
            shas = [r[0] for r in dst.execute("SELECT DISTINCT sha256 FROM evidence")]
        finally:
            dst.close()
        if check != "ok":
            raise UserError(
                N_("The backup copy did not verify ({detail}); nothing was written"), detail=check
            )
        store = target.parent / "evidence"
        copied, bad = copy_blobs(led.evidence_dir, store, shas)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        raise UserError(
            N_("Cannot write {path}: {reason}"), path=str(target), reason=exc.strerror
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    from depositctl.store.calendar import calendar_path

    cal = calendar_path(led.path)
    if cal.parent == led.path.parent and cal.is_file():
        dest = target.parent / cal.name
        if not dest.exists():
            shutil.copyfile(cal, dest)
    if bad:
        raise UserError(
            N_(
                "The ledger was copied to {path}, but {count} evidence files are missing or "
                "damaged in the store and were not; run depositctl check"
            ),
            path=str(target),
            count=bad,
        )
    return BackupResult(target, cases, copied)
