"""Honest accuracy: cross-validation grouped by source item (both languages of an item stay on one side),
reported per language, with the confusion between kinds and the effect of the "unsure" threshold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .corpus import Labelled, is_signal_label
from .embed import Embedder
from .model import KIND_THRESHOLD, SIGNAL_THRESHOLD, C, Classifier, features, fit

FOLDS = 5


@dataclass
class LangScore:
    """Held-out results in one language."""

    lines: int = 0
    signal_right: int = 0  # signal vs not
    signals: int = 0  # lines whose true label is a signal
    kind_right: int = 0  # right kind (the most likely label), among true signals
    sure: int = 0  # lines not marked unsure
    sure_right: int = 0  # right signal vs not, among those
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (true, predicted) labels

    @property
    def signal_accuracy(self) -> float:
        """Share right on signal vs not (every line, unsure ones included by their best guess)."""
        return self.signal_right / max(self.lines, 1)

    @property
    def kind_accuracy(self) -> float:
        """Share of true signals given the right kind."""
        return self.kind_right / max(self.signals, 1)

    @property
    def coverage(self) -> float:
        """Share of lines the coach is sure enough to call."""
        return self.sure / max(self.lines, 1)

    @property
    def sure_accuracy(self) -> float:
        """Share right on signal vs not among the lines it calls."""
        return self.sure_right / max(self.sure, 1)


def cross_validate(lines: list[Labelled], embedder: Embedder, vectors: np.ndarray | None = None, c: float = C,
                   folds: int = FOLDS) -> dict[str, LangScore]:
    """Held-out scores per language (``en``, ``zh``), every line predicted by a model that never saw its group."""
    from sklearn.model_selection import GroupKFold

    texts = [line.text for line in lines]
    vectors = embedder.embed(texts) if vectors is None else vectors
    x = features(embedder, texts, vectors)
    groups = [line.group for line in lines]
    scores: dict[str, LangScore] = {}
    for train, test in GroupKFold(folds).split(x, groups=groups):
        model = fit([lines[i] for i in train], embedder, vectors[train], c)
        for i, row in zip(test, model.proba(x[test]), strict=True):
            _score(scores.setdefault(lines[i].lang, LangScore()), lines[i].label, model, row)
    return scores


def _score(score: LangScore, truth: str, model: Classifier, row: np.ndarray) -> None:
    guess = model.labels[int(np.argmax(row))]
    decision = model.decide(row, SIGNAL_THRESHOLD, KIND_THRESHOLD)
    p_signal = float(sum(p for p, lab in zip(row, model.labels, strict=True) if is_signal_label(lab)))
    said_signal = p_signal >= 0.5
    score.lines += 1
    score.signal_right += said_signal == is_signal_label(truth)
    score.confusion[(truth, guess)] += 1
    if is_signal_label(truth):
        score.signals += 1
        score.kind_right += guess == truth  # strict: a signal called "not" counts as a wrong kind
    if decision.signal is not None:
        score.sure += 1
        score.sure_right += decision.signal == is_signal_label(truth)
