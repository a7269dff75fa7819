"""Linear compartment pharmacokinetics, solved exactly (notebooks 04 and 06).

Public API (stable; other notebooks build on it)
------------------------------------------------

* :class:`CompartmentModel`: a linear mammillary model (1, 2 or 3 compartments)
  for one body weight, with an optional effect site (``ke0_per_min``). Build
  one from the course table ``pk_models`` with :func:`model_from_table`
  (``model_from_table("domino", weight_kg=70)``,
  ``model_from_table("albrecht-midazolam-under65", weight_kg=70)``), or directly
  with :meth:`CompartmentModel.from_rate_constants` /
  :meth:`CompartmentModel.from_clearances`.
* Doses (amounts in **mg of free base**, times in **minutes**):
  :func:`bolus` (IV bolus), :func:`infusion` (constant-rate IV infusion of
  ``amount_mg`` over ``duration_min``) and :func:`absorption_dose` (first-order
  absorption: IM, intranasal, oral, sublingual; ``bioavailability`` 0–1,
  ``ka_per_min``, ``lag_min``). :func:`repeat` copies a dose at fixed intervals.
* :func:`simulate` ``(model, doses, times_min)`` → :class:`PKResult` with
  ``times_min``, ``plasma_ng_per_ml``, ``effect_site_ng_per_ml`` (and, on
  request, ``amounts_mg`` per compartment and ``eliminated_mg``). Times may be
  any increasing sequence; a grid from :func:`time_grid` (read-only, checked once)
  spares the check on every call.
* Summaries: :func:`auc_infinity_mg_min_per_l` (exact AUC from 0 to ∞),
  :func:`cmax_tmax`, :func:`auc_trapezoid_ng_h_per_ml`, :func:`summarise`,
  :func:`compare_with_measured`, :func:`model_summary`,
  :func:`context_sensitive_half_time_min`.
* Course tables: :func:`pk_models`, :func:`routes`, :func:`regimens`,
  :func:`drug_interactions`, :func:`measured_concentrations`,
  :func:`route_doses` (doses for a ``routes`` row), :func:`model_with_interaction`,
  :func:`interaction_factors`, :func:`measured_vs_predicted`, :func:`interaction_check`.
* What a learner can choose (the PK explorer): an IV dose within
  ``IV_DOSE_RANGE_MG_PER_KG`` (:func:`iv_doses`), or for every other route a
  **published regimen** from the ``regimens`` table (:func:`regimen_ids`,
  :func:`regimen_doses`), simulated for the study's population weight or a
  70-kg reference adult. There is no free non-IV dose and no free repeat dosing:
  the course is a teaching model of published studies, not a dose calculator.

Units: volumes in L, rate constants in 1/min, amounts in mg, plasma
concentration internally in mg/L (= µg/mL) and reported in ng/mL (× 1000).

Modules: :mod:`.engine` (doses, models, the solver), :mod:`.tables` (course
tables and the doses they define), :mod:`.summaries` (readout numbers and
comparisons with measurements).

Method
------
The model is the linear system dx/dt = A x + b(t), with x the amounts (mg) in
the central and peripheral compartments, one absorption depot per distinct
``ka`` and the effect-site concentration Ce (dCe/dt = ke0·(Cp − Ce)). A is
diagonalised once per model (A = V Λ V⁻¹, cached; all eigenvalues are real and
negative for these models), so every output is a sum of exponentials. No ODE
solver and no per-step Python loop is used. Three exact evaluations:

* uniform grid, few input changes (≤ ``MAX_SEGMENTS`` dose starts and ends):
  between consecutive changes each mode follows
  z(t) = z_ss + (z(τ) − z_ss)·e^{λ(t − τ)}, and on the grid
  e^{λ(t − τ)} = e^{λ(t_first − τ)}·p^j with p = e^{λh}. The powers p^j for
  j < 4096 (and a row of ones for the steady level) form one small basis table
  per model and grid step, built once by repeated doubling and cached; each
  segment of the output (each 4096-sample block of a long one, scaled by
  e^{λh·4096·b}) is one small matrix product (outputs × modes+1 times the first
  columns of the table) written straight into the result. The modal state
  after each change comes from one vectorised sum, not a loop over doses. At
  these sizes the cost is the number of numpy calls, not arithmetic, so the
  small algebra is written with as few calls as possible;
* uniform grid, many doses: the exact discretisation z[k] = e^{λh} z[k−1] + u[k],
  where u[k] is the exact integral of the inputs over (t[k−1], t[k]] weighted by
  e^{λ(t[k] − s)} (boluses as weighted impulses at their exact times, infusions
  as full-interval rates via a cumulative sum plus exact partial intervals at
  their ends), run once per mode in compiled code (:func:`scipy.signal.lfilter`).
  The cost is O(grid points + doses), not O(grid points × doses);
* other grids: the closed-form sum of exponentials per dose.

The tests check all three paths against each other, against closed-form
results (AUC = F·dose/CL, infusion plateau = rate/CL, mass balance) and against
:func:`scipy.integrate.solve_ivp` (agreement about 1e-9 relative);
``benchmarks/pk_engine.py`` times the engine against opentiva, solve_ivp and a
bare lfilter recurrence.

If two eigenvalues coincide (e.g. ``ka`` or ``ke0`` equal to a model
eigenvalue), the matrix is defective; the solver then separates them by a
relative 1e-7, which changes concentrations by less than about 1e-7 relative.

Sources of parameters: see the ``pk_models``, ``routes`` and ``regimens``
tables (each row names its source id and evidence status).
"""

