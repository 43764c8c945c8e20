"""The records of practice, free of any database: attempts, workshops, participants and workshop codes.

An :class:`Attempt` is built once, from the :class:`~playbook_lib.engine.Feedback` of grading
(:meth:`Attempt.from_feedback`), and the same record is what the store saves, what exports write and
read back, and what demo data is made of.

Everything written goes through one gate (:func:`check_attempt`, :func:`clean_name`, :func:`clean_title`,
:func:`check_drill`), which holds the limits below, so a participant, a trainer and an imported file meet
the same rules.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    from .content import Catalog
    from .feedback import Feedback
    from .models import ExerciseBase

MODES = ("practice", "drill", "review", "workshop")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 6

# Limits on everything a learner, participant, trainer or imported file can send.
MAX_NAME = 80  # characters in a learner's or participant's name
MAX_TITLE = 120  # characters in a workshop title
MAX_ANSWER = 10_000  # characters in an answer (or expected answer) written as JSON
MAX_ANSWER_DEPTH = 8  # lists and objects nested in an answer
MAX_FIELD = 200  # characters in an id, kind, section, version, session or language
MAX_DRILL = 200  # items in a workshop's drill
_UID = re.compile(r"[0-9A-Za-z._:-]{1,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # a NUL escaped in JSON text (an odd number of backslashes)


@dataclass(frozen=True)
class Attempt:
    """One recorded answer."""

    uid: str
    learner: str
    exercise_id: str
    kind: str
    section: str
    topic: str
    content_version: str
    answer: Any
    expected: Any
    correct: bool | None
    score: float
    seconds: float | None
    answered_at: datetime
    mode: str
    session: str
    participant: str = ""
    lang: str = "en"

    @classmethod
    def new(cls, **values: Any) -> Attempt:
        """A new attempt from its fields (a fresh uid, answered now, in ``practice`` mode unless given); the store
        checks it (:func:`check_attempt`) before saving it."""
        values = {"uid": new_uid(), "answered_at": datetime.now(UTC), "seconds": None, "mode": "practice",
                  "session": "", **values}
        values["score"] = float(values["score"])
        return cls(**values)

    @classmethod
    def from_feedback(cls, feedback: Feedback, placement: Placement, *, learner: str, seconds: float | None = None,
                      mode: str = "practice", session: str = "", participant: str = "",
                      answered_at: datetime | None = None, uid: str | None = None) -> Attempt:
        """The attempt that records ``feedback`` (the graded answer) by ``learner``, in the language it was given in."""
        return cls.new(exercise_id=feedback.exercise_id, kind=feedback.kind, section=placement.section,
                       topic=placement.topic, content_version=placement.content_version, answer=feedback.answer,
                       expected=feedback.expected, correct=feedback.correct, score=feedback.score, lang=feedback.lang,
                       learner=learner, seconds=seconds, mode=mode, session=session, participant=participant,
                       **({"answered_at": answered_at} if answered_at else {}), **({"uid": uid} if uid else {}))

    @classmethod
    def from_row(cls, row: tuple[Any, ...] | list[Any]) -> Attempt:
        """The attempt a row from :func:`check_attempt` stands for (answers as JSON text, time as ISO text)."""
        values = dict(zip(COLUMNS, row, strict=True))
        values["answer"] = json.loads(values["answer"])
        values["expected"] = json.loads(values["expected"])
        values["correct"] = None if values["correct"] is None else bool(values["correct"])
        values["answered_at"] = datetime.fromisoformat(values["answered_at"])
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict, ready for JSON or CSV."""
        row = dict(self.__dict__)
        row["answered_at"] = self.answered_at.isoformat()
        return row

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Attempt:
        """The attempt a dict from :meth:`as_dict` describes (answers as values, not JSON text), checked by
        :func:`check_attempt`; raises :class:`InputError` naming the field at fault."""
        if not isinstance(row, dict):
            raise InputError(f"an attempt is an object of fields, not {_kind_of(row)}")
        values: dict[str, Any] = {}
        for name in COLUMNS:
            value = row.get(name)
            if name in ("answer", "expected"):
                values[name] = value
            elif name == "correct":
                values[name] = _parse_bool(name, value)
            elif name in ("score", "seconds"):
                values[name] = _parse_number(name, value, optional=name == "seconds")
            elif name == "answered_at":
                values[name] = _parse_time(name, value)
            elif value is None and name in ("participant", "lang"):
                values[name] = "" if name == "participant" else "en"
            elif isinstance(value, str):
                values[name] = value
            else:
                raise InputError(f"{name}: text expected, got {_kind_of(value)}")
        values["lang"] = values["lang"] or "en"
        attempt = cls(**values)
        check_attempt(attempt)
        return attempt


