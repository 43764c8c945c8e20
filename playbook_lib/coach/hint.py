"""A hint beside the rubric of a reflection exercise, where the rep writes their own trial close: which
method the line resembles, whether it actually asks for the order, and wording to avoid. A hint, never a grade.

The reflection view calls :func:`hint_panel` (a button and the hint) or :func:`trial_close_hint` directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import rules
from .corpus import rep_lines

if TYPE_CHECKING:
    from ..content import Catalog
    from .embed import Embedder

SIMILAR_ENOUGH = 0.5  # cosine similarity to the nearest example lines below which no method is named
METHOD_CUES: dict[str, dict[str, str]] = {
    "technique.alternative-choice-close": {
        "en": r"\bor (the )?(\w+ ){0,3}(one|plan|option|proposal)\b|which (one |plan |option |proposal )?(suits|do you|would you)"
              r"|first or (the )?second|would you rather",
        "zh": r"还是.{0,12}[？?]|哪个更合适|选哪个|选第一个还是|第一个还是第二个"},
    "technique.conditional-close": {
        "en": r"\bif (i|we) (can )?(add|include|get|write|give)\b.{0,60}(will|would|can) you|on condition that|as long as "
              r"(you|the contract)|if you sign (it )?(today|this week|this month)",
        "zh": r"如果我能.{0,30}(您|你).{0,10}(签|定)|只要(您|合同).{0,20}(签|回来)|(您|你)(今天|这周|这个月)签的话"},
    "technique.takeaway-close": {
        "en": r"(manager|director|boss)'?s? (approval|approve|agree)|needs? (my )?(manager|director)|if (i get it|it'?s|she|he) "
              r"approv|special approval|exception",
        "zh": r"经理批|总监|特批|申请下来|批下来的话|批不批"},
    "technique.concession-close": {
        "en": r"\d+ ?(percent|%) off|apply for .{0,20}(off|discount)|one extra|take \w+ off|that'?s (truly )?the limit",
        "zh": r"八折|九折|打折|申请.{0,6}折|多送|减一百|底线"},
    "technique.social-proof": {
        "en": r"(factory|company|chain|clients?|firms?|schools?) .{0,40}(like yours|your size|in your (trade|industry))|"
              r"(already|also) (use|work with) us|happy to (talk|take a call)",
        "zh": r"(跟|和)(您|你)(规模)?差不多|同行|已经有.{0,10}在用|愿意跟您聊"},
    "technique.rational-close": {
        "en": r"run the numbers|cost per hire|let'?s (compare|work it out)|cheaper and|makes more sense|covers both",
        "zh": r"算一笔账|成本算|更划算|最划算|分析一下"},
    "technique.elimination-close": {
        "en": r"narrow (it|them) down|rule (them|it) out|set (them|it) aside|that leaves|of the (\w+) options",
        "zh": r"缩小|排除|剩下两个|去掉"},
    "technique.counter-question-close": {
        "en": r"how did you (judge|decide|work)|what (price|figure) would|what would need to change|why do you (say|feel)",
        "zh": r"怎么判断|什么价格才算合理|您觉得多少|为什么这么说|要有什么变化"},
    "technique.balance-sheet-close": {
        "en": r"pros and cons|for and against|benefits outweigh|on the yes side|reasons for",
        "zh": r"利弊|利大于弊|好处和顾虑|支持.{0,6}反对"},
    "technique.order-form-close": {
        "en": r"here'?s the (contract|agreement|order form)|fill in|sign here|filled in|two pages",
        "zh": r"合同在这|填一下|填好了|签个字|在这里签|一起把订单"},
    "technique.summary-close": {
        "en": r"sum up|to pull it together|so you get|let me (sum|pull)|in short",
        "zh": r"总结一下|归纳一下|这样您|汇总"},
    "technique.humble-plea": {
        "en": r"your advice|point out where|what'?s holding you back|handled something badly",
        "zh": r"指点|哪里做得不好|实话告诉我|您的意见"},
    "technique.sympathy-close": {
        "en": r"i concede|before i go|what could i have done better|haven'?t managed to",
        "zh": r"认输|走之前|哪里可以做得更好|没能说服"},
    "technique.benefit-inducement": {
        "en": r"kickback|for you personally|red envelope|a little something", "zh": r"回扣|个人的?好处|红包|好处费"},
}


@dataclass(frozen=True)
class Hint:
    """What the coach notices about a rep's own line."""

    text: str
    method: str | None
    asks: bool
    pressure: tuple[str, ...]
    by: str | None = None  # "words" (a method's tell-tale wording) or "similar" (close to the method's examples)


