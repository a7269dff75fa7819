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
  request, ``amounts_mg`` per compartment and ``eliminated_mg``).
* Summaries: :func:`auc_infinity_mg_min_per_l` (exact AUC from 0 to ∞),
  :func:`cmax_tmax`, :func:`time_above_min`, :func:`auc_trapezoid_ng_h_per_ml`.
* Course tables: :func:`pk_models`, :func:`routes`, :func:`drug_interactions`,
  :func:`route_doses` (doses for a ``routes`` row), :func:`model_with_interaction`,
  :func:`measured_vs_predicted`,
  :func:`measured_concentrations`, :func:`interaction_factors`.

Units: volumes in L, rate constants in 1/min, amounts in mg, plasma
concentration internally in mg/L (= µg/mL) and reported in ng/mL (× 1000).

Method
------
The model is the linear system dx/dt = A x + b(t), with x the amounts (mg) in
the central and peripheral compartments, one absorption depot per distinct
``ka`` and the effect-site concentration Ce (dCe/dt = ke0·(Cp − Ce)). A is
diagonalised once per model (A = V Λ V⁻¹, cached; all eigenvalues are real and
negative for these models), so every output is a sum of exponentials. Two exact
evaluations are used on a uniform grid of step h:

* few input changes (≤ 64 dose starts/ends): between consecutive changes each
  mode follows z(t) = z_ss + (z(τ) − z_ss)·e^{λ(t − τ)}, and on the grid
  e^{λ(t − τ)} = e^{λ(t_first − τ)}·p^j with p = e^{λh}; the powers p^j come
  from one cached table per mode (built by repeated doubling), so the whole
  curve costs a few vector operations per segment and one small matrix product;
* many doses: the exact discretisation z[k] = e^{λh} z[k−1] + u[k], where u[k]
  is the exact integral of the inputs over (t[k−1], t[k]] weighted by
  e^{λ(t[k] − s)} (boluses as weighted impulses at their exact times, infusions
  as full-interval rates via a cumulative sum plus exact partial intervals at
  their ends), run once per mode in compiled code (:func:`scipy.signal.lfilter`).
  The cost is O(grid points + doses), not O(grid points × doses).

Non-uniform time grids use the closed-form sum of exponentials per dose. No ODE
solver and no per-step Python loop is used; the tests check all three paths
against each other and against :func:`scipy.integrate.solve_ivp`.

If two eigenvalues coincide (e.g. ``ka`` or ``ke0`` equal to a model
eigenvalue), the matrix is defective; the solver then separates them by a
relative 1e-7, which changes concentrations by less than about 1e-7 relative.

Sources of parameters: see the ``pk_models`` and ``routes`` tables (each row
names its source id and evidence status).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

import numpy as np
from scipy.signal import lfilter

from widgets.validation import CourseInputError, check_range

__all__ = [
    "Bolus", "Infusion", "AbsorptionDose", "CompartmentModel", "PKResult",
    "bolus", "infusion", "absorption_dose", "repeat", "simulate",
    "auc_infinity_mg_min_per_l", "cmax_tmax", "time_above_min", "auc_trapezoid_ng_h_per_ml",
    "model_from_table", "pk_models", "routes", "drug_interactions", "measured_concentrations",
    "interaction_factors", "route_doses", "model_with_interaction", "measured_vs_predicted",
    "MIN_WEIGHT_KG", "MAX_WEIGHT_KG", "DOSE_RANGES_MG_PER_KG", "check_dose_for_route",
    "concentration_bands", "summarise", "RegimenSummary", "model_summary", "context_sensitive_half_time_min",
    "interaction_check",
]

MIN_WEIGHT_KG = 3.0
MAX_WEIGHT_KG = 200.0
_MAX_DOSE_MG = 5000.0  # generous upper bound that only rejects nonsense (e.g. 13 mg/kg × 200 kg = 2600 mg)
_MAX_RATE_PER_MIN = 100.0


# --------------------------------------------------------------------------- doses
def _check_time(name: str, value: float) -> float:
    return check_range(name, value, 0, None, "min")


def _check_amount(value: float) -> float:
    return check_range("amount_mg", value, 0, _MAX_DOSE_MG, "mg", low_inclusive=False)


@dataclass(frozen=True)
class Bolus:
    """IV bolus of ``amount_mg`` (free base) at ``time_min`` (validated on creation)."""

    time_min: float
    amount_mg: float

    def __post_init__(self):
        object.__setattr__(self, "time_min", _check_time("time_min", self.time_min))
        object.__setattr__(self, "amount_mg", _check_amount(self.amount_mg))


@dataclass(frozen=True)
class Infusion:
    """Constant-rate IV infusion of ``amount_mg`` from ``start_min`` over ``duration_min`` (validated)."""

    start_min: float
    duration_min: float
    amount_mg: float

    def __post_init__(self):
        object.__setattr__(self, "start_min", _check_time("start_min", self.start_min))
        object.__setattr__(self, "duration_min", check_range("duration_min", self.duration_min, 0, 7 * 24 * 60, "min",
                                                             low_inclusive=False))
        object.__setattr__(self, "amount_mg", _check_amount(self.amount_mg))

    @property
    def rate_mg_per_min(self) -> float:
        return self.amount_mg / self.duration_min


