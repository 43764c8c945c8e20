"""Find the content files under the given paths and read them, never blocking and never skipping silently.

Folders are walked recursively; files ending in ``.yaml`` or ``.yml`` (any case) are content, except
``playbook-folder.yaml`` (the folder's settings). Folders named in ``skip`` (the shipped ``i18n`` and
``coach`` resources) and names starting with ``.`` (``.git``, ``.ipynb_checkpoints``) are left out. A YAML-named pipe, socket
or device, an unreadable file or folder, and a folder over ``MAX_FOLDER_BYTES`` are reported.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ._yaml import MAX_BYTES
from .errors import Message

SUFFIXES = (".yaml", ".yml")
SETTINGS_FILE = "playbook-folder.yaml"
MAX_FOLDER_BYTES = 64_000_000

Report = Callable[[Path, str, Message], None]  # (path, field, message)


@dataclass
class Found:
    """Content files in reading order, and the folder settings files met on the way."""

    files: list[Path] = field(default_factory=list)
    settings: list[Path] = field(default_factory=list)


def msg(key: str, /, **values: object) -> Message:
    """The message ``validate.KEY`` with its values."""
    return Message(f"validate.{key}", tuple(values.items()))


def _is_yaml(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def discover(paths: Sequence[Path], report: Report, skip: Collection[str] = ()) -> Found:
    """The content files under ``paths`` (files or folders), each folder in name order, leaving out folders named in ``skip``."""
    found = Found()
    for path in paths:
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            report(path, "path", msg("path.missing"))
            continue
        except OSError as exc:
            report(path, "path", msg("path.unreadable", reason=_why(exc)))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, found, report, skip)
        elif not stat.S_ISREG(mode):
            report(path, "file", msg("path.not-regular"))
        elif path.name == SETTINGS_FILE:
            found.settings.append(path)
        else:
            found.files.append(path)
            settings = path.parent / SETTINGS_FILE
            if settings.is_file() and settings not in found.settings:
                found.settings.append(settings)
    return found


def _walk(root: Path, found: Found, report: Report, skip: Collection[str]) -> None:
    files: list[tuple[Path, int]] = []
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue  # a link back to a folder already read
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            report(folder, "folder", msg("path.unreadable-folder", reason=_why(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    if entry.name not in skip:
                        stack.append(path)
                    continue
                if not _is_yaml(entry.name):
                    continue
                if not entry.is_file():
                    report(path, "file", msg("path.not-regular"))
                elif entry.name == SETTINGS_FILE:
                    found.settings.append(path)
                else:
                    files.append((path, entry.stat().st_size))
            except OSError as exc:
                report(path, "file", msg("path.unreadable", reason=_why(exc)))
    total = sum(size for _, size in files)
    if total > MAX_FOLDER_BYTES:
        report(root, "folder", msg("path.folder-too-big", size=total // 1_000_000, limit=MAX_FOLDER_BYTES // 1_000_000))
        return
    found.files += sorted(path for path, _ in files)


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, at most ``MAX_BYTES + 1``; ``OSError`` for anything else (never blocks)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(0, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
