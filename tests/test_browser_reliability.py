"""A database that goes away mid-drill, as a participant sees it in Debian's Chromium (Voilà participant app).

The PostgreSQL server is stopped between two answers: the participant sees "Not saved" with the reason in the
widget, the answer stays on screen, and pressing Check again once the server is back saves it, in the same kernel.
Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook_lib.store import Store

from .browser import stop_server
from .test_browser import answer_not_a_signal, chromium_page, free_port, jupyter_env, pytestmark, shoot, wait_for_http
from .test_reliability import SECRET, PgServer

__all__ = ["pytestmark"]


@pytest.fixture
def server() -> Iterator[PgServer]:
    own = PgServer()
    yield own
    own.destroy()


def test_postgres_stopped_mid_drill_shows_not_saved_then_saves(server: PgServer, tmp_path: Path) -> None:
    with Store(url=server.url) as store:
        code = store.open_workshop("Server check", {"kind": "signal-id", "n": 3}).code
    port = free_port()
    env = jupyter_env(tmp_path, tmp_path / "home")
    env["PLAYBOOK_DB_URL"] = server.url
    log = (tmp_path / "voila.log").open("w")
    app = subprocess.Popen([sys.executable, "-m", "playbook_lib", "workshop", "serve", "--app", "voila", "--no-browser",
                            f"--port={port}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(app, f"http://127.0.0.1:{port}/")
        with chromium_page() as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_placeholder("e.g. K7Q2MX").fill(code)
            page.get_by_placeholder("Your name").fill("Vera")
            page.locator(".playbook-join button", has_text="Join").click()
            page.get_by_text("Joined workshop").wait_for()
            answer_not_a_signal(page, page.locator(".playbook-view").first)  # saved while the server is up
            page.locator("button.playbook-next").click()

            server.stop()
            view = page.locator(".playbook-view").first
            not_a_signal = view.locator(".playbook-step label", has_text="Not a signal").first
            not_a_signal.click()
            check = view.locator("button", has_text="Check")
            page.wait_for_function("b => !b.disabled", arg=check.element_handle())
            check.click()
            alert = view.get_by_role("alert")
            alert.wait_for()
            said = alert.inner_text()
            assert "Not saved" in said and "cannot be reached" in said and SECRET not in page.content()
            assert view.get_by_text("Your answer is still here").is_visible()
            assert not_a_signal.locator("input").is_checked() and check.is_enabled()  # the answer stays, to retry
            assert view.locator(".playbook-feedback").count() == 0
            shoot(page, "reliability-not-saved.png")

            server.start()
            check.click()
            view.locator(".playbook-feedback").wait_for()
            assert view.get_by_role("alert").count() == 0
            shoot(page, "reliability-saved-after-restart.png")
        with Store(url=server.url) as store:
            rows = store.attempts(session=code)
        assert len(rows) == 2 and {r.learner for r in rows} == {"Vera"}
        assert rows[1].answer == {"signal": False, "kind": None}
    finally:
        stop_server(app, log, timeout=30)
