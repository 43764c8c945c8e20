"""Load the content files, validate them and build the :class:`Catalog`.

Every problem is reported as ``FILE:LINE: field: reason``; :func:`load_catalog`
raises :class:`~playbook_lib.errors.ContentError` holding all of them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ._yaml import LineDict, LineList, YamlProblem, line_of, load_mapping
from .errors import ContentError, Problem, UnknownIdError
from .models import (
    ITEM_MODELS,
    Exercise,
    ExerciseBase,
    Item,
    Meta,
    Section,
    SignalId,
    TechniqueMatch,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CONTENT_ENV = "PLAYBOOK_CONTENT"
I18N_FOLDER = "i18n"  # language resources (glossary, script overrides, interface strings), not content
ITEM_KINDS: tuple[str, ...] = ("section", "barrier", "stage", "signal", "technique", "moment", "caution")
_TOP_KEYS = ("meta", *ITEM_MODELS, "exercises")


@cache
def _adapter(key: str) -> TypeAdapter[Any]:
    """The validator of one top-level key's entries (built on first use, so importing stays cheap)."""
    return TypeAdapter(Exercise if key == "exercises" else ITEM_MODELS[key])



@dataclass(frozen=True)
class Source:
    """Where an item was defined."""

    file: str
    line: int
    raw: Any = field(repr=False, compare=False, default=None)
    loc: tuple[Any, ...] = field(repr=False, compare=False, default=())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Catalog:
    """Everything the workbook teaches, validated: items by id and the exercises about them."""

    meta: Meta
    items: Mapping[str, Item]
    exercises: tuple[ExerciseBase, ...]
    sources: Mapping[str, Source]
    version: str

    @cached_property
    def _exercises_by_id(self) -> dict[str, ExerciseBase]:
        return {ex.id: ex for ex in self.exercises}

    @cached_property
    def _about_index(self) -> dict[str, tuple[ExerciseBase, ...]]:
        index: dict[str, list[ExerciseBase]] = {key: [] for key in self.items}
        for ex in self.exercises:
            for item_id in dict.fromkeys((*ex.about, *self.sections_of(ex))):
                index.setdefault(item_id, []).append(ex)
        return {key: tuple(value) for key, value in index.items()}

    def item(self, item_id: str) -> Item:
        """The item with this id; ``UnknownIdError`` if there is none."""
        try:
            return self.items[item_id]
        except KeyError:
            raise UnknownIdError(f"no item '{item_id}' in the catalogue") from None

    def exercise(self, exercise_id: str) -> ExerciseBase:
        """The exercise with this id; ``UnknownIdError`` if there is none."""
        try:
            return self._exercises_by_id[exercise_id]
        except KeyError:
            raise UnknownIdError(f"no exercise '{exercise_id}' in the catalogue") from None

    def has_exercise(self, exercise_id: str) -> bool:
        """True if the exercise is in the catalogue."""
        return exercise_id in self._exercises_by_id

    def of_kind(self, kind: str) -> list[Item]:
        """Items of one kind (``section``, ``technique``...), sorted by number where they have one."""
        found = [item for item in self.items.values() if item.kind == kind]
        return sorted(found, key=lambda item: getattr(item, "number", 0))

    def about(self, item_id: str) -> tuple[ExerciseBase, ...]:
        """Exercises about an item (for a section: every exercise touching it)."""
        return self._about_index.get(item_id, ())

    def sections_of(self, exercise: ExerciseBase) -> tuple[str, ...]:
        """Section ids an exercise belongs to, through the items it is about."""
        found = []
        for item_id in exercise.about:
            item = self.items.get(item_id)
            if item is not None:
                found.append(getattr(item, "section", item_id))
        return tuple(dict.fromkeys(found))

    def section_of(self, exercise: ExerciseBase) -> str:
        """The exercise's main section (that of its first ``about`` item)."""
        return self.sections_of(exercise)[0]

    def problem(self, owner: str, field_path: str, reason: str) -> Problem:
        """A problem at ``field_path`` (such as ``options[2].why``) of the item or exercise ``owner``."""
        source = self.sources[owner]
        loc: list[Any] = []
        for part in field_path.replace("]", "").replace("[", ".").split("."):
            if part:
                loc.append(int(part) if part.isdigit() else part)
        return Problem(source.file, line_of(source.raw, tuple(loc)), _field((*source.loc, *loc)), reason)

    def overview(self) -> dict[str, Any]:
        """Items with their exercise counts, as ``playbook catalog --json`` prints them."""
        return {
            "items": [
                {"id": item.id, "kind": item.kind, "title": item.title, "exercises": len(self.about(item.id))}
                for kind in ITEM_KINDS
                for item in self.of_kind(kind)
            ],
            "exercises": len(self.exercises),
        }


