"""``best-moment``: a dialogue; pick the line after which to ask for the order."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..models import ExerciseBase, LocalId, Model, Text
from . import register
from ._keyed import PickKind


class Line(Model):
    """A dialogue line the learner may pick as the moment to ask."""

    id: LocalId = Field(description="Short id such as l3.")
    speaker: Literal["rep", "customer"] = Field(description="Who speaks.")
    text: Text = Field(description="What is said.")
    why: Text = Field(description="Why asking right after this line is or is not the moment.")


class BestMoment(ExerciseBase):
    """Pick the line after which to ask for the order."""

    kind: Literal["best-moment"]
    lines: tuple[Line, ...] = Field(min_length=4, max_length=12, description="The dialogue, 4-12 lines in order.")
    answer: LocalId = Field(description="Id of the line after which to ask.")

    _choice_field: ClassVar[str] = "lines"

    @property
    def choices(self) -> tuple[Line, ...]:
        """The dialogue lines."""
        return self.lines


class BestMomentKind(PickKind):
    """Answer: a line id, ``"l4"``; the lines keep their order."""

    name = "best-moment"
    model = BestMoment
    order = "keep"
    fast_seconds, slow_seconds = 25.0, 90.0
    choice_field = "lines"


register(BestMomentKind())
