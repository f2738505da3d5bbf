"""The `statement_rows` table: which rows of a provider's statement a case has already
counted (`core.statement` row keys), so no later file, whatever its encoding or format,
counts one twice. Written in the transaction that adds the progress rows, logged in the
history chain, and replayed for `check` and `import`.

Every import logs one history entry, action `statement`, on the case:
`{"rows": {row_key: progress_id, ...}}`, the progress row being that day's total (None
for a row whose day netted to nothing, such as a sale cancelled the same day).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from depositctl.core.errors import N_
from depositctl.store.ledger import Ledger
from depositctl.store.replay import Problem, same

ACTION = "statement"
WHAT_ROW = N_("statement row")
# The templates of the case tables' replay (store/replay.py), reused word for word.
_GONE = N_("{what} {row} is in the history but gone from the ledger (deleted outside depositctl)")
_ADDED = N_("{what} {row} is not in the history (added outside depositctl)")
_DIFFERS = N_("{what} {row} differs from its history in {fields} (changed outside depositctl)")


def seen_keys(led: Ledger, case_id: int) -> set[str]:
    """The keys of every statement row already imported for the case."""
    return {
        str(r[0])
        for r in led.db.execute("SELECT row_key FROM statement_rows WHERE case_id = ?", [case_id])
    }


def record_rows(led: Ledger, case_id: int, rows: Mapping[str, int | None]) -> None:
    """Record imported rows (key -> the progress row holding its day), logged; call inside
    the transaction that added the progress rows."""
    with led.atomic():
        led.db.conn.executemany(
            "INSERT INTO statement_rows (case_id, row_key, progress_id) VALUES (?, ?, ?)",
            [(case_id, key, pid) for key, pid in rows.items()],
        )
        led.log(case_id, ACTION, {"rows": dict(rows)})


def replay_statement_rows(
    history: Iterable[Mapping[str, Any]], rows: Iterable[Mapping[str, Any]]
) -> list[Problem]:
    """Replay the `statement` history entries and compare with the rows held (the
    ledger's, or an export file's)."""
    import json

    problems: list[Problem] = []
    expected: dict[tuple[Any, str], Any] = {}
    for h in history:
        if h.get("action") != ACTION or h.get("case_id") is None:
            continue
        try:
            changes = json.loads(h["changes"])
        except (TypeError, ValueError):
            continue  # reported by the main replay
        logged = changes.get("rows") if isinstance(changes, dict) else None
        if not isinstance(logged, dict):
            problems.append(
                Problem(
                    h.get("case_id"),
                    N_("history entry {entry} cannot be read"),
                    {"entry": h.get("id")},
                )
            )
            continue
        for key, pid in logged.items():
            expected[(h["case_id"], str(key))] = pid
    actual = {(r.get("case_id"), str(r.get("row_key"))): r.get("progress_id") for r in rows}
    for cid, key in sorted(set(actual) | set(expected), key=lambda k: (str(k[0]), k[1])):
        row = f"#{cid} {key}"
        case = cid if isinstance(cid, int) else None
        if (cid, key) not in actual:
            problems.append(Problem(case, _GONE, {"what": WHAT_ROW, "row": row}))
        elif (cid, key) not in expected:
            problems.append(Problem(case, _ADDED, {"what": WHAT_ROW, "row": row}))
        elif not same(actual[(cid, key)], expected[(cid, key)]):
            problems.append(
                Problem(case, _DIFFERS, {"what": WHAT_ROW, "row": row, "fields": "progress_id"})
            )
    return problems


def check_statement_rows(led: Ledger) -> list[Problem]:
    """`check`: the statement rows against their history."""
    return replay_statement_rows(
        led.db.query("SELECT * FROM history ORDER BY id"),
        led.db.query("SELECT * FROM statement_rows ORDER BY rowid"),
    )
