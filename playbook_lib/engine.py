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
from .i18n import DEFAULT_LANG, say, ui
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

    lang: str = DEFAULT_LANG

    @property
    def verdict(self) -> str:
        """The result: ``right``, ``partly``, ``wrong``, or ``recorded`` for reflections."""
        if self.correct is None:
            return "recorded"
        if self.correct:
            return "right"
        return "partly" if self.score > 0 else "wrong"

    @property
    def verdict_text(self) -> str:
        """The verdict in words, in the feedback's language."""
        return ui(f"verdict.{self.verdict}", self.lang)

    @property
    def symbol(self) -> str:
        """A symbol that goes with the verdict, so colour is never the only cue."""
        return {"right": "✔", "partly": "◐", "wrong": "✘", "recorded": "✎"}[self.verdict]


def label_of(catalog: Catalog, exercise: ExerciseBase, choice: Any, lang: str = DEFAULT_LANG) -> str:
    """The text a learner sees for an option, line or item, in ``lang``."""
    text = getattr(choice, "text", None)
    if text is not None:
        return say(text, lang, tag=True)
    item = catalog.items.get(choice.id)
    return say(item.name, lang) if item is not None else choice.id


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


def _notes(catalog: Catalog, exercise: ExerciseBase, chosen: set[str], right: set[str], lang: str) -> tuple[Note, ...]:
    return tuple(
        Note(c.id, label_of(catalog, exercise, c, lang), say(getattr(c, "why", None), lang, tag=True),
             c.id in chosen, c.id in right)
        for c in exercise.choices
    )


def order_agreement(order: Sequence[str], keys: Sequence[str]) -> float:
    """Share of pairs of items that stand in the right order relative to each other (1.0 when all do).

    Near order earns most of the credit: one swap of neighbours in a list of seven loses 1/21.
    """
    rank = {key: index for index, key in enumerate(keys)}
    placed = [rank[item] for item in order]
    pairs = len(placed) * (len(placed) - 1) // 2
    if not pairs:
        return 1.0
    agreeing = sum(1 for i, a in enumerate(placed) for b in placed[i + 1:] if a < b)
    return agreeing / pairs


def grade(catalog: Catalog, exercise: ExerciseBase, answer: Any, lang: str = DEFAULT_LANG) -> Feedback:
    """Grade ``answer`` to ``exercise``, explaining in ``lang``; ``AnswerError`` if its shape does not fit the kind."""
    base = {"exercise_id": exercise.id, "kind": exercise.kind,  # type: ignore[attr-defined]
            "takeaway": say(exercise.takeaway, lang, tag=True), "lang": lang}
    if isinstance(exercise, SingleChoice | TechniqueMatch | BestMoment):
        picked = _one_id(exercise, answer)
        right = picked == exercise.answer
        key = label_of(catalog, exercise, next(c for c in exercise.choices if c.id == exercise.answer), lang)
        return Feedback(**base, answer=picked, correct=right, score=float(right), expected=exercise.answer,
                        notes=_notes(catalog, exercise, {picked}, {exercise.answer}, lang),
                        summary="" if right else ui("feedback.best-answer", lang, key=key))
    if isinstance(exercise, MultiSelect):
        picked = _id_list(exercise, answer)
        keys = set(exercise.answer)
        hits, misses = len(keys & set(picked)), len(set(picked) - keys)
        score = max(0.0, (hits - misses) / len(keys))
        right = set(picked) == keys
        return Feedback(**base, answer=picked, correct=right, score=1.0 if right else score,
                        expected=list(exercise.answer), notes=_notes(catalog, exercise, set(picked), keys, lang),
                        summary=ui("feedback.picks", lang, hits=hits, keys=len(keys), misses=misses))
    if isinstance(exercise, SignalId):
        return _grade_signal(catalog, exercise, answer, base, lang)
    if isinstance(exercise, Ordering):
        order = _id_list(exercise, answer)
        keys = [item.id for item in exercise.items]
        if sorted(order) != sorted(keys):
            raise AnswerError(f"{exercise.id}: put every item in order exactly once: {keys}")
        placed = {item_id for item_id, key in zip(order, keys, strict=True) if item_id == key}
        score = order_agreement(order, keys)
        return Feedback(**base, answer=order, correct=order == keys, score=score, expected=keys,
                        notes=_notes(catalog, exercise, placed, set(keys), lang),
                        summary=ui("feedback.order", lang, placed=len(placed), total=len(keys),
                                   agreement=round(100 * score)))
    if isinstance(exercise, Reflection):
        if not isinstance(answer, Mapping) or not isinstance(answer.get("text", ""), str):
            raise AnswerError(f"{exercise.id}: answer must be {{'text': str, 'ticked': [rubric ids]}}")
        ticked = _id_list(exercise, answer.get("ticked", []))
        text = answer.get("text", "")
        return Feedback(**base, answer={"text": text, "ticked": ticked}, correct=None,
                        score=len(ticked) / len(exercise.rubric), expected=None,
                        notes=_notes(catalog, exercise, set(ticked), set(ticked), lang),
                        summary=ui("feedback.reflection", lang, ticked=len(ticked), total=len(exercise.rubric),
                                   model=say(exercise.model_answer, lang, tag=True)))
    raise AnswerError(f"{exercise.id}: cannot grade exercises of kind {exercise.kind}")  # type: ignore[attr-defined]


def _grade_signal(catalog: Catalog, exercise: SignalId, answer: Any, base: dict[str, Any], lang: str) -> Feedback:
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
    step_one = (ui("feedback.is-signal", lang) if exercise.is_signal
                else ui("feedback.not-signal", lang, what=ui(f"not-signal.{exercise.not_signal}", lang)))
    right_kinds = {exercise.answer} if exercise.answer else set()
    return Feedback(**base, answer={"signal": says_signal, "kind": kind}, correct=score == 1.0, score=score,
                    expected={"signal": exercise.is_signal, "kind": exercise.answer},
                    notes=_notes(catalog, exercise, {kind} if kind else set(), right_kinds, lang),
                    summary=f"{step_one} {say(exercise.why_signal, lang, tag=True)}")


# --- drills ----------------------------------------------------------------


@dataclass(frozen=True)
class DrillItem:
    """One exercise of a drill, with the order its choices are shown in."""

    exercise: ExerciseBase
    order: tuple[str, ...]


def choice_order(exercise: ExerciseBase, learner: str = "", *, shuffle: bool = True) -> tuple[str, ...]:
    """The order to show choices in: shuffled per learner and exercise, the same each time for that learner.

    A dialogue keeps its lines and a rubric its points in order; ordering items never start solved.
    ``shuffle=False`` gives file order (for authors checking their own file).
    """
    ids = [c.id for c in exercise.choices]
    if isinstance(exercise, BestMoment | Reflection) or (not shuffle and not isinstance(exercise, Ordering)):
        return tuple(ids)
    rng = random.Random(f"{learner}\x1f{exercise.id}")
    shuffled = ids[:]
    rng.shuffle(shuffled)
    while isinstance(exercise, Ordering) and shuffled == ids:
        rng.shuffle(shuffled)
    return tuple(shuffled)


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
                learner: str = "", **filters: Any) -> tuple[DrillItem, ...]:
    """Pick up to ``n`` matching exercises, shuffled with ``seed``; options in the learner's order."""
    pool = select(catalog, **filters)
    if shuffle:
        random.Random(seed).shuffle(pool)
    if n is not None:
        pool = pool[:n]
    return tuple(DrillItem(ex, choice_order(ex, learner)) for ex in pool)
