"""``single-choice``: pick the one right option."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..models import ChoiceId, ExerciseBase, Option, _TextOptions
from . import register
from ._keyed import PickKind


class SingleChoice(_TextOptions, ExerciseBase):
    """Pick the one right option."""

    kind: Literal["single-choice"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=6, description="2-6 options.")
    answer: ChoiceId = Field(description="Id of the right option.")


class SingleChoiceKind(PickKind):
    """Answer: an option id, ``"b"``."""

    name = "single-choice"
    model = SingleChoice
    fast_seconds, slow_seconds = 10.0, 45.0


register(SingleChoiceKind())
