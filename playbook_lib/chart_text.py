"""Text alternatives for the charts, in the chart's language: a sentence that says what each chart shows (the
image's ``alt`` text) and the numbers behind it in a small table, collapsed by default (``<details>``).

:func:`accessible` gives a figure its text and returns the same figure, so ``wb.chart(...)``, ``wb.progress()``
and the class dashboard still hand back matplotlib figures; a notebook (or the dashboard's output area) then
shows the figure as ``<img alt="...">`` followed by the tables instead of as a bare image. Interface strings
are the ``a11y.*`` keys of ``data/i18n/ui/a11y.yaml``. Like :mod:`playbook_lib.charts`, this module computes
nothing from the record: it words the rows :mod:`playbook_lib.stats` returns.
"""

from __future__ import annotations

import base64
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ._html import NO_MATH, esc
from .charts import day_label, kind_name, percent, signal_name
from .i18n import html_lang, is_chinese, say, ui

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .dashboard import ClassSummary
    from .stats import Confusion, DayScore, DueForecast, ItemScore, Progress, RecallForecast, TimeSpread


@dataclass(frozen=True)
class ChartText:
    """One chart in words: its title, a sentence saying what it shows, and the table of numbers behind it.

    ``rows`` are text cells; the first cell of each row names the row (a row header)."""

    title: str
    summary: str
    heads: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _join(sentences: Sequence[str], lang: str) -> str:
    return ("" if is_chinese(lang) else " ").join(s for s in sentences if s)


def _list(items: Sequence[str], lang: str) -> str:
    return ("、" if is_chinese(lang) else ", ").join(items)


def _empty(title: str, heads: Sequence[str], lang: str) -> ChartText:
    return ChartText(title, ui("a11y.empty", lang, title=title), tuple(heads), ())


def _scores(title: str, names: Sequence[str], values: Sequence[float | None], counts: Sequence[int], head: str,
            value_head: str, count_head: str, lang: str) -> ChartText:
    """Bars of shares: the highest and the lowest in words, every bar in the table (untried ones said so)."""
    heads = (head, value_head, count_head)
    tried = [(v, name) for name, v in zip(names, values, strict=True) if v is not None]
    if not tried:
        return _empty(title, heads, lang)
    best, worst = max(tried, key=lambda t: t[0]), min(tried, key=lambda t: t[0])
    if len(tried) == 1:
        words = ui("a11y.only-one", lang, title=title, name=best[1], value=percent(best[0], lang))
    elif percent(best[0], lang) == percent(worst[0], lang):
        words = ui("a11y.all-same", lang, title=title, n=len(tried), value=percent(best[0], lang))
    else:
        words = ui("a11y.best-worst", lang, title=title, best=best[1], best_value=percent(best[0], lang),
                   worst=worst[1], worst_value=percent(worst[0], lang))
    untried = len(values) - len(tried)
    summary = _join([words, ui("a11y.untried", lang, n=untried) if untried else ""], lang)
    rows = tuple((name, ui("a11y.not-tried", lang) if v is None else percent(v, lang), str(n))
                 for name, v, n in zip(names, values, counts, strict=True))
    return ChartText(title, summary, heads, rows)


# --- one text per chart -------------------------------------------------------------


def accuracy_over_time(rows: Sequence[DayScore], lang: str = "en") -> ChartText:
    title = ui("chart.over-time.title", lang)
    heads = (ui("a11y.day", lang), ui("a11y.mean-score", lang), ui("a11y.answers", lang))
    if not rows:
        return _empty(title, heads, lang)
    first, last = rows[0], rows[-1]
    summary = ui("a11y.over-time", lang, title=title, days=len(rows), first=day_label(first.day, lang),
                 last=day_label(last.day, lang), answers=sum(r.answers for r in rows),
                 start=percent(first.mean, lang), end=percent(last.mean, lang))
    return ChartText(title, summary, heads,
                     tuple((day_label(r.day, lang), percent(r.mean, lang), str(r.answers)) for r in rows))