@dataclass(frozen=True)
class Workshop:
    """A workshop session that participants join with its code."""

    code: str
    title: str
    drill: dict[str, Any] = field(default_factory=dict)
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """True until the trainer closes it."""
        return self.closed_at is None


@dataclass(frozen=True)
class Participant:
    """Someone who joined a workshop; the id keeps two people with the same name apart."""

    id: str
    code: str
    name: str
    joined_at: datetime
    offline: bool = False
    """Joined where the code could not be checked (a participant's own laptop); see ``Store.join_workshop``."""


@dataclass(frozen=True)
class Placement:
    """Where an exercise sits in the content, as its attempts keep it: section, topic and content version."""

    section: str
    topic: str
    content_version: str

    @classmethod
    def of(cls, catalog: Catalog, exercise: ExerciseBase) -> Placement:
        """The placement of ``exercise`` in ``catalog``."""
        return cls(catalog.section_of(exercise), exercise.about[0], catalog.version)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Attempt))
"""The fields of an attempt, in the order of a row, a CSV file's columns and the record's table."""

def new_uid() -> str:
    """A unique, time-ordered id (so new rows land at the end of the uid index)."""
    return f"{time.time_ns():016x}{os.urandom(8).hex()}"


def normalise_code(code: str) -> str:
    """A workshop code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def _check_char(body: str) -> str:
    total = sum((i + 1) * CODE_ALPHABET.index(ch) for i, ch in enumerate(body))
    return CODE_ALPHABET[total % len(CODE_ALPHABET)]


def new_code() -> str:
    """A fresh workshop code: five random characters and a check character that catches most typos."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + _check_char(body)


def is_valid_code(code: str) -> bool:
    """True if ``code`` is well formed (right length, alphabet and check character)."""
    code = normalise_code(code)
    return (len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)
            and _check_char(code[:-1]) == code[-1])




# --- the gate: limits and shapes of everything written ---------------------------


