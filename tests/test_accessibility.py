"""Every learner can use it: axe-core over the workbook's own output, keys alone, where focus goes, the live region,
the focus ring, ``lang`` on every run of text, and no request leaving the machine.

JupyterLab and the Voilà participant app in Debian's Chromium (see tests/browser.py). axe-core comes from npm:
``python3 run.py test`` installs it into .venv/node_modules (git ignores .venv); without it these tests are
skipped. axe runs only over the workbook's output (the ``.playbook-*`` views, the output areas and the notebooks'
own text), not over JupyterLab's or Voilà's chrome. Results are kept in tests/artifacts/axe-*.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from playbook_lib import Workbook, load_catalog
from playbook_lib.demo import demo_attempts
from playbook_lib.store import STORE_NAME, Store

from .browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROOT,
    ROOTS,
    TOKEN,
    WORDS,
    Lab,
    answer_not_a_signal,
    browser_marks,
    distinct_glyphs,
    free_port,
    jupyter_env,
    measure_layout,
    open_and_run_all,
    shoot,
    stop_server,
    wait_for_http,
    wait_until_idle,
)

pytestmark = browser_marks
AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = ("00-start-here.ipynb", "02-timing-and-signals.ipynb", "03-fourteen-closing-methods.ipynb",
             "05-my-progress.ipynb", "07-workshop-dashboard.ipynb")
LANGS = ("en", "zh-Hans")
LAB_SCOPE = f"{ROOTS}, .jp-OutputArea-output, .jp-RenderedMarkdown"
APP_SCOPE = f"{ROOTS}, #rendered_cells"
BLOCKING = ("critical", "serious")
ALWAYS = ("heading-order",)  # headings in order, although axe calls a skipped level only "moderate"
STEP_ONE = {"en": "Step 1", "zh-Hans": "第一步"}
TRADITIONAL = ("02-timing-and-signals.ipynb", "05-my-progress.ipynb")  # 繁體中文: an exercise, and the charts
CHARTS = {"05-my-progress.ipynb": 4, "07-workshop-dashboard.ipynb": 1}  # figures, each with its text


# --- what the page is asked --------------------------------------------------------------------

AXE_JS = """
async (scope) => {
  const include = [...document.querySelectorAll(scope)].filter(e => e.getClientRects().length);
  if (!include.length) return {checked: 0, violations: []};
  const result = await axe.run({include}, {resultTypes: ['violations']});
  return {checked: include.length, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300), why: n.failureSummary}))}))};
}
"""

ACTIVE_JS = """
() => {
  const e = document.activeElement;
  const label = e.closest('label');
  const group = e.closest('[role=radiogroup]');
  return {tag: e.tagName.toLowerCase(), type: e.type || '', checked: !!e.checked, disabled: !!e.disabled,
          cls: (e.className || '').toString(), text: ((label || e).innerText || '').trim().slice(0, 400),
          group: group ? group.getAttribute('aria-label') : null,
          view: e.closest('.playbook-view') ? e.closest('.playbook-view').dataset.a11yMark || '' : null};
}
"""

RING_JS = """
(scope) => {
  const rgb = (s) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(s);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {c: p.slice(0, 3), a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c.c;
    }
    return [255, 255, 255];
  };
  const name = (e) => e.tagName.toLowerCase() + (e.type ? '[' + e.type + ']' : '') + ' "'
    + ((e.closest('label') || e).innerText || e.value || '').trim().slice(0, 40) + '"';
  const controls = [...document.querySelectorAll(scope)].flatMap(r => [...r.querySelectorAll(
    'button, input, select, textarea, summary')]).filter(e => e.getClientRects().length && !e.disabled);
  const problems = [];
  const seen = new Set();
  for (const el of controls) {
    if (seen.has(el)) continue;
    seen.add(el);
    el.focus();
    if (document.activeElement !== el) { problems.push('cannot take focus: ' + name(el)); continue; }
    const cs = getComputedStyle(el);
    const colour = rgb(cs.outlineColor);
    const width = parseFloat(cs.outlineWidth) || 0;
    if (!el.matches(':focus-visible') || cs.outlineStyle === 'none' || width < 2 || !colour) {
      problems.push(`no visible ring: ${name(el)} (${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor})`);
      continue;
    }
    const against = [behind(el)];
    const own = rgb(cs.backgroundColor);
    if ((parseFloat(cs.outlineOffset) || 0) < 1 && own && own.a > 0.5) against.push(own.c);
    for (const bg of against) {
      const r = ratio(colour.c, bg);
      if (r < 3) problems.push(`ring ${cs.outlineColor} on rgb(${bg}) is ${r.toFixed(2)}:1: ${name(el)}`);
    }
  }
  return {checked: seen.size, problems};
}
"""

LANG_JS = """
(scope) => {
  const CJK = /[\\u3400-\\u9fff\\uf900-\\ufaff]/;
  const ENGLISH = /[A-Za-z]{3,}(?:[\\s,.'-]+[A-Za-z]{2,}){3,}/;  // four English words in a row
  const langOf = (el) => { const e = el.closest('[lang]'); return e ? e.getAttribute('lang') : ''; };
  const problems = [];
  let checked = 0;
  const check = (el, text) => {
    checked += 1;
    const lang = langOf(el);
    if (CJK.test(text) && !lang.startsWith('zh')) problems.push(`Chinese in lang="${lang}": ${text.slice(0, 50)}`);
    if (lang.startsWith('zh') && !CJK.test(text) && ENGLISH.test(text)) {
      problems.push(`English in lang="${lang}": ${text.slice(0, 50)}`);
    }
  };
  for (const root of document.querySelectorAll(scope)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      const text = t.textContent.trim();
      if (!text || !el || el.closest('style, script, code, pre, option') || !el.getClientRects().length) continue;
      check(el, text);
    }
    for (const option of root.querySelectorAll('option')) check(option, option.textContent.trim());
    for (const img of root.querySelectorAll('img[alt]')) check(img, img.alt);
  }
  return {checked, problems: [...new Set(problems)]};
}
"""


ICONS_JS = """
() => [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'Font Awesome 5 Free' && f.status === 'loaded')
"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed in .venv/node_modules: `python3 run.py test` installs it where npm "
                    "exists (or run `npm install --prefix .venv axe-core@4`)")
    return AXE.read_text(encoding="utf-8")


