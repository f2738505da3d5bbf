"""Replaying the history: what every row must hold, and the hash chain that pins it.

Every write logs the values it wrote (`add` the whole case, `progress`/`contact`/
`refund`/`evidence` the whole row, `edit` and the other case commands old and new
values, `void`/`unvoid` the table, row and reason, `delivered` the contact and its
old and new delivery date, `setting` old and new, `profile` a digest). Replaying the history in order
therefore gives what each row of the ledger must hold; a row changed, added or deleted
outside depositctl differs from the replay. Each entry also holds the hash of the one
before, so an entry edited, removed or reordered breaks the chain.

Both work on plain rows, so `check` runs them on the ledger and `import` on a file
before anything is written. Findings are returned as `Problem`s, never raised.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from depositctl.core.errors import N_
from depositctl.store.rows import PROFILE_FIELDS, history_hash, profile_digest

#: History actions that insert one row of a child table, and that table.
CHILD_ACTIONS = {
    "progress": "progress",
    "contact": "contacts",
    "refund": "refunds",
    "evidence": "evidence",
}
#: How a row of each table is named in messages (translated by the CLI).
WHAT = {
    "cases": N_("case"),
    "progress": N_("progress entry"),
    "contacts": N_("contact"),
    "evidence": N_("evidence record"),
    "refunds": N_("refund"),
}
FACT_TABLES = ("cases", "progress", "contacts", "evidence", "refunds")


@dataclass(frozen=True)
class Problem:
    """One finding: `case_id` None means the ledger as a whole."""

    case_id: int | None
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    note: bool = False


def same(a: Any, b: Any) -> bool:
    """Equal as stored values (a logged `1` equals a stored `1`, `True` equals `1`)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool):
        a = int(a)
    if isinstance(b, bool):
        b = int(b)
    if type(a) is type(b):
        return bool(a == b)
    return str(a) == str(b)


