"""The two databases the practice record can live in, behind one small interface.

Store code writes one SQL text with ``?`` placeholders; each backend runs it. The few real
differences (placeholders, how a write transaction starts, the schema version, column types,
reading a field of a JSON column) live here and nowhere else.

- SQLite (default): one file, WAL mode, a busy timeout, ``BEGIN IMMEDIATE`` per write; a file the
  user may not write is opened read-only (reading and exporting work, writing says why not).
- PostgreSQL (``PLAYBOOK_DB_URL=postgresql://...``): for a class sharing one JupyterHub; psycopg 3.
  A lost connection (server restarted, network gone) is opened again by the next call.

Every failure of the database surfaces as a :class:`~playbook_lib.errors.StoreError` whose message
never holds a password (:func:`redact`).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar
from urllib.parse import quote, unquote

from .errors import StoreCorruptError, StoreError, StoreReadOnlyError, StoreUnavailableError

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 10
T = TypeVar("T")

_PASSWORD_FIELD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&;,)]*)", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/+")


def _passwords(url: str) -> list[str]:
    """Every spelling of the password(s) in a database URL, however malformed, longest first."""
    found: list[str] = []
    for at in (i for i, ch in enumerate(url) if ch == "@"):  # user:password@, up to any @ (a password may hold one)
        head = _SCHEME.sub("", url[:at])
        if ":" in head:
            secret = head.split(":", 1)[1]
            found += [secret, unquote(secret), quote(secret, safe="")]
    found += [m.group(2).strip("'") for m in _PASSWORD_FIELD.finditer(url)]
    return sorted({s for s in found if s}, key=len, reverse=True)


def redact(text: str, url: str | None = None) -> str:
    """``text`` with database passwords replaced by ``***``: the one rule for showing a URL or an error about it.

    ``url`` is the database URL whose password must not show (default: ``text`` is that URL). Its password
    is hidden wherever it appears, however the URL was malformed, and so is any ``password=...`` field.
    """
    for secret in _passwords(text if url is None else url):
        text = text.replace(secret, "***")
    return _PASSWORD_FIELD.sub(r"\1***", text)


class Backend(ABC):
    """What the store needs from a database."""

    types: ClassVar[Mapping[str, str]] = {"serial": "INTEGER PRIMARY KEY", "real": "REAL"}
    shared: ClassVar[bool] = False
    """True where other applications' tables may live beside the record's (a PostgreSQL database)."""
    location = ""
    existed = False
    writable = True

    @abstractmethod
    def start(self) -> None:
        """Make the connection ready for writing (once the record is known to be ours and readable)."""

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

    @abstractmethod
    def tables(self) -> set[str]:
        """The names of the tables there are (in PostgreSQL: in the current schema)."""

    @abstractmethod
    def columns(self, table: str) -> set[str]:
        """The column names of one table."""

    def check_writable(self) -> None:  # noqa: B027 - most databases can always be written
        """Raise :class:`StoreReadOnlyError`, saying why, if nothing can be written here."""

    def lock_for_migration(self) -> None:  # noqa: B027 - SQLite's BEGIN IMMEDIATE already locks
        """Keep other processes from migrating at the same time (inside a transaction)."""

    def copy(self, dest: Path | None, label: str) -> Path | None:
        """A consistent copy of the whole database as one file, ``dest`` or one beside the database named with
        ``label``; ``None`` where the database is no file (a server's), whose attempts the store writes as JSON."""
        return None

    def keep_before_upgrade(self, version: int) -> None:  # noqa: B027 - a server keeps its own backups
        """Keep a copy of the record as it is, at schema ``version``, before an upgrade changes it."""

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

    def fail(self, reason: str, kind: type[StoreError] = StoreError) -> NoReturn:
        """Raise a store error about this record."""
        raise kind(self.location, reason)


# --- SQLite -------------------------------------------------------------------

_SQLITE_FULL = {"SQLITE_FULL"}
_SQLITE_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_SQLITE_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def _sqlite_error(exc: sqlite3.Error) -> tuple[type[StoreError], str]:
    """The store error that a sqlite3 error stands for: (class, reason)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in _SQLITE_FULL:
        return StoreUnavailableError, f"the disk is full ({exc}); free some space and try again"
    if name.startswith("SQLITE_READONLY"):
        return StoreReadOnlyError, f"the practice record cannot be written here ({exc})"
    if name in _SQLITE_BUSY:
        return StoreUnavailableError, (f"another program kept the practice record locked for over "
                                       f"{BUSY_TIMEOUT_MS // 1000} s ({exc}); try again")
    if name in _SQLITE_CORRUPT:
        return StoreCorruptError, f"the practice record is damaged ({exc})"
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        return StoreUnavailableError, f"the disk could not be read or written ({exc}); try again"
    return StoreError, f"the practice record failed ({exc})"


class SQLiteBackend(Backend):
    """One SQLite file in WAL mode (read-only when the user may not write it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        folder = path.parent
        if folder.exists() and not folder.is_dir():
            self.fail(f"{folder} is a file, not a folder; point PLAYBOOK_HOME (or --home) at a folder")
        if path.is_dir():
            self.fail("this is a folder, not a practice record file")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.fail(f"cannot create the folder of the practice record ({exc.strerror or exc})")
        self.existed = path.exists() and path.stat().st_size > 0
        self.writable = os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
        if not self.writable and not self.existed:
            self.fail(f"the folder {folder} is read-only, so no practice record can be made in it; "
                      "set PLAYBOOK_HOME (or --home) to a folder of your own", StoreReadOnlyError)
        self.db = self._connect()
        try:
            self.db.execute("SELECT name FROM sqlite_master").fetchall()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            self.fail(f"not a readable practice record ({exc}); it was left untouched", StoreCorruptError)

    def _connect(self) -> sqlite3.Connection:
        options: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None,
                                   "check_same_thread": False}
        try:
            if self.writable:
                return sqlite3.connect(self.path, **options)
            # read-only: a WAL file in a folder we may not write can only be read as immutable
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            db = sqlite3.connect(uri, uri=True, **options)
            try:
                db.execute("SELECT name FROM sqlite_master").fetchall()
                return db
            except sqlite3.OperationalError:
                db.close()
                return sqlite3.connect(uri + "&immutable=1", uri=True, **options)
        except sqlite3.Error as exc:
            self.fail(f"cannot open the practice record: {exc}")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            kind, reason = _sqlite_error(exc)
            if kind is StoreReadOnlyError:
                reason = self._read_only_reason()
            raise kind(self.location, reason) from None

    def _read_only_reason(self) -> str:
        return (f"the practice record is read-only here (the folder {self.path.parent} cannot be written): it can be "
                "read and exported, but nothing can be saved; ask for write access, or set PLAYBOOK_HOME to a folder "
                "of your own")

    def check_writable(self) -> None:
        if not self.writable:
            self.fail(self._read_only_reason(), StoreReadOnlyError)

    def start(self) -> None:
        """Switch on WAL and the busy timeout (only once the file is known to be ours and readable)."""
        with self._errors():
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.writable:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._errors():
            return self.db.execute(sql, params).fetchall()

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._errors():
            return self.db.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._errors():
            self.db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        self.check_writable()
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
            with self._errors():
                self.db.execute("COMMIT")
        finally:
            if self.db.in_transaction:  # an error in the body or in COMMIT (a full disk): nothing is kept
                with suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")

    def schema_version(self) -> int:
        with self._errors():
            return self.db.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    def tables(self) -> set[str]:
        return {r[0] for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def columns(self, table: str) -> set[str]:
        return {r[1] for r in self.execute("SELECT * FROM pragma_table_info(?)", (table,))}

    def copy(self, dest: Path | None, label: str) -> Path | None:
        target = dest or self.path.with_name(f"{self.path.stem}-{label}.sqlite")
        try:
            copy = sqlite3.connect(target)
            try:
                with copy:
                    self.db.backup(copy)
            finally:
                copy.close()
        except sqlite3.Error as exc:
            self.fail(f"cannot write the copy {target} ({exc})")
        return target

    def keep_before_upgrade(self, version: int) -> None:
        if self.existed and version > 0:
            try:
                shutil.copy2(self.path, self.path.with_name(f"{self.path.name}.v{version}.bak"))
            except OSError as exc:
                self.fail(f"cannot back up the record before upgrading it ({exc}); it was left untouched")

    def json_field(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{key}')"

    def close(self) -> None:
        self.db.close()


# --- PostgreSQL ---------------------------------------------------------------

URL_SCHEMES = ("postgresql://", "postgres://")


class PostgresBackend(Backend):
    """A PostgreSQL database shared by a class; the connection is opened again when it was lost."""

    types: ClassVar[Mapping[str, str]] = {"serial": "BIGSERIAL PRIMARY KEY", "real": "DOUBLE PRECISION"}
    shared: ClassVar[bool] = True

    def __init__(self, url: str) -> None:
        self.location = redact(url)
        self.existed = True
        if not url.lower().startswith(URL_SCHEMES):
            self.fail("PLAYBOOK_DB_URL must be a PostgreSQL URL: postgresql://user:password@host/database")
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            self.fail("PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'")
        self._psycopg = psycopg
        self._url = url
        self._in_transaction = False
        self.db: Any = None
        with self._errors("cannot connect to PostgreSQL"):
            self._connect()

    def _connect(self) -> None:
        extra = {} if "connect_timeout" in self._url else {"connect_timeout": CONNECT_TIMEOUT_S}
        self.db = self._psycopg.connect(self._url, autocommit=True, **extra)

    def _lost(self) -> bool:
        return self.db is None or self.db.closed or self.db.broken

    @contextmanager
    def _errors(self, doing: str = "") -> Iterator[None]:
        psycopg = self._psycopg
        try:
            yield
        except psycopg.Error as exc:
            detail = redact(" ".join(str(exc).split()), self._url) or type(exc).__name__
            if doing:  # the server cannot be reached (retry later), or the URL is wrong (fix it)
                kind = StoreUnavailableError if isinstance(exc, psycopg.OperationalError) else StoreError
                raise kind(self.location, f"{doing}: {detail}") from None
            if isinstance(exc, psycopg.OperationalError) or self._lost():
                raise StoreUnavailableError(self.location, f"the PostgreSQL server cannot be reached ({detail}); "
                                            "try again in a moment") from None
            raise StoreError(self.location, f"PostgreSQL refused the request ({detail})") from None

    def _run(self, call: Callable[[Any], T]) -> T:
        """Run ``call(connection)``; outside a transaction, a lost connection is opened again and the call retried once."""
        with self._errors():
            if self._in_transaction:
                return call(self.db)
            if self._lost():
                self._connect()
            try:
                return call(self.db)
            except self._psycopg.OperationalError:
                if not self._lost():
                    raise
            self._connect()
            return call(self.db)

    def start(self) -> None:
        """Nothing to switch on: the server handles concurrency."""

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        def run(db: Any) -> list[tuple[Any, ...]]:
            cursor = db.execute(self._sql(sql), params)
            return cursor.fetchall() if cursor.description else []

        return self._run(run)

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._run(lambda db: db.execute(self._sql(sql), params).rowcount)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        def run(db: Any) -> None:
            with db.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)

        self._run(run)

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        self._run(lambda db: db.execute("BEGIN"))  # a connection lost since the last answer is opened again here
        self._in_transaction = True
        try:
            yield self
            with self._errors():
                self.db.execute("COMMIT")
        except BaseException:
            if not self._lost():
                with suppress(self._psycopg.Error):
                    self.db.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False

    def schema_version(self) -> int:
        if "playbook_meta" not in self.tables():
            return 0
        rows = self.execute("SELECT value FROM playbook_meta WHERE key = 'schema_version'")
        return int(rows[0][0]) if rows else 0

    def set_schema_version(self, version: int) -> None:
        self.execute("INSERT INTO playbook_meta (key, value) VALUES ('schema_version', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(version),))

    def tables(self) -> set[str]:
        return {r[0] for r in self.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()")}

    def columns(self, table: str) -> set[str]:
        return {r[0] for r in self.execute("SELECT column_name FROM information_schema.columns "
                                           "WHERE table_schema = current_schema() AND table_name = ?", (table,))}

    def lock_for_migration(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(7361029)")  # one migrating process at a time, tables or not
        self.execute("CREATE TABLE IF NOT EXISTS playbook_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def json_field(self, column: str, key: str) -> str:
        return f"(({column})::jsonb ->> '{key}')"

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
