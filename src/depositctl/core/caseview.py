"""What the deadline engine computes for one case: its view, each date with its basis,
and the next action, as immutable slotted dataclasses the renderers read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from depositctl.core.records import OVERDUE, CaseFacts, State
from depositctl.core.recordtype import builder, field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Literal

    DeadlineKind = Literal[
        "condition", "refund_due", "follow_up", "limitation", "limitation_restart"
    ]


@record()
class Basis:
    """Why a date is what it is: a rule, the facts it used, and the law behind it."""

    rule: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)
    citation: str | None = None


@record()
class Deadline:
    """A date with its kind and basis."""

    kind: DeadlineKind
    on: date
    basis: Basis
    estimate: bool = False
    is_default: bool = False
    contact_id: int | None = None
    #: Counted from the day a letter was sent because its delivery is not yet recorded
    #: (`sent` without `--delivered-on`): it moves once `delivered` records the day.
    provisional: bool = False


@record()
class Action:
    """The next thing to do, as a template for the renderers."""

    code: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)
    #: The date in the text was counted in working days beyond the known calendar (rule 5).
    estimate: bool = False


#: `Action(code, text, params, estimate)`, every field given by position: for the one the
#: ladder makes per case of a listing, without the keyword dict a class call passes to
#: `__init__` (`recordtype.builder`), nor a wrapper's call of its own.
action: Callable[[str, str, dict[str, Any], bool], Action] = builder(Action)


@record()
class CaseView:
    """A case with everything computed from its facts as of `today`."""

    facts: CaseFacts
    today: date
    state: State
    refunded: Decimal
    outstanding: Decimal
    progress_volume: Decimal
    progress_count: int
    condition_deadline: Deadline | None = None
    condition_met_on: date | None = None
    condition_met_basis: Basis | None = None
    trigger_on: date | None = None
    trigger_basis: Basis | None = None
    refund_due: Deadline | None = None
    days_overdue: int = 0
    follow_ups: tuple[Deadline, ...] = ()
    open_follow_up: Deadline | None = None
    limitation: Deadline | None = None
    limitation_restart: Deadline | None = None
    limitation_warning: bool = False
    #: Rule 7: where the limitation period would end if a written demand were made today.
    limitation_if_demanded_today: date | None = None
    next_action: Action
    next_deadline: date | None = None

    @property
    def id(self) -> int:
        return self.facts.case.id

    @property
    def estimate(self) -> bool:
        """Whether any date shown for this case rests on an estimated calendar."""
        dates = [self.refund_due, self.open_follow_up]
        return any(d is not None and d.estimate for d in dates)

    def urgency_key(self) -> tuple[int, int, date, int]:
        """Overdue first, most days first; then the nearest deadline; then id."""
        overdue = self.state is OVERDUE
        return (
            0 if overdue else 1,
            -self.days_overdue,
            self.next_deadline or date.max,
            self.id,
        )


@record()
class Totals:
    """The totals line of a listing (`status`, `agenda`), over all its cases, not only
    the ones it shows."""

    total: int
    outstanding: Decimal
    overdue: Decimal
    n_overdue: int
