"""`depositctl bundle` (the submission zip) and `depositctl ics` (the deadline calendar)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from depositctl import data
from tests.conftest import TODAY, Cli
from tests.test_letters import load_demo

EXAMPLES = data.path("examples", "evidence")


@pytest.fixture
def demo(cli: Cli) -> Cli:
    load_demo(cli)
    return cli


def bundle(cli: Cli, target: Path, *args: str) -> str:
    r = cli.run("bundle", "1", "-o", str(target), *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


# -- bundle -------------------------------------------------------------------------------


def test_bundle_holds_letters_evidence_and_manifest(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "case1.zip"
    stdout = bundle(demo, target)
    # Case 1's merchant is an individual business: its next step is 12363 (core/channels),
    # so that is the letter (it was 12315 under the old ladder).
    assert "12363" in stdout
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert names == [
            "金融消费者投诉书.pdf",
            "金融消费者投诉书.docx",
            "证据/01-首刷扣押金凭证.txt",
            "证据/02-业务员承诺聊天记录.txt",
            "证据/03-交易流水2025Q1-Q2.csv",
            "manifest.json",
            "manifest.txt",
        ]
        for info in zf.infolist():
            if not info.filename.isascii():
                assert info.flag_bits & 0x800, info.filename  # UTF-8 name flag
        manifest = json.loads(zf.read("manifest.json"))
        text = zf.read("manifest.txt").decode("utf-8")
        files = {r["path"]: r for r in manifest["files"]}
        assert manifest["case_id"] == 1 and manifest["recipient"] == "12363"
        for path, row in files.items():
            content = zf.read(path)
            assert row["size"] == len(content)
            assert row["sha256"] == hashlib.sha256(content).hexdigest()
            assert f"{path}\t{row['kind']}\t{row['size']}\t{row['sha256']}" in text
        for path in names[2:5]:
            original = EXAMPLES / files[path]["name"]
            assert files[path]["sha256"] == hashlib.sha256(original.read_bytes()).hexdigest()
            assert zf.read(path) == original.read_bytes()
        assert [files[p]["number"] for p in names[2:5]] == [1, 2, 3]
        assert zf.read("金融消费者投诉书.pdf")[:5] == b"%PDF-"


def test_bundle_numbers_match_the_letter(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "b.zip"
    # --force: the demo's merchant is an individual business (a consumer association may
    # turn it away); the letter and the bundle number the evidence alike all the same
    bundle(demo, target, "--to", "consumer-association", "--force")
    forced = ("--to", "consumer-association", "--force", "--format", "txt")
    letter = demo.run("letter", "1", *forced).stdout
    assert "附件1：" in letter
    with zipfile.ZipFile(target) as zf:
        rows = json.loads(zf.read("manifest.json"))["files"]
    for row in rows:
        if row["number"] is not None:
            assert f"附件{row['number']}：{row['name']}（" in letter
            assert row["sha256"][:12] in letter


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unzip") is None, reason="no unzip on this machine")
def test_unzip_t_passes(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "case.zip"
    bundle(demo, target)
    r = subprocess.run(["unzip", "-t", str(target)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No errors detected" in r.stdout


def test_bundle_refuses_tampered_evidence(demo: Cli, tmp_path: Path) -> None:
    store = demo.db.parent / "evidence"
    blob = next(p for p in store.rglob("*") if p.is_file() and p.parent.name != "tmp")
    blob.chmod(0o600)
    blob.write_bytes(b"changed behind depositctl's back")
    target = tmp_path / "case.zip"
    r = demo.run("bundle", "1", "-o", str(target), "--to", "provider")
    assert r.exit_code != 0
    assert "SHA-256" in r.stderr and "Traceback" not in r.stderr
    assert not target.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".case.zip*")) == []


def test_bundle_errors(demo: Cli, tmp_path: Path) -> None:
    demo.fails("bundle", "1", "-o", str(tmp_path / "no" / "x.zip"), contains="folder")
    demo.fails("bundle", "1", "-o", str(tmp_path / "x.zip"), "--to", "mayor")
    demo.fails("bundle", "42", "-o", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


# -- ics --------------------------------------------------------------------------------


def parse(text: bytes) -> list[object]:
    from icalendar import Calendar

    cal = Calendar.from_ical(text)
    return list(cal.walk("VEVENT"))


def expected_deadlines(cli: Cli) -> set[tuple[int, str, int | None, date]]:
    """Independently of the ics code: every deadline on or after today of open cases."""
    from depositctl.ops.views import case_views
    from depositctl.store.calendar import make_evaluator
    from depositctl.store.ledger import open_ledger

    today = date.fromisoformat(TODAY)
    led = open_ledger(cli.db)
    try:
        views = case_views(led, make_evaluator(led, today))
    finally:
        led.close()
    out = set()
    for v in views:
        for d in (
            v.condition_deadline,
            v.refund_due,
            v.limitation,
            v.limitation_restart,
            *v.follow_ups,
        ):
            if d is not None and d.on >= today:
                out.add((v.id, d.kind, d.contact_id, d.on))
    return out


def test_ics_one_event_per_upcoming_deadline(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "d.ics"
    r = demo.ok("ics", "-o", str(target))
    events = parse(target.read_bytes())
    expected = expected_deadlines(demo)
    assert len(expected) >= 8  # the demo has plenty
    assert f"{len(expected)} deadlines" in r.stdout
    got = set()
    for ev in events:
        uid = str(ev["UID"])  # type: ignore[index]
        case, kind, contact = uid.removesuffix("@depositctl").split("-", 1)[1].split("-")
        start = ev["DTSTART"].dt  # type: ignore[index]
        assert type(start) is date  # all-day
        assert ev["DTEND"].dt == start + timedelta(days=1)  # type: ignore[index]
        got.add((int(case), kind, int(contact) if contact else None, start))
        alarms = list(ev.walk("VALARM"))  # type: ignore[attr-defined]
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt == timedelta(hours=-15)
    assert got == expected
    assert len(events) == len(expected)
    kinds = {k for _, k, _, _ in got}
    assert {"condition", "refund_due", "follow_up", "limitation"} <= kinds
    ids = {c for c, _, _, _ in got}
    assert 5 not in ids  # refunded: not open
    assert all(on >= date.fromisoformat(TODAY) for _, _, _, on in got)


def test_ics_uids_are_stable_and_unique(demo: Cli) -> None:
    first = demo.ok("ics").stdout.encode()
    second = demo.ok("ics").stdout.encode()
    uids1 = [str(e["UID"]) for e in parse(first)]  # type: ignore[index]
    uids2 = [str(e["UID"]) for e in parse(second)]  # type: ignore[index]
    assert uids1 == uids2
    assert len(set(uids1)) == len(uids1)
    assert "depositctl-1-limitation-@depositctl" in uids1
    assert all("@depositctl" in u and "." not in u.split("@")[0] for u in uids1)


def test_ics_of_an_empty_ledger_is_a_valid_calendar(cli: Cli) -> None:
    from icalendar import Calendar

    out = cli.ok("ics").stdout
    cal = Calendar.from_ical(out.encode())
    assert str(cal["VERSION"]) == "2.0"
    assert list(cal.walk("VEVENT")) == []


def test_ics_output_folder_must_exist(cli: Cli, tmp_path: Path) -> None:
    cli.fails("ics", "-o", str(tmp_path / "missing" / "d.ics"), contains="folder")
