"""Accessibility in JupyterLab and Voilà in headless Chromium, beyond the axe-core audits the other
browser tests run on every page (tests/browser/axe_audit.py); the book's badge test is in
test_book_browser.py (one Playwright instance per module), with the same checks
(tests/browser/accessibility_checks.py):

* an evidence badge is reached with Tab and opens with Enter or Space, and by a tap, in the
  static book, in JupyterLab and in Voilà (no kernel needed: it is an HTML popover); the
  browser tells assistive technology whether it is expanded; Escape, a tap elsewhere and its
  Close button close it; its panel fits a phone's screen;
* every explorer's figure has its text description in the page, right after the figure,
  hidden on screen; every static figure has its caption beneath it;
* every explorer slider is announced with its description (widgets/slider_labels.py).
"""

from __future__ import annotations

import pytest

import harness
from accessibility_checks import PHONE, check_badge_by_keyboard, check_badge_by_touch, check_figure_descriptions, check_slider_names, shooter

pytestmark = pytest.mark.browser
BADGE_NOTEBOOK = "04_pharmacokinetics"  # key numbers with badges, an explorer with sliders, static figures


def test_jupyterlab_badges_open_by_keyboard_figures_are_described_sliders_named(lab, screenshots):
    # Its own page, closed at the end (not the module's ``page`` fixture): the Voilà test below starts
    # Playwright again, which cannot run while another sync Playwright is still open.
    with harness.chromium_page() as page:
        harness.open_and_run(page, *lab, BADGE_NOTEBOOK)
        badge = page.locator(".jp-OutputArea-output .course-facts .evidence-badge").first
        check_badge_by_keyboard(page, badge, "lab", "jupyterlab", shooter(page, screenshots))
        check_figure_descriptions(page, f"lab {BADGE_NOTEBOOK}")
        check_slider_names(page, f"lab {BADGE_NOTEBOOK}")
        assert not page.page_errors, page.page_errors


def test_voila_badges_open_by_keyboard_and_by_touch(voila, screenshots):
    base, token = voila
    url = f"{base}/voila/render/{BADGE_NOTEBOOK}.ipynb?token={token}"
    with harness.chromium_page() as page:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        badge = page.locator(".course-facts .evidence-badge").first
        badge.wait_for(timeout=120_000)
        check_badge_by_keyboard(page, badge, "voila", "voila", shooter(page, screenshots))
        check_figure_descriptions(page, f"voila {BADGE_NOTEBOOK}")
        check_slider_names(page, f"voila {BADGE_NOTEBOOK}")
    with harness.chromium_page(**PHONE) as page:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        badge = page.locator(".course-facts .evidence-badge").first
        badge.wait_for(timeout=120_000)
        check_badge_by_touch(page, badge, "voila-phone", shooter(page, screenshots))
