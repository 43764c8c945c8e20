"""Python's cycle collector paused while content loads.

Reading a bank builds hundreds of thousands of small objects (parsed YAML, validated models, or the same
unpickled from the cache) that all live on. Each allocation burst makes the collector walk every one of
them again and again: a 10,000-exercise bank took 4 to 8 times longer to unpickle and about 1.7 times longer
to validate. A catalogue lives as long as the process, so after a load its objects are moved out of the
collector's sight for good (``gc.freeze``) instead of being walked once more.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """Pause the cycle collector inside the block (a decorator too); restore it as it was. With ``keep``, what
    the block built is long-lived: it is frozen (never walked by the collector again) when the block succeeds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
