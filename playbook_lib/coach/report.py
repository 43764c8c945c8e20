"""The coach's report as text (the command line) and as HTML (the notebook): the call as a conversation,
signals highlighted with a symbol and words (never colour alone), moments marked taken or missed, and the
methods that fit with their card and drill."""

from __future__ import annotations

from .._html import NO_MATH, esc
from ..i18n import ui
from .analysis import LineResult, Method, Moment, Report

SIGNAL_MARK, UNSURE_MARK, ASK_MARK = "▲", "?", "➜"


def _brackets(lang: str, inner: str) -> str:
    """``inner`` in brackets: full-width ones in Chinese."""
    return f"（{inner}）" if lang.startswith("zh") else f" ({inner})"


def _turns(method: Method, lang: str) -> str:
    """The turns a method rests on: "turn 3", "turns 3, 5" (第 3, 5 句)."""
    numbers = ", ".join(str(n + 1) for n in method.lines)
    return ui("coach.turns" if len(method.lines) > 1 else "coach.turn", lang, n=numbers)


def _colon(lang: str) -> str:
    return "：" if lang.startswith("zh") else ": "


def line_label(report: Report, line: LineResult) -> str:
    """What the coach says about one turn, in the report's language."""
    lang = report.lang
    if line.role == "rep":
        bits = [ui("coach.proposal", lang)] if line.proposal else []
        return " · ".join([*bits, ui("coach.asks", lang)] if line.asks else bits)
    pct = ui("coach.confidence", lang, pct=round(100 * (line.confidence or 0)))
    if line.unsure:
        return f"{UNSURE_MARK} {ui('coach.unsure', lang)}{_brackets(lang, pct)}"
    comma = "，" if lang.startswith("zh") else ", "
    seen = f"{comma}{ui('coach.seen', lang)}" if line.source == "rule" else ""
    if line.signal:
        what = (ui("coach.signal", lang, kind=report.names.get(line.kind, line.kind)) if line.kind
                else ui("coach.signal-open", lang))
        return f"{SIGNAL_MARK} {what}{_brackets(lang, pct + seen)}"
    return f"{ui('coach.not-signal', lang, what=ui(f'coach.not.{line.not_signal}', lang))}{_brackets(lang, pct + seen)}"


def moment_parts(report: Report, moment: Moment) -> tuple[str, str]:
    """The moment (with the signal kind behind it) and whether it was taken, as two phrases."""
    lang = report.lang
    head = ui(f"coach.moment.{moment.type}", lang)
    if moment.kind:
        head += _brackets(lang, report.names.get(moment.kind, moment.kind))
    done = ui("coach.taken", lang, n=moment.ask_line + 1) if moment.asked and moment.ask_line is not None \
        else ui("coach.missed", lang)
    return head, done


def moment_label(report: Report, moment: Moment) -> str:
    """The moment and whether it was taken."""
    return " · ".join(moment_parts(report, moment))


def report_text(report: Report) -> str:
    """The report for a terminal."""
    lang = report.lang
    out = [ui("coach.customer", lang, who=", ".join(report.customer)), ""]
    by_line: dict[int, list[Moment]] = {}
    for moment in report.moments:
        by_line.setdefault(moment.line, []).append(moment)
    for i, line in enumerate(report.lines):
        out.append(f"{i + 1:>3}  {line.speaker}{_colon(lang)}{line.text}")
        label = line_label(report, line)
        if label:
            out.append(f"     {label}")
        for moment in by_line.get(i, ()):
            out.append(f"     {ASK_MARK} {moment_label(report, moment)}")
    taken = sum(m.asked for m in report.moments)
    out += ["", ui("coach.moments", lang, taken=taken, total=len(report.moments)) if report.moments
            else ui("coach.no-moments", lang)]
    out += ["", ui("coach.methods", lang) + _colon(lang).strip()]
    if not report.methods:
        out.append("  " + ui("coach.no-methods", lang))
    for method in report.methods:
        out.append(f"  - {method.name} [{method.id}]{_brackets(lang, _turns(method, lang))}{_colon(lang)}"
                   f"{method.why}")
        out.append(f"    {ui('coach.card', lang)}{_colon(lang)}{method.card}   "
                   f"{ui('coach.drill', lang)}{_colon(lang)}{method.drill}")
    return "\n".join(out)


