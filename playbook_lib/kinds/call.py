"""``call``: a whole call as a branching role-play, written by trainers, scored against a rubric and replayed.

The customer speaks (a node); the rep picks one of 2-4 replies; each reply leads to the next node or to
an ending (signed, lost or call-back). The answer is the path of reply ids; the score is the rubric points
earned along it over the rubric's total (see :mod:`playbook_lib.kinds._call_graph`); the call is right when
it ends signed with at least 80 % of the points.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import ConfigDict, Field

from ..errors import AnswerError, Message
from ..feedback import Feedback, Note, base
from ..i18n import say, ui
from ..models import ExerciseBase, ItemId, LocalId, Model, Text
from . import Kind, register
from ._call_graph import PASS, RED_FLAGS, SHOWS, best_path, earned, follow, paths, problems

if TYPE_CHECKING:
    from ..content import Catalog

ShowTag = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", json_schema_extra={"enum": list(SHOWS)},
                               description="What the reply shows: " + ", ".join(SHOWS) + ".")]


def _strict_schema(required: Sequence[str] = (), min_items: Mapping[str, int] | None = None) -> Any:
    """The JSON Schema asks for more than validation does: validation then reports it with the call's other problems."""
    def extra(schema: dict[str, Any], cls: Any) -> None:
        schema["required"] = [*schema.get("required", []), *required]
        for name, least in (min_items or {}).items():
            schema["properties"][name]["minItems"] = least
    return extra


class RubricLine(Model):
    """One line of a call's rubric: what the score counts, and how many points it is worth."""

    id: LocalId = Field(description="Short id, named in the replies' points.")
    text: Text = Field(description="What earns the points.")
    points: int = Field(ge=1, le=10, description="Points; each must be reachable on some path.")


class Reply(Model):
    """One thing the rep can say, where it leads, and what it earns."""

    id: LocalId = Field(description="Short id, unique in the call (such as n1a); the answer records these.")
    text: Text = Field(description="What the rep says.")
    why: Text = Field(description="One or two sentences on why it helps or hurts, shown in the replay.")
    next: LocalId = Field(description="The next node, or an ending.")
    shows: tuple[ShowTag, ...] = Field(default=(), description="Tags from a fixed list.")
    technique: ItemId | None = Field(None, description="The closing method this reply uses.")
    signal: ItemId | None = Field(None, description="The buying signal heard (or missed) here.")
    points: dict[LocalId, Annotated[int, Field(ge=0)]] = Field(default_factory=dict,
                                                               description="Rubric points this reply earns, by rubric id.")

    def __hash__(self) -> int:
        return hash((self.id, self.next))


class CallNode(Model):
    """What the customer says at one point of the call, and the replies the rep can choose from."""

    model_config = ConfigDict(json_schema_extra=_strict_schema(("replies",), {"replies": 2}))

    id: LocalId = Field(description="Short id such as n3.")
    customer: Text = Field(description="What the customer says.")
    gesture: Text | None = Field(None, description="What the rep sees (on a visit).")
    replies: tuple[Reply, ...] = Field(default=(), max_length=4, description="2-4 replies.")


class Ending(Model):
    """How the call ends, and the debrief shown after it."""

    model_config = ConfigDict(json_schema_extra=_strict_schema(("debrief",)))

    id: LocalId = Field(description="Short id such as e-signed.")
    outcome: Literal["signed", "lost", "call-back"] = Field(description="signed, lost or call-back.")
    debrief: Text | None = Field(None, description="What happened and what the best route was.")


