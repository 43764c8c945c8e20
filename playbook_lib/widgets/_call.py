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

from .._call_html import CSS, best_html, customer_html, line_html, replay_html
from .._html import esc
from ..content import Catalog
from ..engine import Feedback
from ..i18n import DEFAULT_LANG, say
from ..kinds.call import Call, CallReplay
from ._style import auto_button
from ._views import ExerciseView, Submit, register_view


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
        self._lines.append(line_html(self.t("call.you"), say(reply.text, self.lang, tag=True), "playbook-call-rep"))
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
