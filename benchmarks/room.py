"""A class in one room: what each participant costs, how soon they practise, what the record takes.

Three set-ups, measured in one run each (``--part page --part voila`` compares the first two in one run):

**The participant page on one laptop** (``playbook workshop serve``, its default ``--app page``; ``--part page``).
No kernel: the serve process sends a small page and grades and records itself. N participants in Chromium pages
(one browser, a context each) open the page, join and answer while the others arrive; then every page reloads
twice (the code and name are filled in again, Join continues at the next item) and finally closes. It prints:
  1. the serve process's memory (RSS and USS) before any participant, with all joined, after the answers and
     reloads, and after every page closed;
  2. memory per participant (the serve process's growth over N), and the browsers' own memory apart;
  3. time from opening the page to the first exercise (page ready to type in, plus Join to the exercise on
     screen; typing is not counted): one at a time on a quiet server (a fresh browser context each), and median
     and p95 while the others arrive;
  4. answers per second through the page, every confirmed answer checked against the record;
  5. the reloads (filled in again, continued at the next item) and kernels alive (none);
  6. how many participants fit in 8 GB.

**The participant app in Voilà on one laptop** (``playbook workshop serve --app voila``; ``--part voila``, the
benchmark's default). A kernel per participant; the same room as the page's, and it prints:
  1. per-kernel memory before and after the lean participant path (a kernel as Jupyter starts it with the content
     validated in it, against the app's kernel: no debugger, no history, content from the validated cache);
  2. memory per participant in the room (their kernel, and what the Voilà server grows by per open page), the
     server and the warm pool once, and the browsers' own memory apart (they run on the participants' devices);
  3. time from opening the page to the first exercise (page ready to type in, plus Join to the exercise on
     screen; typing is not counted), median and p95, with a warm pool while the others arrive;
  4. answers per second through the app, every confirmed answer checked against the record;
  5. kernels alive after two reloads each and after every page closed (only the pool should remain);
  6. how many participants fit in 8 GB through a day with two reloads each, and without freeing on close.

**A class on JupyterHub** (``--part hub``), on the set-up ``playbook hub`` writes (first-use sign-in, local
servers, PostgreSQL): memory per participant (single-user server and kernel), time from sign-in to the first
confirmed exercise (one alone, then a class at once), answers per second the shared record takes, and what fits in
8 GB. Needs node and npm (JupyterHub's proxy).

Run: .venv/bin/python benchmarks/room.py [--part page|voila|hub|all ...] [--people N] [--arrival-seconds S]
                                         [--pool-size P] [--lang en|zh-Hans|zh-Hant]
     .venv/bin/python benchmarks/room.py --part hub [postgresql://user@host:port/db] [--class-size N]
Without a URL the hub part uses PLAYBOOK_TEST_PG_URL, else starts a throwaway PostgreSQL (Debian's package).
The machine's load average is printed with the figures: compare figures from one run, as ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playbook_lib.participant_page import MAX_SEATS  # noqa: E402
from tests.hubrun import Hub, Kernel, participant_code  # noqa: E402
from tests.pagerun import PageApp, Visitor  # noqa: E402
from tests.roomrun import Room, browser, people, percentile, summary  # noqa: E402

MIB = 2**20
BUDGET = 8 * 2**30
MEMORY_PEOPLE = 4
WRITERS, ANSWERS = 20, 150


@dataclass(frozen=True)
class Footprint:
    """Memory of one participant's processes, in bytes."""

    server_rss: int
    server_uss: int
    kernel_rss: int
    kernel_uss: int

    @property
    def uss(self) -> int:
        return self.server_uss + self.kernel_uss


# --- set-up ----------------------------------------------------------------------------------------


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """A fresh database on the server at ``url`` (or PLAYBOOK_TEST_PG_URL, or a throwaway server), dropped after."""
    import psycopg

    stop: Callable[[], None] | None = None
    admin_url = url or os.environ.get("PLAYBOOK_TEST_PG_URL")
    if not admin_url:
        sys.path.insert(0, str(ROOT))
        import run

        started = run.start_postgres()
        if started is None:
            raise SystemExit("no PostgreSQL: give a URL, or install Debian's postgresql package")
        admin_url, stop = started
    name = f"playbook_room_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if stop:
            stop()


