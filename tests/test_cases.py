"""The clinical cases of notebooks 04, 06, 08 and 09 (issue 14 §5): staged, labelled as fiction,
built from the course's sourced facts, with explorers at the setting the prose describes and
numbers in the prose that agree with the data and the models."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import nbformat
import pytest

import course_data
from widgets.evidence import format_value

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
CASE_NOTEBOOKS = ["04_pharmacokinetics", "06_ketamine_benzodiazepines", "08_ketamine_ssris", "09_addiction_risk"]
FICTION_LABEL = "*A fictional composite case for teaching"


def case_cells(slug: str) -> tuple[str, list]:
    """(heading, cells of the case section up to the next section: "Your turn" or the Summary)."""
    nb = nbformat.read(NOTEBOOKS_DIR / f"{slug}.ipynb", as_version=4)
    start = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and re.search(r"^## \d+\. Case: ", c.source, re.M)]
    assert len(start) == 1, f"{slug}: expected one case section, found {len(start)}"
    end = next(i for i, c in enumerate(nb.cells) if i > start[0] and c.cell_type == "markdown" and re.search(r"^## ", c.source, re.M))
    heading = re.search(r"^## (\d+\. Case: .+)$", nb.cells[start[0]].source, re.M).group(1)
    return heading, nb.cells[start[0]:end]


def calls(source: str, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == name]


def string_args(call: ast.Call) -> list[str]:
    return [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def keyword(call: ast.Call, name: str):
    return next((ast.literal_eval(k.value) for k in call.keywords if k.arg == name), None)


def outcome_text(cells) -> str:
    text = next((c.source for c in cells if c.cell_type == "markdown" and "<summary>What happened and why</summary>" in c.source), None)
    assert text, "the case has no folded 'What happened and why'"
    return text


def explorer_from(cells, class_name: str):
    """Build the explorer exactly as the case's code cell does (its case prediction included)."""
    from widgets.case_predictions import case_prediction, case_prompt
    from widgets.explorers import all_explorers

    cell = next(c for c in cells if c.cell_type == "code" and f"{class_name}(" in c.source)
    call = calls(cell.source, class_name)[0]
    kwargs = {}
    for k in call.keywords:
        if k.arg == "prediction":
            assert getattr(k.value.func, "id", None) == "case_prediction", "a case asks its own recorded prediction"
            kwargs["prediction"] = case_prediction(*string_args(k.value))
        elif k.arg == "prompt":
            assert getattr(k.value.func, "id", None) == "case_prompt", "a case gives its own guidance"
            kwargs["prompt"] = case_prompt(*string_args(k.value))
        else:
            kwargs[k.arg] = ast.literal_eval(k.value)
    return all_explorers()[class_name](**kwargs)


@pytest.mark.parametrize("slug, class_name", [("04_pharmacokinetics", "PKExplorer"),
                                              ("06_ketamine_benzodiazepines", "CombinedTimeCourseExplorer"),
                                              ("08_ketamine_ssris", "HunterCriteriaExplorer")])
def test_case_explorer_asks_its_own_prediction_and_hides_the_readout_until_locked(slug, class_name, tmp_path, monkeypatch):
    from widgets import progress
    from widgets.prediction import MASK_TEXT

    own = progress.ProgressStore(tmp_path / "progress.json")
    monkeypatch.setattr(progress, "store", lambda: own)

    _, cells = case_cells(slug)
    explorer = explorer_from(cells, class_name)
    box = explorer.prediction_box
    assert box.spec.id.startswith(slug[:2] + "-case-") and box.spec is not type(explorer).prediction
    assert box.spec.notebook == slug and box.at_setting(), "the case explorer must start at its prediction's setting"
    assert explorer.readout_shown == MASK_TEXT and explorer.readout_text != MASK_TEXT
    truth = box.truth()
    reveal = box.lock(truth if isinstance(truth, str) else f"{truth:.3g}")
    assert explorer.readout_shown == explorer.readout_text
    assert reveal.endswith((": right.", ": exactly right.")) or "close (within" in reveal, reveal
    saved = own.read()["predictions"][slug][box.spec.id]
    assert saved["question"] == box.spec.question


@pytest.mark.parametrize("slug, class_name", [("04_pharmacokinetics", "PKExplorer"),
                                              ("06_ketamine_benzodiazepines", "CombinedTimeCourseExplorer"),
                                              ("08_ketamine_ssris", "HunterCriteriaExplorer")])
