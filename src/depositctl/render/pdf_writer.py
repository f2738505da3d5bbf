"""The letter as a PDF (reportlab) with an embedded subset of a Chinese TrueType font.

reportlab's built-in CID font STSong-Light is not embedded: text extraction works, but a
reader without Chinese fonts shows empty boxes. So the writer looks for a CJK TrueType
font (`--font FILE`, then fontconfig, then the usual Windows, macOS and Linux paths) and
embeds the subset it uses (wqy-microhei's TTC gives a ~25 KB letter). Fonts with
PostScript (CFF) outlines, such as Noto CJK's .otf/.ttc, do not load in reportlab and are
skipped. STSong-Light is the fallback only when no font is found, and the caller warns.
Among the fonts found, 仿宋 comes first, then 宋体 (Song, Ming: a letter's faces), then any
other. The docx names the family chosen here (`FontChoice.family`): one face in both.

Layout: lines break where the Unicode line-breaking rules (UAX #14, on the Line_Break
classes of the Unicode data as `uniseg` ships them) allow, so no line starts with closing
punctuation (，。、；：？！）」』》) or ends with opening
punctuation (reportlab's own CJK wrapping knows only part of the Chinese punctuation and
starts lines with "，"); headings keep with what follows; the signature block stays
together, flush right; each page says 第 X 页 共 Y 页. The file is byte-reproducible
(reportlab's invariant mode) and dated (creation and modification) the letter's date.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositctl.core.errors import N_, UserError
from depositctl.render.markup import Block

if TYPE_CHECKING:
    from reportlab.platypus import Paragraph

FALLBACK_CID_FONT = "STSong-Light"
#: The family the docx names when the pdf falls back to STSong-Light (a Song face).
FALLBACK_FAMILY = "宋体"
#: Characters a usable font must have (a Latin-only font would print boxes).
PROBE = "押金退还投诉书元整"

#: Likely CJK TrueType fonts, best first (file name, face index in a collection):
#: 仿宋, then 宋体 (Song, Ming), then the sans faces.
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("C:/Windows/Fonts/simfang.ttf", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)
#: Words in a family's names (any language) that make it a letter's face, best first.
PREFERRED_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("fangsong", "fang song", "仿宋"),
    ("song", "宋", "ming", "明", "sung"),
)


@dataclass(frozen=True)
class FontChoice:
    """The font the PDF uses: a TrueType file (embedded) or the CID fallback (not)."""

    name: str
    path: Path | None = None
    index: int = 0
    #: The family name the font gives itself, which the docx names too.
    family: str = FALLBACK_FAMILY

    @property
    def embedded(self) -> bool:
        return self.path is not None


def _rank(families: str) -> int:
    """0 for 仿宋, 1 for 宋体 (Song, Ming), 2 for any other face."""
    names = families.lower()
    for rank, words in enumerate(PREFERRED_FAMILIES):
        if any(w in names for w in words):
            return rank
    return len(PREFERRED_FAMILIES)


def _fontconfig_candidates() -> Iterator[tuple[str, int]]:
    """Chinese-capable TrueType fonts fontconfig knows: 仿宋, then 宋体, then the rest
    (wqy first among those: it is known to load)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh-cn", "-f", "%{file}\t%{index}\t%{family}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return
    found: list[tuple[int, int, str, int]] = []
    for line in result.stdout.splitlines():
        path, _, rest = line.partition("\t")
        index_text, _, families = rest.partition("\t")
        try:
            index = int(index_text)
        except ValueError:
            index = 0
        if path.lower().endswith((".ttf", ".ttc")):
            wqy = 0 if "wqy" in path.lower() else 1
            found.append((_rank(families), wqy, path.strip(), index))
    for *_, path, index in sorted(found):
        yield path, index


