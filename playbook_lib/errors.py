"""The one error hierarchy of Closing Playbook.

::

    PlaybookError                 anything the workbook raises on purpose
    ├── ContentError              content files break the rules (holds every Problem found)
    ├── UnknownIdError            an id that is not in the catalogue
    ├── AnswerError               an answer of the wrong shape for its exercise
    ├── WorkshopError             a workshop code that is unknown or closed
    └── StoreError                the practice record cannot be used
        ├── StoreCorruptError     the file is not a readable practice record
        └── StoreVersionError     the file was written by a newer version of the workbook
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AnswerError",
    "ContentError",
    "PlaybookError",
    "Problem",
    "StoreCorruptError",
    "StoreError",
    "StoreVersionError",
    "UnknownIdError",
    "WorkshopError",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a content file, shown as ``FILE:LINE: field: reason``."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


class PlaybookError(Exception):
    """Base of every error the workbook raises on purpose."""


class ContentError(PlaybookError):
    """Content files break the rules; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def file(self) -> str:
        """File of the first problem."""
        return self.problems[0].file

    @property
    def line(self) -> int:
        """Line of the first problem."""
        return self.problems[0].line

    @property
    def field(self) -> str:
        """Field of the first problem."""
        return self.problems[0].field

    @property
    def reason(self) -> str:
        """Reason of the first problem."""
        return self.problems[0].reason


class UnknownIdError(PlaybookError, LookupError):
    """An exercise or item id that is not in the catalogue."""


class AnswerError(PlaybookError, ValueError):
    """An answer whose shape does not fit its exercise."""


class WorkshopError(PlaybookError):
    """A workshop code that is unknown or closed."""


class StoreError(PlaybookError):
    """The practice record cannot be used."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class StoreCorruptError(StoreError):
    """The file is not a readable practice record; it is left untouched."""


class StoreVersionError(StoreError):
    """The practice record was written by a newer version; it is left untouched."""
