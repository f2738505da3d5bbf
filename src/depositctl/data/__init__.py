"""Package data: the rule table, the example ledger, letter templates."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from depositctl.core.rules import Rules


@cache
def rules() -> Rules:
    text = resources.files(__package__).joinpath("rules.toml").read_text(encoding="utf-8")
    return Rules.from_mapping(tomllib.loads(text))


def path(*parts: str) -> Path:
    """A file shipped in this package (the demo's examples, templates)."""
    return Path(str(resources.files(__package__).joinpath(*parts)))
