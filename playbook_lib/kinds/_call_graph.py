"""A call's graph: following a path, scoring it against the rubric, every path, the best one, and its problems.

A path is the list of reply ids in the order chosen, from the ``start`` node to an ending. Its score is,
for each rubric line, the points its replies earn (a reply counts once, however often a loop brings it
back), capped at the line's ``points``, summed and divided by the rubric's total. :func:`paths` lists every
path in which no reply is taken twice (the ones worth comparing); with declared loops a learner may go round
more often, which can add nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._reasons import with_suggestion
from ..errors import Message

if TYPE_CHECKING:
    from .call import Call, CallNode, Ending, Reply

SHOWS: tuple[str, ...] = ("signal-heard", "signal-missed", "trial-close", "asked-for-order", "method", "pressure",
                          "dishonest", "kickback-refused", "kickback-accepted", "gave-up", "asked-again",
                          "key-objection-resolved", "waited")
RED_FLAGS = frozenset({"signal-missed", "pressure", "dishonest", "kickback-accepted", "gave-up", "waited"})
OUTCOMES = ("signed", "lost", "call-back")
PASS = 0.8  # a call is right when it ends signed with at least this share of the rubric
MAX_PATHS = 5000  # more paths than this is more than anyone can check by hand; validation says so
MAX_VISITS = 200_000  # replies looked at while listing paths
MAX_STEPS = 100  # replies in one answer


def _msg(key: str, /, **values: Any) -> Message:
    return Message(f"call.validate.{key}", tuple(values.items()))


class TooManyPaths(Exception):
    """The call has more paths than :data:`MAX_PATHS`."""


@dataclass(frozen=True)
class Walk:
    """A path followed through the call: each step's node and reply, and the ending reached."""

    steps: tuple[tuple[CallNode, Reply], ...]
    ending: Ending


def follow(call: Call, path: Sequence[str]) -> Walk:
    """The steps of ``path`` (reply ids); ``ValueError`` saying where it leaves the call."""
    nodes = {n.id: n for n in call.nodes}
    endings = {e.id: e for e in call.endings}
    if not path:
        raise ValueError("the path is empty; it starts with a reply to the first line")
    if len(path) > MAX_STEPS:
        raise ValueError(f"a path has at most {MAX_STEPS} replies")
    node = nodes[call.start]
    steps: list[tuple[CallNode, Reply]] = []
    for index, reply_id in enumerate(path):
        reply = next((r for r in node.replies if r.id == reply_id), None)
        if reply is None:
            raise ValueError(f"step {index + 1}: '{reply_id}' is not a reply at node '{node.id}' "
                             f"({', '.join(r.id for r in node.replies)})")
        steps.append((node, reply))
        if reply.next in endings:
            if index != len(path) - 1:
                raise ValueError(f"step {index + 1}: '{reply_id}' ends the call; the path goes on after it")
            return Walk(tuple(steps), endings[reply.next])
        node = nodes[reply.next]
    raise ValueError(f"the path stops at node '{node.id}' before the call ends")


def earned(call: Call, path: Iterable[str]) -> dict[str, int]:
    """Points earned on each rubric line along ``path`` (each reply once, each line capped at its points)."""
    replies = {r.id: r for n in call.nodes for r in n.replies}
    got = {line.id: 0 for line in call.rubric}
    for reply_id in dict.fromkeys(path):
        for line, points in replies[reply_id].points.items():
            if line in got:
                got[line] += points
    return {line.id: min(got[line.id], line.points) for line in call.rubric}


def score(call: Call, path: Iterable[str]) -> float:
    """The share of the rubric's points earned along ``path``, 0 to 1."""
    total = sum(line.points for line in call.rubric)
    return sum(earned(call, path).values()) / total if total else 0.0


