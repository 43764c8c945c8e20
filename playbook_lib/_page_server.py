"""The participant page over HTTP: one small page and three JSON requests, served by Tornado in one process.

``playbook workshop serve`` (``--app page``, the default) runs :func:`serve`. There is no kernel: the page is
about 20 KB of HTML, CSS and script (``share/page/``) and the server grades and records through
:class:`~playbook_lib.participant_page.PageRoom`, on one worker thread that owns the practice record (so a slow
or unreachable database never stalls the page's other requests).

=====================  ============================================================================
``GET /``              the page, in ``?lang=`` (en, zh-Hans, zh-Hant) or the server's language
``POST /api/join``     ``{code, name, lang}``: the token, the drill's title and first unanswered item
``POST /api/exercise`` ``{token, position}``: that item, or the score past the last one
``POST /api/answer``   ``{token, exercise, answer, seconds}``: the feedback, or ``saved: false``
=====================  ============================================================================

Errors come back as ``{"error": message}`` (400; 503 when the record cannot be used now), ``{"rejoin": true}``
(401: the server restarted, the page joins again by itself) or 413 for a request over :data:`MAX_REQUEST` bytes.
Every response forbids framing and sniffing; the page's script runs under a per-response nonce.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from html import escape
from string import Template
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from ._call_html import CSS as CALL_CSS
from .errors import PlaybookError, SeatUnknownError, StoreError
from .i18n import LANG_NAMES, LANGS, html_lang, normalise_lang, ui
from .participant_page import PageRoom, page_strings
from .resources import share_dir

MAX_REQUEST = 32_768  # bytes in one request's body (a written answer is at most 4,000 characters)
PAGE_DIR = share_dir() / "page"


@cache
def _asset(name: str) -> str:
    return (PAGE_DIR / name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_html(lang: str, nonce: str) -> str:
    """The whole page in ``lang``, its style and script inline (one request)."""
    def e(key: str) -> str:
        return escape(ui(key, lang), quote=True)

    links = " ".join(f"<strong lang='{html_lang(code)}'>{escape(LANG_NAMES[code])}</strong>" if code == lang
                     else f"<a href='?lang={code}' lang='{html_lang(code)}' hreflang='{html_lang(code)}'>"
                          f"{escape(LANG_NAMES[code])}</a>" for code in LANGS)
    return Template(_asset("page.html")).substitute(
        html_lang=html_lang(lang), title=e("app.title"), intro=e("page.intro"), language=e("page.language"),
        langlinks=links, code_label=e("join.code"), code_placeholder=e("join.code.placeholder"),
        name_label=e("form.name"), name_placeholder=e("form.name.placeholder"), join=e("button.join"),
        check=e("button.check"), retry=e("button.retry"), next=e("button.next"), nonce=nonce, css=_asset("page.css") + CALL_CSS,
        js=_asset("page.js"), boot=_script_json({"lang": lang, "strings": page_strings(lang)}))


class PageServer:
    """The page's requests, answered by a :class:`PageRoom` that lives on one worker thread."""

    def __init__(self, make_room: Callable[[], PageRoom], lang: str) -> None:
        self.lang = normalise_lang(lang)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playbook-page")
        self._room: Future[PageRoom] = self._worker.submit(make_room)  # made on the thread that uses it

    def room(self) -> PageRoom:
        """The room, once made (raises what making it raised)."""
        return self._room.result()

    async def call(self, action: str, data: dict[str, Any]) -> dict[str, Any]:
        """Run one request (an :data:`ACTIONS` name and its JSON body) on the worker thread."""
        room = await asyncio.wrap_future(self._room)
        return await asyncio.wrap_future(self._worker.submit(ACTIONS[action], room, data))

    def close(self) -> None:
        """Close the record on its own thread and stop the worker."""
        if self._room.done() and self._room.exception() is None:
            self._worker.submit(self._room.result().store.close).result()
        self._worker.shutdown(wait=True)

    def application(self) -> Application:
        """The Tornado application of the page and its requests."""
        return Application([(r"/", PageHandler, {"server": self}), (r"/api/(\w+)", ApiHandler, {"server": self})],
                           compress_response=True, xsrf_cookies=False)


def _join(room: PageRoom, data: dict[str, Any]) -> dict[str, Any]:
    return room.join(data.get("code"), data.get("name"), _lang(data.get("lang")))


def _exercise(room: PageRoom, data: dict[str, Any]) -> dict[str, Any]:
    position = data.get("position")
    return room.exercise(data.get("token"), -1 if isinstance(position, bool) else position)


def _answer(room: PageRoom, data: dict[str, Any]) -> dict[str, Any]:
    return room.answer(data.get("token"), data.get("exercise"), data.get("answer"), data.get("seconds"))


ACTIONS: dict[str, Callable[[PageRoom, dict[str, Any]], dict[str, Any]]] = {
    "join": _join, "exercise": _exercise, "answer": _answer}
"""The page's requests by name: each reads its fields from the JSON body (the room checks their types)."""


def _lang(value: Any) -> str | None:
    try:
        return normalise_lang(value) if isinstance(value, str) and value else None
    except PlaybookError:
        return None


class _Handler(RequestHandler):
    def initialize(self, server: PageServer) -> None:
        self.server = server

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")


class PageHandler(_Handler):
    """``GET /``: the page."""

    def get(self) -> None:
        lang = _lang(self.get_query_argument("lang", "")) or self.server.lang
        nonce = secrets.token_urlsafe(16)
        self.set_header("Content-Security-Policy",
                        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
                        "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html(lang, nonce))


class ApiHandler(_Handler):
    """``POST /api/<action>``: join, exercise or answer, as JSON."""

    async def post(self, action: str) -> None:
        lang = self.server.lang
        if action not in ACTIONS:
            self.send_error(404)
            return
        if len(self.request.body) > MAX_REQUEST:
            self._reply(413, {"error": ui("page.too-large", lang)})
            return
        try:
            data = json.loads(self.request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            self._reply(400, {"error": ui("page.bad-request", lang)})
            return
        try:
            self._reply(200, await self.server.call(action, data))
        except SeatUnknownError:
            self._reply(401, {"rejoin": True})
        except StoreError as exc:  # the reason only: where the record lives is the trainer's business
            self._reply(503, {"error": exc.reason})
        except PlaybookError as exc:
            self._reply(400, {"error": str(exc)})

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body, ensure_ascii=False))


async def run(server: PageServer, ip: str, port: int, ready: Callable[[], None] = lambda: None) -> None:
    """Serve until SIGTERM or SIGINT (Ctrl+C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    http = HTTPServer(server.application(), max_body_size=16 * MAX_REQUEST, xheaders=False)
    http.listen(port, address="" if ip in ("0.0.0.0", "*") else ip)
    ready()
    try:
        await stop.wait()
    finally:
        http.stop()
        await http.close_all_connections()


def serve(make_room: Callable[[], PageRoom], lang: str, ip: str, port: int, ready: Callable[[], None] = lambda: None) -> int:
    """Serve the participant page until stopped; 0 when stopped by a signal."""
    server = PageServer(make_room, lang)
    server.room()  # the content and the record open before the first participant arrives (errors show here)
    try:
        asyncio.run(run(server, ip, port, ready))
    finally:
        server.close()
    return 0
