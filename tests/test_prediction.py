"""Recorded predictions (widgets/prediction.py, widgets/explorer_predictions.py), driven headlessly."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import nbformat
import pytest

from widgets import progress
from widgets.explorer_predictions import PREDICTIONS, SERT_CHOICES
from widgets.explorers import all_explorers
from widgets.prediction import MASK_TEXT, closeness

EXPLORERS = all_explorers()
WITH_PREDICTION = sorted(n for n, c in EXPLORERS.items() if c.prediction is not None)
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: The claim checker is the pattern itself: the learner's verdict on each claim comes before the reveal.
OWN_PREDICTION_FLOW = {"ClaimCheckerExplorer"}


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    own = progress.ProgressStore(tmp_path / "progress.json")
    monkeypatch.setattr(progress, "store", lambda: own)
    return own


def _a_guess(box):
    return box.choices[-1] if box.choices else "1"


def _code_cells(slug: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_every_explorer_with_a_predict_prompt_in_notebooks_01_to_11_records_a_prediction():
    used = {name for path in sorted(NOTEBOOKS.glob("[0][1-9]_*.ipynb")) + sorted(NOTEBOOKS.glob("1[01]_*.ipynb"))
            for src in _code_cells(path.stem) for name in re.findall(r"\b(\w+Explorer)\(", src)}
    missing = {n for n in used if "redict" in EXPLORERS[n].prompt and EXPLORERS[n].prediction is None} - OWN_PREDICTION_FLOW
    assert not missing, f"explorers with a 'Predict' prompt but no recorded prediction: {sorted(missing)}"
    assert set(WITH_PREDICTION) <= used and len(WITH_PREDICTION) == 17


@pytest.mark.parametrize("name", WITH_PREDICTION)
def test_prediction_names_real_controls_and_is_recorded_under_a_notebook_that_shows_it(name):
    explorer = EXPLORERS[name]()
    box = explorer.prediction_box
    assert set(box.spec.setting) <= set(explorer.controls)
    assert box.spec.question.endswith("?") and len(box.spec.question) > 30
    assert any(f"{name}(" in src for src in _code_cells(box.notebook)), f"{name} is not in {box.notebook}"


@pytest.mark.parametrize("name", WITH_PREDICTION)
def test_readout_is_masked_at_the_setting_until_the_prediction_is_locked(name, store):
    explorer = EXPLORERS[name]()
    box = explorer.prediction_box
    if not box.at_setting():  # the question is about another setting: the learner goes there first
        assert explorer.readout_shown != MASK_TEXT
        explorer.set(**box.setting)
    assert explorer.readout_shown == MASK_TEXT and "prediction-pending" in explorer.widget._dom_classes
    assert MASK_TEXT in explorer.readout.value and html.escape(explorer.readout_text) not in explorer.readout.value
    assert not explorer.message_text, "the setting the question is about is a valid one"
    assert box.lock_button.disabled, "nothing to lock yet"
    box.input.value = _a_guess(box)
    assert not box.lock_button.disabled
    reveal = box.lock()
    assert box.state == "locked" and box.input.disabled and box.skip_button.disabled
    assert explorer.readout_shown == explorer.readout_text and not explorer.readout_text.startswith("No result")
    assert html.escape(explorer.readout_text) in explorer.readout.value
    assert "prediction-pending" not in explorer.widget._dom_classes
    assert "prediction-result" in explorer.readout.value and "Your prediction:" in explorer.readout.value
    assert reveal.startswith("You predicted ") and html.escape(reveal) in explorer.readout.value
    saved = store.read()["predictions"][box.notebook][box.spec.id]
    assert saved["closeness"] and saved["question"] == box.spec.question
    # The prediction stays beside the readout when the learner moves on.
    control, value = explorer.demo_changes[0]
    explorer.set(**{control: value})
    assert "Your prediction:" in explorer.readout.value


def test_locking_moves_the_explorer_to_the_setting_the_question_is_about():
    explorer = EXPLORERS["TimelineExplorer"]()
    assert not explorer.prediction_box.at_setting()
    explorer.prediction_box.lock("12")
    assert explorer.values()["status_filter"] == "VERIFIED only" and explorer.prediction_box.at_setting()
    assert "(VERIFIED only)" in explorer.readout_text


def test_skip_shows_the_readout_and_records_nothing(store):
    explorer = EXPLORERS["SSRIKineticsExplorer"]()
    assert explorer.readout_shown == MASK_TEXT
    explorer.prediction_box.skip_button.click()
    assert explorer.prediction_box.state == "skipped" and "90 % of steady state after 3.6 days" in explorer.readout_shown
    assert "Your prediction" not in explorer.readout.value and store.read()["predictions"] == {}


def test_an_unreadable_number_asks_again_and_stays_pending():
    explorer = EXPLORERS["PKExplorer"]()
    box = explorer.prediction_box
    assert box.lock("about two hundred") == ""
    assert "Please enter a number in ng/mL" in box.status.value and box.state == "pending"
    assert explorer.readout_shown == MASK_TEXT
    assert box.lock("1 000 ng/mL").startswith("You predicted 1,000 ng/mL; the model gives 240 ng/mL")


# ---------------------------------------------------------------- the answers come from the models
def test_pk_answer_is_the_domino_end_of_infusion_concentration():
    """Notebook 04's worked answer: Domino ends at 240 ng/mL after 0.5 mg/kg over 40 min."""
    box = EXPLORERS["PKExplorer"]().prediction_box
    assert box.truth() == pytest.approx(240, abs=1)
    assert box.lock("177") == "You predicted 177 ng/mL; the model gives 240 ng/mL: 26 % low."


