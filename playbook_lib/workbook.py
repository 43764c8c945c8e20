"""The facade that notebooks and the command line use: content, grading, record and views in one place."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import Catalog, content_paths, load_catalog, validate_paths
from .engine import Feedback, build_drill, choice_order, grade
from .errors import ContentError, PlaybookError
from .i18n import normalise_lang, resolve_lang, ui
from .models import ExerciseBase
from .records import MODES, Attempt, Participant, Placement, Workshop
from .review import CardState, Reviewer
from .store import AnswerWrite, Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .widgets import DrillView, ExerciseView

LEARNER_KEY = "learner"
LANG_KEY = "lang"
DEFAULT_LEARNER = "guest"


def _user_key(base: str = LEARNER_KEY) -> str:
    """A setting kept per computer user (a shared record serves many users)."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on some containers
        user = ""
    return f"{base}:{user}" if user else base


def _learner_key() -> str:
    """The setting that remembers this computer user's name."""
    return _user_key(LEARNER_KEY)


def remembered_lang(store: Store) -> str | None:
    """The language this computer user chose before, if any."""
    return store.setting(_user_key(LANG_KEY))


class Line(str):
    """A line of text that a notebook shows as a paragraph, not as a quoted string."""

    def _repr_html_(self) -> str:
        from ._html import plain

        return f"<p>{plain(self)}</p>"


def _remembered(store: Store) -> str | None:
    return store.setting(_learner_key()) or store.setting(LEARNER_KEY)


