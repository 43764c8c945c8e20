"""Shared pieces of the browser tests: a JupyterLab or Voilà server on loopback, Debian's Chromium driven by
Playwright, answering by clicking, and measuring what a person sees (clipped or overlapping text, Chinese
glyphs rather than empty boxes).

Needs /usr/bin/chromium (``python3 run.py test`` installs it, with a Chinese font, on Debian as root).
Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

from playbook_lib.lab import lab_env

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
TOKEN = "closing-playbook-test"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
WIDE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
ROOTS = (".playbook-view, .playbook-drill, .playbook-join, .playbook-name, .playbook-dashboard, "
         ".playbook-workshop-panel, .playbook-card, .playbook-weakest, .playbook-coach")
WORDS = {  # what a learner clicks and reads, by language
    "en": {"run": "Run", "run-all": "Run All Cells", "idle": "Idle", "not-signal": "Not a signal", "check": "Check",
           "verdicts": ("Right", "Not quite"), "join": "Join", "joined": "Joined workshop", "code": "e.g. K7Q2MX",
           "name": "Your name"},
    "zh-Hans": {"run": "运行", "run-all": "运行所有单元格", "idle": "空闲", "not-signal": "不是成交信号",
                "check": "提交", "verdicts": ("答对了", "不太对"), "join": "加入", "joined": "你已加入工作坊",
                "code": "例如 K7Q2MX", "name": "你的姓名"},
    "zh-Hant": {"run": "執行", "run-all": "執行所有儲存格", "idle": "Idle", "not-signal": "不是成交信號",
                "check": "提交", "verdicts": ("答對了", "不太對"), "join": "加入", "joined": "你已加入工作坊",
                "code": "例如 K7Q2MX", "name": "你的姓名"},
}

browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_env(base: Path, home: Path, lang: str = "en") -> dict[str, str]:
    """Environment for a Jupyter server whose state, and the practice record, live under ``base``;
    JupyterLab's own menus in ``lang``."""
    state = base / "jupyter"
    settings = state / "settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)  # lay out every cell, so every widget can be measured
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, PLAYBOOK_HOME=str(home), JUPYTER_CONFIG_DIR=str(state / "config"),
               JUPYTER_DATA_DIR=str(state / "data"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               IPYTHONDIR=str(state / "ipython"), MPLCONFIGDIR=str(state / "mpl"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), JUPYTERLAB_SETTINGS_DIR=str(settings))
    env.pop("MPLBACKEND", None)
    env.pop("PLAYBOOK_DB_URL", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return lab_env(state / "labconfig-root", lang, env)


def wait_for_http(proc: subprocess.Popen, url: str, timeout: float = 180) -> None:
    """Wait until ``url`` answers, or fail if the server exits first. A request may take its time: a Voilà page
    runs its notebook before it answers, and cutting it short would only start another kernel."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=max(2.0, min(60.0, deadline - time.monotonic())))
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in time")


def stop_server(proc: subprocess.Popen, log: IO[str] | None = None, timeout: float = 15) -> None:
    """Stop a server the test started (SIGTERM, then SIGKILL after ``timeout`` s) and close its log."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
    if log is not None:
        log.close()


class Lab:
    """A JupyterLab server on loopback with all its state in a temporary folder, its menus in ``lang``."""

    def __init__(self, base: Path, lang: str = "en") -> None:
        self.lang = lang
        self.root = base / "notebooks"
        shutil.copytree(ROOT / "notebooks", self.root)
        self.home = base / "playbook-home"
        self.port = free_port()
        self.env = jupyter_env(base, self.home, lang)
        args = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={self.root}", "--ServerApp.port_retries=0",
                "--LabApp.expose_app_in_browser=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        self.log = (base / "lab.log").open("w")
        self.proc = subprocess.Popen(args, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_http(self.proc, f"http://127.0.0.1:{self.port}/api/status?token={TOKEN}")

    def url(self, notebook: str) -> str:
        return f"http://127.0.0.1:{self.port}/lab/tree/{notebook}?reset&token={TOKEN}"

    def stop(self) -> None:
        stop_server(self.proc, self.log)


@contextmanager
def chromium_page(viewport: dict[str, int] = DESKTOP, lang: str = "en") -> Iterator:
    """A page in Debian's Chromium, driven by Playwright (no browser download)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport=viewport, locale="zh-CN" if lang.startswith("zh") else "en-GB")
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        context.close()
        browser.close()


def open_and_run_all(page, lab: Lab, notebook: str) -> None:
    """Open a notebook, wait for its kernel, and run every cell (JupyterLab's own Run All command)."""
    words = WORDS[lab.lang]
    with page.expect_websocket(lambda ws: "/api/kernels/" in ws.url, timeout=60_000):
        page.goto(lab.url(notebook))
    page.locator(".jp-Notebook").first.wait_for()
    page.locator("#jp-main-statusbar").get_by_text(words["idle"]).first.wait_for(timeout=60_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_until_idle(page, lang: str, timeout: float = 120) -> None:
    """Wait until every cell has run (no cell shows [*]) and the kernel is idle."""
    page.wait_for_function("() => ![...document.querySelectorAll('.jp-InputPrompt')]"
                           ".some(p => p.textContent.includes('*'))", timeout=timeout * 1000)
    page.locator("#jp-main-statusbar").get_by_text(WORDS[lang]["idle"]).first.wait_for(timeout=timeout * 1000)


def recorded(home: Path, kind: str, timeout: float = 10, at_least: int = 1) -> list:
    """The attempts of ``kind`` in the practice record under ``home``, waiting up to ``timeout`` s for ``at_least``."""
    from playbook_lib.store import STORE_NAME, Store

    deadline = time.monotonic() + timeout
    rows: list = []
    while time.monotonic() < deadline and len(rows) < at_least:
        with Store(home / STORE_NAME) as store:
            rows = [a for a in store.attempts() if a.kind == kind]
        time.sleep(0.2)
    return rows


def shoot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def answer_not_a_signal(page, view, lang: str = "en") -> float:
    """Pick "Not a signal" then Check in a signal exercise; return ms from Check to the feedback on screen."""
    words = WORDS[lang]
    view.scroll_into_view_if_needed()
    view.locator(".playbook-step label", has_text=words["not-signal"]).first.click()
    check = view.locator("button", has_text=words["check"])
    page.wait_for_function("b => !b.disabled", arg=check.element_handle())
    started = time.perf_counter()
    check.click()
    view.locator(".playbook-feedback").wait_for()
    return (time.perf_counter() - started) * 1000


WIDGET_TEXTS = ("label, button, input[type=radio], input[type=checkbox], input[type=text], select, textarea, "
                ".widget-html-content p, .widget-html-content li, .widget-html-content h2, .widget-html-content h3, "
                ".widget-html-content h4, .widget-html-content td, .widget-html-content th, .widget-html-content summary, "
                ".widget-html-content code")
PAGE_ROOTS = ".pb-page"
PAGE_TEXTS = ("label > span, button, input, textarea, p, li > span, ol:not(.pb-order) > li, ul > li, h1, h2, h3, "
              "legend, summary, a, strong")
MEASURE_JS = """
({roots, items}) => {
  const textRect = (e) => {
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName)) return e.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(e);
    const r = range.getBoundingClientRect();
    return (r.width && r.height) ? r : e.getBoundingClientRect();
  };
  const name = (e) => (e.tagName.toLowerCase() + ' "' + (e.innerText || e.value || '').trim().slice(0, 60) + '"');
  const problems = [];
  let measured = 0;
  for (const root of document.querySelectorAll(roots)) {
    if (!root.getClientRects().length) continue;
    const els = [...root.querySelectorAll(items)].filter(e => e.getClientRects().length
      && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[style*="display: none"]')
      && !(e.closest('details:not([open])') && !e.closest('summary'))
      && (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(e.tagName) || (e.innerText || '').trim()));
    const rects = els.map(textRect);
    measured += els.length;
    els.forEach((e, i) => {
      const r = rects[i];
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
        const box = a.getBoundingClientRect();
        if (r.right > box.right + 2 || r.bottom > box.bottom + 2 || r.left < box.left - 2) {
          if (a.scrollHeight > a.clientHeight + 2 || a.scrollWidth > a.clientWidth + 2 || cs.overflowX === 'hidden'
              || cs.overflowY === 'hidden') {
            problems.push('clipped: ' + name(e) + ' by ' + a.className.toString().slice(0, 60));
          }
        }
        break;
      }
      if (e.tagName === 'BUTTON' && (e.scrollWidth > e.clientWidth + 2 || e.scrollHeight > e.clientHeight + 2)) {
        problems.push('clipped: ' + name(e));
      }
    });
    for (let i = 0; i < els.length; i++) {
      for (let j = i + 1; j < els.length; j++) {
        if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
        const a = rects[i], b = rects[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) problems.push('overlap: ' + name(els[i]) + ' / ' + name(els[j]));
      }
    }
  }
  return {measured, problems: [...new Set(problems)]};
}
"""


def measure_layout(page, roots: str = ROOTS, texts: str = WIDGET_TEXTS) -> tuple[int, list[str]]:
    """How many texts and controls were measured (the workbook's widgets, or ``roots`` and their ``texts``), and
    which are clipped or overlap."""
    found = page.evaluate(MEASURE_JS, {"roots": roots, "items": texts})
    return found["measured"], found["problems"]


GLYPHS_JS = """
(text) => {
  // Draw each character with the page's font: with no Chinese font, every character is the same empty box.
  const font = getComputedStyle(document.body).fontFamily;
  const shapes = new Set();
  for (const ch of text) {
    const c = document.createElement('canvas');
    c.width = 40; c.height = 40;
    const g = c.getContext('2d');
    g.font = '32px ' + font;
    g.fillText(ch, 2, 32);
    shapes.add(c.toDataURL());
  }
  return shapes.size;
}
"""


def distinct_glyphs(page, text: str) -> int:
    """How many different shapes the page's font draws for the characters of ``text`` (boxes all look alike)."""
    return page.evaluate(GLYPHS_JS, text)
