"""The call view: a branching role-play played like a chat, then replayed step by step.

The customer's lines appear one at a time (with what the rep sees, in italics, on a visit); the replies
are buttons that wrap. Choosing the reply that ends the call records the whole path as one attempt
(node, reply and seconds per step); the replay, the rubric score line by line and the ending's debrief
come from the engine's :class:`~playbook_lib.kinds.call.CallReplay`, and the best path is shown on request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from .._html import NO_MATH, VERDICT_COLOURS, esc, paragraphs
from ..content import Catalog
from ..engine import Feedback
from ..i18n import DEFAULT_LANG, html_lang, say, ui
from ..kinds.call import Call, CallNode, CallReplay, CallStep
from ._style import auto_button
from ._views import ExerciseView, Submit, register_view

SEEN_CHANNELS = (None, "visit", "video")  # where the rep can see the customer's gestures

CSS = """
.playbook-call .playbook-call-log { display: flex; flex-direction: column; gap: 0.5em; margin: 0.6em 0; }
.playbook-call .playbook-call-line { max-width: min(38em, 92%); padding: 0.45em 0.8em; border-radius: 0.8em;
  line-height: 1.45; overflow-wrap: anywhere; color: #1a1a1a; }
.playbook-call .playbook-call-line p { margin: 0.15em 0; }
.playbook-call .playbook-call-customer { align-self: flex-start; background: #eef2f7; border: 1px solid #b8c4d4; }
.playbook-call .playbook-call-rep { align-self: flex-end; background: #e5f1e7; border: 1px solid #a9cdb0; }
.playbook-call .playbook-call-who { display: block; font-size: 0.85em; font-weight: bold; }
.playbook-call .playbook-call-replies { gap: 0.4em; margin: 0.3em 0; }
.playbook-call .playbook-call-ask { margin: 0.3em 0 0.1em; font-weight: bold; }
.playbook-call button.playbook-call-reply { text-align: left; justify-content: flex-start; max-width: 100%; }
.playbook-call .playbook-call-steps > li { margin-bottom: 0.7em; }
.playbook-call .playbook-call-steps p { margin: 0.15em 0; }
.playbook-call .playbook-call-rubric { border-collapse: collapse; margin: 0.3em 0; }
.playbook-call .playbook-call-rubric td, .playbook-call .playbook-call-rubric th { text-align: left; padding: 0.15em 0.6em;
  vertical-align: top; }
.playbook-call .playbook-call-rubric .num { text-align: right; white-space: nowrap; }
@media (max-width: 600px) { .playbook-call .playbook-call-line { max-width: 100%; } }
"""


def _line(who: str, text: str, css: str, gesture: str = "") -> str:
    extra = f"<p><em>{esc(gesture)}</em></p>" if gesture else ""
    return (f'<div class="playbook-call-line {css} {NO_MATH}"><span class="playbook-call-who">{esc(who)}</span>'
            f"<p>{esc(text)}</p>{extra}</div>")


def customer_html(call: Call, node: CallNode, lang: str) -> str:
    """The customer's line at ``node`` as a chat bubble (with the gesture, in italics, where the rep can see it)."""
    seen = call.situation is None or call.situation.channel in SEEN_CHANNELS
    gesture = say(node.gesture, lang, tag=True) if seen and node.gesture else ""
    return _line(ui("call.customer", lang), say(node.customer, lang, tag=True), "playbook-call-customer", gesture)


def _points(step: CallStep, lines: dict[str, str], lang: str) -> str:
    if not step.points:
        return ui("call.no-points", lang)
    return "; ".join(ui("call.points", lang, points=n, line=lines.get(k, k)) for k, n in step.points)


def steps_html(steps: Sequence[CallStep], lines: dict[str, str], lang: str) -> str:
    """Each step: the customer's line, the reply chosen with its mark and points, and why."""
    out = [f'<ol class="playbook-call-steps {NO_MATH}">']
    colon = "：" if lang.startswith("zh") else ": "
    for step in steps:
        gesture = f" <em>{esc(step.gesture)}</em>" if step.gesture else ""
        mark = ui(f"call.mark.{step.mark}", lang)
        seconds = f" · {esc(ui('call.seconds', lang, seconds=round(step.seconds)))}" if step.seconds is not None else ""
        out.append(f"<li><p>{esc(ui('call.customer', lang))}{colon}{esc(step.customer)}{gesture}</p>"
                   f"<p>{esc(ui('call.you', lang))}{colon}<strong>{esc(step.text)}</strong></p>"
                   f"<p><strong>{esc(mark)}</strong> · {esc(_points(step, lines, lang))}{seconds}</p>"
                   f"<p><em>{esc(ui('call.why', lang))}</em> {esc(step.why)}</p></li>")
    out.append("</ol>")
    return "".join(out)


def replay_html(feedback: Feedback) -> str:
    """The verdict, the path replayed with each choice marked and explained, the rubric score and the debrief."""
    lang, shown = feedback.lang, feedback.detail
    assert isinstance(shown, CallReplay)
    lines = {row.id: row.text for row in shown.rubric}
    colour = VERDICT_COLOURS[feedback.verdict]
    score = esc(ui("feedback.score", lang, score=round(100 * feedback.score)))
    rows = "".join(f"<tr><td>{esc(row.text)}</td><td class='num'>"
                   f"{esc(ui('call.rubric-row', lang, earned=row.earned, points=row.points))}</td></tr>"
                   for row in shown.rubric)
    total = esc(ui("call.rubric-row", lang, earned=shown.earned, points=shown.total))
    out = [f'<div class="playbook-feedback playbook-call-replay {NO_MATH}" lang="{html_lang(lang)}">'
           f'<p class="playbook-verdict" style="font-size:1.1em;color:{colour}"><strong>{feedback.symbol} '
           f"{esc(feedback.verdict_text)}</strong> · {score}</p>",
           paragraphs(feedback.summary),
           f"<h4>{esc(ui('call.replay', lang))}</h4>", steps_html(shown.steps, lines, lang),
           f"<h4>{esc(ui('call.rubric', lang))}</h4><table class='playbook-call-rubric'><tbody>{rows}</tbody>"
           f"<tfoot><tr><th></th><th class='num'>{total}</th></tr></tfoot></table>",
           f"<h4>{esc(ui('call.ending', lang, outcome=ui(f'call.outcome.{shown.outcome}', lang)))}</h4>",
           paragraphs(shown.debrief)]
    if feedback.takeaway:
        out.append(f"<p><em>{esc(ui('feedback.takeaway', lang))}</em> {esc(feedback.takeaway)}</p>")
    out.append("</div>")
    return "".join(out)


def best_html(shown: CallReplay, lang: str) -> str:
    """The best path, each step marked and explained."""
    lines = {row.id: row.text for row in shown.rubric}
    heading = ui("call.best-heading", lang, outcome=ui(f"call.outcome.{shown.best_outcome}", lang),
                 percent=round(100 * shown.best_score))
    return (f'<div class="playbook-call-best {NO_MATH}" lang="{html_lang(lang)}"><h4>{esc(heading)}</h4>'
            f"{steps_html(shown.best, lines, lang)}</div>")


def recorded_html(feedback: Feedback) -> str:
    """A call graded from its record, on its own: the replay and the best path, with the view's style."""
    return (f'<div class="playbook-call"><style>{CSS}</style>{replay_html(feedback)}'
            f"{best_html(feedback.detail, feedback.lang)}</div>")


@register_view("call")
class CallView(ExerciseView):
    """A call played turn by turn: customer lines one at a time, replies as buttons, then the replay."""

    step = traitlets.Int(0, help="How many replies have been chosen.")
    node_id = traitlets.Unicode(None, allow_none=True, help="The node on show (None once the call has ended).")

    def __init__(self, exercise: Call, catalog: Catalog, submit: Submit, order: Sequence[str] | None = None,
                 clock: Callable[[], float] = time.monotonic, lang: str = DEFAULT_LANG) -> None:
        super().__init__(exercise, catalog, submit, order, clock, lang)
        self.check_button.layout.display = "none"  # every choice is final; the last one records the call
        self.retry_button.description = self.t("call.again")
        self.best_button = auto_button(self.t("call.best"), icon="map-signs", tooltip=self.t("call.best.tip"))
        self.best_button.add_class("playbook-call-best-button")
        self.best_button.layout.display = "none"
        self.best_button.on_click(lambda _: self.show_best_path())
        self.best = widgets.HTML("")
        style, assist, header = self.children[:3]
        self.children = [style, widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(display="none")), assist,
                         header, self.inputs, self.result, self.best_button, self.best, widgets.HBox([self.retry_button])]
        self.add_class("playbook-call")

    # -- ExerciseView's kind-specific parts --
    def _build_inputs(self) -> widgets.Widget:
        call: Call = self.exercise  # type: ignore[assignment]
        self._nodes = {node.id: node for node in call.nodes}
        self._endings = {ending.id for ending in call.endings}
        self._rank = {reply_id: i for i, reply_id in enumerate(self._order)}
        self.path: list[str] = []
        self.seconds: list[float] = []
        self._lines: list[str] = []
        self.chat = widgets.HTML("")
        self.ask = widgets.HTML(f'<p class="playbook-call-ask">{esc(self.t("call.choose"))}</p>')
        self.replies = widgets.VBox([], layout=widgets.Layout(width="100%"))
        self.replies.add_class("playbook-call-replies")
        self.buttons: dict[str, widgets.Button] = {}
        self._begin()
        return widgets.VBox([self.chat, self.ask, self.replies], layout=widgets.Layout(width="100%"))

    def current_answer(self) -> Any:
        """The path with seconds per step once the call has reached an ending, else ``None``."""
        if self.path and self.node_id is None:
            return {"path": list(self.path), "seconds": list(self.seconds)}
        return None

    def _set_disabled(self, disabled: bool) -> None:
        for button in self.buttons.values():
            button.disabled = disabled

    def _result_html(self, feedback: Feedback) -> str:
        return replay_html(feedback)

    # -- playing --
    def _begin(self) -> None:
        self.path, self.seconds, self._lines = [], [], []
        self._last = self._clock()
        self.step = 0
        self._show_node(self.exercise.start)  # type: ignore[attr-defined]

    def _show_node(self, node_id: str) -> None:
        node = self._nodes[node_id]
        self.node_id = node_id
        self._lines.append(customer_html(self.exercise, node, self.lang))  # type: ignore[arg-type]
        self.chat.value = f'<div class="playbook-call-log">{"".join(self._lines)}</div>'
        ordered = sorted(node.replies, key=lambda r: self._rank.get(r.id, 0))
        self.buttons = {}
        for reply in ordered:
            button = auto_button(say(reply.text, self.lang, tag=True))
            button.add_class("playbook-call-reply")
            button.on_click(lambda _, rid=reply.id: self.choose(rid))
            self.buttons[reply.id] = button
        self.replies.children = list(self.buttons.values())
        self.ask.layout.display = None

    def choose(self, reply_id: str) -> Feedback | None:
        """Say the reply ``reply_id`` at the node on show, as clicking its button does; at an ending, record the call."""
        if self.node_id is None or self.answered or reply_id not in self.buttons:
            raise ValueError(f"'{reply_id}' is not a reply on show now ({', '.join(self.buttons) or 'none'})")
        reply = next(r for r in self._nodes[self.node_id].replies if r.id == reply_id)
        now = self._clock()
        self.path.append(reply_id)
        self.seconds.append(round(now - self._last, 3))
        self._last = now
        self.step = len(self.path)
        self._lines.append(_line(self.t("call.you"), say(reply.text, self.lang, tag=True), "playbook-call-rep"))
        if reply.next in self._endings:
            self.node_id = None
            self.chat.value = f'<div class="playbook-call-log">{"".join(self._lines)}</div>'
            self.replies.children = []
            self.buttons = {}
            self.ask.layout.display = "none"
            feedback = self.check()
            if feedback is not None:
                self.best_button.layout.display = None
            return feedback
        self._show_node(reply.next)
        node = self._nodes[reply.next]
        colon = "：" if self.lang.startswith("zh") else ": "
        self.assist.say(f"{self.t('call.customer')}{colon}{say(node.customer, self.lang, tag=True)}")
        self.assist.move_focus("button.playbook-call-reply")
        return None

    def show_best_path(self) -> str:
        """Show the best path under the replay (after the call has ended); returns its HTML."""
        if self.feedback is None or not isinstance(self.feedback.detail, CallReplay):
            return ""
        self.best.value = best_html(self.feedback.detail, self.lang)
        self.best_button.layout.display = "none"
        self.assist.move_focus(".playbook-call-best h4")
        return self.best.value

    def retry(self) -> None:
        """Play the call again from the first line (the call played stays recorded)."""
        super().retry()
        self.best.value = ""
        self.best_button.layout.display = "none"
        self._begin()
        self.assist.move_focus("button.playbook-call-reply")

    def check(self) -> Feedback | None:
        """Record the call once it has ended; on a failed save, the last reply can be chosen again."""
        feedback = super().check()
        if feedback is None and self.node_id is None and self.path:  # not saved: step back to the last choice
            last = self.path.pop()
            self.seconds.pop()
            self._lines.pop()
            self.step = len(self.path)
            node = next(n for n in self._nodes.values() if any(r.id == last for r in n.replies))
            self._lines.pop()
            self._show_node(node.id)
            self.assist.move_focus("button.playbook-call-reply")
        return feedback
