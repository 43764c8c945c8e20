"""Each chart a learner or trainer can ask for by name: the rows behind it, its drawing and its text.

``wb.chart(name)`` looks the name up here, so a new chart is one entry: its query in :mod:`~playbook_lib.stats`,
its drawing in :mod:`~playbook_lib.charts` and its text in :mod:`~playbook_lib.chart_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import chart_text, charts, stats

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .content import Catalog
    from .store import Store


@dataclass(frozen=True)
class NamedChart:
    """A chart by name: ``rows(store, catalog, learner, now)``, then ``draw(rows, lang)`` and ``text(rows, lang)``."""

    rows: Callable[[Store, Catalog, str | None, datetime | None], Any]
    draw: Callable[..., Axes]
    text: Callable[..., chart_text.ChartText]


CHARTS: dict[str, NamedChart] = {
    "accuracy_over_time": NamedChart(lambda store, catalog, learner, now: stats.accuracy_over_time(store, learner),
                                     charts.accuracy_over_time, chart_text.accuracy_over_time),
    "accuracy_by_section": NamedChart(
        lambda store, catalog, learner, now: stats.accuracy_by_section(store, catalog, learner),
        charts.accuracy_by_section, chart_text.accuracy_by_section),
    "mastery_by_method": NamedChart(lambda store, catalog, learner, now: stats.mastery_by_method(store, catalog, learner),
                                    charts.mastery_by_method, chart_text.mastery_by_method),
    "signal_confusion": NamedChart(lambda store, catalog, learner, now: stats.signal_confusion(store, catalog, learner),
                                   charts.signal_confusion, chart_text.signal_confusion),
    "time_per_answer": NamedChart(lambda store, catalog, learner, now: stats.time_per_answer(store, learner),
                                  charts.time_per_answer, chart_text.time_per_answer),
    "due_forecast": NamedChart(stats.due_forecast, charts.due_forecast, chart_text.due_forecast),
    "recall_by_section": NamedChart(stats.recall_by_section, charts.recall_by_section, chart_text.recall_by_section),
}
