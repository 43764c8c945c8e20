"""Coach my call: find the buying signals and the moments to ask in a real transcript, offline.

- :mod:`.transcript` reads plain text, .srt and .vtt and finds the customer's speaker;
- :mod:`.corpus` gathers the labelled lines (content plus ``data/coach/``);
- :mod:`.embed` and :mod:`.model` turn lines into features and train/load the classifier (cached);
- :mod:`.rules` covers what wording rules do better (stage directions, asks, proposals, pressure);
- :mod:`.analysis` classifies the turns and finds the moments and methods; :mod:`.report` shows them;
- :mod:`.hint` gives the hint on a rep's own trial close; :mod:`.view` is the notebook widget;
- :mod:`.evaluate` measures held-out accuracy (``benchmarks/coach.py``).

A transcript is analysed on this computer and never sent anywhere; nothing is stored unless the rep saves
the report. Nothing here is imported by ``import playbook_lib``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Report", "coach", "for_workbook", "parse", "save_report", "transcript_lang"]
_LAZY = {"Report": "analysis", "coach": "api", "for_workbook": "api", "parse": "transcript", "save_report": "api",
         "transcript_lang": "api"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'playbook_lib.coach' has no attribute {name!r}")
