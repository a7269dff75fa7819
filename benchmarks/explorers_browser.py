"""Slider-to-plot time in headless Chromium (JupyterLab), per explorer.

For each sample a learner's control change is timed twice:

* **first response** (the target, p95 ≤ 150 ms): until the readout and the plot
  have both changed on screen;
* **redraw finished** (reported, no target): until the explorer's last DOM change,
  once nothing has changed for ``SETTLE_MS``. plotly may redraw in several passes.

Each sample waits for the redraw to finish before the next change, so one sample's
work never runs into the next. JupyterLab runs with its default windowing
(content visibility), as a learner has it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from benchmarks.stats import report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402

TARGET_P95_MS = 150.0
SETTLE_MS = 300


def main(repeats: int = 20, warmup: int = 2, notebooks: list[str] | None = None) -> bool:
    if not harness.CHROMIUM.exists():
        print("\nBrowser benchmark skipped: /usr/bin/chromium is not installed")
        return True
    first_rows, finished_rows = [], []
    with harness.jupyter_server("lab", windowing="contentVisibility") as (base, token), harness.chromium_page() as page:
        for slug in notebooks or harness.notebooks_with_explorers():
            harness.open_notebook(page, base, token, slug)
            harness.run_all_cells(page)
            explorers = page.locator(".course-explorer")
            for i in range(explorers.count()):
                explorer = explorers.nth(i)
                explorer.scroll_into_view_if_needed()
                name = harness.explorer_class(explorer)
                index = harness.demo_control_index(name)
                first, finished = [], []
                for attempt in range(warmup + repeats):
                    text = harness.readout_text(explorer)
                    has_plot = explorer.locator(".js-plotly-plot").count() > 0
                    figure = harness.figure_signature(explorer) if has_plot else None
                    # One control change per sample (a slider moves one keyboard page).
                    harness.operate_control(page, explorer, index)
                    start = time.perf_counter()
                    try:
                        responded = harness.wait_for_change(page, explorer, text, figure, timeout_ms=10_000, allow_message=True)
                        since_last_change = harness.settle(explorer, SETTLE_MS)
                    except Exception as exc:  # report, do not abort the whole benchmark
                        print(f"  {slug} {name}: no change within 10 s ({type(exc).__name__})")
                        break
                    if attempt >= warmup:  # the first changes after Run All warm up plotly and the comm
                        first.append(responded)
                        finished.append((time.perf_counter() - start) * 1000 - since_last_change)
                if first:
                    first_rows.append((f"{slug} {name}", first))
                    finished_rows.append((f"{slug} {name}", finished))
    met = report("Browser control-to-plot, first response (JupyterLab, headless Chromium)", first_rows, TARGET_P95_MS)
    report(f"Browser control-to-plot, redraw finished (no change for {SETTLE_MS} ms after; no target)", finished_rows)
    return met


if __name__ == "__main__":
    main()
