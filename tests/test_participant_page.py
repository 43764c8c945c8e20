"""The participant page (``playbook workshop serve``, the default ``--app page``): no kernel, a small page and three
JSON requests. The room's logic is driven from Python; the server over HTTP; the page in Debian's Chromium, in
English and Chinese at desktop and phone widths, through every exercise kind it serves, with nothing clipped or
overlapping, and through a server restart with the answer kept. Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from playbook_lib import kinds
from playbook_lib._page_forms import FORMS
from playbook_lib._page_server import MAX_REQUEST, page_html
from playbook_lib.content import content_paths, load_catalog
from playbook_lib.errors import InputError, PlaybookError, SeatUnknownError, StoreUnavailableError, WorkshopError
from playbook_lib.participant_page import PageRoom
from playbook_lib.store import Store

from .browser import (
    DESKTOP,
    PAGE_ROOTS,
    PAGE_TEXTS,
    PHONE,
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

CATALOG = load_catalog(content_paths())
NEEDS_CHROMIUM = browser_marks[1]
PAGE_KINDS = tuple(FORMS)


def one_of_each_kind() -> list[str]:
    """An exercise id of every kind the page serves."""
    return [next(ex.id for ex in CATALOG.exercises if ex.kind == kind) for kind in PAGE_KINDS]


@pytest.fixture
def room(tmp_path: Path):
    store = Store.open(tmp_path / "home")
    yield PageRoom(CATALOG, store, "en"), store
    store.close()


# --- the room, from Python -------------------------------------------------------------------------


def test_every_kind_has_a_page_form() -> None:
    assert set(kinds.names()) == set(FORMS)


def test_a_participant_joins_answers_each_kind_and_sees_the_score(room) -> None:
    page, store = room
    code = store.open_workshop("Every kind", {"ids": one_of_each_kind(), "n": len(PAGE_KINDS)}).code
    joined = page.join(code.lower(), "  Zhang   Wei ")
    assert joined["name"] == "Zhang Wei" and joined["position"] == 0 and joined["total"] == len(PAGE_KINDS)
    assert joined["message"] == "Joined. The first exercise is below."
    seen = []
    for position in range(len(PAGE_KINDS)):
        shown = page.exercise(joined["token"], position)["exercise"]
        exercise = CATALOG.exercise(shown["id"])
        seen.append(exercise.kind)
        assert 'data-shape="' in shown["html"] and shown["progress"] == f"{position + 1} / {len(PAGE_KINDS)}"
        answer = kinds.of(exercise).demo_answer(exercise, random.Random(position), True)
        reply = page.answer(joined["token"], exercise.id, answer, 4.5)
        assert reply["saved"] and "playbook-feedback" in reply["html"], reply
        # a reflection scores the rubric ticked; a call the rubric points its best path earns
        assert reply["score"] == 1.0 or exercise.kind in ("reflection", "call")
    assert sorted(seen) == sorted(PAGE_KINDS)
    end = page.exercise(joined["token"], len(PAGE_KINDS))
    assert end["position"] == len(PAGE_KINDS) and f" / {len(PAGE_KINDS)} points" in end["summary"]
    assert end["say"] == end["summary"].split("✔ ")[1].split("</h3>")[0]  # the live region reads the score
    points = end["summary"].split("Drill complete: ")[1].split(" /")[0]
    assert len(points.partition(".")[2]) <= 1, points  # one decimal at most (a partial score is not 1.48889)
    rows = store.attempts(session=code)
    assert len(rows) == len(PAGE_KINDS) and {r.learner for r in rows} == {"Zhang Wei"}
    assert {r.mode for r in rows} == {"workshop"} and all(r.seconds == 4.5 for r in rows)


def test_the_page_shows_the_drill_the_widget_app_shows_in_the_same_order(room, tmp_path: Path) -> None:
    from playbook_lib import Workbook

    page, store = room
    code = store.open_workshop("Same drill", {"n": 12}).code
    joined = page.join(code, "Chen Jing")
    widget = Workbook(CATALOG, store, remember=False, lang="en")
    widget.join(code, "Chen Jing", resume=True)
    drill = widget.workshop_drill()
    first = drill.items[0]
    assert joined["exercise"]["id"] == first.exercise.id
    html = joined["exercise"]["html"]
    shown = re.findall(r'name="(?:pick|kind|tick)" value="([^"]+)"', html) or re.findall(r'data-id="([^"]+)"', html)
    assert shown == list(first.order)


def test_joining_again_continues_where_the_record_says(room) -> None:
    page, store = room
    code = store.open_workshop("Again", {"kind": "signal-id", "n": 3}).code
    first = page.join(code, "Li Na")
    exercise = first["exercise"]["id"]
    page.answer(first["token"], exercise, {"signal": False})
    fresh = PageRoom(CATALOG, store, "en")  # the server restarted: the seat is gone, the record is not
    with pytest.raises(SeatUnknownError):
        fresh.exercise(first["token"], 1)
    again = fresh.join(code, "Li Na")
    assert again["position"] == 1 and "1 of your 3 items are answered" in again["message"]
    assert again["exercise"]["id"] != exercise
    assert len({p.id for p in store.participants(code)}) == 1


def test_joining_mistakes_are_told_in_the_page_language(room) -> None:
    page, store = room
    code = store.open_workshop("Closed soon", {"n": 2}).code
    with pytest.raises(WorkshopError, match="找不到代码为 ZZZZZZ 的工作坊"):
        page.join("zzzzzz", "王芳", "zh-Hans")
    with pytest.raises(InputError, match="請先輸入你的姓名"):
        page.join(code, "   ", "zh-Hant")
    store.close_workshop(code)
    with pytest.raises(WorkshopError, match=f"The workshop {code} \\(Closed soon\\) is closed"):
        page.join(code, "Li Na")


def test_a_room_language_wins_over_the_page_language(room) -> None:
    page, store = room
    code = store.open_workshop("繁體房間", {"kind": "signal-id", "n": 2, "lang": "zh-Hant"}).code
    joined = page.join(code, "Vera", "en")
    assert joined["lang"] == "zh-Hant" and joined["strings"]["button.check"] == "提交"
    assert 'lang="zh-Hant"' in joined["exercise"]["html"] and "成交信號" in joined["exercise"]["html"]


def test_a_drill_with_a_kind_the_page_does_not_run_points_to_the_widget_app(room, monkeypatch) -> None:
    page, store = room
    monkeypatch.delitem(FORMS, "call")  # as for a kind a trainer's code registers
    call = next(ex.id for ex in CATALOG.exercises if ex.kind == "call")
    code = store.open_workshop("Calls", {"ids": [call], "n": 1}).code
    with pytest.raises(PlaybookError, match="--app voila"):
        page.join(code, "Vera")


def test_a_call_is_played_on_the_page_and_replayed_with_its_best_path(room) -> None:
    page, store = room
    call = next(ex for ex in CATALOG.exercises if ex.kind == "call")
    code = store.open_workshop("Calls", {"ids": [call.id], "n": 1, "lang": "zh-Hans"}).code
    joined = page.join(code, "王芳")
    html = joined["exercise"]["html"]
    assert 'data-shape="call"' in html and f'data-start="{call.start}"' in html
    assert html.count('class="pb-node"') == len(call.nodes) and "why" not in html  # what a reply earns stays here
    path = kinds.of(call).demo_answer(call, random.Random(1), True)["path"]
    reply = page.answer(joined["token"], call.id, {"path": path, "seconds": [3.0] * len(path)}, 30)
    assert reply["saved"] and "playbook-call-replay" in reply["html"] and "查看最佳路线" in reply["html"]
    assert reply["say"].startswith(("✔", "◐", "✘"))
    assert store.attempts(session=code)[0].answer["path"] == path
def test_answers_outside_the_drill_or_of_the_wrong_shape_are_refused(room) -> None:
    page, store = room
    code = store.open_workshop("Shapes", {"kind": "signal-id", "n": 2}).code
    joined = page.join(code, "Vera")
    other = next(ex.id for ex in CATALOG.exercises if ex.kind == "single-choice")
    with pytest.raises(InputError, match="not in your drill"):
        page.answer(joined["token"], other, "a")
    with pytest.raises(PlaybookError):
        page.answer(joined["token"], joined["exercise"]["id"], {"signal": "yes"})
    with pytest.raises(InputError):
        page.exercise(joined["token"], 99)
    assert store.attempts(session=code) == []


def test_a_failed_save_keeps_the_answer_and_the_next_check_saves_it(room, monkeypatch: pytest.MonkeyPatch) -> None:
    page, store = room
    code = store.open_workshop("Flaky", {"kind": "signal-id", "n": 2}).code
    joined = page.join(code, "Vera")
    real = store.save
    down = StoreUnavailableError("postgresql://db", "database down")
    monkeypatch.setattr(store, "save", lambda *a, **k: (_ for _ in ()).throw(down))
    reply = page.answer(joined["token"], joined["exercise"]["id"], {"signal": False})
    assert reply == {"saved": False, "message": "Not saved: database down",
                     "kept": "Your answer is still here; press Check again in a moment."}
    monkeypatch.setattr(store, "save", real)
    assert page.answer(joined["token"], joined["exercise"]["id"], {"signal": False})["saved"]
    assert len(store.attempts(session=code)) == 1


def test_the_page_escapes_what_participants_and_content_bring(room) -> None:
    page, store = room
    code = store.open_workshop("<b>Title</b>", {"kind": "signal-id", "n": 1}).code
    joined = page.join(code, "<img src=x onerror=alert(1)>")
    end = page.exercise(joined["token"], 1)
    assert "<img" not in end["summary"] and "<b>" not in joined["exercise"]["html"]
    html = page_html("en", "NONCE")
    assert html.count('nonce="NONCE"') == 1 and "<script>" not in html
    assert "</script>" not in html.split('nonce="NONCE">', 1)[1].rsplit("</script>", 1)[0]


# --- the server, over HTTP -----------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path):
    """``playbook workshop serve`` (the page) on loopback, with two workshops open: (base URL, codes, home)."""
    home = tmp_path / "home"
    with Store.open(home) as store:
        codes = {"en": store.open_workshop("Signals", {"kind": "signal-id", "n": 3}).code,
                 "zh-Hans": store.open_workshop("信号", {"kind": "signal-id", "n": 3, "lang": "zh-Hans"}).code}
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "--home", str(home), "workshop", "serve",
                               "--no-browser", f"--port={port}"], env=jupyter_env(tmp_path, home), stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/", timeout=60)
        yield f"http://127.0.0.1:{port}/", codes, home, server
    finally:
        stop_server(server, log)


def post(url: str, body: Any, raw: bytes | None = None) -> tuple[int, dict[str, Any], dict[str, str]]:
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response), dict(response.headers)
    except urllib.error.HTTPError as exc:
        text = exc.read()
        return exc.code, json.loads(text) if text.startswith(b"{") else {}, dict(exc.headers)


@pytest.mark.slow
def test_the_server_joins_answers_and_refuses_bad_requests(served) -> None:
    base, codes, home, server = served
    with urllib.request.urlopen(base + "?lang=zh-Hant", timeout=30) as response:
        page = response.read().decode()
        headers = dict(response.headers)
    assert '<html lang="zh-Hant">' in page and "銷售促成技巧" in page and len(page) < 40_000
    assert "script-src 'nonce-" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    status, joined, _ = post(base + "api/join", {"code": codes["zh-Hans"], "name": "王芳", "lang": "en"})
    assert status == 200 and joined["lang"] == "zh-Hans"
    status, reply, _ = post(base + "api/answer", {"token": joined["token"], "exercise": joined["exercise"]["id"],
                                                  "answer": {"signal": False}, "seconds": 2})
    assert status == 200 and reply["saved"] and "playbook-feedback" in reply["html"]
    assert post(base + "api/exercise", {"token": "forged", "position": 1})[:2] == (401, {"rejoin": True})
    assert post(base + "api/exercise", {"token": joined["token"], "position": True})[0] == 400
    unreadable = {"error": "The workshop app could not read what was sent."}
    assert post(base + "api/join", None, raw=b"not json")[:2] == (400, unreadable)
    assert post(base + "api/join", ["a", "list"])[0] == 400
    too_large = {"token": joined["token"], "exercise": "x", "answer": "x" * (MAX_REQUEST + 10)}
    assert post(base + "api/answer", too_large)[0] == 413
    assert post(base + "api/delete", {})[0] == 404
    status, refused, _ = post(base + "api/join", {"code": "=cmd|' /C calc'!A0", "name": "x"})
    assert status == 400 and "No workshop has the code" in refused["error"]
    with Store.open(home) as store:
        assert len(store.attempts(session=codes["zh-Hans"])) == 1
    assert server.poll() is None


@pytest.mark.slow
def test_the_page_server_stops_cleanly_on_sigterm(served) -> None:
    import signal

    _, _, _, server = served
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == 0


# --- the page, in Chromium -----------------------------------------------------------------------------

NAMES = {"en": "Zhang Wei", "zh-Hans": "王芳", "zh-Hant": "陳志明"}


def answer_on_page(page) -> str:
    """Answer the exercise on show the way a participant would, whatever its shape; the shape."""
    form = page.locator("form.pb-answer")
    shape = form.get_attribute("data-shape")
    options = form.locator(".pb-option")
    if shape == "signal":
        options.nth(0).click()  # "Buying signal": step two appears
        form.locator(".pb-step-two .pb-option").nth(1).click()
    elif shape == "picks":
        options.nth(0).click()
        options.nth(2).click()
    elif shape == "order":
        form.locator("li").nth(0).locator("button.pb-down").click()
    elif shape == "call":  # the first reply at each turn, until the call ends and checks itself
        while not page.locator("#pb-result .playbook-feedback").count():
            turn = form.locator(".pb-node:not([hidden]) button.pb-reply")
            if not turn.count():
                break
            turn.first.click()
            page.wait_for_timeout(50)
    elif shape == "text":
        form.locator("textarea").fill("先确认她的顾虑，再用一个问题请她定下来。")
        options.nth(0).click()
    else:
        options.nth(1).click()
    return shape


@pytest.mark.slow
@pytest.mark.browser
@NEEDS_CHROMIUM
@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("en", PHONE), ("zh-Hans", PHONE), ("zh-Hant", DESKTOP)],
                         ids=["en-desktop", "en-phone", "zh-Hans-phone", "zh-Hant-desktop"])
def test_a_participant_does_every_kind_on_the_page(tmp_path: Path, lang: str, viewport: dict[str, int]) -> None:
    """Join, answer one exercise of every kind by clicking, read each feedback, see the score; every text fits."""
    home = tmp_path / "home"
    with Store.open(home) as store:
        code = store.open_workshop("Every kind", {"ids": one_of_each_kind(), "n": len(PAGE_KINDS), "lang": lang}).code
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "playbook_lib", "--home", str(home), "workshop", "serve",
                               "--no-browser", f"--port={port}", f"--lang={lang}"], env=jupyter_env(tmp_path, home, lang),
                              stdout=log, stderr=subprocess.STDOUT)
    shapes, problems = [], []
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/", timeout=60)
        with chromium_page(viewport, lang) as page:
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"http://127.0.0.1:{port}/")
            assert page.evaluate("document.documentElement.lang") == lang
            page.locator("#pb-join input[name=code]").fill(code.lower())
            page.locator("#pb-join input[name=name]").fill(NAMES[lang])
            measured, found = measure_layout(page, PAGE_ROOTS, PAGE_TEXTS)
            assert measured >= 8 and found == [], found
            page.locator("#pb-join button").click()
            page.locator("form.pb-answer").wait_for()
            for n in range(len(PAGE_KINDS)):
                check = page.locator("#pb-check")
                shape = page.locator("form.pb-answer").get_attribute("data-shape")
                assert check.is_disabled() == (shape != "order")  # an order is an answer as it stands
                shapes.append(answer_on_page(page))
                if shapes[-1] != "call":  # the reply that ends a call checks it
                    check.click()
                page.locator("#pb-result .playbook-feedback").wait_for()
                measured, found = measure_layout(page, PAGE_ROOTS, PAGE_TEXTS)
                problems += [f"{shapes[-1]}: {p}" for p in found]
                if n == 0 and lang != "en":
                    title = page.locator(".playbook-title").inner_text()[:6]
                    assert distinct_glyphs(page, title) == len(set(title)), "Chinese is drawn as empty boxes"
                shoot(page, f"page-{lang}-{viewport['width']}-{shapes[-1]}.png", full_page=True)
                page.locator("#pb-next").click()
                if n < len(PAGE_KINDS) - 1:
                    page.locator("#pb-result:empty").wait_for(state="attached")
                    page.locator("form.pb-answer").wait_for()
            page.locator("#pb-summary .playbook-drill-summary").wait_for()
            shoot(page, f"page-{lang}-{viewport['width']}-summary.png", full_page=True)
        assert problems == [], problems
        assert set(shapes) == {"pick", "picks", "signal", "order", "text", "call"} and len(shapes) == len(PAGE_KINDS)
        assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in requests), requests  # nothing from outside
        with Store.open(home) as store:
            rows = store.attempts(session=code)
        assert len(rows) == len(PAGE_KINDS) and {r.learner for r in rows} == {NAMES[lang]}
        assert {r.lang for r in rows} == {lang} and {r.kind for r in rows} == set(PAGE_KINDS)
    finally:
        stop_server(server, log)


@pytest.mark.slow
@pytest.mark.browser
@NEEDS_CHROMIUM
def test_a_restart_keeps_the_answer_on_the_page_and_the_page_joins_again(tmp_path: Path) -> None:
    """The server stops mid-drill: Check says it cannot reach the app and keeps the answer; once the server is
    back, Check again joins again by itself and saves the answer."""
    home = tmp_path / "home"
    with Store.open(home) as store:
        code = store.open_workshop("Restart", {"kind": "signal-id", "n": 3}).code
    port = free_port()
    command = [sys.executable, "-m", "playbook_lib", "--home", str(home), "workshop", "serve", "--no-browser",
               f"--port={port}"]
    env = jupyter_env(tmp_path, home)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(server, f"http://127.0.0.1:{port}/", timeout=60)
        with chromium_page(DESKTOP) as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#pb-join input[name=code]").fill(code)
            page.locator("#pb-join input[name=name]").fill("Vera")
            page.locator("#pb-join button").click()
            answer_on_page(page)
            page.locator("#pb-check").click()
            page.locator("#pb-result .playbook-feedback").wait_for()
            page.locator("#pb-next").click()
            page.locator("#pb-result:empty").wait_for(state="attached")
            second = page.locator(".playbook-title").inner_text()
            stop_server(server)
            page.locator("form.pb-answer .pb-option").nth(1).click()  # "Not a signal"
            page.locator("#pb-check").click()
            alert = page.locator("#pb-result .pb-alert")
            alert.wait_for()
            assert "cannot be reached" in alert.inner_text()
            assert page.locator("form.pb-answer input[value=not-a-signal]").is_checked()
            shoot(page, "page-en-offline.png", full_page=True)
            server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            wait_for_http(server, f"http://127.0.0.1:{port}/", timeout=60)
            page.locator("#pb-check").click()
            page.locator("#pb-result .playbook-feedback").wait_for()
            assert page.locator(".playbook-title").inner_text() == second
        with Store.open(home) as store:
            rows = store.attempts(session=code)
        assert len(rows) == 2 and rows[-1].answer == {"signal": False, "kind": None}
        assert len(store_participants(home, code)) == 1
    finally:
        stop_server(server, log)


def store_participants(home: Path, code: str) -> list:
    with Store.open(home) as store:
        return store.participants(code)


def test_opening_a_workshop_of_a_kind_the_page_does_not_run_points_to_the_widget_app(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from playbook_lib.cli import cli

    calls = CliRunner().invoke(cli, ["--home", str(tmp_path), "workshop", "open", "--title", "Calls", "--kind", "call"])
    assert calls.output.rstrip().endswith("in the app: playbook workshop serve")
    monkeypatch.delitem(FORMS, "call")
    calls = CliRunner().invoke(cli, ["--home", str(tmp_path), "workshop", "open", "--title", "Calls", "--kind", "call"])
    assert "playbook workshop serve --app voila (the page does not run this kind)" in calls.output



def test_a_record_that_cannot_be_used_is_told_without_its_address(tmp_path: Path) -> None:
    """Joining while the database is down: 503 and the reason, never where the record lives."""
    import asyncio

    from tornado.httpclient import AsyncHTTPClient, HTTPClientError
    from tornado.httpserver import HTTPServer

    from playbook_lib._page_server import PageServer

    class DownRoom(PageRoom):
        def join(self, code: str, name: str, lang: str | None = None) -> dict[str, Any]:
            raise StoreUnavailableError("postgresql://trainer@10.0.0.5/playbook", "the PostgreSQL server cannot be reached")

    store = Store.open(tmp_path / "home")
    server = PageServer(lambda: DownRoom(CATALOG, store, "en"), "en")

    async def ask() -> tuple[int, dict[str, Any]]:
        port = free_port()
        http = HTTPServer(server.application())
        http.listen(port, address="127.0.0.1")
        try:
            await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/api/join", method="POST",
                                          body=json.dumps({"code": "ABCDEF", "name": "Vera"}))
        except HTTPClientError as exc:
            return exc.code, json.loads(exc.response.body)
        finally:
            http.stop()
        return 200, {}

    try:
        status, body = asyncio.run(ask())
    finally:
        server.close()
    assert status == 503 and body == {"error": "the PostgreSQL server cannot be reached"}


def test_past_the_limit_the_oldest_seat_is_forgotten_and_its_page_joins_again(room, monkeypatch) -> None:
    import playbook_lib.participant_page as participant_page

    page, store = room
    monkeypatch.setattr(participant_page, "MAX_SEATS", 2)
    code = store.open_workshop("Busy", {"kind": "signal-id", "n": 2}).code
    first, second, third = (page.join(code, name) for name in ("Ana", "Bo", "Cai"))
    with pytest.raises(SeatUnknownError):  # the page answers 401 and joins again by itself
        page.exercise(first["token"], 0)
    assert page.exercise(third["token"], 0)["position"] == 0 and page.exercise(second["token"], 1)["position"] == 1
    again = page.join(code, "Ana")
    assert again["token"] != first["token"] and len(page._seats) == 2
    assert len(store.participants(code)) == 3
