"""Charts: friendly when empty, right when full, and fine at 100,000 attempts."""

from __future__ import annotations

import matplotlib
import pytest

from playbook_lib import Workbook, charts
from playbook_lib.content import Catalog
from playbook_lib.demo import demo_attempts
from playbook_lib.store import Store

ALL = ["accuracy_over_time", "accuracy_by_section", "mastery_by_method", "signal_confusion", "time_per_answer"]


def draw(name: str, store: Store, catalog: Catalog):
    function = charts.CHARTS[name]
    if name in ("accuracy_over_time", "time_per_answer", "due_forecast"):
        return function(store, None)
    return function(store, catalog, None)


@pytest.mark.parametrize("name", [*ALL, "due_forecast", "recall_by_section"])
def test_empty_record_gives_a_friendly_chart(store: Store, catalog: Catalog, name: str) -> None:
    ax = draw(name, store, catalog)
    assert any("No answers yet" in t.get_text() for t in ax.texts)


@pytest.mark.parametrize("name", ALL)
def test_charts_draw_on_a_given_axes(store: Store, catalog: Catalog, name: str) -> None:
    from matplotlib.figure import Figure

    store.add_attempts(demo_attempts(catalog, 300, seed=3))
    ax = Figure().subplots()
    function = charts.CHARTS[name]
    args = (store, None) if name in ("accuracy_over_time", "time_per_answer") else (store, catalog, None)
    assert function(*args, ax=ax) is ax
    assert not any("No answers yet" in t.get_text() for t in ax.texts)


def test_confusion_counts_match_the_record(store: Store, catalog: Catalog) -> None:
    store.add_attempts(demo_attempts(catalog, 500, seed=5))
    labels, counts = charts.signal_confusion_data(store, catalog)
    signal_rows = [a for a in store.attempts() if a.kind == "signal-id"]
    assert sum(map(sum, counts)) == len(signal_rows)
    assert labels[-1] == "Not a signal" and len(labels) == 9
    right = sum(counts[i][i] for i in range(len(labels)))
    assert right == sum(1 for a in signal_rows if a.score == 1.0)


def test_import_leaves_rcparams_alone() -> None:
    before = dict(matplotlib.rcParams)
    import importlib

    importlib.reload(charts)
    assert dict(matplotlib.rcParams) == before


@pytest.mark.slow
def test_hundred_thousand_attempts(tmp_path, catalog: Catalog) -> None:
    with Store(tmp_path / "big.sqlite") as store:
        assert store.add_attempts(demo_attempts(catalog, 100_000, learners=("a", "b"), seed=1)) == 100_000
        figure = charts.progress_figure(store, catalog, "a")
        assert len(figure.axes) >= 5


def test_workbook_progress_and_one_chart(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "signal-id")
    workbook.answer(ex.id, {"signal": False}, seconds=4.0)
    figure = workbook.progress()
    assert len(figure.axes) >= 5
    assert workbook.chart("signal_confusion").axes
    with pytest.raises(Exception, match="no chart"):
        workbook.chart("pie")


def test_import_is_idempotent_by_uid(store: Store, catalog: Catalog) -> None:
    rows = list(demo_attempts(catalog, 50, seed=9))
    assert store.add_attempts(rows) == 50
    assert store.add_attempts(rows) == 0
    assert store.count() == 50


def test_self_rated_reflections_stay_out_of_scores(workbook: Workbook) -> None:
    reflection = next(e for e in workbook.catalog.exercises if e.kind == "reflection")
    single = next(e for e in workbook.catalog.exercises if e.kind == "single-choice")
    workbook.answer(reflection.id, {"text": "My close.", "ticked": [r.id for r in reflection.rubric]})
    workbook.answer(single.id, next(c.id for c in single.options if c.id != single.answer))
    ax = charts.accuracy_by_section(workbook.store, workbook.catalog, "Ada")
    assert [round(p.get_width()) for p in ax.patches] == [0]  # only the graded (wrong) answer counts
    assert workbook.summary() == "Ada: 2 answers, mean score 0 %."
