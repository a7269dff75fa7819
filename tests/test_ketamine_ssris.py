"""Notebook 08: SERT occupancy, Hunter criteria, blood pressure and trial data, and their explorers."""

from __future__ import annotations

import pytest

import course_data
from widgets.models import hunter as h
from widgets.models import ketamine_ssri as k
from widgets.models.occupancy import fraction_occupied, free_concentration, ketamine_molar_mass_g_per_mol
from widgets.validation import CourseInputError


# ---------------------------------------------------------------- occupancy
def test_occupancy_at_free_concentration_equal_to_ki_is_half():
    assert float(fraction_occupied(162.0, 162.0)) == pytest.approx(0.5)
    # total concentration chosen so that free = Ki: C_total (ng/mL) = Ki × MW / fu
    fu, ki = 0.53, 20.2
    total = ki * ketamine_molar_mass_g_per_mol() / fu  # about 9060 ng/mL
    assert float(k.predicted_occupancy_percent(total, ki, fu)) == pytest.approx(50.0)
    assert float(k.predicted_occupancy_percent(total / 3, ki, fu)) == pytest.approx(25.0)  # C = Ki/3 → 1/4


def test_free_fraction_handling():
    assert float(free_concentration(0.78, 0.53)) == pytest.approx(0.4134)
    with_binding = float(k.predicted_occupancy_percent(185, 162, 0.53))
    without = float(k.predicted_occupancy_percent(185, 162, 1.0))
    assert without / with_binding == pytest.approx(1 / 0.53, rel=0.01)  # far below Ki, occupancy ∝ free concentration
    with pytest.raises(CourseInputError, match="fraction_unbound"):
        k.predicted_occupancy_percent(185, 162, 0.0)


def test_predicted_occupancy_at_antidepressant_level_and_ratio():
    occ = float(k.predicted_occupancy_percent(185, 162, 0.53))
    assert occ == pytest.approx(0.254, abs=0.003)  # source sert-occupancy-derived: 0.25 %
    assert k.occupancy_ratio(75, occ) == pytest.approx(295, rel=0.02)
    with pytest.raises(CourseInputError, match="concentration_ng_per_ml"):
        k.predicted_occupancy_percent(-5, 162, 0.53)


def test_course_data_for_occupancy():
    ki = {a.source_id: a.value_um for a in k.sert_affinities()}
    assert ki["nishimura1998"] == 162
    fractions = {f.source_id: f.fraction_unbound for f in k.free_fractions()}
    assert fractions["dayton1983"] == pytest.approx(0.53)
    assert "goodman-forum" not in fractions  # the conflicting 12 % forum value is not used
    assert k.ssri_occupancy_band()[:2] == (70, 80)
    pet = k.measured_occupancy().set_index("id")
    assert pet.loc["ketamine-05-human", "occupancy_high_percent"] == 10
    assert pet.loc["ketamine-08-human", "occupancy_high_percent"] == 0


def test_quiz_occupancy_answer_matches_model():
    q = next(q for q in course_data.questions("08_ketamine_ssris") if q["id"] == "q08-occupancy-predicted")
    assert q["answer"] == pytest.approx(float(k.predicted_occupancy_percent(185, 162, 0.53)), abs=q["tolerance"])


# ---------------------------------------------------------------- Hunter criteria: every branch
@pytest.mark.parametrize("features, rule", [
    ({"spontaneous_clonus": True}, 1),
    ({"inducible_clonus": True, "agitation": True}, 2),
    ({"inducible_clonus": True, "diaphoresis": True}, 2),
    ({"ocular_clonus": True, "agitation": True}, 3),
    ({"ocular_clonus": True, "diaphoresis": True}, 3),
    ({"tremor": True, "hyperreflexia": True}, 4),
    ({"hypertonia": True, "temperature_above_38": True, "ocular_clonus": True}, 5),
])
def test_each_hunter_rule_fires(features, rule):
    result = h.hunter_criteria(True, **features)
    assert result.toxicity and rule in result.rules_met


@pytest.mark.parametrize("features", [
    {},
    {"inducible_clonus": True},                                  # rule 2 without agitation or sweating
    {"ocular_clonus": True},                                     # rule 3 without agitation or sweating
    {"tremor": True},                                            # rule 4 without hyperreflexia
    {"hyperreflexia": True, "agitation": True, "diaphoresis": True},
    {"hypertonia": True, "temperature_above_38": True},          # rule 5 without clonus
    {"agitation": True},                                         # the forum post's symptoms
])
def test_near_misses_do_not_fulfil_the_criteria(features):
    result = h.hunter_criteria(True, **features)
    assert result.applies and not result.toxicity and result.rules_met == ()


