"""A cache of the validated catalogue, so that start-up does not validate unchanged content again.

The key hashes every content file (shown name, full path, size and contents), the workbook's
version, Python's and pydantic's, and the source of the modules that define the catalogue: any
change to any of them means a full validation. Only a catalogue that loaded without a problem is
stored. The cache lives in ``PLAYBOOK_CACHE`` (a folder, or ``off``), else ``PLAYBOOK_HOME/cache``,
else the per-user cache folder. Reading or writing it never fails loading: a cache that cannot be
used is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content import Catalog, ReadFile

CACHE_ENV = "PLAYBOOK_CACHE"
HOME_ENV = "PLAYBOOK_HOME"
FORMAT = b"closing-playbook catalogue cache 1"
_DEFINING = ("models.py", "content.py", "_yaml.py")  # the modules whose code shapes a cached catalogue


def cache_dir() -> Path | None:
    """Where the cache is kept, or ``None`` when ``PLAYBOOK_CACHE=off``."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value:
        return None if value.lower() in ("off", "0", "no", "none") else Path(value).expanduser()
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser() / "cache"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "closing-playbook" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "closing-playbook"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "closing-playbook"


@cache
def _stamp() -> bytes:
    """The versions and library code a cached catalogue depends on."""
    from pydantic_core import __version__ as core_version

    from . import __version__

    digest = hashlib.sha256(FORMAT)
    digest.update(f"{__version__}\0{sys.version}\0{core_version}\0".encode())
    here = files(__package__)  # read through importlib.resources: the package may be a zip file
    for name in _DEFINING:
        digest.update(here.joinpath(name).read_bytes())
    return digest.digest()


def key(files: Sequence[ReadFile]) -> str:
    """The cache key of a set of content files (with the library's stamp)."""
    digest = hashlib.sha256(_stamp())
    for file in files:
        digest.update(f"{file.name}\0{file.path}\0{len(file.data)}\0".encode())
        digest.update(hashlib.sha256(file.data).digest())
    return digest.hexdigest()


def _path(roots: Sequence[Path]) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    where = "\0".join([os.getcwd(), *(str(root) for root in roots)])
    return folder / f"catalog-{hashlib.sha256(where.encode()).hexdigest()[:16]}.pickle"


def load(roots: Sequence[Path], wanted: str) -> Catalog | None:
    """The cached catalogue of ``roots`` if its key is ``wanted``; ``None`` otherwise."""
    from .content import Catalog

    path = _path(roots)
    try:
        if path is None:
            return None
        with path.open("rb") as handle:
            if handle.readline().rstrip(b"\n") != wanted.encode():
                return None
            catalog = pickle.load(handle)
    except Exception:  # a cache that cannot be used is rebuilt
        return None
    return catalog if isinstance(catalog, Catalog) else None


def save(roots: Sequence[Path], wanted: str, catalog: Catalog) -> bool:
    """Store the catalogue under ``wanted``; ``False`` (and nothing raised) when it cannot be written."""
    path = _path(roots)
    if path is None:
        return False
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            handle.write(wanted.encode() + b"\n")
            lean = replace(catalog, sources={key: source.without_raw() for key, source in catalog.sources.items()})
            pickle.dump(lean, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:  # a cache that cannot be used is rebuilt
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True
