"""Grading of every exercise kind (right, wrong, partly right) and drills."""

from __future__ import annotations

import pytest

from playbook_lib import AnswerError, build_drill, grade
from playbook_lib.content import Catalog
from playbook_lib.engine import choice_order, select

from .conftest import first_of_kind


def wrong_id(ex) -> str:
    return next(c.id for c in ex.choices if c.id != ex.answer)


@pytest.mark.parametrize("kind", ["single-choice", "technique-match", "best-moment"])
def test_one_answer_kinds(catalog: Catalog, kind: str) -> None:
    ex = first_of_kind(catalog, kind)
    right = grade(catalog, ex, ex.answer)
    assert (right.correct, right.score, right.verdict, right.symbol) == (True, 1.0, "right", "✔")
    assert right.verdict_text == "Right"
    assert [n.id for n in right.notes if n.chosen] == [ex.answer]
    wrong = grade(catalog, ex, wrong_id(ex))
    assert (wrong.correct, wrong.score, wrong.verdict_text) == (False, 0.0, "Not quite")
    assert wrong.summary.startswith("The best answer:")
    chosen = next(n for n in wrong.notes if n.chosen)
    assert chosen.why and not chosen.right
    assert any(n.right for n in wrong.notes)


def test_multi_select_partial_credit(catalog: Catalog) -> None:
    ex = next(e for e in catalog.exercises if e.kind == "multi-select" and len(e.answer) >= 2)
    keys = list(ex.answer)
    wrong = [c.id for c in ex.choices if c.id not in keys]
    assert grade(catalog, ex, keys).score == 1.0
    half = grade(catalog, ex, keys[:1])
    assert half.correct is False and half.score == pytest.approx(1 / len(keys))
    assert half.verdict_text == "Partly right" and half.symbol == "◐"
    assert grade(catalog, ex, [keys[0], wrong[0]]).score == 0.0
    assert grade(catalog, ex, wrong).score == 0.0


def test_signal_two_step_scoring(catalog: Catalog) -> None:
    ex = next(e for e in catalog.exercises if e.kind == "signal-id" and e.is_signal)
    other = next(c.id for c in ex.options if c.id != ex.answer)
    assert grade(catalog, ex, {"signal": True, "kind": ex.answer}).score == 1.0
    half = grade(catalog, ex, {"signal": True, "kind": other})
    assert (half.score, half.correct) == (0.5, False)
    miss = grade(catalog, ex, {"signal": False})
    assert (miss.score, miss.correct) == (0.0, False)
    assert miss.summary.startswith("It is a buying signal.")
    assert miss.expected == {"signal": True, "kind": ex.answer}


def test_non_signal_scoring(catalog: Catalog) -> None:
    ex = next(e for e in catalog.exercises if e.kind == "signal-id" and not e.is_signal)
    assert grade(catalog, ex, {"signal": False}).score == 1.0
    fooled = grade(catalog, ex, {"signal": True, "kind": ex.options[0].id})
    assert fooled.score == 0.0
    assert "not a buying signal" in fooled.summary
    assert next(n for n in fooled.notes if n.chosen).why


def test_ordering_gives_credit_for_near_order(catalog: Catalog) -> None:
    ex = first_of_kind(catalog, "ordering")
    keys = [item.id for item in ex.items]
    n = len(keys)
    pairs = n * (n - 1) // 2
    assert grade(catalog, ex, keys).score == 1.0
    swapped = [keys[1], keys[0], *keys[2:]]
    part = grade(catalog, ex, swapped)
    assert part.score == pytest.approx(1 - 1 / pairs)  # one neighbour swap loses one pair of n(n-1)/2
    assert part.correct is False
    assert [note.chosen for note in part.notes][:2] == [False, False]  # the two swapped items are marked misplaced
    far = grade(catalog, ex, [keys[-1], *keys[1:-1], keys[0]])
    assert far.score < part.score
    assert grade(catalog, ex, list(reversed(keys))).score == 0.0


def test_reflection_is_recorded_not_graded(catalog: Catalog) -> None:
    ex = first_of_kind(catalog, "reflection")
    ids = [r.id for r in ex.rubric]
    fb = grade(catalog, ex, {"text": "Shall we start on Monday?", "ticked": ids[:1]})
    assert fb.correct is None and fb.verdict_text == "Recorded"
    assert fb.score == pytest.approx(1 / len(ids))
    assert ex.model_answer.en in fb.summary


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("single-choice", "zz"),
        ("single-choice", ["a"]),
        ("multi-select", "a"),
        ("multi-select", ["nope"]),
        ("signal-id", "signal.action"),
        ("signal-id", {"signal": True, "kind": "signal.nope"}),
        ("ordering", ["x"]),
        ("reflection", "just text"),
    ],
)
def test_answers_of_the_wrong_shape_raise(catalog: Catalog, kind: str, answer: object) -> None:
    with pytest.raises(AnswerError):
        grade(catalog, first_of_kind(catalog, kind), answer)


def test_ordering_with_a_missing_item_raises(catalog: Catalog) -> None:
    ex = first_of_kind(catalog, "ordering")
    with pytest.raises(AnswerError):
        grade(catalog, ex, [item.id for item in ex.items][:-1])


def test_filters(catalog: Catalog) -> None:
    signals = select(catalog, kind="signal-id")
    assert signals and all(ex.kind == "signal-id" for ex in signals)
    methods = select(catalog, section="methods")
    assert methods and all("section.methods" in catalog.sections_of(ex) for ex in methods)
    summary = select(catalog, technique="summary-close")
    assert summary and all("technique.summary-close" in ex.about for ex in summary)
    verbal = select(catalog, about="signal.verbal")
    assert verbal and all(any(a.startswith("signal.verbal.") for a in ex.about) for ex in verbal)
    compliance = select(catalog, tag="compliance")
    assert len(compliance) >= 6
    hard = select(catalog, difficulty=3)
    assert hard and all(ex.difficulty == 3 for ex in hard)
    assert select(catalog, kind="signal-id", tag="no-such-tag") == []


def test_drill_is_repeatable_with_a_seed(catalog: Catalog) -> None:
    one = build_drill(catalog, n=10, seed=7, kind="signal-id")
    two = build_drill(catalog, n=10, seed=7, kind="signal-id")
    three = build_drill(catalog, n=10, seed=8, kind="signal-id")
    assert len(one) == 10
    assert [(i.exercise.id, i.order) for i in one] == [(i.exercise.id, i.order) for i in two]
    assert [i.exercise.id for i in one] != [i.exercise.id for i in three]
    for item in one:
        assert sorted(item.order) == sorted(c.id for c in item.exercise.choices)


def test_ordering_never_starts_solved(catalog: Catalog) -> None:
    for ex in (e for e in catalog.exercises if e.kind == "ordering"):
        assert list(choice_order(ex)) != [item.id for item in ex.items]


def test_unknown_filter_values_raise(catalog: Catalog) -> None:
    from playbook_lib import PlaybookError, UnknownIdError

    with pytest.raises(UnknownIdError):
        build_drill(catalog, technique="no-such-close")
    with pytest.raises(UnknownIdError):
        build_drill(catalog, section="nowhere")
    with pytest.raises(PlaybookError, match="no exercise kind 'signal'"):
        build_drill(catalog, kind="signal")
