"""Scheduling and querying 10,000 review cards (target: today's review from 10,000 cards <= 1 s).

Run: .venv/bin/python benchmarks/review_cards.py
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playbook_lib import Workbook, load_catalog
from playbook_lib.review import Reviewer
from playbook_lib.store import _CARD_UPSERT, STORE_NAME, Store, _card_row

N = 10_000


def main() -> None:
    catalog = load_catalog()
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    rng = random.Random(1)
    reviewer = Reviewer()
    real = [ex.id for ex in catalog.exercises]
    ids = real + [f"ex.bench.item-{i}" for i in range(N - len(real))]  # one learner, 10,000 cards

    start = time.perf_counter()
    cards = []
    for i, exercise_id in enumerate(ids):
        when = now - timedelta(days=rng.uniform(0, 60))
        card = None
        for _ in range(1 + i % 4):
            card = reviewer.review(card, "bench", exercise_id, rng.choice(("Again", "Hard", "Good", "Easy")), when)
            when = card.due
        cards.append(card)
    schedule_s = time.perf_counter() - start
    reviews = sum(1 + i % 4 for i in range(N))

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / STORE_NAME)
        with store.transaction() as db:
            db.executemany(_CARD_UPSERT, [_card_row(c) for c in cards])
        wb = Workbook(catalog, store, learner="bench", clock=lambda: now)
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            drill = wb.review(10)
            timings.append(time.perf_counter() - start)
        due_total = len(store.cards("bench", due_before=now))
        wb.close()
    print(f"scheduling: {reviews:,} FSRS reviews for {N:,} cards in {schedule_s:.2f} s "
          f"({1e6 * schedule_s / reviews:.0f} µs per review)")
    print(f"today's review from {N:,} cards ({due_total:,} due, {len(drill.items)} shown): "
          f"best {1000 * min(timings):.0f} ms, worst {1000 * max(timings):.0f} ms (target <= 1000 ms)")


if __name__ == "__main__":
    main()
