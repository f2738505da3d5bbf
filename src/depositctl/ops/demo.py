"""`demo`: the example ledger loaded into a throwaway folder, its status and a letter."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from depositctl.ops.channels import Channels
from depositctl.ops.env import Env
from depositctl.ops.views import StatusListing


@dataclass(frozen=True)
class Demo:
    """What `demo` shows: where the example came from, the day it is computed for, the
    status listing, the channels of the most urgent case and, when it is overdue, its
    consumer-association letter as Markdown."""

    example: Path
    today: date
    listing: StatusListing
    channels: Channels | None = None
    letter_case_id: int | None = None
    letter_md: str | None = None


def demo(env: Env, *, today_given: bool) -> Demo:
    """Load the example ledger into a temporary folder (deleted again) and read it as of
    `env.today` when `--today` was given, else as of the day the example file names."""
    from depositctl import data
    from depositctl.core.models import State
    from depositctl.core.vocab import DEFAULT_CAPACITY
    from depositctl.ops.views import listing
    from depositctl.store.calendar import make_evaluator
    from depositctl.store.casefile import file_today, load_casefile, read_casefile
    from depositctl.store.ledger import open_ledger

    example = data.path("examples", "demo-ledger.toml")
    content = read_casefile(example)
    today = env.today if today_given else (file_today(content) or env.today)
    with (
        tempfile.TemporaryDirectory(prefix="depositctl-demo-") as tmp,
        open_ledger(Path(tmp) / "ledger.db") as led,
    ):
        load_casefile(led, content, example.parent, today)
        ev = make_evaluator(led, today)
        s = listing(led, ev, limit=50)
        if not s.shown:
            return Demo(example, today, s)
        first = ev(led.facts(s.shown[0].id))
        routes = Channels(first, ev.capacity or DEFAULT_CAPACITY, ev.channels(first))
        if first.state is not State.OVERDUE:  # overdue ones come first
            return Demo(example, today, s, routes)
        from depositctl.core.letter_checks import respondents_for
        from depositctl.render.letter_context import letter_context
        from depositctl.render.letters import render_text
        from depositctl.store.providers import load_providers

        respondents = respondents_for(first.facts.case, load_providers(led))
        context = letter_context(
            first, led.profile(), ev.rules, ev.calendar, "consumer-association", respondents
        )
        letter = render_text(context, "md").rstrip("\n")
        return Demo(example, today, s, routes, first.id, letter)
