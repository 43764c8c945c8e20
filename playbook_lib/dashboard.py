"""The class dashboard of a workshop: who is there, how each item went, what the class confuses."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._html import esc
from .charts import signal_confusion_data
from .content import Catalog
from .errors import WorkshopError
from .exports import write_csv
from .store import Store, Workshop


@dataclass(frozen=True)
class ParticipantRow:
    """One participant's line on the dashboard."""

    id: str
    name: str
    answers: int
    mean_score: float | None


@dataclass(frozen=True)
class ItemRow:
    """One exercise's line on the dashboard."""

    exercise_id: str
    title: str
    answers: int
    share_right: float | None
    mean_seconds: float | None


@dataclass(frozen=True)
class ClassSummary:
    """Everything the dashboard shows for one workshop."""

    workshop: Workshop
    participants: list[ParticipantRow]
    items: list[ItemRow]
    confusion_labels: list[str] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)

    @property
    def answers(self) -> int:
        """How many answers the class has given."""
        return sum(p.answers for p in self.participants)

    def most_confused(self, n: int = 3) -> list[tuple[str, str, int]]:
        """The off-diagonal cells with most answers: (right kind, answered kind, count)."""
        cells = [(self.confusion_labels[r], self.confusion_labels[c], count)
                 for r, row in enumerate(self.confusion) for c, count in enumerate(row) if r != c and count]
        return sorted(cells, key=lambda cell: -cell[2])[:n]


def class_summary(store: Store, catalog: Catalog, code: str) -> ClassSummary:
    """Aggregate one workshop's answers (a handful of queries, whatever the class size)."""
    workshop = store.workshop(code)
    if workshop is None:
        raise WorkshopError(f"no workshop with code {code!r}")
    stats = {pid: (n, mean) for pid, n, mean in store.query(
        "SELECT participant, COUNT(*), AVG(CASE WHEN correct IS NOT NULL THEN score END) FROM attempts{where} "
        "GROUP BY participant", session=workshop.code)}
    people = store.participants(workshop.code)
    seen = Counter(p.name for p in people)
    numbered: Counter[str] = Counter()
    rows = []
    for person in people:
        numbered[person.name] += 1
        label = person.name if seen[person.name] == 1 else f"{person.name} ({numbered[person.name]})"
        answers, mean = stats.get(person.id, (0, None))
        rows.append(ParticipantRow(person.id, label, answers, mean))
    items = []
    for exercise_id, answers, right, seconds in store.query(
            "SELECT exercise_id, COUNT(*), AVG(correct), AVG(seconds) FROM attempts{where} GROUP BY exercise_id",
            session=workshop.code):
        title = catalog.exercise(exercise_id).title.en if catalog.has_exercise(exercise_id) else exercise_id
        items.append(ItemRow(exercise_id, title, answers, None if right is None else float(right), seconds))
    labels, counts = signal_confusion_data(store, catalog, session=workshop.code)
    return ClassSummary(workshop, rows, items, labels, counts)


def export_csv(store: Store, code: str, folder: Path | str = ".") -> Path:
    """Write every answer of a workshop to ``workshop-CODE.csv`` in ``folder``."""
    path = Path(folder) / f"workshop-{code}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv(store.attempts(session=code), out)
    return path


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)} %"


def summary_html(summary: ClassSummary) -> str:
    """The dashboard's tables, escaped."""
    w = summary.workshop
    state = "open" if w.is_open else "closed"
    out = [f"<h3>{esc(w.title)} · code <code>{esc(w.code)}</code> · {state}</h3>",
           f"<p>{len(summary.participants)} participants · {summary.answers} answers · "
           f"refreshed {datetime.now(UTC).astimezone().strftime('%H:%M:%S')}</p>"]
    if not summary.participants:
        out.append("<p>No one has joined yet. Participants join with the code above "
                   "(in <code>00-start-here</code> or the participant app).</p>")
        return "".join(out)
    out.append("<h4>Participants</h4><table><tr><th>Name</th><th>Answers</th><th>Mean score</th></tr>")
    out += [f"<tr><td>{esc(p.name)}</td><td>{p.answers}</td><td>{_pct(p.mean_score)}</td></tr>"
            for p in summary.participants]
    out.append("</table>")
    graded = [i for i in summary.items if i.share_right is not None]
    if graded:
        out.append("<h4>Items, hardest first (% right)</h4><table><tr><th>Exercise</th><th>Answers</th><th>Right</th></tr>")
        out += [f"<tr><td>{esc(i.title)}</td><td>{i.answers}</td><td>{_pct(i.share_right)}</td></tr>"
                for i in sorted(graded, key=lambda i: (i.share_right, i.title))]
        out.append("</table>")
    timed = sorted((i for i in summary.items if i.mean_seconds is not None), key=lambda i: -(i.mean_seconds or 0))[:5]
    if timed:
        out.append("<h4>Slowest items</h4><ol>")
        out += [f"<li>{esc(i.title)}: {i.mean_seconds:.0f} s on average</li>" for i in timed]
        out.append("</ol>")
    confused = summary.most_confused()
    if confused:
        out.append("<h4>Signal kinds the class confuses most</h4><ol>")
        out += [f"<li><strong>{esc(right)}</strong> answered as <strong>{esc(said)}</strong>: {n}×</li>"
                for right, said, n in confused]
        out.append("</ol>")
    return "".join(out)


def figure(summary: ClassSummary) -> Any:
    """The class charts: the spread of scores, and the signal-kind confusion matrix."""
    import matplotlib.pyplot as plt

    from .charts import draw_confusion

    fig = plt.figure(figsize=(12, 5.5), layout="constrained")
    plt.close(fig)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.4])
    means = [100 * p.mean_score for p in summary.participants if p.mean_score is not None]
    left.set_title("Spread of participants' mean scores")
    if means:
        left.hist(means, bins=range(0, 110, 10), color="#1f5f99", edgecolor="white")
        left.axvline(statistics.mean(means), color="#b71c1c", linestyle="--", label="class mean")
        left.legend()
    left.set_xlabel("mean score (%)")
    left.set_ylabel("participants")
    left.yaxis.get_major_locator().set_params(integer=True)
    draw_confusion(right, summary.confusion_labels, summary.confusion, "Class: right (rows) vs answered (columns)")
    return fig


def load(store: Store, catalog: Catalog, code: str, lang: str = "en") -> tuple[str, Any]:
    """The dashboard's HTML and its figure (``None`` while nobody has joined)."""
    summary = class_summary(store, catalog, code)
    return summary_html(summary), figure(summary) if summary.participants else None
