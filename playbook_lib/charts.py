"""Charts of the practice record: pure drawing of the rows :mod:`playbook_lib.stats` returns.

Each function takes its rows, ``lang`` and ``ax=None``, and returns the Axes it drew on; with no
Axes it makes a new figure. matplotlib is imported only when a chart is drawn, and no global
setting is changed. The rules every chart keeps:

- all text is in ``lang``, in fonts that have its glyphs (:func:`playbook_lib.fonts.families`,
  set on each text);
- no text goes through mathtext: texts drawn here get ``parse_math=False``, and tick labels from
  content get their ``$`` escaped (matplotlib may copy a tick label, and the copy would lose
  ``parse_math``);
- an axis that counts (answers, cards, participants) has integer ticks;
- something never tried is drawn as untried (a grey hatched bar), never as a score of 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .i18n import is_chinese, say, ui

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

    from .models import Text
    from .stats import Confusion, DayScore, DueForecast, ItemScore, Progress, RecallForecast, TimeSpread

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BLUE, GREEN, RED, GREY = "#1f5f99", "#2e7d32", "#b71c1c", "#9e9e9e"


# --- text ---------------------------------------------------------------------


def text_kw(lang: str) -> dict[str, Any]:
    """Keyword arguments for every text a chart draws: fonts with the glyphs of ``lang``, no mathtext."""
    from .fonts import families

    return {"fontfamily": families(lang), "parse_math": False}


def tick(text: str) -> str:
    """A tick label from content, with ``$`` escaped so mathtext never reads it."""
    return text.replace("$", r"\$")


def percent(value: float, lang: str) -> str:
    """A share (0 to 1) as a whole percentage, written the way ``lang`` writes it."""
    return ui("chart.percent", lang, n=round(100 * value))


def day_label(day: date, lang: str) -> str:
    """A short date: ``27 Nov``, ``11月27日``."""
    return ui("chart.due.date", lang, day=day.day, month=day.month if is_chinese(lang) else MONTHS[day.month - 1])


def kind_name(kind: str, lang: str) -> str:
    """An exercise kind's name (the kind itself when it has none)."""
    from .kinds import kind_name as name_of

    return name_of(kind, lang)


def signal_name(name: Text | None, lang: str) -> str:
    """A signal kind's name in a confusion matrix; ``None`` is "not a signal"."""
    return say(name, lang) if name is not None else ui("signal.no", lang)


def _prepare(ax: Axes, lang: str) -> None:
    ax.tick_params(labelfontfamily=text_kw(lang)["fontfamily"])


def _titled(ax: Axes, title: str, lang: str) -> None:
    ax.set_title(title, **text_kw(lang))


def counting(axis: Axis) -> None:
    """Integer ticks on an axis that counts."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def new_axes(ax: Axes | None, size: tuple[float, float] = (6.4, 3.6)) -> Axes:
    """``ax``, or the Axes of a new figure (closed in pyplot, so a notebook shows it once, when returned)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig, new = plt.subplots(figsize=size, layout="constrained")
    plt.close(fig)
    return new


def empty(ax: Axes, title: str, lang: str) -> Axes:
    """A chart with nothing to show yet: its title and a friendly note."""
    _prepare(ax, lang)
    _titled(ax, title, lang)
    ax.text(0.5, 0.5, ui("chart.empty", lang), ha="center", va="center", transform=ax.transAxes, fontsize=11,
            color="#555555", **text_kw(lang))
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


# --- charts -------------------------------------------------------------------


