"""Notebook 07: SSRI kinetics (closed-form results), the SSRI and CYP tables, and the SSRI explorers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import course_data
from widgets.models import ssris as m
from widgets.validation import CourseInputError


# ---------------------------------------------------------------- closed-form kinetics
@pytest.mark.parametrize("t_half", [0.9, 1.1, 4.0, 16.0])
def test_five_half_lives_give_97_percent_of_steady_state(t_half):
    assert m.fraction_of_steady_state(5 * t_half, t_half) == pytest.approx(1 - 1 / 32)  # 0.96875
    assert m.fraction_of_steady_state(t_half, t_half) == pytest.approx(0.5)


@pytest.mark.parametrize("t_half", [0.5, 1.083, 6.0])
def test_days_to_90_percent_is_log2_10_half_lives(t_half):
    assert m.days_to_fraction_of_steady_state(t_half, 0.9) == pytest.approx(math.log2(10) * t_half)
    assert math.log2(10) == pytest.approx(3.3219, abs=1e-4)
    assert m.days_to_steady_state_fraction(t_half) == pytest.approx(3.3219 * t_half, rel=1e-4)


def test_washout_is_symmetric_for_linear_kinetics():
    t = np.linspace(0, 30, 61)
    np.testing.assert_allclose(m.fraction_of_steady_state(t, 2.0) + m.washout_fraction_remaining(t, 2.0), 1.0)
    # time to lose 90 % after stopping = time to reach 90 % after starting
    assert m.days_to_washout(2.0, remaining=0.1) == pytest.approx(m.days_to_fraction_of_steady_state(2.0, 0.9))
    # default washout = five half-lives
    assert m.days_to_washout(2.0) == pytest.approx(10.0)


def test_on_off_profile_decays_by_half_each_half_life_after_steady_state():
    t_half, stop = 1.0, 40.0
    t = np.array([stop, stop + 1, stop + 2, stop + 3])
    np.testing.assert_allclose(m.on_off_profile(t, stop, t_half), [1, 0.5, 0.25, 0.125], atol=1e-9)


def test_metabolite_chain_matches_a_numerical_ode_solution():
    kp, km = math.log(2) / 4.0, math.log(2) / 16.0  # fluoxetine-like 4 d, norfluoxetine 16 d

    def rhs(_t, y):
        parent, metabolite = y
        return [1.0 - kp * parent, kp * parent - km * metabolite]

    t_eval = np.array([5.0, 20.0, 60.0, 150.0])
    sol = solve_ivp(rhs, (0, 150), [0.0, 0.0], t_eval=t_eval, rtol=1e-10, atol=1e-12)
    metabolite_ss = 1.0 / km  # input rate 1, steady state amount = 1/km
    np.testing.assert_allclose(m.metabolite_fraction_of_steady_state(t_eval, 4.0, 16.0), sol.y[1] / metabolite_ss, rtol=1e-6)


def test_metabolite_takes_longer_than_its_own_half_life_rule_and_equal_rates_branch():
    own_rule = math.log2(10) * 16.0
    assert m.days_to_steady_state_fraction(4.0, 16.0) > own_rule
    # equal half-lives: closed form 1 - (1 + k t) e^{-k t}
    k = math.log(2) / 3.0
    assert m.metabolite_fraction_of_steady_state(6.0, 3.0, 3.0) == pytest.approx(1 - (1 + 6 * k) * math.exp(-6 * k))
    # washout of the metabolite mirrors its approach
    assert m.days_to_washout(4.0, 16.0, remaining=0.1) == pytest.approx(m.days_to_steady_state_fraction(4.0, 16.0, 0.9))


@pytest.mark.parametrize("call, name", [
    (lambda: m.fraction_of_steady_state(1, -2), "half_life_days"),
    (lambda: m.days_to_fraction_of_steady_state(1, 1.0), "fraction"),
    (lambda: m.on_off_profile([1, 2], 0, 1), "stop_day"),
    (lambda: m.half_life_range("venlafaxine"), "compound"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(CourseInputError, match=name):
        call()


# ---------------------------------------------------------------- data
def test_ssris_table_covers_the_six_drugs_and_norfluoxetine_with_published_values():
    table = m.ssri_table()
    assert set(table["compound"]) == set(m.SSRIS) | {"norfluoxetine"}
    assert m.half_life_range("sertraline").low_h == 26  # Ther Clin Risk Manag 2018 Table 3
    nor = m.half_life_range("norfluoxetine")
    assert (nor.low_h, nor.high_h) == (96, 384)
    assert m.half_life_range("fluoxetine").kinetics == "non-linear"
    assert m.half_life_range("citalopram").kinetics == "linear"
    escitalopram = table[table["compound"] == "escitalopram"]["protein_binding_percent"].dropna()
    assert list(escitalopram) == [56]


def test_fluvoxamine_has_only_the_class_range_and_says_so():
    row = m.ssri_table().set_index("id").loc["fluvoxamine-hiemke"]
    assert (row.half_life_low_h, row.half_life_high_h) == (21, 36)
    assert "UNVERIFIED" in row.note


def test_cyp_inhibition_values_and_evidence_types():
    table = m.cyp_table()
    assert set(table["evidence_type"]) == {"in vitro", "in vivo", "review (qualitative)"}
    b6 = table[table["enzyme"] == "CYP2B6"]
    assert set(b6["evidence_type"]) == {"in vitro"}, "CYP2B6 values must be in vitro only"
    vitro = m.cyp_matrix("in vitro", ["paroxetine", "sertraline", "fluvoxamine"], ["CYP2D6", "CYP2B6", "CYP1A2"])
    np.testing.assert_allclose(vitro, [[0.15, 1.6, np.nan], [0.70, 3.2, np.nan], [8.2, 6.1, 0.2]])
    vivo = m.cyp_matrix("in vivo", ["fluoxetine", "paroxetine"], ["CYP2D6", "CYP2B6"])
    np.testing.assert_allclose(vivo, [[3, np.nan], [3, np.nan]])
    assert set(table["source_id"]) <= set(course_data.load("sources")["id"])


def test_quiz_numbers_match_the_model():
    bank = {q["id"]: q for q in course_data.questions("07_ssris")}
    assert bank["q07-kinetics-90pct"]["answer"] == pytest.approx(m.days_to_fraction_of_steady_state(26 / 24), abs=0.05)
    assert bank["q07-cyp-2b6-ratio"]["answer"] == pytest.approx(59.5 / 1.6, abs=1)


# ---------------------------------------------------------------- explorers (headless)
def test_kinetics_explorer_readout_numbers():
    from widgets.explorers.ssris import SSRIKineticsExplorer

    e = SSRIKineticsExplorer()
    assert "90 % of steady state after 3.6 days" in e.readout_text
    assert "5.4 days after stopping" in e.readout_text
    e.set(drug="fluoxetine", half_life="longest reported")
    assert "after 19.9 days" in e.readout_text and "norfluoxetine" in e.readout_text
    assert "90 % after 64 days" in e.readout_text
    assert max(e.figure.data[1].y) < 90  # stopped on day 60: norfluoxetine has not reached 90 %
    e.set(stop_day=0.0)
    assert e.message_text.startswith("Stop after must be > 0 days")  # the control's label, not the code name


def test_cyp_explorer_readout_and_highlight():
    from widgets.explorers.ssris import CYPInhibitionExplorer

    e = CYPInhibitionExplorer()
    assert "CYP2B6 IC50 1.6 µM" in e.readout_text and "CYP2D6 +++" in e.readout_text
    e.set(compound="fluvoxamine")
    assert "CYP1A2 Ki 0.2 µM" in e.readout_text
    assert list(e.figure.data[2].y)[:2] == [5.5, 5.5]  # box around the 7th row (index 6)
