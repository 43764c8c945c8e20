"""The practice record: one SQLite file, one short transaction per answer.

WAL mode and a busy timeout let several kernels write at once without losing a row.
The schema version lives in ``PRAGMA user_version`` and migrates forward; a file from
a newer version, or one that is not a practice record, raises and is left untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import StoreCorruptError, StoreError, StoreVersionError
from .review import CardState

HOME_ENV = "PLAYBOOK_HOME"
STORE_NAME = "practice.sqlite"
MODES = ("practice", "drill", "review", "workshop")
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000

_CARDS_SQL = """
    CREATE TABLE cards (
        learner TEXT NOT NULL,
        exercise_id TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL,
        last_review TEXT,
        reviews INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        PRIMARY KEY (learner, exercise_id)
    );
    CREATE INDEX cards_by_due ON cards (learner, due);
"""


def _add_review_cards(db: sqlite3.Connection) -> None:
    """Version 2: review cards, built by replaying every attempt already recorded."""
    _run_script(db, _CARDS_SQL)
    rows = db.execute("SELECT learner, exercise_id, kind, correct, score, seconds, answered_at FROM attempts "
                      "ORDER BY answered_at, id").fetchall()
    if not rows:
        return
    from .review import Reviewer, rating_name

    reviewer, cards = Reviewer(), {}
    for learner, exercise_id, kind, correct, score, seconds, answered_at in rows:
        key = (learner, exercise_id)
        rating = rating_name(kind, None if correct is None else bool(correct), score, seconds)
        cards[key] = reviewer.review(cards.get(key), learner, exercise_id, rating, datetime.fromisoformat(answered_at))
    db.executemany(_CARD_UPSERT, [_card_row(card) for card in cards.values()])


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


# MIGRATIONS[n] takes a store from version n to n + 1: SQL, or a function of the connection.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
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
        score REAL NOT NULL,
        seconds REAL,
        answered_at TEXT NOT NULL,
        mode TEXT NOT NULL,
        session TEXT NOT NULL
    );
    CREATE INDEX attempts_by_learner ON attempts (learner, answered_at);
    CREATE INDEX attempts_by_session ON attempts (session);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    _add_review_cards,
)


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

    def as_dict(self) -> dict[str, Any]:
        """A plain dict, ready for JSON or CSV."""
        row = dict(self.__dict__)
        row["answered_at"] = self.answered_at.isoformat()
        return row


_COLUMNS = ("uid", "learner", "exercise_id", "kind", "section", "topic", "content_version", "answer",
            "expected", "correct", "score", "seconds", "answered_at", "mode", "session")


_INSERT = f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def _row(a: Attempt) -> tuple[Any, ...]:
    return (a.uid, a.learner, a.exercise_id, a.kind, a.section, a.topic, a.content_version,
            json.dumps(a.answer, ensure_ascii=False), json.dumps(a.expected, ensure_ascii=False), a.correct, a.score,
            a.seconds, a.answered_at.isoformat(), a.mode, a.session)


def new_uid() -> str:
    """A unique, time-ordered id (so new rows land at the end of the uid index)."""
    return f"{time.time_ns():016x}{os.urandom(8).hex()}"


_CARD_COLUMNS = ("learner", "exercise_id", "state", "step", "stability", "difficulty", "due", "last_review", "reviews",
                 "lapses")
_CARD_UPSERT = (f"INSERT INTO cards ({', '.join(_CARD_COLUMNS)}) VALUES ({', '.join('?' * len(_CARD_COLUMNS))}) "
                "ON CONFLICT (learner, exercise_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _CARD_COLUMNS[2:]))


def _card_row(card: CardState) -> tuple[Any, ...]:
    return (card.learner, card.exercise_id, card.state, card.step, card.stability, card.difficulty,
            card.due.isoformat(), card.last_review.isoformat() if card.last_review else None, card.reviews, card.lapses)


def _to_card(row: Sequence[Any]) -> CardState:
    values = dict(zip(_CARD_COLUMNS, row, strict=True))
    values["due"] = datetime.fromisoformat(values["due"])
    values["last_review"] = datetime.fromisoformat(values["last_review"]) if values["last_review"] else None
    return CardState(**values)


def _to_attempt(row: Sequence[Any]) -> Attempt:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["answer"] = json.loads(values["answer"])
    values["expected"] = json.loads(values["expected"])
    values["correct"] = None if values["correct"] is None else bool(values["correct"])
    values["answered_at"] = datetime.fromisoformat(values["answered_at"])
    return Attempt(**values)


class Store:
    """A practice record in one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        existed = self.path.exists() and self.path.stat().st_size > 0
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(self.path, f"cannot open the practice record: {exc}") from None
        try:
            version = self._check_readable(existed)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            if version < SCHEMA_VERSION:
                self._migrate(version, existed)
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def open(cls, home: Path | str | None = None) -> Store:
        """The store file in the folder ``home`` (default: :func:`default_home`)."""
        return cls((Path(home).expanduser() if home is not None else default_home()) / STORE_NAME)

    def _check_readable(self, existed: bool) -> int:
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreCorruptError(self.path, f"not a readable practice record ({exc}); it was left untouched") from None
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                self.path, f"written by a newer version of Closing Playbook (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); update the workbook; the file was left untouched")
        if existed and version == 0 and tables:
            raise StoreCorruptError(self.path, "an SQLite file that is not a practice record; it was left untouched")
        return version

    def _migrate(self, version: int, existed: bool) -> None:
        if existed and version > 0:
            shutil.copy2(self.path, self.path.with_name(f"{self.path.name}.v{version}.bak"))
        with self.transaction() as db:
            current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            for step in range(current, SCHEMA_VERSION):
                migration = MIGRATIONS[step]
                if callable(migration):
                    migration(db)
                else:
                    _run_script(db, migration)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``), committed or rolled back."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------

    def record(self, *, learner: str, exercise_id: str, kind: str, section: str, topic: str,
               content_version: str, answer: Any, expected: Any, correct: bool | None, score: float,
               seconds: float | None = None, mode: str = "practice", session: str = "",
               answered_at: datetime | None = None, uid: str | None = None,
               schedule: Callable[[CardState | None, Attempt], CardState] | None = None) -> Attempt:
        """Save one answer in its own transaction and return it.

        With ``schedule``, the learner's review card for the exercise is updated in the same
        transaction: ``schedule(current card or None, attempt)`` returns the new card.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        attempt = Attempt(uid or new_uid(), learner, exercise_id, kind, section, topic, content_version,
                          answer, expected, correct, float(score), seconds,
                          answered_at or datetime.now(UTC), mode, session)
        with self.transaction() as db:
            db.execute(_INSERT, _row(attempt))
            if schedule is not None:
                db.execute(_CARD_UPSERT, _card_row(schedule(self._card(db, learner, exercise_id), attempt)))
        return attempt

    @staticmethod
    def _card(db: sqlite3.Connection, learner: str, exercise_id: str) -> CardState | None:
        row = db.execute(f"SELECT {', '.join(_CARD_COLUMNS)} FROM cards WHERE learner = ? AND exercise_id = ?",
                         (learner, exercise_id)).fetchone()
        return _to_card(row) if row else None

    def card(self, learner: str, exercise_id: str) -> CardState | None:
        """One learner's review card for one exercise, if it has been answered."""
        return self._card(self._db, learner, exercise_id)

    def cards(self, learner: str | None = None, due_before: datetime | None = None,
              limit: int | None = None) -> list[CardState]:
        """Review cards, earliest due first; only those due before ``due_before`` if given."""
        clauses, params = [], []
        if learner is not None:
            clauses.append("learner = ?")
            params.append(learner)
        if due_before is not None:
            clauses.append("due <= ?")
            params.append(due_before.isoformat())
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"SELECT {', '.join(_CARD_COLUMNS)} FROM cards{where} ORDER BY due, exercise_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_to_card(row) for row in self._db.execute(sql, params)]

    def add_attempts(self, attempts: Iterable[Attempt]) -> int:
        """Add attempts in one transaction, skipping any whose uid is already there; return how many were new."""
        rows = [_row(attempt) for attempt in attempts]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(_INSERT.replace("INSERT", "INSERT OR IGNORE", 1), rows)
            return db.total_changes - before

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A remembered setting, such as the learner's name."""
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Remember a setting."""
        with self.transaction() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def backup(self, dest: Path | str | None = None) -> Path:
        """Copy the whole record to ``dest`` (default: a time-stamped file beside it)."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = Path(dest) if dest else self.path.with_name(f"{self.path.stem}-backup-{stamp}.sqlite")
        with sqlite3.connect(target) as copy:
            self._db.backup(copy)
        copy.close()
        return target

    def reset(self, learner: str | None = None) -> tuple[int, Path]:
        """Back up the record, then delete one learner's attempts (all with ``None``)."""
        backup = self.backup()
        with self.transaction() as db:
            if learner is None:
                removed = db.execute("DELETE FROM attempts").rowcount
                db.execute("DELETE FROM cards")
            else:
                removed = db.execute("DELETE FROM attempts WHERE learner = ?", (learner,)).rowcount
                db.execute("DELETE FROM cards WHERE learner = ?", (learner,))
        return removed, backup

    # --- reading -----------------------------------------------------------

    def _where(self, learner: str | None, session: str | None = None) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if learner is not None:
            clauses.append("learner = ?")
            params.append(learner)
        if session is not None:
            clauses.append("session = ?")
            params.append(session)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def attempts(self, learner: str | None = None, session: str | None = None) -> list[Attempt]:
        """Attempts, oldest first; one learner's, or everyone's with ``None``."""
        where, params = self._where(learner, session)
        rows = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM attempts{where} ORDER BY answered_at, id", params)
        return [_to_attempt(row) for row in rows]

    def count(self, learner: str | None = None) -> int:
        """How many attempts there are."""
        where, params = self._where(learner)
        return self._db.execute(f"SELECT COUNT(*) FROM attempts{where}", params).fetchone()[0]

    def query(self, sql: str, learner: str | None = None, extra_where: str = "",
              params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run an aggregate ``SELECT ... FROM table {where} ...``; ``{where}`` is filled in with the learner
        and ``extra_where`` (whose ``?`` take ``params``)."""
        where, values = self._where(learner)
        if extra_where:
            where = f"{where} AND {extra_where}" if where else f" WHERE {extra_where}"
        return self._db.execute(sql.format(where=where), [*values, *params]).fetchall()
