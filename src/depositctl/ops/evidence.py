"""Evidence files: recording them, listing them, checking the store still holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from depositctl.core.models import Evidence
from depositctl.ops.env import Env, opened

if TYPE_CHECKING:
    from depositctl.store.check import Problem


def add_evidence(
    env: Env,
    case_id: int,
    files: list[Path],
    kind: str,
    note: str | None,
    dated_on: date | None = None,
) -> list[Evidence]:
    """`evidence add`: copy each file into the store, then record all of them in one
    transaction (added today; `dated_on` the documents' own date); returns the records."""
    from depositctl.store.evidence import record_evidence, store_files

    with opened(env) as led:
        led.case_row(case_id)
        rows = record_evidence(
            led, case_id, store_files(led, files), kind, note, env.today, dated_on=dated_on
        )
    return [Evidence.model_validate(r) for r in rows]


def list_evidence(env: Env, case_id: int | None = None) -> list[Evidence]:
    """`evidence list`: the records of one case (which must exist) or of all."""
    with opened(env) as led:
        ids = [case_id] if case_id is not None else None
        if case_id is not None:
            led.case_row(case_id)
        return led.evidence(ids)


@dataclass(frozen=True)
class EvidenceCheck:
    """What `evidence verify` found: the problems, and how many records were checked."""

    problems: list[Problem]
    count: int


def verify_evidence(env: Env, case_id: int | None = None) -> EvidenceCheck:
    """`evidence verify`: every record's file present in the store, same size and SHA-256."""
    from depositctl.store.check import evidence_problems

    with opened(env) as led:
        ids = [case_id] if case_id is not None else None
        if case_id is not None:
            led.case_row(case_id)
        problems = evidence_problems(led, ids)
        return EvidenceCheck(problems, led.evidence_count(ids))
