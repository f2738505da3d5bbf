"""Providers for people (labelled lines) and as JSON (English keys)."""

from __future__ import annotations

from typing import Any

from depositctl.core.respondents import KIND_LABELS, Provider
from depositctl.i18n import _


def provider_item(p: Provider) -> dict[str, Any]:
    """`provider show --json` (and each item of `provider list --json`)."""
    return {
        "name": p.name,
        "kind": p.kind,
        "credit_code": p.credit_code,
        "address": p.address,
        "licence": p.licence,
        "hotline": p.hotline,
        "email": p.email,
        "aliases": list(p.aliases),
    }


def provider_lines(p: Provider) -> list[str]:
    """`provider show`: one labelled line per field, `-` where nothing is recorded."""
    rows = (
        (_("Legal name"), p.name),
        (_("Kind"), _(KIND_LABELS[p.kind])),
        (_("Credit code"), p.credit_code),
        (_("Address"), p.address),
        (_("Licence number"), p.licence),
        (_("Hotline"), p.hotline),
        (_("Email"), p.email),
        (_("Aliases"), ", ".join(p.aliases)),
    )
    return [f"{label}: {value or '-'}" for label, value in rows]


def provider_listing(providers: list[Provider]) -> list[str]:
    """`provider list`: one line each (name, kind, credit code, aliases)."""
    if not providers:
        return [_("No providers recorded (add one with: depositctl provider set NAME)")]
    lines = []
    for p in providers:
        parts = [p.name, _(KIND_LABELS[p.kind]), p.credit_code or "-"]
        if p.aliases:
            parts.append(_("aliases: {aliases}").format(aliases=", ".join(p.aliases)))
        lines.append("  ".join(parts))
    return lines