def accuracy_over_time(rows: Sequence[DayScore], lang: str = "en", ax: Axes | None = None) -> Axes:
    """Mean score per day (line), with the number of graded answers per day (grey bars)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = new_axes(ax)
    title = ui("chart.over-time.title", lang)
    if not rows:
        return empty(ax, title, lang)
    _prepare(ax, lang)
    kw = text_kw(lang)
    days = [r.day.toordinal() for r in rows]
    twin = ax.twinx()
    _prepare(twin, lang)
    twin.bar(days, [r.answers for r in rows], width=0.8, alpha=0.25, color="#777777")
    twin.set_ylabel(ui("chart.answers", lang), color="#555555", **kw)
    counting(twin.yaxis)
    ax.plot(days, [100 * r.mean for r in rows], marker="o", color=BLUE)
    ax.set_ylim(0, 105)
    ax.set_ylabel(ui("chart.mean-score", lang), color=BLUE, **kw)
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    pad = max(0.7, (7 - (days[-1] - days[0])) / 2)  # at least a week wide, so one day is not one wide bar
    ax.set_xlim(days[0] - pad, days[-1] + pad)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True, min_n_ticks=1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: day_label(date.fromordinal(int(x)), lang)))
    ax.tick_params(axis="x", rotation=45)
    _titled(ax, title, lang)
    return ax


def _bar_label(value: float, n: int, lang: str, unit: str) -> str:
    key = f"chart.bar.{unit}" if n == 1 else f"chart.bar.{unit}s"
    return ui(key, lang, percent=percent(value, lang), n=n)


def score_bars(ax: Axes, labels: Sequence[str], values: Sequence[float | None], counts: Sequence[int], title: str,
               xlabel: str, lang: str, unit: str = "answer") -> Axes:
    """Horizontal bars of shares (0 to 1) labelled with the share and how many answers (or cards) it rests on;
    a ``None`` value is drawn as a grey hatched bar saying "not tried yet"."""
    _prepare(ax, lang)
    kw = text_kw(lang)
    for pos, (value, n) in enumerate(zip(values, counts, strict=True)):
        if value is None:
            ax.barh(pos, 100, color="#f4f4f4", edgecolor=GREY, hatch="///", linewidth=0)
            ax.text(2, pos, ui("chart.not-tried", lang), va="center", fontsize=8, color="#555555",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1}, **kw)
            continue
        ax.barh(pos, 100 * value, color=GREEN)
        inside = value >= 0.6
        ax.text(100 * value + (-1.5 if inside else 1.5), pos, _bar_label(value, n, lang, unit), va="center",
                ha="right" if inside else "left", fontsize=8, color="white" if inside else "#222222", **kw)
    ax.set_yticks(range(len(labels)), [tick(label) for label in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel, **kw)
    _titled(ax, title, lang)
    return ax


def accuracy_by_section(rows: Sequence[ItemScore], lang: str = "en", ax: Axes | None = None) -> Axes:
    """Mean score per section of the workbook; untried sections are marked so."""
    ax = new_axes(ax, (7.6, 3.6))
    title = ui("chart.by-section.title", lang)
    if not any(r.answers for r in rows):
        return empty(ax, title, lang)
    return score_bars(ax, [say(r.name, lang) for r in rows], [r.mean for r in rows], [r.answers for r in rows],
                      title, ui("chart.mean-score", lang), lang)


def mastery_by_method(rows: Sequence[ItemScore], lang: str = "en", ax: Axes | None = None) -> Axes:
    """Mean score on the exercises about each closing method; a method never tried says "not tried yet"."""
    ax = new_axes(ax, (6.4, 5.0))
    title = ui("chart.by-method.title", lang)
    if not any(r.answers for r in rows):
        return empty(ax, title, lang)
    labels = [f"{r.number}. {say(r.name, lang)}" if r.number is not None else say(r.name, lang) for r in rows]
    return score_bars(ax, labels, [r.mean for r in rows], [r.answers for r in rows], title,
                      ui("chart.mean-score", lang), lang)


def signal_confusion(confusion: Confusion, lang: str = "en", ax: Axes | None = None, title: str | None = None) -> Axes:
    """Which signal kind was answered (columns) against which was right (rows); the diagonal is right."""
    ax = new_axes(ax, (7.0, 6.0))
    title = title or ui("chart.confusion.title", lang)
    if not confusion.answers:
        return empty(ax, title, lang)
    _prepare(ax, lang)
    kw = text_kw(lang)
    counts = confusion.counts
    labels = [tick(signal_name(name, lang)) for name in confusion.names]
    ax.imshow(counts, cmap="Blues")
    ticks = range(len(labels))
    ax.set_xticks(ticks, labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(ticks, labels, fontsize=8)
    top = max(map(max, counts))
    for r, row in enumerate(counts):
        for c, n in enumerate(row):
            if n:
                ax.text(c, r, str(n), ha="center", va="center", fontsize=8, color="white" if n > top / 2 else "black",
                        fontweight="bold" if r == c else "normal", parse_math=False)  # digits: the usual font has them
    ax.set_xlabel(ui("chart.confusion.answered", lang), **kw)
    ax.set_ylabel(ui("chart.confusion.right", lang), **kw)
    _titled(ax, title, lang)
    return ax


def time_per_answer(rows: Sequence[TimeSpread], lang: str = "en", ax: Axes | None = None) -> Axes:
    """Seconds taken per answer, by exercise kind (box: middle half; whiskers: up to 1.5 box lengths)."""
    ax = new_axes(ax)
    title = ui("chart.time.title", lang)
    if not rows:
        return empty(ax, title, lang)
    _prepare(ax, lang)
    boxes = [{"label": tick(kind_name(r.kind, lang)), "whislo": r.low, "q1": r.q1, "med": r.median, "q3": r.q3,
              "whishi": r.high, "fliers": []} for r in rows]
    ax.bxp(boxes, orientation="horizontal", showfliers=False)
    ax.set_ylim(len(rows) + 0.5, 0.5)
    ax.set_xlabel(ui("chart.time.seconds", lang), **text_kw(lang))
    _titled(ax, title, lang)
    return ax


def _next_due_text(forecast: DueForecast, lang: str) -> str:
    """What today's review says when nothing is due: the same words, the same time."""
    if forecast.next_due is None:
        return ui("review.no-cards", lang)
    when = forecast.next_due.astimezone()
    day = ui("review.today", lang) if when.date() == forecast.today else when.strftime("%Y-%m-%d")
    return ui("review.next", lang, day=day, time=when.strftime("%H:%M"))


