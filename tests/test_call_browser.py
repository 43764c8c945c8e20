"""Calls in a real browser (Debian's Chromium): played by clicking to a signed deal and to a lost one, in
JupyterLab (``10-play-a-call``, in English at desktop width and in Chinese at phone width) and in the Voilà
participant app (a workshop of calls, in English and in traditional Chinese); the replay and the best path
seen; replies that wrap instead of running off a phone's screen; nothing clipped or overlapping.

Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from playbook_lib.content import load_catalog
from playbook_lib.i18n import say, ui
from playbook_lib.kinds._call_graph import best_path, paths
from playbook_lib.store import Store

from .browser import (
    DESKTOP,
    PHONE,
    WORDS,
    Lab,
    browser_marks,
    chromium_page,
    distinct_glyphs,
    free_port,
    jupyter_env,
    measure_layout,
    open_and_run_all,
    recorded,
    shoot,
    stop_server,
    wait_for_http,
    wait_until_idle,
)

pytestmark = browser_marks
CALLS = Path(__file__).resolve().parent / "calls"
NOTEBOOK = "call-view.ipynb"
RECEPTIONIST, FACTORY = "ex.call.receptionist-hangs-up", "ex.call.factory-hr-membership"
CATALOG = load_catalog()


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


# --- playing a shipped call by clicking -------------------------------------------------------------------------------


def route(exercise_id: str, outcome: str) -> tuple[list[str], str]:
    """Reply ids of a path through the call that ends ``outcome`` (signed: the best path; else the shortest), and
    its ending."""
    call = CATALOG.exercise(exercise_id)
    kinds = {e.id: e.outcome for e in call.endings}
    if outcome == "signed":
        best = list(best_path(call) or ())
        return best, next(ending for path, ending in paths(call) if list(path) == best)
    path, ending = min(((p, e) for p, e in paths(call) if kinds[e] == outcome), key=lambda found: len(found[0]))
    return list(path), ending


def reply_texts(exercise_id: str, path: list[str], lang: str) -> list[str]:
    replies = {r.id: r for n in CATALOG.exercise(exercise_id).nodes for r in n.replies}
    return [" ".join(say(replies[r].text, lang, tag=True).split()) for r in path]


def play(page, view, exercise_id: str, outcome: str, lang: str) -> str:
    """Click through the call on show in ``view`` to an ending of ``outcome``; return the replay's text."""
    path, _ = route(exercise_id, outcome)
    for text in reply_texts(exercise_id, path, lang):
        buttons = view.locator("button.playbook-call-reply")
        buttons.first.wait_for()
        shown = [" ".join(t.split()) for t in buttons.all_inner_texts()]
        assert text in shown, (text, shown)
        button = buttons.nth(shown.index(text))
        button.scroll_into_view_if_needed()
        handle = button.element_handle()
        handle.click()
        page.wait_for_function("b => !b.isConnected", arg=handle)  # the next turn's replies replace these
    replay = view.locator(".playbook-call-replay")
    replay.wait_for()
    text = replay.inner_text()
    ending = ui("call.ending", lang, outcome=ui(f"call.outcome.{outcome}", lang))
    assert ui("call.replay", lang) in text and ending in text, text
    assert text.count(ui("call.why", lang)) == len(path)  # every choice explained
    return text


def show_best(view, lang: str) -> str:
    view.locator("button.playbook-call-best-button").click()
    best = view.locator(".playbook-call-best")
    best.wait_for()
    text = best.inner_text()
    assert ui("call.best-heading", lang, outcome=ui("call.outcome.signed", lang), percent=100) in text
    return text


def wide_only(page) -> None:
    """On a phone: the notebook alone, full width (no file browser)."""
    if page.locator("#jp-left-stack").is_visible():
        page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.evaluate("window.jupyterapp.commands.execute('application:toggle-mode')")


