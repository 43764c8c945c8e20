"""JupyterLab in Debian's Chromium, driven by Playwright: run every notebook, answer by clicking, see the chart,
and measure that no text of the workbook's widgets is clipped or overlaps, at desktop and wide widths.

Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    DESKTOP,
    WIDE,
    Lab,
    answer_not_a_signal,
    browser_marks,
    chromium_page,
    free_port,
    jupyter_env,
    measure_layout,
    open_and_run_all,
    recorded,
    shoot,
    wait_for_http,
    wait_until_idle,
)

__all__ = ["CHROMIUM_ARGS", "Lab", "answer_not_a_signal", "chromium_page", "free_port", "jupyter_env", "shoot",
           "wait_for_http"]
pytestmark = browser_marks
NOTEBOOKS = sorted(p.name for p in (Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    server = Lab(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(lab: Lab):
    with chromium_page(DESKTOP) as page:
        yield page


def test_signal_exercise_answered_by_clicking(page, lab: Lab) -> None:
    open_and_run_all(page, lab, "02-timing-and-signals.ipynb")
    view = page.locator(".playbook-view").filter(has=page.locator(".playbook-step")).first
    view.wait_for(timeout=90_000)
    elapsed_ms = answer_not_a_signal(page, view)
    text = view.locator(".playbook-feedback").inner_text()
    assert any(word in text for word in ("Right", "Not quite"))
    shoot(page, "02-signal-feedback.png")
    (ARTIFACTS / "click-to-feedback-ms.txt").write_text(f"{elapsed_ms:.0f}\n")
    rows = recorded(lab.home, "signal-id")
    assert len(rows) == 1 and rows[0].answer == {"signal": False, "kind": None} and rows[0].lang == "en"


def test_progress_notebook_shows_a_chart(page, lab: Lab) -> None:
    open_and_run_all(page, lab, "05-my-progress.ipynb")
    chart = page.locator(".jp-OutputArea-output img").first
    chart.wait_for(timeout=90_000)
    chart.scroll_into_view_if_needed()
    assert chart.bounding_box()["height"] > 100
    shoot(page, "05-progress-chart.png")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_no_text_is_clipped_or_overlaps(page, lab: Lab, notebook: str) -> None:
    """Every option, dialogue line, ordering item and button of every notebook, at 1280×900 and 1920×1080."""
    page.set_viewport_size(DESKTOP)
    open_and_run_all(page, lab, notebook)
    wait_until_idle(page, lab.lang)
    page.wait_for_timeout(500)
    measured, problems = measure_layout(page)
    shoot(page, f"layout-en-{Path(notebook).stem}.png")
    page.set_viewport_size(WIDE)
    page.wait_for_timeout(300)
    _, problems_wide = measure_layout(page)
    page.set_viewport_size(DESKTOP)
    if notebook != "08-workshop-participant.ipynb":  # the participant app's form only, measured in Voilà
        assert measured > 5
    assert problems == [] and problems_wide == [], (problems, problems_wide)
