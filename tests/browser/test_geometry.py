"""An invalid setting in a real browser (issue 16 §3): its message appears next to the controls,
in view, and the figure is marked as not updated until a valid setting is drawn again.

The page-wide layout checks (slider tracks, overlaps, widths, one screen, tables, NaN/None)
run on every notebook inside ``test_jupyterlab.py`` (tests/browser/geometry.py), so that each
notebook is run once."""

from __future__ import annotations

import pytest

import geometry
import harness

pytestmark = pytest.mark.browser

_PLACEMENT_JS = """e => {
    const box = (s) => e.querySelector(s).getBoundingClientRect();
    const controls = box('.explorer-controls'), message = box('.explorer-message'), figure = box('.explorer-figure');
    const caption = e.querySelector('.not-updated-caption');
    return { gap: message.top - controls.bottom, messageAboveFigure: message.bottom <= figure.top + 1,
             inView: message.top >= 0 && message.bottom <= window.innerHeight,
             messageText: e.querySelector('.explorer-message').innerText.trim(),
             caption: caption ? caption.innerText.trim() : '',
             captionShown: !!caption && caption.getBoundingClientRect().height > 0,
             opacity: parseFloat(getComputedStyle(e.querySelector('.explorer-figure')).opacity),
             notUpdated: e.classList.contains('explorer-not-updated') };
}"""


def _type_concentration(page, explorer, value: str) -> None:
    box = explorer.locator(".explorer-controls input[type=number]").first
    box.fill(value)
    box.press("Enter")


def test_invalid_setting_message_sits_under_the_controls_and_the_figure_is_marked(lab, page, screenshots):
    from widgets.explorers.target_engagement import TargetEngagementExplorer

    control, value = TargetEngagementExplorer.invalid_change
    assert control == "concentration_ng_per_ml"
    explorer = harness.explorer_in_notebook(page, *lab, "03_target_engagement", "TargetEngagementExplorer")
    harness.skip_prediction(page, explorer)
    _type_concentration(page, explorer, f"{value:g}")
    page.wait_for_function("e => e.classList.contains('explorer-not-updated') && e.querySelector('.not-updated-caption')",
                           arg=explorer.element_handle(), timeout=30_000)
    for size, viewport in geometry.SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(500)
        explorer.locator(".explorer-controls").scroll_into_view_if_needed()
        placed = explorer.evaluate(_PLACEMENT_JS)
        page.screenshot(path=str(screenshots / f"invalid-setting-{size}.png"))
        assert placed["messageText"] and "Something went wrong" not in placed["messageText"], placed
        assert 0 <= placed["gap"] <= 30 and placed["messageAboveFigure"], f"{size}: message not next to the controls: {placed}"
        assert placed["inView"], f"{size}: message out of view: {placed}"
        assert placed["captionShown"] and placed["caption"].startswith("Figure not updated"), placed
        assert placed["opacity"] < 0.5, f"{size}: figure not dimmed: {placed}"
    assert "No result" in harness.readout_text(explorer)

    _type_concentration(page, explorer, "185")
    page.wait_for_function("e => !e.classList.contains('explorer-not-updated')", arg=explorer.element_handle(), timeout=30_000)
    placed = explorer.evaluate(_PLACEMENT_JS)
    assert not placed["messageText"] and not placed["captionShown"] and placed["opacity"] == 1, placed
    assert not page.page_errors, f"JavaScript errors: {page.page_errors}"
