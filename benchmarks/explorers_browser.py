"""Slider-to-plot time in headless Chromium (JupyterLab): a learner's control
change until the readout and the plot have both changed and the explorer has
finished redrawing (its last DOM change). Target: p95 ≤ 150 ms."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.stats import report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402

TARGET_P95_MS = 150.0
# A sample ends at the explorer's last DOM change, once nothing has changed for this long.
SETTLE_MS = 300


def main(repeats: int = 20, warmup: int = 2, notebooks: list[str] | None = None) -> bool:
    if not harness.CHROMIUM.exists():
        print("\nBrowser benchmark skipped: /usr/bin/chromium is not installed")
        return True
    rows = []
    # JupyterLab's default windowing, as a learner has it (the tests render every cell instead).
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
                samples = []
                for attempt in range(warmup + repeats):
                    text = harness.readout_text(explorer)
                    has_plot = explorer.locator(".js-plotly-plot").count() > 0
                    figure = harness.figure_signature(explorer) if has_plot else None
                    # One control change per sample (a slider moves one keyboard page).
                    harness.operate_control(page, explorer, index)
                    try:
                        elapsed = harness.wait_for_change(page, explorer, text, figure, timeout_ms=10_000, allow_message=True,
                                                          settle_ms=SETTLE_MS)
                        if attempt >= warmup:  # the first changes after Run All warm up plotly and the comm
                            samples.append(elapsed)
                    except Exception as exc:  # report, do not abort the whole benchmark
                        print(f"  {slug} {name}: no change within 10 s ({type(exc).__name__})")
                        break
                if samples:
                    rows.append((f"{slug} {name}", samples))
    return report("Browser control-to-plot (JupyterLab, headless Chromium)", rows, TARGET_P95_MS)


if __name__ == "__main__":
    main()
