"""The fast path of `status` (depositctl/fast.py): the same bytes as Typer, or a hand-over."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from depositctl import fast
from depositctl.ops.env import Env
from depositctl.ops.views import status_listing
from depositctl.store.migrations import migration_names
from depositctl.store.schema import MIGRATIONS
from tests.fixtures import make_ledger

ARGS = [
    ["status"],
    ["status", "--limit", "3"],
    ["status", "--all", "--limit=200"],
    ["status", "--json"],
    ["status", "--json", "--all"],
    ["status", "--json", "--limit", "3"],
    ["status", "--limit", "0"],
    ["status", "--all", "--limit=0"],
    ["status", "--limit", "0", "--json"],
]


@pytest.fixture(autouse=True)
def page_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same page width here and in the subprocesses (shutil reads COLUMNS first)."""
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = {}
    for n in (0, 1, 5, 120, 300):
        db = tmp_path_factory.mktemp(f"l{n}") / "ledger.db"
        make_ledger.main(["--cases", str(n), "--contacts-per-case", "3", "--db", str(db)])
        fresh(db)
        out[n] = db
    return out


def fresh(db: Path) -> None:
    """Compute the derived cache, as the first read does (a stale one is handed over)."""
    status_listing(Env(db_path=db, today=date(2026, 11, 24)))


def typer_output(argv: list[str]) -> str:
    run = subprocess.run(
        [sys.executable, "-c", "from depositctl.cli.main import main; main()", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, (argv, run.returncode, run.stderr)
    return run.stdout


def test_migrations_listed() -> None:
    assert list(MIGRATIONS) == migration_names()


def served(argv: list[str]) -> str | None:
    """What the fast path writes for `argv` (its pieces joined), or None: handed over."""
    return fast_text(fast._status(argv, {}))


def fast_text(out: Iterable[str | bytes] | None) -> str | None:
    """The fast path's pieces (text, or UTF-8: `status --json`) joined as text."""
    if out is None:
        return None
    return "".join(c.decode() if isinstance(c, bytes) else c for c in out)


@pytest.mark.slow
@pytest.mark.parametrize("n", [0, 1, 5, 120, 300])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", ["2026-11-24", "2027-03-01"])
def test_same_bytes_as_typer(ledgers: dict[int, Path], n: int, lang: str, today: str) -> None:
    for args in ARGS:
        argv = ["--db", str(ledgers[n]), "--today", today, "--lang", lang, *args]
        mine = served(argv)
        assert mine is not None, argv  # generated ledgers: every listing is served
        assert mine == typer_output(argv), argv


def test_served_in_process(ledgers: dict[int, Path]) -> None:
    out = served(["--db", str(ledgers[300]), "--today", "2026-11-24", "status", "--json"])
    assert out is not None and out.startswith("[\n  {\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--help"],
        ["status", "--bogus"],
        ["status", "--limit", "-1"],
        ["status", "--limit", "+3"],
        ["show", "1"],
        ["status", "--json", "extra"],
        ["--db"],
        ["--lang", "en", "--lang", "zh", "status"],
        ["--db", "a.db", "--db=b.db", "status"],
        [],
    ],
)
def test_hands_over_what_it_does_not_know(argv: list[str]) -> None:
    assert fast.parse(argv) is None


def test_dirty_cache_is_handed_over(ledgers: dict[int, Path], tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    make_ledger.main(["--cases", "300", "--contacts-per-case", "2", "--db", str(db)])
    fresh(db)
    argv = ["--db", str(db), "--today", "2026-11-24", "status", "--json"]
    assert fast._status(argv, {}) is not None
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cases SET provider = 'changed' WHERE id = 1")
    conn.commit()
    conn.close()
    assert fast._status(argv, {}) is None  # Typer recomputes the row first


def test_missing_ledger_is_handed_over(tmp_path: Path) -> None:
    argv = ["--db", str(tmp_path / "none.db"), "status", "--json"]
    with pytest.raises(FileNotFoundError):
        fast._status(argv, {})  # main() hands any exception over to Typer
    assert not (tmp_path / "none.db").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("n", "args"), [(300, "status --json"), (5, "status"), (120, "status")])
