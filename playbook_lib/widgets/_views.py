"""Exercise views, one per kind, and the drill view.

Views only collect answers and show feedback. Grading and saving happen in the ``submit``
callback they are given (the :class:`~playbook_lib.workbook.Workbook` passes its own ``answer``),
so a view computes nothing itself. Every text is shown in the view's language and wraps: long
options grow instead of running into their neighbours.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from .. import kinds
from .._html import NO_MATH, drill_summary, esc, feedback_html, header_html, plain
from ..content import Catalog
from ..engine import NOT_A_SIGNAL, DrillItem, Feedback, choice_order, label_of
from ..errors import PlaybookError
from ..feedback import numbered_line
from ..i18n import DEFAULT_LANG, ui
from ..models import ExerciseBase
from ._assist import Assist
from ._style import STYLE, auto_button

Submit = Callable[[ExerciseBase, Any, float], Feedback]
_FULL = widgets.Layout(width="auto")


class ExerciseView(widgets.VBox):
    """One exercise: read, answer, check, and see why."""

    answered = traitlets.Bool(False, help="True once the learner has checked an answer.")
    score = traitlets.Float(None, allow_none=True, help="Score of the last checked answer, 0 to 1.")

    def __init__(self, exercise: ExerciseBase, catalog: Catalog, submit: Submit,
                 order: Sequence[str] | None = None, clock: Callable[[], float] = time.monotonic,
                 lang: str = DEFAULT_LANG) -> None:
        self.exercise = exercise
        self.catalog = catalog
        self.lang = lang
        self.feedback: Feedback | None = None
        self._submit = submit
        self._clock = clock
        self._started = clock()
        self._callbacks = widgets.CallbackDispatcher()
        self._order = list(order or choice_order(exercise))
        self._labels = {c.id: label_of(catalog, exercise, c, lang) for c in exercise.choices}
        self.header = widgets.HTML(header_html(catalog, exercise, lang))
        self.check_button = auto_button(ui("button.check", lang), icon="check", button_style="primary",
                                        tooltip=ui("button.check.tip", lang), disabled=True)
        self.check_button.add_class("playbook-check")
        self.retry_button = auto_button(ui("button.retry", lang), icon="refresh")
        self.retry_button.add_class("playbook-retry")
        self.retry_button.layout.display = "none"
        self.result = widgets.HTML("")
        self.assist = Assist(lang=lang, host=".playbook-view")
        self.inputs = self._build_inputs()
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        super().__init__([STYLE(), self.assist, self.header, self.inputs,
                          widgets.HBox([self.check_button, self.retry_button]), self.result])
        self.add_class("playbook-view")
        self._refresh_check()

    def t(self, key: str, **values: Any) -> str:
        """An interface string in the view's language."""
        return ui(key, self.lang, **values)

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

    def _result_html(self, feedback: Feedback) -> str:
        """The feedback shown after checking."""
        return feedback_html(feedback)

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
            self.result.value = (f'<p role="alert" style="color:#b71c1c"><strong>⚠ {esc(self.t("save.failed"))}</strong> '
                                 f"{plain(exc)}</p><p>{esc(self.t('save.kept'))}</p>")
            self.assist.say(f"{self.t('save.failed')} {exc}")
            self.assist.move_focus("button.playbook-check")
            return None
        self.feedback = feedback
        self.result.value = self._result_html(feedback)
        self.assist.say(f"{feedback.symbol} {feedback.verdict_text}. {feedback.summary}".strip())
        self.assist.move_focus(".playbook-feedback")
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
        self.assist.move_focus("input, textarea")


def _checkbox(label: str) -> widgets.Checkbox:
    """A checkbox whose label wraps and is never read as math."""
    return widgets.Checkbox(description=plain(label), description_allow_html=True, value=False, indent=False,
                            layout=_FULL)


class MultiSelectView(ExerciseView):
    """Tick every option that applies."""

    def _build_inputs(self) -> widgets.Widget:
        self.boxes = {i: _checkbox(self._labels[i]) for i in self._order}
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
        self.step_one = widgets.RadioButtons(
            options=[(self.t("signal.yes"), "signal"), (self.t("signal.no"), NOT_A_SIGNAL)], value=None,
            description=self.t("signal.step1"), orientation="horizontal", layout=_FULL)
        self.step_two = widgets.RadioButtons(options=[(self._labels[i], i) for i in self._order], value=None,
                                             description=self.t("signal.step2"),
                                             layout=widgets.Layout(width="auto", display="none"))
        self.step_one.add_class("playbook-step")
        self.step_two.add_class("playbook-step")
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
        options = [(numbered_line(lines[i][0], lines[i][1], self.lang), i) for i in self._order]
        self._labels = {i: self.t("line.n", n=n) for i, (n, _) in lines.items()}
        self.choice = widgets.RadioButtons(options=options, value=None, layout=_FULL)
        self.choice.observe(self._refresh_check, names="value")
        return self.choice


