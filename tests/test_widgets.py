"""Views driven from Python: set .value, call .click(), read the feedback and the stored row."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest

from playbook_lib import Workbook, grade
from playbook_lib.errors import StoreError
from playbook_lib.models import SingleChoice
from playbook_lib.widgets import (
    BestMomentView,
    DrillView,
    MultiSelectView,
    OrderingView,
    ReflectionView,
    SignalView,
    view_for,
)
from playbook_lib.widgets._assist import Assist
from playbook_lib.workbook import remembered_learner

from .conftest import first_of_kind


def test_single_choice_click_gives_feedback_and_a_row(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "single-choice")
    view = workbook.exercise(ex.id)
    assert view.check_button.disabled
    view.choice.value = ex.answer
    assert not view.check_button.disabled
    view.check_button.click()
    assert view.answered and view.score == 1.0
    assert "✔ Right" in view.result.value
    assert view.choice.disabled and view.retry_button.layout.display is None
    row = workbook.attempts()[-1]
    assert (row.exercise_id, row.answer, row.correct) == (ex.id, ex.answer, True)
    assert row.seconds is not None and row.seconds >= 0


def test_wrong_answer_shows_why_and_retry_records_again(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "technique-match")
    view = workbook.exercise(ex.id)
    wrong = next(c for c in ex.options if c.id != ex.answer)
    view.choice.value = wrong.id
    view.check_button.click()
    assert "✘ Not quite" in view.result.value
    assert wrong.why.en.split()[0] in view.result.value
    view.retry_button.click()
    assert view.result.value == "" and not view.choice.disabled
    view.choice.value = ex.answer
    view.check_button.click()
    assert [a.correct for a in workbook.attempts()] == [False, True]


def test_multi_select_partial(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "multi-select" and len(e.answer) >= 2)
    view = workbook.exercise(ex.id)
    assert isinstance(view, MultiSelectView)
    view.boxes[ex.answer[0]].value = True
    view.check_button.click()
    assert "◐ Partly right" in view.result.value
    assert workbook.attempts()[-1].answer == [ex.answer[0]]


def test_signal_two_steps(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "signal-id" and e.is_signal)
    view = workbook.exercise(ex.id)
    assert isinstance(view, SignalView)
    assert view.step_two.layout.display == "none"
    view.step_one.value = "signal"
    assert view.step_two.layout.display is None
    assert view.check_button.disabled  # the kind is still missing
    view.step_two.value = ex.answer
    view.check_button.click()
    assert "✔ Right" in view.result.value
    assert workbook.attempts()[-1].answer == {"signal": True, "kind": ex.answer}


def test_not_a_signal_needs_one_step(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "signal-id" and not e.is_signal)
    view = workbook.exercise(ex.id)
    view.step_one.value = "not-a-signal"
    assert view.step_two.layout.display == "none"
    view.check_button.click()
    assert view.score == 1.0
    assert "not a buying signal" in view.result.value


def test_best_moment(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "best-moment")
    view = workbook.exercise(ex.id)
    assert isinstance(view, BestMomentView)
    assert [v for _, v in view.choice.options] == [line.id for line in ex.lines]
    view.choice.value = ex.answer
    view.check_button.click()
    assert view.score == 1.0


def test_ordering_with_move_buttons(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "ordering")
    view = workbook.exercise(ex.id)
    assert isinstance(view, OrderingView)
    target = [item.id for item in ex.items]
    for position, item_id in enumerate(target):  # move each item up into place
        view.select(item_id)
        for _ in range(view.current.index(item_id) - position):
            view.up_button.click()
    assert view.current == target
    view.check_button.click()
    assert view.score == 1.0 and "✔ in place" in view.result.value


def test_reflection(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "reflection")
    view = workbook.exercise(ex.id)
    assert isinstance(view, ReflectionView)
    view.text.value = "   "
    assert view.check_button.disabled
    view.text.value = "Would Monday or Wednesday suit you for the start?"
    first_rubric = ex.rubric[0].id
    view.boxes[first_rubric].value = True
    view.check_button.click()
    assert "✎ Recorded" in view.result.value
    row = workbook.attempts()[-1]
    assert row.correct is None and row.answer["ticked"] == [first_rubric]


def test_html_in_content_is_shown_as_text(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "single-choice")
    evil = "<script>alert('x')</script><b>bold</b>"
    tampered = ex.model_copy(update={"title": ex.title.model_copy(update={"en": evil})})
    options = list(tampered.options)
    options[0] = options[0].model_copy(update={"why": options[0].why.model_copy(update={"en": evil})})
    tampered = tampered.model_copy(update={"options": tuple(options)})
    assert isinstance(tampered, SingleChoice)
    view = view_for(tampered, workbook.catalog, lambda e, a, s: grade(workbook.catalog, e, a))
    assert "<script>" not in view.header.value
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in view.header.value
    view.choice.value = options[0].id
    view.check()
    assert "<script>" not in view.result.value and "&lt;b&gt;bold&lt;/b&gt;" in view.result.value


def test_a_failed_save_keeps_the_answer(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "single-choice")

    def broken(exercise, answer, seconds):
        raise StoreError("practice.sqlite", "disk is full")

    view = view_for(ex, workbook.catalog, broken)
    view.choice.value = ex.answer
    view.check_button.click()
    assert "Not saved" in view.result.value and "disk is full" in view.result.value
    assert not view.answered and view.choice.value == ex.answer and not view.choice.disabled


def test_on_answered_callbacks(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "single-choice")
    view = workbook.exercise(ex.id)
    seen: list[float] = []

    def callback(v, fb):
        seen.append(fb.score)

    view.on_answered(callback)
    view.choice.value = ex.answer
    view.check()
    view.on_answered(callback, remove=True)
    view.retry()
    view.choice.value = ex.answer
    view.check()
    assert seen == [1.0]


def test_drill_runs_to_a_summary(workbook: Workbook) -> None:
    drill = workbook.drill(n=3, seed=1, kind="single-choice", title="Warm-up")
    assert isinstance(drill, DrillView)
    assert "1 / 3" in drill.progress_label.value and drill.next_button.disabled
    for step in range(3):
        view = drill.view
        ex = view.exercise
        view.choice.value = ex.answer if step != 1 else next(c.id for c in ex.options if c.id != ex.answer)
        view.check_button.click()
        assert not drill.next_button.disabled
        drill.next_button.click()
    assert drill.finished and drill.view is None
    assert "2 / 3 points" in drill.summary.value and "Worth another look" in drill.summary.value
    rows = workbook.attempts()
    assert len(rows) == 3 and {r.mode for r in rows} == {"drill"}


def test_drill_next_does_nothing_before_an_answer(workbook: Workbook) -> None:
    drill = workbook.drill(n=2, seed=1, kind="single-choice")
    drill.next()
    assert drill.position == 0


def test_empty_drill_says_so(workbook: Workbook) -> None:
    drill = workbook.drill(tag="no-such-tag")
    assert drill.finished and "No exercises match" in drill.summary.value


@pytest.mark.parametrize("kind", ["single-choice", "multi-select", "signal-id", "best-moment", "technique-match",
                                  "ordering", "reflection"])
def test_every_kind_has_a_keyboard_usable_view(workbook: Workbook, kind: str) -> None:
    view = workbook.exercise(first_of_kind(workbook.catalog, kind).id)
    focusable = (widgets.RadioButtons, widgets.Checkbox, widgets.ToggleButtons, widgets.Select, widgets.Textarea,
                 widgets.Button)
    leaves, stack = [], [view]
    while stack:
        w = stack.pop()
        children = getattr(w, "children", None)
        if children:
            stack.extend(children)
        elif isinstance(w, widgets.DOMWidget) and not isinstance(w, widgets.HTML | widgets.IntProgress | Assist):
            leaves.append(w)
    assert leaves and all(isinstance(w, focusable) for w in leaves), leaves
    assert all(w.description for w in leaves if isinstance(w, widgets.Button))


def test_name_form_remembers_the_name(workbook: Workbook) -> None:
    form = workbook.name_form()
    form.text.value = "  Grace   Hopper "
    form.save_button.click()
    assert form.saved == "Grace Hopper" and "Saved as" in form.status.value
    assert workbook.learner == "Grace Hopper" and remembered_learner(workbook.store) == "Grace Hopper"
    form.text.value = "   "
    form.save_button.click()
    assert "⚠" in form.status.value and workbook.learner == "Grace Hopper"


def test_weakest_drill_and_table(workbook: Workbook) -> None:
    assert workbook.weakest() == []
    assert workbook.practise_weakest().finished
    singles = [e for e in workbook.catalog.exercises if e.kind == "single-choice"][:3]
    for ex in singles:
        workbook.answer(ex.id, next(c.id for c in ex.options if c.id != ex.answer))
    workbook.answer(singles[0].id, singles[0].answer)
    weak = workbook.weakest()
    assert [w[0] for w in weak][-1] == singles[0].id and weak[-1][1:] == (0.5, 2)
    table = workbook.weakest_table().data
    assert html.escape(singles[1].title.en) in table and "50 %" in table
    drill = workbook.practise_weakest(n=2)
    assert len(drill.items) == 2 and {i.exercise.id for i in drill.items} <= {w[0] for w in weak}


def test_reflection_offers_the_coachs_hint_not_a_grade(workbook: Workbook) -> None:
    ex = first_of_kind(workbook.catalog, "reflection")
    view = workbook.exercise(ex.id)
    view.text.value = "Only today: sign now or the price goes up tomorrow. Shall I send the contract?"
    view.hint.show_hint()
    hint = view.hint.children[1].value
    assert "coach-hint" in hint and "<li>" in hint
    assert view.score is None and workbook.attempts() == []  # a hint records nothing and grades nothing


DOLLAR_BANK = """\
exercises:
  - id: ex.dollar.pick
    kind: single-choice
    title: "Which reply keeps the deal?"
    about: [technique.concession-close]
    prompt: "Ms Tang asks for the $450 price instead of $500."
    answer: b
    options:
      - {id: a, text: "Give her $450 at once", why: "Conceding all at once leaves nothing to trade."}
      - {id: b, text: "Offer $480 if she signs today", why: "A small step, tied to signing today."}
      - {id: c, text: "Say $500 is final", why: "Firm, but it drops the signal she gave."}
  - id: ex.dollar.tick
    kind: multi-select
    title: "What can you trade for $20 off?"
    about: [technique.concession-close]
    prompt: "Tick what you can fairly ask for in return."
    answer: [a, b]
    options:
      - {id: a, text: "The $450 price instead of $500 if she signs today", why: "A step tied to a yes."}
      - {id: b, text: "A year at $4,800 instead of a quarter at $1,300", why: "A bigger order earns the step."}
      - {id: c, text: "Nothing; $500 is $500", why: "Refusing every step loses her."}
