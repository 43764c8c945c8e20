"""Spaced review with a fixed clock: missed items come back sooner, intervals grow, old stores migrate."""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook_lib import Workbook
from playbook_lib.cli import cli
from playbook_lib.content import Catalog
from playbook_lib.review import rating_name
from playbook_lib.store import MIGRATIONS, SCHEMA_VERSION, STORE_NAME, Store

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wb(catalog: Catalog, tmp_path: Path, clock: Clock):
    book = Workbook(catalog, Store(tmp_path / STORE_NAME), learner="Rae", clock=clock)
    yield book
    book.close()


def singles(catalog: Catalog, n: int = 2):
    return [e for e in catalog.exercises if e.kind == "single-choice"][:n]


def wrong(ex) -> str:
    return next(c.id for c in ex.options if c.id != ex.answer)


@pytest.mark.parametrize(
    ("kind", "correct", "score", "seconds", "rating"),
    [
        ("signal-id", False, 0.5, 3, "Again"),
        ("signal-id", True, 1.0, 5, "Easy"),
        ("signal-id", True, 1.0, 15, "Good"),
        ("signal-id", True, 1.0, 60, "Hard"),
        ("best-moment", True, 1.0, 15, "Easy"),
        ("best-moment", True, 1.0, 60, "Good"),
        ("ordering", True, 1.0, None, "Good"),
        ("reflection", None, 1.0, 100, "Good"),
        ("reflection", None, 0.5, 100, "Hard"),
    ],
)
def test_ratings(kind: str, correct: bool | None, score: float, seconds: float | None, rating: str) -> None:
    assert rating_name(kind, correct, score, seconds) == rating


def test_a_missed_item_comes_back_sooner_than_a_known_one(wb: Workbook, clock: Clock) -> None:
    missed, known = singles(wb.catalog)
    wb.answer(missed.id, wrong(missed), seconds=20)
    wb.answer(known.id, known.answer, seconds=20)
    card_missed, card_known = wb.store.card("Rae", missed.id), wb.store.card("Rae", known.id)
    assert card_missed.due < card_known.due
    assert card_missed.lapses == 1 and card_known.lapses == 0
    clock.advance(minutes=5)
    assert [c.exercise_id for c in wb.due()] == [missed.id]


def test_intervals_grow_with_right_answers(wb: Workbook, clock: Clock) -> None:
    ex = singles(wb.catalog, 1)[0]
    intervals = []
    for _ in range(5):
        wb.answer(ex.id, ex.answer, seconds=20)
        card = wb.store.card("Rae", ex.id)
        intervals.append(card.due - clock.now)
        clock.now = card.due
    assert intervals == sorted(intervals) and intervals[-1] > intervals[1] * 4
    assert intervals[-1] >= timedelta(days=7)


def test_fewer_reviews_as_items_are_mastered(wb: Workbook, clock: Clock) -> None:
    pool = [e for e in wb.catalog.exercises if e.kind == "single-choice"][:12]
    for ex in pool:
        wb.answer(ex.id, wrong(ex), seconds=20)
    review_days = []
    for day in range(1, 41):
        clock.advance(days=1)
        due = wb.due()
        if due:
            review_days.append(day)
        for card in due:
            ex = wb.catalog.exercise(card.exercise_id)
            wb.answer(ex.id, ex.answer, seconds=20)
    assert review_days[0] == 1  # the missed items come back the next day
    gaps = [b - a for a, b in itertools.pairwise(review_days)]
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]  # then less and less often
    assert len([d for d in review_days if d > 20]) < len([d for d in review_days if d <= 20])


def test_review_drill_is_oldest_first_and_recorded_as_review(wb: Workbook, clock: Clock) -> None:
    first, second = singles(wb.catalog)
    wb.answer(first.id, wrong(first), seconds=20)
    clock.advance(minutes=1)
    wb.answer(second.id, wrong(second), seconds=20)
    clock.advance(hours=1)
    drill = wb.review(n=10)
    assert [i.exercise.id for i in drill.items] == [first.id, second.id]
    assert drill.title == "Today's review"
    drill.view.choice.value = first.answer
    drill.view.check_button.click()
    assert wb.attempts()[-1].mode == "review"
    assert wb.store.card("Rae", first.id).due > clock.now + timedelta(hours=12)


def test_outlook_and_cli(tmp_path: Path, catalog: Catalog) -> None:
    clock = Clock(datetime.now(UTC))
    wb = Workbook(catalog, Store(tmp_path / "h" / STORE_NAME), learner="Rae", clock=clock)
    a, b = singles(catalog)
    wb.answer(a.id, wrong(a), seconds=20)
    wb.answer(b.id, b.answer, seconds=20)
    clock.advance(hours=1)
    outlook = wb.review_outlook()
    assert outlook["due_now"] == 2 and outlook["cards"] == 2  # a in relearning, b in learning: both due within the hour
    wb.answer(b.id, b.answer, seconds=20)
    outlook = wb.review_outlook()
    assert outlook["due_now"] == 1 and sum(outlook["upcoming"].values()) == 1
    wb.close()
    result = CliRunner().invoke(cli, ["review", "--home", str(tmp_path / "h")])
    assert result.exit_code == 0 and "Rae: " in result.output and "due now" in result.output
    data = json.loads(CliRunner().invoke(cli, ["review", "--home", str(tmp_path / "h"), "--json"]).output)
    assert data["cards"] == 2


def test_cli_review_with_no_cards(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "--home", str(tmp_path / "empty")])
    assert "no review cards yet" in result.output


def test_store_from_before_reviews_migrates_and_keeps_every_attempt(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / STORE_NAME
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0].format(serial="INTEGER PRIMARY KEY", real="REAL").split(";"):  # a version-1 record
        if statement.strip():
            db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    ex = singles(catalog, 1)[0]
    rows = [(f"u{i}", "Old", ex.id, "single-choice", "section.methods", ex.about[0], "v1", '"a"', '"a"',
             i % 2, float(i % 2), 20.0, (START + timedelta(days=i)).isoformat(), "practice", "s") for i in range(5)]
    db.executemany("INSERT INTO attempts (uid, learner, exercise_id, kind, section, topic, content_version, answer, "
                   "expected, correct, score, seconds, answered_at, mode, session) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.count() == 5
        assert [a.uid for a in store.attempts()] == [f"u{i}" for i in range(5)]
        card = store.card("Old", ex.id)
        assert card is not None and card.reviews == 5 and card.lapses == 3
        assert store.backend.schema_version() == SCHEMA_VERSION
    assert (tmp_path / f"{STORE_NAME}.v1.bak").exists()


def test_reset_removes_cards_too(wb: Workbook) -> None:
    ex = singles(wb.catalog, 1)[0]
    wb.answer(ex.id, ex.answer, seconds=20)
    wb.store.reset("Rae")
    assert wb.store.cards("Rae") == []


def test_review_charts(wb: Workbook, clock: Clock) -> None:
    for ex in singles(wb.catalog, 4):
        wb.answer(ex.id, ex.answer, seconds=5)
    fig = wb.chart("due_forecast")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert sum(heights) == 4
    fig = wb.chart("recall_by_section")
    assert fig.axes[0].patches and all(0 < p.get_width() <= 100 for p in fig.axes[0].patches)
