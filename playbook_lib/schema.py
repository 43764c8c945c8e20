"""The shape of one content file (item lists, and exercises of every registered kind) and its JSON Schema."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from .kinds import exercise_union
from .models import ITEM_MODELS, Barrier, Caution, Meta, Model, Moment, Section, Signal, Stage, Technique

Exercise = exercise_union()


class ContentFile(Model):
    """One content file: any mix of item lists and exercises."""

    meta: Meta | None = Field(None, description="Title and version (shipped data only).")
    sections: tuple[Section, ...] = ()
    barriers: tuple[Barrier, ...] = ()
    stages: tuple[Stage, ...] = ()
    signals: tuple[Signal, ...] = ()
    moments: tuple[Moment, ...] = ()
    techniques: tuple[Technique, ...] = ()
    cautions: tuple[Caution, ...] = ()
    exercises: tuple[Exercise, ...] = ()  # type: ignore[valid-type]

    @field_validator(*ITEM_MODELS, "exercises", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return () if value is None else value


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a content file, for editors that check YAML as you type."""
    schema = ContentFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Closing Playbook content file"
    return schema
