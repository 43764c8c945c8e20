"""``multi-select``: pick every right option; partial credit."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..feedback import Feedback, base, id_list, notes
from ..i18n import ui
from ..models import ChoiceId, ExerciseBase, Option, _TextOptions
from . import Kind, register

if TYPE_CHECKING:
    from ..content import Catalog


class MultiSelect(_TextOptions, ExerciseBase):
    """Pick every right option; partial credit."""

    kind: Literal["multi-select"]
    options: tuple[Option, ...] = Field(min_length=3, max_length=8, description="3-8 options.")
    answer: tuple[ChoiceId, ...] = Field(min_length=1, description="Ids of all right options.")

    def _answer_problems(self, ids: set[str]) -> Iterator[tuple[str, str]]:
        for index, key in enumerate(self.answer):
            if key not in ids:
                yield f"answer[{index}]", f"'{key}' is not one of the options ({', '.join(sorted(ids))})"
            elif key in self.answer[:index]:
                yield f"answer[{index}]", f"'{key}' is listed twice"
        if set(self.answer) >= ids:
            yield "answer", "every option is right; leave at least one wrong option"


class MultiSelectKind(Kind):
    """Answer: a list of option ids, ``["a", "c"]``; score: right picks minus wrong picks over the right ones."""

    name = "multi-select"
    model = MultiSelect
    fast_seconds, slow_seconds = 20.0, 75.0

    def grade(self, catalog: Catalog, exercise: MultiSelect, answer: Any, lang: str) -> Feedback:  # type: ignore[override]
        picked = id_list(exercise, answer)
        keys = set(exercise.answer)
        hits, misses = len(keys & set(picked)), len(set(picked) - keys)
        score = max(0.0, (hits - misses) / len(keys))
        right = set(picked) == keys
        return Feedback(**base(exercise, lang), answer=picked, correct=right, score=1.0 if right else score,
                        expected=list(exercise.answer), notes=notes(catalog, exercise, set(picked), keys, lang),
                        summary=ui("feedback.picks", lang, hits=hits, keys=len(keys), misses=misses))

    def demo_answer(self, exercise: MultiSelect, rng: random.Random, knows: bool) -> Any:  # type: ignore[override]
        ids = [c.id for c in exercise.choices]
        return list(exercise.answer) if knows else rng.sample(ids, rng.randint(1, len(ids) - 1))


register(MultiSelectKind())
