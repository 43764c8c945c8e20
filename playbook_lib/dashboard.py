"""The class dashboard of a workshop: who is there, how each item went, what the class confuses.

The numbers come from :mod:`playbook_lib.stats`; this module names the participants, writes the
tables (escaped, in the dashboard's language) and draws the class figure.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import stats
from ._html import NO_MATH, esc, plain
from .content import Catalog
from .errors import WorkshopError
from .exports import write_csv
from .i18n import DEFAULT_LANG, html_lang, say, ui
from .stats import CallRoom, Confusion, ExerciseStats
from .store import Store, Workshop


@dataclass(frozen=True)
class ParticipantRow:
    """One participant's line on the dashboard."""

    id: str
    name: str
    answers: int
    mean_score: float | None


@dataclass(frozen=True)
class ClassSummary:
    """Everything the dashboard shows for one workshop."""

    workshop: Workshop
    participants: list[ParticipantRow]
    items: list[ExerciseStats]
    confusion: Confusion = field(default_factory=lambda: Confusion((), (), ()))
    calls: list[CallRoom] = field(default_factory=list)

    @property
    def answers(self) -> int:
        """How many answers the class has given."""
        return sum(p.answers for p in self.participants)


def class_summary(store: Store, catalog: Catalog, code: str) -> ClassSummary:
    """Aggregate one workshop's answers (a handful of queries, whatever the class size)."""
    workshop = store.workshop(code)
    if workshop is None:
        raise WorkshopError(f"no workshop with code {code!r}")
    found = stats.participant_stats(store, workshop.code)
    people = store.participants(workshop.code)
    seen = Counter(p.name for p in people)
    numbered: Counter[str] = Counter()
    rows = []
    for person in people:
        numbered[person.name] += 1
        label = person.name if seen[person.name] == 1 else f"{person.name} ({numbered[person.name]})"
        mine = found.get(person.id)
        rows.append(ParticipantRow(person.id, label, mine.answers if mine else 0, mine.mean if mine else None))
    return ClassSummary(workshop, rows, stats.exercise_stats(store, catalog, workshop.code),
                        stats.signal_confusion(store, catalog, session=workshop.code),
                        stats.call_paths(store, catalog, session=workshop.code))


def export_csv(store: Store, code: str, folder: Path | str = ".") -> Path:
    """Write every answer of a workshop to ``workshop-CODE.csv`` in ``folder``."""
    path = Path(folder) / f"workshop-{code}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv(store.attempts(session=code), out)
    return path


def _pct(value: float | None, lang: str) -> str:
    return "–" if value is None else ui("chart.percent", lang, n=round(100 * value))


def _say(key: str, lang: str, **html: str) -> str:
    """An interface string, escaped, with ``html`` (already escaped) put in its placeholders."""
    marks = {name: f"\x00{name}\x00" for name in html}
    text = esc(ui(key, lang, **marks))
    for name, value in html.items():
        text = text.replace(marks[name], value)
    return text


