"""The cue and language check: what makes an exercise give its answer away, or speak the wrong language.

These are warnings: ``playbook validate`` prints them after the errors, and ``--strict`` makes
them fail (the shipped bank is checked strictly). Each is a :class:`~playbook_lib.errors.Problem`
with the file and line of the field it is about.

Cues
    - the key is the longest option in more than a third of a file's single-choice items;
    - the key stands at one position (in file order) in more than 40 % of a file's items;
    - the keys of multi-select items lead the list in more than half of a file's items;
    - one option is much longer than another in the same exercise;
    - "all of the above" or "none of the above";
    - a signal-id item whose ``about`` names something other than a signal kind.
    (An ``about`` that contradicts the key is an error of :mod:`playbook_lib._checks`, not a warning.)
Languages (with ``require``)
    - a text field without every required language;
    - Chinese letters in English text, English words or traditional characters in Chinese text (the Latin
      words Chinese uses as they are, such as HR or logo, are listed under ``latin_in_zh`` in the glossary);
    - a word the glossary lists under ``avoid_zh`` / ``avoid_en``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel

from .content import Catalog
from .errors import Message, Problem
from .models import ExerciseBase, MultiSelect, SignalId, SingleChoice, TechniqueMatch, Text
from .resources import data_dir

LANGUAGES = ("en", "zh")
LONGEST_KEY_SHARE = 1 / 3
POSITION_SHARE = 0.4
LENGTH_RATIO = 2.5
MIN_LENGTH_GAP = {"en": 30, "zh": 14}
MIN_FILE_ITEMS = 6
GLOSSARY_FILE = data_dir() / "i18n" / "glossary.yaml"
GLOSSARY_LATIN_KEY = "latin_in_zh"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")
_ABOVE = re.compile(r"\b(all|none|both|neither) of (the )?(above|these|them|the others)\b|以上(都|皆|全|均)|都不对|均不正确",
                    re.IGNORECASE)


MISSING_LANGUAGE = "validate.lint.missing-language"  # the one warning that ``require`` turns into an error


def _msg(key: str, /, **values: Any) -> Message:
    return Message(f"validate.lint.{key}", tuple(values.items()))


def lint(catalog: Catalog, *, require: Sequence[str] = (), files: Iterable[str] | None = None) -> list[Problem]:
    """Every cue and language warning for the exercises (and, with ``require``, the items) of ``files``."""
    wanted = None if files is None else set(files)

    def mine(owner: str) -> bool:
        return wanted is None or catalog.sources[owner].file in wanted

    exercises = [ex for ex in catalog.exercises if mine(ex.id)]
    found: list[Problem] = []
    for ex in exercises:
        found += _exercise_cues(catalog, ex)
    by_file: dict[str, list[ExerciseBase]] = defaultdict(list)
    for ex in exercises:
        by_file[catalog.sources[ex.id].file].append(ex)
    for group in by_file.values():
        found += _file_cues(catalog, group)
    if require:
        owners = [*(i for i in catalog.items if mine(i)), *(ex.id for ex in exercises)]
        for owner in owners:
            model = catalog.items.get(owner) or catalog.exercise(owner)
            for path, text in texts(model):
                found += _language_problems(catalog, owner, path, text, require)
    return sorted(set(found))


def texts(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Text]]:
    """Every :class:`Text` inside ``model`` with its field path (``options[1].why``)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(value, Text):
            yield path, value
        elif isinstance(value, BaseModel):
            yield from texts(value, path)
        elif isinstance(value, tuple):
            for index, entry in enumerate(value):
                if isinstance(entry, Text):
                    yield f"{path}[{index}]", entry
                elif isinstance(entry, BaseModel):
                    yield from texts(entry, f"{path}[{index}]")


def _text(text: Text | None, lang: str) -> str | None:
    return None if text is None else getattr(text, lang)


def _option_texts(ex: ExerciseBase, lang: str) -> list[str | None]:
    return [_text(getattr(c, "text", None), lang) for c in ex.choices]


def _exercise_cues(catalog: Catalog, ex: ExerciseBase) -> Iterator[Problem]:
    if isinstance(ex, SingleChoice | MultiSelect):
        for lang in LANGUAGES:
            lengths = [len(t) for t in _option_texts(ex, lang) if t]
            if len(lengths) == len(ex.choices) and lengths:
                longest, shortest = max(lengths), min(lengths)
                if longest > LENGTH_RATIO * shortest and longest - shortest > MIN_LENGTH_GAP[lang]:
                    index = lengths.index(longest)
                    yield catalog.problem(ex.id, f"options[{index}].text.{lang}",
                                          _msg("length", ratio=f"{longest / shortest:.1f}", longest=longest,
                                               shortest=shortest))
        for index, option in enumerate(ex.choices):
            for lang in LANGUAGES:
                value = _text(option.text, lang)
                if value and _ABOVE.search(value):
                    yield catalog.problem(ex.id, f"options[{index}].text.{lang}", _msg("above"))
    if isinstance(ex, SignalId):
        for index, ref in enumerate(ex.about):
            item = catalog.items.get(ref)
            if item is not None and item.kind != "signal":
                yield catalog.problem(ex.id, f"about[{index}]",
                                      _msg("signal-about", id=ref, kind=Message(f"validate.noun.{item.kind}")))


