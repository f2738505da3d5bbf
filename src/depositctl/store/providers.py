"""The `providers` and `provider_aliases` tables: reading, writing (logged in the history
chain), and their replay for `check` and `import`.

Every write logs one history entry, action `provider`, no case:
`{"id": ..., "name": ..., <column>: [old, new], ..., "aliases": [old, new]}` with only
the columns that changed (a new provider's old values are the blank row's: `kind`
institution, the rest null; aliases are sorted lists). Replaying these entries in order
gives every provider row and alias row the ledger must hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from depositctl.core.errors import N_, LedgerError, UserError
from depositctl.core.respondents import (
    PROVIDER_FIELDS,
    PROVIDER_KINDS,
    Provider,
    credit_code_key,
)
from depositctl.store.ledger import Ledger
from depositctl.store.migrations import table_columns
from depositctl.store.replay import Problem, same

ACTION = "provider"
WHAT_PROVIDER = N_("provider")
WHAT_ALIAS = N_("provider alias")
# The templates of the case tables' replay (store/check.py), reused word for word.
_GONE = N_("{what} {row} is in the history but gone from the ledger (deleted outside depositctl)")
_ADDED = N_("{what} {row} is not in the history (added outside depositctl)")
_DIFFERS = N_("{what} {row} differs from its history in {fields} (changed outside depositctl)")


def _provider(row: Mapping[str, Any], aliases: Iterable[str]) -> Provider:
    if row["kind"] not in PROVIDER_KINDS or not isinstance(row["name"], str):
        raise LedgerError(
            N_(
                "Row {id} of table {table} holds a value depositctl cannot read "
                "(changed outside depositctl?); run depositctl check"
            ),
            table="providers",
            id=row["id"],
        )
    return Provider(
        name=row["name"],
        kind=row["kind"],
        credit_code=row["credit_code"],
        address=row["address"],
        licence=row["licence"],
        hotline=row["hotline"],
        email=row["email"],
        aliases=tuple(sorted(aliases)),
    )


def load_providers(led: Ledger) -> list[Provider]:
    """Every provider, by legal name, with its aliases."""
    aliases: dict[int, list[str]] = {}
    for r in led.db.execute("SELECT alias, provider_id FROM provider_aliases"):
        aliases.setdefault(r[1], []).append(r[0])
    return [
        _provider(r, aliases.get(r["id"], ()))
        for r in led.db.query("SELECT * FROM providers ORDER BY name")
    ]


def save_provider(led: Ledger, provider: Provider) -> bool:
    """Insert or update `provider` (found by its exact legal name) and its aliases;
    log what changed. False if nothing did. A credit code another provider has is refused.
    """
    with led.atomic():
        if provider.credit_code:
            key = credit_code_key(provider.credit_code)
            for name, code in led.db.execute(
                "SELECT name, credit_code FROM providers WHERE name != ? "
                "AND credit_code IS NOT NULL",
                [provider.name],
            ):
                if credit_code_key(code) == key:
                    raise UserError(
                        N_("The credit code {code} is already recorded for {provider}"),
                        code=provider.credit_code,
                        provider=name,
                    )
        rows = list(led.db.query("SELECT * FROM providers WHERE name = ?", [provider.name]))
        new = {k: getattr(provider, k) for k in PROVIDER_FIELDS}
        if rows:
            pid = int(rows[0]["id"])
            old = {k: rows[0][k] for k in PROVIDER_FIELDS}
            old_aliases = sorted(
                r[0]
                for r in led.db.execute(
                    "SELECT alias FROM provider_aliases WHERE provider_id = ?", [pid]
                )
            )
        else:
            old = {k: getattr(Provider(name=provider.name), k) for k in PROVIDER_FIELDS}
            old_aliases = []
            table = led.db.table("providers")
            table.insert({"name": provider.name, **old})
            pid = int(table.last_pk)  # type: ignore[arg-type]
        diff: dict[str, Any] = {k: [old[k], new[k]] for k in PROVIDER_FIELDS if old[k] != new[k]}
        new_aliases = sorted(provider.aliases)
        if new_aliases != old_aliases:
            diff["aliases"] = [old_aliases, new_aliases]
        if rows and not diff:
            return False
        if diff.keys() - {"aliases"}:
            led.db.table("providers").update(pid, {k: new[k] for k in diff if k != "aliases"})
        if "aliases" in diff:
            gone = set(old_aliases) - set(new_aliases)
            led.db.conn.executemany(
                "DELETE FROM provider_aliases WHERE alias = ?", [(a,) for a in sorted(gone)]
            )
            led.db.conn.executemany(
                "INSERT INTO provider_aliases (alias, provider_id) VALUES (?, ?)",
                [(a, pid) for a in new_aliases if a not in old_aliases],
            )
        led.log(None, ACTION, {"id": pid, "name": provider.name, **diff})
    return True


# -- check and import -----------------------------------------------------------------------
def replay_providers(
    history: Iterable[Mapping[str, Any]],
    providers: Iterable[Mapping[str, Any]],
    aliases: Iterable[Mapping[str, Any]],
    columns: Mapping[str, tuple[str, Any]] | None = None,
) -> list[Problem]:
    """Replay the `provider` history entries and compare with the rows held (the
    ledger's, or an export file's); `columns` of `providers`, else a fresh ledger's."""
    import json

    if columns is None:
        columns = reference_columns()
    blank = {c: d for c, (_t, d) in columns.items()}

    problems: list[Problem] = []
    expected: dict[int, dict[str, Any]] = {}
    exp_aliases: dict[str, int] = {}
    for h in history:
        if h.get("action") != ACTION or h.get("case_id") is not None:
            continue
        try:
            changes = json.loads(h["changes"])
        except (TypeError, ValueError):
            continue  # reported by the main replay
        pid = changes.get("id") if isinstance(changes, dict) else None
        if not isinstance(pid, int) or isinstance(pid, bool):
            problems.append(
                Problem(None, N_("history entry {entry} cannot be read"), {"entry": h.get("id")})
            )
            continue
        row = expected.setdefault(pid, {**blank, "id": pid})
        row["name"] = changes.get("name")
        for key, value in changes.items():
            if not (isinstance(value, list) and len(value) == 2):
                continue
            if key == "aliases":
                held = sorted(a for a, p in exp_aliases.items() if p == pid)
                old, new = value
                if held != old:
                    problems.append(_changed_before("aliases", h))
                for a in held:
                    del exp_aliases[a]
                for a in new if isinstance(new, list) else ():
                    exp_aliases[str(a)] = pid
            elif key in columns:
                if not same(row[key], value[0]):
                    problems.append(_changed_before(key, h))
                row[key] = value[1]

    actual = {int(r["id"]): {**blank, **r} for r in providers}
    for pid in sorted(set(actual) | set(expected)):
        got, want = actual.get(pid), expected.get(pid)
        if got is None:
            problems.append(_problem(_GONE, WHAT_PROVIDER, (want or {}).get("name")))
        elif want is None:
            problems.append(_problem(_ADDED, WHAT_PROVIDER, got.get("name")))
        else:
            diff = [c for c in columns if not same(got.get(c), want.get(c))]
            if diff:
                problems.append(_problem(_DIFFERS, WHAT_PROVIDER, got.get("name"), ", ".join(diff)))
    held_by = {str(r.get("alias")): r.get("provider_id") for r in aliases}
    for alias in sorted(set(held_by) | set(exp_aliases)):
        if alias not in held_by:
            problems.append(_problem(_GONE, WHAT_ALIAS, alias))
        elif alias not in exp_aliases:
            problems.append(_problem(_ADDED, WHAT_ALIAS, alias))
        elif not same(held_by[alias], exp_aliases[alias]):
            problems.append(_problem(_DIFFERS, WHAT_ALIAS, alias, "provider_id"))
    return problems


def _problem(template: str, what: str, row: Any, fields: str | None = None) -> Problem:
    params: dict[str, Any] = {"what": what, "row": row}
    if fields is not None:
        params["fields"] = fields
    return Problem(None, template, params)


def _changed_before(key: str, h: Mapping[str, Any]) -> Problem:
    return Problem(
        None,
        N_("{field} had been changed outside depositctl before history entry {entry}"),
        {"field": key, "entry": h.get("id")},
    )


def reference_columns() -> dict[str, tuple[str, Any]]:
    """The columns of `providers` in a fully migrated ledger."""
    from depositctl.store.migrations import reference_schema

    conn = reference_schema()
    try:
        return table_columns(conn, "providers")
    finally:
        conn.close()


def check_providers(led: Ledger) -> list[Problem]:
    """`check`: the provider tables against their history."""
    return replay_providers(
        led.db.query("SELECT * FROM history ORDER BY id"),
        led.db.query("SELECT * FROM providers ORDER BY id"),
        led.db.query("SELECT * FROM provider_aliases ORDER BY alias"),
        table_columns(led.db.conn, "providers"),
    )