def due_forecast(forecast: DueForecast, lang: str = "en", ax: Axes | None = None) -> Axes:
    """Review cards due now (what today's review offers, overdue included), later today and on each coming day."""
    ax = new_axes(ax)
    days = len(forecast.later) - 1
    title = ui("chart.due.title", lang, days=days)
    if not forecast.cards:
        return empty(ax, title, lang)
    _prepare(ax, lang)
    kw = text_kw(lang)
    counts = [forecast.due_now, *forecast.later]
    labels = [ui("chart.due.now", lang), ui("chart.due.later-today", lang)]
    labels += [day_label(forecast.today + timedelta(days=d), lang) for d in range(1, days + 1)]
    bars = ax.bar(range(len(counts)), counts, color=[RED] + [BLUE] * (len(counts) - 1))
    ax.bar_label(bars, [str(n) if n else "" for n in counts], fontsize=8, padding=2, **kw)
    ax.set_xticks(range(len(counts)), labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=8)
    counting(ax.yaxis)
    top = max(counts)
    ax.set_ylim(0, max(1, top) * (1.45 if not forecast.due_now else 1.15))
    ax.set_ylabel(ui("chart.due.cards", lang), **kw)
    if not forecast.due_now:
        ax.text(0.02, 0.96, _next_due_text(forecast, lang), transform=ax.transAxes, ha="left", va="top", fontsize=9,
                wrap=True, color="#333333", **kw)
    _titled(ax, title, lang)
    return ax


def recall_by_section(forecast: RecallForecast, lang: str = "en", ax: Axes | None = None) -> Axes:
    """Estimated recall of each section's cards ``forecast.days`` ahead without review (FSRS retrievability)."""
    ax = new_axes(ax, (7.6, 3.6))
    title = ui("chart.recall.title", lang, days=forecast.days)
    rows = forecast.sections
    if not any(r.cards for r in rows):
        return empty(ax, title, lang)
    return score_bars(ax, [say(r.name, lang) for r in rows], [r.recall for r in rows], [r.cards for r in rows], title,
                      ui("chart.recall.axis", lang, days=forecast.days), lang, unit="card")


def progress_figure(rows: Progress, lang: str = "en") -> Figure:
    """The five progress charts on one figure."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(13, 15), layout="constrained")
    plt.close(fig)
    grid = fig.add_gridspec(3, 2, height_ratios=[1, 1.3, 1.4])
    accuracy_over_time(rows.over_time, lang, fig.add_subplot(grid[0, 0]))
    time_per_answer(rows.times, lang, fig.add_subplot(grid[0, 1]))
    accuracy_by_section(rows.by_section, lang, fig.add_subplot(grid[1, 0]))
    mastery_by_method(rows.by_method, lang, fig.add_subplot(grid[1, 1]))
    signal_confusion(rows.confusion, lang, fig.add_subplot(grid[2, :]))
    return fig
