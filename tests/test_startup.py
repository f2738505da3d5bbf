"""What a 5-case `status` imports (issue 12: ≤ 4× `python -c pass`), and that each
shortcut taken for it gives what the code it replaces gives."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from depositctl import data, fast
from depositctl.core.dates import parse_date
from depositctl.core.digest import sha256
from depositctl.core.errors import UserError
from depositctl.core.periods import years_after
from depositctl.core.rules import Rules
from depositctl.core.vocab import normalize_word
from depositctl.store import calendar
from depositctl.store.calendar import calendar_file, calendar_path, file_stat, pure_path
from tests.fixtures import make_ledger
from tests.test_fastpath import fresh

#: What the fast path leaves out and what each cost a 5-case `status` when it did not
#: (hyperfine and `python -X importtime`, session 5): `typing` ~5 ms, `tomllib` with the
#: parse of rules.toml ~11 ms, `shutil` (zlib, bz2, lzma) ~5 ms, `dateutil` ~2 ms, the
#: regular expressions of `core.dates` ~4 ms, gettext's `locale` aliases ~2 ms; and the heavy libraries it never needs.
#: Session 6: `dataclasses` (with `inspect`, `ast`, `dis`, `tokenize`; core/recordtype.py)
#: ~19 ms, `pathlib` (with `urllib.parse`, `ipaddress`, `fnmatch`) ~7 ms, `hashlib` (OpenSSL)
#: ~4.5 ms, `importlib.util` ~2 ms, `chinese_calendar` (data/workdays.json instead) 13 M
#: of 171 M instructions, `contextlib` ~1 ms, `store.rows` ~1 ms.
#: Session 10 (valgrind, instructions of a 5-case `status`, 157 M in all; `python -c pass`
#: 38 M): `json` and `gettext` (core/jsontext.py, i18n.py), which import `re`, 8 M;
#: `re` itself (with its patterns compiled) 17 M (render/boxtable.py, tables.py,
#: core/records.py, money.py); `enum` 7.7 M (core/strenum.py).
NOT_IMPORTED = (
    "json",
    "gettext",
    "re",
    "enum",
    "dataclasses",
    "inspect",
    "pathlib",
    "urllib",
    "hashlib",
    "importlib.util",
    "chinese_calendar",
    "contextlib",
    "depositctl.store.rows",
    "typing",
    "tomllib",
    "shutil",
    "dateutil",
    "depositctl.core.dates",
    "locale",
    "pydantic",
    "typer",
    "click",
    "rich",
    "sqlite_utils",
)


@pytest.mark.slow
@pytest.mark.parametrize("args", ["status", "status --json", "status --all --limit 0"])
def test_status_imports_none_of_these(tmp_path: Path, args: str) -> None:
    """A plain `status`, with a case whose provider holds an ideographic space (U+3000,
    common in pasted Chinese text, not printable) and one whose condition's text holds
    line breaks: neither needs `re` to be made safe to show (`records.safe`)."""
    db = tmp_path / "ledger.db"
    make_ledger.main(["--cases", "5", "--contacts-per-case", "3", "--db", str(db)])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE cases SET provider = '示例\u3000支付有限公司' WHERE id = 1")
        conn.execute("UPDATE cases SET condition_text = '满50000元\n返还' WHERE id = 2")
    conn.close()
    fresh(db)
    code = (
        "import sys; sys.argv = ['depositctl', '--db', *sys.argv[1:]];"
        "from depositctl.fast import main; main();"
        f"print('IMPORTED', [m for m in {NOT_IMPORTED!r} if m in sys.modules], file=sys.stderr)"
    )
    argv = [sys.executable, "-c", code, str(db), "--today", "2026-11-24", *args.split()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPOSITCTL_")}
    run = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("[" if "--json" in args else " "), run.stdout  # served here
    assert "IMPORTED []" in run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_at_the_default_place_imports_none_of_these(tmp_path: Path, lang: str) -> None:
    """The ledger where it is without `--db` (`fast.data_folder`, no platformdirs)."""
    home = tmp_path / "home"
    db = home / ".local" / "share" / "depositctl" / "ledger.db"
    db.parent.mkdir(parents=True, mode=0o700)
    make_ledger.main(["--cases", "5", "--contacts-per-case", "3", "--db", str(db)])
    fresh(db)
    code = (
        "import sys; sys.argv = ['depositctl', *sys.argv[1:]];"
        "from depositctl.fast import main; main();"
        f"print('IMPORTED', [m for m in {(*NOT_IMPORTED, 'platformdirs')!r} if m in sys.modules],"
        " file=sys.stderr)"
    )
    argv = [sys.executable, "-c", code, "--today", "2026-11-24", "--lang", lang, "status"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPOSITCTL_", "XDG_"))}
    run = subprocess.run(argv, capture_output=True, text=True, env={**env, "HOME": str(home)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(" ") and "SN0000000" in run.stdout, run.stdout  # served here
    assert "IMPORTED []" in run.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/root"},
        {"HOME": "/home/商户/"},
        {"HOME": "/"},
        {"HOME": "//srv//u"},
        {"HOME": "/home/u", "XDG_DATA_HOME": ""},
        {"HOME": "/home/u", "XDG_DATA_HOME": "/data/x"},
        {"HOME": "/home/u", "XDG_DATA_HOME": "relative"},
        {"HOME": "/home/u", "XDG_DATA_HOME": " "},
        {"HOME": "relative"},
        {"HOME": ""},
        {},
    ],
)
def test_the_default_folder_is_platformdirs(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """`fast.data_folder` is platformdirs' answer where it gives one, else None (then
    platformdirs answers)."""
    from platformdirs import user_data_dir

    for name in ("HOME", "XDG_DATA_HOME", "ANDROID_DATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    got = fast.data_folder(dict(os.environ))
    if (
        sys.platform == "linux"
        and env.get("HOME", "").startswith("/")
        and not env.get("XDG_DATA_HOME")
    ):
        assert got is not None
    if got is not None:
        assert got == user_data_dir("depositctl")
    monkeypatch.setenv("ANDROID_DATA", "/data")
    assert fast.data_folder(dict(os.environ)) is None


def test_rules_json_is_the_toml() -> None:
    """data/rules.json is what `make rules-json` writes for rules.toml as it is (run it
    after editing the table), and the table read from it is the TOML's."""
    import tomllib

    assert data.path(data.PREBUILT).read_text(encoding="utf-8") == data.prebuilt_text()
    from_toml = Rules.from_mapping(tomllib.loads(data.path("rules.toml").read_text("utf-8")))
    assert data._prebuilt() is not None
    assert data.rules() == from_toml
    assert list(data.rules().rules) == list(from_toml.rules)  # in the table's order


