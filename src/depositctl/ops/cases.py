"""Recording a case and what happens to it (add, edit, progress, met/returned, refund,
close, reopen, contact, statements): every check and every write in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from depositctl.core.caseview import CaseView, Deadline
from depositctl.core.errors import N_, UserError
from depositctl.core.inputs import check_after_payment, check_contact
from depositctl.core.models import (
    CaseChanges,
    NewCase,
    NewContact,
    NewProgress,
    NewRefund,
    given,
)
from depositctl.core.money import fmt
from depositctl.core.respondents import BrandWarning
from depositctl.ops.env import Env, evaluator, opened
from depositctl.store.evidence import record_evidence, store_files
from depositctl.store.ledger import Ledger

if TYPE_CHECKING:
    from depositctl.store.ledger import Ledger


def _check_condition(fields: Mapping[str, Any]) -> None:
    """Cross-field check for `add`/`edit` (after each value parsed on its own)."""
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


@dataclass(frozen=True)
class AddedCase:
    """What `add` recorded: the case id, the brand-name warnings to print (the provider
    or agent company typed is not a legal name nor a recorded alias), and the open cases
    (ids) that already had its terminal's serial (the same terminal entered twice?)."""

    id: int
    warnings: tuple[BrandWarning, ...] = ()
    same_serial: tuple[int, ...] = ()


def _respondents(
    led: Ledger, fields: Mapping[str, Any], current: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[BrandWarning]]:
    """`--provider` and `--agent-company` as recorded legal names (an alias resolves to
    its provider), and the warnings for names that are neither recorded nor legal names.

    Refused: `--provider` naming a recorded agent company, `--agent-company` naming a
    recorded institution, or one legal name as both (`current`: the case's row, for
    `edit`). Warned: `--paid-to agent-company` on a case without an agent company."""
    from depositctl.core.respondents import check_distinct, check_role, paid_to_warning
    from depositctl.ops.providers import resolve_in

    names: dict[str, Any] = {}
    warnings: list[BrandWarning] = []
    for key in ("provider", "agent_company"):
        text = fields.get(key)
        if text is None:
            continue
        found = resolve_in(led, text)
        check_role(key, found.name, found.provider)
        names[key] = found.name
        if found.warning is not None:
            warnings.append(found.warning)
    after = {
        k: names.get(k, fields.get(k)) if k in fields else (current or {}).get(k)
        for k in ("provider", "agent_company", "paid_to")
    }
    check_distinct(after["provider"], after["agent_company"])
    if "paid_to" in fields or "agent_company" in fields:
        warning = paid_to_warning(after["paid_to"], after["agent_company"])
        if warning is not None:
            warnings.append(warning)
    return names, warnings


def add_case(env: Env, case: NewCase) -> AddedCase:
    """`add`: check the case, resolve its respondents' names, then record it."""
    _check_condition(given(case))
    with opened(env) as led, led.atomic():
        names, warnings = _respondents(led, given(case))
        if names:
            case = NewCase(**{**given(case), **names})
        same: tuple[int, ...] = ()
        if case.serial:
            found = led.cases_with_serial(case.serial)
            if found:
                from depositctl.ops.views import OPEN_STATES

                ev = evaluator(env, led)
                same = tuple(
                    f.case.id
                    for f in led.all_facts(found, with_history=False)
                    if ev(f).state in OPEN_STATES
                )
        return AddedCase(led.add_case(case), tuple(warnings), same)


@dataclass(frozen=True)
class EditedCase:
    """What `edit` changed: the columns (old and new values), and the brand-name
    warnings for a provider or agent company given that is not a legal name."""

    diff: dict[str, list[Any]]
    warnings: tuple[BrandWarning, ...] = ()


def edit_case(env: Env, case_id: int, changes: CaseChanges) -> EditedCase:
    """`edit`: change case fields, checked against what the case holds, in one
    transaction. A provider or agent company given as a recorded alias is stored as its
    legal name."""
    with opened(env) as led, led.atomic():
        current = led.case(case_id).condition
        names, warnings = _respondents(led, given(changes), led.case_row(case_id))
        if names:
            changes = CaseChanges(**{**given(changes), **names})
        new = given(changes)
        _check_condition(
            {
                "condition_volume": current.volume,
                "condition_count": current.count,
                "condition_days": current.days,
                "condition_return": current.on_return,
                "no_condition": current.none,
                **new,
            }
        )
        if "amount" in new:
            refunded = sum((r.amount for r in led.facts(case_id).refunds), Decimal("0.00"))
            if new["amount"] < refunded:
                raise UserError(
                    N_("The deposit cannot be less than the {refunded} yuan already refunded"),
                    refunded=f"{refunded:.2f}",
                )
        return EditedCase(led.update_case(case_id, changes), tuple(warnings))


def record_progress(env: Env, progress: NewProgress) -> CaseView:
    """`progress`: record volume toward the condition; returns the case as it now stands."""
    with opened(env) as led:
        ev = evaluator(env, led)  # a bad calendar file fails here, before anything is written
        led.add_progress(progress)
        return ev(led.facts(progress.case_id))


def record_date(
    env: Env, case_id: int, event: Literal["met", "returned"], on: date
) -> Deadline | None:
    """`met`/`returned`: the day the condition was met or the terminal went back (the
    event names the history entry). A condition met after its window closed is recorded
    all the same (the provider may have accepted the late volume, or the window may be
    unreasonable); returned is that window, for the command to warn about it."""
    changes = CaseChanges(met_on=on) if event == "met" else CaseChanges(returned_on=on)
    with opened(env) as led:
        ev = evaluator(env, led)  # a bad calendar file fails here, before anything is written
        led.update_case(case_id, changes, action=event)
        window = ev(led.facts(case_id)).condition_deadline if event == "met" else None
    return window if window is not None and on > window.on else None


