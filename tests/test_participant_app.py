"""The participant app: Voilà serving the workshop notebook, driven in Debian's Chromium by Playwright, in
English and Chinese, at desktop and phone widths: join, answer by clicking, see the feedback, and nothing
clipped or overlapping.

Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from playbook_lib.store import Store

from .browser import (
    DESKTOP,
    PHONE,
    WORDS,
    answer_not_a_signal,
    browser_marks,
    chromium_page,
    distinct_glyphs,
    free_port,
    jupyter_env,
    measure_layout,
    shoot,
    stop_server,
    wait_for_http,
)

pytestmark = browser_marks


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("en", PHONE), ("zh-Hans", PHONE), ("zh-Hant", DESKTOP)],
                         ids=["en-desktop", "en-phone", "zh-Hans-phone", "zh-Hant-desktop"])
def test_participant_app_in_voila(tmp_path: Path, lang: str, viewport: dict[str, int]) -> None:
    """The trainer serves the participant app; a participant joins, answers by clicking, sees feedback."""
    words = WORDS[lang]
    home = tmp_path / "trainer-home"
    with Store.open(home) as store:
        code = store.open_workshop("Voilà check", {"kind": "signal-id", "n": 3, "lang": lang}).code
    port = free_port()
    env = jupyter_env(tmp_path, home, lang)
    log = (tmp_path / "voila.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "workshop", "serve", "--app", "voila",
                               "--no-browser", f"--port={port}", f"--lang={lang}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    name = "Vera" if lang == "en" else "陈静"
    try:
        # a static file: asking for the page itself would take a kernel from the pool (and hold it until culled)
        wait_for_http(server, f"http://127.0.0.1:{port}/voila/static/voila.js")
        with chromium_page(viewport, lang) as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_placeholder(words["code"]).fill(code.lower())
            page.get_by_placeholder(words["name"]).fill(name)
            measured, problems = measure_layout(page)
            assert measured >= 3 and problems == [], problems
            page.locator(".playbook-join button", has_text=words["join"]).click()
            page.get_by_text(words["joined"]).first.wait_for()
            view = page.locator(".playbook-view").first
            answer_not_a_signal(page, view, lang)
            feedback = view.locator(".playbook-feedback").inner_text()
            assert any(verdict in feedback for verdict in words["verdicts"]), feedback
            assert "import Workbook" not in page.locator("body").inner_text()  # no code on show
            measured, problems = measure_layout(page)
            assert measured > 8 and problems == [], problems
            if lang != "en":
                title = view.locator(".playbook-title").inner_text()[:6]
                assert distinct_glyphs(page, title) == len(set(title)), "Chinese is drawn as empty boxes"
            shoot(page, f"08-voila-participant-{lang}-{viewport['width']}.png", full_page=True)
        with Store.open(home) as store:
            rows = store.attempts(session=code)
            assert len(rows) == 1 and rows[0].learner == name and rows[0].mode == "workshop"
            assert rows[0].lang == lang
            assert [p.name for p in store.participants(code)] == [name]
    finally:
        stop_server(server, log)