def _kind_of(value: Any) -> str:
    return {type(None): "nothing (null)", list: "a list", dict: "an object", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _parse_bool(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, str | int) else None
    if text in ("", "none", "null"):
        return None
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise InputError(f"{name}: true, false or empty expected, got {str(value)[:40]!r}")


def _parse_number(name: str, value: Any, optional: bool = False) -> float | None:
    if optional and (value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null"))):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(f"{name}: a number expected, got {_kind_of(value)}")
    if isinstance(value, str) and "," in value and "." not in value:
        value = value.replace(",", ".")  # a spreadsheet with a decimal comma
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"{name}: a number expected, got {str(value)[:40]!r}") from None
    return number


def _parse_time(name: str, value: Any) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{name}: a date and time expected, got {_kind_of(value)}")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name}: an ISO date and time expected, got {value[:40]!r}") from None


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (0 for a plain value), counted up to one past the limit."""
    depth, level = 0, [value]
    while depth <= MAX_ANSWER_DEPTH:
        containers = [item for item in level if isinstance(item, list | dict)]
        if not containers:
            break
        depth += 1
        level = [v for c in containers for v in (c.values() if isinstance(c, dict) else c)]
    return depth


def _answer_json(name: str, value: Any) -> str:
    if _depth(value) > MAX_ANSWER_DEPTH:
        raise InputError(f"{name}: nested more than {MAX_ANSWER_DEPTH} levels deep")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: not plain JSON data ({exc})") from None
    if len(text) > MAX_ANSWER:
        raise InputError(f"{name}: at most {MAX_ANSWER:,} characters; this one has {len(text):,}. Shorten it")
    if _JSON_NUL.search(text):  # PostgreSQL's jsonb, which the dashboard reads answers with, has no NUL
        raise InputError(f"{name}: NUL characters are not allowed")
    return text


def clean_text(value: Any, what: str, limit: int) -> str:
    """``value`` on one line with single spaces, checked to be 1 to ``limit`` characters."""
    if not isinstance(value, str):
        raise InputError(f"{what}: text expected, got {_kind_of(value)}")
    text = " ".join(value.split())
    if _CONTROL.search(text) or not _is_unicode(text):
        raise InputError(f"{what}: control characters and invalid Unicode are not allowed")
    if not text or len(text) > limit:
        shown = f"; this one has {len(text):,}" if text else ""
        raise InputError(f"{what} is 1 to {limit} characters{shown}")
    return text


def clean_name(name: Any) -> str:
    """A learner's or participant's name, on one line, 1 to :data:`MAX_NAME` characters."""
    return clean_text(name, "a name", MAX_NAME)


def clean_title(title: Any) -> str:
    """A workshop title, on one line, 1 to :data:`MAX_TITLE` characters."""
    return clean_text(title, "a workshop title", MAX_TITLE)


def check_attempt(a: Attempt) -> tuple[Any, ...]:
    """Check an attempt against the limits and shapes the record holds; return its row. Raises :class:`InputError`."""
    if not isinstance(a.uid, str) or not _UID.fullmatch(a.uid):
        raise InputError("uid: missing or not an attempt id (1-64 letters, digits or ._:-)")
    if not isinstance(a.learner, str) or not a.learner.strip() or len(a.learner) > MAX_NAME or _CONTROL.search(a.learner):
        raise InputError(f"learner: a name of 1 to {MAX_NAME} characters on one line expected")
    for name in ("exercise_id", "kind", "section", "topic", "content_version", "session", "participant", "lang"):
        value = getattr(a, name)
        if not isinstance(value, str) or len(value) > MAX_FIELD or _CONTROL.search(value):
            raise InputError(f"{name}: text of at most {MAX_FIELD} characters on one line expected")
    if not a.exercise_id or not a.kind:
        raise InputError(f"{'exercise_id' if not a.exercise_id else 'kind'}: missing")
    if a.mode not in MODES:
        raise InputError(f"mode: one of {', '.join(MODES)} expected, got {str(a.mode)[:40]!r}")
    if a.correct is not None and not isinstance(a.correct, bool):
        raise InputError("correct: true, false or empty expected")
    if isinstance(a.score, bool) or not isinstance(a.score, int | float) or not math.isfinite(a.score) \
            or not 0 <= a.score <= 1:
        raise InputError(f"score: a number from 0 to 1 expected, got {a.score!r}")
    if a.seconds is not None and (isinstance(a.seconds, bool) or not isinstance(a.seconds, int | float)
                                  or not math.isfinite(a.seconds) or a.seconds < 0):
        raise InputError(f"seconds: empty or a number of seconds from 0 up expected, got {a.seconds!r}")
    if not isinstance(a.answered_at, datetime) or a.answered_at.tzinfo is None:
        raise InputError("answered_at: a date and time with its time zone expected")
    row = tuple(_TO_ROW[name](getattr(a, name)) if name in _TO_ROW else getattr(a, name) for name in COLUMNS)
    for name, value in zip(COLUMNS, row, strict=True):
        if isinstance(value, str) and not _is_unicode(value):
            raise InputError(f"{name}: text that is not valid Unicode (a lone surrogate)")
    return row


_TO_ROW: dict[str, Callable[[Any], Any]] = {
    "answer": lambda value: _answer_json("answer", value),
    "expected": lambda value: _answer_json("expected", value),
    "correct": lambda value: None if value is None else int(value),
    "score": float,
    "seconds": lambda value: None if value is None else float(value),
    "answered_at": lambda value: value.astimezone(UTC).isoformat(),
}
"""How a field is written in a row; the others are written as they are."""


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_drill(drill: dict[str, Any]) -> str:
    """A workshop's drill settings checked and written as JSON text."""
    n = drill.get("n", 10)
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_DRILL):
        raise InputError(f"a workshop drill has 1 to {MAX_DRILL} items, not {n!r}")
    text = json.dumps(drill, ensure_ascii=False)
    if len(text) > MAX_ANSWER:
        raise InputError(f"a workshop's drill settings are at most {MAX_ANSWER:,} characters")
    return text


