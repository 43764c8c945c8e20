"""No cues: where the key is shown, how long it is, and the author's cue check."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from playbook_lib import Workbook
from playbook_lib.content import Catalog, load_catalog, validate_paths
from playbook_lib.engine import build_drill, choice_order
from playbook_lib.lint import lint
from playbook_lib.models import SignalId, SingleChoice, TechniqueMatch
from playbook_lib.store import Store

from .conftest import CUE_ITEM, ROOT, trainer_file

LEARNERS = ["guest", "Ada", "陈静", "Manager Liu", "participant-7"]


def keyed(catalog: Catalog):
    """Exercises with one key among 3-4 choices."""
    for ex in catalog.exercises:
        single = isinstance(ex, SingleChoice | TechniqueMatch) or (isinstance(ex, SignalId) and ex.is_signal)
        if single and 3 <= len(ex.choices) <= 4:
            yield ex


@pytest.mark.parametrize("learner", LEARNERS)
def test_the_key_is_shown_at_every_position_about_equally(catalog: Catalog, learner: str) -> None:
    shown = Counter(choice_order(ex, learner, catalog=catalog).index(ex.answer) for ex in keyed(catalog))
    total = sum(shown.values())
    assert total > 100
    assert max(shown.values()) / total <= 0.4, shown
    assert len(shown) >= 3


TRAINER_ITEM = """\
  - id: ex.course.item-{n}
    kind: single-choice
    title: "Course item {n}"
    about: [technique.summary-close]
    prompt: "Mr Zhou has agreed to every point of the plan. What do you say next?"
    answer: a
    options:
      - {{id: a, text: "Recap the three points he agreed to and ask for the order", why: "Right: a summary close."}}
      - {{id: b, text: "Ask whether he has any other questions first", why: "It reopens what he has settled."}}
      - {{id: c, text: "Send him the brochure again and call back next week", why: "It hands the moment back."}}
"""


@pytest.mark.parametrize("count", [8, 30, 40])
def test_a_trainer_file_shows_the_key_at_every_position_about_equally(tmp_path: Path, count: int) -> None:
    folder = trainer_file(tmp_path / "course", TRAINER_ITEM, count)
    catalog = load_catalog([ROOT / "data", folder])
    mine = [ex for ex in catalog.exercises if ex.id.startswith("ex.course.")]
    for learner in [*LEARNERS, *(f"rep-{n}" for n in range(40))]:
        shown = Counter(choice_order(ex, learner, catalog=catalog).index("a") for ex in mine)
        assert max(shown.values()) - min(shown.values()) <= 1 and len(shown) == 3, (learner, shown)
    orders = {tuple(choice_order(ex, "Ada", catalog=catalog)) for ex in mine}
    assert len(orders) == 6 if count >= 30 else len(orders) >= 3  # distractors shuffled too, not a fixed pattern


def test_file_order_is_not_what_learners_see(catalog: Catalog) -> None:
    same = sum(1 for ex in keyed(catalog) if list(choice_order(ex, "Ada")) == [c.id for c in ex.choices])
    assert same < 0.4 * len(list(keyed(catalog)))


def test_order_is_stable_for_a_learner_and_differs_between_learners(catalog: Catalog) -> None:
    ex = next(keyed(catalog))
    assert choice_order(ex, "Ada") == choice_order(ex, "Ada")
    assert len({choice_order(e, name) for e in list(keyed(catalog))[:10] for name in LEARNERS}) > 10


def test_the_key_is_the_longest_option_in_at_most_a_third_of_single_choice_items(catalog: Catalog) -> None:
    singles = [ex for ex in catalog.exercises if isinstance(ex, SingleChoice)]
    for lang in ("en", "zh"):
        longest = 0
        for ex in singles:
            lengths = {c.id: len(getattr(c.text, lang)) for c in ex.options}
            key = lengths.pop(ex.answer)
            longest += key > max(lengths.values())
        assert longest <= len(singles) / 3, (lang, longest, len(singles))


def test_more_hard_items(catalog: Catalog) -> None:
    levels = Counter(ex.difficulty for ex in catalog.exercises)
    assert levels[3] >= 0.2 * len(catalog.exercises)


def test_every_view_of_an_exercise_shows_the_learners_order(catalog: Catalog, tmp_path: Path) -> None:
    wb = Workbook(catalog, Store(tmp_path / "p.sqlite"), learner="Ada")
    ex = next(e for e in keyed(catalog) if isinstance(e, SingleChoice))
    expected = list(choice_order(ex, "Ada", catalog=catalog))
    assert [value for _, value in wb.exercise(ex.id).choice.options] == expected
    drill = wb.drill(ids=[ex.id], n=None)
    assert [value for _, value in drill.view.choice.options] == expected
    wb.answer(ex.id, next(c.id for c in ex.options if c.id != ex.answer))
    later = wb.clock() + timedelta(days=2)
    wb.clock = lambda: later
    review = wb.review(n=5)
    assert review.items and list(review.items[0].order) == expected
    wb.close()


def test_ordering_items_never_start_solved_for_anyone(catalog: Catalog) -> None:
    for ex in (e for e in catalog.exercises if e.kind == "ordering"):
        for learner in LEARNERS:
            assert list(choice_order(ex, learner)) != [item.id for item in ex.items]


def test_best_moment_dialogues_keep_their_order(catalog: Catalog) -> None:
    ex = next(e for e in catalog.exercises if e.kind == "best-moment")
    assert list(choice_order(ex, "Ada")) == [line.id for line in ex.lines]


def test_the_cue_check_fails_a_cue_ridden_trainer_file(tmp_path: Path) -> None:
    folder = trainer_file(tmp_path / "course", CUE_ITEM, 8)
    signal = folder / "signal.yaml"
    signal.write_text("""\
exercises:
  - id: ex.cue.signal
    kind: signal-id
    title: "Cue signal"
    about: [signal.action]
    prompt: "“How soon could the first résumés arrive?”"
    is_signal: true
    why_signal: "She asks about timing."
    answer: signal.verbal.delivery-time
    options:
      - {id: signal.verbal.delivery-time, why: "She asks how soon."}
      - {id: signal.action, why: "Nothing is seen."}
      - {id: signal.expression, why: "No face is described."}
""", encoding="utf-8")
    problems = [str(p) for p in validate_paths([folder])]
    assert any(str(signal.name) in p and "about" in p for p in problems), problems  # an about that contradicts the key
    signal.unlink()
    catalog = load_catalog([ROOT / "data", folder])
    files = {catalog.sources[key].file for key in catalog.sources if key.startswith("ex.cue")}
    reasons = [p.reason for p in lint(catalog, files=files)]
    assert any("longest option (en) in 8 of 8" in r for r in reasons)
    assert any("is option 1 (in file order) in 8 of 8" in r for r in reasons)
    assert any("all/none of the above" in r for r in reasons)
    assert any("times as long as the shortest" in r for r in reasons)
    # and learners still see the trainer's items shuffled
    drill = build_drill(catalog, n=None, learner="Ada", ids=[f"ex.cue.item-{n}" for n in range(8)])
    assert Counter(item.order.index("a") for item in drill).most_common(1)[0][1] < 8