@dataclass(frozen=True)
class AbsorptionDose:
    """First-order absorption dose: ``amount_mg`` given at ``time_min``; the
    fraction ``bioavailability`` (0–1] reaches the depot, which empties into the
    central compartment at rate ``ka_per_min`` after ``lag_min`` (validated)."""

    time_min: float
    amount_mg: float
    ka_per_min: float
    bioavailability: float = 1.0
    lag_min: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "time_min", _check_time("time_min", self.time_min))
        object.__setattr__(self, "amount_mg", _check_amount(self.amount_mg))
        object.__setattr__(self, "ka_per_min", check_range("ka_per_min", self.ka_per_min, 0, _MAX_RATE_PER_MIN, "1/min",
                                                           low_inclusive=False))
        object.__setattr__(self, "bioavailability", check_range("bioavailability", self.bioavailability, 0, 1,
                                                                low_inclusive=False))
        object.__setattr__(self, "lag_min", _check_time("lag_min", self.lag_min))


Dose = Bolus | Infusion | AbsorptionDose


def bolus(time_min: float, amount_mg: float) -> Bolus:
    """An IV bolus: ``amount_mg`` > 0 mg at ``time_min`` ≥ 0 min."""
    return Bolus(time_min, amount_mg)


def infusion(start_min: float, duration_min: float, amount_mg: float) -> Infusion:
    """A constant-rate IV infusion: ``amount_mg`` over ``duration_min`` > 0 min from ``start_min``."""
    return Infusion(start_min, duration_min, amount_mg)


def absorption_dose(time_min: float, amount_mg: float, ka_per_min: float,
                    bioavailability: float = 1.0, lag_min: float = 0.0) -> AbsorptionDose:
    """A first-order absorption dose: ``bioavailability`` in (0, 1], ``ka_per_min`` > 0, ``lag_min`` ≥ 0."""
    return AbsorptionDose(time_min, amount_mg, ka_per_min, bioavailability, lag_min)


def repeat(dose: Dose, count: int, interval_min: float) -> list[Dose]:
    """``count`` copies of ``dose``, the k-th shifted by k × ``interval_min``."""
    count = int(check_range("count", count, 1, 1000))
    interval = check_range("interval_min", interval_min, 0, None, "min", low_inclusive=count == 1)
    key = "start_min" if isinstance(dose, Infusion) else "time_min"
    start = getattr(dose, key)
    return [replace(dose, **{key: start + k * interval}) for k in range(count)]


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class CompartmentModel:
    """A linear mammillary model for one body weight.

    ``v1_l``: central volume (L); ``k10``, ``k12``, ``k13``, ``k21``, ``k31``:
    micro rate constants (1/min; zero for absent compartments); ``ke0_per_min``:
    effect-site equilibration rate constant (None: no effect site, the effect
    site then equals plasma). ``name``/``drug``/``model_id`` are labels.
    """

    v1_l: float
    k10: float
    k12: float = 0.0
    k13: float = 0.0
    k21: float = 0.0
    k31: float = 0.0
    ke0_per_min: float | None = None
    drug: str = "ketamine"
    model_id: str = ""
    name: str = ""
    weight_kg: float | None = None

    def __post_init__(self):
        check_range("v1_l", self.v1_l, 0, 1e5, "L", low_inclusive=False)
        check_range("k10", self.k10, 0, _MAX_RATE_PER_MIN, "1/min", low_inclusive=False)
        for name in ("k12", "k13", "k21", "k31"):
            check_range(name, getattr(self, name), 0, _MAX_RATE_PER_MIN, "1/min")
        if (self.k12 > 0) != (self.k21 > 0) or (self.k13 > 0) != (self.k31 > 0):
            raise CourseInputError("k12/k21 and k13/k31 must both be zero or both be positive")
        if self.k13 > 0 and self.k12 == 0:
            raise CourseInputError("a third compartment (k13) needs a second one (k12)")
        if self.ke0_per_min is not None:
            check_range("ke0_per_min", self.ke0_per_min, 0, _MAX_RATE_PER_MIN, "1/min", low_inclusive=False)

    # ---- constructors
    @classmethod
    def from_rate_constants(cls, v1_l, k10, k12=0.0, k13=0.0, k21=0.0, k31=0.0, ke0_per_min=None, **labels):
        """From V1 (L) and micro rate constants (1/min)."""
        return cls(float(v1_l), float(k10), float(k12), float(k13), float(k21), float(k31),
                   None if ke0_per_min is None else float(ke0_per_min), **labels)

    @classmethod
    def from_clearances(cls, v1_l, cl_l_per_min, v2_l=None, q2_l_per_min=None, v3_l=None,
                        q3_l_per_min=None, ke0_per_min=None, **labels):
        """From volumes (L) and clearances (L/min): k10 = CL/V1, k12 = Q2/V1, k21 = Q2/V2, …"""
        k12 = k21 = k13 = k31 = 0.0
        if v2_l is not None and q2_l_per_min:
            k12, k21 = q2_l_per_min / v1_l, q2_l_per_min / v2_l
        if v3_l is not None and q3_l_per_min:
            k13, k31 = q3_l_per_min / v1_l, q3_l_per_min / v3_l
        return cls.from_rate_constants(v1_l, cl_l_per_min / v1_l, k12, k13, k21, k31, ke0_per_min, **labels)

    def with_ke0(self, ke0_per_min: float | None) -> "CompartmentModel":
        return replace(self, ke0_per_min=ke0_per_min)

    def with_clearance_factor(self, factor: float) -> "CompartmentModel":
        """The same model with elimination clearance multiplied by ``factor`` (k10 × factor)."""
        return replace(self, k10=self.k10 * check_range("clearance factor", factor, 0, 100, low_inclusive=False))

    # ---- derived quantities
    @property
    def compartments(self) -> int:
        return 1 + (self.k12 > 0) + (self.k13 > 0)

    @property
    def clearance_l_per_min(self) -> float:
        """Elimination clearance CL = V1 · k10 (L/min)."""
        return self.v1_l * self.k10

    @property
    def vss_l(self) -> float:
        """Volume at steady state: V1 · (1 + k12/k21 + k13/k31) (L)."""
        return self.v1_l * (1 + (self.k12 / self.k21 if self.k21 else 0) + (self.k13 / self.k31 if self.k31 else 0))

    def rate_matrix(self) -> np.ndarray:
        """The n×n matrix A of dx/dt = A x for amounts (mg) in compartments 1..n (1/min)."""
        n = self.compartments
        a = np.zeros((n, n))
        a[0, 0] = -(self.k10 + self.k12 + self.k13)
        if n >= 2:
            a[0, 1], a[1, 0], a[1, 1] = self.k21, self.k12, -self.k21
        if n == 3:
            a[0, 2], a[2, 0], a[2, 2] = self.k31, self.k13, -self.k31
        return a

    def half_lives_min(self) -> np.ndarray:
        """Disposition half-lives ln2/|λ| (min), shortest first."""
        lam = np.linalg.eigvals(self.rate_matrix()).real
        return np.sort(math.log(2) / -lam)


