"""Click-to-feedback time in a real browser: JupyterLab in Debian's Chromium (target <= 300 ms).

Opens 02-timing-and-signals, runs all cells, then for each signal exercise on the page clicks
"Not a signal" and Check, and times Check until the feedback is on screen.
Run: .venv/bin/python benchmarks/browser_feedback.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_browser import Lab, answer_not_a_signal, chromium_page, open_and_run_all


def main(samples: int = 8) -> None:
    lab = Lab(Path(tempfile.mkdtemp(prefix="playbook-bench-lab-")))
    try:
        with chromium_page() as page:
            open_and_run_all(page, lab, "02-timing-and-signals.ipynb")
            views = page.locator(".playbook-view").filter(has=page.locator(".widget-toggle-buttons"))
            views.first.wait_for(timeout=90_000)
            page.locator("#jp-main-statusbar").get_by_text("Idle").first.wait_for(timeout=90_000)
            times = [answer_not_a_signal(page, views.nth(i)) for i in range(min(samples, views.count()))]
    finally:
        lab.stop()
    print(f"click to feedback over {len(times)} signal exercises: median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms (target <= 300 ms)")


if __name__ == "__main__":
    main()
