"""Sending xAPI statements to a Learning Record Store: batches, retries, and a report of what was refused.

Each batch is one ``POST {endpoint}/statements`` with HTTP basic auth, ``Content-Type: application/json`` and
``X-Experience-API-Version: 1.0.3``. A batch that fails for a passing reason (a network error, 429, 5xx) is
sent again after a pause that doubles each time (or the ``Retry-After`` the LRS asks for); a batch the LRS
refuses as bad (400, 413) is split in halves until the statements at fault are found, so the good ones
still go; a refused login (401, 403) stops the sending. Statement ids are stable, so sending again is safe.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import PlaybookError
from .xapi import XAPI_VERSION

KEY_ENV = "PLAYBOOK_LRS_KEY"
SECRET_ENV = "PLAYBOOK_LRS_SECRET"
BATCH = 50
TRIES = 4
PAUSE_S = 0.5
TIMEOUT_S = 30.0
_PASSING = {408, 425, 429, 500, 502, 503, 504}
_SPLIT = {400, 413}


@dataclass(frozen=True)
class Refusal:
    """Statements the LRS did not take, and why."""

    status: int | None
    reason: str
    ids: tuple[str, ...]


@dataclass
class Report:
    """What happened to the statements sent."""

    endpoint: str
    sent: int = 0
    requests: int = 0
    retries: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def refused_count(self) -> int:
        return sum(len(r.ids) for r in self.refused)

    def lines(self) -> list[str]:
        """The report as sentences for the command line."""
        out = [f"Sent {self.sent} statement(s) to {self.endpoint} in {self.requests} request(s)"
               + (f", {self.retries} retried" if self.retries else "") + "."]
        for refusal in self.refused:
            status = f"HTTP {refusal.status}" if refusal.status else "no answer"
            out.append(f"Refused {len(refusal.ids)} ({status}: {refusal.reason}): {', '.join(refusal.ids[:5])}"
                       + (" ..." if len(refusal.ids) > 5 else ""))
        return out


def statements_url(endpoint: str) -> str:
    """The statements resource of an LRS endpoint (``https://lrs.example/xapi/`` → ``.../xapi/statements``)."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/statements") else endpoint + "/statements"


def credentials(prompt: Callable[..., str], environ: dict[str, str] | None = None) -> tuple[str, str]:
    """The LRS key and secret: from ``PLAYBOOK_LRS_KEY`` and ``PLAYBOOK_LRS_SECRET``, else asked (the secret unechoed)."""
    env = os.environ if environ is None else environ
    key = env.get(KEY_ENV) or prompt("LRS key (user name)")
    secret = env.get(SECRET_ENV) or prompt("LRS secret (not shown)", hide_input=True)
    return key, secret


def _auth_header(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")


class _Stop(Exception):
    """The LRS refused the credentials: nothing more can be sent."""


def _reason(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
        text = str(data.get("message") or data.get("error") or text) if isinstance(data, dict) else text
    except ValueError:
        pass
    return " ".join(text.split())[:200] or "no reason given"


class Sender:
    """Posts statements to one LRS."""

    def __init__(self, endpoint: str, key: str, secret: str, *, batch: int = BATCH, tries: int = TRIES,
                 pause: float = PAUSE_S, timeout: float = TIMEOUT_S, sleep: Callable[[float], None] = time.sleep) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise PlaybookError(f"the LRS address must start with http:// or https://, got {endpoint!r}")
        self.url = statements_url(endpoint)
        self.report = Report(self.url)
        self.batch, self.tries, self.pause, self.timeout, self.sleep = batch, tries, pause, timeout, sleep
        self._headers = {"Authorization": _auth_header(key, secret), "Content-Type": "application/json",
                         "X-Experience-API-Version": XAPI_VERSION}

    def send(self, statements: Sequence[dict[str, Any]]) -> Report:
        """Send ``statements`` in batches; return the report (also kept as ``self.report``)."""
        chunks = [list(statements[i:i + self.batch]) for i in range(0, len(statements), self.batch)]
        for n, chunk in enumerate(chunks):
            try:
                self._send(chunk)
            except _Stop as stop:
                rest = [s for later in chunks[n:] for s in later]
                self.report.refused.append(Refusal(stop.args[0], stop.args[1], tuple(s.get("id", "?") for s in rest)))
                break
        return self.report

    def _send(self, chunk: list[dict[str, Any]]) -> None:
        status, reason = self._post(chunk)
        if status is not None and 200 <= status < 300:
            self.report.sent += len(chunk)
        elif status in (401, 403):
            raise _Stop(status, f"the LRS refused the key and secret ({reason})")
        elif status in _SPLIT and len(chunk) > 1:
            half = len(chunk) // 2
            self._send(chunk[:half])
            self._send(chunk[half:])
        else:
            self.report.refused.append(Refusal(status, reason, tuple(s.get("id", "?") for s in chunk)))

    def _post(self, chunk: list[dict[str, Any]]) -> tuple[int | None, str]:
        """One batch, tried again on passing failures: (status or None, reason)."""
        body = json.dumps(chunk, ensure_ascii=False).encode("utf-8")
        pause = self.pause
        for attempt in range(self.tries):
            if attempt:
                self.report.retries += 1
            request = urllib.request.Request(self.url, data=body, headers=self._headers, method="POST")
            self.report.requests += 1
            wait = pause
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    answer.read()
                    return answer.status, "ok"
            except urllib.error.HTTPError as error:
                status, reason = error.code, _reason(error.read())
                if status not in _PASSING:
                    return status, reason
                wait = _retry_after(error.headers.get("Retry-After"), pause)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                status, reason = None, str(getattr(error, "reason", error))
            if attempt + 1 < self.tries:
                self.sleep(wait)
                pause *= 2
        return status, f"{reason} (gave up after {self.tries} tries)"


def _retry_after(value: str | None, default: float) -> float:
    try:
        return min(max(float(value), 0.0), 60.0) if value else default
    except ValueError:
        return default


def export_statements(attempts: Sequence[Any], output: Any, lrs: str | None, prompt: Callable[..., str],
                      echo: Callable[[str], None], fmt: str = "xapi") -> int:
    """``playbook export --format xapi`` and ``--lrs URL``: write the attempts in ``fmt`` (to a file, or to standard
    output when not sending), send them as xAPI statements when an LRS is given, and say what was refused.
    Returns the exit status: 1 if the LRS refused anything."""
    from .content import content_paths, load_catalog
    from .exports import write_csv, write_json
    from .xapi import statements, write_statements

    data = list(statements(attempts, load_catalog(content_paths()))) if fmt == "xapi" or lrs else []
    if not lrs or getattr(output, "name", "-") not in ("-", "<stdout>"):
        if fmt == "xapi":
            write_statements(data, output)
        else:
            (write_json if fmt == "json" else write_csv)(attempts, output)
    if not lrs:
        return 0
    key, secret = credentials(prompt)
    report = Sender(lrs, key, secret, batch=BATCH, pause=PAUSE_S).send(data)
    for line in report.lines():
        echo(line)
    return 1 if report.refused else 0
