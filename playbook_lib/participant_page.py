"""The participant page's side of a workshop: join, the drill, answers and the score, with no kernel and no widget.

:class:`PageRoom` answers the page's three requests (join, show an exercise, check an answer) on one practice
record; :mod:`playbook_lib._page_server` carries them over HTTP. A participant is a :class:`Seat`: a workbook
joined to the workshop (its drill is the one the widget app shows, in the same order) and a random token the page
sends back. Nothing the seat holds is needed to continue: a participant who joins again with the same code and
name (after a reload, or a server restart) continues where the record says, as in the widget app.

Every reply is a plain dict (JSON for the page): interface strings in the drill's language, HTML escaped here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ._call_html import best_html, replay_html
from ._html import drill_summary, esc, feedback_html, header_html
from ._page_forms import form_html, instruction, served
from .content import Catalog
from .engine import DrillItem, Feedback
from .errors import InputError, PlaybookError, SeatUnknownError, StoreError, WorkshopError
from .i18n import DEFAULT_LANG, html_lang, is_chinese, normalise_lang, ui
from .kinds.call import CallReplay
from .records import clean_name, normalise_code
from .session import _utc_now
from .store import Store
from .workbook import Workbook

MAX_SEATS = 2000  # participants one page server keeps in memory (each a few kilobytes)


@dataclass
class Seat:
    """One participant on the page: the joined workbook, the drill's items, and the first score on each."""

    workbook: Workbook
    title: str
    items: tuple[DrillItem, ...]
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.workbook.lang

    @property
    def position(self) -> int:
        """The first item not answered yet (the number of items once all are)."""
        return next((n for n, item in enumerate(self.items) if item.exercise.id not in self.scores), len(self.items))