def open_workshop(hub: Hub) -> tuple[Kernel, str]:
    """The trainer signs in, starts their server and opens a five-item signal drill; returns their kernel and the code."""
    token = hub.sign_in("trainer")
    hub.start_server("trainer", token)
    trainer = Kernel(hub.url, "trainer", token)
    code = trainer.run("from playbook_lib import Workbook\nwb = Workbook.open(learner='Trainer')\n"
                       "print(wb.open_workshop('Room benchmark', kind='signal-id', n=5).code)").strip()
    return trainer, code


def drill(hub: Hub, code: str, name: str, keep: bool = False) -> tuple[float, Kernel | None]:
    """Sign ``name`` in, start their server and kernel, do the drill; seconds from sign-in to the first exercise."""
    import json

    hub.create_users([name])  # the trainer adds them on the admin page
    started = time.time()
    token = hub.sign_in(name)
    hub.start_server(name, token)
    kernel = Kernel(hub.url, name, token)
    report = json.loads(kernel.run(participant_code(code, name)).strip().splitlines()[-1])
    if not keep:
        kernel.close()
    return report["first"] - started, kernel if keep else None


# --- 1. memory -------------------------------------------------------------------------------------


def memory_per_participant(hub: Hub, code: str, n: int = MEMORY_PEOPLE) -> tuple[list[Footprint], dict[str, int]]:
    """Each of ``n`` participants after their drill (server + kernel still up), and the hub's and proxy's own RSS."""
    import psutil

    names = [f"mem{i:02d}" for i in range(n)]
    kernels = [drill(hub, code, name, keep=True)[1] for name in names]
    hub_process = psutil.Process(hub.proc.pid)
    footprints = []
    for server in hub_process.children(recursive=True):
        try:
            if "jupyterhub-singleuser" not in " ".join(server.cmdline()) or server.environ().get("JUPYTERHUB_USER") not in names:
                continue
            kernel = next(p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline()))
            s, k = server.memory_full_info(), kernel.memory_full_info()
        except (psutil.Error, StopIteration):
            continue
        footprints.append(Footprint(s.rss, s.uss, k.rss, k.uss))
    proxy = sum(p.memory_info().rss for p in hub_process.children() if "configurable-http-proxy" in " ".join(p.cmdline()))
    for kernel in kernels:
        if kernel is not None:
            kernel.close()
    return footprints, {"hub": hub_process.memory_info().rss, "proxy": proxy}


# --- 2. time to the first exercise -------------------------------------------------------------------


def time_to_first_exercise(hub: Hub, code: str, class_size: int) -> tuple[float, list[float]]:
    """(one participant alone, each of a class of ``class_size`` signing in at once): seconds to the first exercise."""
    alone, _ = drill(hub, code, "alone")
    names = [f"c{i:02d}" for i in range(class_size)]
    with ThreadPoolExecutor(max_workers=class_size) as pool:
        together = [t for t, _ in pool.map(lambda name: drill(hub, code, name), names)]
    return alone, sorted(together)


# --- 3. answers per second into the shared record ------------------------------------------------------


WRITER = textwrap.dedent("""
    import random, sys, time
    from playbook_lib import Workbook, kinds
    from playbook_lib.engine import build_drill
    wb = Workbook.open(learner=sys.argv[1])
    items = build_drill(wb.catalog, n=None, seed=int(sys.argv[3]))
    answers = int(sys.argv[2])

    def answer_for(ex):
        ids = [c.id for c in ex.choices]
        fixed = {"signal-id": {"signal": False}, "multi-select": ids[:1], "ordering": ids,
                 "reflection": {"text": "I would ask now.", "ticked": ids[:1]}}
        if ex.kind in fixed or ex.kind in ("single-choice", "technique-match", "best-moment"):
            return fixed.get(ex.kind, ids[0])
        return kinds.of(ex).demo_answer(ex, random.Random(ex.id), True)  # any other kind: a call's best path

    print("ready", flush=True)
    sys.stdin.readline()  # all writers start together
    print(time.time(), flush=True)
    for i in range(answers):
        ex = items[i % len(items)].exercise
        wb.answer(ex.id, answer_for(ex), seconds=3.0)
    print(time.time(), flush=True)
    wb.close()
""")


