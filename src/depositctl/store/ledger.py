"""Opening the ledger (one helper, used everywhere) and reading/writing its facts
(how a row becomes a model and back: `store.rows`)."""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import stat
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from depositctl.core.errors import N_, LedgerError, NotFound, UserError
from depositctl.core.models import (
    Case,
    CaseChanges,
    CaseFacts,
    Contact,
    Evidence,
    HistoryEntry,
    NewCase,
    NewContact,
    NewEvidence,
    NewProgress,
    NewRefund,
    Profile,
    ProfileChanges,
    given,
)
from depositctl.core.money import to_fen
from depositctl.core.recordtype import asdict
from depositctl.store.migrations import migrate, migration_names, migrations
from depositctl.store.rows import (
    LABEL_PREFIX,
    STATUS_CONTACTS_SQL,
    case_columns,
    contact_columns,
    contact_from_row,
    evidence_from_row,
    history_from_row,
    history_hash,
    labelled_sql,
    profile_digest,
    profile_from_row,
    progress_from_row,
    refund_from_row,
    row_to_case,
)

BUSY_TIMEOUT_MS = 15_000
SCHEMA_VERSION = len(migration_names())


#: SQLite's result codes for a file that is not a database or is damaged (SQLITE_NOTADB,
#: SQLITE_CORRUPT); any other error at open (disk full, I/O, cannot open) says what it is.
NOT_A_LEDGER = (26, 11)


def _writable(path: Path) -> bool:
    """The owner's write bit where we own it (so it holds for root too), else access()."""
    st = os.stat(path)
    if st.st_uid == os.geteuid():
        return bool(st.st_mode & stat.S_IWUSR)
    return os.access(path, os.W_OK)


