"""Load the content files, validate them and build the :class:`Catalog`.

Every problem is reported as ``FILE:LINE: field: reason``; :func:`load_catalog`
raises :class:`~playbook_lib.errors.ContentError` holding all of them. Shapes and
cross-references are checked in the same pass, so one run shows every problem of
the files that parse. A catalogue that loaded cleanly is cached (see ``_cache``).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._gc import collector_paused
from ._yaml import LineDict, LineList, line_of
from .errors import ContentError, Message, Problem, UnknownIdError
from .models import ITEM_MODELS, ExerciseBase, Item, Meta
from .resources import data_dir

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

DATA_DIR = data_dir()
CONTENT_ENV = "PLAYBOOK_CONTENT"
I18N_FOLDER = "i18n"  # language resources (glossary, script overrides, interface strings), not content
COACH_FOLDER = "coach"  # the coach's labelled lines and method table (playbook_lib.coach), not content
ITEM_KINDS: tuple[str, ...] = ("section", "barrier", "stage", "signal", "technique", "moment", "caution")
_TOP_KEYS = ("meta", *ITEM_MODELS, "exercises")
_ID_IN_TEXT = re.compile(r"^[ \t-]*id:[ \t]*[\"']?([a-z][a-z0-9.\-]*)", re.MULTILINE)


@cache
def _adapter(key: str) -> TypeAdapter[Any]:
    """The validator of one top-level key's entries (built on first use, so importing stays cheap)."""
    from pydantic import TypeAdapter

    from .models import Exercise

    return TypeAdapter(Exercise if key == "exercises" else ITEM_MODELS[key])


def _msg(key: str, /, **values: Any) -> Message:
    return Message(f"validate.{key}", tuple(values.items()))


@dataclass(frozen=True)
class Source:
    """Where an item was defined."""

    file: str
    line: int
    raw: Any = field(repr=False, compare=False, default=None)
    loc: tuple[Any, ...] = field(repr=False, compare=False, default=())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def problem(self, field_path: str, reason: str | Message) -> Problem:
        """A problem at ``field_path`` (such as ``options[2].why``) under this entry."""
        loc: list[Any] = []
        for part in field_path.replace("]", "").replace("[", ".").split("."):
            if part:
                loc.append(int(part) if part.isdigit() else part)
        message = reason if isinstance(reason, Message) else None
        text = reason.render() if isinstance(reason, Message) else reason
        raw = self.raw if self.raw is not None or not self.loc else _raw_entry(self.file, self.loc)
        line = line_of(raw, tuple(loc)) if raw is not None else self.line
        return Problem(self.file, line, _field((*self.loc, *loc)), text, message)

    def without_raw(self) -> Source:
        """The same place without the parsed entry (read again from the file when a problem needs it)."""
        return Source(self.file, self.line, None, self.loc)


def _raw_entry(file: str, loc: tuple[Any, ...]) -> Any:
    """The parsed entry at ``loc`` of ``file`` (for a catalogue read from the cache), or ``None``."""
    from ._files import read_bytes
    from ._yaml import read_mapping

    try:
        node: Any = read_mapping(read_bytes(Path(file)))[0]
    except OSError:
        return None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


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

    @cached_property
    def _key_slots(self) -> dict[str, tuple[str, int]]:
        from . import kinds

        slots: dict[str, tuple[str, int]] = {}
        counts: dict[str, int] = {}
        for ex in self.exercises:
            answer, choices = getattr(ex, "answer", None), ex.choices
            shuffled = kinds.of(ex).order == "shuffle"  # a dialogue's best line keeps its place
            if shuffled and isinstance(answer, str) and any(c.id == answer for c in choices):
                group = f"{self.sources[ex.id].file}\x1f{len(choices)}"
                slots[ex.id] = (group, counts.get(group, 0))
                counts[group] = counts.get(group, 0) + 1
        return slots

    def key_slot(self, exercise_id: str) -> tuple[str, int] | None:
        """For an exercise with one key among its choices: its file and option count, and its place among that
        file's exercises with as many options (``None`` for other exercises). See :func:`engine.choice_order`."""
        return self._key_slots.get(exercise_id)

    def __getstate__(self) -> dict[str, Any]:
        """Only the fields: the indexes are rebuilt on use (so the cache stays small)."""
        return {name: self.__dict__[name] for name in ("meta", "items", "exercises", "sources", "version")}

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

    def problem(self, owner: str, field_path: str, reason: str | Message) -> Problem:
        """A problem at ``field_path`` (such as ``options[2].why``) of the item or exercise ``owner``."""
        return self.sources[owner].problem(field_path, reason)

    def overview(self) -> dict[str, Any]:
        """Items with their exercise counts, the total, the count per exercise kind and the language coverage
        of the learner-facing text fields, as ``playbook catalog --json`` prints them."""
        from .i18n import to_traditional
        from .lint import texts
        from .models import EXERCISE_KINDS

        found = [ex.kind for ex in self.exercises]  # type: ignore[attr-defined]
        kinds = {kind: found.count(kind) for kind in (*EXERCISE_KINDS, *sorted(set(found) - set(EXERCISE_KINDS)))
                 if kind in found}
        fields = [text for owner in (*self.items.values(), *self.exercises) for _, text in texts(owner)]
        return {
            "items": [
                {"id": item.id, "kind": item.kind, "title": item.title, "exercises": len(self.about(item.id))}
                for kind in ITEM_KINDS
                for item in self.of_kind(kind)
            ],
            "exercises": len(self.exercises),
            "kinds": kinds,
            "languages": {
                "fields": len(fields),
                "en": sum(1 for text in fields if text.en is not None),
                "zh": sum(1 for text in fields if text.zh is not None),
                "both": sum(1 for text in fields if text.en is not None and text.zh is not None),
                "zh_hant": sum(1 for text in fields if text.zh is not None and to_traditional(text.zh)),
            },
        }