def test_case_explorer_shows_the_case_guidance_not_the_lesson_prompt(slug, class_name):
    """The class prompt asks about the lesson's own setting (e.g. 0.5 mg/kg IV); the case replaces it
    with its own guidance, which keeps the explorer's safety sentence."""
    from widgets.case_predictions import CASE_PROMPTS

    _, cells = case_cells(slug)
    explorer = explorer_from(cells, class_name)
    shown = next(w.value for w in explorer.widget.children if "explorer-prompt" in w._dom_classes)
    case_id = explorer.prediction_box.spec.id
    assert explorer.prompt == CASE_PROMPTS[case_id] and explorer.prompt[:60] in html.unescape(shown)
    assert type(explorer).prompt[-60:] not in html.unescape(shown), "the lesson's question is still shown"
    safety = ("not for clinical", "cannot diagnose")
    assert any(s in explorer.prompt for s in safety), "the case guidance lost the explorer's safety sentence"
    assert type(explorer)().prompt == type(explorer).prompt, "another instance keeps the class prompt"


def test_an_explorer_instance_can_replace_or_drop_its_class_prediction():
    from widgets.case_predictions import case_prediction
    from widgets.explorers.pk import PKExplorer

    assert PKExplorer().prediction_box.spec is PKExplorer.prediction
    assert PKExplorer(prediction=None).prediction_box is None
    spec = case_prediction("04-case-clarithromycin-auc")
    assert PKExplorer(prediction=spec, route="oral", regimen="hagelberg-oral-0.2").prediction_box.spec is spec
    assert PKExplorer.prediction.id == "04-pk-end-of-infusion", "the class's own prediction is untouched"


def test_case_prediction_answers_come_from_the_models():
    from widgets.case_predictions import case_prediction, oral_auc_fold_with_interacting_drug
    from widgets.models.combined_sedation import combined_course

    _, cells = case_cells("04_pharmacokinetics")
    pk_case = explorer_from(cells, "PKExplorer")
    fold = oral_auc_fold_with_interacting_drug(pk_case.values())
    assert fold == pytest.approx(course_data.fact("clarithromycin-s-ketamine-auc")["value"], rel=0.03)
    _, cells = case_cells("06_ketamine_benzodiazepines")
    v = explorer_from(cells, "CombinedTimeCourseExplorer").values()
    course = combined_course(0.05, 1.0, 5.0, 0.0, v["midazolam_model"], v["ketamine_ke0"])
    question = case_prediction("06-case-premedication-peak").question
    assert f"alone peaks at about {course.peak_u_ketamine_alone:.1f} ED50-equivalents" in question
    assert f"0.05 mg/kg alone at about {course.peak_u_midazolam_alone:.1f}" in question


@pytest.mark.parametrize("slug", CASE_NOTEBOOKS)
def test_case_follows_the_lesson_and_precedes_your_turn_and_the_summary(slug):
    heading, cells = case_cells(slug)
    nb = nbformat.read(NOTEBOOKS_DIR / f"{slug}.ipynb", as_version=4)
    headings = [m for c in nb.cells if c.cell_type == "markdown" for m in re.findall(r"^## (.+)$", c.source, re.M)]
    numbered = [h for h in headings if re.match(r"\d+\. ", h)]
    assert [int(h.split(".")[0]) for h in numbered] == list(range(1, len(numbered) + 1)), f"{slug}: numbers skip or repeat"
    after = headings[headings.index(heading) + 1]
    # the exercises' builder keeps "Your turn" just before the Summary, so the case comes before it
    assert re.fullmatch(r"\d+\. Your turn", after) or after == "Summary", f"{slug}: the case is followed by {after!r}"
    lesson = [h for h in numbered if not h.endswith("Your turn")]
    assert lesson[-1] == heading, f"{slug}: the case should close the lesson's sections"


@pytest.mark.parametrize("slug", CASE_NOTEBOOKS)
def test_case_is_labelled_fiction_and_runs_in_stages(slug):
    heading, cells = case_cells(slug)
    first = cells[0].source.split("\n", 2)[2].lstrip()
    assert first.startswith(FICTION_LABEL), f"{slug}: the first line under the heading must say the case is fictional"
    kinds = []
    for c in cells:
        if c.cell_type == "code":
            quiz = calls(c.source, "quiz")
            if quiz:
                kinds.append(f"quiz:{keyword(quiz[0], 'section')}")
            elif "Explorer(" in c.source or "show_facts(" in c.source:
                kinds.append("data")
        elif "<summary>What happened and why</summary>" in c.source:
            kinds.append("outcome")
    assert kinds[0] == "quiz:case-question", f"{slug}: presentation must be followed by the question ({kinds})"
    assert "data" in kinds and kinds.index("data") < kinds.index("outcome") < kinds.index("quiz:case")
    assert kinds[-1] == "quiz:case"
    assert "Presentation." in cells[0].source


@pytest.mark.parametrize("slug", CASE_NOTEBOOKS)
def test_case_banks_hold_the_question_and_the_check(slug):
    heading, _ = case_cells(slug)
    for section in ("case-question", "case"):
        items = course_data.questions(slug, section)
        assert len(items) >= 2, f"{slug} {section}: at least two items"
        assert all(q["level"] != "recall" for q in items)
        assert all(q["section_title"] == heading for q in items), f"{slug} {section}: section_title must be {heading!r}"
        for q in items:
            for source_id in q.get("source_ids", []):
                assert course_data.source(source_id)["evidence_status"] != "UNVERIFIED"