def test_numeric_answers_match_closed_forms_and_worked_answers():
    truth = {n: EXPLORERS[n]().prediction_box.truth() for n in WITH_PREDICTION}
    assert truth["SSRIKineticsExplorer"] == pytest.approx(math.log2(10) * 26 / 24)  # 3.32 half-lives of 26 h
    k = math.log(2) / math.sqrt(20 * 100)  # diazepam: geometric mean of its half-life range (h)
    assert truth["BenzodiazepineComparisonExplorer"] == pytest.approx(1 / (1 - math.exp(-24 * k)), rel=0.05)
    assert truth["InteractionSurfaceExplorer"] == pytest.approx(69, abs=1)  # notebook 06: "about 69%"
    assert truth["CombinedTimeCourseExplorer"] == pytest.approx(1.28, abs=0.01)  # notebook 06: "about 1.28"
    assert truth["BloodPressureExplorer"] == (30, 40)  # notebook 08: "30–40 minutes"
    assert truth["SertOccupancyExplorer"] == SERT_CHOICES[2]  # 0.25 %: nearest to 0.1 %
    assert truth["HunterCriteriaExplorer"].startswith("No")  # no Hunter rule counts heart rate or blood pressure
    assert truth["TrialEvidenceExplorer"] == "higher in every trial shown"
    assert truth["TreatmentTrialsExplorer"].startswith("KARE 2022")  # odds ratio 0.8 (0.31–2.1) includes 1
    assert truth["CYPInhibitionExplorer"] == "paroxetine"


def test_the_answer_follows_the_data_not_the_question_text(monkeypatch):
    """Change the model's data and the answer changes: it is computed, not written down."""
    import dataclasses

    from widgets.models import ssris

    real = ssris.half_life_range
    monkeypatch.setattr(ssris, "half_life_range", lambda c, t=None: dataclasses.replace(real(c, t), low_h=48.0, high_h=48.0))
    assert EXPLORERS["SSRIKineticsExplorer"]().prediction_box.truth() == pytest.approx(math.log2(10) * 2)


def test_choice_predictions_offer_the_answer_among_their_choices():
    for name in WITH_PREDICTION:
        box = EXPLORERS[name]().prediction_box
        if box.choices:
            assert box.truth() in box.choices, name
            assert list(box.input.options) == list(box.choices)


# ---------------------------------------------------------------- how close
@pytest.mark.parametrize("predicted, truth, text", [
    (150, 177, "15 % low"), (200, 177, "13 % high"), (177, 177, "exactly right"), (180, 177, "close (within 5 %)"),
    (10, 0.25, "40 times too high"), (0.1, 0.25, "2.5 times too low"), (-1, 2, "3 too low"),
    (35, (30, 40), "inside that range"), (60, (30, 40), "50 % above the highest value"),
    (100, (30, 40), "2.5 times the highest value"), (20, (30, 40), "33 % below the lowest value"),
    (5, (30, 40), "6 times lower than the lowest value"),
])
def test_closeness_in_words(predicted, truth, text):
    assert closeness(predicted, truth)[0] == text


def test_counts_are_compared_by_difference():
    assert closeness(12, 10, count=True)[0] == "2 too many"
    assert closeness(1, 3, count=True)[0] == "2 too few"


def test_explorers_without_a_prediction_are_unchanged():
    for name in sorted(set(EXPLORERS) - set(WITH_PREDICTION)):
        explorer = EXPLORERS[name]()
        assert explorer.prediction_box is None and explorer.readout_shown != MASK_TEXT


def test_the_claim_checkers_verdicts_are_recorded_too(store):
    explorer = EXPLORERS["ClaimCheckerExplorer"]()
    claim = explorer.current_claim
    explorer.verdict_picker.value = claim["verdict"]
    explorer.reveal()
    saved = store.read()["predictions"]["11_reading_sources"][f"claim-{claim['id']}"]
    assert saved["right"] is True and saved["model"] == claim["verdict"]


def test_every_prediction_spec_is_used_by_its_explorer():
    assert {c.prediction.id for c in EXPLORERS.values() if c.prediction} == {s.id for s in PREDICTIONS.values()}


@pytest.mark.parametrize("name", ["PKExplorer", "SertOccupancyExplorer", "BloodPressureExplorer"])
def test_the_course_book_shows_the_question_with_its_answer_folded_and_the_readout(name):
    """The static book has no kernel, so no prediction can be locked: nothing stays hidden there."""
    from widgets.book_render import explorer_html

    explorer = EXPLORERS[name]()
    page = explorer_html(explorer)
    box = explorer.prediction_box
    assert html.escape(box.spec.question) in page and "<details><summary>Show the answer</summary>" in page
    assert html.escape(box.answer_text()) in page
    assert MASK_TEXT not in page and "prediction-pending" not in page and "blur(" not in page
    assert html.escape(explorer.readout_text) in page and "Lock my prediction" not in page
