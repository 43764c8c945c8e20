"""Plain words for validation errors: pydantic's error records become language-neutral messages.

Each reason is a :class:`~playbook_lib.errors.Message` (a key of ``data/i18n/ui/validate.yaml``
plus values), so ``playbook validate --lang zh-Hans`` can print it in Chinese.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from .errors import Message
from .models import EXERCISE_ID, ITEM_ID, LOCAL_ID

# What a list field holds, for "needs at least 3 options, found 2"
_WHAT = {"options": "options", "lines": "lines", "items": "items", "rubric": "rubric", "about": "ids", "answer": "ids",
         "examples": "examples", "steps": "steps", "pitfalls": "pitfalls", "key_points": "entries", "tags": "entries"}
_TEXT_MODELS = ("Text", "Name")
_VALUE_ERRORS = {
    "a yes/no word was read as true/false; put the text in quotes": "text.yes-no",
    "give the text in English (en:), Chinese (zh:) or both": "text.no-language",
}


def msg(key: str, /, **values: Any) -> Message:
    """The message ``validate.KEY`` with its values."""
    return Message(f"validate.{key}", tuple(values.items()))


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The candidate closest to ``word`` (a likely typo), or ``None``."""
    import difflib

    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(message: Message, suggestion: str | None) -> Message:
    """``message``, followed by "did you mean ``suggestion``?" when there is one."""
    return msg("did-you-mean", reason=message, suggestion=suggestion) if suggestion else message


def with_suggestion(message: Message, word: str, candidates: Iterable[str]) -> Message:
    """``message``, followed by "did you mean ...?" when a candidate is close to ``word``."""
    return did_you_mean(message, suggest(word, candidates))


def found(value: Any) -> Message:
    """What was found instead, in words: nothing, true/false, the number 5, the text 'x', a list, a mapping."""
    if value is None:
        return msg("found.nothing")
    if isinstance(value, bool):
        return msg("found.bool", value=str(value).lower())
    if isinstance(value, int | float):
        return msg("found.number", value=value)
    if isinstance(value, str):
        return msg("found.text", value=value if len(value) <= 40 else value[:37] + "...")
    return msg("found.list" if isinstance(value, list | tuple) else "found.mapping")


def _models_in(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            yield from _models_in(arg)


def model_at(model: type[BaseModel] | None, loc: Iterable[Any]) -> type[BaseModel] | None:
    """The model that holds the field at the end of ``loc`` (``None`` when it cannot be told)."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        model = next(iter(_models_in(info.annotation)), None) if info else None
    return model


def _id_rule(pattern: str) -> str:
    return {EXERCISE_ID: "id.exercise", LOCAL_ID: "id.local", ITEM_ID: "id.item"}.get(pattern, "id.choice")


def explain(error: Mapping[str, Any], model: type[BaseModel] | None, loc: tuple[Any, ...]) -> Message:
    """The reason for one pydantic error at ``loc`` (relative to ``model``), in plain words."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "missing":
        return msg("field.missing")
    if kind == "extra_forbidden":
        return _unknown_field(str(loc[-1]) if loc else "", model_at(model, loc[:-1]))
    if kind == "union_tag_invalid":
        kinds = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        return with_suggestion(msg("kind.unknown", kind=ctx.get("tag"), kinds=", ".join(kinds)), str(ctx.get("tag")), kinds)
    if kind == "union_tag_not_found":
        return msg("kind.missing")
    if kind == "string_pattern_mismatch":
        return msg(_id_rule(str(ctx.get("pattern", ""))), value=value)
    if kind in ("too_short", "string_too_short"):
        if ctx.get("field_type") in ("Tuple", "List"):
            return msg("list.too-short", min=ctx["min_length"], what=msg(f"what.{_WHAT.get(name, 'entries')}"),
                       found=ctx["actual_length"])
        return msg("text.empty")
    if kind == "too_long":
        return msg("list.too-long", max=ctx["max_length"], what=msg(f"what.{_WHAT.get(name, 'entries')}"),
                   found=ctx["actual_length"])
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return msg("type.text" if ctx.get("class_name") in _TEXT_MODELS else "type.mapping", found=found(value))
    if kind in ("string_type", "string_unicode"):
        return msg("type.text", found=found(value))
    if kind in ("int_type", "int_parsing", "int_parsing_size", "int_from_float"):
        return msg("type.whole-number", found=found(value))
    if kind in ("bool_type", "bool_parsing"):
        return msg("type.bool", found=found(value))
    if kind in ("tuple_type", "list_type", "iterable_type"):
        return msg("type.list", found=found(value))
    if kind in ("greater_than_equal", "greater_than"):
        return msg("number.at-least", limit=ctx.get("ge", ctx.get("gt")), value=value)
    if kind in ("less_than_equal", "less_than"):
        return msg("number.at-most", limit=ctx.get("le", ctx.get("lt")), value=value)
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return with_suggestion(msg("choice.unknown", value=value, choices=", ".join(choices)), str(value), choices)
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        return msg(_VALUE_ERRORS[text]) if text in _VALUE_ERRORS else msg("other", detail=text)
    return msg("other", detail=str(error["msg"]))


def _unknown_field(field: str, parent: type[BaseModel] | None) -> Message:
    if " " in field:
        return msg("field.comma", braces="{...}")
    if parent is not None and parent.__name__ in _TEXT_MODELS:
        return msg("field.language", value=field)
    fields = list(parent.model_fields) if parent is not None else []
    close = suggest(field, fields)
    return msg("field.unknown-suggest", suggestion=close) if close else msg("field.unknown")
