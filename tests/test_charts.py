"""Charts: friendly when empty, truthful when full, in every language, and fine at 100,000 attempts."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import matplotlib
import pytest

from playbook_lib import Workbook, charts, dashboard, stats
from playbook_lib.content import Catalog, content_paths, load_catalog
from playbook_lib.demo import demo_attempts
from playbook_lib.i18n import ui
from playbook_lib.lint import LATIN_IN_ZH
from playbook_lib.named_charts import CHARTS
from playbook_lib.store import Store

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
CJK = re.compile(r"[\u3400-\u9fff]")
GLYPH_MISSING = r"Glyph .* missing from font"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def wrong(ex) -> str:
    return next(c.id for c in ex.options if c.id != ex.answer)


def render(fig) -> None:
    """Render a figure to PNG, as a notebook shows it (a figure closed in pyplot has a canvas that draws nothing)."""
    fig.savefig(io.BytesIO(), format="png")


def texts(fig) -> list[str]:
    """Every visible text of a rendered figure (titles, labels, tick labels, notes)."""
    from matplotlib.text import Text

    render(fig)
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def draw(name: str, store: Store, catalog: Catalog, lang: str = "en", learner: str | None = None, ax=None):
    chart = CHARTS[name]
    return chart.draw(chart.rows(store, catalog, learner, NOW), lang, ax=ax)


@pytest.fixture
def practised(catalog: Catalog, tmp_path: Path):
    """A learner with review cards (answered through the workbook) and a month of demo answers."""
    wb = Workbook(catalog, Store(tmp_path / "p" / "practice.sqlite"), learner="demo", clock=Clock(NOW))
    wb.store.add_attempts(demo_attempts(catalog, 400, seed=3, start=NOW - timedelta(days=30)))
    for i, ex in enumerate([e for e in catalog.exercises if e.kind == "single-choice"][:12]):
        wb.answer(ex.id, ex.answer if i % 3 else wrong(ex), seconds=20)
    yield wb
    wb.close()


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_empty_record_gives_a_friendly_chart(store: Store, catalog: Catalog, name: str, lang: str) -> None:
    ax = draw(name, store, catalog, lang)
    assert ui("chart.empty", lang) in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("name", list(CHARTS))
def test_charts_draw_on_a_given_axes(practised: Workbook, name: str) -> None:
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert draw(name, practised.store, practised.catalog, learner="demo", ax=ax) is ax
    assert ui("chart.empty", "en") not in [t.get_text() for t in ax.texts]


def test_confusion_counts_match_the_record(store: Store, catalog: Catalog) -> None:
    store.add_attempts(demo_attempts(catalog, 500, seed=5))
    confusion = stats.signal_confusion(store, catalog)
    signal_rows = [a for a in store.attempts() if a.kind == "signal-id"]
    assert confusion.answers == len(signal_rows)
    assert confusion.names[-1] is None and len(confusion.ids) == len(catalog.of_kind("signal")) + 1
    right = sum(confusion.counts[i][i] for i in range(len(confusion.ids)))
    assert right == sum(1 for a in signal_rows if a.score == 1.0)
    ax = charts.signal_confusion(confusion, "zh-Hans")
    assert ui("signal.no", "zh-Hans") in [t.get_text() for t in ax.get_yticklabels()]


def test_recall_tells_a_third_right_from_all_right(catalog: Catalog, tmp_path: Path) -> None:
    wb = Workbook(catalog, Store(tmp_path / "practice.sqlite"), learner="Ada", clock=Clock(NOW))
    by_section: dict[str, list] = {}
    for ex in catalog.exercises:
        if ex.kind == "single-choice":
            by_section.setdefault(catalog.section_of(ex), []).append(ex)
    (weak, weak_ex), (strong, strong_ex) = [(s, exs[:3]) for s, exs in by_section.items() if len(exs) >= 3][:2]
    for i, ex in enumerate(weak_ex):  # one of three right, answered just now
        wb.answer(ex.id, ex.answer if i == 0 else wrong(ex), seconds=20)
    for ex in strong_ex:
        wb.answer(ex.id, ex.answer, seconds=20)
    rows = stats.recall_by_section(wb.store, catalog, "Ada", NOW).sections
    found = {r.id: r for r in rows}
    assert found[weak].recall < found[strong].recall < 1
    ax = wb.chart("recall_by_section").axes[0]
    index = [r.id for r in rows]
    widths = [p.get_width() for p in ax.patches]
    assert widths[index.index(weak)] < widths[index.index(strong)] < 100
    labels = [t.get_text() for t in ax.texts]
    assert not any(label.startswith("100 %") for label in labels)
    assert labels.count(ui("chart.not-tried", "en")) == len(rows) - 2


def test_an_untried_method_is_not_a_failed_one(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "technique-match" and e.about[0].startswith("technique."))
    workbook.answer(ex.id, wrong(ex))
    rows = stats.mastery_by_method(workbook.store, workbook.catalog, "Ada")
    failed = next(i for i, r in enumerate(rows) if r.id == ex.about[0])
    assert rows[failed].mean == 0 and rows[failed].answers == 1
    assert [r.mean for i, r in enumerate(rows) if i != failed] == [None] * (len(rows) - 1)
    for lang, untried, zero in (("en", "not tried yet", "0 % · 1 answer"), ("zh-Hans", "还没练过", "0% · 1 次")):
        ax = charts.mastery_by_method(rows, lang)
        labels = [t.get_text() for t in ax.texts]
        assert labels.count(untried) == len(rows) - 1 and labels.count(zero) == 1
        hatched = [i for i, p in enumerate(ax.patches) if p.get_hatch()]
        assert hatched == [i for i in range(len(rows)) if i != failed]


def test_axes_that_count_have_integer_ticks(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "single-choice")
    workbook.answer(ex.id, ex.answer, seconds=20)  # one answer, one card: a default axis would tick at 0.2, 0.4...

    def integers(ticks) -> bool:
        return len(ticks) > 1 and all(float(t).is_integer() for t in ticks)

    over_time = workbook.chart("accuracy_over_time")
    assert integers(over_time.axes[1].get_yticks())  # answers per day
    assert integers(over_time.axes[0].get_xticks())  # days
    assert integers(workbook.chart("due_forecast").axes[0].get_yticks())  # cards
    code = workbook.open_workshop("Ticks").code
    rep = Workbook(workbook.catalog, workbook.store)
    rep.join(code, "Solo")
    rep.answer(ex.id, ex.answer)
    _, fig = dashboard.load(workbook.store, workbook.catalog, code)
    assert integers(fig.axes[0].get_yticks())  # participants


def test_due_forecast_agrees_with_todays_review(catalog: Catalog, tmp_path: Path) -> None:
    clock = Clock()
    wb = Workbook(catalog, Store(tmp_path / "practice.sqlite"), learner="Rae", clock=clock)
    a, b, c = [e for e in catalog.exercises if e.kind == "single-choice"][:3]
    wb.answer(a.id, wrong(a), seconds=20)
    wb.answer(b.id, b.answer, seconds=20)
    wb.answer(c.id, c.answer, seconds=5)
    clock.advance(hours=1)

    def bars() -> list[float]:
        return [p.get_height() for p in wb.chart("due_forecast").axes[0].patches]

    outlook = wb.review_outlook()
    assert bars()[0] == len(wb.due()) == outlook["due_now"] == 2
    today = clock.now.astimezone().date()
    for day, n in outlook["upcoming"].items():
        assert bars()[1 + (date.fromisoformat(day) - today).days] == n
    for card in wb.due():
        wb.answer(card.exercise_id, catalog.exercise(card.exercise_id).answer, seconds=20)
    assert wb.due() == [] and bars()[0] == 0
    fig = wb.chart("due_forecast")
    empty = wb.review().empty
    assert empty.startswith("Nothing is due now. The next review card is due ") and empty[-6:-1].count(":") == 1, empty
    assert empty in [t.get_text() for t in fig.axes[0].texts]  # the same words, the same time
    wb.close()


def _draw_everything(wb: Workbook, lang: str) -> list[str]:
    wb.lang = lang
    found = []
    for name in CHARTS:
        found += texts(wb.chart(name))
    found += texts(wb.progress())
    code = wb.open_workshop("Room").code
    rep = Workbook(wb.catalog, wb.store)
    rep.join(code, "Kim")
    for ex in [e for e in wb.catalog.exercises if e.kind == "signal-id"][:6]:
        rep.answer(ex.id, {"signal": False}, seconds=5)
    _, fig = dashboard.load(wb.store, wb.catalog, code, lang)
    return found + texts(fig)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_chinese_charts_miss_no_glyph_and_no_translation(practised: Workbook, store: Store, lang: str) -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        shown = _draw_everything(practised, lang)
        shown += texts(draw("mastery_by_method", store, practised.catalog, lang).figure)  # the empty chart
    english = [w for w in LATIN_WORD.findall(" ".join(shown)) if w not in LATIN_IN_ZH and w != "Kim"]
    assert english == []
    assert any(ui("chart.by-method.title", lang) == t for t in shown)


def test_english_charts_are_all_english(practised: Workbook) -> None:
    shown = _draw_everything(practised, "en")
    assert [t for t in shown if CJK.search(t)] == []


def test_the_glyph_check_can_fail() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.5, 0.5, "成交信号", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        render(fig)


def test_the_packaged_cjk_font_is_found() -> None:
    from playbook_lib import fonts

    assert fonts.bundled_family() == "Noto Sans CJK TC"
    assert "Noto Sans CJK TC" in fonts.families("zh-Hans") and "Noto Sans CJK TC" in fonts.families("en")
    assert fonts.families("zh-Hant")[0] == "Noto Sans CJK TC"


def test_charts_leave_rcparams_alone(practised: Workbook) -> None:
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(charts)
    practised.lang = "zh-Hant"
    render(practised.progress())
    assert dict(matplotlib.rcParams) == before


def test_importing_charts_and_stats_loads_no_matplotlib() -> None:
    code = "import sys, playbook_lib.charts, playbook_lib.stats; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


DOLLAR_NAME = r"Save $450 or $500: the $\nocommand$ close"  # an even count of $: mathtext would parse (and fail)


def test_dollars_in_content_are_never_math(tmp_path: Path) -> None:
    folder = tmp_path / "trainer"
    folder.mkdir()
    text = (ROOT / "tests" / "trainer_method.yaml").read_text(encoding="utf-8")
    text = text.replace("name: {en: Trial-period close, zh: 试用成交法}",
                        f"name: {{en: '{DOLLAR_NAME}', zh: '省 $450 或 $500 的 $\\nocommand$ 成交法'}}")
    text = text.replace('title: "They want to try it first"', "title: 'Try it for $0, then $\\nocommand$'")
    (folder / "methods.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(content_paths([folder]))
    wb = Workbook(catalog, Store(tmp_path / "practice.sqlite"), learner="Ada")
    wb.answer("ex.my.trial-period-match", "technique.trial-period-close")
    for lang in ("en", "zh-Hans"):
        wb.lang = lang
        shown = [t.replace("\\$", "$") for t in texts(wb.chart("mastery_by_method"))]  # would raise on mathtext
        assert any("$450" in t and "$\\nocommand$" in t for t in shown)
        texts(wb.progress())
    code = wb.open_workshop("Pay $5 now, $\\nocommand$ later").code
    wb.join(code, "Ada $1$")
    wb.answer("ex.my.trial-period-match", "technique.trial-period-close")
    html, fig = dashboard.load(wb.store, catalog, code)
    texts(fig)
    assert html.startswith("<div class='mathjax_ignore tex2jax_ignore'") and "Try it for $0" in html
    wb.close()


@pytest.mark.slow
def test_hundred_thousand_attempts(tmp_path, catalog: Catalog) -> None:
    with Store(tmp_path / "big.sqlite") as store:
        assert store.add_attempts(demo_attempts(catalog, 100_000, learners=("a", "b"), seed=1)) == 100_000
        rows = stats.progress(store, catalog, "a")
        assert sum(r.answers for r in rows.times) == store.count("a")
        figure = charts.progress_figure(rows, "zh-Hans")
        assert len(figure.axes) >= 5


def test_workbook_progress_and_one_chart(workbook: Workbook) -> None:
    ex = next(e for e in workbook.catalog.exercises if e.kind == "signal-id")
    workbook.answer(ex.id, {"signal": False}, seconds=4.0)
    figure = workbook.progress()
    assert len(figure.axes) >= 5
    assert workbook.chart("signal_confusion").axes
    with pytest.raises(Exception, match="no chart"):
        workbook.chart("pie")


def test_time_spread_matches_matplotlib(store: Store, catalog: Catalog) -> None:
    from matplotlib.cbook import boxplot_stats

    store.add_attempts(demo_attempts(catalog, 300, seed=7))
    for row in stats.time_per_answer(store):
        seconds = [a.seconds for a in store.attempts() if a.kind == row.kind]
        expected = boxplot_stats(seconds)[0]
        assert (row.low, row.q1, row.median, row.q3, row.high) == pytest.approx(
            (expected["whislo"], expected["q1"], expected["med"], expected["q3"], expected["whishi"]))


def test_import_is_idempotent_by_uid(store: Store, catalog: Catalog) -> None:
    rows = list(demo_attempts(catalog, 50, seed=9))
    assert store.add_attempts(rows) == 50
    assert store.add_attempts(rows) == 0
    assert store.count() == 50


def test_self_rated_reflections_stay_out_of_scores(workbook: Workbook) -> None:
    reflection = next(e for e in workbook.catalog.exercises if e.kind == "reflection")
    single = next(e for e in workbook.catalog.exercises if e.kind == "single-choice")
    workbook.answer(reflection.id, {"text": "My close.", "ticked": [r.id for r in reflection.rubric]})
    workbook.answer(single.id, wrong(single))
    rows = stats.accuracy_by_section(workbook.store, workbook.catalog, "Ada")
    assert [(r.mean, r.answers) for r in rows if r.answers] == [(0.0, 1)]  # only the graded (wrong) answer counts
    assert workbook.summary() == "Ada: 2 answers, mean score 0 %."


def test_only_stats_and_the_store_write_sql() -> None:
    holders = sorted(p.name for p in (ROOT / "playbook_lib").rglob("*.py")
                     if re.search(r"\bSELECT\b|\._query\(", p.read_text(encoding="utf-8")))
    assert holders == ["_db.py", "stats.py", "store.py"]
