"""How the letters word a 催告函 as the complaint to the institution, the letters `sent`
recorded, and the 12315 report's list of ways (today is 2026-11-24, tests/conftest.py).

A 催告函 is stated as what it is (寄送催告函要求退还押金), its 15 days count from its
delivery (provisionally from its sending), and that it counts as the complaint made first
is said on stderr only, never in the letter.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.letter_scenarios import _add, _profile, _providers

LETTER_NOTE = "only a demand letter to the provider is recorded"


def _case(cli: Cli) -> int:
    """An individual's deposit, refund promised for 2026-08-01."""
    _profile(cli)
    _providers(cli)
    return _add(
        cli, "--serial", "SN1", "--amount", "99", "--paid-on", "2026-03-01",
        "--paid-via", "first-swipe", "--no-condition", "--promised-refund-on", "2026-08-01",
    )  # fmt: skip


def _letter(cli: Cli, cid: int, to: str, tmp: Path) -> tuple[str, str]:
    target = tmp / f"{to}.md"
    r = cli.run("letter", str(cid), "--to", to, "-o", str(target))
    assert r.exit_code == 0, r.stderr
    return target.read_text(encoding="utf-8"), r.stderr


def _section_8(text: str) -> str:
    """The paragraph of section 八 (without its heading)."""
    return text.split("## 八、", 1)[1].split("## 九、", 1)[0].split("\n", 1)[1]


def test_a_delivered_demand_letter_is_named_as_the_letter_it_is(cli: Cli, tmp_path: Path) -> None:
    cid = _case(cli)
    cli.ok(
        "sent", str(cid), "--to", "provider", "--on", "2026-11-01", "--via", "ems",
        "--delivered-on", "2026-11-03",
    )  # fmt: skip
    text, err = _letter(cli, cid, "12363", tmp_path)
    part = _section_8(text)
    assert (
        "投诉人已于2026年11月1日以EMS向被投诉机构寄送催告函要求退还押金（2026年11月3日签收），"
        "自签收之日起至今已21日，超过" in part
    ), part
    assert "向被投诉机构投诉" not in part and "先行" not in part, part
    assert LETTER_NOTE in err
    # `channels`: available (21 days since delivery), with the one-line caveat on stderr.
    r = cli.run("channels", str(cid))
    assert r.exit_code == 0 and r.stderr.count("\n") == 1 and LETTER_NOTE in r.stderr
    zh = cli.run("channels", str(cid), lang="zh")
    assert "只记录了寄给支付机构的催告函" in zh.stderr and "未经核实" in zh.stderr


def test_an_undelivered_letter_counts_from_sending_provisionally(cli: Cli, tmp_path: Path) -> None:
    cid = _case(cli)
    cli.ok("sent", str(cid), "--to", "provider", "--on", "2026-11-20", "--via", "ems")
    text, err = _letter(cli, cid, "12363", tmp_path)
    part = _section_8(text)
    assert "以EMS向被投诉机构寄送催告函要求退还押金，自寄出之日起至今已4日（签收日期尚未记录）" in (
        part
    ), part
    assert "签收）" not in part and "超过" not in part
    assert "(provisional: its delivery is not yet recorded)" in err and "2026-12-05" in err
    r = cli.run("channels", str(cid))
    # 12363 opens the day after 2026-11-20 + 15 days, marked provisional.
    assert "(provisional)" in r.stdout and "2026-12-06" in r.stdout, r.stdout
    # Delivered on 2026-11-22: the 15 days run from then (12363 opens on 2026-12-08).
    cli.ok("delivered", str(cid), "C1", "--on", "2026-11-22")
    _, err = _letter(cli, cid, "12363", tmp_path)
    assert "until 2026-12-07" in err and "provisional" not in err, err


def test_a_complaint_on_its_channel_keeps_the_legal_sentence(cli: Cli, tmp_path: Path) -> None:
    cid = _case(cli)
    cli.ok("contact", str(cid), "--on", "2026-09-02", "--channel", "provider-complaint",
           "--ticket", "T1")  # fmt: skip
    cli.ok("sent", str(cid), "--to", "provider", "--on", "2026-11-01", "--via", "ems")
    text, err = _letter(cli, cid, "12363", tmp_path)
    assert "投诉人已先行向被投诉机构投诉，现向贵行投诉。" in _section_8(text)
    assert LETTER_NOTE not in err


def test_an_answer_is_paired_with_the_latest_complaint_before_it(cli: Cli, tmp_path: Path) -> None:
    cid = _case(cli)
    for on, ticket in (("2026-09-02", "T1"), ("2026-10-01", "T2")):
        cli.ok("contact", str(cid), "--on", on, "--channel", "provider-complaint",
               "--ticket", ticket)  # fmt: skip
    cli.ok("contact", str(cid), "--on", "2026-10-05", "--channel", "phone", "--incoming",
           "--outcome", "refused")  # fmt: skip
    part = _section_8(_letter(cli, cid, "12363", tmp_path)[0])
    assert (
        "投诉人已于2026年9月2日向被投诉机构投诉（工单号：T1），并于2026年10月1日再次投诉"
        "（工单号：T2），被投诉机构于2026年10月5日答复：拒绝退还" in part
    ), part


def test_two_letters_sent_are_worded_one_after_the_other(cli: Cli, tmp_path: Path) -> None:
    cid = _case(cli)
    cli.ok("contact", str(cid), "--on", "2026-09-01", "--channel", "phone", "--refund-request")
    cli.ok(
        "sent", str(cid), "--to", "provider", "--on", "2026-10-08", "--via", "ems",
        "--delivered-on", "2026-10-10",
    )  # fmt: skip
    cli.ok("sent", str(cid), "--to", "12315", "--on", "2026-10-20", "--via", "platform")
    text, _ = _letter(cli, cid, "consumer-association", tmp_path)
    assert (
        "，并先后于2026年10月8日以EMS寄送催告函（2026年10月10日签收）、"
        "于2026年10月20日通过网上平台向全国12315平台提交投诉，" in text
    ), text
    assert "12315平台投诉内容" not in text
    report, _ = _letter(cli, cid, "12315-report", tmp_path)
    assert "通过电话、催告函、12315平台投诉要求退还" in report, report


def test_a_long_report_names_the_ways_briefly(cli: Cli, tmp_path: Path) -> None:
    cid = _case(cli)
    channels = ("phone", "wechat", "agent", "email", "visit", "provider-complaint", "chat")
    for i, channel in enumerate(channels):
        cli.ok("contact", str(cid), "--on", f"2026-09-{10 + i}", "--channel", channel,
               "--ticket", f"TICKET-2026-09-{10 + i}-{'0' * 20}{i}")  # fmt: skip
    cli.ok("sent", str(cid), "--to", "provider", "--on", "2026-10-08", "--via", "ems")
    r = cli.run("letter", str(cid), "--to", "12315-report", "-o", str(tmp_path / "r.txt"))
    assert r.exit_code == 0, r.stderr
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    content = text.split("【举报内容】", 1)[1].strip().split("\n", 1)[0]
    assert "举报人多次通过电话、微信等方式要求退还，未果。" in content, content
    assert "TICKET" not in content and len(content) <= 400, len(content)