class OrderingView(ExerciseView):
    """Move items up and down until they stand in the right order; each item wraps on its own row."""

    selected = traitlets.Unicode(None, allow_none=True, help="Id of the item the Move buttons act on.")

    def _build_inputs(self) -> widgets.Widget:
        self.current = list(self._order)
        self.picker = widgets.RadioButtons(options=[], value=None, description=self.t("order.pick"), layout=_FULL)
        self.picker.add_class("playbook-ordering")
        self.picker.observe(self._pick, names="value")
        self.up_button = auto_button(self.t("button.up"), icon="arrow-up")
        self.down_button = auto_button(self.t("button.down"), icon="arrow-down")
        self.up_button.on_click(lambda _: self.move(-1))
        self.down_button.on_click(lambda _: self.move(1))
        self._redraw()
        return widgets.VBox([self.picker, widgets.HBox([self.up_button, self.down_button])])

    def _redraw(self) -> None:
        keep = self.selected
        self.picker.unobserve(self._pick, names="value")
        self.picker.options = [(f"{n}. {self._labels[i]}", i) for n, i in enumerate(self.current, start=1)]
        self.picker.value = keep
        self.picker.observe(self._pick, names="value")

    def _pick(self, change: dict[str, Any]) -> None:
        self.selected = change["new"]

    def select(self, item_id: str) -> None:
        """Choose the item the Move buttons act on."""
        self.picker.value = item_id

    def move(self, step: int) -> None:
        """Move the chosen item up (-1) or down (+1)."""
        if self.selected is None or self.answered:
            return
        pos = self.current.index(self.selected)
        new = min(max(pos + step, 0), len(self.current) - 1)
        self.current.insert(new, self.current.pop(pos))
        self._redraw()

    def current_answer(self) -> Any:
        return list(self.current)

    def _set_disabled(self, disabled: bool) -> None:
        self.picker.disabled = self.up_button.disabled = self.down_button.disabled = disabled


class ReflectionView(ExerciseView):
    """Write an answer, tick the rubric, see a model answer."""

    def _build_inputs(self) -> widgets.Widget:
        self.text = widgets.Textarea(placeholder=self.t("reflection.placeholder"),
                                     layout=widgets.Layout(width="100%", height="6em"))
        self.boxes = {i: _checkbox(self._labels[i]) for i in self._order}
        self.text.observe(self._refresh_check, names="value")
        from ..coach.hint import hint_panel

        rubric = widgets.HTML(f"<p>{esc(self.t('reflection.tick'))}</p>")
        self.hint = hint_panel(self.text, self.catalog, self.lang)  # a hint beside the rubric, never a grade
        return widgets.VBox([self.text, rubric, *self.boxes.values(), self.hint])

    def current_answer(self) -> Any:
        if not self.text.value.strip():
            return None
        return {"text": self.text.value.strip(), "ticked": [i for i, box in self.boxes.items() if box.value]}

    def _set_disabled(self, disabled: bool) -> None:
        self.text.disabled = disabled
        for box in self.boxes.values():
            box.disabled = disabled


VIEWS: dict[str, type[ExerciseView]] = {}
"""The view of each exercise kind, by kind name (see :func:`register_view`)."""


def register_view(*names: str) -> Callable[[type[ExerciseView]], type[ExerciseView]]:
    """Register a view class for the exercise kinds ``names`` (the widget side of :mod:`playbook_lib.kinds`)."""
    def add(view: type[ExerciseView]) -> type[ExerciseView]:
        for name in names:
            kinds.get(name)  # a view for a kind that does not exist is a mistake
            VIEWS[name] = view
        return view
    return add


register_view("single-choice", "technique-match")(ExerciseView)
register_view("multi-select")(MultiSelectView)
register_view("signal-id")(SignalView)
register_view("best-moment")(BestMomentView)
register_view("ordering")(OrderingView)
register_view("reflection")(ReflectionView)