class PageRoom:
    """The workshops of one practice record, as the participant page sees them."""

    def __init__(self, catalog: Catalog, store: Store, lang: str = DEFAULT_LANG,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self.catalog = catalog
        self.store = store
        self.lang = normalise_lang(lang)
        self.clock = clock
        self._seats: dict[str, Seat] = {}
        self._tokens: dict[tuple[str, str], str] = {}  # (code, participant id) -> token

    @classmethod
    def open(cls, home: Path | str | None = None, content: Iterable[Path | str] = (), lang: str = DEFAULT_LANG) -> PageRoom:
        """The content (shipped, ``PLAYBOOK_CONTENT`` and ``content``) and the practice record (``PLAYBOOK_DB_URL``,
        else the file in ``home``)."""
        from .content import content_paths, load_catalog

        return cls(load_catalog(content_paths(content)), Store.open(home), lang)

    # -- the three requests --
    def join(self, code: str, name: str, lang: str | None = None) -> dict[str, Any]:
        """Join (or join again) with a workshop code and a name; the drill's first unanswered exercise, or the score."""
        lang = normalise_lang(lang or self.lang)
        self._check_join(code, name, lang)
        workbook = Workbook(self.catalog, self.store, session="page", mode="practice", lang=lang, remember=False,
                            clock=self.clock)
        participant = workbook.join(code, name, resume=True)
        title, items = workbook.workshop_items()
        if not all(served(item.exercise) for item in items):  # a kind registered by a trainer's code
            raise PlaybookError(ui("page.needs-app", workbook.lang, title=title))
        key = (participant.code, participant.id)
        token = self._tokens.get(key) or secrets.token_urlsafe(18)
        if key not in self._tokens and len(self._seats) >= MAX_SEATS:
            self._forget_oldest()
        seat = Seat(workbook, title, items, workbook.workshop_scores())
        self._seats[token], self._tokens[key] = seat, token
        done, total = len(seat.scores), len(items)
        who = " ".join(participant.name.split())
        if not done:
            message = ui("join.started", seat.lang)
        elif seat.position >= total:
            message = ui("join.resumed-done", seat.lang, name=who, total=total)
        else:
            message = ui("join.resumed", seat.lang, name=who, done=done, total=total, next=seat.position + 1)
        return {"token": token, "code": participant.code, "name": participant.name, "lang": seat.lang,
                "html_lang": html_lang(seat.lang), "title": title, "total": total, "message": message,
                "joined": ui("join.joined", seat.lang, code=participant.code, name=participant.name),
                "strings": page_strings(seat.lang), **self._at(seat, seat.position)}

    def exercise(self, token: str, position: int) -> dict[str, Any]:
        """Item ``position`` of the participant's drill (or the score, past the last one)."""
        seat = self._seat(token)
        if not isinstance(position, int) or not 0 <= position <= len(seat.items):
            raise InputError(f"position is 0 to {len(seat.items)}")
        return self._at(seat, position)

    def answer(self, token: str, exercise_id: str, answer: Any, seconds: Any = None) -> dict[str, Any]:
        """Grade and record an answer to one of the participant's items; the feedback (``saved``: False, the answer
        kept by the page, when the record cannot take it now)."""
        seat = self._seat(token)
        if not any(item.exercise.id == exercise_id for item in seat.items):
            raise InputError("that exercise is not in your drill")
        usable = isinstance(seconds, int | float) and not isinstance(seconds, bool) and 0 <= seconds < 86_400
        seconds = float(seconds) if usable else None
        try:
            feedback = seat.workbook.answer(exercise_id, answer, seconds=seconds, mode="workshop")
        except StoreError as exc:
            # the reason only: the record's path or address is the trainer's business, not the room's
            return {"saved": False, "message": f"{ui('save.failed', seat.lang)} {exc.reason}",
                    "kept": ui("page.kept", seat.lang)}
        seat.scores.setdefault(exercise_id, feedback.score)
        stop = "。" if is_chinese(seat.lang) else ". "
        spoken = f"{feedback.symbol} {feedback.verdict_text}{stop}{feedback.summary}".strip()
        return {"saved": True, "html": _feedback(feedback), "say": spoken, "score": feedback.score,
                "verdict": feedback.verdict}

    # -- helpers --
    def _check_join(self, code: Any, name: Any, lang: str) -> None:
        """The usual mistakes in joining, told in the page's language (the record checks everything again)."""
        try:
            clean_name(str(name or ""))
        except InputError:
            raise InputError(ui("page.name-needed", lang)) from None
        found = self.store.workshop(normalise_code(str(code or "")))
        shown = normalise_code(str(code or ""))[:12] or "–"
        if found is None:
            raise WorkshopError(ui("page.no-code", lang, code=shown))
        if not found.is_open:
            raise WorkshopError(ui("page.closed", lang, code=found.code, title=found.title))

    def _seat(self, token: Any) -> Seat:
        seat = self._seats.get(token) if isinstance(token, str) else None
        if seat is None:
            raise SeatUnknownError("join again")
        return seat

    def _forget_oldest(self) -> None:
        token = next(iter(self._seats))
        del self._seats[token]
        self._tokens = {k: v for k, v in self._tokens.items() if v != token}

    def _at(self, seat: Seat, position: int) -> dict[str, Any]:
        lang, total = seat.lang, len(seat.items)
        if position >= total:
            return {"position": total, **self._summary(seat)}
        item = seat.items[position]
        last = position == total - 1
        return {"position": position, "exercise": {
            "id": item.exercise.id, "kind": item.exercise.kind,  # type: ignore[attr-defined]
            "html": header_html(self.catalog, item.exercise, lang, instruction(item.exercise, lang))
            + form_html(self.catalog, item.exercise, item.order, lang),
            "progress": ui("drill.progress", lang, n=position + 1, total=total),
            "next": ui("button.finish" if last else "button.next", lang)}}

    @staticmethod
    def _summary(seat: Seat) -> dict[str, Any]:
        if not seat.items:
            return {"summary": f"<p>{esc(ui('drill.empty', seat.lang))}</p>", "say": ui("drill.empty", seat.lang)}
        done, html = drill_summary([(item.exercise, seat.scores.get(item.exercise.id)) for item in seat.items], seat.lang)
        return {"summary": html, "say": done}


def _feedback(feedback: Feedback) -> str:
    """The feedback as the widgets show it: a call's replay (with its best path to open), else why for each choice."""
    if isinstance(feedback.detail, CallReplay):
        best = (f"<details class='pb-best'><summary>{esc(ui('call.best', feedback.lang))}</summary>"
                f"{best_html(feedback.detail, feedback.lang)}</details>")
        return replay_html(feedback) + best
    return feedback_html(feedback)


PAGE_KEYS = ("app.title", "join.code", "join.code.placeholder", "form.name", "form.name.placeholder", "button.join",
             "button.check", "button.retry", "button.next", "button.finish", "drill.done", "page.offline",
             "page.offline-answer", "page.rejoining", "page.bad-request", "page.language", "page.intro",
             "call.again")
"""The interface strings the page's script uses, sent with the page and with each join."""


def page_strings(lang: str) -> dict[str, str]:
    """The page's interface strings in ``lang``."""
    return {key: ui(key, lang) for key in PAGE_KEYS}
