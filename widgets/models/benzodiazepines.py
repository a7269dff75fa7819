"""Benzodiazepine comparison (notebook 05): tabulated kinetics and a one-compartment teaching model.

Data: tables ``benzodiazepines`` (half-life, onset, tmax; one row per drug,
quantity and source), ``benzodiazepine_metabolism`` and
``benzodiazepine_equivalence``.

The concentration model is a one-compartment model with first-order absorption
(dose, volume and bioavailability all set to 1, so curves are *normalised*):

    C(t) = ka / (ka − ke) · (e^(−ke·t) − e^(−ka·t))

Its two rate constants are DERIVED (source ``bzd-pk-derived``): ke = ln 2 / t½
from the tabulated half-life, and ka solves tmax = ln(ka/ke) / (ka − ke) with
ka > ke from the tabulated tmax. Repeated dosing every τ hours is the sum of
shifted single doses; the peak (and trough) rise towards steady state by the
accumulation ratio R = 1 / (1 − e^(−ke·τ)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from widgets.models.roots import bracketed_root

import course_data
from widgets.evidence import short_citation
from widgets.validation import CourseInputError, check_choice, check_positive, check_range

#: The seven benzodiazepines of the source text, in its order.
DRUGS = ["diazepam", "alprazolam", "lorazepam", "clonazepam", "midazolam", "temazepam", "oxazepam"]
LN2 = math.log(2.0)


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return course_data.load("benzodiazepines")


def kinetics_rows(drug: str, quantity: str) -> pd.DataFrame:
    """Rows of the ``benzodiazepines`` table for one drug and quantity (may be empty)."""
    check_choice("drug", drug, DRUGS)
    table = _table()
    return table[(table["drug"] == drug) & (table["quantity"] == quantity)]


def _row_bounds(row) -> tuple[float, float]:
    low = row["value_low"] if not pd.isna(row["value_low"]) else row["value"]
    high = row["value_high"] if not pd.isna(row["value_high"]) else row["value"]
    if pd.isna(low):  # only an upper bound ("within 1 h")
        low = high
    return float(low), float(high)


def half_life_range_h(drug: str) -> tuple[float, float]:
    """(lowest, highest) half-life in hours over all sources for ``drug`` (parent drug only).

    Where sources disagree (alprazolam 6–12 h vs 6.3–26.9 h) the range spans both;
    for midazolam it spans the two studies' means (1.77 and 2.4 h).
    """
    rows = kinetics_rows(drug, "half-life")
    bounds = [_row_bounds(r) for _, r in rows.iterrows()]
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def central_half_life_h(drug: str) -> float:
    """Geometric mean of the half-life range, √(low × high) (DERIVED: ``bzd-pk-derived``)."""
    low, high = half_life_range_h(drug)
    return math.sqrt(low * high)


def tmax_h(drug: str) -> float:
    """Oral tmax (h) used by the model: the middle of the first tabulated tmax row.

    Raises CourseInputError for a drug without a verified tmax (oxazepam).
    """
    rows = kinetics_rows(drug, "tmax (oral)")
    if rows.empty:
        raise CourseInputError(
            f"drug {drug!r}: no verified oral tmax is available (only a recalled value, UNVERIFIED), "
            "so no time course is drawn; choose another drug"
        )
    low, high = _row_bounds(rows.iloc[0])
    return (low + high) / 2


def elimination_rate_per_h(half_life_h: float) -> float:
    """ke = ln 2 / t½ (1/h)."""
    return LN2 / check_positive("half_life_h", half_life_h, "h")


def absorption_rate_per_h(half_life_h: float, tmax_h_value: float) -> float:
    """ka (1/h) > ke that gives peak time ``tmax_h_value`` in the one-compartment model.

    Solves tmax = ln(ka/ke)/(ka − ke). A solution exists only if tmax < 1/ke = t½/ln 2.
    """
    ke = elimination_rate_per_h(half_life_h)
    tmax = check_positive("tmax_h", tmax_h_value, "h")
    limit = 1.0 / ke
    if tmax >= limit * 0.999:
        raise CourseInputError(f"tmax_h must be < t½/ln 2 = {limit:.3g} h for half_life_h {half_life_h:g} h, got {tmax:g} h")

    def peak_time(ka: float) -> float:
        return math.log(ka / ke) / (ka - ke) - tmax

    return bracketed_root(peak_time, ke * (1 + 1e-9), ke + 1e4 / tmax, xtol=1e-12, rtol=1e-12)


def single_dose_concentration(t_h, ka_per_h: float, ke_per_h: float):
    """Normalised one-compartment concentration ka/(ka − ke)·(e^(−ke t) − e^(−ka t)); 0 before t = 0."""
    t = np.asarray(t_h, dtype=float)
    tt = np.clip(t, 0.0, None)
    c = ka_per_h / (ka_per_h - ke_per_h) * (np.exp(-ke_per_h * tt) - np.exp(-ka_per_h * tt))
    return np.where(t >= 0, c, 0.0)


def repeated_dose_concentration(t_h, ka_per_h: float, ke_per_h: float, interval_h: float = 24.0):
    """Superposition of identical doses every ``interval_h`` hours from t = 0 (closed form)."""
    tau = check_positive("interval_h", interval_h, "h")
    t = np.clip(np.asarray(t_h, dtype=float), 0.0, None)
    n = np.floor(t / tau)  # doses given before t, minus one
    since = t - n * tau

    def geometric(k):
        return (1 - np.exp(-k * tau * (n + 1))) / (1 - np.exp(-k * tau))

    return ka_per_h / (ka_per_h - ke_per_h) * (
        np.exp(-ke_per_h * since) * geometric(ke_per_h) - np.exp(-ka_per_h * since) * geometric(ka_per_h)
    )


def peak_time_h(ka_per_h: float, ke_per_h: float) -> float:
    """tmax = ln(ka/ke)/(ka − ke) (h)."""
    return math.log(ka_per_h / ke_per_h) / (ka_per_h - ke_per_h)


def time_to_half_of_peak_h(ka_per_h: float, ke_per_h: float) -> float:
    """Time after the dose (h) at which a single dose falls to half its peak.

    Once absorption is complete (e^(−ka t) negligible) the curve halves every t½,
    so this time approaches tmax + t½ when ka ≫ ke; with slow absorption it is longer.
    """
    tmax = peak_time_h(ka_per_h, ke_per_h)
    peak = float(single_dose_concentration(tmax, ka_per_h, ke_per_h))
    upper = tmax + 50.0 / ke_per_h

    def above_half(t):
        return float(single_dose_concentration(t, ka_per_h, ke_per_h)) - peak / 2

    return bracketed_root(above_half, tmax, upper, xtol=1e-10)


def accumulation_ratio(half_life_h: float, interval_h: float = 24.0) -> float:
    """R = 1 / (1 − e^(−ke·τ)): steady-state level ÷ first-dose level at the same time after a dose."""
    ke = elimination_rate_per_h(half_life_h)
    tau = check_positive("interval_h", interval_h, "h")
    return 1.0 / (1.0 - math.exp(-ke * tau))


def time_to_steady_state_h(half_life_h: float, fraction: float = 0.9) -> float:
    """Time (h) to reach ``fraction`` of steady state with regular dosing: −ln(1 − f)/ke (≈ 3.3 t½ for 90%)."""
    f = check_range("fraction", fraction, 0, 1, low_inclusive=False, high_inclusive=False)
    return -math.log(1 - f) / elimination_rate_per_h(half_life_h)


@dataclass(frozen=True)
class DrugCourse:
    """Normalised courses of one drug for its low, central and high half-life."""

    drug: str
    half_lives_h: tuple[float, float, float]
    tmax_h: float
    single: tuple[np.ndarray, np.ndarray, np.ndarray]
    repeated: tuple[np.ndarray, np.ndarray, np.ndarray]
    half_of_peak_h: tuple[float, float, float]
    accumulation: tuple[float, float, float]
    steady_state_90_h: tuple[float, float, float]


def drug_course(drug: str, t_h, interval_h: float = 24.0) -> DrugCourse:
    """Single-dose and repeated-dose courses for ``drug`` over ``t_h``, each normalised to its own
    single-dose peak, for the low, central (geometric mean) and high half-life (DERIVED model)."""
    check_choice("drug", drug, DRUGS)
    low, high = half_life_range_h(drug)
    halves = (low, math.sqrt(low * high), high)
    tmax = tmax_h(drug)
    singles, repeats, half_times, ratios, steady = [], [], [], [], []
    for h in halves:
        ke = elimination_rate_per_h(h)
        ka = absorption_rate_per_h(h, tmax)
        peak = float(single_dose_concentration(tmax, ka, ke))
        singles.append(single_dose_concentration(t_h, ka, ke) / peak)
        repeats.append(repeated_dose_concentration(t_h, ka, ke, interval_h) / peak)
        half_times.append(time_to_half_of_peak_h(ka, ke))
        ratios.append(accumulation_ratio(h, interval_h))
        steady.append(time_to_steady_state_h(h))
    return DrugCourse(drug, halves, tmax, tuple(singles), tuple(repeats), tuple(half_times), tuple(ratios), tuple(steady))


def half_life_class(low_h: float, high_h: float) -> str:
    """Greenblatt 1981 classes (source ``greenblatt1981``): long > 24 h, intermediate/short 5–24 h, ultrashort < 5 h."""

    def one(h):
        return "long" if h > 24 else ("ultrashort" if h < 5 else "intermediate/short")

    a, b = one(low_h), one(high_h)
    return a if a == b else f"{a} to {b}"


def _fmt_range(rows: pd.DataFrame) -> str:
    parts = []
    for _, r in rows.iterrows():
        if not pd.isna(r["value"]):
            text = f"{r['value']:g}"
        elif pd.isna(r["value_low"]):
            text = f"≤{r['value_high']:g}"
        else:
            text = f"{r['value_low']:g}–{r['value_high']:g}"
        parts.append(f"{text} {r['unit']} [{short_citation(r['source_id'])}]")
    return "; ".join(parts)


def comparison_table() -> pd.DataFrame:
    """One row per drug: every tabulated value with its short citation; gaps say so."""
    metabolism = course_data.load("benzodiazepine_metabolism")
    gap = "— (no verified value)"
    out = []
    for drug in DRUGS:
        row = {"drug": drug}
        for quantity, column in [("half-life", "half-life"), ("active-metabolite half-life", "active metabolite half-life"),
                                 ("onset (oral)", "onset (oral)"), ("tmax (oral)", "tmax (oral)")]:
            rows = kinetics_rows(drug, quantity)
            row[column] = _fmt_range(rows) if not rows.empty else ("none (no active metabolite tabulated)" if "metabolite" in quantity else gap)
        low, high = half_life_range_h(drug)
        row["half-life class"] = half_life_class(low, high) + f" [{short_citation('greenblatt1981')}]"
        mrows = metabolism[metabolism["drug"] == drug]
        row["metabolism"] = "; ".join(f"{r.route}: {r.detail} [{short_citation(r.source_id)}]" for r in mrows.itertuples())
        out.append(row)
    return pd.DataFrame(out).set_index("drug")


def equivalence_table() -> pd.DataFrame:
    """Doses said to equal diazepam 10 mg, one column per table, plus the VA/DoD ÷ Ashton ratio (DERIVED)."""
    eq = course_data.load("benzodiazepine_equivalence")
    wide = eq.pivot_table(index="drug", columns="table_name", values="dose_mg", aggfunc="first")
    ashton, vadod = "Ashton Manual (2002)", "VA/DoD guideline (2021)"
    wide["VA/DoD ÷ Ashton"] = (wide[vadod] / wide[ashton]).round(2)
    return wide.reindex([d for d in DRUGS if d in wide.index])
