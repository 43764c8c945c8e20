"""The facade notebooks use: the catalogue, grading, drills, views and charts, on a content-free session.

:class:`Workbook` is a :class:`~playbook_lib.session.Session` (learner, language, mode, joining, recording) with
the catalogue added; the trainer's side (workshops, the class dashboard, checking and previewing a trainer's
files) is grouped under :attr:`Workbook.trainer`, e.g. ``wb.trainer.dashboard()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import Catalog, content_paths, load_catalog, validate_paths
from .engine import DrillItem, Feedback, build_drill, choice_order, grade
from .errors import ContentError, PlaybookError
from .i18n import ui
from .models import ExerciseBase
from .records import Attempt, Participant, Placement, Workshop, normalise_code
from .session import DEFAULT_LEARNER, Session, Trainer, _utc_now, remembered_lang, remembered_learner
from .store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .review import CardState
    from .widgets import DrillView, ExerciseView

__all__ = ["DEFAULT_LEARNER", "Line", "Workbook", "WorkbookTrainer", "remembered_lang", "remembered_learner"]

_TRAINER_CALLS = {"open_workshop": "open_workshop", "workshop_panel": "panel", "dashboard": "dashboard",
                  "validate": "validate", "preview": "preview", "template": "template"}
"""Trainer calls of earlier notebooks (``wb.dashboard()``) and what they are now under ``wb.trainer``."""


class Line(str):
    """A line of text that a notebook shows as a paragraph, not as a quoted string."""

    def _repr_html_(self) -> str:
        from ._html import plain

        return f"<p>{plain(self)}</p>"


class Workbook(Session):
    """One learner's workbook: the catalogue, the practice record and the views."""

    def __init__(self, catalog: Catalog, store: Store, learner: str | None = None, *, session: str | None = None,
                 mode: str = "practice", content: Iterable[Path | str] = (),
                 clock: Callable[[], datetime] = _utc_now, lang: str | None = None, remember: bool = True) -> None:
        super().__init__(store, learner, session=session, mode=mode, clock=clock, lang=lang, remember=remember)
        self.catalog = catalog
        self.content = tuple(Path(p) for p in content)

    @classmethod
    def open(cls, home: Path | str | None = None, learner: str | None = None, *,  # type: ignore[override]
             content: Iterable[Path | str] = (), **options: Any) -> Workbook:
        """Load the content (shipped, ``PLAYBOOK_CONTENT`` and ``content``) and open the learner's record.

        ``lang`` is ``en``, ``zh-Hans`` or ``zh-Hant``; without it, ``PLAYBOOK_LANG``, the learner's
        remembered choice or the system locale decides. The other options are those of :class:`Session`.
        """
        catalog = load_catalog(content_paths(content))
        return cls(catalog, Store.open(home), learner, content=content, **options)

    @property
    def trainer(self) -> WorkbookTrainer:
        """The trainer's side: ``wb.trainer.open_workshop(...)``, ``panel()``, ``dashboard()``, ``validate(path)``,
        ``preview(path)``, ``template(kind)``."""
        return WorkbookTrainer(self)

    def __getattr__(self, name: str) -> Any:
        if name in _TRAINER_CALLS:  # the one-line trainer calls of earlier notebooks keep working
            return getattr(self.trainer, _TRAINER_CALLS[name])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def t(self, key: str, **values: Any) -> str:
        """An interface string in the workbook's language."""
        return ui(key, self.lang, **values)

    def name_form(self) -> Any:
        """A small form to give (or change) the learner's name and language; both are remembered."""
        from .widgets import NameForm

        return NameForm(self.learner if self.learner_known else "", self.set_learner, self.lang, self.set_language)

    # -- answering --
    def answer(self, exercise_id: str, answer: Any, seconds: float | None = None, mode: str | None = None) -> Feedback:
        """Grade an answer and record it; the one path every view and command uses."""
        exercise = self.catalog.exercise(exercise_id)
        feedback = grade(self.catalog, exercise, answer, self.lang)
        self.record(feedback, Placement.of(self.catalog, exercise), seconds, mode)
        return feedback

    # -- workshops --
    def join_form(self, offline: bool = False, resume: bool = False) -> Any:
        """A form to join a workshop with its code and your name (``offline`` and ``resume``: see :meth:`join`)."""
        from .widgets import JoinForm

        def join(code: str, name: str) -> Participant:
            return self.join(code, name, offline=offline, resume=resume)

        return JoinForm(self.learner if self.learner_known else "", join, self.lang)

    def workshop_items(self) -> tuple[str, tuple[DrillItem, ...]]:
        """(title, items) of the drill the trainer set for the joined workshop (ten mixed items if none was set), in
        this participant's order: the same for the widget app and the participant page."""
        if self.workshop is None:
            raise PlaybookError("join a workshop first (wb.join(code, name))")
        spec = {k: v for k, v in self.workshop.drill.items() if k != "lang"} or {"n": 10}
        spec.setdefault("seed", sum(map(ord, self.workshop.code)))
        n, seed = spec.pop("n", 10), spec.pop("seed")
        return self.workshop.title, build_drill(self.catalog, n=n, seed=seed, learner=self.learner, **spec)

    def workshop_scores(self) -> dict[str, float]:
        """This participant's first score on each item of the joined workshop (the drill continues after them)."""
        done: dict[str, float] = {}  # oldest attempt first
        for attempt in self.store.attempts(session=self.session):
            if attempt.participant == self.participant:
                done.setdefault(attempt.exercise_id, attempt.score)
        return done

    def workshop_drill(self) -> DrillView:
        """The drill the trainer set for the joined workshop, continuing after the items already answered."""
        from .widgets import DrillView

        title, items = self.workshop_items()
        view = DrillView(items, self.catalog, self._submitter("workshop"), title=title, lang=self.lang)
        view.resume(self.workshop_scores())
        return view

    def workshop_app(self) -> Any:
        """Join, do the session's drill, see your own score: the participant app in one widget."""
        from .widgets import WorkshopApp

        return WorkshopApp(self.join_form(resume=True), self.workshop_drill)

    # -- spaced review --
    def due(self, n: int | None = None) -> list[CardState]:
        """This learner's review cards due now, the longest overdue first."""
        cards = self.store.cards(self.learner, due_before=self.clock(), limit=None)
        known = [c for c in cards if self.catalog.has_exercise(c.exercise_id)]
        return known if n is None else known[:n]

    def review(self, n: int = 10, seed: int | None = None) -> DrillView:
        """Today's review: a drill of up to ``n`` cards due now, oldest first; answers are recorded as reviews."""
        from .widgets import DrillView

        ids = [card.exercise_id for card in self.due(n)]
        items = build_drill(self.catalog, n=None, seed=seed, shuffle=False, ids=ids, learner=self.learner)
        return DrillView(items, self.catalog, self._submitter("review"), title=self.t("review.title"), lang=self.lang,
                         empty=self._nothing_due())

    def _nothing_due(self) -> str:
        """What today's review says when no card is due: when the next one is."""
        outlook = self.review_outlook()
        if outlook["next_due"] is None:
            return self.t("review.no-cards")
        when = outlook["next_due"].astimezone()
        today = self.clock().astimezone().date()
        day = self.t("review.today") if when.date() == today else when.strftime("%Y-%m-%d")
        return self.t("review.next", day=day, time=when.strftime("%H:%M"))

    def review_outlook(self, days: int = 14, known: Callable[[str], bool] | None = None) -> dict[str, Any]:
        """How many cards are due now, and how many fall due on each of the next ``days`` days (cards of exercises
        in the catalogue only)."""
        return super().review_outlook(days, known or self.catalog.has_exercise)

    def _submitter(self, mode: str | None = None):
        def submit(exercise: ExerciseBase, answer: Any, seconds: float) -> Feedback:
            return self.answer(exercise.id, answer, seconds=seconds, mode=mode)
        return submit

    # -- views --
    def exercise(self, exercise_id: str) -> ExerciseView:
        """A view of one exercise, ready to answer."""
        from .widgets import view_for

        exercise = self.catalog.exercise(exercise_id)
        order = choice_order(exercise, self.learner, catalog=self.catalog)
        return view_for(exercise, self.catalog, self._submitter(), order, lang=self.lang)

    def drill(self, n: int | None = 10, seed: int | None = None, title: str = "", **filters: Any) -> DrillView:
        """A drill of up to ``n`` exercises matching ``filters`` (section, kind, about, technique, tag,
        difficulty, ids), shuffled with ``seed``."""
        from .widgets import DrillView

        items = build_drill(self.catalog, n=n, seed=seed, learner=self.learner, **filters)
        mode = "drill" if self.mode == "practice" else self.mode
        return DrillView(items, self.catalog, self._submitter(mode), title=title, lang=self.lang)

    def show(self, *item_ids: str) -> Any:
        """Cards for catalogue items (English and Chinese names, facts, steps, honest-use notes)."""
        from IPython.display import HTML

        from .cards import item_html

        return HTML("".join(item_html(self.catalog, self.catalog.item(i), self.lang) for i in item_ids))

    def show_all(self, kind: str) -> Any:
        """Cards for every item of one kind, in order."""
        return self.show(*(item.id for item in self.catalog.of_kind(kind)))

    def coach(self, transcript: str | Path | None = None, customer: str | None = None) -> Any:
        """Coach my call: the report on a transcript (text or a .txt/.srt/.vtt path), or, without one, a widget to
        paste or upload it; analysed offline, on this computer, and stored only if you save the report."""
        from .coach import for_workbook

        return for_workbook(self, transcript, customer)

    # -- the record --
    def replay(self, attempt: Attempt | None = None) -> Any:
        """A recorded call replayed from its attempt: each choice marked and explained, the rubric score, the debrief
        and the best path (default: this learner's latest call)."""
        from IPython.display import HTML

        from ._call_html import recorded_html
        from ._html import esc

        if attempt is None:
            calls = [a for a in self.attempts() if a.kind == "call" and self.catalog.has_exercise(a.exercise_id)]
            if not calls:
                return HTML(f"<p>{esc(self.t('call.none-yet'))}</p>")
            attempt = calls[-1]
        feedback = grade(self.catalog, self.catalog.exercise(attempt.exercise_id), attempt.answer, self.lang)
        return HTML(recorded_html(feedback))

    def weakest(self, n: int = 10) -> list[tuple[str, float, int]]:
        """This learner's weakest exercises: (id, mean score, attempts), lowest mean first, never-perfect only."""
        from . import stats

        rows = stats.weakest(self.store, self.learner)
        known = [(r.exercise_id, r.mean, r.answers) for r in rows if self.catalog.has_exercise(r.exercise_id)]
        return known[:n]

    def weakest_table(self, n: int = 10) -> Any:
        """The weakest exercises as a table: title, section, mean score, attempts."""
        from IPython.display import HTML

        from .cards import weakest_html

        return HTML(weakest_html(self.catalog, self.weakest(n), self.lang))

    def practise_weakest(self, n: int = 10, seed: int | None = None) -> DrillView:
        """A drill of the ``n`` weakest exercises (empty, with a note, while there are none)."""
        ids = [row[0] for row in self.weakest(n)]
        return self.drill(n=n, seed=seed, ids=ids, title=self.t("weakest.drill", n=len(ids)))

    def progress(self, all_learners: bool = False) -> Figure:
        """All progress charts on one figure (shown with a text alternative and the numbers behind each chart)."""
        from . import chart_text, stats
        from .charts import progress_figure

        rows = stats.progress(self.store, self.catalog, None if all_learners else self.learner)
        return chart_text.accessible(progress_figure(rows, self.lang), chart_text.progress(rows, self.lang), self.lang)

    def chart(self, name: str, all_learners: bool = False) -> Figure:
        """One chart by name: accuracy_over_time, accuracy_by_section, mastery_by_method, signal_confusion,
        time_per_answer, due_forecast, recall_by_section (shown with a text alternative and its numbers)."""
        from .chart_text import accessible
        from .named_charts import CHARTS

        if name not in CHARTS:
            raise PlaybookError(f"no chart '{name}'; choose from {', '.join(CHARTS)}")
        chart = CHARTS[name]
        rows = chart.rows(self.store, self.catalog, None if all_learners else self.learner, self.clock())
        return accessible(chart.draw(rows, self.lang).figure, [chart.text(rows, self.lang)], self.lang)

    def summary(self, ids: Sequence[str] | None = None) -> Line:
        """One line on this learner's record (shown as a sentence in a notebook)."""
        attempts = self.attempts()
        if ids is not None:
            wanted = set(ids)
            attempts = [a for a in attempts if a.exercise_id in wanted]
        if not attempts:
            return Line(self.t("summary.none", learner=self.learner))
        graded = [a.score for a in attempts if a.correct is not None]
        if not graded:
            return Line(self.t("summary.count", learner=self.learner, n=len(attempts)))
        return Line(self.t("summary.mean", learner=self.learner, n=len(attempts),
                           mean=round(100 * sum(graded) / len(graded))))


