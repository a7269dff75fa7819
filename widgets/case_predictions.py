"""The recorded predictions of the clinical cases (notebooks 04, 06 and 08).

A case builds an explorer at its study's setting with its own question and guidance in
place of the explorer's usual ones: ``PKExplorer(prediction=case_prediction("04-case-clarithromycin-auc"),
prompt=case_prompt("04-case-clarithromycin-auc"), route="oral", …)``. As for every prediction (:mod:`widgets.prediction`), the readout at that
setting stays hidden until the learner locks an answer, and each answer is computed from
the explorer's own model at the setting, never written here.
"""

from __future__ import annotations

import numpy as np

from widgets.explorer_predictions import HUNTER_CHOICES, hunter_verdict, peak_combined_drive
from widgets.models import pk
from widgets.prediction import PredictionSpec
from widgets.validation import check_choice

WINDOW_MIN = 12 * 60


def oral_auc_fold_with_interacting_drug(v) -> float:
    """AUC(0–12 h) of the regimen with the interacting drug divided by the AUC without it (same model and ke0)."""
    row = pk.regimen(v["regimen"])
    weight = float(row["weight_kg"])
    grid = np.arange(0.0, WINDOW_MIN + 1.0)

    def auc(drug: str) -> float:
        model = pk.model_with_interaction(v["model"], weight, drug, v["ke0"])
        return pk.summarise(pk.simulate(model, pk.regimen_doses(v["regimen"], drug), grid)).auc_window_ng_h_per_ml

    return auc(v["interacting_drug"]) / auc("none")


CASE_PREDICTIONS: dict[str, PredictionSpec] = {
    "04-case-clarithromycin-auc": PredictionSpec(
        "04-case-clarithromycin-auc", "04_pharmacokinetics",
        "In this study's regimen, how many times higher will the model's 12-hour exposure (AUC) be with clarithromycin "
        "than without it?",
        {"route": "oral", "regimen": "hagelberg-oral-0.2", "interacting_drug": "clarithromycin"},
        oral_auc_fold_with_interacting_drug, unit="times"),
    "06-case-premedication-peak": PredictionSpec(
        "06-case-premedication-peak", "06_ketamine_benzodiazepines",
        "Ketamine 1 mg/kg alone peaks at about 2.7 ED50-equivalents and midazolam 0.05 mg/kg alone at about 0.3. "
        "With midazolam five minutes before ketamine (α = 0), what peak combined drive will the pair reach?",
        {"midazolam_mg_per_kg": 0.05, "ketamine_mg_per_kg": 1.0, "ketamine_delay_min": 5.0, "alpha": 0.0},
        peak_combined_drive, unit="ED50-equivalents"),
    "08-case-hunter-her-findings": PredictionSpec(
        "08-case-hunter-her-findings", "08_ketamine_ssris",
        "She takes sertraline, her systolic pressure rose by 43 mmHg and she feels detached, with no clonus, tremor, "
        "rigidity, fever or sweating. Do her findings meet any Hunter rule?",
        {"serotonergic_drug": True}, hunter_verdict, choices=HUNTER_CHOICES, source="the rules give"),
}


#: Each case's guidance, shown in place of the explorer's usual prompt (which asks about
#: another setting). The safety sentence of the explorer's own prompt is kept.
CASE_PROMPTS: dict[str, str] = {
    "04-case-clarithromycin-auc": (
        "A teaching model of a published study, not for clinical or personal decisions. It is set to the study's oral "
        "regimen with clarithromycin added. Lock your prediction, then set the interacting drug to none and back, and "
        "compare the two curves and their exposures."),
    "06-case-premedication-peak": (
        "Teaching model of IV doses given by clinicians in a monitored setting; not for clinical decisions. It is set to "
        "the case: midazolam 0.05 mg/kg, then ketamine 1 mg/kg five minutes later. Lock your prediction, then see how "
        "the delay and the interaction parameter α change the peak."),
    "08-case-hunter-her-findings": (
        "EDUCATIONAL ONLY: this shows how a published decision rule works; it cannot diagnose anyone. Only \"serotonergic "
        "drug taken\" is ticked (her sertraline). Decide which of her findings appear in the checklist, lock your "
        "prediction, then tick them and see whether any rule fills."),
}


def case_prompt(case_id: str) -> str:
    """The guidance an explorer shows in one clinical case (see :data:`CASE_PROMPTS`)."""
    return CASE_PROMPTS[check_choice("case_id", case_id, list(CASE_PROMPTS))]


def case_prediction(case_id: str) -> PredictionSpec:
    """The recorded prediction of one clinical case (see :data:`CASE_PREDICTIONS`)."""
    return CASE_PREDICTIONS[check_choice("case_id", case_id, list(CASE_PREDICTIONS))]
