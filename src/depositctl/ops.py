"""Operations that join the pure core and the ledger (the CLI calls exactly one of these)."""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from depositctl.core.deadlines import CaseView, evaluate
from depositctl.core.errors import N_, UserError
from depositctl.core.models import CaseFacts, State
from depositctl.core.money import fmt, to_fen
from depositctl.core.rules import Rules
from depositctl.core.workdays import WorkdayCalendar
from depositctl.store.ledger import Ledger

OPEN_STATES = frozenset(State) - {State.REFUNDED, State.CLOSED}


@dataclass
class Evaluator:
    today: date
    calendar: WorkdayCalendar
    rules: Rules
    grace_days: int

    def __call__(self, facts: CaseFacts) -> CaseView:
        return evaluate(facts, self.today, self.calendar, self.rules, self.grace_days)

    def brief(self, facts: CaseFacts) -> CaseView:
        """For listings: the same view without `follow_ups` (one per contact)."""
        return evaluate(
            facts, self.today, self.calendar, self.rules, self.grace_days, all_follow_ups=False
        )


def make_evaluator(led: Ledger, today: date) -> Evaluator:
    from depositctl.data import rules as load_rules
    from depositctl.store.calendar import load_calendar

    rules = load_rules()
    grace = led.setting("grace_days")
    return Evaluator(
        today=today,
        calendar=load_calendar(led.path),
        rules=rules,
        grace_days=int(grace) if grace else rules.default_grace_days,
    )


def case_views(led: Ledger, ev: Evaluator, *, include_all: bool = False) -> list[CaseView]:
    """Every case (open ones unless `include_all`), most urgent first."""
    views = [ev(f) for f in led.all_facts(with_history=False)]
    if not include_all:
        views = [v for v in views if v.state in OPEN_STATES]
    views.sort(key=CaseView.urgency_key)
    return views


@dataclass
class StatusListing:
    """What `status` prints: the cases shown, most urgent first, and the totals of all."""

    shown: list[CaseView]
    total: int
    outstanding: Decimal
    overdue: Decimal
    n_overdue: int


def status_listing(
    led: Ledger, ev: Evaluator, *, include_all: bool = False, limit: int = 0
) -> StatusListing:
    """`case_views()` for `status`/`agenda`: the same order, totals and views, in one pass.

    Streams the cases (`Ledger.status_facts`) and keeps only the `limit` most urgent
    views (all when `limit` is 0), so a default `status` over 100,000 cases holds 50
    views, not 100,000.
    """
    total, n_overdue = 0, 0
    outstanding, overdue = Decimal(0), Decimal(0)

    def counted() -> Iterator[CaseView]:
        nonlocal total, n_overdue, outstanding, overdue
        for facts in led.status_facts():
            v = ev.brief(facts)
            if not include_all and v.state not in OPEN_STATES:
                continue
            total += 1
            if v.state is not State.CLOSED:
                outstanding += v.outstanding
            if v.state is State.OVERDUE:
                overdue += v.outstanding
                n_overdue += 1
            yield v

    key = CaseView.urgency_key
    with paused_gc():
        shown = heapq.nsmallest(limit, counted(), key=key) if limit else sorted(counted(), key=key)
    return StatusListing(shown, total, outstanding, overdue, n_overdue)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside (reference counting still frees memory).

    Views hold no reference cycles, but while thousands of them are alive every
    collection walks them all again: a third of `status` over 10,000 cases, and 80% of
    turning 8,000 views into JSON items afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_case(fields: Mapping[str, Any]) -> None:
    """Cross-field checks for `add`/`edit` (after each value parsed on its own)."""
    targets = [fields.get(k) for k in ("condition_volume", "condition_count", "condition_days")]
    has_target = any(t is not None for t in targets)
    kinds = sum(
        [has_target, bool(fields.get("condition_return")), bool(fields.get("no_condition"))]
    )
    if kinds > 1:
        raise UserError(
            N_(
                "Choose one kind of condition: targets (--condition-volume/--condition-count/"
                "--condition-days), --condition-return, or --no-condition"
            )
        )