class Call(ExerciseBase):
    """A whole call: the customer's lines, the rep's replies, endings and a rubric."""

    kind: Literal["call"]
    start: LocalId = Field(description="Id of the first node.")
    rubric: tuple[RubricLine, ...] = Field(min_length=1, max_length=8, description="What the score counts.")
    nodes: tuple[CallNode, ...] = Field(min_length=1, max_length=40, description="The customer's lines.")
    endings: tuple[Ending, ...] = Field(min_length=1, max_length=8, description="How the call can end.")
    loops: tuple[LocalId, ...] = Field(
        default=(), description="Nodes that may be revisited: every node on a cycle must be listed.")

    @property
    def choices(self) -> tuple[Reply, ...]:
        """Every reply, node by node."""
        return tuple(reply for node in self.nodes for reply in node.replies)

    def key_problems(self) -> Iterator[tuple[str, str]]:
        """None here: the graph's problems come from the kind's check, with their own messages."""
        return iter(())

    @property
    def total(self) -> int:
        """The rubric's points."""
        return sum(line.points for line in self.rubric)


# --- what the replay shows ----------------------------------------------------------


@dataclass(frozen=True)
class CallStep:
    """One step of a path, in the replay's language: the customer's line and the reply chosen."""

    node: str
    customer: str
    gesture: str
    reply: str
    text: str
    why: str
    mark: str  # good (earns points, no red flag), fair (neither), poor (a red flag such as pressure)
    points: tuple[tuple[str, int], ...]  # (rubric line, points) the reply earns
    seconds: float | None = None


@dataclass(frozen=True)
class RubricScore:
    """One rubric line and the points earned on it."""

    id: str
    text: str
    earned: int
    points: int


@dataclass(frozen=True)
class CallReplay:
    """A call played: its steps, the rubric score line by line, the ending, and the best path."""

    steps: tuple[CallStep, ...]
    rubric: tuple[RubricScore, ...]
    ending: str
    outcome: str
    debrief: str
    best: tuple[CallStep, ...]
    best_outcome: str
    best_score: float

    @property
    def earned(self) -> int:
        """Points earned in all."""
        return sum(row.earned for row in self.rubric)

    @property
    def total(self) -> int:
        """The rubric's points."""
        return sum(row.points for row in self.rubric)


def mark(reply: Reply) -> str:
    """``poor`` for a red flag (pressure, dishonesty, a missed signal...), ``good`` for a reply that earns points."""
    if RED_FLAGS & set(reply.shows):
        return "poor"
    return "good" if any(reply.points.values()) else "fair"


def _steps(call: Call, path: Sequence[str], seconds: Sequence[float | None], lang: str) -> tuple[CallStep, ...]:
    walk = follow(call, path)
    return tuple(CallStep(node.id, say(node.customer, lang, tag=True), say(node.gesture, lang, tag=True), reply.id,
                          say(reply.text, lang, tag=True), say(reply.why, lang, tag=True), mark(reply),
                          tuple((k, v) for k, v in reply.points.items() if v), secs)
                 for (node, reply), secs in zip(walk.steps, seconds, strict=True))


def replay(call: Call, path: Sequence[str], seconds: Sequence[float | None], lang: str) -> CallReplay:
    """The replay of ``path`` (valid) in ``lang``, with the best path beside it."""
    walk = follow(call, path)
    got = earned(call, path)
    best = best_path(call) or ()
    best_end = follow(call, best).ending.outcome if best else ""
    total = call.total
    return CallReplay(
        steps=_steps(call, path, seconds, lang),
        rubric=tuple(RubricScore(line.id, say(line.text, lang, tag=True), got[line.id], line.points) for line in call.rubric),
        ending=walk.ending.id, outcome=walk.ending.outcome, debrief=say(walk.ending.debrief, lang, tag=True),
        best=_steps(call, best, [None] * len(best), lang), best_outcome=best_end,
        best_score=sum(earned(call, best).values()) / total if best and total else 0.0)


# --- the answer ---------------------------------------------------------------------


