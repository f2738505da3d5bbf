"""Session 6 attacks on what landed that day: `record()` without dataclasses, the .mo
catalog read lazily (`i18n._Mo`), the paths of `status` without pathlib, the cache row's
case read back. Each test failed before the fix it names."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from depositctl import i18n
from depositctl.core.recordtype import field, record

# -- record(): a field named as a name the generated __init__ uses ------------------------


def _twins(name: str) -> tuple[type, type]:
    """A record and its dataclass twin with a field `name` beside a field made by a factory
    (`x`, so `_d_x` is the name of its factory in the generated code)."""
    source = (
        "class C:\n"
        f"    {name}: int = 0\n"
        "    x: dict = field(default_factory=dict)\n"
        "    y: int = 1\n"
    )
    mine: dict[str, Any] = {}
    exec(source, {"field": field}, mine)
    theirs: dict[str, Any] = {}
    exec(source, {"field": dataclasses.field}, theirs)
    return (
        record()(mine["C"]),
        dataclasses.dataclass(slots=True, kw_only=True, unsafe_hash=True)(theirs["C"]),
    )


@pytest.mark.parametrize("name", ["self", "_F", "_d_x", "other", "hash", "__builtins__"])
def test_a_field_named_as_a_generated_name_is_set_as_dataclass_sets_it(name: str) -> None:
    """Fixed in core/recordtype.py (`_init_names`): `__init__`'s own names (`self`, the
    factory marker `_F`, the factories `_d_<field>`) step aside from the fields' names, as
    dataclass's do. Before: a field `self` was a TypeError (multiple values for `self`), a
    field `_F` made every factory field hold the marker `<factory>` (and a factory field
    `_F` ignored the value given), a field `_d_x` was called as `x`'s factory."""
    mine, theirs = _twins(name)
    for kwargs in ({}, {name: 5}, {name: 5, "x": {"a": 1}, "y": 2}):
        got, expected = mine(**kwargs), theirs(**kwargs)
        assert repr(got) == repr(expected)
        assert [getattr(got, n) for n in (name, "x", "y")] == [
            getattr(expected, n) for n in (name, "x", "y")
        ]
        assert got == mine(**kwargs)


def test_a_factory_field_named_as_the_marker_keeps_the_value_given() -> None:
    @record()
    class Marked:
        _F: dict[str, int] = field(default_factory=dict)

    assert Marked(_F={"a": 1})._F == {"a": 1}
    assert Marked()._F == {}


# -- i18n: a broken catalog --------------------------------------------------------------

MO = Path(i18n.LOCALE_DIR) / "zh" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"


def _broken(tmp_path: Path, data: bytes) -> str:
    folder = tmp_path / "locale" / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / MO.name).write_bytes(data)
    return str(tmp_path / "locale")


def _cut_translation(data: bytes) -> bytes:
    """The catalog cut in its last translation (a download or copy cut short)."""
    return data[:-200]


def _bad_utf8(data: bytes) -> bytes:
    at = data.index("已".encode())
    return data[:at] + b"\xff\xfe\xfd" + data[at + 3 :]


BROKEN = {
    "cut in the last translation": _cut_translation,
    "cut in half": lambda d: d[: len(d) // 2],
    "cut in the header": lambda d: d[:10],
    "bad magic": lambda d: b"XXXX" + d[4:],
    "bad utf-8 in a translation": _bad_utf8,
    # Read when the catalog loads (session 10; before, at the first plural: a ValueError
    # traceback from gettext's parser).
    "plural forms that do not parse": lambda d: d.replace(b"plural=0;", b"plural=(;"),
}


@pytest.mark.parametrize("how", list(BROKEN))
def test_a_broken_catalog_fails_clearly(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixed in i18n.py (`_catalog`, `_Mo.of`, `_Mo._at`, `_Mo._text`): a .mo file that
    GNUTranslations refuses (cut short, another magic number, a text that is not UTF-8)
    ends the run with one message naming the file: when it is loaded, or (a text that is
    not UTF-8, which `_Mo` decodes only when it is asked for) when the message is asked
    for. Before: a file cut in its last translation was read as if sound (`show` printed
    an empty or cut text), a text not UTF-8 was a UnicodeDecodeError traceback, the others
    a struct.error or an OSError naming no file ('')."""
    import gettext

    locale = _broken(tmp_path, BROKEN[how](MO.read_bytes()))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    sound = gettext.GNUTranslations(MO.open("rb"))
    with pytest.raises(SystemExit) as exc:
        catalog = i18n._catalog("zh")
        for key in sound._catalog:  # type: ignore[attr-defined]
            if isinstance(key, str):
                catalog.gettext(key)
            else:
                catalog.ngettext(key[0], "x", 1)
    message = str(exc.value.code)
    assert locale in message and "reinstall" in message, message
    assert "\n" not in message


def test_a_broken_catalog_is_one_line_from_status(tmp_path: Path) -> None:
    """The console script with a cut catalog: exit 1, one line on stderr, no traceback."""
    locale = _broken(tmp_path, _cut_translation(MO.read_bytes()))
    code = (
        "import sys; from depositctl import i18n; i18n.LOCALE_DIR = sys.argv.pop(1); "
        "from depositctl.fast import main; main()"
    )
    env = {**os.environ, "DEPOSITCTL_LANG": "zh"}
    argv = [sys.executable, "-c", code, locale, "--db", str(tmp_path / "l.db"), "status"]
    run = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert locale in run.stderr
