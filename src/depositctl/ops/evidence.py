"""Evidence files: recording them, listing them, checking the store still holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from depositctl.core.errors import N_, UserError
from depositctl.core.models import Evidence
from depositctl.ops.env import Env, opened

if TYPE_CHECKING:
    from depositctl.store.check import Problem
    from depositctl.store.ledger import Ledger


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
        stored = store_files(led, files)
        with led.atomic():
            _refuse_known(led, case_id, stored)
            rows = record_evidence(led, case_id, stored, kind, note, env.today, dated_on=dated_on)
    from depositctl.store.rows import evidence_from_row

    return [evidence_from_row(r) for r in rows]


def _refuse_known(led: Ledger, case_id: int, stored: list[tuple[Path, str, int]]) -> None:
    """A file already evidence of the case (same SHA-256, in force), or given twice, is
    refused: it would be listed twice in every letter."""
    seen: dict[str, Path] = {}
    for path, sha, _size in stored:
        label = led.evidence_label(case_id, sha)
        if label is not None:
            raise UserError(
                N_("{path} is already evidence {label} of #{id} (the same file)"),
                path=str(path),
                label=label,
                id=case_id,
            )
        if sha in seen:
            raise UserError(
                N_("{path} is the same file as {other}; give it once"),
                path=str(path),
                other=str(seen[sha]),
            )
        seen[sha] = path


@dataclass(frozen=True)
class Restored:
    """What `evidence restore` did: the record whose file was put back (`intact`: the
    store already held it unchanged)."""

    case_id: int
    label: str
    name: str
    sha256: str
    intact: bool


def restore_evidence(env: Env, case_id: int, label: str, path: Path) -> Restored:
    """`evidence restore`: put the original file of an evidence record back into the
    store (missing or changed there), after checking it is that file (same SHA-256).
    The ledger is not changed: the record already exists."""
    from depositctl.ops.record import parse_label
    from depositctl.store.check import blob_state
    from depositctl.store.evidence import check_source, hash_file, ingest

    label = parse_label(label)
    with opened(env) as led:
        led.case_row(case_id)
        row = next((r for r in led.labelled_rows(case_id, "evidence") if r["label"] == label), None)
        if row is None:
            labels = [str(r["label"]) for r in led.labelled_rows(case_id, "evidence")]
            raise UserError(
                N_("No evidence {label} in #{id}; its evidence is {labels}"),
                label=label,
                id=case_id,
                labels=", ".join(labels) or "-",
            )
        sha = str(row["sha256"])
        check_source(path)
        try:
            now = hash_file(path)
        except OSError as exc:
            raise UserError(
                N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror
            ) from None
        if now != sha:
            raise UserError(
                N_(
                    "{path} is not the original of {label} (its SHA-256 is {now}, the "
                    "record's {sha}); nothing was changed"
                ),
                path=str(path),
                label=label,
                now=now[:12],
                sha=sha[:12],
            )
        intact = blob_state(led.evidence_dir, sha, row["size"]) is None
        if not intact:
            ingest(path, led.evidence_dir)  # replaces a changed copy, writes a missing one
        return Restored(case_id, label, str(row["name"]), sha, intact)


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
