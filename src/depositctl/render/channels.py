"""`channels ID`: the verdicts as a table for people and as JSON (English keys and
verdict values whatever the language)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from depositctl.core.caseview import CaseView
from depositctl.core.channels import ROUTE_ZH, ChannelVerdict
from depositctl.core.errors import N_
from depositctl.i18n import _
from depositctl.render.text import action_text, capacity_name, channel_label, outcome_label

if TYPE_CHECKING:
    from rich.console import Console

VERDICT_LABELS = {
    "next": N_("next"),
    "available": N_("available"),
    "not-yet": N_("not yet"),
    "unsuitable": N_("unsuitable"),
    "used": N_("used"),
}

VERDICT_STYLE = {
    "next": "bold green",
    "available": "",
    "not-yet": "cyan",
    "unsuitable": "dim",
    "used": "yellow",
}


def reason_text(v: ChannelVerdict) -> str:
    """The verdict's one-line reason in the chosen language."""
    params = dict(v.params)
    if "channel" in params:
        params["channel"] = channel_label(str(params["channel"]))
    return _(v.reason).format(**params)


def _when(v: ChannelVerdict) -> str:
    if v.verdict == "used" and v.used_on is not None:
        text = v.used_on.isoformat()
        return text + _(" ({note})").format(note=outcome_label(v.outcome)) if v.outcome else text
    return v.opens_on.isoformat() if v.opens_on is not None else ""


#: The channel column's width: 中国支付清算协会 whole (16 cells).
NAME_WIDTH = 16


def _route_name(route: str) -> str:
    """A route's Chinese name for the table: a number (12363) that would be folded at
    the column's edge goes to a line of its own instead."""
    import re

    from rich.cells import cell_len

    name = ROUTE_ZH[route]
    m = re.search(r"\d+", name)
    if m and cell_len(name[: m.end()]) > NAME_WIDTH and m.start() > 0:
        return name[: m.start()] + "\n" + name[m.start() :]
    return name


def channel_items(verdicts: tuple[ChannelVerdict, ...]) -> list[dict[str, Any]]:
    """`channels --json`: one object per route, in the order of core/channels.ROUTES."""
    return [
        {
            "channel": v.channel,
            "name": ROUTE_ZH[v.channel],
            "verdict": v.verdict,
            "reason": reason_text(v),
            "basis": v.basis,
            "citation": v.citation,
            "opens_on": v.opens_on.isoformat() if v.opens_on else None,
            "used_on": v.used_on.isoformat() if v.used_on else None,
            "outcome": v.outcome,
            "action": action_text(v.action) if v.action else None,
            "action_code": v.action.code if v.action else None,
        }
        for v in verdicts
    ]


def channel_table(
    view: CaseView,
    capacity: str,
    verdicts: tuple[ChannelVerdict, ...],
    con: Console | None = None,
) -> None:
    """`channels`: a table of the routes, then the case's next action in full."""
    from rich.markup import escape
    from rich.table import Table

    from depositctl.render.tables import console

    con = con or console()
    title = _("Channels for #{id} as of {today} (merchant: {capacity})").format(
        id=view.id, today=view.today.isoformat(), capacity=capacity_name(capacity)
    )
    # Four columns so that an 80-column terminal holds the table: the date goes under the
    # verdict (a date never folds), the channel's name folds between its words.
    table = Table(title=title, expand=False)
    table.add_column(_("Channel"), overflow="fold", min_width=NAME_WIDTH, max_width=NAME_WIDTH)
    table.add_column(_("Verdict"), no_wrap=True, min_width=10)
    table.add_column(_("Reason"), overflow="fold", min_width=20, ratio=1)
    table.add_column(_("Basis"), overflow="fold", max_width=22)
    for v in verdicts:
        verdict = _(VERDICT_LABELS[v.verdict])
        when = _when(v)
        if when:
            verdict = "\n".join([verdict, *when.split(" ", 1)])
        cells = (_route_name(v.channel), verdict, reason_text(v), v.citation or "-")
        table.add_row(*(escape(c) for c in cells), style=VERDICT_STYLE[v.verdict])
    con.print(table)
    con.print(_("Next: {action}").format(action=action_text(view.next_action)), markup=False)
    con.file.flush()
    for note in dict.fromkeys(v.note for v in verdicts if v.note):
        sys.stderr.write(_("note: {text}").format(text=_(note)) + "\n")