def _family_name(name: str) -> str:
    """The family name a registered font gives itself (e.g. "WenQuanYi Micro Hei")."""
    from reportlab.pdfbase import pdfmetrics

    family: Any = getattr(pdfmetrics.getFont(name).face, "familyName", b"")
    if isinstance(family, bytes):
        family = family.decode("utf-8", "replace")
    return str(family).strip() or name


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
        return FontChoice(name, explicit, 0, _family_name(name))
    seen: set[tuple[str, int]] = set()
    for path, index in (*_fontconfig_candidates(), *_known_fonts()):
        if (path, index) in seen or not os.path.isfile(path):
            continue
        seen.add((path, index))
        name = _load(Path(path), index)
        if name is not None:
            return FontChoice(name, Path(path), index, _family_name(name))
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


#: Line_Break classes (UAX #14) a line may not start with: closing punctuation (，。、）」』》
#: are CL), ；：(NS), ？！(EX), …(IN), hyphens, combining marks, spaces and the like.
_NO_BREAK_BEFORE = frozenset(
    [
        "CL",
        "CP",
        "EX",
        "IS",
        "SY",
        "NS",
        "IN",
        "BA",
        "HY",
        "CM",
        "ZWJ",
        "GL",
        "WJ",
        "SP",
        "ZW",
        "BK",
        "CR",
        "LF",
        "NL",
        "CJ",
    ]
)
#: Line_Break classes a line may not end with: opening punctuation (（「『《 are OP), a
#: currency sign before its amount (PR), no-break characters.
_NO_BREAK_AFTER = frozenset(["OP", "BB", "GL", "WJ", "ZWJ", "PR"])
#: Letters and digits: a Latin word or a number is not broken (UAX #14 LB23, LB28, LB29).
_WORD = frozenset(["AL", "HL", "NU", "AI", "SA", "XX"])


@functools.lru_cache(maxsize=4096)
def _line_break_class(ch: str) -> str:
    """The character's Line_Break property (Unicode data, via `uniseg`); quotation marks
    (QU) resolved by their general category: an opening quote “ as OP, a closing ” as CL,
    a straight quote as GL (no break on either side)."""
    import unicodedata

    from uniseg.linebreak import line_break

    cls = str(line_break(ch))
    if cls == "QU":
        return {"Pi": "OP", "Pf": "CL"}.get(unicodedata.category(ch), "GL")
    return cls


