"""The Chinese workbook in JupyterLab in Debian's Chromium: JupyterLab's own menus in Chinese, a signal item
answered by clicking with Chinese feedback, Chinese drawn as glyphs (not empty boxes), and no text of the
workbook's widgets clipped or overlapping in any Chinese notebook.

Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import (
    DESKTOP,
    WORDS,
    Lab,
    answer_not_a_signal,
    browser_marks,
    chromium_page,
    distinct_glyphs,
    measure_layout,
    open_and_run_all,
    recorded,
    shoot,
    wait_until_idle,
)

pytestmark = browser_marks
ZH_NOTEBOOKS = sorted(p.name for p in (Path(__file__).resolve().parent.parent / "notebooks" / "zh-Hans").glob("*.ipynb"))


@pytest.fixture(scope="module", params=["zh-Hans", "zh-Hant"])
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    server = Lab(tmp_path_factory.mktemp(f"lab-{request.param}"), lang=request.param)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(lab: Lab):
    with chromium_page(DESKTOP, lab.lang) as page:
        yield page


def test_signal_item_answered_in_chinese(page, lab: Lab) -> None:
    words = WORDS[lab.lang]
    open_and_run_all(page, lab, f"{lab.lang}/02-timing-and-signals.ipynb")
    assert page.evaluate("document.documentElement.lang").lower().startswith("zh")  # JupyterLab speaks Chinese
    if lab.lang == "zh-Hans":  # the traditional language pack leaves the menu bar in English
        assert page.locator(".lm-MenuBar-itemLabel", has_text=words["run"]).count() == 1
    view = page.locator(".playbook-view").filter(has=page.locator(".playbook-step")).first
    view.wait_for(timeout=120_000)
    answer_not_a_signal(page, view, lab.lang)
    feedback = view.locator(".playbook-feedback").inner_text()
    assert any(verdict in feedback for verdict in words["verdicts"]), feedback
    assert view.get_attribute("lang") == lab.lang
    sample = view.locator(".playbook-title").inner_text()
    assert distinct_glyphs(page, sample[:6]) == len(set(sample[:6])), "Chinese is drawn as empty boxes"
    shoot(page, f"{lab.lang}-02-signal-feedback.png")
    rows = recorded(lab.home, "signal-id")
    assert len(rows) == 1 and rows[0].lang == lab.lang


@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS)
def test_no_text_is_clipped_or_overlaps(page, lab: Lab, notebook: str) -> None:
    if lab.lang == "zh-Hant" and notebook not in ("00-start-here.ipynb", "03-fourteen-closing-methods.ipynb"):
        pytest.skip("traditional notebooks are generated from the simplified ones; two are measured")
    page.set_viewport_size(DESKTOP)
    open_and_run_all(page, lab, f"{lab.lang}/{notebook}")
    wait_until_idle(page, lab.lang)
    page.wait_for_timeout(500)
    measured, problems = measure_layout(page)
    shoot(page, f"layout-{lab.lang}-{Path(notebook).stem}.png")
    if notebook != "08-workshop-participant.ipynb":
        assert measured > 5
    assert problems == [], problems
