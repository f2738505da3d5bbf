"""`channels ID`: the verdicts as a table for people and as JSON (English keys and
verdict values whatever the language)."""

from __future__ import annotations

from typing import Any

from depositctl.core.caseview import CaseView
from depositctl.core.channels import ROUTE_ZH, ChannelVerdict
from depositctl.core.errors import N_
from depositctl.core.vocab import CAPACITY
from depositctl.i18n import _
from depositctl.render.text import action_text, channel_label, outcome_label

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
        return f"{text} ({outcome_label(v.outcome)})" if v.outcome else text
    return v.opens_on.isoformat() if v.opens_on is not None else ""


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


def channel_table(view: CaseView, capacity: str, verdicts: tuple[ChannelVerdict, ...]) -> None:
    """`channels`: a table of the routes, then the case's next action in full."""
    from rich.markup import escape
    from rich.table import Table

    from depositctl.render.tables import console

    con = console()
    title = _("Channels for #{id} as of {today} (merchant: {capacity})").format(
        id=view.id, today=view.today.isoformat(), capacity=CAPACITY.zh_name(capacity)
    )
    table = Table(title=title, expand=False)
    table.add_column(_("Channel"), overflow="fold", max_width=18)
    table.add_column(_("Verdict"), no_wrap=True)
    table.add_column(_("Reason"), overflow="fold", min_width=30, ratio=1)
    table.add_column(_("Basis"), overflow="fold", max_width=28)
    table.add_column(_("Date"), overflow="fold", max_width=16)
    for v in verdicts:
        cells = (
            ROUTE_ZH[v.channel],
            _(VERDICT_LABELS[v.verdict]),
            reason_text(v),
            v.citation or "-",
            _when(v),
        )
        table.add_row(*(escape(c) for c in cells), style=VERDICT_STYLE[v.verdict])
    con.print(table)
    con.print(_("Next: {action}").format(action=action_text(view.next_action)), markup=False)
    con.file.flush()
