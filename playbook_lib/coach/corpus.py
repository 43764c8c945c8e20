"""The labelled lines the coach learns from: content (signal-id exercises, signal items) plus ``data/coach/``.

A label is a signal item id (``signal.verbal.price-bargaining``, ``signal.action``...) or ``not.KIND`` for
a line that is not a buying signal (``not.stall``, ``not.objection``, ``not.small-talk``, ``not.reply``).
Every line carries a *group*, the item it comes from: both languages of an exercise share one group, so
held-out measures never test a line whose translation was trained on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..resources import data_dir

if TYPE_CHECKING:
    from ..content import Catalog

COACH_DIR = data_dir() / "coach"
NOT = "not."
NOT_KINDS: tuple[str, ...] = ("stall", "objection", "small-talk", "reply")
LANGS: tuple[str, ...] = ("en", "zh")
_QUOTED = re.compile(r"^[“\"](.+)[”\"]\s*(?:[（(][^）)]*[）)])?\s*$", re.S)


@dataclass(frozen=True)
class Labelled:
    """One labelled customer line."""

    text: str
    label: str
    group: str
    lang: str

    @property
    def is_signal(self) -> bool:
        """True when the label is a signal kind."""
        return not self.label.startswith(NOT)


def is_signal_label(label: str) -> bool:
    """True for a signal item id, False for ``not.KIND``."""
    return not label.startswith(NOT)


def _example_text(text: str, channel: str, lang: str) -> str:
    """A signal item's example as a transcript would show it: the quote without its attribution, or a
    seen behaviour in brackets."""
    found = _QUOTED.match(text.strip())
    if found:
        return found.group(1).strip()
    if channel in ("action", "expression"):
        return f"（{text.strip()}）" if lang == "zh" else f"({text.strip()})"
    return text.strip()


def content_lines(catalog: Catalog) -> list[Labelled]:
    """Lines from the catalogue: every signal-id exercise's prompt and every signal item's examples."""
    out: list[Labelled] = []
    for ex in catalog.exercises:
        if ex.kind != "signal-id":  # type: ignore[attr-defined]
            continue
        label = ex.answer if ex.is_signal else NOT + ex.not_signal  # type: ignore[attr-defined]
        for lang in LANGS:
            text = getattr(ex.prompt, lang)
            if text:
                out.append(Labelled(text.strip(), label, ex.id, lang))
    for item in catalog.of_kind("signal"):
        for index, example in enumerate(item.examples):  # type: ignore[attr-defined]
            for lang in LANGS:
                text = getattr(example, lang)
                if text:
                    out.append(Labelled(_example_text(text, item.channel, lang), item.id,  # type: ignore[attr-defined]
                                        f"{item.id}#{index}", lang))
    return out


@cache
def _read(path: Path) -> dict[str, Any]:
    from .._yaml import load_mapping

    return dict(load_mapping(path.read_bytes()))


def coach_file(name: str, folder: Path = COACH_DIR) -> dict[str, Any]:
    """One file of ``data/coach/``, read safely."""
    return _read(folder / name)


def corpus_lines(folder: Path = COACH_DIR) -> list[Labelled]:
    """The coach's own labelled customer lines (``data/coach/customer-*.yaml``)."""
    out: list[Labelled] = []
    for path in sorted(folder.glob("customer-*.yaml")):
        for entry in _read(path).get("lines") or ():
            kind = str(entry["kind"])
            label = NOT + kind if kind in NOT_KINDS else kind
            for lang in LANGS:
                if entry.get(lang):
                    out.append(Labelled(str(entry[lang]).strip(), label, f"coach:{entry['id']}", lang))
    return out


def training_lines(catalog: Catalog, folder: Path = COACH_DIR) -> list[Labelled]:
    """Everything the classifier learns from, in a stable order."""
    return content_lines(catalog) + corpus_lines(folder)


def rep_lines(folder: Path = COACH_DIR) -> list[dict[str, Any]]:
    """The labelled rep lines (asks for the order? which method? pressure wording?)."""
    return list(coach_file("rep-lines.yaml", folder).get("lines") or ())
