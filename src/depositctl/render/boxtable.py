"""rich's default Table as plain text, without importing rich (issue 12's fast path).

`render/tables._rich_table` draws the status table with rich; importing rich costs about
100 ms on the benchmark machine, more than the rest of a 5-case `status`. This module
draws exactly the same characters for output that is not a terminal (no colour, no
style): rich 15's `Table(title=…, expand=False)` with its default box (HEAVY_HEAD),
padding (0, 1), a centred title, the columns' justify/overflow/no_wrap/min_width/
max_width, rich's measuring, collapsing, word wrapping and folding, and its cell widths
for the characters listed in `_WIDTHS`. Each step below names the rich function it
follows.

Where it is not sure to match rich, `plan` says so (None) and the caller lets rich draw
the table: a character outside `_WIDTHS` (controls, tabs, combining marks, emoji, …), a
backslash or an emoji code (`:name:`) in a cell, markup in a title or header, a table
that stays wider than the page after rich's collapsing (its "last resort" reduction),
a column narrower than 3, a no-wrap cell rich would cut. tests/test_boxtable.py diffs
this module against rich on generated ledgers and hypothesis-generated texts.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

from depositctl.core.recordtype import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    Justify = Literal["left", "right"]
    Overflow = Literal["fold", "ellipsis"]

#: Cell widths rich gives (rich/_unicode_data, its latest table), by inclusive code point
#: range; any other character is not drawn here. tests/test_boxtable.py compares every
#: code point of these ranges with `rich.cells.get_character_cell_size`.
_WIDTHS: tuple[tuple[int, int, int], ...] = (
    (0x0020, 0x007E, 1),
    (0x00A0, 0x024F, 1),
    (0x0370, 0x0482, 1),
    (0x048A, 0x04FF, 1),
    (0x2010, 0x2027, 1),
    (0x202F, 0x205E, 1),
    (0x2100, 0x214F, 1),
    (0x2190, 0x22FF, 1),
    (0x2460, 0x25FC, 1),
    (0x3000, 0x3029, 2),
    (0x3030, 0x303E, 2),
    (0x3041, 0x3096, 2),
    (0x309B, 0x30FF, 2),
    (0x3400, 0x4DBF, 2),
    (0x4E00, 0x9FFF, 2),
    (0xAC00, 0xD7A3, 2),
    (0xFF01, 0xFF60, 2),
    (0xFF61, 0xFF9F, 1),
    (0xFFA1, 0xFFDC, 1),
    (0xFFE0, 0xFFE6, 2),
    (0xFFE8, 0xFFEE, 1),
)
_STARTS = [r[0] for r in _WIDTHS]

# rich's regular expressions, as plain string tests (`re`, with `enum`, cost a 5-case
# `status` a tenth of its instructions: issue 12). tests/test_boxtable.py holds each to
# its pattern, on hypothesis-generated texts.


def _single(text: str) -> bool:
    """Whether every character of `text` is in rich/cells.py
    `_SINGLE_CELL_UNICODE_RANGES`: texts wholly of these take rich's one-cell shortcuts
    (the same result, except `set_cell_size` below zero): U+0020-007E, U+00A0-00AC,
    U+00AE-02FF, U+0370-0482, U+2500-25FC, U+2800-28FF. As the pattern `^[…]*$` of these
    matches: its `$` also before a last line break."""
    if text[-1:] == "\n":
        text = text[:-1]
    if text.isascii():
        return text.isprintable()  # U+0020-007E: the printable ASCII characters
    for ch in text:
        if not (
            " " <= ch <= "~"
            or "\xa0" <= ch <= "\xac"
            or "\xae" <= ch <= "\u02ff"
            or "\u0370" <= ch <= "\u0482"
            or "\u2500" <= ch <= "\u25fc"
            or "\u2800" <= ch <= "\u28ff"
        ):
            return False
    return True


def _emoji_like(text: str) -> bool:
    """Whether `:\\S*?:` is found in `text` (rich/_emoji_replace.py's pattern, loosened: any
    `:…:` may be an emoji code): two colons with no whitespace between them."""
    if text.count(":") < 2:
        return False
    return any(not part or part.split() == [part] for part in text.split(":")[1:-1])


def _words(text: str) -> list[tuple[int, str]]:
    """Where each match of rich/_wrap.py `re_word` (`\\s*\\S+\\s*`) starts in `text`, and
    the match: each word with the whitespace after it, the first with that before it
    too (`\\s` is what `str.split` splits at: `str.isspace`)."""
    words = text.split()
    starts, at = [], 0
    for word in words:
        at = text.find(word, at)
        starts.append(at)
        at += len(word)
    if not starts:
        return []
    starts[0] = 0
    ends = [*starts[1:], len(text)]
    return [(a, text[a:b]) for a, b in zip(starts, ends, strict=True)]


def _trailing(text: str) -> int:
    """How long the match of rich/text.py `_re_whitespace` (`\\s+$`) is in `text`, 0 for
    none: the whitespace it ends with."""
    return len(text) - len(text.rstrip())


class Unsure(Exception):
    """The text holds something this module does not draw as rich would."""


@record(kw_only=False)
class Column:
    """A column as `rich.table.Table.add_column` takes it (rich's defaults)."""

    header: str
    justify: Justify = "left"
    overflow: Overflow = "ellipsis"
    no_wrap: bool = False
    min_width: int | None = None
    max_width: int | None = None
    ratio: int | None = None  # used by rich only for expanding tables: not here


#: Memos of `char_width` and `cell_len` (a table measures the same words several times).
_CHAR: dict[str, int] = {}
_TEXT: dict[str, int] = {}


def char_width(ch: str) -> int:
    """rich's cell width of one character in `_WIDTHS`; `Unsure` for any other."""
    w = _CHAR.get(ch)
    if w is None:
        cp = ord(ch)
        i = bisect_right(_STARTS, cp) - 1
        if i < 0 or cp > _WIDTHS[i][1]:
            raise Unsure(ch)
        w = _CHAR[ch] = _WIDTHS[i][2]
    return w


def cell_len(text: str) -> int:
    """rich.cells.cell_len for known characters."""
    if text.isascii() and text.isprintable():
        return len(text)
    n = _TEXT.get(text)
    if n is None:
        if len(_TEXT) > 4096:
            _TEXT.clear()
        n = _TEXT[text] = sum(map(char_width, text))
    return n


def known(text: str) -> bool:
    """Whether every character of `text` has a width here."""
    try:
        cell_len(text)
    except Unsure:
        return False
    return True


def _chop(text: str, width: int) -> list[str]:
    """rich.cells.chop_cells."""
    if _single(text):
        return [text[i : i + width] for i in range(0, len(text), width)]
    lines: list[str] = []
    size = offset = 0
    for i, ch in enumerate(text):
        w = char_width(ch)
        if size + w > width:
            lines.append(text[offset:i])
            offset, size = i, 0
        size += w
    if size:
        lines.append(text[offset:])
    return lines


def _divide_line(text: str, width: int, fold: bool) -> list[int]:
    """rich._wrap.divide_line: the offsets where rich breaks `text`."""
    breaks: list[int] = []
    offset = 0
    for start, word in _words(text):
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            if not fold:
                raise Unsure(word)  # rich crops the word: not drawn here
            chunks = _chop(word, width)
            for k, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if k == len(chunks) - 1:
                    offset = cell_len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _set_cell_size(text: str, total: int) -> str:
    """rich.cells.set_cell_size."""
    if _single(text):
        size = len(text)
        return text + " " * (total - size) if size < total else text[:total]
    if total <= 0:
        return ""
    size = cell_len(text)
    if size == total:
        return text
    if size < total:
        return text + " " * (total - size)
    left = 0
    for i, ch in enumerate(text):  # rich.cells._split_text, left part
        w = char_width(ch)
        if left == total:
            return text[:i]
        if left + w > total:
            return text[:i] + " "
        left += w
    return text


def _truncate(text: str, width: int, overflow: str, pad: bool = False) -> str:
    """rich.text.Text.truncate (overflow "fold", "crop" or "ellipsis")."""
    length = cell_len(text)
    if length > width:
        if overflow == "ellipsis":
            text = _set_cell_size(text, width - 1) + "…"
        else:
            text = _set_cell_size(text, width)
    if pad and length < width:
        text += " " * (width - length)
    return text


def _wrap(text: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """rich.text.Text.wrap then Lines.justify: the lines of `text` in `width` cells
    (for "left", "right" and "center" padded to `width`; for "default" as they are)."""
    out: list[str] = []
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            offsets = _divide_line(line, width, fold=overflow == "fold")
            bounds = [0, *offsets, len(line)]
            pieces = [line[a:b] for a, b in pairwise(bounds)]
            for k, piece in enumerate(pieces):  # Text.rstrip_end(width): counts characters
                if len(piece) > width:
                    trailing = _trailing(piece)
                    if trailing:
                        cut = min(trailing, len(piece) - width)
                        pieces[k] = piece[:-cut]
        for piece in pieces:
            if justify == "left":
                piece = _truncate(piece, width, overflow, pad=True)
            elif justify == "right":
                piece = _truncate(piece.rstrip(), width, overflow)
                piece = " " * (width - cell_len(piece)) + piece
            elif justify == "center":
                piece = _truncate(piece.rstrip(), width, overflow)
                piece = " " * ((width - cell_len(piece)) // 2) + piece
                piece += " " * (width - cell_len(piece))
            out.append(_truncate(piece, width, overflow))
    return out


def _measure(text: str) -> tuple[int, int]:
    """rich.text.Text.__rich_measure__: the widest word, the widest line."""
    lines = text.splitlines()
    widest = max(cell_len(line) for line in lines) if lines else 0
    words = text.split()
    return (max(cell_len(w) for w in words) if words else widest), widest


def _get(lo: int, hi: int, max_width: int) -> tuple[int, int]:
    """The tail of rich.measure.Measurement.get: normalize, with_maximum, nothing below 1."""
    lo, hi = _normal(lo, hi)
    lo, hi = min(lo, max_width), min(hi, max_width)
    return (0, 0) if hi < 1 else _normal(lo, hi)


def _measure_column(column: Column, cells: list[str], max_width: int) -> tuple[int, int]:
    """rich.table.Table._measure_column (padding 1 + 1, no fixed width) over the header
    and the cells; each cell measured as Measurement.get measures
    rich.padding.Padding(Text) (Padding.__rich_measure__, Text.__rich_measure__)."""
    if max_width < 1:
        return 0, 0
    mins, maxs = [], []
    for text in (column.header, *cells):
        if max_width - 2 < 1:
            lo, hi = max_width, max_width
        else:
            lo, hi = _get(*_measure(text), max_width)
            lo, hi = min(lo + 2, max_width), min(hi + 2, max_width)
        lo, hi = _get(lo, hi, max_width)
        mins.append(lo)
        maxs.append(hi)
    lo, hi = (max(mins) if mins else 1), (max(maxs) if maxs else max_width)
    lo, hi = min(lo, max_width), min(hi, max_width)
    if column.min_width is not None:  # Measurement.clamp
        w = max(0, column.min_width + 2)
        lo, hi = max(lo, w), max(hi, w)
    if column.max_width is not None:
        w = column.max_width + 2
        lo, hi = min(lo, w), min(hi, w)
    return lo, hi


def _normal(lo: int, hi: int) -> tuple[int, int]:
    """rich.measure.Measurement.normalize."""
    lo = min(max(0, lo), hi)
    return max(0, lo), max(0, max(lo, hi))


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich.table.Table._collapse_widths."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            top = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
            second = max(
                w if ok and w != top else 0 for w, ok in zip(widths, wrapable, strict=True)
            )
            difference = top - second
            ratios = [1 if (w == top and ok) else 0 for w, ok in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not difference:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def plan(
    title: str,
    columns: tuple[Column, ...],
    rows: list[tuple[str, ...]],
    width: int,
    after: tuple[str, ...] = (),
) -> list[int] | None:
    """The columns' widths (padding included) rich gives this table on a page `width`
    cells wide, or None where this module is not sure to draw what rich draws. `after`:
    lines printed below the table with `Console.print` (checked, not drawn)."""
    try:
        for text in (title, *(c.header for c in columns), *after):
            cell_len(text)
            if "[" in text or "\\" in text or _emoji_like(text):
                return None
        for row in rows:
            if len(row) != len(columns):
                return None
            for text in row:
                for line in text.split("\n"):  # a cell may hold lines
                    cell_len(line)
                if "\\" in text or _emoji_like(text):
                    return None
        for line in after:
            if cell_len(line) > width:
                return None
        cells = [[row[i] for row in rows] for i in range(len(columns))]
        max_width = width - (2 + len(columns) - 1)  # Table._extra_width: edges, dividers
        # Table._calculate_column_widths (not expanding, no table min_width)
        ranges = [_measure_column(c, cells[i], max_width) for i, c in enumerate(columns)]
        widths = [hi or 1 for _, hi in ranges]
        if sum(widths) > max_width:
            wrapable = [not c.no_wrap for c in columns]
            widths = _collapse(widths, wrapable, max_width)
            if sum(widths) > max_width:
                return None  # rich's last resort (reduce every column): not drawn here
            widths = [
                _measure_column(c, cells[i], w)[1] or 0
                for i, (c, w) in enumerate(zip(columns, widths, strict=True))
            ]
        if min(widths) < 3 or sum(widths) > max_width:
            return None  # rich would crop the table's lines, or draw a sliver of a column
        for i, c in enumerate(columns):  # rich would cut (or fold where it cannot)
            if c.overflow != "fold" and not c.no_wrap:
                return None
            if c.no_wrap:
                for text in (c.header, *cells[i]):
                    if any(cell_len(line) > widths[i] - 2 for line in text.split("\n")):
                        return None
        return widths
    except Unsure:
        return None


def render(
    title: str,
    columns: tuple[Column, ...],
    rows: list[tuple[str, ...]],
    width: int,
    after: tuple[str, ...] = (),
) -> list[str] | None:
    """The lines (without line ends) rich prints for `Table(title=title)` with these
    columns and rows (cells as text, not markup) on a page `width` cells wide, or None
    (see `plan`)."""
    widths = plan(title, columns, rows, width, after)
    if widths is None:
        return None
    try:
        return _draw(title, columns, rows, widths)
    except Unsure:
        return None


def _cell(text: str, column: Column, width: int) -> list[str]:
    """One cell: rich.padding.Padding (0, 1) around the text, each line `width` cells."""
    inner = width - 2
    lines = _wrap(text, inner, column.justify, column.overflow, column.no_wrap)
    return [" " + _set_cell_size(line, inner) + " " for line in lines]


def _draw(
    title: str, columns: tuple[Column, ...], rows: list[tuple[str, ...]], widths: list[int]
) -> list[str]:
    """rich.table.Table.__rich_console__ and _render with box.HEAVY_HEAD, edges shown."""
    table_width = sum(widths) + 2 + len(widths) - 1
    out = _wrap(title, table_width, "center", "fold", False) if title else []
    out.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    for index, row in enumerate([tuple(c.header for c in columns), *rows]):
        cells = [_cell(text, c, w) for text, c, w in zip(row, columns, widths, strict=True)]
        height = max(len(c) for c in cells)
        for k, (c, w) in enumerate(zip(cells, widths, strict=True)):
            blank = [" " * w] * (height - len(c))
            cells[k] = blank + c if index == 0 else c + blank  # header cells: bottom
        edge = "┃" if index == 0 else "│"
        out += [edge + edge.join(c[i] for c in cells) + edge for i in range(height)]
        if index == 0:
            out.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    out.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return out
