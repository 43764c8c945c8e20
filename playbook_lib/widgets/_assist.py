"""An invisible helper inside each view, for keyboard and screen-reader users.

ipywidgets cannot set attributes on a widget's element, so this small anywidget (its script ships
inline; nothing is fetched) does it from inside the view:

- marks the view with its language (``lang``), so a screen reader picks the right voice, and in a
  page of its own (the participant app) sets the page's language too;
- keeps a live region that exists before anything is announced, so a verdict is read out reliably;
- moves focus to where the work goes on (the feedback, Next or Try again) after a step;
- tells JupyterLab not to take the arrow keys while focus is inside the view (``data-lm-suppress-shortcuts``),
  so arrows move between the options of a group instead of between notebook cells.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.classList.add("playbook-assist");
  const live = document.createElement("div");
  live.className = "playbook-live";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  el.appendChild(live);
  const host = () => el.closest(model.get("host"));
  const setUp = () => {
    const root = host();
    if (!root) return;
    root.setAttribute("data-lm-suppress-shortcuts", "true");
    root.setAttribute("lang", model.get("lang"));
    if (model.get("page_lang")) document.documentElement.setAttribute("lang", model.get("lang"));
    for (const group of root.querySelectorAll(".widget-radio")) {
      const label = group.querySelector(":scope > .widget-label");
      const box = group.querySelector(".widget-radio-box");
      if (box) {
        box.setAttribute("role", "radiogroup");
        if (label && label.textContent.trim()) box.setAttribute("aria-label", label.textContent.trim());
      }
    }
  };
  setUp();
  requestAnimationFrame(setUp);
  setTimeout(setUp, 300);
  model.on("change:lang", setUp);
  model.on("change:refresh", setUp);
  model.on("change:announce", () => {
    live.textContent = "";
    setTimeout(() => { live.textContent = model.get("announce"); }, 60);
  });
  model.on("change:focus_seq", () => {
    setTimeout(() => {
      const root = host();
      const target = root && root.querySelector(model.get("focus"));
      if (!target) return;
      if (!target.hasAttribute("tabindex") && !target.matches("button, input, textarea, select, a")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }, 80);
  });
}
export default { render };
"""

_CSS = """
.playbook-assist { height: 0; margin: 0; padding: 0; }
.playbook-live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  clip-path: inset(50%); white-space: nowrap; }
"""


class Assist(anywidget.AnyWidget):
    """Language, live announcements and focus for the view it sits in."""

    _esm = _ESM
    _css = _CSS
    lang = traitlets.Unicode("en", help="The view's language, set as its lang attribute.").tag(sync=True)
    host = traitlets.Unicode(".playbook-view", help="CSS selector of the view this helper serves.").tag(sync=True)
    page_lang = traitlets.Bool(False, help="Also set the page's language (in a page of its own).").tag(sync=True)
    announce = traitlets.Unicode("", help="The last message read out by screen readers.").tag(sync=True)
    focus = traitlets.Unicode("", help="CSS selector, inside the view, of the element focused last.").tag(sync=True)
    focus_seq = traitlets.Int(0, help="Bumped on each focus move, so the same target can be focused again.").tag(
        sync=True)
    refresh = traitlets.Int(0, help="Bumped when the view's controls change, to label them again.").tag(sync=True)

    def say(self, message: str) -> None:
        """Read ``message`` out through the live region."""
        self.announce = message

    def move_focus(self, selector: str) -> None:
        """Focus the element ``selector`` inside the view."""
        self.focus = selector
        self.focus_seq += 1
