"""A class on one JupyterHub: what each participant costs, how soon they practise, what the shared record takes.

Measures, in one run, on the set-up `playbook hub` writes (first-use sign-in, local servers, PostgreSQL):
  1. memory per participant: their single-user server and their kernel (RSS and USS, via psutil), after a drill;
  2. time from sign-in to the first confirmed exercise: one person alone, then a class signing in at once;
  3. answers per second the shared PostgreSQL record takes from many kernels writing at once;
  4. how many participants fit in 8 GB, and what dominates.

Run: .venv/bin/python benchmarks/room.py [postgresql://user@host:port/db] [--class-size N]
Without a URL it uses PLAYBOOK_TEST_PG_URL, else starts a throwaway PostgreSQL (Debian's package) like the tests.
Needs node and npm (JupyterHub's proxy). Each section is one function: add the Voilà app's figures beside them.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hubrun import Hub, Kernel, participant_code  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?", help="PostgreSQL server URL (default: PLAYBOOK_TEST_PG_URL or a throwaway one)")
    parser.add_argument("--class-size", type=int, default=10, help="participants signing in at once (default 10)")
    args = parser.parse_args()
    with database(args.url) as db_url, tempfile.TemporaryDirectory(prefix="playbook-room-") as tmp:
        hub = Hub(Path(tmp), db_url)
        try:
            trainer, code = open_workshop(hub)
            footprints, fixed = memory_per_participant(hub, code)
            alone, together = time_to_first_exercise(hub, code, args.class_size)
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
