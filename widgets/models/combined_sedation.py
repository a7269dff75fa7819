"""Ketamine + midazolam over time: a teaching model of combined hypnotic drive (notebook 06).

Not for clinical decisions. Pipeline:

1. Effect-site concentrations from the course's PK engine (:mod:`widgets.models.pk`):
   midazolam with the Albrecht 3-compartment model (``pk_models`` rows
   ``albrecht-midazolam-under65`` / ``-65plus``; evidence ``mod:P59``) and
   ketamine with the Domino 3-compartment model (``domino``; ``mod:P57``). Its
   coded ke0 (0.652/min) is an assumption; the alternative 0.114/min is derived
   from S-ketamine's measured equilibration half-time (``mod:P61``). IV
   boluses in mg/kg at a body weight of 70 kg.
2. Each concentration is expressed as a fraction of a **C50**: the peak
   effect-site concentration that the drug's Hong 1993 hypnotic ED50 (midazolam
   0.15, ketamine 0.37 mg/kg IV) produces in the same model (DERIVED,
   ``combined-sedation-derived``). So an ED50 bolus of either drug alone peaks at
   exactly 1. Both models are linear, so these fractions do not depend on body
   weight (for midazolam, C50 and the concentration both scale with the
   weight-based dose; the C50 always comes from the under-65 model).
3. The two fractions combine through the response surface of
   :mod:`widgets.models.interaction` into a hypnotic drive D in ED50-equivalents;
   D = 1 is the dose-equivalent of a 50 % chance of losing response to a verbal
   command (Hong's hypnosis endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from widgets.models import pk
from widgets.models.interaction import hong1993, hypnotic_drive
from widgets.validation import check_choice, check_range

WEIGHT_KG = 70.0
STEP_MIN = 0.5
DURATION_MIN = 120.0
MAX_DELAY_MIN = 30.0
MIDAZOLAM_MODELS = {"age < 65": "albrecht-midazolam-under65", "age ≥ 65": "albrecht-midazolam-65plus"}
KETAMINE_MODEL = "domino"
#: Ketamine effect-site rate constants (1/min): the value coded with the Domino model (an assumption,
#: source ``opentiva-ke0``) and one derived from S-ketamine's measured equilibration half-time of
#: 6.1 min (ln 2 / 6.1, source ``ke0-olofsen-derived``).
KETAMINE_KE0 = {"0.652/min (coded with Domino; assumed)": "table", "0.114/min (from measured S-ketamine equilibration)": 0.114}
_DEFAULT_KE0 = next(iter(KETAMINE_KE0))
MIDAZOLAM_RANGE_MG_PER_KG = (0.0, 0.2)
KETAMINE_RANGE_MG_PER_KG = (0.0, 2.0)


@lru_cache(maxsize=None)
def _unit_response(model_id: str, ke0_choice: str = _DEFAULT_KE0) -> np.ndarray:
    """Effect-site ng/mL after 1 mg/kg IV at t = 0 on the course grid (padded for the largest delay)."""
    times = np.arange(0.0, DURATION_MIN + MAX_DELAY_MIN + STEP_MIN / 2, STEP_MIN)
    ke0 = KETAMINE_KE0[ke0_choice] if model_id == KETAMINE_MODEL else "table"
    model = pk.model_from_table(model_id, weight_kg=WEIGHT_KG, ke0_per_min=ke0)
    result = pk.simulate(model, [pk.bolus(0.0, WEIGHT_KG)], times)
    return np.asarray(result.effect_site_ng_per_ml, dtype=float)


def times_min() -> np.ndarray:
    """The time grid (min) of the combined course: 0 to 120 min in 0.5-min steps."""
    return np.arange(0.0, DURATION_MIN + STEP_MIN / 2, STEP_MIN)


@lru_cache(maxsize=None)
def c50_ng_per_ml(drug: str, ketamine_ke0: str = _DEFAULT_KE0) -> float:
    """Peak effect-site concentration after the Hong 1993 hypnotic ED50 as an IV bolus (DERIVED).

    For ketamine it depends on the effect-site rate constant chosen (``ketamine_ke0``)."""
    check_choice("drug", drug, ["midazolam", "ketamine"])
    check_choice("ketamine_ke0", ketamine_ke0, list(KETAMINE_KE0))
    hong = hong1993()
    if drug == "midazolam":
        return float(_unit_response(MIDAZOLAM_MODELS["age < 65"]).max() * hong.midazolam.value_mg_per_kg)
    return float(_unit_response(KETAMINE_MODEL, ketamine_ke0).max() * hong.ketamine.value_mg_per_kg)


@dataclass(frozen=True)
class CombinedCourse:
    times_min: np.ndarray
    midazolam_ng_per_ml: np.ndarray
    ketamine_ng_per_ml: np.ndarray
    u_midazolam: np.ndarray
    u_ketamine: np.ndarray
    drive: np.ndarray
    peak_drive: float
    peak_time_min: float
    minutes_above_one: float
    peak_u_midazolam_alone: float
    peak_u_ketamine_alone: float


def combined_course(midazolam_mg_per_kg: float, ketamine_mg_per_kg: float, ketamine_delay_min: float = 5.0,
                    alpha: float = 0.0, midazolam_model: str = "age < 65", ketamine_ke0: str = _DEFAULT_KE0) -> CombinedCourse:
    """Midazolam bolus at t = 0 and ketamine bolus ``ketamine_delay_min`` later (IV, mg/kg; teaching model).

    Returns effect-site concentrations (ng/mL), their C50 fractions, the drive D
    (ED50-equivalents), its peak and the minutes with D ≥ 1.
    """
    dm = check_range("midazolam_mg_per_kg", midazolam_mg_per_kg, *MIDAZOLAM_RANGE_MG_PER_KG, "mg/kg")
    dk = check_range("ketamine_mg_per_kg", ketamine_mg_per_kg, *KETAMINE_RANGE_MG_PER_KG, "mg/kg")
    delay = check_range("ketamine_delay_min", ketamine_delay_min, 0, MAX_DELAY_MIN, "min")
    model_id = MIDAZOLAM_MODELS[check_choice("midazolam_model", midazolam_model, list(MIDAZOLAM_MODELS))]
    check_choice("ketamine_ke0", ketamine_ke0, list(KETAMINE_KE0))
    t = times_min()
    n = len(t)
    mid = _unit_response(model_id)[:n] * dm
    shift = int(round(delay / STEP_MIN))
    ket = np.zeros(n)
    ket[shift:] = _unit_response(KETAMINE_MODEL, ketamine_ke0)[: n - shift] * dk
    um = mid / c50_ng_per_ml("midazolam")
    uk = ket / c50_ng_per_ml("ketamine", ketamine_ke0)
    drive = hypnotic_drive(um, uk, alpha)
    peak = int(np.argmax(drive))
    return CombinedCourse(
        times_min=t, midazolam_ng_per_ml=mid, ketamine_ng_per_ml=ket, u_midazolam=um, u_ketamine=uk,
        drive=drive, peak_drive=float(drive[peak]), peak_time_min=float(t[peak]),
        minutes_above_one=float(np.count_nonzero(drive >= 1.0) * STEP_MIN),
        peak_u_midazolam_alone=float(um.max()), peak_u_ketamine_alone=float(uk.max()),
    )