@dataclass
class PKResult:
    """Simulated time course. Concentrations are total plasma (free base)."""

    times_min: np.ndarray
    plasma_ng_per_ml: np.ndarray
    effect_site_ng_per_ml: np.ndarray
    amounts_mg: np.ndarray | None = None       # (len(times), n compartments + depots), if requested
    eliminated_mg: np.ndarray | None = None    # cumulative amount eliminated, if requested
    model: CompartmentModel | None = None
    doses: tuple = field(default_factory=tuple)


# --------------------------------------------------------------------------- solver
@dataclass(frozen=True)
class _System:
    a: np.ndarray          # augmented rate matrix
    lam: np.ndarray        # eigenvalues
    vecs: np.ndarray       # eigenvectors (columns)
    inv: np.ndarray        # inverse of vecs
    n: int                 # PK compartments
    depot_index: dict      # ka -> state index
    ce_index: int | None
    elim_index: int | None


def _system(model: CompartmentModel, kas: Sequence[float], track_elimination: bool) -> _System:
    """The augmented system and its eigen-decomposition (cached per model, ka set and flag)."""
    return _system_cached(model, tuple(sorted(set(kas))), bool(track_elimination))


@functools.lru_cache(maxsize=256)
def _system_cached(model: CompartmentModel, kas: tuple, track_elimination: bool) -> _System:
    n = model.compartments
    size = n + len(kas) + (model.ke0_per_min is not None) + track_elimination
    for attempt in range(4):
        # attempt > 0: separate coincident eigenvalues by nudging ka / ke0 (relative 1e-7 steps)
        nudge = lambda j: 1.0 + (attempt > 0) * 1e-7 * attempt * (j + 1)  # noqa: E731
        a = np.zeros((size, size))
        a[:n, :n] = model.rate_matrix()
        depot_index = {}
        for i, ka in enumerate(kas):
            j = n + i
            depot_index[ka] = j
            a[j, j], a[0, j] = -ka * nudge(j), ka * nudge(j)
        ce_index = elim_index = None
        k = n + len(kas)
        if model.ke0_per_min is not None:
            ce_index = k
            a[k, 0] = model.ke0_per_min * nudge(k) / model.v1_l
            a[k, k] = -model.ke0_per_min * nudge(k)
            k += 1
        if track_elimination:
            elim_index = k
            a[k, 0] = model.k10
        lam, vecs = np.linalg.eig(a)
        lam, vecs = lam.real, vecs.real
        gaps = np.abs(np.diff(np.sort(lam)))
        scale = np.abs(np.sort(lam))
        separated = np.all(gaps > 1e-8 * np.maximum(scale[1:], scale[:-1]))
        if separated and np.linalg.cond(vecs) < 1e9:
            return _System(a, lam, vecs, np.linalg.inv(vecs), n, depot_index, ce_index, elim_index)
    raise CourseInputError("the model's rate constants give a degenerate system; change ka or ke0 slightly")


