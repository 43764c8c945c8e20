"""Results for learning systems: one xAPI 1.0.3 statement per recorded attempt, and the rules they must meet.

A statement says *who* (the learner, as an account: no e-mail address), *did what* (``answered``), *to what*
(the exercise, as an Activity with its name and description in English and Chinese), *how it went* (score,
success, response, duration) and *where* (the workshop as the registration, the section as the parent
activity). Identifiers are stable: the same attempt always gives the same statement id, so sending twice
is harmless, and a workshop's code always gives the same registration UUID.

IRIs start from a base that names this workbook's site: ``PLAYBOOK_XAPI_BASE`` (for example the hub's
address), else ``https://closing-playbook.invalid/`` (a reserved name: set your own before sending to a
company's Learning Record Store). Sending is in :mod:`playbook_lib.lrs`.

The models below follow the xAPI 1.0.3 statement rules (Data, section 2.4) for the parts this workbook
writes, and refuse anything else: unknown properties, relative IRIs, malformed language tags, UUIDs,
timestamps or durations, scores out of range, an agent with no or several identifiers.
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .content import Catalog
from .engine import NOT_A_SIGNAL
from .records import Attempt

XAPI_VERSION = "1.0.3"
BASE_ENV = "PLAYBOOK_XAPI_BASE"
DEFAULT_BASE = "https://closing-playbook.invalid/"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/closing-playbook/xapi")
"""The namespace of every UUID derived here (statement ids from attempt uids, registrations from codes)."""
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
LESSON = "http://adlnet.gov/expapi/activities/lesson"
MEETING = "http://adlnet.gov/expapi/activities/meeting"
PLATFORM = "Closing Playbook"
LANG_TAGS = {"en": "en-US", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}
CONTEXT_LANG = {"en": "en", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}

# --- the rules' building blocks ------------------------------------------------------------------

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_IRL = re.compile(r"^https?://[^\s/?#<>\"]+[^\s<>\"]*$")
_LANG = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
                   r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(?:-[A-WY-Za-wy-z\d](?:-[A-Za-z\d]{2,8})+)*"
                   r"(?:-x(?:-[A-Za-z\d]{1,8})+)?$|^x(?:-[A-Za-z\d]{1,8})+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
_DURATION = re.compile(r"^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?"
                       r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$")
_VERSION = re.compile(r"^1\.0(\.\d+)?$")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")


def _matching(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"not {what}: {value[:80]!r}")
        return value
    return AfterValidator(check)


def _timestamp(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: {value[:40]!r}") from None
    if moment.tzinfo is None:
        raise ValueError("a timestamp needs its time zone (Z or +hh:mm)")
    return value


def _language_map(value: dict[str, str]) -> dict[str, str]:
    bad = [key for key in value if not _LANG.match(key)]
    if bad:
        raise ValueError(f"not RFC 5646 language tags: {', '.join(map(repr, bad))}")
    return value


def _extensions(value: dict[str, Any]) -> dict[str, Any]:
    bad = [key for key in value if not _IRI.match(key)]
    if bad:
        raise ValueError(f"extension keys must be IRIs: {', '.join(map(repr, bad))}")
    return value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


IRI = Annotated[str, _matching(_IRI, "an absolute IRI")]
IRL = Annotated[str, _matching(_IRL, "an http(s) IRL")]
UUID = Annotated[str, _matching(_UUID, "an RFC 4122 UUID")]
LanguageMap = Annotated[dict[str, Annotated[str, Field(min_length=1)]], AfterValidator(_language_map)]
Extensions = Annotated[dict[str, Any], AfterValidator(_extensions)]
Timestamp = Annotated[str, AfterValidator(_timestamp)]
Duration = Annotated[str, _matching(_DURATION, "an ISO 8601 duration")]


class Model(BaseModel):
    """Strict: a property the specification does not define is refused, as an LRS must."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Account(Model):
    homePage: IRL
    name: str = Field(min_length=1)


class Agent(Model):
    """The learner; identified by exactly one of mbox, mbox_sha1sum, openid or account."""

    objectType: Literal["Agent"] | None = None
    name: str | None = None
    mbox: Annotated[str, _matching(re.compile(r"^mailto:[^@\s]+@[^@\s]+$"), "a mailto: IRI")] | None = None
    mbox_sha1sum: Annotated[str, _matching(_SHA1, "a SHA-1 hex digest")] | None = None
    openid: IRI | None = None
    account: Account | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> Agent:
        found = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if getattr(self, k) is not None]
        if len(found) != 1:
            raise ValueError(f"an Agent has exactly one identifier (mbox, mbox_sha1sum, openid or account); found "
                             f"{', '.join(found) or 'none'}")
        return self