def _check_writable(path: Path) -> None:
    """A read-only ledger or ledger folder is named as such, never "not a ledger", and
    never has its mode changed."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if path.exists() and not _writable(path):
            raise LedgerError(
                N_(
                    "The ledger {path} is read-only (mode {mode}); depositctl needs to write "
                    "it (chmod u+w); it was not changed"
                ),
                path=str(path),
                mode=oct(stat.S_IMODE(os.stat(path).st_mode))[2:].zfill(4),
            )
        if folder.is_dir() and not _writable(folder):
            raise LedgerError(
                N_(
                    "The ledger's folder {path} is read-only (mode {mode}); depositctl needs "
                    "to write its journal there (chmod u+w); nothing was changed"
                ),
                path=str(folder),
                mode=oct(stat.S_IMODE(os.stat(folder).st_mode))[2:].zfill(4),
            )
    except OSError as exc:
        raise LedgerError(
            N_("Cannot use the ledger {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None


def _create_private_file(path: Path) -> None:
    from depositctl.store.outfile import private_mkdir

    private_mkdir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class Ledger:
    """An open ledger. Use `open_ledger()`; close with `close()` or `with`."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        #: The history's count and last hash after this transaction's `log`, written to
        #: the head file just before COMMIT (None: nothing logged).
        self._head: tuple[int, str] | None = None

    # -- plumbing ---------------------------------------------------------------
    @property
    def evidence_dir(self) -> Path:
        return self.path.parent / "evidence"

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction for writes that belong together (BEGIN IMMEDIATE)."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        self._head = None
        try:
            refuse_foreign_objects(conn, self.path)
            yield
            from depositctl.store.derived import refresh_dirty

            refresh_dirty(self)  # the derived cache of the cases changed, same transaction
        except BaseException:
            self._head = None
            if conn.in_transaction:  # SQLite rolls back by itself after some errors (disk full)
                conn.execute("ROLLBACK")
            raise
        head, self._head = self._head, None
        if head is None:
            conn.execute("COMMIT")
            return
        # The commit and its head file under one lock, so writers' head files never
        # cross and `check` never reads one between the two.
        with head_lock(self.path):
            conn.execute("COMMIT")
            with suppress(OSError, LedgerError, UserError):  # committed: the file is a witness
                write_head(self.path, *head)

    def head(self) -> tuple[int, str | None]:
        """The history's count and last hash: the ledger's state (`ledger.db.head`)."""
        return read_head_of(self.db.conn)

    def log(self, case_id: int | None, action: str, changes: Mapping[str, Any]) -> None:
        """Append to the history chain (call inside `atomic()`)."""
        last = self.db.execute("SELECT hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
        row = {
            "case_id": case_id,
            "at": _now(),
            "by": _who(),
            "action": action,
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
        }
        prev = last[0] if last else None
        row["prev_hash"] = prev
        row["hash"] = history_hash(prev, row)
        self.db.table("history").insert(row)
        count = self.db.execute("SELECT count(*) FROM history").fetchone()[0]
        self._head = (int(count), str(row["hash"]))

    # -- profile and settings ------------------------------------------------------
    def profile(self) -> Profile:
        rows = list(self.db.query("SELECT * FROM profile WHERE id = 1"))
        return profile_from_row(rows[0] if rows else None)

    def set_profile(self, profile: ProfileChanges) -> None:
        """Change the fields `profile` was given (the others stay)."""
        _typed(profile, ProfileChanges)
        changes = given(profile)
        with self.atomic():
            old = asdict(self.profile())
            new = {**old, **changes}
            self.db.table("profile").upsert({"id": 1, **new}, pk="id")
            diff = {k: [old[k], new[k]] for k in changes if old[k] != new[k]}
            if diff:
                # Values stay out of the history (personal data); the digest lets
                # `check` find a profile edited behind depositctl's back.
                self.log(
                    None,
                    "profile",
                    {**{k: "(changed)" for k in diff}, "digest": profile_digest(new)},
                )

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.atomic():
            old = self.setting(key)
            self.db.table("settings").upsert({"key": key, "value": value}, pk="key")
            self.log(None, "setting", {key: [old, value]})

    # -- cases ----------------------------------------------------------------------
    def case_row(self, case_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM cases WHERE id = ?", [case_id]))
        if not rows:
            raise NotFound(N_("No case #{id} in this ledger"), id=case_id)
        return rows[0]

    def case(self, case_id: int) -> Case:
        return row_to_case(self.case_row(case_id))

    def add_case(self, case: NewCase) -> int:
        """Insert a case with the fields `case` was given; returns its id."""
        _typed(case, NewCase)
        row = case_columns(case)
        row["created_at"] = _now()
        with self.atomic():
            table = self.db.table("cases")
            table.insert(row)
            case_id = _pk(table.last_pk)
            self.log(case_id, "add", {k: v for k, v in row.items() if v is not None})
        return case_id

    def update_case(
        self, case_id: int, changes: CaseChanges, action: str = "edit"
    ) -> dict[str, list[Any]]:
        """Change the fields `changes` was given; the old and new column values go into
        the history and are returned (only the columns that really changed)."""
        _typed(changes, CaseChanges)
        new = case_columns(changes)
        with self.atomic():
            old = self.case_row(case_id)
            diff = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
            if diff:
                self.db.table("cases").update(case_id, {k: v[1] for k, v in diff.items()})
                self.log(case_id, action, diff)
        return diff

    def _insert_child(self, table: str, row: Mapping[str, Any], action: str) -> int:
        with self.atomic():
            self.case_row(int(row["case_id"]))
            t = self.db.table(table)
            t.insert(dict(row))
            new_id = _pk(t.last_pk)
            self.log(
                int(row["case_id"]),
                action,
                {"id": new_id, **{k: v for k, v in row.items() if k != "case_id"}},
            )
        return new_id

    def add_progress(self, progress: NewProgress) -> int:
        _typed(progress, NewProgress)
        return self._insert_child(
            "progress",
            {
                "case_id": progress.case_id,
                "on_date": progress.on.isoformat(),
                "volume_fen": to_fen(progress.volume),
                "count": progress.count,
                "source": progress.source,
                "note": progress.note,
            },
            "progress",
        )

    def add_contact(self, contact: NewContact) -> int:
        _typed(contact, NewContact)
        return self._insert_child("contacts", contact_columns(contact), "contact")

    def add_refund(self, refund: NewRefund) -> int:
        _typed(refund, NewRefund)
        return self._insert_child(
            "refunds",
            {
                "case_id": refund.case_id,
                "on_date": refund.on.isoformat(),
                "amount_fen": to_fen(refund.amount),
                "note": refund.note,
            },
            "refund",
        )

    def add_evidence(self, evidence: NewEvidence) -> int:
        _typed(evidence, NewEvidence)
        return self._insert_child(
            "evidence",
            {
                "case_id": evidence.case_id,
                "sha256": evidence.sha256,
                "name": evidence.name,
                "size": evidence.size,
                "kind": evidence.kind,
                "note": evidence.note,
                "added_on": evidence.added_on.isoformat(),
                "contact_id": evidence.contact_id,
                **({"dated_on": evidence.dated_on.isoformat()} if evidence.dated_on else {}),
            },
            "evidence",
        )

    # -- labels, void rows and duplicates ----------------------------------------------
    def labelled_rows(self, case_id: int, table: str) -> list[dict[str, Any]]:
        """Every row of `table` of a case, void ones included, with its `label`."""
        prefix = LABEL_PREFIX[table]
        rows = self.db.query(labelled_sql(table, " WHERE case_id = ?") + " ORDER BY id", [case_id])
        return [{**r, "label": f"{prefix}{r['row_no']}"} for r in rows]

    def set_void(
        self, case_id: int, table: str, row_id: int, label: str, reason: str | None
    ) -> None:
        """Take a row out of the record (`reason`) or put it back (`None`), logged as
        `void`/`unvoid` with the table, row id, label and reason so a replay of the
        history reproduces the column (call inside `atomic()` with the row checked)."""
        if table not in LABEL_PREFIX:  # pragma: no cover - callers pass LABEL_PREFIX keys
            raise ValueError(table)
        self.db.execute(f"UPDATE {table} SET void_reason = ? WHERE id = ?", [reason, row_id])
        self.log(
            case_id,
            "void" if reason is not None else "unvoid",
            {"table": table, "id": row_id, "label": label, "reason": reason},
        )

    def set_delivered(self, case_id: int, row_id: int, label: str, on: date) -> str | None:
        """Record the day a sent letter (contact `row_id`) was delivered, logged as
        `delivered` with the table, row id, label and the old and new date, so a replay
        of the history reproduces the column; returns the date it replaced (call inside
        `atomic()` with the row checked)."""
        old = self.db.execute("SELECT delivered_on FROM contacts WHERE id = ?", [row_id]).fetchone()
        before = old[0] if old else None
        self.db.execute(
            "UPDATE contacts SET delivered_on = ? WHERE id = ?", [on.isoformat(), row_id]
        )
        self.log(
            case_id,
            "delivered",
            {
                "table": "contacts",
                "id": row_id,
                "label": label,
                "delivered_on": [before, on.isoformat()],
            },
        )
        return str(before) if before else None

    def same_contact(self, contact: NewContact) -> str | None:
        """The label of a contact in force with the same day, channel and ticket (compared
        after NFKC, without spaces, ignoring case) and the same time; when either has no
        time, the day alone decides."""
        at = contact.at_time.strftime("%H:%M") if contact.at_time else None
        ticket = _ticket_key(contact.ticket)
        for r in self.labelled_rows(contact.case_id, "contacts"):
            if (
                r["void_reason"] is None
                and r["on_date"] == contact.on.isoformat()
                and (at is None or r["at_time"] is None or r["at_time"] == at)
                and r["channel"] == contact.channel
                and _ticket_key(r["ticket"]) == ticket
                and bool(r["incoming"]) == contact.incoming
            ):
                return str(r["label"])
        return None

    def evidence_label(self, case_id: int, sha256: str) -> str | None:
        """The label of the case's evidence in force with this SHA-256, if any."""
        for r in self.labelled_rows(case_id, "evidence"):
            if r["void_reason"] is None and r["sha256"] == sha256:
                return str(r["label"])
        return None

    def cases_with_serial(self, serial: str) -> list[int]:
        """Cases not closed whose terminal has this serial (compared without case or
        surrounding spaces)."""
        rows = self.db.execute(
            "SELECT id FROM cases WHERE closed_on IS NULL AND serial IS NOT NULL "
            "AND upper(trim(serial)) = upper(trim(?)) ORDER BY id",
            [serial],
        )
        return [r[0] for r in rows]

    def evidence_count(self, case_ids: list[int] | None = None) -> int:
        sql, params = "SELECT count(*) FROM evidence", []
        if case_ids is not None:
            sql += f" WHERE case_id IN ({','.join('?' * len(case_ids))})"
            params = list(case_ids)
        return int(self.db.execute(sql, params).fetchone()[0])

    # -- reading facts (a few set-based queries, never one per case) --------------------
    def case_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM cases ORDER BY id")]

    def facts(self, case_id: int) -> CaseFacts:
        self.case_row(case_id)
        return self.all_facts(case_ids=[case_id])[0]

    def all_facts(
        self, case_ids: list[int] | None = None, with_history: bool = True
    ) -> list[CaseFacts]:
        where, params = "", []
        if case_ids is not None:
            where = f" WHERE {{col}} IN ({','.join('?' * len(case_ids))})"
            params = list(case_ids)

        def rows(sql: str, col: str) -> Iterator[dict[str, Any]]:
            return self.db.query(sql + where.format(col=col), params)

        # Rows in force go to the facts every computation reads; void rows only to
        # `voided` (for `show`), so no computation can count one by mistake.
        children: dict[str, dict[int, list[Any]]] = {}
        voided: dict[int, list[Any]] = defaultdict(list)
        for table, conv, order in (
            ("progress", progress_from_row, "on_date, id"),
            ("contacts", contact_from_row, "on_date, at_time, id"),
            ("evidence", evidence_from_row, "id"),
            ("refunds", refund_from_row, "on_date, id"),
        ):
            grouped: dict[int, list[Any]] = defaultdict(list)
            for r in self.db.query(
                f"SELECT * FROM ({labelled_sql(table, where.format(col='case_id'))}) "
                f"ORDER BY {order}",
                params,
            ):
                (grouped if r["void_reason"] is None else voided)[r["case_id"]].append(conv(r))
            children[table] = grouped
        history: dict[int, list[HistoryEntry]] = defaultdict(list)
        if with_history:
            for r in self.db.query(
                "SELECT * FROM history"
                + (where.format(col="case_id") if where else " WHERE case_id IS NOT NULL")
                + " ORDER BY id",
                params,
            ):
                history[r["case_id"]].append(history_from_row(r))
        out = []
        for r in rows("SELECT * FROM cases", "id"):
            cid = r["id"]
            out.append(
                CaseFacts(
                    case=row_to_case(r),
                    progress=tuple(children["progress"].get(cid, ())),
                    contacts=tuple(children["contacts"].get(cid, ())),
                    evidence=tuple(children["evidence"].get(cid, ())),
                    refunds=tuple(children["refunds"].get(cid, ())),
                    history=tuple(history.get(cid, ())),
                    voided=tuple(voided.get(cid, ())),
                )
            )
        return out

    def evidence(self, case_ids: list[int] | None = None) -> list[Evidence]:
        """The evidence records in force (of the given cases, else all), by case, then
        as added; void ones are left out."""
        where, params = "", []
        if case_ids is not None:
            where = f" WHERE case_id IN ({','.join('?' * len(case_ids))})"
            params = list(case_ids)
        sql = f"SELECT * FROM ({labelled_sql('evidence', where)}) WHERE void_reason IS NULL"
        return [evidence_from_row(r) for r in self.db.query(sql + " ORDER BY case_id, id", params)]

    def recent_contacts(
        self, case_ids: list[int], since: date, today: date
    ) -> dict[int, list[Contact]]:
        """The contacts in force of `case_ids` whose follow-up can still be open (`agenda`):
        made or delivered on or after `since`, or promising an answer on or after `today`."""
        out: dict[int, list[Contact]] = defaultdict(list)
        for start in range(0, len(case_ids), 500):
            chunk = case_ids[start : start + 500]
            where = f" WHERE case_id IN ({','.join('?' * len(chunk))})"
            sql = (
                f"SELECT * FROM ({labelled_sql('contacts', where)}) WHERE void_reason IS NULL "
                "AND (on_date >= ? OR delivered_on >= ? OR promised_by >= ?) "
                "ORDER BY case_id, on_date, at_time, id"
            )
            params = [*chunk, since.isoformat(), since.isoformat(), today.isoformat()]
            for r in self.db.query(sql, params):
                out[r["case_id"]].append(contact_from_row(r))
        return dict(out)

    def status_facts(self) -> Iterator[CaseFacts]:
        """Every case in id order, streamed, with only the facts `status` and `agenda` use.

        All progress and refunds in force (void rows are left out, as everywhere); of
        the contacts in force only those that can decide a computed
        date, the state or the next action (`STATUS_CONTACTS_SQL`); no evidence, no
        history. One pass over four cursors ordered by case, so memory stays flat
        however many cases the ledger holds. `evaluate()` of these facts gives the same
        state, deadlines and next action as of the full facts (`show`, which lists the
        follow-up of every contact, reads `facts()` instead).
        """
        conn = self.db.conn

        def cursor(sql: str) -> Iterator[Any]:  # sqlite3.Row: by name, like a Mapping
            cur = conn.cursor()
            cur.row_factory = sqlite3.Row
            return cur.execute(sql)

        def grouped(sql: str, conv: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
            for cid, group in groupby(cursor(sql), key=itemgetter("case_id")):
                yield cid, tuple(conv(r) for r in group)

        def in_force(table: str) -> str:
            return f"SELECT * FROM ({labelled_sql(table)}) WHERE void_reason IS NULL"

        streams = [
            grouped(in_force("progress") + " ORDER BY case_id, on_date, id", progress_from_row),
            grouped(STATUS_CONTACTS_SQL, contact_from_row),
            grouped(in_force("refunds") + " ORDER BY case_id, on_date, id", refund_from_row),
        ]
        heads: list[tuple[int, tuple[Any, ...]] | None] = [next(s, None) for s in streams]
        for r in cursor("SELECT * FROM cases ORDER BY id"):
            cid = r["id"]
            found: list[tuple[Any, ...]] = []
            for i, stream in enumerate(streams):
                head = heads[i]
                while head is not None and head[0] < cid:  # rows of no case (none with FKs)
                    head = next(stream, None)
                if head is not None and head[0] == cid:
                    found.append(head[1])
                    head = next(stream, None)
                else:
                    found.append(())
                heads[i] = head
            yield CaseFacts(
                case=row_to_case(r), progress=found[0], contacts=found[1], refunds=found[2]
            )


def _typed(value: object, model: type) -> None:
    """Writes take their model, never a loose dict (whose `amount` could be yuan or fen)."""
    if not isinstance(value, model):
        raise TypeError(f"expected {model.__name__}, got {type(value).__name__}")


def _pk(value: Any) -> int:
    if value is None:  # pragma: no cover - sqlite always assigns a rowid
        raise RuntimeError("insert returned no primary key")
    return int(value)


def _now() -> str:
    """When a history entry is written (tests fix it to make golden heads deterministic)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name in some containers
        return "unknown"


def open_ledger(path: Path) -> Ledger:
    """Open (creating if needed) and migrate the ledger at `path`.

    Refuses a file that is not a SQLite database and a ledger written by a newer
    depositctl, leaving both untouched.
    """
    path = Path(path).expanduser()
    if path.exists() and path.is_dir():
        raise LedgerError(N_("The ledger path is a folder: {path}"), path=str(path))
    _check_writable(path)
    try:
        _create_private_file(path)
    except OSError as exc:
        raise LedgerError(
            N_("Cannot create the ledger {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        raise LedgerError(N_("Cannot open the ledger {path}"), path=str(path)) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA schema_version").fetchone()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        # A new ledger is empty; tables without our schema version or our migration
        # records belong to another program.
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        foreign = (
            version == 0
            and bool(tables)
            and not (
                migrations.migrations_table in tables
                and conn.execute(
                    f"SELECT count(*) FROM {migrations.migrations_table} WHERE migration_set = ?",
                    [migrations.name],
                ).fetchone()[0]
            )
        )
    except sqlite3.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorcode", None) not in NOT_A_LEDGER:  # full, I/O, can't open
            raise LedgerError(
                N_("Cannot use the ledger {path}: {reason}"), path=str(path), reason=str(exc)
            ) from None
        raise LedgerError(
            N_("{path} is not a depositctl ledger (not a readable SQLite database, or damaged)"),
            path=str(path),
        ) from None
    if foreign:
        conn.close()
        raise LedgerError(
            N_(
                "{path} is a database of another program, not a depositctl ledger; it was not changed"
            ),
            path=str(path),
        )
    if version > SCHEMA_VERSION:
        conn.close()
        raise LedgerError(
            N_(
                "The ledger {path} was written by a newer depositctl (schema {found}, this "
                "version knows {known}); upgrade depositctl, the ledger was not changed"
            ),
            path=str(path),
            found=version,
            known=SCHEMA_VERSION,
        )
    db = Database(conn, execute_plugins=False)
    try:
        applied = {m.name for m in migrations.applied(db)}
        unknown = applied - set(migration_names())
        if unknown:
            raise LedgerError(
                N_(
                    "The ledger {path} was written by a newer depositctl (schema {found}, this "
                    "version knows {known}); upgrade depositctl, the ledger was not changed"
                ),
                path=str(path),
                found=len(applied),
                known=SCHEMA_VERSION,
            )
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrating = bool(migrations.pending(db)) and version > 0
        migrate(db)  # all or nothing, in one BEGIN IMMEDIATE
        if migrating and not head_path(path).exists():
            # A ledger of a version before head files: its first head, once migrated.
            with suppress(OSError, UserError):
                write_head(path, *read_head_of(conn))
    except LedgerError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LedgerError(
            N_("Cannot use the ledger {path}: {reason}"), path=str(path), reason=str(exc)
        ) from None
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with suppress(OSError):
            mode = os.lstat(p).st_mode
            if stat.S_ISREG(mode) and mode & 0o077:  # only ever take rights away
                os.chmod(p, stat.S_IMODE(mode) & 0o700)
    return Ledger(db, path)


__all__ = ["Ledger", "head_path", "open_ledger", "read_head_file", "write_head"]


# -- the head file and objects depositctl did not create --------------------------------------
def head_path(ledger: Path) -> Path:
    """`ledger.db.head`: the count and last hash of the history, outside the database, so
    an entry deleted or rewritten at the end of the chain (with its fact) is found."""
    return Path(f"{ledger}.head")


@contextmanager
def head_lock(ledger: Path) -> Iterator[None]:
    """An exclusive lock (flock on the ledger's folder) around a commit and its head
    file; SQLite's own locks on the database file are not touched."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows
        yield
        return
    folder = ledger.parent if str(ledger.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a folder we cannot open for reading: the commit goes on unlocked
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def read_head_of(conn: sqlite3.Connection) -> tuple[int, str | None]:
    row = conn.execute(
        "SELECT count(*), (SELECT hash FROM history ORDER BY id DESC LIMIT 1) FROM history"
    ).fetchone()
    return int(row[0]), row[1]


def write_head(ledger: Path, count: int, head: str | None) -> None:
    """Replace the head file (a temporary renamed over it, 0600)."""
    from depositctl.store.outfile import output_file

    data = json.dumps({"count": count, "head": head}) + "\n"
    with output_file(head_path(ledger)) as fh:
        fh.write(data.encode("ascii"))


def read_head_file(ledger: Path) -> dict[str, Any] | None:
    """The head file's count and hash; None if there is none. Raises ValueError if it
    cannot be read as one."""
    path = head_path(ledger)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise ValueError("not a regular file")
        with open(path, "rb") as fh:
            raw = fh.read(4096)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(exc.strerror) from None
    data = json.loads(raw.decode("ascii"))
    if not (
        isinstance(data, dict)
        and isinstance(data.get("count"), int)
        and (data.get("head") is None or isinstance(data.get("head"), str))
    ):
        raise ValueError("not a head file")
    return data


def foreign_objects(conn: sqlite3.Connection) -> list[str]:
    """Tables, views, triggers and indexes depositctl did not create (`store.schema`)."""
    from depositctl.store.schema import foreign_objects as found

    return found(conn)


def refuse_foreign_objects(conn: sqlite3.Connection, path: Path) -> None:
    """A write refuses to run where SQL it did not create would run with it, or where an
    object it created is gone (a dropped trigger would leave the derived cache stale)."""
    from depositctl.store.schema import missing_objects

    missing = missing_objects(conn)
    if missing:
        raise LedgerError(
            N_(
                "The ledger {path} lacks objects depositctl creates ({objects}); nothing "
                "was written: run depositctl check"
            ),
            path=str(path),
            objects=", ".join(missing),
        )
    found = foreign_objects(conn)
    if found:
        raise LedgerError(
            N_(
                "The ledger {path} holds objects depositctl did not create ({objects}); they "
                "could run on this write, so nothing was written: run depositctl check"
            ),
            path=str(path),
            objects=", ".join(found),
        )


def _ticket_key(ticket: str | None) -> str:
    """A ticket number as `same_contact` compares it: NFKC, no spaces, case folded."""
    return "".join(unicodedata.normalize("NFKC", ticket or "").split()).casefold()