def _validate_times(times_min) -> np.ndarray:
    t = np.asarray(times_min, dtype=float)
    if t.ndim != 1 or t.size == 0:
        raise CourseInputError("times_min must be a non-empty 1-D sequence of times in min")
    if not math.isfinite(float(t.sum())):
        raise CourseInputError("times_min must be finite")
    if t[0] < 0:
        raise CourseInputError(f"times_min must be ≥ 0 min, got {t[0]:g} min")
    return t


def _grid_kind(t: np.ndarray) -> bool:
    """True for a uniform grid (steps equal to 1e-9 relative); raises unless strictly increasing."""
    if t.size < 2:
        return False
    steps = np.diff(t)
    low, high = steps.min(), steps.max()
    if not low > 0:
        raise CourseInputError("times_min must be strictly increasing")
    return bool(high - low <= 1e-9 * high)


def _validate_doses(doses) -> tuple:
    if isinstance(doses, (Bolus, Infusion, AbsorptionDose)):
        doses = [doses]
    doses = tuple(doses)
    if not doses:
        raise CourseInputError("doses must contain at least one dose")
    for d in doses:
        if not isinstance(d, (Bolus, Infusion, AbsorptionDose)):   # dose objects validate themselves
            raise CourseInputError(f"unknown dose {d!r}: use bolus(), infusion() or absorption_dose()")
    return doses


def _impulses(doses, system: _System):
    """(times, amounts, state index) of instantaneous inputs and (start, end, rate) of infusions."""
    imp_t, imp_a, imp_s, inf = [], [], [], []
    for d in doses:
        if isinstance(d, Bolus):
            imp_t.append(d.time_min); imp_a.append(d.amount_mg); imp_s.append(0)
        elif isinstance(d, Infusion):
            inf.append((d.start_min, d.start_min + d.duration_min, d.rate_mg_per_min))
        else:
            imp_t.append(d.time_min + d.lag_min); imp_a.append(d.amount_mg * d.bioavailability)
            imp_s.append(system.depot_index[d.ka_per_min])
    return np.array(imp_t), np.array(imp_a), np.array(imp_s, dtype=int), inf


def _expm1_over(lam: np.ndarray, d) -> np.ndarray:
    """(e^{λd} − 1)/λ, with the limit d at λ = 0 (λ per row, d broadcast)."""
    lam = np.asarray(lam)[:, None]
    d = np.asarray(d, dtype=float)[None, :] if np.ndim(d) else np.full((1, 1), float(d))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(lam == 0, d, np.expm1(lam * d) / np.where(lam == 0, 1.0, lam))
    return out


def _modal_uniform(system: _System, t: np.ndarray, doses) -> np.ndarray:
    """Modal states z (modes × times) on a uniform grid, exact, via one lfilter per mode.

    Interval k is (t[k−1], t[k]] (interval 0 is everything up to t[0]). Each input
    is integrated exactly over the intervals it touches, weighted by e^{λ(t[k] − s)}.
    Everything is vectorised over doses: the cost is O(grid + doses).
    """
    lam, inv = system.lam, system.inv
    m, nt = len(lam), len(t)
    h = t[1] - t[0] if nt > 1 else 1.0
    imp_t, imp_a, imp_s, inf = _impulses(doses, system)
    if inf:
        starts, ends, rates = (np.array(x, dtype=float) for x in zip(*inf))
        k_start = np.searchsorted(t, starts, side="left")
        k_end = np.searchsorted(t, ends, side="left")
        # full intervals k_start+1 .. min(k_end, nt)−1 carry the rate: difference array + cumsum
        first, last = k_start + 1, np.minimum(k_end, nt) - 1
        full = last >= first
        rate_diff = np.zeros(nt + 1)
        np.add.at(rate_diff, first[full], rates[full])
        np.add.at(rate_diff, last[full] + 1, -rates[full])
        full_rate = np.cumsum(rate_diff[:nt])
        u = np.multiply.outer(inv[:, 0] * _expm1_over(lam, h)[:, 0], full_rate)
        # partial intervals at both ends of each infusion (exact sub-interval integrals)
        tprev = np.concatenate(([-np.inf], t[:-1]))
        ks = np.concatenate((k_start, k_end))
        rr = np.concatenate((rates, rates))
        ss = np.concatenate((starts, starts))
        ee = np.concatenate((ends, ends))
        keep = (ks < nt) & np.concatenate((np.ones(len(starts), bool), k_end != k_start))
        ks, rr, ss, ee = ks[keep], rr[keep], ss[keep], ee[keep]
        lo, hi = np.maximum(ss, tprev[ks]), np.minimum(ee, t[ks])
        on = hi > lo
        ks, rr, lo, hi = ks[on], rr[on], lo[on], hi[on]
        if ks.size:
            contrib = (inv[:, [0]] * rr * np.exp(lam[:, None] * (t[ks] - hi)) * _expm1_over(lam, hi - lo))
            np.add.at(u, (slice(None), ks), contrib)
    else:
        u = np.zeros((m, nt))
    if imp_t.size:
        keep = imp_t <= t[-1]
        imp_t, imp_a, imp_s = imp_t[keep], imp_a[keep], imp_s[keep]
        k = np.searchsorted(t, imp_t, side="left")          # interval (t[k-1], t[k]] holding the input
        np.add.at(u, (slice(None), k), inv[:, imp_s] * imp_a * np.exp(lam[:, None] * (t[k] - imp_t)))
    z = np.empty_like(u)
    for i in range(m):
        z[i] = lfilter([1.0], [1.0, -math.exp(lam[i] * h)], u[i])
    return z


