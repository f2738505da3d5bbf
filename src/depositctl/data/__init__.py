"""Package data: the rule table, the example ledger, letter templates."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from depositctl.core.rules import Rules


@cache
def rules() -> Rules:
    text = path("rules.toml").read_text(encoding="utf-8")
    return Rules.from_mapping(tomllib.loads(text))


def path(*parts: str) -> Path:
    """A file shipped in this package (the demo's examples, templates). The package is
    installed as files (never zipped), so this is its folder; importlib.resources would
    cost `status` a tenth of its time on the benchmark machine."""
    return Path(__file__).parent.joinpath(*parts)