def paths(call: Call, limit: int = MAX_PATHS) -> list[tuple[tuple[str, ...], str]]:
    """Every path that takes no reply twice, as (reply ids, ending id), in file order; ``TooManyPaths`` past ``limit``."""
    nodes = {n.id: n for n in call.nodes}
    endings = {e.id for e in call.endings}
    found: list[tuple[tuple[str, ...], str]] = []
    trail: list[str] = []
    visits = 0

    def visit(node_id: str) -> None:
        nonlocal visits
        for reply in nodes[node_id].replies:
            visits += 1
            if visits > MAX_VISITS:
                raise TooManyPaths
            if reply.id in trail:
                continue
            trail.append(reply.id)
            if reply.next in endings:
                found.append((tuple(trail), reply.next))
                if len(found) > limit:
                    raise TooManyPaths
            elif reply.next in nodes:
                visit(reply.next)
            trail.pop()

    if call.start in nodes:
        visit(call.start)
    return found


def best_path(call: Call) -> tuple[str, ...] | None:
    """The path to a signed ending with the highest score (then the shortest, then the first in file order)."""
    outcome = {e.id: e.outcome for e in call.endings}
    signed = [p for p, ending in paths(call) if outcome[ending] == "signed"]
    if not signed:
        return None
    return max(signed, key=lambda p: (score(call, p), -len(p)))


# --- validation ---------------------------------------------------------------------


def problems(call: Call) -> Iterator[tuple[str, Message]]:
    """Every problem of the call's graph, as (field, reason); one per problem."""
    nodes = {n.id: n for n in call.nodes}
    endings = list(dict.fromkeys(e.id for e in call.endings))  # in file order: messages list them
    duplicates = list(_duplicates(call))
    yield from duplicates
    broken = bool(duplicates)  # scoring needs every id to mean one thing
    if call.start not in nodes:
        broken = True
        yield "start", with_suggestion(_msg("start", id=call.start, nodes=", ".join(nodes)), call.start, nodes)
    rubric = {line.id: line.points for line in call.rubric}
    for i, node in enumerate(call.nodes):
        if len(node.replies) < 2:
            broken = broken or not node.replies
            yield f"nodes[{i}].replies", _msg("dead-end" if not node.replies else "one-reply", id=node.id)
        for j, reply in enumerate(node.replies):
            where = f"nodes[{i}].replies[{j}]"
            if reply.next not in nodes and reply.next not in endings:
                broken = True
                yield f"{where}.next", with_suggestion(_msg("next", id=reply.next, nodes=", ".join(nodes),
                                                            endings=", ".join(endings)), reply.next, [*nodes, *endings])
            for k, tag in enumerate(reply.shows):
                if tag not in SHOWS:
                    yield f"{where}.shows[{k}]", with_suggestion(_msg("tag", tag=tag, tags=", ".join(SHOWS)), tag, SHOWS)
            for line, points in reply.points.items():
                if line not in rubric:
                    yield f"{where}.points.{line}", with_suggestion(_msg("rubric-id", id=line, ids=", ".join(rubric)),
                                                                    line, rubric)
                elif points > rubric[line]:
                    yield f"{where}.points.{line}", _msg("over", id=line, points=points, most=rubric[line])
    for k, loop in enumerate(call.loops):
        if loop not in nodes:
            yield f"loops[{k}]", with_suggestion(_msg("loop-id", id=loop, nodes=", ".join(nodes)), loop, nodes)
    for k, ending in enumerate(call.endings):
        if ending.debrief is None:
            yield f"endings[{k}].debrief", _msg("debrief", id=ending.id)
    if call.start in nodes:
        reached = _reachable(call)
        for i, node in enumerate(call.nodes):
            if node.id not in reached:
                yield f"nodes[{i}].id", _msg("unreachable", id=node.id, start=call.start)
        for k, ending in enumerate(call.endings):
            if ending.id not in reached:
                yield f"endings[{k}].id", _msg("ending-unreached", id=ending.id)
        cycles = list(_undeclared_cycles(call, reached))
        yield from cycles
        traps = list(_traps(call, reached))
        yield from traps
        broken = broken or bool(cycles or traps)
    if not broken:
        yield from _scoring_problems(call)


