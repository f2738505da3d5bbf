"""Chinese output names stored values by their Chinese names (core/vocab.py), labels
fields in Chinese (core/fields.py) and shows history times in local time; English output
keeps the values and column names."""

from __future__ import annotations

import csv
import re
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from depositctl.core.fields import ACTION_LABELS, FIELD_LABELS, TABLE_LABELS
from depositctl.core.vocab import EVIDENCE_KIND, PAYMENT_METHOD
from tests.conftest import Cli
from tests.test_letters import load_demo

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo(cli: Cli) -> Cli:
    load_demo(cli)
    return cli


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's time zone is UTC+8 for the test (and back afterwards)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _section(text: str, title: str, following: str | None) -> str:
    part = text.split("\n" + title + "\n", 1)[1]
    return part.split("\n" + following + "\n", 1)[0] if following else part


def test_show_names_values_in_chinese(demo: Cli) -> None:
    zh = demo.ok("show", "1", lang="zh").stdout
    assert f"（2025-03-05，{PAYMENT_METHOD.zh_name('first-swipe')}）" in zh
    assert "收款方：机构\n" in zh
    for kind in ("receipt", "promise", "statement"):
        assert f"（{EVIDENCE_KIND.zh_name(kind)}，" in zh
    timeline = _section(zh, "时间线", "修改历史")
    for word in ("first-swipe", "institution", "receipt", "promise", "statement"):
        assert word not in zh.replace("--kind statement", ""), word
    assert "E1" in timeline
    en = demo.ok("show", "1", lang="en").stdout
    assert "(2025-03-05, first-swipe)" in en and "Paid to: institution (机构)" in en
    assert "(receipt, " in en


def test_history_in_chinese_field_names(demo: Cli) -> None:
    demo.ok("edit", "1", "--serial", "SN1", "--paid-via", "微信", "--amount", "100")
    zh = demo.ok("show", "1", lang="zh").stdout
    history = _section(zh, "修改历史", None)
    assert "修改案件  押金（元）：¥99.00 → ¥100.00" in history
    assert "支付方式：从首笔刷卡交易中扣除（首刷扣押金） → 微信支付" in history
    assert "序列号：SN00A8123456 → SN1" in history
    assert "登记案件  激活日期；" in history
    assert not re.search(r"[a-z]+_[a-z]+|\+00:00", history), history
    conn = sqlite3.connect(demo.db)
    try:
        users = {r[0] for r in conn.execute("SELECT DISTINCT by FROM history")}
    finally:
        conn.close()
    words = set(re.findall(r"[A-Za-z][\w-]*", history)) - users
    assert words <= {"SN1", "SN00A8123456", "SHA-256", "C4"}, words
    en = demo.ok("show", "1", lang="en").stdout
    assert "case edited  deposit (yuan): ¥99.00 → ¥100.00; paid via: first-swipe → wechat" in en
    assert not HAN.search(_section(en, "History", None).replace("重复录入", ""))


def test_edit_names_the_changed_fields(demo: Cli) -> None:
    r = demo.ok("edit", "1", "--serial", "SN2", "--paid-via", "微信", lang="zh")
    assert r.stdout.strip() == "案件 #1 已修改：序列号，支付方式。"