_STYLE = """<style>
.coach-call{font-family:inherit;max-width:52em;color:#1a1a1a;line-height:1.45}
.coach-call p{margin:0}
.coach-call .coach-head{margin:.2em 0 .5em}
.coach-turn{margin:.4em 0;padding:.4em .7em;border-radius:.6em;max-width:min(80%,40em);width:fit-content;
  box-sizing:border-box;overflow-wrap:anywhere}
.coach-customer{background:#f1f3f4;border:1px solid #8a9096;margin-right:auto}
.coach-rep{background:#e8f0fe;border:1px solid #7a9cd6;margin-left:auto}
.coach-signal{background:#fff3cd;border:3px solid #8a5a00;box-shadow:0 0 0 1px #fff3cd}
.coach-unsure{border:2px dashed #5f6368}
.coach-who{font-size:.85em;color:#3c4043}
.coach-note{font-size:.9em;color:#202124;margin-top:.2em}
.coach-signal .coach-note{font-weight:bold;color:#5c3c00}
.coach-moment{margin:.3em 0 .7em;padding:.3em .6em;border-left:4px solid;font-size:.95em;width:fit-content;
  max-width:min(92%,44em);box-sizing:border-box}
.coach-verdict{display:inline-block}
.coach-taken{border-color:#1b5e20;color:#1b5e20;background:#edf7ee}
.coach-missed{border-color:#b71c1c;color:#8e1414;background:#fdecea}
.coach-call h3{font-size:1.05em;margin:.9em 0 .3em}
.coach-call ul{margin:.2em 0;padding-left:1.4em}
.coach-call li{margin:.3em 0}
.coach-call code{background:transparent;color:inherit;font-size:.9em;overflow-wrap:anywhere}
@media (max-width:600px){.coach-turn{max-width:92%}}
</style>"""


def report_summary(report: Report) -> str:
    """One sentence on the whole call: how many moments to ask, and how many were taken."""
    taken = sum(m.asked for m in report.moments)
    return (ui("coach.moments", report.lang, taken=taken, total=len(report.moments)) if report.moments
            else ui("coach.no-moments", report.lang))


def _turn_html(report: Report, index: int, line: LineResult) -> str:
    classes = ["coach-turn", "coach-rep" if line.role == "rep" else "coach-customer"]
    if line.signal:
        classes.append("coach-signal")
    if line.unsure:
        classes.append("coach-unsure")
    label = line_label(report, line)
    note = f'<p class="coach-note">{esc(label)}</p>' if label else ""
    who = f"{index + 1} · {line.speaker}" + (f" · {line.start}" if line.start else "")
    return (f'<div class="{" ".join(classes)}"><p class="coach-who">{esc(who)}</p>'
            f'<p class="coach-text">{esc(line.text)}</p>{note}</div>')


def report_html(report: Report) -> str:
    """The report for a notebook: the conversation, the moments, the methods."""
    lang = report.lang
    by_line: dict[int, list[Moment]] = {}
    for moment in report.moments:
        by_line.setdefault(moment.line, []).append(moment)
    out = [_STYLE, f'<div class="coach-call {NO_MATH}" lang="{esc(lang)}">',
           f"<p class=\"coach-head\"><strong>{esc(ui('coach.customer', lang, who=', '.join(report.customer)))}</strong></p>"]
    for i, line in enumerate(report.lines):
        out.append(_turn_html(report, i, line))
        for moment in by_line.get(i, ()):
            state = "coach-taken" if moment.asked else "coach-missed"
            head, done = moment_parts(report, moment)
            out.append(f'<p class="coach-moment {state}">{ASK_MARK} {esc(head)} '
                       f'<strong class="coach-verdict">{esc(done)}</strong></p>')
    out.append(f"<h3>{esc(report_summary(report))}</h3><h3>{esc(ui('coach.methods', lang))}</h3>")
    if not report.methods:
        out.append(f"<p>{esc(ui('coach.no-methods', lang))}</p>")
    else:
        out.append("<ul>")
        for method in report.methods:
            colon = esc(_colon(lang))
            out.append(f"<li><strong>{esc(method.name)}</strong>{esc(_brackets(lang, _turns(method, lang)))}"
                       f"{colon}{esc(method.why)}<br><small>{esc(ui('coach.card', lang))}{colon}<code>{esc(method.card)}"
                       f"</code> · {esc(ui('coach.drill', lang))}{colon}<code>{esc(method.drill)}</code></small></li>")
        out.append("</ul>")
    out.append("</div>")
    return "".join(out)
