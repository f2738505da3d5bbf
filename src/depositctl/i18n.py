"""Human-readable text in Chinese or English (gettext; English is the source language).

The language comes from `--lang`, else `DEPOSITCTL_LANG`, else the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`: a value starting with `en` picks English), else Chinese.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from gettext import GNUTranslations, NullTranslations

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
DOMAIN = "depositctl"
#: Text, not a `pathlib.Path`: `status` does without `pathlib` (issue 12).
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")


class _Null:
    """`gettext.NullTranslations` (the answers of a language with no catalog: English,
    the source language), without importing `gettext`: it imports `re` (with `enum` and
    `functools`), a sixth of a 5-case `status`'s instructions (issue 12).
    tests/test_startup.py compares the answers."""

    _fallback: _Null | NullTranslations | None = None
    _info: dict[str, str] = {}  # noqa: RUF012 - never changed: `_Mo` sets its own
    _charset: str | None = None

    def add_fallback(self, fallback: _Null | NullTranslations) -> None:
        if self._fallback:
            self._fallback.add_fallback(fallback)  # type: ignore[arg-type]
        else:
            self._fallback = fallback

    def gettext(self, message: str) -> str:
        if self._fallback:
            return str(self._fallback.gettext(message))
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        if self._fallback:
            return str(self._fallback.ngettext(msgid1, msgid2, n))
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        if self._fallback:
            return str(self._fallback.pgettext(context, message))
        return message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        if self._fallback:
            return str(self._fallback.npgettext(context, msgid1, msgid2, n))
        return msgid1 if n == 1 else msgid2

    def info(self) -> dict[str, str]:
        return self._info

    def charset(self) -> str | None:
        return self._charset


_translation: _Null | NullTranslations = _Null()
_current = "en"


def detect(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language asked for on the command line, in the environment or by the locale."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalize(argv[i + 1])
        if arg.startswith("--lang="):
            return normalize(arg.split("=", 1)[1])
        if arg == "--":
            break
    if environ.get("DEPOSITCTL_LANG"):
        return normalize(environ["DEPOSITCTL_LANG"])
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value and value not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def normalize(value: str) -> str:
    value = value.strip().lower().replace("-", "_")
    if value.startswith("en"):
        return "en"
    if value.startswith("zh") or value in ("cn", "中文"):
        return "zh"
    return DEFAULT


def set_language(lang: str) -> None:
    global _translation, _current
    lang = normalize(lang)
    _translation = _Null() if lang == "en" else _catalog(lang)
    _current = lang


def _catalog(lang: str) -> _Null | NullTranslations:
    """`gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)` for the
    one folder each language has here (locale/zh): without the locale aliases it tries
    first (`zh_CN.eucCN`, `zh_CN`, ...: the `locale` module) and its cache's copy (`copy`),
    which cost a 5-case `status` ~2% (issue 12); a `_Mo` where it can read the file."""
    path = os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", f"{DOMAIN}.mo")
    try:
        with open(path, "rb") as fp:
            data = fp.read()
    except FileNotFoundError:
        return _Null()
    except OSError as exc:
        raise _broken(path, exc.strerror) from None
    try:
        return _Mo.of(data, path) or _full(data)
    except Exception as exc:  # struct.error, OSError, UnicodeDecodeError, ValueError...
        raise _broken(path, exc.strerror if isinstance(exc, OSError) else exc) from None


def _broken(path: str, why: object) -> SystemExit:
    """The one line a catalog that cannot be read ends the run with (a broken install:
    cut short, not a .mo file, not UTF-8), in English: the catalog is what is broken."""
    return SystemExit(
        f"depositctl: cannot read the message catalog {path} ({why}): reinstall depositctl"
        " (or use --lang en)"
    )


def _full(data: bytes) -> GNUTranslations:
    """`gettext.GNUTranslations` of `data` (a file `_Mo` does not read)."""
    import gettext
    from io import BytesIO

    return gettext.GNUTranslations(BytesIO(data))


class _Mo(_Null):
    """`gettext.GNUTranslations` of a UTF-8, little-endian .mo file whose messages are in
    order (as msgfmt and pybabel write them), reading a message only when it is asked
    for: GNUTranslations reads all (~900) first, with its plural-form parser, which cost a
    5-case `status` ~3 ms of its ~45 (issue 12). The same answers (tests/test_startup.py
    compares every message); `of` gives None for a file it does not read this way."""

    @classmethod
    def of(cls, data: bytes, path: str = "") -> _Mo | None:
        if len(data) < 20 or data[:8] not in (b"\xde\x12\x04\x95\x00\x00\x00\x00",):
            return None  # big-endian, or another version: GNUTranslations reads it
        if sys.byteorder != "little":  # pragma: no cover - the tables read as they are
            return None
        n, o, t = memoryview(data)[8:20].cast("I")
        if max(o, t) + 8 * n > len(data):
            return None
        words = memoryview(data)[o : o + 8 * n].cast("I").tolist()
        for table in (words, memoryview(data)[t : t + 8 * n].cast("I").tolist()):
            offsets = table[1::2]
            last = offsets.index(max(offsets)) if n else 0
            if n and offsets[last] + table[2 * last] >= len(data):
                return None  # cut short: GNUTranslations says "File is corrupt"
        keys = [data[at : at + size] for size, at in zip(words[::2], words[1::2], strict=True)]
        if sum(map(len, keys)) != sum(words[::2]):
            return None  # a message past the end: GNUTranslations says "File is corrupt"
        if keys != sorted(keys) or len(set(keys)) != n:
            return None  # not in order: no binary search
        mo = cls(data, keys, t)
        mo._path = path
        header = mo._translation(b"")
        if header is None:
            return None
        mo._info = {}
        mo._charset = None
        lastk = None
        for line in header.split(b"\n"):  # as GNUTranslations reads the header
            item = line.decode().strip()
            if not item or (item.startswith("#-#-#-#-#") and item.endswith("#-#-#-#-#")):
                continue
            k = v = None
            if ":" in item:
                k, v = item.split(":", 1)
                k, v = k.strip().lower(), v.strip()
                mo._info[k] = v
                lastk = k
            elif lastk:
                mo._info[lastk] += "\n" + item
            if k == "content-type" and v is not None:
                mo._charset = v.split("charset=")[1]
            elif k == "plural-forms" and v is not None:
                mo._plural_text = v.split(";")[1].split("plural=")[1]
        if (mo._charset or "").lower() not in ("utf-8", "utf8"):
            return None
        text = mo._plural_text
        if text is not None and text.strip() != "0":  # parsed now, as GNUTranslations does:
            from gettext import c2py  # a form it cannot read fails the load, not a message

            mo._plural = c2py(text)
        return mo

    _path: str

    def __init__(self, data: bytes, keys: list[bytes], translations: int) -> None:
        super().__init__()
        self._data, self._keys = data, keys
        self._table = memoryview(data)[translations : translations + 8 * len(keys)].cast("I")
        self._memo: dict[str, str] = {}
        self._forms: dict[tuple[str, int], str | None] = {}
        self._plural_text: str | None = None
        self._plural: Callable[[int], int] | None = None

    def _translation(self, original: bytes) -> bytes | None:
        from bisect import bisect_left

        i = bisect_left(self._keys, original)
        if i == len(self._keys) or self._keys[i] != original:
            return None
        return self._at(i)

    def _at(self, i: int) -> bytes:
        size, at = self._table[2 * i : 2 * i + 2]
        if at + size >= len(self._data):  # what GNUTranslations refuses when it loads
            raise _broken(self._path, "File is corrupt")
        return self._data[at : at + size]

    def _text(self, found: bytes) -> str:
        """`found` decoded: a text that is not UTF-8 ends the run as `_catalog` does
        (GNUTranslations would have refused the file when it loaded it)."""
        try:
            return found.decode()
        except UnicodeDecodeError as exc:
            raise _broken(self._path, exc) from None

    def _form(self, msgid1: str, i: int) -> str | None:
        """GNUTranslations' `_catalog[(msgid1, i)]`: the i-th form of a plural entry
        (kept: `status` asks for "{n} days" once per case overdue)."""
        key = (msgid1, i)
        if key not in self._forms:
            self._forms[key] = self._read_form(msgid1, i)
        return self._forms[key]

    def _read_form(self, msgid1: str, i: int) -> str | None:
        from bisect import bisect_left

        prefix = msgid1.encode() + b"\0"
        j = bisect_left(self._keys, prefix)
        if j == len(self._keys) or not self._keys[j].startswith(prefix):
            return None
        forms = self._at(j).split(b"\0")
        return self._text(forms[i]) if 0 <= i < len(forms) else None

    def plural(self, n: int) -> int:
        if self._plural is None:
            text = self._plural_text
            if text is None:
                self._plural = lambda n: int(n != 1)  # GNUTranslations' default
            elif text.strip() == "0" and isinstance(n, int):
                return 0  # Chinese: one form; c2py's parser (regular expressions) left out
            else:
                from gettext import c2py

                self._plural = c2py(text)
        return self._plural(n)

    def gettext(self, message: str) -> str:
        found = self._memo.get(message)
        if found is None:
            tmsg = self._translation(message.encode())
            text = self._text(tmsg) if tmsg is not None else self._form(message, self.plural(1))
            if text is None:
                if self._fallback:
                    return str(self._fallback.gettext(message))
                return message
            found = self._memo[message] = text
        return found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        text = self._form(msgid1, self.plural(n))
        if text is not None:
            return text
        if self._fallback:
            return str(self._fallback.ngettext(msgid1, msgid2, n))
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        return str(self._gnu().pgettext(context, message))

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return str(self._gnu().npgettext(context, msgid1, msgid2, n))

    def _gnu(self) -> GNUTranslations:
        gnu = _full(self._data)
        if self._fallback:
            gnu.add_fallback(self._fallback)  # type: ignore[arg-type]
        return gnu


def language() -> str:
    return _current


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
