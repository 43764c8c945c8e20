"""Charts of the practice record, drawn from aggregate store queries.

Each function takes ``ax=None`` and returns the Axes it drew on; with no Axes it makes a
new figure. matplotlib is imported only when a chart is drawn, and no global setting is
changed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .content import Catalog
from .store import Store

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

EMPTY_MESSAGE = "No answers yet.\nTry an exercise, then come back."
NOT_A_SIGNAL_LABEL = "Not a signal"
GRADED = "correct IS NOT NULL"  # reflections are self-rated, so scores and accuracy leave them out


def _new_axes(ax: Axes | None, size: tuple[float, float] = (6.4, 3.6)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig, new = plt.subplots(figsize=size, layout="constrained")
    plt.close(fig)  # shown once when returned, never twice
    return new


def _empty(ax: Axes, title: str) -> Axes:
    ax.set_title(title)
    ax.text(0.5, 0.5, EMPTY_MESSAGE, ha="center", va="center", transform=ax.transAxes, fontsize=11, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def accuracy_over_time(store: Store, learner: str | None = None, ax: Axes | None = None) -> Axes:
    """Mean score per day, with the number of answers per day as bars."""
    ax = _new_axes(ax)
    title = "Accuracy over time"
    rows = store.query("SELECT substr(answered_at, 1, 10), AVG(score), COUNT(*) FROM attempts{where} "
                       "GROUP BY 1 ORDER BY 1", learner, GRADED)
    if not rows:
        return _empty(ax, title)
    days = [r[0][5:] for r in rows]
    ax.plot(days, [100 * r[1] for r in rows], marker="o", color="#1f5f99", label="mean score")
    ax.set_ylim(0, 105)
    ax.set_ylabel("score (%)")
    ax.set_title(title)
    twin = ax.twinx()
    twin.bar(days, [r[2] for r in rows], alpha=0.2, color="#777777", label="answers")
    twin.set_ylabel("answers")
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.tick_params(axis="x", rotation=45)
    return ax


def _barh(ax: Axes, labels: list[str], scores: list[float], counts: list[int], title: str) -> Axes:
    positions = range(len(labels))
    ax.barh(positions, [100 * s for s in scores], color="#2e7d32")
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("mean (%)")
    ax.set_title(title)
    for pos, score, count in zip(positions, scores, counts, strict=True):
        ax.text(100 * score + 1, pos, f"{100 * score:.0f} % · {count}", va="center", fontsize=8)
    return ax


def accuracy_by_section(store: Store, catalog: Catalog, learner: str | None = None, ax: Axes | None = None) -> Axes:
    """Mean score per section of the workbook."""
    ax = _new_axes(ax)
    title = "Accuracy by section"
    found = {r[0]: (r[1], r[2]) for r in store.query(
        "SELECT section, AVG(score), COUNT(*) FROM attempts{where} GROUP BY section", learner, GRADED)}
    if not found:
        return _empty(ax, title)
    order = {s.id: i for i, s in enumerate(catalog.of_kind("section"))}
    keys = sorted(found, key=lambda k: (order.get(k, len(order)), k))
    labels = [catalog.items[k].title if k in catalog.items else k for k in keys]
    return _barh(ax, labels, [found[k][0] for k in keys], [found[k][1] for k in keys], title)


def mastery_by_method(store: Store, catalog: Catalog, learner: str | None = None, ax: Axes | None = None) -> Axes:
    """Mean score on the exercises about each closing method."""
    ax = _new_axes(ax, (6.4, 5.0))
    title = "Mastery per closing method"
    found = {r[0]: (r[1], r[2]) for r in store.query(
        "SELECT topic, AVG(score), COUNT(*) FROM attempts{where} GROUP BY topic", learner,
        f"{GRADED} AND topic LIKE 'technique.%'")}
    if not found:
        return _empty(ax, title)
    methods = catalog.of_kind("technique")
    labels = [f"{m.number}. {m.title}" for m in methods]  # type: ignore[attr-defined]
    scores = [found.get(m.id, (0.0, 0))[0] for m in methods]
    counts = [found.get(m.id, (0.0, 0))[1] for m in methods]
    return _barh(ax, labels, scores, counts, title)


def signal_confusion_data(store: Store, catalog: Catalog, learner: str | None = None,
                          session: str | None = None) -> tuple[list[str], list[list[int]]]:
    """Labels and counts[right][answered] for signal-identification answers (one learner, or a session)."""
    field = store.json_field
    rows = store.query(
        f"SELECT {field('expected', 'kind')}, {field('answer', 'signal')}, {field('answer', 'kind')}, "
        "COUNT(*) FROM attempts{where} GROUP BY 1, 2, 3", learner, "kind = 'signal-id'", session=session)
    ids = [s.id for s in catalog.of_kind("signal")]
    extra = sorted({k for r in rows for k in (r[0], r[2]) if k and k not in ids})
    ids += extra
    index = {k: i for i, k in enumerate(ids)}
    none = len(ids)
    counts = [[0] * (none + 1) for _ in range(none + 1)]
    for right, said_signal, said_kind, n in rows:
        row = index.get(right, none) if right else none
        said = said_signal in (1, True, "true")
        col = index.get(said_kind, none) if said and said_kind else none
        counts[row][col] += n
    labels = [catalog.items[k].title if k in catalog.items else k for k in ids] + [NOT_A_SIGNAL_LABEL]
    return labels, counts


def draw_confusion(ax: Axes, labels: list[str], counts: list[list[int]], title: str) -> Axes:
    """Draw a confusion matrix (rows right, columns answered); a friendly note when it is empty."""
    if not any(map(any, counts)):
        return _empty(ax, title)
    ax.imshow(counts, cmap="Blues")
    ticks = list(range(len(labels)))
    ax.set_xticks(ticks, labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(ticks, labels, fontsize=8)
    top = max(map(max, counts))
    for r, row in enumerate(counts):
        for c, n in enumerate(row):
            if n:
                ax.text(c, r, str(n), ha="center", va="center", fontsize=8,
                        color="white" if n > top / 2 else "black", fontweight="bold" if r == c else "normal")
    ax.set_xlabel("answered")
    ax.set_ylabel("right answer")
    ax.set_title(title)
    return ax


def signal_confusion(store: Store, catalog: Catalog, learner: str | None = None, ax: Axes | None = None) -> Axes:
    """Which signal kind was answered against which was right (the diagonal is right)."""
    labels, counts = signal_confusion_data(store, catalog, learner)
    return draw_confusion(_new_axes(ax, (7.0, 6.0)), labels, counts, "Signal kinds: right (rows) vs answered (columns)")


def time_per_answer(store: Store, learner: str | None = None, ax: Axes | None = None) -> Axes:
    """Seconds taken per answer, by exercise kind."""
    ax = _new_axes(ax)
    title = "Time per answer"
    rows = store.query("SELECT kind, seconds FROM attempts{where} ORDER BY kind", learner, "seconds IS NOT NULL")
    if not rows:
        return _empty(ax, title)
    groups: dict[str, list[float]] = {}
    for kind, seconds in rows:
        groups.setdefault(kind, []).append(seconds)
    ax.boxplot(list(groups.values()), orientation="horizontal", showfliers=False)
    ax.set_yticks(range(1, len(groups) + 1), list(groups))
    ax.set_xlabel("seconds")
    ax.set_title(title)
    return ax


def due_forecast(store: Store, learner: str | None = None, now: datetime | None = None, days: int = 14,
                 ax: Axes | None = None) -> Axes:
    """Review cards due now (overdue included) and on each of the next ``days`` days."""
    ax = _new_axes(ax)
    title = f"Reviews due over the next {days} days"
    now = now or datetime.now(UTC)
    horizon = (now + timedelta(days=days)).astimezone(UTC).isoformat()
    rows = store.query("SELECT due FROM cards{where}", learner, "due <= ?", (horizon,))
    if not rows and not store.query("SELECT 1 FROM cards{where} LIMIT 1", learner):
        return _empty(ax, title)
    today = now.astimezone().date()
    counts = [0] * (days + 1)
    for (due,) in rows:
        offset = (datetime.fromisoformat(due).astimezone().date() - today).days
        counts[max(0, min(offset, days))] += 1
    labels = ["today"] + [(today + timedelta(days=d)).strftime("%d %b") for d in range(1, days + 1)]
    ax.bar(range(days + 1), counts, color=["#b71c1c"] + ["#1f5f99"] * days)
    ax.set_xticks(range(days + 1), labels, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("cards")
    ax.set_title(title)
    return ax


def recall_by_section(store: Store, catalog: Catalog, learner: str | None = None, now: datetime | None = None,
                      ax: Axes | None = None) -> Axes:
    """Estimated recall today (FSRS retrievability), averaged over the cards of each section."""
    from .review import Reviewer

    ax = _new_axes(ax)
    title = "Estimated recall today, by section"
    cards = [c for c in store.cards(learner) if catalog.has_exercise(c.exercise_id) and c.stability]
    if not cards:
        return _empty(ax, title)
    now = now or datetime.now(UTC)
    reviewer = Reviewer()
    sums: dict[str, list[float]] = {}
    for card in cards:
        section = catalog.section_of(catalog.exercise(card.exercise_id))
        sums.setdefault(section, []).append(reviewer.recall(card, now))
    keys = [s.id for s in catalog.of_kind("section") if s.id in sums]
    return _barh(ax, [catalog.items[k].title for k in keys], [sum(sums[k]) / len(sums[k]) for k in keys],
                 [len(sums[k]) for k in keys], title)


def progress_figure(store: Store, catalog: Catalog, learner: str | None = None) -> Figure:
    """All five charts on one figure."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(13, 15), layout="constrained")
    plt.close(fig)
    grid = fig.add_gridspec(3, 2, height_ratios=[1, 1.3, 1.4])
    accuracy_over_time(store, learner, fig.add_subplot(grid[0, 0]))
    time_per_answer(store, learner, fig.add_subplot(grid[0, 1]))
    accuracy_by_section(store, catalog, learner, fig.add_subplot(grid[1, 0]))
    mastery_by_method(store, catalog, learner, fig.add_subplot(grid[1, 1]))
    signal_confusion(store, catalog, learner, fig.add_subplot(grid[2, :]))
    return fig


CHARTS: dict[str, Any] = {
    "accuracy_over_time": accuracy_over_time,
    "accuracy_by_section": accuracy_by_section,
    "mastery_by_method": mastery_by_method,
    "signal_confusion": signal_confusion,
    "time_per_answer": time_per_answer,
    "due_forecast": due_forecast,
    "recall_by_section": recall_by_section,
}
