"""Control-to-pixels time in headless Chromium (JupyterLab), per explorer, timed inside the page.

For each sample one control change is made as a learner makes it (a slider moves one
keyboard page, a dropdown goes to its next option, a box is ticked) and the page
itself times, from the input event's own timestamp (``event.timeStamp`` on the
control, the clock of ``performance.now()``):

* **input → readout**: the first change of the readout's (or message's) text;
  target p95 ≤ 100 ms;
* **input → final plot pixels**: the last DOM mutation inside the plot, found by
  one ``MutationObserver`` installed before the change and a quiet period of
  ``QUIET_MS`` measured in the page; target p95 ≤ 150 ms;
* **input → first server message** (no target): when the kernel has taken up the
  change; the rest of each time is the kernel's update and the browser's drawing.

No Playwright round trip is inside a measurement (see ``harness.timed_change``). Each
sample waits for the quiet period before the next change, so one sample's work never
runs into the next. Every explorer class is measured once, on the first notebook
that shows it, after ``WARMUP`` changes; JupyterLab runs with its default windowing
(content visibility), as a learner has it. The machine's load average is printed at
the start and the end: on a shared machine take numbers only when it is low.

Run: ``./course bench browser`` or ``.venv/bin/python -m benchmarks.explorers_browser [SLUG ...]``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks.stats import report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402

TARGET_PLOT_P95_MS = 150.0
TARGET_READOUT_P95_MS = 100.0
QUIET_MS = 300
REPEATS = 20
WARMUP = 3


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def measure_explorer(page, explorer, index: int, repeats: int, warmup: int):
    """(readout ms, plot ms, first-reply ms, problems) for ``repeats`` changes of control ``index`` after ``warmup``."""
    readout, plot, reply, problems = [], [], [], []
    for attempt in range(warmup + repeats):
        sample = harness.timed_change(page, explorer, index, quiet_ms=QUIET_MS)
        if sample["status"] != "ok" or not sample["input_seen"]:
            problems.append(f"sample {attempt}: {sample}")
            continue
        if attempt < warmup:  # the first changes after Run All warm up plotly and the comm
            continue
        readout.append(sample["readout_ms"])
        if sample["kernel_reply_ms"] is not None:
            reply.append(sample["kernel_reply_ms"])
        if sample["has_plot"]:
            if sample["plot_ms"] is None:
                problems.append(f"sample {attempt}: the plot did not change")
            else:
                plot.append(sample["plot_ms"])
    return readout, plot, reply, problems


def main(repeats: int = REPEATS, warmup: int = WARMUP, notebooks: list[str] | None = None) -> bool:
    if not harness.CHROMIUM.exists():
        print("\nBrowser benchmark skipped: /usr/bin/chromium is not installed")
        return True
    start_load = _load()
    print(f"\nBrowser benchmark: load average (1 / 5 / 15 min) at start {start_load}, {os.cpu_count()} cores")
    readout_rows, plot_rows, reply_rows, measured = [], [], [], set()
    with harness.jupyter_server("lab", windowing="contentVisibility") as (base, token), harness.chromium_page() as page:
        page.add_init_script(harness.TIMING_INIT_SCRIPT)
        for slug in notebooks or harness.notebooks_with_explorers():
            harness.open_and_run(page, base, token, slug)
            explorers = page.locator(".course-explorer")
            for i in range(explorers.count()):
                explorer = explorers.nth(i)
                name = harness.explorer_class(explorer)
                if name in measured:
                    continue
                measured.add(name)
                explorer.scroll_into_view_if_needed()
                harness.skip_prediction(page, explorer)
                readout, plot, reply, problems = measure_explorer(page, explorer, harness.demo_control_index(name), repeats, warmup)
                for problem in problems[:3]:
                    print(f"  {slug} {name}: {problem}")
                label = f"{slug[:2]} {name}"
                if readout:
                    readout_rows.append((label, readout))
                if plot:
                    plot_rows.append((label, plot))
                if reply:
                    reply_rows.append((label, reply))
    readout_ok = report("Input event → readout updated (in the page)", readout_rows, TARGET_READOUT_P95_MS)
    plot_ok = report(f"Input event → last plot mutation (in the page; quiet {QUIET_MS} ms after)", plot_rows,
                     TARGET_PLOT_P95_MS)
    report("Input event → first message from the server (the kernel has the change; no target)", reply_rows)
    print(f"\n  load average at start {start_load}, at end {_load()}")
    return readout_ok and plot_ok


if __name__ == "__main__":
    main(notebooks=sys.argv[1:] or None)
