"""The letter as a PDF (reportlab) with an embedded subset of a Chinese TrueType font.

reportlab's built-in CID font STSong-Light is not embedded: text extraction works, but a
reader without Chinese fonts shows empty boxes. So the writer looks for a CJK TrueType
font (`--font FILE`, then fontconfig, then the usual Windows, macOS and Linux paths) and
embeds the subset it uses (wqy-microhei's TTC gives a ~25 KB letter). Fonts with
PostScript (CFF) outlines, such as Noto CJK's .otf/.ttc, do not load in reportlab and are
skipped. STSong-Light is the fallback only when no font is found, and the caller warns.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from depositctl.core.errors import N_, UserError
from depositctl.render.markup import Block

FALLBACK_CID_FONT = "STSong-Light"
#: Characters a usable font must have (a Latin-only font would print boxes).
PROBE = "押金退还投诉书元整"

#: Likely CJK TrueType fonts, best first (file name, face index in a collection).
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    # Linux (Debian/Ubuntu/Fedora packages)
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    # Windows
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("C:/Windows/Fonts/simfang.ttf", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    # macOS
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)


@dataclass(frozen=True)
class FontChoice:
    """The font the PDF uses: a TrueType file (embedded) or the CID fallback (not)."""

    name: str
    path: Path | None = None
    index: int = 0

    @property
    def embedded(self) -> bool:
        return self.path is not None


def _fontconfig_candidates() -> Iterator[tuple[str, int]]:
    """Chinese-capable fonts fontconfig knows, TrueType files first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh-cn", "file", "index"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return
    found: list[tuple[str, int]] = []
    for line in result.stdout.splitlines():
        # "/path/font.ttc: :index=1" (the order of fields varies between versions)
        path, _, rest = line.partition(":")
        index = 0
        for part in rest.split(":"):
            if part.strip().startswith("index="):
                try:
                    index = int(part.strip()[6:])
                except ValueError:
                    index = 0
        if path.lower().endswith((".ttf", ".ttc")):
            found.append((path.strip(), index))
    found.sort(key=lambda f: (0 if "wqy" in f[0].lower() else 1, f[0], f[1]))
    yield from found


def _load(path: Path, index: int) -> str | None:
    """Register a TrueType font with reportlab; None if it cannot be used."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"CJK-{path.stem}-{index}"
    try:
        pdfmetrics.getFont(name)
        return name
    except KeyError:
        pass
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except Exception:  # reportlab raises TTFError, struct.error, OSError, ...
        return None
    if any(ord(ch) not in font.face.charToGlyph for ch in PROBE):
        return None
    pdfmetrics.registerFont(font)
    _family(name)
    return name


def _family(name: str) -> None:
    """One face for all styles: `<b>` then keeps the font (the weight does not change)."""
    from reportlab.lib.fonts import addMapping

    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def choose_font(explicit: Path | None = None) -> FontChoice:
    """`--font FILE` (an error if unusable), else the first CJK TrueType font found."""
    if explicit is not None:
        if not explicit.is_file():
            raise UserError(N_("No such font file: {path}"), path=str(explicit))
        name = _load(explicit, 0)
        if name is None:
            raise UserError(
                N_(
                    "Cannot use the font {path}: reportlab needs a TrueType font (.ttf/.ttc) "
                    "with Chinese characters"
                ),
                path=str(explicit),
            )
        return FontChoice(name, explicit, 0)
    seen: set[tuple[str, int]] = set()
    for path, index in (*_fontconfig_candidates(), *_known_fonts()):
        if (path, index) in seen or not os.path.isfile(path):
            continue
        seen.add((path, index))
        name = _load(Path(path), index)
        if name is not None:
            return FontChoice(name, Path(path), index)
    return _fallback()


def _known_fonts() -> Iterator[tuple[str, int]]:
    windir = os.environ.get("WINDIR")
    for path, index in KNOWN_FONTS:
        if windir and path.startswith("C:/Windows"):
            path = windir.replace("\\", "/") + path[len("C:/Windows") :]
        yield path, index
    if sys.platform == "darwin":
        home = Path.home() / "Library" / "Fonts"
        for name in ("SimSun.ttf", "simsun.ttc", "Songti.ttc"):
            yield str(home / name), 0


def _fallback() -> FontChoice:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    _family(FALLBACK_CID_FONT)
    return FontChoice(FALLBACK_CID_FONT)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_bytes(
    blocks: Sequence[Block], font: FontChoice, *, title: str, author: str, today: date
) -> bytes:
    """An A4 PDF of the letter's blocks, wrapping Chinese lines (wordWrap CJK)."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    f = font.name
    body = ParagraphStyle("body", fontName=f, fontSize=12, leading=20, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=14
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=13, leading=22, spaceBefore=10, spaceAfter=4
        ),
        "para": ParagraphStyle("para", parent=body, firstLineIndent=24, spaceAfter=4),
        "line": ParagraphStyle("line", parent=body, spaceAfter=4),
        # A hanging indent: "1. " stands out, wrapped lines align with the text.
        "item": ParagraphStyle("item", parent=body, leftIndent=26, firstLineIndent=-12),
        "quote": ParagraphStyle("quote", parent=body, leftIndent=28, rightIndent=14, spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=14),
    }

    def page_number(canvas: object, doc: object) -> None:
        c = canvas
        page = c.getPageNumber()  # type: ignore[attr-defined]
        c.saveState()  # type: ignore[attr-defined]
        c.setFont(f, 9)  # type: ignore[attr-defined]
        c.drawCentredString(A4[0] / 2, 1.2 * cm, f"第 {page} 页")  # type: ignore[attr-defined]
        c.restoreState()  # type: ignore[attr-defined]

    story: list[object] = []
    for b in blocks:
        if b.kind == "rule":
            story.append(Spacer(1, 8))
            story.append(HRFlowable(width="100%", thickness=0.5))
            story.append(Spacer(1, 4))
            continue
        markup = "".join(f"<b>{_xml(t)}</b>" if bold else _xml(t) for t, bold in b.runs)
        story.append(Paragraph(markup, styles[b.kind]))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=title,
        author=author,
        creator="depositctl",
        subject=title,
        invariant=True,
        initialFontName=f,
    )
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()
