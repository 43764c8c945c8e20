"""What grading returns (:class:`Feedback` and its :class:`Note` s) and the helpers every kind grades with.

Pure: no display and no storage. The kinds in :mod:`playbook_lib.kinds` build their feedback from these;
:mod:`playbook_lib.engine` re-exports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import AnswerError
from .i18n import DEFAULT_LANG, is_chinese, say, ui

if TYPE_CHECKING:
    from .content import Catalog
    from .models import ExerciseBase

NOT_A_SIGNAL = "not-a-signal"


@dataclass(frozen=True)
class Note:
    """What one choice means: its label, whether it was picked, whether it is right, and why."""

    id: str
    label: str
    why: str
    chosen: bool
    right: bool


@dataclass(frozen=True)
class Feedback:
    """The result of grading one answer."""

    exercise_id: str
    kind: str
    answer: Any = field(repr=False)
    correct: bool | None
    score: float
    expected: Any
    notes: tuple[Note, ...] = ()
    summary: str = ""
    takeaway: str = ""

    lang: str = DEFAULT_LANG
    detail: Any = field(default=None, repr=False, compare=False)
    """What a kind shows beyond the notes (a call's replay), or ``None``."""

    @property
    def verdict(self) -> str:
        """The result: ``right``, ``partly``, ``wrong``, or ``recorded`` for reflections."""
        if self.correct is None:
            return "recorded"
        if self.correct:
            return "right"
        return "partly" if self.score > 0 else "wrong"

    @property
    def verdict_text(self) -> str:
        """The verdict in words, in the feedback's language."""
        return ui(f"verdict.{self.verdict}", self.lang)

    @property
    def symbol(self) -> str:
        """A symbol that goes with the verdict, so colour is never the only cue."""
        return {"right": "✔", "partly": "◐", "wrong": "✘", "recorded": "✎"}[self.verdict]


def base(exercise: ExerciseBase, lang: str) -> dict[str, Any]:
    """The fields every kind's feedback shares: exercise, kind, takeaway and language."""
    return {"exercise_id": exercise.id, "kind": exercise.kind,  # type: ignore[attr-defined]
            "takeaway": say(exercise.takeaway, lang, tag=True), "lang": lang}


def label_of(catalog: Catalog, exercise: ExerciseBase, choice: Any, lang: str = DEFAULT_LANG) -> str:
    """The text a learner sees for an option, line or item, in ``lang``."""
    text = getattr(choice, "text", None)
    if text is not None:
        return say(text, lang, tag=True)
    item = catalog.items.get(choice.id)
    return say(item.name, lang) if item is not None else choice.id


def numbered_line(n: int, line: Any, lang: str = DEFAULT_LANG) -> str:
    """A line of a conversation as a learner picks it among the others: its number, its speaker and its words."""
    gap = "" if is_chinese(lang) else " "
    return f"{n}. {ui('card.says', lang, speaker=ui(f'speaker.{line.speaker}', lang))}{gap}{say(line.text, lang, tag=True)}"


def one_id(exercise: ExerciseBase, answer: Any) -> str:
    """``answer`` as one of the exercise's choice ids; ``AnswerError`` otherwise."""
    ids = [c.id for c in exercise.choices]
    if not isinstance(answer, str) or answer not in ids:
        raise AnswerError(f"{exercise.id}: answer must be one of {ids}, got {answer!r}")
    return answer


def id_list(exercise: ExerciseBase, answer: Any) -> list[str]:
    """``answer`` as a list of distinct choice ids; ``AnswerError`` otherwise."""
    ids = [c.id for c in exercise.choices]
    if isinstance(answer, str) or not isinstance(answer, Sequence):
        raise AnswerError(f"{exercise.id}: answer must be a list of ids from {ids}, got {answer!r}")
    picked = list(answer)
    unknown = [a for a in picked if a not in ids]
    if unknown:
        raise AnswerError(f"{exercise.id}: unknown ids {unknown}; choose from {ids}")
    if len(set(picked)) != len(picked):
        raise AnswerError(f"{exercise.id}: an id is listed twice in {picked}")
    return picked


def notes(catalog: Catalog, exercise: ExerciseBase, chosen: set[str], right: set[str], lang: str) -> tuple[Note, ...]:
    """A note for every choice of the exercise, in file order."""
    return tuple(
        Note(c.id, label_of(catalog, exercise, c, lang), say(getattr(c, "why", None), lang, tag=True),
             c.id in chosen, c.id in right)
        for c in exercise.choices
    )