def test_rules_json_of_another_toml_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    toml = data.path("rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(
        toml.replace("limitation_warning_days = 180", "limitation_warning_days = 90"),
        encoding="utf-8",
    )
    (folder / data.PREBUILT).write_bytes(data.path(data.PREBUILT).read_bytes())
    monkeypatch.setattr(data, "file", lambda *parts: str(folder.joinpath(*parts)))
    data.rules.cache_clear()
    data.rules_digest.cache_clear()
    try:
        assert data._prebuilt() is None
        assert data.rules().limitation_warning_days == 90  # the TOML, parsed
        (folder / data.PREBUILT).write_text("{not json", encoding="utf-8")
        assert data._prebuilt() is None
        (folder / data.PREBUILT).unlink()
        assert data.rules().limitation_warning_days == 90
    finally:
        data.rules.cache_clear()
        data.rules_digest.cache_clear()


@pytest.mark.parametrize(
    "text",
    ["2026-11-24", "1990-01-01", "2100-12-31", "1989-12-31", "2101-01-01", "2026-02-29",
     "2024-02-29", "2026-13-01", "2026-00-10", "2026-1-24", "2026/11/24", "２０２６-11-24",
     "2026-11-2４", " 2026-11-24", "2026-11-24 ", "20261124", "今天", "+026-11-24", "2026-+1-24"],
)  # fmt: skip
def test_today_read_as_parse_date_reads_it(text: str) -> None:
    try:
        expected: date | None = parse_date(text)
    except UserError:
        expected = None
    got = fast._iso_day(text)
    assert got is None or got == expected  # None: parse_date reads it (or refuses it)
    if len(text) == 10 and text.isascii() and expected is not None and text[4] == "-":
        assert got == expected


