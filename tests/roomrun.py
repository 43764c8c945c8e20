"""A workshop room on one laptop, driven like a room of people: ``playbook workshop serve`` on loopback with a
workshop open in the trainer's record, and participants, each in a Chromium page of their own (one browser,
a context per person: cookies and kernels of their own), joining, answering by clicking, closing and reloading.

Used by tests/test_room.py and benchmarks/room.py. Needs /usr/bin/chromium and Playwright (async API).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from playbook_lib.store import STORE_NAME, Store

from .browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, WORDS, free_port, jupyter_env, stop_server

KERNEL_MODULES = ("playbook_lib._kernel", "ipykernel_launcher")


class Room:
    """The participant app (``app``: the widget app in Voilà here, the page in :class:`tests.pagerun.PageApp`)
    serving one workshop (``n`` signal items) from a trainer's record under ``base``."""

    app = "voila"

    def __init__(self, base: Path, *, n: int = 5, idle_minutes: float = 0, pool_size: int = 2, lang: str = "en",
                 extra: tuple[str, ...] = ()) -> None:
        self.base, self.lang, self.pool_size = base, lang, pool_size
        self.home = base / "trainer-home"
        with Store.open(self.home) as store:
            self.code = store.open_workshop("Room", {"kind": "signal-id", "n": n, "lang": lang}).code
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = jupyter_env(base, self.home, lang)
        self.log_path = base / f"{self.app}.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "playbook_lib", "workshop", "serve", "--app", self.app, "--no-browser",
             f"--port={self.port}", f"--lang={lang}", *self.options(idle_minutes, pool_size), *extra],
            env=self.env, stdout=self._log, stderr=subprocess.STDOUT)

    def options(self, idle_minutes: float, pool_size: int) -> list[str]:
        """The app's own options of ``workshop serve``."""
        return [f"--idle-minutes={idle_minutes}", f"--pool-size={pool_size}"]

    def wait_ready(self, timeout: float = 240) -> float:
        """Wait until the server answers and its pool is full (without taking a kernel); seconds waited."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                urllib.request.urlopen(self.url + "voila/static/voila.js", timeout=5)
                if self.pool_size == 0 or "is filled" in self.log():
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the app was not ready in {timeout} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def server(self) -> psutil.Process | None:
        """The Voilà process (the command's child)."""
        children = psutil.Process(self.proc.pid).children()
        return children[0] if children else None

    def kernels(self) -> list[psutil.Process]:
        """The kernel processes running now."""
        found = []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if any(module in child.cmdline() for module in KERNEL_MODULES):
                    found.append(child)
            except psutil.Error:
                continue
        return found

    def kernel_alive(self, kernel_id: str) -> bool:
        """Whether the server still holds the kernel (Jupyter's kernel API: 404 once it is gone)."""
        try:
            urllib.request.urlopen(f"{self.url}api/kernels/{kernel_id}", timeout=10)
            return True
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise

    def wait_gone(self, kernel_ids: list[str], timeout: float) -> float:
        """Seconds until none of ``kernel_ids`` is held any more (fails after ``timeout``)."""
        started = time.monotonic()
        while any(self.kernel_alive(k) for k in kernel_ids):
            if time.monotonic() - started > timeout:
                alive = [k for k in kernel_ids if self.kernel_alive(k)]
                raise AssertionError(f"kernels still held {timeout:.0f} s on: {alive}")
            time.sleep(0.5)
        return time.monotonic() - started

    def wait_kernel_count(self, count: int, timeout: float) -> int:
        """Wait until exactly ``count`` kernel processes run (pool refills and shutdowns settle); the last count."""
        deadline = time.monotonic() + timeout
        found = len(self.kernels())
        while found != count and time.monotonic() < deadline:
            time.sleep(0.5)
            found = len(self.kernels())
        return found

    def recorded(self) -> list[Any]:
        """Every attempt of the workshop in the trainer's record."""
        with Store(self.home / STORE_NAME) as store:
            return store.attempts(session=self.code)

    def participants(self) -> list[Any]:
        with Store(self.home / STORE_NAME) as store:
            return store.participants(self.code)

    def stop(self) -> None:
        stop_server(self.proc, self._log, timeout=60)


class Person:
    """One participant in a page of their own."""

    def __init__(self, room: Room, context: Any, name: str) -> None:
        self.room, self.context, self.name = room, context, name
        self.page: Any = None
        self.kernel_id = ""
        self.confirmed = 0  # answers whose feedback was on screen (so the app said they were saved)
        self.served = 0.0  # seconds until the server had sent the whole page (kernel and rendered notebook)
        self.words = WORDS[room.lang]

    async def open(self) -> float:
        """Open (or reload) the app; seconds until the join form can be typed in (:attr:`served`: until the server
        had sent the page)."""
        if self.page is None:
            self.page = await self.context.new_page()
            self.page.set_default_timeout(120_000)
        started = time.perf_counter()
        await self.page.goto(self.room.url)
        await self.page.get_by_placeholder(self.words["code"]).wait_for()
        ready = time.perf_counter() - started
        self.served = await self.page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd / 1000")
        config = json.loads(await self.page.locator("#jupyter-config-data").text_content())
        self.kernel_id = config["kernelId"]
        return ready

    async def join(self) -> float:
        """Type the code and name and Join; seconds from the click until the first exercise is on screen."""
        await self.page.get_by_placeholder(self.words["code"]).fill(self.room.code)
        await self.page.get_by_placeholder(self.words["name"]).fill(self.name)
        started = time.perf_counter()
        await self.page.locator(".playbook-join button", has_text=self.words["join"]).click()
        await self.page.locator(".playbook-view .playbook-step label").first.wait_for()
        return time.perf_counter() - started

    async def position(self) -> str:
        """The drill's heading ("Room · 2 / 5")."""
        return (await self.page.locator(".playbook-drill-title").first.inner_text()).strip()

    async def answer(self) -> float:
        """Answer the exercise on show ("Not a signal", Check), see the feedback, press Next; seconds from Check
        to the feedback."""
        view = self.page.locator(".playbook-view").first
        await view.locator(".playbook-step label", has_text=self.words["not-signal"]).first.click()
        check = view.locator("button", has_text=self.words["check"])
        await self.page.wait_for_function("b => !b.disabled", arg=await check.element_handle())
        started = time.perf_counter()
        await check.click()
        await view.locator(".playbook-feedback").wait_for()
        took = time.perf_counter() - started
        self.confirmed += 1
        heading = await self.position()
        await self.page.locator("button.playbook-next").click()
        await self.page.wait_for_function(  # the next item (or the summary) is on show
            "h => (document.querySelector('.playbook-drill-title') || {}).textContent.trim() !== h", arg=heading)
        return took

    async def close(self, unload: bool = True) -> None:
        """Close the page: as a person closes a tab (``unload``), or as a crash or a lost network does."""
        await self.page.close(run_before_unload=unload)
        if unload:  # Playwright returns before the page has gone: wait until it has
            while not self.page.is_closed():
                await asyncio.sleep(0.1)


async def browser(playwright: Any) -> Any:
    """Debian's Chromium, headless (no browser download)."""
    return await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


async def people(browser: Any, room: Room, names: list[str], kind: type[Person] = Person) -> list[Any]:
    """A browser context (own cookies and storage) for each name, and a ``kind`` of participant in it."""
    locale = "zh-CN" if room.lang.startswith("zh") else "en-GB"
    contexts = [await browser.new_context(viewport=DESKTOP, locale=locale) for _ in names]
    return [kind(room, context, name) for context, name in zip(contexts, names, strict=True)]


async def shoot(page: Any, name: str, full_page: bool = False) -> None:
    """Keep a screenshot in tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0..1) percentile of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s, p95 {percentile(values, 0.95):.2f} s"
