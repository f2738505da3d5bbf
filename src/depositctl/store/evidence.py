"""The content-addressed evidence store: `<ledger folder>/evidence/<2 hex>/<sha256>`.

Files are streamed in chunks (a 2 GB call recording is never read into memory),
written under a temporary name and renamed into place, so a crash leaves either the
whole file or none. Stored files are never moved or edited.
"""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositctl.core.errors import N_, UserError
from depositctl.core.models import NewEvidence
from depositctl.store.outfile import private_mkdir

if TYPE_CHECKING:
    from depositctl.store.ledger import Ledger

CHUNK = 1024 * 1024


def blob_path(store: Path, sha256: str) -> Path:
    return store / sha256[:2] / sha256


def check_source(src: Path) -> os.stat_result:
    """Refuse what is not a readable regular file (symlinks, folders, devices)."""
    try:
        st = os.lstat(src)
    except FileNotFoundError:
        raise UserError(N_("No such file: {path}"), path=str(src)) from None
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), path=str(src), reason=exc.strerror
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise UserError(N_("Refusing a symbolic link, give the file itself: {path}"), path=str(src))
    if stat.S_ISDIR(st.st_mode):
        raise UserError(N_("That is a folder, not a file: {path}"), path=str(src))
    if not stat.S_ISREG(st.st_mode):
        raise UserError(N_("Not a regular file: {path}"), path=str(src))
    if not os.access(src, os.R_OK):
        raise UserError(N_("Cannot read {path}: permission denied"), path=str(src))
    return st


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError, ValueError):
        return False
    except (PermissionError, OSError):
        return True
    return True


def stale_partial_copies(store: Path) -> list[Path]:
    """Half-written copies left in `tmp/` by a process that no longer runs (killed)."""
    tmp_dir = store / "tmp"
    if not tmp_dir.is_dir():
        return []
    stale = []
    for p in sorted(tmp_dir.iterdir()):
        pid = p.name.split("-", 1)[0]
        if not pid.isdigit() or not _pid_alive(int(pid)):
            stale.append(p)
    return stale


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def copy_in(src: Path, store: Path) -> tuple[Path, str, int]:
    """Stream `src` into a new private file in `store/tmp`, hashing it on the way and
    syncing it to disk; return (that file, sha256, size). Nothing is left on failure."""
    tmp_dir = store / "tmp"
    private_mkdir(tmp_dir)
    tmp = tmp_dir / f"{os.getpid()}-{os.urandom(6).hex()}"
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(src, "rb") as fin, os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                fout.write(chunk)
                size += len(chunk)
            fout.flush()
            os.fsync(fout.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, digest.hexdigest(), size


def place(tmp: Path, target: Path) -> None:
    """Rename a copy made by `copy_in` to its final name, durably."""
    private_mkdir(target.parent)
    os.replace(tmp, target)
    fsync_dir(target.parent)


def ingest(src: Path, store: Path) -> tuple[str, int]:
    """Copy `src` into the store; return (sha256, size). A known file is not copied again."""
    check_source(src)
    tmp = None
    try:
        private_mkdir(store)
        for stale in stale_partial_copies(store):  # left by a killed process
            stale.unlink(missing_ok=True)
        tmp, sha, size = copy_in(src, store)
        target = blob_path(store, sha)
        if target.is_file() and target.stat().st_size == size and hash_file(target) == sha:
            tmp.unlink()  # already stored, intact
        else:  # new, or a stored copy damaged behind our back: the original restores it
            place(tmp, target)
        return sha, size
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), path=str(src), reason=exc.strerror
        ) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def store_files(led: Ledger, files: list[Path]) -> list[tuple[Path, str, int]]:
    """Copy files into the evidence store, outside any transaction (a 2 GB recording must
    not hold the ledger's write lock). Every file is checked before any is copied."""
    for f in files:
        check_source(f)
    return [(f, *ingest(f, led.evidence_dir)) for f in files]


def record_evidence(
    led: Ledger,
    case_id: int,
    stored: list[tuple[Path, str, int]],
    kind: str,
    note: str | None,
    today: date,
    contact_id: int | None = None,
    dated_on: date | None = None,
) -> list[dict[str, Any]]:
    """Record files already in the store, in one transaction (or the caller's);
    `dated_on` is the documents' own date, when known."""
    rows = []
    with led.atomic():
        for f, sha, size in stored:
            row = {
                "case_id": case_id,
                "sha256": sha,
                "name": safe_name(f.name),
                "size": size,
                "kind": kind,
                "note": note,
                "added_on": today.isoformat(),
                "contact_id": contact_id,
                "dated_on": dated_on.isoformat() if dated_on else None,
            }
            row["id"] = led.add_evidence(
                NewEvidence(**{**row, "added_on": today, "dated_on": dated_on})
            )
            rows.append(row)
    return rows


def safe_name(name: str) -> str:
    """An original file name with no path separators or control characters.

    Also replaced: C1 controls, bidi overrides and other format characters (they can
    disguise a name), line separators, and the lone surrogates Python uses for bytes
    of a file name that are not UTF-8; unusual spaces become plain spaces.
    """
    import unicodedata

    def clean(ch: str) -> str:
        cat = unicodedata.category(ch)
        if ch in "/\\" or cat in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return "_"
        return " " if cat == "Zs" else ch

    cleaned = "".join(clean(ch) for ch in name)
    cleaned = cleaned.strip().lstrip(".") or "file"
    return cleaned[:200]
