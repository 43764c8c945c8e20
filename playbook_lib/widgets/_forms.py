"""Small forms: the learner's name, joining a workshop, and the participant app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import traitlets

from .._html import esc, plain
from ..errors import PlaybookError
from ..i18n import DEFAULT_LANG, LANG_NAMES, LANGS, html_lang, ui
from ._assist import LANGUAGE_OPTIONS, Assist
from ._style import STYLE, auto_button
from ._views import DrillView

START_PAGE = "00-start-here.ipynb"


class NameForm(widgets.HBox):
    """Type your name, pick your language and save; the workbook remembers both.

    ``lang`` is the language of the notebook the form is in (``page``, in that language's folder): once a learner
    saves another language, the form links to the same notebook in that language's folder.
    """

    saved = traitlets.Unicode("", help="The name last saved.")
    saved_lang = traitlets.Unicode("", help="The language last saved (en, zh-Hans or zh-Hant).")

    def __init__(self, current: str, save: Callable[[str], str], lang: str = DEFAULT_LANG,
                 save_lang: Callable[[str], str] | None = None, page: str = START_PAGE) -> None:
        self._save = save
        self._save_lang = save_lang
        self.lang = self.page_lang = lang
        self.page = page
        self.text = widgets.Text(value=current, placeholder=ui("form.name.placeholder", lang),
                                 description=ui("form.name", lang))
        self.language = widgets.Dropdown(options=[(LANG_NAMES[code], code) for code in LANGS], value=lang,
                                         description=ui("form.language", lang),
                                         layout=widgets.Layout(display=None if save_lang else "none"))
        self.save_button = auto_button(ui("button.save", lang), icon="save", button_style="primary")
        self.status = widgets.HTML(plain(ui("form.saved-as", lang, name=current)) if current else esc(ui("form.not-set", lang)))
        self.assist = Assist(lang=lang, host=".playbook-name", option_langs=LANGUAGE_OPTIONS)
        self.save_button.on_click(lambda _: self.save())
        super().__init__([STYLE(), self.assist, self.text, self.language, self.save_button, self.status])
        self.add_class("playbook-name")

    def save(self) -> None:
        """Save the typed name (and the language picked)."""
        try:
            name = self._save(self.text.value)
            if self._save_lang is not None:
                self.lang = self._save_lang(self.language.value)
                self.saved_lang = self.lang
        except PlaybookError as exc:
            self.status.value = f"<span role='alert'>⚠ {plain(exc)}</span>"
            return
        self.saved = name
        # in the language just picked, which may not be the form's
        self.status.value = (f"<span lang='{html_lang(self.lang)}'>✔ {plain(ui('form.welcome', self.lang, name=name))}"
                             f"{self._other_folder()}</span>")

    def _other_folder(self) -> str:
        """A line linking to this notebook in the chosen language's folder, when that is not this notebook's."""
        from ..notebooks import relative_link

        if self.lang == self.page_lang:
            return ""
        href = relative_link(self.page, self.lang, self.page_lang)
        text = ui("form.other-folder", self.lang, language=LANG_NAMES[self.lang])
        return f"<br><a href='{esc(href)}' class='playbook-other-folder'>→ {plain(text)}</a>"


class JoinForm(widgets.VBox):
    """Type the workshop code and your name, then Join."""

    joined = traitlets.Unicode("", help="The code of the workshop joined, once joined.")

    def __init__(self, name: str, join: Callable[[str, str], Any], lang: str = DEFAULT_LANG) -> None:
        self._join = join
        self.lang = lang
        self._callbacks = widgets.CallbackDispatcher()
        self.code = widgets.Text(placeholder=ui("join.code.placeholder", lang), description=ui("join.code", lang))
        self.name = widgets.Text(value=name, placeholder=ui("form.name.placeholder", lang), description=ui("form.name", lang))
        self.join_button = auto_button(ui("button.join", lang), icon="sign-in", button_style="primary")
        self.status = widgets.HTML("")
        self.assist = Assist(lang=lang, host=".playbook-join")
        self.join_button.on_click(lambda _: self.join())
        super().__init__([STYLE(), self.assist, widgets.HBox([self.code, self.name, self.join_button]), self.status])
        self.add_class("playbook-join")

    def on_joined(self, callback: Callable[[JoinForm], None], remove: bool = False) -> None:
        """Call ``callback(form)`` once the workshop is joined."""
        self._callbacks.register_callback(callback, remove=remove)

    def join(self) -> None:
        """Join with the code and name typed."""
        try:
            participant = self._join(self.code.value, self.name.value)
        except PlaybookError as exc:
            self.status.value = f"<p role='alert' style='color:#b71c1c'>⚠ {plain(exc)}</p>"
            self.assist.say(str(exc))
            self.assist.move_focus("input")
            return
        self.code.disabled = self.name.disabled = self.join_button.disabled = True
        self.status.value = f"<p>✔ {plain(ui('join.joined', self.lang, code=participant.code, name=participant.name))}</p>"
        self.joined = participant.code
        self._callbacks(self)


class WorkshopApp(widgets.VBox):
    """The participant app: join, then the session's drill, ending with your own score."""

    def __init__(self, form: JoinForm, make_drill: Callable[[], DrillView]) -> None:
        self.form = form
        self._make_drill = make_drill
        self.drill: DrillView | None = None
        form.on_joined(lambda _: self._start())
        self.assist = Assist(lang=form.lang, host=".playbook-workshop-app", page_lang=True,
                             cells_lang=html_lang(form.lang))  # the notebook's language: the drill's may differ
        # Hidden; the participant app's page shows it once the server has freed this page's kernel (idle too long).
        self.expired = widgets.HTML(self._expired_html(form.lang))
        super().__init__([self.assist, self.expired, form])
        self.add_class("playbook-workshop-app")

    @staticmethod
    def _expired_html(lang: str) -> str:
        return (f"<div class='playbook-expired' role='alert' lang='{html_lang(lang)}' hidden>"
                f"{esc(ui('app.expired', lang))}</div>")

    def _start(self) -> None:
        self.drill = self._make_drill()
        lang = self.drill.lang
        self.assist.lang = lang
        self.expired.value = self._expired_html(lang)
        self.children = [self.assist, self.expired, self.form, self.drill]
        done = len(self.drill.scores)
        if done:  # joined again: the drill continues where the record says
            total = len(self.drill.items)
            key = "join.resumed-done" if self.drill.finished else "join.resumed"
            message = ui(key, lang, name=" ".join(self.form.name.value.split()), done=done, total=total,
                         next=self.drill.position + 1)
            self.form.status.value = f"<p lang='{html_lang(lang)}'>✔ {plain(message)}</p>"
            self.assist.say(message)
        else:
            self.assist.say(ui("join.started", lang))
        self.assist.move_focus(".playbook-drill-summary h3" if self.drill.finished else ".playbook-view h3")
