"""Helpers of the kinds with one answer key: :class:`PickKind`, graded as one pick (single-choice, technique-match,
best-moment), and the rule that ``about`` names the answer (technique-match, signal-id)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .._reasons import msg
from ..errors import Message
from ..feedback import Feedback, base, label_of, notes, one_id
from ..i18n import ui
from . import Kind

if TYPE_CHECKING:
    from ..content import Catalog


def grade_pick(catalog: Catalog, exercise: Any, answer: Any, lang: str) -> Feedback:
    """Right when the one choice picked is the answer; the best answer named when it is not."""
    picked = one_id(exercise, answer)
    right = picked == exercise.answer
    key = label_of(catalog, exercise, next(c for c in exercise.choices if c.id == exercise.answer), lang)
    return Feedback(**base(exercise, lang), answer=picked, correct=right, score=float(right), expected=exercise.answer,
                    notes=notes(catalog, exercise, {picked}, {exercise.answer}, lang),
                    summary="" if right else ui("feedback.best-answer", lang, key=key))


def demo_pick(exercise: Any, rng: random.Random, knows: bool) -> Any:
    """The answer, or any choice."""
    return exercise.answer if knows else rng.choice([c.id for c in exercise.choices])


class PickKind(Kind):
    """A kind whose answer is one choice id: right when it is the key; a demo learner picks the key or any choice."""

    grade = staticmethod(grade_pick)  # type: ignore[assignment]
    demo_answer = staticmethod(demo_pick)  # type: ignore[assignment]


def about_names_answer(exercise: Any, what: str) -> Iterator[tuple[str, Message]]:
    """``about`` lists what is practised, so it must name the answer (when the answer is one of the choices)."""
    answer = getattr(exercise, "answer", None)
    if isinstance(answer, str) and answer in {c.id for c in exercise.choices} and answer not in exercise.about:
        yield "about", msg("about.answer", answer=answer, about=", ".join(exercise.about), what=msg(f"noun.{what}"))