def accuracy_by_section(rows: Sequence[ItemScore], lang: str = "en") -> ChartText:
    return _scores(ui("chart.by-section.title", lang), [say(r.name, lang) for r in rows], [r.mean for r in rows],
                   [r.answers for r in rows], ui("a11y.section", lang), ui("a11y.mean-score", lang),
                   ui("a11y.answers", lang), lang)


def mastery_by_method(rows: Sequence[ItemScore], lang: str = "en") -> ChartText:
    names = [f"{r.number}. {say(r.name, lang)}" if r.number is not None else say(r.name, lang) for r in rows]
    return _scores(ui("chart.by-method.title", lang), names, [r.mean for r in rows], [r.answers for r in rows],
                   ui("a11y.method", lang), ui("a11y.mean-score", lang), ui("a11y.answers", lang), lang)


def signal_confusion(confusion: Confusion, lang: str = "en", title: str | None = None) -> ChartText:
    title = title or ui("chart.confusion.title", lang)
    names = [signal_name(name, lang) for name in confusion.names]
    heads = (ui("a11y.right-answered", lang), *names)
    if not confusion.answers:
        return _empty(title, heads, lang)
    right = sum(confusion.counts[i][i] for i in range(len(names)))
    sentences = [ui("a11y.confusion", lang, title=title, right=right, answers=confusion.answers)]
    worst = confusion.most_confused(1)
    if worst:
        r, c, n = worst[0]
        sentences.append(ui("a11y.mixed-up", lang, right=names[r], said=names[c], n=n))
    rows = tuple((names[r], *map(str, row)) for r, row in enumerate(confusion.counts))
    return ChartText(title, _join(sentences, lang), heads, rows)


def time_per_answer(rows: Sequence[TimeSpread], lang: str = "en") -> ChartText:
    title = ui("chart.time.title", lang)
    heads = (ui("a11y.kind", lang), ui("a11y.answers", lang), ui("a11y.median", lang), ui("a11y.middle-half", lang),
             ui("a11y.range", lang))
    if not rows:
        return _empty(title, heads, lang)
    medians = [ui("a11y.seconds", lang, kind=kind_name(r.kind, lang), seconds=f"{r.median:.0f}") for r in rows]
    table = tuple((kind_name(r.kind, lang), str(r.answers), f"{r.median:.0f}", f"{r.q1:.0f}–{r.q3:.0f}",
                   f"{r.low:.0f}–{r.high:.0f}") for r in rows)
    return ChartText(title, ui("a11y.time", lang, title=title, list=_list(medians, lang)), heads, table)


def due_forecast(forecast: DueForecast, lang: str = "en") -> ChartText:
    days = len(forecast.later) - 1
    title = ui("chart.due.title", lang, days=days)
    heads = (ui("a11y.when", lang), ui("a11y.cards", lang))
    if not forecast.cards:
        return _empty(title, heads, lang)
    summary = ui("a11y.due", lang, title=title, now=forecast.due_now, today=forecast.later[0],
                 coming=sum(forecast.later[1:]))
    when = [ui("chart.due.now", lang), ui("chart.due.later-today", lang)]
    when += [day_label(forecast.today + timedelta(days=d), lang) for d in range(1, days + 1)]
    counts = [forecast.due_now, *forecast.later]
    return ChartText(title, summary, heads, tuple((w, str(n)) for w, n in zip(when, counts, strict=True)))


def recall_by_section(forecast: RecallForecast, lang: str = "en") -> ChartText:
    rows = forecast.sections
    return _scores(ui("chart.recall.title", lang, days=forecast.days), [say(r.name, lang) for r in rows],
                   [r.recall for r in rows], [r.cards for r in rows], ui("a11y.section", lang),
                   ui("a11y.recall", lang), ui("a11y.cards", lang), lang)


