"""The rule table: deadline periods and legal citations, loaded from package data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import Field

from depositctl.core.models import Frozen


class Rule(Frozen):
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


class Rules(Frozen):
    checked_on: date
    limitation_warning_days: int = 180
    sources: dict[str, str] = Field(default_factory=dict)
    rules: dict[str, Rule]
    channels: dict[str, str] = Field(default_factory=dict)
    letters: dict[str, list[str]] = Field(default_factory=dict)

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
        raw = dict(data)
        raw["rules"] = {k: {"id": k, **v} for k, v in raw.get("rules", {}).items()}
        return cls.model_validate(raw)
