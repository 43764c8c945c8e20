"""Typed, frozen models of everything in the content files.

Each model documents its fields; ``playbook schema`` exports them as a JSON Schema
(:mod:`playbook_lib.schema`). Shape rules live here; rules that need the whole catalogue
(references, answer keys against options) are in :mod:`playbook_lib.content`. Each exercise
kind's own model lives with its kind in :mod:`playbook_lib.kinds` and is importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ITEM_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$"
LOCAL_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"

ItemId = Annotated[str, Field(pattern=ITEM_ID, description="A catalogue id such as technique.summary-close.")]
EXERCISE_ID = r"^ex(\.[a-z0-9]+(-[a-z0-9]+)*)+$"
ExerciseId = Annotated[str, Field(pattern=EXERCISE_ID, description="An exercise id: ex. followed by words.")]
LocalId = Annotated[str, Field(pattern=LOCAL_ID, description="A short id inside one exercise: a, b, l3, too-early.")]
ChoiceId = Annotated[
    str, Field(pattern=f"({LOCAL_ID})|({ITEM_ID})", description="A short id, or a catalogue id in signal-id and technique-match.")
]


class Model(BaseModel):
    """Base of every content model: frozen, and unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Text(Model):
    """Text in English, Chinese (written in simplified characters) or both; a plain string means English."""

    en: str | None = Field(None, min_length=1, description="English text.")
    zh: str | None = Field(None, min_length=1, description="Chinese text, in simplified characters.")

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a yes/no word was read as true/false; put the text in quotes")
        if isinstance(value, str):
            return {"en": value}
        return value

    @model_validator(mode="after")
    def _one_language_at_least(self) -> Text:
        if self.en is None and self.zh is None:
            raise ValueError("give the text in English (en:), Chinese (zh:) or both")
        return self

    def __str__(self) -> str:
        return self.en if self.en is not None else str(self.zh)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "string", "description": "English text"}, schema]}


class Name(Text):
    """A name that must be given in English and Chinese."""

    en: str = Field(min_length=1, description="English name (required).")
    zh: str = Field(min_length=1, description="Chinese name (required).")

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return handler.resolve_ref_schema(handler(core_schema))


class Item(Model):
    """Common fields of every catalogue item."""

    KIND: ClassVar[str] = "item"
    id: ItemId = Field(description="Stable id, unique across all files.")
    name: Text = Field(description="Display name.")
    summary: Text = Field(description="Two or three sentences on what it is.")

    @property
    def kind(self) -> str:
        """The catalogue kind: section, barrier, stage, signal, technique, moment or caution."""
        return self.KIND

    @property
    def title(self) -> str:
        """Display name (English where there is one)."""
        return str(self.name)


class Section(Item):
    """A part of the article, taught by one notebook or part of one."""

    KIND: ClassVar[str] = "section"
    name: Name = Field(description="Name in English and Chinese.")
    number: int = Field(ge=0, le=9, description="Order in the workbook.")
    key_points: tuple[Text, ...] = Field(default=(), description="Facts to remember.")

    @property
    def section(self) -> str:
        """A section belongs to itself."""
        return self.id


class SectionItem(Item):
    """An item that belongs to a section."""

    section: ItemId = Field(description="Id of the section it belongs to.")


class Fact(Model):
    """A fact or figure with its source."""

    figure: str | None = Field(None, description="The figure, such as 70 %.")
    text: Text = Field(description="The fact in a sentence.")
    source: Text | None = Field(None, description="Where the fact comes from.")


class Story(Model):
    """A short story that makes a point."""

    title: Text = Field(description="A few words.")
    text: Text = Field(description="The story, retold.")


class Barrier(SectionItem):
    """A mindset barrier that keeps reps from asking for the order."""

    KIND: ClassVar[str] = "barrier"
    number: int = Field(ge=1, description="Order in the article.")
    facts: tuple[Fact, ...] = Field(default=(), description="Facts and figures.")
    story: Story | None = Field(None, description="The article's story, retold.")
    lesson: Text = Field(description="What to do instead.")


