"""The practice record: attempts, review cards, settings and workshops, one short transaction per answer.

SQLite by default (one file, WAL mode and a busy timeout, so several kernels can write at
once); PostgreSQL when ``PLAYBOOK_DB_URL`` is set, for a class sharing one JupyterHub. Both run
the same SQL through :mod:`playbook_lib._db`. The schema carries a version and migrates forward;
a record from a newer version, or a file that is not a practice record, raises and is left untouched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._db import Backend, PostgresBackend, SQLiteBackend
from .errors import StoreError, StoreVersionError, WorkshopError
from .review import CardState

HOME_ENV = "PLAYBOOK_HOME"
DB_URL_ENV = "PLAYBOOK_DB_URL"
STORE_NAME = "practice.sqlite"
MODES = ("practice", "drill", "review", "workshop")
SCHEMA_VERSION = 4
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 6

_ATTEMPTS_SQL = """
    CREATE TABLE attempts (
        id {serial},
        uid TEXT NOT NULL UNIQUE,
        learner TEXT NOT NULL,
        exercise_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        section TEXT NOT NULL,
        topic TEXT NOT NULL,
        content_version TEXT NOT NULL,
        answer TEXT NOT NULL,
        expected TEXT NOT NULL,
        correct INTEGER,
        score {real} NOT NULL,
        seconds {real},
        answered_at TEXT NOT NULL,
        mode TEXT NOT NULL,
        session TEXT NOT NULL
    );
    CREATE INDEX attempts_by_learner ON attempts (learner, answered_at);
    CREATE INDEX attempts_by_session ON attempts (session);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)
"""

_CARDS_SQL = """
    CREATE TABLE cards (
        learner TEXT NOT NULL,
        exercise_id TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability {real},
        difficulty {real},
        due TEXT NOT NULL,
        last_review TEXT,
        reviews INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        PRIMARY KEY (learner, exercise_id)
    );
    CREATE INDEX cards_by_due ON cards (learner, due)
"""

_WORKSHOPS_SQL = """
    ALTER TABLE attempts ADD COLUMN participant TEXT NOT NULL DEFAULT '';
    CREATE TABLE workshops (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        drill TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        joined_at TEXT NOT NULL
    );
    CREATE INDEX participants_by_code ON participants (code)
"""


def _add_review_cards(db: Backend) -> None:
    """Version 2: review cards, built by replaying every attempt already recorded."""
    db.script(_CARDS_SQL)
    rows = db.execute("SELECT learner, exercise_id, kind, correct, score, seconds, answered_at FROM attempts "
                      "ORDER BY answered_at, id")
    if not rows:
        return
    from .review import Reviewer, rating_name

    reviewer, cards = Reviewer(), {}
    for learner, exercise_id, kind, correct, score, seconds, answered_at in rows:
        key = (learner, exercise_id)
        rating = rating_name(kind, None if correct is None else bool(correct), score, seconds)
        cards[key] = reviewer.review(cards.get(key), learner, exercise_id, rating, datetime.fromisoformat(answered_at))
    db.executemany(_CARD_UPSERT, [_card_row(card) for card in cards.values()])


_LANG_SQL = "ALTER TABLE attempts ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'"

# MIGRATIONS[n] takes a record from version n to n + 1: a DDL script, or a function of the backend.
MIGRATIONS: tuple[str | Callable[[Backend], None], ...] = (_ATTEMPTS_SQL, _add_review_cards, _WORKSHOPS_SQL, _LANG_SQL)


def default_home() -> Path:
    """``PLAYBOOK_HOME``, or the per-user data folder of this platform."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "closing-playbook"


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

    def as_dict(self) -> dict[str, Any]:
        """A plain dict, ready for JSON or CSV."""
        row = dict(self.__dict__)
        row["answered_at"] = self.answered_at.isoformat()
        return row

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Attempt:
        """The attempt a dict from :meth:`as_dict` (or a CSV export row) describes."""
        values = {name: row.get(name, "") for name in COLUMNS}
        for name in ("answer", "expected"):
            if isinstance(values[name], str):
                values[name] = json.loads(values[name]) if values[name] else None
        correct = values["correct"]
        values["correct"] = None if correct in (None, "", "None") else correct in (True, 1, "True", "true", "1")
        values["score"] = float(values["score"])
        values["seconds"] = None if values["seconds"] in (None, "", "None") else float(values["seconds"])
        values["answered_at"] = datetime.fromisoformat(str(values["answered_at"]))
        values["participant"] = values["participant"] or ""
        values["lang"] = values["lang"] or "en"
        return cls(**values)


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


COLUMNS = ("uid", "learner", "exercise_id", "kind", "section", "topic", "content_version", "answer",
           "expected", "correct", "score", "seconds", "answered_at", "mode", "session", "participant", "lang")
