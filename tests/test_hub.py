"""A class on a real JupyterHub: the set-up `playbook hub` writes, 20 participants signing in through the hub's
REST API and drilling in their own servers (kernels driven over websockets), two more clicking in Chromium,
the trainer's dashboard refreshing meanwhile, and one PostgreSQL record that holds every confirmed answer.

One hub serves the whole module. Needs node and npm (the proxy) and PostgreSQL (`python3 run.py test`
starts one); Chromium for the two clicking participants.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from playbook_lib.notebooks import folder
from playbook_lib.store import Store

from .browser import CHROMIUM, answer_not_a_signal, chromium_page, shoot
from .conftest import PG_ENV
from .hubrun import Hub, Kernel, participant_code, password_of, tools_missing

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(tools_missing()), reason=tools_missing() or "")]

PARTICIPANTS = [f"p{n:02d}" for n in range(1, 21)]
CLICKERS = ["web01", "web02"]
CHINESE = "p07"  # works in simplified Chinese, from class.yaml
DRILL = 5
SECRET = f"class-db-{uuid.uuid4().hex[:10]}"  # the database password: must never show in the hub's log or files

DASHBOARD_CODE = """
import json
from playbook_lib import dashboard
summary = dashboard.class_summary(wb.store, wb.catalog, {code!r})
print(json.dumps([len(summary.participants), summary.answers]))
"""


@dataclass
class Room:
    """The module's hub and what happened in it."""

    hub: Hub
    db_url: str
    code: str
    trainer: Kernel
    tokens: dict[str, str] = field(default_factory=dict)
    confirmed: dict[str, list[str]] = field(default_factory=dict)
    """Exercise ids each participant saw confirmed, by name."""
    participant_ids: dict[str, str] = field(default_factory=dict)
    to_first: dict[str, float] = field(default_factory=dict)
    """Seconds from sign-in to the first confirmed exercise, by name."""
    reconnects: int = 0
    """Kernel websockets that dropped and joined their session again."""
    refreshes: list[tuple[int, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self) -> tuple[int, int]:
        """The trainer's dashboard, refreshed in the trainer's kernel: (participants, answers)."""
        with self.lock:
            people, answers = json.loads(self.trainer.run(DASHBOARD_CODE.format(code=self.code)))
            self.refreshes.append((people, answers))
        return people, answers


def _with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user.split(':')[0]}:{password}@{host}"


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"no PostgreSQL server ({PG_ENV} is not set; `python3 run.py test` starts one)")
    import psycopg

    name = f"playbook_hub_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    db_url = _with_password(admin_url.rsplit("/", 1)[0] + f"/{name}", SECRET)
    hub = Hub(tmp_path_factory.mktemp("hub-class"), db_url, trainers=("trainer",), languages={CHINESE: "zh-Hans"})
    trainer = None
    try:
        token = hub.sign_in("trainer")
        hub.start_server("trainer", token)
        trainer = Kernel(hub.url, "trainer", token)
        code = trainer.run("from playbook_lib import Workbook\nwb = Workbook.open(learner='Trainer')\n"
                           f"print(wb.open_workshop('Signals on the hub', kind='signal-id', n={DRILL}).code)").strip()
        yield Room(hub, db_url, code, trainer, tokens={"trainer": token})
    finally:
        if trainer is not None:
            trainer.close()
        hub.stop()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _refresh_until(room: Room, done: threading.Event, every: float = 3.0) -> None:
    while not done.wait(every):
        room.refresh()


def _participant(room: Room, name: str) -> dict[str, Any]:
    """One participant: sign in, start their server, drill in a kernel; the report their kernel prints."""
    signed_in = time.time()
    token = room.hub.sign_in(name)
    room.hub.start_server(name, token)
    kernel = Kernel(room.hub.url, name, token)
    try:
        report = json.loads(kernel.run(participant_code(room.code, name)).strip().splitlines()[-1])
    finally:
        kernel.close()
    return {**report, "name": name, "token": token, "signed_in": signed_in, "reconnects": kernel.reconnects}