class Stage(SectionItem):
    """A stage of the customer's buying psychology."""

    KIND: ClassVar[str] = "stage"
    number: int = Field(ge=1, description="Position in the buying sequence.")
    opening: Text = Field(description="How this stage can open a closing moment.")


class Signal(SectionItem):
    """A kind of buying signal."""

    KIND: ClassVar[str] = "signal"
    name: Name = Field(description="Name in English and Chinese.")
    channel: Literal["verbal", "action", "expression"] = Field(description="How the signal shows.")
    examples: tuple[Text, ...] = Field(min_length=1, description="What it sounds or looks like.")
    response: Text = Field(description="What the rep does next.")


class Example(Model):
    """A sample line with an honest-use note."""

    text: Text = Field(description="The line.")
    note: Text | None = Field(None, description="When it is fair and when it is not.")


class Moment(SectionItem):
    """A closing moment: one to create, or one of the best moments to ask."""

    KIND: ClassVar[str] = "moment"
    how: Text = Field(description="How to use the moment.")
    examples: tuple[Example, ...] = Field(default=(), description="Sample lines.")


class DialogueLine(Model):
    """One line of a dialogue."""

    speaker: Literal["rep", "customer"] = Field(description="Who speaks.")
    text: Text = Field(description="What is said.")


class Dialogue(Model):
    """A short example dialogue."""

    setting: Text = Field(description="Who, which trade, which channel.")
    lines: tuple[DialogueLine, ...] = Field(min_length=2, description="The lines in order.")


class HonestUse(Model):
    """When a method stays honest and when it turns into manipulation."""

    risk: Literal["low", "medium", "high", "prohibited"] = Field(description="Risk of misuse.")
    note: Text = Field(description="Which lines become manipulation if untrue.")
    honest_version: Text = Field(description="What to say instead.")


class Technique(SectionItem):
    """One of the closing methods."""

    KIND: ClassVar[str] = "technique"
    name: Name = Field(description="Name in English and Chinese.")
    number: int = Field(ge=1, description="Number in the article.")
    aka: tuple[str, ...] = Field(default=(), description="Other common English names.")
    gist: Text = Field(description="The method in a few sentences.")
    when_to_use: Text = Field(description="The situation it fits.")
    steps: tuple[Text, ...] = Field(min_length=1, description="Steps in order.")
    example: Dialogue = Field(description="An example dialogue.")
    pitfalls: tuple[Text, ...] = Field(min_length=1, description="What goes wrong.")
    honest_use: HonestUse = Field(description="Honest-use note with a risk level.")


class Caution(SectionItem):
    """A contract or collection caution, cause or rule."""

    KIND: ClassVar[str] = "caution"
    group: Literal["contract", "collection-cause", "collection-rule"] = Field(description="Which list it belongs to.")
    number: int = Field(ge=1, description="Order within its group.")
    why: Text = Field(description="What goes wrong without it.")


class Meta(Model):
    """Title and version of the shipped content."""

    title: Text = Field(description="Title of the workbook.")
    version: str = Field(pattern=r"^[0-9A-Za-z.\-]+$", description="Content version, recorded with every answer.")


# --- exercises -------------------------------------------------------------


class Situation(Model):
    """Who the customer is and how the rep meets them."""

    customer: Text | None = Field(None, description="A named customer and role.")
    trade: Text | None = Field(None, description="What is being sold.")
    channel: Literal["phone", "visit", "wechat", "chat", "email", "video"] | None = Field(None, description="How they talk.")
    context: Text | None = Field(None, description="What happened before.")


class Option(Model):
    """An answer option, with why it is right or wrong."""

    id: ChoiceId = Field(description="Short id, or a catalogue id in signal-id and technique-match.")
    text: Text | None = Field(None, description="What the learner sees (may be left out for catalogue ids).")
    why: Text = Field(description="One or two sentences on why it is right or wrong.")


class RubricItem(Model):
    """A rubric point the learner ticks for their own answer."""

    id: LocalId = Field(description="Short id.")
    text: Text = Field(description="The point to check.")


