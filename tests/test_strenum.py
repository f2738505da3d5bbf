"""core/strenum.py behaves as `enum.StrEnum` (issue 12: `status` does without `enum`)."""

from __future__ import annotations

import copy
import json
import pickle
from enum import StrEnum
from typing import Any

import pytest

from depositctl.core import records
from depositctl.core.records import State

#: The states, in order, as `State` was written as an `enum.StrEnum` (before issue 12).
STATES = [
    ("AWAITING_ACTIVATION", "awaiting_activation"),
    ("CONDITION_PENDING", "condition_pending"),
    ("CONDITION_FAILED", "condition_failed"),
    ("REFUND_PENDING", "refund_pending"),
    ("OVERDUE", "overdue"),
    ("REFUNDED", "refunded"),
    ("CLOSED", "closed"),
]
Reference = StrEnum("State", STATES)  # type: ignore[misc]


def test_the_members_are_the_states() -> None:
    assert [(m.name, m.value) for m in State] == STATES


@pytest.mark.parametrize("name", [name for name, _ in STATES])
def test_a_member_behaves_as_strenums(name: str) -> None:
    ours, theirs = getattr(State, name), getattr(Reference, name)
    assert isinstance(ours, str) and isinstance(ours, State)
    assert ours == theirs == theirs.value and hash(ours) == hash(theirs)
    assert (ours.name, ours.value) == (theirs.name, theirs.value)
    assert type(ours.value) is str
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs) and f"{ours}" == f"{theirs}"
    assert f"{ours:>25}|{ours:.3}" == f"{theirs:>25}|{theirs:.3}"
    assert "%s" % ours == "%s" % theirs  # noqa: UP031 - the old formatting too
    assert json.dumps(ours) == json.dumps(theirs)
    assert json.dumps({ours: 1}) == json.dumps({theirs: 1})
    assert State(theirs.value) is ours
    assert State(ours) is ours
    for copied in (
        copy.copy(ours),
        copy.deepcopy(ours),
        pickle.loads(pickle.dumps(ours)),
        pickle.loads(pickle.dumps(ours, protocol=0)),
    ):
        assert copied is ours
    assert getattr(records, name) is ours  # the module's name for it


def test_the_class_behaves_as_strenums() -> None:
    assert len(State) == len(Reference)
    assert list(State.__members__) == list(Reference.__members__)
    assert [m.value for m in State] == [m.value for m in Reference]
    assert frozenset(State) == frozenset(Reference)
    for wrong in ("Overdue", "OVERDUE", "", 1, None, b"overdue"):
        with pytest.raises(ValueError, match="is not a valid State"):
            State(wrong)
        with pytest.raises(ValueError, match="is not a valid State"):
            Reference(wrong)
    with pytest.raises(AttributeError):
        State.OVERDUE = State.CLOSED  # type: ignore[misc]
    assert State.OVERDUE.value == "overdue"


def test_values_twice_are_refused() -> None:
    from depositctl.core.strenum import StrEnumBase, member

    with pytest.raises(ValueError, match="occurs twice"):

        class Twice(StrEnumBase):
            A: Any = member("a")
            B: Any = member("a")
