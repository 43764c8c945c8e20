"""A learner's session on the practice record, without any content: who answers, in which mode and workshop,
and the recording of graded answers.

:class:`Session` is what the ``playbook`` command works with; :class:`~playbook_lib.workbook.Workbook` builds
on it and adds the catalogue (grading, drills, views and charts). The trainer's side of the record (opening,
listing and closing workshops) is grouped under :attr:`Session.trainer`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from .errors import PlaybookError
from .i18n import normalise_lang, resolve_lang
from .records import MODES, Attempt, Participant, Placement, Workshop, clean_name, normalise_code
from .store import AnswerWrite, Store

if TYPE_CHECKING:
    from .feedback import Feedback
    from .review import CardState, Reviewer

LEARNER_KEY = "learner"
LANG_KEY = "lang"
DEFAULT_LEARNER = "guest"


def _user_key(base: str = LEARNER_KEY) -> str:
    """A setting kept per computer user (a shared record serves many users)."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on some containers
        user = ""
    return f"{base}:{user}" if user else base


def _learner_key(base: str, learner: str) -> str:
    """A setting kept per learner name (a shared computer serves many learners)."""
    return f"{base}@learner:{learner}"


def _remembered(store: Store) -> str | None:
    return store.setting(_user_key(LEARNER_KEY)) or store.setting(LEARNER_KEY)


def remembered_learner(store: Store) -> str:
    """The learner name remembered in ``store`` for this computer user, or the default."""
    return _remembered(store) or DEFAULT_LEARNER


def remembered_lang(store: Store, learner: str | None = None) -> str | None:
    """The language ``learner`` chose before, else the one this computer user chose last, if any."""
    return (learner and store.setting(_learner_key(LANG_KEY, learner))) or store.setting(_user_key(LANG_KEY))


