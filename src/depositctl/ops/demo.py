"""`demo`: the example ledger loaded into a throwaway folder, its status and a letter."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from depositctl.core.caseview import CaseView
from depositctl.ops.channels import Channels
from depositctl.ops.env import Env
from depositctl.ops.views import StatusListing


@dataclass(frozen=True)
class Demo:
    """What `demo` shows: where the example came from, the day it is computed for, the
    status listing, the channels of the most urgent case and, when it is overdue, the
    letter of its next step as Markdown."""

    example: Path
    today: date
    listing: StatusListing[CaseView]
    channels: Channels | None = None
    letter_case_id: int | None = None
    letter_md: str | None = None
    letter_to: str | None = None


#: The letter the demo shows, by the code of the most urgent case's next action.
DEMO_LETTER = {"file_12363": "12363", "file_court": "court", "write_demand": "provider"}


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
        from depositctl.core.letter_checks import LetterOptions, respondents_for
        from depositctl.ops.letters import _letter_files
        from depositctl.store.providers import load_providers

        # The letter of the step `channels` marks next (the provider's otherwise).
        recipient = DEMO_LETTER.get(first.next_action.code, "provider")
        respondents = respondents_for(first.facts.case, load_providers(led))
        options = LetterOptions(grace_days=ev.grace_days)
        files, _ = _letter_files(
            first, led.profile(), ev, recipient, ("md",), None, respondents, options
        )
        letter = files["md"].decode("utf-8").rstrip("\n")
        return Demo(example, today, s, routes, first.id, letter, recipient)
