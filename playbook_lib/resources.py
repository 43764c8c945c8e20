"""Where the workbook's own files are: its content, its notebooks, the example trainer folders, the Voilà template.

Each has one copy in the repository: ``data/``, ``notebooks/`` and ``docs/examples/`` at the top,
``playbook_lib/share/`` in the package. A wheel carries the top-level folders inside the package
(``pyproject.toml`` maps them to ``playbook_lib/_data``, ``_notebooks`` and ``_examples``), and they are
read through :mod:`importlib.resources`; a checkout, or an editable install of one, reads the top-level
folders themselves. When the package is imported from a zip file, a folder is copied out once into the
per-user cache (named by a hash of what it holds), since the workbook, Jupyter and Voilà read real files.

Every module finds these folders here, and nowhere else.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "playbook_lib"
CHECKOUT = Path(__file__).resolve().parent.parent
"""The top of the repository, when the package is imported from a checkout."""

FOLDERS: dict[str, tuple[str, str | None]] = {
    "data": ("_data", "data"),
    "notebooks": ("_notebooks", "notebooks"),
    "examples": ("_examples", "docs/examples"),
    "share": ("share", None),
}
"""Each folder's name inside the installed package, and in the checkout (``None``: only in the package)."""


def data_dir() -> Path:
    """The shipped content: items, exercises, ``i18n/`` and ``coach/``."""
    return folder("data")


def notebooks_dir() -> Path:
    """The notebooks: English at the top, ``zh-Hans/`` and ``zh-Hant/`` below."""
    return folder("notebooks")


def examples_dir() -> Path:
    """The example trainer folders."""
    return folder("examples")


def share_dir() -> Path:
    """The package's share folder: the offline Voilà template (``voila/templates/playbook``) and the participant
    page (``page``)."""
    return folder("share")


@cache
def folder(name: str) -> Path:
    """The folder ``name`` (a key of :data:`FOLDERS`) as a real directory: in the package, else in the checkout.

    When neither holds it, the path where a checkout would have it (so that a later error names a place).
    """
    packaged, in_checkout = FOLDERS[name]
    shipped = files(PACKAGE) / packaged
    if shipped.is_dir():
        return shipped if isinstance(shipped, Path) else unpacked(shipped, packaged)
    return CHECKOUT / (in_checkout or f"{PACKAGE}/{packaged}")


def unpacked(source: Traversable, name: str, cache_root: Path | None = None) -> Path:
    """``source`` (a folder inside a zip file) copied once into ``cache_root`` (default: the per-user cache).

    The copy is named by a hash of the files it holds, so another version of the package gets its own copy;
    it is written under a temporary name and renamed, so a half-written copy is never used.
    """
    contents = dict(_walk(source))
    digest = hashlib.sha256()
    for relative, data in sorted(contents.items()):
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    root = cache_root or _cache_root()
    target = root / f"{name}-{digest.hexdigest()[:16]}"
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        for relative, data in contents.items():
            path = staging.joinpath(*relative.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            os.replace(staging, target)
        except OSError:  # another process put the same copy there first
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    found = []
    for entry in folder.iterdir():
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _walk(entry, relative + "/")
        elif entry.is_file():
            found.append((relative, entry.read_bytes()))
    return found


def _cache_root() -> Path:
    from ._cache import cache_dir

    return (cache_dir() or Path(tempfile.gettempdir()) / "closing-playbook") / "package"
