"""The quiz, a recorded prediction and saved progress in real JupyterLab (headless Chromium).

* Notebook 00: answer a question wrongly twice (its own feedback, then the answer), another
  rightly, restart the kernel, run again: the progress view still shows the score; export the CSV.
* Notebook 07: the readout is hidden until a prediction is locked; then it stands beside it.
* Notebook 12 (the longest options of the course): no two options overlap and each keeps
  its radio circle, at 1400×1000 and 1280×720.
"""

from __future__ import annotations

import csv
import io

import pytest

import course_data
import harness
from widgets.quiz import answer_text, option_feedback

pytestmark = pytest.mark.browser
SIZES = {"1400x1000": {"width": 1400, "height": 1000}, "1280x720": {"width": 1280, "height": 720}}


def _question_element(page, spec):
    """The rendered question whose prompt is ``spec``'s."""
    return page.locator(".quiz-question").filter(has_text=spec["prompt"][:60]).first


def _choose(question, text: str) -> None:
    question.locator(".widget-radio-box label").filter(has_text=text).first.click()


def _feedback_after_check(page, question, before: str) -> str:
    question.locator("button", has_text="Check").click()
    feedback = question.locator(".quiz-feedback")
    page.wait_for_function("([e, old]) => e.innerText.trim() && e.innerText !== old",
                           arg=[feedback.element_handle(), before], timeout=15_000)
    return feedback.inner_text()


