"""xAPI statements from the record: valid by the 1.0.3 rules, and sent to a Learning Record Store in batches.

The LRS is a tiny HTTP server on loopback that checks what a real one checks (the version header, basic
auth, JSON), refuses one batch once (the sender must try again) and keeps what it took.
"""

from __future__ import annotations

import base64
import json
import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from playbook_lib import Workbook
from playbook_lib import kinds as kind_registry
from playbook_lib.cli import cli
from playbook_lib.content import Catalog
from playbook_lib.lrs import Sender, credentials, statements_url
from playbook_lib.store import Attempt, Store
from playbook_lib.xapi import (
    ANSWERED,
    XAPI_VERSION,
    duration,
    problems,
    registration,
    statement,
    statement_id,
    statements,
)

KEY, SECRET = "lrs-key", "lrs-secret-9f3"


@pytest.fixture
def workshop_record(catalog: Catalog, tmp_path: Path) -> tuple[Path, str]:
    """A record with one workshop: three participants answering every kind of exercise, in two languages."""
    home = tmp_path / "trainer"
    wb = Workbook(catalog, Store.open(home), learner="Trainer")
    code = wb.open_workshop("Closing, Friday").code
    kinds: dict[str, Any] = {}
    for ex in catalog.exercises:
        kinds.setdefault(ex.kind, ex)
    for name, lang in (("Ada", "en"), ("Bo", "zh-Hans"), ("Cy", "zh-Hant")):
        wb.join(code, name)
        wb.lang = lang
        for n, ex in enumerate(kinds.values()):
            wb.answer(ex.id, _some_answer(ex), seconds=3.5 + n if n % 3 else None)
    wb.close()
    return home, code


def _some_answer(ex: Any) -> Any:
    ids = [c.id for c in ex.choices]
    fixed = {"signal-id": {"signal": False}, "multi-select": ids[:2], "ordering": ids,
             "reflection": {"text": "I would ask now.", "ticked": ids[:1]}}
    if ex.kind in fixed:
        return fixed[ex.kind]
    if ex.kind in ("single-choice", "technique-match", "best-moment"):
        return ids[0]
    return kind_registry.of(ex).demo_answer(ex, random.Random(ex.id), True)  # any other kind (a call's best path)


def test_every_statement_of_a_workshop_export_is_valid(workshop_record, catalog: Catalog) -> None:
    home, code = workshop_record
    with Store.open(home) as store:
        attempts = store.attempts(session=code)
    data = list(statements(attempts, catalog))
    assert len(data) == len(attempts) >= 21 and len({s["id"] for s in data}) == len(data)
    for s in data:
        assert problems(s) == [], s
        assert s["version"] == XAPI_VERSION and s["verb"]["id"] == ANSWERED
        assert set(s["verb"]["display"]) == {"en-US", "zh-CN"}
        assert set(s["actor"]) == {"objectType", "name", "account"}  # no e-mail address
        assert s["actor"]["account"]["homePage"].endswith(f"/workshops/{code}")
        assert s["context"]["registration"] == registration(code)
        assert s["context"]["contextActivities"]["parent"][0]["id"].rsplit("/", 2)[-2] == "sections"
        name = s["object"]["definition"]["name"]
        assert name["en-US"] and name["zh-CN"] and s["object"]["definition"]["description"]["zh-CN"]
        assert set(s["result"]["score"]) == {"scaled", "raw", "min", "max"} and s["result"]["completion"] is True
        datetime.fromisoformat(s["timestamp"])
    kinds = {s["object"]["definition"]["interactionType"] for s in data}
    assert {"choice", "sequencing", "long-fill-in"} <= kinds
    assert {s["context"]["language"] for s in data} == {"en", "zh-Hans", "zh-Hant"}
    assert any("duration" not in s["result"] for s in data) and any(s["result"].get("duration") for s in data)
    reflections = [s for s in data if s["object"]["definition"]["interactionType"] == "long-fill-in"]
    assert all("success" not in s["result"] and s["result"]["response"] == "I would ask now." for s in reflections)


def test_ids_are_stable(catalog: Catalog) -> None:
    attempt = _attempt()
    assert statement_id(attempt) == statement_id(replace(attempt, score=0.0))
    assert statement(attempt, catalog).data() == statement(attempt, catalog).data()
    assert registration("k7q2mx") == registration("K7Q2MX") != registration("K7Q2MY")


def _attempt(**changes: Any) -> Attempt:
    base = Attempt(uid="u-1", learner="Ada", exercise_id="ex.unknown.one", kind="single-choice", section="section.timing",
                   topic="moment.after-proposal", content_version="t", answer="a", expected="b", correct=False,
                   score=0.0, seconds=65.25, answered_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC), mode="practice",
                   session="s")
    return replace(base, **changes)


