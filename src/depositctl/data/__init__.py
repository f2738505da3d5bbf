"""Package data: the rule table, the example ledger, letter templates."""

from __future__ import annotations

import os
from functools import cache

from depositctl.core.rules import Rules

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

#: The rule table as `tomllib` reads data/rules.toml, stored as JSON with the BLAKE2b of
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

        with open(file("rules.toml"), encoding="utf-8") as f:
            table = tomllib.loads(f.read())
    return Rules.from_mapping(table)


def _prebuilt() -> dict[str, object] | None:
    """The table of data/rules.json, None unless it was made from data/rules.toml as it is."""
    stored = _made_from(PREBUILT, "toml_blake2b", rules_digest().hex())
    table = stored.get("table") if stored is not None else None
    return table if isinstance(table, dict) else None


@cache
def rules_digest() -> bytes:
    """The BLAKE2b of data/rules.toml (`core.digest`): what data/rules.json must have been
    made from, and part of the derived cache's key (the same for the whole run)."""
    from depositctl.core.digest import blake2b

    return blake2b(_read("rules.toml")).digest()


def _made_from(name: str, key: str, digest: str) -> dict[str, Any] | None:
    """The JSON object of the package file `name`, None unless its `key` is `digest` (the
    BLAKE2b of what it was made from) or it cannot be read."""
    from depositctl.core.jsontext import loads

    try:
        stored = loads(_read(name).decode())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get(key) != digest:
        return None
    return stored


def prebuilt_text() -> str:
    """What data/rules.json holds for data/rules.toml as it is (`make rules-json`)."""
    import hashlib
    import json
    import tomllib

    source = hashlib.blake2b(path("rules.toml").read_bytes()).hexdigest()
    table = tomllib.loads(path("rules.toml").read_text(encoding="utf-8"))
    text = json.dumps({"toml_blake2b": source, "table": table}, ensure_ascii=False, indent=1)
    if json.loads(text)["table"] != table:  # a TOML date or a float would not come back
        raise ValueError("rules.toml holds a value JSON does not keep as it is")
    return text + "\n"


#: The `chinesecalendar` package's working days as a table, with the BLAKE2b of the
#: package's modules it was made from (`make workdays-json`; store/calendar.py
#: `package_lookup`, which uses it only while that matches the package installed).
WORKDAYS = "workdays.json"


def workdays_table(package_digest: str) -> dict[str, Any] | None:
    """data/workdays.json's table, None unless made from the package whose modules have
    `package_digest` (`store.calendar.package_calendar_digest`), or not of the shape
    `store.calendar.prebuilt_workdays_text` writes."""
    stored = _made_from(WORKDAYS, "package_blake2b", package_digest)
    if stored is None:
        return None
    years = (stored.get("first_year"), stored.get("last_year"))
    days = (stored.get("on"), stored.get("off"))
    if not all(type(y) is int for y in years):
        return None
    if not all(isinstance(d, list) and all(type(x) is str for x in d) for d in days):
        return None
    return stored


def path(*parts: str) -> Path:
    """A file shipped in this package (the demo's examples, templates). The package is
    installed as files (never zipped), so this is its folder; importlib.resources would
    cost `status` a tenth of its time on the benchmark machine."""
    from pathlib import Path

    return Path(file(*parts))


def file(*parts: str) -> str:
    """`path` as text: what `status` reads (`pathlib` cost a 5-case `status` ~7 ms, with
    `urllib.parse` and `ipaddress`: issue 12)."""
    return os.path.join(_HERE, *parts)


_HERE = os.path.dirname(__file__)


def _read(name: str) -> bytes:
    with open(file(name), "rb") as f:
        return f.read()
