"""8 concurrent writers through the store against raw SQLite inserts, in the same run (target >= 70 %).

Both write the same rows into the same schema (the store's own ``attempts`` table), one
transaction per row, WAL mode, synchronous=NORMAL and a busy timeout. The raw writers
send a prepared tuple; the store builds an Attempt, its JSON and a uid for each answer.
Run: .venv/bin/python benchmarks/concurrency.py
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

WRITERS, ROWS, ROUNDS = 8, 2000, 3

STORE_WRITER = textwrap.dedent("""
    import sys
    from playbook_lib.store import Store
    import time
    store = Store(sys.argv[1])
    print(time.time())
    for i in range(int(sys.argv[3])):
        store.record(learner=sys.argv[2], exercise_id=f"ex.{i}", kind="single-choice", section="section.methods",
                     topic="technique.summary-close", content_version="bench", answer="a", expected="a",
                     correct=True, score=1.0, seconds=0.1)
    print(time.time())
""")

RAW_WRITER = textwrap.dedent("""
    import sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 10000"); db.execute("PRAGMA synchronous = NORMAL")
    sql = ("INSERT INTO attempts (uid, learner, exercise_id, kind, section, topic, content_version, answer, expected, "
           "correct, score, seconds, answered_at, mode, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    print(time.time())
    for i in range(int(sys.argv[3])):
        row = (f"{sys.argv[2]}-{i}-{sys.argv[4]}", sys.argv[2], f"ex.{i}", "single-choice", "section.methods",
               "technique.summary-close", "bench", '"a"', '"a"', 1, 1.0, 0.1, "2026-11-26T12:00:00+00:00",
               "practice", "")
        db.execute("BEGIN IMMEDIATE")
        db.execute(sql, row)
        db.execute("COMMIT")
    print(time.time())
""")


def run(code: str, path: Path, round_: int) -> float:
    """Seconds from the first writer's first row to the last writer's last row (start-up excluded)."""
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), f"w{n}", str(ROWS), str(round_)],
                              stdout=subprocess.PIPE, text=True) for n in range(WRITERS)]
    outs = [p.communicate()[0].split() for p in procs]
    if any(p.returncode for p in procs):
        raise SystemExit(f"a writer failed: {[p.returncode for p in procs]}")
    return max(float(o[1]) for o in outs) - min(float(o[0]) for o in outs)


def main() -> None:
    from playbook_lib.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.sqlite"
        store_path = Path(tmp) / "practice.sqlite"
        Store(raw).close()
        Store(store_path).close()
        results: dict[str, list[float]] = {"raw": [], "store": []}
        for round_ in range(ROUNDS):  # alternate, so both meet the same machine load
            results["raw"].append(run(RAW_WRITER, raw, round_))
            results["store"].append(run(STORE_WRITER, store_path, round_))
        total = WRITERS * ROWS
        with sqlite3.connect(raw) as check:
            raw_rows = check.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
        with Store(store_path) as s:
            store_rows = s.count()
    raw_rate = total / min(results["raw"])
    store_rate = total / min(results["store"])
    print(f"{WRITERS} writers x {ROWS} rows, best of {ROUNDS} (timed from the first row to the last):")
    print(f"  raw SQLite inserts: {raw_rate:,.0f} rows/s  ({raw_rows:,} rows written in all)")
    print(f"  playbook store:     {store_rate:,.0f} rows/s  ({store_rows:,} rows written in all, 0 lost: "
          f"{store_rows == ROUNDS * total})")
    print(f"  store / raw: {100 * store_rate / raw_rate:.0f} % (target >= 70 %)")


if __name__ == "__main__":
    main()
