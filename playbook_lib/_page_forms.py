"""The participant page's answer forms: plain HTML inputs for each exercise kind, built on the server.

Every form is a ``<form class="pb-answer" data-shape="...">``; the page's script reads the answer from it by its
shape (``pick``, ``picks``, ``signal``, ``order`` or ``text``, see ``share/page/page.js``) and the kind grades it
as the widgets' answer (:mod:`playbook_lib.kinds`). Labels are escaped; options keep the learner's own order.
A kind without a form here (a kind a trainer's code registers) is served by the widget app
(``workshop serve --app voila``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._html import esc
from .content import Catalog
from .engine import NOT_A_SIGNAL, label_of
from .feedback import numbered_line
from .i18n import say, ui
from .models import ExerciseBase

REFLECTION_MAX = 4000  # characters a written answer may have on the page
Form = Callable[[Catalog, ExerciseBase, Sequence[str], str], str]


def _choices(name: str, kind: str, labels: dict[str, str], order: Sequence[str], legend: str, css: str = "",
             hidden: bool = False) -> str:
    """A fieldset of radio buttons or checkboxes (``kind``) named ``name``, one per id of ``order``; ``css`` adds
    classes, ``hidden`` keeps it out of sight until the page's script shows it."""
    rows = "".join(f'<label class="pb-option"><input type="{kind}" name="{name}" value="{esc(i)}">'
                   f"<span>{esc(labels[i])}</span></label>" for i in order)
    return (f'<fieldset class="pb-choices{" " + css if css else ""}"{" hidden" if hidden else ""}>'
            f"<legend>{esc(legend)}</legend>{rows}</fieldset>")


def _labels(catalog: Catalog, exercise: ExerciseBase, lang: str) -> dict[str, str]:
    return {c.id: label_of(catalog, exercise, c, lang) for c in exercise.choices}  # type: ignore[attr-defined]


def _form(shape: str, body: str) -> str:
    return f'<form class="pb-answer" data-shape="{shape}" novalidate>{body}</form>'


def pick_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """One option to pick (single-choice, technique-match)."""
    return _form("pick", _choices("pick", "radio", _labels(catalog, exercise, lang), order, ui("page.options", lang)))


def moment_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """The line after which to ask (best-moment): each line numbered, with its speaker."""
    labels = {line.id: numbered_line(n, line, lang) for n, line in enumerate(exercise.choices, start=1)}  # type: ignore[attr-defined]
    return _form("pick", _choices("pick", "radio", labels, order, ui("page.lines", lang)))


def picks_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """Every option that applies (multi-select)."""
    return _form("picks", _choices("pick", "checkbox", _labels(catalog, exercise, lang), order, ui("page.options", lang)))


def signal_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """Step one, signal or not; step two, which kind (shown once step one says yes)."""
    step_one = _choices("signal", "radio", {"signal": ui("signal.yes", lang), NOT_A_SIGNAL: ui("signal.no", lang)},
                        ("signal", NOT_A_SIGNAL), ui("page.step1", lang), css="pb-row")
    step_two = _choices("kind", "radio", _labels(catalog, exercise, lang), order, ui("page.step2", lang),
                        css="pb-step-two", hidden=True)
    return _form("signal", step_one + step_two)


def order_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """Items to move up and down, each with its own two buttons."""
    labels = _labels(catalog, exercise, lang)
    rows = []
    for i in order:
        text = esc(labels[i])
        up, down = esc(ui("page.move-up", lang, item=labels[i])), esc(ui("page.move-down", lang, item=labels[i]))
        rows.append(f'<li data-id="{esc(i)}"><span class="pb-item">{text}</span><span class="pb-moves">'
                    f'<button type="button" class="pb-up" aria-label="{up}" title="{up}">↑</button>'
                    f'<button type="button" class="pb-down" aria-label="{down}" title="{down}">↓</button></span></li>')
    return _form("order", f'<fieldset class="pb-choices"><legend>{esc(ui("order.pick", lang))}</legend>'
                          f'<ol class="pb-order">{"".join(rows)}</ol></fieldset>')


def text_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """A written answer, then the rubric to tick (reflection)."""
    box = (f'<label class="pb-text"><span>{esc(ui("page.your-answer", lang))}</span>'
           f'<textarea name="text" rows="5" maxlength="{REFLECTION_MAX}" '
           f'placeholder="{esc(ui("reflection.placeholder", lang))}"></textarea></label>')
    return _form("text", box + _choices("tick", "checkbox", _labels(catalog, exercise, lang), order,
                                        ui("reflection.tick", lang)))


def call_form(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """A whole call: the customer's lines one at a time, the replies as buttons; the reply that ends the call checks
    it. Every node is in the form (hidden until reached); what each reply earns and why stays on the server."""
    from ._call_html import customer_html

    call: Any = exercise
    rank = {reply_id: n for n, reply_id in enumerate(order)}
    endings = {ending.id for ending in call.endings}
    nodes = []
    for node in call.nodes:
        buttons = "".join(
            f'<button type="button" class="pb-reply" data-reply="{esc(r.id)}" data-next="{esc(r.next)}"'
            f'{" data-end" if r.next in endings else ""}>{esc(say(r.text, lang, tag=True))}</button>'
            for r in sorted(node.replies, key=lambda r: rank.get(r.id, 0)))
        nodes.append(f'<div class="pb-node" data-node="{esc(node.id)}" hidden>'
                     f'<div class="pb-bubble">{customer_html(call, node, lang)}</div>'
                     f'<div class="pb-choice"><p class="playbook-call-ask">{esc(ui("call.choose", lang))}</p>'
                     f'<div class="pb-replies">{buttons}</div></div></div>')
    return (f'<form class="pb-answer playbook-call" data-shape="call" data-start="{esc(call.start)}" '
            f'data-you="{esc(ui("call.you", lang))}" novalidate><div class="playbook-call-log"></div>{"".join(nodes)}</form>')


FORMS: dict[str, Form] = {"single-choice": pick_form, "technique-match": pick_form, "best-moment": moment_form,
                          "multi-select": picks_form, "signal-id": signal_form, "ordering": order_form,
                          "reflection": text_form, "call": call_form}
"""The page's form of each exercise kind it serves, by kind name."""


def form_html(catalog: Catalog, exercise: ExerciseBase, order: Sequence[str], lang: str) -> str:
    """The answer form of ``exercise`` (``KeyError`` for a kind the page does not serve)."""
    return FORMS[exercise.kind](catalog, exercise, order, lang)  # type: ignore[attr-defined]


def instruction(exercise: ExerciseBase, lang: str) -> str | None:
    """What to do, where the page's form differs from the widget's (an order is changed with each item's arrows)."""
    return ui("page.kind.ordering", lang) if exercise.kind == "ordering" else None  # type: ignore[attr-defined]


def served(exercise: Any) -> bool:
    """Whether the page has a form for ``exercise``'s kind (an exercise, or a kind's name)."""
    return (exercise if isinstance(exercise, str) else getattr(exercise, "kind", None)) in FORMS
