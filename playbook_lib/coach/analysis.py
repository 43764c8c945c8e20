"""Coach a call: each customer turn classified, the moments to ask found, and the methods that fit.

The three moments follow the article: right after the customer shows a buying signal, right after an
objection is resolved (the customer answers the rep's reply without a new objection or stall), and right
after the rep presents a proposal. A moment is taken when the rep's next turn (or, for a proposal, the same
turn) asks for the order.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from . import rules
from .corpus import coach_file
from .model import Classifier, Prediction, features
from .transcript import Transcript, Turn

if TYPE_CHECKING:
    from ..content import Catalog
    from .embed import Embedder

RULE_CONFIDENCE = 0.9  # what a stage-direction rule reports; benchmarks/coach.py measures the rules
MAX_METHODS = 3
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class LineResult:
    """One turn as the coach sees it (``signal``/``kind`` are None for the rep's turns and for unsure lines)."""

    speaker: str
    text: str
    signal: bool | None
    kind: str | None
    confidence: float | None
    role: str = "customer"
    unsure: bool = False
    not_signal: str | None = None
    kind_confidence: float | None = None
    source: str | None = None  # model or rule (customer turns)
    asks: bool | None = None  # rep turns: asks for the order
    proposal: bool | None = None  # rep turns: presents a proposal
    start: str | None = None  # subtitle time


@dataclass(frozen=True)
class Moment:
    """A moment to ask for the order, and whether the rep took it."""

    type: str  # after-signal, after-key-objection or after-proposal
    line: int  # the turn (0-based) after which to ask
    asked: bool
    ask_line: int | None
    item: str  # the moment or signal item it teaches
    kind: str | None = None  # the signal kind, when a signal opened it


@dataclass(frozen=True)
class Method:
    """A closing method that fits what the customer said, with where to read and practise it."""

    id: str
    name: str
    why: str
    lines: tuple[int, ...]
    card: str
    drill: str


@dataclass(frozen=True)
class Report:
    """The coach's report on one call."""

    lines: tuple[LineResult, ...]
    moments: tuple[Moment, ...]
    methods: tuple[Method, ...]
    customer: tuple[str, ...]
    lang: str = "en"
    names: dict[str, str] = field(default_factory=dict, compare=False)  # signal kind -> its name in ``lang``

    @property
    def missed(self) -> tuple[Moment, ...]:
        """The moments the rep let pass."""
        return tuple(m for m in self.moments if not m.asked)

    @property
    def missed_kinds(self) -> tuple[str, ...]:
        """The signal kinds after which the rep did not ask, in order of first miss."""
        return tuple(dict.fromkeys(m.kind for m in self.missed if m.kind))

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape: lines, moments, methods (plus the customer's speaker)."""
        return {"lines": [asdict(line) for line in self.lines], "moments": [asdict(m) for m in self.moments],
                "methods": [{**asdict(m), "lines": list(m.lines)} for m in self.methods],
                "customer": list(self.customer)}

    def _repr_html_(self) -> str:
        from .report import report_html

        return report_html(self)


@cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Chinese in simplified characters (the model and rules are written in them); other text unchanged."""
    return _to_simplified().convert(text) if _CJK.search(text) else text


def _from_directions(turn: Turn) -> str | None:
    kinds = [rules.direction_kind(simplified(d)) for d in turn.directions]
    for wanted in (rules.ACTION, rules.EXPRESSION, "not"):
        if wanted in kinds:
            return wanted
    return None


def classify_customer(turn: Turn, prediction: Prediction | None) -> LineResult:
    """Combine the model (on the whole turn) with the stage-direction rules: words decide when they are a
    signal, an objection or a stall; otherwise what was seen decides."""
    seen = _from_directions(turn) if turn.directions else None
    base = {"speaker": turn.speaker, "text": turn.text, "start": turn.start}
    model_says = prediction is not None and prediction.signal is not None
    words_decide = prediction is not None and turn.speech and (
        prediction.signal is True or prediction.not_signal in ("objection", "stall"))
    if seen in (rules.ACTION, rules.EXPRESSION) and not (words_decide and model_says):
        return LineResult(**base, signal=True, kind=seen, confidence=RULE_CONFIDENCE, kind_confidence=RULE_CONFIDENCE,
                          source="rule")
    if seen == "not" and not (prediction is not None and prediction.signal is True and turn.speech):
        not_kind = prediction.not_signal if prediction is not None and prediction.not_signal else "stall"
        return LineResult(**base, signal=False, kind=None, confidence=RULE_CONFIDENCE, not_signal=not_kind,
                          source="rule")
    assert prediction is not None
    return LineResult(**base, signal=prediction.signal, kind=prediction.kind, confidence=prediction.confidence,
                      unsure=prediction.signal is None, not_signal=prediction.not_signal,
                      kind_confidence=prediction.kind_confidence, source="model")


def _rep_line(turn: Turn) -> LineResult:
    text = simplified(turn.text)
    return LineResult(turn.speaker, turn.text, None, None, None, role="rep", asks=rules.asks_for_order(text),
                      proposal=rules.presents_proposal(text), start=turn.start)


def _next_rep(lines: tuple[LineResult, ...], after: int) -> int | None:
    return next((i for i in range(after + 1, len(lines)) if lines[i].role == "rep"), None)


def find_moments(lines: tuple[LineResult, ...]) -> tuple[Moment, ...]:
    """The moments to ask in a classified call, and whether the rep asked.

    A signal that answers the rep's ask (a yes) opens no new moment, nor does one the transcript ends on.
    """
    moments: list[Moment] = []
    objection: int | None = None
    for i, line in enumerate(lines):
        if line.role == "rep":
            if line.proposal and not (moments and moments[-1].type == "after-proposal" and moments[-1].ask_line is None
                                      and _next_rep(lines, moments[-1].line) == i):
                follow = _next_rep(lines, i)
                ask = i if line.asks else (follow if follow is not None and lines[follow].asks else None)
                moments.append(Moment("after-proposal", i, ask is not None, ask, "moment.after-proposal"))
            continue
        if line.signal is None:
            continue
        nxt = _next_rep(lines, i)
        customer_follows = i + 1 < len(lines) and lines[i + 1].role == "customer" and lines[i + 1].signal is not None
        asked = nxt is not None and lines[nxt].asks is True
        before = next((j for j in range(i - 1, -1, -1) if lines[j].role == "rep"), None)
        answers_ask = before is not None and lines[before].asks is True and line.signal is True
        resolved = objection is not None and (line.signal or line.not_signal == "reply")
        if line.not_signal in ("objection", "stall"):
            objection = i if line.not_signal == "objection" else objection
            continue
        if resolved:
            objection = None
            if nxt is None:
                continue
            moments.append(Moment("after-key-objection", i, bool(asked), nxt if asked else None,
                                  "moment.after-key-objection", line.kind))
        elif line.signal and not customer_follows and not answers_ask and nxt is not None:
            moments.append(Moment("after-signal", i, bool(asked), nxt if asked else None, line.kind or "section.timing",
                                  line.kind))
    return tuple(moments)


@cache
def _method_table() -> dict[str, Any]:
    return dict(coach_file("methods.yaml").get("methods") or {})


def suggest_methods(lines: tuple[LineResult, ...], catalog: Catalog, lang: str) -> tuple[Method, ...]:
    """The closing methods that fit the customer's confident lines, best first (at most three)."""
    from ..i18n import say
    from ..models import Text

    scores: dict[str, float] = {}
    why: dict[str, str] = {}
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.role != "customer" or line.signal is None:
            continue
        key = line.kind if line.signal else line.not_signal
        text = simplified(line.text).lower()
        rank = 0
        for entry in _method_table().get(key or "", ()):
            words = entry.get("words")
            if words and not any(str(w).lower() in text for w in words):
                continue
            weight = (line.confidence or 0.5) / (rank + 1)
            rank += 1
            tid = str(entry["id"])
            if tid not in catalog.items:
                continue
            if weight > scores.get(tid, 0):
                why[tid] = say(Text(**entry["why"]), lang)
            scores[tid] = scores.get(tid, 0) + weight
            where.setdefault(tid, []).append(i)
    best = sorted(scores, key=lambda t: -scores[t])[:MAX_METHODS]
    return tuple(Method(t, say(catalog.item(t).name, lang), why[t], tuple(dict.fromkeys(where[t])),
                        f'wb.show("{t}")', f'wb.drill(about="{t}")') for t in best)


def analyse(transcript: Transcript, catalog: Catalog, model: Classifier, embedder: Embedder,
            lang: str = "en") -> Report:
    """The coach's report on a parsed transcript."""
    customer_turns = [t for t in transcript.turns if t.is_customer]
    texts = [simplified(t.text) for t in customer_turns]
    predictions: dict[int, Prediction] = {}
    if texts:
        probs = model.proba(features(embedder, texts))
        predictions = {id(t): model.decide(row) for t, row in zip(customer_turns, probs, strict=True)}
    lines = tuple(classify_customer(t, predictions.get(id(t))) if t.is_customer else _rep_line(t)
                  for t in transcript.turns)
    from ..i18n import say

    names = {item.id: say(item.name, lang) for item in catalog.of_kind("signal")}
    return Report(lines, find_moments(lines), suggest_methods(lines, catalog, lang), transcript.customer, lang, names)