def chain_problems(rows: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """The hash chain over history rows in id order."""
    problems: list[Problem] = []
    prev: str | None = None
    for row in rows:
        if (row.get("prev_hash") or None) != prev:
            problems.append(
                Problem(
                    row.get("case_id"),
                    N_(
                        "history entry {entry} does not follow the one before it "
                        "(an entry was removed, inserted or reordered outside depositctl)"
                    ),
                    {"entry": row.get("id")},
                )
            )
        try:
            intact = history_hash(row.get("prev_hash"), row) == row.get("hash")
        except (TypeError, ValueError):  # binary data put in by hand
            intact = False
        if not intact:
            problems.append(
                Problem(
                    row.get("case_id"),
                    N_("history entry {entry} was changed outside depositctl"),
                    {"entry": row.get("id")},
                )
            )
        prev = row.get("hash")
    return problems


def replay_problems(
    history: Iterable[Mapping[str, Any]],
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    columns: Mapping[str, Mapping[str, tuple[str, Any]]],
    profile: Mapping[str, Any] | None,
    settings: Mapping[str, Any],
) -> list[Problem]:
    """Replay the history and compare with the rows the ledger (or a file) holds."""
    problems: list[Problem] = []
    expected: dict[str, dict[int, dict[str, Any]]] = {t: {} for t in FACT_TABLES}
    exp_settings: dict[str, Any] = {}
    profile_logged = False
    profile_expected: str | None = None

    def blank(table: str) -> dict[str, Any]:
        return {c: d for c, (_t, d) in columns[table].items()}

    for h in history:
        try:
            changes = json.loads(h["changes"])
        except (TypeError, ValueError):
            changes = None
        if not isinstance(changes, dict):
            problems.append(
                Problem(
                    h.get("case_id"),
                    N_("history entry {entry} cannot be read"),
                    {"entry": h.get("id")},
                )
            )
            continue
        cid, action = h.get("case_id"), h.get("action")
        if cid is None:
            if action == "profile":
                profile_logged = True
                digest = changes.get("digest")
                profile_expected = digest if isinstance(digest, str) else None
            elif action == "setting":
                for key, value in changes.items():
                    if isinstance(value, list) and len(value) == 2:
                        exp_settings[key] = value[1]
            # "provider": replayed by store.providers.replay_providers (check_providers)
            continue
        cases = expected["cases"]
        if action == "add" and cid not in cases:
            cases[cid] = {**blank("cases"), **changes, "id": cid}
        elif action in CHILD_ACTIONS and isinstance(changes.get("id"), int):
            table = CHILD_ACTIONS[str(action)]
            expected[table][changes["id"]] = {**blank(table), **changes, "case_id": cid}
        elif action in ("void", "unvoid"):
            named, rid = changes.get("table"), changes.get("id")
            target = None
            if named in CHILD_ACTIONS.values() and isinstance(rid, int):
                target = expected[str(named)].get(rid)
            if target is None:
                problems.append(
                    Problem(
                        cid,
                        N_("history entry {entry} changes a row the history never added"),
                        {"entry": h.get("id")},
                    )
                )
                continue
            target["void_reason"] = changes.get("reason") if action == "void" else None
        elif action == "delivered":
            # `delivered`: the day a sent letter reached the other side, old and new.
            rid, value = changes.get("id"), changes.get("delivered_on")
            target = expected["contacts"].get(rid) if isinstance(rid, int) else None
            if target is None or not (isinstance(value, list) and len(value) == 2):
                problems.append(
                    Problem(
                        cid,
                        N_("history entry {entry} changes a row the history never added"),
                        {"entry": h.get("id")},
                    )
                )
                continue
            if not same(target.get("delivered_on"), value[0]):
                problems.append(
                    Problem(
                        cid,
                        N_(
                            "{field} had been changed outside depositctl before history "
                            "entry {entry}"
                        ),
                        {"field": "delivered_on", "entry": h.get("id")},
                    )
                )
            target["delivered_on"] = value[1]
        else:
            row = cases.get(cid)
            if row is None:
                problems.append(
                    Problem(
                        cid,
                        N_("history entry {entry} changes a case the history never added"),
                        {"entry": h.get("id")},
                    )
                )
                continue
            for key, value in changes.items():
                if key not in row or not (isinstance(value, list) and len(value) == 2):
                    continue
                if not same(row[key], value[0]):
                    problems.append(
                        Problem(
                            cid,
                            N_(
                                "{field} had been changed outside depositctl before history "
                                "entry {entry}"
                            ),
                            {"field": key, "entry": h.get("id")},
                        )
                    )
                row[key] = value[1]

    for table in FACT_TABLES:
        actual = {int(r["id"]): dict(r) for r in tables.get(table, ())}
        exp = expected[table]
        what = WHAT[table]
        for rid in sorted(set(actual) | set(exp)):
            a, e = actual.get(rid), exp.get(rid)
            if a is None and e is not None:
                cid = e["id"] if table == "cases" else e.get("case_id")
                problems.append(
                    Problem(
                        cid,
                        N_(
                            "{what} {row} is in the history but gone from the ledger (deleted outside depositctl)"
                        ),
                        {"what": what, "row": rid},
                    )
                )
            elif e is None and a is not None:
                cid = a["id"] if table == "cases" else a.get("case_id")
                problems.append(
                    Problem(
                        cid,
                        N_("{what} {row} is not in the history (added outside depositctl)"),
                        {"what": what, "row": rid},
                    )
                )
            elif a is not None and e is not None:
                diff = [c for c in columns[table] if not same(a.get(c), e.get(c))]
                if diff:
                    cid = a["id"] if table == "cases" else a.get("case_id")
                    problems.append(
                        Problem(
                            cid,
                            N_(
                                "{what} {row} differs from its history in {fields} "
                                "(changed outside depositctl)"
                            ),
                            {"what": what, "row": rid, "fields": ", ".join(diff)},
                        )
                    )

    has_profile = profile is not None and any(profile.get(k) is not None for k in PROFILE_FIELDS)
    if profile_expected is not None:
        if profile_digest(profile or {}) != profile_expected:
            problems.append(
                Problem(
                    None, N_("the profile differs from its history (changed outside depositctl)")
                )
            )
    elif not profile_logged and has_profile:
        problems.append(
            Problem(None, N_("the profile is not in the history (set outside depositctl)"))
        )
    for key in sorted(set(settings) | set(exp_settings)):
        if not same(settings.get(key), exp_settings.get(key)):
            problems.append(
                Problem(
                    None,
                    N_("the setting {key} differs from its history (changed outside depositctl)"),
                    {"key": key},
                )
            )
    return problems


# -- each row as the CLI would have written it -----------------------------------------------
#: The largest row id a ledger may hold: far beyond any real ledger, and far enough below
#: SQLite's 2^63-1 that `add` still hands out an id every command can address.
MAX_ID = 1_000_000_000
#: Amounts in fen are below the CLI's limit (core.money.MAX_AMOUNT, 10 trillion yuan).
MAX_FEN = 10**15
#: The largest stored file size taken (8 EiB would overflow; nothing real comes near).
MAX_SIZE = 2**53


@dataclass(frozen=True)
class BadValue:
    """One value of one row that the CLI would have refused: `why` is "text" (a control,
    bidi or zero-width character, a line break in a one-line field, too long) or
    "value" (out of range, not a date, not a word of the vocabulary)."""

    table: str
    row: Any
    case_id: int | None
    field: str
    why: str


def _int_in(low: int, high: int) -> Any:
    def ok(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and low <= v < high

    return ok


def _date(v: Any) -> bool:
    from datetime import date

    from depositctl.core.dates import MAX_YEAR, MIN_YEAR

    if not isinstance(v, str) or len(v) != 10:
        return False
    try:
        d = date.fromisoformat(v)
    except ValueError:
        return False
    return MIN_YEAR <= d.year <= MAX_YEAR


def _time(v: Any) -> bool:
    import re

    return isinstance(v, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v) is not None


def _word(values: Iterable[str]) -> Any:
    allowed = frozenset(values)
    return lambda v: isinstance(v, str) and v in allowed


def _within(v: Any) -> bool:
    from depositctl.core.errors import UserError
    from depositctl.core.inputs import parse_within

    try:
        return isinstance(v, str) and str(parse_within(v)) == v
    except UserError:
        return False


def _sha(v: Any) -> bool:
    return isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)


def _head(v: Any) -> bool:
    import re

    return isinstance(v, str) and re.fullmatch(r"[1-9]\d{0,9}:[0-9a-f]{12}", v) is not None


def _file_name(v: Any) -> bool:
    return isinstance(v, str) and v not in ("", ".", "..") and not any(c in v for c in "/\\")


def _specs() -> dict[str, dict[str, Any]]:
    from depositctl.core.inputs import MAX_COUNT
    from depositctl.core.vocab import (
        CAPACITIES,
        CHANNELS,
        CLOSE_REASONS,
        EVIDENCE_KINDS,
        OUTCOMES,
        PAID_TO,
        PAID_VIA,
        RECIPIENTS,
        VIAS,
    )

    row_id = _int_in(1, MAX_ID + 1)
    fen = _int_in(1, MAX_FEN)
    count = _int_in(0, MAX_COUNT + 1)
    flag = _int_in(0, 2)
    child = {"id": row_id, "case_id": row_id}
    return {
        "cases": {
            "id": row_id,
            "amount_fen": fen,
            "condition_volume_fen": fen,
            "condition_count": count,
            "condition_days": count,
            "condition_return": flag,
            "no_condition": flag,
            "paid_via": _word(PAID_VIA),
            "paid_to": _word(PAID_TO),
            "close_reason": _word(CLOSE_REASONS),
            "refund_within": _within,
            **{
                d: _date
                for d in (
                    "paid_on",
                    "activated_on",
                    "promised_refund_on",
                    "met_on",
                    "returned_on",
                    "closed_on",
                )
            },
        },
        "progress": {
            **child,
            "on_date": _date,
            "volume_fen": _int_in(-MAX_FEN + 1, MAX_FEN),  # a net volume may be negative
            "count": count,
        },
        "contacts": {
            **child,
            "on_date": _date,
            "at_time": _time,
            "channel": _word(CHANNELS),
            "outcome": _word(OUTCOMES),
            "promised_by": _date,
            "refund_request": flag,
            "incoming": flag,
            "letter": _word(RECIPIENTS),
            "via": _word(VIAS),
            "delivered_on": _date,
            "ledger_head": _head,
        },
        "evidence": {
            **child,
            "sha256": _sha,
            "name": _file_name,
            "size": _int_in(0, MAX_SIZE),
            "kind": _word(EVIDENCE_KINDS),
            "added_on": _date,
            "dated_on": _date,
            "contact_id": row_id,
        },
        "refunds": {**child, "on_date": _date, "amount_fen": fen},
        "profile": {"capacity": _word(CAPACITIES)},
        "providers": {"id": row_id},
        "provider_aliases": {"provider_id": row_id},
        "statement_rows": {"case_id": row_id, "progress_id": row_id},
        "settings": {},
    }


#: Columns that are not text typed by the user (checked by their spec, or not at all).
_NOT_TEXT = frozenset({"created_at", "row_key"})


def row_problems(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[BadValue]:
    """Every value the CLI would have refused, in every row of `tables` (the fact
    tables, `profile`, `providers`, `provider_aliases`, `statement_rows`, `settings`):
    the same text checks as the write models (core.inputs.check_text), the CLI's ranges
    for ids, amounts, counts and dates, the vocabularies, and an evidence record's
    contact of its own case."""
    from depositctl.core.errors import UserError
    from depositctl.core.inputs import check_text

    specs = _specs()
    bad: list[BadValue] = []
    contact_case: dict[Any, Any] = {}
    progress_case: dict[Any, Any] = {}
    for table in specs:
        for row in tables.get(table, ()):
            rid = row.get("id", row.get("key", row.get("alias", row.get("row_key"))))
            cid = row.get("id") if table == "cases" else row.get("case_id")
            if table == "contacts":
                contact_case[row.get("id")] = cid
            if table == "progress":
                progress_case[row.get("id")] = cid
            for column, value in row.items():
                if value is None:
                    continue
                spec = specs[table].get(column)
                if spec is not None:
                    if not spec(value):
                        bad.append(BadValue(table, rid, cid, column, "value"))
                    continue
                if isinstance(value, str) and column not in _NOT_TEXT:
                    try:
                        check_text(value, column)
                    except UserError:
                        bad.append(BadValue(table, rid, cid, column, "text"))
    for table, link, owner in (
        ("evidence", "contact_id", contact_case),
        ("statement_rows", "progress_id", progress_case),
    ):
        for row in tables.get(table, ()):
            target = row.get(link)
            if target is not None and owner.get(target, row.get("case_id")) != row.get("case_id"):
                bad.append(
                    BadValue(
                        table, row.get("id", row.get("row_key")), row.get("case_id"), link, "case"
                    )
                )
    return bad
