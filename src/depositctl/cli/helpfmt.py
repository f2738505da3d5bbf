"""`--help` in the chosen language: Click's headings, metavars and bracketed notes.

Typer vendors Click without its gettext calls ("Usage: " and "Show this message and
exit." are literals; "Options", "required", "env var: …" go through the stdlib's default
gettext domain, which follows the locale, not `--lang`). The supported hook is Click's
`Context.formatter_class`: every command of the app gets a context whose formatter words
the usage line, the section headings, the type placeholders (`<str>` → `<文本>`) and the
notes in brackets (`[required]` → `[必填]`) in the current language, at the time help is
printed (the tests build both languages in one process).

What stays as typed: command and option names, the values a choice accepts (`phone`,
`first-swipe`: they are what the user types), `ID`, and environment variable names.
"""

from __future__ import annotations

import re
from typing import Any

import typer

from depositctl.core.errors import N_
from depositctl.i18n import _

#: Click's section headings.
HEADINGS = {
    "Options": N_("Options"),
    "Arguments": N_("Arguments"),
    "Commands": N_("Commands"),
}

#: Help texts Click writes itself.
HELP_TEXTS = {"Show this message and exit.": N_("Show this message and exit.")}

#: Typer's type placeholders (`<str>`), by the bare type name inside the brackets.
TYPE_NAMES = {
    "str": N_("text"),
    "path": N_("path"),
    "Path": N_("path"),
    "int": N_("number"),
    "int range": N_("number"),
    "float": N_("number"),
}

#: Argument names (`metavar=` in the commands) and the words of the usage line. `ID` is
#: kept: it is what `status` prints in its first column.
METAVARS = {
    "OPTIONS": N_("OPTIONS"),
    "COMMAND": N_("COMMAND"),
    "ARGS": N_("ARGS"),
    "FILE": N_("FILE"),
    "NAME": N_("NAME"),
    "LABEL": N_("LABEL"),
    "PATH": N_("PATH"),
}

_PLACEHOLDER = re.compile(r"<(list\[)?([^<>\[\]]+)\]?>")
_NOTE = re.compile(r"(?:^|(?<=  ))\[([^\[\]]+)\]$")
_RANGE = re.compile(r"^(-?[\d.]+)<=x<=(-?[\d.]+)$")
_METAVAR = re.compile(r"\b[A-Z]{2,}\b")


def type_name(match: re.Match[str]) -> str:
    """`<list[Path]>` → `<路径>` (a repeatable option says so in its help)."""
    name = TYPE_NAMES.get(match.group(2))
    return f"<{_(name)}>" if name else match.group(0)


def metavar_name(name: str) -> str:
    """An argument's name (`PATH`) in the current language; `ID` and option names stay."""
    word = METAVARS.get(name)
    return _(word) if word else name


def metavar(match: re.Match[str]) -> str:
    return metavar_name(match.group(0))


def note(text: str) -> str | None:
    """One part of Typer's `[default: 7; required]` in words; None if not one we know."""
    if text == "required":
        return _("required")
    for prefix, template in (
        ("env var: ", N_("env var: {var}")),
        ("default: ", N_("default: {default}")),
    ):
        if text.startswith(prefix):
            value = text.removeprefix(prefix)
            return _(template).format(var=value, default=value)
    m = _RANGE.match(text)
    if m:
        return _("{low} to {high}").format(low=m.group(1), high=m.group(2))
    return None


def help_text(text: str) -> str:
    """An option's help with Click's own words translated."""
    if text in HELP_TEXTS:
        return _(HELP_TEXTS[text])
    m = _NOTE.search(text)
    if m:
        parts = [note(p) for p in m.group(1).split("; ")]
        if all(p is not None for p in parts):
            text = text[: m.start()] + "[" + _("; ").join(p for p in parts if p) + "]"
    return text


def usage_args(args: str) -> str:
    """The usage line's arguments: `{ID}` → `ID`, `[[ID]]` → `[ID]`, `{FILE...}...` →
    `FILE...`, the capitalised words translated."""
    args = re.sub(r"\{([^{}]+)\}(\.\.\.)?", r"\1", args)
    args = re.sub(r"\[\[([^\[\]]+)\]\]", r"[\1]", args)
    return _METAVAR.sub(metavar, args)


#: A character of CJK text: a line may break before or after it.
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\uf900-\ufaff"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
#: Closing punctuation a line must not start with (the Chinese line-breaking rule).
_NO_LINE_START = set("，。、；：！？）》」』】〕”’…—,.;:!?)")


def cells(text: str) -> int:
    """Columns `text` takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns: breaks at spaces and between CJK
    characters, never inside a word such as an option or a command (`--condition-days`,
    `provider-complaint`), never before closing punctuation."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            space = bool(line)
            continue
        sep = " " if space else ""
        w = cells(token)
        if line and used + len(sep) + w > width and token[0] not in _NO_LINE_START:
            lines.append(line)
            line, used = token, w
        else:
            line, used = line + sep + token, used + len(sep) + w
        space = False
    if line:
        lines.append(line)
    return lines


def paragraphs(text: str) -> list[tuple[bool, str]]:
    """(kept as typed, text) for each paragraph; Click's `\\b` line keeps one as typed."""
    out = []
    for par in re.split(r"\n\s*\n", text.strip("\n")):
        if par.lstrip(" ").startswith("\b"):
            out.append((True, par.lstrip(" ")[1:].lstrip("\n")))
        else:
            out.append((False, par))
    return out


class Formatter(typer.Context.formatter_class):  # type: ignore[valid-type,misc]
    """Click's formatter, with its own words in the current language and lines wrapped
    by terminal columns (a Chinese character takes two) without breaking a word."""

    width: int
    current_indent: int

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        blocks = []
        for raw, par in paragraphs(text):
            lines = par.splitlines() if raw else wrap(par, self.width - self.current_indent)
            blocks.append("".join(f"{indent}{line}\n" for line in lines))
        self.write("\n".join(blocks))

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, usage_args(args), _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        word = HEADINGS.get(heading)
        title = _("{heading}:").format(heading=_(word) if word else heading)
        self.write(f"{'':>{self.current_indent}}{title}\n")

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        col_max, spacing = kwargs.get("col_max", 30), kwargs.get("col_spacing", 2)
        rows = [
            (_METAVAR.sub(metavar, _PLACEHOLDER.sub(type_name, name)), help_text(text))
            for name, text in rows
        ]
        first = min(max((cells(name) for name, _text in rows), default=0), col_max) + spacing
        indent = " " * self.current_indent
        for name, text in rows:
            self.write(indent + name)
            lines = wrap(text, max(self.width - self.current_indent - first - 2, 10))
            if not lines:
                self.write("\n")
                continue
            if cells(name) <= first - spacing:
                self.write(" " * (first - cells(name)))
            else:
                self.write("\n" + indent + " " * first)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(indent + " " * first + line + "\n")


class Context(typer.Context):
    formatter_class = Formatter


def localize(command: Any) -> None:
    """Give `command` and every command below it the translating help formatter."""
    command.context_class = Context
    for sub in getattr(command, "commands", {}).values():
        localize(sub)