@pytest.mark.parametrize("columns", [None, "80", "200", "0", "-5", "wide"])
def test_columns_as_shutil_reads_them(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert fast._columns(120) == shutil.get_terminal_size((120, 24)).columns


def test_years_after_as_relativedelta() -> None:
    day = date(1990, 1, 1)
    while day < date(2101, 1, 1):
        for years in (-3, -1, 0, 1, 2, 3, 4, 20):
            assert years_after(day, years) == day + relativedelta(years=years), (day, years)
        day += timedelta(days=1)
    with pytest.raises(ValueError):
        years_after(date(9999, 3, 1), 1)


@pytest.mark.parametrize("word", ["Phone", " 12363 ", "PBoC\t", "x\x1c", "电话", "ＰＨＯＮＥ", "Ⅻ"])
def test_normalize_word_unchanged(word: str) -> None:
    import unicodedata

    s = unicodedata.normalize("NFKC", word).strip()
    assert normalize_word(word) == "".join(ch.lower() if ch.isascii() else ch for ch in s)


@pytest.mark.parametrize("lang", ["zh", "en", "fr"])
def test_catalog_as_gettext_translation(lang: str) -> None:
    import gettext

    from depositctl import i18n

    got = i18n._catalog(lang)
    expected = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=[lang], fallback=True)
    assert type(got) is (i18n._Mo if lang == "zh" else i18n._Null)
    catalog = getattr(expected, "_catalog", {})
    assert len(catalog) > (500 if lang == "zh" else -1)
    _same_answers(got, expected, catalog)


def _same_answers(got: Any, expected: Any, catalog: dict[Any, str]) -> None:
    assert got.info() == expected.info() and got.charset() == expected.charset()
    for key in catalog:
        message = key if isinstance(key, str) else key[0]
        assert got.gettext(message) == expected.gettext(message), message
        for n in (0, 1, 2, 5):
            assert got.ngettext(message, "plural", n) == expected.ngettext(message, "plural", n)
    for message in ("not in the catalog", "", "{n} case"):
        assert got.gettext(message) == expected.gettext(message)
        assert got.ngettext(message, "x", 3) == expected.ngettext(message, "x", 3)
    assert got.pgettext("ctx", "m") == expected.pgettext("ctx", "m")


