"""The practice record: rows, settings, concurrency, crashes, corrupt and newer files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from playbook_lib import StoreCorruptError, StoreVersionError, Workbook
from playbook_lib.store import SCHEMA_VERSION, STORE_NAME, Store, default_home

ROOT = Path(__file__).resolve().parent.parent


def record_one(store: Store, learner: str = "Ada", **extra) -> None:
    values = dict(learner=learner, exercise_id="ex.x", kind="single-choice", section="section.methods",
                  topic="technique.summary-close", content_version="t", answer="a", expected="a", correct=True,
                  score=1.0, seconds=2.5)
    values.update(extra)
    store.record(**values)


def test_record_and_read_back(store: Store) -> None:
    record_one(store)
    record_one(store, learner="Bo", answer={"signal": False}, correct=False, score=0.0, mode="drill", session="s1")
    rows = store.attempts()
    assert [r.learner for r in rows] == ["Ada", "Bo"]
    assert rows[1].answer == {"signal": False} and rows[1].correct is False and rows[1].mode == "drill"
    assert [r.learner for r in store.attempts("Bo")] == ["Bo"]
    assert store.count() == 2 and store.count("Ada") == 1


def test_wal_and_schema_version(store: Store) -> None:
    assert store.backend.execute("PRAGMA journal_mode")[0][0] == "wal"
    assert store.backend.schema_version() == SCHEMA_VERSION


def test_bad_mode_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="mode"):
        record_one(store, mode="exam")


def test_settings_remembered_across_opens(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as s:
        s.set_setting("learner", "Ada")
        s.set_setting("learner", "Ada L.")
    with Store(tmp_path / STORE_NAME) as s:
        assert s.setting("learner") == "Ada L."
        assert s.setting("missing", "x") == "x"


def test_default_home_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "here"))
    assert default_home() == tmp_path / "here"
    monkeypatch.delenv("PLAYBOOK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert default_home() == tmp_path / "xdg" / "closing-playbook"


def test_corrupt_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    junk = b"this is not a database, just some bytes " * 200
    path.write_bytes(junk)
    with pytest.raises(StoreCorruptError, match="left untouched"):
        Store(path)
    assert path.read_bytes() == junk


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError, match="not a practice record"):
        Store(path)
    assert path.read_bytes() == before


def test_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    with Store(path) as s:
        record_one(s)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreVersionError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_reset_keeps_a_backup(tmp_path: Path) -> None:
    with Store(tmp_path / STORE_NAME) as s:
        record_one(s)
        record_one(s, learner="Bo")
        removed, backup = s.reset("Ada")
        assert removed == 1 and s.count() == 1
    with Store(backup) as copy:
        assert copy.count() == 2


WRITER = textwrap.dedent("""
    import sys
    from playbook_lib.store import Store
    store = Store(sys.argv[1])
    for i in range(int(sys.argv[3])):
        store.record(learner=sys.argv[2], exercise_id=f"ex.{i}", kind="single-choice", section="section.methods",
                     topic="technique.summary-close", content_version="t", answer="a", expected="a",
                     correct=True, score=1.0, seconds=0.1)
    store.close()
""")


@pytest.mark.slow
def test_eight_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    Store(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{n}", "2000"], cwd=ROOT,
                              stderr=subprocess.PIPE) for n in range(8)]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, errors
    with Store(path) as s:
        assert s.count() == 16_000
        assert {s.count(f"w{n}") for n in range(8)} == {2000}


DRILLER = textwrap.dedent("""
    import sys
    from playbook_lib import Workbook
    wb = Workbook.open(home=sys.argv[1], learner="Kim")
    exercises = [ex for ex in wb.catalog.exercises if ex.kind == "single-choice"]
    n = 0
    while True:
        for ex in exercises:
            wb.answer(ex.id, ex.answer, seconds=1.0)
            n += 1
            print(n, flush=True)
""")


@pytest.mark.slow
def test_killed_mid_drill_loses_at_most_the_answer_in_flight(tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = subprocess.Popen([sys.executable, "-c", DRILLER, str(home)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    confirmed = 0
    for line in proc.stdout:
        confirmed = int(line)
        if confirmed >= 150:
            break
    os.kill(proc.pid, signal.SIGKILL)
    for line in proc.stdout:  # what the child confirmed before it died
        confirmed = int(line)
    proc.wait()
    with Store(home / STORE_NAME) as s:
        rows = s.count("Kim")
        assert s.backend.execute("PRAGMA integrity_check")[0][0] == "ok"
    # every confirmed answer is saved; at most the one in flight was saved but not yet confirmed
    assert confirmed >= 150
    assert confirmed <= rows <= confirmed + 1


def test_workbook_answer_records_a_full_row(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "signal-id" and e.is_signal)
    fb = workbook.answer(ex.id, {"signal": True, "kind": ex.answer}, seconds=3.2)
    row = workbook.attempts()[-1]
    assert (row.learner, row.exercise_id, row.kind, row.score, row.correct) == ("Ada", ex.id, "signal-id", 1.0, True)
    assert row.answer == fb.answer and row.expected == {"signal": True, "kind": ex.answer}
    assert row.content_version == workbook.catalog.version and row.seconds == 3.2
    assert row.section == "section.timing" and row.topic == ex.about[0]
    assert row.mode == "practice" and row.session == workbook.session
