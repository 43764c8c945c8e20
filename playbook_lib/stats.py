"""Every aggregate of the practice record, as small typed rows: the only module besides the store that reads SQL.

Charts, the class dashboard and the workbook's summaries take these rows and compute nothing
themselves. Rows carry catalogue ids and content names (:class:`~playbook_lib.models.Text`), never
display strings, so one query serves every language. Each function reads one learner (``None``:
everyone) or, where it says so, one workshop session.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .content import Catalog
from .engine import NOT_A_SIGNAL
from .models import EXERCISE_KINDS, Text
from .store import Store

GRADED = "correct IS NOT NULL"  # reflections are self-rated, so scores and accuracy leave them out
RECALL_DAYS = 7  # recall is estimated a week ahead: right after a session every card is near 100 %


def _name(catalog: Catalog, item_id: str) -> Text:
    """The content name of an item, or its id when the content no longer has it."""
    item = catalog.items.get(item_id)
    return item.name if item is not None else Text.model_construct(en=item_id, zh=None)


# --- the learner's progress -----------------------------------------------------


@dataclass(frozen=True)
class DayScore:
    """One day's graded answers (UTC day)."""

    day: date
    mean: float
    answers: int


@dataclass(frozen=True)
class ItemScore:
    """A section or closing method and how its graded answers went; ``mean`` is ``None`` while untried."""

    id: str
    name: Text
    number: int | None
    mean: float | None
    answers: int


@dataclass(frozen=True)
class TimeSpread:
    """How long answers of one exercise kind took: a box plot's numbers (whiskers at 1.5 IQR)."""

    kind: str
    answers: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


@dataclass(frozen=True)
class Confusion:
    """Signal-identification answers: ``counts[right][answered]`` over the signal kinds, then "not a signal"."""

    ids: tuple[str, ...]
    names: tuple[Text | None, ...]  # None stands for "not a signal"
    counts: tuple[tuple[int, ...], ...]

    @property
    def answers(self) -> int:
        """How many answers the matrix holds."""
        return sum(map(sum, self.counts))

    def most_confused(self, n: int = 3) -> list[tuple[int, int, int]]:
        """The off-diagonal cells with most answers, as (right index, answered index, count)."""
        cells = [(r, c, count) for r, row in enumerate(self.counts) for c, count in enumerate(row) if r != c and count]
        return sorted(cells, key=lambda cell: -cell[2])[:n]


@dataclass(frozen=True)
class Progress:
    """The rows of the progress figure."""

    over_time: list[DayScore]
    by_section: list[ItemScore]
    by_method: list[ItemScore]
    confusion: Confusion
    times: list[TimeSpread]


def accuracy_over_time(store: Store, learner: str | None = None) -> list[DayScore]:
    """Mean score and number of graded answers per day, oldest first."""
    rows = store._query("SELECT substr(answered_at, 1, 10), AVG(score), COUNT(*) FROM attempts{where} "
                        "GROUP BY 1 ORDER BY 1", learner, GRADED)
    return [DayScore(date.fromisoformat(day), float(mean), int(n)) for day, mean, n in rows]


def _scores(catalog: Catalog, ids: list[str], found: dict[str, tuple[float, int]]) -> list[ItemScore]:
    rows = []
    for item_id in ids:
        mean, answers = found.get(item_id, (None, 0))
        number = getattr(catalog.items.get(item_id), "number", None)
        rows.append(ItemScore(item_id, _name(catalog, item_id), number, None if mean is None else float(mean), answers))
    return rows


def accuracy_by_section(store: Store, catalog: Catalog, learner: str | None = None) -> list[ItemScore]:
    """Every section that has exercises, in order (then sections only the record knows), with its mean score."""
    found = {s: (m, int(n)) for s, m, n in store._query(
        "SELECT section, AVG(score), COUNT(*) FROM attempts{where} GROUP BY section", learner, GRADED)}
    practised = {catalog.section_of(ex) for ex in catalog.exercises}
    ids = [s.id for s in catalog.of_kind("section") if s.id in practised]
    return _scores(catalog, ids + sorted(set(found) - set(ids)), found)


def mastery_by_method(store: Store, catalog: Catalog, learner: str | None = None) -> list[ItemScore]:
    """Every closing method in the catalogue, in order, with the mean score on the exercises about it."""
    found = {t: (m, int(n)) for t, m, n in store._query(
        "SELECT topic, AVG(score), COUNT(*) FROM attempts{where} GROUP BY topic", learner,
        f"{GRADED} AND topic LIKE 'technique.%'")}
    return _scores(catalog, [m.id for m in catalog.of_kind("technique")], found)