def content_paths(extra: Iterable[Path | str] = ()) -> list[Path]:
    """The shipped data folder, then the folders in ``PLAYBOOK_CONTENT``, then ``extra``."""
    paths = [DATA_DIR]
    env = os.environ.get(CONTENT_ENV, "")
    paths += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    paths += [Path(p) for p in extra]
    return list(dict.fromkeys(p.expanduser().resolve() for p in paths))


@collector_paused(keep=True)
def load_catalog(paths: Sequence[Path | str] | None = None, *, use_cache: bool = True) -> Catalog:
    """Load and validate content; raise ``ContentError`` listing every problem.

    An unchanged set of files is read from the cache instead of being validated again.
    """
    from . import _cache

    roots = content_paths() if paths is None else [Path(p) for p in paths]
    builder = Builder()
    files = builder.read(roots)
    key = _cache.key(files) if use_cache and not builder.problems else None
    if key is not None:
        cached = _cache.load(roots, key)
        if cached is not None:
            return cached
    catalog = builder.build(files, roots)
    if builder.problems or catalog is None:
        raise ContentError(sorted(builder.problems))
    if key is not None:
        _cache.save(roots, key, catalog)
    return catalog


@collector_paused()
def validate_paths(paths: Sequence[Path | str] = ()) -> list[Problem]:
    """Every problem in the shipped content plus ``paths`` (empty list when all is well)."""
    builder = Builder()
    roots = content_paths(paths)
    builder.build(builder.read(roots), roots)
    return sorted(builder.problems)


def display(path: Path) -> str:
    """A path as problems show it: relative to the working folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _field(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class ReadFile:
    """One content file's name as shown, path and bytes."""

    name: str
    path: Path
    data: bytes