class Verb(Model):
    id: IRI
    display: LanguageMap | None = None


class InteractionComponent(Model):
    id: str = Field(min_length=1, pattern=r"^\S+$")
    description: LanguageMap | None = None


INTERACTION_TYPES = ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
                     "likert", "numeric", "other")
_COMPONENT_LISTS = {"choices": ("choice", "sequencing"), "scale": ("likert",), "source": ("matching",),
                    "target": ("matching",), "steps": ("performance",)}


class ActivityDefinition(Model):
    name: LanguageMap | None = None
    description: LanguageMap | None = None
    type: IRI | None = None
    moreInfo: IRL | None = None
    interactionType: Literal[INTERACTION_TYPES] | None = None  # type: ignore[valid-type]
    correctResponsesPattern: list[str] | None = None
    choices: list[InteractionComponent] | None = None
    scale: list[InteractionComponent] | None = None
    source: list[InteractionComponent] | None = None
    target: list[InteractionComponent] | None = None
    steps: list[InteractionComponent] | None = None
    extensions: Extensions | None = None

    @model_validator(mode="after")
    def _interaction_rules(self) -> ActivityDefinition:
        if self.interactionType is None and self.correctResponsesPattern is not None:
            raise ValueError("correctResponsesPattern needs an interactionType")
        for name, types in _COMPONENT_LISTS.items():
            components = getattr(self, name)
            if components is None:
                continue
            if self.interactionType not in types:
                raise ValueError(f"{name} belongs to interaction types {', '.join(types)} only")
            ids = [c.id for c in components]
            if len(set(ids)) != len(ids):
                raise ValueError(f"{name}: interaction component ids must be unique")
        return self


class Activity(Model):
    objectType: Literal["Activity"] | None = None
    id: IRI
    definition: ActivityDefinition | None = None


class Score(Model):
    scaled: float | None = Field(None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Score:
        if any(v is not None and not math.isfinite(v) for v in (self.scaled, self.raw, self.min, self.max)):
            raise ValueError("scores are finite numbers")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("score min must be less than max")
        if self.raw is not None and ((self.min is not None and self.raw < self.min)
                                     or (self.max is not None and self.raw > self.max)):
            raise ValueError("score raw must lie between min and max")
        return self


class Result(Model):
    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: Duration | None = None
    extensions: Extensions | None = None


ActivityList = Annotated[list[Activity], BeforeValidator(_as_list)]


class ContextActivities(Model):
    parent: ActivityList | None = None
    grouping: ActivityList | None = None
    category: ActivityList | None = None
    other: ActivityList | None = None


class Context(Model):
    registration: UUID | None = None
    instructor: Agent | None = None
    contextActivities: ContextActivities | None = None
    revision: str | None = None
    platform: str | None = None
    language: Annotated[str, _matching(_LANG, "an RFC 5646 language tag")] | None = None
    extensions: Extensions | None = None


class Statement(Model):
    id: UUID | None = None
    actor: Agent
    verb: Verb
    object: Activity
    result: Result | None = None
    context: Context | None = None
    timestamp: Timestamp | None = None
    version: Annotated[str, _matching(_VERSION, "an xAPI 1.0.x version")] | None = None

    def data(self) -> dict[str, Any]:
        """The statement as JSON data, without the properties left out."""
        return self.model_dump(exclude_none=True)


def problems(statement: Any) -> list[str]:
    """What makes ``statement`` (JSON data) break the xAPI 1.0.3 statement rules: ``[]`` when it keeps them."""
    try:
        Statement.model_validate(statement)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in error['loc']) or 'statement'}: {error['msg']}" for error in exc.errors()]
    return []


# --- statements from attempts ----------------------------------------------------------------------


def base_iri(base: str | None = None) -> str:
    """The site's base IRI, ending in ``/``."""
    value = base or os.environ.get(BASE_ENV) or DEFAULT_BASE
    return value if value.endswith("/") else value + "/"


def registration(code: str) -> str:
    """The registration UUID of a workshop: the same for the same code, every time."""
    return str(uuid.uuid5(NAMESPACE, f"workshop:{code.upper()}"))


def statement_id(attempt: Attempt) -> str:
    """The statement id of an attempt: the same for the same attempt, so sending twice is harmless."""
    return str(uuid.uuid5(NAMESPACE, f"attempt:{attempt.uid}"))


def _languages(text: Any) -> dict[str, str] | None:
    """A Text as an xAPI language map: en-US, and zh-CN with zh-TW when there is Chinese."""
    if text is None:
        return None
    from .i18n import script

    out = {}
    if text.en:
        out["en-US"] = text.en
    if text.zh:
        out["zh-CN"] = script(text.zh, "zh-Hans")
        out["zh-TW"] = script(text.zh, "zh-Hant")
    return out or None


