"""The practice record: attempts, review cards, settings and workshops, one short transaction per answer.

SQLite by default (one file, WAL mode and a busy timeout, so several kernels can write at
once); PostgreSQL when ``PLAYBOOK_DB_URL`` is set, for a class sharing one JupyterHub. Both run
the same SQL through :mod:`playbook_lib._db`. The schema carries a version and migrates forward;
a record from a newer version, or a file or database that is not a practice record, raises and is left
untouched: nothing is written, switched to WAL or backed up before the record is known to be ours.

An answer is saved as one :class:`AnswerWrite` (the attempt, and the review card it moves, in one transaction).
The records themselves (:class:`Attempt`, :class:`Workshop`, :class:`Participant`, workshop codes) and the
gate every write passes (the limits) live in :mod:`playbook_lib.records`, free of any database; where the
record lives, in :mod:`playbook_lib.home`.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._db import Backend, PostgresBackend, SQLiteBackend
from .errors import InputError, StoreCorruptError, StoreError, StoreReadOnlyError, StoreVersionError, WorkshopError
from .home import DB_URL_ENV, HOME_ENV, STORE_NAME, default_home, record_location, record_path
from .records import (
    CODE_LENGTH,
    COLUMNS,
    MAX_ANSWER,
    MAX_DRILL,
    MAX_FIELD,
    MAX_NAME,
    MAX_TITLE,
    MODES,
    Attempt,
    Participant,
    Workshop,
    check_attempt,
    check_drill,
    clean_name,
    clean_title,
    is_valid_code,
    new_code,
    new_uid,
    normalise_code,
)
from .review import CardState, rating_name

if TYPE_CHECKING:
    from .review import Reviewer

__all__ = [  # the records are re-exported here for code written before they had a module of their own
    "COLUMNS", "DB_URL_ENV", "HOME_ENV", "MAX_DRILL", "MAX_NAME", "MAX_TITLE", "MIGRATIONS", "MODES", "SCHEMA_VERSION",
    "STORE_NAME", "AnswerWrite", "Attempt", "Participant", "Store", "Workshop", "check_attempt", "clean_name", "clean_title",
    "default_home", "is_valid_code", "new_code", "new_uid", "next_card", "normalise_code", "record_location", "record_path",
]

SCHEMA_VERSION = 5
READABLE_FROM = 4  # the oldest schema this version reads as it is (a read-only record cannot be upgraded)
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
    from .review import Reviewer

    reviewer, cards = Reviewer(), {}
    for learner, exercise_id, kind, correct, score, seconds, answered_at in rows:
        key = (learner, exercise_id)
        rating = rating_name(kind, None if correct is None else bool(correct), score, seconds)
        cards[key] = reviewer.review(cards.get(key), learner, exercise_id, rating, datetime.fromisoformat(answered_at))
    db.executemany(_CARD_UPSERT, [_card_row(card) for card in cards.values()])


_LANG_SQL = "ALTER TABLE attempts ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'"

# Version 5: a participant who joined where the code could not be checked (their own laptop, offline).
_OFFLINE_SQL = "ALTER TABLE participants ADD COLUMN offline INTEGER NOT NULL DEFAULT 0"

# MIGRATIONS[n] takes a record from version n to n + 1: a DDL script, or a function of the backend.
MIGRATIONS: tuple[str | Callable[[Backend], None], ...] = (_ATTEMPTS_SQL, _add_review_cards, _WORKSHOPS_SQL, _LANG_SQL,
                                                           _OFFLINE_SQL)
# The tables each version adds: a record claiming a version must have them (else it is someone else's).
_TABLES_BY_VERSION = {1: {"attempts", "settings"}, 2: {"cards"}, 3: {"workshops", "participants"}}
_OWN_TABLES = set().union(*_TABLES_BY_VERSION.values())
_CORE_COLUMNS = {"uid", "learner", "exercise_id", "score", "answered_at", "session"}


_INSERT = f"INSERT INTO attempts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_CARD_COLUMNS = ("learner", "exercise_id", "state", "step", "stability", "difficulty", "due", "last_review", "reviews",
                 "lapses")
_CARD_UPSERT = (f"INSERT INTO cards ({', '.join(_CARD_COLUMNS)}) VALUES ({', '.join('?' * len(_CARD_COLUMNS))}) "
                "ON CONFLICT (learner, exercise_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _CARD_COLUMNS[2:]))


@dataclass(frozen=True)
class AnswerWrite:
    """What one answer writes, in one transaction: the attempt and, with a ``reviewer``, the learner's review card
    for the exercise, moved on by the answer."""

    attempt: Attempt
    reviewer: Reviewer | None = None


def next_card(reviewer: Reviewer, card: CardState | None, attempt: Attempt) -> CardState:
    """The review card after ``attempt``, rated by the rules of :func:`~playbook_lib.review.rating_name`."""
    rating = rating_name(attempt.kind, attempt.correct, attempt.score, attempt.seconds)
    return reviewer.review(card, attempt.learner, attempt.exercise_id, rating, attempt.answered_at)


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
            self._check_ours(version)
            if version < READABLE_FROM and not self.backend.writable:
                raise StoreReadOnlyError(self.location, f"written by an older version (schema {version}) and read-only "
                                         "here, so it cannot be brought up to date; open it once where it can be written")
            self.backend.start()
            if version < SCHEMA_VERSION and self.backend.writable:
                self._migrate(version)
                version = SCHEMA_VERSION
            self.version = version  # the schema of the open record: older only when it is read-only here
        except BaseException:
            self.backend.close()
            raise

    def _check_ours(self, version: int) -> None:
        """Refuse, before anything is written, a file or database whose tables are not a practice record's."""
        tables = self.backend.tables()
        if version == 0:
            foreign = (tables & _OWN_TABLES) if self.backend.shared else tables
            if foreign and self.backend.existed:
                what = "a database" if self.backend.shared else "an SQLite file"
                raise StoreCorruptError(self.location, f"{what} that is not a practice record (it already has "
                                        f"{', '.join(sorted(foreign)[:5])}); it was left untouched")
            return
        wanted = set().union(*(t for v, t in _TABLES_BY_VERSION.items() if v <= version))
        missing = wanted - tables
        if missing or not _CORE_COLUMNS <= self.backend.columns("attempts"):
            lacks = ", ".join(sorted(missing)) if missing else "the columns of its attempts"
            raise StoreCorruptError(self.location, f"not a practice record (schema {version} claimed, but {lacks} "
                                    "missing); it was left untouched")

    @classmethod
    def open(cls, home: Path | str | None = None, url: str | None = None) -> Store:
        """``url`` or ``PLAYBOOK_DB_URL`` (PostgreSQL) if set, else the SQLite file in ``home``
        (default: :func:`default_home`)."""
        url = url or os.environ.get(DB_URL_ENV) or None
        if url:
            return cls(url=url)
        return cls(record_path(home))

    @property
    def writable(self) -> bool:
        """False when the record can only be read here (a read-only folder)."""
        return self.backend.writable

    def check_writable(self) -> None:
        """Raise :class:`StoreReadOnlyError`, saying why, when nothing can be written here."""
        self.backend.check_writable()

    @property
    def location(self) -> str:
        """Where the record lives (a file path, or a database URL without its password)."""
        return self.backend.location

    def _migrate(self, version: int) -> None:
        self.backend.keep_before_upgrade(version)
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

    def save(self, answer: AnswerWrite) -> Attempt:
        """Save one answer in its own transaction: the attempt, and its review card moved on when asked."""
        row = check_attempt(answer.attempt)
        with self.transaction() as db:
            db.execute(_INSERT, row)
            if answer.reviewer is not None:
                card = self._card(db, answer.attempt.learner, answer.attempt.exercise_id)
                db.execute(_CARD_UPSERT, _card_row(next_card(answer.reviewer, card, answer.attempt)))
        return answer.attempt

    def record(self, *, reviewer: Reviewer | None = None, **values: Any) -> Attempt:
        """Save one answer given field by field (see :meth:`Attempt.new`), for scripts and tests."""
        return self.save(AnswerWrite(Attempt.new(**values), reviewer))

    def add_attempts(self, attempts: Iterable[Attempt]) -> int:
        """Add attempts in one transaction, skipping any whose uid is already there; return how many were new.

        Every attempt is checked first (:func:`check_attempt`): one that breaks a rule stops the whole batch.
        Participants of a workshop this record holds who answered elsewhere (on their own laptop) are
        added to it, marked offline, so the dashboard counts them.
        """
        attempts = list(attempts)
        rows = [check_attempt(attempt) for attempt in attempts]
        if not rows:
            return 0
        with self.transaction() as db:
            before = db.execute("SELECT COUNT(*) FROM attempts")[0][0]
            db.executemany(_INSERT + " ON CONFLICT (uid) DO NOTHING", rows)
            added = db.execute("SELECT COUNT(*) FROM attempts")[0][0] - before
            self._add_offline_participants(db, attempts)
            return added

    @staticmethod
    def _add_offline_participants(db: Backend, attempts: list[Attempt]) -> None:
        first: dict[tuple[str, str], Attempt] = {}
        for a in attempts:
            if a.mode == "workshop" and a.participant and a.session:
                key = (a.participant, a.session)
                if key not in first or a.answered_at < first[key].answered_at:
                    first[key] = a
        if not first:
            return
        codes = {code for _, code in first}
        known = {row[0] for code in codes for row in db.execute("SELECT code FROM workshops WHERE code = ?", (code,))}
        rows = [(pid, code, a.learner, a.answered_at.astimezone(UTC).isoformat())
                for (pid, code), a in first.items() if code in known]
        if rows:
            db.executemany("INSERT INTO participants (id, code, name, joined_at, offline) VALUES (?, ?, ?, ?, 1) "
                           "ON CONFLICT (id) DO NOTHING", rows)

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A remembered setting, such as the learner's name."""
        rows = self.backend.execute("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Remember a setting."""
        if not isinstance(value, str) or len(value) > MAX_ANSWER or len(key) > MAX_FIELD:
            raise InputError(f"a setting is text of at most {MAX_ANSWER:,} characters")
        with self.transaction() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def backup(self, dest: Path | str | None = None) -> Path:
        """Copy the whole record to ``dest`` (default: a time-stamped file beside it, or in the home
        folder for PostgreSQL, where the copy is a JSON file of every attempt)."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = Path(dest) if dest else None
        try:
            copied = self.backend.copy(target, f"backup-{stamp}")
            if copied is not None:
                return copied
            target = target or default_home() / f"practice-backup-{stamp}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps([a.as_dict() for a in self.attempts()], ensure_ascii=False), encoding="utf-8")
            return target
        except StoreError as exc:
            raise StoreError(self.location, f"cannot write the backup ({exc.reason}); nothing was deleted") from None
        except OSError as exc:
            raise StoreError(self.location, f"cannot write the backup ({exc}); nothing was deleted") from None

    def reset(self, learner: str | None = None) -> tuple[int, Path]:
        """Back up the record, then delete one learner's attempts and cards (everyone's with ``None``)."""
        self.check_writable()
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
        title = clean_title(title)
        settings = check_drill(drill or {})
        opened = datetime.now(UTC)
        for _ in range(20):
            code = new_code()
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)):
                    continue
                db.execute("INSERT INTO workshops (code, title, drill, opened_at) VALUES (?, ?, ?, ?)",
                           (code, title, settings, opened.isoformat()))
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

    def join_workshop(self, code: str, name: str, *, offline: bool = False, resume: bool = False) -> Participant:
        """Join an open workshop of this record; two people with the same name get different ids, unless
        ``resume=True`` (the participant app): then the same name again is the participant who joined before.

        A code this record has never seen is refused, on SQLite as on PostgreSQL: a trainer's record only
        ever holds the workshops its trainer opened. ``offline=True`` is for a participant on their own
        laptop, whose record cannot know the trainer's codes: a well-formed code is then taken unchecked,
        the participant is recorded as joined offline, no workshop is created, and the answers reach the
        trainer through ``playbook export --session CODE`` and ``playbook import``.
        """
        name = clean_name(name)
        code = normalise_code(code)[:MAX_FIELD]
        found = self.workshop(code)
        if found is None:
            if not is_valid_code(code):
                raise WorkshopError(f"No workshop has the code {code!r}. Check the code with your trainer "
                                    f"(a code is {CODE_LENGTH} letters and digits, e.g. K7Q2MX).")
            if not offline:
                raise WorkshopError(
                    f"No workshop has the code {code!r} in this record. Check the code with your trainer. "
                    "If the workshop runs on another computer, the code cannot be checked here: join offline "
                    "(wb.join_form(offline=True)) and send your trainer the file from "
                    f"`playbook export --session {code}`.")
        elif not found.is_open:
            raise WorkshopError(f"The workshop {found.code!r} ({found.title}) is closed; ask your trainer for the new code.")
        if resume:
            for known in self.participants(code):
                if known.name == name and known.offline == (found is None):
                    return known
        participant = Participant(secrets.token_hex(6), code, name, datetime.now(UTC), offline=found is None)
        with self.transaction() as db:
            db.execute("INSERT INTO participants (id, code, name, joined_at, offline) VALUES (?, ?, ?, ?, ?)",
                       (participant.id, code, name, participant.joined_at.isoformat(), int(participant.offline)))
        return participant

    def participants(self, code: str) -> list[Participant]:
        """Everyone who joined a workshop, in order of joining."""
        offline = "offline" if self.version >= 5 else "0"
        rows = self.backend.execute(f"SELECT id, code, name, joined_at, {offline} FROM participants WHERE code = ? "
                                    "ORDER BY joined_at, id", (normalise_code(code),))
        return [Participant(i, c, n, datetime.fromisoformat(j), bool(o)) for i, c, n, j, o in rows]

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
        return [Attempt.from_row(row) for row in rows]

    def count(self, learner: str | None = None, session: str | None = None) -> int:
        """How many attempts there are."""
        where, params = self._where(("learner = ?", learner), ("session = ?", session))
        return self.backend.execute(f"SELECT COUNT(*) FROM attempts{where}", params)[0][0]

    def _query(self, sql: str, learner: str | None = None, extra_where: str = "",
               params: Sequence[Any] = (), session: str | None = None) -> list[tuple[Any, ...]]:
        """Run an aggregate ``SELECT ... FROM table {where} ...``; ``{where}`` is filled in with the learner,
        the session and ``extra_where`` (whose ``?`` take ``params``). Only :mod:`playbook_lib.stats` calls it."""
        where, values = self._where(("learner = ?", learner), ("session = ?", session))
        if extra_where:
            where = f"{where} AND {extra_where}" if where else f" WHERE {extra_where}"
        return self.backend.execute(sql.format(where=where), [*values, *params])
