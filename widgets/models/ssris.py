"""SSRI kinetics: time to steady state and washout (notebook 07).

A teaching model with first-order (linear) elimination and a constant average
input, so the concentration relative to steady state is

    fraction of steady state f(t) = 1 − 2^(−t/t½)                (start of dosing)
    fraction remaining after stopping at steady state = 2^(−t/t½)  (washout)

so 90 % of steady state takes log2(10) × t½ ≈ 3.32 t½ and five half-lives give
1 − 2^−5 ≈ 97 % (source ``ssri-kinetics-derived``). For an active metabolite
formed from the parent (norfluoxetine from fluoxetine) the same input passes
through two first-order steps (rate constants k_p, k_m):

    f_m(t) = 1 − (k_p e^(−k_m t) − k_m e^(−k_p t)) / (k_p − k_m)

Stopping at day T is handled by superposition (the system is linear):
f(t) − f(t − T) for t > T. Half-lives come from the ``ssris`` table (sources
``hiemke2000``, ``tcrm2018-ssri``, ``preskorn1997``). Fluoxetine, paroxetine and
fluvoxamine have non-linear kinetics (they slow their own metabolism), so for
them the model is only an approximation. Daily peaks and troughs are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from widgets.models.roots import bracketed_root

import course_data
from widgets.validation import CourseInputError, check_choice, check_positive, check_range

SSRIS = ("fluoxetine", "sertraline", "citalopram", "escitalopram", "paroxetine", "fluvoxamine")
METABOLITES = {"fluoxetine": "norfluoxetine"}
#: Fraction of steady state that counts as "washed out": five half-lives (1 − 2^−5 ≈ 97 % gone).
WASHOUT_REMAINING = 2.0 ** -5
LOG2_10 = float(np.log2(10.0))


def fraction_of_steady_state(t_days, half_life_days: float):
    """Fraction of the steady-state (average) concentration t days after dosing starts: 1 − 2^(−t/t½)."""
    t_half = check_positive("half_life_days", half_life_days, "days")
    t = np.maximum(np.asarray(t_days, dtype=float), 0.0)
    return 1.0 - np.exp2(-t / t_half)


def washout_fraction_remaining(t_days, half_life_days: float):
    """Fraction of the steady-state concentration left t days after stopping: 2^(−t/t½)."""
    t_half = check_positive("half_life_days", half_life_days, "days")
    t = np.maximum(np.asarray(t_days, dtype=float), 0.0)
    return np.exp2(-t / t_half)


def days_to_fraction_of_steady_state(half_life_days: float, fraction: float = 0.9) -> float:
    """Days to reach ``fraction`` of steady state: −log2(1 − fraction) × t½ (90 % → 3.32 t½)."""
    t_half = check_positive("half_life_days", half_life_days, "days")
    f = check_range("fraction", fraction, 0, 1, low_inclusive=False, high_inclusive=False)
    return float(-np.log2(1.0 - f) * t_half)


def metabolite_fraction_of_steady_state(t_days, parent_half_life_days: float, metabolite_half_life_days: float):
    """Fraction of the metabolite's steady state t days after the parent is started (two first-order steps)."""
    kp = np.log(2) / check_positive("parent_half_life_days", parent_half_life_days, "days")
    km = np.log(2) / check_positive("metabolite_half_life_days", metabolite_half_life_days, "days")
    t = np.maximum(np.asarray(t_days, dtype=float), 0.0)
    if np.isclose(kp, km):
        return 1.0 - (1.0 + km * t) * np.exp(-km * t)
    return 1.0 - (kp * np.exp(-km * t) - km * np.exp(-kp * t)) / (kp - km)


