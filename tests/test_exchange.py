"""export / import (JSON round trip, all or nothing), CSV, --redact, backup."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from depositctl.core.errors import UserError
from depositctl.store.rows import history_hash
from tests.conftest import Cli, built_once

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"  # a valid check digit (cn.ric)


def populate(cli: Cli, tmp: Path) -> list[int]:
    """A ledger with every kind of fact, written through the CLI (once per session: later
    tests get a copy of it, `built_once`)."""
    return built_once("populate", cli, lambda: write_every_fact(cli, tmp), beside=tmp)


def write_every_fact(cli: Cli, tmp: Path) -> list[int]:
    cli.ok(
        "profile",
        "set",
        "--name",
        "王秀英",
        "--phone",
        PHONE,
        "--id-number",
        ID_NUMBER,
        "--address",
        "浙江省杭州市西湖区示例路1号",
        "--grace-days",
        "20",
    )
    ids = []
    for serial, extra in (
        (
            "SN1",
            ["--condition-volume", "50000", "--condition-days", "90", "--refund-within", "15wd"],
        ),
        ("SN2", ["--no-condition", "--agent-phone", "139 0000 1111"]),
        ("SN3", ["--condition-return", "--refund-within", "30d"]),
    ):
        r = cli.ok(
            "add",
            "--provider",
            "示例支付股份有限公司",
            "--amount",
            "299",
            "--paid-on",
            "2025-03-05",
            "--activated-on",
            "2025-03-06",
            "--serial",
            serial,
            "--agent-name",
            "李某",
            "--condition-text",
            "激活后90天内累计刷卡满5万元",
            *extra,
        )
        ids.append(int(r.stdout.split("#")[1].split()[0]))
    a, b, c = ids
    cli.ok("progress", str(a), "--on", "2025-04-20", "--volume", "51,000.50", "--count", "80")
    cli.ok(
        "contact",
        str(a),
        "--on",
        "2025-06-01T10:00",
        "--channel",
        "phone",
        "--to",
        "客服 0571-88886666",
        "--ticket",
        "T1",
        "--outcome",
        "promised",
        "--summary",
        f"留了手机 {PHONE}，身份证 {ID_NUMBER}",
    )
    cli.ok("contact", str(b), "--on", "2025-06-02", "--channel", "12315", "--refund-request")
    receipt = tmp / "首刷 凭证.txt"
    receipt.write_text("扣押金 299 元\n", encoding="utf-8")
    chat = tmp / "chat.png"
    chat.write_bytes(os.urandom(3000))
    cli.ok("evidence", "add", str(a), str(receipt), str(chat), "--kind", "receipt")
    cli.ok("refund", str(b), "--amount", "100", "--on", "2025-07-01", "--note", "部分")
    cli.ok("edit", str(a), "--serial", "SN1-fixed", "--note", "改过")
    cli.ok("met", str(a), "--on", "2025-04-21")
    cli.ok("returned", str(c), "--on", "2025-05-01")
    cli.ok("close", str(c), "--reason", "withdrawn")
    return ids


def views(cli: Cli, ids: list[int], db: Path | None = None) -> dict[str, Any]:
    pre = ["--db", str(db)] if db else []
    return {
        "status": cli.ok(*pre, "status", "--json", "--all").json(),
        "show": [cli.ok(*pre, "show", "--json", str(i)).json() for i in ids],
    }


@pytest.fixture
def ids(cli: Cli, tmp_path: Path) -> list[int]:
    return populate(cli, tmp_path)


def test_json_round_trip_gives_identical_views(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    cli.ok("export", "-o", str(out))
    assert out.stat().st_mode & 0o777 == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "depositctl-export" and data["format_version"] == 1
    for key in ("profile", "cases", "progress", "contacts", "evidence", "refunds", "history"):
        assert data[key], key
    assert data["profile"]["id_number"] == ID_NUMBER
    new = tmp_path / "restored" / "ledger.db"
    r = cli.run("--db", str(new), "import", str(out))
    assert r.exit_code == 0, r.stderr
    assert "2 evidence files are not in this ledger's store" in r.stderr
    assert views(cli, ids, new) == views(cli, ids)
    # with the evidence files, the restored ledger passes check
    other = tmp_path / "restored2" / "ledger.db"
    old_folder = Path(os.environ["DEPOSITCTL_DB"]).parent
    r2 = cli.ok("--db", str(other), "import", str(out), "--evidence-from", str(old_folder))
    assert "Copied 2 evidence files." in r2.stdout
    assert cli.ok("--db", str(other), "check").stdout.startswith("No problems found")
    assert views(cli, ids, other) == views(cli, ids)
    # and exporting the restored ledger gives the same facts again
    again = json.loads(cli.ok("--db", str(other), "export").stdout)
    for key in ("profile", "settings", "cases", "progress", "contacts", "evidence", "refunds"):
        assert again[key] == data[key], key
    assert again["history"][: len(data["history"])] == data["history"]
    assert again["history"][-1]["action"] == "import"


def test_export_to_stdout_is_json(cli: Cli, ids: list[int]) -> None:
    data = cli.ok("export", "--format", "json").json()
    assert [c["id"] for c in data["cases"]] == ids
    assert data["history_head"] == data["history"][-1]["hash"]


def test_import_refuses_a_ledger_with_data(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    cli.ok("export", "-o", str(out))
    cli.fails("import", str(out), contains="already holds data")


def _reimport_fails(
    cli: Cli, data: dict[str, Any], tmp_path: Path, contains: str, *, verified: bool = True
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "fresh" / "ledger.db"
    fresh = Cli(target)
    r = fresh.fails("--db", str(target), "import", str(bad), contains=contains)
    assert "Traceback" not in r.stderr
    assert fresh.snapshot() == {}  # nothing half-written
    if verified:  # found before the ledger is opened: it is not even created
        assert not target.exists()


def rechain(data: dict[str, Any]) -> None:
    """Recompute the hash chain and the header's head, as someone forging a file would."""
    prev = None
    for h in data["history"]:
        h["prev_hash"] = prev
        h["hash"] = history_hash(prev, h)
        prev = h["hash"]
    data["history_head"] = prev


