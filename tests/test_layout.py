"""How letters look in PDF and DOCX (issue 11): the signature block flush right, 第 X 页
共 Y 页, Chinese line breaking, headings kept with what follows, one font family, dated and
reproducible PDFs, --no-footer, and an output name whose suffix is no format refused."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path
from typing import Any

import pytest

from depositctl.render.markup import RIGHT_BEGIN, RIGHT_END, Block, blocks, unmark
from tests.conftest import TODAY, Cli
from tests.test_letters import load_demo

#: What must not start a line (closing punctuation) and not end one (opening).
CLOSING = "，。、；：？！）」』》”"
OPENING = "（「『《“"
DATE_LINE = "日期：2026年11月24日"
FOOTER = "本文件由 depositctl"
A4_WIDTH = 595.2755905511812
MARGIN = 2.5 * 72 / 2.54
PADDING = 6  # reportlab's Frame pads its 2.5 cm margins by 6 pt on each side


@pytest.fixture
def demo(cli: Cli) -> Cli:
    load_demo(cli)
    return cli


def write(cli: Cli, path: Path, *args: str) -> Path:
    r = cli.run("letter", "1", *args, "-o", str(path))
    assert r.exit_code == 0, r.stderr
    return path


def pdf_lines(path: Path) -> list[tuple[int, float, str]]:
    """(page, x, text) of every text line the PDF draws, in order (a line drawn in pieces,
    one per font subset, is joined by its position)."""
    import pypdf

    found: list[tuple[int, float, float, str]] = []
    for n, page in enumerate(pypdf.PdfReader(str(path)).pages, 1):

        def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any, n: int = n) -> None:
            if not text.strip():
                return
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            if found and found[-1][:3] == (n, x, y):
                found[-1] = (n, x, y, found[-1][3] + text.strip())
            else:
                found.append((n, x, y, text.strip()))

        page.extract_text(visitor_text=visit)
    return [(n, x, text) for n, x, _, text in found]


# -- the marks in the templates ----------------------------------------------------------


def test_right_marks_make_right_blocks_and_leave_markdown_as_it_was() -> None:
    md = f"甲\n\n{RIGHT_BEGIN}\n催告人：王秀英\n\n{DATE_LINE}\n{RIGHT_END}\n\n---\n\n脚注\n"
    kinds = [(b.kind, b.text) for b in blocks(md)]
    assert kinds == [
        ("line", "甲"),
        ("right", "催告人：王秀英"),
        ("right", DATE_LINE),
        ("rule", ""),
        ("small", "脚注"),
    ]
    assert unmark(md) == f"甲\n\n催告人：王秀英\n\n{DATE_LINE}\n\n---\n\n脚注\n"


def test_markdown_and_text_letters_carry_no_marks(demo: Cli) -> None:
    for fmt in ("md", "txt"):
        r = demo.run("letter", "1", "--to", "provider", "--format", fmt)
        assert r.exit_code == 0, r.stderr
        assert DATE_LINE in r.stdout
        assert "<!--" not in r.stdout, fmt


# -- signature block and date flush right ------------------------------------------------


def test_pdf_signature_and_date_end_at_the_right_margin(demo: Cli, tmp_path: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from depositctl.render.pdf_writer import choose_font

    font = choose_font()
    pdf = write(demo, tmp_path / "x.pdf", "--to", "provider")
    lines = pdf_lines(pdf)
    right_edge = A4_WIDTH - MARGIN - PADDING
    for wanted in (DATE_LINE, "催告人：王秀英", "签名：________________"):
        (x,) = [x for _, x, t in lines if t == wanted]
        end = x + stringWidth(wanted, font.name, 12)
        assert abs(end - right_edge) < 1.5, (wanted, x, end, right_edge)
    # A line of the body still starts at the left margin.
    (x,) = [x for _, x, t in lines if t.startswith("致：")]
    assert abs(x - MARGIN - PADDING) < 1.5


def test_docx_signature_and_date_are_right_aligned(demo: Cli, tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = docx.Document(str(write(demo, tmp_path / "x.docx", "--to", "provider")))
    by_text = {p.text: p for p in doc.paragraphs}
    for wanted in (DATE_LINE, "催告人：王秀英", "签名：________________"):
        assert by_text[wanted].alignment == WD_ALIGN_PARAGRAPH.RIGHT, wanted
    assert by_text["致：示例支付股份有限公司"].alignment is None  # the body is not


# -- 第 X 页 共 Y 页 ------------------------------------------------------------------------


def test_pdf_pages_say_page_x_of_y(demo: Cli, tmp_path: Path) -> None:
    import pypdf

    # --force: the demo's merchant is an individual business
    pdf = write(demo, tmp_path / "x.pdf", "--to", "consumer-association", "--force")
    pages = pypdf.PdfReader(str(pdf)).pages
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert f"第 {n} 页 共 {len(pages)} 页" in page.extract_text(), n


def test_docx_footer_has_page_and_numpages_fields(demo: Cli, tmp_path: Path) -> None:
    import docx

    doc = docx.Document(str(write(demo, tmp_path / "x.docx", "--to", "provider")))
    footer = doc.sections[0].footer
    xml = footer._element.xml
    assert "第 " in xml and " 页 共 " in xml
    instructions = [t.strip() for t in footer._element.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert len(footer._element.xpath(".//w:fldChar")) == 6  # begin, separate, end twice
    assert footer.paragraphs[0].text.startswith("第 ") and footer.paragraphs[0].text.endswith(" 页")


# -- Chinese line breaking -------------------------------------------------------------------


def crafted() -> str:
    """Punctuation after every possible number of characters, so a naive wrap puts some
    of it at the start of a line (reportlab's own CJK wrap starts lines with "，")."""
    parts = []
    for k in range(1, 40):
        mark = CLOSING[k % len(CLOSING)]
        parts.append("押金" * (k // 2) + "退" * (k % 2) + mark)
        parts.append(OPENING[k % len(OPENING)] + "附件" + str(k))
    return "".join(parts)


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    from reportlab.lib.styles import ParagraphStyle

    from depositctl.render.pdf_writer import choose_font, paragraph

    text = crafted()
    font = choose_font().name
    for width in (150, 233, 300, 425):
        style = ParagraphStyle("t", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
        p = paragraph(text, style)
        p.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words) for line in p.blPara.lines]
        assert "".join(lines) == text  # nothing lost or repeated
        assert len(lines) > 5
        for before, after in itertools.pairwise(lines):
            assert after[0] not in CLOSING, (width, before, after)
            assert before[-1] not in OPENING, (width, before, after)
            assert not (before[-1].isdigit() and after[0].isdigit()), (before, after)


def test_may_break_agrees_with_uniseg_on_letter_text() -> None:
    """The pairwise rules the writer uses give the breaks uniseg's full UAX #14
    implementation gives, on the kinds of text letters hold."""
    from uniseg.linebreak import line_break_boundaries

    from depositctl.render.pdf_writer import may_break

    text = crafted() + (
        "投诉人于2025年3月5日申领并使用示例支付股份有限公司（以下称被投诉方）提供的POS机具"
        "（示例POS 电签POS A8，机具序列号SN00A8123456），交纳押金人民币99.00元（大写：玖拾玖元整）。"
        "累计交易额达到51,850.50元、118笔；SHA-256前12位：e8a4f3be43a0；代理商/服务商；"
        "业务员说：“达标后退押金”……——见证据1、证据2。约50%的押金；￥99。"
    )
    ours = {k for k in range(1, len(text)) if may_break(text[k - 1], text[k])}
    theirs = set(line_break_boundaries(text)) - {0, len(text)}
    assert ours == theirs, sorted(ours ^ theirs)


def test_pdf_lines_follow_the_rules(tmp_path: Path) -> None:
    """The same through the whole writer, read back from the PDF."""
    from datetime import date

    from depositctl.render.pdf_writer import choose_font, pdf_bytes

    para = Block("para", ((crafted(), False),))
    data = pdf_bytes([para], choose_font(), title="t", author="a", today=date(2026, 11, 24))
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    body = [t for _, _, t in pdf_lines(path) if not t.startswith("第 ")]
    assert len(body) > 5
    for line in body[1:]:
        assert line[0] not in CLOSING, line
    for line in body[:-1]:
        assert line[-1] not in OPENING, line


# -- headings kept with what follows -------------------------------------------------------


def test_pdf_headings_keep_with_next(tmp_path: Path) -> None:
    """Whatever the filler above it, a heading is on the page of the line after it."""
    import pypdf

    from depositctl.render.pdf_writer import choose_font, pdf_bytes, story

    font = choose_font()
    heading = Block("heading", (("三、约定的退还条件", False),))
    after = Block("line", (("约定内容：交易额达到5万元", False),))
    assert story([heading], font.name)[0].style.keepWithNext == 1
    from datetime import date

    for n in range(24, 34):
        filler = [Block("line", ((f"第{i}行", False),)) for i in range(n)]
        data = pdf_bytes(
            [*filler, heading, after], font, title="t", author="a", today=date(2026, 11, 24)
        )
        pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
        (h,) = [i for i, t in enumerate(pages) if "三、约定的退还条件" in t]
        (a,) = [i for i, t in enumerate(pages) if "约定内容" in t]
        assert h == a, (n, h, a)


def test_docx_headings_keep_with_next(demo: Cli, tmp_path: Path) -> None:
    import docx

    doc = docx.Document(str(write(demo, tmp_path / "x.docx", "--to", "provider")))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) >= 8
    assert all(p.paragraph_format.keep_with_next for p in headings)
    body = [p for p in doc.paragraphs if p.text.startswith("致：")]
    assert not body[0].paragraph_format.keep_with_next


# -- one font family -------------------------------------------------------------------------


def test_pdf_and_docx_name_one_family(demo: Cli, tmp_path: Path) -> None:
    import docx
    import pypdf
    from docx.oxml.ns import qn

    from depositctl.render.pdf_writer import choose_font

    font = choose_font()
    if not font.embedded:
        pytest.skip("no CJK TrueType font on this machine (CI installs fonts-wqy-microhei)")
    doc = docx.Document(str(write(demo, tmp_path / "x.docx", "--to", "provider")))
    for style in ("Normal", "Title", "Heading 1", "Footer"):
        fonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font.family, style
        assert fonts.get(qn("w:ascii")) == font.family, style
    reader = pypdf.PdfReader(str(write(demo, tmp_path / "x.pdf", "--to", "provider")))
    names = {
        str(ref.get_object()["/BaseFont"])
        for page in reader.pages
        for ref in page["/Resources"].get_object()["/Font"].values()
    }
    compact = font.family.replace(" ", "")
    assert names and all(compact in name.replace(" ", "") for name in names), (names, compact)


def test_family_ranking_prefers_fangsong_then_song() -> None:
    from depositctl.render.pdf_writer import _rank

    ranks = [
        _rank(f) for f in ("FangSong,仿宋", "AR PL UMing CN", "SimSun,宋体", "WenQuanYi Micro Hei")
    ]
    assert ranks == [0, 1, 1, 2]


# -- PDF metadata: the letter's date, reproducible bytes -----------------------------------


def test_pdf_is_reproducible_and_dated_the_letters_date(demo: Cli, tmp_path: Path) -> None:
    import pypdf

    a = write(demo, tmp_path / "a.pdf", "--to", "provider").read_bytes()
    b = write(demo, tmp_path / "b.pdf", "--to", "provider").read_bytes()
    assert a == b
    meta = pypdf.PdfReader(io.BytesIO(a)).metadata
    assert meta is not None
    day = TODAY.replace("-", "")
    assert str(meta["/CreationDate"]).startswith(f"D:{day}")
    assert str(meta["/ModDate"]).startswith(f"D:{day}")
    later = demo.run("--today", "2026-12-01", "letter", "1", "--to", "provider", "-o", "c.pdf")
    assert later.exit_code == 0, later.stderr
    meta = pypdf.PdfReader("c.pdf").metadata
    assert meta is not None and str(meta["/CreationDate"]).startswith("D:20261201")


# -- --no-footer --------------------------------------------------------------------------------


def test_no_footer_drops_the_tools_footer(demo: Cli, tmp_path: Path) -> None:
    import pypdf

    for fmt in ("md", "txt"):
        with_footer = demo.run("letter", "1", "--to", "provider", "--format", fmt)
        without = demo.run("letter", "1", "--to", "provider", "--format", fmt, "--no-footer")
        assert FOOTER in with_footer.stdout
        assert FOOTER not in without.stdout and DATE_LINE in without.stdout
        assert "---" not in without.stdout and "————" not in without.stdout
    pdf = write(demo, tmp_path / "x.pdf", "--to", "provider", "--no-footer")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)
    assert FOOTER not in text.replace("\n", "") and "2026年11月24日" in text


def test_bundle_no_footer(demo: Cli, tmp_path: Path) -> None:
    import docx

    target = tmp_path / "b.zip"
    r = demo.run("bundle", "1", "--to", "provider", "-o", str(target), "--no-footer")
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(target) as z:
        (name,) = [n for n in z.namelist() if n.endswith(".docx")]
        doc = docx.Document(io.BytesIO(z.read(name)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert FOOTER not in text and DATE_LINE in text


# -- an output name that is no format -------------------------------------------------------


def test_unknown_suffix_is_refused_and_nothing_written(demo: Cli) -> None:
    r = demo.fails("letter", "1", "--to", "provider", "-o", "x.doc", contains="md, txt, docx, pdf")
    assert ".doc" in r.stderr
    assert not Path("x.doc").exists()
    demo.fails("letter", "1", "--to", "provider", "--format", "pdf", "-o", "x.doc")
    assert not Path("x.doc").exists()
    demo.fails("letter", "1", "--to", "provider", "--format", "md", "-o", "x.pdf")
    assert not Path("x.pdf").exists()
    # No suffix: Markdown, as before.
    r = demo.run("letter", "1", "--to", "provider", "-o", "letter")
    assert r.exit_code == 0 and Path("letter").read_text().startswith("# ")
