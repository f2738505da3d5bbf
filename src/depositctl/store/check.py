"""`check`: verify a ledger, beancount-style: each check returns problems, none raises.

What is verified:
- the SQLite file itself (integrity_check, foreign_key_check) and its schema version;
- the history hash chain: each entry holds the hash of the one before, so an entry
  edited, removed or reordered behind depositctl's back breaks the chain;
- the facts against the history: replaying the history gives what every row must hold
  (store/replay.py); a row changed, added or deleted outside depositctl differs from
  the replay;
- every evidence file present in the store with its size and SHA-256;
- the privacy of the ledger folder (0700) and files (0600).

`Problem.note` marks findings that do not make the ledger wrong (a half-written copy
left by a killed command, a stored file no record uses): printed, but `check` passes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from depositctl.core.errors import N_
from depositctl.store.derived import check_derived
from depositctl.store.evidence import blob_path, hash_file, stale_partial_copies
from depositctl.store.ledger import (
    SCHEMA_VERSION,
    Ledger,
    foreign_objects,
    head_lock,
    head_path,
    read_head_file,
    read_head_of,
)
from depositctl.store.migrations import migration_names, migrations, reference_schema, table_columns
from depositctl.store.replay import (
    FACT_TABLES,
    WHAT,
    Problem,
    chain_problems,
    replay_problems,
    row_problems,
)
from depositctl.store.rows import LABEL_PREFIX, labelled_sql

__all__ = ["Problem", "blob_state", "check_ledger", "evidence_problems", "run_checks", "summary"]

Check = Callable[[Ledger], list[Problem]]


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
    for name in migration_names():
        if name not in applied:
            problems.append(Problem(None, N_("migration {name} was not applied"), {"name": name}))
    reference = reference_schema()
    try:
        tables = [
            r[0] for r in reference.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        wanted = {t: table_columns(reference, t) for t in tables if not t.startswith("_")}
    finally:
        reference.close()
    from depositctl.store.schema import missing_objects

    for obj in missing_objects(led.db.conn):
        problems.append(
            Problem(
                None,
                N_(
                    "{object} is missing (removed with another tool?): the derived dates "
                    "may be stale and writes are refused; export the ledger and import it "
                    "into a new file to rebuild it"
                ),
                {"object": obj},
            )
        )
    for obj in foreign_objects(led.db.conn):
        problems.append(
            Problem(
                None,
                N_(
                    "{object} was not created by depositctl (planted with another tool?); "
                    "writes are refused until it is removed"
                ),
                {"object": obj},
            )
        )
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


def check_head(led: Ledger) -> list[Problem]:
    """The end of the history against the head file every commit writes beside the
    ledger (read under the writers' lock, with the ledger as it is now, so a command
    committing meanwhile is no false alarm). The newest entries removed or rewritten
    are a problem; a missing head file (a ledger last written by an older depositctl) or
    one behind the history by entries that extend it (a command killed between its
    commit and the head file) is a note, until the next change rewrites it."""
    where = str(head_path(led.path))
    with head_lock(led.path):
        try:
            head = read_head_file(led.path)
        except ValueError:
            return [Problem(None, N_("the head file {path} cannot be read"), {"path": where})]
        conn = sqlite3.connect(f"file:{led.path}?mode=ro", uri=True)
        try:
            count, last = read_head_of(conn)
            at = None
            if head is not None and 0 < head["count"] <= count:
                row = conn.execute(
                    "SELECT hash FROM history ORDER BY id LIMIT 1 OFFSET ?", [head["count"] - 1]
                ).fetchone()
                at = row[0] if row else None
        finally:
            conn.close()
    if head is None:
        if count == 0:
            return []
        return [
            Problem(
                None,
                N_(
                    "the head file {path} is missing (removed, or the ledger was last "
                    "written by an older depositctl): the end of the history cannot be "
                    "confirmed; the next change writes it"
                ),
                {"path": where},
                note=True,
            )
        ]
    if head["count"] == count and head["head"] == last:
        return []
    params = {
        "path": where,
        "want": head["count"],
        "want_hash": str(head["head"])[:12],
        "count": count,
        "hash": str(last)[:12],
    }
    if head["count"] < count and at == head["head"]:
        return [
            Problem(
                None,
                N_(
                    "the history goes on after the head file {path} ({want} entries, last "
                    "{want_hash}; the ledger has {count}, last {hash}): a command was "
                    "interrupted after its commit, or entries were added outside "
                    "depositctl; the next change rewrites it"
                ),
                params,
                note=True,
            )
        ]
    return [
        Problem(
            None,
            N_(
                "the history does not end where the head file {path} says ({want} "
                "entries, last {want_hash}; the ledger has {count}, last {hash}): "
                "entries were removed or rewritten outside depositctl"
            ),
            params,
        )
    ]


def head_entry(led: Ledger, count: int) -> str | None:
    """The hash of the history's `count`-th entry (in id order), or None."""
    if count < 1:
        return None
    row = led.db.execute(
        "SELECT hash FROM history ORDER BY id LIMIT 1 OFFSET ?", [count - 1]
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def check_sent_heads(led: Ledger) -> list[Problem]:
    """Every ledger head a sent letter stated (recorded by `sent`, m006): the history
    must still hold that entry with that hash at that count. An older entry rewritten,
    or the newest ones deleted (even with the head file rewritten to match), is found
    here, since the letter that went out holds the head outside the ledger's reach."""
    problems = []
    for row in led.db.query(
        f"SELECT * FROM ({labelled_sql('contacts', ' WHERE ledger_head IS NOT NULL')}) ORDER BY id"
    ):
        count, _, digest = str(row["ledger_head"]).partition(":")
        held = head_entry(led, int(count)) if count.isdigit() else None
        if held is None or not digest or not held.startswith(digest):
            problems.append(
                Problem(
                    row["case_id"],
                    N_(
                        "the letter {label} sent on {date} states the ledger had {count} "
                        "history entries, the last {hash}; the history now has fewer: "
                        "entries were removed outside depositctl"
                    )
                    if held is None
                    else N_(
                        "the letter {label} sent on {date} states the ledger had {count} "
                        "history entries, the last {hash}; entry {count} of the history is "
                        "now another: it was rewritten outside depositctl"
                    ),
                    {
                        "label": f"{LABEL_PREFIX['contacts']}{row['row_no']}",
                        "date": row["on_date"],
                        "count": count,
                        "hash": digest,
                    },
                )
            )
    return problems


def check_facts(led: Ledger) -> list[Problem]:
    conn = led.db.conn
    columns = {t: table_columns(conn, t) for t in FACT_TABLES}
    tables = {t: list(led.db.query(f'SELECT * FROM "{t}" ORDER BY id')) for t in FACT_TABLES}
    profiles = list(led.db.query("SELECT * FROM profile WHERE id = 1"))
    settings = {r["key"]: r["value"] for r in led.db.query("SELECT * FROM settings")}
    return replay_problems(
        _history_rows(led), tables, columns, profiles[0] if profiles else None, settings
    )


#: How rows of the tables without a history replay are named (translated by the CLI).
ROW_WHAT = {
    **WHAT,
    "profile": N_("profile"),
    "providers": N_("provider"),
    "provider_aliases": N_("provider alias"),
    "statement_rows": N_("statement row"),
    "settings": N_("setting"),
}
BAD_VALUE = {
    "value": N_(
        "{what} {row}: {field} holds a value the CLI refuses (out of range, not a date, "
        "or not one of its words); changed outside depositctl"
    ),
    "text": N_(
        "{what} {row}: {field} holds text the CLI refuses (a control, bidi or zero-width "
        "character, a line break in a one-line field, or over the length limit); changed "
        "outside depositctl"
    ),
    "case": N_("{what} {row}: {field} points to a row of another case; changed outside depositctl"),
}


def check_rows(led: Ledger) -> list[Problem]:
    """Every row as the CLI would have written it (`replay.row_problems`)."""
    tables = {
        t: led.db.query(f'SELECT * FROM "{t}"')
        for t in (*FACT_TABLES, "providers", "provider_aliases", "statement_rows", "settings")
    }
    tables["profile"] = led.db.query("SELECT * FROM profile WHERE id = 1")
    return [
        Problem(
            b.case_id if isinstance(b.case_id, int) else None,
            BAD_VALUE[b.why],
            {"what": ROW_WHAT[b.table], "row": b.row, "field": b.field},
        )
        for b in row_problems(tables)
    ]


def check_providers(led: Ledger) -> list[Problem]:
    from depositctl.store.providers import check_providers as replay

    return replay(led)


def check_statement_rows(led: Ledger) -> list[Problem]:
    from depositctl.store.statements import check_statement_rows as replay

    return replay(led)


def evidence_problems(led: Ledger, case_ids: list[int] | None = None) -> list[Problem]:
    """Every evidence record's file: present, same size, same SHA-256."""
    where, params = "", []
    if case_ids is not None:
        where = f" WHERE case_id IN ({','.join('?' * len(case_ids))})"
        params = list(case_ids)
    sql = f"SELECT * FROM ({labelled_sql('evidence', where)}) ORDER BY id"
    problems = []
    seen: dict[str, str | None] = {}
    for row in led.db.query(sql, params):
        sha = str(row["sha256"])
        if sha not in seen:
            seen[sha] = blob_state(led.evidence_dir, sha, row["size"])
        state = seen[sha]
        # The advice restores the file of the record that exists: adding the file
        # again would make a second record of it.
        where_from = {
            "name": row["name"],
            "sha": sha[:12],
            "id": row["case_id"],
            "label": f"{LABEL_PREFIX['evidence']}{row['row_no']}",
        }
        if state == "missing":
            problems.append(
                Problem(
                    row["case_id"],
                    N_(
                        "evidence file {name} ({sha}) is missing from the store (put the "
                        "original back: depositctl evidence restore {id} {label} FILE)"
                    ),
                    where_from,
                )
            )
        elif state is not None:
            problems.append(
                Problem(
                    row["case_id"],
                    N_(
                        "evidence file {name} ({sha}) has changed in the store (its SHA-256 "
                        "is now {now}; put the original back: depositctl evidence restore "
                        "{id} {label} FILE)"
                    ),
                    {**where_from, "now": state[:12]},
                )
            )
    return problems


def blob_state(store: Path, sha: str, size: Any) -> str | None:
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
    check_head,
    check_sent_heads,
    check_facts,
    check_rows,
    check_providers,
    check_statement_rows,
    check_evidence,
    check_derived,
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
