"""Occupancy model and unit conversions (widgets.models.occupancy, widgets.models.targets)."""

from __future__ import annotations

import numpy as np
import pytest

import course_data
from widgets.explorers.target_engagement import TargetEngagementExplorer
from widgets.models import targets
from widgets.models.occupancy import (
    fraction_occupied,
    free_concentration,
    micromolar_to_ng_per_ml,
    ng_per_ml_to_micromolar,
)
from widgets.validation import CourseInputError


@pytest.mark.parametrize("ki", [0.05, 0.3, 42.0, 270.0])
def test_occupancy_is_one_half_at_ki(ki):
    assert fraction_occupied(ki, ki) == pytest.approx(0.5)


def test_occupancy_closed_form_values():
    # C = 9 Ki → 90 %; C = Ki/9 → 10 % (the ladder's reference lines)
    assert fraction_occupied(9.0, 1.0) == pytest.approx(0.9)
    assert fraction_occupied(1.0 / 9, 1.0) == pytest.approx(0.1)
    assert fraction_occupied(0.0, 1.0) == 0.0


def test_unit_conversion_round_trips_and_uses_237_7():
    values = np.array([1.0, 70.0, 185.0, 2400.0])
    assert micromolar_to_ng_per_ml(ng_per_ml_to_micromolar(values)) == pytest.approx(values)
    assert micromolar_to_ng_per_ml(1.0) == pytest.approx(237.7)


def test_zarate_anchor_185_ng_per_ml_is_0_78_micromolar():
    # Zanos 2018 Table 1 lists the end-of-infusion 185 ng/mL as 0.78 µM (mpk:T1)
    assert float(ng_per_ml_to_micromolar(185.0)) == pytest.approx(0.78, abs=0.005)


def test_idvall_conversion_matches_derived_source():
    # idvall1979-ngml: 2.7 µM → 642 ng/mL; 9.3 µM → 2211 ng/mL
    assert float(micromolar_to_ng_per_ml(2.7)) == pytest.approx(642, abs=1)
    assert float(micromolar_to_ng_per_ml(9.3)) == pytest.approx(2211, abs=1)


def test_free_fraction_from_protein_binding_table():
    table = course_data.load("plasma_protein_binding")
    dayton = table.set_index("id").loc["ppb-rac-dayton"]
    assert targets.fraction_unbound_from_percent_bound(dayton["percent_bound_high"]) == pytest.approx(0.53)
    fus = [fu for _, fu in targets.free_fraction_options()]
    assert fus == [0.53, 0.55, 0.57, 1.0]
    # isolated-albumin and low-quality values are never offered as a free fraction
    assert not table.set_index("id").loc[["ppb-rac-forum", "ppb-rac-albumin"], "use_for_free_fraction"].any()


def test_explorer_applies_free_fraction_exactly_once():
    explorer = TargetEngagementExplorer(context="custom", concentration_ng_per_ml=185.0)
    explorer.set(free_fraction=0.53)
    ladder = explorer.ladder
    i = ladder.targets.index("µ opioid")
    expected = fraction_occupied(free_concentration(ng_per_ml_to_micromolar(185.0), 0.53), 42.0)
    double = fraction_occupied(free_concentration(free_concentration(ng_per_ml_to_micromolar(185.0), 0.53), 0.53), 42.0)
    shown = explorer.figure.data[0].x[i] / 100
    assert shown == pytest.approx(float(expected), abs=1e-4)
    assert abs(shown - float(double)) > 1e-4


def test_nmda_engagement_at_antidepressant_concentration():
    # 185 ng/mL × fu 0.53 = 0.4125 µM free; at the Ebert S-ketamine Ki 0.3 µM → 57.9 %
    frame = targets.engagement_by_value(185.0, 0.53).set_index("id")
    assert frame.loc["nmda-s-ket-ebert", "free_um"] == pytest.approx(185 / 237.7 * 0.53)
    assert frame.loc["nmda-s-ket-ebert", "fraction_occupied"] == pytest.approx(0.4125 / (0.4125 + 0.3), abs=0.002)
    # the Seeman lab Ki (3.1 µM) gives far lower occupancy: the lab spread matters
    assert frame.loc["nmda-rac-seeman", "fraction_occupied"] < 0.15


def test_readout_thresholds_move_with_context():
    explorer = TargetEngagementExplorer()
    assert explorer.readout_text.startswith("Antidepressant infusion")
    assert "µ opioid" not in explorer.readout_text.split("All other")[0]
    explorer.set(context="anaesthesia")
    assert "1200–2400 ng/mL" in explorer.readout_text
    assert "µ opioid" in explorer.readout_text.split("All other")[0]   # crosses 10 % at 2400 ng/mL
    assert "SERT" not in explorer.readout_text                           # Ki 162 µM stays < 10 %


def test_bars_rise_with_concentration():
    explorer = TargetEngagementExplorer(context="custom", concentration_ng_per_ml=100.0)
    low = list(explorer.figure.data[0].x)
    explorer.set(concentration_ng_per_ml=2000.0)
    high = list(explorer.figure.data[0].x)
    assert all(h > l for h, l in zip(high, low))


def test_out_of_range_concentration_gives_message():
    explorer = TargetEngagementExplorer(context="custom")
    explorer.set(concentration_ng_per_ml=-5.0)
    assert "Total plasma ketamine must be between 0 and 10000 ng/mL" in explorer.message_text
    assert explorer.readout_text.startswith("No result")
    with pytest.raises(CourseInputError):
        targets.engagement_by_value(20_000, 0.53)


def test_contested_targets_are_marked():
    ladder = targets.build_ladder()
    contested = {t for t, c in zip(ladder.targets, ladder.contested) if c}
    assert contested == {"D2High", "5-HT2"}


def test_concentration_for_half_occupancy_inverts_the_model():
    c = targets.concentration_for_occupancy_ng_per_ml(0.3, 0.5, 0.53)
    assert c == pytest.approx(0.3 / 0.53 * 237.7)
    assert float(fraction_occupied(free_concentration(ng_per_ml_to_micromolar(c), 0.53), 0.3)) == pytest.approx(0.5)


def test_question_bank_numeric_answers_agree_with_the_model():
    bank = {q["id"]: q for q in course_data.questions("03_target_engagement")}
    zarate = bank["q03-units-zarate"]
    assert abs(float(ng_per_ml_to_micromolar(185.0)) - zarate["answer"]) <= zarate["tolerance"]
    free = bank["q03-units-free"]
    assert abs(float(free_concentration(ng_per_ml_to_micromolar(185.0), 0.53)) - free["answer"]) <= free["tolerance"]
    sert = bank["q03-claims-sert"]  # total plasma level (µg/mL) that half-occupies SERT (Ki 162 µM, fu 0.53)
    half_sert_ug_per_ml = targets.concentration_for_occupancy_ng_per_ml(162.0, 0.5, 0.53) / 1000
    assert abs(half_sert_ug_per_ml - sert["answer"]) <= sert["tolerance"]
    salt = {q["id"]: q for q in course_data.questions("01_ketamine_at_a_glance")}["q01-what-salt"]
    ratio = course_data.fact("esketamine-hcl-molar-mass")["value"] / course_data.fact("ketamine-molar-mass")["value"]
    assert abs(10 * ratio - salt["answer"]) <= salt["tolerance"]
