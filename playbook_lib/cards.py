"""HTML cards that present catalogue items in the notebooks; all text escaped, in the reader's language.

A Chinese reader sees Chinese only; an English reader sees the English name with the article's Chinese
term beside it (the word their Chinese colleagues use). The item's id is never in the visible text: it
is the card's ``data-item`` attribute and the tooltip of the exercise count, where a trainer finds it.
"""

from __future__ import annotations

from ._html import NO_MATH, bullets, esc, paragraphs
from .content import Catalog
from .i18n import DEFAULT_LANG, html_lang, is_chinese, say, ui
from .models import Barrier, Caution, Item, Moment, Section, Signal, Stage, Technique, Text


def _name(text: Text, lang: str) -> str:
    """The name in the reader's language; for an English reader, the article's Chinese term beside it."""
    main = esc(say(text, lang, tag=True))
    if is_chinese(lang) or not text.zh or not text.en:
        return main
    return f"{main} <span lang='{html_lang('zh-Hans')}' style='color:#555'>({esc(text.zh)})</span>"


def _box(inner: str, item_id: str, lang: str) -> str:
    return (f'<div class="playbook-card {NO_MATH}" lang="{html_lang(lang)}" data-item="{esc(item_id)}" '
            f'style="border-left:4px solid #1f5f99;padding:0.2em 1em;margin:0.5em 0">{inner}</div>')


def item_html(catalog: Catalog, item: Item, lang: str = DEFAULT_LANG) -> str:
    """An item as a card: name (with the other language's name), summary and the fields of its kind."""

    def s(text: Text | None) -> str:
        return say(text, lang, tag=True)

    def t(key: str, **values: object) -> str:
        return esc(ui(key, lang, **values))

    number = getattr(item, "number", None)
    prefix = f"{number}. " if number is not None and not isinstance(item, Section) else ""
    out = [f"<h3>{esc(prefix)}{_name(item.name, lang)}</h3>", paragraphs(s(item.summary))]
    if isinstance(item, Section):
        out.append(bullets(s(p) for p in item.key_points))
    elif isinstance(item, Barrier):
        for fact in item.facts:
            shown = fact.figure.replace(" %", "%") if fact.figure and is_chinese(lang) else fact.figure  # 70%, not 70 %
            figure = f"<strong>{esc(shown)}</strong> " if shown else ""
            source = f" <em>{t('card.source', source=s(fact.source))}</em>" if fact.source else ""
            out.append(f"<p>📌 {figure}{esc(s(fact.text))}{source}</p>")
        if item.story:
            out.append(f"<p><strong>{t('card.story')} {esc(s(item.story.title))}</strong></p>{paragraphs(s(item.story.text))}")
        out.append(f"<p><strong>{t('card.instead')}</strong> {esc(s(item.lesson))}</p>")
    elif isinstance(item, Stage):
        out.append(f"<p><strong>{t('card.opening')}</strong> {esc(s(item.opening))}</p>")
    elif isinstance(item, Signal):
        out.append(f"<p><em>{t(f'card.channel.{item.channel}')}</em></p>" + bullets(s(e) for e in item.examples))
        out.append(f"<p><strong>{t('card.then')}</strong> {esc(s(item.response))}</p>")
    elif isinstance(item, Moment):
        out.append(f"<p><strong>{t('card.how')}</strong> {esc(s(item.how))}</p>")
        if item.examples:
            out.append("<ul>" + "".join(
                f"<li>{esc(s(e.text))}" + (f"<br><em>{esc(s(e.note))}</em>" if e.note else "") + "</li>"
                for e in item.examples) + "</ul>")
    elif isinstance(item, Technique):
        if item.aka and not is_chinese(lang):
            out.append(f"<p><em>{t('card.aka')} {esc(', '.join(item.aka))}</em></p>")
        out.append(f"<p><strong>{t('card.gist')}</strong> {esc(s(item.gist))}</p>")
        out.append(f"<p><strong>{t('card.when')}</strong> {esc(s(item.when_to_use))}</p>")
        out.append(f"<p><strong>{t('card.steps')}</strong></p>" + bullets((s(step) for step in item.steps), ordered=True))
        out.append(f"<p><strong>{t('card.example')}</strong> <em>{esc(s(item.example.setting))}</em></p>")
        out.append("<div style='margin-left:1em'>" + "".join(
            f"<p><strong>{t('card.says', speaker=ui(f'speaker.{line.speaker}', lang))}</strong> {esc(s(line.text))}</p>"
            for line in item.example.lines)
            + "</div>")
        out.append(f"<p><strong>{t('card.pitfalls')}</strong></p>" + bullets(s(p) for p in item.pitfalls))
        use = item.honest_use
        out.append(f"<p><strong>{t('card.honest-use')} {t(f'risk.{use.risk}')}</strong></p>{paragraphs(s(use.note))}"
                   f"<p><strong>{t('card.honest-version')}</strong> {esc(s(use.honest_version))}</p>")
    elif isinstance(item, Caution):
        out.append(f"<p><strong>{t('card.why')}</strong> {esc(s(item.why))}</p>")
    count = len(catalog.about(item.id))
    exercises = t("card.exercise" if count == 1 else "card.exercises", n=count)
    out.append(f"<p style='color:#555;font-size:0.9em' title='{esc(item.id)}'>{exercises}</p>")
    return _box("".join(out), item.id, lang)


def weakest_html(catalog: Catalog, rows: list[tuple[str, float, int]], lang: str = DEFAULT_LANG) -> str:
    """A table of weak exercises: title, section, mean score and attempts."""
    if not rows:
        return f"<p>{esc(ui('weakest.none', lang))}</p>"
    body = ""
    for ex_id, score, count in rows:
        exercise = catalog.exercise(ex_id)
        section = catalog.item(catalog.section_of(exercise))
        body += (f"<tr><td>{esc(say(exercise.title, lang, tag=True))}</td><td>{esc(say(section.name, lang))}</td>"
                 f"<td class='num'>{round(100 * score)} %</td><td class='num'>{count}</td></tr>")
    head = "".join(f"<th{' class=num' if i > 1 else ''}>{esc(ui(k, lang))}</th>"
                   for i, k in enumerate(("weakest.exercise", "weakest.section", "weakest.mean", "weakest.tries")))
    style = ("<style>.playbook-weakest td,.playbook-weakest th{text-align:left;padding:0.15em 0.6em}"
             ".playbook-weakest .num{text-align:right}</style>")
    return (f"{style}<table class='playbook-weakest {NO_MATH}' lang='{html_lang(lang)}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")
