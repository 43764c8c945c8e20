"""Small HTML helpers; every text from content files passes through :func:`esc`."""

from __future__ import annotations

import html
from collections.abc import Iterable

from .engine import Feedback

VERDICT_COLOURS = {"Right": "#1b5e20", "Partly right": "#8a5a00", "Not quite": "#b71c1c", "Recorded": "#1f4e79"}


def esc(text: object) -> str:
    """Escape text for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def paragraphs(text: object) -> str:
    """Escaped text with blank lines turned into paragraphs and single newlines into breaks."""
    parts = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in parts)


def bullets(texts: Iterable[object], ordered: bool = False) -> str:
    """An escaped list."""
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + f"</{tag}>"


def problems_html(problems: Iterable[object], what: str = "problem(s)") -> str:
    """A list of validation problems, each as ``FILE:LINE: field: reason``."""
    problems = list(problems)
    lines = "".join(f"<li><code>{esc(p)}</code></li>" for p in problems)
    return f'<div role="alert"><p><strong>✘ {len(problems)} {esc(what)}:</strong></p><ul>{lines}</ul></div>'


def feedback_html(feedback: Feedback) -> str:
    """The verdict in words and a symbol, the summary, and why for each choice."""
    colour = VERDICT_COLOURS[feedback.verdict]
    score = "" if feedback.correct is None else f" · score {round(100 * feedback.score)} %"
    out = [f'<div class="playbook-feedback" role="status" aria-live="polite">'
           f'<p style="font-size:1.1em;color:{colour}"><strong>{feedback.symbol} {esc(feedback.verdict)}</strong>{score}</p>']
    if feedback.summary:
        out.append(paragraphs(feedback.summary))
    if feedback.kind == "ordering":
        out.append("<p>The right order:</p><ol>")
        out += [f"<li>{'✔ in place' if n.chosen else '✘ misplaced'}: <strong>{esc(n.label)}</strong>: {esc(n.why)}</li>"
                for n in feedback.notes]
        out.append("</ol>")
    elif feedback.notes and feedback.kind != "reflection":
        out.append("<ul>")
        for note in feedback.notes:
            if not (note.chosen or note.right):
                continue
            mark = "✔ right answer" if note.right else "✘ your pick"
            if note.chosen and note.right:
                mark = "✔ your pick, right"
            out.append(f"<li><strong>{esc(note.label)}</strong> ({mark}): {esc(note.why)}</li>")
        others = [n for n in feedback.notes if not (n.chosen or n.right)]
        out.append("</ul>")
        if others:
            out.append("<details><summary>Why not the others</summary><ul>")
            out += [f"<li><strong>{esc(n.label)}</strong>: {esc(n.why)}</li>" for n in others]
            out.append("</ul></details>")
    if feedback.takeaway:
        out.append(f"<p><em>Takeaway:</em> {esc(feedback.takeaway)}</p>")
    out.append("</div>")
    return "".join(out)
