"""The complainant named in every letter, and the grace-days setting beside it."""

from __future__ import annotations

from dataclasses import dataclass

from depositctl.core.models import Profile, ProfileChanges
from depositctl.ops.env import Env, opened


def save_profile(env: Env, changes: ProfileChanges, grace_days: int | None = None) -> None:
    """`profile set`: the fields `changes` was given and, if given, the days allowed for a
    refund where the contract sets no limit; one transaction."""
    with opened(env) as led, led.atomic():
        if changes.model_fields_set:
            led.set_profile(changes)
        if grace_days is not None:
            led.set_setting("grace_days", str(grace_days))


@dataclass(frozen=True)
class ProfileView:
    profile: Profile
    grace_days: int | None  # None when never set (the rule table's default applies)


def read_profile(env: Env) -> ProfileView:
    """`profile show`."""
    with opened(env) as led:
        grace = led.setting("grace_days")
        return ProfileView(led.profile(), int(grace) if grace else None)