_INSERT = f"INSERT INTO attempts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_CARD_COLUMNS = ("learner", "exercise_id", "state", "step", "stability", "difficulty", "due", "last_review", "reviews",
                 "lapses")
_CARD_UPSERT = (f"INSERT INTO cards ({', '.join(_CARD_COLUMNS)}) VALUES ({', '.join('?' * len(_CARD_COLUMNS))}) "
                "ON CONFLICT (learner, exercise_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _CARD_COLUMNS[2:]))


def _row(a: Attempt) -> tuple[Any, ...]:
    return (a.uid, a.learner, a.exercise_id, a.kind, a.section, a.topic, a.content_version,
            json.dumps(a.answer, ensure_ascii=False), json.dumps(a.expected, ensure_ascii=False),
            None if a.correct is None else int(a.correct), a.score, a.seconds, a.answered_at.isoformat(), a.mode,
            a.session, a.participant, a.lang)


def _to_attempt(row: Sequence[Any]) -> Attempt:
    values = dict(zip(COLUMNS, row, strict=True))
    values["answer"] = json.loads(values["answer"])
    values["expected"] = json.loads(values["expected"])
    values["correct"] = None if values["correct"] is None else bool(values["correct"])
    values["answered_at"] = datetime.fromisoformat(values["answered_at"])
    return Attempt(**values)


def _card_row(card: CardState) -> tuple[Any, ...]:
    return (card.learner, card.exercise_id, card.state, card.step, card.stability, card.difficulty,
            card.due.isoformat(), card.last_review.isoformat() if card.last_review else None, card.reviews, card.lapses)


def _to_card(row: Sequence[Any]) -> CardState:
    values = dict(zip(_CARD_COLUMNS, row, strict=True))
    values["due"] = datetime.fromisoformat(values["due"])
    values["last_review"] = datetime.fromisoformat(values["last_review"]) if values["last_review"] else None
    return CardState(**values)


def _to_workshop(row: Sequence[Any]) -> Workshop:
    code, title, drill, opened, closed = row
    return Workshop(code, title, json.loads(drill), datetime.fromisoformat(opened),
                    datetime.fromisoformat(closed) if closed else None)


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


class Store:
    """A practice record: SQLite at ``path``, or PostgreSQL at ``url``."""

    def __init__(self, path: Path | str | None = None, *, url: str | None = None) -> None:
        if (path is None) == (url is None):
            raise ValueError("give a SQLite path or a PostgreSQL url, not both")
        self.path: Path | None = Path(path) if path is not None else None
        self.backend: Backend = SQLiteBackend(self.path) if self.path is not None else PostgresBackend(url or "")
        try:
            version = self.backend.schema_version()
            if version > SCHEMA_VERSION:
                raise StoreVersionError(
                    self.location, f"written by a newer version of Closing Playbook (schema {version}, this one reads "
                    f"up to {SCHEMA_VERSION}); update the workbook; the record was left untouched")
            self.backend.start()
            if version < SCHEMA_VERSION:
                self._migrate(version)
        except BaseException:
            self.backend.close()
            raise

    @classmethod
    def open(cls, home: Path | str | None = None, url: str | None = None) -> Store:
        """``url`` or ``PLAYBOOK_DB_URL`` (PostgreSQL) if set, else the SQLite file in ``home``
        (default: :func:`default_home`)."""
        url = url or os.environ.get(DB_URL_ENV) or None
        if url:
            return cls(url=url)
        return cls((Path(home).expanduser() if home is not None else default_home()) / STORE_NAME)

    @property
    def location(self) -> str:
        """Where the record lives (a file path, or a database URL without its password)."""
        return self.backend.location

    def _migrate(self, version: int) -> None:
        if self.path is not None and self.backend.existed and version > 0:
            shutil.copy2(self.path, self.path.with_name(f"{self.path.name}.v{version}.bak"))
        with self.transaction() as db:
            db.lock_for_migration()
            current = db.schema_version()  # another process may have migrated meanwhile
            for step in range(current, SCHEMA_VERSION):
                migration = MIGRATIONS[step]
                if callable(migration):
                    migration(db)
                else:
                    db.script(migration)
            db.set_schema_version(max(current, SCHEMA_VERSION))

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        """One write transaction, taken at once, committed or rolled back."""
        with self.backend.transaction() as db:
            yield db

    def close(self) -> None:
        """Close the connection."""
        self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------

    def record(self, *, learner: str, exercise_id: str, kind: str, section: str, topic: str,
               content_version: str, answer: Any, expected: Any, correct: bool | None, score: float,
               seconds: float | None = None, mode: str = "practice", session: str = "", participant: str = "",
               lang: str = "en", answered_at: datetime | None = None, uid: str | None = None,
               schedule: Callable[[CardState | None, Attempt], CardState] | None = None) -> Attempt:
        """Save one answer in its own transaction and return it.

        With ``schedule``, the learner's review card for the exercise is updated in the same
        transaction: ``schedule(current card or None, attempt)`` returns the new card.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        attempt = Attempt(uid=uid or new_uid(), learner=learner, exercise_id=exercise_id, kind=kind, section=section,
                          topic=topic, content_version=content_version, answer=answer, expected=expected,
                          correct=correct, score=float(score), seconds=seconds,
                          answered_at=answered_at or datetime.now(UTC), mode=mode, session=session,
                          participant=participant, lang=lang)
        with self.transaction() as db:
            db.execute(_INSERT, _row(attempt))
            if schedule is not None:
                db.execute(_CARD_UPSERT, _card_row(schedule(self._card(db, learner, exercise_id), attempt)))
        return attempt

    def add_attempts(self, attempts: Iterable[Attempt]) -> int:
        """Add attempts in one transaction, skipping any whose uid is already there; return how many were new."""
        rows = [_row(attempt) for attempt in attempts]
        if not rows:
            return 0
        with self.transaction() as db:
            before = db.execute("SELECT COUNT(*) FROM attempts")[0][0]
            db.executemany(_INSERT + " ON CONFLICT (uid) DO NOTHING", rows)
            return db.execute("SELECT COUNT(*) FROM attempts")[0][0] - before

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A remembered setting, such as the learner's name."""
        rows = self.backend.execute("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Remember a setting."""
        with self.transaction() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def backup(self, dest: Path | str | None = None) -> Path:
        """Copy the whole record to ``dest`` (default: a time-stamped file beside it, or in the home
        folder for PostgreSQL, where the copy is a JSON file of every attempt)."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        if isinstance(self.backend, SQLiteBackend):
            import sqlite3

            source = self.backend.path
            target = Path(dest) if dest else source.with_name(f"{source.stem}-backup-{stamp}.sqlite")
            copy = sqlite3.connect(target)
            with copy:
                self.backend.db.backup(copy)
            copy.close()
            return target
        target = Path(dest) if dest else default_home() / f"practice-backup-{stamp}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps([a.as_dict() for a in self.attempts()], ensure_ascii=False), encoding="utf-8")
        return target

    def reset(self, learner: str | None = None) -> tuple[int, Path]:
        """Back up the record, then delete one learner's attempts and cards (everyone's with ``None``)."""
        backup = self.backup()
        with self.transaction() as db:
            if learner is None:
                removed = db.execute_count("DELETE FROM attempts")
                db.execute("DELETE FROM cards")
            else:
                removed = db.execute_count("DELETE FROM attempts WHERE learner = ?", (learner,))
                db.execute("DELETE FROM cards WHERE learner = ?", (learner,))
        return removed, backup

    # --- review cards ------------------------------------------------------

    @staticmethod
    def _card(db: Backend, learner: str, exercise_id: str) -> CardState | None:
        rows = db.execute(f"SELECT {', '.join(_CARD_COLUMNS)} FROM cards WHERE learner = ? AND exercise_id = ?",
                          (learner, exercise_id))
        return _to_card(rows[0]) if rows else None

    def card(self, learner: str, exercise_id: str) -> CardState | None:
        """One learner's review card for one exercise, if it has been answered."""
        return self._card(self.backend, learner, exercise_id)

    def cards(self, learner: str | None = None, due_before: datetime | None = None,
              limit: int | None = None) -> list[CardState]:
        """Review cards, earliest due first; only those due before ``due_before`` if given."""
        due = due_before.astimezone(UTC).isoformat() if due_before is not None else None
        where, params = self._where(("learner = ?", learner), ("due <= ?", due))
        sql = f"SELECT {', '.join(_CARD_COLUMNS)} FROM cards{where} ORDER BY due, exercise_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_to_card(row) for row in self.backend.execute(sql, params)]

    # --- workshops ---------------------------------------------------------

    def open_workshop(self, title: str, drill: dict[str, Any] | None = None) -> Workshop:
        """Open a workshop with a new short code; ``drill`` holds the drill filters participants get."""
        opened = datetime.now(UTC)
        for _ in range(20):
            code = new_code()
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)):
                    continue
                db.execute("INSERT INTO workshops (code, title, drill, opened_at) VALUES (?, ?, ?, ?)",
                           (code, title, json.dumps(drill or {}), opened.isoformat()))
            return Workshop(code, title, drill or {}, opened)
        raise StoreError(self.location, "could not find a free workshop code")  # pragma: no cover

    def workshop(self, code: str) -> Workshop | None:
        """The workshop with this code, open or closed."""
        rows = self.backend.execute("SELECT code, title, drill, opened_at, closed_at FROM workshops WHERE code = ?",
                                    (normalise_code(code),))
        return _to_workshop(rows[0]) if rows else None

    def workshops(self) -> list[Workshop]:
        """Every workshop, newest first."""
        rows = self.backend.execute("SELECT code, title, drill, opened_at, closed_at FROM workshops "
                                    "ORDER BY opened_at DESC")
        return [_to_workshop(row) for row in rows]

    def close_workshop(self, code: str) -> Workshop:
        """Close a workshop: nobody can join it any more (answers already given stay)."""
        found = self.workshop(code)
        if found is None:
            raise WorkshopError(f"no workshop with code {normalise_code(code)!r}")
        if found.is_open:
            with self.transaction() as db:
                db.execute("UPDATE workshops SET closed_at = ? WHERE code = ?",
                           (datetime.now(UTC).isoformat(), found.code))
        return self.workshop(found.code)  # type: ignore[return-value]

    def join_workshop(self, code: str, name: str) -> Participant:
        """Join an open workshop; two people with the same name get different ids.

        In a personal SQLite record, a code it has never seen is accepted when it is well formed: that
        is a participant on their own laptop, whose results reach the trainer through ``playbook import``.
        A shared PostgreSQL record only accepts the codes its trainer opened.
        """
        code = normalise_code(code)
        found = self.workshop(code)
        if found is None:
            if isinstance(self.backend, PostgresBackend) or not is_valid_code(code):
                raise WorkshopError(f"No workshop has the code {code!r}. Check the code with your trainer.")
            found = Workshop(code, f"Workshop {code}", {}, datetime.now(UTC))
            with self.transaction() as db:
                db.execute("INSERT INTO workshops (code, title, drill, opened_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (code) DO NOTHING", (code, found.title, "{}", found.opened_at.isoformat()))
        if not found.is_open:
            raise WorkshopError(f"The workshop {found.code!r} ({found.title}) is closed; ask your trainer for the new code.")
        participant = Participant(secrets.token_hex(6), found.code, name, datetime.now(UTC))
        with self.transaction() as db:
            db.execute("INSERT INTO participants (id, code, name, joined_at) VALUES (?, ?, ?, ?)",
                       (participant.id, participant.code, name, participant.joined_at.isoformat()))
        return participant

    def participants(self, code: str) -> list[Participant]:
        """Everyone who joined a workshop, in order of joining."""
        rows = self.backend.execute("SELECT id, code, name, joined_at FROM participants WHERE code = ? "
                                    "ORDER BY joined_at, id", (normalise_code(code),))
        return [Participant(i, c, n, datetime.fromisoformat(j)) for i, c, n, j in rows]

    # --- reading -----------------------------------------------------------

    @staticmethod
    def _where(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
        """A WHERE clause from (``column op ?``, value) pairs; pairs whose value is None are left out."""
        used = [(sql, value) for sql, value in conditions if value is not None]
        return (" WHERE " + " AND ".join(sql for sql, _ in used)) if used else "", [value for _, value in used]

    def attempts(self, learner: str | None = None, session: str | None = None) -> list[Attempt]:
        """Attempts, oldest first; one learner's, or everyone's with ``None``; one session's if given."""
        where, params = self._where(("learner = ?", learner), ("session = ?", session))
        rows = self.backend.execute(f"SELECT {', '.join(COLUMNS)} FROM attempts{where} ORDER BY answered_at, id", params)
        return [_to_attempt(row) for row in rows]

    def count(self, learner: str | None = None, session: str | None = None) -> int:
        """How many attempts there are."""
        where, params = self._where(("learner = ?", learner), ("session = ?", session))
        return self.backend.execute(f"SELECT COUNT(*) FROM attempts{where}", params)[0][0]

    def query(self, sql: str, learner: str | None = None, extra_where: str = "",
              params: Sequence[Any] = (), session: str | None = None) -> list[tuple[Any, ...]]:
        """Run an aggregate ``SELECT ... FROM table {where} ...``; ``{where}`` is filled in with the learner,
        the session and ``extra_where`` (whose ``?`` take ``params``)."""
        where, values = self._where(("learner = ?", learner), ("session = ?", session))
        if extra_where:
            where = f"{where} AND {extra_where}" if where else f" WHERE {extra_where}"
        return self.backend.execute(sql.format(where=where), [*values, *params])

    def json_field(self, column: str, key: str) -> str:
        """SQL for one field of a JSON column (``answer`` or ``expected``), for :meth:`query`."""
        return self.backend.json_field(column, key)
