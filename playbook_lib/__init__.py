"""Closing Playbook: a coaching workbook on when and how to ask for the order.

The public API is listed in ``__all__``. Widgets and charts import ipywidgets and
matplotlib only when they are used, so ``import playbook_lib`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    AnswerError,
    ContentError,
    PlaybookError,
    Problem,
    StoreCorruptError,
    StoreError,
    StoreVersionError,
    UnknownIdError,
    WorkshopError,
)

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "Attempt",
    "Catalog",
    "ContentError",
    "DrillItem",
    "Feedback",
    "PageRoom",
    "PlaybookError",
    "Problem",
    "Store",
    "StoreCorruptError",
    "StoreError",
    "StoreVersionError",
    "UnknownIdError",
    "Workbook",
    "Workshop",
    "WorkshopError",
    "__version__",
    "build_drill",
    "grade",
    "load_catalog",
    "validate_paths",
]

_LAZY = {
    "Attempt": "records",
    "Catalog": "content",
    "DrillItem": "engine",
    "Feedback": "engine",
    "PageRoom": "participant_page",
    "Store": "store",
    "Workbook": "workbook",
    "Workshop": "records",
    "build_drill": "engine",
    "grade": "engine",
    "load_catalog": "content",
    "validate_paths": "content",
}

if TYPE_CHECKING:
    from .content import Catalog, load_catalog, validate_paths
    from .engine import DrillItem, Feedback, build_drill, grade
    from .participant_page import PageRoom
    from .records import Attempt, Workshop
    from .store import Store
    from .workbook import Workbook


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'playbook_lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