def test_twenty_participants_drill_in_their_own_servers(room: Room) -> None:
    room.hub.create_users(PARTICIPANTS)  # the trainer adds the class on the admin page
    done = threading.Event()
    refresher = threading.Thread(target=_refresh_until, args=(room, done), daemon=True)
    refresher.start()
    try:
        with ThreadPoolExecutor(max_workers=len(PARTICIPANTS)) as pool:
            reports = list(pool.map(lambda n: _participant(room, n), PARTICIPANTS))
    finally:
        done.set()
        refresher.join(timeout=120)
    for report in reports:
        name = report["name"]
        room.tokens[name] = report["token"]
        room.confirmed[name] = [exercise_id for exercise_id, _verdict in report["answers"]]
        room.participant_ids[name] = report["participant"]
        room.to_first[name] = report["first"] - report["signed_in"]
        room.reconnects += report["reconnects"]
        assert len(report["answers"]) == DRILL, name
        assert report["record"].startswith("postgresql://") and SECRET not in report["record"]
        assert report["cwd"].endswith(f"/homes/{name}")
        expected = "zh-Hans" if name == CHINESE else "en"
        assert report["env_lang"] == expected and report["lang"] == expected, name
    assert len(room.refreshes) >= 2, "the dashboard should have refreshed while the class drilled"
    answers = [a for _p, a in room.refreshes]
    assert answers == sorted(answers), "the dashboard's answer count never goes down"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_two_participants_click_through_the_hub(room: Room) -> None:
    """Sign in on the hub's page, land in the participant app, join and answer by clicking."""
    results: dict[str, Any] = {}

    def click(name: str) -> None:
        try:
            with chromium_page() as page:
                page.goto(f"{room.hub.url}/hub/login")
                page.locator("#username_input").fill(name)
                page.locator("#password_input").fill(password_of(name))
                signed_in = time.time()
                page.locator("#login_submit").click()
                page.get_by_placeholder("e.g. K7Q2MX").wait_for(timeout=300_000)
                assert "/voila/render/closing-playbook/08-workshop-participant.ipynb" in page.url
                page.get_by_placeholder("e.g. K7Q2MX").fill(room.code.lower())
                page.get_by_placeholder("Your name").fill(name)
                page.locator(".playbook-join button", has_text="Join").click()
                page.get_by_text("Joined workshop").wait_for()
                answer_not_a_signal(page, page.locator(".playbook-view").first)
                first = time.time()
                page.locator("button.playbook-next").click()
                page.locator(".playbook-view:not(:has(.playbook-feedback))").first.wait_for()
                answer_not_a_signal(page, page.locator(".playbook-view").last)
                assert "import Workbook" not in page.locator("body").inner_text()  # no code on show
                shoot(page, f"hub-{name}.png")
                results[name] = (signed_in, first)
        except Exception as exc:  # reported below, with the name
            results[name] = exc

    threads = [threading.Thread(target=click, args=(name,)) for name in CLICKERS]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        room.refresh()
        time.sleep(3)
    for name in CLICKERS:
        if isinstance(results.get(name), Exception):
            raise AssertionError(f"{name} in Chromium: {results[name]}\n{room.hub.log()[-2000:]}")
        signed_in, first = results[name]
        room.to_first[name] = first - signed_in
    with Store(url=room.db_url) as store:
        people = {p.name: p.id for p in store.participants(room.code)}
        for name in CLICKERS:
            room.participant_ids[name] = people[name]
            room.confirmed[name] = [a.exercise_id for a in store.attempts(session=room.code)
                                    if a.participant == people[name]]
            assert len(room.confirmed[name]) == 2, name  # what the page confirmed, no more, no less


