"""The "Coach my call" widget: paste or upload a transcript, Analyse, read the call with its signals and
missed moments, start a drill on the signal kinds let pass, and save the report only if you choose to.

The view computes nothing itself: the workbook gives it ``analyse``, ``drill`` and ``save`` callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .._html import esc
from ..errors import PlaybookError
from ..i18n import ui
from ..widgets._assist import Assist
from ..widgets._style import STYLE, auto_button
from .analysis import Report
from .report import report_html, report_summary

Analyse = Callable[[str, str | None], Report]


def _uploaded_text(upload: widgets.FileUpload) -> str:
    """The text of the last uploaded file (ipywidgets 8: a tuple of dicts with ``content``)."""
    files = list(upload.value)
    if not files:
        return ""
    return bytes(files[-1]["content"]).decode("utf-8-sig", errors="replace")


class CoachView(widgets.VBox):
    """Paste or upload, Analyse, read; then drill the signals you missed, or save the report."""

    def __init__(self, analyse: Analyse, drill: Callable[[str], Any], save: Callable[[Report], Path],
                 lang: str = "en") -> None:
        self.lang = lang
        self.report: Report | None = None
        self._analyse, self._drill, self._save = analyse, drill, save
        self.text = widgets.Textarea(description=ui("coach.transcript", lang), placeholder=ui("coach.placeholder", lang),
                                     rows=10, layout=widgets.Layout(width="100%"))
        self.text.add_class("playbook-coach-text")
        self.upload = widgets.FileUpload(accept=".txt,.srt,.vtt", multiple=False, description=ui("coach.upload", lang),
                                         layout=widgets.Layout(width="auto"))
        self.upload.add_class("playbook-button")
        self.customer = widgets.Text(placeholder=ui("coach.customer-hint", lang), description=ui("coach.customer-name", lang),
                                     style={"description_width": "initial"})
        self.customer.add_class("playbook-coach-customer")
        self.analyse_button = auto_button(ui("coach.analyse", lang), button_style="primary", icon="search",
                                          tooltip=ui("coach.analyse.tip", lang))
        self.analyse_button.add_class("playbook-coach-analyse")
        self.save_button = auto_button(ui("coach.save", lang), icon="save", disabled=True)
        self.result = widgets.HTML("")
        self.result.add_class("playbook-coach-result")
        self.drills = widgets.VBox([])
        self.drill_area = widgets.VBox([])
        self.drill_area.add_class("playbook-coach-drill")
        self.assist = Assist(lang=lang, host=".playbook-coach")
        self.upload.observe(self._uploaded, names="value")
        self.analyse_button.on_click(lambda _: self.analyse())
        self.save_button.on_click(lambda _: self.save())
        intro = widgets.HTML(f"<p>{esc(ui('coach.paste', lang))}</p><p><em>{esc(ui('coach.private', lang))}</em></p>")
        super().__init__([STYLE(), self.assist, intro, self.text, widgets.HBox([self.upload, self.customer]),
                          widgets.HBox([self.analyse_button, self.save_button]), self.result, self.drills,
                          self.drill_area])
        self.add_class("playbook-coach")

    def _uploaded(self, _change: object = None) -> None:
        text = _uploaded_text(self.upload)
        if text:
            self.text.value = text

    def analyse(self) -> Report | None:
        """Analyse what is in the text box, as clicking Analyse does."""
        source = self.text.value
        if not source.strip():
            self.result.value = f"<p>{esc(ui('coach.empty', self.lang))}</p>"
            self.assist.say(ui("coach.empty", self.lang))
            return None
        self.result.value = f"<p>{esc(ui('coach.working', self.lang))}</p>"
        try:
            self.report = self._analyse(source, self.customer.value.strip() or None)
        except PlaybookError as exc:
            self.result.value = f'<p role="alert">{esc(ui("coach.error", self.lang, error=exc))}</p>'
            self.assist.say(ui("coach.error", self.lang, error=exc))
            self.report = None
            self.save_button.disabled = True
            self.drills.children = ()
            return None
        self.result.value = report_html(self.report)
        self.save_button.disabled = False
        self._offer_drills(self.report)
        self.assist.say(report_summary(self.report))
        self.assist.move_focus(".coach-call")
        return self.report

    def _offer_drills(self, report: Report) -> None:
        buttons: list[widgets.Widget] = []
        for kind in report.missed_kinds:
            button = auto_button(ui("coach.drill-kind", self.lang, kind=report.names.get(kind, kind)),
                                 icon="graduation-cap")
            button.on_click(lambda _, k=kind: self.start_drill(k))
            buttons.append(button)
        head = [widgets.HTML(f"<p><strong>{esc(ui('coach.practise', self.lang))}</strong></p>")] if buttons else []
        self.drills.children = tuple(head + ([widgets.HBox(buttons)] if buttons else []))

    def start_drill(self, kind: str) -> Any:
        """Start a drill on one signal kind (what a drill button does)."""
        view = self._drill(kind)
        self.drill_area.children = (view,)
        return view

    def save(self) -> Path | None:
        """Save the report (HTML) where the workbook says, as clicking Save does."""
        if self.report is None:
            return None
        path = self._save(self.report)
        saved = ui("coach.saved", self.lang, path=path)
        self.result.value += f"<p>{esc(saved)}</p>"
        self.assist.say(saved)
        return path
