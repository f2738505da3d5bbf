"""Capture what depositctl prints, to compare two versions of the code byte for byte.

    python benchmarks/capture.py capture OUT [--cases 300]   # builds the ledgers, then captures
    python benchmarks/capture.py compare OLD NEW              # prints IDENTICAL/DIFFERENT counts

For the demo ledger (data/examples/demo-ledger.toml) and a generated ledger
(tests/fixtures/make_ledger.py), at two todays, in zh and en: `status`,
`status --json --all`, `status --limit 0`, `agenda`, `show --json` and `channels --json`
of every case, and every letter (Markdown, `--force`) of every case of the demo ledger
and of the first cases of the generated one. Each output is one file (stdout, then the
exit code); the ledgers are built once per OUT folder and copied before each capture,
so a capture never sees another's writes (the cache of a newer version included).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAYS = ("2026-11-24", "2027-03-15")
LANGS = ("zh", "en")
RECIPIENTS = ("provider", "12363", "12315", "12315-report", "consumer-association", "court", "pcac")
LETTER_CASES = 6  # of the generated ledger (the demo's: all)


def build(out: Path, cases: int) -> list[Path]:
    src = out / "ledgers"
    src.mkdir(parents=True, exist_ok=True)
    demo, gen = src / "demo" / "ledger.db", src / "gen" / "ledger.db"
    if not demo.exists():
        demo.parent.mkdir(exist_ok=True)
        code = (
            "import sys; from pathlib import Path; from datetime import date\n"
            "from depositctl import data\n"
            "from depositctl.store.casefile import file_today, load_casefile, read_casefile\n"
            "from depositctl.store.ledger import open_ledger\n"
            "ex = data.path('examples', 'demo-ledger.toml'); c = read_casefile(ex)\n"
            "with open_ledger(Path(sys.argv[1])) as led:\n"
            "    load_casefile(led, c, ex.parent, file_today(c) or date(2026, 11, 24))\n"
        )
        subprocess.run([sys.executable, "-c", code, str(demo)], check=True)
    if not gen.exists():
        gen.parent.mkdir(exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "tests/fixtures/make_ledger.py"),
                "--cases",
                str(cases),
                "--contacts-per-case",
                "6",
                "--evidence-per-case",
                "0",
                "--db",
                str(gen),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return [demo, gen]


def capture(out: Path, cases: int) -> None:
    for ledger in build(out, cases):
        for lang in LANGS:
            for today in TODAYS:
                work = out / "work" / f"{ledger.parent.name}-{lang}-{today}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                shutil.copy(ledger, work / "ledger.db")
                dest = out / "outputs" / f"{ledger.parent.name}-{lang}-{today}"
                dest.mkdir(parents=True, exist_ok=True)
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "worker",
                        str(work / "ledger.db"),
                        lang,
                        today,
                        str(dest),
                        "0" if ledger.parent.name == "demo" else str(LETTER_CASES),
                    ],
                    check=True,
                )


def worker(db: str, lang: str, today: str, dest: str, letter_cases: int) -> None:
    import os
    import sqlite3

    import typer.main
    from typer.testing import CliRunner

    from depositctl.cli.main import build_app

    os.environ["DEPOSITCTL_CALENDAR"] = ""  # none beside the copy: the package's data only
    os.environ.pop("DEPOSITCTL_CALENDAR")
    cmd = typer.main.get_command(build_app(lang))
    runner = CliRunner()
    out = Path(dest)
    tmp = Path(db).parent / "letters"
    tmp.mkdir(exist_ok=True)

    def run(name: str, *args: str, file: Path | None = None) -> None:
        argv = ["--db", db, "--today", today, "--lang", lang, *args]
        with runner.isolation() as (stdout, stderr, _mixed):
            try:
                cmd.main(args=argv, prog_name="depositctl")
                code: object = 0
            except SystemExit as exc:
                code = 0 if exc.code is None else exc.code
            except Exception as exc:
                code = f"exception {type(exc).__name__}: {exc}"
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            text = stdout.getvalue().decode("utf-8") + stderr.getvalue().decode("utf-8")
        if file is not None and file.exists():
            text += "\n--- file ---\n" + file.read_text(encoding="utf-8")
            file.unlink()
        (out / name).write_text(f"{text}\n--- exit {code}\n", encoding="utf-8")

    run("status", "status")
    run("status-all-json", "status", "--json", "--all")
    run("status-limit0", "status", "--limit", "0")
    run("agenda", "agenda", "--days", "30")
    ids = [r[0] for r in sqlite3.connect(db).execute("SELECT id FROM cases ORDER BY id")]
    for cid in ids:
        run(f"show-{cid}", "show", str(cid), "--json")
        run(f"channels-{cid}", "channels", str(cid), "--json")
    for cid in ids[: letter_cases or None]:
        for to in RECIPIENTS:
            f = tmp / f"{cid}-{to}.md"
            extra = ["--court", "某某区人民法院"] if to == "court" else []
            run(
                f"letter-{cid}-{to}",
                "letter",
                str(cid),
                "--to",
                to,
                "--force",
                "-o",
                str(f),
                *extra,
                file=f,
            )


def _text(root: Path, file: Path) -> bytes:
    """An output with its own work folder (letters name the file they wrote) neutral."""
    return file.read_bytes().replace(str(root.resolve() / "work").encode(), b"<work>")


def compare(old: Path, new: Path) -> int:
    a = {p.relative_to(old / "outputs"): p for p in (old / "outputs").rglob("*") if p.is_file()}
    b = {p.relative_to(new / "outputs"): p for p in (new / "outputs").rglob("*") if p.is_file()}
    both = [k for k in a if k in b]
    differ = sorted(str(k) for k in both if _text(old, a[k]) != _text(new, b[k]))
    missing = sorted(str(k) for k in a.keys() ^ b.keys())
    print(f"IDENTICAL {len(both) - len(differ)}  DIFFERENT {len(differ)}  MISSING {len(missing)}")
    for k in (differ + missing)[:20]:
        print("  ", k)
    return 0 if not differ and not missing else 1


def main() -> int:
    if sys.argv[1:2] == ["worker"]:
        db, lang, today, dest, n = sys.argv[2:7]
        worker(db, lang, today, dest, int(n))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("out", type=Path)
    c.add_argument("--cases", type=int, default=120)
    d = sub.add_parser("compare")
    d.add_argument("old", type=Path)
    d.add_argument("new", type=Path)
    args = p.parse_args()
    if args.cmd == "capture":
        capture(args.out, args.cases)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