@pytest.mark.parametrize(
    ("change", "contains"),
    [
        (lambda d: d["cases"][0].update(amount_fen=1), "do not match its history"),
        (lambda d: d["refunds"].clear(), "do not match its history"),
        (lambda d: d["contacts"][0].update(ticket="T9"), "do not match its history"),
        (lambda d: d["history"][2].update(action="edit"), "hash chain is broken"),
        (lambda d: d["history"].pop(3), "hash chain is broken"),
        (lambda d: d["profile"].update(phone="1"), "do not match its history"),
        (lambda d: d["settings"][0].update(value="99"), "do not match its history"),
        (lambda d: d["cases"][0].update(colour="red"), "unknown field colour"),
        (lambda d: d["cases"][0].update(amount_fen="299"), "wrong type"),
        (lambda d: d["cases"][0].update(amount_fen=2**70), "out of range"),
        (lambda d: d["cases"].append("x"), "not an object"),
        (lambda d: d.update(cases={}), "not a list"),
        (lambda d: d.update(format_version=2), "newer depositctl"),
        (lambda d: d.update(schema_version=999), "newer depositctl"),
        (lambda d: d.update(format="other"), "not a depositctl export"),
        (lambda d: d.update(redacted=True), "redacted export"),
    ],
)
def test_import_refuses_a_changed_or_bad_file(
    cli: Cli, ids: list[int], tmp_path: Path, change: Any, contains: str
) -> None:
    data = cli.ok("export").json()
    change(data)
    _reimport_fails(cli, data, tmp_path, contains)


