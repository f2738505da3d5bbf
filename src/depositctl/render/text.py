"""Translate the core's templates (bases, actions, states) into the chosen language."""

from __future__ import annotations

from typing import Any

from depositctl.core.caseview import Action, Basis, Deadline
from depositctl.core.errors import N_
from depositctl.core.letter_checks import Notice
from depositctl.core.models import State
from depositctl.core.vocab import CHANNEL, OUTCOME
from depositctl.i18n import _

STATE_LABELS = {
    State.AWAITING_ACTIVATION: N_("awaiting activation"),
    State.CONDITION_PENDING: N_("condition pending"),
    State.CONDITION_FAILED: N_("condition failed"),
    State.REFUND_PENDING: N_("refund pending"),
    State.OVERDUE: N_("overdue"),
    State.REFUNDED: N_("refunded"),
    State.CLOSED: N_("closed"),
}

DEADLINE_LABELS = {
    "condition": N_("condition deadline"),
    "refund_due": N_("refund due"),
    "follow_up": N_("follow-up"),
    "limitation": N_("limitation ends"),
    "limitation_restart": N_("limitation, restarted"),
}


def state_label(state: State) -> str:
    return _(STATE_LABELS[state])


def channel_label(channel: str) -> str:
    """The channel's English label (from the vocabulary table), translated."""
    return _(CHANNEL.label(channel))


def outcome_label(outcome: str | None) -> str:
    return _(OUTCOME.label(outcome)) if outcome else ""


def notice_text(notice: Notice) -> str:
    """A letter check's notice in words, in the chosen language (a channel or a state
    among its values by its label)."""
    return _(notice.text).format(**_params(notice.params))


def _params(params: dict[str, Any]) -> dict[str, Any]:
    out = dict(params)
    if "channel" in out:
        out["channel"] = channel_label(str(out["channel"]))
    label = out.get("what")
    if isinstance(label, str):  # a label from our catalog, as cli/errors has it
        out["what"] = _(label)
    for key, value in out.items():
        if isinstance(value, Notice):  # a notice quoting another (a refusal, then what instead)
            out[key] = notice_text(value)
    if isinstance(out.get("state"), str) and out["state"] in State.__members__.values():
        out["state"] = state_label(State(out["state"]))
    return out


def basis_text(basis: Basis) -> str:
    text = _(basis.text).format(**_params(basis.params))
    if basis.citation:
        text += f" [{basis.citation}]"
    return text


def action_text(action: Action) -> str:
    text = _(action.text).format(**_params(action.params))
    if action.estimate:
        text += " (" + _("estimate: working-day calendar not yet published") + ")"
    return text


def deadline_text(d: Deadline) -> str:
    marks = []
    if d.estimate:
        marks.append(_("estimate: working-day calendar not yet published"))
    if d.is_default:
        marks.append(_("default, not from the contract"))
    suffix = f" ({'; '.join(marks)})" if marks else ""
    return f"{d.on.isoformat()}{suffix}"
