"""Commented templates for new exercises, one per kind; each validates as printed."""

from __future__ import annotations

from importlib.resources import files

from ..models import EXERCISE_KINDS

TEMPLATE_KINDS: tuple[str, ...] = EXERCISE_KINDS


def template(kind: str) -> str:
    """The template text for an exercise kind."""
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"no template for {kind!r}; choose from {', '.join(TEMPLATE_KINDS)}")
    return files(__package__).joinpath(f"{kind}.yaml").read_text(encoding="utf-8")
