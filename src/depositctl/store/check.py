"""`check`: verify a ledger, beancount-style: each check returns problems, none raises.

What is verified:
- the SQLite file itself (integrity_check, foreign_key_check) and its schema version;
- the history hash chain: each entry holds the hash of the one before, so an entry
  edited, removed or reordered behind depositctl's back breaks the chain;
- the facts against the history: every write logs the values it wrote (`add` the
  whole case, `progress`/`contact`/`refund`/`evidence` the whole row, `edit` and the
  other case commands old and new values, `setting` old and new, `profile` a digest), so
  replaying the history gives what every row must hold; a row changed, added or deleted
  outside depositctl differs from the replay;
- every evidence file present in the store with its size and SHA-256;
- the privacy of the ledger folder (0700) and files (0600).

`Problem.note` marks findings that do not make the ledger wrong (a half-written copy
left by a killed command, a stored file no record uses): printed, but `check` passes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depositctl.core.errors import N_
from depositctl.store.evidence import blob_path, hash_file, stale_partial_copies
from depositctl.store.ledger import (
    PROFILE_FIELDS,
    SCHEMA_VERSION,
    Ledger,
    history_hash,
    profile_digest,
)

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


Check = Callable[[Ledger], list[Problem]]


# -- helpers shared with import ------------------------------------------------------------
def table_columns(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, Any]]:
    """Column name -> (declared type, default value) of a ledger table."""
    out: dict[str, tuple[str, Any]] = {}
    for _cid, name, ctype, _notnull, dflt, _pk in conn.execute(f'PRAGMA table_info("{table}")'):
        out[name] = (str(ctype).upper(), _literal(dflt))
    return out


def reference_schema() -> sqlite3.Connection:
    """An empty, fully migrated ledger in memory: the tables, columns and types a
    ledger (or an export's rows) must have. The caller closes it."""
    from sqlite_utils import Database

    from depositctl.store.migrations import migrations

    db = Database(memory=True, execute_plugins=False)
    migrations.apply(db)
    return db.conn


def _literal(dflt: Any) -> Any:
    if dflt is None:
        return None
    text = str(dflt).strip()
    if text.upper() == "NULL":
        return None
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        return text


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


# -- the checks ---------------------------------------------------------------------------
def check_integrity(led: Ledger) -> list[Problem]:
    rows = [r[0] for r in led.db.execute("PRAGMA integrity_check(20)")]
    if rows == ["ok"]:
        return []
    return [
        Problem(None, N_("the database file is damaged: {detail}"), {"detail": r}) for r in rows
    ]


def check_foreign_keys(led: Ledger) -> list[Problem]:
    problems = []
    for table, rowid, parent, _fk in led.db.execute("PRAGMA foreign_key_check"):
        case = None
        if rowid is not None and "case_id" in table_columns(led.db.conn, table):
            row = led.db.execute(f'SELECT case_id FROM "{table}" WHERE rowid = ?', [rowid])
            found = row.fetchone()
            case = found[0] if found else None
        problems.append(
            Problem(
                case,
                N_("row {row} of {table} points to a missing row of {parent}"),
                {"row": rowid, "table": table, "parent": parent},
            )
        )
    return problems


def check_schema(led: Ledger) -> list[Problem]:
    from depositctl.store.migrations import migrations

    problems = []
    version = led.db.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        problems.append(
            Problem(
                None,
                N_("schema version is {found}, expected {known}"),
                {"found": version, "known": SCHEMA_VERSION},
            )
        )
    applied = {m.name for m in migrations.applied(led.db)}
    for m in migrations._migrations:
        if m.name not in applied:
            problems.append(Problem(None, N_("migration {name} was not applied"), {"name": m.name}))
    reference = reference_schema()
    try:
        tables = [
            r[0] for r in reference.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        wanted = {t: table_columns(reference, t) for t in tables if not t.startswith("_")}
    finally:
        reference.close()
    for table, want in wanted.items():
        have = table_columns(led.db.conn, table)
        if not have:
            problems.append(Problem(None, N_("table {table} is missing"), {"table": table}))
            continue
        for col in want:
            if col not in have:
                problems.append(
                    Problem(
                        None,
                        N_("column {column} of table {table} is missing"),
                        {"column": col, "table": table},
                    )
                )
    return problems


def _history_rows(led: Ledger) -> Iterable[dict[str, Any]]:
    return led.db.query("SELECT * FROM history ORDER BY id")


def check_history_chain(led: Ledger) -> list[Problem]:
    return chain_problems(_history_rows(led))


def check_facts(led: Ledger) -> list[Problem]:
    conn = led.db.conn
    columns = {t: table_columns(conn, t) for t in FACT_TABLES}
    tables = {t: list(led.db.query(f'SELECT * FROM "{t}" ORDER BY id')) for t in FACT_TABLES}
    profiles = list(led.db.query("SELECT * FROM profile WHERE id = 1"))
    settings = {r["key"]: r["value"] for r in led.db.query("SELECT * FROM settings")}
    return replay_problems(
        _history_rows(led), tables, columns, profiles[0] if profiles else None, settings
    )


def check_providers(led: Ledger) -> list[Problem]:
    from depositctl.store.providers import check_providers as replay

    return replay(led)


def evidence_problems(led: Ledger, case_ids: list[int] | None = None) -> list[Problem]:
    """Every evidence record's file: present, same size, same SHA-256."""
    sql = "SELECT id, case_id, sha256, name, size FROM evidence"
    params: list[Any] = []
    if case_ids is not None:
        sql += f" WHERE case_id IN ({','.join('?' * len(case_ids))})"
        params = list(case_ids)
    problems = []
    seen: dict[str, str | None] = {}
    for row in led.db.query(sql + " ORDER BY id", params):
        sha = str(row["sha256"])
        if sha not in seen:
            seen[sha] = _blob_state(led.evidence_dir, sha, row["size"])
        state = seen[sha]
        if state == "missing":
            problems.append(
                Problem(
                    row["case_id"],
                    N_(
                        "evidence file {name} ({sha}) is missing from the store "
                        "(add the original file again to restore it)"
                    ),
                    {"name": row["name"], "sha": sha[:12]},
                )
            )
        elif state is not None:
            problems.append(
                Problem(
                    row["case_id"],
                    N_(
                        "evidence file {name} ({sha}) has changed in the store "
                        "(its SHA-256 is now {now}; add the original file again to restore it)"
                    ),
                    {"name": row["name"], "sha": sha[:12], "now": state[:12]},
                )
            )
    return problems


def _blob_state(store: Path, sha: str, size: Any) -> str | None:
    """None if the stored file is intact, "missing", or the SHA-256 it has now."""
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        return "missing"
    path = blob_path(store, sha)
    try:
        st = os.lstat(path)
    except OSError:
        return "missing"
    if not stat.S_ISREG(st.st_mode):
        return "missing"
    try:
        now = hash_file(path)
    except OSError:
        return "missing"
    if now != sha or st.st_size != size:
        return now
    return None


def check_evidence(led: Ledger) -> list[Problem]:
    problems = evidence_problems(led)
    store = led.evidence_dir
    for p in stale_partial_copies(store):
        problems.append(
            Problem(
                None,
                N_(
                    "a half-written copy left by an interrupted command: {path} "
                    "(not part of the ledger; the next evidence add removes it)"
                ),
                {"path": str(p)},
                note=True,
            )
        )
    known = {r[0] for r in led.db.execute("SELECT DISTINCT sha256 FROM evidence")}
    if store.is_dir():
        for sub in sorted(store.iterdir()):
            if sub.name == "tmp" or not sub.is_dir():
                continue
            for blob in sorted(sub.iterdir()):
                if blob.name not in known:
                    problems.append(
                        Problem(
                            None,
                            N_(
                                "a stored file no evidence record uses: {path} "
                                "(left by an interrupted evidence add, or by a case "
                                "in another ledger sharing this folder)"
                            ),
                            {"path": str(blob)},
                            note=True,
                        )
                    )
    return problems


def check_permissions(led: Ledger) -> list[Problem]:
    if os.name != "posix":  # pragma: no cover - modes mean little on Windows
        return []
    problems = []
    folder = led.path.parent
    targets = [(folder, 0o700)] + [
        (Path(f"{led.path}{suffix}"), 0o600) for suffix in ("", "-wal", "-shm")
    ]
    for path, want in targets:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            continue
        if mode & 0o077:
            problems.append(
                Problem(
                    None,
                    N_("{path} can be read by other users (mode {mode}, should be {want})"),
                    {"path": str(path), "mode": oct(mode)[2:], "want": oct(want)[2:]},
                )
            )
    store = led.evidence_dir
    if store.is_dir():
        loose = 0
        for root, _dirs, files in os.walk(store):
            for name in files:
                try:
                    if os.lstat(os.path.join(root, name)).st_mode & 0o077:
                        loose += 1
                except OSError:
                    continue
        if loose:
            problems.append(
                Problem(
                    None,
                    N_(
                        "{count} evidence files can be read by other users (run chmod -R go-rwx {path})"
                    ),
                    {"count": loose, "path": str(store)},
                )
            )
    return problems


CHECKS: tuple[Check, ...] = (
    check_permissions,
    check_integrity,
    check_foreign_keys,
    check_schema,
    check_history_chain,
    check_facts,
    check_providers,
    check_evidence,
)


def run_checks(led: Ledger) -> list[Problem]:
    """All checks; a check the database stops half-way is itself a problem."""
    problems: list[Problem] = []
    for check in CHECKS:
        try:
            problems.extend(check(led))
        except sqlite3.DatabaseError as exc:
            problems.append(
                Problem(None, N_("the database file is damaged: {detail}"), {"detail": str(exc)})
            )
    return problems


def check_ledger(led: Ledger) -> tuple[list[Problem], dict[str, Any]]:
    """All checks and the summary, on one snapshot: a command writing meanwhile (a case
    and its history entry, committed together) is seen whole or not at all."""
    conn = led.db.conn
    conn.execute("BEGIN")  # deferred: a read transaction, never blocks writers (WAL)
    try:
        return run_checks(led), summary(led)
    finally:
        conn.execute("ROLLBACK")


def summary(led: Ledger) -> dict[str, Any]:
    """Counts and the last history hash (note it down: it pins the whole history)."""
    db = led.db
    last = db.execute("SELECT hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
    return {
        "cases": db.execute("SELECT count(*) FROM cases").fetchone()[0],
        "history": db.execute("SELECT count(*) FROM history").fetchone()[0],
        "evidence": db.execute("SELECT count(*) FROM evidence").fetchone()[0],
        "head": last[0] if last else None,
    }
