"""The letter templates' Jinja2 environment: one per process, so each template is
compiled once however many letters a command writes (`bundle --all`, the tests), not
once per letter (compiling them is most of a letter's cost)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


@cache
def environment(*, keep_trailing_newline: bool = True) -> jinja2.Environment:
    """The environment of the package's templates (text, not HTML: no autoescape; a
    missing value is an error, never an empty string)."""
    import jinja2

    from depositctl import data

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data.path("templates"))),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
