"""The course tables behind the PK models: parameter sets, routes, published regimens,
interactions and measured concentrations, and the doses they define."""

from __future__ import annotations

import functools

import numpy as np

from widgets.models.pk.engine import (CompartmentModel, Dose, absorption_dose, bolus, infusion, repeat)
from widgets.validation import CourseInputError, check_choice, check_range

MIN_WEIGHT_KG = 3.0
MAX_WEIGHT_KG = 200.0
#: Body weight of the reference adult every IV simulation and every non-IV regimen
#: without a stated study weight uses (the models report their parameters per 70 kg).
REFERENCE_WEIGHT_KG = 70.0
#: IV doses the course simulates (mg/kg free base): trial doses from 0.1 mg/kg (mpk:D9,
#: D10) to the top of the label's induction range, 4.5 mg/kg (mpk:D1).
IV_DOSE_RANGE_MG_PER_KG = (0.1, 4.5)
#: Longest IV infusion the explorer offers (min); 0 means a bolus.
IV_MAX_INFUSION_MIN = 120.0
#: An IV "bolus" is given over 1 min, as the label advises giving it slowly over 60 s (mpk:D1).
IV_BOLUS_OVER_MIN = 1.0

#: Route groups the explorer offers, in order: key → (routes.route, routes.form, learner label).
ROUTE_GROUPS = {
    "iv": ("iv", "racemic", "IV"),
    "im": ("im", "racemic", "IM"),
    "intranasal": ("intranasal", "racemic", "Intranasal"),
    "esketamine-nasal": ("intranasal", "S-ketamine", "Esketamine nasal spray"),
    "oral": ("oral", "racemic", "Oral"),
    "sublingual": ("sublingual", "racemic", "Sublingual"),
}


def _load(name: str):
    import course_data

    return course_data.load(name)


def pk_models(drug: str | None = None):
    """The ``pk_models`` table (optionally for one ``drug``: "ketamine", "midazolam")."""
    table = _load("pk_models")
    return table if drug is None else table[table["drug"] == drug].reset_index(drop=True)


def routes():
    """The ``routes`` table: bioavailability and absorption per route and study."""
    return _load("routes")


def regimens():
    """The ``regimens`` table: one row per published non-IV regimen (dose, timing, weight, route, source)."""
    return _load("regimens")


def drug_interactions():
    """The ``drug_interactions`` table: published fold changes of S-ketamine exposure."""
    return _load("drug_interactions")


def measured_concentrations():
    """The ``measured_concentrations`` table: published concentrations with the regimen that produced them."""
    return _load("measured_concentrations")


def is_missing(value) -> bool:
    """True for an empty table cell (None, NaN, pandas NA or '')."""
    try:
        return value is None or bool(np.isnan(float(value)))
    except (TypeError, ValueError):
        return str(value) in ("<NA>", "")


def _number_or_none(value) -> float | None:
    return None if is_missing(value) else float(value)


@functools.lru_cache(maxsize=512)
def model_from_table(model_id: str, weight_kg: float, ke0_per_min: float | None = "table") -> CompartmentModel:
    """A :class:`CompartmentModel` from a ``pk_models`` row for body weight ``weight_kg`` (3–200 kg).

    Scaling (column ``scaling``): ``per_kg`` (V1 in L/kg × weight; rate constants
    unchanged), ``allometric_70kg`` (volumes × weight/70, clearances ×
    (weight/70)^0.75, as in Herd & Anderson 2007) or ``fixed`` (no weight
    scaling, e.g. Albrecht midazolam). ``ke0_per_min``: "table" uses the row's
    value, None removes the effect site, a number overrides it.
    """
    weight = check_range("weight_kg", weight_kg, MIN_WEIGHT_KG, MAX_WEIGHT_KG, "kg")
    row = _row_by_id(pk_models(), "model_id", model_id)
    ke0 = _number_or_none(row["ke0_per_min"]) if isinstance(ke0_per_min, str) else ke0_per_min
    labels = dict(drug=str(row["drug"]), model_id=model_id, name=str(row["name"]), weight_kg=weight)
    scaling = row["scaling"]
    if scaling == "per_kg":
        v1 = float(row["v1"]) * weight
    elif scaling == "allometric_70kg":
        v1 = float(row["v1"]) * weight / 70.0
    else:
        v1 = float(row["v1"])
    if not is_missing(row["cl_l_per_h"]):
        size = weight / 70.0 if scaling == "allometric_70kg" else 1.0
        cl_scale = size ** 0.75
        v2 = None if is_missing(row["v2_l"]) else float(row["v2_l"]) * size
        q2 = None if is_missing(row["q2_l_per_h"]) else float(row["q2_l_per_h"]) * cl_scale / 60.0
        return CompartmentModel.from_clearances(v1, float(row["cl_l_per_h"]) * cl_scale / 60.0, v2, q2,
                                                ke0_per_min=ke0, **labels)
    k = {name: (0.0 if is_missing(row[name]) else float(row[name])) for name in ("k10", "k12", "k13", "k21", "k31")}
    return CompartmentModel.from_rate_constants(v1, ke0_per_min=ke0, **k, **labels)


