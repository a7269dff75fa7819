"""Summaries of simulated regimens, and the models set against published measurements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from widgets.models.pk.engine import (CompartmentModel, Infusion, PKResult, auc_infinity_mg_min_per_l,
                                      auc_trapezoid_ng_h_per_ml, cmax_tmax, simulate)
from widgets.models.pk.tables import (IV_BOLUS_OVER_MIN, MAX_WEIGHT_KG, MIN_WEIGHT_KG, drug_interactions, is_missing,
                                      measured_concentrations, model_from_table, model_with_interaction, pk_models,
                                      regimens, route_doses)
from widgets.validation import check_range


@dataclass
class RegimenSummary:
    """Readout numbers for one simulated regimen (ng/mL, min, ng·h/mL)."""

    cmax_ng_per_ml: float
    tmax_min: float
    effect_peak_ng_per_ml: float
    effect_tpeak_min: float
    auc_window_ng_h_per_ml: float


def summarise(result: PKResult) -> RegimenSummary:
    """Plasma Cmax and tmax, effect-site peak and its time, and the plasma AUC over the window."""
    cmax, tmax = cmax_tmax(result)
    epk, etp = cmax_tmax(result, "effect")
    return RegimenSummary(cmax, tmax, epk, etp, auc_trapezoid_ng_h_per_ml(result))


@dataclass(frozen=True)
class MeasuredComparison:
    """One published measurement beside the model's prediction for the same regimen.

    ``quantity`` "Cmax" compares peaks; "concentration" compares the value at
    ``time_min``. ``low``/``high`` are the reported spread (kind in ``spread``)."""

    measurement_id: str
    quantity: str
    value: float | None
    low: float | None
    high: float | None
    spread: str
    time_min: float | None
    predicted_ng_per_ml: float
    regimen: str
    source_id: str
    primary_study: str | None


def compare_with_measured(result: PKResult, rows: Sequence[dict]) -> list[MeasuredComparison]:
    """Each measured row (from :func:`~widgets.models.pk.tables.measurements_for`) with the prediction
    of ``result``: its Cmax for a Cmax row, its value at ``time_min`` for a concentration row."""
    out = []
    cmax = cmax_tmax(result)[0]
    for row in rows:
        time = None if is_missing(row["time_min"]) else float(row["time_min"])
        predicted = cmax if row["quantity"] == "Cmax" else float(np.interp(time, result.times_min, result.plasma_ng_per_ml))
        out.append(MeasuredComparison(
            measurement_id=row["id"], quantity=row["quantity"],
            value=None if is_missing(row["value"]) else float(row["value"]),
            low=None if is_missing(row["low"]) else float(row["low"]),
            high=None if is_missing(row["high"]) else float(row["high"]),
            spread=row["spread"], time_min=time, predicted_ng_per_ml=predicted, regimen=row["regimen"],
            source_id=row["source_id"], primary_study=None if is_missing(row["primary_study"]) else row["primary_study"]))
    return out


def model_summary(weight_kg: float = 70.0, drug: str = "ketamine"):
    """One row per ``pk_models`` model at ``weight_kg``: compartments, V1 (L), CL (L/h), Vss (L),
    disposition half-lives (min), ke0 (1/min) and the sources of parameters and ke0."""
    import pandas as pd

    rows = []
    for _, row in pk_models(drug).iterrows():
        m = model_from_table(row["id"], weight_kg)
        rows.append(dict(model=row["name"], population=row["population"], compartments=m.compartments,
                         v1_l=round(m.v1_l, 1), cl_l_per_h=round(m.clearance_l_per_min * 60, 1), vss_l=round(m.vss_l, 0),
                         half_lives_min=", ".join(f"{x:.3g}" for x in m.half_lives_min()),
                         ke0_per_min=m.ke0_per_min, source_id=row["source_id"], ke0_source_id=row["ke0_source_id"]))
    return pd.DataFrame(rows)


def context_sensitive_half_time_min(model: CompartmentModel, infusion_min: float) -> float:
    """Minutes for plasma concentration to fall by half after a constant-rate infusion of
    ``infusion_min`` stops (found on a 0.1-min grid, exact model solution)."""
    duration = check_range("infusion_min", infusion_min, 0, 24 * 60, "min", low_inclusive=False)
    t = np.arange(0.0, duration + 48 * 60 + 0.05, 0.1)
    r = simulate(model.with_ke0(None), [Infusion(0.0, duration, 10.0)], t)
    end = int(np.searchsorted(t, duration - 1e-9))
    after = r.plasma_ng_per_ml[end:]
    below = np.nonzero(after <= 0.5 * after[0])[0]
    return float(t[end + below[0]] - t[end]) if below.size else float("inf")


def _simulated_weight(row, default_kg: float) -> float:
    """The weight a published regimen was simulated at (``regimens``), else ``default_kg``."""
    table = regimens()
    same = table[(table["route_id"] == row["route_id"])
                 & ((table["dose_mg_per_kg"] == row["dose_mg_per_kg"]) | (table["dose_mg"] == row["dose_mg"]))]
    return float(same["weight_kg"].iloc[0]) if len(same) else default_kg


def measured_vs_predicted(weight_kg: float = 70.0, model_ids: Sequence[str] | None = None):
    """Each ``measured_concentrations`` row beside each ketamine model's prediction for the same regimen.

    Per-kg doses use the weight the ``regimens`` table gives that regimen (e.g. 20 kg for
    the children of Malinovsky 1996), else ``weight_kg``; absolute doses are given as
    stated; an IV bolus is given over ``IV_BOLUS_OVER_MIN`` as in the explorer. Cmax is read from a
    0.05-min grid over 24 h; AUC is the exact AUC to
    infinity in µg·h/L. Columns: measurement, regimen, model, quantity, measured,
    low, high, predicted, unit, ratio (predicted/measured), within (predicted inside
    low–high), source_id, primary_study.
    """
    import pandas as pd

    default = check_range("weight_kg", weight_kg, MIN_WEIGHT_KG, MAX_WEIGHT_KG, "kg")
    ids = list(pk_models("ketamine")["id"]) if model_ids is None else list(model_ids)
    grid = np.arange(0.0, 24 * 60 + 0.025, 0.05)
    out = []
    for _, row in measured_concentrations().iterrows():
        weight = _simulated_weight(row, default)
        amount = float(row["dose_mg"]) if not is_missing(row["dose_mg"]) else float(row["dose_mg_per_kg"]) * weight
        inf_min = None if is_missing(row["infusion_min"]) else float(row["infusion_min"])
        if row["route_id"] == "iv" and inf_min is None:
            inf_min = IV_BOLUS_OVER_MIN                   # an IV bolus as the explorer gives it (label: over 60 s)
        doses = route_doses(str(row["route_id"]), amount, infusion_min=inf_min)
        for model_id in ids:
            model = model_from_table(model_id, weight)
            if row["quantity"] == "AUC":
                predicted = auc_infinity_mg_min_per_l(model, doses) * 1000.0 / 60.0
            else:
                result = simulate(model, doses, grid)
                if row["quantity"] == "Cmax":
                    predicted = cmax_tmax(result)[0]
                else:
                    predicted = float(np.interp(float(row["time_min"]), grid, result.plasma_ng_per_ml))
            measured = None if is_missing(row["value"]) else float(row["value"])
            low = None if is_missing(row["low"]) else float(row["low"])
            high = None if is_missing(row["high"]) else float(row["high"])
            out.append(dict(measurement=row["id"], regimen=row["regimen"], model=model_id, quantity=row["quantity"],
                            measured=measured, low=low, high=high, predicted=predicted, unit=row["unit"],
                            ratio=None if measured is None else predicted / measured,
                            within=None if low is None else bool(low <= predicted <= high),
                            source_id=row["source_id"],
                            primary_study=None if is_missing(row["primary_study"]) else row["primary_study"]))
    return pd.DataFrame(out)


def interaction_check(route_oral: str = "oral-chong", weight_kg: float = 70.0):
    """Published fold changes (``drug_interactions``) beside the model's, for the Kamp model.

    Oral rows use the oral route ``route_oral``; IV rows an IV bolus; dose 0.2 mg/kg.
    """
    import pandas as pd

    base_model = model_from_table("kamp", weight_kg)
    grid = np.arange(0.0, 24 * 60 + 0.5, 0.5)
    out = []
    for _, row in drug_interactions().iterrows():
        drug, route = row["interacting_drug"], ("iv" if row["ketamine_route"] == "iv" else route_oral)
        amount = 0.2 * weight_kg
        base = route_doses(route, amount)
        inter = route_doses(route, amount, interacting_drug=drug)
        model = model_with_interaction("kamp", weight_kg, drug)
        if row["measure"] == "AUC":
            fold = auc_infinity_mg_min_per_l(model, inter) / auc_infinity_mg_min_per_l(base_model, base)
        else:
            fold = cmax_tmax(simulate(model, inter, grid))[0] / cmax_tmax(simulate(base_model, base, grid))[0]
        out.append(dict(interacting_drug=drug, mechanism=row["mechanism"], ketamine_route=row["ketamine_route"],
                        measure=row["measure"], published_fold=row["fold_change"], model_fold=round(fold, 2),
                        source_id=row["source_id"]))
    return pd.DataFrame(out)
