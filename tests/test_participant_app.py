"""The participant app: Voilà serving the workshop notebook, driven in Debian's Chromium by Playwright.

Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playbook_lib.store import Store

from .test_browser import answer_not_a_signal, chromium_page, free_port, jupyter_env, pytestmark, shoot, wait_for_http

__all__ = ["pytestmark"]


def test_participant_app_in_voila(tmp_path: Path) -> None:
    """The trainer serves the participant app; a participant joins, answers by clicking, sees feedback."""
    home = tmp_path / "trainer-home"
    with Store.open(home) as store:
        code = store.open_workshop("Voilà check", {"kind": "signal-id", "n": 3}).code
    port = free_port()
    env = jupyter_env(tmp_path, home)
    log = (tmp_path / "voila.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "workshop", "serve", "--no-browser",
                               f"--port={port}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/")
        with chromium_page() as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_placeholder("e.g. K7Q2MX").fill(code.lower())
            page.get_by_placeholder("Your name").fill("Vera")
            page.locator(".playbook-join button", has_text="Join").click()
            page.get_by_text("Joined workshop").wait_for()
            answer_not_a_signal(page, page.locator(".playbook-view").first)
            assert "import Workbook" not in page.locator("body").inner_text()  # no code on show
            shoot(page, "08-voila-participant.png")
        with Store.open(home) as store:
            rows = store.attempts(session=code)
            assert len(rows) == 1 and rows[0].learner == "Vera" and rows[0].mode == "workshop"
            assert [p.name for p in store.participants(code)] == ["Vera"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
