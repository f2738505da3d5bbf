"""One place that turns every failure into one translated line and a non-zero exit."""

from __future__ import annotations

import re
import sqlite3
import sys
import unicodedata
from typing import Any

import typer
from typer.core import TyperGroup

from depositctl.cli.helpfmt import Context, localize, metavar_name
from depositctl.core.errors import N_, UserError
from depositctl.i18n import _

#: Parameters whose values are words from our own catalog (translated with the message).
TRANSLATED_PARAMS = ("what", "field")


def message(exc: UserError) -> str:
    """The error in the chosen language, with an error it wraps translated too."""

    from depositctl.render.text import value_params

    def param(key: str, value: Any) -> Any:
        if isinstance(value, UserError):
            return message(value)
        return _(value) if key in TRANSLATED_PARAMS and isinstance(value, str) else value

    params = value_params(exc.params)  # a stored value (state, recipient) by its name
    return _(exc.template).format(**{k: param(k, v) for k, v in params.items()})


def one_line(text: str) -> str:
    """Echo what the user typed safely: control and format characters (bidi controls,
    zero-width ones) and line breaks escaped."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in text
    )


class Interrupted(Exception):
    """Ctrl-C while the options were read or a command ran (not at a question:
    `prompts.Cancelled`), carried past Typer, which makes a KeyboardInterrupt a silent
    exit 130 (`typer.core._main`: `Exit(130)`, returned as the exit code when not
    standalone), to `translate`."""


def report(text: str, code: int) -> typer.Exit:
    sys.stderr.write(_("Error: {message}").format(message=one_line(text)) + "\n")
    return typer.Exit(code)


def translate(exc: BaseException) -> typer.Exit | None:
    """The one line and exit code for a failure a command let through (None: not ours).

    Called once, by `DepositGroup.main`, for every command: a command cannot leak a
    traceback by forgetting a decorator.
    """
    if isinstance(exc, UserError):
        return report(message(exc), exc.exit_code)
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in str(exc) or "busy" in str(exc):
            return report(_("The ledger is busy in another depositctl; try again."), 5)
        return report(_("The ledger could not be used: {reason}").format(reason=exc), 4)
    if isinstance(exc, sqlite3.DatabaseError):
        return report(
            _("The ledger is damaged or not a depositctl ledger: {reason}").format(reason=exc), 4
        )
    if isinstance(exc, UnicodeEncodeError):  # a value with bytes that are not UTF-8 (surrogates)
        return report(
            _("Some text given is not valid UTF-8; set the terminal to UTF-8 and try again."), 2
        )
    if isinstance(exc, KeyboardInterrupt | Interrupted):
        return report(_("Interrupted; nothing was half-written."), 130)
    if isinstance(exc, BrokenPipeError):
        return typer.Exit(0)
    return None


#: Click's usage errors, re-worded per language: (pattern of Click's English, our template).
USAGE_PATTERNS = (
    (re.compile(r"Missing option '(?P<name>[^']+)'"), N_("Missing option {name}")),
    (re.compile(r"Missing argument '(?P<name>[^']+)'"), N_("Missing argument {name}")),
    (re.compile(r"No such option: (?P<name>\S+)"), N_("No such option: {name}")),
    (re.compile(r"No such command '(?P<name>[^']+)'"), N_("No such command: {name}")),
    (
        re.compile(r"Option '(?P<name>[^']+)' requires an argument"),
        N_("Option {name} needs a value"),
    ),
    (
        re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<name>.*)\)"),
        N_("Unexpected extra argument: {name}"),
    ),
    (
        re.compile(r"Option '(?P<name>[^']+)' does not take a value"),
        N_("Option {name} takes no value"),
    ),
    (re.compile(r"Invalid value for '(?P<name>[^']+)'"), N_("Invalid value for {name}")),
)

#: What Typer says is wrong with a value (after "Invalid value for '--days': ").
DETAIL_PATTERNS = (
    (re.compile(r"Input should be a valid integer"), N_("a whole number is expected")),
    (re.compile(r"less than or equal to (?P<n>\S+)"), N_("at most {n}")),
    (re.compile(r"greater than or equal to (?P<n>\S+)"), N_("at least {n}")),
)


def _detail(text: str) -> str | None:
    for pattern, template in DETAIL_PATTERNS:
        m = pattern.search(text)
        if m:
            return _(template).format(**m.groupdict())
    return None


def usage_message(text: str, command_path: str | None) -> str:
    """One translated line for a Click usage error, with where to find help."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    for pattern, template in USAGE_PATTERNS:
        m = pattern.search(line)
        if m:
            name = metavar_name(m.group("name"))
            rest = _detail(line[m.end() :])
            line = _(template).format(name=name)
            if rest:
                line = _("{message}: {detail}").format(message=line, detail=rest)
            break
    if command_path:
        line += " " + _("(see {command} --help)").format(command=command_path)
    return line


class DepositGroup(TyperGroup):
    """The root command: usage errors become one translated line on stderr; help (of
    every command below it too) in the chosen language."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize(self)

    # Ctrl-C while the options are read (Typer imports pydantic then) or the command runs:
    # carried past Typer, which would exit 130 without a word.
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as exc:
            raise Interrupted from exc

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise Interrupted from exc

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            try:
                rv = super().main(*args, **kwargs)
            except typer.Abort as exc:
                # Click turns Ctrl-C into Abort (end of input at a prompt too).
                cause = exc.__cause__ or exc.__context__
                if not isinstance(cause, KeyboardInterrupt):
                    raise
                failure: BaseException = cause
            except (Exception, KeyboardInterrupt) as exc:
                failure = exc
            else:
                sys.exit(rv if isinstance(rv, int) else 0)
            handled = translate(failure)
            if handled is None:
                raise failure
            sys.exit(handled.exit_code)
        except typer.Abort:
            sys.stderr.write(_("Aborted.") + "\n")
            sys.exit(1)
        except typer.TyperException as exc:  # Click's ClickException/UsageError
            ctx = getattr(exc, "ctx", None)
            no_command = type(exc).__name__ == "NoArgsIsHelpError" or "Missing command" in str(exc)
            if no_command and ctx is not None:
                sys.stdout.write(ctx.get_help() + "\n")
                sys.exit(0)
            path = ctx.command_path if ctx is not None else None
            fmt = getattr(exc, "format_message", None)
            text = fmt() if callable(fmt) else str(exc)
            line = one_line(usage_message(text, path))
            sys.stderr.write(_("Error: {message}").format(message=line) + "\n")
            sys.exit(int(getattr(exc, "exit_code", 2)))
