"""Every notebook in real JupyterLab in headless Chromium: run all cells, no
error output, operate each explorer's first demo control and see the readout
and the plot change; a screenshot per notebook and per explorer."""

from __future__ import annotations

import pytest

import harness

pytestmark = pytest.mark.browser
NOTEBOOKS = sorted(p.stem for p in harness.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("slug", NOTEBOOKS)
def test_notebook_runs_and_explorers_respond(slug, lab, page, screenshots):
    base, token = lab
    page.page_errors.clear()  # one page serves every notebook: count only this notebook's errors
    harness.open_notebook(page, base, token, slug)
    harness.run_all_cells(page)
    errors = harness.error_outputs(page)
    assert not errors, f"{slug}: error or warning output in JupyterLab:\n" + "\n---\n".join(errors)
    page.locator(".jp-Notebook .jp-Cell").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"lab-{slug}.png"))

    explorers = page.locator(".course-explorer")
    count = explorers.count()
    expected = sum(src.count("Explorer(") for src in harness.notebook_code_cells(slug))
    assert count >= expected, f"{slug}: {expected} explorer calls but {count} explorers rendered"
    for i in range(count):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        name = harness.explorer_class(explorer)
        assert name, f"{slug} explorer {i}: no explorer-class marker"
        before_text = harness.readout_text(explorer)
        assert before_text.strip(), f"{slug} {name}: empty readout"
        has_plot = explorer.locator(".js-plotly-plot").count() > 0
        before_fig = harness.figure_signature(explorer) if has_plot else None
        action = harness.operate_control(page, explorer, harness.demo_control_index(name))
        try:
            harness.wait_for_change(page, explorer, before_text, before_fig)
        except Exception as exc:
            explorer.screenshot(path=str(screenshots / f"lab-{slug}-{i}-{name}-FAILED.png"))
            raise AssertionError(f"{slug} {name}: {action} did not change the readout and the plot: {exc}") from None
        explorer.screenshot(path=str(screenshots / f"lab-{slug}-{i}-{name}.png"))
    assert not page.page_errors, f"{slug}: JavaScript errors: {page.page_errors}"
