"""Receptor occupancy and concentration units (shared by notebooks 03 and 08).

Occupancy follows the law of mass action for one binding site at equilibrium:
fraction occupied = C_free / (C_free + Ki). It is a binding prediction, not a
measure of functional effect (agonism, antagonism or channel block).
"""

from __future__ import annotations

import numpy as np

import course_data
from widgets.validation import CourseInputError, check_range


def ketamine_molar_mass_g_per_mol() -> float:
    """Molar mass of ketamine free base (course fact ``ketamine-molar-mass``, 237.7 g/mol)."""
    return float(course_data.fact("ketamine-molar-mass")["value"])


def ng_per_ml_to_micromolar(concentration_ng_per_ml, molar_mass_g_per_mol: float | None = None):
    """Convert ng/mL to µM: 1 ng/mL = 1 µg/L, and µg/L ÷ (g/mol) = µmol/L."""
    molar_mass = ketamine_molar_mass_g_per_mol() if molar_mass_g_per_mol is None else molar_mass_g_per_mol
    check_range("molar_mass_g_per_mol", molar_mass, 1, None, "g/mol", low_inclusive=False)
    return np.asarray(concentration_ng_per_ml, dtype=float) / molar_mass


def micromolar_to_ng_per_ml(concentration_um, molar_mass_g_per_mol: float | None = None):
    """Convert µM to ng/mL (inverse of :func:`ng_per_ml_to_micromolar`)."""
    molar_mass = ketamine_molar_mass_g_per_mol() if molar_mass_g_per_mol is None else molar_mass_g_per_mol
    check_range("molar_mass_g_per_mol", molar_mass, 1, None, "g/mol", low_inclusive=False)
    return np.asarray(concentration_um, dtype=float) * molar_mass


def free_concentration(total_concentration, fraction_unbound: float):
    """Unbound (free) concentration = total × fraction unbound (0 < fu ≤ 1), same unit as the input."""
    fu = check_range("fraction_unbound", fraction_unbound, 0, 1, low_inclusive=False)
    total = np.asarray(total_concentration, dtype=float)
    if np.any(total < 0):
        raise CourseInputError(f"total_concentration must be ≥ 0, got {total.min():g}")
    return total * fu


def fraction_occupied(free_concentration_um, ki_um):
    """Fraction of sites occupied at equilibrium, C/(C + Ki); C and Ki in the same unit (µM).

    Broadcasts over arrays. At C = Ki the result is exactly 0.5.
    """
    c = np.asarray(free_concentration_um, dtype=float)
    ki = np.asarray(ki_um, dtype=float)
    if np.any(c < 0):
        raise CourseInputError(f"free_concentration_um must be ≥ 0 µM, got {c.min():g}")
    if np.any(ki <= 0):
        raise CourseInputError(f"ki_um must be > 0 µM, got {ki.min():g}")
    return c / (c + ki)


def occupancy_band(total_low, total_high, ki_um, fu_low: float, fu_high: float):
    """(lowest, highest) fraction occupied over a band of total concentrations (µM) and free fractions.

    One study's mean plasma level is not *the* level: other studies and models give a
    range. Occupancy C_free/(C_free + Ki) rises with both the total concentration and the
    free fraction, so the band's ends come from the matching ends of the inputs:
    low = occupancy(total_low × fu_low), high = occupancy(total_high × fu_high).
    ``ki_um`` may be an array (one band per reported affinity).
    """
    low = check_range("total_low", total_low, 0, None, "µM")
    high = check_range("total_high", total_high, low, None, "µM")
    fu_lo = check_range("fu_low", fu_low, 0, 1, low_inclusive=False)
    fu_hi = check_range("fu_high", fu_high, fu_lo, 1)
    return (fraction_occupied(free_concentration(low, fu_lo), ki_um),
            fraction_occupied(free_concentration(high, fu_hi), ki_um))
