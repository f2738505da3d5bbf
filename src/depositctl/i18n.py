"""Human-readable text in Chinese or English (gettext; English is the source language).

The language comes from `--lang`, else `DEPOSITCTL_LANG`, else the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`: a value starting with `en` picks English), else Chinese.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping, Sequence

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
DOMAIN = "depositctl"
#: Text, not a `pathlib.Path`: `status` does without `pathlib` (issue 12).
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")

_translation: gettext.NullTranslations = gettext.NullTranslations()
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
    _translation = gettext.NullTranslations() if lang == "en" else _catalog(lang)
    _current = lang


def _catalog(lang: str) -> gettext.NullTranslations:
    """`gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)` for the
    one folder each language has here (locale/zh): without the locale aliases it tries
    first (`zh_CN.eucCN`, `zh_CN`, ...: the `locale` module) and its cache's copy (`copy`),
    which cost a 5-case `status` ~2% (issue 12)."""
    try:
        with open(os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", f"{DOMAIN}.mo"), "rb") as fp:
            return gettext.GNUTranslations(fp)
    except FileNotFoundError:
        return gettext.NullTranslations()


def language() -> str:
    return _current


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