def may_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after`: the rules
    of the Unicode line-breaking algorithm (UAX #14) that apply to Chinese text with Latin
    words and numbers in it (LB7, LB11-LB14, LB17, LB21-LB25, LB28-LB31). Computed pair by
    pair: uniseg's full `line_break_boundaries` costs about 0.3 ms a character, seconds
    for a letter."""
    a, b = _line_break_class(before), _line_break_class(after)
    if b in _NO_BREAK_BEFORE or a in _NO_BREAK_AFTER:
        return False
    if a in _WORD and (b in _WORD or b == "PO"):  # "POS", "2026", "51,850.50", "5%"
        return False
    if a in ("HY", "SY", "IS") and b == "NU":  # "SHA-256", "2025/03"
        return False
    return not (a == "B2" and b == "B2")  # "——"


def _break_lines(frags: list[Any], max_widths: Sequence[float], calc_bounds: bool) -> Any:
    """Lines of one paragraph, each as long as fits, broken only where `may_break`
    allows: never before closing punctuation (，。、；：？！）」』》), never after opening
    punctuation (（「『《), never inside a number or a Latin word unless the word alone is
    wider than the line. reportlab's `cjkFragSplit` with another choice of break."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
    from reportlab.rl_config import _FUZZ

    glyphs = [cjkU(ch, f, "utf8") for f in frags for ch in f.text]

    def allowed(k: int) -> bool:
        return may_break(glyphs[k - 1], glyphs[k])

    lines: list[Any] = []
    start = i = 0
    used = 0.0
    width = max_widths[0]
    while i < len(glyphs):
        w = glyphs[i].width
        if used + w > width + _FUZZ and i > start:
            # The last break opportunity on this line; none: a word wider than the line.
            end = next((k for k in range(i, start, -1) if allowed(k)), i)
            line_width = sum(g.width for g in glyphs[start:end])
            lines.append(
                makeCJKParaLine(
                    glyphs[start:end], width, line_width, width - line_width, False, calc_bounds
                )
            )
            width = max_widths[min(len(lines), len(max_widths) - 1)]
            start = end
            used = sum(g.width for g in glyphs[start:i])
            continue
        used += w
        i += 1
    if start < len(glyphs):
        lines.append(makeCJKParaLine(glyphs[start:], width, used, width - used, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


@functools.cache
def _paragraph_class() -> type:
    """reportlab's Paragraph, its CJK lines broken by `_break_lines`."""
    from reportlab.platypus import Paragraph

    class ChineseParagraph(Paragraph):  # type: ignore[misc]
        def breakLinesCJK(self, maxWidths: Any) -> Any:
            if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
                return self.blPara  # the first part of a split paragraph: lines known
            frags = self.frags
            plain = bool(frags) and all(
                getattr(f, "text", None)
                and not hasattr(f, "cbDefn")
                and not hasattr(f, "lineBreak")
                for f in frags
            )
            if not plain:  # images, <br/>, empty text: reportlab's own wrapping
                return super().breakLinesCJK(maxWidths)
            if not isinstance(maxWidths, list | tuple):
                maxWidths = [maxWidths]
            self.height = 0
            auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
            return _break_lines(frags, maxWidths, auto not in ("", "off"))

    return ChineseParagraph


def paragraph(markup: str, style: Any) -> Paragraph:
    """A reportlab Paragraph whose lines break by the Chinese rules (`_break_lines`)."""
    paragraph: Paragraph = _paragraph_class()(markup, style)
    return paragraph


def _paged_canvas(font_name: str, today: date) -> type:
    """A canvas that writes 第 X 页 共 Y 页 on each page (it holds the pages back until it
    knows how many there are) and dates the file with the letter's date."""
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas

    # The letter's date, without a time zone (the PDF spec's "relation to UT unknown"):
    # a reader shows that day wherever it is, not the day before west of China.
    stamp = f"D:{today:%Y%m%d}000000"

    class PagedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *_: stamp)

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(font_name, 9)
                width = self._pagesize[0]
                page = self.getPageNumber()
                self.drawCentredString(width / 2, 1.2 * cm, f"第 {page} 页 共 {total} 页")
                self.restoreState()
                super().showPage()
            super().save()

    return PagedCanvas


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def story(blocks: Sequence[Block], font_name: str) -> list[Any]:
    """The flowables of the letter: a paragraph per block, headings kept with what follows,
    the right-aligned lines (signature block, date) kept together."""
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import HRFlowable, KeepTogether, Spacer

    f = font_name
    body = ParagraphStyle("body", fontName=f, fontSize=12, leading=20, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=20,
            leading=28,
            alignment=TA_CENTER,
            spaceAfter=14,
            keepWithNext=1,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=13,
            leading=22,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "para": ParagraphStyle("para", parent=body, firstLineIndent=24, spaceAfter=4),
        "line": ParagraphStyle("line", parent=body, spaceAfter=4),
        # A hanging indent: "1. " stands out, wrapped lines align with the text.
        "item": ParagraphStyle("item", parent=body, leftIndent=26, firstLineIndent=-12),
        "quote": ParagraphStyle("quote", parent=body, leftIndent=28, rightIndent=14, spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=14),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=4),
    }
    out: list[Any] = []
    right: list[Any] = []
    for b in blocks:
        if b.kind != "right" and right:
            out.append(KeepTogether([Spacer(1, 12), *right]))
            right = []
        if b.kind == "rule":
            out.append(Spacer(1, 8))
            out.append(HRFlowable(width="100%", thickness=0.5))
            out.append(Spacer(1, 4))
            continue
        markup = "".join(f"<b>{_xml(t)}</b>" if bold else _xml(t) for t, bold in b.runs)
        (right if b.kind == "right" else out).append(paragraph(markup, styles[b.kind]))
    if right:
        out.append(KeepTogether([Spacer(1, 12), *right]))
    return out


def pdf_bytes(
    blocks: Sequence[Block], font: FontChoice, *, title: str, author: str, today: date
) -> bytes:
    """An A4 PDF of the letter's blocks, the same bytes for the same letter and date."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

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
        initialFontName=font.name,
    )
    doc.build(story(blocks, font.name), canvasmaker=_paged_canvas(font.name, today))
    return buf.getvalue()