class WorkbookTrainer(Trainer):
    """The trainer's side of a workbook: workshops with drills checked against the catalogue, the class dashboard,
    and a trainer's own exercise files checked and previewed."""

    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        self.book = book

    def open_workshop(self, title: str, lang: str | None = None, **drill: Any) -> Workshop:
        """Open a workshop and return it with its code; ``drill`` holds the drill filters participants get (n, kind,
        tag...), refused unless they select exercises of the catalogue; ``lang`` the room's language."""
        build_drill(self.book.catalog, **{**drill, "n": drill.get("n", 10)})  # the filters must make sense now
        return super().open_workshop(title, lang, **drill)

    def panel(self) -> Any:
        """Trainers: open a workshop with a click and close it (running the notebook opens nothing)."""
        from .models import EXERCISE_KINDS
        from .widgets import WorkshopPanel

        def choices() -> list[tuple[str, str]]:
            return [(f"{w.code} · {w.title}", w.code) for w in self.store.workshops() if w.is_open]

        return WorkshopPanel(lambda title, drill: self.open_workshop(title, **drill), self.close_workshop,
                             choices, EXERCISE_KINDS, self.book.lang)

    def dashboard(self, code: str | None = None, export_folder: Path | str = ".") -> Any:
        """The live class dashboard (default: the newest open workshop), with a picker, Refresh and Export CSV."""
        from . import dashboard
        from .widgets import DashboardView

        def choices() -> list[tuple[str, str]]:
            found = sorted(self.store.workshops(), key=lambda w: (not w.is_open, -w.opened_at.timestamp()))
            closed = f" ({self.book.t('dashboard.closed')})"
            return [(f"{w.code} · {w.title}{'' if w.is_open else closed}", w.code) for w in found]

        book = self.book
        return DashboardView(choices, lambda chosen: dashboard.load(self.store, book.catalog, chosen, book.lang),
                             lambda chosen: dashboard.export_csv(self.store, chosen, export_folder).resolve(),
                             normalise_code(code) if code else None, book.lang)

    def template(self, kind: str) -> Any:
        """The commented template for a new exercise of ``kind``, shown as YAML."""
        from IPython.display import Markdown

        from .templates import template

        return Markdown(f"```yaml\n{template(kind, self.book.lang)}```")

    def validate(self, path: Path | str) -> Any:
        """Check a trainer's file or folder against the catalogue; show every problem or OK."""
        from IPython.display import HTML

        from ._html import esc, problems_html

        lang = self.book.lang
        problems = validate_paths([*self.book.content, Path(path).expanduser()])
        if not problems:
            return HTML(f"<p><strong>{esc(ui('validate.notebook.ok', lang, path=path))}</strong></p>")
        return HTML(problems_html(problems, ui("validate.notebook.problems", lang, count=len(problems)), lang))

    def preview(self, path: Path | str) -> Any:
        """A trainer's file or folder as learners will see it, with its validation result above it.

        Answers given in a preview are graded but not recorded.
        """
        import ipywidgets as widgets

        from ._html import esc, problems_html
        from .cards import item_html
        from .widgets import view_for

        target = Path(path).expanduser().resolve()
        try:
            catalog = load_catalog(content_paths([*self.book.content, target]))
        except ContentError as exc:
            heading = ui("validate.preview.problems", self.book.lang, count=len(exc.problems))
            return widgets.HTML(problems_html(exc.problems, heading, self.book.lang))

        def inside(item_id: str) -> bool:
            file = Path(catalog.sources[item_id].file).resolve()
            return file == target or file.is_relative_to(target)

        items = [item for item in catalog.items.values() if inside(item.id)]
        exercises = [ex for ex in catalog.exercises if inside(ex.id)]
        valid = ui("validate.preview.ok", self.book.lang, name=target.name, exercises=len(exercises), items=len(items))
        status = widgets.HTML(f"<p>{esc(valid)}</p>")
        cards = [widgets.HTML(item_html(catalog, item, self.book.lang)) for item in items]

        def grade_only(exercise: ExerciseBase, answer: Any, seconds: float) -> Feedback:
            return grade(catalog, exercise, answer, self.book.lang)

        views = [view_for(ex, catalog, grade_only, choice_order(ex, self.book.learner, catalog=catalog),
                         lang=self.book.lang) for ex in exercises]
        return widgets.VBox([status, *cards, *views])
