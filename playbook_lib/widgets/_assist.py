"""An invisible helper inside each view, for keyboard and screen-reader users.

ipywidgets cannot set attributes on a widget's element, so this small anywidget (its script ships
inline; nothing is fetched) does it from inside the view:

- marks the view with its language (``lang``), so a screen reader picks the right voice, and in a
  page of its own (the participant app) sets the page's language too, marking the notebook's other
  cells with the notebook's language (``cells_lang``);
- keeps a live region that exists before anything is announced, so a verdict is read out reliably;
- moves focus to where the work goes on (the feedback, Next or Try again) after a step;
- makes each group of radio buttons a real radio group: one name (so the arrow keys move between its
  options and the group is one Tab stop), the ``radiogroup`` role, and the group's label as its name;
- tells JupyterLab not to take the keys meant for a control (``data-lm-suppress-shortcuts``): Lumino skips
  a shortcut only when the attribute is on the focused element itself or on an element between it and the
  one the shortcut's selector matches, and the notebook's selectors end in ``:focus``, so every control
  carries it (arrows then move between options instead of between cells; Enter presses a button);
- marks options that name a language with that language (``option_langs``), e.g. 简体中文 in an English form;
- does it again whenever the view redraws its controls (a MutationObserver).
"""

from __future__ import annotations

import anywidget
import traitlets

from ..i18n import LANG_NAMES, html_lang

LANGUAGE_OPTIONS = {name: html_lang(code) for code, name in LANG_NAMES.items()}
"""The language pickers' options ("简体中文"...), each in its own language."""

_ESM = """
const CONTROLS = "button, input, select, textarea, summary, a[href], [tabindex]";
// a name no other radio group on the page has (each widget may load its own copy of this module)
const groupName = () => "playbook-radio-" + Date.now().toString(36) + Math.random().toString(36).slice(2);

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
    const page = document.documentElement;
    if (model.get("page_lang")) {
      // the page takes the view's language; the notebook's other cells keep the notebook's (or the page's)
      const cells = model.get("cells_lang") || page.getAttribute("lang") || "";
      if (cells) {
        for (const cell of document.querySelectorAll(".jp-Cell")) {
          if (!cell.contains(root) && !cell.hasAttribute("lang")) cell.setAttribute("lang", cells);
        }
      }
      if (page.getAttribute("lang") !== model.get("lang")) page.setAttribute("lang", model.get("lang"));
    }
    for (const group of root.querySelectorAll(".widget-radio")) {
      const label = group.querySelector(":scope > .widget-label");
      const box = group.querySelector(".widget-radio-box");
      if (!box) continue;
      box.setAttribute("role", "radiogroup");
      if (label && label.textContent.trim()) box.setAttribute("aria-label", label.textContent.trim());
      if (!box.dataset.playbookGroup) box.dataset.playbookGroup = groupName();
      for (const radio of box.querySelectorAll("input[type=radio]")) radio.name = box.dataset.playbookGroup;
    }
    for (const control of root.querySelectorAll(CONTROLS)) {
      if (!control.hasAttribute("data-lm-suppress-shortcuts")) control.setAttribute("data-lm-suppress-shortcuts", "true");
    }
    const langs = model.get("option_langs");
    for (const option of root.querySelectorAll("option")) {
      const lang = langs[option.textContent.trim()];
      if (lang && option.getAttribute("lang") !== lang) option.setAttribute("lang", lang);
    }
  };
  let pending = false;
  const later = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; setUp(); });
  };
  let observer = null;
  const watch = () => {
    const root = host();
    if (!root || observer) return;
    observer = new MutationObserver(later);
    observer.observe(root, { childList: true, subtree: true });
  };
  setUp();
  requestAnimationFrame(() => { setUp(); watch(); });
  setTimeout(() => { setUp(); watch(); }, 300);
  model.on("change:lang", setUp);
  model.on("change:refresh", setUp);
  model.on("change:announce", () => {
    live.textContent = "";
    setTimeout(() => { live.textContent = model.get("announce"); }, 60);
  });
  model.on("change:focus_seq", () => {
    // The latest request on the page wins (a drill moves focus to Next after its exercise moved it to the
    // feedback). The target may not be drawn yet on a slow kernel, so try again for a while; and if focus
    // drops to the page right after (a control it sat next to redrawn or disabled), put it back once.
    const token = {};
    window.playbookFocusToken = token;
    let tries = 0;
    const attempt = () => {
      if (window.playbookFocusToken !== token) return;
      const root = host();
      const target = root && root.querySelector(model.get("focus"));
      if (target && target.getClientRects().length && !target.disabled) {
        if (!target.hasAttribute("tabindex") && !target.matches("button, input, textarea, select, a")) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus();
        if (document.activeElement === target) {
          const until = Date.now() + 1000;
          target.addEventListener("focusout", (event) => {
            if (event.relatedTarget || Date.now() > until || window.playbookFocusToken !== token) return;
            setTimeout(() => {
              if (target.isConnected && (document.activeElement === document.body || !document.activeElement)) target.focus();
            }, 0);
          }, { once: true });
          return;
        }
      }
      if (++tries < 20) setTimeout(attempt, 100);
    };
    setTimeout(attempt, 80);
  });
  return () => { if (observer) observer.disconnect(); };
}
export default { render };
"""

_CSS = """
.playbook-assist { height: 0; width: 0; min-width: 0; margin: 0; padding: 0; }
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
    cells_lang = traitlets.Unicode("", help="With page_lang: the language of the notebook's other cells.").tag(sync=True)
    announce = traitlets.Unicode("", help="The last message read out by screen readers.").tag(sync=True)
    focus = traitlets.Unicode("", help="CSS selector, inside the view, of the element focused last.").tag(sync=True)
    focus_seq = traitlets.Int(0, help="Bumped on each focus move, so the same target can be focused again.").tag(
        sync=True)
    option_langs = traitlets.Dict(help="Language of the options whose text names a language: {text: lang}.").tag(
        sync=True)
    refresh = traitlets.Int(0, help="Bumped when the view's controls change, to label them again.").tag(sync=True)

    def say(self, message: str) -> None:
        """Read ``message`` out through the live region."""
        self.announce = message

    def move_focus(self, selector: str) -> None:
        """Focus the element ``selector`` inside the view."""
        self.focus = selector
        self.focus_seq += 1