def close_case(env: Env, case_id: int, reason: str) -> None:
    """`close`: end a case by hand today."""
    with opened(env) as led, led.atomic():
        if led.case_row(case_id)["closed_on"]:
            raise UserError(N_("Case #{id} is already closed"), id=case_id)
        led.update_case(
            case_id, CaseChanges(closed_on=env.today, close_reason=reason), action="close"
        )


def reopen_case(env: Env, case_id: int) -> None:
    with opened(env) as led, led.atomic():
        if not led.case_row(case_id)["closed_on"]:
            raise UserError(N_("Case #{id} is not closed"), id=case_id)
        led.update_case(case_id, CaseChanges(closed_on=None, close_reason=None), action="reopen")


def record_refund(env: Env, refund: NewRefund) -> CaseView:
    """`refund`: money received back, never more than is outstanding; returns the case
    as it now stands."""
    with opened(env) as led:
        ev = evaluator(env, led)
        with led.atomic():
            view = ev(led.facts(refund.case_id))
            if refund.amount > view.outstanding:
                raise UserError(
                    N_(
                        "Refund of {amount} is more than the {outstanding} yuan still outstanding on #{id}"
                    ),
                    amount=fmt(refund.amount),
                    outstanding=fmt(view.outstanding),
                    id=refund.case_id,
                )
            led.add_refund(refund)
            return ev(led.facts(refund.case_id))


def record_contact(
    env: Env, contact: NewContact, files: list[Path], again: bool = False
) -> Deadline | None:
    """`contact`: the attempt and the files attached to it, in one transaction (the files
    are copied into the store first, outside it). Returns the follow-up it sets, if any.

    The same attempt twice (`Ledger.same_contact`: same day, channel and ticket as a
    contact in force, and the same time unless either has none) is refused naming the one recorded, unless `again`: each would count in the letters.
    A reply of the other side (`incoming`) cannot be the merchant's refund request.
    """
    check_contact(contact)
    with opened(env) as led:
        paid_on = date.fromisoformat(led.case_row(contact.case_id)["paid_on"])
        check_after_payment(contact.on, paid_on)
        ev = evaluator(env, led)  # a bad calendar file fails here, before anything is written
        _refuse_same_contact(led, contact, again)
        stored = store_files(led, files)
        with led.atomic():
            _refuse_same_contact(led, contact, again)  # recorded meanwhile by another process
            contact_id = led.add_contact(contact)
            if stored:
                record_evidence(
                    led, contact.case_id, stored, "other", None, env.today, contact_id=contact_id
                )
        view = ev(led.facts(contact.case_id))
        return next((d for d in view.follow_ups if d.contact_id == contact_id), None)


def _refuse_same_contact(led: Ledger, contact: NewContact, again: bool) -> None:
    if again:
        return
    label = led.same_contact(contact)
    if label is not None:
        raise UserError(
            N_(
                "#{id} already has this contact as {label} (same day, channel and ticket, "
                "and the same time where both give one); add --again to record it a second time"
            ),
            id=contact.case_id,
            label=label,
        )


@dataclass(frozen=True)
class StatementImport:
    """What `import-statement` recorded: the new rows (sales and cancellations), the days
    they fall on and their net total; the rows skipped because an earlier import of the
    case already counted them, and those with a zero amount."""

    rows: int
    days: int
    total: Decimal
    cancellations: int
    already_imported: int
    zero: int
    condition_met_on: date | None
    #: Total rows (合计) skipped.
    totals: int = 0


def import_statement(
    env: Env,
    case_id: int,
    path: Path,
    date_column: str | None = None,
    amount_column: str | None = None,
    reference_column: str | None = None,
) -> StatementImport:
    """Record a statement's rows not yet imported for the case as daily net totals of
    progress, the rows' keys, and the file as evidence, all in one transaction.

    A statement (CSV in any usual encoding, or .xlsx) whose rows were all imported before
    is refused, nothing written.
    """
    from depositctl.store.evidence import check_source
    from depositctl.store.statements import staged_statement

    with opened(env) as led:
        ev = evaluator(env, led)  # a bad calendar file fails here, before anything is written
        led.case_row(case_id)
        check_source(path)
        # Read row by row into a scratch file: memory holds the sums per day, not the file.
        with staged_statement(
            path, env.today, date_column, amount_column, reference_column
        ) as staged:
            staged.mark_seen(led, case_id)
            if not staged.counts()[0]:  # before copying the file
                raise UserError(N_("This statement was already imported into #{id}"), id=case_id)
            stored = store_files(led, [path])  # copied before the write lock, like evidence add
            marker = f"statement {stored[0][1][:12]}"
            with led.atomic():
                staged.mark_seen(led, case_id)  # again, under the lock
                rows, already, cancellations, total = staged.counts()
                if not rows:
                    raise UserError(
                        N_("This statement was already imported into #{id}"), id=case_id
                    )
                days = staged.days()
                progress_of = {
                    day.on: led.add_progress(
                        NewProgress(
                            case_id=case_id,
                            on=day.on,
                            volume=day.volume,
                            count=day.count,
                            source="statement",
                            note=marker,
                        )
                    )
                    for day in days
                }
                staged.record(led, case_id, progress_of)
                record_evidence(led, case_id, stored, "statement", None, env.today)
            # Without its history: that holds every row key imported, and the view needs none.
            view = ev(led.all_facts([case_id], with_history=False)[0])
    return StatementImport(
        rows=rows,
        days=len(days),
        total=total,
        cancellations=cancellations,
        already_imported=already,
        zero=staged.skipped,
        condition_met_on=view.condition_met_on,
        totals=staged.totals,
    )
