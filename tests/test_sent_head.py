"""Issue 13, tamper evidence: a letter prints the ledger head (history count and hash
prefix) in its footer; `sent --file LETTER` records the head the letter states on its
contact (m006), and `check` holds the history to every recorded head, so an older entry
rewritten or deleted is found even when the head file was rewritten to match."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from depositctl.store.ledger import write_head
from depositctl.store.rows import history_hash
from tests.conftest import Cli

SENT = ("--to", "provider", "--on", "2026-11-10", "--via", "ems")


def letter(cli: Cli, case_id: int, tmp_path: Path, fmt: str = "md") -> Path:
    out = tmp_path / f"letter.{fmt}"
    r = cli.run(
        "letter", str(case_id), "--to", "provider", "--format", fmt, "-o", str(out), "--force"
    )
    assert r.exit_code == 0 and out.is_file(), r.stderr
    return out


def history(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT id, hash FROM history ORDER BY id"))


def recorded_head(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT ledger_head FROM contacts WHERE letter IS NOT NULL").fetchone()
    return row[0] if row else None


def rechain_and_rewrite_head(db: Path) -> None:
    """What a forger does after editing the history: recompute every hash, and write the
    head file to the new end, so the chain and the head file both verify."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    prev = None
    for row in list(conn.execute("SELECT * FROM history ORDER BY id")):
        h = {**dict(row), "prev_hash": prev}
        h["hash"] = history_hash(prev, h)
        conn.execute(
            "UPDATE history SET prev_hash = ?, hash = ? WHERE id = ?", [prev, h["hash"], h["id"]]
        )
        prev = h["hash"]
    conn.commit()
    count = conn.execute("SELECT count(*) FROM history").fetchone()[0]
    conn.close()
    write_head(db, count, prev)


def test_sent_records_the_head_the_letter_states_and_check_is_clean(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    cli.ok("progress", str(case_id), "--on", "2025-03-10", "--volume", "100")
    file = letter(cli, case_id, tmp_path)
    count = len(history(cli.db))
    last = history(cli.db)[-1][1]
    assert f"账本共有{count}条历史记录" in file.read_text(encoding="utf-8")
    cli.ok("sent", str(case_id), *SENT, "--file", str(file))
    assert recorded_head(cli.db) == f"{count}:{last[:12]}"
    r = cli.ok("check")
    assert "states the ledger had" not in r.stdout + r.stderr
    # Export and import carry the recorded head, and the imported ledger checks clean.
    data = cli.ok("export").json()
    (sent,) = [c for c in data["contacts"] if c.get("letter")]
    assert sent["ledger_head"] == f"{count}:{last[:12]}"
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other" / "ledger.db"
    store = cli.db.parent
    cli.ok("--db", str(other), "import", str(exported), "--evidence-from", str(store))
    assert recorded_head(other) == f"{count}:{last[:12]}"
    cli.ok("--db", str(other), "check")


def test_a_docx_letter_states_its_head_too(cli: Cli, case_id: int, tmp_path: Path) -> None:
    file = letter(cli, case_id, tmp_path, "docx")
    count, last = len(history(cli.db)), history(cli.db)[-1][1]
    cli.ok("sent", str(case_id), *SENT, "--file", str(file))
    assert recorded_head(cli.db) == f"{count}:{last[:12]}"


def test_an_entry_rewritten_at_the_recorded_count_fails_check(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    file = letter(cli, case_id, tmp_path)
    count = len(history(cli.db))
    cli.ok("sent", str(case_id), *SENT, "--file", str(file))
    cli.ok("check")
    # Rewrite the entry the letter names (a time stamp: no fact changes), re-chain
    # everything after it and rewrite the head file: chain, facts and head file verify.
    entry_id = history(cli.db)[count - 1][0]
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE history SET at = '2020-01-01T00:00:00+00:00' WHERE id = ?", [entry_id])
    rechain_and_rewrite_head(cli.db)
    r = cli.run("check")
    assert r.exit_code != 0
    out = r.stdout + r.stderr
    assert "C1" in out and f"states the ledger had {count} history entries" in out, out
    assert "rewritten outside depositctl" in out
    assert "does not follow" not in out and "head file" not in out  # only the letter finds it


def test_older_entries_deleted_fail_check_even_with_the_head_file_rewritten(
    cli: Cli, case_id: int, tmp_path: Path
) -> None:
    cli.ok("progress", str(case_id), "--on", "2025-03-10", "--volume", "100")
    file = letter(cli, case_id, tmp_path)
    count = len(history(cli.db))
    cli.ok("sent", str(case_id), *SENT, "--file", str(file))
    # The progress entry (the newest when the letter was written) and its row deleted,
    # the chain and the head file made to verify again.
    entry_id = history(cli.db)[count - 1][0]
    with sqlite3.connect(cli.db) as conn:
        conn.execute("DELETE FROM history WHERE id = ?", [entry_id])
        conn.execute("DELETE FROM progress")
    rechain_and_rewrite_head(cli.db)
    r = cli.run("check")
    assert r.exit_code != 0
    out = r.stdout + r.stderr
    assert f"states the ledger had {count} history entries" in out, out
    assert "rewritten outside depositctl" in out  # entry `count` is now the sent one


def test_a_letter_of_another_ledger_is_refused(cli: Cli, case_id: int, tmp_path: Path) -> None:
    file = letter(cli, case_id, tmp_path)
    text = file.read_text(encoding="utf-8")
    count = len(history(cli.db))
    forged = tmp_path / "forged.md"
    forged.write_text(text.replace(f"共有{count}条", f"共有{count + 50}条"), encoding="utf-8")
    before = cli.snapshot()
    cli.fails("sent", str(case_id), *SENT, "--file", str(forged), contains="does not hold")
    assert cli.snapshot() == before
