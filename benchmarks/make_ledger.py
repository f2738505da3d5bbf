"""Build a realistic benchmark ledger fast, through the project's own store layer.

    python benchmarks/make_ledger.py --cases 10000 --contacts-per-case 10 --db /tmp/b.db

The schema comes from `open_ledger()` (so every migration is applied) and the profile
is written with `Ledger.set_profile()`. The bulk rows are then inserted in one
transaction with `executemany`, and every row gets the `history` entry the store would
have logged for it (`Ledger.log`: same `changes` JSON, chained with `history_hash`), so
the result is a valid ledger for `check`.

Every state is present (overdue, refund pending, condition pending/failed, awaiting
activation, refunded, closed), with progress, contacts, partial refunds and evidence.
Evidence rows point at a small pool of synthetic blobs written into the ledger's
content-addressed store (real files with real SHA-256, so `evidence verify` passes).
Deterministic for a given --seed and --today.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from depositctl.core.models import ProfileChanges
from depositctl.store.evidence import blob_path
from depositctl.store.ledger import history_hash, open_ledger

PROVIDERS = (
    "示例支付股份有限公司",
    "示例付科技有限公司",
    "示例收单服务有限公司",
    "某某数据科技有限公司",
    "某某电子支付有限公司",
)
BRANDS = ("示例POS", "示例付", "示例宝", "某某刷", None)
CHANNELS = (
    "phone",
    "phone",
    "agent",
    "chat",
    "wechat",
    "provider-complaint",
    "12315",
    "consumer-association",
    "email",
    "visit",
)
OUTCOMES = (None, "no-answer", "promised", "refused", "transferred", "accepted")
KINDS = ("receipt", "contract", "promise", "chat", "call-recording", "statement", "ticket")
#: Share of cases per state, out of 20.
MIX = (
    ["overdue"] * 7
    + ["refund_pending"] * 3
    + ["condition_pending"] * 2
    + ["condition_failed"] * 2
    + ["awaiting_activation"] * 2
    + ["refunded"] * 2
    + ["closed"] * 2
)


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


class Builder:
    def __init__(self, today: date, seed: int, contacts: int, evidence: int, pool: list[Any]):
        self.today = today
        self.rnd = random.Random(seed)
        self.n_contacts = contacts
        self.n_evidence = evidence
        self.pool = pool  # (sha256, size, name) of synthetic blobs
        self.at = datetime.now(UTC).isoformat(timespec="seconds")
        self.by = _who()
        self.rows: dict[str, list[tuple[Any, ...]]] = {
            t: [] for t in ("cases", "progress", "contacts", "evidence", "refunds", "history")
        }
        self.next_id = dict.fromkeys(self.rows, 1)
        self.prev_hash: str | None = None

    # -- writing rows the way the store would ------------------------------------------------
    def _id(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    def log(self, case_id: int, action: str, changes: dict[str, Any]) -> None:
        row = {
            "case_id": case_id,
            "at": self.at,
            "by": self.by,
            "action": action,
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
        }
        h = history_hash(self.prev_hash, row)
        self.rows["history"].append(
            (
                self._id("history"),
                case_id,
                row["at"],
                row["by"],
                action,
                row["changes"],
                self.prev_hash,
                h,
            )
        )
        self.prev_hash = h

    def case(self, row: dict[str, Any]) -> int:
        cid = self._id("cases")
        row["created_at"] = self.at
        self.rows["cases"].append((cid, *(row.get(c) for c in CASE_COLS)))
        self.log(cid, "add", {k: v for k, v in row.items() if v is not None})
        return cid

    def child(self, table: str, cols: tuple[str, ...], row: dict[str, Any], action: str) -> int:
        new_id = self._id(table)
        self.rows[table].append((new_id, *(row.get(c) for c in cols)))
        self.log(
            int(row["case_id"]),
            action,
            {"id": new_id, **{k: v for k, v in row.items() if k != "case_id"}},
        )
        return new_id

    # -- one realistic case -------------------------------------------------------------------
    def day(self, back_from: int, back_to: int) -> date:
        return self.today - timedelta(days=self.rnd.randint(back_to, back_from))

    def build_case(self, i: int) -> None:
        rnd = self.rnd
        state = MIX[i % len(MIX)]
        amount = rnd.choice((99, 99, 199, 299, 299, 499)) * 100
        row: dict[str, Any] = {
            "provider": rnd.choice(PROVIDERS),
            "brand": rnd.choice(BRANDS),
            "model": rnd.choice(("A8", "S1", "JB", None)),
            "serial": f"SN{i:08d}",
            "merchant_no": f"8{rnd.randint(10**13, 10**14 - 1)}",
            "amount_fen": amount,
            "paid_via": rnd.choice(("first-swipe", "wechat", "alipay", None)),
            "agent_name": rnd.choice(("王经理", "李师傅", None)),
            "agent_phone": rnd.choice(("13800138000", None)),
            "condition_text": "激活后90天内刷卡满5万元，押金全额退还"
            if rnd.random() < 0.5
            else None,
            "note": None,
        }
        progress: list[tuple[date, int, int | None]] = []
        refunds: list[tuple[date, int]] = []
        target = 5_000_000  # 50,000 yuan in fen
        if state in ("overdue", "condition_pending", "condition_failed", "awaiting_activation"):
            row.update(condition_volume_fen=target, condition_days=90)
            row["refund_within"] = rnd.choice(("15wd", "30d", "15wd", None))
        if state == "overdue":
            act = self.day(1000, 150)
            row.update(paid_on=act.isoformat(), activated_on=act.isoformat())
            parts = rnd.randint(2, 4)
            for k in range(parts):
                progress.append(
                    (act + timedelta(days=10 + 15 * k), target // parts + 100, rnd.randint(20, 60))
                )
            if rnd.random() < 0.15:
                refunds.append((self.day(60, 1), amount // 3))
        elif state == "condition_pending":
            act = self.day(80, 5)
            row.update(paid_on=act.isoformat(), activated_on=act.isoformat())
            progress.append((act + timedelta(days=1), target // 5, 10))
        elif state == "condition_failed":
            act = self.day(800, 120)
            row.update(paid_on=act.isoformat(), activated_on=act.isoformat())
            progress.append((act + timedelta(days=5), target // 10, 5))
        elif state == "awaiting_activation":
            row["paid_on"] = self.day(80, 2).isoformat()
        else:  # refundable on request
            row["no_condition"] = 1
            row["paid_on"] = self.day(900, 30).isoformat()
            if state == "refund_pending":
                row["promised_refund_on"] = (
                    self.today + timedelta(days=rnd.randint(1, 60))
                ).isoformat()
            elif state == "refunded":
                refunds += [(self.day(20, 10), amount // 2), (self.day(9, 1), amount - amount // 2)]
            else:
                row.update(
                    closed_on=self.day(30, 1).isoformat(),
                    close_reason=rnd.choice(("written-off", "withdrawn")),
                )
        row.setdefault("condition_return", 0)
        row.setdefault("no_condition", 0)
        cid = self.case(row)

        for on, vol, count in progress:
            self.child(
                "progress",
                PROGRESS_COLS,
                {
                    "case_id": cid,
                    "on_date": min(on, self.today).isoformat(),
                    "volume_fen": vol,
                    "count": count,
                    "source": "manual",
                    "note": None,
                },
                "progress",
            )

        paid = date.fromisoformat(row["paid_on"])
        span = max((self.today - paid).days, 1)
        days = sorted(rnd.randint(0, span) for _ in range(self.n_contacts))
        contact_ids = []
        for k, offset in enumerate(days):
            on = paid + timedelta(days=offset)
            channel = CHANNELS[min(k * len(CHANNELS) // max(self.n_contacts, 1), 9)]
            if rnd.random() < 0.3:
                channel = rnd.choice(CHANNELS)
            promised = on + timedelta(days=7) if rnd.random() < 0.2 else None
            contact_ids.append(
                self.child(
                    "contacts",
                    CONTACT_COLS,
                    {
                        "case_id": cid,
                        "on_date": on.isoformat(),
                        "at_time": f"{rnd.randint(8, 19):02d}:{rnd.randint(0, 59):02d}"
                        if rnd.random() < 0.5
                        else None,
                        "channel": channel,
                        "to_whom": rnd.choice(("客服", "代理商", "工号1024", None)),
                        "ticket": f"T{cid}-{k}" if rnd.random() < 0.3 else None,
                        "outcome": rnd.choice(OUTCOMES),
                        "promised_by": promised.isoformat() if promised else None,
                        "summary": "要求退还押金，对方称需核实" if rnd.random() < 0.5 else None,
                        "refund_request": int(k == len(days) - 1 or rnd.random() < 0.1),
                    },
                    "contact",
                )
            )

        picks = rnd.sample(self.pool, min(self.n_evidence, len(self.pool)))
        picks += [rnd.choice(self.pool) for _k in range(self.n_evidence - len(picks))]
        for sha, size, name in picks:
            self.child(
                "evidence",
                EVIDENCE_COLS,
                {
                    "case_id": cid,
                    "sha256": sha,
                    "name": name,
                    "size": size,
                    "kind": rnd.choice(KINDS),
                    "note": None,
                    "added_on": paid.isoformat(),
                    "contact_id": rnd.choice(contact_ids)
                    if contact_ids and rnd.random() < 0.5
                    else None,
                },
                "evidence",
            )

        for on, fen in refunds:
            self.child(
                "refunds",
                REFUND_COLS,
                {"case_id": cid, "on_date": on.isoformat(), "amount_fen": fen, "note": None},
                "refund",
            )


CASE_COLS = (
    "provider",
    "brand",
    "model",
    "serial",
    "merchant_no",
    "amount_fen",
    "paid_on",
    "paid_via",
    "agent_name",
    "agent_phone",
    "activated_on",
    "condition_volume_fen",
    "condition_count",
    "condition_days",
    "condition_return",
    "no_condition",
    "refund_within",
    "promised_refund_on",
    "condition_text",
    "note",
    "met_on",
    "returned_on",
    "closed_on",
    "close_reason",
    "created_at",
)
PROGRESS_COLS = ("case_id", "on_date", "volume_fen", "count", "source", "note")
CONTACT_COLS = (
    "case_id",
    "on_date",
    "at_time",
    "channel",
    "to_whom",
    "ticket",
    "outcome",
    "promised_by",
    "summary",
    "refund_request",
)
EVIDENCE_COLS = ("case_id", "sha256", "name", "size", "kind", "note", "added_on", "contact_id")
REFUND_COLS = ("case_id", "on_date", "amount_fen", "note")
HISTORY_COLS = ("case_id", "at", "by", "action", "changes", "prev_hash", "hash")
COLUMNS = {
    "cases": CASE_COLS,
    "progress": PROGRESS_COLS,
    "contacts": CONTACT_COLS,
    "evidence": EVIDENCE_COLS,
    "refunds": REFUND_COLS,
    "history": HISTORY_COLS,
}


def write_pool(store: Path, n: int, seed: int) -> list[tuple[str, int, str]]:
    """`n` small synthetic evidence files in the content-addressed store."""
    rnd = random.Random(seed)
    pool = []
    for k in range(n):
        data = (f"synthetic evidence {k}\n".encode()) + rnd.randbytes(rnd.randint(2_000, 60_000))
        sha = hashlib.sha256(data).hexdigest()
        path = blob_path(store, sha)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(data)
        path.chmod(0o400)
        ext = rnd.choice(("jpg", "png", "pdf", "m4a"))
        pool.append((sha, len(data), f"evidence-{k:03d}.{ext}"))
    return pool


def build(
    db: Path,
    cases: int,
    contacts: int,
    evidence: int,
    today: date,
    seed: int = 1,
    pool_size: int = 40,
) -> dict[str, int]:
    if db.exists():
        raise SystemExit(f"{db} exists; give a new path")
    led = open_ledger(db)
    try:
        led.set_profile(
            ProfileChanges(
                name="张三",
                phone="13900139000",
                address="某省某市某区某路1号",
                id_number=None,
                email="zhangsan@example.com",
            )
        )
        pool = write_pool(led.evidence_dir, max(pool_size, evidence), seed)
        b = Builder(today, seed, contacts, evidence, pool)
        last = led.db.execute("SELECT id, hash FROM history ORDER BY id DESC LIMIT 1").fetchone()
        if last:
            b.next_id["history"], b.prev_hash = last[0] + 1, last[1]
        for i in range(cases):
            b.build_case(i)
        used = {r[2] for r in b.rows["evidence"]}  # (id, case_id, sha256, ...)
        for sha, _size, _name in pool:  # keep the store to the files the rows name
            if sha not in used:
                blob_path(led.evidence_dir, sha).unlink()
        conn: sqlite3.Connection = led.db.conn
        with led.atomic():
            for table, cols in COLUMNS.items():
                rows = b.rows[table]
                if not rows:
                    continue
                marks = ",".join("?" * (len(cols) + 1))
                names = ",".join(f'"{c}"' for c in ("id", *cols))
                conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        conn.execute("PRAGMA optimize")
        return {t: len(r) for t, r in b.rows.items()}
    finally:
        led.close()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, required=True)
    p.add_argument("--contacts-per-case", type=int, default=10)
    p.add_argument("--evidence-per-case", type=int, default=2)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--today", default="2026-11-24", help="the date the states are built around")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    counts = build(
        a.db,
        a.cases,
        a.contacts_per_case,
        a.evidence_per_case,
        date.fromisoformat(a.today),
        a.seed,
    )
    took = time.perf_counter() - t0
    summary = ", ".join(f"{n} {t}" for t, n in counts.items())
    print(f"{a.db}: {summary} in {took:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
