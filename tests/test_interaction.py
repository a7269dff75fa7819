"""Ketamine + midazolam interaction: Hong 1993, the response surface and the combined time course (notebook 06)."""

from __future__ import annotations

import numpy as np
import pytest

import course_data
from widgets.explorers.combined_time_course import CombinedTimeCourseExplorer
from widgets.explorers.interaction_surface import InteractionSurfaceExplorer
from widgets.models import combined_sedation as cs
from widgets.models import interaction as ix
from widgets.validation import CourseInputError


# ------------------------------------------------------------------ Hong 1993 data and index
def test_hong_ed50s_from_course_data():
    h = ix.hong1993()
    assert (h.midazolam.value_mg_per_kg, h.midazolam.ci_low_mg_per_kg, h.midazolam.ci_high_mg_per_kg) == (0.15, 0.11, 0.38)
    assert (h.ketamine.value_mg_per_kg, h.ketamine.ci_low_mg_per_kg, h.ketamine.ci_high_mg_per_kg) == (0.37, 0.08, 0.44)
    assert (h.combo_midazolam_mg_per_kg, h.combo_ketamine_mg_per_kg) == (0.086, 0.27)
    assert h.anaesthesia_ketamine.value_mg_per_kg == h.anaesthesia_ketamine_with_midazolam.value_mg_per_kg == 0.57
    assert h.anaesthesia_background_midazolam_mg_per_kg == 0.18
    assert h.n_patients == 170


def test_hong_interaction_index_equals_published_arithmetic():
    index, low, high = ix.hong_interaction_index()
    assert index == pytest.approx(0.086 / 0.15 + 0.27 / 0.37, rel=1e-12)
    assert round(index, 2) == 1.30
    assert low == pytest.approx(0.086 / 0.38 + 0.27 / 0.44) and round(low, 2) == 0.84
    assert high == pytest.approx(0.086 / 0.11 + 0.27 / 0.08) and round(high, 2) == 4.16
    assert low < 1 < high  # additivity lies inside the rough bounds


def test_hong_alpha_puts_the_combination_on_the_50_percent_isobole():
    alpha = ix.hong_alpha()
    assert alpha == pytest.approx((1 - 0.086 / 0.15 - 0.27 / 0.37) / ((0.086 / 0.15) * (0.27 / 0.37)))
    assert round(alpha, 2) == -0.72
    drive = ix.hypnotic_drive(0.086 / 0.15, 0.27 / 0.37, alpha)
    assert drive == pytest.approx(1.0, abs=1e-12)
    assert ix.probability_from_drive(drive, 3.0) == pytest.approx(0.5)


# ------------------------------------------------------------------ response surface
def test_alpha_zero_gives_the_straight_loewe_line():
    um = np.linspace(0, 1, 101)
    assert np.allclose(ix.isobole_u_ketamine(um, 1.0, 0.0), 1 - um)
    for slope in (1.0, 3.0, 8.0):  # the 50 % isobole does not depend on the steepness
        assert np.allclose(ix.probability_from_drive(ix.hypnotic_drive(um, 1 - um, 0.0), slope), 0.5)


@pytest.mark.parametrize("alpha", [-1.0, -0.72, 0.0, 0.5, 3.0])
def test_isoboles_lie_on_their_drive_level(alpha):
    um = np.linspace(0, 1.5, 31)
    for level in (0.5, 1.0, 1.7):
        uk = ix.isobole_u_ketamine(um, level, alpha)
        ok = ~np.isnan(uk)
        assert ok.sum() > 5
        assert np.allclose(ix.hypnotic_drive(um[ok], uk[ok], alpha), level)


def test_synergy_bows_the_isobole_inwards_and_infra_additivity_outwards():
    assert ix.isobole_u_ketamine(0.5, 1.0, 1.0) < 0.5 < ix.isobole_u_ketamine(0.5, 1.0, -0.5)


def test_alpha_minus_one_means_no_stronger_than_the_stronger_drug_and_single_drugs_unchanged():
    assert ix.hypnotic_drive(0.6, 0.8, -1.0) == pytest.approx(0.8)
    for alpha in (-1.0, 0.0, 2.0):
        assert ix.hypnotic_drive(0.7, 0.0, alpha) == pytest.approx(0.7)


def test_drive_is_monotone_in_each_dose():
    grid = np.linspace(0, 3, 61)
    for alpha in (-1.0, -0.72, 0.0, 3.0):
        surface = ix.hypnotic_drive(*np.meshgrid(grid, grid), alpha)
        assert np.all(np.diff(surface, axis=0) >= -1e-12) and np.all(np.diff(surface, axis=1) >= -1e-12)