def content_paths(extra: Iterable[Path | str] = ()) -> list[Path]:
    """The shipped data folder, then the folders in ``PLAYBOOK_CONTENT``, then ``extra``."""
    paths = [DATA_DIR]
    env = os.environ.get(CONTENT_ENV, "")
    paths += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    paths += [Path(p) for p in extra]
    return list(dict.fromkeys(p.resolve() for p in paths))


def load_catalog(paths: Sequence[Path | str] | None = None) -> Catalog:
    """Load and validate content; raise ``ContentError`` listing every problem."""
    builder = _Builder()
    catalog = builder.build(content_paths() if paths is None else [Path(p) for p in paths])
    if builder.problems or catalog is None:
        raise ContentError(sorted(builder.problems))
    return catalog


def validate_paths(paths: Sequence[Path | str] = ()) -> list[Problem]:
    """Every problem in the shipped content plus ``paths`` (empty list when all is well)."""
    builder = _Builder()
    builder.build(content_paths(paths))
    return sorted(builder.problems)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _field(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _reason(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden" and " " in str(error["loc"][-1]):
        return "unknown field; a comma inside {...} splits the text there: put the text in quotes"
    if kind == "extra_forbidden":
        return "unknown field; check its spelling against docs/content-format.md"
    if kind == "union_tag_invalid":
        return str(error["msg"]).replace("Input tag", "kind").replace("tag", "kind")
    if kind == "union_tag_not_found":
        return "required field 'kind' is missing"
    if kind == "string_pattern_mismatch":
        return "not a valid id: lower-case words joined by '-', parts joined by '.'"
    return str(error["msg"])


class _Builder:
    """Collects problems while it reads files and checks the catalogue."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.broken_ids: set[str] = set()

    def add(self, file: str, line: int, field_name: str, reason: str) -> None:
        self.problems.append(Problem(file, line, field_name, reason))

    def files(self, paths: Sequence[Path]) -> Iterator[Path]:
        for path in paths:
            if path.is_dir():
                yield from sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                                  and I18N_FOLDER not in p.relative_to(path).parts)
            elif path.is_file():
                yield path
            else:
                self.add(_display(path), 1, "path", "no such file or folder")

    def build(self, paths: Sequence[Path]) -> Catalog | None:
        items: dict[str, Item] = {}
        exercises: dict[str, ExerciseBase] = {}
        sources: dict[str, Source] = {}
        metas: list[tuple[Meta, Source]] = []
        digest = hashlib.sha256()
        for path in dict.fromkeys(self.files(paths)):
            name = _display(path)
            data = path.read_bytes()
            digest.update(data)
            try:
                raw = load_mapping(data)
            except YamlProblem as exc:
                self.add(name, exc.line, "file", exc.reason)
                continue
            for key, value in raw.items():
                self.read_section(name, raw, key, value, items, exercises, sources, metas)
        if not metas:
            self.add(_display(paths[0]) if paths else "data", 1, "meta", "no file defines meta (title, version)")
            return None
        for _meta, source in metas[1:]:
            self.add(source.file, source.line, "meta", f"meta is defined twice (first in {metas[0][1]})")
        catalog = Catalog(
            meta=metas[0][0],
            items=items,
            exercises=tuple(exercises.values()),
            sources=sources,
            version=f"{metas[0][0].version}+{digest.hexdigest()[:8]}",
        )
        self.check_references(catalog)
        self.check_coverage(catalog)
        return catalog

    def read_section(self, name: str, raw: LineDict, key: Any, value: Any, items: dict[str, Item],
                     exercises: dict[str, ExerciseBase], sources: dict[str, Source],
                     metas: list[tuple[Meta, Source]]) -> None:
        line = raw.key_lines[key]
        if key not in _TOP_KEYS:
            self.add(name, line, str(key), f"unknown top-level key; expected one of {', '.join(_TOP_KEYS)}")
            return
        if key == "meta":
            try:
                metas.append((Meta.model_validate(value), Source(name, line)))
            except ValidationError as exc:
                self.report(name, raw, ("meta",), exc)
            return
        if value is None:
            return
        if not isinstance(value, LineList):
            self.add(name, line, key, "expected a list of entries, each starting with '- '")
            return
        for index, entry in enumerate(value):
            loc = (key, index)
            if not isinstance(entry, LineDict):
                self.add(name, line_of(raw, loc), _field(loc), "expected a mapping with id: and the other fields")
                continue
            try:
                model = _adapter(key).validate_python(entry)
            except ValidationError as exc:
                self.report(name, raw, loc, exc)
                if isinstance(entry.get("id"), str):
                    self.broken_ids.add(entry["id"])
                continue
            source = Source(name, line_of(raw, loc), entry, loc)
            if model.id in sources:
                self.add(name, source.line, _field((*loc, "id")),
                         f"duplicate id '{model.id}' (first in {sources[model.id]})")
                continue
            sources[model.id] = source
            (exercises if key == "exercises" else items)[model.id] = model

    def report(self, name: str, raw: LineDict, prefix: tuple[Any, ...], exc: ValidationError) -> None:
        entry = raw
        for part in prefix:
            entry = entry[part]
        for error in exc.errors():
            loc = tuple(error["loc"])
            if loc and isinstance(entry, Mapping) and loc[0] == entry.get("kind") and loc[0] not in entry:
                loc = loc[1:]  # the discriminator's tag, not a field
            loc = tuple(part for part in loc if not (isinstance(part, str) and part.startswith("function-")))
            if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc = (*loc, "kind")
            full = (*prefix, *loc)
            self.add(name, line_of(raw, full), _field(full), _reason(error))

    def problem_at(self, catalog: Catalog, item_id: str, field_path: str, reason: str) -> None:
        self.problems.append(catalog.problem(item_id, field_path, reason))

    def check_ref(self, catalog: Catalog, owner: str, field_path: str, ref: str, kind: str | None = None) -> None:
        if ref in self.broken_ids:
            return
        target = catalog.items.get(ref)
        if target is None:
            self.problem_at(catalog, owner, field_path, f"unknown id '{ref}'")
        elif kind is not None and target.kind != kind:
            self.problem_at(catalog, owner, field_path, f"'{ref}' is a {target.kind}, not a {kind}")

    def check_references(self, catalog: Catalog) -> None:
        for item in catalog.items.values():
            if not isinstance(item, Section):
                self.check_ref(catalog, item.id, "section", item.section, "section")  # type: ignore[attr-defined]
        for ex in catalog.exercises:
            for index, ref in enumerate(ex.about):
                self.check_ref(catalog, ex.id, f"about[{index}]", ref)
            for field_path, reason in ex.key_problems():
                self.problem_at(catalog, ex.id, field_path, reason)
            wanted = "signal" if isinstance(ex, SignalId) else "technique" if isinstance(ex, TechniqueMatch) else None
            if wanted:
                for index, option in enumerate(ex.options):
                    self.check_ref(catalog, ex.id, f"options[{index}].id", option.id, wanted)

    def check_coverage(self, catalog: Catalog) -> None:
        for item in catalog.items.values():
            if not catalog.about(item.id):
                self.problem_at(catalog, item.id, "id",
                                f"no exercise is about this {item.kind}; add one with about: [{item.id}]")
