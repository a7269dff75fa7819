"""The models' one root finder (widgets/models/roots.py), against closed forms."""

from __future__ import annotations

import math

import pytest

from widgets.models import benzodiazepines, ssris
from widgets.models.roots import bracketed_root
from widgets.validation import CourseInputError


def test_finds_closed_form_roots_to_the_tolerance():
    assert bracketed_root(lambda x: x * x - 2, 0.0, 2.0) == pytest.approx(math.sqrt(2), abs=1e-11)
    assert bracketed_root(lambda x: math.exp(-x) - 0.5, 0.0, 10.0) == pytest.approx(math.log(2), abs=1e-11)
    # a decreasing function, and a loose tolerance
    assert bracketed_root(lambda x: 1 - x, 0.0, 3.0, xtol=1e-3) == pytest.approx(1.0, abs=1e-3)


def test_an_end_that_is_already_a_root_is_returned():
    assert bracketed_root(lambda x: x - 1, 1.0, 5.0) == 1.0
    assert bracketed_root(lambda x: x - 5, 1.0, 5.0) == 5.0


def test_no_sign_change_or_no_finite_value_is_a_clear_message():
    with pytest.raises(CourseInputError, match="no solution between 1 and 2"):
        bracketed_root(lambda x: x * x + 1, 1.0, 2.0)
    with pytest.raises(CourseInputError, match="no finite value"):
        bracketed_root(lambda x: math.inf, 0.0, 1.0)


def test_the_models_solutions_satisfy_their_equations():
    # ka from a tmax: tmax = ln(ka/ke)/(ka − ke) recovered exactly
    ka = benzodiazepines.absorption_rate_per_h(20.0, 1.0)
    ke = benzodiazepines.elimination_rate_per_h(20.0)
    assert benzodiazepines.peak_time_h(ka, ke) == pytest.approx(1.0, rel=1e-10)
    # the half-of-peak time: the curve there is half its peak, and later than tmax + t½ (absorption adds to it)
    ka, ke = 2.0, math.log(2) / 10.0
    tmax, half_time = benzodiazepines.peak_time_h(ka, ke), benzodiazepines.time_to_half_of_peak_h(ka, ke)
    peak = float(benzodiazepines.single_dose_concentration(tmax, ka, ke))
    assert float(benzodiazepines.single_dose_concentration(half_time, ka, ke)) == pytest.approx(peak / 2, rel=1e-9)
    assert half_time > tmax + 10.0
    # parent and metabolite: the crossing found is where the metabolite reaches 90 % of its steady state
    days = ssris.days_to_steady_state_fraction(1.0, metabolite_half_life_days=9.0)
    assert float(ssris.metabolite_fraction_of_steady_state(days, 1.0, 9.0)) == pytest.approx(0.9, abs=1e-8)