def _table(heads: list[tuple[str, bool]], rows: list[list[tuple[str, bool]]], lang: str) -> str:
    """A table; each cell is (escaped HTML, is a number): numbers align right, text left."""
    def cell(tag: str, html: str, num: bool) -> str:
        return f"<{tag} class='num'>{html}</{tag}>" if num else f"<{tag}>{html}</{tag}>"

    head = "".join(cell("th", _say(key, lang), num) for key, num in heads)
    body = "".join("<tr>" + "".join(cell("td", html, num) for html, num in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def summary_html(summary: ClassSummary, lang: str = DEFAULT_LANG) -> str:
    """The dashboard's headings and tables in ``lang``, every text escaped."""
    w = summary.workshop
    state = esc(ui("dashboard.open" if w.is_open else "dashboard.closed", lang))
    refreshed = datetime.now(UTC).astimezone().strftime("%H:%M:%S")
    heading = _say("dashboard.heading", lang, title=plain(w.title), code=f"<code>{esc(w.code)}</code>", state=state)
    counts = _say("dashboard.counts", lang, people=str(len(summary.participants)), answers=str(summary.answers),
                  time=refreshed)
    out = [f"<h3>{heading}</h3>", f"<p>{counts}</p>"]
    if not summary.participants:
        out.append(f"<p>{_say('dashboard.nobody', lang, start='<code>00-start-here</code>')}</p>")
        return _wrap(out, lang)
    out.append(f"<h4>{_say('dashboard.participants', lang)}</h4>")
    out.append(_table([("dashboard.name", False), ("dashboard.answers", True), ("dashboard.mean", True)],
                      [[(esc(p.name), False), (str(p.answers), True), (esc(_pct(p.mean_score, lang)), True)]
                       for p in summary.participants], lang))
    graded = sorted((i for i in summary.items if i.share_right is not None),
                    key=lambda i: (i.share_right, say(i.title, lang)))
    if graded:
        out.append(f"<h4>{_say('dashboard.items', lang)}</h4>")
        out.append(_table([("dashboard.exercise", False), ("dashboard.answers", True), ("dashboard.right", True)],
                          [[(esc(say(i.title, lang)), False), (str(i.answers), True),
                            (esc(_pct(i.share_right, lang)), True)] for i in graded], lang))
    timed = sorted((i for i in summary.items if i.mean_seconds is not None), key=lambda i: -(i.mean_seconds or 0))[:5]
    if timed:
        out.append(f"<h4>{_say('dashboard.slowest', lang)}</h4><ol>")
        for i in timed:
            line = _say("dashboard.slow-line", lang, title=esc(say(i.title, lang)), seconds=f"{i.mean_seconds:.0f}")
            out.append(f"<li>{line}</li>")
        out.append("</ol>")
    confused = summary.confusion.most_confused()
    if confused:
        from .charts import signal_name

        names = summary.confusion.names
        out.append(f"<h4>{_say('dashboard.confused', lang)}</h4><ol>")
        for r, c, n in confused:
            right = f"<strong>{esc(signal_name(names[r], lang))}</strong>"
            said = f"<strong>{esc(signal_name(names[c], lang))}</strong>"
            out.append(f"<li>{_say('dashboard.confused-line', lang, right=right, said=said, n=str(n))}</li>")
        out.append("</ol>")
    if summary.calls:
        out.append(calls_html(summary.calls, lang))
    return _wrap(out, lang)


def _short(text: str, most: int = 90) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


ROOM_CSS = "<style>table.playbook-call-room td.num { white-space: nowrap; }</style>"
"""Counts stay on one line ("3 (60 %)"); the lines of dialogue wrap instead."""


def calls_html(rooms: list[CallRoom], lang: str) -> str:
    """Per call: how many took each reply at each node, and how many calls were lost right after it."""
    out = [f"<h4>{_say('call.room.heading', lang)}</h4>"]
    for room in rooms:
        line = _say("call.room.line", lang, title=esc(say(room.title, lang)), calls=str(room.calls),
                    signed=str(room.signed), lost=str(room.lost), callback=str(room.call_back))
        at_node: Counter[str] = Counter()
        for row in room.replies:
            at_node[row.node] += row.taken
        rows, shown = [], set()
        for row in room.replies:
            customer = "" if row.node in shown else esc(_short(say(row.customer, lang)))
            shown.add(row.node)
            share = f" ({_pct(row.taken / at_node[row.node], lang)})" if at_node[row.node] else ""
            rows.append([(customer, False), (esc(say(row.text, lang)), False), (f"{row.taken}{esc(share)}", True),
                         (str(row.lost) if row.lost else "", True)])
        out.append(f"<p><strong>{line}</strong></p>")
        out.append(_table([("call.room.customer", False), ("call.room.reply", False), ("call.room.took", True),
                           ("call.room.lost", True)], rows, lang).replace("<table>", "<table class='playbook-call-room'>", 1))
    out.append(ROOM_CSS)
    return "".join(out)


def _wrap(parts: list[str], lang: str) -> str:
    return f"<div class='{NO_MATH}' lang='{html_lang(lang)}'>{''.join(parts)}</div>"


def figure(summary: ClassSummary, lang: str = DEFAULT_LANG) -> Any:
    """The class charts: the spread of participants' mean scores, and the signal-kind confusion matrix."""
    import matplotlib.pyplot as plt

    from .charts import counting, signal_confusion, text_kw

    kw = text_kw(lang)
    fig = plt.figure(figsize=(12, 5.5), layout="constrained")
    plt.close(fig)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.4])
    left.tick_params(labelfontfamily=kw["fontfamily"])
    means = [100 * p.mean_score for p in summary.participants if p.mean_score is not None]
    left.set_title(ui("dashboard.spread.title", lang), **kw)
    if means:
        left.hist(means, bins=range(0, 110, 10), color="#1f5f99", edgecolor="white")
        left.axvline(statistics.mean(means), color="#b71c1c", linestyle="--", label=ui("dashboard.class-mean", lang))
        left.legend(prop={"family": kw["fontfamily"]})
    left.set_xlim(0, 100)
    left.set_xlabel(ui("chart.mean-score", lang), **kw)
    left.set_ylabel(ui("dashboard.spread.people", lang), **kw)
    counting(left.yaxis)
    signal_confusion(summary.confusion, lang, right, ui("dashboard.confusion.title", lang))
    return fig


def load(store: Store, catalog: Catalog, code: str, lang: str = DEFAULT_LANG) -> tuple[str, Any]:
    """The dashboard's HTML and its figure in ``lang``, with a text alternative (no figure while nobody has joined)."""
    from .chart_text import accessible, class_figure

    summary = class_summary(store, catalog, code)
    if not summary.participants:
        return summary_html(summary, lang), None
    return summary_html(summary, lang), accessible(figure(summary, lang), class_figure(summary, lang), lang)
