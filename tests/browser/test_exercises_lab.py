"""A "Your turn" section in real JupyterLab (headless Chromium, 1280×720): the blank
check says what to fix, a learner types a solution, the check turns to "Correct",
and the worked answer unfolds. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(harness.ROOT))
from exercises import build  # noqa: E402

pytestmark = pytest.mark.browser
SLUG = "03_target_engagement"
QUESTION = "ex03_analgesic_occupancy"


def _cell_with(page, text: str):
    return page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".jp-InputArea", has_text=text)).first


def _type_and_check(page, answer, check, code: str) -> None:
    """Replace the answer cell's code as a learner would, run it, then run the check below it."""
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")
    harness.wait_kernel_idle(page)
    check.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")


def test_your_turn_check_is_readable_and_turns_correct(lab, page, screenshots):
    base, token = lab
    page.set_viewport_size({"width": 1280, "height": 720})
    page.page_errors.clear()
    harness.open_notebook(page, base, token, SLUG)
    harness.run_all_cells(page)
    assert not harness.error_outputs(page)

    check = _cell_with(page, f'grader.check("{QUESTION}")')
    feedback = check.locator(".course-exercise-check")
    feedback.scroll_into_view_if_needed()
    text = feedback.inner_text()
    assert text.startswith("✘ Not yet") and "occupancy_at_160: not implemented yet: replace ... with" in text
    box = feedback.bounding_box()
    assert box and box["width"] <= 1280 and box["height"] > 20, box  # on screen, not squeezed
    assert feedback.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "feedback text is cut off horizontally"
    page.screenshot(path=str(screenshots / "lab-03-your-turn-blank.png"))

    # The learner applies the free fraction twice, runs the cell and the check: a hint, not a traceback.
    solution = build.solutions_by_question(build.SOURCES_DIR / f"{SLUG}.ipynb")[QUESTION]
    answer = _cell_with(page, "def nmda_occupancy")
    _type_and_check(page, answer, check, solution.replace("total_ng_per_ml), fu)", "total_ng_per_ml) * fu, fu)"))
    page.wait_for_function("e => e.innerText.includes('applied twice')", arg=feedback.element_handle(), timeout=60_000)
    assert "occupancy_at_160 = 0.387 is not right yet: the free fraction was applied twice" in feedback.inner_text()
    page.screenshot(path=str(screenshots / "lab-03-your-turn-hint.png"))

    # Then the solution: the check turns to "Correct".
    _type_and_check(page, answer, check, solution)
    page.wait_for_function("e => e.innerText.includes('Correct')", arg=feedback.element_handle(), timeout=60_000)
    assert feedback.inner_text().startswith("✔ Correct")

    worked = check.locator("xpath=following-sibling::div[contains(@class,'jp-Cell')][1]")
    worked.locator("summary", has_text="Worked answer").click()
    worked.locator("pre").first.wait_for(state="visible", timeout=10_000)
    assert "fraction_occupied(free_um, ki_um)" in worked.inner_text()
    feedback.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "lab-03-your-turn-solved.png"))
    assert not page.page_errors, page.page_errors
