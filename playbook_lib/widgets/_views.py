"""Exercise views, one per kind, and the drill view.

Views only collect answers and show feedback. Grading and saving happen in the ``submit``
callback they are given (the :class:`~playbook_lib.workbook.Workbook` passes its own ``answer``),
so a view computes nothing itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from .._html import bullets, esc, feedback_html, paragraphs
from ..content import Catalog
from ..engine import NOT_A_SIGNAL, DrillItem, Feedback, choice_order, label_of
from ..errors import PlaybookError
from ..models import BestMoment, ExerciseBase, MultiSelect, Ordering, Reflection, SignalId

Submit = Callable[[ExerciseBase, Any, float], Feedback]
CHANNEL_WORDS = {"phone": "by phone", "visit": "face to face", "chat": "by chat", "email": "by email", "video": "on a video call"}
KIND_WORDS = {
    "single-choice": "Pick one",
    "multi-select": "Pick all that apply",
    "signal-id": "Is it a buying signal? If so, which kind?",
    "best-moment": "After which line should the rep ask for the order?",
    "technique-match": "Which closing method fits best?",
    "ordering": "Put these in order: select an item, then move it",
    "reflection": "Write your answer, then tick what it does",
}
_FULL = widgets.Layout(width="auto")


def header_html(catalog: Catalog, exercise: ExerciseBase) -> str:
    """The exercise's title, situation and prompt, escaped."""
    out = [f'<div class="playbook-exercise"><h4 style="margin:0.2em 0">{esc(exercise.title)}</h4>']
    situation = exercise.situation
    if situation is not None:
        bits = [str(b) for b in (situation.customer, situation.trade) if b is not None]
        if situation.channel:
            bits.append(CHANNEL_WORDS[situation.channel])
        if bits:
            out.append(f'<p style="color:#444">{esc(" · ".join(bits))}</p>')
        if situation.context is not None:
            out.append(paragraphs(situation.context))
    out.append(f'<blockquote style="margin:0.4em 0">{paragraphs(exercise.prompt)}</blockquote>')
    out.append(f"<p><em>{esc(KIND_WORDS[exercise.kind])}</em></p></div>")  # type: ignore[attr-defined]
    return "".join(out)


