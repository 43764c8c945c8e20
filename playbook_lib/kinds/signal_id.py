"""``signal-id``: is this a buying signal, and which kind? Two steps."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, StrictBool

from .._reasons import msg
from ..errors import AnswerError, Message
from ..feedback import Feedback, base, notes, one_id
from ..i18n import say, ui
from ..models import ExerciseBase, ItemId, Option, Text
from . import Kind, register
from ._keyed import about_names_answer

if TYPE_CHECKING:
    from ..content import Catalog


class SignalId(ExerciseBase):
    """Is it a buying signal, and which kind? Two steps."""

    kind: Literal["signal-id"]
    is_signal: StrictBool = Field(description="Step one: is this a buying signal?")
    why_signal: Text = Field(description="Why it is or is not a buying signal.")
    not_signal: Literal["stall", "objection", "small-talk"] | None = Field(
        None, description="What it is instead, when not a signal."
    )
    options: tuple[Option, ...] = Field(min_length=3, max_length=4, description="Signal kinds offered in step two.")
    answer: ItemId | None = Field(None, description="The right signal kind, when it is a signal.")

    def _answer_problems(self, ids: set[str]) -> Iterator[tuple[str, str]]:
        if self.is_signal:
            if self.answer is None:
                yield "answer", "required when is_signal is true: the right signal kind"
            if self.not_signal is not None:
                yield "not_signal", "only for is_signal: false"
        else:
            if self.answer is not None:
                yield "answer", "leave out the answer when is_signal is false"
            if self.not_signal is None:
                yield "not_signal", "required when is_signal is false: stall, objection or small-talk"
        yield from super()._answer_problems(ids)


class SignalIdKind(Kind):
    """Answer: ``{"signal": True, "kind": "signal.action"}`` or ``{"signal": False}``.

    Score: 1 for the right yes/no and the right kind; 0.5 for a right "yes" with the wrong kind; 0 otherwise.
    """

    name = "signal-id"
    model = SignalId
    fast_seconds, slow_seconds = 8.0, 30.0
    option_refs = "signal"

    def grade(self, catalog: Catalog, exercise: SignalId, answer: Any, lang: str) -> Feedback:  # type: ignore[override]
        if not isinstance(answer, Mapping) or not isinstance(answer.get("signal"), bool):
            raise AnswerError(f"{exercise.id}: answer must be {{'signal': True, 'kind': id}} or {{'signal': False}}")
        says_signal = answer["signal"]
        kind = one_id(exercise, answer.get("kind")) if says_signal else None
        if says_signal != exercise.is_signal:
            score = 0.0
        elif not says_signal:
            score = 1.0
        else:
            score = 1.0 if kind == exercise.answer else 0.5
        step_one = (ui("feedback.is-signal", lang) if exercise.is_signal
                    else ui("feedback.not-signal", lang, what=ui(f"not-signal.{exercise.not_signal}", lang)))
        right_kinds = {exercise.answer} if exercise.answer else set()
        return Feedback(**base(exercise, lang), answer={"signal": says_signal, "kind": kind}, correct=score == 1.0,
                        score=score, expected={"signal": exercise.is_signal, "kind": exercise.answer},
                        notes=notes(catalog, exercise, {kind} if kind else set(), right_kinds, lang),
                        summary=f"{step_one}{'' if lang.startswith('zh') else ' '}{say(exercise.why_signal, lang, tag=True)}")

    def demo_answer(self, exercise: SignalId, rng: random.Random, knows: bool) -> Any:  # type: ignore[override]
        if knows:
            return {"signal": True, "kind": exercise.answer} if exercise.is_signal else {"signal": False}
        ids = [c.id for c in exercise.choices]
        return {"signal": True, "kind": rng.choice(ids)} if rng.random() < 0.6 else {"signal": False}

    def check(self, exercise: SignalId, catalog: Catalog) -> Iterator[tuple[str, Message]]:  # type: ignore[override]
        """``about`` names the answer; for a line that is not a signal, a kind it could be mistaken for."""
        if exercise.is_signal:
            yield from about_names_answer(exercise, "signal")
            return
        ids = [c.id for c in exercise.choices]
        for index, ref in enumerate(exercise.about):
            item = catalog.items.get(ref)
            if item is not None and item.kind == "signal" and ref not in ids:
                yield f"about[{index}]", msg("about.not-signal", id=ref, ids=", ".join(ids))


register(SignalIdKind())
