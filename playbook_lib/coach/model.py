"""The classifier of customer lines: sentence embeddings plus character n-grams, then a multinomial logistic
regression trained on :func:`~playbook_lib.coach.corpus.training_lines`.

Training (scikit-learn) takes seconds; the result is a few numpy arrays saved in the workbook's cache folder
(``PLAYBOOK_CACHE``, or ``off`` to keep it in memory only; else ``PLAYBOOK_HOME/cache``; else the per-user cache
folder), never next to the package. The saved model carries a
fingerprint of its training lines, backend and settings: a missing or stale model is rebuilt on first use,
and ``playbook coach --retrain`` rebuilds it on demand. Predicting needs numpy only.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .corpus import Labelled, is_signal_label, training_lines
from .embed import DEFAULT_BACKEND, Embedder, shared

if TYPE_CHECKING:
    from ..content import Catalog

MODEL_VERSION = 1
C = 8.0  # inverse regularisation strength, chosen by grouped cross-validation (benchmarks/coach.py)
NGRAM_DIM = 2**12
NGRAM_WEIGHT = 0.6
SIGNAL_THRESHOLD = 0.65  # below this confidence in "signal or not", a line is marked unsure
KIND_THRESHOLD = 0.4  # below this confidence in the kind (given a signal), the kind is left open


def cache_dir() -> Path | None:
    """Where the trained model is kept: the workbook's cache folder, or ``None`` when ``PLAYBOOK_CACHE=off``."""
    from .._cache import cache_dir as workbook_cache

    return workbook_cache()


def ngrams(texts: list[str], dim: int = NGRAM_DIM) -> np.ndarray:
    """Hashed character 1-3-grams (log counts, L2-normalised): the words an embedding can blur."""
    rows = np.zeros((len(texts), dim), dtype=np.float32)
    for i, text in enumerate(texts):
        low = " ".join(text.lower().split())
        for n in (1, 2, 3):
            for j in range(len(low) - n + 1):
                rows[i, zlib.crc32(low[j:j + n].encode()) % dim] += 1
    rows = np.log1p(rows)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def features(embedder: Embedder, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
    """The classifier's input: the embedding and the weighted n-grams, side by side."""
    emb = embedder.embed(texts) if vectors is None else vectors
    return np.hstack([emb, NGRAM_WEIGHT * ngrams(texts)]).astype(np.float32)


@dataclass(frozen=True)
class Prediction:
    """The classifier's view of one line."""

    label: str
    signal: bool | None  # None: unsure
    kind: str | None  # a signal item id when the line is a confident signal with a confident kind
    not_signal: str | None  # stall, objection, small-talk or reply for a confident non-signal
    confidence: float  # confidence in signal-or-not
    kind_confidence: float  # confidence in the kind, given that it is a signal (or the non-signal's kind)


@dataclass(frozen=True)
class Classifier:
    """A trained multinomial logistic regression, as plain arrays."""

    labels: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    fingerprint: str
    backend: str = DEFAULT_BACKEND

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per input row."""
        z = x @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def decide(self, row: np.ndarray, threshold: float | None = None, kind_threshold: float | None = None) -> Prediction:
        """Signal or not, which kind, how sure: below ``threshold`` (default ``SIGNAL_THRESHOLD``) the line is
        unsure, not guessed; a kind below ``kind_threshold`` (default ``KIND_THRESHOLD``) is left open."""
        threshold = SIGNAL_THRESHOLD if threshold is None else threshold
        kind_threshold = KIND_THRESHOLD if kind_threshold is None else kind_threshold
        signal_mask = np.array([is_signal_label(lab) for lab in self.labels])
        p_signal = float(row[signal_mask].sum())
        best = self.labels[int(np.argmax(row))]
        confidence = max(p_signal, 1 - p_signal)
        part = signal_mask if p_signal >= 0.5 else ~signal_mask
        inner = np.where(part, row, 0)
        top = self.labels[int(np.argmax(inner))]
        top_conf = float(inner.max() / max(inner.sum(), 1e-9))
        if confidence < threshold:
            return Prediction(best, None, None, None, round(confidence, 3), round(top_conf, 3))
        if p_signal >= 0.5:
            kind = top if top_conf >= kind_threshold else None
            return Prediction(top, True, kind, None, round(confidence, 3), round(top_conf, 3))
        return Prediction(top, False, None, top.removeprefix("not."), round(confidence, 3), round(top_conf, 3))

    def save(self, folder: Path) -> Path:
        """Write ``coach-model.npz`` (arrays) and ``coach-model.json`` (labels, fingerprint) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "coach-model.npz", weights=self.weights, bias=self.bias)
        meta = {"labels": list(self.labels), "fingerprint": self.fingerprint, "backend": self.backend}
        (folder / "coach-model.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return folder / "coach-model.npz"

    @classmethod
    def load(cls, folder: Path) -> Classifier | None:
        """The model saved in ``folder``, or None when there is none or it cannot be read."""
        try:
            meta = json.loads((folder / "coach-model.json").read_text(encoding="utf-8"))
            with np.load(folder / "coach-model.npz", allow_pickle=False) as arrays:
                return cls(tuple(meta["labels"]), arrays["weights"], arrays["bias"], meta["fingerprint"],
                           meta.get("backend", DEFAULT_BACKEND))
        except (OSError, ValueError, KeyError):
            return None


def fingerprint(lines: list[Labelled], embedder: Embedder) -> str:
    """What the trained model depends on: its lines, labels, backend and settings."""
    digest = hashlib.sha256(f"{MODEL_VERSION}|{embedder.version}|{C}|{NGRAM_DIM}|{NGRAM_WEIGHT}".encode())
    for line in lines:
        digest.update(f"\x1e{line.label}\x1f{line.text}".encode())
    return digest.hexdigest()[:24]


def fit(lines: list[Labelled], embedder: Embedder, vectors: np.ndarray | None = None, c: float = C) -> Classifier:
    """Train on ``lines`` (``vectors``: their embeddings, when already computed)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    texts = [line.text for line in lines]
    x = features(embedder, texts, vectors)
    with threadpool_limits(1):  # one BLAS thread: several times faster than two on a busy two-core machine
        model = LogisticRegression(C=c, max_iter=3000).fit(x, [line.label for line in lines])
    return Classifier(tuple(str(lab) for lab in model.classes_), model.coef_.astype(np.float32),
                      model.intercept_.astype(np.float32), fingerprint(lines, embedder), embedder.backend)


def load_or_train(catalog: Catalog, *, retrain: bool = False, folder: Path | None = None,
                  embedder: Embedder | None = None) -> Classifier:
    """The trained model for ``catalog``: from the cache when it is current, else trained now and cached."""
    embedder = embedder or shared()
    folder = folder or cache_dir()
    lines = training_lines(catalog)
    wanted = fingerprint(lines, embedder)
    if not retrain and folder is not None:
        cached = Classifier.load(folder)
        if cached is not None and cached.fingerprint == wanted:
            return cached
    model = fit(lines, embedder)
    if folder is not None:
        try:
            model.save(folder)
        except OSError:  # a cache that cannot be written only means training again next time
            pass
    return model