@functools.lru_cache(maxsize=64)
def route_row(route_id: str) -> dict:
    """One ``routes`` row as a dict (CourseInputError for an unknown id)."""
    return _row_by_id(routes(), "route_id", route_id)


def _row_by_id(table, parameter: str, row_id: str) -> dict:
    """The table row whose ``id`` is ``row_id``, as a dict; the error names the parameter and the choices."""
    rows = table[table["id"] == row_id]
    if rows.empty:
        raise CourseInputError(f"{parameter} must be one of {', '.join(table['id'])}; got {row_id!r}")
    return rows.iloc[0].to_dict()


def interaction_factors(interacting_drug: str) -> dict:
    """``{"clearance_factor": …, "oral_bioavailability_factor": …}`` for ``interacting_drug``
    ("none", "clarithromycin", "ticlopidine", "itraconazole", "rifampicin"); see below."""
    return dict(_interaction_factors(interacting_drug))


@functools.lru_cache(maxsize=64)
def _interaction_factors(interacting_drug: str) -> tuple:
    """Model multipliers for an interacting drug, derived from ``drug_interactions``.

    Returns ``clearance_factor`` (multiplies CL) and ``oral_bioavailability_factor``
    (multiplies the oral F). From the published AUC fold changes: IV AUC fold
    f_iv = 1/clearance_factor; oral AUC fold f_oral = F-factor/clearance_factor.
    Where only oral data exist (clarithromycin, ticlopidine, itraconazole) the
    course assumes clearance is unchanged and puts the whole change in
    first-pass (source ``ddi-split-derived``), which rifampicin supports (IV −14 %
    vs oral −86 %). "none" gives factors of 1.
    """
    if interacting_drug in (None, "none"):
        return (("clearance_factor", 1.0), ("oral_bioavailability_factor", 1.0))
    table = drug_interactions()
    rows = table[(table["interacting_drug"] == interacting_drug) & (table["measure"] == "AUC")]
    if rows.empty:
        raise CourseInputError(f"interacting_drug must be one of none, {', '.join(sorted(set(table['interacting_drug'])))}; got {interacting_drug!r}")
    fold = {r["ketamine_route"]: float(r["fold_change"]) for _, r in rows.iterrows()}
    clearance_factor = 1.0 / fold["iv"] if "iv" in fold else 1.0
    oral = fold.get("oral", 1.0 / clearance_factor)
    return (("clearance_factor", clearance_factor), ("oral_bioavailability_factor", oral * clearance_factor))


def route_doses(route_id: str, amount_mg: float, *, start_min: float = 0.0, infusion_min: float | None = None,
                count: int = 1, interval_min: float = 0.0, interacting_drug: str = "none") -> list[Dose]:
    """Doses for a ``routes`` row: ``count`` doses of ``amount_mg`` (mg free base) every ``interval_min``.

    ``route_id`` "iv" gives a bolus (or, with ``infusion_min`` > 0, a constant-rate
    infusion over that time); other routes give first-order absorption doses
    with the row's bioavailability and DERIVED ka. For routes with first-pass
    (oral), ``interacting_drug`` multiplies F by its first-pass factor (capped at 1).
    This is the engine-level building block; learners reach it only through
    :func:`iv_doses` and :func:`regimen_doses`.
    """
    row = route_row(route_id)
    if row["route"] == "iv":
        first = (infusion(start_min, infusion_min, amount_mg) if infusion_min is not None else bolus(start_min, amount_mg))
    else:
        f = float(row["bioavailability"])
        if bool(row["first_pass"]):
            f = min(1.0, f * interaction_factors(interacting_drug)["oral_bioavailability_factor"])
        first = absorption_dose(start_min, amount_mg, float(row["ka_per_min"]), f, float(row["lag_min"]))
    return repeat(first, count, interval_min)


def model_with_interaction(model_id: str, weight_kg: float, interacting_drug: str = "none",
                           ke0_per_min: float | None = "table") -> CompartmentModel:
    """:func:`model_from_table` with the interacting drug's clearance factor applied (see :func:`interaction_factors`)."""
    model = model_from_table(model_id, weight_kg, ke0_per_min)
    factor = interaction_factors(interacting_drug)["clearance_factor"]
    return model if factor == 1.0 else model.with_clearance_factor(factor)


# --------------------------------------------------------------------------- what a learner can choose
def iv_doses(dose_mg_per_kg: float, infusion_min: float, weight_kg: float = REFERENCE_WEIGHT_KG) -> list[Dose]:
    """An IV dose in the label/trial range (``IV_DOSE_RANGE_MG_PER_KG``), over ``infusion_min``
    (0–``IV_MAX_INFUSION_MIN`` min; 0 gives a bolus over ``IV_BOLUS_OVER_MIN`` min)."""
    low, high = IV_DOSE_RANGE_MG_PER_KG
    dose = check_range("IV dose_mg_per_kg", dose_mg_per_kg, low, high, "mg/kg")
    minutes = check_range("infusion_min", infusion_min, 0, IV_MAX_INFUSION_MIN, "min")
    return route_doses("iv", dose * weight_kg, infusion_min=minutes if minutes > 0 else IV_BOLUS_OVER_MIN)


