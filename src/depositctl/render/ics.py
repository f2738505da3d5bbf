"""Upcoming deadlines as an RFC 5545 calendar (icalendar) for a phone's calendar app.

One all-day event per deadline, with a reminder the day before at 09:00. UIDs are
stable (`depositctl-<case>-<kind>-<contact>@depositctl`), so importing the file again
updates the events instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from depositctl.core.caseview import CaseView, Deadline
from depositctl.core.errors import N_
from depositctl.core.money import fmt_yuan
from depositctl.i18n import _
from depositctl.render.text import action_text, basis_text

#: The reminder: 15 hours before the all-day event's midnight start, i.e. 09:00 the day before.
REMINDER = timedelta(hours=-15)

SUMMARIES = {
    "condition": N_("Condition deadline #{id}: {provider}"),
    "refund_due": N_("Refund due #{id}: {provider} {amount}"),
    "follow_up": N_("Follow up #{id}: {provider} ({channel})"),
    "limitation": N_("Limitation period ends #{id}: {provider}"),
    "limitation_restart": N_("Limitation period (restarted) ends #{id}: {provider}"),
}


@dataclass(frozen=True)
class Entry:
    view: CaseView
    deadline: Deadline

    @property
    def uid(self) -> str:
        d = self.deadline
        contact = d.contact_id if d.contact_id is not None else ""
        return f"depositctl-{self.view.id}-{d.kind}-{contact}@depositctl"


def upcoming(views: Iterable[CaseView], today: date) -> list[Entry]:
    """Every deadline on or after `today` of the given (open) cases, by date."""
    entries = []
    for v in views:
        deadlines = [v.condition_deadline, v.refund_due, *v.follow_ups]
        deadlines += [v.limitation, v.limitation_restart]
        for d in deadlines:
            if d is not None and d.on >= today:
                entries.append(Entry(v, d))
    entries.sort(key=lambda e: (e.deadline.on, e.view.id, e.deadline.kind, e.uid))
    return entries


def _channel(view: CaseView, contact_id: int | None) -> str:
    """The contact's channel, or for a letter recorded by `sent` the letter (催告函): a
    letter is no call to the complaint line."""
    from depositctl.core.vocab import RECIPIENT
    from depositctl.render.text import channel_label

    for c in view.facts.contacts:
        if c.id == contact_id:
            recipient = RECIPIENT.get(c.letter or "")
            if recipient is not None and recipient.title:
                return recipient.title
            return channel_label(c.channel)
    return ""


def calendar_bytes(entries: Sequence[Entry], version: str, now: datetime | None = None) -> bytes:
    """The calendar file (CRLF lines, UTF-8)."""
    from icalendar import Alarm, Calendar, Event

    stamp = (now or datetime.now(UTC)).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", f"-//depositctl//depositctl {version}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "depositctl")
    for e in entries:
        v, d = e.view, e.deadline
        case = v.facts.case
        summary = _(SUMMARIES[d.kind]).format(
            id=v.id,
            provider=case.provider,
            amount=fmt_yuan(v.outstanding),
            channel=_channel(v, d.contact_id),
        )
        lines = [basis_text(d.basis)]
        if d.estimate:
            lines.append(_("estimate: working-day calendar not yet published"))
        if d.is_default and d.kind == "refund_due":
            lines.append(_("default, not from the contract"))
        if d.provisional and d.kind != "follow_up":  # a reply-by date's basis says so
            lines.append(_("provisional: the letter's delivery is not yet recorded"))
        lines.append(_("Next action: {action}").format(action=action_text(v.next_action)))
        lines.append(f"depositctl show {v.id}")
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", d.on)
        event.add("dtend", d.on + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