def progress(rows: Progress, lang: str = "en") -> list[ChartText]:
    """The texts of the progress figure's five charts, in the figure's order."""
    return [accuracy_over_time(rows.over_time, lang), time_per_answer(rows.times, lang),
            accuracy_by_section(rows.by_section, lang), mastery_by_method(rows.by_method, lang),
            signal_confusion(rows.confusion, lang)]


def class_figure(summary: ClassSummary, lang: str = "en") -> list[ChartText]:
    """The texts of the class dashboard's two charts: the spread of mean scores and the class's confusion."""
    title = ui("dashboard.spread.title", lang)
    means = [p.mean_score for p in summary.participants if p.mean_score is not None]
    heads = (ui("a11y.band", lang), ui("a11y.participants", lang))
    if means:
        bands = [0] * 10
        for mean in means:
            bands[min(int(100 * mean) // 10, 9)] += 1  # the histogram's bins: 0-10, ..., 90-100 (100 in the last)
        words = ui("a11y.spread", lang, title=title, people=len(means), mean=percent(statistics.mean(means), lang),
                   low=percent(min(means), lang), high=percent(max(means), lang))
        rows = tuple((ui("a11y.band-range", lang, low=10 * b, high=10 * b + 10), str(n)) for b, n in enumerate(bands))
        spread = ChartText(title, words, heads, rows)
    else:
        spread = _empty(title, heads, lang)
    return [spread, signal_confusion(summary.confusion, lang, ui("dashboard.confusion.title", lang))]


# --- the figure in HTML -------------------------------------------------------------


def alt_text(texts: Sequence[ChartText], lang: str = "en") -> str:
    """The image's alt text: the sentence of each chart (how many charts first, when more than one)."""
    sentences = _join([t.summary for t in texts], lang)
    return sentences if len(texts) == 1 else ui("a11y.figure", lang, n=len(texts), charts=sentences)


def table_html(text: ChartText, lang: str = "en") -> str:
    """The numbers behind one chart: a table (named like its ``<details>``) with column and row headers."""
    def cells(row: Sequence[str]) -> str:
        first, *rest = row
        return f'<th scope="row">{esc(first)}</th>' + "".join(f'<td style="text-align:right">{esc(c)}</td>' for c in rest)

    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in text.heads)
    body = "".join(f"<tr>{cells(row)}</tr>" for row in text.rows)
    caption = esc(ui("a11y.numbers", lang, title=text.title))
    return (f'<details class="playbook-chart-numbers"><summary>{caption}</summary>'
            f'<table aria-label="{caption}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>')


def figure_html(fig: Figure, texts: Sequence[ChartText], lang: str = "en") -> str:
    """The figure as a PNG ``<img>`` with its alt text, then the table of numbers of each chart."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    tables = "".join(table_html(t, lang) for t in texts if t.rows)
    return (f'<div class="playbook-chart {NO_MATH}" lang="{html_lang(lang)}">'
            f'<img src="data:image/png;base64,{png}" alt="{esc(alt_text(texts, lang))}" style="max-width:100%;height:auto">'
            f"{tables}</div>")


def accessible(fig: Figure, texts: Sequence[ChartText], lang: str = "en") -> Figure:
    """``fig``, shown in a notebook as an image with alt text followed by the numbers (not as a bare image).

    The texts stay on the figure as ``fig.playbook_text``; the figure is otherwise unchanged."""
    fig.playbook_text = list(texts)  # type: ignore[attr-defined]

    def show() -> None:
        from IPython.display import display

        display({"text/html": figure_html(fig, texts, lang), "text/plain": alt_text(texts, lang)}, raw=True)

    fig._ipython_display_ = show  # type: ignore[attr-defined]  # IPython calls this instead of its PNG formatter
    return fig


__all__ = ["ChartText", "accessible", "alt_text", "class_figure", "figure_html", "progress", "table_html"]
