"""The one way every output file is written (letter -o, bundle, ics -o, export -o, backup).

- A new or regular file is written to a temporary made by `tempfile` in the destination
  folder (random name, O_EXCL, O_NOFOLLOW, 0600), flushed and fsync-ed, then renamed over the
  target with `os.replace`; on any error or interruption the temporary is removed.
- A character device or FIFO (/dev/null, /dev/full, a named pipe, a terminal) is written
  through: opened for writing, never created, truncated or replaced.
- /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N write to that open stream.
- Anything else at the destination is refused with one line: a folder, a block device, a
  socket, and a symbolic link (except a link to a character device or FIFO, which is
  written through to it): depositctl never follows a link it did not make.
- The temporary's name says who made it (`.NAME.depositctl-PID-RANDOM.tmp`); a run that was
  killed leaves at most that file, and the next write into the same folder removes every
  such file whose process is gone (only regular files of this user with that pattern).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from depositctl.core.errors import N_, UserError

#: The streams a path may stand for: written to the open descriptor, sharing its offset.
STREAMS = {"/dev/stdout": 1, "/dev/stderr": 2}
_FD = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
#: Temporaries this module makes: `.NAME.depositctl-PID-RANDOM.tmp`.
TEMP_MARK = ".depositctl-"
_TEMP = re.compile(r"^\..*\.depositctl-(\d+)-[A-Za-z0-9_]+\.tmp$")


def cannot(path: Path | str, exc: OSError) -> UserError:
    return UserError(
        N_("Cannot write {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)
    )


def private_mkdir(folder: Path) -> None:
    """Create `folder` and each missing parent as 0700 whatever the umask."""
    missing = []
    p = folder
    while not p.exists() and not p.is_symlink() and p != p.parent:
        missing.append(p)
        p = p.parent
    try:
        for p in reversed(missing):
            p.mkdir(mode=0o700)
            os.chmod(p, 0o700, follow_symlinks=False)
    except FileExistsError:
        pass
    except OSError as exc:
        raise cannot(p, exc) from None


def _stream_fd(path: Path) -> int | None:
    text = str(path)
    if text in STREAMS:
        return STREAMS[text]
    m = _FD.match(text)
    return int(m.group(1)) if m else None


def kind(path: Path) -> str:
    """What is at `path`: "stream", "new", "regular" or "through" (a device or FIFO to
    write through); anything else raises the one-line refusal."""
    if _stream_fd(path) is not None:
        return "stream"
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise cannot(path, exc) from None
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        try:
            real = os.stat(path).st_mode
        except OSError:
            real = 0
        if stat.S_ISCHR(real) or stat.S_ISFIFO(real):
            return "through"
        raise UserError(
            N_(
                "{path} is a symbolic link; depositctl does not write through links, "
                "name the file it points to instead"
            ),
            path=str(path),
        )
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "through"
    if stat.S_ISDIR(mode):
        raise UserError(N_("That is a folder, not a file: {path}"), path=str(path))
    raise UserError(
        N_("{path} is neither a file, a character device nor a pipe; not writing to it"),
        path=str(path),
    )


def check_target(path: Path) -> Path:
    """Refuse a target `output_file` would refuse, before any work is done."""
    path = path.expanduser()
    kind(path)
    return path


def sweep(folder: Path) -> list[Path]:
    """Remove the temporaries of writes into `folder` whose process is gone."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    uid = os.geteuid()
    for name in names:
        m = _TEMP.match(name)
        if not m:
            continue
        pid = int(m.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        p = folder / name
        try:
            st = os.lstat(p)
            if st.st_uid != uid:
                continue
            if stat.S_ISREG(st.st_mode):
                p.unlink()
                removed.append(p)
            elif stat.S_ISDIR(st.st_mode):  # a backup's staging folder
                shutil.rmtree(p)
                removed.append(p)
        except OSError:
            continue
    return removed


@contextmanager
def terminable() -> Iterator[None]:
    """While writing, SIGTERM interrupts like Ctrl-C, so the temporaries are removed
    (kill -9 cannot be caught: `sweep` removes what it leaves on the next run)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        before = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Stream(io.RawIOBase):
    """A device, pipe or stream, written in order: it says it cannot seek or tell (a
    zip then writes data descriptors instead of seeking back; /dev/null's tell() is 0)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            done += os.write(self.fd, view[done:])
        return done

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


def temp_in(folder: Path, name: str) -> tuple[int, Path]:
    """A new private temporary in `folder` (random name, O_EXCL|O_NOFOLLOW, 0600)."""
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix=f".{name}{TEMP_MARK}{os.getpid()}-", suffix=".tmp"
    )
    return fd, Path(tmp)


@contextmanager
def output_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file object for `path`, written as the module's docstring says."""
    path = path.expanduser()
    how = kind(path)
    if how == "stream":
        fd = _stream_fd(path)
        assert fd is not None
        try:
            stream = _Stream(os.dup(fd))
        except OSError as exc:
            raise cannot(path, exc) from None
        try:
            with stream:
                yield stream  # type: ignore[misc]
        except OSError as exc:
            raise cannot(path, exc) from None
        return
    if how == "through":
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
            if not (stat.S_ISCHR(os.fstat(fd).st_mode) or stat.S_ISFIFO(os.fstat(fd).st_mode)):
                os.close(fd)  # swapped for something else since it was looked at
                raise UserError(N_("{path} changed while it was written"), path=str(path))
            with _Stream(fd) as stream:
                yield stream  # type: ignore[misc]
        except OSError as exc:
            raise cannot(path, exc) from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    sweep(folder)
    with terminable():
        try:
            fd, tmp = temp_in(folder, path.name)
        except OSError as exc:
            raise cannot(path, exc) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            if kind(path) not in ("new", "regular"):  # swapped since it was looked at
                raise UserError(N_("{path} changed while it was written"), path=str(path))
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise cannot(path, exc) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def write_bytes(path: Path, data: bytes) -> None:
    with output_file(path) as fh:
        fh.write(data)
