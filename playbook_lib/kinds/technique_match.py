"""``technique-match``: pick the closing method that fits the situation best."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..errors import Message
from ..models import ExerciseBase, ItemId, Option
from . import register
from ._keyed import PickKind, about_names_answer

if TYPE_CHECKING:
    from ..content import Catalog


class TechniqueMatch(ExerciseBase):
    """Pick the closing method that fits the situation best."""

    kind: Literal["technique-match"]
    options: tuple[Option, ...] = Field(min_length=3, max_length=5, description="3-5 technique ids.")
    answer: ItemId = Field(description="The best technique.")


class TechniqueMatchKind(PickKind):
    """Answer: a technique id, ``"technique.summary-close"``."""

    name = "technique-match"
    model = TechniqueMatch
    fast_seconds, slow_seconds = 12.0, 45.0
    option_refs = "technique"

    def check(self, exercise: TechniqueMatch, catalog: Catalog) -> Iterator[tuple[str, Message]]:  # type: ignore[override]
        """``about`` names the answer."""
        return about_names_answer(exercise, "technique")


register(TechniqueMatchKind())