"""


def test_dollar_signs_in_options_stay_dollar_signs(tmp_path) -> None:
    """Radio labels are plain text; checkbox labels (HTML) sit in the class MathJax leaves alone."""
    from playbook_lib.content import content_paths, load_catalog
    from playbook_lib.store import Store

    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "dollars.yaml").write_text(DOLLAR_BANK, encoding="utf-8")
    wb = Workbook(load_catalog(content_paths([folder])), Store(tmp_path / "p.sqlite"), learner="Ada")
    pick = wb.exercise("ex.dollar.pick")
    assert "Offer $480 if she signs today" in [label for label, _ in pick.choice.options]
    assert 'tex2jax_ignore">Ms Tang asks for the $450 price instead of $500.' in pick.header.value
    tick = wb.exercise("ex.dollar.tick")
    boxes = list(tick.boxes.values())
    assert all(box.description_allow_html for box in boxes)
    labels = [box.description for box in boxes]
    assert any('class="mathjax_ignore tex2jax_ignore">The $450 price instead of $500' in label for label in labels)
    wb.close()


def test_dollar_signs_in_an_imported_record_draw_as_text(tmp_path) -> None:
    """A record whose learner and answers hold $...$ imports and draws without being read as math."""
    import io

    from playbook_lib.exports import read_results, write_json
    from playbook_lib.store import Store
    from tests.test_charts import texts

    with Store(tmp_path / "a.sqlite") as store:
        from playbook_lib.content import load_catalog

        catalog = load_catalog()
        wb = Workbook(catalog, store, learner="Ada $\\nocommand$ $450")
        ex = next(e for e in catalog.exercises if e.kind == "single-choice")
        wb.answer(ex.id, ex.answer)
        out = io.StringIO()
        write_json(wb.attempts(), out)
    path = tmp_path / "results.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    attempts = read_results(path)
    assert attempts[0].learner == "Ada $\\nocommand$ $450"
    with Store(tmp_path / "b.sqlite") as other:
        assert other.add_attempts(attempts) == 1
        wb = Workbook(catalog, other, learner="Ada $\\nocommand$ $450")
        texts(wb.progress())  # mathtext would raise here
        assert wb.summary()._repr_html_() == (
            '<p><span class="mathjax_ignore tex2jax_ignore">Ada $\\nocommand$ $450: 1 answers, mean score 100 %.</span></p>')
