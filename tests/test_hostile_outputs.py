"""Issue 13, output paths: every output file (letter -o, bundle, ics -o, export -o) is
written one way (store/outfile.py). A device or FIFO is written through, never replaced;
a symlink at the destination is refused; the temporary has a random name made with O_EXCL
in the destination folder, and nothing is left behind.

Device nodes are made with mknod in the test's folder (as root; skipped otherwise), never
the real /dev/null, so a regression cannot break the machine's /dev."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest

from depositctl.core.errors import UserError
from tests.conftest import Cli, Result
from tests.test_letters import load_demo

NULL = (1, 3)
FULL = (1, 7)


def device(folder: Path, name: str, numbers: tuple[int, int]) -> Path:
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(*numbers))
    except PermissionError:
        pytest.skip("mknod needs root (CI runs as root)")
    return path


def is_char(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def demo(cli: Cli) -> Cli:
    load_demo(cli)
    return cli


def refused(r: Result, text: str) -> None:
    """Exit non-zero, and one error line (after the letter's warnings) saying `text`."""
    assert r.exit_code != 0, r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    errors = [x for x in r.stderr.splitlines() if x.strip() and not x.startswith("Warning")]
    assert len(errors) == 1 and text in errors[0], r.stderr


WRITERS = {
    # --force: the demo's merchant is an individual business, refused by 12315 otherwise
    "letter": lambda t: ("letter", "1", "--to", "12315", "--force", "-o", str(t), "--format", "md"),
    "bundle": lambda t: ("bundle", "1", "-o", str(t)),
    "ics": lambda t: ("ics", "-o", str(t)),
    "export": lambda t: ("export", "-o", str(t)),
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_null_device_is_written_through_not_replaced(
    demo: Cli, tmp_path: Path, command: str
) -> None:
    null = device(tmp_path, "null", NULL)
    r = demo.run(*WRITERS[command](null))
    assert r.exit_code == 0, r.stderr
    assert is_char(null), "the device node was replaced by a regular file"
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_full_device_fails_with_one_line(demo: Cli, tmp_path: Path, command: str) -> None:
    full = device(tmp_path, "full", FULL)
    refused(demo.run(*WRITERS[command](full)), "No space left on device")
    assert is_char(full)
    assert hidden(tmp_path) == []


def test_ics_into_a_fifo_writes_through(demo: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "cal.ics"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = demo.run("ics", "-o", str(fifo))
    reader.join(10)
    if reader.is_alive():  # the FIFO was replaced: release the reader still waiting on it
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
    assert got and got[0].startswith(b"BEGIN:VCALENDAR")


def test_export_ignores_a_symlink_planted_at_the_old_temporary_name(
    demo: Cli, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    target = tmp_path / "shared" / "export.json"
    target.parent.mkdir()
    planted = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    planted.symlink_to(victim)
    demo.ok("export", "-o", str(target))
    assert victim.read_text() == "mine\n", "the export went through the planted symlink"
    assert target.is_file() and not target.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_symlink_at_the_destination_is_refused(demo: Cli, tmp_path: Path, command: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    refused(demo.run(*WRITERS[command](link)), "symbolic link")
    assert victim.read_text() == "mine\n"
    assert link.is_symlink()


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_regular_file_is_replaced_whole_and_private(
    demo: Cli, tmp_path: Path, command: str
) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    os.chmod(target, 0o644)
    r = demo.run(*WRITERS[command](target))
    assert r.exit_code == 0, r.stderr
    assert target.read_bytes() != b"old"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert hidden(tmp_path) == []


def test_the_next_write_sweeps_a_killed_runs_temporary_only(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = tmp_path / f".out.json.depositctl-{dead}-abc123.tmp"
    stale.write_text("half")
    foreign = tmp_path / ".out.json.12345.tmp"  # not ours
    foreign.write_text("theirs")
    alive = tmp_path / f".out.json.depositctl-{os.getppid()}-abc123.tmp"  # a running writer
    alive.write_text("busy")
    from depositctl.store.outfile import sweep, write_bytes

    write_bytes(tmp_path / "out.json", b"{}")
    assert not stale.exists()
    assert foreign.exists() and alive.exists()
    assert sweep(tmp_path) == []


def test_a_stream_path_writes_to_the_open_descriptor() -> None:
    from depositctl.store.outfile import write_bytes

    r, w = os.pipe()
    try:
        write_bytes(Path(f"/dev/fd/{w}"), b"through")
        os.close(w)
        assert os.read(r, 100) == b"through"
    finally:
        os.close(r)


def test_an_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    from depositctl.store.outfile import output_file

    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), output_file(target) as fh:
        fh.write(b"new")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert hidden(tmp_path) == []


def test_a_socket_or_folder_is_refused(tmp_path: Path) -> None:
    from depositctl.store.outfile import output_file

    with pytest.raises(UserError), output_file(tmp_path):
        pass


def test_bundle_entries_are_private(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "case1.zip"
    assert demo.run("bundle", "1", "-o", str(target)).exit_code == 0
    with zipfile.ZipFile(target) as zf:
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
    assert set(modes.values()) == {0o600}, modes
