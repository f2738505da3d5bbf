"""The Markdown subset the letter templates write: escaping on the way in, blocks out.

The templates see every string of the letter context on one line and, for Markdown,
escaped (`prepare()`); the docx and pdf writers and the plain-text form take the
rendered Markdown split into paragraphs (`blocks()`), each a run of plain and bold text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: A paragraph up to this many characters is a line (not indented), longer ones are prose.
LINE_MAX = 40

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|])")

#: The lines between these two marks (each alone on its line) are set flush right in docx
#: and pdf (the signature block and the date); Markdown and text leave them as they are,
#: and `unmark()` takes the marks out of the Markdown a reader sees. They are HTML
#: comments, so a Markdown viewer shows nothing even if one is left in.
RIGHT_BEGIN = "<!-- right -->"
RIGHT_END = "<!-- /right -->"
_MARKS = (RIGHT_BEGIN, RIGHT_END)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _md_escape(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", value)


def prepare(value: Any, fmt: str) -> Any:
    """Every string of the context on one line, and escaped for markdown."""
    if isinstance(value, str):
        line = _one_line(value)
        return _md_escape(line) if fmt == "md" else line
    if isinstance(value, dict):
        return {k: prepare(v, fmt) for k, v in value.items()}
    if isinstance(value, list):
        return [prepare(v, fmt) for v in value]
    return value


# -- the markdown subset the templates write, as blocks for docx and pdf ------------------


@dataclass(frozen=True)
class Block:
    """One paragraph: title, heading, para (prose), line, item, quote, rule, small (the
    footer) or right (a line set flush right: the signature block and the date)."""

    kind: str
    runs: tuple[tuple[str, bool], ...]  # (text, bold)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


def _runs(text: str) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    bold = False
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            if buf:
                out.append(("".join(buf), bold))
                buf = []
            bold = not bold
            i += 2
            continue
        buf.append(ch)
        i += 1
    if buf:
        out.append(("".join(buf), bold))
    return tuple(out)


def blocks(markdown: str) -> list[Block]:
    """Split the templates' markdown into paragraphs (one per non-blank line)."""
    out: list[Block] = []
    small = right = False
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.strip() in _MARKS:
            right = line.strip() == RIGHT_BEGIN
            continue
        if line.strip() == "---":
            out.append(Block("rule", ()))
            small = True  # what follows the rule is the footer
            continue
        if line.startswith("# "):
            out.append(Block("title", _runs(line[2:])))
        elif line.startswith("## ") or line.startswith("### "):
            out.append(Block("heading", _runs(line.split(" ", 1)[1])))
        elif line.startswith("> "):
            out.append(Block("quote", _runs(line[2:])))
        elif line.startswith("- "):
            out.append(Block("item", _runs(line[2:])))
        elif re.match(r"^\d+\. ", line):
            out.append(Block("item", _runs(line)))
        else:
            runs = _runs(line)
            text = "".join(t for t, _ in runs)
            # Prose is indented two characters; short lines (致：, 此致, 日期：…) are not.
            if right:
                kind = "right"
            elif small:
                kind = "small"
            else:
                kind = "para" if len(text) > LINE_MAX else "line"
            out.append(Block(kind, runs))
    return out


def unmark(markdown: str) -> str:
    """The Markdown without the layout marks (`RIGHT_BEGIN`, `RIGHT_END`) and the blank
    lines they leave."""
    kept = [line for line in markdown.splitlines() if line.strip() not in _MARKS]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"


def without_footer(markdown: str) -> str:
    """The letter without the tool's footer: the last rule (`---`) and what follows it."""
    lines = markdown.splitlines()
    rules = [i for i, line in enumerate(lines) if line.strip() == "---"]
    if not rules:
        return markdown
    return "\n".join(lines[: rules[-1]]).rstrip() + "\n"


def plain_text(markdown: str) -> str:
    """The same letter without markup, for pasting into web forms and e-mails."""
    lines: list[str] = []
    prev = ""
    for b in blocks(markdown):
        if b.kind == "rule":
            text = "—" * 24
        elif b.kind == "quote":
            text = "    " + b.text
        else:
            text = b.text
        if lines and not (b.kind == "item" and prev == "item"):
            lines.append("")
        lines.append(text)
        prev = b.kind
    return "\n".join(lines) + "\n"