def signal_confusion(store: Store, catalog: Catalog, learner: str | None = None, *,
                     session: str | None = None) -> Confusion:
    """Which signal kind was answered against which was right (one learner, or one session)."""
    field = store.backend.json_field
    rows = store._query(
        f"SELECT {field('expected', 'kind')}, {field('answer', 'signal')}, {field('answer', 'kind')}, "
        "COUNT(*) FROM attempts{where} GROUP BY 1, 2, 3", learner, "kind = 'signal-id'", session=session)
    ids = [s.id for s in catalog.of_kind("signal")]
    ids += sorted({k for r in rows for k in (r[0], r[2]) if k and k not in ids})
    index = {k: i for i, k in enumerate(ids)}
    none = len(ids)
    counts = [[0] * (none + 1) for _ in range(none + 1)]
    for right, said_signal, said_kind, n in rows:
        row = index.get(right, none) if right else none
        said = said_signal in (1, True, "true")
        col = index.get(said_kind, none) if said and said_kind else none
        counts[row][col] += int(n)
    return Confusion((*ids, NOT_A_SIGNAL), (*(_name(catalog, k) for k in ids), None), tuple(map(tuple, counts)))


def _spread(kind: str, values: list[float]) -> TimeSpread:
    values.sort()
    if len(values) == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    reach = 1.5 * (q3 - q1)
    low = next(v for v in values if v >= q1 - reach)
    high = next(v for v in reversed(values) if v <= q3 + reach)
    return TimeSpread(kind, len(values), low, q1, median, q3, high)


def time_per_answer(store: Store, learner: str | None = None) -> list[TimeSpread]:
    """Seconds per answer, by exercise kind (kinds in the catalogue's order)."""
    groups: dict[str, list[float]] = {}
    for kind, seconds in store._query("SELECT kind, seconds FROM attempts{where}", learner, "seconds IS NOT NULL"):
        groups.setdefault(kind, []).append(float(seconds))
    order = {k: i for i, k in enumerate(EXERCISE_KINDS)}
    return [_spread(k, groups[k]) for k in sorted(groups, key=lambda k: (order.get(k, len(order)), k))]


def progress(store: Store, catalog: Catalog, learner: str | None = None) -> Progress:
    """Everything the progress figure shows."""
    return Progress(accuracy_over_time(store, learner), accuracy_by_section(store, catalog, learner),
                    mastery_by_method(store, catalog, learner), signal_confusion(store, catalog, learner),
                    time_per_answer(store, learner))


# --- spaced review ----------------------------------------------------------------


@dataclass(frozen=True)
class DueForecast:
    """Review cards by when they fall due, counted as today's review counts them."""

    now: datetime
    due_now: int  # due at ``now`` or overdue: exactly the cards today's review offers
    later: tuple[int, ...]  # later[0]: later today; later[d]: d days after today (local days)
    cards: int
    next_due: datetime | None  # the first card due after ``now``

    @property
    def today(self) -> date:
        """Today, in local time."""
        return self.now.astimezone().date()


@dataclass(frozen=True)
class SectionRecall:
    """Estimated recall of a section's cards ``days`` ahead (FSRS retrievability); ``None`` without cards."""

    id: str
    name: Text
    recall: float | None
    cards: int


@dataclass(frozen=True)
class RecallForecast:
    """Estimated recall per section ``days`` after ``now`` if nothing is reviewed meanwhile."""

    days: int
    sections: list[SectionRecall]


def due_forecast(store: Store, catalog: Catalog, learner: str | None = None, now: datetime | None = None,
                 days: int = 14) -> DueForecast:
    """Cards due now, later today and on each of the next ``days`` days (cards of exercises still in the content)."""
    now = now or datetime.now(UTC)
    today = now.astimezone().date()
    due_now, later, cards, next_due = 0, [0] * (days + 1), 0, None
    for exercise_id, due_text in store._query("SELECT exercise_id, due FROM cards{where}", learner):
        if not catalog.has_exercise(exercise_id):
            continue
        cards += 1
        due = datetime.fromisoformat(due_text)
        if due <= now:
            due_now += 1
            continue
        next_due = due if next_due is None else min(next_due, due)
        offset = (due.astimezone().date() - today).days
        if offset <= days:
            later[offset] += 1
    return DueForecast(now, due_now, tuple(later), cards, next_due)


def recall_by_section(store: Store, catalog: Catalog, learner: str | None = None, now: datetime | None = None,
                      days: int = RECALL_DAYS) -> RecallForecast:
    """Mean estimated recall of each section's cards ``days`` from ``now`` (every section that has exercises)."""
    from .review import Reviewer

    when = (now or datetime.now(UTC)) + timedelta(days=days)
    reviewer = Reviewer()
    found: dict[str, list[float]] = {}
    for card in store.cards(learner):
        if card.stability and catalog.has_exercise(card.exercise_id):
            section = catalog.section_of(catalog.exercise(card.exercise_id))
            found.setdefault(section, []).append(reviewer.recall(card, when))
    practised = {catalog.section_of(ex) for ex in catalog.exercises}
    rows = [SectionRecall(s.id, s.name, statistics.fmean(found[s.id]) if s.id in found else None, len(found.get(s.id, ())))
            for s in catalog.of_kind("section") if s.id in practised]
    return RecallForecast(days, rows)