def run_axe(page: Any, scope: str, label: str) -> list[str]:
    """axe-core's violations in ``scope`` that block: critical or serious, and headings out of order."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    found = page.evaluate(AXE_JS, scope)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{label}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    assert found["checked"] > 0, f"{label}: nothing of the workbook's on the page to check"
    return [f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(f"{n['target']} {n['html'][:120]}" for n in v["nodes"][:3])
            for v in found["violations"] if v["impact"] in BLOCKING or v["id"] in ALWAYS]


def ring_problems(page: Any, scope: str) -> tuple[int, list[str]]:
    page.keyboard.press("Shift")  # a key press: from now on, focus moved by script shows as keyboard focus
    found = page.evaluate(RING_JS, scope)
    return found["checked"], found["problems"]


def lang_problems(page: Any, scope: str) -> tuple[int, list[str]]:
    found = page.evaluate(LANG_JS, scope)
    return found["checked"], found["problems"]


def active(page: Any) -> dict[str, Any]:
    return page.evaluate(ACTIVE_JS)


def outside(requests: list[str], port: int) -> list[str]:
    """The requests that leave the machine: anything but this server on loopback (and data: or blob: URLs)."""
    bad = []
    for url in requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            continue
        if parts.hostname != "127.0.0.1" or parts.port != port:
            bad.append(url)
    return sorted(set(bad))


def tab_to(page: Any, predicate: str, limit: int = 12) -> dict[str, Any]:
    """Press Tab until the focused element satisfies ``predicate`` (JS, given the element); fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        if page.evaluate(f"() => (e => {predicate})(document.activeElement)"):
            return active(page)
    raise AssertionError(f"Tab never reached {predicate}; focus is on {active(page)}")


def wait_for_focus(page: Any, predicate: str, what: str) -> dict[str, Any]:
    try:
        page.wait_for_function(f"() => (e => {predicate})(document.activeElement)", timeout=30_000)
    except Exception as exc:  # playwright's TimeoutError: say where focus is instead
        shoot(page, "a11y-focus-lost.png")
        raise AssertionError(f"focus did not move to {what}; it is on {active(page)}") from exc
    return active(page)


# --- the record the notebooks show -------------------------------------------------------------


