"""Instructor demo mode: each notebook with explorers served by Voilà (sources
stripped) loads offline, shows no code, and its explorers respond."""

from __future__ import annotations

import pytest

import harness

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("slug", harness.notebooks_with_explorers())
def test_voila_demo_shows_working_explorers_without_code(slug, voila, page, screenshots):
    base, token = voila
    page.goto(f"{base}/voila/render/{slug}.ipynb?token={token}", wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(".course-explorer .explorer-readout", timeout=120_000)
    page.wait_for_timeout(1000)
    code = page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor")
    assert code.count() == 0, f"{slug}: Voilà demo shows source code"
    body = page.inner_text("body")
    assert "Traceback" not in body, f"{slug}: traceback visible in Voilà"
    explorer = page.locator(".course-explorer").first
    name = harness.explorer_class(explorer)
    before_text = harness.readout_text(explorer)
    has_plot = explorer.locator(".js-plotly-plot").count() > 0
    before_fig = harness.figure_signature(explorer) if has_plot else None
    harness.operate_control(page, explorer, harness.demo_control_index(name))
    harness.wait_for_change(page, explorer, before_text, before_fig)
    page.screenshot(path=str(screenshots / f"voila-{slug}.png"))
