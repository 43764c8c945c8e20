"""``ordering``: put the items in the right order."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from ..errors import AnswerError
from ..feedback import Feedback, base, id_list, notes
from ..i18n import ui
from ..models import ExerciseBase, LocalId, Model, Text
from . import Kind, register

if TYPE_CHECKING:
    from ..content import Catalog


class OrderItem(Model):
    """An item to be put in order."""

    id: LocalId = Field(description="Short id.")
    text: Text = Field(description="What the learner sees.")
    why: Text = Field(description="Why it stands in this position.")


class Ordering(ExerciseBase):
    """Put the items in the right order."""

    kind: Literal["ordering"]
    items: tuple[OrderItem, ...] = Field(min_length=3, max_length=8, description="Items in the right order.")

    _choice_field: ClassVar[str] = "items"

    @property
    def choices(self) -> tuple[OrderItem, ...]:
        """The items, in the right order."""
        return self.items


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


class OrderingKind(Kind):
    """Answer: every item id once, in the learner's order; score: :func:`order_agreement`."""

    name = "ordering"
    model = Ordering
    order = "never-solved"
    fast_seconds, slow_seconds = 30.0, 90.0
    choice_field = "items"
    notes = "order"
    interaction = "sequencing"

    def grade(self, catalog: Catalog, exercise: Ordering, answer: Any, lang: str) -> Feedback:  # type: ignore[override]
        order = id_list(exercise, answer)
        keys = [item.id for item in exercise.items]
        if sorted(order) != sorted(keys):
            raise AnswerError(f"{exercise.id}: put every item in order exactly once: {keys}")
        placed = {item_id for item_id, key in zip(order, keys, strict=True) if item_id == key}
        score = order_agreement(order, keys)
        return Feedback(**base(exercise, lang), answer=order, correct=order == keys, score=score, expected=keys,
                        notes=notes(catalog, exercise, placed, set(keys), lang),
                        summary=ui("feedback.order", lang, placed=len(placed), total=len(keys),
                                   agreement=round(100 * score)))

    def demo_answer(self, exercise: Ordering, rng: random.Random, knows: bool) -> Any:  # type: ignore[override]
        ids = [c.id for c in exercise.choices]
        return ids if knows else rng.sample(ids, len(ids))


register(OrderingKind())