# --- weak spots -------------------------------------------------------------------


@dataclass(frozen=True)
class WeakExercise:
    """An exercise never answered perfectly on average."""

    exercise_id: str
    mean: float
    answers: int


def weakest(store: Store, learner: str | None = None) -> list[WeakExercise]:
    """Graded exercises with a mean score below 1, lowest first (the most recently answered first among equals)."""
    rows = store._query("SELECT exercise_id, AVG(score), COUNT(*), MAX(answered_at) FROM attempts{where} "
                        "GROUP BY exercise_id HAVING AVG(score) < 1 ORDER BY 2 ASC, 4 DESC", learner, GRADED)
    return [WeakExercise(ex, float(mean), int(n)) for ex, mean, n, _ in rows]


# --- a workshop -------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantStats:
    """One participant's answers in a session; ``mean`` over graded answers (``None`` without any)."""

    participant: str
    answers: int
    mean: float | None


@dataclass(frozen=True)
class ExerciseStats:
    """How the class did on one exercise."""

    exercise_id: str
    title: Text
    answers: int
    share_right: float | None  # None: only self-rated answers
    mean_seconds: float | None


def participant_stats(store: Store, session: str) -> dict[str, ParticipantStats]:
    """Answers and mean score of every participant who answered in ``session``, by participant id."""
    rows = store._query("SELECT participant, COUNT(*), AVG(CASE WHEN correct IS NOT NULL THEN score END) "
                        "FROM attempts{where} GROUP BY participant", session=session)
    return {p: ParticipantStats(p, int(n), None if mean is None else float(mean)) for p, n, mean in rows}


def exercise_stats(store: Store, catalog: Catalog, session: str) -> list[ExerciseStats]:
    """Answers, share right and mean seconds of every exercise answered in ``session``."""
    rows = store._query("SELECT exercise_id, COUNT(*), AVG(correct), AVG(seconds) FROM attempts{where} "
                        "GROUP BY exercise_id", session=session)
    return [ExerciseStats(ex, catalog.exercise(ex).title if catalog.has_exercise(ex) else Text.model_construct(en=ex, zh=None),
                          int(n), None if right is None else float(right), None if secs is None else float(secs))
            for ex, n, right, secs in rows]


# --- calls: where the room went --------------------------------------------------


@dataclass(frozen=True)
class ReplyCount:
    """One reply at one node of a call: how many calls took it, and how many were lost right after it."""

    node: str
    customer: Text
    reply: str
    text: Text
    taken: int
    lost: int


@dataclass(frozen=True)
class CallRoom:
    """Where the calls of one call exercise went: outcomes, and every reply of every node (in file order)."""

    exercise_id: str
    title: Text
    calls: int
    signed: int
    lost: int
    call_back: int
    replies: tuple[ReplyCount, ...]


def call_paths(store: Store, catalog: Catalog, learner: str | None = None, *, session: str | None = None) -> list[CallRoom]:
    """Per call exercise answered (catalogue order), how many took each reply at each node and where calls were lost.

    A call counts once per reply it took (a loop taken twice counts once); calls recorded against a version of the
    content without the reply or ending are counted as far as the content still knows them.
    """
    import json

    found: dict[str, list[dict[str, Any]]] = {}
    for exercise_id, answer in store._query("SELECT exercise_id, answer FROM attempts{where}", learner,
                                            "kind = 'call'", session=session):
        value = json.loads(answer) if isinstance(answer, str) else answer
        if isinstance(value, dict) and isinstance(value.get("path"), list):
            found.setdefault(exercise_id, []).append(value)
    rooms = []
    for exercise in catalog.exercises:
        answers = found.get(exercise.id)
        if not answers:
            continue
        outcome = {e.id: e.outcome for e in exercise.endings}  # type: ignore[attr-defined]
        taken: dict[str, int] = {}
        lost_after: dict[str, int] = {}
        ends = {"signed": 0, "lost": 0, "call-back": 0}
        for value in answers:
            path = [r for r in value["path"] if isinstance(r, str)]
            for reply in set(path):
                taken[reply] = taken.get(reply, 0) + 1
            ended = outcome.get(str(value.get("ending")))
            if ended:
                ends[ended] += 1
            if ended == "lost" and path:
                lost_after[path[-1]] = lost_after.get(path[-1], 0) + 1
        rows = tuple(ReplyCount(node.id, node.customer, reply.id, reply.text, taken.get(reply.id, 0),
                                lost_after.get(reply.id, 0))
                     for node in exercise.nodes for reply in node.replies)  # type: ignore[attr-defined]
        rooms.append(CallRoom(exercise.id, exercise.title, len(answers), ends["signed"], ends["lost"], ends["call-back"],
                              rows))
    return rooms