def seed(home: Path) -> str:
    """A month of answers for the learner the notebooks open (guest), review cards, and a workshop with two
    participants' answers for the dashboard; returns the workshop's code."""
    catalog = load_catalog()
    wb = Workbook(catalog, Store(home / STORE_NAME), learner="guest")
    try:
        wb.store.add_attempts(demo_attempts(catalog, 200, ("guest",), seed=3, start=datetime.now(UTC) - timedelta(days=31)))
        for ex in [e for e in catalog.exercises if e.kind == "single-choice"][:8]:
            wb.answer(ex.id, ex.answer, seconds=20)  # type: ignore[attr-defined]
        code = wb.open_workshop("Accessibility check").code
    finally:
        wb.close()
    for name in ("Ann", "Bo"):
        participant = Workbook(catalog, Store(home / STORE_NAME))
        try:
            participant.join(code, name)
            for i, ex in enumerate(e for e in catalog.exercises if e.kind == "signal-id"):
                if i == 4:
                    break
                participant.answer(ex.id, {"signal": False}, seconds=10)
        finally:
            participant.close()
    return code


@pytest.fixture(scope="module", params=LANGS)
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    server = Lab(tmp_path_factory.mktemp(f"a11y-lab-{request.param}"), request.param)
    seed(server.home)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the whole module (Playwright's sync API runs one instance at a time)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@contextmanager
def new_page(browser: Any, lang: str = "en", bypass_csp: bool = False) -> Iterator[Any]:
    """A page of its own (a fresh browser context), as :func:`tests.browser.chromium_page` makes it (``bypass_csp``:
    so that axe can be added to a page whose policy allows its own script only)."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN" if lang.startswith("zh") else "en-GB",
                                  bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def page(lab: Lab, browser: Any) -> Iterator[Any]:
    with new_page(browser, lab.lang) as page:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.requests = requests  # type: ignore[attr-defined]
        yield page


def path_of(lab: Lab, notebook: str) -> str:
    return notebook if lab.lang == "en" else f"{lab.lang}/{notebook}"


def answer(page: Any, view: Any, lang: str) -> None:
    """Answer an exercise by clicking (whatever its kind), press Check and wait for the feedback."""
    view.scroll_into_view_if_needed()
    if view.locator(".playbook-step").count():
        answer_not_a_signal(page, view, lang)
        return
    if view.locator("textarea").count():
        view.locator("textarea").fill("I would ask for the order now.")
        view.locator("textarea").press("Tab")
    elif view.locator(".widget-checkbox input").count():
        view.locator(".widget-checkbox input").first.click()
    elif view.locator(".widget-radio-box input").count() and not view.locator(".playbook-ordering").count():
        view.locator(".widget-radio-box input").first.click()
    check = view.locator("button.playbook-check")
    page.wait_for_function("b => !b.disabled", arg=check.element_handle())
    check.click()
    view.locator(".playbook-feedback").wait_for(timeout=120_000)  # a busy kernel may take a while to grade


# --- JupyterLab ----------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_after_answers(page: Any, lab: Lab, notebook: str) -> None:
    """axe finds nothing critical or serious and no skipped heading level; every control shows a 3:1 focus ring;
    every run of Chinese or English text carries its language; no request leaves the machine."""
    axe_source()  # skips now, not after the notebook has run, when axe-core is missing
    page.requests.clear()
    open_and_run_all(page, lab, path_of(lab, notebook))
    wait_until_idle(page, lab.lang)
    # the widgets draw after the kernel is idle, later still on a busy machine: wait for a control of the workbook's
    page.locator(f":is({ROOTS}) :is(button, input, select, textarea) >> visible=true").first.wait_for(timeout=120_000)
    page.wait_for_timeout(800)
    for n, where in enumerate((".playbook-view", ".playbook-drill .playbook-view")):  # one on its own, one in a drill
        unanswered = page.locator(f"{where}:not(:has(.playbook-feedback)):not([data-a11y-mark])")
        if unanswered.count():
            unanswered.first.evaluate("(v, n) => { v.dataset.a11yMark = 'answered-' + n; }", n)
            answer(page, page.locator(f"[data-a11y-mark=answered-{n}]"), lab.lang)
    page.wait_for_timeout(500)
    label = f"{lab.lang}-{Path(notebook).stem}"
    shoot(page, f"a11y-{label}.png")
    problems = [f"axe: {p}" for p in run_axe(page, LAB_SCOPE, label)]
    rings, ring_issues = ring_problems(page, ROOTS)
    problems += [f"focus: {p}" for p in ring_issues]
    texts, lang_issues = lang_problems(page, LAB_SCOPE)
    problems += [f"lang: {p}" for p in lang_issues]
    problems += [f"request: {url}" for url in outside(page.requests, lab.port)]
    charts = CHARTS.get(notebook, 0)
    alts = page.locator(".playbook-chart > img").evaluate_all("imgs => imgs.map(i => i.alt)")
    tables = page.locator(".playbook-chart > details:not([open]) > table:has(th[scope=col])").count()
    if len(alts) != charts or any(len(alt) < 20 for alt in alts) or tables < charts:
        problems.append(f"charts: {charts} wanted, each with alt text and a collapsed table: {len(alts)} alts {alts}, "
                        f"{tables} tables")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").all_inner_texts()
    assert rings > 0 and texts > 20 and page.requests and not errors, (rings, texts, len(page.requests), errors)
    assert problems == [], "\n".join(problems)


SIMPLIFIED_ONLY = frozenset("这们说时个会对经过还样问题该单项确选择钱买签约发兴实")
"""Frequent characters that exist only in simplified Chinese (each has one traditional form and no use of its own
there). Re-converting traditional text with OpenCC is no test: s2tw turns a correct Taiwan 家具 into 傢俱."""


def simplified_left(text: str) -> list[str]:
    """The simplified-only characters in text meant to be traditional."""
    return sorted(set(text) & SIMPLIFIED_ONLY)


@pytest.fixture(scope="module")
def traditional_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    server = Lab(tmp_path_factory.mktemp("a11y-lab-zh-Hant"), "zh-Hant")
    seed(server.home)
    yield server
    server.stop()


@pytest.mark.parametrize("notebook", TRADITIONAL)
def test_traditional_notebook_after_run_all(traditional_lab: Lab, browser: Any, notebook: str) -> None:
    """繁體中文 after Run All and an answer: the views say ``lang="zh-Hant"`` and hold traditional characters, drawn
    as glyphs (not empty boxes); axe finds nothing critical or serious; every run of text carries its language;
    nothing of the workbook's is clipped or overlaps; no request leaves the machine."""
    axe_source()
    lab = traditional_lab
    with new_page(browser, lab.lang) as page:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        open_and_run_all(page, lab, path_of(lab, notebook))
        wait_until_idle(page, lab.lang)
        page.locator(f":is({ROOTS}) :is(button, input, select, textarea) >> visible=true").first.wait_for(timeout=120_000)
        page.wait_for_timeout(800)
        unanswered = page.locator(".playbook-view:not(:has(.playbook-feedback))")
        if unanswered.count():
            unanswered.first.evaluate("v => { v.dataset.a11yMark = 'answered-hant'; }")
            answer(page, page.locator("[data-a11y-mark=answered-hant]"), lab.lang)
        page.wait_for_timeout(500)
        label = f"{lab.lang}-{Path(notebook).stem}"
        shoot(page, f"a11y-{label}.png")
        problems = [f"axe: {p}" for p in run_axe(page, LAB_SCOPE, label)]
        texts, lang_issues = lang_problems(page, LAB_SCOPE)
        problems += [f"lang: {p}" for p in lang_issues]
        measured, layout = measure_layout(page)
        problems += layout
        views = page.locator(f":is({ROOTS})").evaluate_all(
            "vs => vs.filter(v => v.getClientRects().length).map(v => [v.closest('[lang]') ? "
            "v.closest('[lang]').getAttribute('lang') : '', v.innerText])")
        chinese = "".join(ch for _, text in views for ch in text if "\u4e00" <= ch <= "\u9fff")
        sample = "".join(dict.fromkeys(chinese))[:12]
        glyphs = distinct_glyphs(page, sample)
    problems += [f"request: {url}" for url in outside(requests, lab.port)]
    problems += [f"view in lang={lang!r}: {text[:40]}" for lang, text in views if lang != "zh-Hant"]
    problems += [f"simplified characters {left}: {text[:40]}" for _, text in views if (left := simplified_left(text))]
    traditional = sum(1 for _, text in views for ch in set(text) if ch in "這們說時個會對經過還樣問題該單項確選擇錢買簽約發興實")
    assert views and measured > 5 and texts > 20 and len(sample) == 12 and traditional > 5, (
        len(views), measured, texts, sample, traditional)
    assert glyphs == len(sample), f"Chinese is drawn as empty boxes: {glyphs} shapes for {sample}"
    assert problems == [], "\n".join(problems)


def test_keys_alone_in_jupyterlab(page: Any, lab: Lab) -> None:
    """A signal item, a multi-select and an ordering item, answered with Tab, arrows, Space and Enter only; the
    arrows move between options (not between notebook cells), focus goes to the feedback after Check, and the
    live region, there before the verdict, reads it out."""
    words = WORDS[lab.lang]
    open_and_run_all(page, lab, path_of(lab, "02-timing-and-signals.ipynb"))
    wait_until_idle(page, lab.lang)
    standalone = ".playbook-view:not(.playbook-drill .playbook-view)"
    signal = page.locator(standalone).filter(has=page.locator(".playbook-step")).first
    multi = page.locator(standalone).filter(has=page.locator(".widget-checkbox")).filter(
        has_not=page.locator("textarea")).first
    ordering = page.locator(standalone).filter(has=page.locator(".playbook-ordering")).first
    for mark, view in (("signal", signal), ("multi", multi), ("ordering", ordering)):
        view.evaluate("(v, mark) => { v.dataset.a11yMark = mark; }", mark)

    def start(view: Any) -> None:
        """Where a screen reader's jump to the next heading lands: the exercise's title (the only non-key step)."""
        view.scroll_into_view_if_needed()
        view.locator("h3").first.evaluate("h => { h.tabIndex = -1; h.focus(); }")

    def checked(view: Any, feedback_words: tuple[str, ...]) -> None:
        live = view.locator(".playbook-live")
        assert live.count() == 1 and live.get_attribute("role") == "status" and live.inner_text().strip() == ""
        focus = tab_to(page, "e.classList.contains('playbook-check')")
        assert not focus["disabled"]
        page.keyboard.press("Enter")
        focus = wait_for_focus(page, "!!e.closest('.playbook-feedback') || e.classList.contains('playbook-feedback')",
                               "the feedback")
        assert focus["view"] == view.evaluate("v => v.dataset.a11yMark")
        page.wait_for_function("l => l.textContent.trim().length > 0", arg=live.element_handle())
        assert any(word in live.inner_text() for word in feedback_words), live.inner_text()

    # signal: step 1 is a radio group named "Step 1"; the arrow picks "Not a signal"
    start(signal)
    focus = tab_to(page, "e.type === 'radio'")
    assert focus["group"] == STEP_ONE[lab.lang] and focus["view"] == "signal", focus
    assert signal.get_by_role("radiogroup", name=STEP_ONE[lab.lang]).count() == 1
    page.keyboard.press("ArrowRight")
    focus = wait_for_focus(page, "e.type === 'radio' && e.checked", "the next option")
    assert focus["text"] == words["not-signal"] and focus["view"] == "signal", focus
    checked(signal, words["verdicts"])

    # multi-select: Space ticks the box in focus
    start(multi)
    focus = tab_to(page, "e.type === 'checkbox'")
    page.keyboard.press("Space")
    assert active(page)["checked"] and active(page)["view"] == "multi"
    checked(multi, words["verdicts"] + (("Partly",) if lab.lang == "en" else ("部分",)))

    # ordering: pick the second item with the arrow, move it up with Enter on "Move up"
    start(ordering)
    before = ordering.locator(".playbook-ordering .widget-radio-box label").all_inner_texts()
    focus = tab_to(page, "e.type === 'radio'")
    assert focus["view"] == "ordering"
    page.keyboard.press("ArrowDown")
    focus = wait_for_focus(page, "e.type === 'radio' && e.checked", "the second item")
    assert focus["text"] == before[1], (focus, before)
    tab_to(page, "e.tagName === 'BUTTON' && !!e.querySelector('.fa-arrow-up')")
    page.keyboard.press("Enter")
    first_item = "v => v.querySelector('.playbook-ordering .widget-radio-box label').innerText.trim()"
    page.wait_for_function(f"([v, t]) => ({first_item})(v).endsWith(t)",
                           arg=[ordering.element_handle(), before[1].split(". ", 1)[1]])
    assert active(page)["view"] == "ordering"  # focus stays on Move up
    checked(ordering, words["verdicts"] + (("Partly",) if lab.lang == "en" else ("部分",)))
    shoot(page, f"a11y-keys-{lab.lang}.png")


def test_participant_app_inside_jupyterlab_is_offline(page: Any, lab: Lab) -> None:
    """The participant app as a Jupyter server renders it (``/voila/render/...``, as on the class hub): no Font
    Awesome or MathJax from a CDN, and the icons still show."""
    page.requests.clear()
    page.goto(f"http://127.0.0.1:{lab.port}/voila/render/{path_of(lab, '08-workshop-participant.ipynb')}?token={TOKEN}")
    page.locator(".playbook-join button").wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    page.wait_for_function(ICONS_JS)  # the buttons' icons, from a font Voilà serves itself
    assert page.requests and outside(page.requests, lab.port) == []


# --- the participant app (Voilà) -----------------------------------------------------------------


@contextmanager
def participant_app(tmp: Path, lang: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``playbook workshop serve --lang LANG`` on loopback, with an English and a Chinese workshop open."""
    home = tmp / "trainer-home"
    with Store.open(home) as store:
        codes = {lang: store.open_workshop(f"Accessibility {lang}", {"kind": "signal-id", "n": 2, "lang": lang}).code
                 for lang in LANGS}
    port = free_port()
    log = (tmp / "voila.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "workshop", "serve", "--app", "voila", "--no-browser",
                               f"--port={port}", f"--lang={lang}"], env=jupyter_env(tmp, home), stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/")
        yield port, codes
    finally:
        stop_server(server, log, timeout=20)


@pytest.fixture(scope="module")
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, str]]]:
    """The app in the language given (``indirect``), its port and the workshops' codes by room language."""
    with participant_app(tmp_path_factory.mktemp(f"a11y-app-{request.param}"), request.param) as served:
        yield served


@pytest.mark.parametrize(("app", "room"), [("en", "en"), ("en", "zh-Hans"), ("zh-Hans", "zh-Hans")], indirect=["app"])
def test_participant_app_by_keys_offline(app: tuple[int, dict[str, str]], browser: Any, room: str,
                                         request: pytest.FixtureRequest) -> None:
    """Join and answer a drill item with keys alone; axe at the join, drill and feedback states; the page's
    language follows the room's, the notebook's own text keeps the app's; the icons still show; not one request
    leaves the machine."""
    axe_source()
    port, codes = app
    app_lang = request.node.callspec.params["app"]
    words = WORDS[room]
    problems: list[str] = []
    with new_page(browser) as page:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"http://127.0.0.1:{port}/")
        code_box = page.get_by_placeholder(WORDS[app_lang]["code"])
        code_box.wait_for()
        page.wait_for_timeout(500)
        problems += run_axe(page, APP_SCOPE, f"app-{app_lang}-{room}-join")
        rings, ring_issues = ring_problems(page, APP_SCOPE)  # the join form's fields and button
        problems += [f"focus: {p}" for p in ring_issues]
        page.reload()  # a fresh page (and kernel): the keys start from the top
        code_box.wait_for()
        page.wait_for_timeout(500)

        # join: Tab to the code box, type, Tab, type, Tab to Join, Enter
        tab_to(page, "e.tagName === 'INPUT' && e.type === 'text'")
        assert page.evaluate("document.activeElement.placeholder") == WORDS[app_lang]["code"]
        page.keyboard.type(codes[room].lower())
        tab_to(page, "e.tagName === 'INPUT' && e.type === 'text'")
        page.keyboard.type("Vera")
        tab_to(page, "e.tagName === 'BUTTON'")
        page.keyboard.press("Enter")
        focus = wait_for_focus(page, "e.matches('.playbook-view h3')", "the first exercise's title")
        assert page.evaluate("document.documentElement.lang") == room
        assert page.locator(".playbook-view").first.get_attribute("lang") == room
        problems += run_axe(page, APP_SCOPE, f"app-{app_lang}-{room}-drill")

        view = page.locator(".playbook-view").first
        live = view.locator(".playbook-live")
        assert live.count() == 1 and live.inner_text().strip() == ""
        focus = tab_to(page, "e.type === 'radio'")
        assert focus["group"] == STEP_ONE[room], focus
        page.keyboard.press("ArrowRight")
        focus = wait_for_focus(page, "e.type === 'radio' && e.checked", "the next option")
        assert focus["text"] == words["not-signal"], focus
        tab_to(page, "e.classList.contains('playbook-check')")
        page.keyboard.press("Enter")
        wait_for_focus(page, "e.classList.contains('playbook-next')", "Next")
        page.wait_for_function("l => l.textContent.trim().length > 0", arg=live.element_handle())
        assert any(word in live.inner_text() for word in words["verdicts"]), live.inner_text()
        problems += run_axe(page, APP_SCOPE, f"app-{app_lang}-{room}-feedback")
        page.keyboard.press("Enter")
        wait_for_focus(page, "e.matches('.playbook-view h3')", "the second exercise's title")
        more, ring_issues = ring_problems(page, APP_SCOPE)  # the drill's options
        rings += more
        problems += [f"focus: {p}" for p in ring_issues]
        texts, lang_issues = lang_problems(page, APP_SCOPE)
        problems += [f"lang: {p}" for p in lang_issues]
        page.wait_for_function(ICONS_JS)  # the buttons' icons, from a font Voilà serves itself
        shoot(page, f"a11y-app-{app_lang}-{room}.png")
    problems += [f"request: {url}" for url in outside(requests, port)]
    assert rings > 3 and texts > 5 and requests, (rings, texts, len(requests))
    assert problems == [], "\n".join(problems)


def test_the_checks_can_fail(browser: Any) -> None:
    """The request, ring and lang checks see what they are meant to see (on a page made to fail them)."""
    assert outside(["http://127.0.0.1:8866/x", "data:,", "https://cdn.jsdelivr.net/npm/a.css",
                    "ws://127.0.0.1:8866/k", "http://127.0.0.1:9999/"], 8866) == [
        "http://127.0.0.1:9999/", "https://cdn.jsdelivr.net/npm/a.css"]
    assert simplified_left("这是您的发票") == ["发", "这"] and simplified_left("這是您的發票，東莞一家家具廠") == []
    bad = ("<div class='playbook-view' lang='en'><h3>Title</h3><p>不是成交信号</p>"
           "<button style='outline: 1px solid #ccc'>Check</button>"
           "<div lang='zh-Hans'><p>This is a whole English sentence here</p></div>"
           "<h5>Skipped</h5><img src='data:,'></div>")
    with new_page(browser) as page:
        page.set_content(f"<html lang='en'><body>{bad}</body></html>")
        rings, ring_issues = ring_problems(page, ".playbook-view")
        _, lang_issues = lang_problems(page, ".playbook-view")
        if AXE.exists():
            found = run_axe(page, ".playbook-view", "self-check")
            assert any("image-alt" in p for p in found) and any("heading-order" in p for p in found), found
    assert rings == 1 and len(ring_issues) == 1 and "no visible ring" in ring_issues[0]
    assert any("Chinese in lang=\"en\"" in p for p in lang_issues)
    assert any("English in lang=\"zh-Hans\"" in p for p in lang_issues)


PAGE_SCOPE = ".pb-page"


@pytest.mark.parametrize(("lang", "room"), [("en", "en"), ("en", "zh-Hans"), ("zh-Hans", "zh-Hans")])
def test_participant_page_by_keys_offline(browser: Any, lang: str, room: str, tmp_path: Path) -> None:
    """The participant page (``workshop serve``, no kernel): join and answer with keys alone; axe at the join,
    drill, feedback and score; a visible focus ring on every control; focus moves to the exercise, the feedback and
    the next exercise; the live region reads the verdict; every run of text carries its language; nothing is
    fetched from outside. A room in another language than the page's: the drill speaks the room's, and says so."""
    axe_source()
    home = tmp_path / "trainer-home"
    with Store.open(home) as store:
        code = store.open_workshop(f"Accessibility {room}", {"kind": "signal-id", "n": 2, "lang": room}).code
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "--home", str(home), "workshop", "serve",
                               "--no-browser", f"--port={port}", f"--lang={lang}"], env=jupyter_env(tmp_path, home),
                              stdout=log, stderr=subprocess.STDOUT)
    words, problems = WORDS[room], []
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/", timeout=60)
        with new_page(browser, lang, bypass_csp=True) as page:
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"http://127.0.0.1:{port}/")
            assert page.evaluate("document.documentElement.lang") == lang
            problems += run_axe(page, PAGE_SCOPE, f"page-{lang}-{room}-join")
            rings, ring_issues = ring_problems(page, PAGE_SCOPE)
            problems += [f"focus: {p}" for p in ring_issues]
            # Tab past the language links to the code box, type, Tab, type, Enter
            tab_to(page, "e.tagName === 'INPUT' && e.name === 'code'")
            page.keyboard.type(code.lower())
            tab_to(page, "e.tagName === 'INPUT' && e.name === 'name'")
            page.keyboard.type("Vera" if lang == "en" else "陈静")
            page.keyboard.press("Enter")
            wait_for_focus(page, "e.id === 'pb-heading'", "the drill's heading")
            page.locator("form.pb-answer").wait_for()
            assert page.evaluate("document.documentElement.lang") == lang
            assert page.locator("#pb-drill").get_attribute("lang") == room
            problems += run_axe(page, PAGE_SCOPE, f"page-{lang}-{room}-drill")
            focus = tab_to(page, "e.type === 'radio'")
            page.keyboard.press("ArrowRight")
            focus = wait_for_focus(page, "e.type === 'radio' && e.checked", "the next option")
            assert focus["text"] == words["not-signal"] or page.evaluate("document.activeElement.value") == "not-a-signal"
            tab_to(page, "e.id === 'pb-check'")
            page.keyboard.press("Enter")
            wait_for_focus(page, "e.classList.contains('playbook-feedback')", "the feedback")
            live = page.locator("#pb-live")
            page.wait_for_function("l => l.textContent.trim().length > 0", arg=live.element_handle())
            assert any(word in live.inner_text() for word in words["verdicts"]), live.inner_text()
            problems += run_axe(page, PAGE_SCOPE, f"page-{lang}-{room}-feedback")
            more, ring_issues = ring_problems(page, PAGE_SCOPE)
            rings += more
            problems += [f"focus: {p}" for p in ring_issues]
            tab_to(page, "e.id === 'pb-next'", limit=20)
            page.keyboard.press("Enter")
            wait_for_focus(page, "e.id === 'pb-heading'", "the second exercise's heading")
            texts, lang_issues = lang_problems(page, PAGE_SCOPE)
            problems += [f"lang: {p}" for p in lang_issues]
            shoot(page, f"a11y-page-{lang}-{room}.png", full_page=True)
        problems += [f"request: {url}" for url in outside(requests, port)]
        assert rings > 3 and texts > 5, (rings, texts)
        assert problems == [], "\n".join(problems)
    finally:
        stop_server(server, log)


