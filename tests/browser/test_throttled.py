"""A slow laptop (issue 16 §5): Chromium's CPU throttled 4× (CDP ``Emulation.setCPUThrottlingRate``)
before the page loads: every explorer's readout and figure still follow its controls, in the
notebook with the most explorers in JupyterLab, and on a Voilà page with every explorer of the
course at once (a stricter Voilà case than any one notebook, so the suite runs only that one).

anywidget gives each figure 2 s to start and a figure that misses it never hears from the
kernel again (see widgets/figure.py). Every notebook one by one, throttled, in both, is
``benchmarks throttled`` (too slow for the suite).
"""

from __future__ import annotations

import nbformat
import pytest

import harness

pytestmark = pytest.mark.browser
THROTTLE_RATE = 4
# An explorer's figure is drawn when its plot has a trace (or it has no figure at all).
_DRAWN = "!e.querySelector('.explorer-figure') || !!e.querySelector('.js-plotly-plot .main-svg .trace, .js-plotly-plot .main-svg .hm')"
EVERY_EXPLORER_CELL = ("from IPython.display import display\nfrom widgets.explorers import all_explorers\n"
                       "for explorer_class in all_explorers().values():\n    display(explorer_class())")


@pytest.fixture(scope="module")
def every_explorer_notebook(chromium, tmp_path_factory):
    """A folder with one notebook that shows every explorer of the course."""
    folder = tmp_path_factory.mktemp("throttled")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Every explorer on one page"), nbformat.v4.new_code_cell(EVERY_EXPLORER_CELL)]
    # a kernel named, so JupyterLab starts it without asking
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, folder / "all_explorers.ipynb")
    return folder


@pytest.fixture()
def slow_page(chromium):
    with harness.chromium_page() as page:
        harness.throttle_cpu(page, THROTTLE_RATE)
        yield page


def _operate_all(page, where: str, screenshots, prefix: str, count: int) -> None:
    page.wait_for_function("n => document.querySelectorAll('.course-explorer .explorer-readout').length >= n",
                           arg=count, timeout=240_000)
    try:
        page.wait_for_function(f"() => [...document.querySelectorAll('.course-explorer')].every(e => {_DRAWN})", timeout=240_000)
    except Exception:
        page.screenshot(path=str(screenshots / f"{prefix}-not-drawn-FAILED.png"), full_page=True)
        undrawn = page.evaluate(f"() => [...document.querySelectorAll('.course-explorer')].filter(e => !({_DRAWN}))"
                                ".map(e => [...e.classList].find(c => c.startsWith('explorer-class-')))")
        raise AssertionError(f"{where}: figures never drawn in {undrawn}") from None
    operated = harness.check_every_explorer(page, where, screenshots, prefix, each=False)
    assert operated >= count


def test_every_explorer_follows_its_controls_in_voila_at_4x_throttle(every_explorer_notebook, slow_page, screenshots):
    from widgets.explorers import all_explorers

    with harness.jupyter_server("voila", target=str(every_explorer_notebook)) as (base, token):
        slow_page.goto(f"{base}/voila/render/all_explorers.ipynb?token={token}", wait_until="domcontentloaded", timeout=240_000)
        _operate_all(slow_page, f"Voilà, every explorer, CPU {THROTTLE_RATE}× slower", screenshots, "throttled-voila-all",
                     len(all_explorers()))
    errors = [e for e in slow_page.page_errors if "r.setData is not a function" not in e]  # see test_voila.py
    assert not errors, f"JavaScript errors: {errors}"


BUSIEST = max(harness.notebooks_with_explorers(), key=harness.expected_explorers)


def test_busiest_notebook_follows_its_controls_in_jupyterlab_at_4x_throttle(lab, slow_page, screenshots):
    base, token = lab
    harness.delete_sessions(base, token)
    slow_page.goto(f"{base}/lab/tree/notebooks/{BUSIEST}.ipynb?reset&token={token}", wait_until="domcontentloaded", timeout=240_000)
    slow_page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=240_000)
    harness.wait_kernel_idle(slow_page, timeout_ms=240_000)
    harness.run_all_cells(slow_page, timeout_ms=480_000)
    _operate_all(slow_page, f"JupyterLab {BUSIEST}, CPU {THROTTLE_RATE}× slower", screenshots, "throttled-lab",
                 harness.expected_explorers(BUSIEST))
    assert not slow_page.page_errors, f"JavaScript errors: {slow_page.page_errors}"