def remembered_learner(store: Store) -> str:
    """The learner name remembered in ``store`` for this computer user, or the default."""
    return _remembered(store) or DEFAULT_LEARNER


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Workbook:
    """One learner's workbook: the catalogue, the practice record and the views."""

    def __init__(self, catalog: Catalog, store: Store, learner: str | None = None, *, session: str | None = None,
                 mode: str = "practice", content: Iterable[Path | str] = (),
                 clock: Callable[[], datetime] = _utc_now, lang: str | None = None) -> None:
        if mode not in MODES:
            raise PlaybookError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.catalog = catalog
        self.store = store
        self.mode = mode
        self.content = tuple(Path(p) for p in content)
        self.clock = clock
        self._reviewer: Reviewer | None = None
        self.session = session or time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        self.participant = ""
        self.workshop: Workshop | None = None
        if learner:
            self.set_learner(learner)
        self.learner: str = remembered_learner(self.store)
        self.lang: str = resolve_lang(lang, remembered_lang(store))

    @classmethod
    def open(cls, home: Path | str | None = None, learner: str | None = None, *,
             content: Iterable[Path | str] = (), session: str | None = None, mode: str = "practice",
             clock: Callable[[], datetime] = _utc_now, lang: str | None = None) -> Workbook:
        """Load the content (shipped, ``PLAYBOOK_CONTENT`` and ``content``) and open the learner's record.

        ``lang`` is ``en``, ``zh-Hans`` or ``zh-Hant``; without it, ``PLAYBOOK_LANG``, the learner's
        remembered choice or the system locale decides.
        """
        catalog = load_catalog(content_paths(content))
        return cls(catalog, Store.open(home), learner, session=session, mode=mode, content=content, clock=clock,
                   lang=lang)

    @property
    def reviewer(self) -> Reviewer:
        """The FSRS scheduler of review cards (made on first use)."""
        if self._reviewer is None:
            self._reviewer = Reviewer()
        return self._reviewer

    # -- the learner --
    @property
    def learner_known(self) -> bool:
        """True once a name has been given (and remembered)."""
        return _remembered(self.store) is not None

    def set_learner(self, name: str) -> str:
        """Remember the learner's name for this record; later sessions use it too."""
        name = " ".join(str(name).split())
        if not name or len(name) > 80:
            raise PlaybookError("a learner's name is 1 to 80 characters")
        self.store.set_setting(_learner_key(), name)
        self.learner = name
        return name

    def set_language(self, lang: str) -> str:
        """Show everything in ``lang`` (en, zh-Hans, zh-Hant) from now on, and remember it for this learner."""
        self.lang = normalise_lang(lang)
        self.store.set_setting(_user_key(LANG_KEY), self.lang)
        return self.lang

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
        attempt = Attempt.from_feedback(
            feedback, Placement.of(self.catalog, exercise), learner=self.learner, seconds=seconds,
            mode=mode or self.mode, session=self.session, participant=self.participant,
            answered_at=self.clock().astimezone(UTC))
        self.store.save(AnswerWrite(attempt, self.reviewer))
        return feedback

    # -- workshops --
    def join(self, code: str, name: str | None = None, *, offline: bool = False, resume: bool = False) -> Participant:
        """Join a workshop with its code; from now on answers carry the code (mode ``workshop``).

        ``offline=True`` is for a participant's own laptop, where a code opened on the trainer's computer
        cannot be checked: answers are kept here for ``playbook export --session CODE`` (see the README).
        ``resume=True``: the same name again in this workshop is the same participant, and
        :meth:`workshop_drill` continues after the items they answered (the participant app's rejoin).
        """
        name = " ".join(str(name or self.learner).split())
        if not name:
            raise PlaybookError("give your name to join the workshop")
        participant = self.store.join_workshop(code, name, offline=offline, resume=resume)
        self.workshop = self.store.workshop(participant.code) or Workshop(participant.code,
                                                                          f"Workshop {participant.code} (offline)")
        self.participant, self.session, self.mode = participant.id, participant.code, "workshop"
        self.learner = participant.name
        room_lang = self.workshop.drill.get("lang") if self.workshop else None
        if room_lang:
            self.lang = normalise_lang(room_lang)
        return participant

    def join_form(self, offline: bool = False, resume: bool = False) -> Any:
        """A form to join a workshop with its code and your name (``offline`` and ``resume``: see :meth:`join`)."""
        from .widgets import JoinForm

        def join(code: str, name: str) -> Participant:
            return self.join(code, name, offline=offline, resume=resume)

        return JoinForm(self.learner if self.learner_known else "", join, self.lang)

    def workshop_drill(self) -> DrillView:
        """The drill the trainer set for the joined workshop (ten mixed items if none was set)."""
        if self.workshop is None:
            raise PlaybookError("join a workshop first (wb.join(code, name))")
        spec = {k: v for k, v in self.workshop.drill.items() if k != "lang"} or {"n": 10}
        spec.setdefault("seed", sum(map(ord, self.workshop.code)))
        view = self.drill(title=self.workshop.title, **spec)
        done: dict[str, float] = {}  # this participant's first score on each item (oldest attempt first)
        for attempt in self.store.attempts(session=self.session):
            if attempt.participant == self.participant:
                done.setdefault(attempt.exercise_id, attempt.score)
        view.resume(done)
        return view

    def workshop_app(self) -> Any:
        """Join, do the session's drill, see your own score: the participant app in one widget."""
        from .widgets import WorkshopApp

        return WorkshopApp(self.join_form(resume=True), self.workshop_drill)

    def open_workshop(self, title: str, lang: str | None = None, **drill: Any) -> Workshop:
        """Open a workshop (for trainers); ``drill`` holds the drill filters participants get (n, kind, tag...),
        ``lang`` the room's language (participants see the drill in it)."""
        build_drill(self.catalog, **{**drill, "n": drill.get("n", 10)})  # the filters must make sense now
        if lang:
            drill["lang"] = normalise_lang(lang)
        return self.store.open_workshop(title, drill)

    def workshop_panel(self) -> Any:
        """Trainers: open a workshop with a click and close it (running the notebook opens nothing)."""
        from .models import EXERCISE_KINDS
        from .widgets import WorkshopPanel

        def choices() -> list[tuple[str, str]]:
            return [(f"{w.code} · {w.title}", w.code) for w in self.store.workshops() if w.is_open]

        return WorkshopPanel(lambda title, drill: self.open_workshop(title, **drill), self.store.close_workshop,
                             choices, EXERCISE_KINDS, self.lang)

    def dashboard(self, code: str | None = None, export_folder: Path | str = ".") -> Any:
        """The live class dashboard (default: the newest open workshop), with a picker, Refresh and Export CSV."""
        from . import dashboard
        from .store import normalise_code
        from .widgets import DashboardView

        def choices() -> list[tuple[str, str]]:
            found = sorted(self.store.workshops(), key=lambda w: (not w.is_open, -w.opened_at.timestamp()))
            closed = f" ({self.t('dashboard.closed')})"
            return [(f"{w.code} · {w.title}{'' if w.is_open else closed}", w.code) for w in found]

        return DashboardView(choices, lambda chosen: dashboard.load(self.store, self.catalog, chosen, self.lang),
                             lambda chosen: dashboard.export_csv(self.store, chosen, export_folder).resolve(),
                             normalise_code(code) if code else None, self.lang)

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

    def review_outlook(self, days: int = 14) -> dict[str, Any]:
        """How many cards are due now, and how many fall due on each of the next ``days`` days."""
        now = self.clock()
        cards = [c for c in self.store.cards(self.learner) if self.catalog.has_exercise(c.exercise_id)]
        due_now = sum(1 for c in cards if c.due <= now)
        upcoming: dict[str, int] = {}
        for card in cards:
            if now < card.due <= now + timedelta(days=days):
                day = card.due.astimezone().date().isoformat()
                upcoming[day] = upcoming.get(day, 0) + 1
        later = [c.due for c in cards if c.due > now]
        return {"learner": self.learner, "cards": len(cards), "due_now": due_now,
                "upcoming": dict(sorted(upcoming.items())), "next_due": min(later) if later else None}

    def _submitter(self, mode: str | None = None):
        def submit(exercise: ExerciseBase, answer: Any, seconds: float) -> Feedback:
            return self.answer(exercise.id, answer, seconds=seconds, mode=mode)
        return submit

    # -- views --
    def exercise(self, exercise_id: str) -> ExerciseView:
        """A view of one exercise, ready to answer."""
        from .widgets import view_for

        exercise = self.catalog.exercise(exercise_id)
        return view_for(exercise, self.catalog, self._submitter(), choice_order(exercise, self.learner), lang=self.lang)

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

    def template(self, kind: str) -> Any:
        """The commented template for a new exercise of ``kind``, shown as YAML."""
        from IPython.display import Markdown

        from .templates import template

        return Markdown(f"```yaml\n{template(kind)}```")

    def validate(self, path: Path | str) -> Any:
        """Check a trainer's file or folder against the catalogue; show every problem or OK."""
        from IPython.display import HTML

        from ._html import esc, problems_html

        problems = validate_paths([*self.content, Path(path).expanduser()])
        if not problems:
            return HTML(f"<p><strong>✔ {esc(path)}: no problems.</strong></p>")
        return HTML(problems_html(problems))

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
            catalog = load_catalog(content_paths([*self.content, target]))
        except ContentError as exc:
            return widgets.HTML(problems_html(exc.problems, "problem(s) to fix before anyone practises"))

        def inside(item_id: str) -> bool:
            file = Path(catalog.sources[item_id].file).resolve()
            return file == target or file.is_relative_to(target)

        items = [item for item in catalog.items.values() if inside(item.id)]
        exercises = [ex for ex in catalog.exercises if inside(ex.id)]
        status = widgets.HTML(f"<p><strong>✔ {esc(target.name)} is valid:</strong> {len(exercises)} exercise(s), "
                              f"{len(items)} new item(s). This is how learners will see them "
                              "(answers here are not recorded).</p>")
        cards = [widgets.HTML(item_html(catalog, item, self.lang)) for item in items]

        def grade_only(exercise: ExerciseBase, answer: Any, seconds: float) -> Feedback:
            return grade(catalog, exercise, answer, self.lang)

        views = [view_for(ex, catalog, grade_only, choice_order(ex, self.learner), lang=self.lang) for ex in exercises]
        return widgets.VBox([status, *cards, *views])

    # -- the record --
    def attempts(self, all_learners: bool = False) -> list[Attempt]:
        """Recorded answers, oldest first: this learner's, or everyone's."""
        return self.store.attempts(None if all_learners else self.learner)

    def replay(self, attempt: Attempt | None = None) -> Any:
        """A recorded call replayed from its attempt: each choice marked and explained, the rubric score, the debrief
        and the best path (default: this learner's latest call)."""
        from IPython.display import HTML

        from ._html import esc
        from .widgets._call import recorded_html

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
        from .chart_text import TEXTS, accessible
        from .charts import CHARTS
        from .stats import CHART_ROWS

        if name not in CHARTS:
            raise PlaybookError(f"no chart '{name}'; choose from {', '.join(CHARTS)}")
        rows = CHART_ROWS[name](self.store, self.catalog, None if all_learners else self.learner, self.clock())
        return accessible(CHARTS[name](rows, self.lang).figure, [TEXTS[name](rows, self.lang)], self.lang)

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

    def close(self) -> None:
        """Close the practice record."""
        self.store.close()
