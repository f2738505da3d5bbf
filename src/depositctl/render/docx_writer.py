"""The letter as a Word document (python-docx), set in the fonts of a Chinese office letter.

python-docx sets only the Latin font (`w:ascii`/`w:hAnsi`); Chinese text takes the
`w:eastAsia` font, which it has no property for, and the built-in heading styles take
their fonts from the theme (`w:asciiTheme`, `w:eastAsiaTheme`, ...), which win over named
fonts. So each style used gets explicit `w:rFonts` with `w:eastAsia` and no theme
attributes: body 仿宋, headings 黑体, title 宋体 (Word and WPS substitute a close font
where one is missing).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from depositctl.render.markup import Block

BODY_FONT = ("Times New Roman", "仿宋")
HEADING_FONT = ("Times New Roman", "黑体")
TITLE_FONT = ("Times New Roman", "宋体")


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


def docx_bytes(blocks: Sequence[Block], *, title: str, author: str, today: date) -> bytes:
    """A .docx of the letter's blocks (A4, 2.5 cm margins, Chinese fonts on every style)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, *BODY_FONT)
    normal.font.size = Pt(14)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)

    title_style = styles["Title"]
    _set_fonts(title_style, *TITLE_FONT)
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
    _set_fonts(heading, *HEADING_FONT)
    heading.font.size = Pt(14)
    heading.font.bold = True
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)

    for name in ("Quote", "List Paragraph"):
        _set_fonts(styles[name], *BODY_FONT)

    for b in blocks:
        if b.kind == "title":
            p = doc.add_paragraph(style="Title")
        elif b.kind == "heading":
            p = doc.add_paragraph(style="Heading 1")
        elif b.kind == "rule":
            doc.add_paragraph()
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
