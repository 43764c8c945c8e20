"""The one error hierarchy of Closing Playbook.

::

    PlaybookError                 anything the workbook raises on purpose
    ├── ContentError              content files break the rules (holds every Problem found)
    ├── UnknownIdError            an id that is not in the catalogue
    ├── AnswerError               an answer of the wrong shape for its exercise
    ├── WorkshopError             a workshop code that is unknown or closed
    │   └── SeatUnknownError      a participant page's token this server does not know (it joins again)
    ├── InputError                a name, title, answer or file over a limit or malformed
    │   └── ResultsFileError      a results file that cannot be imported (every problem, by row)
    └── StoreError                the practice record cannot be used
        ├── StoreCorruptError     the file is not a readable practice record
        ├── StoreVersionError     the file was written by a newer version of the workbook
        ├── StoreReadOnlyError    the record can be read but not written here
        └── StoreUnavailableError the database cannot be reached or cannot save now (retry later)
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

__all__ = [
    "AnswerError",
    "ContentError",
    "InputError",
    "Message",
    "PlaybookError",
    "Problem",
    "ResultsFileError",
    "SeatUnknownError",
    "StoreCorruptError",
    "StoreError",
    "StoreReadOnlyError",
    "StoreUnavailableError",
    "StoreVersionError",
    "UnknownIdError",
    "WorkshopError",
]


@dataclass(frozen=True)
class Message:
    """A language-neutral message: an interface-string key and its values (which may be messages too)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en``, ``zh-Hans``, ``zh-Hant``); its key and values if the strings cannot be read."""
        from .i18n import ui

        values = {name: value.render(lang) if isinstance(value, Message) else value for name, value in self.values}
        if _rendering:  # the interface strings are being read and have a problem themselves
            return f"{self.key} {values}"
        _rendering.append(self.key)
        try:
            return ui(self.key, lang, **values)
        except Exception:
            return f"{self.key} {values}"
        finally:
            _rendering.pop()


_rendering: list[str] = []


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a content file, shown as ``FILE:LINE: field: reason``.

    ``reason`` is English; ``message``, when there is one, renders the reason in another language.
    """

    file: str
    line: int
    field: str
    reason: str
    message: Message | None = dc_field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"

    def render(self, lang: str = "en") -> str:
        """``FILE:LINE: field: reason`` with the reason in ``lang``."""
        reason = self.message.render(lang) if self.message is not None else self.reason
        return f"{self.file}:{self.line}: {self.field}: {reason}"


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


class SeatUnknownError(WorkshopError):
    """A participant page's token that names no participant on this server (it restarted, or forgot the seat to
    make room): the page joins again with the code and name it kept."""


class InputError(PlaybookError, ValueError):
    """Something a learner, participant, trainer or file sent that is over a limit or malformed."""


class ResultsFileError(InputError):
    """A results file that cannot be imported; ``problems`` lists them as ``FILE:ROW: field: reason``."""

    def __init__(self, path: Path | str, problems: list[str] | str) -> None:
        self.path = Path(path)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = self.problems[:10]
        more = len(self.problems) - len(shown)
        super().__init__("\n".join(shown) + (f"\n... and {more} more problems" if more > 0 else "")
                         + f"\n{self.path}: nothing was imported from this file")


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


class StoreReadOnlyError(StoreError):
    """The practice record can be read (and exported) but not written here."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or cannot save just now (server down, disk full); retrying later may work."""
