"""Bad input of any kind: one clear line on stderr, non-zero exit, no traceback, nothing
written (DESIGN.md, Inputs). Every case goes through `cli.fails`, which checks all four."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Cli

ID = "{id}"  # replaced by the fixture case's id

#: One valid invocation of every command that takes a case id.
WITH_ID: dict[str, list[str]] = {
    "edit": ["edit", ID, "--serial", "X"],
    "progress": ["progress", ID, "--on", "2025-04-01", "--volume", "100"],
    "met": ["met", ID, "--on", "2025-04-01"],
    "returned": ["returned", ID, "--on", "2025-04-01"],
    "contact": ["contact", ID, "--on", "2025-04-01", "--channel", "phone"],
    "evidence add": ["evidence", "add", ID, "{file}", "--kind", "receipt"],
    "evidence list": ["evidence", "list", ID],
    "refund": ["refund", ID, "--amount", "10", "--on", "2025-04-01"],
    "close": ["close", ID, "--reason", "withdrawn"],
    "reopen": ["reopen", ID],
    "show": ["show", ID],
}

#: One valid invocation of every command that opens the ledger.
EVERY_COMMAND: dict[str, list[str]] = {
    "profile set": ["profile", "set", "--name", "张三"],
    "profile show": ["profile", "show"],
    "add": ["add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05"],
    **WITH_ID,
    "status": ["status"],
    "status --json": ["status", "--json"],
    "agenda": ["agenda"],
}


def argv(template: list[str], case_id: int | str, file: Path) -> list[str]:
    return [a.replace(ID, str(case_id)).replace("{file}", str(file)) for a in template]


@pytest.fixture
def file(tmp_path: Path) -> Path:
    f = tmp_path / "receipt.txt"
    f.write_text("receipt", encoding="utf-8")
    return f


def test_the_valid_invocations_are_valid(cli: Cli, case_id: int, file: Path) -> None:
    """Guards the tables above: each one works on a good ledger (reopen after close)."""
    for name, template in EVERY_COMMAND.items():
        if name == "close":
            continue
        if name == "reopen":
            cli.ok(*argv(EVERY_COMMAND["close"], case_id, file))
        cli.ok(*argv(template, case_id, file))


# -- case ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(WITH_ID))
def test_unknown_case_id(cli: Cli, case_id: int, file: Path, name: str) -> None:
    cli.fails(*argv(WITH_ID[name], 42, file), contains="No case #42")
    cli.fails(*argv(WITH_ID[name], "#42", file), contains="No case #42")


@pytest.mark.parametrize("name", list(WITH_ID))
@pytest.mark.parametrize("bad", ["abc", "0", "#", "-1", "3.5"])
def test_not_a_case_id(cli: Cli, case_id: int, file: Path, name: str, bad: str) -> None:
    cli.fails(*argv(WITH_ID[name], bad, file))


@pytest.mark.parametrize("bad", ["99999999999999999999999", "²", "١", "3 4", "#-3"])
def test_odd_case_ids(cli: Cli, case_id: int, bad: str) -> None:
    cli.fails("show", bad)
    cli.fails("refund", bad, "--amount", "1", "--on", "2025-04-01")


def test_full_width_case_id(cli: Cli, case_id: int) -> None:
    assert cli.ok("show", "＃１", "--json").json()["id"] == case_id == 1


def test_absurd_values_are_refused_not_stored(cli: Cli, case_id: int) -> None:
    """Values that would overflow a date later would break every later command."""
    base = ["add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05"]
    cli.fails(*base, "--condition-days", "99999999999", contains="at most")
    cli.fails(*base, "--condition-count", "99999999999999999999999", contains="at most")
    cli.fails(*base, "--promised-refund-on", "9999-12-31", contains="out of range")
    cli.fails("edit", str(case_id), "--condition-days", "99999999999")
    cli.fails(
        "contact", str(case_id), "--on", "2025-04-01", "--channel", "phone",
        "--promised-by", "9999-12-31",
    )  # fmt: skip
    cli.fails("--today", "9999-12-30", "status", contains="out of range")
    cli.ok("status")


# -- dates ------------------------------------------------------------------------------------

DATED: dict[str, tuple[list[str], str]] = {
    # command template, the option holding the date
    "add --paid-on": (
        ["add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "{date}"],
        "--paid-on",
    ),
    "add --activated-on": (
        ["add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05", "--activated-on", "{date}"],
        "--activated-on",
    ),
    "edit --paid-on": (["edit", ID, "--paid-on", "{date}"], "--paid-on"),
    "edit --activated-on": (["edit", ID, "--activated-on", "{date}"], "--activated-on"),
    "progress --on": (["progress", ID, "--on", "{date}", "--volume", "100"], "--on"),
    "met --on": (["met", ID, "--on", "{date}"], "--on"),
    "returned --on": (["returned", ID, "--on", "{date}"], "--on"),
    "contact --on": (["contact", ID, "--on", "{date}", "--channel", "phone"], "--on"),
    "refund --on": (["refund", ID, "--amount", "10", "--on", "{date}"], "--on"),
}  # fmt: skip

#: Dates that may lie in the future, but must still be dates.
MAY_BE_FUTURE: dict[str, list[str]] = {
    "add --promised-refund-on": [
        "add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05",
        "--promised-refund-on", "{date}",
    ],
    "edit --promised-refund-on": ["edit", ID, "--promised-refund-on", "{date}"],
    "contact --promised-by": [
        "contact", ID, "--on", "2025-04-01", "--channel", "phone", "--promised-by", "{date}",
    ],
}  # fmt: skip


def with_date(template: list[str], case_id: int, value: str) -> list[str]:
    return [a.replace(ID, str(case_id)).replace("{date}", value) for a in template]


@pytest.mark.parametrize("name", list(DATED) + list(MAY_BE_FUTURE))
@pytest.mark.parametrize("bad", ["2025-02-30", "junk", "2025-13-01", "2023-02-29", "3/5/2025"])
def test_bad_dates(cli: Cli, case_id: int, name: str, bad: str) -> None:
    template = DATED[name][0] if name in DATED else MAY_BE_FUTURE[name]
    r = cli.fails(*with_date(template, case_id, bad))
    assert bad in r.stderr


@pytest.mark.parametrize("name", list(DATED))
def test_future_dates_refused(cli: Cli, case_id: int, name: str) -> None:
    cli.fails(*with_date(DATED[name][0], case_id, "2026-11-25"), contains="cannot be in the future")
    cli.fails(*with_date(DATED[name][0], case_id, "2027-01-01"), contains="future")


@pytest.mark.parametrize("name", list(DATED))
def test_today_is_not_the_future(cli: Cli, case_id: int, name: str) -> None:
    r = cli.run(*with_date(DATED[name][0], case_id, "2026-11-24"))
    assert r.exit_code == 0, r.stderr
    # `met` after the case's condition window (2025-06-03) is recorded with a warning
    late = name == "met --on" and r.stderr.startswith("Warning: the condition window closed")
    assert r.stderr == "" or late, r.stderr


@pytest.mark.parametrize("name", list(MAY_BE_FUTURE))
def test_future_allowed_where_it_can_be(cli: Cli, case_id: int, name: str) -> None:
    cli.ok(*with_date(MAY_BE_FUTURE[name], case_id, "2027-03-01"))


def test_contact_time_must_be_a_time(cli: Cli, case_id: int) -> None:
    cli.fails("contact", str(case_id), "--on", "2025-04-01T25:00", "--channel", "phone")
    cli.fails("contact", str(case_id), "--on", "2026-11-25T08:00", "--channel", "phone")


@pytest.mark.parametrize("bad", ["2025-02-30", "tomorrow"])
def test_bad_global_today(cli: Cli, case_id: int, bad: str) -> None:
    cli.fails("--today", bad, "status")


# -- money ------------------------------------------------------------------------------------

MONEY: dict[str, list[str]] = {
    "add --amount": ["add", "--provider", "P有限公司", "--amount", "{x}", "--paid-on", "2025-03-05"],
    "add --condition-volume": [
        "add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05",
        "--condition-volume", "{x}",
    ],
    "edit --amount": ["edit", ID, "--amount", "{x}"],
    "edit --condition-volume": ["edit", ID, "--condition-volume", "{x}"],
    "progress --volume": ["progress", ID, "--on", "2025-04-01", "--volume", "{x}"],
    "refund --amount": ["refund", ID, "--amount", "{x}", "--on", "2025-04-01"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(MONEY))
@pytest.mark.parametrize("bad", ["0", "-5", "99.999", "1,00", "abc", "0.00", "¥-1"])
def test_bad_amounts(cli: Cli, case_id: int, name: str, bad: str) -> None:
    args = [a.replace(ID, str(case_id)).replace("{x}", bad) for a in MONEY[name]]
    cli.fails(*args)


def test_amount_messages_say_why(cli: Cli, case_id: int) -> None:
    base = ["refund", str(case_id), "--on", "2025-04-01", "--amount"]
    cli.fails(*base, "0", contains="more than zero")
    cli.fails(*base, "-5", contains="more than zero")
    cli.fails(*base, "99.999", contains="two decimals")
    cli.fails(*base, "1,00", contains="Not an amount")


def test_refund_above_outstanding(cli: Cli, case_id: int) -> None:
    cli.fails(
        "refund", str(case_id), "--amount", "99.01", "--on", "2025-04-01", contains="outstanding"
    )
    cli.ok("refund", str(case_id), "--amount", "90", "--on", "2025-04-01")
    cli.fails("refund", str(case_id), "--amount", "9.01", "--on", "2025-04-02", contains="9.00")
    cli.ok("refund", str(case_id), "--amount", "9", "--on", "2025-04-02")
    cli.fails("refund", str(case_id), "--amount", "0.01", "--on", "2025-04-03")


# -- words from a fixed list ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "contains"),
    [
        (["contact", ID, "--on", "2025-04-01", "--channel", "fax"], "fax"),
        (["contact", ID, "--on", "2025-04-01", "--channel", "phone", "--outcome", "maybe"], "maybe"),
        (["evidence", "add", ID, "{file}", "--kind", "selfie"], "selfie"),
        (["add", "--provider", "P有限公司", "--amount", "9", "--paid-on", "2025-03-05", "--paid-via", "gold"], "gold"),
        (["edit", ID, "--paid-via", "gold"], "gold"),
        (["close", ID, "--reason", "bored"], "bored"),
        (["add", "--provider", "P有限公司", "--amount", "9", "--paid-on", "2025-03-05", "--refund-within", "soon"], "soon"),
        (["edit", ID, "--refund-within", "15w"], "15w"),
        (["add", "--provider", "P有限公司", "--amount", "9", "--paid-on", "2025-03-05", "--condition-count", "0"], "0"),
        (["edit", ID, "--condition-days", "many"], "many"),
        (["progress", ID, "--on", "2025-04-01", "--volume", "10", "--count", "x"], "x"),
    ],
)  # fmt: skip
def test_unknown_words(cli: Cli, case_id: int, file: Path, args: list[str], contains: str) -> None:
    cli.fails(*argv(args, case_id, file), contains=contains)


def test_conflicting_condition_kinds(cli: Cli) -> None:
    base = ["add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05"]
    cli.fails(*base, "--no-condition", "--condition-return", contains="one kind of condition")
    cli.fails(*base, "--condition-volume", "100", "--no-condition", contains="one kind")


def test_edit_needs_something_and_cannot_clear_required(cli: Cli, case_id: int) -> None:
    cli.fails("edit", str(case_id), contains="Nothing to change")
    cli.fails("edit", str(case_id), "--clear", "provider", contains="Cannot clear")
    cli.fails("edit", str(case_id), "--clear", "amount")
    cli.fails("edit", str(case_id), "--clear", "colour")


def test_blank_provider(cli: Cli) -> None:
    cli.fails("add", "--provider", "  ", "--amount", "99", "--paid-on", "2025-03-05")


def test_edit_to_a_blank_provider(cli: Cli, case_id: int) -> None:
    """Blank text for a required field is a missing value, not a damaged ledger."""
    r = cli.fails("edit", str(case_id), "--provider", "  ", contains="Missing --provider")
    assert r.exit_code == 2


def test_status_negative_limit(cli: Cli, case_id: int) -> None:
    cli.fails("status", "--limit", "-1")


@pytest.mark.parametrize(
    "args",
    [
        ["progress", ID, "--volume", "100"],  # missing --on
        ["agenda", "--days", "-1"],
        ["status", "--limit", "many"],
        [
            "add",
            "--provider",
            "P有限公司",
            "--amount",
            "9",
            "--paid-on",
            "2025-03-05",
            "--colour",
            "red",
        ],
        ["profile", "set", "--grace-days", "0"],
        ["nonsense"],
    ],
)
def test_usage_errors_are_one_line(cli: Cli, case_id: int, file: Path, args: list[str]) -> None:
    cli.fails(*argv(args, case_id, file))


# -- evidence files --------------------------------------------------------------------------


def test_missing_evidence_file(cli: Cli, case_id: int, file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.jpg"
    cli.fails(
        "evidence", "add", str(case_id), str(missing), "--kind", "receipt", contains="nope.jpg"
    )
    # One good, one missing: nothing is recorded and nothing is copied.
    cli.fails("evidence", "add", str(case_id), str(file), str(missing), "--kind", "receipt")
    assert not (cli.db.parent / "evidence").exists() or not any(
        p.is_file() for p in (cli.db.parent / "evidence").rglob("*")
    )
    cli.fails(
        "contact", str(case_id), "--on", "2025-04-01", "--channel", "phone",
        "--evidence", str(missing),
    )  # fmt: skip


def test_evidence_folder_and_symlink_refused(
    cli: Cli, case_id: int, file: Path, tmp_path: Path
) -> None:
    cli.fails(
        "evidence", "add", str(case_id), str(tmp_path), "--kind", "receipt", contains="folder"
    )
    link = tmp_path / "link.txt"
    link.symlink_to(file)
    cli.fails("evidence", "add", str(case_id), str(link), "--kind", "receipt")


# -- the ledger file itself -------------------------------------------------------------------------


def _some_ledger(cli: Cli) -> None:
    cli.ok("add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05")


@pytest.mark.parametrize("name", list(EVERY_COMMAND))
def test_corrupt_ledger(cli: Cli, file: Path, name: str) -> None:
    cli.db.parent.mkdir(parents=True, exist_ok=True)
    cli.db.write_bytes(b"this is not sqlite \x00\x01\x02" * 200)
    r = cli.fails(*argv(EVERY_COMMAND[name], 1, file))
    assert "ledger" in r.stderr
    assert cli.db.read_bytes() == b"this is not sqlite \x00\x01\x02" * 200


def test_ledger_with_a_damaged_sqlite_header(cli: Cli) -> None:
    _some_ledger(cli)
    data = bytearray(cli.db.read_bytes())
    data[:16] = b"\x00" * 16
    cli.db.write_bytes(bytes(data))
    for p in (Path(f"{cli.db}-wal"), Path(f"{cli.db}-shm")):
        p.unlink(missing_ok=True)
    cli.fails("status")
    cli.fails("add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05")


@pytest.mark.parametrize("name", list(EVERY_COMMAND))
def test_ledger_from_a_newer_version(cli: Cli, file: Path, name: str) -> None:
    _some_ledger(cli)
    conn = sqlite3.connect(cli.db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    r = cli.fails(*argv(EVERY_COMMAND[name], 1, file), contains="newer depositctl")
    assert "99" in r.stderr
    conn = sqlite3.connect(cli.db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_ledger_path_is_a_folder(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    cli.fails("--db", str(folder), "status", contains="folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_ledger(cli: Cli) -> None:
    _some_ledger(cli)
    cli.db.chmod(0o000)
    try:
        r = cli.run("status")
        assert r.exit_code != 0
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    finally:
        cli.db.chmod(0o600)


# -- the user calendar file ---------------------------------------------------------------------

CALENDAR_USERS: dict[str, list[str]] = {
    "status": ["status"],
    "status --json": ["status", "--json"],
    "show": ["show", ID],
    "agenda": ["agenda"],
    "progress": ["progress", ID, "--on", "2025-04-01", "--volume", "100"],
    "contact": ["contact", ID, "--on", "2025-04-01", "--channel", "12315"],
    "refund": ["refund", ID, "--amount", "10", "--on", "2025-04-01"],
}


@pytest.mark.parametrize("name", list(CALENDAR_USERS))
@pytest.mark.parametrize(
    "content", [b"[2027\nholidays = [", b'[2027]\nholidays = ["2027-02-30"]\n', b"\xff\xfe"]
)
def test_bad_calendar_file(cli: Cli, case_id: int, file: Path, name: str, content: bytes) -> None:
    (cli.db.parent / "workdays.toml").write_bytes(content)
    r = cli.fails(*argv(CALENDAR_USERS[name], case_id, file))
    assert "alendar" in r.stderr


def test_bad_calendar_file_stops_import_statement_before_it_writes(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    statement = tmp_path / "statement.csv"
    statement.write_text("date,amount\n2025-04-01,100\n", encoding="utf-8")
    (cli.db.parent / "workdays.toml").write_bytes(b"[2027\nholidays = [")
    cli.fails("import-statement", str(case_id), str(statement), contains="alendar")


def test_bad_calendar_file_from_the_environment(
    cli: Cli, case_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "cal.toml"
    bad.write_text('["2027"]\nworkdays = "2027-02-14"\n', encoding="utf-8")
    monkeypatch.setenv("DEPOSITCTL_CALENDAR", str(bad))
    cli.fails("show", str(case_id), contains="must be a list")


# -- the language of errors -----------------------------------------------------------------------


def test_errors_in_chinese_differ_from_english(cli: Cli, case_id: int) -> None:
    en = cli.fails("show", "42")
    zh = cli.fails("show", "42", lang="zh")
    assert zh.stderr != en.stderr
    assert "42" in zh.stderr


def test_edit_amount_below_what_was_refunded(cli: Cli, case_id: int) -> None:
    cli.ok("refund", str(case_id), "--amount", "50", "--on", "2025-04-01")
    cli.fails("edit", str(case_id), "--amount", "49.99", contains="50.00")
    cli.ok("edit", str(case_id), "--amount", "50")


def test_sqlite_database_of_another_program(cli: Cli) -> None:
    cli.db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(cli.db)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    before = cli.db.read_bytes()
    cli.fails("status", contains="not a depositctl ledger")
    cli.fails("add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05")
    assert cli.db.read_bytes() == before


def test_empty_file_is_a_new_ledger(cli: Cli) -> None:
    cli.db.parent.mkdir(parents=True, exist_ok=True)
    cli.db.write_bytes(b"")
    cli.ok("add", "--provider", "P有限公司", "--amount", "99", "--paid-on", "2025-03-05")
    assert len(cli.ok("status", "--json").json()) == 1


def test_ledger_folder_cannot_be_created(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cli.fails("--db", str(blocker / "ledger.db"), "status", contains="Cannot create the ledger")
    cli.fails(
        "--db",
        str(blocker / "sub" / "ledger.db"),
        "add",
        "--provider",
        "P有限公司",
        "--amount",
        "9",
        "--paid-on",
        "2025-03-05",
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("where", ["the command", "the options"])
def test_ctrl_c_while_a_command_runs_says_so(
    cli: Cli, case_id: int, monkeypatch: pytest.MonkeyPatch, lang: str, where: str
) -> None:
    """Ctrl-C while a command works (not at a question): exit 130 with the one line that
    says nothing was half-written. Before (session 10), Typer turned the interrupt into a
    silent exit 130: the terminal test of a Ctrl-C typed just as a question came up
    failed now and then, with nothing said."""
    from depositctl.ops import views

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "the command":
        monkeypatch.setattr(views, "status_listing", interrupted)
    else:  # the root's options: Typer imports pydantic there, a third of a short command
        from depositctl.cli.errors import DepositGroup

        monkeypatch.setattr(DepositGroup, "parse_args", interrupted)
    r = cli.run("status", lang=lang)
    assert r.exit_code == 130
    expected = (
        "Interrupted; nothing was half-written."
        if lang == "en"
        else "已中断；没有写入不完整的数据。"
    )
    assert expected in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1