def _key_positions(ex: ExerciseBase) -> list[int]:
    ids = [c.id for c in ex.choices]
    if isinstance(ex, SingleChoice | TechniqueMatch) or (isinstance(ex, SignalId) and ex.is_signal):
        return [ids.index(ex.answer)] if ex.answer in ids else []  # type: ignore[attr-defined]
    return []


def _file_cues(catalog: Catalog, group: list[ExerciseBase]) -> Iterator[Problem]:
    first = group[0].id
    singles = [ex for ex in group if isinstance(ex, SingleChoice)]
    if len(singles) >= MIN_FILE_ITEMS:
        for lang in LANGUAGES:
            longest = [ex for ex in singles if _key_is_longest(ex, lang)]
            if len(longest) > LONGEST_KEY_SHARE * len(singles):
                names = ", ".join(ex.id for ex in longest[:6]) + (" …" if len(longest) > 6 else "")
                yield catalog.problem(first, "id", _msg("longest-key", lang=lang, count=len(longest),
                                                        total=len(singles), names=names))
    positioned = [(ex, pos) for ex in group for pos in _key_positions(ex) if 3 <= len(ex.choices) <= 4]
    if len(positioned) >= MIN_FILE_ITEMS:
        counts = Counter(pos for _, pos in positioned)
        pos, count = counts.most_common(1)[0]
        if count > POSITION_SHARE * len(positioned):
            yield catalog.problem(first, "id", _msg("position", position=pos + 1, count=count, total=len(positioned)))
    multis = [ex for ex in group if isinstance(ex, MultiSelect)]
    if len(multis) >= 4:
        leading = [ex for ex in multis if {c.id for c in ex.choices[: len(ex.answer)]} == set(ex.answer)]
        if len(leading) > len(multis) / 2:
            yield catalog.problem(first, "id", _msg("multi-lead", count=len(leading), total=len(multis)))


def _key_is_longest(ex: SingleChoice, lang: str) -> bool:
    lengths = {c.id: len(_text(c.text, lang) or "") for c in ex.choices}
    key = lengths.pop(ex.answer, 0)
    return bool(lengths) and key > 0 and key > max(lengths.values())


def _language_problems(catalog: Catalog, owner: str, path: str, text: Text, require: Sequence[str]) -> Iterator[Problem]:
    for lang in require:
        if _text(text, lang) is None:
            yield catalog.problem(owner, path, Message(MISSING_LANGUAGE, (("language", _msg(f"lang.{lang}")),
                                                                          ("required", ", ".join(require)))))
    found = _CJK.search(text.en) if text.en else None
    if found:
        yield catalog.problem(owner, f"{path}.en", _msg("chinese-in-english", char=found.group()))
    if text.zh:
        stray = [w for w in _LATIN_WORD.findall(text.zh) if w not in LATIN_IN_ZH]
        if stray:
            yield catalog.problem(owner, f"{path}.zh", _msg("english-in-chinese", words=", ".join(stray[:5])))
        traditional = _traditional_chars(text.zh)
        if traditional:
            yield catalog.problem(owner, f"{path}.zh", _msg("traditional", chars=traditional))
        for term, avoid in _avoid("zh"):
            if avoid in text.zh:
                yield catalog.problem(owner, f"{path}.zh", _msg("glossary", term=term, avoid=avoid))
    for term, avoid in _avoid("en"):
        if re.search(rf"\b{re.escape(avoid)}\b", text.en, re.IGNORECASE):
            yield catalog.problem(owner, f"{path}.en", _msg("glossary", term=term, avoid=avoid))


@cache
def _glossary() -> Any:
    from ._yaml import load_mapping

    return load_mapping(GLOSSARY_FILE.read_bytes())


@cache
def _avoid(lang: str) -> tuple[tuple[str, str], ...]:
    data = _glossary()
    return tuple((term[lang], word) for term in data["terms"] for word in term.get(f"avoid_{lang}", ()))


LATIN_IN_ZH = frozenset(str(word) for word in _glossary().get(GLOSSARY_LATIN_KEY) or ())
"""The Latin words Chinese text may use as they are (HR, logo, App...): ``latin_in_zh`` of the glossary."""


def _traditional_chars(text: str) -> str:
    converter = _to_simplified()
    if converter is None:
        return ""
    simplified = converter(text)
    return "".join(dict.fromkeys(a for a, b in zip(text, simplified, strict=False) if a != b))[:8]


@cache
def _to_simplified() -> Any:
    try:
        import opencc
    except ImportError:  # the language check then skips this one rule
        return None
    return opencc.OpenCC("t2s").convert