def lang_in_record(home: Path | str | None = None) -> str | None:
    """The language remembered in the practice record (``PLAYBOOK_DB_URL``, else the file in ``home``) for the
    remembered learner, else for this computer user; ``None`` when there is no record yet (none is created) or it
    cannot be read."""
    import os

    from .home import DB_URL_ENV, record_path

    if not os.environ.get(DB_URL_ENV) and not record_path(home).is_file():
        return None
    try:
        with Store.open(home) as store:
            return remembered_lang(store, remembered_learner(store))
    except PlaybookError:
        return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Session:
    """One learner on one practice record: identity, language, mode, the joined workshop, and recording.

    ``learner`` gives the name to answer as; it is remembered for later sessions unless ``remember=False``
    (a command run for someone else). ``session`` is the id answers are recorded under: a fresh one per
    session, the workshop's code once joined.
    """

    def __init__(self, store: Store, learner: str | None = None, *, session: str | None = None,
                 mode: str = "practice", clock: Callable[[], datetime] = _utc_now, lang: str | None = None,
                 remember: bool = True) -> None:
        if mode not in MODES:
            raise PlaybookError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.store = store
        self.mode = mode
        self.clock = clock
        self.session = session or time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        self.participant = ""
        self.workshop: Workshop | None = None
        self._reviewer: Reviewer | None = None
        self._chosen_lang = lang  # given here or picked in this session: a change of learner keeps it
        if learner and remember:
            self.set_learner(learner)
        self.learner: str = clean_name(learner) if learner and not remember else remembered_learner(store)
        self.lang: str = resolve_lang(lang, remembered_lang(store, self.learner))

    @classmethod
    def open(cls, home: Path | str | None = None, learner: str | None = None, **options: Any) -> Self:
        """Open the practice record (``PLAYBOOK_DB_URL``, else the file in ``home``) for ``learner``."""
        return cls(Store.open(home), learner, **options)

    def close(self) -> None:
        """Close the practice record."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def reviewer(self) -> Reviewer:
        """The FSRS scheduler of review cards (made on first use)."""
        if self._reviewer is None:
            from .review import Reviewer

            self._reviewer = Reviewer()
        return self._reviewer

    @property
    def trainer(self) -> Trainer:
        """The trainer's side of the record: open, list and close workshops."""
        return Trainer(self)

    # -- the learner --
    @property
    def learner_known(self) -> bool:
        """True once a name has been given (and remembered)."""
        return _remembered(self.store) is not None

    def set_learner(self, name: str) -> str:
        """Remember the learner's name for this record; later sessions use it too. Unless a language was given
        or picked in this session, the learner's own remembered language is used from now on."""
        try:
            name = clean_name(name)
        except PlaybookError:
            raise PlaybookError("a learner's name is 1 to 80 characters") from None
        self.store.set_setting(_user_key(LEARNER_KEY), name)
        self.learner = name
        if self._chosen_lang is None:
            self.lang = resolve_lang(None, remembered_lang(self.store, name))
        return name

    def set_language(self, lang: str) -> str:
        """Show everything in ``lang`` (en, zh-Hans, zh-Hant) from now on, and remember it for this learner
        (by name, so a shared computer keeps each learner's choice) and for this computer user."""
        self.lang = self._chosen_lang = normalise_lang(lang)
        self.store.set_setting(_learner_key(LANG_KEY, self.learner), self.lang)
        self.store.set_setting(_user_key(LANG_KEY), self.lang)
        return self.lang

    # -- workshops, as a participant --
    def join(self, code: str, name: str | None = None, *, offline: bool = False, resume: bool = False) -> Participant:
        """Join a workshop with its code; from now on answers carry the code (mode ``workshop``).

        ``offline=True`` is for a participant's own laptop, where a code opened on the trainer's computer
        cannot be checked: answers are kept here for ``playbook export --session CODE`` (see the README).
        ``resume=True``: the same name again in this workshop is the same participant, and the workshop's
        drill continues after the items they answered (the participant app's rejoin).
        """
        name = " ".join(str(name or self.learner).split())
        if not name:
            raise PlaybookError("give your name to join the workshop")
        participant = self.store.join_workshop(code, name, offline=offline, resume=resume)
        self.workshop = self.store.workshop(participant.code) or Workshop(participant.code,
                                                                          f"Workshop {participant.code} (offline)")
        self.participant, self.session, self.mode = participant.id, participant.code, "workshop"
        self.learner = participant.name
        room_lang = self.workshop.drill.get("lang")
        if room_lang:
            self.lang = normalise_lang(room_lang)
        return participant

    # -- recording and reading back --
    def record(self, feedback: Feedback, placement: Placement, seconds: float | None = None,
               mode: str | None = None) -> Attempt:
        """Record a graded answer of this learner, and move its review card on, in one transaction."""
        attempt = Attempt.from_feedback(feedback, placement, learner=self.learner, seconds=seconds,
                                        mode=mode or self.mode, session=self.session, participant=self.participant,
                                        answered_at=self.clock().astimezone(UTC))
        return self.store.save(AnswerWrite(attempt, self.reviewer))

    def attempts(self, all_learners: bool = False, code: str | None = None) -> list[Attempt]:
        """Recorded answers, oldest first: this learner's, or everyone's; of one workshop (its code) if given."""
        return self.store.attempts(None if all_learners else self.learner, normalise_code(code) if code else None)

    def review_outlook(self, days: int = 14, known: Callable[[str], bool] | None = None) -> dict[str, Any]:
        """How many review cards are due now, and how many fall due on each of the next ``days`` days
        (only cards of exercises ``known`` accepts, if given)."""
        now = self.clock()
        cards: list[CardState] = [c for c in self.store.cards(self.learner) if known is None or known(c.exercise_id)]
        upcoming: dict[str, int] = {}
        for card in cards:
            if now < card.due <= now + timedelta(days=days):
                day = card.due.astimezone().date().isoformat()
                upcoming[day] = upcoming.get(day, 0) + 1
        later = [c.due for c in cards if c.due > now]
        return {"learner": self.learner, "cards": len(cards), "due_now": sum(1 for c in cards if c.due <= now),
                "upcoming": dict(sorted(upcoming.items())), "next_due": min(later) if later else None}


class Trainer:
    """The trainer's side of a session: workshops opened in this record, their participants and answers."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def store(self) -> Store:
        """The practice record the workshops live in."""
        return self.session.store

    def open_workshop(self, title: str, lang: str | None = None, **drill: Any) -> Workshop:
        """Open a workshop and return it with its code; ``drill`` holds the drill filters participants get
        (n, kind, tag...), ``lang`` the room's language (participants see the drill in it)."""
        if lang:
            drill["lang"] = normalise_lang(lang)
        return self.store.open_workshop(title, drill)

    def close_workshop(self, code: str) -> Workshop:
        """Close a workshop: nobody can join it any more (answers already given stay)."""
        return self.store.close_workshop(code)

    def workshops(self) -> list[tuple[Workshop, int, int]]:
        """Every workshop, newest first, with how many people joined it and how many answers it has."""
        return [(w, len(self.store.participants(w.code)), self.store.count(session=w.code))
                for w in self.store.workshops()]
