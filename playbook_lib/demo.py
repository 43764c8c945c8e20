"""Plausible practice records made by answering through the engine, for demos, tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from . import kinds
from .content import Catalog
from .engine import grade
from .models import ExerciseBase
from .records import Attempt, Placement


def _guess(exercise: ExerciseBase, rng: random.Random, skill: float) -> object:
    """An answer by a learner who knows the right one with probability ``skill`` (the kind draws the rest)."""
    knows = rng.random() < skill
    return kinds.of(exercise).demo_answer(exercise, rng, knows)


def demo_attempts(catalog: Catalog, n: int, learners: Sequence[str] = ("demo",), *, seed: int = 0,
                  start: datetime | None = None, days: int = 30, session: str = "demo") -> Iterator[Attempt]:
    """``n`` attempts spread over ``days``, by learners who improve as they go."""
    rng = random.Random(seed)
    start = start or datetime.now(UTC) - timedelta(days=days)
    exercises = list(catalog.exercises)
    for i in range(n):
        exercise = rng.choice(exercises)
        skill = 0.45 + 0.45 * i / max(n - 1, 1)
        feedback = grade(catalog, exercise, _guess(exercise, rng, skill))
        yield Attempt.from_feedback(
            feedback, Placement.of(catalog, exercise), learner=rng.choice(learners), session=session,
            seconds=round(rng.lognormvariate(2.6, 0.5), 2), uid=f"{session}-{seed}-{i}",
            answered_at=start + timedelta(seconds=days * 86_400 * i / max(n, 1)))
