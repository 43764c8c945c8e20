"""JupyterLab in Debian's Chromium, driven by Playwright: run a notebook, answer by clicking, see the chart.

Needs /usr/bin/chromium (``python3 run.py test`` installs it on Debian when run as root); skipped otherwise.
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

import pytest

from playbook_lib.store import STORE_NAME, Store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
TOKEN = "closing-playbook-test"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_env(base: Path, home: Path) -> dict[str, str]:
    """Environment for a Jupyter server whose state, and the practice record, live under ``base``."""
    state = base / "jupyter"
    settings = state / "settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ, PLAYBOOK_HOME=str(home), JUPYTER_CONFIG_DIR=str(state / "config"),
               JUPYTER_DATA_DIR=str(state / "data"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               IPYTHONDIR=str(state / "ipython"), MPLCONFIGDIR=str(state / "mpl"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), JUPYTERLAB_SETTINGS_DIR=str(settings))
    env.pop("MPLBACKEND", None)
    env.pop("PLAYBOOK_DB_URL", None)
    return env


def wait_for_http(proc: subprocess.Popen, url: str, timeout: float = 60) -> None:
    """Wait until ``url`` answers, or fail if the server exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in time")


class Lab:
    """A JupyterLab server on loopback with all its state in a temporary folder."""

    def __init__(self, base: Path) -> None:
        self.root = base / "notebooks"
        shutil.copytree(ROOT / "notebooks", self.root)
        self.home = base / "playbook-home"
        self.port = free_port()
        self.env = jupyter_env(base, self.home)
        args = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={self.root}", "--ServerApp.port_retries=0"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        self.log = (base / "lab.log").open("w")
        self.proc = subprocess.Popen(args, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_http(self.proc, f"http://127.0.0.1:{self.port}/api/status?token={TOKEN}")

    def url(self, notebook: str) -> str:
        return f"http://127.0.0.1:{self.port}/lab/tree/{notebook}?reset&token={TOKEN}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    server = Lab(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@contextmanager
def chromium_page() -> Iterator:
    """A page in Debian's Chromium, driven by Playwright (no browser download)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture(scope="module")
def page(lab: Lab):
    with chromium_page() as page:
        yield page


def open_and_run_all(page, lab: Lab, notebook: str) -> None:
    with page.expect_websocket(lambda ws: "/api/kernels/" in ws.url, timeout=60_000):
        page.goto(lab.url(notebook))
    page.locator(".jp-Notebook").first.wait_for()
    page.locator("#jp-main-statusbar").get_by_text("Idle").first.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def answer_not_a_signal(page, view) -> float:
    """Click "Not a signal" then Check in a signal exercise; return ms from Check to the feedback on screen."""
    view.scroll_into_view_if_needed()
    view.locator("button.widget-toggle-button", has_text="Not a signal").click()
    check = view.locator("button", has_text="Check")
    page.wait_for_function("b => !b.disabled", arg=check.element_handle())
    started = time.perf_counter()
    check.click()
    view.locator(".playbook-feedback").wait_for()
    return (time.perf_counter() - started) * 1000


def test_signal_exercise_answered_by_clicking(page, lab: Lab) -> None:
    open_and_run_all(page, lab, "02-timing-and-signals.ipynb")
    view = page.locator(".playbook-view").filter(has=page.locator(".widget-toggle-buttons")).first
    view.wait_for(timeout=90_000)
    elapsed_ms = answer_not_a_signal(page, view)
    text = view.locator(".playbook-feedback").inner_text()
    assert any(word in text for word in ("Right", "Not quite"))
    shoot(page, "02-signal-feedback.png")
    (ARTIFACTS / "click-to-feedback-ms.txt").write_text(f"{elapsed_ms:.0f}\n")
    deadline = time.monotonic() + 10
    rows = []
    while time.monotonic() < deadline and not rows:
        with Store(lab.home / STORE_NAME) as store:
            rows = [a for a in store.attempts() if a.kind == "signal-id"]
        time.sleep(0.2)
    assert len(rows) == 1 and rows[0].answer == {"signal": False, "kind": None}


def test_progress_notebook_shows_a_chart(page, lab: Lab) -> None:
    open_and_run_all(page, lab, "05-my-progress.ipynb")
    chart = page.locator(".jp-OutputArea-output img").first
    chart.wait_for(timeout=90_000)
    chart.scroll_into_view_if_needed()
    assert chart.bounding_box()["height"] > 100
    shoot(page, "05-progress-chart.png")

