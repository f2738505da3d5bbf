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
from tests.conftest import TODAY, Cli

GOLDEN = Path(__file__).parent / "golden"
PROVIDER = "示例支付股份有限公司"
SERIAL = "SN00A8123456"
TICKETS = ("GD20250530017", "TS20250901088")
CAPITALS = "玖拾玖元整"
#: The recipients of the golden letters of the demo (new recipients are covered by the
#: scenario matrix, tests/test_letter_matrix.py).
ORIGINAL_RECIPIENTS = ("consumer-association", "12315", "12363", "provider")


def load_demo(cli: Cli) -> None:
    """The demo's eight cases, profile and evidence, in the test's own ledger."""
    from depositctl.store.casefile import load_casefile, read_casefile
    from depositctl.store.ledger import open_ledger

    example = data.path("examples", "demo-ledger.toml")
    led = open_ledger(cli.db)
    try:
        load_casefile(led, read_casefile(example), example.parent, date.fromisoformat(TODAY))
    finally:
        led.close()


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

GOLDEN_CASES = [(1, r, f) for r in ORIGINAL_RECIPIENTS for f in ("md", "txt")] + [
    (4, "provider", "md"),  # condition failed: argues the condition is unreasonable
    (6, "12315", "md"),  # refund on return, no time limit agreed: default due date
    (7, "consumer-association", "md"),  # unconditional, requested, not yet due: --force
]


@pytest.mark.parametrize(("cid", "recipient", "fmt"), GOLDEN_CASES)
def test_golden_letters(demo: Cli, cid: int, recipient: str, fmt: str) -> None:
    force = ("--force",) if cid == 7 else ()
    stdout, _ = letter(demo, str(cid), "--to", recipient, "--format", fmt, *force)
    path = GOLDEN / f"case{cid}-{recipient}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(stdout, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert stdout == path.read_text(encoding="utf-8")


def test_letter_holds_every_required_fact(demo: Cli) -> None:
    for recipient in RECIPIENTS:
        text, _ = letter(demo, "1", "--to", recipient)
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
    text, _ = letter(demo, "1", "--to", "consumer-association")
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
    assert "2026年12月3日前" in letter(demo, "1", "--to", "12315")[0]
    assert "2026年12月3日前" in letter(demo, "1", "--to", "12363")[0]
    assert "2026年12月1日前" in letter(demo, "1", "--to", "consumer-association")[0]


def test_default_due_date_is_marked(demo: Cli) -> None:
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
    _, stderr = letter(cli, str(case_id), "--to", "12363")
    assert "no complaint to the provider itself" in stderr
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
    cli.fails("letter", cid, "--to", "court", contains="Unknown recipient: court")
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
    r = demo.ok("letter", "1", "--to", "provider", "-o", str(target))
    assert str(target) in r.stdout
    assert target.read_text(encoding="utf-8").startswith("# 催告函")
    assert [p.name for p in target.parent.iterdir()] == ["letter.md"]  # no temp file left


def test_format_from_the_output_suffix(demo: Cli, tmp_path: Path) -> None:
    demo.ok("letter", "1", "--to", "provider", "-o", str(tmp_path / "a.txt"))
    assert not (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("#")
    demo.ok("letter", "1", "--to", "provider", "-o", str(tmp_path / "a.docx"))
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"


# -- docx and pdf -------------------------------------------------------------------------


def test_docx_text_and_east_asian_fonts(demo: Cli, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    target = tmp_path / "letter.docx"
    r = demo.run("letter", "1", "--to", "consumer-association", "-o", str(target))
    assert r.exit_code == 0, r.stderr
    doc = docx.Document(str(target))
    text = "\n".join(p.text for p in doc.paragraphs)
    for needle in (PROVIDER, SERIAL, CAPITALS, *TICKETS, "消费者投诉书"):
        assert needle in text, needle
    assert "**" not in text and "\\" not in text  # markdown markup is gone
    for name in ("Normal", "Title", "Heading 1"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("仿宋", "黑体", "宋体"), name
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
    r = demo.run("letter", "1", "--to", "consumer-association", "-o", str(target))
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


def test_demo_ends_with_the_consumer_association_letter(cli: Cli) -> None:
    r = cli.ok("demo")
    head, _, letter_text = r.stdout.partition("# 消费者投诉书")
    assert "Deposits as of" in head  # the status table comes first
    assert SERIAL in letter_text and CAPITALS in letter_text and "逾期560天" in letter_text
    assert letter_text.rstrip().endswith("请以官方公布的文本为准。")


@pytest.mark.slow  # 64 letters; the golden tests above render each recipient and format
@pytest.mark.parametrize("recipient", RECIPIENTS)
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
    assert refused == (set() if recipient == "provider" else {5})  # case 5 is refunded


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
    demo.ok("letter", "1", "--to", "provider", "-o", str(target), "--font", str(WQY))
    assert _embedded_font_files(target) > 0