def cue_method(text: str) -> str | None:
    """The method whose tell-tale wording the line uses most, or None."""
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
    counts = {tid: len(re.findall(cues[lang], text, re.I)) for tid, cues in METHOD_CUES.items()}
    best = max(counts, key=lambda t: counts[t])
    return best if counts[best] else None


_MEMO: dict[tuple[int, str, str], Any] = {}


def _method_examples(catalog: Catalog) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(texts, technique ids): the rep's lines of each technique's example dialogue and the method rep lines."""
    texts: list[str] = []
    ids: list[str] = []
    for item in catalog.of_kind("technique"):
        for line in item.example.lines:  # type: ignore[attr-defined]
            if line.speaker == "rep":
                for lang in ("en", "zh"):
                    if getattr(line.text, lang):
                        texts.append(getattr(line.text, lang))
                        ids.append(item.id)
    for entry in rep_lines():
        if entry.get("method"):
            for lang in ("en", "zh"):
                texts.append(str(entry[lang]))
                ids.append(str(entry["method"]))
    return tuple(texts), tuple(ids)


def _example_vectors(catalog: Catalog, embedder: Embedder) -> np.ndarray:
    key = (id(catalog), catalog.version, embedder.backend)
    if key not in _MEMO:
        _MEMO[key] = embedder.embed(list(_method_examples(catalog)[0]))
    return _MEMO[key]


def similar_method(text: str, catalog: Catalog, embedder: Embedder, exclude: tuple[str, ...] = ()) -> str | None:
    """The method whose example lines the text is closest to (majority of the three nearest), if close enough."""
    texts, ids = _method_examples(catalog)
    sims = _example_vectors(catalog, embedder) @ embedder.embed([text])[0]
    order = [i for i in np.argsort(-sims) if texts[i] not in exclude][:3]
    if not order or sims[order[0]] < SIMILAR_ENOUGH:
        return None
    votes: dict[str, float] = {}
    for i in order:
        votes[ids[i]] = votes.get(ids[i], 0) + float(sims[i])
    return max(votes, key=lambda t: votes[t])


def trial_close_hint(text: str, catalog: Catalog, embedder: Embedder | None = None) -> Hint:
    """The hint on a rep's own line (the embedding model is used only for a line that asks for the order in no
    method's tell-tale wording)."""
    from .analysis import simplified
    from .embed import shared

    line = simplified(" ".join(text.split()))
    asks = rules.asks_for_order(line)
    method, by = cue_method(line), "words"
    if method is None and asks:  # similarity is a weak guide (43 % right held out): only for a line that asks
        method, by = similar_method(line, catalog, embedder or shared()), "similar"
    return Hint(text, method, asks, rules.pressure(line), by if method else None)


def hint_html(hint: Hint, catalog: Catalog, lang: str) -> str:
    """The hint as a short HTML note, in ``lang``."""
    from .._html import NO_MATH, esc
    from ..i18n import say, ui

    if hint.method:
        said = [ui("coach.hint.resembles", lang, method=say(catalog.item(hint.method).name, lang))]
    else:
        said = [ui("coach.hint.no-method", lang)]
    said.append(ui("coach.hint.asks" if hint.asks else "coach.hint.no-ask", lang))
    said += [ui(f"coach.hint.{kind}", lang) for kind in hint.pressure]
    items = "".join(f"<li>{esc(s)}</li>" for s in said)
    return (f'<div class="coach-hint {NO_MATH}" role="note" style="border-left:4px solid #1f4e79;padding:.2em .7em">'
            f"<strong>{esc(ui('coach.hint.title', lang))}</strong><ul style='margin:.2em 0'>{items}</ul></div>")


def hint_panel(text: Any, catalog: Catalog, lang: str) -> Any:
    """A "Coach's hint" button and the hint under it, for a reflection view; ``text`` is its Textarea."""
    import ipywidgets as widgets

    from .._html import esc
    from ..i18n import ui

    out = widgets.HTML("")
    button = widgets.Button(description=ui("coach.hint.button", lang), icon="lightbulb-o",
                            layout=widgets.Layout(width="auto"))

    def show(_: object = None) -> None:
        value = str(text.value).strip()
        if not value:
            out.value = f"<p>{esc(ui('coach.hint.empty', lang))}</p>"
            return
        out.value = hint_html(trial_close_hint(value, catalog), catalog, lang)

    button.on_click(show)
    box = widgets.VBox([button, out])
    box.show_hint = show  # type: ignore[attr-defined]  # for tests and scripts: the same as clicking
    return box