def view_for(exercise: ExerciseBase, catalog: Catalog, submit: Submit, order: Sequence[str] | None = None,
             clock: Callable[[], float] = time.monotonic, lang: str = DEFAULT_LANG) -> ExerciseView:
    """The view registered for the exercise's kind."""
    view = VIEWS.get(exercise.kind, ExerciseView)  # type: ignore[attr-defined]
    return view(exercise, catalog, submit, order, clock, lang)


class DrillView(widgets.VBox):
    """A run of exercises with progress, Next, and an end summary."""

    position = traitlets.Int(0, help="Index of the exercise on show (equals the length when finished).")
    finished = traitlets.Bool(False, help="True once the summary is on show.")

    def __init__(self, items: Sequence[DrillItem], catalog: Catalog, submit: Submit, title: str = "",
                 clock: Callable[[], float] = time.monotonic, lang: str = DEFAULT_LANG, empty: str = "") -> None:
        self.items = tuple(items)
        self.catalog = catalog
        self.lang = lang
        self.title = title or ui("drill.title", lang)
        self.empty = empty or ui("drill.empty", lang)
        self.scores: dict[int, float] = {}
        self._submit = submit
        self._clock = clock
        self.progress_label = widgets.HTML()
        self.bar = widgets.IntProgress(value=0, min=0, max=max(len(self.items), 1), layout=widgets.Layout(width="12em"))
        self.next_button = auto_button(ui("button.next", lang), icon="arrow-right", disabled=True,
                                       tooltip=ui("button.next.tip", lang))
        self.next_button.add_class("playbook-next")
        self.next_button.on_click(lambda _: self.next())
        self.body = widgets.VBox()
        self.summary = widgets.HTML()
        self.view: ExerciseView | None = None
        self.assist = Assist(lang=lang, host=".playbook-drill")
        super().__init__([STYLE(), self.assist, widgets.HBox([self.progress_label, self.bar]), self.body, self.next_button,
                          self.summary])
        self.add_class("playbook-drill")
        self._show()

    def _heading(self, where: str = "") -> str:
        """The drill's title and where the learner is, as a heading one level above the exercises' (h3)."""
        return f'<h2 class="playbook-drill-title {NO_MATH}">{esc(self.title)}{" · " + esc(where) if where else ""}&nbsp;</h2>'

    def _show(self) -> None:
        if not self.items:
            self.progress_label.value = self._heading()
            self.summary.value = f"<p>{esc(self.empty)}</p>"
            self.next_button.layout.display = "none"
            self.finished = True
            return
        if self.position >= len(self.items):
            self._finish()
            return
        item = self.items[self.position]
        self.view = view_for(item.exercise, self.catalog, self._submit, item.order, self._clock, self.lang)
        self.view.on_answered(self._answered)
        self.body.children = [self.view]
        self.progress_label.value = self._heading(ui("drill.progress", self.lang, n=self.position + 1, total=len(self.items)))
        self.bar.value = self.position
        self.next_button.disabled = True
        self.next_button.button_style = ""
        last = self.position == len(self.items) - 1
        self.next_button.description = ui("button.finish" if last else "button.next", self.lang)

    def resume(self, scores: Mapping[str, float]) -> None:
        """Continue a drill begun earlier: ``scores`` maps each exercise already answered to its first score; the
        drill moves to the first item not answered (or to the summary), and those scores count in it."""
        self.scores = {i: float(scores[item.exercise.id]) for i, item in enumerate(self.items) if item.exercise.id in scores}
        self.position = next((i for i in range(len(self.items)) if i not in self.scores), len(self.items))
        self.finished = False
        self._show()

    def _answered(self, view: ExerciseView, feedback: Feedback) -> None:
        self.scores.setdefault(self.position, feedback.score)
        self.next_button.disabled = False
        self.next_button.button_style = "primary"
        self.assist.move_focus("button.playbook-next")

    def next(self) -> None:
        """Go to the next exercise, or to the summary after the last one."""
        if self.finished or self.position not in self.scores:
            return
        self.position += 1
        self._show()
        self.assist.move_focus(".playbook-view h3" if not self.finished else ".playbook-drill-summary h3")

    def _finish(self) -> None:
        self.finished = True
        self.body.children = []
        self.view = None
        self.bar.value = len(self.items)
        self.next_button.layout.display = "none"
        self.progress_label.value = self._heading(ui("drill.done", self.lang))
        done, self.summary.value = drill_summary([(item.exercise, self.scores.get(i)) for i, item in enumerate(self.items)],
                                                 self.lang)
        self.assist.say(done)