def on_off_profile(t_days, stop_day: float, half_life_days: float, metabolite_half_life_days: float | None = None):
    """Fraction of steady state over time when dosing runs from day 0 to ``stop_day`` (superposition)."""
    stop = check_range("stop_day", stop_day, 0, None, "days", low_inclusive=False)
    t = np.asarray(t_days, dtype=float)
    if metabolite_half_life_days is None:
        curve = lambda x: fraction_of_steady_state(x, half_life_days)  # noqa: E731
    else:
        curve = lambda x: metabolite_fraction_of_steady_state(x, half_life_days, metabolite_half_life_days)  # noqa: E731
    return curve(t) - np.where(t > stop, curve(t - stop), 0.0)


def _first_crossing(func, target: float, upper_days: float) -> float:
    """Smallest t in (0, upper] with func(t) = target for an increasing func."""
    return bracketed_root(lambda x: func(x) - target, 1e-9, upper_days, xtol=1e-9)


def days_to_steady_state_fraction(half_life_days: float, metabolite_half_life_days: float | None = None, fraction: float = 0.9) -> float:
    """Days to ``fraction`` of steady state for the parent, or for its metabolite if a metabolite t½ is given."""
    if metabolite_half_life_days is None:
        return days_to_fraction_of_steady_state(half_life_days, fraction)
    check_range("fraction", fraction, 0, 1, low_inclusive=False, high_inclusive=False)
    upper = 60 * (half_life_days + metabolite_half_life_days)
    return _first_crossing(lambda x: metabolite_fraction_of_steady_state(x, half_life_days, metabolite_half_life_days), fraction, upper)


def days_to_washout(half_life_days: float, metabolite_half_life_days: float | None = None, remaining: float = WASHOUT_REMAINING) -> float:
    """Days after stopping (from steady state) until only ``remaining`` of the steady-state level is left.

    With linear kinetics washout mirrors the approach to steady state, so this equals
    ``days_to_steady_state_fraction(..., fraction=1 − remaining)`` (five half-lives by default).
    """
    check_range("remaining", remaining, 0, 1, low_inclusive=False, high_inclusive=False)
    return days_to_steady_state_fraction(half_life_days, metabolite_half_life_days, 1.0 - remaining)


@dataclass(frozen=True)
class HalfLife:
    compound: str
    low_h: float
    high_h: float
    source_ids: tuple[str, ...]
    kinetics: str


def ssri_table():
    """The ``ssris`` table (one row per compound × source)."""
    return course_data.load("ssris")


def half_life_range(compound: str, table=None) -> HalfLife:
    """Shortest and longest half-life (h) reported for ``compound`` across the sources in the ``ssris`` table."""
    check_choice("compound", compound, list(SSRIS) + list(METABOLITES.values()))
    table = ssri_table() if table is None else table
    rows = table[(table["compound"] == compound) & table["half_life_low_h"].notna()]
    if rows.empty:
        raise CourseInputError(f"no verified half-life for {compound} in the course data")
    kinetics = table.loc[(table["compound"] == compound) & table["kinetics"].notna(), "kinetics"]
    return HalfLife(
        compound=compound,
        low_h=float(rows["half_life_low_h"].min()),
        high_h=float(rows["half_life_high_h"].max()),
        source_ids=tuple(dict.fromkeys(rows["source_id"])),
        kinetics=str(kinetics.iloc[0]) if not kinetics.empty else "not stated",
    )


def cyp_table():
    """The ``cyp_inhibition`` table (one row per compound × enzyme × source)."""
    return course_data.load("cyp_inhibition")


def cyp_matrix(evidence_type: str, compounds, enzymes, table=None):
    """Matrix (compounds × enzymes) of in vitro constants (µM) or in vivo grades (1–3); NaN where none.

    Where one compound × enzyme pair has several in vitro values, the smallest (strongest) is kept.
    """
    check_choice("evidence_type", evidence_type, ["in vitro", "in vivo"])
    table = cyp_table() if table is None else table
    column = "value_um" if evidence_type == "in vitro" else "in_vivo_grade"
    rows = table[(table["evidence_type"] == evidence_type) & table[column].notna()]
    pivot = rows.pivot_table(index="compound", columns="enzyme", values=column, aggfunc="min")
    return pivot.reindex(index=list(compounds), columns=list(enzymes)).astype(float).to_numpy()
