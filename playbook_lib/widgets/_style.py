"""The workbook's widget style: text wraps and controls grow, so nothing is clipped or overlaps.

ipywidgets gives radio rows, checkboxes and buttons a fixed height and width; long option text
then runs into the row below or is cut off. The style sheet, scoped to the workbook's own
classes, lets them grow, and makes the focus ring visible on every control (3 px, at least 3:1 against
the page in the light and the dark theme).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

CSS = """
.playbook-view, .playbook-drill, .playbook-join, .playbook-workshop-app, .playbook-dashboard,
.playbook-workshop-panel, .playbook-name, .playbook-coach { max-width: 100%; }
.playbook-view .widget-radio, .playbook-view .widget-radio-box,
.playbook-view .widget-checkbox, .playbook-view .widget-inline-hbox { height: auto; max-width: 100%; }
.playbook-view .widget-radio { flex-wrap: wrap; }
.playbook-view .widget-radio > .widget-label { flex: 0 0 auto; }
.playbook-view .widget-radio-box { flex: 1 1 20em; min-width: 0; }
.playbook-view .widget-radio-box label {
  display: flex; align-items: flex-start; gap: 0.55em;
  height: auto !important; min-height: var(--jp-widgets-radio-item-height, 24px);
  line-height: 1.4 !important; white-space: normal !important; overflow-wrap: anywhere;
  padding: 0.15em 0; margin-bottom: 0.2em;
}
.playbook-view .widget-radio-box input { float: none !important; order: -1; flex: none;
  height: 1.1em !important; width: 1.1em; margin: 0.15em 0 0 0.2em !important; }
.playbook-view .widget-radio-box-horizontal { flex-wrap: wrap; gap: 0.3em 1.6em; }
.playbook-view .widget-checkbox label, .playbook-view .widget-checkbox .widget-label-basic {
  height: auto !important; line-height: 1.4 !important; white-space: normal !important; overflow-wrap: anywhere;
  align-items: flex-start; }
.playbook-view .widget-checkbox input { flex: none; margin-top: 0.25em !important; }
.playbook-view .widget-checkbox { margin-bottom: 0.3em; }
.playbook-view .widget-html-content, .playbook-drill .widget-html-content,
.playbook-dashboard .widget-html-content, .playbook-join .widget-html-content,
.playbook-workshop-panel .widget-html-content, .playbook-coach .widget-html-content {
  white-space: normal; overflow-wrap: anywhere; line-height: 1.45; }
.playbook-view .widget-hbox, .playbook-drill .widget-hbox, .playbook-join .widget-hbox,
.playbook-dashboard .widget-hbox, .playbook-workshop-panel .widget-hbox, .playbook-name,
.playbook-coach .widget-hbox { flex-wrap: wrap; gap: 0.3em; }
.playbook-button { width: auto !important; min-width: 6em; height: auto !important;
  min-height: var(--jp-widgets-inline-height, 28px); white-space: normal !important; line-height: 1.3 !important;
  padding: 0.3em 0.9em !important; }
:is(.playbook-view, .playbook-drill, .playbook-join, .playbook-name, .playbook-dashboard, .playbook-workshop-panel,
  .playbook-workshop-app, .playbook-chart, .playbook-coach)
  :is(button, input, select, textarea, summary, [tabindex]):focus-visible {
  outline: 3px solid #0b3d91 !important; outline-offset: 2px; }
body[data-jp-theme-light="false"] :is(.playbook-view, .playbook-drill, .playbook-join, .playbook-name,
  .playbook-dashboard, .playbook-workshop-panel, .playbook-workshop-app, .playbook-chart, .playbook-coach)
  :is(button, input, select, textarea, summary, [tabindex]):focus-visible { outline-color: #8ab4f8 !important; }
.playbook-drill h2.playbook-drill-title { font-size: 1em; font-weight: bold; margin: 0; line-height: 1.45; }
.playbook-view h3.playbook-title { font-size: 1.15em; margin: 0.2em 0; }
.playbook-join .widget-text { width: auto; flex: 1 1 14em; min-width: 0; max-width: 100%; }
.playbook-join .widget-text input { min-width: 0; }
.playbook-dashboard table, .playbook-weakest { border-collapse: collapse; }
.playbook-dashboard td, .playbook-dashboard th, .playbook-weakest td, .playbook-weakest th {
  text-align: left; padding: 0.15em 0.6em; vertical-align: top; }
.playbook-dashboard td.num, .playbook-dashboard th.num, .playbook-weakest td.num, .playbook-weakest th.num {
  text-align: right; }
.playbook-coach .playbook-coach-text { flex-direction: column; align-items: stretch; height: auto; }
.playbook-coach .playbook-coach-text > .widget-label { width: auto; text-align: left; font-weight: bold; }
.playbook-coach .playbook-coach-text textarea { min-height: 10em; resize: vertical; }
.playbook-coach .playbook-coach-customer { width: auto; flex: 1 1 18em; min-width: 0; max-width: 100%; }
.playbook-coach .playbook-coach-customer input { min-width: 0; }
.playbook-coach .widget-upload { width: auto; }
.playbook-coach .playbook-coach-result .widget-html-content { overflow: visible; }
.playbook-coach .playbook-coach-drill:not(:empty) { margin-top: 0.8em; padding-top: 0.6em;
  border-top: 1px solid var(--jp-border-color1, #bdbdbd); }
@media (max-width: 600px) {
  .playbook-join .widget-text { flex-basis: 100%; }
  .playbook-view .widget-radio > .widget-label { width: 100%; }
}
"""


def STYLE() -> widgets.HTML:
    """The style sheet as a widget; put one in every top-level view."""
    return widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(display="none"))


def auto_button(description: str, **kwargs: Any) -> widgets.Button:
    """A button as wide as its words (ipywidgets' fixed width cuts longer labels off)."""
    button = widgets.Button(description=description, layout=widgets.Layout(width="auto"), **kwargs)
    button.add_class("playbook-button")
    return button