def test_an_exercise_no_longer_in_the_content_still_makes_a_valid_statement(catalog: Catalog) -> None:
    data = statement(_attempt(), catalog).data()
    assert problems(data) == [] and data["object"]["definition"]["name"] == {"en-US": "ex.unknown.one"}
    assert "registration" not in data["context"] and data["actor"]["account"]["homePage"].endswith(".invalid/")
    naive = statement(_attempt(answered_at=datetime(2026, 11, 27, 9, 30)), catalog).data()
    assert naive["timestamp"] == "2026-11-27T09:30:00+00:00"  # an old results file's time, taken as UTC


@pytest.mark.parametrize("seconds, text", [(0, "PT0S"), (2.0, "PT2S"), (65.25, "PT1M5.25S"), (3725.3, "PT1H2M5.3S")])
def test_durations_are_iso_8601(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize("change, fault", [
    (lambda s: s["actor"].update(mbox="mailto:ada@example.com"), "exactly one identifier"),
    (lambda s: s["actor"].pop("account"), "exactly one identifier"),
    (lambda s: s["verb"].update(id="answered"), "absolute IRI"),
    (lambda s: s["object"].update(id="exercises/ex.1"), "absolute IRI"),
    (lambda s: s["result"]["score"].update(scaled=1.5), "less than or equal to 1"),
    (lambda s: s["result"]["score"].update(min=1, max=1), "min must be less than max"),
    (lambda s: s["result"]["score"].update(raw=2), "between min and max"),
    (lambda s: s["result"].update(duration="65 seconds"), "ISO 8601 duration"),
    (lambda s: s.update(timestamp="2026-11-27T09:30:00"), "time zone"),
    (lambda s: s.update(id="not-a-uuid"), "UUID"),
    (lambda s: s["context"].update(registration="K7Q2MX"), "UUID"),
    (lambda s: s["verb"].update(display={"en_US": "answered"}), "RFC 5646"),
    (lambda s: s["context"].update(language="zh_CN"), "RFC 5646"),
    (lambda s: s.update(stored_by="me"), "Extra inputs"),
    (lambda s: s["object"]["definition"].update(interactionType="quiz"), "interactionType"),
    (lambda s: s["object"]["definition"].update(choices=[{"id": "a"}, {"id": "a"}]), "unique"),
    (lambda s: s["result"].update(extensions={"mode": "x"}), "IRIs"),
    (lambda s: s.update(version="2.0.0"), "1.0.x"),
    (lambda s: s["actor"]["account"].update(homePage="lrs.example.com"), "IRL"),
])
def test_statements_that_break_the_rules_are_refused(catalog: Catalog, change, fault: str) -> None:
    data = json.loads(json.dumps(statement(_attempt(), catalog).data()))
    change(data)
    found = problems(data)
    assert any(fault in p for p in found), found


# --- a Learning Record Store on loopback -------------------------------------------------------


class FakeLRS:
    """Checks version header, auth and content type; refuses the second batch once with 503; keeps statements."""

    def __init__(self, refuse_ids: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.got: dict[str, dict] = {}
        self.posts: list[int] = []  # each POST's answer
        self.refuse_ids = refuse_ids
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, answer = lrs.take(self.path, self.headers, body)
                lrs.posts.append(status)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 503:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take(self, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        if path != "/xapi/statements":
            return 404, {"message": "no such resource"}
        if not headers.get("X-Experience-API-Version", "").startswith("1.0."):
            return 400, {"message": "X-Experience-API-Version header missing"}
        if headers.get("Authorization") != "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode():
            return 401, {"message": "bad credentials"}
        if not headers.get("Content-Type", "").startswith("application/json"):
            return 400, {"message": "JSON expected"}
        batch = json.loads(body)
        if len(self.posts) == 1:  # the second request: a passing failure, once
            return 503, {"message": "busy, try again"}
        bad = [s["id"] for s in batch if problems(s) or s["id"] in self.refuse_ids]
        if bad:
            return 400, {"message": f"invalid statement {bad[0]}"}
        for s in batch:
            self.got[s["id"]] = s
        return 200, [s["id"] for s in batch]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lrs() -> Iterator[FakeLRS]:
    server = FakeLRS()
    yield server
    server.close()


def _export(home: Path, code: str, *args: str, env: dict[str, str] | None = None, input: str | None = None):
    fmt = [] if "-o" in args and "--lrs" in args else ["--format", "xapi"]
    return CliRunner().invoke(cli, ["export", "--home", str(home), "--session", code, *fmt, *args],
                              env=env, input=input, catch_exceptions=False)


def test_export_writes_valid_statements(workshop_record, tmp_path: Path) -> None:
    home, code = workshop_record
    out = tmp_path / "statements.json"
    result = _export(home, code, "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    with Store.open(home) as store:
        assert len(data) == store.count(session=code)
    assert all(problems(s) == [] for s in data)


def test_export_sends_to_an_lrs_in_batches_with_a_retry(workshop_record, lrs: FakeLRS, monkeypatch) -> None:
    home, code = workshop_record
    monkeypatch.setattr("playbook_lib.lrs.BATCH", 8)
    monkeypatch.setattr("playbook_lib.lrs.PAUSE_S", 0.01)
    result = _export(home, code, "--lrs", lrs.url, env={"PLAYBOOK_LRS_KEY": KEY, "PLAYBOOK_LRS_SECRET": SECRET})
    assert result.exit_code == 0, result.output
    with Store.open(home) as store:
        attempts = store.attempts(session=code)
    assert set(lrs.got) == {statement_id(a) for a in attempts}  # every attempt arrived, once
    assert lrs.posts.count(503) == 1 and lrs.posts.count(200) == -(-len(attempts) // 8)
    assert "1 retried" in result.output and f"Sent {len(attempts)} statement(s)" in result.output
    assert SECRET not in result.output


def test_sending_with_a_file_also_writes_it_in_the_format_asked(workshop_record, lrs: FakeLRS, tmp_path: Path) -> None:
    home, code = workshop_record
    out = tmp_path / "class.csv"
    result = _export(home, code, "--lrs", lrs.url, "-o", str(out), env={"PLAYBOOK_LRS_KEY": KEY, "PLAYBOOK_LRS_SECRET": SECRET})
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith('"uid","learner"') and lrs.got


def test_the_secret_is_asked_without_echo(workshop_record, lrs: FakeLRS, monkeypatch) -> None:
    home, code = workshop_record
    monkeypatch.delenv("PLAYBOOK_LRS_SECRET", raising=False)
    result = _export(home, code, "--lrs", lrs.url, env={"PLAYBOOK_LRS_KEY": KEY, "PLAYBOOK_LRS_SECRET": ""},
                     input=f"{SECRET}\n")
    assert result.exit_code == 0, result.output
    assert "LRS secret" in result.output and SECRET not in result.output and lrs.got


def test_refused_statements_are_reported_and_the_rest_still_go(catalog: Catalog) -> None:
    attempts = [_attempt(uid=f"u-{n}", exercise_id=catalog.exercises[n].id, kind=catalog.exercises[n].kind)
                for n in range(10)]
    data = list(statements(attempts, catalog))
    server = FakeLRS(refuse_ids={data[3]["id"]})
    try:
        report = Sender(server.url, KEY, SECRET, batch=5, pause=0.0).send(data)
    finally:
        server.close()
    assert report.sent == 9 and report.refused_count == 1 and report.refused[0].ids == (data[3]["id"],)
    assert report.refused[0].status == 400 and "invalid statement" in report.refused[0].reason
    assert data[3]["id"] not in server.got and len(server.got) == 9
    assert any("Refused 1 (HTTP 400" in line for line in report.lines())


def test_wrong_credentials_stop_the_sending(catalog: Catalog) -> None:
    data = list(statements([_attempt(uid=f"u-{n}") for n in range(6)], catalog))
    server = FakeLRS()
    try:
        report = Sender(server.url, KEY, "wrong", batch=2, pause=0.0).send(data)
    finally:
        server.close()
    assert report.sent == 0 and report.refused_count == 6 and report.requests == 1
    assert report.refused[0].status == 401 and not server.got


def test_an_lrs_that_never_answers_is_given_up_on(catalog: Catalog) -> None:
    slept: list[float] = []
    sender = Sender("http://127.0.0.1:9/xapi", KEY, SECRET, tries=3, pause=0.5, timeout=2, sleep=slept.append)
    report = sender.send(list(statements([_attempt()], catalog)))
    assert report.refused_count == 1 and report.requests == 3 and slept == [0.5, 1.0]
    assert "gave up after 3 tries" in report.refused[0].reason


def test_endpoint_and_credentials() -> None:
    assert statements_url("https://lrs.example/xapi/") == "https://lrs.example/xapi/statements"
    assert statements_url("https://lrs.example/xapi/statements") == "https://lrs.example/xapi/statements"
    asked: list[tuple[str, bool]] = []

    def prompt(text: str, hide_input: bool = False) -> str:
        asked.append((text, hide_input))
        return "typed"

    assert credentials(prompt, {"PLAYBOOK_LRS_KEY": "k"}) == ("k", "typed")
    assert asked == [("LRS secret (not shown)", True)]
