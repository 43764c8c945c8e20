"""Class dashboard for 30 participants x 200 answers (target <= 1 s), on SQLite and, when a server
is given, on PostgreSQL, in English and simplified Chinese: the queries and tables, the figure, and
its rendering to PNG (what a notebook shows), beside a blank figure of the same size as the baseline.

Run: .venv/bin/python benchmarks/dashboard.py [postgresql://user@host:port/db]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # this script only; the library never sets a backend

from playbook_lib import load_catalog
from playbook_lib.dashboard import class_summary, figure, summary_html
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


def _best(times: list[float]) -> str:
    return f"{1000 * min(times):.0f} ms"


def measure(store: Store, catalog, label: str) -> None:
    import matplotlib.pyplot as plt

    code = fill(store, catalog)
    blank = []
    for _ in range(5):
        start = time.perf_counter()
        fig = plt.figure(figsize=(12, 5.5), layout="constrained")
        plt.close(fig)
        fig.savefig(io.BytesIO(), format="png")
        blank.append(time.perf_counter() - start)
    print(f"{label}: {store.count(session=code):,} answers from {PEOPLE} participants; "
          f"baseline, a blank figure of the same size rendered: {_best(blank)}")
    for lang in ("en", "zh-Hans"):
        tables, charts, render, total = [], [], [], []
        for _ in range(5):
            start = time.perf_counter()
            summary = class_summary(store, catalog, code)
            summary_html(summary, lang)
            built = time.perf_counter()
            drawn = figure(summary, lang)
            made = time.perf_counter()
            drawn.savefig(io.BytesIO(), format="png")  # as a notebook shows it
            done = time.perf_counter()
            tables.append(built - start)
            charts.append(made - built)
            render.append(done - made)
            total.append(done - start)
        print(f"  {lang:<7}: queries + tables {_best(tables)}, figure {_best(charts)}, PNG {_best(render)}; "
              f"all {_best(total)} (target <= 1000 ms)")


def main() -> None:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / STORE_NAME) as store:
        measure(store, catalog, "SQLite")
    if len(sys.argv) > 1:
        with Store(url=sys.argv[1]) as store:
            measure(store, catalog, "PostgreSQL")


if __name__ == "__main__":
    main()
