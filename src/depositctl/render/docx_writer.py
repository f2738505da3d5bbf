"""The letter as a Word document (python-docx), in the font family the PDF embeds.

python-docx sets only the Latin font (`w:ascii`/`w:hAnsi`); Chinese text takes the
`w:eastAsia` font, which it has no property for, and the built-in heading styles take
their fonts from the theme (`w:asciiTheme`, `w:eastAsiaTheme`, ...), which win over named
fonts. So each style used gets explicit `w:rFonts` with `w:eastAsia` and no theme
attributes, all naming one family: the one the PDF of the same letter embeds (仿宋 or 宋体
where the machine has one; Word and WPS substitute a close font where it is missing).
Headings keep with the next paragraph, the signature block and the date are flush right,
and the footer says 第 X 页 共 Y 页 with Word's PAGE and NUMPAGES fields.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from depositctl.render.markup import Block

#: The family when the caller names none (the PDF's fallback, STSong-Light, is a Song face).
DEFAULT_FAMILY = "宋体"


def _set_fonts(style: Any, latin: str, east_asian: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    # The language tag tells Word which of the fonts Chinese punctuation takes.
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


#: What XML 1.0 cannot hold (controls but tab and line ends, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters a .docx cannot hold (a ledger written before input
    was checked may have them): dropped, so the document is still written."""
    return _NOT_XML.sub("", text)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) in `paragraph`, showing `shown` until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    begin = paragraph.add_run()
    begin._r.append(char("begin"))
    code = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def _page_footer(section: Any) -> None:
    """第 X 页 共 Y 页, centred in the section's footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("第 ")
    _field(p, "PAGE", "1")
    p.add_run(" 页 共 ")
    _field(p, "NUMPAGES", "1")
    p.add_run(" 页")
    for run in p.runs:
        run.font.size = Pt(9)


def docx_bytes(
    blocks: Sequence[Block],
    *,
    title: str,
    author: str,
    today: date,
    family: str = DEFAULT_FAMILY,
) -> bytes:
    """A .docx of the letter's blocks (A4, 2.5 cm margins, `family` on every style)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))

    _page_footer(section)

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, family, family)
    normal.font.size = Pt(14)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)

    title_style = styles["Title"]
    _set_fonts(title_style, family, family)
    title_style.font.size = Pt(22)
    title_style.font.bold = True
    title_style.font.color.rgb = RGBColor(0, 0, 0)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_after = Pt(12)
    # The default template draws a rule under Title; a letter does not want it.
    from docx.oxml.ns import qn

    ppr = title_style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    heading = styles["Heading 1"]
    _set_fonts(heading, family, family)
    heading.font.size = Pt(14)
    heading.font.bold = True
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True
    title_style.paragraph_format.keep_with_next = True

    for name in ("Quote", "List Paragraph", "Footer"):
        _set_fonts(styles[name], family, family)

    last: Any = None
    previous = ""
    for b in blocks:
        if b.kind == "title":
            p = doc.add_paragraph(style="Title")
            p.paragraph_format.keep_with_next = True
        elif b.kind == "heading":
            p = doc.add_paragraph(style="Heading 1")
            p.paragraph_format.keep_with_next = True
        elif b.kind == "right":  # the signature block and the date: flush right, together
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_together = True
            if previous == "right":
                last.paragraph_format.keep_with_next = True
            else:
                p.paragraph_format.space_before = Pt(12)
        elif b.kind == "rule":
            doc.add_paragraph()
            previous = b.kind
            continue
        else:
            p = doc.add_paragraph()
            if b.kind == "item":  # hanging indent
                p.paragraph_format.left_indent = Cm(1.2)
                p.paragraph_format.first_line_indent = Cm(-0.46)
            elif b.kind == "quote":
                p.paragraph_format.left_indent = Cm(1.48)
                p.paragraph_format.right_indent = Cm(0.74)
            elif b.kind == "para":
                p.paragraph_format.first_line_indent = Pt(28)  # two characters
        for text, bold in b.runs:
            run = p.add_run(xml_safe(text))
            if bold:
                run.bold = True
            if b.kind == "small":
                run.font.size = Pt(10)
        last, previous = p, b.kind

    props = doc.core_properties
    props.title = xml_safe(title)[:255]  # the document properties hold at most 255
    props.author = xml_safe(author)[:255]
    props.last_modified_by = props.author
    props.comments = "depositctl"
    stamp = datetime(today.year, today.month, today.day)
    props.created = stamp
    props.modified = stamp
    props.revision = 1

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
