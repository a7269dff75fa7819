"""Ketamine and SSRIs at the serotonin transporter (notebook 08).

Predicted SERT occupancy by ketamine uses the shared law-of-mass-action model in
:mod:`widgets.models.occupancy` (``ng_per_ml_to_micromolar``, ``free_concentration``,
``fraction_occupied``) with ketamine's SERT affinity from the ``target_affinities``
table (Nishimura 1998, mpk:M35; Martin 1988, mpk:M38) and the unbound fraction from
``plasma_protein_binding`` (fu = 1 − percent bound/100; ``ppb-fu-derived``).
Measured occupancies (SSRIs 70–80 %; ketamine PET) come from ``sert_occupancy``.
Worked example in source ``sert-occupancy-derived``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import course_data
from widgets.models.occupancy import fraction_occupied, free_concentration, ng_per_ml_to_micromolar, occupancy_band
from widgets.validation import CourseInputError, check_positive, check_range


#: Upper bound of the concentration input (ng/mL), above anaesthetic levels (about 2200 ng/mL, Idvall 1979).
MAX_CONCENTRATION_NG_PER_ML = 10000.0


@dataclass(frozen=True)
class Affinity:
    id: str
    label: str
    value_um: float
    measure: str
    source_id: str


@dataclass(frozen=True)
class FreeFraction:
    id: str
    label: str
    fraction_unbound: float
    source_id: str


def sert_affinities() -> list[Affinity]:
    """Ketamine's SERT affinities (µM) from ``target_affinities``."""
    table = course_data.load("target_affinities")
    rows = table[(table["target"] == "SERT") & table["value_um"].notna()]
    if rows.empty:
        raise CourseInputError("no SERT affinity in the target_affinities table")
    return [Affinity(r.id, f"{r.ligand}: {r.measure} {r.value_um:g} µM", float(r.value_um), r.measure, r.source_id) for r in rows.itertuples()]


def free_fractions() -> list[FreeFraction]:
    """Unbound fractions from the whole-plasma binding rows flagged for use, plus 'no correction' (fu = 1).

    For a range of percent bound the lower bound is used, i.e. the larger free fraction,
    which gives the claim of SERT occupancy its best chance.
    """
    table = course_data.load("plasma_protein_binding")
    rows = table[table["use_for_free_fraction"].fillna(False).astype(bool)]
    options = [FreeFraction(r.id, f"{r.drug}: {r.percent_bound_low:g}"
                            + (f"–{r.percent_bound_high:g}" if r.percent_bound_high != r.percent_bound_low else "")
                            + f" % bound (fu {1 - r.percent_bound_low / 100:.2f})",
                            1 - float(r.percent_bound_low) / 100, r.source_id) for r in rows.itertuples()]
    options.append(FreeFraction("none", "no binding correction (fu 1.00, upper bound)", 1.0, "ppb-fu-derived"))
    return options


def predicted_occupancy_percent(concentration_ng_per_ml, ki_um: float, fraction_unbound: float):
    """Predicted ketamine SERT occupancy (%) at a total plasma concentration (ng/mL)."""
    conc = np.asarray(concentration_ng_per_ml, dtype=float)
    check_range("concentration_ng_per_ml", float(np.min(conc)), 0, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    check_range("concentration_ng_per_ml", float(np.max(conc)), 0, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    total_um = ng_per_ml_to_micromolar(conc)
    return 100.0 * fraction_occupied(free_concentration(total_um, fraction_unbound), check_positive("ki_um", ki_um, "µM"))


def predicted_occupancy_band_percent(low_ng_per_ml: float, high_ng_per_ml: float, ki_um: float,
                                     fu_low: float, fu_high: float) -> tuple[float, float]:
    """(lowest, highest) predicted SERT occupancy (%) over a concentration band and a free-fraction band."""
    low = check_range("low_ng_per_ml", low_ng_per_ml, 0, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    high = check_range("high_ng_per_ml", high_ng_per_ml, low, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    occ_low, occ_high = occupancy_band(float(ng_per_ml_to_micromolar(low)), float(ng_per_ml_to_micromolar(high)),
                                       check_positive("ki_um", ki_um, "µM"), fu_low, fu_high)
    return 100.0 * float(occ_low), 100.0 * float(occ_high)


def measured_occupancy():
    """The ``sert_occupancy`` table (PET measurements)."""
    return course_data.load("sert_occupancy")


def ssri_occupancy_band(table=None) -> tuple[float, float, str]:
    """(low %, high %, source id) of SSRI SERT occupancy at therapeutic doses."""
    table = measured_occupancy() if table is None else table
    row = table[table["id"] == "ssri-therapeutic"].iloc[0]
    return float(row.occupancy_low_percent), float(row.occupancy_high_percent), row.source_id


def occupancy_ratio(ssri_percent: float, ketamine_percent: float) -> float:
    """How many times larger the SSRI occupancy is than ketamine's (both in %)."""
    check_range("ssri_percent", ssri_percent, 0, 100, "%", low_inclusive=False)
    k = check_range("ketamine_percent", ketamine_percent, 0, 100, "%", low_inclusive=False)
    return ssri_percent / k