def edit_case(led: Ledger, case_id: int, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`edit`: change case fields, checked against what the case holds, in one
    transaction; returns the columns changed (old and new values)."""
    from depositctl.store.ledger import row_to_case

    with led.atomic():
        current = row_to_case(led.case_row(case_id)).condition
        validate_case(
            {
                "condition_volume": current.volume,
                "condition_count": current.count,
                "condition_days": current.days,
                "condition_return": current.on_return,
                "no_condition": current.none,
                **changes,
            }
        )
        if "amount" in changes:
            refunded = sum((r.amount for r in led.facts(case_id).refunds), Decimal("0.00"))
            if changes["amount"] < refunded:
                raise UserError(
                    N_("The deposit cannot be less than the {refunded} yuan already refunded"),
                    refunded=f"{refunded:.2f}",
                )
        return led.update_case(case_id, changes)


def close_case(led: Ledger, case_id: int, today: date, reason: str) -> None:
    with led.atomic():
        if led.case_row(case_id)["closed_on"]:
            raise UserError(N_("Case #{id} is already closed"), id=case_id)
        led.update_case(case_id, {"closed_on": today, "close_reason": reason}, action="close")


def reopen_case(led: Ledger, case_id: int) -> None:
    with led.atomic():
        if not led.case_row(case_id)["closed_on"]:
            raise UserError(N_("Case #{id} is not closed"), id=case_id)
        led.update_case(case_id, {"closed_on": None, "close_reason": None}, action="reopen")


def record_refund(
    led: Ledger, ev: Evaluator, case_id: int, amount: Decimal, on: date, note: str | None
) -> CaseView:
    with led.atomic():
        view = ev(led.facts(case_id))
        if amount > view.outstanding:
            raise UserError(
                N_(
                    "Refund of {amount} is more than the {outstanding} yuan still outstanding on #{id}"
                ),
                amount=fmt(amount),
                outstanding=fmt(view.outstanding),
                id=case_id,
            )
        led.add_refund(case_id, on, to_fen(amount), note)
        return ev(led.facts(case_id))


def record_contact(led: Ledger, row: Mapping[str, Any], files: list[Path], today: date) -> int:
    """`contact`: the attempt and the files attached to it, in one transaction (the files
    are copied into the store first, outside it). Returns the contact's id."""
    stored = store_files(led, files)
    with led.atomic():
        contact_id = led.add_contact(row)
        if stored:
            record_evidence(
                led, int(row["case_id"]), stored, "other", None, today, contact_id=contact_id
            )
    return contact_id


def add_evidence(
    led: Ledger,
    case_id: int,
    files: list[Path],
    kind: str,
    note: str | None,
    today: date,
    contact_id: int | None = None,
) -> list[dict[str, Any]]:
    """Copy each file into the store, then record all of them in one transaction."""
    led.case_row(case_id)
    return record_evidence(led, case_id, store_files(led, files), kind, note, today, contact_id)


def store_files(led: Ledger, files: list[Path]) -> list[tuple[Path, str, int]]:
    """Copy files into the evidence store, outside any transaction (a 2 GB recording must
    not hold the ledger's write lock). Every file is checked before any is copied."""
    from depositctl.store.evidence import check_source, ingest

    for f in files:
        check_source(f)
    return [(f, *ingest(f, led.evidence_dir)) for f in files]


def record_evidence(
    led: Ledger,
    case_id: int,
    stored: list[tuple[Path, str, int]],
    kind: str,
    note: str | None,
    today: date,
    contact_id: int | None = None,
) -> list[dict[str, Any]]:
    """Record files already in the store, in one transaction (or the caller's)."""
    rows = []
    with led.atomic():
        for f, sha, size in stored:
            row = {
                "case_id": case_id,
                "sha256": sha,
                "name": safe_name(f.name),
                "size": size,
                "kind": kind,
                "note": note,
                "added_on": today.isoformat(),
                "contact_id": contact_id,
            }
            row["id"] = led.add_evidence(row)
            rows.append(row)
    return rows


def safe_name(name: str) -> str:
    """An original file name with no path separators or control characters.

    Also replaced: C1 controls, bidi overrides and other format characters (they can
    disguise a name), line separators, and the lone surrogates Python uses for bytes
    of a file name that are not UTF-8; unusual spaces become plain spaces.
    """
    import unicodedata

    def clean(ch: str) -> str:
        cat = unicodedata.category(ch)
        if ch in "/\\" or cat in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return "_"
        return " " if cat == "Zs" else ch

    cleaned = "".join(clean(ch) for ch in name)
    cleaned = cleaned.strip().lstrip(".") or "file"
    return cleaned[:200]


def import_statement(
    led: Ledger,
    case_id: int,
    path: Path,
    today: date,
    date_column: str | None = None,
    amount_column: str | None = None,
) -> tuple[int, Decimal, int]:
    """Record a statement's daily totals as progress and keep the file as evidence.

    All or nothing; the same file is refused a second time (it would count twice).
    Returns (days recorded, total volume, rows skipped).
    """
    from depositctl.core.statement import decode, parse_statement
    from depositctl.store.evidence import check_source

    led.case_row(case_id)
    check_source(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    statement = parse_statement(decode(data), today, date_column, amount_column)
    stored = store_files(led, [path])  # copied before the write lock, like evidence add
    marker = f"statement {stored[0][1][:12]}"
    with led.atomic():
        seen = led.db.execute(
            "SELECT 1 FROM progress WHERE case_id = ? AND note = ? LIMIT 1", [case_id, marker]
        ).fetchone()
        if seen:
            raise UserError(N_("This statement was already imported into #{id}"), id=case_id)
        for day in statement.days:
            led.add_progress(
                case_id, day.on, to_fen(day.volume), day.count, source="statement", note=marker
            )
        record_evidence(led, case_id, stored, "statement", None, today)
    total = sum((d.volume for d in statement.days), Decimal("0.00"))
    return len(statement.days), total, statement.skipped
