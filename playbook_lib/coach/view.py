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
from .analysis import Report
from .report import report_html

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
        self.text = widgets.Textarea(placeholder=ui("coach.placeholder", lang),
                                     layout=widgets.Layout(width="100%", height="12em"))
        self.upload = widgets.FileUpload(accept=".txt,.srt,.vtt", multiple=False, description=ui("coach.upload", lang))
        self.customer = widgets.Text(placeholder=ui("coach.customer-hint", lang), description=ui("coach.customer-name", lang),
                                     style={"description_width": "initial"})
        self.analyse_button = widgets.Button(description=ui("coach.analyse", lang), button_style="primary",
                                             icon="search", tooltip=ui("coach.analyse.tip", lang),
                                             layout=widgets.Layout(width="auto"))
        self.save_button = widgets.Button(description=ui("coach.save", lang), icon="save", disabled=True,
                                          layout=widgets.Layout(width="auto"))
        self.result = widgets.HTML("")
        self.drills = widgets.VBox([])
        self.drill_area = widgets.VBox([])
        self.upload.observe(self._uploaded, names="value")
        self.analyse_button.on_click(lambda _: self.analyse())
        self.save_button.on_click(lambda _: self.save())
        intro = widgets.HTML(f"<p>{esc(ui('coach.paste', lang))}</p><p><em>{esc(ui('coach.private', lang))}</em></p>")
        super().__init__([intro, self.text, widgets.HBox([self.upload, self.customer]),
                          widgets.HBox([self.analyse_button, self.save_button]), self.result, self.drills,
                          self.drill_area])

    def _uploaded(self, _change: object = None) -> None:
        text = _uploaded_text(self.upload)
        if text:
            self.text.value = text

    def analyse(self) -> Report | None:
        """Analyse what is in the text box, as clicking Analyse does."""
        source = self.text.value
        if not source.strip():
            self.result.value = f"<p>{esc(ui('coach.empty', self.lang))}</p>"
            return None
        self.result.value = f"<p>{esc(ui('coach.working', self.lang))}</p>"
        try:
            self.report = self._analyse(source, self.customer.value.strip() or None)
        except PlaybookError as exc:
            self.result.value = f'<p role="alert">{esc(ui("coach.error", self.lang, error=exc))}</p>'
            self.report = None
            self.save_button.disabled = True
            self.drills.children = ()
            return None
        self.result.value = report_html(self.report)
        self.save_button.disabled = False
        self._offer_drills(self.report)
        return self.report

    def _offer_drills(self, report: Report) -> None:
        buttons: list[widgets.Widget] = []
        for kind in report.missed_kinds:
            button = widgets.Button(description=ui("coach.drill-kind", self.lang, kind=report.names.get(kind, kind)),
                                    icon="graduation-cap", layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, k=kind: self.start_drill(k))
            buttons.append(button)
        head = [widgets.HTML(f"<p><strong>{esc(ui('coach.practise', self.lang))}</strong></p>")] if buttons else []
        self.drills.children = tuple(head + buttons)

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
        self.result.value += f"<p>{esc(ui('coach.saved', self.lang, path=path))}</p>"
        return path
