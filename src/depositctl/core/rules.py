"""The rule table: deadline periods and legal citations, loaded from package data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from depositctl.core.recordtype import field, fields_of, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@record()
class Rule:
    """One row of the rule table (data/rules.toml)."""

    id: str
    law: str | None = None
    article: str | None = None
    source: str | None = None
    days: int | None = None
    workdays: int | None = None
    years: int | None = None
    #: An amount in yuan (a court fee).
    yuan: int | None = None
    zh: str = ""
    en: str = ""

    @property
    def citation(self) -> str | None:
        """`《…》第二十条`, or None for depositctl's own defaults."""
        if not self.law:
            return None
        law = self.law.split("（", 1)[0]
        return f"{law}{self.article or ''}"


@record()
class Rules:
    """The rule table."""

    checked_on: date
    limitation_warning_days: int = 180
    sources: dict[str, str] = field(default_factory=dict)
    rules: dict[str, Rule]
    channels: dict[str, str] = field(default_factory=dict)
    letters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def default_grace_days(self) -> int:
        """The grace period where the contract sets no refund time limit (rule 4)."""
        return self.rules["default_grace"].days or 0

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def follow_up_rule(self, channel: str, outcome: str | None) -> Rule:
        key = f"{channel}.{outcome}" if outcome else channel
        rule_id = self.channels.get(key) or self.channels.get(channel) or "default_follow_up"
        return self.rules[rule_id]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rules:
        """The rule table from rules.toml (ours, so checked plainly: every key known,
        every value of its type; a mistake is a ValueError naming it)."""
        raw = dict(data)
        if isinstance(raw.get("checked_on"), str):
            raw["checked_on"] = date.fromisoformat(raw["checked_on"])
        _check(raw, _RULES_TYPES, "rules.toml")
        table = {}
        for k, v in raw.get("rules", {}).items():
            _check(v, _RULE_TYPES, f"rules.{k}")
            table[k] = Rule(id=k, **v)
        raw["rules"] = table
        for name in ("sources", "channels"):
            for k, v in raw.get(name, {}).items():
                if not isinstance(v, str):
                    raise ValueError(f"rules.toml: {name}.{k} must be text")
        for k, v in raw.get("letters", {}).items():
            if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                raise ValueError(f"rules.toml: letters.{k} must be a list of texts")
        return cls(**raw)


_RULE_TYPES: dict[str, tuple[type, ...]] = {
    f.name: (int,) if f.type == "int | None" else (str,) for f in fields_of(Rule) if f.name != "id"
}
_RULES_TYPES: dict[str, tuple[type, ...]] = {
    "checked_on": (date,),
    "limitation_warning_days": (int,),
    "sources": (dict,),
    "rules": (dict,),
    "channels": (dict,),
    "letters": (dict,),
}


def _check(values: Any, types: Mapping[str, tuple[type, ...]], where: str) -> None:
    """`values` is a table whose keys are in `types`, each value of its type (None is
    no value: a key left out)."""
    if not isinstance(values, Mapping):
        raise ValueError(f"{where} must be a table")
    for k, v in values.items():
        if k not in types:
            raise ValueError(f"{where}: unknown key {k!r}")
        if isinstance(v, bool) or not isinstance(v, types[k]):
            raise ValueError(f"{where}.{k}: {v!r} is not a {types[k][0].__name__}")
