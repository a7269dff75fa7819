"""Instructor demo mode: each notebook with explorers served by Voilà (sources
stripped) loads offline, shows no code, and every explorer on it responds."""

from __future__ import annotations

import pytest

import harness

pytestmark = pytest.mark.browser

# Seen in Voilà 0.5.13 with plotly 7 only (not in JupyterLab, where the same notebooks
# raise no page error): plotly's bundle calls setData while rendering static figures, and
# anywidget sometimes reports a figure model it could not initialise (see below). Every
# explorer's readout still responds (asserted); any other page error fails the test.
KNOWN_VOILA_PAGE_ERRORS = ("r.setData is not a function", "[anywidget] Failed to initialize model.")


@pytest.mark.parametrize("slug", harness.notebooks_with_explorers())
def test_voila_demo_shows_working_explorers_without_code(slug, voila, page, screenshots):
    base, token = voila
    page.page_errors.clear()  # one page serves every notebook: count only this notebook's errors
    page.goto(f"{base}/voila/render/{slug}.ipynb?token={token}", wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(".course-explorer .explorer-readout", timeout=120_000)
    page.wait_for_timeout(1000)
    code = page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor")
    assert code.count() == 0, f"{slug}: Voilà demo shows source code"
    body = page.inner_text("body")
    assert "Traceback" not in body, f"{slug}: traceback visible in Voilà"
    explorers = page.locator(".course-explorer")
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        name = harness.explorer_class(explorer)
        before_text = harness.readout_text(explorer)
        # Plot changes are asserted in JupyterLab (test_jupyterlab.py). Here the readout must
        # change: in Voilà 0.5.13 one FigureWidget per page sometimes fails to initialise its
        # browser model ("[anywidget] Failed to initialize model."), and that plot then stops
        # following its controls although the kernel side (readout) still works. Known defect.
        action = harness.operate_control(page, explorer, harness.demo_control_index(name))
        try:
            harness.wait_for_change(page, explorer, before_text, None)
        except Exception as exc:
            raise AssertionError(f"{slug} {name} in Voilà: {action} did not change the readout: {exc}") from None
        if i == 0:
            page.screenshot(path=str(screenshots / f"voila-{slug}.png"))
    unexpected = [e for e in page.page_errors if not any(known in e for known in KNOWN_VOILA_PAGE_ERRORS)]
    assert not unexpected, f"{slug}: JavaScript errors in Voilà: {unexpected}"
