"""Small HTML helpers; every text from content files passes through :func:`esc`.

Text that may contain ``$`` is wrapped so that no math typesetter (MathJax in JupyterLab and Voilà)
reads it as a formula: :func:`plain` marks a run of text to be left alone.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .engine import Feedback
from .i18n import DEFAULT_LANG, html_lang, is_chinese, say, ui

if TYPE_CHECKING:
    from .content import Catalog
    from .errors import Problem
    from .models import ExerciseBase

VERDICT_COLOURS = {"right": "#1b5e20", "partly": "#8a5a00", "wrong": "#b71c1c", "recorded": "#1f4e79"}
NO_MATH = "mathjax_ignore tex2jax_ignore"


def esc(text: object) -> str:
    """Escape text for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def plain(text: object) -> str:
    """Escaped text that math typesetters leave alone (so ``$450`` stays ``$450``)."""
    return f'<span class="{NO_MATH}">{esc(text)}</span>'


def paragraphs(text: object) -> str:
    """Escaped text with blank lines turned into paragraphs and single newlines into breaks."""
    parts = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    return "".join(f'<p class="{NO_MATH}">{esc(p).replace(chr(10), "<br>")}</p>' for p in parts)


def bullets(texts: Iterable[object], ordered: bool = False) -> str:
    """An escaped list."""
    tag = "ol" if ordered else "ul"
    return f'<{tag} class="{NO_MATH}">' + "".join(f"<li>{esc(t)}</li>" for t in texts) + f"</{tag}>"


def problems_html(problems: Iterable[Problem], heading: str, lang: str = DEFAULT_LANG) -> str:
    """A list of validation problems under ``heading``, each as ``FILE:LINE: field: reason`` in ``lang``."""
    lines = "".join(f"<li><code>{esc(p.render(lang))}</code></li>" for p in problems)
    return f'<div role="alert"><p><strong>{esc(heading)}</strong></p><ul>{lines}</ul></div>'


def _note(lang: str, label: str, why: str, mark: str = "") -> str:
    """One choice explained: its label in bold, the mark (right answer, your pick) and why, punctuated for the language."""
    key = "feedback.note-marked" if mark else "feedback.note"
    return ui(key, lang, label=f"<strong>{esc(label)}</strong>", mark=esc(mark), why=esc(why))


def _notes_style(kind: str) -> str:
    """How a kind's feedback lists its choices: picks, order, path or none (see :mod:`playbook_lib.kinds`)."""
    from . import kinds

    found = kinds.find(kind)
    return found.notes if found else "picks"


def feedback_html(feedback: Feedback) -> str:
    """The verdict in words and a symbol, the summary, and why for each choice."""
    lang = feedback.lang or DEFAULT_LANG
    colour = VERDICT_COLOURS[feedback.verdict]
    score = "" if feedback.correct is None else " · " + esc(ui("feedback.score", lang, score=round(100 * feedback.score)))
    # no live region here: the view's own (widgets/_assist.py) exists before the verdict and reads it out once
    out = [f'<div class="playbook-feedback {NO_MATH}">'
           f'<p class="playbook-verdict" style="font-size:1.1em;color:{colour}"><strong>{feedback.symbol} '
           f"{esc(feedback.verdict_text)}</strong>{score}</p>"]
    if feedback.summary:
        out.append(paragraphs(feedback.summary))
    style = _notes_style(feedback.kind)
    if style == "order":
        out.append(f"<p>{esc(ui('feedback.right-order', lang))}</p><ol>")
        for note in feedback.notes:
            mark = ui("feedback.in-place" if note.chosen else "feedback.misplaced", lang)
            out.append(f"<li>{_note(lang, note.label, note.why, mark)}</li>")
        out.append("</ol>")
    elif style == "path":
        out.append("<ol>")
        for note in feedback.notes:
            mark = ui("feedback.your-pick-right" if note.right else "feedback.your-pick", lang)
            out.append(f"<li>{_note(lang, note.label, note.why, mark)}</li>")
        out.append("</ol>")
    elif feedback.notes and style == "picks":
        out.append("<ul>")
        for note in feedback.notes:
            if not (note.chosen or note.right):
                continue
            mark = "feedback.right-answer" if note.right else "feedback.your-pick"
            if note.chosen and note.right:
                mark = "feedback.your-pick-right"
            out.append(f"<li>{_note(lang, note.label, note.why, ui(mark, lang))}</li>")
        others = [n for n in feedback.notes if not (n.chosen or n.right)]
        out.append("</ul>")
        if others:
            out.append(f"<details><summary>{esc(ui('feedback.why-not-others', lang))}</summary><ul>")
            out += [f"<li>{_note(lang, n.label, n.why)}</li>" for n in others]
            out.append("</ul></details>")
    if feedback.takeaway:
        gap = "" if is_chinese(lang) else " "
        out.append(f"<p><em>{esc(ui('feedback.takeaway', lang))}</em>{gap}{esc(feedback.takeaway)}</p>")
    out.append("</div>")
    return "".join(out)


def header_html(catalog: Catalog, exercise: ExerciseBase, lang: str = DEFAULT_LANG, how: str | None = None) -> str:
    """The exercise's title, situation and prompt in ``lang``, escaped, then what to do (the kind's instruction, or
    ``how``): the widgets and the participant page."""
    from . import kinds as _kinds

    out = [f'<div class="playbook-exercise" lang="{html_lang(lang)}">'
           f'<h3 class="playbook-title {NO_MATH}">{esc(say(exercise.title, lang, tag=True))}</h3>']
    situation = exercise.situation
    if situation is not None:
        bits = [say(b, lang, tag=True) for b in (situation.customer, situation.trade) if b is not None]
        if situation.channel:
            bits.append(ui(f"channel.{situation.channel}", lang))
        if bits:
            out.append(f'<p class="{NO_MATH}" style="color:#444">{esc(" · ".join(bits))}</p>')
        if situation.context is not None:
            out.append(paragraphs(say(situation.context, lang, tag=True)))
    out.append(f'<blockquote style="margin:0.4em 0">{paragraphs(say(exercise.prompt, lang, tag=True))}</blockquote>')
    out.append(f"<p><em>{esc(how or ui(_kinds.of(exercise).label_key, lang))}</em></p></div>")
    return "".join(out)


def drill_summary(results: Sequence[tuple[ExerciseBase, float | None]], lang: str = DEFAULT_LANG) -> tuple[str, str]:
    """(the score in words, its HTML) at the end of a drill, from each item's first score (``None``: not answered):
    the points over the items, then the items worth another look (below full marks, or not answered)."""
    points = sum(score or 0.0 for _, score in results)
    done = ui("drill.complete", lang, points=f"{round(points, 1):g}", total=len(results),
              percent=round(100 * points / len(results)))
    revisit = [exercise for exercise, score in results if score is None or score < 1]
    out = [f"<div class='playbook-drill-summary'><h3>✔ {esc(done)}</h3>"]
    if revisit:
        out.append(f"<p>{esc(ui('drill.revisit', lang))}</p>" + bullets(say(ex.title, lang, tag=True) for ex in revisit))
    else:
        out.append(f"<p>{esc(ui('drill.nothing-to-revisit', lang))}</p>")
    return done, "".join(out) + "</div>"
