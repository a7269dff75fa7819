"""Benzodiazepine data and the one-compartment comparison model (notebook 05)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import course_data
from widgets.explorers.benzodiazepines import BenzodiazepineComparisonExplorer
from widgets.models import benzodiazepines as bz
from widgets.validation import CourseInputError


# ------------------------------------------------------------------ data
def test_seven_drugs_with_sourced_half_lives():
    table = course_data.load("benzodiazepines")
    assert set(table["drug"]) == set(bz.DRUGS)
    for drug in bz.DRUGS:
        assert not bz.kinetics_rows(drug, "half-life").empty, drug
    assert table["source_id"].notna().all()


@pytest.mark.parametrize("drug, low, high", [
    ("diazepam", 20, 100), ("lorazepam", 10, 20), ("clonazepam", 18, 50), ("temazepam", 8, 22), ("oxazepam", 4, 15),
    ("alprazolam", 6, 26.9),  # two disagreeing sources: 6–12 h and 6.3–26.9 h (ca:A13, ca:A14)
    ("midazolam", 1.77, 2.4),  # two studies' means (ca:A20, ca:A21)
])
def test_half_life_ranges_match_the_evidence_base(drug, low, high):
    assert bz.half_life_range_h(drug) == (low, high)


def test_diazepam_metabolite_and_gap_for_oxazepam_tmax():
    row = bz.kinetics_rows("diazepam", "active-metabolite half-life").iloc[0]
    assert (row["value_low"], row["value_high"], row["source_id"]) == (36, 200, "nhs-scotland-bzd")
    assert bz.kinetics_rows("oxazepam", "tmax (oral)").empty  # only an UNVERIFIED recalled value exists (ca:A26)
    with pytest.raises(CourseInputError, match="oxazepam.*no verified oral tmax"):
        bz.tmax_h("oxazepam")
    assert "no verified value" in bz.comparison_table().loc["oxazepam", "tmax (oral)"]


def test_lot_drugs_are_the_glucuronidated_ones():
    metabolism = course_data.load("benzodiazepine_metabolism")
    lot = set(metabolism.loc[metabolism["route"] == "glucuronidation (LOT)", "drug"])
    assert lot == {"lorazepam", "oxazepam", "temazepam"}


def test_equivalence_tables_disagree_twofold():
    eq = bz.equivalence_table()
    assert eq.loc["alprazolam", "Ashton Manual (2002)"] == 0.5
    assert eq.loc["alprazolam", "VA/DoD guideline (2021)"] == 1
    assert list(eq.loc[["alprazolam", "clonazepam", "lorazepam"], "VA/DoD ÷ Ashton"]) == [2.0, 2.0, 2.0]
    assert eq.loc["temazepam", "VA/DoD ÷ Ashton"] == 0.75
    assert eq.loc["oxazepam", "VA/DoD ÷ Ashton"] == 1.5
    assert np.isnan(eq.loc["midazolam", "Ashton Manual (2002)"])  # not in Ashton (ca:A29)


# ------------------------------------------------------------------ model
@pytest.mark.parametrize("half_life, tmax", [(2.0, 0.74), (14.1, 2.0), (44.7, 1.25)])
def test_absorption_rate_reproduces_tmax(half_life, tmax):
    ke = bz.elimination_rate_per_h(half_life)
    ka = bz.absorption_rate_per_h(half_life, tmax)
    assert ka > ke
    assert bz.peak_time_h(ka, ke) == pytest.approx(tmax, rel=1e-9)
    t = np.linspace(0, 3 * tmax, 30001)
    assert t[np.argmax(bz.single_dose_concentration(t, ka, ke))] == pytest.approx(tmax, abs=1e-3)


def test_tmax_beyond_the_possible_peak_is_rejected():
    with pytest.raises(CourseInputError, match="tmax_h must be < "):
        bz.absorption_rate_per_h(1.0, 2.0)  # peak time cannot exceed t½/ln 2 = 1.44 h


@pytest.mark.parametrize("half_life, tmax", [(10.0, 1.0), (2.0, 0.74)])
def test_curve_halves_every_half_life_once_absorption_is_complete(half_life, tmax):
    """Condition: e^(−ka·t) negligible (here < 1e-12 of the elimination term), i.e. absorption complete."""
    ke = bz.elimination_rate_per_h(half_life)
    ka = bz.absorption_rate_per_h(half_life, tmax)
    t1 = 30.0 / (ka - ke)  # e^(−(ka − ke)·t1) = e^−30 ≈ 1e-13
    ratio = bz.single_dose_concentration(t1 + half_life, ka, ke) / bz.single_dose_concentration(t1, ka, ke)
    assert ratio == pytest.approx(0.5, rel=1e-9)


def test_time_to_half_of_peak_tends_to_tmax_plus_half_life_with_fast_absorption():
    ke = bz.elimination_rate_per_h(10.0)
    fast = bz.time_to_half_of_peak_h(1000 * ke, ke)
    assert fast - bz.peak_time_h(1000 * ke, ke) == pytest.approx(10.0, rel=1e-2)
    slow = bz.time_to_half_of_peak_h(3 * ke, ke)  # absorption still running after the peak: takes longer
    assert slow - bz.peak_time_h(3 * ke, ke) > 10.0


@pytest.mark.parametrize("half_life, tau", [(24.0, 24.0), (44.72, 24.0), (2.0, 24.0), (10.0, 8.0)])
def test_accumulation_ratio_closed_form_and_superposition(half_life, tau):
    k = math.log(2) / half_life
    expected = 1 / (1 - math.exp(-k * tau))
    assert bz.accumulation_ratio(half_life, tau) == pytest.approx(expected, rel=1e-12)
    ka = bz.absorption_rate_per_h(half_life, 0.5)
    late = 40 * half_life // tau * tau + 0.3 * tau  # 0.3·τ after a dose, long after steady state is reached
    ratio = bz.repeated_dose_concentration(late, ka, k, tau) / bz.single_dose_concentration(0.3 * tau, ka, k)
    assert ratio == pytest.approx(expected, rel=1e-6)


def test_accumulation_ratio_for_a_24_h_half_life_is_two():
    assert bz.accumulation_ratio(24.0, 24.0) == pytest.approx(2.0)
    assert bz.time_to_steady_state_h(24.0, 0.9) == pytest.approx(24 * math.log(10) / math.log(2))


def test_half_life_classes_follow_greenblatt():
    assert bz.half_life_class(20, 100) == "intermediate/short to long"
    assert bz.half_life_class(1.77, 2.4) == "ultrashort"
    assert bz.half_life_class(30, 40) == "long"


# ------------------------------------------------------------------ explorer
def test_explorer_default_readout_numbers():
    explorer = BenzodiazepineComparisonExplorer()
    central = math.sqrt(20 * 100)
    r = 1 / (1 - 2 ** (-24 / central))
    assert f"accumulation ratio ×{r:.2f}" in explorer.readout_text  # ×3.22 for diazepam
    assert "Midazolam" in explorer.readout_text and "×1.00" in explorer.readout_text
    band_upper, band_lower = explorer.figure.data[0].y, explorer.figure.data[1].y
    assert np.all(np.asarray(band_upper) >= np.asarray(band_lower) - 1e-12)


def test_explorer_single_dose_and_oxazepam_message():
    explorer = BenzodiazepineComparisonExplorer(regimen="single dose", drug_a="lorazepam", drug_b="temazepam")
    assert "accumulation" not in explorer.readout_text
    assert max(explorer.figure.data[2].y) == pytest.approx(1.0, abs=1e-3)  # normalised to the single-dose peak
    explorer.set(drug_b="oxazepam")
    assert "no verified oral tmax" in explorer.message_text and explorer.readout_text.startswith("No result")