from widgets.models.pk.engine import (AbsorptionDose, Bolus, CompartmentModel, Infusion, PKResult, absorption_dose,
                                      auc_infinity_mg_min_per_l, auc_trapezoid_ng_h_per_ml, bolus, cmax_tmax, infusion,
                                      repeat, simulate, time_grid)
from widgets.models.pk.summaries import (MeasuredComparison, RegimenSummary, compare_with_measured,
                                         context_sensitive_half_time_min, interaction_check, measured_vs_predicted,
                                         model_summary, summarise)
from widgets.models.pk.tables import (IV_BOLUS_OVER_MIN, IV_DOSE_RANGE_MG_PER_KG, IV_MAX_INFUSION_MIN, MAX_WEIGHT_KG,
                                      MIN_WEIGHT_KG, REFERENCE_WEIGHT_KG, ROUTE_GROUPS, concentration_bands,
                                      drug_interactions, interaction_factors, iv_doses, iv_measurements,
                                      measured_concentrations, measurements_for, regimen_measurements, model_from_table, model_with_interaction, pk_models, regimen,
                                      regimen_amount_mg, regimen_doses, regimen_ids, regimens, route_doses, routes)

__all__ = [
    "Bolus", "Infusion", "AbsorptionDose", "CompartmentModel", "PKResult",
    "bolus", "infusion", "absorption_dose", "repeat", "simulate", "time_grid",
    "auc_infinity_mg_min_per_l", "cmax_tmax", "auc_trapezoid_ng_h_per_ml",
    "model_from_table", "pk_models", "routes", "regimens", "drug_interactions", "measured_concentrations",
    "interaction_factors", "route_doses", "model_with_interaction", "measured_vs_predicted", "interaction_check",
    "MIN_WEIGHT_KG", "MAX_WEIGHT_KG", "REFERENCE_WEIGHT_KG", "IV_DOSE_RANGE_MG_PER_KG", "IV_MAX_INFUSION_MIN",
    "IV_BOLUS_OVER_MIN", "ROUTE_GROUPS", "iv_doses", "regimen", "regimen_ids", "regimen_amount_mg", "regimen_doses",
    "measurements_for", "iv_measurements", "regimen_measurements", "concentration_bands", "summarise", "RegimenSummary", "MeasuredComparison",
    "compare_with_measured", "model_summary", "context_sensitive_half_time_min",
]