def _seconds(exercise: Call, answer: Mapping[str, Any], n: int) -> list[float | None]:
    if "steps" in answer:
        steps = answer["steps"]
        if not isinstance(steps, Sequence) or len(steps) != n or not all(isinstance(s, Mapping) for s in steps):
            raise AnswerError(f"{exercise.id}: steps must hold one {{node, reply, seconds}} per reply of the path")
        raw: Any = [s.get("seconds") for s in steps]
    else:
        raw = answer.get("seconds", [None] * n)
    if isinstance(raw, str) or not isinstance(raw, Sequence) or len(raw) != n:
        raise AnswerError(f"{exercise.id}: seconds must hold one number per reply of the path")
    out: list[float | None] = []
    for value in raw:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value) or value < 0):
            raise AnswerError(f"{exercise.id}: seconds must be numbers of 0 or more, got {value!r}")
        out.append(None if value is None else round(float(value), 3))
    return out


def read_answer(exercise: Call, answer: Any) -> tuple[list[str], list[float | None]]:
    """The path (reply ids) and seconds per step of an answer: ``{"path": [...]}`` with ``seconds`` or ``steps``."""
    if isinstance(answer, Sequence) and not isinstance(answer, str):
        answer = {"path": answer}
    if not isinstance(answer, Mapping):
        raise AnswerError(f"{exercise.id}: answer must be {{'path': [reply ids]}}, got {answer!r}")
    path = answer.get("path")
    if isinstance(path, str) or not isinstance(path, Sequence) or not all(isinstance(p, str) for p in path):
        raise AnswerError(f"{exercise.id}: answer must be {{'path': [reply ids]}}, got {answer!r}")
    path = list(path)
    try:
        follow(exercise, path)
    except ValueError as exc:
        raise AnswerError(f"{exercise.id}: {exc}") from None
    return path, _seconds(exercise, answer, len(path))


class CallKind(Kind):
    """Answer: ``{"path": [reply ids], "seconds": [per step]}``; recorded with the node, reply and seconds of each step."""

    name = "call"
    model = Call
    fast_seconds, slow_seconds = 90.0, 400.0
    choice_field = "nodes"
    notes = "path"
    interaction = "other"
    in_drills = False  # a call takes minutes: drills of single moments leave it out unless asked for

    @property
    def label_key(self) -> str:
        return "call.kind"

    @property
    def name_key(self) -> str:
        return "call.kind-name"

    def grade(self, catalog: Catalog, exercise: Call, answer: Any, lang: str) -> Feedback:  # type: ignore[override]
        path, seconds = read_answer(exercise, answer)
        shown = replay(exercise, path, seconds, lang)
        walk = follow(exercise, path)
        score = shown.earned / shown.total
        best = [step.reply for step in shown.best]
        recorded = {"path": path, "steps": [{"node": node.id, "reply": reply.id, "seconds": secs}
                                            for (node, reply), secs in zip(walk.steps, seconds, strict=True)],
                    "ending": shown.ending}
        expected = {"path": best, "ending": follow(exercise, best).ending.id} if best else None
        notes = tuple(Note(step.reply, step.text, step.why, True, step.mark == "good") for step in shown.steps)
        summary = ui("call.summary", lang, outcome=ui(f"call.outcome.{shown.outcome}", lang), earned=shown.earned,
                     total=shown.total, percent=round(100 * score))
        return Feedback(**base(exercise, lang), answer=recorded, correct=shown.outcome == "signed" and score >= PASS,
                        score=score, expected=expected, notes=notes, summary=summary, detail=shown)

    def demo_answer(self, exercise: Call, rng: random.Random, knows: bool) -> Any:  # type: ignore[override]
        best = best_path(exercise)
        if knows and best:
            return {"path": list(best)}
        return {"path": list(rng.choice(paths(exercise))[0])}

    def refs(self, exercise: Call) -> Iterator[tuple[str, str, str | None]]:  # type: ignore[override]
        for i, node in enumerate(exercise.nodes):
            for j, reply in enumerate(node.replies):
                if reply.technique:
                    yield f"nodes[{i}].replies[{j}].technique", reply.technique, "technique"
                if reply.signal:
                    yield f"nodes[{i}].replies[{j}].signal", reply.signal, "signal"

    def check(self, exercise: Call, catalog: Catalog) -> Iterator[tuple[str, Message]]:  # type: ignore[override]
        return problems(exercise)


register(CallKind())
