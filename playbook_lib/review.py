"""Spaced review: every answered exercise becomes a card scheduled with FSRS (the ``fsrs`` package).

An answer becomes a rating:

==========================================  ========
answer                                      rating
==========================================  ========
wrong, or only partly right (score < 1)     Again
right, but slower than ``SLOW_SECONDS``     Hard
right                                       Good
right, and faster than ``FAST_SECONDS``     Easy
reflection (self-rated): every rubric point  Good
reflection: some rubric points missed        Hard
==========================================  ========

Thresholds depend on how much there is to read: a signal line is quick, a dialogue or a draft
contract is not. With no time recorded, a right answer is Good. Fuzzing is off, so the same
answers at the same times always give the same schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs import Card, Rating

# seconds: right and at most FAST -> Easy; right and more than SLOW -> Hard
FAST_SECONDS = {"signal-id": 8.0, "single-choice": 10.0, "technique-match": 12.0, "multi-select": 20.0,
                "best-moment": 25.0, "ordering": 30.0}
SLOW_SECONDS = {"signal-id": 30.0, "single-choice": 45.0, "technique-match": 45.0, "multi-select": 75.0,
                "best-moment": 90.0, "ordering": 90.0}
RATING_NAMES = ("Again", "Hard", "Good", "Easy")


def rating_name(kind: str, correct: bool | None, score: float, seconds: float | None) -> str:
    """The FSRS rating (Again, Hard, Good or Easy) for one answer; see the module's table."""
    if correct is None:
        return "Good" if score >= 1 else "Hard"
    if not correct:
        return "Again"
    if seconds is None:
        return "Good"
    if seconds <= FAST_SECONDS.get(kind, 10.0):
        return "Easy"
    if seconds > SLOW_SECONDS.get(kind, 45.0):
        return "Hard"
    return "Good"


@dataclass(frozen=True)
class CardState:
    """One learner's review card for one exercise."""

    learner: str
    exercise_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reviews: int = 0
    lapses: int = 0


class Reviewer:
    """Schedules cards with FSRS (default parameters, desired retention 0.9, no fuzzing)."""

    def __init__(self, desired_retention: float = 0.9) -> None:
        from fsrs import Scheduler

        self._scheduler = Scheduler(desired_retention=desired_retention, enable_fuzzing=False)

    @staticmethod
    def _to_card(state: CardState) -> Card:
        from fsrs import Card, State

        return Card(card_id=1, state=State(state.state), step=state.step, stability=state.stability,
                    difficulty=state.difficulty, due=state.due, last_review=state.last_review)

    def review(self, current: CardState | None, learner: str, exercise_id: str, rating: str,
               when: datetime) -> CardState:
        """The card after one more answer rated ``rating`` at ``when``."""
        from fsrs import Card, Rating

        if current is None:
            card = Card(card_id=1, due=when)
            current = CardState(learner, exercise_id, int(card.state), card.step, None, None, when, None)
        else:
            card = self._to_card(current)
        value: Rating = Rating[rating]
        new, _ = self._scheduler.review_card(card, value, review_datetime=when)
        return replace(current, state=int(new.state), step=new.step, stability=new.stability,
                       difficulty=new.difficulty, due=new.due, last_review=new.last_review,
                       reviews=current.reviews + 1, lapses=current.lapses + (rating == "Again"))

    def recall(self, state: CardState, when: datetime) -> float:
        """Estimated probability of recalling the card at ``when`` (0 to 1)."""
        return float(self._scheduler.get_card_retrievability(self._to_card(state), current_datetime=when))
