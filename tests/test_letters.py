"""`depositctl letter`: golden letters, docx/pdf content, warnings, errors.

The golden files in tests/golden/ are the letters of the demo ledger (loaded into the
test's own ledger) as of 2026-11-24. A change to a template or to the context shows up as
a diff here; when the change is intended, regenerate them on purpose and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_letters.py -k golden
    git diff tests/golden/
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from depositctl import data
from depositctl.core.vocab import RECIPIENT, RECIPIENTS
from tests.conftest import TODAY, Cli, built_once

#: The ledger head in the footers is deterministic (history at a fixed time and user).
pytestmark = pytest.mark.usefixtures("fixed_history_clock")
GOLDEN = Path(__file__).parent / "golden"
PROVIDER = "示例支付股份有限公司"
SERIAL = "SN00A8123456"
TICKETS = ("GD20250530017", "TS20250901088")
CAPITALS = "玖拾玖元整"
#: The recipients of the golden letters of the demo (new recipients are covered by the
#: scenario matrix, tests/test_letter_matrix.py).
ORIGINAL_RECIPIENTS = ("consumer-association", "12315", "12363", "provider")


def load_demo(cli: Cli) -> None:
    """The demo's eight cases, profile and evidence, in the test's own ledger (loaded once
    per session: later tests get a copy of it, `built_once`)."""
    from depositctl.store.casefile import load_casefile, read_casefile
    from depositctl.store.ledger import open_ledger

    def load() -> None:
        example = data.path("examples", "demo-ledger.toml")
        led = open_ledger(cli.db)
        try:
            load_casefile(led, read_casefile(example), example.parent, date.fromisoformat(TODAY))
        finally:
            led.close()

    built_once("demo", cli, load)


@pytest.fixture
def demo(cli: Cli) -> Cli:
    load_demo(cli)
    return cli


def letter(cli: Cli, *args: str) -> tuple[str, str]:
    r = cli.run("letter", *args)
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r.stdout, r.stderr


# -- golden files -----------------------------------------------------------------------

#: Every recipient's letter for case 1, in both formats (the new ones too).
GOLDEN_CASES = [(1, r, f) for r in RECIPIENTS for f in ("md", "txt")] + [
    (4, "provider", "md"),  # condition failed: argues the condition is unreasonable
    (6, "provider", "md"),  # refund on return, no time limit agreed: default due date
    (7, "consumer-association", "md"),  # unconditional, requested, not yet due: --force
]
#: The demo merchant is an individual business: 12315 and the consumer association
#: take it only with --force (as case 7's early letter).
FORCED = ("12315", "consumer-association")


@pytest.mark.parametrize(("cid", "recipient", "fmt"), GOLDEN_CASES)
def test_golden_letters(demo: Cli, cid: int, recipient: str, fmt: str) -> None:
    force = ("--force",) if cid == 7 or recipient in FORCED else ()
    stdout, _ = letter(demo, str(cid), "--to", recipient, "--format", fmt, *force)
    path = GOLDEN / f"case{cid}-{recipient}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(stdout, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert stdout == path.read_text(encoding="utf-8")


def test_letter_holds_every_required_fact(demo: Cli) -> None:
    for recipient in RECIPIENTS:
        text, _ = letter(demo, "1", "--to", recipient, "--force")
        for needle in (
            PROVIDER,
            SERIAL,
            "M8220001",  # merchant number
            "示例POS",
            "电签POS A8",
            "99.00元",
            CAPITALS,
            "2025年3月5日",  # paid on
            "从首笔刷卡交易中扣除",
            "「激活后90天内累计刷卡满5万元",  # the condition, quoted
            "2025年4月20日",  # met on
            "2025年5月13日",  # refund due
            "560天",  # days overdue
            *TICKETS,
            "王秀英",
            "13800000000",
            "浙江省杭州市西湖区示例路1号",
            "第二十条",
            "首刷扣押金凭证.txt",
            "e8a4f3be43a0",  # first 12 hex of its SHA-256
            "2026年11月24日",  # the letter's date
            "不构成法律意见",
        ):
            assert needle in text, f"{recipient}: {needle!r} missing"


def test_contacts_in_date_order_and_citations_from_the_rule_table(demo: Cli) -> None:
    text, _ = letter(demo, "1", "--to", "consumer-association", "--force")
    assert (
        text.index("2025年5月30日 10:15") < text.index("2025年7月10日") < text.index("2025年9月1日")
    )
    rules = data.rules()
    # case 1 agreed a refund time: 第511条(四) is left out, every other rule is cited
    cited = [rules[i].citation for i in rules.letters["consumer-association"]]
    for citation in cited:
        if citation == rules["unclear_time"].citation:
            assert f"{citation}（要旨）" not in text
        else:
            assert f"{citation}（要旨）" in text
    assert "已于2026年11月24日核对" in text  # rules.checked_on


def test_reply_by_dates(demo: Cli) -> None:
    # provider: the grace period from receipt; 12315 and 12363: 7 working days;
    # association: 7 days
    assert "自收到本函之日起15日内" in letter(demo, "1", "--to", "provider")[0]
    assert "2026年12月3日前" in letter(demo, "1", "--to", "12315", "--force")[0]
    assert "2026年12月3日前" in letter(demo, "1", "--to", "12363", "--force")[0]
    assert "2026年12月1日前" in letter(demo, "1", "--to", "consumer-association", "--force")[0]


def test_default_due_date_is_marked(demo: Cli) -> None:
    # Case 6's only request went to 12315, no demand made to the obligor (rule 4): ask.
    demo.ok(
        "contact", "6", "--on", "2026-09-15", "--channel", "provider-complaint", "--refund-request"
    )
    text, _ = letter(demo, "6", "--to", "provider")
    assert "合同未约定退还期限" in text and "非合同约定的期限" in text


def test_rmb_capitals_come_from_cn2an() -> None:
    from depositctl.render.letter_context import rmb_capitals

    assert rmb_capitals(Decimal("99")) == "玖拾玖元整"
    assert rmb_capitals(Decimal("1299.50")) == "壹仟贰佰玖拾玖元伍角"
    assert rmb_capitals(Decimal("10000.05")) == "壹万元零伍分"


def test_markdown_escapes_user_text(cli: Cli, case_id: int) -> None:
    cli.ok("edit", str(case_id), "--condition-text", "满*5万*元_返还 [口头]")
    text, _ = letter(cli, str(case_id), "--to", "provider")
    assert r"满\*5万\*元\_返还 \[口头\]" in text
    plain, _ = letter(cli, str(case_id), "--to", "provider", "--format", "txt")
    assert "满*5万*元_返还 [口头]" in plain


# -- warnings ---------------------------------------------------------------------------


def test_missing_facts_are_warned_and_the_letter_is_still_written(cli: Cli, case_id: int) -> None:
    stdout, stderr = letter(cli, str(case_id), "--to", "consumer-association")
    assert stdout.startswith("# 消费者投诉书")
    lines = stderr.splitlines()
    assert all(line.startswith("Warning: ") for line in lines), stderr
    for needle in (
        "no name in the profile",
        "no phone number",
        "no address in the profile",
        "no ID number",
        "no merchant number",
        "no evidence of payment",
        "wording of the refund condition is missing",
        "no contact with the provider is logged",
        "12363",  # the association may decline: the better channel
    ):
        assert needle in stderr, needle
    assert "serial" not in stderr  # the fixture's case has one
    assert "________________" in stdout  # a blank to fill in where the name is missing


def test_warnings_go_away_when_the_facts_are_there(demo: Cli) -> None:
    _, stderr = letter(demo, "1", "--to", "provider")
    assert stderr == ""


def test_missing_serial_is_warned(cli: Cli) -> None:
    r = cli.ok("add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2025-03-05")
    cid = r.stdout.split("#")[1].split()[0]
    _, stderr = letter(cli, cid, "--to", "provider")
    assert "no terminal serial number" in stderr


def record_address(cli: Cli, name: str = PROVIDER) -> None:
    cli.ok("provider", "set", name, "--address", "上海市浦东新区示例大道100号")


def test_12363_without_a_provider_complaint_is_warned(cli: Cli, case_id: int) -> None:
    record_address(cli)
    r = cli.fails("letter", str(case_id), "--to", "12363")
    assert "no complaint to the provider itself" in r.stderr and r.stdout == ""
    _, stderr = letter(cli, str(case_id), "--to", "12363", "--force")
    cli.ok(
        "contact",
        str(case_id),
        "--on",
        "2026-11-20",
        "--channel",
        "provider-complaint",
        "--ticket",
        "T1",
    )
    _, stderr = letter(cli, str(case_id), "--to", "12363")
    assert "no complaint to the provider itself" not in stderr
    assert "run until 2026-12-05" in stderr  # the institution's 15 days are not over


def test_12315_warns_about_daily_life_consumption(cli: Cli, case_id: int) -> None:
    record_address(cli)
    _, stderr = letter(cli, str(case_id), "--to", "12315")
    assert "daily-life consumption" in stderr and "3 years" in stderr


def test_warnings_are_translated(cli: Cli, case_id: int) -> None:
    r = cli.run("letter", str(case_id), "--to", "provider", lang="zh")
    assert r.exit_code == 0
    assert r.stdout.startswith("# 催告函")  # the letter is Chinese in any language
    assert r.stderr  # warnings still listed (text per the zh catalog)


# -- errors -----------------------------------------------------------------------------


def test_bad_recipient_format_and_output(cli: Cli, case_id: int, tmp_path: Path) -> None:
    cid = str(case_id)
    cli.fails("letter", cid, "--to", "arbitration", contains="Unknown recipient: arbitration")
    cli.fails("letter", cid, "--to", "provider", "--format", "odt", contains="Unknown format")
    cli.fails("letter", cid, "--to", "provider", "--format", "pdf", contains="needs -o")
    cli.fails("letter", cid, "--to", "provider", "--format", "docx", contains="needs -o")
    cli.fails(
        "letter", cid, "--to", "provider", "-o", str(tmp_path / "nope" / "x.pdf"), contains="folder"
    )
    cli.fails("letter", cid, "--to", "provider", "-o", str(tmp_path), contains="folder")
    cli.fails("letter", "99", "--to", "provider")
    cli.fails(
        "letter", cid, "--to", "provider", "--font", str(tmp_path / "none.ttf"), "-o", "x.pdf"
    )


def test_output_file_replaces_atomically(demo: Cli, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "letter.md"
    target.write_text("old", encoding="utf-8")
    r = demo.run("letter", "1", "--to", "provider", "-o", str(target))
    assert str(target) in r.stdout
    assert target.read_text(encoding="utf-8").startswith("# 催告函")
    assert [p.name for p in target.parent.iterdir()] == ["letter.md"]  # no temp file left


def test_format_from_the_output_suffix(demo: Cli, tmp_path: Path) -> None:
    demo.run("letter", "1", "--to", "provider", "-o", str(tmp_path / "a.txt"))
    assert not (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("#")
    demo.run("letter", "1", "--to", "provider", "-o", str(tmp_path / "a.docx"))
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"


# -- docx and pdf -------------------------------------------------------------------------


def test_docx_text_and_east_asian_fonts(demo: Cli, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    from depositctl.render.pdf_writer import choose_font

    target = tmp_path / "letter.docx"
    r = demo.run("letter", "1", "--to", "consumer-association", "--force", "-o", str(target))
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(target))
    text = "\n".join(p.text for p in doc.paragraphs)
    for needle in (PROVIDER, SERIAL, CAPITALS, *TICKETS, "消费者投诉书"):
        assert needle in text, needle
    assert "**" not in text and "\\" not in text  # markdown markup is gone
    for name in ("Normal", "Title", "Heading 1"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        # The family the PDF embeds (one family in both formats, tests/test_layout.py).
        assert fonts.get(qn("w:eastAsia")) == choose_font().family, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name  # the theme would win
    assert doc.core_properties.title == "消费者投诉书"


def _pdf_text(path: Path) -> str:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def _embedded_font_files(path: Path) -> int:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    count = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is not None and "/FontFile2" in desc.get_object():
                count += 1
    return count


def test_pdf_text_and_embedded_font(demo: Cli, tmp_path: Path) -> None:
    from depositctl.render.pdf_writer import choose_font

    if not choose_font().embedded:
        # .ci/run installs fonts-wqy-microhei and sets the variable, so CI never skips.
        assert not os.environ.get("DEPOSITCTL_TEST_REQUIRE_CJK_FONT"), "no CJK font found"
        pytest.skip("no CJK TrueType font on this machine (CI installs fonts-wqy-microhei)")
    target = tmp_path / "letter.pdf"
    r = demo.run("letter", "1", "--to", "consumer-association", "--force", "-o", str(target))
    assert r.exit_code == 0 and "STSong" not in r.stderr
    text = _pdf_text(target)
    for needle in (PROVIDER, SERIAL, CAPITALS, *TICKETS):
        assert needle in text.replace("\n", ""), needle
    assert _embedded_font_files(target) > 0
    assert target.stat().st_size < 200_000  # a subset, not the whole font


def test_pdf_falls_back_to_stsong_with_a_warning(
    demo: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from depositctl.render import pdf_writer

    monkeypatch.setattr(pdf_writer, "_fontconfig_candidates", lambda: iter(()))
    monkeypatch.setattr(pdf_writer, "_known_fonts", lambda: iter(()))
    target = tmp_path / "letter.pdf"
    r = demo.run("letter", "1", "--to", "provider", "-o", str(target))
    assert r.exit_code == 0
    assert "STSong-Light" in r.stderr and "--font" in r.stderr
    assert _embedded_font_files(target) == 0
    assert SERIAL in _pdf_text(target)


def test_explicit_font_that_is_not_a_font(demo: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    demo.fails("letter", "1", "--to", "provider", "-o", str(tmp_path / "x.pdf"), "--font", str(bad))
    assert not (tmp_path / "x.pdf").exists()


def test_blocks_parse_the_markdown_subset() -> None:
    from depositctl.render.markup import blocks

    parts = blocks(
        "# 标题\n\n## 一、事实\n\n- 姓名：a\\_b\n1. 第一\n> 「引文」\n\n"
        + "很长的正文" * 10
        + "\n\n押金应于**2025年5月13日**前退还\n\n---\n\n脚注\n"
    )
    kinds = [b.kind for b in parts]
    assert kinds == ["title", "heading", "item", "item", "quote", "para", "line", "rule", "small"]
    assert parts[2].text == "姓名：a_b"
    assert parts[6].runs == (("押金应于", False), ("2025年5月13日", True), ("前退还", False))


def test_demo_ends_with_the_letter_of_the_next_channel(cli: Cli) -> None:
    """Case 1's merchant is an individual business: 12363 is its next channel (the
    consumer association is unsuitable), so the demo ends with that letter."""
    r = cli.ok("demo")
    head, _, letter_text = r.stdout.partition("# 金融消费者投诉书")
    assert "Deposits as of" in head  # the status table comes first
    assert "depositctl letter 1 --to 12363" in head and "消费者投诉书" not in head
    assert SERIAL in letter_text and CAPITALS in letter_text and "逾期560天" in letter_text
    letter_body, _, closing = letter_text.partition("\n\nEnd of the demo")
    assert letter_body.rstrip().endswith("请以官方公布的文本为准。")  # then one closing line
    assert "Now start your own" in closing


@pytest.mark.slow  # 64 letters; the golden tests above render each recipient and format
# pcac needs an agent, which most demo cases lack: tests/test_recipients_new.py covers it.
@pytest.mark.parametrize("recipient", [r for r in RECIPIENTS if r != "pcac"])
def test_every_demo_case_renders_for_every_recipient(demo: Cli, recipient: str) -> None:
    """Every state (awaiting activation ... refunded) renders: no template error, no blanks."""
    refused = set()
    for cid in range(1, 9):
        for fmt in ("md", "txt"):
            r = demo.run("letter", str(cid), "--to", recipient, "--format", fmt, "--force")
            if r.exit_code != 0:  # only a refunded or closed case, even with --force
                assert "not written" in r.stderr and len(r.stderr.splitlines()) == 1
                assert r.stdout == ""
                refused.add(cid)
                continue
            text = r.stdout
            assert RECIPIENT[recipient].title in text.splitlines()[0]
            assert "None" not in text and "（）" not in text and "：\n" not in text
            assert text.rstrip().endswith("请以官方公布的文本为准。")
    # case 5 is refunded; 12315 accepted case 6's dispute, so no second 12315 complaint
    assert refused == (
        set() if recipient == "provider" else {5, 6} if recipient == "12315" else {5}
    )


def test_12315_more_than_three_years_is_warned(cli: Cli) -> None:
    r = cli.ok(
        "add", "--provider", PROVIDER, "--amount", "99", "--paid-on", "2021-01-01", "--no-condition"
    )
    cid = r.stdout.split("#")[1].split()[0]
    cli.ok("contact", cid, "--on", "2021-01-01", "--channel", "phone", "--refund-request")
    record_address(cli)
    _, stderr = letter(cli, cid, "--to", "12315")
    assert "more than 3 years ago" in stderr and "2021-01-16" in stderr


WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not WQY.exists(), reason="fonts-wqy-microhei not installed")
def test_explicit_font_is_embedded(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    demo.run("letter", "1", "--to", "provider", "-o", str(target), "--font", str(WQY))
    assert _embedded_font_files(target) > 0


# -- letter truth rules (issue 10) ------------------------------------------------------------

from tests import letter_scenarios as sc  # noqa: E402


def _refused(cli: Cli, tmp_path: Path, cid: int, recipient: str, needle: str) -> str:
    """One line on stderr, a non-zero exit, no letter on stdout or on disk."""
    target = tmp_path / "letter.docx"
    r = cli.fails("letter", str(cid), "--to", recipient, "-o", str(target), contains=needle)
    assert "not written" in r.stderr and r.stdout == "" and not target.exists()
    r = cli.fails("letter", str(cid), "--to", recipient, contains=needle)
    assert r.stdout == ""
    return r.stderr


@pytest.mark.parametrize("recipient", [r for r in ORIGINAL_RECIPIENTS if r != "provider"])
def test_refunded_and_closed_cases_are_refused_to_third_parties(
    cli: Cli, tmp_path: Path, recipient: str
) -> None:
    cid = sc.overdue_after_met_condition(cli)
    cli.ok("refund", str(cid), "--amount", "99", "--on", "2026-11-01")
    _refused(cli, tmp_path, cid, recipient, "refunded in full")
    # --force does not make money owed that is not
    cli.fails("letter", str(cid), "--to", recipient, "--force", contains="refunded in full")
    # the provider letter is still written, and demands nothing
    text, _ = letter(cli, str(cid), "--to", "provider")
    assert "本函不再催告退还押金" in text and "人民币0.00元" not in text
    other = sc._met_case(cli)
    cli.ok("close", str(other), "--reason", "written-off")
    stderr = _refused(cli, tmp_path, other, recipient, "is closed")
    assert f"depositctl reopen {other}" in stderr


def test_refusals_are_translated(cli: Cli) -> None:
    cid = sc.overdue_after_met_condition(cli)
    cli.ok("refund", str(cid), "--amount", "99", "--on", "2026-11-01")
    r = cli.fails("letter", str(cid), "--to", "12315", lang="zh")
    assert "未生成致全国12315平台的函件" in r.stderr and "已全部退还" in r.stderr


def not_yet_due(cli: Cli) -> int:
    """An individual; no condition, refund requested four days ago: due in 11 days."""
    sc._profile(cli)
    sc._providers(cli)
    cid = sc._add(
        cli, "--serial", "SN1", "--amount", "99", "--paid-on", "2026-06-01", "--no-condition"
    )
    cli.ok("contact", str(cid), "--on", "2026-11-20", "--channel", "email", "--refund-request")
    return cid


@pytest.mark.parametrize("recipient", ["consumer-association", "12315", "12363"])
def test_not_yet_due_is_refused_and_force_writes_it_saying_so(
    cli: Cli, tmp_path: Path, recipient: str
) -> None:
    cid = not_yet_due(cli)
    _refused(cli, tmp_path, cid, recipient, "not due until 2026-12-05")
    text, _ = letter(cli, str(cid), "--to", recipient, "--force")
    assert (
        "**特别说明：**截至2026年11月24日，押金的退还期限尚未届满（最迟应于2026年12月5日退还），"
        "押金尚未到期应退；本投诉系在押金到期应退之前提出。"
    ) in text
    # the provider's demand is written without --force
    assert "催告函" in letter(cli, str(cid), "--to", "provider")[0]


def test_a_condition_not_yet_met_is_refused_unless_forced(cli: Cli, tmp_path: Path) -> None:
    sc._profile(cli)
    sc._providers(cli)
    cid = sc._add(
        cli, "--serial", "SN2", "--amount", "99", "--paid-on", "2026-11-01",
        "--activated-on", "2026-11-01", "--condition-volume", "50000", "--condition-days", "90",
    )  # fmt: skip
    _refused(cli, tmp_path, cid, "consumer-association", "condition of case")
    text, _ = letter(cli, str(cid), "--to", "consumer-association", "--force")
    assert "约定的退还条件尚未达成，押金尚未到期应退；本投诉系在押金到期应退之前提出" in text


def test_12363_is_refused_for_a_company(cli: Cli, tmp_path: Path) -> None:
    cid = sc.company_capacity(cli)
    stderr = _refused(cli, tmp_path, cid, "12363", "natural persons only")
    assert "第二条" in stderr
    # the consumer routes are refused (order 121 Art. 16 (3)) unless forced
    r = cli.fails("letter", str(cid), "--to", "12315")
    assert "daily-life consumption only" in r.stderr and "第十六条第（三）项" in r.stderr
    letter(cli, str(cid), "--to", "12315", "--force")


@pytest.mark.parametrize("incoming", [True, False])
def test_a_dispute_accepted_elsewhere_bars_12315_and_the_association(
    cli: Cli, tmp_path: Path, incoming: bool
) -> None:
    cid = sc.overdue_after_met_condition(cli)
    flags = ("--incoming",) if incoming else ()
    cli.ok(
        "contact", str(cid), "--on", "2026-11-10", "--channel", "consumer-association",
        "--outcome", "accepted", *flags,
    )  # fmt: skip
    for recipient in ("12315", "consumer-association"):
        stderr = _refused(cli, tmp_path, cid, recipient, "accepted the dispute on 2026-11-10")
        assert "第十六条第（二）项" in stderr and "2027-01-09" in stderr
    r = cli.fails("letter", str(cid), "--to", "12315", lang="zh")
    assert "消费者协会已于 2026-11-10 受理该争议" in r.stderr  # the channel by its name
    # 12363 and the provider are other routes
    letter(cli, str(cid), "--to", "12363")
    letter(cli, str(cid), "--to", "provider")
    # mediation failed: the bar is lifted
    cli.ok(
        "contact", str(cid), "--on", "2026-11-20", "--channel", "consumer-association",
        "--outcome", "mediation-failed", "--incoming",
    )  # fmt: skip
    text, _ = letter(cli, str(cid), "--to", "12315")
    assert "2026年11月20日，消费者协会回复：调解终止。" in text


def test_bundle_refuses_what_letter_refuses_and_falls_back_by_default(
    cli: Cli, tmp_path: Path
) -> None:
    import zipfile

    cid = not_yet_due(cli)
    zipped = tmp_path / "b.zip"
    cli.fails("bundle", str(cid), "--to", "12315", "-o", str(zipped), contains="not due until")
    assert not zipped.exists()
    # The next step is 12363 (the institution had its 15 days), but the institution's
    # address is gone (a 12363 complaint names it): the default gives way to the provider
    # letter, with a notice saying why.
    import sqlite3

    cid = sc.overdue_after_met_condition(cli)
    status = cli.ok("show", str(cid), "--json").json()
    assert "--to 12363" in status["next_action"]
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("UPDATE providers SET address = NULL")
    conn.close()
    r = cli.run("bundle", str(cid), "-o", str(zipped))
    assert r.exit_code == 0, r.stderr
    assert "the bundle holds the provider letter instead" in r.stderr
    with zipfile.ZipFile(zipped) as z:
        names = z.namelist()
    assert any("催告函" in n for n in names) and not any("金融消费者投诉书" in n for n in names)


def test_basis_order_contract_then_institution_then_consumer(cli: Cli) -> None:
    cid = sc.overdue_after_met_condition(cli)
    for recipient in ORIGINAL_RECIPIENTS:
        text, _ = letter(cli, str(cid), "--to", recipient)
        basis = text.split("（要旨）")
        # the first article cited in the list is 民法典 第509条
        assert basis[0].rstrip().endswith("《中华人民共和国民法典》第五百零九条"), recipient
        i509 = text.index("第五百零九条（要旨）")
        i577 = text.index("第五百七十七条（要旨）")
        ipay = text.index("《非银行支付机构监督管理条例》第二十条、第三十四条、第三十五条（要旨）")
        i20 = text.index("《消费者权益保护法实施条例》第二十条（要旨）")
        assert i509 < i577 < ipay < i20, recipient
        # 第二十条 is cited conditionally, and in the reasons after the contract
        assert (
            "如系为生活消费需要接受服务的消费者，另可依据《消费者权益保护法实施条例》第二十条"
            in text
        )
        reasons = text.index("违反了双方的约定。依据《中华人民共和国民法典》第五百零九条")
        assert reasons < text.index(
            "如" + ("本人" if recipient == "provider" else "投诉人") + "属于为生活消费需要"
        )
        assert "暂行办法" not in text and "第20号" not in text
    # order 121 in the 12315 letter
    text, _ = letter(cli, str(cid), "--to", "12315")
    assert "《市场监督管理投诉举报处理办法》第十五条（要旨）" in text


def test_the_institution_regulation_only_against_an_institution() -> None:
    """A respondent recorded as an agent company is no payment institution: the
    regulation of payment institutions is neither cited nor argued."""
    from depositctl.core.evaluator import Evaluator
    from depositctl.core.letter_checks import Respondents
    from depositctl.core.models import Case, CaseFacts, Condition, Contact, Profile
    from depositctl.core.respondents import Provider
    from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
    from depositctl.render.letter_context import letter_context
    from depositctl.render.letters import render_text

    rules = data.rules()
    ev = Evaluator(date(2026, 11, 24), WorkdayCalendar(chinese_calendar_lookup()), rules, 15)
    case = Case(
        id=1, provider="示例科技服务有限公司", amount=Decimal("99"), paid_on=date(2026, 1, 1),
        condition=Condition(none=True),
    )  # fmt: skip
    asked = Contact(id=1, case_id=1, on=date(2026, 2, 1), channel="phone", refund_request=True)
    view = ev(CaseFacts(case=case, contacts=(asked,)))
    profile = Profile(name="王秀英")
    for kind, cited in (("agent-company", False), ("institution", True)):
        found = Respondents(institution=Provider(name=case.provider, address="杭州", kind=kind))  # type: ignore[arg-type]
        ctx = letter_context(view, profile, rules, ev.calendar, "provider", found)
        text = render_text(ctx, "md")
        assert ("非银行支付机构监督管理条例" in text) is cited, kind
        assert "第五百零九条（要旨）" in text


def test_511_4_is_cited_iff_no_refund_time_was_agreed(cli: Cli) -> None:
    unclear = "第五百一十一条第（四）项"
    agreed = sc.overdue_after_met_condition(cli)  # refund within 15 working days
    partial = sc._add(
        cli, "--serial", "SN4", "--amount", "99", "--paid-on", "2026-01-01", "--no-condition",
        "--promised-refund-on", "2026-03-01",
    )  # fmt: skip
    none = sc._add(
        cli, "--serial", "SN5", "--amount", "99", "--paid-on", "2026-01-01", "--no-condition"
    )
    cli.ok("contact", str(none), "--on", "2026-02-01", "--channel", "email", "--refund-request")
    for recipient in ORIGINAL_RECIPIENTS:
        assert unclear not in letter(cli, str(agreed), "--to", recipient)[0], recipient
        assert unclear not in letter(cli, str(partial), "--to", recipient, "--force")[0], recipient
        text = letter(cli, str(none), "--to", recipient, "--force")[0]
        assert f"{unclear}（要旨）" in text, recipient
        # rule 4: the grace period runs from the demand, and says it is not the contract's
        assert "已于2026年2月1日提出退还请求，此处自该日起按15日计算，并非合同约定的期限" in text


def test_the_provider_demand(cli: Cli) -> None:
    cid = sc.overdue_after_met_condition(cli)
    text, _ = letter(cli, str(cid), "--to", "provider")
    assert (
        "请贵司自收到本函之日起15日内，将押金人民币99.00元（大写：玖拾玖元整）原路退回本人。"
        in text
    )
    assert "本函以邮政特快专递或电子邮件等能够证明送达的方式发送贵司" in text
    assert "上述期限自贵司收到本函之日起计算" in text
    assert "投诉人" not in text  # the merchant is 本人 in a demand
    assert "本人明确要求退还押金" in text and "催告人：王秀英" in text
    # the days are the grace period (profile set --grace-days), not a number in a template
    cli.ok("profile", "set", "--grace-days", "20")
    assert "自收到本函之日起20日内" in letter(cli, str(cid), "--to", "provider")[0]
    # how it is sent
    text, _ = letter(cli, str(cid), "--to", "provider", "--via", "ems")
    assert "本函以EMS邮政特快专递寄送贵司上述地址" in text
    text, _ = letter(cli, str(cid), "--to", "provider", "--via", "电子邮件")
    assert "本函以电子邮件发送至贵司" in text
    # where the money goes: the payee account of the profile
    cli.ok("profile", "set", "--payee-account", "工商银行 6222 0000")
    text, _ = letter(cli, str(cid), "--to", "provider")
    assert "汇入本人的收款账户（工商银行 6222 0000）" in text and "原路退回" not in text


def test_via_is_checked(cli: Cli, tmp_path: Path) -> None:
    cid = sc.overdue_after_met_condition(cli)
    target = tmp_path / "l.md"
    cli.fails("letter", str(cid), "--to", "provider", "--via", "pigeon", "-o", str(target),
              contains="Unknown way of sending: pigeon")  # fmt: skip
    cli.fails("letter", str(cid), "--to", "12315", "--via", "ems", "-o", str(target),
              contains="--via says how the provider letter is sent")  # fmt: skip
    assert not target.exists()


def test_individual_business_and_company_routes_in_the_demand(cli: Cli) -> None:
    cid = sc.company_capacity(cli)
    text, _ = letter(cli, str(cid), "--to", "provider")
    assert "本公司将依法向市场监督管理部门举报，并保留向人民法院提起诉讼的权利" in text
    assert "12363" not in text.split("## 六、催告事项")[1].split("## 七")[0]
    assert "如系为生活消费需要" not in text  # no consumer rule for a company


def test_replies_and_sent_letters_are_worded_as_such() -> None:
    """Replies of the other side read as its answer (with the reason of a refusal), a
    letter recorded by `sent` as what went out, how, and when it arrived; neither as a
    complaint of the merchant's. (Built in memory: the fields are not stored yet.)"""
    from depositctl.core.evaluator import Evaluator
    from depositctl.core.letter_checks import Respondents
    from depositctl.core.models import Case, CaseFacts, Condition, Contact, Profile
    from depositctl.core.respondents import Provider
    from depositctl.core.workdays import WorkdayCalendar, chinese_calendar_lookup
    from depositctl.render.letter_context import letter_context
    from depositctl.render.letters import render_text

    rules = data.rules()
    ev = Evaluator(date(2026, 12, 20), WorkdayCalendar(chinese_calendar_lookup()), rules, 15)
    case = Case(
        id=1, provider=PROVIDER, amount=Decimal("99"), paid_on=date(2026, 1, 1),
        condition=Condition(none=True),
    )  # fmt: skip

    def contact(cid: int, on: date, channel: str, **kw: object) -> Contact:
        return Contact(id=cid, case_id=1, on=on, channel=channel, **kw)  # type: ignore[arg-type]

    contacts = (
        contact(1, date(2026, 11, 20), "12315", refund_request=True),
        contact(
            2,
            date(2026, 11, 25),
            "12315",
            incoming=True,
            outcome="rejected",
            reason="不属于生活消费。",
        ),
        contact(
            3,
            date(2026, 12, 1),
            "provider-complaint",
            letter="provider",
            via="ems",
            tracking="EA123456789CN",
            delivered_on=date(2026, 12, 3),
            refund_request=True,
        ),
        contact(4, date(2026, 12, 3), "12315", incoming=True, outcome="accepted"),
        contact(
            5,
            date(2026, 12, 4),
            "consumer-association",
            letter="consumer-association",
            via="platform",
        ),
        contact(6, date(2026, 12, 5), "phone", incoming=True, summary="称将尽快处理"),
    )
    view = ev(CaseFacts(case=case, contacts=contacts))
    found = Respondents(institution=Provider(name=PROVIDER, address="上海"))
    ctx = letter_context(view, Profile(name="王秀英"), rules, ev.calendar, "12363", found)
    text = render_text(ctx, "md")
    for line in (
        "1. 2026年11月20日，向全国12315平台投诉；投诉人明确要求退还押金。",
        "2. 2026年11月25日，市场监管部门回复：不予受理，理由：不属于生活消费。",
        "3. 2026年12月1日，以EMS寄送催告函（单号：EA123456789CN，2026年12月3日签收）。",
        "4. 2026年12月3日，市场监管部门回复：已受理。",
        "5. 2026年12月4日，通过网上平台向消费者协会提交投诉。",
        f"6. 2026年12月5日，{PROVIDER}来电答复：称将尽快处理。",
    ):
        assert line in text, line
    # the replies are no complaint of the merchant's, and are not counted as one
    assert "向全国12315平台投诉（" not in text
    # the letters as the letters they are, not as a channel's complaint (a 催告函 is no
    # call to the provider's complaint line)
    assert (
        "投诉人曾通过全国12315平台交涉，并先后于2026年12月1日以EMS寄送催告函（2026年12月3日签收）、"
        "于2026年12月4日通过网上平台向消费者协会提交投诉，至今未获退还。"
    ) in text
    assert "支付机构投诉渠道" not in text


def test_12315_refuses_a_dispute_it_accepted_pointing_to_the_court(demo: Cli) -> None:
    """Case 6: 12315 accepted the dispute on 2026-09-24; a new 12315 letter is refused
    even with --force (order 121 第十六条(二)), and nothing is written."""
    r = demo.fails("letter", "6", "--to", "12315", "--force")
    assert "not written" in r.stderr and "--to court" in r.stderr and r.stdout == ""
