"""Every notebook in real JupyterLab in headless Chromium: run all cells, no
error output, operate each explorer's first demo control and see the readout
and the plot change; a screenshot per notebook and per explorer; axe-core finds no
serious or critical violation in the notebook's content (tests/browser/axe_audit.py); the
page's layout measured at 1280×720 (file browser open) and 1400×1000 (tests/browser/geometry.py)."""

from __future__ import annotations

import json

import pytest

import axe_audit
import geometry
import harness

pytestmark = pytest.mark.browser
NOTEBOOKS = sorted(p.stem for p in harness.NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb"))


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
    layout = geometry.problems_at_both_sizes(page, screenshots, f"lab-{slug}-layout")
    assert not any(layout.values()), f"{slug}: layout problems:\n" + "\n".join(
        f"  {size}: {problem}" for size, problems in layout.items() for problem in problems)

    expected = harness.expected_explorers(slug)
    count = harness.check_every_explorer(page, slug, screenshots, f"lab-{slug}", each=True)
    assert count >= expected, f"{slug}: {expected} explorer calls but {count} explorers rendered"
    assert not page.page_errors, f"{slug}: JavaScript errors: {page.page_errors}"
    audit = axe_audit.audit(page, f"lab/{slug}", "jupyterlab")
    assert not audit.course(axe_audit.BLOCKING), audit.blocking_message()


def _claim_on_card(checker, claims) -> dict:
    """The claim on the card, found in the claims table by its text (learners see no claim ids)."""
    from widgets.models import claims as model

    lines = checker.locator(".claim-card").inner_text().split("\n")
    text = next(line for line in lines if line.startswith("Claim:")).removeprefix("Claim:").strip()
    return model.claim_by_id(claims, claims.loc[claims["claim"].str.strip() == text, "id"].iloc[0])


def _toggle(checker, verdict: str):
    """The learner's verdict button (exact name: 'supported' is not 'partly supported')."""
    return checker.locator(".widget-toggle-buttons").get_by_role("button", name=verdict, exact=True)


def test_claim_checker_reveal_in_the_browser(lab, page, screenshots):
    """Notebook 11: Reveal stays disabled until the learner picks a verdict; then it shows the
    course's verdict, reason and evidence badges from the claims table and updates the tally."""
    from widgets.models import claims as model

    claims = model.load_claims()
    checker = harness.explorer_in_notebook(page, *lab, "11_reading_sources", "ClaimCheckerExplorer")
    reveal = checker.locator("button", has_text="Reveal")
    result = checker.locator(".claim-result")
    tally = checker.locator(".claim-tally")
    assert reveal.is_disabled(), "Reveal must wait for the learner's verdict"
    assert "No claims graded yet" in tally.inner_text()

    # 1. Agree with the course.
    first = _claim_on_card(checker, claims)
    _toggle(checker, first["verdict"]).click()
    page.wait_for_function("b => !b.disabled", arg=reveal.element_handle(), timeout=15_000)
    reveal.click()
    page.wait_for_function("e => e.innerText.includes('Course verdict')", arg=result.element_handle(), timeout=15_000)
    shown = result.inner_text()
    assert f"Course verdict: {first['verdict']}" in shown and "You agree with the course." in shown
    assert first["explanation"][:60] in shown
    assert result.locator(".evidence-badge").count() == len(first["evidence"]) > 0
    page.wait_for_function("e => e.innerText.includes('agreed with the course on 1 of 1 claims (100%)')",
                           arg=tally.element_handle(), timeout=15_000)  # the tally updates just after the result
    assert reveal.is_disabled() and checker.locator(".widget-toggle-buttons button").first.is_disabled()
    checker.screenshot(path=str(screenshots / "lab-11-claim-checker-revealed.png"))

    # 2. Next claim: the reveal is cleared; disagree by the largest possible step.
    checker.locator("button", has_text="Next claim").click()
    page.wait_for_function(f"e => !e.innerText.includes({json.dumps(first['claim'])})",
                           arg=checker.locator(".claim-card").element_handle(), timeout=15_000)
    assert result.inner_text().strip() == "" and reveal.is_disabled()
    second = _claim_on_card(checker, claims)
    opposite = model.VERDICTS[0] if model.VERDICTS.index(second["verdict"]) >= 2 else model.VERDICTS[-1]
    steps = model.verdict_distance(opposite, second["verdict"])
    _toggle(checker, opposite).click()
    page.wait_for_function("b => !b.disabled", arg=reveal.element_handle(), timeout=15_000)
    reveal.click()
    page.wait_for_function("e => e.innerText.includes('Course verdict')", arg=result.element_handle(), timeout=15_000)
    assert f"Course verdict: {second['verdict']}" in result.inner_text()
    assert (f"{steps} steps away" if steps > 1 else "One step away") in result.inner_text()
    page.wait_for_function("e => e.innerText.includes('agreed with the course on 1 of 2 claims (50%)')",
                           arg=tally.element_handle(), timeout=15_000)
    assert not page.page_errors, f"JavaScript errors: {page.page_errors}"
