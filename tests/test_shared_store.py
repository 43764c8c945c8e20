"""The same record operations on SQLite and on PostgreSQL: one code path, two databases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from playbook_lib import StoreVersionError, Workbook, stats
from playbook_lib.charts import progress_figure
from playbook_lib.content import Catalog
from playbook_lib.demo import demo_attempts
from playbook_lib.store import SCHEMA_VERSION, Store


def test_record_read_and_settings(any_store: Store) -> None:
    any_store.record(learner="Ada", exercise_id="ex.x", kind="multi-select", section="section.methods",
                     topic="technique.summary-close", content_version="t", answer=["a", "b"], expected=["a"],
                     correct=False, score=0.0, seconds=None)
    row = any_store.attempts("Ada")[0]
    assert row.answer == ["a", "b"] and row.correct is False and row.seconds is None
    any_store.set_setting("learner:x", "Ada")
    any_store.set_setting("learner:x", "Ada L.")
    assert any_store.setting("learner:x") == "Ada L."
    assert any_store.backend.schema_version() == SCHEMA_VERSION


def test_workbook_answers_reviews_and_charts(any_store: Store, catalog: Catalog) -> None:
    wb = Workbook(catalog, any_store, learner="Bo", clock=lambda: datetime(2026, 5, 4, 10, tzinfo=UTC))
    signals = [e for e in catalog.exercises if e.kind == "signal-id"][:6]
    for ex in signals:
        wb.answer(ex.id, {"signal": False}, seconds=4)
    assert len(wb.attempts()) == 6 and len(any_store.cards("Bo")) == 6
    confusion = stats.signal_confusion(any_store, catalog, "Bo")
    assert confusion.answers == 6
    assert sum(row[-1] for row in confusion.counts) == 6  # every answer was "not a signal"
    assert wb.weakest() and len(progress_figure(stats.progress(any_store, catalog, "Bo")).axes) >= 5


def test_import_skips_duplicates(any_store: Store, catalog: Catalog) -> None:
    rows = list(demo_attempts(catalog, 40, seed=2))
    assert any_store.add_attempts(rows) == 40
    assert any_store.add_attempts(rows[:10]) == 0
    assert any_store.count() == 40


def test_reset_keeps_a_backup(any_store: Store, catalog: Catalog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    any_store.add_attempts(demo_attempts(catalog, 10, learners=("a", "b"), seed=4))
    removed, backup = any_store.reset("a")
    assert removed == len([1 for _ in demo_attempts(catalog, 10, learners=("a", "b"), seed=4) if _.learner == "a"])
    assert backup.exists() and any_store.count("a") == 0


def test_postgres_from_a_newer_version_is_refused(pg_url: str) -> None:
    Store(url=pg_url).close()
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE playbook_meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreVersionError, match="newer version"):
        Store(url=pg_url)


def test_postgres_url_from_the_environment(pg_url: str, monkeypatch, catalog: Catalog) -> None:
    monkeypatch.setenv("PLAYBOOK_DB_URL", pg_url)
    wb = Workbook.open(learner="Cy")
    assert wb.store.location.startswith("postgresql://") and wb.store.path is None
    wb.close()


def test_bad_postgres_url_is_a_clear_error() -> None:
    from playbook_lib import StoreError

    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        Store(url="postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