def test_bad_parameters_are_rejected_with_their_names():
    with pytest.raises(CourseInputError, match=r"alpha \(interaction parameter\) must be between -1 and 3, got -2"):
        ix.hypnotic_drive(0.5, 0.5, -2.0)
    with pytest.raises(CourseInputError, match="slope"):
        ix.probability_from_drive(1.0, 0.0)


def test_surface_explorer_readout_at_hong_point():
    explorer = InteractionSurfaceExplorer()
    assert "drive 1.00 ED50-equivalents" in explorer.readout_text
    assert "P(no response to command) 50%" in explorer.readout_text
    assert "additive α = 0 would give 69%" in explorer.readout_text  # 1.303³/(1 + 1.303³) = 0.689
    assert "interaction index 1.30 (rough bounds 0.84–4.16)" in explorer.readout_text
    explorer.set(alpha=0.0)
    isobole = explorer.figure.data[2]  # the 50 % isobole, in mg/kg
    x, y = np.asarray(isobole.x, float), np.asarray(isobole.y, float)
    ok = ~np.isnan(y)
    assert np.allclose(x[ok] / 0.15 + y[ok] / 0.37, 1.0)


# ------------------------------------------------------------------ endpoint matrix
def test_endpoint_matrix_holds_the_issue_endpoints():
    matrix = ix.endpoint_matrix("ketamine+benzodiazepines")
    endpoints = set(matrix.index)
    assert {"hypnosis", "emergence reactions", "airway and respiratory events", "sedation and cognition",
            "antidepressant response", "ketamine half-life", "co-use in poisonings and deaths"} <= endpoints
    table = course_data.load("combination_endpoints").set_index("id")
    green = table.loc["kb-airway-green"]
    assert (green["value"], green["value_low"], green["value_high"]) == (1.39, 1.08, 1.78)
    assert set(table.loc[["kb-half-life-premed", "kb-half-life-chronic"], "direction"]) == {"lengthened", "shortened"}
    assert table.loc["kb-emergence-sherwin", "direction"] == "not reduced"
    assert table.loc["kb-couse-poison", "value"] == 14.6
    with pytest.raises(CourseInputError, match="pair must be one of"):
        ix.endpoint_matrix("ketamine+alcohol")


# ------------------------------------------------------------------ combined time course
def test_ed50_bolus_of_either_drug_alone_peaks_at_drive_one():
    for ke0 in cs.KETAMINE_KE0:
        assert cs.combined_course(0.15, 0.0, 0, 0.0).peak_drive == pytest.approx(1.0, abs=1e-9)
        assert cs.combined_course(0.0, 0.37, 0, 0.0, ketamine_ke0=ke0).peak_drive == pytest.approx(1.0, abs=1e-9)


def test_additive_drive_is_the_sum_and_sub_threshold_doses_can_cross_together():
    course = cs.combined_course(0.07, 0.3, 5, 0.0)
    assert np.allclose(course.drive, course.u_midazolam + course.u_ketamine)
    assert course.peak_u_midazolam_alone < 1 and course.peak_u_ketamine_alone < 1
    assert course.peak_drive > 1 and course.minutes_above_one > 0
    assert cs.combined_course(0.07, 0.3, 5, -1.0).peak_drive == pytest.approx(max(course.u_midazolam.max(), course.u_ketamine.max()), rel=0.05)


def test_pk_engine_matches_closed_form_for_midazolam():
    """The Albrecht plasma curve after a bolus equals the sum of exponentials from the rate matrix."""
    from widgets.models import pk

    model = pk.model_from_table("albrecht-midazolam-under65", weight_kg=70)
    t = np.array([1.0, 10.0, 60.0])
    k10, k12, k13, k21, k31 = model.k10, model.k12, model.k13, model.k21, model.k31
    a = np.array([[-(k10 + k12 + k13), k21, k31], [k12, -k21, 0], [k13, 0, -k31]])
    from scipy.linalg import expm

    expected = [1000 * (expm(a * ti) @ np.array([10.5, 0, 0]))[0] / model.v1_l for ti in t]
    result = pk.simulate(model, [pk.bolus(0, 10.5)], t)
    assert np.allclose(result.plasma_ng_per_ml, expected, rtol=1e-6)


def test_later_ketamine_meets_less_midazolam():
    assert cs.combined_course(0.07, 0.3, 15, 0.0).peak_drive < cs.combined_course(0.07, 0.3, 5, 0.0).peak_drive


def test_time_course_explorer_readout_and_bad_dose():
    explorer = CombinedTimeCourseExplorer()
    text = explorer.readout_text
    assert text.startswith("Peak drive 1.28 ED50-equivalents at 6 min")
    assert "midazolam peaks at 0.47, ketamine at 0.81" in text
    with pytest.raises(CourseInputError, match="ketamine_mg_per_kg must be between 0 and 2 mg/kg, got 5 mg/kg"):
        cs.combined_course(0.07, 5.0)