@pytest.mark.parametrize("slug", CASE_NOTEBOOKS)
def test_case_numbers_come_from_facts_the_prose_repeats(slug):
    _, cells = case_cells(slug)
    fact_ids = [f for c in cells if c.cell_type == "code" for call in calls(c.source, "show_facts") for f in string_args(call)]
    assert fact_ids, f"{slug}: the case shows no sourced key numbers"
    text = " ".join(c.source for c in cells if c.cell_type == "markdown")
    for fact_id in fact_ids:
        fact = course_data.fact(fact_id)
        assert course_data.source(fact["source_id"])["evidence_status"] in ("VERIFIED", "VERIFIED-2°", "DERIVED")
        value = fact["value"]
        # the prose may round a value to a whole number (77.1 % → 77 %)
        shown = ({f"{abs(value):g}", f"{round(abs(value)):g} %"} if value is not None
                 else {format_value(None, fact["value_low"], fact["value_high"], "")})
        assert any(s in text for s in shown), f"{slug}: the case prose never states {fact_id} ({value})"


def test_pk_case_readout_matches_the_prose():
    _, cells = case_cells("04_pharmacokinetics")
    explorer = explorer_from(cells, "PKExplorer")
    assert explorer.values()["route"] == "oral" and explorer.values()["regimen"] == "hagelberg-oral-0.2"
    with_drug = explorer.readout_text
    explorer.set(interacting_drug="none")
    without = explorer.readout_text
    peak = lambda t: re.search(r"plasma Cmax ([\d.]+) ng/mL", t).group(1)
    auc = lambda t: re.search(r"AUC\(0–12 h\) ([\d,]+) ng·h/mL", t).group(1)
    text = outcome_text(cells)
    assert f"from {peak(without)} to {peak(with_drug)} ng/mL" in text
    assert f"from {auc(without)} to {auc(with_drug)} ng·h/mL" in text
    assert float(auc(with_drug)) / float(auc(without)) == pytest.approx(course_data.fact("clarithromycin-s-ketamine-auc")["value"], rel=0.03)


def test_sedation_case_model_numbers_match_the_prose():
    from widgets.models.combined_sedation import KETAMINE_KE0, combined_course

    _, cells = case_cells("06_ketamine_benzodiazepines")
    explorer = explorer_from(cells, "CombinedTimeCourseExplorer")
    v = explorer.values()
    lead = course_data.fact("premed-midazolam-lead-min")["value"]
    assert (v["midazolam_mg_per_kg"], v["ketamine_mg_per_kg"], v["ketamine_delay_min"]) == (0.05, 1.0, lead)
    coded, derived = list(KETAMINE_KE0)
    runs = {(mid, ke0): combined_course(mid, 1.0, lead, 0.0, v["midazolam_model"], ke0) for mid in (0.05, 0.0) for ke0 in (coded, derived)}
    text = outcome_text(cells)
    assert f"peak about {runs[(0.0, coded)].peak_drive:.1f} ED50-equivalents" in text
    assert f"raises the peak to about {runs[(0.05, coded)].peak_drive:.1f}" in text
    assert (f"{runs[(0.05, coded)].minutes_above_one:g} instead of {runs[(0.0, coded)].minutes_above_one:g} minutes with the coded ke0"
            in text)
    assert f"{runs[(0.05, derived)].minutes_above_one:g} instead of {runs[(0.0, derived)].minutes_above_one:g} with the derived one" in text


def test_blood_pressure_case_findings_meet_no_hunter_rule():
    _, cells = case_cells("08_ketamine_ssris")
    explorer = explorer_from(cells, "HunterCriteriaExplorer")
    assert explorer.values()["serotonergic_drug"] is True
    assert explorer.readout_text.startswith("No rule is met")
    presentation = cells[0].source
    rise = re.search(r"a systolic rise of (\d+) mmHg", presentation)
    before, after = re.search(r"blood pressure is (\d+)/\d+ mmHg", presentation), re.search(r"it is (\d+)/\d+ mmHg", presentation)
    assert int(after.group(1)) - int(before.group(1)) == int(rise.group(1)) >= 40, "the rise must be a large one by the label's threshold"


def test_harm_case_gives_no_dosing_route_or_sourcing_information():
    _, cells = case_cells("09_addiction_risk")
    text = " ".join(c.source for c in cells)
    assert not re.search(r"\b\d+(\.\d+)?\s*(mg|g|gram|grams|mg/kg|ml)\b", text, re.I), "no amounts in the harm case"
    assert not re.search(r"\b(snort\w*|sniff\w*|inject\w*|smok\w*|intranasal|buy|dealer|supplier)\b", text, re.I)
    assert "get help" in text.lower() or "getting help" in text.lower()