class ExerciseBase(Model):
    """Fields every exercise has."""

    id: ExerciseId = Field(description="Unique id starting with ex.")
    title: Text = Field(description="Short title for lists and summaries.")
    about: tuple[ItemId, ...] = Field(min_length=1, description="Ids of the items this exercise practises.")
    situation: Situation | None = Field(None, description="Customer, trade, channel and context.")
    prompt: Text = Field(description="The question, the customer's line or the behaviour observed.")
    difficulty: int = Field(1, ge=1, le=3, description="1 easy, 2 medium, 3 hard.")
    tags: tuple[Annotated[str, Field(pattern=LOCAL_ID)], ...] = Field(default=(), description="Words for drills.")
    takeaway: Text | None = Field(None, description="One sentence shown after answering.")

    @property
    def choices(self) -> tuple[Any, ...]:
        """What the learner chooses from (options, lines or items)."""
        return getattr(self, "options", ())

    def key_problems(self) -> Iterator[tuple[str, str]]:
        """Answer-key problems as (field, reason); none for a sound exercise."""
        ids = [c.id for c in self.choices]
        for index, cid in enumerate(ids):
            if cid in ids[:index]:
                yield f"{self._choice_field}[{index}].id", f"duplicate option id '{cid}'"
        yield from self._answer_problems(set(ids))

    _choice_field: ClassVar[str] = "options"

    def _answer_problems(self, ids: set[str]) -> Iterator[tuple[str, str]]:
        answer = getattr(self, "answer", None)
        if isinstance(answer, str) and answer not in ids:
            yield "answer", f"'{answer}' is not one of the {self._choice_field} ({', '.join(sorted(ids))})"


class _TextOptions:
    """Mixin: options must carry text."""

    def key_problems(self) -> Iterator[tuple[str, str]]:
        yield from super().key_problems()  # type: ignore[misc]
        for index, option in enumerate(self.options):  # type: ignore[attr-defined]
            if option.text is None:
                yield f"options[{index}].text", "required field is missing"


ITEM_MODELS: dict[str, type[Item]] = {
    "sections": Section,
    "barriers": Barrier,
    "stages": Stage,
    "signals": Signal,
    "moments": Moment,
    "techniques": Technique,
    "cautions": Caution,
}


# --- the exercise kinds -----------------------------------------------------

# Each kind's model is declared in its home, playbook_lib/kinds/<kind>.py, which builds on the models above;
# these names stay importable from here, and are loaded on first use.
_KIND_MODELS = {"SingleChoice": "single_choice", "MultiSelect": "multi_select", "SignalId": "signal_id",
                "BestMoment": "best_moment", "Line": "best_moment", "TechniqueMatch": "technique_match",
                "Ordering": "ordering", "OrderItem": "ordering", "Reflection": "reflection", "Call": "call"}

if TYPE_CHECKING:
    from .kinds.best_moment import BestMoment as BestMoment
    from .kinds.best_moment import Line as Line
    from .kinds.call import Call as Call
    from .kinds.multi_select import MultiSelect as MultiSelect
    from .kinds.ordering import Ordering as Ordering
    from .kinds.ordering import OrderItem as OrderItem
    from .kinds.reflection import Reflection as Reflection
    from .kinds.signal_id import SignalId as SignalId
    from .kinds.single_choice import SingleChoice as SingleChoice
    from .kinds.technique_match import TechniqueMatch as TechniqueMatch
    from .schema import ContentFile as ContentFile
    from .schema import json_schema as json_schema

    Exercise: Any
    EXERCISE_KINDS: tuple[str, ...]


def __getattr__(name: str) -> Any:
    """The kinds' models, ``Exercise`` (their union), ``EXERCISE_KINDS``, ``ContentFile`` and ``json_schema``."""
    from importlib import import_module

    if name in _KIND_MODELS:
        return getattr(import_module(f".kinds.{_KIND_MODELS[name]}", __package__), name)
    if name == "Exercise":
        return import_module(".kinds", __package__).exercise_union()
    if name == "EXERCISE_KINDS":
        return import_module(".kinds", __package__).names()
    if name in ("ContentFile", "json_schema"):
        return getattr(import_module(".schema", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