@functools.lru_cache(maxsize=64)
def regimen(regimen_id: str) -> dict:
    """One ``regimens`` row as a dict, with ``route_group`` (a key of ``ROUTE_GROUPS``) added."""
    row = _row_by_id(regimens(), "regimen", regimen_id)
    route = route_row(row["route_id"])
    row["route_group"] = next(k for k, (r, f, _label) in ROUTE_GROUPS.items() if (r, f) == (route["route"], route["form"]))
    return row


def regimen_ids(route_group: str) -> list[str]:
    """The published regimens of one route group, in table order (none for "iv": IV doses are free
    within the label/trial range)."""
    check_choice("route_group", route_group, ROUTE_GROUPS)
    return [rid for rid in regimens()["id"] if regimen(rid)["route_group"] == route_group]


def regimen_amount_mg(regimen_id: str) -> float:
    """Amount per administration (mg free base) at the regimen's simulated weight."""
    row = regimen(regimen_id)
    return float(row["dose_mg"]) if not is_missing(row["dose_mg"]) else float(row["dose_mg_per_kg"]) * float(row["weight_kg"])


def regimen_doses(regimen_id: str, interacting_drug: str = "none") -> list[Dose]:
    """The doses of a published regimen (``regimens`` row), at its simulated weight."""
    row = regimen(regimen_id)
    interval = _number_or_none(row["interval_min"]) or 0.0
    return route_doses(row["route_id"], regimen_amount_mg(regimen_id), count=int(row["count"]), interval_min=interval,
                       interacting_drug=interacting_drug)


def measurements_for(route_id: str, *, dose_mg_per_kg: float | None = None, dose_mg: float | None = None,
                     infusion_min: float | None = None) -> list[dict]:
    """``measured_concentrations`` rows (not AUC) measured after the same regimen: same route row,
    the same dose (per kg, or absolute) and the same infusion time (None: bolus or absorbed dose)."""
    out = []
    for row in _measured_rows():
        if row["route_id"] != route_id:
            continue
        per_kg, mg = _number_or_none(row["dose_mg_per_kg"]), _number_or_none(row["dose_mg"])
        same_dose = ((per_kg is not None and dose_mg_per_kg is not None and abs(per_kg - dose_mg_per_kg) < 1e-9)
                     or (mg is not None and dose_mg is not None and abs(mg - dose_mg) < 1e-9))
        if same_dose and _number_or_none(row["infusion_min"]) == infusion_min:
            out.append(row)
    return out


def iv_measurements(dose_mg_per_kg: float, infusion_min: float, interacting_drug: str = "none") -> list[dict]:
    """Measured rows for an IV dose as :func:`iv_doses` gives it (``infusion_min`` 0: a bolus).

    Every measurement in ``measured_concentrations`` was taken without an interacting drug,
    so none is comparable once one is chosen (an empty list)."""
    if interacting_drug != "none":
        return []
    return measurements_for("iv", dose_mg_per_kg=dose_mg_per_kg, infusion_min=infusion_min if infusion_min > 0 else None)


def regimen_measurements(regimen_id: str, interacting_drug: str = "none") -> list[dict]:
    """Measured rows for a published regimen (same route row and dose; single-administration regimens),
    none when an interacting drug is chosen (the measurements were taken without one)."""
    row = regimen(regimen_id)
    if int(row["count"]) != 1 or interacting_drug != "none":
        return []
    return measurements_for(row["route_id"], dose_mg_per_kg=_number_or_none(row["dose_mg_per_kg"]),
                            dose_mg=_number_or_none(row["dose_mg"]))


@functools.lru_cache(maxsize=1)
def _measured_rows() -> tuple:
    table = measured_concentrations()
    return tuple(row.to_dict() for _, row in table[table["quantity"] != "AUC"].iterrows())


@functools.lru_cache(maxsize=1)
def _bands() -> tuple:
    table = _load("clinical_concentrations")
    order = ["analgesia", "antidepressant infusion", "psychotomimetic", "emergence", "anaesthesia"]
    grouped = table.groupby("context").agg(low=("low_ng_per_ml", "min"), high=("high_ng_per_ml", "max"),
                                           sources=("source_id", lambda s: ";".join(sorted(set(s)))))
    return tuple((c, float(grouped.loc[c, "low"]), float(grouped.loc[c, "high"]), grouped.loc[c, "sources"])
                 for c in order if c in grouped.index)


def concentration_bands() -> list[tuple[str, float, float, str]]:
    """(context, low ng/mL, high ng/mL, source ids) from the shared ``clinical_concentrations``
    table; a context's band spans all its rows, so disagreement between sources widens it."""
    return list(_bands())
