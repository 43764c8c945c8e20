"""Time to query and draw the progress charts from 1k, 10k and 100k attempts, in English and in
simplified Chinese (target: 100k <= 1 s).

Run: .venv/bin/python benchmarks/chart_time.py
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # this script only; the library never sets a backend

from playbook_lib import load_catalog, stats
from playbook_lib.charts import progress_figure
from playbook_lib.demo import demo_attempts
from playbook_lib.store import Store


def main() -> None:
    catalog = load_catalog()
    for n in (1_000, 10_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "p.sqlite") as store:
            store.add_attempts(demo_attempts(catalog, n, learners=("bench",), seed=n))
            for lang in ("en", "zh-Hans"):
                queries, drawing = [], []
                for _ in range(3):
                    start = time.perf_counter()
                    rows = stats.progress(store, catalog, "bench")
                    middle = time.perf_counter()
                    progress_figure(rows, lang).savefig(io.BytesIO(), format="png")  # as a notebook shows it
                    queries.append(middle - start)
                    drawing.append(time.perf_counter() - middle)
                print(f"{n:>7,} attempts, {lang:<7}: queries {min(queries) * 1000:.0f} ms, charts built and rendered "
                      f"{min(drawing) * 1000:.0f} ms (best of 3)")
    print("target: 100,000 attempts <= 1000 ms")


if __name__ == "__main__":
    main()