@functools.lru_cache(maxsize=64)
def _geometric(p: float, n: int) -> np.ndarray:
    """[1, p, p², …, p^(n−1)] by repeated doubling (n multiplications, relative error ~log2(n)·eps).

    Values below 1e-250 are set to zero (they cannot matter and would otherwise
    become slow subnormal numbers)."""
    out = np.zeros(n)
    out[0] = 1.0
    k = 1
    while k < n:
        factor = p ** k
        if factor < 1e-250:
            break
        j = min(k, n - k)
        np.multiply(out[:j], factor, out=out[k:k + j])
        k += j
    out[out < 1e-250] = 0.0
    out.flags.writeable = False     # cached and shared: read-only
    return out


@functools.lru_cache(maxsize=32)
def _geometric_table(ratios: tuple, n: int) -> np.ndarray:
    """Rows [1, p, p², …] for each p in ``ratios`` (modes × grid; cached, read-only)."""
    table = np.array([_geometric(p, n) for p in ratios])
    table.flags.writeable = False
    return table


def _outputs_by_segments(system: _System, t: np.ndarray, doses, rows: list[int]) -> np.ndarray | None:
    """Selected outputs (``rows`` of V·z) on a uniform grid by closed-form sums of exponentials.

    Between consecutive input changes (dose times, infusion starts and ends) each
    mode follows z(t) = z_ss + (z(τ) − z_ss)·e^{λ(t − τ)}; on the grid e^{λ(t − τ)} is
    e^{λ(t_first − τ)}·p^j with p = e^{λh}, and p^j comes from one table per mode.
    Exact like the recurrence; faster when there are few segments. Returns None
    when this path does not apply (a zero eigenvalue, or many segments).
    """
    lam, inv, vecs = system.lam, system.inv, system.vecs
    if np.any(lam == 0):
        return None
    imp_t, imp_a, imp_s, inf = _impulses(doses, system)
    edges = set(imp_t.tolist())
    for s0, e0, _r in inf:
        edges.update((s0, e0))
    edges = np.array(sorted(edges))
    if len(edges) > 64:
        return None
    nt, n_seg = len(t), len(edges)
    h = (t[-1] - t[0]) / (nt - 1)
    starts_k = np.searchsorted(t, edges, side="left")        # first grid index of each segment
    ends_k = np.append(starts_k[1:], nt)
    # modal jumps at each edge (impulses) and the infusion rate in force after each edge
    jumps = np.zeros((len(lam), n_seg))
    if imp_t.size:
        np.add.at(jumps.T, np.searchsorted(edges, imp_t), (inv[:, imp_s] * imp_a).T)
    rate_change = np.zeros(n_seg)
    if inf:
        inf_arr = np.array(inf)
        np.add.at(rate_change, np.searchsorted(edges, inf_arr[:, 0]), inf_arr[:, 2])
        np.add.at(rate_change, np.searchsorted(edges, inf_arr[:, 1]), -inf_arr[:, 2])
    z_ss = np.multiply.outer(-inv[:, 0] / lam, np.cumsum(rate_change))          # modes × segments
    # e^{λ(t_first − τ)}; segments past the grid end are empty (exponent clipped to avoid overflow)
    into_grid = np.exp(np.minimum(lam[:, None] * (t[np.minimum(starts_k, nt - 1)] - edges), 0.0))
    # modal state just after each edge, without a loop: start_a = Σ_{b≤a} e^{λ(τ_a − τ_b)} d_b with
    # d_b = jumps_b + z_ss,{b−1}·(1 − e^{λ(τ_b − τ_{b−1})})
    gap = edges[:, None] - edges[None, :]                                        # τ_a − τ_b
    decay = np.exp(np.where(gap >= 0, lam[:, None, None] * gap, -np.inf))      # modes × a × b
    drive = jumps.copy()
    drive[:, 1:] += z_ss[:, :-1] * (1.0 - np.exp(lam[:, None] * np.diff(edges)))
    start_state = np.einsum("iab,ib->ia", decay, drive)
    v = vecs[rows]                                           # outputs × modes
    const = v @ z_ss                                         # outputs × segments
    coef = (start_state - z_ss) * into_grid                  # modes × segments
    table = _geometric_table(tuple(np.exp(lam * h)), nt)   # modes × grid: p_i^j (cached)
    modal = np.zeros((len(lam), nt))
    level = np.zeros((len(rows), n_seg))
    for a in range(n_seg):                                   # one slice operation per segment
        k0, k1 = starts_k[a], ends_k[a]
        if k1 > k0:
            np.multiply(coef[:, a:a + 1], table[:, :k1 - k0], out=modal[:, k0:k1])
            level[:, a] = const[:, a]
    out = v @ modal
    lengths = ends_k - starts_k
    if starts_k[0] < nt:
        out[:, starts_k[0]:] += np.repeat(level, lengths, axis=1)
    return out