def _mo(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A .mo file (little-endian, no hash table) of `entries` in the order given."""
    n = len(entries)
    o, t = 28, 28 + 8 * n
    at = t + 8 * n
    head, table, blob = [], [], b""
    for original, _ in entries:
        head.append((len(original), at + len(blob)))
        blob += original + b"\0"
    for _, translation in entries:
        table.append((len(translation), at + len(blob)))
        blob += translation + b"\0"
    words = [0x950412DE, 0, n, o, t, 0, 0]
    out = b"".join(w.to_bytes(4, "little") for w in words)
    out += b"".join(a.to_bytes(4, "little") + b.to_bytes(4, "little") for a, b in head + table)
    return out + blob


@pytest.mark.parametrize("plural", ["nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);", None])
def test_mo_read_lazily_as_gnutranslations_reads_it(plural: str | None) -> None:
    import gettext
    import io

    from depositctl import i18n

    header = b"Content-Type: text/plain; charset=UTF-8\n" + (
        f"Plural-Forms: {plural}\n".encode() if plural else b""
    )
    entries = [
        (b"", header),
        (b"a", "甲".encode()),
        (b"a b", "甲乙".encode()),
        (b"zz", "终".encode()),
        (b"{n} case\0{n} cases", "{n} 个案件\0{n} 个案件们".encode()),
    ]
    data = _mo(entries)
    got = i18n._Mo.of(data)
    expected = gettext.GNUTranslations(io.BytesIO(data))
    assert isinstance(got, i18n._Mo)
    _same_answers(got, expected, expected._catalog)  # type: ignore[attr-defined]
    assert got.ngettext("{n} case", "{n} cases", 1) == "{n} 个案件"
    assert i18n._Mo.of(_mo([entries[0], entries[2], entries[1]])) is None  # not in order
    assert i18n._Mo.of(data[:16]) is None
    latin = _mo([(b"", b"Content-Type: text/plain; charset=latin-1\n"), (b"a", b"\xe9")])
    assert i18n._Mo.of(latin) is None  # another charset: GNUTranslations reads it


@given(st.text(alphabet="/.a~ b", max_size=12))
def test_pure_path_as_pathlib_writes_it(text: str) -> None:
    assert pure_path(text) == str(PurePosixPath(text))


@pytest.mark.parametrize("env", [None, "", "cal.toml", "/tmp/x//y/./cal.toml/", "~/cal.toml"])
@pytest.mark.parametrize("ledger", ["ledger.db", "/a/b/ledger.db", "a/../ledger.db", "//x", "/"])
def test_calendar_file_as_calendar_path(
    monkeypatch: pytest.MonkeyPatch, env: str | None, ledger: str
) -> None:
    """What `calendar_path` was: `Path(env).expanduser()`, else the ledger's folder's."""
    if env is None:
        monkeypatch.delenv("DEPOSITCTL_CALENDAR", raising=False)
    else:
        monkeypatch.setenv("DEPOSITCTL_CALENDAR", env)
    was = Path(env).expanduser() if env else Path(ledger).parent / "workdays.toml"
    assert calendar_file(ledger) == calendar_file(Path(ledger)) == str(was)
    assert calendar_path(Path(ledger)) == was


def test_file_stat_as_pathlib(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    for name in ("f", "f/g", "missing", "loop", "missing/g", ""):
        p = tmp_path / name
        st = file_stat(str(p))
        assert (st is not None) == p.exists()
        assert (st is not None and stat.S_ISREG(st.st_mode)) == p.is_file()
    assert file_stat("a\0b") is None and not Path("a\0b").exists()


def test_package_calendar_as_importlib_and_pathlib_read_it() -> None:
    import importlib.util

    spec = importlib.util.find_spec("chinese_calendar")
    assert spec is not None and spec.origin is not None
    folder = Path(spec.origin).parent
    was = b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(folder.glob("*.py")))
    assert calendar.package_calendar() == was and len(was) > 10_000
    assert calendar._find_spec("depositctl_no_such_module") is None
    assert calendar._find_spec("chinese_calendar").origin == spec.origin


def test_sha256_is_hashlibs() -> None:
    import hashlib

    for data_ in (b"", b"abc", bytes(range(256)) * 99):
        assert sha256(data_).hexdigest() == hashlib.sha256(data_).hexdigest()
        h = sha256()
        h.update(data_[:7])
        h.update(data_[7:])
        assert h.digest() == hashlib.sha256(data_).digest()


def test_blake2b_is_blake2b_512() -> None:
    """RFC 7693's test vector (Appendix A: BLAKE2b-512 of "abc"), fed at once and in
    pieces."""
    from depositctl.core.digest import blake2b

    abc = (
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
    )
    assert blake2b(b"abc").hexdigest() == abc
    h = blake2b()
    for piece in (b"a", b"", b"bc"):
        h.update(piece)
    assert h.hexdigest() == abc