class ExerciseView(widgets.VBox):
    """One exercise: read, answer, check, and see why."""

    answered = traitlets.Bool(False, help="True once the learner has checked an answer.")
    score = traitlets.Float(None, allow_none=True, help="Score of the last checked answer, 0 to 1.")

    def __init__(self, exercise: ExerciseBase, catalog: Catalog, submit: Submit,
                 order: Sequence[str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.exercise = exercise
        self.catalog = catalog
        self.feedback: Feedback | None = None
        self._submit = submit
        self._clock = clock
        self._started = clock()
        self._callbacks = widgets.CallbackDispatcher()
        self._order = list(order or choice_order(exercise))
        self._labels = {c.id: label_of(catalog, exercise, c) for c in exercise.choices}
        self.header = widgets.HTML(header_html(catalog, exercise))
        self.check_button = widgets.Button(description="Check", button_style="primary", disabled=True,
                                           tooltip="Check your answer", icon="check")
        self.retry_button = widgets.Button(description="Try again", icon="refresh",
                                           layout=widgets.Layout(display="none"))
        self.result = widgets.HTML("")
        self.inputs = self._build_inputs()
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        super().__init__([self.header, self.inputs, widgets.HBox([self.check_button, self.retry_button]), self.result])
        self.add_class("playbook-view")
        self._refresh_check()

    # -- kind-specific parts (overridden) --
    def _build_inputs(self) -> widgets.Widget:
        self.choice = widgets.RadioButtons(options=[(self._labels[i], i) for i in self._order], value=None,
                                           layout=_FULL)
        self.choice.observe(self._refresh_check, names="value")
        return self.choice

    def current_answer(self) -> Any:
        """The answer as the engine expects it, or ``None`` while incomplete."""
        return self.choice.value

    def _set_disabled(self, disabled: bool) -> None:
        self.choice.disabled = disabled

    # -- shared behaviour --
    def _refresh_check(self, _change: object = None) -> None:
        self.check_button.disabled = self.answered or self.current_answer() is None

    def on_answered(self, callback: Callable[[ExerciseView, Feedback], None], remove: bool = False) -> None:
        """Call ``callback(view, feedback)`` after each checked answer (or stop, with ``remove=True``)."""
        self._callbacks.register_callback(callback, remove=remove)

    def check(self) -> Feedback | None:
        """Grade and record the current answer, as clicking Check does; ``None`` if incomplete or failed."""
        answer = self.current_answer()
        if answer is None or self.answered:
            return None
        seconds = round(self._clock() - self._started, 3)
        try:
            feedback = self._submit(self.exercise, answer, seconds)
        except PlaybookError as exc:
            self.result.value = (f'<p role="alert" style="color:#b71c1c"><strong>⚠ Not saved:</strong> {esc(exc)}</p>'
                                 "<p>Your answer is still here; try Check again.</p>")
            return None
        self.feedback = feedback
        self.result.value = feedback_html(feedback)
        self._set_disabled(True)
        self.answered = True
        self.score = feedback.score
        self.check_button.disabled = True
        self.retry_button.layout.display = None
        self._callbacks(self, feedback)
        return feedback

    def retry(self) -> None:
        """Clear the feedback and let the learner answer again (the earlier answer stays recorded)."""
        self.answered = False
        self.result.value = ""
        self.retry_button.layout.display = "none"
        self._set_disabled(False)
        self._started = self._clock()
        self._refresh_check()


class MultiSelectView(ExerciseView):
    """Tick every option that applies."""

    def _build_inputs(self) -> widgets.Widget:
        self.boxes = {i: widgets.Checkbox(description=self._labels[i], value=False, indent=False, layout=_FULL)
                      for i in self._order}
        for box in self.boxes.values():
            box.observe(self._refresh_check, names="value")
        return widgets.VBox(list(self.boxes.values()))

    def current_answer(self) -> Any:
        picked = [i for i, box in self.boxes.items() if box.value]
        return picked or None

    def _set_disabled(self, disabled: bool) -> None:
        for box in self.boxes.values():
            box.disabled = disabled


class SignalView(ExerciseView):
    """Step one: signal or not; step two: which kind."""

    def _build_inputs(self) -> widgets.Widget:
        self.step_one = widgets.ToggleButtons(options=[("Buying signal", "signal"), ("Not a signal", NOT_A_SIGNAL)],
                                              value=None, description="Step 1", tooltips=[
                                                  "The customer shows intent to buy", "A stall, an objection or small talk"])
        self.step_two = widgets.RadioButtons(options=[(self._labels[i], i) for i in self._order], value=None,
                                             description="Step 2", layout=widgets.Layout(width="auto", display="none"))
        self.step_one.observe(self._show_step_two, names="value")
        self.step_two.observe(self._refresh_check, names="value")
        return widgets.VBox([self.step_one, self.step_two])

    def _show_step_two(self, change: dict[str, Any]) -> None:
        self.step_two.layout.display = None if change["new"] == "signal" else "none"
        self._refresh_check()

    def current_answer(self) -> Any:
        if self.step_one.value == NOT_A_SIGNAL:
            return {"signal": False}
        if self.step_one.value == "signal" and self.step_two.value is not None:
            return {"signal": True, "kind": self.step_two.value}
        return None

    def _set_disabled(self, disabled: bool) -> None:
        self.step_one.disabled = self.step_two.disabled = disabled


class BestMomentView(ExerciseView):
    """Pick the line after which to ask."""

    def _build_inputs(self) -> widgets.Widget:
        lines = {line.id: (n, line) for n, line in enumerate(self.exercise.choices, start=1)}
        options = [(f"{lines[i][0]}. {lines[i][1].speaker.capitalize()}: {lines[i][1].text.en}", i) for i in self._order]
        self._labels = {i: f"Line {n}" for i, (n, _) in lines.items()}
        self.choice = widgets.RadioButtons(options=options, value=None, layout=_FULL)
        self.choice.observe(self._refresh_check, names="value")
        return self.choice


class OrderingView(ExerciseView):
    """Move items up and down until they stand in the right order."""

    def _build_inputs(self) -> widgets.Widget:
        self.current = list(self._order)
        self.listbox = widgets.Select(options=self._listbox_options(), rows=len(self.current), layout=_FULL)
        self.up_button = widgets.Button(description="Move up", icon="arrow-up")
        self.down_button = widgets.Button(description="Move down", icon="arrow-down")
        self.up_button.on_click(lambda _: self.move(-1))
        self.down_button.on_click(lambda _: self.move(1))
        return widgets.VBox([self.listbox, widgets.HBox([self.up_button, self.down_button])])

    def _listbox_options(self) -> list[tuple[str, str]]:
        return [(f"{n}. {self._labels[i]}", i) for n, i in enumerate(self.current, start=1)]

    def move(self, step: int) -> None:
        """Move the selected item up (-1) or down (+1)."""
        selected = self.listbox.value
        if selected is None or self.answered:
            return
        pos = self.current.index(selected)
        new = min(max(pos + step, 0), len(self.current) - 1)
        self.current.insert(new, self.current.pop(pos))
        self.listbox.options = self._listbox_options()
        self.listbox.value = selected

    def current_answer(self) -> Any:
        return list(self.current)

    def _set_disabled(self, disabled: bool) -> None:
        self.listbox.disabled = self.up_button.disabled = self.down_button.disabled = disabled


class ReflectionView(ExerciseView):
    """Write an answer, tick the rubric, see a model answer."""

    def _build_inputs(self) -> widgets.Widget:
        self.text = widgets.Textarea(placeholder="Write your answer here", layout=widgets.Layout(width="100%", height="6em"))
        self.boxes = {i: widgets.Checkbox(description=self._labels[i], value=False, indent=False, layout=_FULL)
                      for i in self._order}
        self.text.observe(self._refresh_check, names="value")
        rubric = widgets.HTML("<p>Then tick each point your answer meets:</p>")
        return widgets.VBox([self.text, rubric, *self.boxes.values()])

    def current_answer(self) -> Any:
        if not self.text.value.strip():
            return None
        return {"text": self.text.value.strip(), "ticked": [i for i, box in self.boxes.items() if box.value]}

    def _set_disabled(self, disabled: bool) -> None:
        self.text.disabled = disabled
        for box in self.boxes.values():
            box.disabled = disabled


VIEWS: dict[type, type[ExerciseView]] = {
    MultiSelect: MultiSelectView,
    SignalId: SignalView,
    BestMoment: BestMomentView,
    Ordering: OrderingView,
    Reflection: ReflectionView,
}


def view_for(exercise: ExerciseBase, catalog: Catalog, submit: Submit, order: Sequence[str] | None = None,
             clock: Callable[[], float] = time.monotonic) -> ExerciseView:
    """The view that fits the exercise's kind."""
    return VIEWS.get(type(exercise), ExerciseView)(exercise, catalog, submit, order, clock)


class DrillView(widgets.VBox):
    """A run of exercises with progress, Next, and an end summary."""

    position = traitlets.Int(0, help="Index of the exercise on show (equals the length when finished).")
    finished = traitlets.Bool(False, help="True once the summary is on show.")

    def __init__(self, items: Sequence[DrillItem], catalog: Catalog, submit: Submit, title: str = "Drill",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.items = tuple(items)
        self.catalog = catalog
        self.title = title
        self.scores: dict[int, float] = {}
        self._submit = submit
        self._clock = clock
        self.progress_label = widgets.HTML()
        self.bar = widgets.IntProgress(value=0, min=0, max=max(len(self.items), 1), layout=widgets.Layout(width="12em"))
        self.next_button = widgets.Button(description="Next", icon="arrow-right", disabled=True,
                                          tooltip="Go to the next exercise")
        self.next_button.on_click(lambda _: self.next())
        self.body = widgets.VBox()
        self.summary = widgets.HTML()
        self.view: ExerciseView | None = None
        super().__init__([widgets.HBox([self.progress_label, self.bar]), self.body, self.next_button, self.summary])
        self.add_class("playbook-drill")
        self._show()

    def _show(self) -> None:
        if not self.items:
            self.progress_label.value = f"<strong>{esc(self.title)}</strong>"
            self.summary.value = "<p>No exercises match this drill. Try fewer filters.</p>"
            self.next_button.layout.display = "none"
            self.finished = True
            return
        if self.position >= len(self.items):
            self._finish()
            return
        item = self.items[self.position]
        self.view = view_for(item.exercise, self.catalog, self._submit, item.order, self._clock)
        self.view.on_answered(self._answered)
        self.body.children = [self.view]
        self.progress_label.value = f"<strong>{esc(self.title)}</strong> · {self.position + 1} / {len(self.items)}&nbsp;"
        self.bar.value = self.position
        self.next_button.disabled = True
        self.next_button.button_style = ""
        self.next_button.description = "Finish" if self.position == len(self.items) - 1 else "Next"

    def _answered(self, view: ExerciseView, feedback: Feedback) -> None:
        self.scores.setdefault(self.position, feedback.score)
        self.next_button.disabled = False
        self.next_button.button_style = "primary"

    def next(self) -> None:
        """Go to the next exercise, or to the summary after the last one."""
        if self.finished or self.position not in self.scores:
            return
        self.position += 1
        self._show()

    def _finish(self) -> None:
        self.finished = True
        self.body.children = []
        self.view = None
        self.bar.value = len(self.items)
        self.next_button.layout.display = "none"
        total = sum(self.scores.values())
        revisit = [self.items[i].exercise for i, s in self.scores.items() if s < 1]
        self.progress_label.value = f"<strong>{esc(self.title)}</strong> · done&nbsp;"
        lines = [f"<h4>✔ Drill complete: {total:g} / {len(self.items)} points ({round(100 * total / len(self.items))} %)</h4>"]
        if revisit:
            lines.append("<p>Worth another look:</p>" + bullets(f"{ex.title} ({ex.id})" for ex in revisit))
        else:
            lines.append("<p>Nothing to revisit. Well done.</p>")
        self.summary.value = "".join(lines)
