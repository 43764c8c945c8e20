"""Median and 95th-percentile time to grade and record one answer (target: median <= 5 ms).

Run: .venv/bin/python benchmarks/answer_latency.py
"""

from __future__ import annotations

import statistics
import tempfile
import time

from playbook_lib import Workbook
from playbook_lib.demo import _guess


def main(n: int = 2000) -> None:
    import random

    with tempfile.TemporaryDirectory() as home:
        wb = Workbook.open(home=home, learner="bench")
        rng = random.Random(0)
        exercises = list(wb.catalog.exercises)
        timings = []
        for _ in range(n):
            ex = rng.choice(exercises)
            answer = _guess(ex, rng, 0.7)
            start = time.perf_counter()
            wb.answer(ex.id, answer, seconds=1.0)
            timings.append((time.perf_counter() - start) * 1000)
        wb.close()
    timings.sort()
    print(f"grade + record, {n} answers: median {statistics.median(timings):.2f} ms, "
          f"p95 {timings[int(0.95 * n)]:.2f} ms, max {timings[-1]:.2f} ms (target: median <= 5 ms)")


if __name__ == "__main__":
    main()
