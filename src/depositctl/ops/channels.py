"""`channels ID`: which route fits this merchant now, one verdict per channel."""

from __future__ import annotations

from dataclasses import dataclass

from depositctl.core.caseview import CaseView
from depositctl.core.channels import ChannelVerdict
from depositctl.core.vocab import DEFAULT_CAPACITY
from depositctl.ops.env import Env, evaluator, opened


@dataclass(frozen=True)
class Channels:
    """A case as of `today`, the merchant's capacity and every route's verdict."""

    view: CaseView
    capacity: str
    verdicts: tuple[ChannelVerdict, ...]


def channels(env: Env, case_id: int) -> Channels:
    """The verdicts of core/channels for one case (an unknown case raises NotFound)."""
    with opened(env) as led:
        ev = evaluator(env, led)
        view = ev(led.facts(case_id))
        return Channels(view, ev.capacity or DEFAULT_CAPACITY, ev.channels(view))