def test_import_refuses_forged_values_even_with_a_valid_chain(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    """A file re-chained by hand with an unreadable date or a dangling id: all or nothing."""
    data = cli.ok("export").json()
    case = data["cases"][0]
    case["paid_on"] = "not a date"
    add = next(h for h in data["history"] if h["action"] == "add" and h["case_id"] == case["id"])
    changes = json.loads(add["changes"])
    changes["paid_on"] = "not a date"
    add["changes"] = json.dumps(changes, ensure_ascii=False, sort_keys=True)
    rechain(data)
    _reimport_fails(cli, data, tmp_path, "paid_on")

    data = cli.ok("export").json()
    data["progress"][0]["case_id"] = 999
    entry = next(h for h in data["history"] if h["action"] == "progress")
    entry["case_id"] = 999
    rechain(data)
    _reimport_fails(cli, data, tmp_path, "FOREIGN KEY", verified=False)


@pytest.mark.parametrize(
    ("content", "contains"),
    [
        (b"", "not a JSON file"),
        (b"[1, 2", "not a JSON file"),
        (b"\xff\xfe\x00", "not a JSON file"),
        (b"[" * 100_000, "not a JSON file"),
        (b"[]", "not a depositctl export"),
        (b'{"format": "depositctl-export", "format_version": "1"}', "not a depositctl export"),
    ],
)
def test_import_bad_files_fail_cleanly(
    cli: Cli, tmp_path: Path, content: bytes, contains: str
) -> None:
    f = tmp_path / "x.json"
    f.write_bytes(content)
    cli.fails("import", str(f), contains=contains)


def test_import_missing_file_and_folder(cli: Cli, tmp_path: Path) -> None:
    cli.fails("import", str(tmp_path / "nope.json"), contains="No such file")
    cli.fails("import", str(tmp_path), contains="folder")


def test_csv_export_for_spreadsheets(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    cli.ok("contact", str(ids[0]), "--on", "2025-06-03", "--channel", "chat", "--summary", "=1+2")
    folder = tmp_path / "csv"
    r = cli.ok("export", "--format", "csv", "-o", str(folder))
    assert "Wrote 8 CSV files" in r.stdout
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        f"{t}.csv"
        for t in sorted(
            (
                "profile",
                "settings",
                "cases",
                "progress",
                "contacts",
                "evidence",
                "refunds",
                "history",
            )
        )
    ]
    raw = (folder / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS read UTF-8
    import csv

    rows = list(csv.DictReader((folder / "cases.csv").open(encoding="utf-8-sig")))
    assert rows[0]["provider"] == "示例支付股份有限公司"
    assert rows[0]["amount_fen"] == "29900" and rows[0]["amount"] == "299.00"
    contacts = list(csv.DictReader((folder / "contacts.csv").open(encoding="utf-8-sig")))
    assert contacts[-1]["summary"] == "'=1+2"  # not run as a formula


def test_redacted_export_masks_id_and_phone_numbers(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "share.json"
    cli.ok("export", "--redact", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    for secret in (PHONE, ID_NUMBER, "139 0000 1111", "0571-88886666", "88886666"):
        assert secret not in text, secret
    data = json.loads(text)
    assert data["redacted"] is True
    assert data["profile"]["phone"] == "138****5678"
    assert data["profile"]["name"] == "王**"  # names are masked too (issue 13)
    assert "digest" not in text
    assert data["cases"][1]["agent_phone"] == "139 **** 1111"
    folder = tmp_path / "csv"
    cli.ok("export", "--redact", "--format", "csv", "-o", str(folder))
    for f in folder.iterdir():
        content = f.read_text(encoding="utf-8-sig")
        assert PHONE not in content and ID_NUMBER not in content, f.name
    cli.fails("--db", str(tmp_path / "n" / "l.db"), "import", str(out), contains="redacted")


def test_backup_is_a_ledger_that_opens_with_db(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    target = tmp_path / "usb" / "copy.db"
    r = cli.ok("backup", str(target))
    assert "3 cases and 2 evidence files" in r.stdout
    assert target.stat().st_mode & 0o777 == 0o600
    assert views(cli, ids, target) == views(cli, ids)
    assert cli.ok("--db", str(target), "check").stdout.startswith("No problems found")
    cli.fails("backup", str(target), contains="already exists")
    folder = tmp_path / "bk"
    folder.mkdir(mode=0o700)
    cli.ok("backup", str(folder))
    assert (folder / "ledger.db").is_file()
    assert len(list((folder / "evidence").glob("*/*"))) == 2
    assert not list((folder / "evidence" / "tmp").iterdir())


def test_backup_into_a_new_folder(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    for name in ("usb/deposits/", "usb/deposits-2"):
        cli.ok("backup", str(tmp_path / name))
        copy = tmp_path / name.rstrip("/") / "ledger.db"
        assert copy.is_file() and copy.parent.stat().st_mode & 0o777 == 0o700
        assert cli.ok("--db", str(copy), "check").stdout.startswith("No problems found")


def test_backup_reports_missing_evidence(cli: Cli, ids: list[int], tmp_path: Path) -> None:
    store = Path(os.environ["DEPOSITCTL_DB"]).parent / "evidence"
    blob = next(p for p in store.glob("*/*") if p.parent.name != "tmp")
    blob.unlink()
    r = cli.run("backup", str(tmp_path / "b.db"))
    assert r.exit_code != 0
    assert "1 evidence files are missing or damaged" in r.stderr
    assert (tmp_path / "b.db").is_file()  # the database itself was copied


def test_export_of_an_empty_ledger_round_trips(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "e.json"
    cli.ok("export", "-o", str(out))
    target = tmp_path / "n" / "l.db"
    cli.ok("--db", str(target), "import", str(out))
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    conn.close()


def test_the_keeping_ops_return_what_the_commands_show(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    """check, export, backup and import as the one call each command makes: typed results,
    the ledger opened and closed by the op."""
    from datetime import date

    from depositctl.ops import keeping
    from depositctl.ops.env import Env

    env = Env(cli.db, date(2026, 1, 1))
    report = keeping.check(env)
    assert report.path == cli.db and report.problems == []
    assert report.summary["cases"] == len(ids) and report.summary["head"]

    shown = keeping.export(env, None)
    assert shown.path is None and shown.csv_files is None
    assert [c["id"] for c in shown.data["cases"]] == ids
    assert not list(tmp_path.glob("*.json"))  # to standard output: nothing written

    out = tmp_path / "out.json"
    written = keeping.export(env, out, redact=True)
    assert written.path == out and json.loads(out.read_text(encoding="utf-8"))["redacted"]
    with pytest.raises(UserError, match="give a folder with -o"):
        keeping.export(env, None, as_csv=True)
    csv_files = keeping.export(env, tmp_path / "csv", as_csv=True).csv_files
    assert csv_files and all(p.parent == tmp_path / "csv" for p in csv_files)

    copy = keeping.backup(env, str(tmp_path / "bk") + "/")
    assert copy.path == tmp_path / "bk" / "ledger.db" and copy.cases == len(ids)

    full = tmp_path / "full.json"
    keeping.export(env, full)
    fresh = Env(tmp_path / "new" / "ledger.db", env.today)
    loaded = keeping.import_export(fresh, full, cli.db.parent)
    assert (loaded.cases, loaded.missing) == (len(ids), 0) and loaded.copied == 2
    assert keeping.check(fresh).problems == []


def test_round_trip_keeps_replies_and_letters_sent(
    cli: Cli, ids: list[int], tmp_path: Path
) -> None:
    """Issue 10's columns (m004): a reply's reason, a letter's recipient, way, tracking
    number and delivery day (set later by `delivered`) survive export and import."""
    b = str(ids[1])
    cli.ok(
        "contact", b, "--on", "2025-06-05", "--channel", "12315", "--incoming",
        "--outcome", "rejected", "--reason", "非生活消费",
    )  # fmt: skip
    cli.ok(
        "sent", b, "--to", "provider", "--on", "2025-06-10", "--via", "ems",
        "--tracking", "EA000000001CN",
    )  # fmt: skip
    cli.ok("delivered", b, "C3", "--on", "2025-06-12")
    out = tmp_path / "out.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["case_id"], r["id"]): r for r in data["contacts"]}
    got = [
        (r["reason"], r["letter"], r["via"], r["tracking"], r["delivered_on"])
        for r in rows.values()
        if r["case_id"] == ids[1]
    ]
    assert got == [
        (None, None, None, None, None),
        ("非生活消费", None, None, None, None),
        (None, "provider", "ems", "EA000000001CN", "2025-06-12"),
    ]
    new = tmp_path / "restored" / "ledger.db"
    old_folder = Path(os.environ["DEPOSITCTL_DB"]).parent
    cli.ok("--db", str(new), "import", str(out), "--evidence-from", str(old_folder))
    assert cli.ok("--db", str(new), "check").stdout.startswith("No problems found")
    assert views(cli, ids, new) == views(cli, ids)
    # A delivery day forged in the file is caught by the replay, nothing imported.
    forged = json.loads(out.read_text(encoding="utf-8"))
    next(r for r in forged["contacts"] if r["letter"])["delivered_on"] = "2025-06-11"
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    cli.fails("--db", str(tmp_path / "x" / "ledger.db"), "import", str(bad),
              contains="do not match its history")  # fmt: skip


@pytest.mark.parametrize(
    ("change", "contains"),
    [
        # The newest entry and its fact cut off, the chain still whole up to there.
        (
            lambda d: (d["history"].pop(), d["contacts"].pop()),
            "history_head is not the hash of the last history entry",
        ),
        (lambda d: d.update(history_head="0" * 64), "history_head is not the hash"),
        (lambda d: d.update(history_head=None), "history_head is not the hash"),
        (lambda d: d.update(exported_at="\x1b[31m" + "x" * 1000), "exported_at"),
        (lambda d: d.update(exported_at="garbage2026-01-01"), "exported_at"),
        (lambda d: d.update(zzz="x" * 1000), "unknown member"),
    ],
)
def test_import_checks_the_header_against_the_rows(
    cli: Cli, tmp_path: Path, change: Any, contains: str
) -> None:
    populate(cli, tmp_path)
    out = tmp_path / "export.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    change(data)
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "new.db"
    r = cli.run("--db", str(target), "import", str(out))
    assert r.exit_code == 2, r.stdout + r.stderr
    assert contains in r.stderr
    assert not target.exists()


HEADER_FIRST = ("format", "format_version", "schema_version", "redacted")


@pytest.mark.parametrize(
    ("moved", "contains"),
    [
        (HEADER_FIRST, "has format, format_version, schema_version, redacted after its tables"),
        (("format_version",), "has format_version after its tables"),
        (("redacted",), "has redacted after its tables"),
    ],
)
def test_a_header_after_the_tables_is_named_as_the_order(
    cli: Cli, tmp_path: Path, moved: tuple[str, ...], contains: str
) -> None:
    """Session 4's review: an export whose members were reordered (a tool that sorts
    keys, or writes the tables first) was refused as "not a depositctl export"."""
    populate(cli, tmp_path)
    out = tmp_path / "export.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    reordered = {k: v for k, v in data.items() if k not in moved}
    reordered.update({k: data[k] for k in moved})
    out.write_text(json.dumps(reordered, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "new.db"
    r = cli.run("--db", str(target), "import", str(out))
    assert r.exit_code == 2, r.stdout + r.stderr
    assert contains in r.stderr and "not a depositctl export" not in r.stderr, r.stderr
    assert not target.exists()
    zh = cli.run("--db", str(target), "import", str(out), lang="zh")
    assert "位于各表之后" in zh.stderr, zh.stderr


def test_tables_and_the_other_header_members_in_any_order_import(cli: Cli, tmp_path: Path) -> None:
    """What the streaming reader can take safely: the tables in any order (each is
    staged on its own and verified once all are read), and app_version, exported_at,
    history_head and redaction anywhere (checked after the rows)."""
    ids = populate(cli, tmp_path)
    out = tmp_path / "export.json"
    cli.ok("export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    head = {k: data[k] for k in HEADER_FIRST}
    rest = [k for k in data if k not in HEADER_FIRST]
    out.write_text(
        json.dumps({**head, **{k: data[k] for k in reversed(rest)}}, ensure_ascii=False),
        encoding="utf-8",
    )
    target = tmp_path / "restored" / "ledger.db"
    old_folder = Path(os.environ["DEPOSITCTL_DB"]).parent
    cli.ok("--db", str(target), "import", str(out), "--evidence-from", str(old_folder))
    assert cli.ok("--db", str(target), "check").stdout.startswith("No problems found")
    assert views(cli, ids, target) == views(cli, ids)


def test_a_member_twice_is_named(cli: Cli, tmp_path: Path) -> None:
    populate(cli, tmp_path)
    out = tmp_path / "export.json"
    cli.ok("export", "-o", str(out))
    text = out.read_text(encoding="utf-8").rstrip()
    assert text.endswith("}")
    out.write_text(text[:-1] + ', "cases": []}', encoding="utf-8")
    target = tmp_path / "new.db"
    cli.fails("--db", str(target), "import", str(out), contains="holds the member cases twice")
    assert not target.exists()
