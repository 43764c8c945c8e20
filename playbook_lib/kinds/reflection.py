"""``reflection``: write an answer, then tick a rubric; recorded, not auto-graded."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from ..errors import AnswerError
from ..feedback import Feedback, base, id_list, notes
from ..i18n import say, ui
from ..models import ExerciseBase, RubricItem, Text
from . import Kind, register

if TYPE_CHECKING:
    from ..content import Catalog


class Reflection(ExerciseBase):
    """Write an answer, then tick a rubric; recorded, not auto-graded."""

    kind: Literal["reflection"]
    rubric: tuple[RubricItem, ...] = Field(min_length=2, max_length=6, description="Points to check.")
    model_answer: Text = Field(description="A good example, shown after answering.")

    _choice_field: ClassVar[str] = "rubric"

    @property
    def choices(self) -> tuple[RubricItem, ...]:
        """The rubric points."""
        return self.rubric


class ReflectionKind(Kind):
    """Answer: ``{"text": "...", "ticked": ["r1", "r3"]}``; self-rated (``correct`` is ``None``)."""

    name = "reflection"
    model = Reflection
    order = "keep"
    choice_field = "rubric"
    notes = "none"
    interaction = "long-fill-in"

    def grade(self, catalog: Catalog, exercise: Reflection, answer: Any, lang: str) -> Feedback:  # type: ignore[override]
        if not isinstance(answer, Mapping) or not isinstance(answer.get("text", ""), str):
            raise AnswerError(f"{exercise.id}: answer must be {{'text': str, 'ticked': [rubric ids]}}")
        ticked = id_list(exercise, answer.get("ticked", []))
        text = answer.get("text", "")
        return Feedback(**base(exercise, lang), answer={"text": text, "ticked": ticked}, correct=None,
                        score=len(ticked) / len(exercise.rubric), expected=None,
                        notes=notes(catalog, exercise, set(ticked), set(ticked), lang),
                        summary=ui("feedback.reflection", lang, ticked=len(ticked), total=len(exercise.rubric),
                                   model=say(exercise.model_answer, lang, tag=True)))

    def demo_answer(self, exercise: Reflection, rng: random.Random, knows: bool) -> Any:  # type: ignore[override]
        ids = [c.id for c in exercise.choices]
        return {"text": "My trial close.", "ticked": ids[: rng.randint(1, len(ids))]}


register(ReflectionKind())
