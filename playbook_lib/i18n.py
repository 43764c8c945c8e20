"""Languages: which one a learner reads, the text of a :class:`~playbook_lib.models.Text` in it, and UI strings.

Three languages: ``en``, ``zh-Hans`` (简体中文) and ``zh-Hant`` (繁體中文). Content and interface strings
are written in English and simplified Chinese; traditional Chinese is derived with OpenCC's ``s2tw``
configuration (Taiwan standard characters, no regional vocabulary substitution: the stories happen in
mainland China and keep their own words, as the source article does), then corrected by the override
table ``data/i18n/zh-hant.yaml``. Interface strings live in ``data/i18n/ui/*.yaml``.

When a text lacks the learner's language, the other one is shown with a small tag in the learner's
language (a Chinese reader sees 「（仅英文）」, an English reader "(Chinese only)"), never silently.

The language is chosen, in this order, by: an explicit argument, ``PLAYBOOK_LANG``, the learner's
remembered choice, the system locale, and English.
"""

from __future__ import annotations

import locale
import os
import re
import string
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import PlaybookError
from .resources import data_dir

if TYPE_CHECKING:
    from .models import Text

LANGS: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant")
DEFAULT_LANG = "en"
LANG_ENV = "PLAYBOOK_LANG"
LANG_NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
I18N_DIR = data_dir() / "i18n"
HANT_CONFIG = "s2tw"
_ALIASES = {
    "en": "en", "english": "en", "en-us": "en", "en-gb": "en",
    "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh_cn": "zh-Hans",
    "cn": "zh-Hans", "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
    "zh_tw": "zh-Hant", "zh_hk": "zh-Hant", "tw": "zh-Hant", "hk": "zh-Hant",
}


def normalise_lang(value: str) -> str:
    """``zh-Hans``, ``zh-Hant`` or ``en`` from the usual spellings (zh_CN, zh-TW, zh-hk, ...)."""
    key = str(value).strip().replace("_", "-").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    base = key.split(".")[0]
    if base in _ALIASES:
        return _ALIASES[base]
    if base.startswith("zh"):
        return "zh-Hant" if any(t in base for t in ("hant", "tw", "hk", "mo")) else "zh-Hans"
    if base.startswith("en"):
        return "en"
    raise PlaybookError(f"unknown language {value!r}; choose from {', '.join(LANGS)}")


def system_lang() -> str | None:
    """The language of the system locale, when it is one of ours."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            try:
                return normalise_lang(value.split(":")[0])
            except PlaybookError:
                return None
    try:
        code = locale.getlocale()[0]
    except ValueError:  # pragma: no cover - a malformed locale setting
        return None
    if code:
        try:
            return normalise_lang(code)
        except PlaybookError:
            return None
    return None


def resolve_lang(explicit: str | None = None, remembered: str | Callable[[], str | None] | None = None) -> str:
    """The language to use: explicit, then ``PLAYBOOK_LANG``, then remembered, then the locale, then English.

    ``remembered`` may be a function, called only when neither of the first two decides (it may read a record)."""
    for candidate in (explicit, os.environ.get(LANG_ENV)):
        if candidate:
            return normalise_lang(candidate)
    if callable(remembered):
        remembered = remembered()
    return normalise_lang(remembered) if remembered else system_lang() or DEFAULT_LANG


def is_chinese(lang: str) -> bool:
    """True for both Chinese scripts."""
    return lang.startswith("zh")


def html_lang(lang: str) -> str:
    """The value for an HTML ``lang`` attribute."""
    return lang


# --- traditional characters ---------------------------------------------------


@cache
def _overrides() -> tuple[tuple[str, str], ...]:
    from ._yaml import load_mapping

    data: Any = load_mapping((I18N_DIR / "zh-hant.yaml").read_bytes())
    pairs = [(str(entry["from"]), str(entry["to"])) for entry in data.get("overrides") or ()]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@cache
def _override_pattern() -> re.Pattern[str] | None:
    """One pattern for every override, longest first, so a longer phrase wins over a single character."""
    pairs = _overrides()
    return re.compile("|".join(re.escape(wrong) for wrong, _ in pairs)) if pairs else None


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC(HANT_CONFIG)


@cache
def to_traditional(text: str) -> str:
    """Simplified Chinese in traditional characters (OpenCC ``s2tw``, then the override table)."""
    converted: str = _converter().convert(text)
    pattern = _override_pattern()
    if pattern is None:
        return converted
    table = dict(_overrides())
    return pattern.sub(lambda match: table[match.group()], converted)


def script(text: str, lang: str) -> str:
    """Chinese text in the script of ``lang`` (text is written in simplified characters)."""
    return to_traditional(text) if lang == "zh-Hant" else text


# --- content text -------------------------------------------------------------


def has(text: Text | None, lang: str) -> bool:
    """True when ``text`` is written in ``lang`` (either Chinese script counts as Chinese)."""
    if text is None:
        return False
    return (text.zh if is_chinese(lang) else text.en) is not None


def say(text: Text | None, lang: str, *, tag: bool = False) -> str:
    """The text in ``lang``; the other language when it is missing (with a small tag when ``tag``)."""
    if text is None:
        return ""
    if is_chinese(lang):
        if text.zh is not None:
            return script(text.zh, lang)
        return f"{text.en} {ui('only.en', lang)}" if tag else str(text.en)
    if text.en is not None:
        return text.en
    return f"{script(str(text.zh), 'zh-Hans')} {ui('only.zh', lang)}" if tag else str(text.zh)


def fallback(text: Text | None, lang: str) -> str | None:
    """The language shown instead of ``lang`` for this text, or ``None`` when it is there."""
    if text is None or has(text, lang):
        return None
    return "en" if is_chinese(lang) else "zh-Hans"


# --- interface strings --------------------------------------------------------


@cache
def _strings() -> Mapping[str, Mapping[str, str]]:
    """Every interface string, from the files in ``data/i18n/ui/`` (one file per part of the workbook)."""
    from ._yaml import load_mapping

    strings: dict[str, Mapping[str, str]] = {}
    for path in sorted((I18N_DIR / "ui").glob("*.yaml")):
        data: Any = load_mapping(path.read_bytes())
        for key, value in data.items():
            if key in strings:
                raise KeyError(f"{path.name}: interface string {key!r} is defined twice")
            strings[str(key)] = {"en": str(value["en"]), "zh": str(value["zh"])}
    return strings


def ui(key: str, lang: str = DEFAULT_LANG, /, **values: Any) -> str:
    """An interface string in ``lang``, with ``{placeholders}`` filled in."""
    try:
        entry = _strings()[key]
    except KeyError:
        raise KeyError(f"no interface string {key!r} in data/i18n/ui.yaml") from None
    template = script(entry["zh"], lang) if is_chinese(lang) else entry["en"]
    return template.format(**values) if values else template


def ui_keys() -> tuple[str, ...]:
    """Every interface string's key."""
    return tuple(_strings())


def placeholders(template: str) -> set[str]:
    """The ``{names}`` in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
