"""A room that lasts a whole day. The participant page (the default app) runs no kernel and keeps every answer
through closed pages and reloads; the widget app in Voilà (``--app voila``) frees the kernel of a page that closes
or sits idle, keeps a warm pool and starts lean kernels. With either, a participant who comes back continues where
the record says.

The browser tests drive ``playbook workshop serve`` with Debian's Chromium (tests/pagerun.py, tests/roomrun.py).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from playbook_lib import Workbook
from playbook_lib._serve import cull_seconds, voila_args, warm_content_cache
from playbook_lib.errors import WorkshopError
from playbook_lib.store import Store

from .browser import CHROMIUM, ROOT

NOTEBOOK = ROOT / "notebooks" / "08-workshop-participant.ipynb"


# --- without a browser ------------------------------------------------------------------------------


def test_serve_frees_idle_kernels_and_keeps_a_pool_by_default() -> None:
    args = voila_args(NOTEBOOK, 8866, "127.0.0.1")
    assert args[1:3] == ["-m", "playbook_lib._voila_app"] and "--template=playbook" in args
    assert "--MappingKernelManager.cull_idle_timeout=1800" in args
    assert "--MappingKernelManager.cull_connected=True" in args  # a page left open counts as idle too
    assert "--preheat_kernel=True" in args and "--pool_size=2" in args


def test_idle_minutes_0_never_culls_and_pool_size_0_keeps_no_pool() -> None:
    args = voila_args(NOTEBOOK, 8866, "0.0.0.0", idle_minutes=0, pool_size=0, no_browser=True)
    assert not [a for a in args if "cull" in a or "preheat" in a or "pool" in a]
    assert "--no-browser" in args and "--Voila.ip=0.0.0.0" in args


def test_cull_checks_come_often_enough_for_the_idle_time() -> None:
    assert cull_seconds(30) == (1800, 60)
    assert cull_seconds(1) == (60, 15)
    assert cull_seconds(0.25) == (15, 5)
    assert cull_seconds(0.001) == (1, 5)


def test_serve_refuses_a_bad_idle_time_or_pool_size() -> None:
    from click.testing import CliRunner

    from playbook_lib.cli import cli

    for option in ("--idle-minutes=-1", "--pool-size=21", "--pool-size=-1"):
        result = CliRunner().invoke(cli, ["workshop", "serve", "--app", "voila", "--no-browser", option])
        assert result.exit_code == 2, (option, result.output)


def test_participant_kernels_start_without_the_debugger_and_history(tmp_path: Path) -> None:
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from playbook_lib._voila_app import ParticipantKernelSpecManager

    plain = KernelSpecManager().get_kernel_spec("python3")
    lean = ParticipantKernelSpecManager().get_kernel_spec("python3")
    assert plain.argv[1:3] == ["-m", "ipykernel_launcher"]
    assert lean.argv == [plain.argv[0], "-m", "playbook_lib._kernel", *plain.argv[3:]]
    assert lean.metadata["debugger"] is False

    manager = KernelManager(kernel_name="python3", kernel_spec_manager=ParticipantKernelSpecManager())
    manager.start_kernel(cwd=str(tmp_path), env={**os.environ, "IPYTHONDIR": str(tmp_path / "ipython")})
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        out: list[str] = []
        probe = ("import sys; from IPython import get_ipython; print(sys.modules.get('debugpy'), "
                 "any(m.startswith('pydevd') for m in sys.modules), get_ipython().history_manager.enabled)")
        client.execute_interactive(probe, timeout=60, output_hook=lambda msg: out.append(msg["content"].get("text", "")))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert "".join(out).split() == ["None", "False", "False"]
    assert not (tmp_path / "ipython" / "profile_default" / "history.sqlite").exists()


def test_warm_cache_means_kernels_read_the_validated_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    assert warm_content_cache(NOTEBOOK.parent) is None
    assert list((tmp_path / "cache").glob("catalog-*.pickle"))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.yaml").write_text("exercises:\n  - id: x\n    kind: nonsense\n", encoding="utf-8")
    monkeypatch.setenv("PLAYBOOK_CONTENT", str(bad))
    problem = warm_content_cache(NOTEBOOK.parent)
    assert problem and "broken.yaml" in problem


def test_joining_again_in_the_app_continues_where_the_record_says(tmp_path: Path) -> None:
    first = Workbook.open(tmp_path / "trainer", mode="workshop", lang="en")
    code = first.open_workshop("Day", kind="signal-id", n=3).code
    app = first.workshop_app()
    app.form.code.value, app.form.name.value = code, "Vera Lin"
    app.form.join()
    drill = app.drill
    assert drill is not None and drill.position == 0
    for _ in range(2):  # two answers, the way the views give them
        exercise = drill.items[drill.position].exercise
        feedback = first.answer(exercise.id, {"signal": False}, seconds=2.0)
        drill._answered(drill.view, feedback)
        drill.next()
    scores = dict(drill.scores)

    again = Workbook.open(tmp_path / "trainer", mode="workshop", lang="en")  # a new kernel after a cull
    back = again.workshop_app()
    back.form.code.value, back.form.name.value = code.lower(), "  Vera   Lin "
    back.form.join()
    assert back.drill is not None and back.drill.position == 2 and back.drill.scores == scores
    assert "Welcome back, Vera Lin: 2 of your 3 items are answered and saved. You continue with item 3." in \
        back.form.status.value
    assert [p.name for p in again.store.participants(code)] == ["Vera Lin"]  # the same participant, once
    exercise = back.drill.items[2].exercise
    back.drill._answered(back.drill.view, again.answer(exercise.id, {"signal": False}))
    back.drill.next()
    assert back.drill.finished and again.store.count(session=code) == 3

    done = Workbook.open(tmp_path / "trainer", mode="workshop", lang="zh-Hans").workshop_app()
    done.form.code.value, done.form.name.value = code, "Vera Lin"
    done.form.join()
    assert done.drill is not None and done.drill.finished and "3 个答案都已保存" in done.form.status.value

    # Outside the app, the same name is still a different person (two people may share a name)
    other = Workbook.open(tmp_path / "trainer", mode="workshop")
    other.join(code, "Vera Lin")
    assert len(other.store.participants(code)) == 2 and other.workshop_drill().position == 0
    first.store.close_workshop(code)
    with pytest.raises(WorkshopError):
        Workbook.open(tmp_path / "trainer", mode="workshop").join(code, "Vera Lin", resume=True)


def test_the_app_carries_a_hidden_note_for_a_freed_page_in_the_room_language(tmp_path: Path) -> None:
    wb = Workbook.open(tmp_path / "trainer", mode="workshop", lang="en")
    code = wb.open_workshop("Day", lang="zh-Hant", kind="signal-id", n=2).code
    app = wb.workshop_app()
    assert "hidden" in app.expired.value and "reload the page" in app.expired.value
    app.form.code.value, app.form.name.value = code, "Li"
    app.form.join()
    assert "hidden" in app.expired.value and "lang='zh-Hant'" in app.expired.value and "刷新頁面" in app.expired.value


# --- in Chromium ------------------------------------------------------------------------------------


@pytest.fixture
def playwright_async():
    pytest.importorskip("playwright.async_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.async_api import async_playwright

    return async_playwright


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_ten_pages_answer_five_close_and_their_kernels_are_freed(tmp_path: Path, playwright_async) -> None:
    """10 participants join and answer; 5 close their page (3 close the tab, 2 go to another site): the server
    holds no kernel for them within seconds, the 5 others keep answering, every confirmed answer is recorded."""
    from .roomrun import Room, browser, people, shoot

    room = Room(tmp_path, n=4, idle_minutes=0, pool_size=2)
    try:
        room.wait_ready()

        async def run() -> dict[str, object]:
            async with playwright_async() as p:
                chromium = await browser(p)
                everyone = await people(chromium, room, [f"P{i:02d}" for i in range(1, 11)])
                await asyncio.gather(*(person.open() for person in everyone))
                await asyncio.gather(*(person.join() for person in everyone))
                await asyncio.gather(*(person.answer() for person in everyone))
                assert len({person.kernel_id for person in everyone}) == 10
                assert all(room.kernel_alive(person.kernel_id) for person in everyone)

                leaving, staying = everyone[:5], everyone[5:]
                for person in leaving[:3]:
                    await person.close()
                for person in leaving[3:]:
                    await person.page.goto("about:blank")
                freed_in = await asyncio.to_thread(room.wait_gone, [person.kernel_id for person in leaving], 30)

                for _ in range(2):  # the others keep working
                    await asyncio.gather(*(person.answer() for person in staying))
                positions = [await person.position() for person in staying]
                await shoot(staying[0].page, "room-still-working.png", full_page=True)
                alive = [room.kernel_alive(person.kernel_id) for person in staying]
                await chromium.close()
                return {"freed_in": freed_in, "positions": positions, "alive": alive,
                        "confirmed": {person.name: person.confirmed for person in everyone}}

        seen = asyncio.run(run())
        assert seen["alive"] == [True] * 5
        assert seen["positions"] == ["Room · 4 / 4"] * 5, seen["positions"]
        # nothing else was left running: the 5 open pages and the refilled pool
        assert room.wait_kernel_count(5 + room.pool_size, timeout=60) == 5 + room.pool_size
        rows = room.recorded()
        confirmed = seen["confirmed"]
        assert {name: sum(r.learner == name for r in rows) for name in confirmed} == confirmed
        assert sum(confirmed.values()) == 5 * 1 + 5 * 3 and len(rows) == 20
        assert len(room.participants()) == 10
        log = room.log()
        assert "403 POST" not in log and "_xsrf" not in log, "a shutdown request was refused"
        print(f"5 closed pages freed in {seen['freed_in']:.1f} s; {len(rows)} of {len(rows)} answers recorded")
    finally:
        room.stop()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_idle_pages_are_freed_and_their_participant_continues_after_joining_again(tmp_path: Path,
                                                                                  playwright_async) -> None:
    """With a short --idle-minutes: a page left open and idle loses its kernel, says so, and after a reload its
    participant joins again with the same code and name and continues with the next item; a page that vanished
    without closing (a crash, a lost network) is freed too; the warm pool is never culled."""
    from .roomrun import Room, browser, people, shoot

    room = Room(tmp_path, n=3, idle_minutes=0.3, pool_size=1)  # 18 s idle, checked every 5 s
    try:
        room.wait_ready()

        async def run() -> dict[str, object]:
            async with playwright_async() as p:
                chromium = await browser(p)
                vera, omar = await people(chromium, room, ["Vera", "Omar"])
                for person in (vera, omar):
                    await person.open()
                    await person.join()
                    await person.answer()
                first_kernel = vera.kernel_id
                await omar.close(unload=False)  # no shutdown request: only culling frees it
                await asyncio.to_thread(room.wait_gone, [first_kernel, omar.kernel_id], 90)
                note = vera.page.locator(".playbook-expired")
                await note.wait_for(state="visible", timeout=60_000)  # the page checks every 15 s
                said = await note.inner_text()
                await shoot(vera.page, "room-idle-note.png")

                await vera.open()  # reload
                await vera.join()
                status = await vera.page.locator(".playbook-join").inner_text()
                position = await vera.position()
                await vera.answer()
                await shoot(vera.page, "room-continued.png", full_page=True)
                alive = room.kernel_alive(vera.kernel_id)
                await chromium.close()
                return {"said": said, "status": status, "position": position, "alive": alive,
                        "new_kernel": vera.kernel_id != first_kernel, "confirmed": vera.confirmed + omar.confirmed}

        seen = asyncio.run(run())
        assert "reload the page and join again with the same code and name" in seen["said"]
        assert "Welcome back, Vera: 1 of your 3 items are answered and saved. You continue with item 2." in seen["status"]
        assert seen["position"] == "Room · 2 / 3" and seen["alive"] and seen["new_kernel"]
        rows = room.recorded()
        assert len(rows) == seen["confirmed"] == 3
        assert sorted(p.name for p in room.participants()) == ["Omar", "Vera"]
        assert "Culling 'idle' kernel" in room.log()
        assert room.wait_kernel_count(1 + room.pool_size, timeout=30) == 1 + room.pool_size  # the pool survived
    finally:
        room.stop()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_ten_on_the_page_answer_five_close_and_the_others_keep_working(tmp_path: Path, playwright_async) -> None:
    """The participant page (the default app): 10 participants join at once and answer; 5 close their page; the 5
    others keep answering and reload mid-drill, continuing where they were; every confirmed answer is recorded, one
    participant each, and no kernel ever runs."""
    from .pagerun import PageApp, Visitor
    from .roomrun import browser, people, shoot

    app = PageApp(tmp_path, n=4)
    try:
        app.wait_ready()
        assert app.kernels() == []

        async def run() -> dict[str, object]:
            async with playwright_async() as p:
                chromium = await browser(p)
                everyone = await people(chromium, app, [f"P{i:02d}" for i in range(1, 11)], Visitor)
                await asyncio.gather(*(person.open() for person in everyone))
                await asyncio.gather(*(person.join() for person in everyone))
                await asyncio.gather(*(person.answer() for person in everyone))
                leaving, staying = everyone[:5], everyone[5:]
                for person in leaving:
                    await person.close()
                await asyncio.gather(*(person.answer() for person in staying))
                for person in staying:  # a reload mid-drill: the form is filled in again, Join continues
                    await person.open(reload=True)
                    await person.join(again=True)
                resumed = [await person.position() for person in staying]
                await asyncio.gather(*(person.answer() for person in staying))
                positions = [await person.position() for person in staying]
                await shoot(staying[0].page, "page-room-still-working.png", full_page=True)
                await chromium.close()
                return {"resumed": resumed, "positions": positions, "refill_missed": sum(p.refill_missed for p in everyone),
                        "confirmed": {person.name: person.confirmed for person in everyone}}

        seen = asyncio.run(run())
        assert seen["resumed"] == ["Room · 3 / 4"] * 5, seen["resumed"]
        assert seen["positions"] == ["Room · 4 / 4"] * 5, seen["positions"]
        assert seen["refill_missed"] == 0
        rows = app.recorded()
        confirmed = seen["confirmed"]
        assert {name: sum(r.learner == name for r in rows) for name in confirmed} == confirmed
        assert sum(confirmed.values()) == 5 * 1 + 5 * 3 and len(rows) == 20
        with Store.open(app.home) as store:
            assert len(store.participants(app.code)) == 10
        assert app.kernels() == []
    finally:
        app.stop()
