"""The coach's entry points: analyse a transcript, and what ``Workbook.coach`` returns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .analysis import Report, analyse, simplified
from .transcript import Transcript, parse

if TYPE_CHECKING:
    from ..content import Catalog
    from .embed import Embedder
    from .model import Classifier

def transcript_lang(transcript: Transcript) -> str:
    """``zh-Hant``, ``zh-Hans`` or ``en``: the language most of the transcript is written in."""
    text = " ".join(t.text for t in transcript.turns)
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]+", text))
    if chinese <= latin:
        return "en"
    return "zh-Hant" if simplified(text) != text else "zh-Hans"


def coach(source: str | Path, catalog: Catalog, *, customer: str | None = None, lang: str | None = None,
          model: Classifier | None = None, embedder: Embedder | None = None, cache: Path | None = None) -> Report:
    """Analyse a transcript (text or a .txt/.srt/.vtt path): signals, moments to ask, methods that fit.

    ``customer`` names the customer's speaker when the labels do not tell; ``lang`` is the report's language
    (default: the transcript's). The trained model comes from the cache, rebuilt when missing or stale.
    """
    from .embed import shared
    from .model import load_or_train

    transcript = parse(source, customer)
    embedder = embedder or shared()
    model = model or load_or_train(catalog, folder=cache, embedder=embedder)
    return analyse(transcript, catalog, model, embedder, lang or transcript_lang(transcript))


def save_report(report: Report, folder: Path | str = ".") -> Path:
    """Write the report as an HTML file in ``folder`` (only when the rep asks to save it)."""
    import time

    from .report import report_html

    path = Path(folder).expanduser() / time.strftime("coach-report-%Y%m%d-%H%M%S.html")
    path.write_text(f'<!doctype html><meta charset="utf-8"><title>Coach my call</title>{report_html(report)}',
                    encoding="utf-8")
    return path.resolve()


def for_workbook(wb: Any, transcript: str | Path | None = None, customer: str | None = None,
                 save_folder: Path | str = ".") -> Any:
    """The report on ``transcript`` in the workbook's language, or, without one, the widget to paste it into."""
    def run(text: str | Path, who: str | None) -> Report:
        return coach(text, wb.catalog, customer=who, lang=wb.lang)

    if transcript is not None:
        return run(transcript, customer)
    from .view import CoachView

    return CoachView(run, lambda kind: wb.drill(about=kind), lambda report: save_report(report, save_folder), wb.lang)
