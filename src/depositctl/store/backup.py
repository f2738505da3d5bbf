"""`backup`: a consistent copy of the ledger and its evidence store, while in use.

The database is copied with SQLite's online backup API in one step (a single read
transaction, so a snapshot even while another depositctl writes). Everything is first
built in one hidden staging folder beside the target (`.NAME.depositctl-PID-RANDOM.tmp`,
made by `tempfile`): the verified database copy and every evidence file that snapshot
refers to (streamed, hash-checked). Only then is it moved into place: the evidence files
first (each one a complete, verified file renamed into `evidence/`), the ledger file last,
so a `ledger.db` at the destination always has its evidence. A kill leaves at most the
hidden staging folder, which the next backup (or any write into that folder) removes.

A file already present in the target store is hashed again: an intact one is kept (so
backing up into the same folder is incremental), a damaged one is replaced and counted.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from depositctl.core.errors import N_, UserError
from depositctl.store.evidence import blob_path, copy_in, fsync_dir, hash_file, place
from depositctl.store.ledger import Ledger, read_head_of, write_head
from depositctl.store.outfile import (
    TEMP_MARK,
    cannot,
    output_file,
    private_mkdir,
    sweep,
    terminable,
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    cases: int
    files: int
    #: Files already at the destination that no longer matched their SHA-256, replaced.
    replaced: int = 0


def copy_blob(src: Path, store: Path, sha: str, existing: Path | None = None) -> bool:
    """Copy one stored file into `store`, checking its SHA-256; False if it is damaged.
    A file of that hash already in `existing` (the destination) that still hashes right
    is not copied again."""
    target = blob_path(store, sha)
    if existing is not None and _intact(blob_path(existing, sha), sha):
        return True
    if target.is_file() and _intact(target, sha):
        return True
    tmp, found, _size = copy_in(src, store)
    try:
        if found != sha:
            return False
        place(tmp, target)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _intact(path: Path, sha: str) -> bool:
    return path.is_file() and not path.is_symlink() and hash_file(path) == sha


def copy_blobs(
    src_store: Path, dst_store: Path, shas: Iterable[str], existing: Path | None = None
) -> tuple[int, int]:
    """Copy the named files; returns (copied or already there, missing or damaged)."""
    private_mkdir(dst_store)
    ok = bad = 0
    for sha in shas:
        src = blob_path(src_store, sha)
        try:
            if src.is_file() and not src.is_symlink() and copy_blob(src, dst_store, sha, existing):
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
    if path.exists() or path.is_symlink() or Path(f"{path}-wal").exists():
        raise UserError(
            N_("{path} already exists; a backup never overwrites a file, choose a new name"),
            path=str(path),
        )
    return path


def _move_evidence(staged: Path, store: Path) -> int:
    """Move the staged evidence files into `store`; return how many replaced a damaged
    file there."""
    replaced = 0
    if not staged.is_dir():
        return 0
    if not store.exists():
        os.rename(staged, store)
        fsync_dir(store.parent)
        return 0
    for sub in sorted(staged.iterdir()):
        if sub.name == "tmp" or not sub.is_dir():
            continue
        for blob in sorted(sub.iterdir()):
            target = store / sub.name / blob.name
            if target.exists() or target.is_symlink():
                replaced += 1
            if target.is_symlink() or target.is_dir():
                raise UserError(
                    N_("{path} is not a stored file; move it away and run backup again"),
                    path=str(target),
                )
            private_mkdir(target.parent)
            os.replace(blob, target)
        fsync_dir(store / sub.name)
    return replaced


def backup_ledger(led: Ledger, path: str) -> BackupResult:
    target = _target(path)
    if target.resolve() == led.path.resolve():
        raise UserError(N_("The backup cannot be the ledger itself"))
    private_mkdir(target.parent)
    sweep(target.parent)
    store = target.parent / "evidence"
    with terminable():
        try:
            stage = Path(
                tempfile.mkdtemp(
                    dir=target.parent,
                    prefix=f".{target.name}{TEMP_MARK}{os.getpid()}-",
                    suffix=".tmp",
                )
            )
        except OSError as exc:
            raise cannot(target, exc) from None
        try:
            tmp = stage / target.name
            dst = sqlite3.connect(tmp)
            try:
                led.db.conn.backup(dst)  # one step: a consistent snapshot
                dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
                cases = dst.execute("SELECT count(*) FROM cases").fetchone()[0]
                shas = [r[0] for r in dst.execute("SELECT DISTINCT sha256 FROM evidence")]
                head = read_head_of(dst)
            finally:
                dst.close()
            os.chmod(tmp, 0o600)
            if check != "ok":
                raise UserError(
                    N_("The backup copy did not verify ({detail}); nothing was written"),
                    detail=check,
                )
            existing = store if store.is_dir() and not store.is_symlink() else None
            copied, bad = copy_blobs(led.evidence_dir, stage / "evidence", shas, existing)
            if store.is_symlink():
                raise UserError(
                    N_("{path} is not a stored file; move it away and run backup again"),
                    path=str(store),
                )
            replaced = _move_evidence(stage / "evidence", store)
            os.replace(tmp, target)
            write_head(target, *head)  # the copy's own head file (issue 13)
            fsync_dir(target.parent)
        except OSError as exc:
            raise cannot(target, exc) from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    from depositctl.store.calendar import calendar_path

    cal = calendar_path(led.path)
    if cal.parent == led.path.parent and cal.is_file():
        dest = target.parent / cal.name
        if not dest.exists() and not dest.is_symlink():
            with output_file(dest) as fh:
                fh.write(cal.read_bytes())
    if bad:
        raise UserError(
            N_(
                "The ledger was copied to {path}, but {count} evidence files are missing or "
                "damaged in the store and were not; run depositctl check"
            ),
            path=str(target),
            count=bad,
        )
    return BackupResult(target, cases, copied, replaced)
