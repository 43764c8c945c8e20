"""Click-to-feedback time in a real browser: JupyterLab in Debian's Chromium (target <= 300 ms).

Opens 02-timing-and-signals, runs all cells, then for each signal exercise on the page clicks
"Not a signal" and Check, and times Check until the feedback is on screen.
Run: .venv/bin/python benchmarks/browser_feedback.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, Lab, open_and_run_all


def main(samples: int = 8) -> None:
    lab = Lab(Path(tempfile.mkdtemp(prefix="playbook-bench-lab-")))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            open_and_run_all(page, lab, "02-timing-and-signals.ipynb")
            views = page.locator(".playbook-view").filter(has=page.locator(".widget-toggle-buttons"))
            views.first.wait_for(timeout=90_000)
            page.locator("#jp-main-statusbar").get_by_text("Idle").first.wait_for(timeout=90_000)
            times = []
            for i in range(min(samples, views.count())):
                view = views.nth(i)
                view.scroll_into_view_if_needed()
                view.locator("button.widget-toggle-button", has_text="Not a signal").click()
                check = view.locator("button", has_text="Check")
                page.wait_for_function("b => !b.disabled", arg=check.element_handle())
                start = time.perf_counter()
                check.click()
                view.locator(".playbook-feedback").wait_for()
                times.append((time.perf_counter() - start) * 1000)
            browser.close()
    finally:
        lab.stop()
    print(f"click to feedback over {len(times)} signal exercises: median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms (target <= 300 ms)")


if __name__ == "__main__":
    main()
