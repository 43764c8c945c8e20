"""Grading and drills: pure functions of the catalogue, with no display and no storage.

Each exercise kind grades its own answers (:mod:`playbook_lib.kinds`); :func:`grade` finds the kind by name.
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
call                ``{"path": ["n1b", "n2a", ...], "seconds": [4.1, 9.0, ...]}`` (seconds optional); recorded
                    as ``{"path", "steps": [{"node", "reply", "seconds"}], "ending"}``
==================  =====================================================
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import kinds
from .content import Catalog
from .errors import AnswerError
from .feedback import NOT_A_SIGNAL, Feedback, Note, label_of
from .i18n import DEFAULT_LANG
from .kinds.ordering import order_agreement
from .models import ExerciseBase

__all__ = ["NOT_A_SIGNAL", "DrillItem", "Feedback", "Note", "build_drill", "choice_order", "grade", "label_of",
           "order_agreement", "select"]


def grade(catalog: Catalog, exercise: ExerciseBase, answer: Any, lang: str = DEFAULT_LANG) -> Feedback:
    """Grade ``answer`` to ``exercise``, explaining in ``lang``; ``AnswerError`` if its shape does not fit the kind."""
    kind = kinds.find(getattr(exercise, "kind", ""))
    if kind is None:
        raise AnswerError(f"{exercise.id}: cannot grade exercises of kind {getattr(exercise, 'kind', None)}")
    return kind.grade(catalog, exercise, answer, lang)


# --- drills ----------------------------------------------------------------


@dataclass(frozen=True)
class DrillItem:
    """One exercise of a drill, with the order its choices are shown in."""

    exercise: ExerciseBase
    order: tuple[str, ...]


def choice_order(exercise: ExerciseBase, learner: str = "", *, shuffle: bool = True,
                 catalog: Catalog | None = None) -> tuple[str, ...]:
    """The order to show choices in: shuffled per learner and exercise, the same each time for that learner.

    Each kind says how (:attr:`~playbook_lib.kinds.Kind.order`): a dialogue keeps its lines and a rubric its points in
    order; ordering items never start solved; a call's replies are shuffled all together (each node shows its own in
    this order).
    With the ``catalog``, an exercise with one key also has the key placed evenly: a file's exercises with n options
    go in blocks of n, and within a block the learner sees the key once at each position, in a shuffled order, so
    even a short trainer file shows no favourite position (a plain shuffle shows one at 45 % in a file of 30).
    ``shuffle=False`` gives file order (for authors checking their own file).
    """
    ids = [c.id for c in exercise.choices]
    policy = kinds.of(exercise).order
    if policy == "keep" or (not shuffle and policy != "never-solved"):
        return tuple(ids)
    rng = random.Random(f"{learner}\x1f{exercise.id}")
    slot = catalog.key_slot(exercise.id) if catalog is not None else None
    if slot is not None:
        key = exercise.answer  # type: ignore[attr-defined]
        others = [i for i in ids if i != key]
        rng.shuffle(others)
        group, index = slot
        block, place = divmod(index, len(ids))
        positions = list(range(len(ids)))
        random.Random(f"{learner}\x1f{group}\x1f{block}").shuffle(positions)
        others.insert(positions[place], key)
        return tuple(others)
    shuffled = ids[:]
    rng.shuffle(shuffled)
    while policy == "never-solved" and shuffled == ids and len(set(ids)) > 1:
        rng.shuffle(shuffled)
    return tuple(shuffled)


def select(catalog: Catalog, *, section: str | None = None, kind: str | None = None,
           about: str | None = None, technique: str | None = None, tag: str | None = None,
           difficulty: int | Sequence[int] | None = None, ids: Sequence[str] | None = None) -> list[ExerciseBase]:
    """Exercises matching every filter given, in catalogue order (or in the order of ``ids``).

    Without ``kind`` or ``ids``, kinds that take minutes (calls) are left out: a drill is single moments."""
    if ids is not None:
        pool = [catalog.exercise(i) for i in ids]
    else:
        pool = list(catalog.exercises)
        if kind is None:
            pool = [ex for ex in pool if kinds.of(ex).in_drills]
    if section is not None:
        sec = section if section.startswith("section.") else f"section.{section}"
        catalog.item(sec)
        pool = [ex for ex in pool if sec in catalog.sections_of(ex)]
    if kind is not None:
        kinds.get(kind)  # raises PlaybookError naming the kinds there are
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
    return tuple(DrillItem(ex, choice_order(ex, learner, catalog=catalog)) for ex in pool)
