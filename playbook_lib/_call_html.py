"""A call's HTML, shared by the call view (widgets) and the participant page: the customer's lines as chat bubbles,
the replay of a path played (each choice marked and explained), the rubric score, the debrief and the best path.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._html import NO_MATH, VERDICT_COLOURS, esc, paragraphs
from .engine import Feedback
from .i18n import html_lang, say, ui
from .kinds.call import Call, CallNode, CallReplay, CallStep

SEEN_CHANNELS = (None, "visit", "video")  # where the rep can see the customer's gestures

CSS = """
.playbook-call .playbook-call-log { display: flex; flex-direction: column; gap: 0.5em; margin: 0.6em 0; }
.playbook-call .playbook-call-line { max-width: min(38em, 92%); padding: 0.45em 0.8em; border-radius: 0.8em;
  line-height: 1.45; overflow-wrap: anywhere; color: #1a1a1a; }
.playbook-call .playbook-call-line p { margin: 0.15em 0; }
.playbook-call .playbook-call-customer { align-self: flex-start; background: #eef2f7; border: 1px solid #b8c4d4; }
.playbook-call .playbook-call-rep { align-self: flex-end; background: #e5f1e7; border: 1px solid #a9cdb0; }
.playbook-call .playbook-call-who { display: block; font-size: 0.85em; font-weight: bold; }
.playbook-call .playbook-call-replies { gap: 0.4em; margin: 0.3em 0; }
.playbook-call .playbook-call-ask { margin: 0.3em 0 0.1em; font-weight: bold; }
.playbook-call button.playbook-call-reply { text-align: left; justify-content: flex-start; max-width: 100%; }
.playbook-call .playbook-call-steps > li { margin-bottom: 0.7em; }
.playbook-call .playbook-call-steps p { margin: 0.15em 0; }
.playbook-call .playbook-call-rubric { border-collapse: collapse; margin: 0.3em 0; }
.playbook-call .playbook-call-rubric td, .playbook-call .playbook-call-rubric th { text-align: left; padding: 0.15em 0.6em;
  vertical-align: top; }
.playbook-call .playbook-call-rubric .num { text-align: right; white-space: nowrap; }
@media (max-width: 600px) { .playbook-call .playbook-call-line { max-width: 100%; } }
"""


def line_html(who: str, text: str, css: str, gesture: str = "") -> str:
    """One line of the call as a chat bubble: who speaks, the words, and what the rep sees."""
    extra = f"<p><em>{esc(gesture)}</em></p>" if gesture else ""
    return (f'<div class="playbook-call-line {css} {NO_MATH}"><span class="playbook-call-who">{esc(who)}</span>'
            f"<p>{esc(text)}</p>{extra}</div>")


def customer_html(call: Call, node: CallNode, lang: str) -> str:
    """The customer's line at ``node`` as a chat bubble (with the gesture, in italics, where the rep can see it)."""
    seen = call.situation is None or call.situation.channel in SEEN_CHANNELS
    gesture = say(node.gesture, lang, tag=True) if seen and node.gesture else ""
    return line_html(ui("call.customer", lang), say(node.customer, lang, tag=True), "playbook-call-customer", gesture)


def _points(step: CallStep, lines: dict[str, str], lang: str) -> str:
    if not step.points:
        return ui("call.no-points", lang)
    return "; ".join(ui("call.points", lang, points=n, line=lines.get(k, k)) for k, n in step.points)


def steps_html(steps: Sequence[CallStep], lines: dict[str, str], lang: str) -> str:
    """Each step: the customer's line, the reply chosen with its mark and points, and why."""
    out = [f'<ol class="playbook-call-steps {NO_MATH}">']
    colon = "：" if lang.startswith("zh") else ": "
    for step in steps:
        gesture = f" <em>{esc(step.gesture)}</em>" if step.gesture else ""
        mark = ui(f"call.mark.{step.mark}", lang)
        seconds = f" · {esc(ui('call.seconds', lang, seconds=round(step.seconds)))}" if step.seconds is not None else ""
        out.append(f"<li><p>{esc(ui('call.customer', lang))}{colon}{esc(step.customer)}{gesture}</p>"
                   f"<p>{esc(ui('call.you', lang))}{colon}<strong>{esc(step.text)}</strong></p>"
                   f"<p><strong>{esc(mark)}</strong> · {esc(_points(step, lines, lang))}{seconds}</p>"
                   f"<p><em>{esc(ui('call.why', lang))}</em> {esc(step.why)}</p></li>")
    out.append("</ol>")
    return "".join(out)


def replay_html(feedback: Feedback) -> str:
    """The verdict, the path replayed with each choice marked and explained, the rubric score and the debrief."""
    lang, shown = feedback.lang, feedback.detail
    assert isinstance(shown, CallReplay)
    lines = {row.id: row.text for row in shown.rubric}
    colour = VERDICT_COLOURS[feedback.verdict]
    score = esc(ui("feedback.score", lang, score=round(100 * feedback.score)))
    rows = "".join(f"<tr><td>{esc(row.text)}</td><td class='num'>"
                   f"{esc(ui('call.rubric-row', lang, earned=row.earned, points=row.points))}</td></tr>"
                   for row in shown.rubric)
    total = esc(ui("call.rubric-row", lang, earned=shown.earned, points=shown.total))
    out = [f'<div class="playbook-feedback playbook-call-replay {NO_MATH}" lang="{html_lang(lang)}">'
           f'<p class="playbook-verdict" style="font-size:1.1em;color:{colour}"><strong>{feedback.symbol} '
           f"{esc(feedback.verdict_text)}</strong> · {score}</p>",
           paragraphs(feedback.summary),
           f"<h4>{esc(ui('call.replay', lang))}</h4>", steps_html(shown.steps, lines, lang),
           f"<h4>{esc(ui('call.rubric', lang))}</h4><table class='playbook-call-rubric'><tbody>{rows}</tbody>"
           f"<tfoot><tr><th></th><th class='num'>{total}</th></tr></tfoot></table>",
           f"<h4>{esc(ui('call.ending', lang, outcome=ui(f'call.outcome.{shown.outcome}', lang)))}</h4>",
           paragraphs(shown.debrief)]
    if feedback.takeaway:
        out.append(f"<p><em>{esc(ui('feedback.takeaway', lang))}</em> {esc(feedback.takeaway)}</p>")
    out.append("</div>")
    return "".join(out)


def best_html(shown: CallReplay, lang: str) -> str:
    """The best path, each step marked and explained."""
    lines = {row.id: row.text for row in shown.rubric}
    heading = ui("call.best-heading", lang, outcome=ui(f"call.outcome.{shown.best_outcome}", lang),
                 percent=round(100 * shown.best_score))
    return (f'<div class="playbook-call-best {NO_MATH}" lang="{html_lang(lang)}"><h4>{esc(heading)}</h4>'
            f"{steps_html(shown.best, lines, lang)}</div>")


def recorded_html(feedback: Feedback) -> str:
    """A call graded from its record, on its own: the replay and the best path, with the view's style."""
    return (f'<div class="playbook-call"><style>{CSS}</style>{replay_html(feedback)}'
            f"{best_html(feedback.detail, feedback.lang)}</div>")
