"""The coach's report as text (the command line) and as HTML (the notebook): the call as a conversation,
signals highlighted with a symbol and words (never colour alone), moments marked taken or missed, and the
methods that fit with their card and drill."""

from __future__ import annotations

from .._html import NO_MATH, esc
from ..i18n import ui
from .analysis import LineResult, Moment, Report

SIGNAL_MARK, UNSURE_MARK, ASK_MARK = "▲", "?", "➜"


def line_label(report: Report, line: LineResult) -> str:
    """What the coach says about one turn, in the report's language."""
    lang = report.lang
    if line.role == "rep":
        bits = [ui("coach.proposal", lang)] if line.proposal else []
        return " · ".join([*bits, ui("coach.asks", lang)] if line.asks else bits)
    pct = ui("coach.confidence", lang, pct=round(100 * (line.confidence or 0)))
    if line.unsure:
        return f"{UNSURE_MARK} {ui('coach.unsure', lang)} ({pct})"
    seen = f", {ui('coach.seen', lang)}" if line.source == "rule" else ""
    if line.signal:
        what = (ui("coach.signal", lang, kind=report.names.get(line.kind, line.kind)) if line.kind
                else ui("coach.signal-open", lang))
        return f"{SIGNAL_MARK} {what} ({pct}{seen})"
    return f"{ui('coach.not-signal', lang, what=ui(f'coach.not.{line.not_signal}', lang))} ({pct}{seen})"


def moment_label(report: Report, moment: Moment) -> str:
    """The moment and whether it was taken."""
    lang = report.lang
    head = ui(f"coach.moment.{moment.type}", lang)
    if moment.kind:
        head += f" ({report.names.get(moment.kind, moment.kind)})"
    done = ui("coach.taken", lang, n=moment.ask_line + 1) if moment.asked and moment.ask_line is not None \
        else ui("coach.missed", lang)
    return f"{head} · {done}"


def report_text(report: Report) -> str:
    """The report for a terminal."""
    lang = report.lang
    out = [ui("coach.customer", lang, who=", ".join(report.customer)), ""]
    by_line: dict[int, list[Moment]] = {}
    for moment in report.moments:
        by_line.setdefault(moment.line, []).append(moment)
    for i, line in enumerate(report.lines):
        out.append(f"{i + 1:>3}  {line.speaker}: {line.text}")
        label = line_label(report, line)
        if label:
            out.append(f"     {label}")
        for moment in by_line.get(i, ()):
            out.append(f"     {ASK_MARK} {moment_label(report, moment)}")
    taken = sum(m.asked for m in report.moments)
    out += ["", ui("coach.moments", lang, taken=taken, total=len(report.moments)) if report.moments
            else ui("coach.no-moments", lang)]
    out += ["", ui("coach.methods", lang) + ":"]
    if not report.methods:
        out.append("  " + ui("coach.no-methods", lang))
    for method in report.methods:
        turns = ", ".join(str(n + 1) for n in method.lines)
        out.append(f"  - {method.name} [{method.id}] ({ui('coach.turn', lang, n=turns)}): {method.why}")
        out.append(f"    {ui('coach.card', lang)}: {method.card}   {ui('coach.drill', lang)}: {method.drill}")
    return "\n".join(out)


_STYLE = """<style>
.coach-call{font-family:inherit;max-width:52em}
.coach-turn{margin:.35em 0;padding:.4em .7em;border-radius:.6em;max-width:80%;overflow-wrap:anywhere}
.coach-customer{background:#f1f3f4;border:1px solid #d0d4d8;margin-right:auto}
.coach-rep{background:#e8f0fe;border:1px solid #bcd0f7;margin-left:auto}
.coach-signal{background:#fff4d6;border:2px solid #c98a00}
.coach-unsure{border:2px dashed #777}
.coach-who{font-size:.85em;color:#444}
.coach-note{font-size:.9em;color:#333;margin-top:.2em}
.coach-moment{margin:.3em 0 .6em;padding:.3em .6em;border-left:4px solid;font-size:.95em}
.coach-taken{border-color:#1b5e20;color:#1b5e20}
.coach-missed{border-color:#b71c1c;color:#b71c1c;background:#fdecea}
</style>"""


def _turn_html(report: Report, index: int, line: LineResult) -> str:
    classes = ["coach-turn", "coach-rep" if line.role == "rep" else "coach-customer"]
    if line.signal:
        classes.append("coach-signal")
    if line.unsure:
        classes.append("coach-unsure")
    label = line_label(report, line)
    note = f'<div class="coach-note">{esc(label)}</div>' if label else ""
    who = f"{index + 1} · {line.speaker}" + (f" · {line.start}" if line.start else "")
    return (f'<div class="{" ".join(classes)}"><div class="coach-who">{esc(who)}</div>'
            f"<div>{esc(line.text)}</div>{note}</div>")


def report_html(report: Report) -> str:
    """The report for a notebook: the conversation, the moments, the methods."""
    lang = report.lang
    by_line: dict[int, list[Moment]] = {}
    for moment in report.moments:
        by_line.setdefault(moment.line, []).append(moment)
    out = [_STYLE, f'<div class="coach-call {NO_MATH}" lang="{esc(lang)}">',
           f"<p><strong>{esc(ui('coach.customer', lang, who=', '.join(report.customer)))}</strong></p>"]
    for i, line in enumerate(report.lines):
        out.append(_turn_html(report, i, line))
        for moment in by_line.get(i, ()):
            state = "coach-taken" if moment.asked else "coach-missed"
            out.append(f'<div class="coach-moment {state}" role="note">{esc(moment_label(report, moment))}</div>')
    taken = sum(m.asked for m in report.moments)
    summary = (ui("coach.moments", lang, taken=taken, total=len(report.moments)) if report.moments
               else ui("coach.no-moments", lang))
    out.append(f"<h4>{esc(summary)}</h4><h4>{esc(ui('coach.methods', lang))}</h4>")
    if not report.methods:
        out.append(f"<p>{esc(ui('coach.no-methods', lang))}</p>")
    else:
        out.append("<ul>")
        for method in report.methods:
            turns = ", ".join(str(n + 1) for n in method.lines)
            out.append(f"<li><strong>{esc(method.name)}</strong> ({esc(ui('coach.turn', lang, n=turns))}): "
                       f"{esc(method.why)}<br><small>{esc(ui('coach.card', lang))}: <code>{esc(method.card)}</code> · "
                       f"{esc(ui('coach.drill', lang))}: <code>{esc(method.drill)}</code></small></li>")
        out.append("</ul>")
    out.append("</div>")
    return "".join(out)
