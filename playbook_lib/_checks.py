"""Checks that need the whole catalogue: references, answer keys, ``about``, coverage.

They run on every valid entry (a duplicate id does not hide its other problems) and, as far as
the raw text allows, on entries whose shape is wrong (their ``about`` ids, option ids and answer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import kinds
from ._reasons import did_you_mean, msg, suggest, with_suggestion
from ._yaml import LineDict, LineList
from .errors import Message
from .models import ExerciseBase, Item, Section

if TYPE_CHECKING:
    from .content import Builder, Catalog, Source

# the models' own answer-key reasons (English), as messages
_KEY_REASONS = (
    (re.compile(r"duplicate option id '(?P<id>.*)'$"), "key.duplicate-option"),
    (re.compile(r"'(?P<answer>.*)' is not one of the (?P<field>\w+) \((?P<ids>.*)\)$"), "key.not-a-choice"),
    (re.compile(r"'(?P<answer>.*)' is listed twice$"), "key.twice"),
    (re.compile(r"every option is right"), "key.all-right"),
    (re.compile(r"required when is_signal is true"), "key.signal-answer"),
    (re.compile(r"only for is_signal: false"), "key.not-signal-only"),
    (re.compile(r"leave out the answer when is_signal is false"), "key.no-answer"),
    (re.compile(r"required when is_signal is false"), "key.not-signal-missing"),
    (re.compile(r"required field is missing"), "field.missing"),
)


def check_catalog(builder: Builder, catalog: Catalog) -> None:
    """Add every cross-reference problem of the entries read to ``builder``."""
    add = builder.problems.append
    for model, source in builder.entries:
        if isinstance(model, ExerciseBase):
            for field_path, reason in exercise_problems(builder, catalog, model):
                add(source.problem(field_path, reason))
        elif not isinstance(model, Section):
            for reason in _ref(builder, catalog, model.section, "section"):  # type: ignore[attr-defined]
                add(source.problem("section", reason))
    for source, reported in builder.failed:
        for field_path, reason in _raw_problems(builder, catalog, source, reported):
            add(source.problem(field_path, reason))
    for item in catalog.items.values():
        if not catalog.about(item.id):
            add(catalog.problem(item.id, "id", msg("coverage", kind=msg(f"noun.{item.kind}"), id=item.id)))


def _ref(builder: Builder, catalog: Catalog, ref: str, kind: str | None = None) -> Iterator[Message]:
    if ref in builder.broken_ids:
        return
    target = catalog.items.get(ref)
    if target is None:
        candidates = {key: item for key, item in catalog.items.items() if kind is None or item.kind == kind}
        yield did_you_mean(msg("ref.unknown", id=ref), suggest_item(ref, candidates))
    elif kind is not None and target.kind != kind:
        yield msg("ref.wrong-kind", id=ref, found=msg(f"noun.{target.kind}"), wanted=msg(f"noun.{kind}"))


_COMMON_WORDS = frozenset("the and for not nothing like with that this what when your from have about just more some "
                          "than then they them very will into over only".split())


def suggest_item(ref: str, items: dict[str, Item]) -> str | None:
    """The item a trainer most likely meant by the unknown id ``ref``, or ``None``.

    Ids share long prefixes (``signal.verbal.``), so the whole id is a poor guide: first the last part is
    compared with the last parts of its siblings (a typo), then its words are looked for in the siblings'
    English names, other names and summaries ("cycle" is the recruiting cycle of ``delivery-time``), and
    only then is the whole id compared, for a prefix that is itself wrong.
    """
    prefix, _, last = ref.rpartition(".")
    siblings = {key.rpartition(".")[2]: key for key in items if key.rpartition(".")[0] == prefix}
    close = suggest(last, siblings)
    if close:
        return siblings[close]
    words = [w for w in re.split(r"[-_]", last.lower()) if len(w) >= 3 and w not in _COMMON_WORDS]
    starts = [re.compile(rf"\b{re.escape(w)}") for w in words]
    scores: dict[str, int] = {}  # siblings that mention every word, by how often
    for key in siblings.values():
        item = items[key]
        text = " ".join([item.name.en or "", item.summary.en or "", *getattr(item, "aka", ())]).lower()
        if starts and all(start.search(text) for start in starts):
            scores[key] = sum(len(start.findall(text)) for start in starts)
    best = sorted(scores.items(), key=lambda pair: -pair[1])
    if best and (len(best) == 1 or best[0][1] > best[1][1]):
        return best[0][0]
    return suggest(ref, [key for key in items if key.rpartition(".")[0] != prefix], cutoff=0.8)


def _key_reason(reason: str, ids: list[str]) -> Message:
    for pattern, key in _KEY_REASONS:
        match = pattern.search(reason)
        if match:
            values = match.groupdict()
            if key == "key.not-a-choice":
                values["field"] = msg(f"field.{values['field']}")
                return with_suggestion(msg(key, **values), values["answer"], ids)
            return msg(key, **values)
    return msg("other", detail=reason)


def exercise_problems(builder: Builder, catalog: Catalog, ex: ExerciseBase) -> Iterator[tuple[str, Message]]:
    """(field, reason) for every reference and answer-key problem of one exercise."""
    for index, ref in enumerate(ex.about):
        for reason in _ref(builder, catalog, ref):
            yield f"about[{index}]", reason
    ids = [c.id for c in ex.choices]
    for field_path, reason in ex.key_problems():
        yield field_path, _key_reason(reason, ids)
    kind = kinds.find(getattr(ex, "kind", ""))
    if kind is not None:  # the kind's own references (option ids, a call's methods and signals) and checks
        for field_path, ref, wanted in kind.refs(ex):
            for reason in _ref(builder, catalog, ref, wanted):
                yield field_path, reason
        yield from kind.check(ex, catalog)


def _raw_problems(builder: Builder, catalog: Catalog, source: Source,
                  reported: set[tuple[Any, ...]]) -> Iterator[tuple[str, Message]]:
    """The references of an entry whose shape is wrong, where the raw text is clear enough to check."""
    entry = source.raw
    if not isinstance(entry, LineDict) or source.loc[0] != "exercises":
        return
    about = entry.get("about")
    if isinstance(about, LineList) and ("about",) not in reported:
        for index, ref in enumerate(about):
            if isinstance(ref, str) and ("about", index) not in reported:
                for reason in _ref(builder, catalog, ref):
                    yield f"about[{index}]", reason
    kind = kinds.find(str(entry.get("kind")))
    choice_field = kind.choice_field if kind else "options"
    choices = entry.get(choice_field)
    if not isinstance(choices, LineList) or (choice_field,) in reported:
        return
    ids = [c.get("id") if isinstance(c, LineDict) else None for c in choices]
    wanted = kind.option_refs if kind else None
    for index, cid in enumerate(ids):
        if wanted and isinstance(cid, str) and (choice_field, index, "id") not in reported:
            for reason in _ref(builder, catalog, cid, wanted):
                yield f"options[{index}].id", reason
    answer = entry.get("answer")
    if isinstance(answer, str) and ("answer",) not in reported and all(isinstance(c, str) for c in ids) \
            and answer not in ids:
        reason = msg("key.not-a-choice", answer=answer, field=msg(f"field.{choice_field}"), ids=", ".join(sorted(ids)))  # type: ignore[arg-type]
        yield "answer", with_suggestion(reason, answer, ids)  # type: ignore[arg-type]