def assert_outcomes(rows: list, lang: str) -> None:
    """One signed and right call of the receptionist, one lost call of the factory HR manager."""
    by_id = {row.exercise_id: row for row in rows}
    assert set(by_id) == {RECEPTIONIST, FACTORY}, [r.exercise_id for r in rows]
    signed, lost = by_id[RECEPTIONIST], by_id[FACTORY]
    assert signed.correct and signed.score == 1.0 and signed.answer["ending"] == route(RECEPTIONIST, "signed")[1]
    assert not lost.correct and lost.answer["path"] == route(FACTORY, "lost")[0]
    assert {signed.lang, lost.lang} == {lang}


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("zh-Hans", PHONE)], ids=["en-desktop", "zh-Hans-phone"])
def test_two_calls_in_jupyterlab_one_signed_one_lost(tmp_path: Path, lang: str, viewport: dict[str, int]) -> None:
    """In 10-play-a-call: the first call played to a signed deal (and its best path shown), the second to a lost
    deal; then the replay cell replays the latest call from the record."""
    server = Lab(tmp_path, lang)
    notebook = "10-play-a-call.ipynb" if lang == "en" else f"{lang}/10-play-a-call.ipynb"
    try:
        with chromium_page(viewport, lang) as page:
            open_and_run_all(page, server, notebook)
            wait_until_idle(page, lang, timeout=180)
            if viewport is PHONE:
                wide_only(page)
            views = page.locator(".playbook-call")
            views.nth(1).wait_for()
            first, second = views.nth(0), views.nth(1)
            assert say(CATALOG.exercise(RECEPTIONIST).title, lang) in first.locator(".playbook-title").inner_text()
            width = page.viewport_size["width"]
            for box in (b.bounding_box() for b in first.locator("button.playbook-call-reply").all()):
                assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box  # long replies wrap
            play(page, first, RECEPTIONIST, "signed", lang)
            show_best(first, lang)
            shoot(page, f"10-call-signed-{lang}-{viewport['width']}.png")
            replay = play(page, second, FACTORY, "lost", lang)
            assert ui("call.outcome.lost", lang) in replay
            measured, problems = measure_layout(page)
            assert measured > 40 and problems == [], problems
            if lang != "en":
                title = first.locator(".playbook-title").inner_text()[:6]
                assert distinct_glyphs(page, title) == len(set(title)), "Chinese is drawn as empty boxes"
            # the record replays the latest call: run the replay cell again
            cell = page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea", has_text="wb.replay()")).first
            cell.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            again = cell.locator(".jp-OutputArea-output .playbook-call-replay")
            again.wait_for()
            assert ui("call.ending", lang, outcome=ui("call.outcome.lost", lang)) in again.inner_text()
            assert cell.locator(".playbook-call-best").count() == 1
            shoot(page, f"10-call-replayed-{lang}-{viewport['width']}.png", full_page=True)
        assert_outcomes(recorded(server.home, "call", timeout=15, at_least=2), lang)
    finally:
        server.stop()


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("zh-Hant", PHONE)], ids=["en-desktop", "zh-Hant-phone"])
def test_calls_in_the_participant_app(tmp_path: Path, lang: str, viewport: dict[str, int]) -> None:
    """A workshop of two calls in the Voilà app: join, play the first to a signed deal, Next, the second to a lost
    deal; each replayed; the dashboard then shows where the room went."""
    words = WORDS[lang]
    home = tmp_path / "trainer-home"
    with Store.open(home) as store:
        code = store.open_workshop("Calls", {"ids": [RECEPTIONIST, FACTORY], "n": 2, "lang": lang}).code
    port = free_port()
    env = jupyter_env(tmp_path, home, lang)
    log = (tmp_path / "voila.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "workshop", "serve", "--app", "voila",
                               "--no-browser", f"--port={port}", f"--lang={lang}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    name = "Vera" if lang == "en" else "陈静"
    titles = {say(CATALOG.exercise(i).title, lang): i for i in (RECEPTIONIST, FACTORY)}
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/")
        with chromium_page(viewport, lang) as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_placeholder(words["code"]).fill(code)
            page.get_by_placeholder(words["name"]).fill(name)
            page.locator(".playbook-join button", has_text=words["join"]).click()
            page.get_by_text(words["joined"]).first.wait_for()
            played = []
            for outcome in ("signed", "lost"):
                view = page.locator(".playbook-drill .playbook-call").first
                view.locator("button.playbook-call-reply").first.wait_for()
                title = view.locator(".playbook-title").inner_text()
                exercise_id = next(i for t, i in titles.items() if t in title)
                wanted = "signed" if exercise_id == RECEPTIONIST else "lost"
                assert exercise_id not in played
                play(page, view, exercise_id, wanted, lang)
                played.append(exercise_id)
                if wanted == "signed":
                    show_best(view, lang)
                measured, problems = measure_layout(page)
                assert measured > 10 and problems == [], problems
                shoot(page, f"08-voila-call-{wanted}-{lang}-{viewport['width']}.png", full_page=True)
                if outcome == "signed":
                    page.locator(".playbook-drill button.playbook-next").click()
                    view.locator(".playbook-call-replay").wait_for(state="detached")
            assert "import Workbook" not in page.locator("body").inner_text()  # no code on show
            if lang != "en":
                heading = page.locator(".playbook-drill .playbook-title").first.inner_text()[:6]
                assert distinct_glyphs(page, heading) == len(set(heading)), "Chinese is drawn as empty boxes"
        with Store.open(home) as store:
            rows = store.attempts(session=code)
            assert all(row.mode == "workshop" and row.learner == name for row in rows)
            assert_outcomes(rows, lang)
            from playbook_lib import dashboard

            html, _ = dashboard.load(store, CATALOG, code, lang)
            assert ui("call.room.heading", lang) in html and html.count("<table class='playbook-call-room'>") == 2
    finally:
        stop_server(server, log)


def test_the_dashboard_shows_where_the_room_went(tmp_path: Path) -> None:
    """07-workshop-dashboard after five participants played a call: the table of replies per turn, with the calls
    lost right after a reply, readable at desktop and at phone width."""
    from playbook_lib import Workbook

    server = Lab(tmp_path)
    try:
        with Store.open(server.home) as store:
            code = Workbook(CATALOG, store, learner="Trainer").open_workshop("Calls, Friday", kind="call").code
            signed, lost = route(FACTORY, "signed")[0], route(FACTORY, "lost")[0]
            for name, path in (("Ana", signed), ("Ben", signed), ("Cai", lost), ("Dee", lost), ("Eve", lost)):
                rep = Workbook(CATALOG, store, learner=name)
                rep.join(code, name)
                rep.answer(FACTORY, {"path": path}, seconds=90)
        with chromium_page(DESKTOP) as page:
            open_and_run_all(page, server, "07-workshop-dashboard.ipynb")
            wait_until_idle(page, "en", timeout=180)
            board = page.locator(".playbook-dashboard")
            table = board.locator("table.playbook-call-room")
            table.wait_for()
            title = say(CATALOG.exercise(FACTORY).title, "en")
            assert f"{title}: 5 calls, 2 signed, 3 lost, 0 call-back" in board.inner_text()
            replies = {r.id: " ".join(say(r.text, "en").split()) for n in CATALOG.exercise(FACTORY).nodes for r in n.replies}
            cells = {reply: [" ".join(td.split()) for td in table.locator("tr", has_text=replies[reply][:40])
                             .locator("td").all_inner_texts()] for reply in (lost[0], lost[1], signed[0])}
            assert cells[lost[0]][2:] == ["3 (60 %)", ""]  # 3 of the 5 at the first turn
            assert cells[lost[1]][2:] == ["3 (100 %)", "3"]  # every call that got there was lost right after
            assert cells[signed[0]][2:] == ["2 (40 %)", ""]
            lines = table.locator("td.num").evaluate_all(
                "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
                " return r.getClientRects().length; })")
            assert lines and max(lines) == 1, lines  # counts on one line, never "3 (60" over "%)"
            board.scroll_into_view_if_needed()
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                if viewport is PHONE:
                    wide_only(page)
                table.scroll_into_view_if_needed()
                measured, problems = measure_layout(page)
                assert measured > 30 and problems == [], (viewport, problems)
                shoot(page, f"07-dashboard-calls-{viewport['width']}.png")
    finally:
        server.stop()


# --- the sample call on a phone, with the keyboard ------------------------------------------------------------------


def test_a_call_played_on_a_phone(lab: Lab) -> None:
    with chromium_page(PHONE) as page:
        open_and_run_all(page, lab, NOTEBOOK)
        wait_until_idle(page, "en")
        view = page.locator(".playbook-call").first
        view.wait_for(timeout=90_000)
        replies = view.locator("button.playbook-call-reply")
        replies.first.wait_for()
        assert replies.count() == 3
        wide_only(page)
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
    rows = recorded(lab.home, "call")
    assert len(rows) == 1 and rows[0].answer["path"] == ["n1a", "n2a", "n3a"] and rows[0].correct
