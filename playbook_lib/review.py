"""Spaced review: every answered exercise becomes a card scheduled with FSRS (the ``fsrs`` package).

An answer becomes a rating:

==============================================  ========
answer                                          rating
==============================================  ========
wrong, or only partly right (score < 1)         Again
a call that is not right (lost, call-back, or   Again
signed with less than 80 % of the rubric)
right, but below full marks (a call signed      Hard
with some rubric points missed)
right, but slower than the kind's slow time     Hard
right                                           Good
right, and within the kind's fast time          Easy
reflection (self-rated): every rubric point     Good
reflection: some rubric points missed           Hard
==============================================  ========

Each kind declares its fast and slow times (``fast_seconds``, ``slow_seconds`` in
:mod:`playbook_lib.kinds`): a signal line is quick, a dialogue or a draft contract is not, a whole call
takes minutes. With no time recorded, a right answer is Good. Fuzzing is off, so the same answers at the
same times always give the same schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs import Card, Rating

DEFAULT_SECONDS = (10.0, 45.0)  # fast and slow times of a kind the registry does not know
RATING_NAMES = ("Again", "Hard", "Good", "Easy")


def timing(kind: str) -> tuple[float, float]:
    """The fast and slow times of ``kind``, in seconds."""
    from . import kinds

    found = kinds.find(kind)
    return (found.fast_seconds, found.slow_seconds) if found else DEFAULT_SECONDS


def rating_name(kind: str, correct: bool | None, score: float, seconds: float | None) -> str:
    """The FSRS rating (Again, Hard, Good or Easy) for one answer; see the module's table."""
    if correct is None:
        return "Good" if score >= 1 else "Hard"
    if not correct:
        return "Again"
    if score < 1:
        return "Hard"
    if seconds is None:
        return "Good"
    fast, slow = timing(kind)
    if seconds <= fast:
        return "Easy"
    if seconds > slow:
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