def _duplicates(call: Call) -> Iterator[tuple[str, Message]]:
    seen: dict[str, str] = {}
    places = [(f"rubric[{r}].id", line.id) for r, line in enumerate(call.rubric)]
    places += [(f"nodes[{i}].id", node.id) for i, node in enumerate(call.nodes)]
    places += [(f"nodes[{i}].replies[{j}].id", reply.id) for i, node in enumerate(call.nodes)
               for j, reply in enumerate(node.replies)]
    places += [(f"endings[{k}].id", ending.id) for k, ending in enumerate(call.endings)]
    for where, item in places:
        key = f"rubric:{item}" if where.startswith("rubric") else item  # rubric ids are a namespace of their own
        if key in seen:
            yield where, _msg("duplicate", id=item, first=seen[key])
        else:
            seen[key] = where


def _reachable(call: Call) -> set[str]:
    nodes = {n.id: n for n in call.nodes}
    reached, todo = {call.start}, [call.start]
    while todo:
        for reply in nodes[todo.pop()].replies:
            if reply.next not in reached:
                reached.add(reply.next)
                if reply.next in nodes:
                    todo.append(reply.next)
    return reached


def _undeclared_cycles(call: Call, reached: set[str]) -> Iterator[tuple[str, Message]]:
    """Each reachable node a path can come back to (it lies on a cycle) that is not declared in ``loops``."""
    nodes = {n.id: n for n in call.nodes}
    loops = set(call.loops)
    for i, node in enumerate(call.nodes):
        if node.id in loops or node.id not in reached:
            continue
        seen: set[str] = set()
        todo = [r.next for r in node.replies if r.next in nodes]
        while todo:
            current = todo.pop()
            if current == node.id:
                yield f"nodes[{i}].id", _msg("cycle", id=node.id)
                break
            if current not in seen:
                seen.add(current)
                todo += [r.next for r in nodes[current].replies if r.next in nodes]


def _traps(call: Call, reached: set[str]) -> Iterator[tuple[str, Message]]:
    """Reachable nodes from which no ending can be reached (a loop with no way out)."""
    endings = {e.id for e in call.endings}
    leads_out = set(endings)
    changed = True
    while changed:
        changed = False
        for node in call.nodes:
            if node.id not in leads_out and any(r.next in leads_out for r in node.replies):
                leads_out.add(node.id)
                changed = True
    for i, node in enumerate(call.nodes):
        if node.id in reached and node.replies and node.id not in leads_out:
            yield f"nodes[{i}].id", _msg("trap", id=node.id)


def _scoring_problems(call: Call) -> Iterator[tuple[str, Message]]:
    """Every rubric point earned on some path, and the best path ends signed with a passing score."""
    try:
        found = paths(call)
    except TooManyPaths:
        yield "nodes", _msg("too-many", most=MAX_PATHS)
        return
    most = {line.id: 0 for line in call.rubric}
    for path, _ending in found:
        for line, points in earned(call, path).items():
            most[line] = max(most[line], points)
    for r, line in enumerate(call.rubric):
        if most[line.id] < line.points:
            yield f"rubric[{r}].points", _msg("unearned", id=line.id, most=most[line.id], points=line.points)
    outcome = {e.id: e.outcome for e in call.endings}
    signed = [score(call, p) for p, ending in found if outcome[ending] == "signed"]
    if not signed:
        yield "endings", _msg("no-signed")
        return
    best = max(signed)
    if best < PASS:
        yield "rubric", _msg("best-low", best=round(100 * best), need=round(100 * PASS))
    rivals: dict[str, float] = {}
    for path, ending in found:
        if outcome[ending] != "signed":
            rivals[ending] = max(rivals.get(ending, 0.0), score(call, path))
    for k, ending in enumerate(call.endings):
        if ending.id in rivals and rivals[ending.id] >= best:
            yield f"endings[{k}].id", _msg("rival", id=ending.id, outcome=Message(f"call.outcome.{ending.outcome}"),
                                          score=round(100 * rivals[ending.id]), best=round(100 * best))
