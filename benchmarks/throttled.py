"""Every notebook with explorers under 4× CPU throttling, in JupyterLab and in Voilà (issue 16 §5).

A slow student laptop: Chromium's CPU is throttled (CDP ``Emulation.setCPUThrottlingRate``)
before each page loads; then every explorer's first demo control is operated and its readout
and figure must follow (``harness.check_every_explorer``). The test suite runs the worst page
(every explorer at once, tests/browser/test_throttled.py); this runs each notebook and reports
how long it took, too slow for the suite.

Run: ``./course bench throttled`` or ``.venv/bin/python -m benchmarks.throttled [SLUG ...]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402

THROTTLE_RATE = 4


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(kind: str, slugs: list[str], shots: Path) -> list[tuple[str, str, float, str]]:
    rows = []
    with harness.jupyter_server(kind) as (base, token):
        for slug in slugs:
            started = time.monotonic()
            with harness.chromium_page() as page:
                harness.throttle_cpu(page, THROTTLE_RATE)
                try:
                    if kind == "lab":
                        harness.delete_sessions(base, token)
                        page.goto(f"{base}/lab/tree/notebooks/{slug}.ipynb?reset&token={token}", wait_until="domcontentloaded", timeout=240_000)
                        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=240_000)
                        harness.wait_kernel_idle(page, timeout_ms=240_000)
                        harness.run_all_cells(page, timeout_ms=600_000)
                    else:
                        page.goto(f"{base}/voila/render/{slug}.ipynb?token={token}", wait_until="domcontentloaded", timeout=240_000)
                        page.wait_for_function("n => document.querySelectorAll('.course-explorer .explorer-readout').length >= n",
                                               arg=harness.expected_explorers(slug), timeout=240_000)
                    count = harness.check_every_explorer(page, f"{kind} {slug}", shots, f"throttled-{kind}-{slug}", each=False)
                    verdict = f"ok ({count} explorers follow their controls)"
                except Exception as exc:  # reported, and the next notebook still runs
                    verdict = f"FAILED: {str(exc).splitlines()[0][:160]}"
            rows.append((kind, slug, time.monotonic() - started, verdict))
            print(f"  {kind:<6} {slug:<30} {rows[-1][2]:6.0f} s  {verdict}", flush=True)
    return rows


def main(notebooks: list[str] | None = None) -> bool:
    if not harness.CHROMIUM.exists():
        print("\nThrottled browser run skipped: /usr/bin/chromium is not installed")
        return True
    slugs = notebooks or harness.notebooks_with_explorers()
    shots = Path(tempfile.mkdtemp(prefix="course-throttled-"))
    print(f"\nEvery notebook with explorers, CPU {THROTTLE_RATE}× slower; load average {_load()}, {os.cpu_count()} cores"
          f" (screenshots of failures in {shots})")
    rows = _run("lab", slugs, shots) + _run("voila", slugs, shots)
    ok = all(verdict.startswith("ok") for *_, verdict in rows)
    print(f"  {'all follow their controls' if ok else 'SOME FIGURES DID NOT FOLLOW'}; load average at the end {_load()}")
    return ok


if __name__ == "__main__":
    main(sys.argv[1:] or None)
