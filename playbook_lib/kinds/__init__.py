"""Exercise kinds, registered by name: each kind has one home, ``playbook_lib/kinds/<kind>.py``.

A kind's module declares its content model (a subclass of :class:`~playbook_lib.models.ExerciseBase`
with ``kind: Literal["<name>"]``) and one :class:`Kind` that says everything else about it:

============================  ==========================================================
``grade``                     an answer in, :class:`~playbook_lib.feedback.Feedback` out
``order``                     how choices are shown: ``shuffle`` (per learner, stable), ``keep``
                              (file order), ``never-solved`` (shuffled even for authors, never in order)
``fast_seconds``              review timing: right within this is Easy, right after
``slow_seconds``              ``slow_seconds`` is Hard (rules in :mod:`playbook_lib.review`)
``demo_answer``               a plausible answer by a learner of some skill, for demo records
``refs`` / ``check``          catalogue checks the model's shape cannot make (file:line problems)
``template``                  ``templates/<name>.yaml`` (English) and ``templates/zh/<name>.yaml``
``label_key`` / ``name_key``  interface strings: the instruction under a prompt, the kind's short name
``notes``                     how feedback lists the choices: ``picks``, ``order``, ``path`` or ``none``
``interaction``               the xAPI interaction type of its answers
``in_drills``                 ``False`` for a kind that takes minutes (a whole call): drills pick it only
                              when asked for by kind or by id
============================  ==========================================================

The view is registered the same way on the widget side (:func:`playbook_lib.widgets.register_view`).
The built-in kinds are loaded, in :data:`BUILTIN` order, when this package is first imported; the
content models are built from the kinds registered by then.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Union

from ..errors import Message, PlaybookError

if TYPE_CHECKING:
    from ..content import Catalog
    from ..feedback import Feedback
    from ..models import ExerciseBase

BUILTIN: tuple[str, ...] = ("single_choice", "multi_select", "signal_id", "best_moment", "technique_match", "ordering",
                            "reflection", "call")
ORDERS = ("shuffle", "keep", "never-solved")


class Kind:
    """Everything one exercise kind declares; subclass it in the kind's module and :func:`register` an instance."""

    name: ClassVar[str]
    model: ClassVar[type[ExerciseBase]]
    order: ClassVar[str] = "shuffle"
    fast_seconds: ClassVar[float] = 10.0
    slow_seconds: ClassVar[float] = 45.0
    template: ClassVar[bool] = True
    notes: ClassVar[str] = "picks"
    interaction: ClassVar[str] = "choice"
    choice_field: ClassVar[str] = "options"
    option_refs: ClassVar[str | None] = None  # the catalogue kind option ids name (signal, technique)
    in_drills: ClassVar[bool] = True  # picked by drills that do not ask for a kind

    @property
    def label_key(self) -> str:
        """The interface string shown under the prompt (what to do)."""
        return f"kind.{self.name}"

    @property
    def name_key(self) -> str:
        """The interface string of the kind's short name (drill pickers, charts)."""
        return f"kind-name.{self.name}"

    def grade(self, catalog: Catalog, exercise: Any, answer: Any, lang: str) -> Feedback:
        """Grade ``answer``, explaining in ``lang``; ``AnswerError`` if its shape does not fit."""
        raise NotImplementedError

    def demo_answer(self, exercise: Any, rng: random.Random, knows: bool) -> Any:
        """A plausible answer: the right one when the learner ``knows`` it, else one drawn with ``rng``."""
        raise NotImplementedError

    def refs(self, exercise: Any) -> Iterator[tuple[str, str, str | None]]:
        """Catalogue ids the exercise names besides ``about``: (field, id, wanted item kind or ``None``)."""
        if self.option_refs:
            for index, option in enumerate(exercise.choices):
                yield f"{self.choice_field}[{index}].id", option.id, self.option_refs

    def check(self, exercise: Any, catalog: Catalog) -> Iterator[tuple[str, Message]]:
        """Problems only the whole catalogue shows, as (field, reason); none by default."""
        return iter(())


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` to the registry under its name (a second kind of the same name is an error)."""
    if kind.name in _KINDS:
        raise PlaybookError(f"an exercise kind named {kind.name!r} is already registered")
    if kind.order not in ORDERS:
        raise PlaybookError(f"{kind.name}: order must be one of {', '.join(ORDERS)}")
    _KINDS[kind.name] = kind
    return kind


def names() -> tuple[str, ...]:
    """Every registered kind's name, in registration order."""
    return tuple(_KINDS)


def find(name: str) -> Kind | None:
    """The kind named ``name``, or ``None``."""
    return _KINDS.get(name)


def get(name: str) -> Kind:
    """The kind named ``name``; ``PlaybookError`` naming the kinds there are."""
    try:
        return _KINDS[name]
    except KeyError:
        raise PlaybookError(f"no exercise kind {name!r}; choose from {', '.join(_KINDS)}") from None


def of(exercise: ExerciseBase) -> Kind:
    """The kind of ``exercise``."""
    return get(exercise.kind)  # type: ignore[attr-defined]


def kind_name(name: str, lang: str) -> str:
    """A kind's short name in ``lang`` (the name itself for a kind that is not registered)."""
    from ..i18n import ui

    found = _KINDS.get(name)
    return ui(found.name_key, lang) if found else name


def all_kinds() -> tuple[Kind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_KINDS.values())


@cache
def exercise_union() -> Any:
    """The content model of an exercise: the registered kinds' models, told apart by ``kind``."""
    from pydantic import Field

    models = tuple(kind.model for kind in _KINDS.values())
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007 - built from a tuple


for _module in BUILTIN:
    import_module(f".{_module}", __name__)
