"""The call view in JupyterLab in Debian's Chromium at phone width (390 px): played with the keyboard and by
clicking, replies that wrap instead of running off the screen, the replay and the best path, and nothing clipped.

Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from playbook_lib.store import STORE_NAME, Store

from .browser import PHONE, Lab, browser_marks, chromium_page, measure_layout, open_and_run_all, shoot, wait_until_idle

pytestmark = browser_marks
CALLS = Path(__file__).resolve().parent / "calls"
NOTEBOOK = "call-view.ipynb"


def _notebook(folder: Path) -> None:
    cells = [f"import os\nos.environ['PLAYBOOK_CONTENT'] = {str(CALLS)!r}",
             "from playbook_lib import Workbook\nwb = Workbook.open(learner='Ada', lang='en')",
             "wb.exercise('ex.test.call-printer-lease')"]
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                      "source": source} for i, source in enumerate(cells)],
           "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
           "nbformat": 4, "nbformat_minor": 5}
    (folder / NOTEBOOK).write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    server = Lab(tmp_path_factory.mktemp("lab"))
    _notebook(server.root)
    yield server
    server.stop()


def test_a_call_played_on_a_phone(lab: Lab) -> None:
    with chromium_page(PHONE) as page:
        open_and_run_all(page, lab, NOTEBOOK)
        wait_until_idle(page, "en")
        view = page.locator(".playbook-call").first
        view.wait_for(timeout=90_000)
        replies = view.locator("button.playbook-call-reply")
        replies.first.wait_for()
        assert replies.count() == 3
        if page.locator("#jp-left-stack").is_visible():  # the file browser takes most of a phone's width
            page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
        page.evaluate("window.jupyterapp.commands.execute('application:toggle-mode')")  # one notebook, full width
        view.scroll_into_view_if_needed()
        width = page.viewport_size["width"]
        for i in range(replies.count()):  # every reply fits the screen: long ones wrap onto more lines
            box = replies.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
        shoot(page, "call-phone-start.png")
        # the keyboard: Tab to a reply and press Enter
        replies.filter(has_text="What did that week cost you?").focus()
        page.keyboard.press("Enter")
        view.get_by_text("So what happens when it breaks?").wait_for()
        view.locator("button.playbook-call-reply", has_text="Next-day repair").click()
        long_reply = view.locator("button.playbook-call-reply", has_text="Sum up")
        long_reply.wait_for()
        box = long_reply.bounding_box()
        assert box["height"] > 40 and box["x"] + box["width"] <= width + 1  # wrapped, not cut off
        shoot(page, "call-phone-long-reply.png")
        long_reply.click()
        view.locator(".playbook-call-replay").wait_for()
        view.locator("button", has_text="Show the best path").click()
        view.locator(".playbook-call-best").wait_for()
        text = view.inner_text()
        assert "Your call, replayed" in text and "How it ended: Signed" in text and "The best path" in text
        measured, problems = measure_layout(page)
        shoot(page, "call-phone-replay.png", full_page=True)
        assert measured > 20 and problems == []
    deadline, rows = time.monotonic() + 10, []
    while time.monotonic() < deadline and not rows:
        with Store(lab.home / STORE_NAME) as store:
            rows = [a for a in store.attempts() if a.kind == "call"]
        time.sleep(0.2)
    assert len(rows) == 1 and rows[0].answer["path"] == ["n1a", "n2a", "n3a"] and rows[0].correct