def _modal_closed_form(system: _System, t: np.ndarray, doses) -> np.ndarray:
    """Modal states at arbitrary times by the closed-form sum over doses."""
    lam, inv = system.lam, system.inv
    z = np.zeros((len(lam), len(t)))
    imp_t, imp_a, imp_s, inf = _impulses(doses, system)
    for t0, amount, s in zip(imp_t, imp_a, imp_s):
        dt = t - t0
        on = dt >= 0
        z[:, on] += inv[:, [s]] * amount * np.exp(lam[:, None] * dt[None, on])
    for s0, e0, r in inf:
        hi = np.minimum(t, e0)
        on = hi > s0
        z[:, on] += inv[:, [0]] * r * np.exp(lam[:, None] * (t[on] - hi[on])[None, :]) * _expm1_over(lam, hi[on] - s0)
    return z


def simulate(model: CompartmentModel, doses: Dose | Iterable[Dose], times_min, *, with_amounts: bool = False) -> PKResult:
    """Plasma and effect-site concentrations (ng/mL) at ``times_min`` (min, increasing, ≥ 0).

    Exact solution of the linear model for any mix of :func:`bolus`,
    :func:`infusion` and :func:`absorption_dose` doses (superposition). A
    uniform grid uses the exact discretisation (one compiled recurrence per
    mode); other grids use the closed-form sums of exponentials. With
    ``with_amounts`` the result also holds amounts (mg) in every compartment
    and depot and the cumulative amount eliminated (mg).
    """
    if not isinstance(model, CompartmentModel):
        raise CourseInputError("model must be a CompartmentModel (see model_from_table)")
    t = _validate_times(times_min)
    doses = _validate_doses(doses)
    kas = [d.ka_per_min for d in doses if isinstance(d, AbsorptionDose)]
    system = _system(model, kas, with_amounts)
    uniform = _grid_kind(t)
    vecs = system.vecs
    rows = [0] + ([system.ce_index] if system.ce_index is not None else [])
    fast = _outputs_by_segments(system, t, doses, rows) if (uniform and not with_amounts) else None
    if fast is not None:
        fast[0] *= 1000.0 / model.v1_l                       # mg in V1 → ng/mL
        if system.ce_index is not None:
            fast[1] *= 1000.0                                # mg/L → ng/mL
        np.maximum(fast, 0.0, out=fast)                      # clip round-off below zero
        effect = fast[1] if system.ce_index is not None else fast[0].copy()
        return PKResult(t, fast[0], effect, model=model, doses=doses)
    z = _modal_uniform(system, t, doses) if uniform else _modal_closed_form(system, t, doses)
    plasma_mg_per_l = (vecs[0] @ z) / model.v1_l
    np.maximum(plasma_mg_per_l, 0.0, out=plasma_mg_per_l)   # clip round-off below zero
    if system.ce_index is not None:
        effect = np.maximum(vecs[system.ce_index] @ z, 0.0)
    else:
        effect = plasma_mg_per_l.copy()
    result = PKResult(t, plasma_mg_per_l * 1000.0, effect * 1000.0, model=model, doses=doses)
    if with_amounts:
        n_amount = system.n + len(system.depot_index)
        result.amounts_mg = (vecs[:n_amount] @ z).T
        result.eliminated_mg = vecs[system.elim_index] @ z
    return result


# --------------------------------------------------------------------------- summaries
def auc_infinity_mg_min_per_l(model: CompartmentModel, doses: Dose | Iterable[Dose]) -> float:
    """Exact plasma AUC from the first dose to infinity (mg·min/L), from the modal solution.

    For linear kinetics this equals (bioavailable dose)/CL; the tests check that.
    """
    doses = _validate_doses(doses)
    kas = [d.ka_per_min for d in doses if isinstance(d, AbsorptionDose)]
    system = _system(model, kas, False)
    imp_t, imp_a, imp_s, inf = _impulses(doses, system)
    total = np.zeros(len(system.lam))
    for amount, s in zip(imp_a, imp_s):
        total += system.inv[:, s] * amount
    for s0, e0, r in inf:
        total += system.inv[:, 0] * r * (e0 - s0)
    # each mode's input integrates to total_i / (−λ_i)
    return float(system.vecs[0] @ (total / -system.lam)) / model.v1_l


