"""Class dashboard for 30 participants x 200 answers (target <= 1 s), on SQLite and, when a server
is given, on PostgreSQL.

Run: .venv/bin/python benchmarks/dashboard.py [postgresql://user@host:port/db]
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # this script only; the library never sets a backend

from playbook_lib import load_catalog
from playbook_lib.dashboard import load
from playbook_lib.demo import demo_attempts
from playbook_lib.store import STORE_NAME, Store

PEOPLE, ANSWERS = 30, 200


def fill(store: Store, catalog) -> str:
    code = store.open_workshop("Benchmark", {}).code
    people = [store.join_workshop(code, f"Rep {i:02d}") for i in range(PEOPLE)]
    attempts = []
    for n, person in enumerate(people):
        for attempt in demo_attempts(catalog, ANSWERS, learners=(person.name,), seed=n, session=code):
            attempts.append(replace(attempt, uid=f"{person.id}-{attempt.uid}", participant=person.id, mode="workshop"))
    store.add_attempts(attempts)
    return code


def measure(store: Store, catalog, label: str) -> None:
    code = fill(store, catalog)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        _html, figure = load(store, catalog, code)
        figure.canvas.draw()
        times.append(time.perf_counter() - start)
    print(f"{label}: dashboard for {PEOPLE} x {ANSWERS} answers ({store.count(session=code):,} rows): "
          f"best {1000 * min(times):.0f} ms, worst {1000 * max(times):.0f} ms (target <= 1000 ms)")


def main() -> None:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / STORE_NAME) as store:
        measure(store, catalog, "SQLite")
    if len(sys.argv) > 1:
        with Store(url=sys.argv[1]) as store:
            measure(store, catalog, "PostgreSQL")


if __name__ == "__main__":
    main()
