"""Ketamine + benzodiazepine interaction (notebook 06): isobologram and response surface.

Data: table ``interaction_studies`` (Hong 1993 ED50s, source ``hong1993``).

**Interaction index** (Loewe additivity): for a combination (dₘ, dₖ) that gives the
same effect as each drug's ED50 alone, I = dₘ/ED50ₘ + dₖ/ED50ₖ. I = 1 additive,
I < 1 synergy (less of each needed), I > 1 infra-additive. For Hong 1993,
I = 0.086/0.15 + 0.27/0.37 ≈ 1.30 (DERIVED, ``hong1993-index``).

**Response surface** (a Greco-type teaching model). Each dose is expressed as a
fraction of its own ED50, u = dose/ED50. The *hypnotic drive* D (in
"ED50-equivalents") solves

    1 = uₘ/D + uₖ/D + α·uₘ·uₖ/D²,   i.e.   D = [(uₘ + uₖ) + √((uₘ + uₖ)² + 4α·uₘ·uₖ)] / 2

and the probability of the endpoint is P = Dᵐ / (1 + Dᵐ) with a common Hill
slope m. α = 0 is Loewe additivity (straight isoboles); α > 0 synergy; α < 0
infra-additivity, down to α = −1 where the pair is no stronger than its stronger
member (D = max(uₘ, uₖ)). On the 50 % isobole (D = 1) the condition is
uₘ + uₖ + α·uₘ·uₖ = 1, the same as in Greco's model, so Hong's combination
fixes α = (1 − I)/(uₘ·uₖ) ≈ −0.72; the CIs of the single-drug ED50s are wide
enough that α = 0 (additivity) is also consistent with the data. The slope m is
not in the evidence base: it is a teaching assumption and does not move the
50 % isobole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

import course_data
from widgets.validation import CourseInputError, check_range

ALPHA_MIN, ALPHA_MAX = -1.0, 3.0
SLOPE_MIN, SLOPE_MAX = 1.0, 8.0


@dataclass(frozen=True)
class ED50:
    value_mg_per_kg: float
    ci_low_mg_per_kg: float | None
    ci_high_mg_per_kg: float | None


@dataclass(frozen=True)
class HongData:
    """Hong 1993 hypnosis (loss of response to verbal command) and anaesthesia ED50s (mg/kg IV)."""

    midazolam: ED50
    ketamine: ED50
    combo_midazolam_mg_per_kg: float
    combo_ketamine_mg_per_kg: float
    anaesthesia_ketamine: ED50
    anaesthesia_ketamine_with_midazolam: ED50
    anaesthesia_background_midazolam_mg_per_kg: float
    n_patients: int


@lru_cache(maxsize=1)
def hong1993() -> HongData:
    """The Hong 1993 ED50s from the ``interaction_studies`` table."""
    table = course_data.load("interaction_studies").set_index("id")

    def ed50(row_id: str) -> ED50:
        row = table.loc[row_id]
        low, high = row["ci_low_mg_per_kg"], row["ci_high_mg_per_kg"]
        return ED50(float(row["ed50_mg_per_kg"]), None if np.isnan(low) else float(low), None if np.isnan(high) else float(high))

    return HongData(
        midazolam=ed50("hong1993-hypnosis-midazolam"),
        ketamine=ed50("hong1993-hypnosis-ketamine"),
        combo_midazolam_mg_per_kg=float(table.loc["hong1993-hypnosis-combo-midazolam", "ed50_mg_per_kg"]),
        combo_ketamine_mg_per_kg=float(table.loc["hong1993-hypnosis-combo-ketamine", "ed50_mg_per_kg"]),
        anaesthesia_ketamine=ed50("hong1993-anaesthesia-ketamine"),
        anaesthesia_ketamine_with_midazolam=ed50("hong1993-anaesthesia-ketamine-with-midazolam"),
        anaesthesia_background_midazolam_mg_per_kg=float(table.loc["hong1993-anaesthesia-ketamine-with-midazolam", "background_midazolam_mg_per_kg"]),
        n_patients=int(table.loc["hong1993-hypnosis-midazolam", "n_patients"]),
    )


def interaction_index(dose_a, ed50_a, dose_b, ed50_b):
    """Loewe interaction index I = dose_a/ED50_a + dose_b/ED50_b (same units per drug)."""
    if np.any(np.asarray(ed50_a) <= 0) or np.any(np.asarray(ed50_b) <= 0):
        raise CourseInputError("ED50 values must be > 0")
    return np.asarray(dose_a) / np.asarray(ed50_a) + np.asarray(dose_b) / np.asarray(ed50_b)


def hong_interaction_index() -> tuple[float, float, float]:
    """(I, lowest, highest) for Hong 1993 (DERIVED, ``hong1993-index``).

    The bounds put each single-drug ED50 at the end of its 95 % CI that makes I
    smallest or largest. They ignore the (unreported) uncertainty of the
    combination point, so they are a rough bound, not a confidence interval.
    """
    h = hong1993()
    dm, dk = h.combo_midazolam_mg_per_kg, h.combo_ketamine_mg_per_kg
    point = float(interaction_index(dm, h.midazolam.value_mg_per_kg, dk, h.ketamine.value_mg_per_kg))
    low = float(interaction_index(dm, h.midazolam.ci_high_mg_per_kg, dk, h.ketamine.ci_high_mg_per_kg))
    high = float(interaction_index(dm, h.midazolam.ci_low_mg_per_kg, dk, h.ketamine.ci_low_mg_per_kg))
    return point, low, high


def alpha_from_combination(u_midazolam: float, u_ketamine: float) -> float:
    """Interaction parameter α that puts (uₘ, uₖ) on the 50 % isobole: α = (1 − uₘ − uₖ)/(uₘ·uₖ)."""
    um = check_range("u_midazolam", u_midazolam, 0, None, low_inclusive=False)
    uk = check_range("u_ketamine", u_ketamine, 0, None, low_inclusive=False)
    return (1.0 - um - uk) / (um * uk)


def hong_alpha() -> float:
    """α consistent with Hong 1993's combination ED50 (≈ −0.72; DERIVED, ``hong1993-index``)."""
    h = hong1993()
    return alpha_from_combination(h.combo_midazolam_mg_per_kg / h.midazolam.value_mg_per_kg,
                                  h.combo_ketamine_mg_per_kg / h.ketamine.value_mg_per_kg)