def test_history_times_are_local(demo: Cli, shanghai: None) -> None:
    conn = sqlite3.connect(demo.db)
    try:
        stored = [r[0] for r in conn.execute("SELECT at FROM history WHERE case_id = 1")]
    finally:
        conn.close()
    at = datetime.fromisoformat(stored[0])
    assert at.utcoffset() == timedelta(0)  # the store stays UTC
    local = (at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    for lang in ("zh", "en"):
        out = demo.ok("show", "1", lang=lang).stdout
        assert f"  {local}  " in out
        assert at.strftime("%Y-%m-%d %H:%M:%S") not in out


def test_warnings_name_states_and_recipients(demo: Cli) -> None:
    refunded = demo.run("letter", "5", "--to", "provider", lang="zh")
    assert "状态为“已退款”" in refunded.stderr
    assert "refunded" not in refunded.stderr
    # the demo's merchant is an individual business: refused, the recipient in Chinese
    r = demo.run("letter", "1", "--to", "consumer-association", lang="zh")
    assert r.exit_code == 2 and "未生成致消费者协会的函件" in r.stderr
    assert "consumer-association" not in r.stderr
    r = demo.run("letter", "1", "--to", "consumer-association", "--force", lang="zh")
    assert "致消费者协会的投诉书通常需要" in r.stderr
    assert "consumer-association" not in r.stderr.replace("--to consumer-association", "")
    en = demo.run("letter", "5", "--to", "provider", lang="en")
    assert "case #5 is refunded" in en.stderr


def test_bundle_manifest_in_chinese(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "b.zip"
    # --force: the demo's merchant is an individual business, whom 12315 may turn away
    r = demo.run("bundle", "1", "-o", str(target), "--to", "12315", "--force", lang="zh")
    assert r.exit_code == 0, r.stderr
    assert "致全国12315平台的函件" in r.stdout
    with zipfile.ZipFile(target) as zf:
        lines = zf.read("manifest.txt").decode("utf-8").splitlines()
        manifest = zf.read("manifest.json").decode("utf-8")
    assert lines[0] == "depositctl 证据包：#1 示例支付股份有限公司，2026-11-24"
    assert lines[1].startswith("账本状态：共 ")  # the ledger's head (issue 13)
    assert lines[2] == "文件\t种类\t大小（字节）\tSHA-256"
    kinds = {line.split("\t")[1] for line in lines[3:]}
    assert kinds == {"函件", "付款凭证", "承诺记录", "交易流水"}
    assert '"kind": "receipt"' in manifest and '"recipient": "12315"' in manifest  # JSON: English


def test_csv_headers_in_chinese(demo: Cli, tmp_path: Path) -> None:
    demo.ok("export", "--format", "csv", "-o", str(tmp_path / "zh"), lang="zh")
    demo.ok("export", "--format", "csv", "-o", str(tmp_path / "en"), lang="en")
    for path in sorted((tmp_path / "zh").glob("*.csv")):
        with path.open(encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh), [])
        with (tmp_path / "en" / path.name).open(encoding="utf-8-sig") as fh:
            en_header = next(csv.reader(fh), [])
        assert len(header) == len(en_header) == len(set(header)), path.name
        for title in header:
            assert HAN.search(title) or title == "SHA-256", (path.name, title)
        assert all(re.fullmatch(r"[a-z0-9_]+", c) for c in en_header), en_header
    with (tmp_path / "zh" / "cases.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["案件编号"] == "1" and rows[0]["押金（元）"] == "99.00"
    assert rows[0]["支付方式"] == "first-swipe"  # values stay as stored


def test_every_stored_column_has_a_label(demo: Cli) -> None:
    """A column added by a migration needs its words in core/fields.py."""
    conn = sqlite3.connect(demo.db)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith(("_", "sqlite_"))
        ]
        columns = {(t, r[1]) for t in tables for r in conn.execute(f'PRAGMA table_info("{t}")')}
        actions = {r[0] for r in conn.execute("SELECT DISTINCT action FROM history")}
    finally:
        conn.close()
    missing = sorted(
        (t, c) for t, c in columns if c not in FIELD_LABELS and (t, c) not in TABLE_LABELS
    )
    assert not missing
    assert actions <= ACTION_LABELS.keys()


def test_evidence_list_names_kinds(demo: Cli) -> None:
    zh = demo.ok("evidence", "list", "1", lang="zh").stdout
    assert "付款凭证" in zh and "receipt" not in zh
    assert "receipt" in demo.ok("evidence", "list", "1", lang="en").stdout


def test_a_warning_names_the_capacity_in_chinese(cli: Cli) -> None:
    cli.ok(
        "profile", "set", "--name", "王秀英", "--phone", "13800000000", "--capacity", "个体工商户"
    )
    cli.ok(
        "add", "--provider", "示例支付股份有限公司", "--amount", "99", "--paid-on", "2026-01-01",
        "--no-condition",
    )  # fmt: skip
    r = cli.run("letter", "1", "--to", "provider", lang="zh")
    assert r.exit_code == 0, r.stderr
    assert "身份为 个体工商户" in r.stderr and "individual-business" not in r.stderr