def test_every_confirmed_answer_is_in_the_record_and_on_the_dashboard(room: Room, capsys) -> None:
    assert room.confirmed, "no participant drilled (the earlier tests failed)"
    with Store(url=room.db_url) as store:
        rows = store.attempts(session=room.code)
        joined = store.participants(room.code)
    recorded = Counter((a.participant, a.exercise_id) for a in rows)
    confirmed = Counter((room.participant_ids[n], e) for n, ids in room.confirmed.items() for e in ids)
    lost = confirmed - recorded
    assert not lost and recorded == confirmed
    assert {p.name for p in joined} == set(room.confirmed)
    assert all(a.mode == "workshop" and a.learner in room.confirmed for a in rows)
    people, answers = room.refresh()
    assert (people, answers) == (len(joined), len(rows))
    html = room.trainer.run("html, fig = dashboard.load(wb.store, wb.catalog, "
                            f"{room.code!r})\nprint(len(html), fig is not None)")
    assert html.split()[1] == "True"
    waits = sorted(room.to_first.values())
    with capsys.disabled():
        print(f"\n[hub class] participants {len(joined)} ({len(PARTICIPANTS)} through kernels, "
              f"{len(joined) - len(PARTICIPANTS)} clicking in Chromium), answers {len(rows)}, lost {sum(lost.values())}; "
              f"sign-in to first exercise: median {statistics.median(waits):.1f} s, max {waits[-1]:.1f} s; "
              f"dashboard refreshed {len(room.refreshes)} times; kernel websockets reconnected {room.reconnects} times")


def test_participants_cannot_reach_each_others_servers(room: Room) -> None:
    a, b = PARTICIPANTS[0], PARTICIPANTS[1]
    assert room.tokens.get(a) and room.tokens.get(b), "the participants did not sign in (an earlier test failed)"
    as_a = {"Authorization": f"token {room.tokens[a]}"}
    for path in ("api/kernels", "api/contents/closing-playbook", "api/sessions",
                 "voila/render/closing-playbook/08-workshop-participant.ipynb"):
        theirs = requests.get(f"{room.hub.url}/user/{b}/{path}", headers=as_a, allow_redirects=False, timeout=60)
        assert theirs.status_code == 403, (path, theirs.status_code)
        own = requests.get(f"{room.hub.url}/user/{a}/{path}", headers=as_a, allow_redirects=False, timeout=60)
        assert own.status_code == 200, (path, own.status_code)
    starting = requests.post(f"{room.hub.url}/user/{b}/api/kernels", headers=as_a, json={}, timeout=60)
    assert starting.status_code == 403
    assert requests.get(f"{room.hub.url}/hub/api/users/{b}", headers=as_a, timeout=60).status_code in (403, 404)
    stopping = requests.delete(f"{room.hub.url}/hub/api/users/{b}/server", headers=as_a, timeout=60)
    assert stopping.status_code in (403, 404)
    anonymous = requests.get(f"{room.hub.url}/user/{b}/api/kernels", allow_redirects=False, timeout=60)
    assert anonymous.status_code in (302, 403)


def test_start_pages_notebooks_and_no_password_in_the_clear(room: Room) -> None:
    def start_page(name: str) -> str:
        auth = {"Authorization": f"token {room.tokens[name]}"}
        answer = requests.get(f"{room.hub.url}/user/{name}/", headers=auth, allow_redirects=False, timeout=60)
        return answer.headers["Location"].split("?")[0]

    assert start_page("trainer").endswith("/user/trainer/lab/tree/closing-playbook/07-workshop-dashboard.ipynb")
    assert start_page("p01").endswith("/user/p01/voila/render/closing-playbook/08-workshop-participant.ipynb")
    homes = room.hub.folder / "homes"
    for name, lang in (("p01", "en"), (CHINESE, "zh-Hans")):
        start = (homes / name / "closing-playbook" / "00-start-here.ipynb").read_text(encoding="utf-8")
        assert f'lang=\\"{lang}\\"' in start, name
        shipped = {p.name for p in folder(lang).glob("*.ipynb")}
        assert {p.name for p in (homes / name / "closing-playbook").glob("*.ipynb")} == shipped
    log = room.hub.log()
    assert "closing-playbook: p01 (participant, en)" in log and "closing-playbook: trainer (trainer, en)" in log
    assert "***@" in log  # the record is named, without its password
    for path in [room.hub.log_path, *room.hub.folder.glob("*.py"), *room.hub.folder.glob("*.yaml")]:
        assert SECRET not in Path(path).read_text(errors="replace"), path
