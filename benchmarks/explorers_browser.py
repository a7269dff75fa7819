"""Slider-to-plot time in headless Chromium (JupyterLab): a learner's control
change until the readout and the plot have both changed. Target: p95 ≤ 150 ms."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.stats import report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402

TARGET_P95_MS = 150.0


def main(repeats: int = 12, notebooks: list[str] | None = None) -> bool:
    if not harness.CHROMIUM.exists():
        print("\nBrowser benchmark skipped: /usr/bin/chromium is not installed")
        return True
    rows = []
    with harness.jupyter_server("lab") as (base, token), harness.chromium_page() as page:
        for slug in notebooks or harness.notebooks_with_explorers():
            harness.open_notebook(page, base, token, slug)
            harness.run_all_cells(page)
            explorers = page.locator(".course-explorer")
            for i in range(explorers.count()):
                explorer = explorers.nth(i)
                name = harness.explorer_class(explorer)
                index = harness.demo_control_index(name)
                samples = []
                for _ in range(repeats):
                    text = harness.readout_text(explorer)
                    has_plot = explorer.locator(".js-plotly-plot").count() > 0
                    figure = harness.figure_signature(explorer) if has_plot else None
                    harness.operate_control(page, explorer, index, big_step=False)
                    samples.append(harness.wait_for_change(page, explorer, text, figure))
                rows.append((f"{slug} {name}", samples))
    return report("Browser control-to-plot (JupyterLab, headless Chromium)", rows, TARGET_P95_MS)


if __name__ == "__main__":
    main()
