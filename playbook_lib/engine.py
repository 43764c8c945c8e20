"""Grading and drills: pure functions of the catalogue, with no display and no storage.

Answers, by exercise kind:

==================  =====================================================
kind                answer
==================  =====================================================
single-choice       an option id, ``"b"``
technique-match     a technique id, ``"technique.summary-close"``
best-moment         a line id, ``"l4"``
multi-select        a list of option ids, ``["a", "c"]``
signal-id           ``{"signal": True, "kind": "signal.action"}`` or ``{"signal": False}``
ordering            every item id once, in the learner's order
reflection          ``{"text": "...", "ticked": ["r1", "r3"]}``
==================  =====================================================
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .content import Catalog
from .errors import AnswerError, PlaybookError
from .models import (
    EXERCISE_KINDS,
    BestMoment,
    ExerciseBase,
    MultiSelect,
    Ordering,
    Reflection,
    SignalId,
    SingleChoice,
    TechniqueMatch,
)

NOT_A_SIGNAL = "not-a-signal"


@dataclass(frozen=True)
class Note:
    """What one choice means: its label, whether it was picked, whether it is right, and why."""

    id: str
    label: str
    why: str
    chosen: bool
    right: bool


@dataclass(frozen=True)
class Feedback:
    """The result of grading one answer."""

    exercise_id: str
    kind: str
    answer: Any = field(repr=False)
    correct: bool | None
    score: float
    expected: Any
    notes: tuple[Note, ...] = ()
    summary: str = ""
    takeaway: str = ""

    @property
    def verdict(self) -> str:
        """Words for the result: Right, Partly right, Not quite, or Recorded for reflections."""
        if self.correct is None:
            return "Recorded"
        if self.correct:
            return "Right"
        return "Partly right" if self.score > 0 else "Not quite"

    @property
    def symbol(self) -> str:
        """A symbol that goes with the verdict, so colour is never the only cue."""
        return {"Right": "✔", "Partly right": "◐", "Not quite": "✘", "Recorded": "✎"}[self.verdict]


def label_of(catalog: Catalog, exercise: ExerciseBase, choice: Any) -> str:
    """The text a learner sees for an option, line or item."""
    text = getattr(choice, "text", None)
    if text is not None:
        return text.en
    item = catalog.items.get(choice.id)
    return item.title if item is not None else choice.id


def _one_id(exercise: ExerciseBase, answer: Any) -> str:
    ids = [c.id for c in exercise.choices]
    if not isinstance(answer, str) or answer not in ids:
        raise AnswerError(f"{exercise.id}: answer must be one of {ids}, got {answer!r}")
    return answer


def _id_list(exercise: ExerciseBase, answer: Any) -> list[str]:
    ids = [c.id for c in exercise.choices]
    if isinstance(answer, str) or not isinstance(answer, Sequence):
        raise AnswerError(f"{exercise.id}: answer must be a list of ids from {ids}, got {answer!r}")
    picked = list(answer)
    unknown = [a for a in picked if a not in ids]
    if unknown:
        raise AnswerError(f"{exercise.id}: unknown ids {unknown}; choose from {ids}")
    if len(set(picked)) != len(picked):
        raise AnswerError(f"{exercise.id}: an id is listed twice in {picked}")
    return picked


def _notes(catalog: Catalog, exercise: ExerciseBase, chosen: set[str], right: set[str]) -> tuple[Note, ...]:
    return tuple(
        Note(c.id, label_of(catalog, exercise, c), c.why.en if hasattr(c, "why") else "", c.id in chosen, c.id in right)
        for c in exercise.choices
    )


def grade(catalog: Catalog, exercise: ExerciseBase, answer: Any) -> Feedback:
    """Grade ``answer`` to ``exercise``; ``AnswerError`` if its shape does not fit the kind."""
    takeaway = exercise.takeaway.en if exercise.takeaway else ""
    base = {"exercise_id": exercise.id, "kind": exercise.kind, "takeaway": takeaway}  # type: ignore[attr-defined]
    if isinstance(exercise, SingleChoice | TechniqueMatch | BestMoment):
        picked = _one_id(exercise, answer)
        right = picked == exercise.answer
        key = label_of(catalog, exercise, next(c for c in exercise.choices if c.id == exercise.answer))
        return Feedback(**base, answer=picked, correct=right, score=float(right), expected=exercise.answer,
                        notes=_notes(catalog, exercise, {picked}, {exercise.answer}),
                        summary="" if right else f"The best answer: {key}")
    if isinstance(exercise, MultiSelect):
        picked = _id_list(exercise, answer)
        keys = set(exercise.answer)
        hits, misses = len(keys & set(picked)), len(set(picked) - keys)
        score = max(0.0, (hits - misses) / len(keys))
        right = set(picked) == keys
        return Feedback(**base, answer=picked, correct=right, score=1.0 if right else score,
                        expected=list(exercise.answer), notes=_notes(catalog, exercise, set(picked), keys),
                        summary=f"{hits} of {len(keys)} right picks, {misses} wrong picks.")
    if isinstance(exercise, SignalId):
        return _grade_signal(catalog, exercise, answer, base)
    if isinstance(exercise, Ordering):
        order = _id_list(exercise, answer)
        keys = [item.id for item in exercise.items]
        if sorted(order) != sorted(keys):
            raise AnswerError(f"{exercise.id}: put every item in order exactly once: {keys}")
        placed = {item_id for item_id, key in zip(order, keys, strict=True) if item_id == key}
        score = len(placed) / len(keys)
        return Feedback(**base, answer=order, correct=score == 1.0, score=score, expected=keys,
                        notes=_notes(catalog, exercise, placed, set(keys)),
                        summary=f"{len(placed)} of {len(keys)} in the right position.")
    if isinstance(exercise, Reflection):
        if not isinstance(answer, Mapping) or not isinstance(answer.get("text", ""), str):
            raise AnswerError(f"{exercise.id}: answer must be {{'text': str, 'ticked': [rubric ids]}}")
        ticked = _id_list(exercise, answer.get("ticked", []))
        text = answer.get("text", "")
        return Feedback(**base, answer={"text": text, "ticked": ticked}, correct=None,
                        score=len(ticked) / len(exercise.rubric), expected=None,
                        notes=_notes(catalog, exercise, set(ticked), set(ticked)),
                        summary=f"You ticked {len(ticked)} of {len(exercise.rubric)} points. "
                                f"A model answer: {exercise.model_answer.en}")
    raise AnswerError(f"{exercise.id}: cannot grade exercises of kind {exercise.kind}")  # type: ignore[attr-defined]


def _grade_signal(catalog: Catalog, exercise: SignalId, answer: Any, base: dict[str, Any]) -> Feedback:
    if not isinstance(answer, Mapping) or not isinstance(answer.get("signal"), bool):
        raise AnswerError(f"{exercise.id}: answer must be {{'signal': True, 'kind': id}} or {{'signal': False}}")
    says_signal = answer["signal"]
    kind = _one_id(exercise, answer.get("kind")) if says_signal else None
    if says_signal != exercise.is_signal:
        score = 0.0
    elif not says_signal:
        score = 1.0
    else:
        score = 1.0 if kind == exercise.answer else 0.5
    step_one = ("It is a buying signal. " if exercise.is_signal
                else f"It is not a buying signal: it is {exercise.not_signal.replace('-', ' ')}. ")  # type: ignore[union-attr]
    right_kinds = {exercise.answer} if exercise.answer else set()
    return Feedback(**base, answer={"signal": says_signal, "kind": kind}, correct=score == 1.0, score=score,
                    expected={"signal": exercise.is_signal, "kind": exercise.answer},
                    notes=_notes(catalog, exercise, {kind} if kind else set(), right_kinds),
                    summary=step_one + exercise.why_signal.en)


# --- drills ----------------------------------------------------------------


@dataclass(frozen=True)
class DrillItem:
    """One exercise of a drill, with the order its choices are shown in."""

    exercise: ExerciseBase
    order: tuple[str, ...]


def choice_order(exercise: ExerciseBase, rng: random.Random | None = None) -> tuple[str, ...]:
    """The order to show choices in: shuffled when ``rng`` is given; ordering items never start solved."""
    ids = [c.id for c in exercise.choices]
    if isinstance(exercise, BestMoment | Reflection):
        return tuple(ids)
    if isinstance(exercise, Ordering):
        rng = rng or random.Random(exercise.id)
        shuffled = ids[:]
        while shuffled == ids:
            rng.shuffle(shuffled)
        return tuple(shuffled)
    if rng is not None:
        rng.shuffle(ids)
    return tuple(ids)


def select(catalog: Catalog, *, section: str | None = None, kind: str | None = None,
           about: str | None = None, technique: str | None = None, tag: str | None = None,
           difficulty: int | Sequence[int] | None = None, ids: Sequence[str] | None = None) -> list[ExerciseBase]:
    """Exercises matching every filter given, in catalogue order (or in the order of ``ids``)."""
    pool = [catalog.exercise(i) for i in ids] if ids is not None else list(catalog.exercises)
    if section is not None:
        sec = section if section.startswith("section.") else f"section.{section}"
        catalog.item(sec)
        pool = [ex for ex in pool if sec in catalog.sections_of(ex)]
    if kind is not None:
        if kind not in EXERCISE_KINDS:
            raise PlaybookError(f"no exercise kind {kind!r}; choose from {', '.join(EXERCISE_KINDS)}")
        pool = [ex for ex in pool if ex.kind == kind]  # type: ignore[attr-defined]
    if technique is not None and not technique.startswith("technique."):
        technique = f"technique.{technique}"
    for ref in (about, technique):
        if ref:
            if not any(i == ref or i.startswith(ref + ".") for i in catalog.items):
                catalog.item(ref)  # raises UnknownIdError
            pool = [ex for ex in pool if ref in ex.about or any(a.startswith(ref + ".") for a in ex.about)]
    if tag is not None:
        pool = [ex for ex in pool if tag in ex.tags]
    if difficulty is not None:
        levels = {difficulty} if isinstance(difficulty, int) else set(difficulty)
        pool = [ex for ex in pool if ex.difficulty in levels]
    return pool


def build_drill(catalog: Catalog, *, n: int | None = 10, seed: int | None = None, shuffle: bool = True,
                shuffle_options: bool = True, **filters: Any) -> tuple[DrillItem, ...]:
    """Pick up to ``n`` matching exercises; shuffle exercises (``shuffle``) and options with ``seed``."""
    pool = select(catalog, **filters)
    rng = random.Random(seed)
    if shuffle:
        rng.shuffle(pool)
    if n is not None:
        pool = pool[:n]
    return tuple(DrillItem(ex, choice_order(ex, rng if shuffle_options else None)) for ex in pool)
