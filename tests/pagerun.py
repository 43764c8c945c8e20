"""A workshop room on one laptop with the participant page (``playbook workshop serve --app page``), driven like a
room of people: the serve process on loopback with a workshop open in the trainer's record, and participants, each
in a Chromium page of their own (one browser, a context per person), joining, answering by clicking, reloading and
closing. The page needs no kernel: the serve process itself grades and records.

Used by tests/test_room.py and benchmarks/room.py (``--part page``); the server and the participants build on
tests/roomrun.py's Room and Person. Needs /usr/bin/chromium and Playwright (async API).
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from .roomrun import Person, Room

KERNEL_WORDS = ("ipykernel", "playbook_lib._kernel")  # in a kernel's command line
JOIN = "#pb-join"
EXERCISE = "#pb-exercise form.pb-answer"


class PageApp(Room):
    """The participant page serving one workshop (``n`` signal items) from a trainer's record under ``base``: set up,
    logged, read and stopped as :class:`tests.roomrun.Room`; no kernel, so nothing to wait for but the page."""

    app = "page"

    def __init__(self, base: Path, *, n: int = 5, lang: str = "en") -> None:
        super().__init__(base, n=n, pool_size=0, lang=lang)
        self.url = f"{self.url}?lang={lang}"

    def options(self, idle_minutes: float, pool_size: int) -> list[str]:
        return []  # no kernels to free or keep warm

    def wait_ready(self, timeout: float = 120) -> float:
        """Wait until ``GET /`` answers 200; seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the page was not served in {timeout} s:\n{self.log()[-3000:]}")

    def server(self) -> psutil.Process:
        """The serve process (it serves the page itself)."""
        return psutil.Process(self.proc.pid)

    def memory(self) -> tuple[int, int]:
        """(RSS, USS) of the serve process, in bytes."""
        found = self.server().memory_full_info()
        return found.rss, found.uss

    def kernels(self) -> list[psutil.Process]:
        """Kernel processes under the serve process (there should be none), by any word of a kernel's command line."""
        found = []
        for child in self.server().children(recursive=True):
            try:
                if any(word in " ".join(child.cmdline()) for word in KERNEL_WORDS):
                    found.append(child)
            except psutil.Error:
                continue
        return found

    def post(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """One of the page's JSON requests (join, exercise, answer), as its script sends it."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/{action}", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


class Visitor(Person):
    """One participant in a page of their own (closed as :class:`tests.roomrun.Person` closes its page)."""

    def __init__(self, room: PageApp, context: Any, name: str) -> None:
        super().__init__(room, context, name)
        self.refill_missed = 0  # reloads after which the code and name were not filled in again

    async def open(self, reload: bool = False) -> float:
        """Open the page (or reload it); seconds until the code can be typed in (:attr:`served`: until the server
        had sent the page)."""
        from playwright.async_api import expect

        if self.page is None:
            self.page = await self.context.new_page()
            self.page.set_default_timeout(120_000)
        started = time.perf_counter()
        if reload:
            await self.page.reload()
        else:
            await self.page.goto(self.room.url)
        code = self.page.locator(f"{JOIN} input[name=code]")
        await code.wait_for()  # visible (as roomrun's Person waits for the Voilà join form)
        await expect(code).to_be_enabled(timeout=120_000)
        ready = time.perf_counter() - started
        self.served = await self.page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd / 1000")
        return ready

    async def join(self, again: bool = False) -> float:
        """Type the code and name (``again``: after a reload, they are filled in from the tab's storage) and Join;
        seconds from the click until the exercise's form is on screen."""
        code = self.page.locator(f"{JOIN} input[name=code]")
        name = self.page.locator(f"{JOIN} input[name=name]")
        if again:
            if (await code.input_value(), await name.input_value()) != (self.room.code, self.name):
                self.refill_missed += 1
                await code.fill(self.room.code)
                await name.fill(self.name)
        else:
            await code.fill(self.room.code)
            await name.fill(self.name)
        started = time.perf_counter()
        await self.page.locator(f"{JOIN} button[type=submit]").click()
        await self.page.locator(EXERCISE).wait_for()
        return time.perf_counter() - started

    async def position(self) -> str:
        """The drill's heading ("Room · Exercise 2 of 5")."""
        return (await self.page.locator("#pb-heading").inner_text()).strip()

    async def answer(self) -> float:
        """Answer the exercise on show ("Not a signal", Check), see the feedback, press Next; seconds from Check
        to the feedback."""
        form = self.page.locator(EXERCISE)
        await form.locator("fieldset").first.locator("label.pb-option").nth(1).click()
        await self.page.wait_for_function("() => !document.getElementById('pb-check').disabled")
        started = time.perf_counter()
        await self.page.locator("#pb-check").click()
        await self.page.locator("#pb-result .playbook-feedback").wait_for()
        took = time.perf_counter() - started
        self.confirmed += 1
        heading = await self.position()
        await self.page.locator("#pb-next").click()
        await self.page.wait_for_function(  # the next item (or the summary) is on show
            "h => document.getElementById('pb-heading').textContent.trim() !== h", arg=heading)
        return took
