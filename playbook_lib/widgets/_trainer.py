"""Trainers' views: the workshop panel and the live class dashboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from .._html import esc, plain
from ..errors import PlaybookError
from ..i18n import DEFAULT_LANG, ui
from ..kinds import kind_name
from ._assist import LANGUAGE_OPTIONS, Assist
from ._style import STYLE, auto_button


class DashboardView(widgets.VBox):
    """A workshop's live class dashboard: pick a workshop, see tables and charts, Refresh, Export CSV."""

    refreshed = traitlets.Int(0, help="How many times the dashboard has been drawn.")

    def __init__(self, workshops: Callable[[], list[tuple[str, str]]], load: Callable[[str], tuple[str, Any]],
                 export: Callable[[str], Any], code: str | None = None, lang: str = DEFAULT_LANG) -> None:
        self._workshops = workshops
        self._load = load
        self._export = export
        self.lang = lang
        self.picker = widgets.Dropdown(description=ui("dashboard.workshop", lang),
                                       layout=widgets.Layout(width="32em", max_width="100%"))
        self.refresh_button = auto_button(ui("button.refresh", lang), icon="refresh", button_style="primary")
        self.export_button = auto_button(ui("button.export-csv", lang), icon="download")
        self.status = widgets.HTML("")
        self.tables = widgets.HTML("")
        self.charts = widgets.Output()
        self.figure: Any = None
        self.refresh_button.on_click(lambda _: self.refresh())
        self.export_button.on_click(lambda _: self.export())
        self.assist = Assist(lang=lang, host=".playbook-dashboard")
        super().__init__([STYLE(), self.assist, widgets.HBox([self.picker, self.refresh_button, self.export_button]),
                          self.status, self.tables, self.charts])
        self.add_class("playbook-dashboard")
        self._update_picker(code)
        self.picker.observe(self._show_picked, names="value")
        self.refresh()

    def _update_picker(self, wanted: str | None = None) -> None:
        options = self._workshops()
        keep = wanted or self.picker.value
        self.picker.options = options
        codes = [code for _, code in options]
        self.picker.value = keep if keep in codes else (codes[0] if codes else None)

    def _show_picked(self, _change: object) -> None:
        self.refresh(reread=False)

    def refresh(self, reread: bool = True) -> None:
        """Read the record again (new workshops included) and redraw."""
        from IPython.display import display

        if reread:
            with self.hold_trait_notifications():
                self._update_picker()
        code = self.picker.value
        self.export_button.disabled = code is None
        self.charts.clear_output(wait=True)
        self.figure = None
        if code is None:
            self.tables.value = f"<p>{esc(ui('dashboard.none', self.lang))}</p>"
        else:
            html, self.figure = self._load(code)
            self.tables.value = html
            if self.figure is not None:
                with self.charts:
                    display(self.figure)
        self.refreshed += 1

    def export(self) -> None:
        """Write the chosen workshop's answers to a CSV file and say where."""
        if self.picker.value is None:
            return
        path = self._export(self.picker.value)
        self.status.value = f"<p>✔ {esc(ui('dashboard.saved', self.lang))} <code>{esc(path)}</code></p>"


class WorkshopPanel(widgets.VBox):
    """Open a workshop with a click (nothing is opened just by running the notebook), and close it."""

    def __init__(self, open_workshop: Callable[[str, dict[str, Any]], Any], close_workshop: Callable[[str], Any],
                 open_codes: Callable[[], list[tuple[str, str]]], kinds: Sequence[str], lang: str = DEFAULT_LANG) -> None:
        from ..i18n import LANG_NAMES, LANGS

        self._open = open_workshop
        self._close = close_workshop
        self._open_codes = open_codes
        self.lang = lang
        self.title = widgets.Text(placeholder=ui("panel.title.placeholder", lang), description=ui("panel.title", lang))
        kind_names = [(kind_name(k, lang), k) for k in kinds]
        self.kind = widgets.Dropdown(options=[(ui("panel.any-kind", lang), ""), *kind_names],
                                     value="signal-id", description=ui("panel.drill", lang))
        self.n = widgets.BoundedIntText(value=10, min=1, max=50, description=ui("panel.items", lang))
        self.room_lang = widgets.Dropdown(options=[(LANG_NAMES[c], c) for c in LANGS], value=lang,
                                          description=ui("form.language", lang))
        self.open_button = auto_button(ui("button.open-workshop", lang), icon="plus", button_style="primary")
        self.to_close = widgets.Dropdown(description=ui("panel.open-now", lang))
        self.close_button = auto_button(ui("button.close-workshop", lang), icon="lock")
        self.status = widgets.HTML("")
        self.open_button.on_click(lambda _: self.open_workshop())
        self.close_button.on_click(lambda _: self.close_workshop())
        self.assist = Assist(lang=lang, host=".playbook-workshop-panel", option_langs=LANGUAGE_OPTIONS)
        super().__init__([STYLE(), self.assist, widgets.HBox([self.title, self.kind, self.n, self.room_lang, self.open_button]),
                          widgets.HBox([self.to_close, self.close_button]), self.status])
        self.add_class("playbook-workshop-panel")
        self._list()

    def _list(self) -> None:
        options = self._open_codes()
        self.to_close.options = options
        self.to_close.value = options[0][1] if options else None
        self.close_button.disabled = not options

    def open_workshop(self) -> None:
        """Open a workshop with the title and drill chosen; show its code."""
        drill: dict[str, Any] = {"n": self.n.value, "lang": self.room_lang.value}
        if self.kind.value:
            drill["kind"] = self.kind.value
        try:
            opened = self._open(self.title.value.strip() or ui("panel.default-title", self.lang), drill)
        except PlaybookError as exc:
            self.status.value = f"<p role='alert'>⚠ {plain(exc)}</p>"
            return
        self.status.value = (f"<p style='font-size:1.4em'>{esc(ui('panel.code-for-room', self.lang))} "
                             f"<strong><code>{esc(opened.code)}</code></strong> ({plain(opened.title)})</p>")
        self._list()

    def close_workshop(self) -> None:
        """Close the workshop chosen in the list."""
        if self.to_close.value is None:
            return
        closed = self._close(self.to_close.value)
        self.status.value = f"<p>✔ {plain(ui('panel.closed', self.lang, code=closed.code, title=closed.title))}</p>"
        self._list()