def cmax_tmax(result: PKResult, which: str = "plasma") -> tuple[float, float]:
    """(Cmax in ng/mL, tmax in min) of the plasma (or ``which="effect"``) curve on its grid."""
    y = result.plasma_ng_per_ml if which == "plasma" else result.effect_site_ng_per_ml
    i = int(np.argmax(y))
    return float(y[i]), float(result.times_min[i])


def time_above_min(times_min, concentration_ng_per_ml, threshold_ng_per_ml: float) -> float:
    """Minutes the curve spends at or above ``threshold_ng_per_ml`` (grid resolution)."""
    t = np.asarray(times_min, dtype=float)
    c = np.asarray(concentration_ng_per_ml, dtype=float)
    above = c >= threshold_ng_per_ml
    widths = np.diff(t)
    return float(np.sum(widths[above[:-1] & above[1:]]) + 0.5 * np.sum(widths[above[:-1] ^ above[1:]]))


def auc_trapezoid_ng_h_per_ml(result: PKResult) -> float:
    """Plasma AUC over the simulated window by the trapezoid rule (ng·h/mL = µg·h/L)."""
    return float(np.trapezoid(result.plasma_ng_per_ml, result.times_min) / 60.0)


# --------------------------------------------------------------------------- course tables
def pk_models(drug: str | None = None):
    """The ``pk_models`` table (optionally for one ``drug``: "ketamine", "midazolam")."""
    import course_data

    table = course_data.load("pk_models")
    return table if drug is None else table[table["drug"] == drug].reset_index(drop=True)


def routes():
    """The ``routes`` table: bioavailability and absorption per route and study."""
    import course_data

    return course_data.load("routes")


def drug_interactions():
    """The ``drug_interactions`` table: published fold changes of S-ketamine exposure."""
    import course_data

    return course_data.load("drug_interactions")


def measured_concentrations():
    """The ``measured_concentrations`` table (Table T of the evidence base)."""
    import course_data

    return course_data.load("measured_concentrations")


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
    table = pk_models()
    rows = table[table["id"] == model_id]
    if rows.empty:
        raise CourseInputError(f"model_id must be one of {', '.join(table['id'])}; got {model_id!r}")
    row = rows.iloc[0]
    ke0 = (None if _na(row["ke0_per_min"]) else float(row["ke0_per_min"])) if isinstance(ke0_per_min, str) else ke0_per_min
    labels = dict(drug=str(row["drug"]), model_id=model_id, name=str(row["name"]), weight_kg=weight)
    scaling = row["scaling"]
    if scaling == "per_kg":
        v1 = float(row["v1"]) * weight
    elif scaling == "allometric_70kg":
        v1 = float(row["v1"]) * weight / 70.0
    else:
        v1 = float(row["v1"])
    if not _na(row["cl_l_per_h"]):
        size = weight / 70.0 if scaling == "allometric_70kg" else 1.0
        cl_scale = size ** 0.75
        v2 = None if _na(row["v2_l"]) else float(row["v2_l"]) * size
        q2 = None if _na(row["q2_l_per_h"]) else float(row["q2_l_per_h"]) * cl_scale / 60.0
        return CompartmentModel.from_clearances(v1, float(row["cl_l_per_h"]) * cl_scale / 60.0, v2, q2,
                                                ke0_per_min=ke0, **labels)
    k = {name: (0.0 if _na(row[name]) else float(row[name])) for name in ("k10", "k12", "k13", "k21", "k31")}
    return CompartmentModel.from_rate_constants(v1, ke0_per_min=ke0, **k, **labels)


def _na(value) -> bool:
    try:
        return value is None or bool(np.isnan(float(value)))
    except (TypeError, ValueError):
        return str(value) in ("<NA>", "")


