"""Package data: the rule table, the example ledger, letter templates."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from depositctl.core.rules import Rules

#: The rule table as `tomllib` reads data/rules.toml, stored as JSON with the SHA-256 of
#: the TOML it was made from (`make rules-json` writes it; tests/test_rules.py checks it is
#: fresh). A 5-case `status` reads this instead of parsing the TOML: `tomllib` (and the
#: `typing` it imports) and the parse cost it a twelfth of its time (issue 12). A file
#: that does not match the TOML's bytes is ignored: the TOML is the rule table.
PREBUILT = "rules.json"


@cache
def rules() -> Rules:
    table = _prebuilt()
    if table is None:
        import tomllib

        table = tomllib.loads(path("rules.toml").read_text(encoding="utf-8"))
    return Rules.from_mapping(table)


def _prebuilt() -> dict[str, object] | None:
    """The table of data/rules.json, None unless it was made from data/rules.toml as it is."""
    import hashlib
    import json

    try:
        stored = json.loads(path(PREBUILT).read_bytes())
    except (OSError, ValueError):
        return None
    source = hashlib.sha256(path("rules.toml").read_bytes()).hexdigest()
    if not isinstance(stored, dict) or stored.get("toml_sha256") != source:
        return None
    table = stored.get("table")
    return table if isinstance(table, dict) else None


def prebuilt_text() -> str:
    """What data/rules.json holds for data/rules.toml as it is (`make rules-json`)."""
    import hashlib
    import json
    import tomllib

    source = hashlib.sha256(path("rules.toml").read_bytes()).hexdigest()
    table = tomllib.loads(path("rules.toml").read_text(encoding="utf-8"))
    text = json.dumps({"toml_sha256": source, "table": table}, ensure_ascii=False, indent=1)
    if json.loads(text)["table"] != table:  # a TOML date or a float would not come back
        raise ValueError("rules.toml holds a value JSON does not keep as it is")
    return text + "\n"


def path(*parts: str) -> Path:
    """A file shipped in this package (the demo's examples, templates). The package is
    installed as files (never zipped), so this is its folder; importlib.resources would
    cost `status` a tenth of its time on the benchmark machine."""
    return Path(__file__).parent.joinpath(*parts)
