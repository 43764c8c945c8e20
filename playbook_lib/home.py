"""Where the practice record lives: a database URL, or a SQLite file in the per-user data folder of this platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ._db import redact

HOME_ENV = "PLAYBOOK_HOME"
DB_URL_ENV = "PLAYBOOK_DB_URL"
STORE_NAME = "practice.sqlite"


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


def record_path(home: Path | str | None = None) -> Path:
    """The SQLite file of the practice record in ``home`` (default: :func:`default_home`)."""
    return (Path(home).expanduser() if home is not None else default_home()) / STORE_NAME


def record_location(home: Path | str | None = None, url: str | None = None) -> str:
    """Where :meth:`Store.open` would find the record, without opening it (a URL without its password)."""
    url = url or os.environ.get(DB_URL_ENV) or None
    return redact(url) if url else str(record_path(home))