def test_rule5_with_inducible_clonus_also_meets_rule2_only_if_agitated():
    result = h.hunter_criteria(True, hypertonia=True, temperature_above_38=True, inducible_clonus=True)
    assert result.rules_met == (5,)


def test_criteria_do_not_apply_without_a_serotonergic_drug_and_reject_unknown_features():
    result = h.hunter_criteria(False, spontaneous_clonus=True)
    assert not result.applies and not result.toxicity
    with pytest.raises(CourseInputError, match="heart_rate"):
        h.hunter_criteria(True, heart_rate=True)
    assert [r.order for r in h.load_rules()] == [1, 2, 3, 4, 5]


# ---------------------------------------------------------------- blood pressure and trials data
def test_blood_pressure_table():
    bp = course_data.load("blood_pressure").set_index("id")
    assert bp.loc["spravato-label", "peak_time_low_min"] == 40
    assert (bp.loc["spravato-label", "severe_share_low_percent"], bp.loc["spravato-label", "severe_share_high_percent"]) == (8, 19)
    assert bp.loc["spravato-label-placebo", "severe_share_high_percent"] < bp.loc["spravato-label", "severe_share_low_percent"]
    assert bp.loc["ghp2024", "mean_rise_systolic_mmhg"] == 16.0


def test_trial_rates_and_reported_risk_differences_agree():
    trials = course_data.load("antidepressant_trials")
    rd = trials[trials["effect_measure"] == "risk difference"]
    assert len(rd) == 2
    for row in rd.itertuples():
        assert row.rate_active_percent - row.rate_control_percent == pytest.approx(row.effect_value, abs=0.05)
        assert row.ci_low < row.effect_value < row.ci_high
    sustain = trials.set_index("id").loc["sustain1-remitters"]
    assert (sustain.effect_value, sustain.ci_low, sustain.ci_high) == (0.49, 0.29, 0.84)


def test_seed_claims_are_graded():
    claims = course_data.load("claims").set_index("id")
    ours = claims[claims.index.str.startswith("C-ssri-")]
    assert len(ours) >= 8
    assert claims.loc["C-ssri-serotonin-syndrome", "verdict"] == "contradicted"
    assert claims.loc["C-ssri-reduced-efficacy", "verdict"] == "contradicted"
    assert set(ours["seed_file"]) == {"001_9cad3d2a99f79de5.txt"}


# ---------------------------------------------------------------- explorers (headless, specific numbers)
def test_sert_explorer_numbers():
    from widgets.explorers.sert_occupancy import SertOccupancyExplorer

    e = SertOccupancyExplorer()
    assert "0.25 % of SERT" in e.readout_text and "about 295 times more" in e.readout_text
    e.set(concentration_ng_per_ml=2000.0)
    assert "2.7 % of SERT" in e.readout_text
    e.set(concentration_ng_per_ml=185.0, affinity="sert-ketalar-martin", free_fraction="none")
    assert "3.7 % of SERT" in e.readout_text


def test_hunter_explorer_readout_and_bars():
    from widgets.explorers.hunter import HunterCriteriaExplorer

    e = HunterCriteriaExplorer()
    e.set(tremor=True, hyperreflexia=True)
    assert "rule 4" in e.readout_text and "not a diagnosis" in e.readout_text
    assert list(e.figure.data[0].x) == [0, 0, 0, 100, 0]
    e.set(serotonergic_drug=False)
    assert "apply only" in e.readout_text


def test_blood_pressure_and_trial_explorer_readouts():
    from widgets.explorers.blood_pressure import BloodPressureExplorer
    from widgets.explorers.trials import TrialEvidenceExplorer, claims_table

    bp = BloodPressureExplorer()
    assert "40 min (Spravato label)" in bp.readout_text and "Szarmach 2020" in bp.readout_text
    bp.set(measure="mean rise")
    assert "+16/+11 mmHg" in bp.readout_text
    tr = TrialEvidenceExplorer()
    assert "69.3 % vs 52 %, risk difference 17.3 (95 % CI 4.01 to 30.6)" in tr.readout_text
    tr.set(outcome="relapse")
    assert "hazard ratio 0.49 (95 % CI 0.29 to 0.84)" in tr.readout_text
    assert tr.figure.layout.xaxis2.type == "log"
    assert "C-ssri" not in claims_table().value and "unsupported" in claims_table().value
