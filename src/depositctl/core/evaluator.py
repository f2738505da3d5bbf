"""The deadline engine bound to one `today`, calendar, rule table and grace period."""

from __future__ import annotations

from datetime import date

from depositctl.core.caseview import CaseView
from depositctl.core.channels import ChannelVerdict, verdicts
from depositctl.core.deadlines import Derived, derive, settle
from depositctl.core.records import CaseFacts
from depositctl.core.recordtype import record
from depositctl.core.rules import Rules
from depositctl.core.workdays import WorkdayCalendar


@record(kw_only=False)
class Evaluator:
    """What evaluating a case needs besides its facts."""

    today: date
    calendar: WorkdayCalendar
    rules: Rules
    grace_days: int
    #: The merchant's capacity (profile; None: individual): it picks the route.
    capacity: str | None = None

    def __call__(self, facts: CaseFacts) -> CaseView:
        return self.settle(self.derive(facts))

    def brief(self, facts: CaseFacts) -> CaseView:
        """For listings: the same view without `follow_ups` (one per contact)."""
        return self.settle(self.derive(facts, all_follow_ups=False))

    def derive(self, facts: CaseFacts, *, all_follow_ups: bool = True) -> Derived:
        """What does not depend on `today` (`core.deadlines.derive`)."""
        return derive(
            facts, self.calendar, self.rules, self.grace_days, all_follow_ups=all_follow_ups
        )

    def settle(self, derived: Derived) -> CaseView:
        """`derived` as of `today` (`core.deadlines.settle`)."""
        return settle(derived, self.today, self.calendar, self.rules, capacity=self.capacity)

    def channels(self, view: CaseView) -> tuple[ChannelVerdict, ...]:
        """Every route's verdict for a view this evaluator computed (`channels`)."""
        return verdicts(view, capacity=self.capacity, rules=self.rules, cal=self.calendar)
