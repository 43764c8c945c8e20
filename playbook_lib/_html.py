"""Small HTML helpers; every text from content files passes through :func:`esc`.

Text that may contain ``$`` is wrapped so that no math typesetter (MathJax in JupyterLab and Voilà)
reads it as a formula: :func:`plain` marks a run of text to be left alone.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from .engine import Feedback
from .i18n import DEFAULT_LANG, ui

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


def problems_html(problems: Iterable[object], what: str = "problem(s)") -> str:
    """A list of validation problems, each as ``FILE:LINE: field: reason``."""
    problems = list(problems)
    lines = "".join(f"<li><code>{esc(p)}</code></li>" for p in problems)
    return f'<div role="alert"><p><strong>✘ {len(problems)} {esc(what)}:</strong></p><ul>{lines}</ul></div>'


def feedback_html(feedback: Feedback) -> str:
    """The verdict in words and a symbol, the summary, and why for each choice."""
    lang = feedback.lang or DEFAULT_LANG
    colour = VERDICT_COLOURS[feedback.verdict]
    score = "" if feedback.correct is None else " · " + esc(ui("feedback.score", lang, score=round(100 * feedback.score)))
    out = [f'<div class="playbook-feedback {NO_MATH}" role="status" aria-live="polite">'
           f'<p class="playbook-verdict" style="font-size:1.1em;color:{colour}"><strong>{feedback.symbol} '
           f"{esc(feedback.verdict_text)}</strong>{score}</p>"]
    if feedback.summary:
        out.append(paragraphs(feedback.summary))
    if feedback.kind == "ordering":
        out.append(f"<p>{esc(ui('feedback.right-order', lang))}</p><ol>")
        for note in feedback.notes:
            mark = ui("feedback.in-place" if note.chosen else "feedback.misplaced", lang)
            out.append(f"<li>{esc(mark)}: <strong>{esc(note.label)}</strong>: {esc(note.why)}</li>")
        out.append("</ol>")
    elif feedback.notes and feedback.kind != "reflection":
        out.append("<ul>")
        for note in feedback.notes:
            if not (note.chosen or note.right):
                continue
            mark = "feedback.right-answer" if note.right else "feedback.your-pick"
            if note.chosen and note.right:
                mark = "feedback.your-pick-right"
            out.append(f"<li><strong>{esc(note.label)}</strong> ({esc(ui(mark, lang))}): {esc(note.why)}</li>")
        others = [n for n in feedback.notes if not (n.chosen or n.right)]
        out.append("</ul>")
        if others:
            out.append(f"<details><summary>{esc(ui('feedback.why-not-others', lang))}</summary><ul>")
            out += [f"<li><strong>{esc(n.label)}</strong>: {esc(n.why)}</li>" for n in others]
            out.append("</ul></details>")
    if feedback.takeaway:
        out.append(f"<p><em>{esc(ui('feedback.takeaway', lang))}</em> {esc(feedback.takeaway)}</p>")
    out.append("</div>")
    return "".join(out)