class Builder:
    """Reads files and checks the catalogue, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.broken_ids: set[str] = set()
        self.settings: list[Path] = []
        self.entries: list[tuple[ExerciseBase | Item, Source]] = []  # every valid entry, duplicates included
        self.failed: list[tuple[Source, set[tuple[Any, ...]]]] = []  # invalid entries, with the fields reported

    def add(self, file: str, line: int, field_name: str, message: Message) -> None:
        self.problems.append(Problem(file, line, field_name, message.render(), message))

    def read(self, roots: Sequence[Path]) -> list[ReadFile]:
        """The bytes of every content file under ``roots``; what cannot be read is a problem."""
        from ._files import discover, read_bytes

        def report(path: Path, field_name: str, message: Message) -> None:
            self.add(display(path), 1, field_name, message)

        found = discover(roots, report, skip={I18N_FOLDER, COACH_FOLDER})
        self.settings = found.settings
        files = []
        for path in dict.fromkeys(found.files):
            try:
                files.append(ReadFile(display(path), path, read_bytes(path)))
            except OSError as exc:
                report(path, "file", _msg("path.unreadable", reason=exc.strerror or type(exc).__name__))
        return files

    def build(self, files: Sequence[ReadFile], roots: Sequence[Path]) -> Catalog | None:
        """Validate the files read; the catalogue of everything valid (``None`` without ``meta``)."""
        from ._yaml import read_mapping

        metas: list[tuple[Meta, Source]] = []
        digest = hashlib.sha256()
        for file in files:
            digest.update(file.data)
            raw, found = read_mapping(file.data)
            for problem in found:
                self.add(file.name, problem.line, "file", problem.message)
            if raw is None:  # ids defined in a file that cannot be read are not reported as unknown elsewhere
                self.broken_ids.update(_ID_IN_TEXT.findall(file.data.decode("utf-8", "replace")))
                continue
            for key, value in raw.items():
                self.read_section(file.name, raw, key, value, metas)
        if not metas:
            self.add(display(roots[0]) if roots else "data", 1, "meta", _msg("meta.missing"))
            return None
        for _meta, source in metas[1:]:
            self.add(source.file, source.line, "meta", _msg("meta.twice", first=str(metas[0][1])))
        items: dict[str, Item] = {}
        exercises: dict[str, ExerciseBase] = {}
        sources: dict[str, Source] = {}
        for model, source in self.entries:
            if model.id in sources:
                self.add(source.file, source.line, _field((*source.loc, "id")),
                         _msg("id.duplicate", id=model.id, first=str(sources[model.id])))
                continue
            sources[model.id] = source
            (exercises if isinstance(model, ExerciseBase) else items)[model.id] = model
        catalog = Catalog(meta=metas[0][0], items=items, exercises=tuple(exercises.values()), sources=sources,
                          version=f"{metas[0][0].version}+{digest.hexdigest()[:8]}")
        from ._checks import check_catalog

        check_catalog(self, catalog)
        return catalog

    def read_section(self, name: str, raw: LineDict, key: Any, value: Any, metas: list[tuple[Meta, Source]]) -> None:
        from pydantic import ValidationError

        from ._reasons import with_suggestion

        line = raw.key_lines[key]
        if key not in _TOP_KEYS:
            reason = _msg("top.unknown", keys=", ".join(_TOP_KEYS))
            self.add(name, line, str(key), with_suggestion(reason, str(key), _TOP_KEYS))
            return
        if key == "meta":
            try:
                metas.append((Meta.model_validate(value), Source(name, line)))
            except ValidationError as exc:
                self.report(name, raw, ("meta",), exc, Meta)
            return
        if value is None:
            return
        if not isinstance(value, LineList):
            self.add(name, line, key, _msg("top.not-list"))
            return
        adapter = _adapter(key)
        for index, entry in enumerate(value):
            loc = (key, index)
            source = Source(name, line_of(raw, loc), entry, loc)
            if not isinstance(entry, LineDict):
                self.add(name, source.line, _field(loc), _msg("entry.not-mapping"))
                continue
            try:
                self.entries.append((adapter.validate_python(entry), source))
            except ValidationError as exc:
                model = _entry_model(key, entry)
                self.failed.append((source, self.report(name, raw, loc, exc, model)))
                if isinstance(entry.get("id"), str):
                    self.broken_ids.add(entry["id"])

    def report(self, name: str, raw: LineDict, prefix: tuple[Any, ...], exc: ValidationError,
               model: Any) -> set[tuple[Any, ...]]:
        """Add a problem for each error of ``exc``; the fields (relative to the entry) that had one."""
        from ._reasons import explain

        entry: Any = raw
        for part in prefix:
            entry = entry[part]
        fields = set()
        errors = exc.errors(include_url=False)
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "too_short" and any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc
                                                    for e in errors):
                continue  # pydantic counts only the entries that validated; the entry's own problem says it
            if loc and isinstance(entry, Mapping) and loc[0] == entry.get("kind") and loc[0] not in entry:
                loc = loc[1:]  # the discriminator's tag, not a field
            loc = tuple(part for part in loc if not (isinstance(part, str) and part.startswith("function-")))
            if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc = (*loc, "kind")
            fields.add(loc)
            full = (*prefix, *loc)
            self.add(name, line_of(raw, full), _field(full), explain(error, model, loc))
        return fields


def _entry_model(key: str, entry: Mapping[str, Any]) -> Any:
    """The model an entry was meant to be (its exercise kind's model), for "did you mean" on field names."""
    if key != "exercises":
        return ITEM_MODELS.get(key)
    return _exercise_models().get(str(entry.get("kind")))


@cache
def _exercise_models() -> dict[str, Any]:
    import typing

    from .models import Exercise

    union = typing.get_args(Exercise)[0]
    return {typing.get_args(cls.model_fields["kind"].annotation)[0]: cls for cls in typing.get_args(union)}
