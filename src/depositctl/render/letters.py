"""Complaint letters: one case, arranged for one recipient, in Chinese, in each format.

`letter_context()` (render/letter_context.py) arranges the facts; the recipient's Jinja2
template in `depositctl/data/templates/` words them as Markdown; `md` is that Markdown,
`txt` its plain form, and the docx and pdf writers take it split into blocks
(render/markup.py). What a letter lacks is checked in core (core/letter_checks.py).

The letter body is always Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from depositctl.core.caseview import CaseView
from depositctl.core.errors import N_
from depositctl.core.letter_checks import LetterOptions, Notice, Respondents
from depositctl.core.models import Profile
from depositctl.core.rules import Rules
from depositctl.core.vocab import RECIPIENT, TEXT_FORMATS
from depositctl.core.workdays import WorkdayCalendar
from depositctl.render.letter_context import letter_context
from depositctl.render.markup import blocks, plain_text, prepare, unmark, without_footer
from depositctl.render.recipient_context import (
    RecipientOptions,
    add_recipient_context,
    recipient_warnings,
)


def render_markdown(context: dict[str, Any]) -> str:
    """The letter as markdown, from the recipient's Jinja2 template in the package."""
    from depositctl.render.templates import environment

    env = environment()
    prepared = prepare(context, "md")
    text = env.get_template(f"{context['recipient']}.md.j2").render(**prepared)
    # Templates may leave runs of blank lines where optional parts are missing.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_text(context: dict[str, Any], fmt: str, footer: bool = True) -> str:
    """`md` or `txt`: the letter as text (without the tool's footer if not `footer`)."""
    markdown = render_markdown(context)
    if not footer:
        markdown = without_footer(markdown)
    return unmark(markdown) if fmt == "md" else plain_text(markdown)


def letter_files(
    view: CaseView,
    profile: Profile,
    rules: Rules,
    calendar: WorkdayCalendar,
    recipient: str,
    formats: tuple[str, ...],
    font_file: Path | None = None,
    respondents: Respondents | None = None,
    options: LetterOptions | None = None,
    recipient_options: RecipientOptions | None = None,
    footer: bool = True,
) -> tuple[dict[str, bytes], list[Notice]]:
    """The letter in each of `formats`, from one context and one Markdown rendering."""
    context = letter_context(view, profile, rules, calendar, recipient, respondents, options)
    context = add_recipient_context(
        context, view, profile, rules, recipient, respondents, recipient_options
    )
    files: dict[str, bytes] = {}
    # What the letter lacks first, then how it was made (a PDF without an embedded font).
    notices = recipient_warnings(view, profile, rules, recipient, context, recipient_options)
    parts = None
    title, author = RECIPIENT[recipient].title, profile.name or "depositctl"
    for fmt in formats:
        if fmt in TEXT_FORMATS:
            files[fmt] = render_text(context, fmt, footer).encode("utf-8")
            continue
        if parts is None:
            markdown = render_markdown(context)
            parts = blocks(markdown if footer else without_footer(markdown))
        # docx names the font family the pdf embeds: one family in both.
        from depositctl.render.pdf_writer import FALLBACK_CID_FONT, choose_font, pdf_bytes

        font = choose_font(font_file)
        if fmt == "docx":
            from depositctl.render.docx_writer import docx_bytes

            files[fmt] = docx_bytes(
                parts, title=title, author=author, today=view.today, family=font.family
            )
            continue
        if not font.embedded:
            notices.append(
                Notice(
                    "font_fallback",
                    N_(
                        "no Chinese TrueType font found, so the PDF uses {font}, which is not "
                        "embedded: a reader without Chinese fonts shows empty boxes. Install one "
                        "(e.g. fonts-wqy-microhei) or give --font FILE"
                    ),
                    {"font": FALLBACK_CID_FONT},
                )
            )
        files[fmt] = pdf_bytes(parts, font, title=title, author=author, today=view.today)
    return files, notices