@functools.lru_cache(maxsize=64)
def _route_row(route_id: str) -> dict:
    table = routes()
    rows = table[table["id"] == route_id]
    if rows.empty:
        raise CourseInputError(f"route_id must be one of {', '.join(table['id'])}; got {route_id!r}")
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
    """
    row = _route_row(route_id)
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


def measured_vs_predicted(weight_kg: float = 70.0, model_ids: Sequence[str] | None = None):
    """Each ``measured_concentrations`` row beside each ketamine model's prediction for the same regimen.

    Per-kg doses use ``weight_kg``; absolute doses are given as stated. Cmax is
    read from a 0.05-min grid over 24 h; AUC is the exact AUC to infinity in
    µg·h/L. Columns: measurement, model, quantity, measured, low, high,
    predicted, unit, ratio (predicted/measured), within (predicted inside low–high).
    """
    import pandas as pd

    weight = check_range("weight_kg", weight_kg, MIN_WEIGHT_KG, MAX_WEIGHT_KG, "kg")
    ids = list(pk_models("ketamine")["id"]) if model_ids is None else list(model_ids)
    grid = np.arange(0.0, 24 * 60 + 0.025, 0.05)
    out = []
    for _, row in measured_concentrations().iterrows():
        amount = float(row["dose_mg"]) if not _na(row["dose_mg"]) else float(row["dose_mg_per_kg"]) * weight
        inf_min = None if _na(row["infusion_min"]) else float(row["infusion_min"])
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
            measured = None if _na(row["value"]) else float(row["value"])
            low = None if _na(row["low"]) else float(row["low"])
            high = None if _na(row["high"]) else float(row["high"])
            out.append(dict(measurement=row["id"], regimen=row["regimen"], model=model_id, quantity=row["quantity"],
                            measured=measured, low=low, high=high, predicted=predicted, unit=row["unit"],
                            ratio=None if measured is None else predicted / measured,
                            within=None if low is None else bool(low <= predicted <= high),
                            source_id=row["source_id"]))
    return pd.DataFrame(out)


#: Dose ranges (mg/kg free base) the course simulates, per route and form: only
#: label and trial doses (evidence-base rows in brackets). Fixed-mg doses are
#: converted for adults of 50–100 kg.
DOSE_RANGES_MG_PER_KG = {
    ("iv", "racemic"): (0.1, 4.5, "IV: trials 0.1–1.0 mg/kg (mpk:D9, D10) to label induction 1–4.5 mg/kg (mpk:D1)"),
    ("im", "racemic"): (6.5, 13.0, "IM: label induction 6.5–13 mg/kg (mpk:D2)"),
    ("intranasal", "racemic"): (0.1, 9.0, "intranasal: adult studies 10–50 mg (mpk:P7) to 3 and 9 mg/kg in children (mpk:P6)"),
    ("intranasal", "S-ketamine"): (0.3, 1.7, "esketamine nasal: label 28–84 mg (mpk:D13, D14), i.e. about 0.3–1.7 mg/kg for 50–100 kg"),
    ("oral", "racemic"): (0.2, 0.5, "oral: 0.2–0.3 mg/kg in interaction studies (mpk:P35–P37) and 0.5 mg/kg (mpk:P44); 25 mg (mpk:P3)"),
    ("sublingual", "racemic"): (0.25, 0.5, "sublingual: 25 mg in studies (mpk:P3, P4), i.e. 0.25–0.5 mg/kg for 50–100 kg"),
}


def check_dose_for_route(route_id: str, dose_mg_per_kg: float) -> float:
    """Check a dose lies in the label/trial range for the route (CourseInputError otherwise)."""
    row = _route_row(route_id)
    low, high, why = DOSE_RANGES_MG_PER_KG[(row["route"], row["form"])]
    dose = check_number_in(dose_mg_per_kg)
    if not low <= dose <= high:
        raise CourseInputError(f"dose_mg_per_kg for this route must be between {low:g} and {high:g} mg/kg "
                               f"({why}); got {dose:g} mg/kg")
    return dose


def check_number_in(value) -> float:
    from widgets.validation import check_number

    return check_number("dose_mg_per_kg", value, "mg/kg")


@functools.lru_cache(maxsize=1)
def _bands() -> tuple:
    import course_data

    table = course_data.load("clinical_concentrations")
    order = ["analgesia", "antidepressant infusion", "psychotomimetic", "emergence", "anaesthesia"]
    grouped = table.groupby("context").agg(low=("low_ng_per_ml", "min"), high=("high_ng_per_ml", "max"),
                                           sources=("source_id", lambda s: ";".join(sorted(set(s)))))
    return tuple((c, float(grouped.loc[c, "low"]), float(grouped.loc[c, "high"]), grouped.loc[c, "sources"])
                 for c in order if c in grouped.index)


def concentration_bands() -> list[tuple[str, float, float, str]]:
    """(context, low ng/mL, high ng/mL, source ids) from the shared ``clinical_concentrations``
    table; a context's band spans all its rows, so disagreement between sources widens it."""
    return list(_bands())


@dataclass
class RegimenSummary:
    """Readout numbers for one simulated regimen."""

    cmax_ng_per_ml: float
    tmax_min: float
    effect_peak_ng_per_ml: float
    effect_tpeak_min: float
    auc_window_ng_h_per_ml: float
    minutes_above: dict


def summarise(result: PKResult) -> RegimenSummary:
    """Cmax, tmax, effect-site peak, AUC over the window and minutes above each band's lower edge."""
    cmax, tmax = cmax_tmax(result)
    epk, etp = cmax_tmax(result, "effect")
    above = {c: time_above_min(result.times_min, result.plasma_ng_per_ml, low) for c, low, _high, _s in _bands()}
    return RegimenSummary(cmax, tmax, epk, etp, auc_trapezoid_ng_h_per_ml(result), above)


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
