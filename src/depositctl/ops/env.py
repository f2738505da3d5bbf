"""What every operation is given: where the ledger is and the day it is computed for."""

from __future__ import annotations

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


def opened(env: Env) -> _Opened:
    """The ledger at `env.db_path`, closed when the operation ends (`with opened(env) as
    led:`)."""
    return _Opened(env.db_path)


class _Opened:
    """`opened`'s context manager: a class, not `@contextmanager` (`contextlib` costs a
    5-case `status` ~1 ms to import, and `status` imports this module)."""

    __slots__ = ("_led", "_path")

    def __init__(self, path: Path) -> None:
        self._path = path

    def __enter__(self) -> Ledger:
        from depositctl.store.ledger import open_ledger

        self._led = open_ledger(self._path)
        return self._led

    def __exit__(self, *exc: object) -> None:
        self._led.close()


def evaluator(env: Env, led: Ledger) -> Evaluator:
    """The deadline engine for `env.today` with the ledger's calendar and settings (a bad
    calendar file fails here, before anything is written)."""
    from depositctl.store.calendar import make_evaluator

    return make_evaluator(led, env.today)
