"""What ``playbook validate`` reports: content errors, then the cue and language warnings.

A trainer's folder may hold ``playbook-folder.yaml`` with ``require: [zh, en]``: every text of the
files under that folder must then be written in those languages (a missing one is an error, as with
``--require``). Other lint findings are warnings; ``--strict`` makes them fail too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._gc import collector_paused
from ._reasons import msg, with_suggestion
from .content import Builder, Catalog, content_paths, display
from .errors import Message, Problem

REQUIRE_LANGS = ("en", "zh")
SETTINGS_KEYS = ("require",)
_LANG_WORDS = {"en": "en", "english": "en", "zh": "zh", "zh-hans": "zh", "zh-hant": "zh", "chinese": "zh", "中文": "zh",
               "英文": "en", "cn": "zh"}


@dataclass(frozen=True)
class Report:
    """Errors (the content cannot be used as it is), warnings (it can, but should be fixed) and the catalogue."""

    errors: list[Problem]
    warnings: list[Problem]
    catalog: Catalog | None

    def failed(self, strict: bool = False) -> bool:
        """True when there is an error, or (with ``strict``) a warning."""
        return bool(self.errors or (strict and self.warnings))


def language(value: str) -> str | None:
    """``en`` or ``zh`` for the usual ways of naming them (``zh-Hans``, ``Chinese``...); ``None`` otherwise."""
    return _LANG_WORDS.get(str(value).strip().lower())


def parse_require(values: Iterable[str]) -> tuple[str, ...]:
    """Languages from ``--require zh,en``; ``ValueError`` naming a word that is not one."""
    found = []
    for word in (part for value in values for part in str(value).split(",") if part.strip()):
        lang = language(word)
        if lang is None:
            raise ValueError(f"'{word.strip()}' is not a language; use en, zh or both (zh,en)")
        found.append(lang)
    return tuple(dict.fromkeys(found))


@collector_paused()
def check(paths: Sequence[Path | str] = (), *, require: Sequence[str] = ()) -> Report:
    """Validate the shipped content plus ``paths``; lint the files of ``paths`` (all files when there are none)."""
    from .lint import MISSING_LANGUAGE, lint

    builder = Builder()
    roots = content_paths(paths)
    files = builder.read(roots)
    catalog = builder.build(files, roots)
    errors = list(builder.problems)
    folders = _folder_settings(builder, errors)
    warnings: list[Problem] = []
    if catalog is not None:
        targets = [Path(p).expanduser().resolve() for p in paths] or roots
        groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for file in files:
            path = file.path.resolve()
            if any(path == t or t in path.parents for t in targets):
                wanted = [*require, *(lang for folder, langs in folders.items() if folder in path.parents for lang in langs)]
                groups[tuple(dict.fromkeys(wanted))].append(file.name)
        for wanted, names in groups.items():
            for problem in lint(catalog, require=wanted, files=names):
                missing = problem.message is not None and problem.message.key == MISSING_LANGUAGE
                (errors if missing else warnings).append(problem)
    return Report(sorted(errors), sorted(warnings), catalog)


def _folder_settings(builder: Builder, errors: list[Problem]) -> dict[Path, tuple[str, ...]]:
    """The ``require`` of each folder with a ``playbook-folder.yaml``; its problems go to ``errors``."""
    from ._files import read_bytes
    from ._yaml import LineDict, LineList, read_mapping

    found: dict[Path, tuple[str, ...]] = {}
    for path in builder.settings:
        name = display(path)
        try:
            raw, problems = read_mapping(read_bytes(path))
        except OSError as exc:
            errors.append(_problem(name, 1, "file", msg("path.unreadable", reason=exc.strerror or type(exc).__name__)))
            continue
        errors += [_problem(name, p.line, "file", p.message) for p in problems]
        if not isinstance(raw, LineDict):
            continue
        for key in raw:
            if key not in SETTINGS_KEYS:
                errors.append(_problem(name, raw.key_lines[key], str(key),
                                       with_suggestion(msg("settings.unknown"), str(key), SETTINGS_KEYS)))
        if "require" not in raw:
            continue
        wanted = raw["require"]
        if not isinstance(wanted, LineList):
            errors.append(_problem(name, raw.key_lines.get("require", 1), "require", msg("settings.not-list")))
            continue
        langs = []
        for index, value in enumerate(wanted):
            lang = language(str(value))
            if lang is None:
                errors.append(_problem(name, wanted.item_lines[index], f"require[{index}]",
                                       msg("settings.require", value=value)))
            else:
                langs.append(lang)
        found[path.parent.resolve()] = tuple(dict.fromkeys(langs))
    return found


def _problem(file: str, line: int, field_name: str, message: Message) -> Problem:
    return Problem(file, line, field_name, message.render(), message)
