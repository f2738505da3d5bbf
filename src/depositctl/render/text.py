"""Translate the core's templates (bases, actions, states) into the chosen language."""

from __future__ import annotations

import sys
from collections.abc import Callable

from depositctl.core.caseview import Action, Basis, Deadline
from depositctl.core.errors import N_
from depositctl.core.records import State
from depositctl.core.vocab import (
    CAPACITY,
    CHANNEL,
    CLOSE_REASON,
    EVIDENCE_KIND,
    OUTCOME,
    PAYEE,
    PAYMENT_METHOD,
    RECIPIENT,
    Term,
    Vocabulary,
)
from depositctl.i18n import _, language

TYPE_CHECKING = False
if TYPE_CHECKING:  # the letters' notices: `status` (depositctl/fast.py) needs none
    from typing import Any

    from depositctl.core.letter_checks import Notice

STATE_LABELS = {
    State.AWAITING_ACTIVATION: N_("awaiting activation"),
    State.CONDITION_PENDING: N_("condition pending"),
    State.CONDITION_FAILED: N_("condition failed"),
    State.REFUND_PENDING: N_("refund pending"),
    State.OVERDUE: N_("overdue"),
    State.REFUNDED: N_("refunded"),
    State.CLOSED: N_("closed"),
}

STATE_VALUES = frozenset(s.value for s in State)

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


def term_name(vocabulary: Vocabulary[Any], value: str) -> str:
    """A stored value as output names it: its Chinese name from the vocabulary table in
    Chinese output; in English its label, or the value itself (what the CLI takes)."""
    if language() == "zh":
        return vocabulary.zh_name(value)
    term: Term | None = vocabulary.get(value)
    return _(term.label) if term is not None else value


def payment_name(value: str) -> str:
    return term_name(PAYMENT_METHOD, value)


def payee_name(value: str) -> str:
    return term_name(PAYEE, value)


def evidence_kind_name(value: str) -> str:
    return term_name(EVIDENCE_KIND, value)


def capacity_name(value: str) -> str:
    return term_name(CAPACITY, value)


def recipient_name(value: str) -> str:
    return term_name(RECIPIENT, value)


def close_reason_name(value: str) -> str:
    return term_name(CLOSE_REASON, value)


def state_name(value: str) -> str:
    """A state's stored value (`refunded`) by its name; an unknown value as it is."""
    return state_label(State(value)) if value in STATE_VALUES else value


#: Template parameters that hold a stored value, and how output names it.
VALUE_PARAMS: dict[str, Callable[[str], str]] = {
    "channel": channel_label,
    "recipient": recipient_name,
    "state": state_name,
    "capacity": capacity_name,
}


def value_params(params: dict[str, Any]) -> dict[str, Any]:
    """`params` with every stored value (channel, recipient, state) named for output."""
    out = dict(params)
    for key, name in VALUE_PARAMS.items():
        value = out.get(key)
        if isinstance(value, str):
            out[key] = name(value)
    return out


def column_title(table: str, column: str) -> str:
    """A CSV export's column header: the column name in English output (what the JSON
    export and scripts use), its label from core/fields.py in Chinese."""
    from depositctl.core.fields import field_label

    return column if language() == "en" else _(field_label(table, column))


def notice_text(notice: Notice) -> str:
    """A letter check's notice in words, in the chosen language (every stored value among
    its params named for output)."""
    return _(notice.text).format(**_params(notice.params))


def _params(params: dict[str, Any]) -> dict[str, Any]:
    out = value_params(params)
    label = out.get("what")
    if isinstance(label, str):  # a label from our catalog, as cli/errors has it
        out["what"] = _(label)
    # A notice may quote another (a refusal, then what instead). No value is a Notice
    # unless its module was loaded, and `status` never loads it.
    checks = sys.modules.get("depositctl.core.letter_checks")
    for key, value in out.items():
        if checks is not None and isinstance(value, checks.Notice):
            out[key] = notice_text(value)
    return out


def basis_text(basis: Basis) -> str:
    text = _(basis.text).format(**_params(basis.params))
    if basis.citation:
        text += f" [{basis.citation}]"
    return text


def action_params(action: Action) -> dict[str, Any]:
    """`action`'s params as its text names them (every stored value named for output)."""
    return _params(action.params)


def action_text(action: Action, params: dict[str, Any] | None = None) -> str:
    """A next action in words; `params` its params as `action_params` gives them, where
    the caller has them already (`render.tables` words a case's action with its number
    and without)."""
    text = _(action.text).format(**(_params(action.params) if params is None else params))
    if action.estimate:
        text += _(" ({note})").format(note=_("estimate: working-day calendar not yet published"))
    return text


def deadline_text(d: Deadline) -> str:
    marks = []
    if d.estimate:
        marks.append(_("estimate: working-day calendar not yet published"))
    if d.is_default:
        marks.append(_("default, not from the contract"))
    suffix = _(" ({note})").format(note=_("; ").join(marks)) if marks else ""
    return f"{d.on.isoformat()}{suffix}"
