"""Respondents: `provider set/show/list`, and resolving what `add --provider` was given."""

from __future__ import annotations

from dataclasses import dataclass

from depositctl.core.errors import N_, NotFound
from depositctl.core.respondents import (
    BrandWarning,
    Provider,
    ProviderUpdate,
    apply_update,
    name_key,
    provider_warning,
)
from depositctl.core.respondents import resolve_provider as resolve_name
from depositctl.ops.env import Env, opened
from depositctl.store.ledger import Ledger
from depositctl.store.providers import load_providers, save_provider


@dataclass(frozen=True)
class Resolution:
    """What `add --provider TEXT` stores: the legal name; whether TEXT was an alias; the
    recorded provider, if any; the brand-name warning to print, if any."""

    name: str
    from_alias: bool
    provider: Provider | None
    warning: BrandWarning | None


def set_provider(env: Env, update: ProviderUpdate) -> Provider:
    """Record or change a provider, checked against all the others, in one transaction."""
    with opened(env) as led, led.atomic():
        new = apply_update(load_providers(led), update)
        save_provider(led, new)
        return new


def show_provider(env: Env, name: str) -> Provider:
    """One provider, by legal name or alias."""
    with opened(env) as led:
        return find_provider(led, name)


def list_providers(env: Env) -> list[Provider]:
    with opened(env) as led:
        return load_providers(led)


def resolve_provider(env: Env, text: str) -> Resolution:
    with opened(env) as led:
        return resolve_in(led, text)


def resolve_in(led: Ledger, text: str) -> Resolution:
    """`resolve_provider` on a ledger already open (for an op that also writes, such as
    `add`, inside its own transaction)."""
    providers = load_providers(led)
    name, from_alias = resolve_name(text, providers)
    return Resolution(
        name=name,
        from_alias=from_alias,
        provider=next((p for p in providers if p.name == name), None),
        warning=provider_warning(text, providers),
    )


def find_provider(led: Ledger, text: str) -> Provider:
    providers = load_providers(led)
    name, _alias = resolve_name(text, providers)
    for p in providers:
        if name_key(p.name) == name_key(name):
            return p
    raise NotFound(
        N_("No provider {name} in this ledger (record it with: depositctl provider set '{name}')"),
        name=text,
    )
