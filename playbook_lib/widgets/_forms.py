"""Small forms: the learner's name, joining a workshop, and the participant app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import traitlets

from .._html import esc
from ..errors import PlaybookError
from ._views import DrillView


class NameForm(widgets.HBox):
    """Type your name and save it; the workbook remembers it."""

    saved = traitlets.Unicode("", help="The name last saved.")

    def __init__(self, current: str, save: Callable[[str], str]) -> None:
        self._save = save
        self.text = widgets.Text(value=current, placeholder="Your name", description="Name")
        self.save_button = widgets.Button(description="Save", icon="save", button_style="primary")
        self.status = widgets.HTML(f"Saved as <strong>{esc(current)}</strong>." if current else "Not set yet.")
        self.save_button.on_click(lambda _: self.save())
        super().__init__([self.text, self.save_button, self.status])

    def save(self) -> None:
        """Save the typed name."""
        try:
            name = self._save(self.text.value)
        except PlaybookError as exc:
            self.status.value = f"<span role='alert'>⚠ {esc(exc)}</span>"
            return
        self.saved = name
        self.status.value = f"✔ Saved as <strong>{esc(name)}</strong>. Welcome!"


class JoinForm(widgets.VBox):
    """Type the workshop code and your name, then Join."""

    joined = traitlets.Unicode("", help="The code of the workshop joined, once joined.")

    def __init__(self, name: str, join: Callable[[str, str], Any]) -> None:
        self._join = join
        self._callbacks = widgets.CallbackDispatcher()
        self.code = widgets.Text(placeholder="e.g. K7Q2MX", description="Code")
        self.name = widgets.Text(value=name, placeholder="Your name", description="Name")
        self.join_button = widgets.Button(description="Join", icon="sign-in", button_style="primary")
        self.status = widgets.HTML("")
        self.join_button.on_click(lambda _: self.join())
        super().__init__([widgets.HBox([self.code, self.name, self.join_button]), self.status])
        self.add_class("playbook-join")

    def on_joined(self, callback: Callable[[JoinForm], None], remove: bool = False) -> None:
        """Call ``callback(form)`` once the workshop is joined."""
        self._callbacks.register_callback(callback, remove=remove)

    def join(self) -> None:
        """Join with the code and name typed."""
        try:
            participant = self._join(self.code.value, self.name.value)
        except PlaybookError as exc:
            self.status.value = f"<p role='alert' style='color:#b71c1c'>⚠ {esc(exc)}</p>"
            return
        self.code.disabled = self.name.disabled = self.join_button.disabled = True
        self.status.value = (f"<p>✔ Joined workshop <strong>{esc(participant.code)}</strong> as "
                             f"<strong>{esc(participant.name)}</strong>.</p>")
        self.joined = participant.code
        self._callbacks(self)


class WorkshopApp(widgets.VBox):
    """The participant app: join, then the session's drill, ending with your own score."""

    def __init__(self, form: JoinForm, make_drill: Callable[[], DrillView]) -> None:
        self.form = form
        self._make_drill = make_drill
        self.drill: DrillView | None = None
        form.on_joined(lambda _: self._start())
        super().__init__([form])
        self.add_class("playbook-workshop-app")

    def _start(self) -> None:
        self.drill = self._make_drill()
        self.children = [self.form, self.drill]
