"""HTML cards that present catalogue items in the notebooks; all text escaped."""

from __future__ import annotations

from ._html import bullets, esc, paragraphs
from .content import Catalog
from .models import Barrier, Caution, Item, Moment, Section, Signal, Stage, Technique, Text

RISK_WORDS = {
    "low": "✔ low risk: honest when the facts are true",
    "medium": "◐ medium risk: easy to tip into pressure",
    "high": "⚠ high risk: manipulation if any part is invented",
    "prohibited": "⛔ prohibited: recognise it and refuse",
}


def _name(text: Text) -> str:
    return esc(text.en) + (f" <span style='color:#666'>({esc(text.zh)})</span>" if text.zh else "")


def _box(inner: str) -> str:
    return (f'<div class="playbook-card" style="border-left:4px solid #1f5f99;padding:0.2em 1em;margin:0.5em 0">'
            f"{inner}</div>")


def item_html(catalog: Catalog, item: Item) -> str:
    """An item as a card: name (English and Chinese), summary and the fields of its kind."""
    number = getattr(item, "number", None)
    prefix = f"{number}. " if number is not None and not isinstance(item, Section) else ""
    out = [f"<h4>{esc(prefix)}{_name(item.name)}</h4>", paragraphs(item.summary)]
    if isinstance(item, Section):
        out.append(bullets(item.key_points))
    elif isinstance(item, Barrier):
        for fact in item.facts:
            figure = f"<strong>{esc(fact.figure)}</strong> " if fact.figure else ""
            source = f" <em>({esc(fact.source)})</em>" if fact.source else ""
            out.append(f"<p>📌 {figure}{esc(fact.text)}{source}</p>")
        if item.story:
            out.append(f"<p><strong>Story: {esc(item.story.title)}</strong></p>{paragraphs(item.story.text)}")
        out.append(f"<p><strong>Instead:</strong> {esc(item.lesson)}</p>")
    elif isinstance(item, Stage):
        out.append(f"<p><strong>Closing opening:</strong> {esc(item.opening)}</p>")
    elif isinstance(item, Signal):
        out.append(f"<p><em>{esc(item.channel)} signal</em></p>" + bullets(item.examples))
        out.append(f"<p><strong>Then:</strong> {esc(item.response)}</p>")
    elif isinstance(item, Moment):
        out.append(f"<p><strong>How:</strong> {esc(item.how)}</p>")
        if item.examples:
            out.append("<ul>" + "".join(
                f"<li>{esc(e.text)}" + (f"<br><em>{esc(e.note)}</em>" if e.note else "") + "</li>"
                for e in item.examples) + "</ul>")
    elif isinstance(item, Technique):
        if item.aka:
            out.append(f"<p><em>Also called: {esc(', '.join(item.aka))}</em></p>")
        out.append(f"<p><strong>Gist:</strong> {esc(item.gist)}</p>")
        out.append(f"<p><strong>When to use:</strong> {esc(item.when_to_use)}</p>")
        out.append("<p><strong>Steps</strong></p>" + bullets(item.steps, ordered=True))
        out.append(f"<p><strong>Example</strong>: <em>{esc(item.example.setting)}</em></p>")
        out.append("<div style='margin-left:1em'>" + "".join(
            f"<p><strong>{esc(line.speaker.capitalize())}:</strong> {esc(line.text)}</p>" for line in item.example.lines)
            + "</div>")
        out.append("<p><strong>Pitfalls</strong></p>" + bullets(item.pitfalls))
        use = item.honest_use
        out.append(f"<p><strong>Honest use: {esc(RISK_WORDS[use.risk])}</strong></p>{paragraphs(use.note)}"
                   f"<p><strong>The honest version:</strong> {esc(use.honest_version)}</p>")
    elif isinstance(item, Caution):
        out.append(f"<p><strong>Why it matters:</strong> {esc(item.why)}</p>")
    count = len(catalog.about(item.id))
    out.append(f"<p style='color:#666;font-size:0.9em'>{esc(item.id)} · {count} exercises</p>")
    return _box("".join(out))


def weakest_html(catalog: Catalog, rows: list[tuple[str, float, int]]) -> str:
    """A table of weak exercises: title, section, mean score and attempts."""
    if not rows:
        return "<p>No weak spots yet: answer some exercises first, or everything you answered was right.</p>"
    body = ""
    for ex_id, score, count in rows:
        exercise = catalog.exercise(ex_id)
        body += (f"<tr><td>{esc(exercise.title)}</td><td>{esc(catalog.item(catalog.section_of(exercise)).title)}</td>"
                 f"<td style='text-align:right'>{round(100 * score)} %</td><td style='text-align:right'>{count}</td></tr>")
    return ("<table><thead><tr><th>Exercise</th><th>Section</th><th>Mean score</th><th>Tries</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")