def test_a_call_on_the_participant_page_by_keys(browser: Any, tmp_path: Path) -> None:
    """A whole call on the page with keys alone: each reply is a button reached by Tab; after a reply, focus moves to
    the next turn's first reply and the live region reads the customer's line; the reply that ends the call brings
    focus to the replay; axe finds nothing blocking in the call or its replay."""
    axe_source()
    call = next(ex for ex in load_catalog().exercises if ex.kind == "call")
    home = tmp_path / "trainer-home"
    with Store.open(home) as store:
        code = store.open_workshop("情景通话", {"ids": [call.id], "n": 1, "lang": "zh-Hans"}).code
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "--home", str(home), "workshop", "serve",
                               "--no-browser", f"--port={port}", "--lang=zh-Hans"], env=jupyter_env(tmp_path, home),
                              stdout=log, stderr=subprocess.STDOUT)
    problems: list[str] = []
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/", timeout=60)
        with new_page(browser, "zh-Hans", bypass_csp=True) as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#pb-join input[name=code]").fill(code)
            page.locator("#pb-join input[name=name]").fill("陈静")
            page.keyboard.press("Enter")
            wait_for_focus(page, "e.id === 'pb-heading'", "the drill's heading")
            problems += run_axe(page, PAGE_SCOPE, "page-call-start")
            tab_to(page, "e.classList.contains('pb-reply')", limit=20)
            turns = 0
            while turns <= len(call.nodes):
                page.keyboard.press("Enter")
                turns += 1
                wait_for_focus(page, "e.classList.contains('pb-reply') || e.classList.contains('playbook-feedback')",
                               "the next turn's first reply, or the replay")
                if page.evaluate("document.activeElement.classList.contains('playbook-feedback')"):
                    break
                words = page.locator(".playbook-call-log .playbook-call-customer p").last.inner_text()[:8]
                page.wait_for_function("w => document.getElementById('pb-live').textContent.includes(w)", arg=words)
            wait_for_focus(page, "e.classList.contains('playbook-feedback')", "the call's replay")
            problems += run_axe(page, PAGE_SCOPE, "page-call-replay")
            texts, lang_issues = lang_problems(page, PAGE_SCOPE)
            problems += [f"lang: {p}" for p in lang_issues]
            shoot(page, "a11y-page-call-zh-Hans.png", full_page=True)
        assert turns >= 2 and texts > 5
        assert problems == [], "\n".join(problems)
        with Store.open(home) as store:
            assert len(store.attempts(session=code)) == 1
    finally:
        stop_server(server, log)