def _restart_and_clear(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Clear Outputs of All Cells").first.click()
    page.locator(".jp-Dialog .jp-mod-accept").first.click()
    page.wait_for_function("() => document.querySelectorAll('.quiz-question').length === 0", timeout=60_000)
    harness.wait_kernel_idle(page)


def _shoot(page, element, screenshots, name: str) -> None:
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        element.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        element.screenshot(path=str(screenshots / f"{name}-{size}.png"))
    page.set_viewport_size(harness.VIEWPORT)


def test_two_attempts_then_the_answer_and_progress_survives_a_restart(lab, page, screenshots):
    harness.open_and_run(page, *lab, "00_start_here")
    assert not harness.error_outputs(page)
    choice = [q for q in course_data.questions("00_start_here") if q["type"] == "multiple_choice"]
    wrongly, rightly = choice[0], choice[1]
    question = _question_element(page, wrongly)
    question.scroll_into_view_if_needed()
    first, second = [i for i in range(len(wrongly["options"])) if i != wrongly["answer"]][:2]

    # First wrong attempt: that option's own feedback, and no answer yet.
    _choose(question, wrongly["options"][first]["text"])
    shown = _feedback_after_check(page, question, "")
    assert option_feedback(wrongly, first) in shown and "Try once more" in shown
    assert answer_text(wrongly) not in shown and wrongly["explanation"][:40] not in shown
    _shoot(page, question, screenshots, "quiz-first-wrong")

    # Editing the answer clears the verdict; the second wrong attempt shows its feedback, then the answer.
    _choose(question, wrongly["options"][second]["text"])
    page.wait_for_function("e => e.innerText.trim() === ''", arg=question.locator(".quiz-feedback").element_handle(), timeout=15_000)
    shown = _feedback_after_check(page, question, "")
    assert shown.index(option_feedback(wrongly, second)) < shown.index(f"The answer is: {answer_text(wrongly)}")
    assert wrongly["explanation"][:40] in shown
    assert question.locator("button", has_text="Check").is_disabled()
    _shoot(page, question, screenshots, "quiz-answer-shown")

    right = _question_element(page, rightly)
    right.scroll_into_view_if_needed()
    _choose(right, rightly["options"][rightly["answer"]]["text"])
    assert _feedback_after_check(page, right, "").startswith("Correct.")

    view = page.locator(".course-progress").first
    total = len(course_data.questions("00_start_here"))
    expected = f"1 of {total} correct (2 answered)"
    page.wait_for_function("([e, t]) => e.innerText.includes(t)", arg=[view.element_handle(), expected], timeout=15_000)

    # A new kernel: the answers are gone from the page, the saved progress is not.
    _restart_and_clear(page)
    harness.run_all_cells(page)
    view = page.locator(".course-progress").first
    view.scroll_into_view_if_needed()
    assert expected in view.inner_text(), view.inner_text()[:600]
    assert (wrongly.get("section_title") or wrongly["section"]) in view.inner_text(), "the section to revisit"
    assert "Saved on this computer (first answers)" in page.locator(".course-quiz").first.inner_text()
    _shoot(page, view, screenshots, "progress-view")

    # Export: a download made in the page.
    with page.expect_download(timeout=15_000) as download:
        view.locator("button", has_text="Export CSV").click()
        link = view.locator(".progress-download a")
        link.wait_for(timeout=15_000)
        assert (link.get_attribute("href") or "").startswith("data:text/csv")
        link.click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    results = {r["item"]: r["result"] for r in rows if r["kind"] == "quiz"}
    assert results == {wrongly["id"]: "wrong", rightly["id"]: "correct"}
    assert not page.page_errors, f"JavaScript errors: {page.page_errors}"


def test_a_prediction_is_locked_before_the_readout_and_stays_beside_it(lab, page, screenshots):
    from widgets.explorers.ssris import SSRIKineticsExplorer
    from widgets.prediction import closeness, with_unit

    explorer = harness.explorer_in_notebook(page, *lab, "07_ssris", "SSRIKineticsExplorer")
    assert harness.MASK_TEXT in harness.readout_text(explorer)
    assert "prediction-pending" in (explorer.get_attribute("class") or "")
    blur = explorer.evaluate("""e => [...e.children].map(c => [
        ['explorer-title', 'explorer-prompt', 'prediction-box', 'explorer-controls', 'explorer-readout', 'explorer-message']
            .some(k => c.classList.contains(k)),
        getComputedStyle(c).filter !== 'none'])""")
    assert not any(blurred for kept, blurred in blur if kept), "controls, readout and the box stay sharp"
    assert any(blurred for kept, blurred in blur if not kept), "the figure is blurred while the prediction is pending"
    _shoot(page, explorer, screenshots, "prediction-pending")

    truth = SSRIKineticsExplorer().prediction_box.truth()
    try:
        result = harness.make_prediction(page, explorer, "5")
    except Exception:
        explorer.screenshot(path=str(screenshots / "prediction-FAILED.png"))
        print(explorer.inner_text()[:1500], harness.error_outputs(page), page.page_errors)
        raise
    assert result.startswith(f"Your prediction: You predicted 5 days; the model gives {with_unit(truth, 'days')}: "
                             f"{closeness(5, truth)[0]}.")
    readout = harness.readout_text(explorer)
    assert "90 % of steady state after 3.6 days" in readout and harness.MASK_TEXT not in readout
    _shoot(page, explorer.locator(".explorer-readout").first, screenshots, "prediction-beside-readout")
    _shoot(page, explorer.locator(".prediction-box").first, screenshots, "prediction-locked")
    # The learner moves on; the prediction stays beside the readout.
    before, before_figure = harness.readout_text(explorer), harness.figure_signature(explorer)
    harness.operate_control(page, explorer, harness.demo_control_index("SSRIKineticsExplorer"))
    try:
        harness.wait_for_change(page, explorer, before, before_figure, timeout_ms=60_000)
    except Exception:
        explorer.screenshot(path=str(screenshots / "prediction-move-FAILED.png"))
        raise
    assert "You predicted 5 days" in harness.readout_text(explorer)
    assert not page.page_errors, f"JavaScript errors: {page.page_errors}"


_OPTION_GEOMETRY_JS = """() => {
    const problems = [];
    let count = 0;
    for (const box of document.querySelectorAll('.course-quiz .widget-radio-box, .prediction-box .widget-radio-box')) {
        const labels = [...box.querySelectorAll('label')];
        labels.forEach((label, i) => {
            count++;
            const r = label.getBoundingClientRect();
            const input = label.querySelector('input[type=radio]');
            const c = input ? input.getBoundingClientRect() : null;
            if (!c || c.width < 8 || c.height < 8 || c.left < r.left - 1 || c.right > r.right + 1 || c.top < r.top - 1 || c.bottom > r.bottom + 1)
                problems.push('radio circle missing or outside its label: ' + label.innerText.slice(0, 60));
            else if (c.left > r.left + 12)
                problems.push('radio circle is not at the start of its option: ' + label.innerText.slice(0, 60));
            if (label.scrollHeight > label.clientHeight + 2)
                problems.push('text overflows its label: ' + label.innerText.slice(0, 60));
            const next = labels[i + 1];
            if (next && next.getBoundingClientRect().top < r.bottom - 1)
                problems.push('overlaps the next option: ' + label.innerText.slice(0, 60));
        });
    }
    return [count, problems];
}"""


def test_long_options_neither_overlap_nor_lose_their_radio_circle(lab, page, screenshots):
    """At both screen sizes, and in a narrow column where every long option must wrap."""
    harness.open_and_run(page, *lab, "12_review")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(500)
        count, problems = page.evaluate(_OPTION_GEOMETRY_JS)
        assert count > 20, f"{size}: only {count} options rendered"
        assert not problems, f"{size}: " + "; ".join(problems[:10])
    # Options long for their column (a side panel open, a phone, a long translation) wrap under their circle.
    wrapped = page.evaluate("""() => {
        document.querySelectorAll('.course-quiz').forEach(q => { q.style.width = '340px'; });
        const labels = [...document.querySelectorAll('.course-quiz .widget-radio-box label')];
        const label = labels.reduce((a, b) => (b.innerText.length > a.innerText.length ? b : a));
        label.closest('.quiz-question').classList.add('longest-option-question');
        const lines = l => l.getBoundingClientRect().height / parseFloat(getComputedStyle(l).lineHeight);
        return labels.filter(l => lines(l) > 1.6).length;
    }""")
    page.wait_for_timeout(300)
    count, problems = page.evaluate(_OPTION_GEOMETRY_JS)
    assert wrapped >= 5, f"only {wrapped} options wrapped in a 340-px column"
    assert not problems, "narrow column: " + "; ".join(problems[:10])
    _shoot(page, page.locator(".longest-option-question").first, screenshots, "quiz-long-options")