def check_alpha(alpha: float) -> float:
    return check_range("alpha (interaction parameter)", alpha, ALPHA_MIN, ALPHA_MAX)


def hypnotic_drive(u_midazolam, u_ketamine, alpha: float):
    """Drive D in ED50-equivalents (see module docstring); u = dose (or concentration) ÷ its ED50 (or C50).

    Broadcasts over arrays; D = uₘ + uₖ when α = 0.
    """
    a = check_alpha(alpha)
    um = np.asarray(u_midazolam, dtype=float)
    uk = np.asarray(u_ketamine, dtype=float)
    if np.any(um < 0) or np.any(uk < 0):
        raise CourseInputError("dose fractions must be ≥ 0")
    total = um + uk
    disc = np.clip(total * total + 4.0 * a * um * uk, 0.0, None)
    return 0.5 * (total + np.sqrt(disc))


def probability_from_drive(drive, slope: float):
    """P = Dᵐ/(1 + Dᵐ): probability of the endpoint (e.g. loss of response to verbal command)."""
    m = check_range("slope (Hill coefficient)", slope, SLOPE_MIN, SLOPE_MAX)
    d = np.asarray(drive, dtype=float)
    dm = np.power(d, m)
    return dm / (1.0 + dm)


def drive_for_probability(probability: float, slope: float) -> float:
    """D at which P = probability: (P/(1 − P))^(1/m)."""
    p = check_range("probability", probability, 0, 1, low_inclusive=False, high_inclusive=False)
    m = check_range("slope (Hill coefficient)", slope, SLOPE_MIN, SLOPE_MAX)
    return (p / (1 - p)) ** (1 / m)


def isobole_u_ketamine(u_midazolam, drive_level: float, alpha: float):
    """uₖ on the isobole D = ``drive_level`` for each uₘ (NaN where uₘ alone already exceeds it).

    From D² = (uₘ + uₖ)·D + α·uₘ·uₖ:  uₖ = (D² − uₘ·D) / (D + α·uₘ).
    """
    a = check_alpha(alpha)
    d = check_range("drive_level", drive_level, 0, None, low_inclusive=False)
    um = np.asarray(u_midazolam, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        uk = (d * d - um * d) / (d + a * um)
    return np.where((um <= d) & (uk >= 0), uk, np.nan)


def probability_surface(u_midazolam_grid, u_ketamine_grid, alpha: float, slope: float):
    """P over a grid: rows follow ketamine, columns midazolam (plotly's z convention)."""
    um, uk = np.meshgrid(np.asarray(u_midazolam_grid, float), np.asarray(u_ketamine_grid, float))
    return probability_from_drive(hypnotic_drive(um, uk, alpha), slope)


def hong_table():
    """The Hong 1993 rows of ``interaction_studies`` as a display table (mg/kg IV, 95 % CI)."""
    table = course_data.load("interaction_studies")
    table = table[table["study"] == "Hong 1993"]

    def ci(row):
        return "" if np.isnan(row["ci_low_mg_per_kg"]) else f"{row['ci_low_mg_per_kg']:g}–{row['ci_high_mg_per_kg']:g}"

    return table.assign(**{"95% CI (mg/kg)": table.apply(ci, axis=1)}).rename(
        columns={"ed50_mg_per_kg": "ED50 (mg/kg)", "drug_measured": "dose of"}
    )[["endpoint", "regimen", "dose of", "ED50 (mg/kg)", "95% CI (mg/kg)", "source_id", "note"]].set_index("endpoint")


def endpoint_matrix(pair: str = "ketamine+benzodiazepines"):
    """One pair, many endpoints: finding, direction, size (with unit and CI), population, design, source."""
    table = course_data.load("combination_endpoints")
    rows = table[table["pair"] == pair]
    if rows.empty:
        raise CourseInputError(f"pair must be one of {', '.join(sorted(set(table['pair'])))}; got {pair!r}")

    def size(row):
        if np.isnan(row["value"]) and np.isnan(row["value_low"]):
            return "qualitative"
        unit = "" if row["unit"] in ("ratio", "none") else f" {row['unit']}"
        text = f"{row['value']:g}{unit}" if not np.isnan(row["value"]) else ""
        if not np.isnan(row["value_low"]):
            text += f" ({row['value_low']:g} to {row['value_high']:g})"
        return f"{text}: {row['measure']}"

    return rows.assign(size=rows.apply(size, axis=1))[
        ["endpoint", "direction", "finding", "size", "population", "design", "source_id"]
    ].set_index("endpoint")


def seed_claims(notebook: str):
    """The graded claims of the benzodiazepine source text taught in ``notebook`` (evidence as source ids)."""
    claims = course_data.load("claims")
    rows = claims[claims["id"].str.startswith("C-benzo-") & (claims["notebook"] == notebook)]
    return rows[["claim", "verdict", "evidence_source_ids", "explanation"]].reset_index(drop=True)