def test_no_heavy_imports(ledgers: dict[int, Path], n: int, args: str) -> None:
    code = (
        "import sys; sys.argv = ['depositctl', '--db', *sys.argv[1:]];"
        "from depositctl.fast import main; main();"
        "heavy = [m for m in ('pydantic', 'typer', 'click', 'rich', 'sqlite_utils',"
        " 'dateutil.parser') if m in sys.modules]; print('HEAVY', heavy, file=sys.stderr)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(ledgers[n]), *args.split()],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("[" if "--json" in args else " ")
    assert "HEAVY []" in run.stderr


#: The console script (depositctl.fast:main) and Typer's own entry, run the same way.
SCRIPT = [str(Path(sys.executable).with_name("depositctl"))]
TYPER = [sys.executable, "-c", "from depositctl.cli.main import main; main()"]


def both(argv: list[str], env: dict[str, str] | None = None) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of the console script, then of Typer."""
    runs = []
    for cmd in (SCRIPT, TYPER):
        run = subprocess.run([*cmd, *argv], capture_output=True, text=True, env=env)
        runs.append((run.returncode, run.stdout, run.stderr))
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_installed_script_prints_what_typer_prints(
    ledgers: dict[int, Path], n: int, lang: str
) -> None:
    """The installed `depositctl` against Typer, through the environment as people call
    it (DEPOSITCTL_DB, DEPOSITCTL_TODAY), output to a pipe."""
    import os

    env = {**os.environ, "DEPOSITCTL_DB": str(ledgers[n]), "DEPOSITCTL_TODAY": "2026-11-24"}
    for args in ARGS:
        script, typer = both(["--lang", lang, *args], env)
        assert script == typer, args
        assert script[0] == 0 and script[1], args


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["status", "--bogus"],
        ["status", "--help"],
        ["--lang", "en", "status", "--limit", "-1"],
        ["--lang", "zh", "status", "--limit", "-1"],
        ["status", "--limit", "x"],
        ["--today", "2026-13-01", "status"],
    ],
)
def test_handed_over_output_is_typers(ledgers: dict[int, Path], args: list[str]) -> None:
    """What the fast path does not serve, Typer prints: the same message, exit code and
    output as Typer's own entry (errors included)."""
    script, typer = both(["--db", str(ledgers[5]), *args])
    assert script == typer
    if "--help" in args:
        assert script[0] == 0 and "--limit" in script[1]
    else:
        assert script[0] != 0 and script[2] and not script[1]


@pytest.mark.slow
def test_sqlite3_edit_shows_in_the_next_status(tmp_path: Path) -> None:
    """A ledger edited with sqlite3 marks its case dirty: the console script hands the
    read over (Typer recomputes), and prints the edit; then serves the fresh cache."""
    db = tmp_path / "ledger.db"
    make_ledger.main(["--cases", "5", "--contacts-per-case", "2", "--db", str(db)])
    fresh(db)
    argv = ["--db", str(db), "--today", "2026-11-24", "--lang", "en", "status", "--all"]
    before = both(argv)[1]
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cases SET provider = 'Edited by hand Ltd' WHERE id = 1")
    conn.commit()
    conn.close()
    assert fast._status(argv, {}) is None  # dirty: handed over
    script, typer = both(argv)  # the script first: Typer's read recomputes the case
    assert script == typer != before
    assert "Edited by hand" in script[1]
    assert served(argv) == script[1]  # fresh again: served, the same bytes


@pytest.mark.slow
@pytest.mark.parametrize("args", [["status", "--json"], ["show", "1"], ["--help"]])
def test_output_that_cannot_be_written_is_one_line(
    ledgers: dict[int, Path], args: list[str]
) -> None:
    """Attack (session 4): `status --json >/dev/full` and `status >&-` printed tracebacks."""
    import shutil

    exe = shutil.which("depositctl", path=str(Path(sys.executable).parent))
    assert exe is not None
    argv = [exe, "--db", str(ledgers[5]), "--lang", "en", *args]
    with open("/dev/full", "w") as full:
        r = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert r.returncode == 1
    assert r.stderr == "Error: cannot write the output: No space left on device\n", r.stderr
    closed = subprocess.run(
        " ".join(f"'{a}'" for a in argv) + " >&-",
        shell=True,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert closed.returncode == 1
    assert closed.stderr == "Error: cannot write the output: standard output is closed\n"


@pytest.mark.slow
def test_main_writes_a_long_listing_in_pieces_as_typer_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Over a thousand lines (written a thousand at a time, never as one string): the
    same bytes as Typer's, for the plain listing and the JSON."""
    db = tmp_path / "ledger.db"
    make_ledger.main(["--cases", "1300", "--contacts-per-case", "1", "--db", str(db)])
    fresh(db)
    for args in (["status", "--all", "--limit", "0"], ["status", "--json", "--all"]):
        argv = ["--db", str(db), "--today", "2026-11-24", "--lang", "en", *args]
        monkeypatch.setattr(sys, "argv", ["depositctl", *argv])
        fast.main()
        out = capsys.readouterr().out
        assert out.count("\n") > 1300
        assert out == typer_output(argv)


def test_an_error_before_the_first_lines_hands_over(
    ledgers: dict[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pieces are made lazily: an exception while the first thousand lines are made
    (before a byte is written) still hands the command to Typer."""
    from depositctl.render import tables

    def broken(*_: object) -> object:
        raise RuntimeError("a bug in the listing")

    handed: list[bool] = []
    monkeypatch.setattr(tables, "_plain_table", broken)
    monkeypatch.setattr("depositctl.cli.main.main", lambda: handed.append(True))
    argv = ["--db", str(ledgers[300]), "--today", "2026-11-24", "status", "--limit", "0"]
    monkeypatch.setattr(sys, "argv", ["depositctl", *argv])
    fast.main()
    assert handed == [True]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Error: Interrupted; nothing was half-written."),
        ("zh", "已中断；没有写入不完整的数据。"),
    ],
)
@pytest.mark.parametrize("where", ["status", "handover"])
def test_ctrl_c_on_the_fast_path_is_one_line_exit_130(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    expected: str,
    where: str,
) -> None:
    """Ctrl-C while the fast path reads or writes the listing, or while Typer is being
    imported for a command it hands over: the one line Typer's commands give, exit 130.
    Before (session 10), a traceback ending in KeyboardInterrupt and exit -2 (SIGINT)."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "status":
        monkeypatch.setattr(fast, "_status", interrupted)
    else:
        import depositctl.cli.main

        monkeypatch.setattr(fast, "_status", lambda *a: None)  # handed over
        monkeypatch.setattr(depositctl.cli.main, "main", interrupted)
    monkeypatch.setattr(sys, "argv", ["depositctl", "--lang", lang, "status"])
    try:
        with pytest.raises(SystemExit) as exc:
            fast.main()
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped the fast path: a traceback")
    assert exc.value.code == 130
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err, err