def answers_per_second(db_url: str, writers: int = WRITERS, answers: int = ANSWERS) -> tuple[float, int, int]:
    """``writers`` processes answering through the workbook (grade, review card, record), started together once all
    are loaded: (answers per second from the first answer to the last, answers sent, answers in the record)."""
    from playbook_lib.store import Store

    env = dict(os.environ, PLAYBOOK_DB_URL=db_url)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, f"writer{n:02d}", str(answers), str(n)], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for n in range(writers)]
    for p in procs:  # wait until every writer has loaded the content and opened the record
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    outs = [p.communicate("go\n")[0].split() for p in procs]
    if any(p.returncode for p in procs):
        raise SystemExit(f"a writer failed: {[p.returncode for p in procs]}")
    elapsed = max(float(o[1]) for o in outs) - min(float(o[0]) for o in outs)
    with Store(url=db_url) as store:
        recorded = sum(store.count(f"writer{n:02d}") for n in range(writers))
    return writers * answers / elapsed, writers * answers, recorded


# --- 4. what fits in 8 GB ------------------------------------------------------------------------------


def fit(footprints: list[Footprint], fixed: dict[str, int], budget: int = BUDGET) -> tuple[int, str]:
    """How many participants fit in ``budget`` beside the hub and proxy (by USS), and what dominates their cost."""
    per = statistics.mean(f.uss for f in footprints)
    kernel = statistics.mean(f.kernel_uss for f in footprints)
    server = statistics.mean(f.server_uss for f in footprints)
    people = int((budget - sum(fixed.values())) // per)
    big, small = ("the kernel", "server") if kernel >= server else ("the single-user server", "kernel")
    return people, f"{big} ({100 * max(kernel, server) / per:.0f} % of each participant's USS; the {small} the rest)"



# --- the participant app (Voilà) on one laptop ---------------------------------------------------------

APP_CELLS = ("from playbook_lib import Workbook\nwb = Workbook.open(mode='workshop', lang='en')",
             "from IPython.display import display\napp = wb.workshop_app()\ndisplay(app)")
PROBE = "import psutil, json; m = psutil.Process().memory_full_info(); print(json.dumps([m.rss, m.uss]))"


def kernel_memory(lean: bool, home: Path, cache: str) -> tuple[int, int]:
    """(RSS, USS) of one kernel that has run the participant notebook's cells: started as Jupyter starts the
    notebook's kernel (``lean=False``) or as the participant app does (``lean=True``)."""
    import json

    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from playbook_lib._voila_app import ParticipantKernelSpecManager

    specs = ParticipantKernelSpecManager() if lean else KernelSpecManager()
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    env = {**os.environ, "PLAYBOOK_HOME": str(home), "PLAYBOOK_CACHE": cache, "IPYTHONDIR": str(home / "ipython")}
    (home / "ipython").mkdir(parents=True, exist_ok=True)
    manager.start_kernel(cwd=str(ROOT / "notebooks"), env=env)
    client = manager.client()
    out: list[str] = []
    try:
        client.start_channels()
        client.wait_for_ready(timeout=120)
        for cell in (*APP_CELLS, PROBE):
            client.execute_interactive(cell, timeout=120,
                                       output_hook=lambda msg: out.append(msg["content"].get("text", "")))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    rss, uss = json.loads("".join(out).strip().splitlines()[-1])
    return rss, uss


def lean_kernels(tmp: Path) -> dict[str, tuple[int, int]]:
    """Per-kernel memory at each step of the lean participant path (mean of two kernels each)."""
    from playbook_lib._serve import warm_content_cache

    cache = tmp / "cache"
    os.environ["PLAYBOOK_CACHE"] = str(cache)
    warm_content_cache(ROOT / "notebooks")
    steps = {"as Jupyter starts it, content validated in the kernel": (False, "off"),
             "content from the validated cache": (False, str(cache)),
             "the app's kernel (no debugger, no history), cache": (True, str(cache))}
    found = {}
    for label, (lean, where) in steps.items():
        runs = [kernel_memory(lean, tmp / "kernel-home", where) for _ in range(2)]
        found[label] = (int(statistics.mean(r[0] for r in runs)), int(statistics.mean(r[1] for r in runs)))
    return found


def uss(process: psutil.Process | None) -> int:
    try:
        return process.memory_full_info().uss if process else 0
    except psutil.Error:
        return 0


@dataclass
class RoomRun:
    """What one run of the participant app measured."""

    people: int
    pool: int
    opened: list[float]
    served: list[float]
    joined: list[float]
    answers: int
    answering_s: float
    recorded: int
    kernel_uss: list[int]
    kernel_rss: list[int]
    server_idle_uss: int
    server_full_uss: int
    pool_uss: int
    browser_rss: int
    alive_after_reloads: int
    alive_after_close: int
    freed_s: float


def voila_room(tmp: Path, n: int, arrival_s: float, pool: int, answers_each: int = 3) -> RoomRun:
    """``n`` participants arrive over ``arrival_s`` seconds, join, answer ``answers_each`` items together, reload
    twice and close; kernels are counted and measured along the way."""
    import asyncio

    from playwright.async_api import async_playwright

    room = Room(tmp / "room", n=answers_each + 2, idle_minutes=0, pool_size=pool)
    try:
        room.wait_ready()
        time.sleep(3)
        server = room.server()
        server_idle = uss(server)
        pool_uss = sum(uss(k) for k in room.kernels())

        async def run() -> RoomRun:
            async with async_playwright() as p:
                chromium = await browser(p)
                everyone = await people(chromium, room, [f"R{i:03d}" for i in range(n)])

                async def arrive(i: int, person) -> tuple[float, float, float]:
                    await asyncio.sleep(arrival_s * i / max(n, 1))
                    opened = await person.open()
                    return opened, person.served, await person.join()

                times = await asyncio.gather(*(arrive(i, person) for i, person in enumerate(everyone)))
                started = time.perf_counter()
                for _ in range(answers_each):
                    await asyncio.gather(*(person.answer() for person in everyone))
                answering = time.perf_counter() - started
                await asyncio.sleep(2)
                page_kernels = [k for k in room.kernels() if _kernel_id(k) in {p.kernel_id for p in everyone}]
                mem = [k.memory_full_info() for k in page_kernels]
                server_full = uss(server)
                browser_rss = _browser_rss()
                for _ in range(2):  # everyone reloads and joins again (continuing with the next item)
                    await asyncio.gather(*(person.open() for person in everyone))
                    await asyncio.gather(*(person.join() for person in everyone))
                after_reloads = room.wait_kernel_count(n + pool, timeout=60)
                ids = [person.kernel_id for person in everyone]
                for person in everyone:
                    await person.close()
                freed = await asyncio.to_thread(room.wait_gone, ids, 120)
                await chromium.close()
                return RoomRun(n, pool, [t[0] for t in times], [t[1] for t in times], [t[2] for t in times],
                               n * answers_each, answering,
                               len(room.recorded()), [m.uss for m in mem], [m.rss for m in mem], server_idle,
                               server_full, pool_uss, browser_rss, after_reloads, 0, freed)

        try:
            found = asyncio.run(run())
        except Exception:
            print(f"The app's log, at the end:\n{room.log()[-6000:]}", file=sys.stderr)
            raise
        found.alive_after_close = room.wait_kernel_count(pool, timeout=60)
        return found
    finally:
        room.stop()


def one_at_a_time(tmp: Path, pool: int, arrivals: int = 3, gap_s: float = 12.0) -> list[tuple[float, ...]]:
    """Participants arriving one by one, ``gap_s`` apart (time for the pool to refill): for each, (server sent the
    page, page ready to type in, Join to the first exercise, and the same three after a reload: the browser has the
    scripts, the participant continues) in seconds."""
    import asyncio

    from playwright.async_api import async_playwright

    room = Room(tmp / f"alone-{pool}", n=3, idle_minutes=0, pool_size=pool)
    try:
        room.wait_ready()
        time.sleep(3)

        async def run() -> list[tuple[float, ...]]:
            async with async_playwright() as p:
                chromium = await browser(p)
                found = []
                for person in await people(chromium, room, [f"A{i}" for i in range(arrivals)]):
                    opened = await person.open()
                    first = (person.served, opened, await person.join())
                    await person.answer()
                    await asyncio.sleep(gap_s)
                    opened = await person.open()
                    found.append((*first, person.served, opened, await person.join()))
                    await asyncio.sleep(gap_s)
                await chromium.close()
                return found

        return asyncio.run(run())
    finally:
        room.stop()


def _kernel_id(process: psutil.Process) -> str:
    """The kernel id in a kernel's connection-file name (kernel-ID.json)."""
    try:
        args = process.cmdline()
    except psutil.Error:
        return ""
    for arg in args:
        name = Path(arg).name
        if name.startswith("kernel-") and name.endswith(".json"):
            return name[len("kernel-"):-len(".json")]
    return ""


def _browser_rss() -> int:
    """RSS of the headless Chromium this benchmark started (its descendants only: not other browsers on the machine)."""
    total = 0
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


def report_voila(kernels: dict[str, tuple[int, int]], alone: dict[int, list[tuple[float, ...]]], run: RoomRun,
                 arrival_s: float, load: tuple[float, ...]) -> None:
    first = [o + j for o, j in zip(run.opened, run.joined, strict=True)]
    per_kernel = statistics.mean(run.kernel_uss)
    per_page_server = max(0.0, (run.server_full_uss - run.server_idle_uss) / run.people)
    per_person = per_kernel + per_page_server
    fixed = run.server_idle_uss + run.pool_uss
    fits = int((BUDGET - fixed) // per_person)
    leaky = int((BUDGET - fixed) // (3 * per_person))  # without freeing, two reloads leave three kernels each
    print(f"Participant app (Voilà) on {os.cpu_count()} cores; load average {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f} (1/5/15 min) at the start:")
    print("1. one kernel after the participant notebook ran (mean of two each):")
    base_uss = next(iter(kernels.values()))[1]
    for label, (rss, u) in kernels.items():
        print(f"     {label:<56} RSS {rss / MIB:5.1f} MiB, USS {u / MIB:5.1f} MiB ({u / base_uss:.2f} x)")
    print(f"2. memory per participant, {run.people} in the room after {run.answers // run.people} answers each:")
    print(f"     their kernel: USS {per_kernel / MIB:.1f} MiB (RSS {statistics.mean(run.kernel_rss) / MIB:.1f} MiB)")
    print(f"     the Voilà server, per open page: {per_page_server / MIB:.1f} MiB USS")
    print(f"     together: {per_person / MIB:.1f} MiB; once: the server {run.server_idle_uss / MIB:.0f} MiB and "
          f"the pool of {run.pool} {run.pool_uss / MIB:.0f} MiB USS")
    print(f"     the browsers (on participants' own devices in a real room, here on this machine): "
          f"{run.browser_rss / MIB / run.people:.0f} MiB RSS per page, not counted above")
    print("3. opening the page to the first exercise (page ready to type in + Join to the exercise on screen):")
    for size, rows in alone.items():
        print(f"     one at a time, pool of {size}: server sent the page median "
              f"{statistics.median(r[0] for r in rows):.2f} s; page ready {statistics.median(r[1] for r in rows):.2f} s"
              f"; first exercise {statistics.median(r[1] + r[2] for r in rows):.2f} s (median of {len(rows)})")
        print(f"       the same person reloading (scripts cached): server {statistics.median(r[3] for r in rows):.2f} s; "
              f"page ready {statistics.median(r[4] for r in rows):.2f} s; next exercise "
              f"{statistics.median(r[4] + r[5] for r in rows):.2f} s")
    print(f"   a room: {run.people} arriving over {arrival_s:.0f} s, pool of "
          f"{run.pool}:")
    print(f"     page ready to type in: median {statistics.median(run.opened):.2f} s, p95 "
          f"{percentile(run.opened, 0.95):.2f} s")
    print(f"     of which the server sending the page (a kernel, the notebook run): median "
          f"{statistics.median(run.served):.2f} s, p95 {percentile(run.served, 0.95):.2f} s")
    print(f"     Join to the first exercise: median {statistics.median(run.joined):.2f} s, p95 "
          f"{percentile(run.joined, 0.95):.2f} s")
    print(f"     together: median {statistics.median(first):.2f} s, p95 {percentile(first, 0.95):.2f} s")
    print(f"4. answering together: {run.answers / run.answering_s:.1f} answers/s through the app "
          f"({run.recorded} of {run.answers} confirmed answers in the record, {run.answers - run.recorded} lost)")
    print(f"5. kernels alive: after two reloads each {run.alive_after_reloads} ({run.people} pages + pool of "
          f"{run.pool}); after every page closed {run.alive_after_close} (freed in {run.freed_s:.1f} s)")
    print(f"6. in 8 GB: about {fits} participants through a day with two reloads each (kernels freed on close); "
          f"{leaky} if every page load kept its kernel")


# --- the participant page (no kernel) on one laptop ----------------------------------------------------

KIB = 2**10


@dataclass
class PageRun:
    """What one run of the participant page measured (memory as (RSS, USS) of the serve process, in bytes)."""

    people: int
    opened: list[float]
    served: list[float]
    joined: list[float]
    answers: int
    answering_s: float
    checked: list[float]
    recorded: int
    idle: tuple[int, int]
    all_joined: tuple[int, int]
    after_reloads: tuple[int, int]
    after_close: tuple[int, int]
    browser_rss: int
    rejoins: int
    continued: int
    refilled: int
    rejoined: list[float]
    kernels_joined: int
    kernels_after_close: int
    server_rate: tuple[float, int, int] = (0.0, 0, 0)


def page_room(tmp: Path, n: int, arrival_s: float, lang: str = "en", answers_each: int = 3) -> PageRun:
    """``n`` participants arrive over ``arrival_s`` seconds, join, answer ``answers_each`` items together, reload
    twice (joining again, continuing at the next item) and close; the serve process measured along the way."""
    import asyncio

    from playwright.async_api import async_playwright

    app = PageApp(tmp / "page-room", n=answers_each + 2, lang=lang)
    try:
        app.wait_ready()
        time.sleep(2)
        idle = app.memory()

        async def run() -> PageRun:
            async with async_playwright() as p:
                chromium = await browser(p)
                everyone = await people(chromium, app, [f"P{i:03d}" for i in range(n)], Visitor)

                async def arrive(i: int, person: Visitor) -> tuple[float, float, float]:
                    await asyncio.sleep(arrival_s * i / max(n, 1))
                    opened = await person.open()
                    return opened, person.served, await person.join()

                times = await asyncio.gather(*(arrive(i, person) for i, person in enumerate(everyone)))
                await asyncio.sleep(1)
                all_joined, kernels_joined, browser_rss = app.memory(), len(app.kernels()), _browser_rss()
                checked: list[float] = []
                started = time.perf_counter()
                for _ in range(answers_each):
                    checked += await asyncio.gather(*(person.answer() for person in everyone))
                answering = time.perf_counter() - started
                continued, rejoined = 0, []
                for _ in range(2):  # everyone reloads and joins again (continuing with the next item)
                    before = await asyncio.gather(*(person.position() for person in everyone))
                    opened = await asyncio.gather(*(person.open(reload=True) for person in everyone))
                    joined = await asyncio.gather(*(person.join(again=True) for person in everyone))
                    after = await asyncio.gather(*(person.position() for person in everyone))
                    continued += sum(a == b for a, b in zip(before, after, strict=True))
                    rejoined += [o + j for o, j in zip(opened, joined, strict=True)]
                await asyncio.sleep(1)
                after_reloads = app.memory()
                for person in everyone:
                    await person.close()
                await chromium.close()
                return PageRun(n, [t[0] for t in times], [t[1] for t in times], [t[2] for t in times],
                               sum(person.confirmed for person in everyone), answering, checked, 0, idle, all_joined,
                               after_reloads, (0, 0), browser_rss, 2 * n, continued,
                               2 * n - sum(person.refill_missed for person in everyone), rejoined, kernels_joined, 0)

        try:
            found = asyncio.run(run())
        except Exception:
            print(f"The page server's log, at the end:\n{app.log()[-6000:]}", file=sys.stderr)
            raise
        time.sleep(2)
        found.after_close = app.memory()
        found.kernels_after_close = len(app.kernels())
        found.recorded = len(app.recorded())
        found.server_rate = page_server_rate(app, each=answers_each + 2)
        return found
    finally:
        app.stop()


def page_server_rate(app: PageApp, clients: int = 20, each: int = 5) -> tuple[float, int, int]:
    """The serve process alone (no browser): ``clients`` threads join, then all at once answer ``each`` items
    (fetching each next item, as the page does); (answers per second, answers saved, new attempts in the record)."""
    seats = [app.post("join", {"code": app.code, "name": f"H{i:02d}", "lang": app.lang}) for i in range(clients)]
    before = len(app.recorded())

    def answer_all(seat: dict) -> int:
        saved, shown = 0, seat
        for position in range(each):
            if position:
                shown = app.post("exercise", {"token": seat["token"], "position": position})
            reply = app.post("answer", {"token": seat["token"], "exercise": shown["exercise"]["id"],
                                        "answer": {"signal": False}, "seconds": 3.0})
            saved += bool(reply.get("saved"))
        return saved

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        saved = sum(pool.map(answer_all, seats))
    elapsed = time.perf_counter() - started
    return clients * each / elapsed, saved, len(app.recorded()) - before


def page_one_at_a_time(tmp: Path, lang: str = "en", arrivals: int = 3, gap_s: float = 3.0) -> list[tuple[float, ...]]:
    """Participants arriving one by one on a quiet page server, each in a fresh browser context (cold cache): for
    each, (server sent the page, page ready to type in, Join to the first exercise, and the same three after a
    reload and joining again) in seconds."""
    import asyncio

    from playwright.async_api import async_playwright

    app = PageApp(tmp / "page-alone", n=3, lang=lang)
    try:
        app.wait_ready()
        time.sleep(2)

        async def run() -> list[tuple[float, ...]]:
            async with async_playwright() as p:
                chromium = await browser(p)
                found = []
                for person in await people(chromium, app, [f"A{i}" for i in range(arrivals)], Visitor):
                    opened = await person.open()
                    first = (person.served, opened, await person.join())
                    await person.answer()
                    await asyncio.sleep(gap_s)
                    opened = await person.open(reload=True)
                    found.append((*first, person.served, opened, await person.join(again=True)))
                    await person.close()
                    await asyncio.sleep(gap_s)
                await chromium.close()
                return found

        return asyncio.run(run())
    finally:
        app.stop()


def page_fit(run: PageRun, budget: int = BUDGET) -> str:
    """How many participants fit in ``budget`` beside the serve process, at its largest growth per participant (by
    RSS: the process is alone, and its USS moves as other processes sharing its libraries come and go)."""
    per = (max(run.all_joined[0], run.after_reloads[0]) - run.idle[0]) / run.people
    if per < KIB:
        return "more than 10,000"
    return f"about {int((budget - run.idle[0]) // per):,}"


def report_page(alone: list[tuple[float, ...]], run: PageRun, arrival_s: float, lang: str,
                load: tuple[float, ...]) -> None:
    first = [o + j for o, j in zip(run.opened, run.joined, strict=True)]

    def mib(m: tuple[int, int]) -> str:
        return f"RSS {m[0] / MIB:.1f} MiB, USS {m[1] / MIB:.1f} MiB"

    def grow(m: tuple[int, int]) -> str:
        rss, u = ((m[i] - run.idle[i]) / run.people / KIB for i in (0, 1))
        return f"{u:.0f} KiB USS ({rss:.0f} KiB RSS)"

    print(f"Participant page (no kernel, {lang}) on {os.cpu_count()} cores; load average {load[0]:.1f} / {load[1]:.1f} "
          f"/ {load[2]:.1f} (1/5/15 min) at the start:")
    print("1. the serve process (it serves the page, grades and records):")
    rows = {"before any participant": run.idle, f"with all {run.people} joined": run.all_joined,
            f"after {run.answers // run.people} answers and two reloads each, pages open": run.after_reloads,
            "after every page closed": run.after_close}
    for label, memory in rows.items():
        print(f"     {label + ':':<50} {mib(memory)}")
    print(f"2. memory per participant (the serve process's growth / {run.people}): with all joined "
          f"{grow(run.all_joined)}; after answers and reloads {grow(run.after_reloads)}")
    print(f"     the browsers (on participants' own devices in a real room, here on this machine): "
          f"{run.browser_rss / MIB / run.people:.0f} MiB RSS per page, not counted above")
    print("3. opening the page to the first exercise (page ready to type in + Join to the exercise on screen):")
    print(f"     one at a time (a fresh browser context each, cold cache): server sent the page median "
          f"{statistics.median(r[0] for r in alone):.2f} s; page ready {statistics.median(r[1] for r in alone):.2f} s; "
          f"first exercise {statistics.median(r[1] + r[2] for r in alone):.2f} s (median of {len(alone)})")
    print(f"       the same person reloading and joining again: server {statistics.median(r[3] for r in alone):.2f} s; "
          f"page ready {statistics.median(r[4] for r in alone):.2f} s; next exercise "
          f"{statistics.median(r[4] + r[5] for r in alone):.2f} s")
    print(f"   a room: {run.people} arriving over {arrival_s:.0f} s:")
    print(f"     page ready to type in: {summary(run.opened)}")
    print(f"     of which the server sending the page: {summary(run.served)}")
    print(f"     Join to the first exercise: {summary(run.joined)}")
    print(f"     together: {summary(first)}")
    print(f"4. answering together: {run.answers / run.answering_s:.1f} answers/s through the page (Check to the "
          f"feedback {summary(run.checked)}; {run.recorded} of {run.answers} confirmed answers in the record, "
          f"{run.answers - run.recorded} lost)")
    rate, saved, found = run.server_rate
    print(f"     the serve process alone (20 clients over HTTP at once, no browser): {rate:.0f} answers/s "
          f"({found} of {saved} saved answers in the record)")
    print(f"5. reloads: {run.rejoins} (two each); code and name filled in again {run.refilled} of {run.rejoins}; "
          f"continued at the next item {run.continued} of {run.rejoins}; reload to the exercise {summary(run.rejoined)}")
    print(f"   kernels alive: with all joined {run.kernels_joined}; after every page closed {run.kernels_after_close}")
    print(f"6. in 8 GB: {page_fit(run)} participants (8 GB less the serve process's "
          f"{run.idle[0] / MIB:.0f} MiB RSS, at its largest RSS growth per participant above); it keeps "
          f"{MAX_SEATS:,} participants in memory at most (an older one's page joins again by itself)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?", help="PostgreSQL server URL for the hub part "
                        "(default: PLAYBOOK_TEST_PG_URL or a throwaway one)")
    parser.add_argument("--part", choices=("page", "voila", "hub", "all"), action="append",
                        help="what to measure, once or more (page and voila in one run compare them); default voila")
    parser.add_argument("--people", type=int, default=20, help="participants in the app's room (default 20)")
    parser.add_argument("--arrival-seconds", type=float, default=40.0,
                        help="the app's participants arrive evenly over this many seconds (default 40)")
    parser.add_argument("--pool-size", type=int, default=2, help="the app's warm pool (default 2, as serve)")
    parser.add_argument("--class-size", type=int, default=10, help="hub participants signing in at once (default 10)")
    parser.add_argument("--lang", default="en", choices=("en", "zh-Hans", "zh-Hant"),
                        help="the participant page's language (default en)")
    args = parser.parse_args()
    parts = set(args.part or ["voila"])
    if parts & {"page", "all"}:
        load = os.getloadavg()
        with tempfile.TemporaryDirectory(prefix="playbook-room-") as tmp:
            alone = page_one_at_a_time(Path(tmp), args.lang)
            page = page_room(Path(tmp), args.people, args.arrival_seconds, args.lang)
        report_page(alone, page, args.arrival_seconds, args.lang, load)
    if parts & {"voila", "all"}:
        load = os.getloadavg()
        with tempfile.TemporaryDirectory(prefix="playbook-room-") as tmp:
            kernels = lean_kernels(Path(tmp))
            alone = {size: one_at_a_time(Path(tmp), size) for size in (0, args.pool_size)}
            run = voila_room(Path(tmp), args.people, args.arrival_seconds, args.pool_size)
        report_voila(kernels, alone, run, args.arrival_seconds, load)
    if parts & {"hub", "all"}:
        hub_part(args.url, args.class_size)


def hub_part(url: str | None, class_size: int) -> None:
    """The JupyterHub set-up's figures."""
    with database(url) as db_url, tempfile.TemporaryDirectory(prefix="playbook-room-") as tmp:
        hub = Hub(Path(tmp), db_url)
        try:
            trainer, code = open_workshop(hub)
            footprints, fixed = memory_per_participant(hub, code)
            alone, together = time_to_first_exercise(hub, code, class_size)
            trainer.close()
        finally:
            hub.stop()
        rate, sent, recorded = answers_per_second(db_url)
    load = os.getloadavg()[0]
    mean = {name: statistics.mean(getattr(f, name) for f in footprints) / MIB
            for name in ("server_rss", "server_uss", "kernel_rss", "kernel_uss")}
    people, dominant = fit(footprints, fixed)
    print(f"Room benchmark on {os.cpu_count()} cores (load average {load:.1f} at the end), JupyterHub + PostgreSQL:")
    print(f"1. memory per participant (mean of {len(footprints)}, after a drill):")
    print(f"     single-user server  RSS {mean['server_rss']:.0f} MiB, USS {mean['server_uss']:.0f} MiB")
    print(f"     kernel              RSS {mean['kernel_rss']:.0f} MiB, USS {mean['kernel_uss']:.0f} MiB")
    print(f"     together            USS {mean['server_uss'] + mean['kernel_uss']:.0f} MiB "
          f"(hub {fixed['hub'] / MIB:.0f} MiB and proxy {fixed['proxy'] / MIB:.0f} MiB RSS, once)")
    print("2. sign-in to the first exercise (server start, kernel start, join, first answer recorded):")
    print(f"     one participant alone: {alone:.1f} s")
    print(f"     a class of {len(together)} at once: median {statistics.median(together):.1f} s, "
          f"slowest {together[-1]:.1f} s")
    print(f"3. shared record: {WRITERS} kernels answering at once: {rate:,.0f} answers/s "
          f"({recorded:,} of {sent:,} recorded, {sent - recorded} lost)")
    print(f"4. in 8 GB: about {people} participants; what dominates: {dominant}")


if __name__ == "__main__":
    main()