def _ids(value: Any) -> str:
    if isinstance(value, dict):  # a signal: not a signal, or which kind
        return str(value.get("kind")) if value.get("signal") else NOT_A_SIGNAL
    if isinstance(value, list):
        return "[,]".join(str(v) for v in value)
    return str(value)


def _interaction_of(kind: str) -> str:
    """The xAPI interaction type of a kind's answers (declared by the kind; ``other`` for an unknown one)."""
    from . import kinds

    found = kinds.find(kind)
    return found.interaction if found else "other"



def _response(kind: str, answer: Any) -> str:
    """The learner's answer in the format of the interaction type (ids joined with ``[,]``, or the text)."""
    interaction = _interaction_of(kind)
    if interaction == "long-fill-in":
        return str(answer.get("text", "")) if isinstance(answer, dict) else str(answer)
    if interaction == "other":
        return json.dumps(answer, ensure_ascii=False)
    return _ids(answer)


def duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration, to the hundredth (``PT1M5.25S``)."""
    hundredths = round(max(seconds, 0) * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs = f"{rest // 100}" + (f".{rest % 100:02d}".rstrip("0") if rest % 100 else "")
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def _activity(base: str, kind: str, key: str, type_: str, name: Any = None, description: Any = None) -> Activity:
    definition = ActivityDefinition(name=_languages(name), description=_languages(description), type=type_)
    return Activity(objectType="Activity", id=f"{base}{kind}/{key}", definition=definition)


def _exercise(base: str, catalog: Catalog | None, attempt: Attempt) -> Activity:
    exercise = catalog.exercise(attempt.exercise_id) if catalog and catalog.has_exercise(attempt.exercise_id) else None
    interaction = _interaction_of(attempt.kind)
    pattern = None
    if attempt.expected is not None and interaction in ("choice", "sequencing"):
        pattern = [_ids(attempt.expected)]
    definition = ActivityDefinition(
        name=_languages(exercise.title) if exercise else {"en-US": attempt.exercise_id},
        description=_languages(exercise.prompt) if exercise else None,
        type=INTERACTION, interactionType=interaction, correctResponsesPattern=pattern)
    return Activity(objectType="Activity", id=f"{base}exercises/{attempt.exercise_id}", definition=definition)


def _aware(moment: datetime) -> datetime:
    """A time with its zone (a naive time from an old results file is taken as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def statement(attempt: Attempt, catalog: Catalog | None = None, base: str | None = None) -> Statement:
    """The xAPI statement of one attempt."""
    base = base_iri(base)
    code = attempt.session if attempt.mode == "workshop" and attempt.session else None
    home = f"{base}workshops/{code}" if code else base
    section = catalog.items.get(attempt.section) if catalog else None
    parent = _activity(base, "sections", attempt.section.removeprefix("section."), LESSON,
                       section.name if section else None)
    score = Score(scaled=round(attempt.score, 4), raw=round(attempt.score, 4), min=0, max=1)
    result = Result(score=score, success=attempt.correct, completion=True, response=_response(attempt.kind, attempt.answer),
                    duration=duration(attempt.seconds) if attempt.seconds is not None else None,
                    extensions={f"{base}extensions/answer": attempt.answer})
    grouping = [Activity(objectType="Activity", id=home, definition=ActivityDefinition(type=MEETING))] if code else None
    extensions = {f"{base}extensions/mode": attempt.mode, f"{base}extensions/attempt": attempt.uid}
    if attempt.participant:
        extensions[f"{base}extensions/participant"] = attempt.participant
    context = Context(registration=registration(code) if code else None,
                      contextActivities=ContextActivities(parent=[parent], grouping=grouping),
                      revision=attempt.content_version or None, platform=PLATFORM,
                      language=CONTEXT_LANG.get(attempt.lang, "en"), extensions=extensions)
    return Statement(id=statement_id(attempt), actor=Agent(objectType="Agent", name=attempt.learner,
                                                           account=Account(homePage=home, name=attempt.learner)),
                     verb=Verb(id=ANSWERED, display={"en-US": "answered", "zh-CN": "作答"}),
                     object=_exercise(base, catalog, attempt), result=result, context=context,
                     timestamp=_aware(attempt.answered_at).isoformat(), version=XAPI_VERSION)


def statements(attempts: Iterable[Attempt], catalog: Catalog | None = None, base: str | None = None) -> Iterator[dict]:
    """Each attempt's statement, as JSON data."""
    for attempt in attempts:
        yield statement(attempt, catalog, base).data()


def write_statements(data: list[dict[str, Any]], out: Any) -> None:
    """Statements as one JSON list (what an LRS takes in one POST)."""
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
