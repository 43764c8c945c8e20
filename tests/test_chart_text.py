"""Every chart has a text alternative in its language: a sentence as the image's alt text that says what the
chart shows, and the numbers behind it in a collapsed table (the browser side is in test_accessibility.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from playbook_lib import Workbook, chart_text, dashboard, stats
from playbook_lib.content import Catalog
from playbook_lib.demo import demo_attempts
from playbook_lib.i18n import ui
from playbook_lib.lint import LATIN_IN_ZH
from playbook_lib.named_charts import CHARTS
from playbook_lib.store import Store

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
CJK = re.compile(r"[\u3400-\u9fff]")
LANGS = ("en", "zh-Hans", "zh-Hant")


class Parsed(HTMLParser):
    """The tags, attributes and text of a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture
def practised(catalog: Catalog, tmp_path: Path):
    """A learner with a month of answers and review cards, and a workshop two participants answered in."""
    wb = Workbook(catalog, Store(tmp_path / "p" / "practice.sqlite"), learner="demo", clock=lambda: NOW)
    wb.store.add_attempts(demo_attempts(catalog, 300, seed=3, start=NOW - timedelta(days=30)))
    for i, ex in enumerate([e for e in catalog.exercises if e.kind == "single-choice"][:12]):
        wb.answer(ex.id, ex.answer if i % 3 else next(c.id for c in ex.options if c.id != ex.answer), seconds=20)
    yield wb
    wb.close()


def shown(fig: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """What a notebook receives when it displays ``fig`` (IPython's own display path)."""
    from IPython.core.formatters import DisplayFormatter

    sent: list[dict[str, str]] = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw=False: sent.append(data))
    assert DisplayFormatter().format(fig) == ({}, {})  # no bare PNG: the figure shows itself
    assert len(sent) == 1
    return sent[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(CHARTS))
def test_each_chart_says_what_it_shows(practised: Workbook, name: str, lang: str, monkeypatch) -> None:
    practised.lang = lang
    fig = practised.chart(name)
    assert fig.axes  # still a matplotlib figure
    (text,) = fig.playbook_text
    html = shown(fig, monkeypatch)["text/html"]
    parsed = Parsed(html)
    (img,) = parsed.all("img")
    assert img["alt"] == text.summary and text.title in text.summary and re.search(r"\d", text.summary)
    assert str(img["src"]).startswith("data:image/png;base64,")
    assert parsed.all("details") == [{"class": "playbook-chart-numbers"}]  # collapsed: no "open"
    assert len(parsed.all("th")) == len(text.heads) + len(text.rows) and text.rows
    assert all(len(row) == len(text.heads) for row in text.rows)
    assert parsed.all("div")[0]["lang"] == lang
    words = " ".join([text.summary, *text.heads, *(c for row in text.rows for c in row)])
    if lang == "en":
        assert not CJK.search(words), words
    else:
        assert [w for w in LATIN_WORD.findall(words) if w not in LATIN_IN_ZH] == [], words


def test_the_numbers_are_the_charts(practised: Workbook, catalog: Catalog) -> None:
    """The sentence and the table say what the rows say: counts, the best and the worst, untried items."""
    rows = stats.signal_confusion(practised.store, catalog, "demo")
    text = chart_text.signal_confusion(rows)
    right = sum(rows.counts[i][i] for i in range(len(rows.counts)))
    assert f"{right} of {rows.answers} answers right" in text.summary
    assert [[int(c) for c in row[1:]] for row in text.rows] == [list(r) for r in rows.counts]

    methods = stats.mastery_by_method(practised.store, catalog, "demo")
    text = chart_text.mastery_by_method(methods)
    tried = [r for r in methods if r.mean is not None]
    best = max(tried, key=lambda r: r.mean or 0)
    assert f"highest {best.number}. {best.name.en}" in text.summary
    untried = len(methods) - len(tried)
    assert (f"{untried} not tried yet" in text.summary) == bool(untried)
    assert sum(row[1] == "not tried yet" for row in text.rows) == untried

    due = stats.due_forecast(practised.store, catalog, "demo", NOW)
    text = chart_text.due_forecast(due)
    assert sum(int(row[1]) for row in text.rows) == due.due_now + sum(due.later)


def test_an_empty_record_says_so(catalog: Catalog, tmp_path: Path, monkeypatch) -> None:
    wb = Workbook(catalog, Store(tmp_path / "e" / "practice.sqlite"), learner="new", clock=lambda: NOW)
    for lang in ("en", "zh-Hans"):
        wb.lang = lang
        fig = wb.progress()
        assert len(fig.playbook_text) == 5 and all(not t.rows for t in fig.playbook_text)
        html = shown(fig, monkeypatch)["text/html"]
        alt = Parsed(html).all("img")[0]["alt"] or ""
        assert alt.startswith(ui("a11y.figure", lang, n=5, charts="")) and ui("chart.by-section.title", lang) in alt
        assert "<details" not in html  # no table of nothing
    wb.close()


def test_the_class_dashboard_figure_has_its_text(practised: Workbook, catalog: Catalog, monkeypatch) -> None:
    code = practised.open_workshop("Room").code
    signals = [e for e in catalog.exercises if e.kind == "signal-id"][:3]
    for name, right in (("Ann", True), ("Bo", False)):
        participant = Workbook(catalog, practised.store)
        participant.join(code, name)
        for ex in signals:
            answer = {"signal": True, "kind": ex.answer} if right else {"signal": False}  # type: ignore[attr-defined]
            participant.answer(ex.id, answer, seconds=5)
    for lang in ("en", "zh-Hans"):
        _, fig = dashboard.load(practised.store, catalog, code, lang)
        spread, confusion = fig.playbook_text
        assert spread.title == ui("dashboard.spread.title", lang) and confusion.title == ui("dashboard.confusion.title", lang)
        assert sum(int(row[1]) for row in spread.rows) == 2 and len(spread.rows) == 10
        html = shown(fig, monkeypatch)["text/html"]
        assert Parsed(html).all("img")[0]["alt"] == chart_text.alt_text([spread, confusion], lang)
        assert len(Parsed(html).all("details")) == 2
    assert dashboard.load(practised.store, catalog, practised.open_workshop("Empty").code)[1] is None
