"""The two databases the practice record can live in, behind one small interface.

Store code writes one SQL text with ``?`` placeholders; each backend runs it. The few real
differences (placeholders, how a write transaction starts, the schema version, column types,
reading a field of a JSON column) live here and nowhere else.

- SQLite (default): one file, WAL mode, a busy timeout, ``BEGIN IMMEDIATE`` per write.
- PostgreSQL (``PLAYBOOK_DB_URL=postgresql://...``): for a class sharing one JupyterHub; psycopg 3.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, ClassVar

from .errors import StoreCorruptError, StoreError

BUSY_TIMEOUT_MS = 10_000


class Backend(ABC):
    """What the store needs from a database."""

    types: ClassVar[Mapping[str, str]] = {"serial": "INTEGER PRIMARY KEY", "real": "REAL"}
    location = ""
    existed = False

    @abstractmethod
    def start(self) -> None:
        """Make the connection ready for writing (once the record is known to be readable)."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; return its rows (empty for statements without rows)."""

    @abstractmethod
    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return how many rows it changed."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Backend]:
        """One write transaction, committed on success and rolled back on error."""

    @abstractmethod
    def schema_version(self) -> int:
        """The schema version of the record (0 for a new one)."""

    @abstractmethod
    def set_schema_version(self, version: int) -> None:
        """Set the schema version (inside a transaction)."""

    def lock_for_migration(self) -> None:  # noqa: B027 - SQLite's BEGIN IMMEDIATE already locks
        """Keep other processes from migrating at the same time (inside a transaction)."""

    @abstractmethod
    def json_field(self, column: str, key: str) -> str:
        """SQL for one top-level field of a JSON text column."""

    def script(self, script: str) -> None:
        """Run a ``;``-separated DDL script whose ``{serial}`` and ``{real}`` stand for column types."""
        for statement in script.format(**self.types).split(";"):
            if statement.strip():
                self.execute(statement)

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""


class SQLiteBackend(Backend):
    """One SQLite file in WAL mode."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.existed = path.exists() and path.stat().st_size > 0
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                      check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(path, f"cannot open the practice record: {exc}") from None
        try:
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = self.schema_version()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreCorruptError(path, f"not a readable practice record ({exc}); it was left untouched") from None
        if self.existed and version == 0 and tables:
            self.db.close()
            raise StoreCorruptError(path, "an SQLite file that is not a practice record; it was left untouched")

    def start(self) -> None:
        """Switch on WAL and the busy timeout (only once the file is known to be ours and readable)."""
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.db.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.db.execute(f"PRAGMA user_version = {int(version)}")

    def json_field(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{key}')"

    def close(self) -> None:
        self.db.close()


class PostgresBackend(Backend):
    """A PostgreSQL database shared by a class."""

    types: ClassVar[Mapping[str, str]] = {"serial": "BIGSERIAL PRIMARY KEY", "real": "DOUBLE PRECISION"}

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise StoreError(url, "PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'") from None
        self.location = _hide_password(url)
        self.existed = True
        try:
            self.db = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(self.location, f"cannot connect to PostgreSQL: {exc}".strip()) from None
        self.execute("CREATE TABLE IF NOT EXISTS playbook_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def start(self) -> None:
        """Nothing to switch on: the server handles concurrency."""

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.db.execute(self._sql(sql), params)
        return cursor.fetchall() if cursor.description else []

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.db.execute(self._sql(sql), params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.db.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        with self.db.transaction():
            yield self

    def schema_version(self) -> int:
        rows = self.execute("SELECT value FROM playbook_meta WHERE key = 'schema_version'")
        return int(rows[0][0]) if rows else 0

    def set_schema_version(self, version: int) -> None:
        self.execute("INSERT INTO playbook_meta (key, value) VALUES ('schema_version', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(version),))

    def lock_for_migration(self) -> None:
        self.execute("LOCK TABLE playbook_meta IN EXCLUSIVE MODE")

    def json_field(self, column: str, key: str) -> str:
        return f"(({column})::jsonb ->> '{key}')"

    def close(self) -> None:
        self.db.close()


def _hide_password(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
