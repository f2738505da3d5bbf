"""Issue 13, redaction and crafted imports.

- `export --redact` carries nothing computed from what it hides (no history hashes, no
  digests), and masks by field (names, phones, addresses, ID numbers, emails, accounts,
  licences, the people a contact was with) and by pattern in free text (18- and 15-digit
  ID numbers, mobiles, landlines with or without a separator, full-width digits, emails,
  and every masked field's value wherever it appears).
- An export edited and re-chained by hand is validated row by row with the CLI's models
  and limits; `check` applies the same validation to the ledger and names each bad row.
- The bundle never reads a stored file without end (a symlink to /dev/urandom, a file
  larger than recorded) and never builds a path from a name with `..` or `/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from depositctl.store.rows import history_hash
from tests.conftest import Cli
from tests.test_exchange import ID_NUMBER, PHONE, populate, rechain


@pytest.fixture
def ids(cli: Cli, tmp_path: Path) -> list[int]:
    return populate(cli, tmp_path)


# -- redaction ------------------------------------------------------------------------------
ID15 = "110105491231002"
LANDLINE = "057188886666"
FULLWIDTH = "１３９１２３４８８７６"
EMAIL = "wang.xiuying@example.com"
ADDRESS = "浙江省杭州市西湖区示例路1号"
NAME = "王秀英"
AGENT = "李某"


def _redacted(cli: Cli, ids: list[int], tmp_path: Path) -> tuple[str, dict[str, Any]]:
    cli.ok("profile", "set", "--email", EMAIL, "--payee-account", "6222021234567890123")
    cli.ok(
        "contact",
        str(ids[0]),
        "--on",
        "2025-06-03",
        "--channel",
        "phone",
        "--to",
        "张经理",
        "--summary",
        f"{NAME}的旧身份证 {ID15}，座机 {LANDLINE}，手机 {FULLWIDTH}，邮箱 {EMAIL}，张经理说找{AGENT}",
    )
    out = tmp_path / "share.json"
    cli.ok("export", "--redact", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    return text, json.loads(text)


def test_a_redacted_export_holds_no_hash_over_hidden_values(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    text, data = _redacted(cli, ids, tmp_path)
    assert data["history_head"] is None
    assert all(h.get("hash") is None and h.get("prev_hash") is None for h in data["history"])
    # The attack: 10,000 candidates for 138****5678 against every 64-hex value in the file.
    hexes = {
        w
        for w in text.replace('"', " ").replace(",", " ").split()
        if len(w) == 64 and all(c in "0123456789abcdef" for c in w)
    }
    evidence = {r["sha256"] for r in data["evidence"]}
    assert hexes <= evidence  # digests of files not in the export, never of a field
    assert "digest" not in text
    assert data.get("redaction", {}).get("hashes") == "removed"


@pytest.mark.parametrize(
    "secret",
    [
        PHONE,
        ID_NUMBER,
        ID15,
        LANDLINE,
        FULLWIDTH,
        "13912348876",
        EMAIL,
        ADDRESS,
        NAME,
        AGENT,
        "张经理",
        "6222021234567890123",
    ],
)
def test_a_redacted_export_masks(cli: Cli, ids: list[int], tmp_path: Path, secret: str) -> None:
    text, _data = _redacted(cli, ids, tmp_path)
    assert secret not in text
    assert secret not in unicodedata.normalize("NFKC", text)


def test_a_redacted_export_is_refused_by_import(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    out = tmp_path / "share.json"
    cli.ok("export", "--redact", "-o", str(out))
    cli.fails("--db", str(tmp_path / "n" / "l.db"), "import", str(out), contains="redacted")


# -- crafted imports ------------------------------------------------------------------------
def forge(data: dict[str, Any], table: str, index: int, **values: Any) -> None:
    """Change a row and the history entry that wrote it, then re-chain (a forger's edit)."""
    row = data[table][index]
    row.update(values)
    action = {
        "cases": "add",
        "progress": "progress",
        "contacts": "contact",
        "refunds": "refund",
        "evidence": "evidence",
    }[table]
    for h in data["history"]:
        changes = json.loads(h["changes"])
        if h["action"] != action:
            continue
        if (table == "cases" and h["case_id"] == row["id"]) or (
            table != "cases" and changes.get("id") == row["id"]
        ):
            changes.update({k: v for k, v in values.items() if k != "case_id"})
            h["changes"] = json.dumps(changes, ensure_ascii=False, sort_keys=True)
            if "case_id" in values:
                h["case_id"] = values["case_id"]
    rechain(data)


def _move_case(data: dict[str, Any], old: int, new: int) -> None:
    for table in ("progress", "contacts", "evidence", "refunds", "statement_rows"):
        for r in data[table]:
            if r["case_id"] == old:
                r["case_id"] = new
    for r in data["cases"]:
        if r["id"] == old:
            r["id"] = new
    for h in data["history"]:
        if h["case_id"] == old:
            h["case_id"] = new
    rechain(data)


ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "negative-amount": (lambda d: forge(d, "cases", 0, amount_fen=-9900), "amount_fen"),
    "huge-refund": (lambda d: forge(d, "refunds", 0, amount_fen=10**15), "amount_fen"),
    "unknown-channel": (lambda d: forge(d, "contacts", 0, channel="evil"), "channel"),
    "far-date": (lambda d: forge(d, "cases", 0, paid_on="9999-12-30"), "paid_on"),
    "escape": (lambda d: forge(d, "cases", 0, provider="\x1b[2J\x1b[31mX公司"), "provider"),
    "evidence-name": (lambda d: forge(d, "evidence", 0, name="../../../../x"), "name"),
    "evidence-sha": (lambda d: forge(d, "evidence", 0, sha256="../../etc/passwd"), "sha256"),
    "contact-of-another-case": (
        lambda d: forge(d, "evidence", 0, contact_id=d["contacts"][1]["id"]),
        "contact_id",
    ),
    "huge-case-id": (lambda d: _move_case(d, d["cases"][0]["id"], 2**63 - 1), "id"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_crafted_import_is_validated_row_by_row(
    cli: Cli, ids: list[int], tmp_path: Path, attack: str
) -> None:
    data = cli.ok("export").json()
    change, field = ATTACKS[attack]
    change(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "fresh" / "ledger.db"
    r = Cli(target).fails("--db", str(target), "import", str(bad), contains=field)
    assert "\x1b" not in r.stderr
    assert not target.exists()


def test_a_clean_export_still_imports(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    cli.ok("export", "-o", str(out))
    target = tmp_path / "fresh" / "ledger.db"
    Cli(target).ok("--db", str(target), "import", str(out), "--evidence-from", str(cli.db.parent))
    Cli(target).ok("--db", str(target), "check")


def _forge_ledger(cli: Cli, table: str, row_id: int, column: str, value: Any) -> None:
    """Change a row and the history entry that wrote it in the ledger, re-chain, and
    rewrite the head file: what a forger with the file can do."""
    conn = sqlite3.connect(cli.db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?', [value, row_id])
    action = {"cases": "add", "contacts": "contact", "refunds": "refund", "evidence": "evidence"}[
        table
    ]
    for h in conn.execute("SELECT * FROM history WHERE action = ?", [action]).fetchall():
        changes = json.loads(h["changes"])
        if (table == "cases" and h["case_id"] == row_id) or changes.get("id") == row_id:
            changes[column] = value
            conn.execute(
                "UPDATE history SET changes = ? WHERE id = ?",
                [json.dumps(changes, ensure_ascii=False, sort_keys=True), h["id"]],
            )
    prev = None
    for row in conn.execute("SELECT * FROM history ORDER BY id").fetchall():
        h = dict(row)
        h["prev_hash"] = prev
        new = history_hash(prev, h)
        conn.execute(
            "UPDATE history SET prev_hash = ?, hash = ? WHERE id = ?", [prev, new, h["id"]]
        )
        prev = new
    count = conn.execute("SELECT count(*) FROM history").fetchone()[0]
    conn.close()
    Path(f"{cli.db}.head").write_text(json.dumps({"count": count, "head": prev}))


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("cases", "amount_fen", -9900, "case 1"),
        ("cases", "paid_on", "9999-12-30", "case 1"),
        ("contacts", "channel", "evil", "contact 1"),
        ("refunds", "amount_fen", 10**15, "refund 1"),
        ("cases", "provider", "\x1b[31mX", "case 1"),
    ],
)
def test_check_validates_every_row(
    cli: Cli, ids: list[int], table: str, column: str, value: Any, expected: str
) -> None:
    _forge_ledger(cli, table, 1, column, value)
    r = cli.run("check")
    assert r.exit_code == 1, r.stdout
    assert "\x1b" not in r.stdout
    lines = [x for x in r.stdout.splitlines() if expected in x and column in x]
    assert lines, r.stdout


# -- the bundle and stored files ------------------------------------------------------------
@pytest.fixture
def alarm() -> Iterator[None]:
    def stop(*_: Any) -> None:
        raise TimeoutError("read without end")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _blob(cli: Cli) -> tuple[Path, int]:
    conn = sqlite3.connect(cli.db)
    sha, size = conn.execute("SELECT sha256, size FROM evidence ORDER BY id LIMIT 1").fetchone()
    conn.close()
    return cli.db.parent / "evidence" / sha[:2] / sha, size


@pytest.mark.parametrize("how", ["urandom-link", "grown"])
def test_bundle_reads_no_stored_file_without_end(
    cli: Cli, ids: list[int], tmp_path: Path, how: str, alarm: None
) -> None:
    blob, _size = _blob(cli)
    assert blob.is_file(), blob
    os.chmod(blob, 0o600)
    if how == "urandom-link":
        blob.unlink()
        blob.symlink_to("/dev/urandom")
    else:
        with open(blob, "ab") as fh:
            fh.write(b"\0" * (3 * 1024 * 1024))
    out = tmp_path / "b.zip"
    r = cli.run("bundle", str(ids[0]), "-o", str(out), "--to", "provider")
    assert r.exit_code != 0 and "Traceback" not in r.stderr, r.stderr
    assert "depositctl check" in r.stderr
    assert not out.exists()


def test_bundle_entry_names_cannot_leave_the_zip(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    conn = sqlite3.connect(cli.db, isolation_level=None)
    conn.execute("UPDATE evidence SET name = '../../../../x' WHERE id = 1")
    conn.execute("UPDATE evidence SET name = '/etc/passwd' WHERE id = 2")
    conn.close()
    out = tmp_path / "b.zip"
    r = cli.run("bundle", str(ids[0]), "-o", str(out), "--to", "provider")
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            assert ".." not in parts and not name.startswith("/") and "\\" not in name, name
        assert hashlib.sha256(b"x").hexdigest()  # the archive opens and lists


def test_evidence_names_are_validated(cli: Cli, ids: list[int]) -> None:
    _forge_ledger_evidence_name(cli)
    r = cli.run("check")
    assert r.exit_code == 1
    lines = [x for x in r.stdout.splitlines() if "evidence record 1" in x]
    assert lines and all("differs from its history" not in x for x in lines), r.stdout
    assert any("name" in x for x in lines), r.stdout


def _forge_ledger_evidence_name(cli: Cli) -> None:
    _forge_ledger(cli, "evidence", 1, "name", "../../../../x")


def test_rows_valid_before_are_still_valid(cli: Cli, ids: list[int]) -> None:
    cli.ok("check")
    text = cli.ok("show", str(ids[0])).stdout
    assert "\x1b" not in text
