"""What every operation is given: where the ledger is and the day it is computed for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from depositctl.core.recordtype import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from depositctl.core.evaluator import Evaluator
    from depositctl.store.ledger import Ledger


@record(kw_only=False)
class Env:
    """The global options an operation needs (the CLI builds it once per command)."""

    db_path: Path
    today: date


@contextmanager
def opened(env: Env) -> Iterator[Ledger]:
    """The ledger at `env.db_path`, closed when the operation ends."""
    from depositctl.store.ledger import open_ledger

    led = open_ledger(env.db_path)
    try:
        yield led
    finally:
        led.close()


def evaluator(env: Env, led: Ledger) -> Evaluator:
    """The deadline engine for `env.today` with the ledger's calendar and settings (a bad
    calendar file fails here, before anything is written)."""
    from depositctl.store.calendar import make_evaluator

    return make_evaluator(led, env.today)
