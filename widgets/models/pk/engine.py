"""The exact solver: compartment models, their diagonalised systems and :func:`simulate`.

How it works is described in the package docstring (:mod:`widgets.models.pk`).
Units: volumes in L, rate constants in 1/min, amounts in mg, times in min,
concentrations reported in ng/mL.
"""

from __future__ import annotations

import functools
import math
import weakref
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

import numpy as np

from widgets.models.pk.doses import (DOSE_TYPES, MAX_RATE_PER_MIN, AbsorptionDose, Bolus, Dose, Infusion,
                                     absorption_dose, bolus, infusion, repeat)
from widgets.validation import CourseInputError, check_range

__all__ = ["AbsorptionDose", "Bolus", "Dose", "Infusion", "absorption_dose", "bolus", "infusion", "repeat",
           "CompartmentModel", "PKResult", "System", "augmented_system", "simulate", "time_grid", "auc_infinity_mg_min_per_l",
           "cmax_tmax", "auc_trapezoid_ng_h_per_ml"]

#: The closed-form segment path is used up to this many input changes; beyond it, the recurrence.
MAX_SEGMENTS = 64


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
        check_range("k10", self.k10, 0, MAX_RATE_PER_MIN, "1/min", low_inclusive=False)
        for name in ("k12", "k13", "k21", "k31"):
            check_range(name, getattr(self, name), 0, MAX_RATE_PER_MIN, "1/min")
        if (self.k12 > 0) != (self.k21 > 0) or (self.k13 > 0) != (self.k31 > 0):
            raise CourseInputError("k12/k21 and k13/k31 must both be zero or both be positive")
        if self.k13 > 0 and self.k12 == 0:
            raise CourseInputError("a third compartment (k13) needs a second one (k12)")
        if self.ke0_per_min is not None:
            check_range("ke0_per_min", self.ke0_per_min, 0, MAX_RATE_PER_MIN, "1/min", low_inclusive=False)

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


# --------------------------------------------------------------------------- the augmented system
@dataclass(frozen=True, eq=False)   # eq=False: hashed by identity, so it can key the basis cache
class System:
    """The augmented linear system of one model, ka set and flag, diagonalised (A = V Λ V⁻¹)."""

    a: np.ndarray          # augmented rate matrix
    lam: np.ndarray        # eigenvalues
    vecs: np.ndarray       # eigenvectors (columns)
    inv: np.ndarray        # inverse of vecs
    n: int                 # PK compartments
    depot_index: dict      # ka -> state index
    ce_index: int | None
    elim_index: int | None
    has_zero_mode: bool    # a zero eigenvalue (only with elimination tracking)
    output_weights: np.ndarray  # rows of V giving plasma (and effect site) in ng/mL from the modal state
    steady_per_rate: np.ndarray  # modal steady state per mg/min infused into the central compartment: −V⁻¹[:, 0]/λ

    @property
    def output_rows(self) -> list[int]:
        return [0] if self.ce_index is None else [0, self.ce_index]


def augmented_system(model: CompartmentModel, kas: Sequence[float], track_elimination: bool = False) -> System:
    """The augmented system and its eigen-decomposition (cached per model, ka set and flag)."""
    return _system_cached(model, tuple(sorted(set(kas))), bool(track_elimination))


@functools.lru_cache(maxsize=256)
def _system_cached(model: CompartmentModel, kas: tuple, track_elimination: bool) -> System:
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
            # plasma: mg in V1 → ng/mL (× 1000 / V1); effect site: mg/L → ng/mL (× 1000)
            rows = [0] if ce_index is None else [0, ce_index]
            scale_out = np.array([1000.0 / model.v1_l, 1000.0][:len(rows)])
            weights = vecs[rows] * scale_out[:, None]
            for array in (a, lam, vecs, weights):
                array.flags.writeable = False      # cached and shared: read-only
            inv = np.linalg.inv(vecs)
            has_zero = bool(np.any(lam == 0))
            with np.errstate(divide="ignore", invalid="ignore"):
                steady = np.where(lam == 0, np.inf, -inv[:, 0] / np.where(lam == 0, 1.0, lam))
            for array in (inv, steady):
                array.flags.writeable = False
            return System(a, lam, vecs, inv, n, depot_index, ce_index, elim_index, has_zero, weights, steady)
    raise CourseInputError("the model's rate constants give a degenerate system; change ka or ke0 slightly")


# --------------------------------------------------------------------------- inputs
#: Grids made by time_grid(), by id: (weak reference, step). Checked once when made; read-only.
_GRIDS: dict[int, tuple] = {}


def time_grid(stop_min: float, step_min: float, start_min: float = 0.0) -> np.ndarray:
    """A uniform time grid start, start + step, … up to ``stop_min`` (min), read-only.

    :func:`simulate` knows such a grid is valid and uniform, so it does not check the
    times again on every call (for a 21,601-point grid that check is a large part of
    the cost of a simulation). Any other sequence of times is checked each time."""
    start = check_range("start_min", start_min, 0, None, "min")
    stop = check_range("stop_min", stop_min, start, None, "min", low_inclusive=False)
    step = check_range("step_min", step_min, 0, stop - start, "min", low_inclusive=False)
    grid = start + step * np.arange(int(math.floor((stop - start) / step + 1e-9)) + 1)
    grid.flags.writeable = False
    key = id(grid)
    _GRIDS[key] = (weakref.ref(grid, lambda _ref, key=key: _GRIDS.pop(key, None)), step)
    return grid


def uniform_step(times_min) -> tuple[np.ndarray, float | None]:
    """Validated times (1-D, finite, ≥ 0, strictly increasing) and the grid step in min
    (None unless the steps are equal to 1e-9 relative)."""
    known = _GRIDS.get(id(times_min))
    if known is not None and known[0]() is times_min and not times_min.flags.writeable:
        return times_min, known[1]
    t = np.asarray(times_min, dtype=float)
    if t.ndim != 1 or t.size == 0:
        raise CourseInputError("times_min must be a non-empty 1-D sequence of times in min")
    if t.size == 1:
        if not math.isfinite(t[0]):
            raise CourseInputError("times_min must be finite")
        if t[0] < 0:
            raise CourseInputError(f"times_min must be ≥ 0 min, got {t[0]:g} min")
        return t, None
    steps = t[1:] - t[:-1]
    low, high = float(steps.min()), float(steps.max())
    if not (low > 0 and math.isfinite(high)):       # also catches NaN and ±inf anywhere in t
        if not np.all(np.isfinite(t)):
            raise CourseInputError("times_min must be finite")
        raise CourseInputError("times_min must be strictly increasing")
    if t[0] < 0:
        raise CourseInputError(f"times_min must be ≥ 0 min, got {t[0]:g} min")
    if high - low <= 1e-9 * high:
        return t, float(t[-1] - t[0]) / (t.size - 1)
    return t, None


def validate_doses(doses) -> tuple:
    if isinstance(doses, DOSE_TYPES):
        return (doses,)
    doses = tuple(doses)
    if not doses:
        raise CourseInputError("doses must contain at least one dose")
    for d in doses:
        if not isinstance(d, DOSE_TYPES):   # dose objects validate themselves
            raise CourseInputError(f"unknown dose {d!r}: use bolus(), infusion() or absorption_dose()")
    return doses


class Inputs:
    """A regimen as the solver sees it: instantaneous inputs (time, amount reaching the
    state, state index) and infusions (start, end, rate in mg/min), as plain tuples;
    the arrays each solver path needs are built on first use."""

    def __init__(self, doses: tuple, system: System):
        impulses, infusions = [], []
        for d in doses:
            if isinstance(d, Bolus):
                impulses.append((d.time_min, d.amount_mg, 0))
            elif isinstance(d, Infusion):
                infusions.append((d.start_min, d.start_min + d.duration_min, d.amount_mg / d.duration_min))
            else:
                impulses.append((d.time_min + d.lag_min, d.amount_mg * d.bioavailability, system.depot_index[d.ka_per_min]))
        self.impulses, self.infusions, self.n_states = impulses, infusions, len(system.lam)

    @functools.cached_property
    def _impulse_arrays(self):
        imp = self.impulses
        return (np.array([x[0] for x in imp], dtype=float), np.array([x[1] for x in imp], dtype=float),
                np.array([x[2] for x in imp], dtype=int))

    @functools.cached_property
    def _infusion_arrays(self):
        return tuple(np.array(col, dtype=float).reshape(-1) for col in (zip(*self.infusions) if self.infusions else ((), (), ())))

    imp_t = property(lambda self: self._impulse_arrays[0])
    imp_a = property(lambda self: self._impulse_arrays[1])
    imp_s = property(lambda self: self._impulse_arrays[2])
    inf_start = property(lambda self: self._infusion_arrays[0])
    inf_end = property(lambda self: self._infusion_arrays[1])
    inf_rate = property(lambda self: self._infusion_arrays[2])

    def segments(self):
        """(edges, amounts, rates): the sorted distinct times where an input starts or stops
        (min), the instantaneous amounts given at each edge per state (edges × states, mg),
        and the total infusion rate in force after each edge (mg/min); None when there are
        more than ``MAX_SEGMENTS`` edges. Plain Python: the lists are short."""
        times = set()
        for x in self.impulses:
            times.add(x[0])
            if len(times) > MAX_SEGMENTS:
                return None
        for start, end, _rate in self.infusions:
            times.add(start); times.add(end)
            if len(times) > MAX_SEGMENTS:
                return None
        edges = sorted(times)
        index = {e: i for i, e in enumerate(edges)}
        amounts = [[0.0] * self.n_states for _ in edges]
        for time, amount, state in self.impulses:
            amounts[index[time]][state] += amount
        change = [0.0] * len(edges)
        for start, end, rate in self.infusions:
            change[index[start]] += rate
            change[index[end]] -= rate
        rates, total = [], 0.0
        for c in change:
            total += c
            rates.append(total)
        return np.array(edges), np.array(amounts), np.array(rates)


def inputs_for(doses: tuple, system: System) -> Inputs:
    return Inputs(doses, system)


def _expm1_over(lam: np.ndarray, d) -> np.ndarray:
    """(e^{λd} − 1)/λ, with the limit d at λ = 0 (λ per row, d broadcast)."""
    lam = np.asarray(lam)[:, None]
    d = np.asarray(d, dtype=float)[None, :] if np.ndim(d) else np.full((1, 1), float(d))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(lam == 0, d, np.expm1(lam * d) / np.where(lam == 0, 1.0, lam))
    return out


# --------------------------------------------------------------------------- three exact evaluations
def modal_recurrence(system: System, t: np.ndarray, inputs: Inputs) -> np.ndarray:
    """Modal states z (modes × times) on a uniform grid, exact, via one lfilter per mode.

    Interval k is (t[k−1], t[k]] (interval 0 is everything up to t[0]). Each input
    is integrated exactly over the intervals it touches, weighted by e^{λ(t[k] − s)}.
    Everything is vectorised over doses: the cost is O(grid + doses).
    """
    lam, inv = system.lam, system.inv
    m, nt = len(lam), len(t)
    h = t[1] - t[0] if nt > 1 else 1.0
    if inputs.inf_rate.size:
        starts, ends, rates = inputs.inf_start, inputs.inf_end, inputs.inf_rate
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
    imp_t, imp_a, imp_s = inputs.imp_t, inputs.imp_a, inputs.imp_s
    if imp_t.size:
        keep = imp_t <= t[-1]
        imp_t, imp_a, imp_s = imp_t[keep], imp_a[keep], imp_s[keep]
        k = np.searchsorted(t, imp_t, side="left")          # interval (t[k-1], t[k]] holding the input
        np.add.at(u, (slice(None), k), inv[:, imp_s] * imp_a * np.exp(lam[:, None] * (t[k] - imp_t)))
    from scipy.signal import lfilter  # here, not at import: scipy.signal costs a kernel about 65 MB, and
    # the explorers' few-dose regimens take the segment path, so most kernels never need it
    z = np.empty_like(u)
    for i in range(m):
        z[i] = lfilter([1.0], [1.0, -math.exp(lam[i] * h)], u[i])
    return z


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
    return out


#: Columns of the cached basis table: long segments are written block by block, so the
#: table stays small enough to remain in the CPU cache between calls.
BASIS_BLOCK = 4096


@functools.lru_cache(maxsize=32)
def _segment_basis(system: System, h: float) -> np.ndarray:
    """Rows [1, p, p², …, p^(B−1)] (p = e^{λh}, B = ``BASIS_BLOCK``) for each mode, then a
    row of ones ((modes + 1) × B; cached per system and step, read-only)."""
    basis = np.empty((len(system.lam) + 1, BASIS_BLOCK))
    for i, lam in enumerate(system.lam):
        basis[i] = _geometric(math.exp(lam * h), BASIS_BLOCK)
    basis[-1] = 1.0
    basis.flags.writeable = False
    return basis


def outputs_by_segments(system: System, t: np.ndarray, h: float, inputs: Inputs) -> np.ndarray | None:
    """Plasma (and effect site) in ng/mL on a uniform grid by closed-form sums of exponentials.

    Between consecutive input changes (dose times, infusion starts and ends) each
    mode follows z(t) = z_ss + (z(τ) − z_ss)·e^{λ(t − τ)}; on the grid e^{λ(t − τ)} is
    e^{λ(t_first − τ)}·p^j with p = e^{λh}. So each segment of the output is one small
    matrix (outputs × modes + 1) times the first columns of one cached basis table
    (one BLAS call per segment, or per ``BASIS_BLOCK`` columns of a long segment).
    Exact like the recurrence; faster when there are few segments. Returns None when this path does not apply (a zero eigenvalue, or
    more than ``MAX_SEGMENTS`` segments). The small per-segment algebra is written
    with as few numpy calls as possible: at these sizes each call's overhead, not
    its arithmetic, is the cost.
    """
    if system.has_zero_mode:
        return None
    segments = inputs.segments()
    if segments is None:
        return None
    edges, amounts, rates = segments
    lam, weights = system.lam, system.output_weights
    n_seg, nt = len(edges), len(t)
    starts_k = np.searchsorted(t, edges)                     # first grid index of each segment
    z_ss = np.multiply.outer(rates, system.steady_per_rate)  # segments × modes: steady state of the rate in force
    drive = amounts @ system.inv.T                           # segments × modes: modal jumps at each edge
    if n_seg > 1:
        # modal state just after each edge, without a loop: start_a = Σ_{b≤a} e^{λ(τ_a − τ_b)} d_b with
        # d_b = jumps_b + z_ss,{b−1}·(1 − e^{λ(τ_b − τ_{b−1})})
        gap = np.subtract.outer(edges, edges)                                   # τ_a − τ_b
        gap[gap < 0] = np.inf                                                   # later edges: e^{−∞} = 0 (all λ < 0)
        decay = np.exp(np.multiply.outer(lam, gap))                             # modes × a × b
        below, above = _subdiagonal(n_seg)
        drive[1:] += z_ss[:-1] * (1.0 - decay[:, below, above].T)
        start_state = np.matmul(decay, drive.T[:, :, None])[:, :, 0].T          # Σ_b e^{λ(τ_a − τ_b)} d_b
    else:
        start_state = drive
    # e^{λ(t_first − τ)} (segments past the grid end are empty: their offset is clipped to 0)
    offset = np.maximum(t.take(starts_k, mode="clip") - edges, 0.0)
    coef = (start_state - z_ss) * np.exp(np.multiply.outer(offset, lam))               # segments × modes
    # one (outputs × modes+1) matrix per segment: weighted mode coefficients, then the steady level
    mats = np.concatenate((coef[:, None, :] * weights, (z_ss @ weights.T)[:, :, None]), axis=2)
    basis = _segment_basis(system, h)
    out = np.empty((len(weights), nt))
    bounds = starts_k.tolist() + [nt]
    out[:, :bounds[0]] = 0.0                                 # nothing given yet
    for a in range(n_seg):
        k0, k1 = bounds[a], bounds[a + 1]
        if k1 - k0 <= BASIS_BLOCK:
            if k1 > k0:
                np.matmul(mats[a], basis[:, :k1 - k0], out=out[:, k0:k1])
            continue
        # a long segment, block by block: block b starts at j = bB, where p^j = e^{λhbB}·p^(j−bB)
        # (the steady level's column is not scaled)
        blocks = range(k0, k1, BASIS_BLOCK)
        scale = np.ones((len(blocks), len(lam) + 1))
        scale[:, :-1] = np.exp(np.multiply.outer(np.arange(len(blocks)) * (BASIS_BLOCK * h), lam))
        block_mats = mats[a] * scale[:, None, :]
        for b, start in enumerate(blocks):
            end = min(start + BASIS_BLOCK, k1)
            np.matmul(block_mats[b], basis[:, :end - start], out=out[:, start:end])
    return out


@functools.lru_cache(maxsize=MAX_SEGMENTS + 1)
def _subdiagonal(n: int) -> tuple:
    """Index of the entries (a, a − 1), a = 1 … n − 1 (cached)."""
    return (np.arange(1, n), np.arange(n - 1))


def modal_closed_form(system: System, t: np.ndarray, inputs: Inputs) -> np.ndarray:
    """Modal states at arbitrary times by the closed-form sum over doses."""
    lam, inv = system.lam, system.inv
    z = np.zeros((len(lam), len(t)))
    for t0, amount, s in zip(inputs.imp_t, inputs.imp_a, inputs.imp_s):
        dt = t - t0
        on = dt >= 0
        z[:, on] += inv[:, [s]] * amount * np.exp(lam[:, None] * dt[None, on])
    for s0, e0, r in zip(inputs.inf_start, inputs.inf_end, inputs.inf_rate):
        hi = np.minimum(t, e0)
        on = hi > s0
        z[:, on] += inv[:, [0]] * r * np.exp(lam[:, None] * (t[on] - hi[on])[None, :]) * _expm1_over(lam, hi[on] - s0)
    return z


def simulate(model: CompartmentModel, doses: Dose | Iterable[Dose], times_min, *, with_amounts: bool = False) -> PKResult:
    """Plasma and effect-site concentrations (ng/mL) at ``times_min`` (min, increasing, ≥ 0).

    Exact solution of the linear model for any mix of :func:`bolus`,
    :func:`infusion` and :func:`absorption_dose` doses (superposition). With
    ``with_amounts`` the result also holds amounts (mg) in every compartment
    and depot and the cumulative amount eliminated (mg).
    """
    if not isinstance(model, CompartmentModel):
        raise CourseInputError("model must be a CompartmentModel (see model_from_table)")
    t, h = uniform_step(times_min)
    doses = validate_doses(doses)
    kas = [d.ka_per_min for d in doses if isinstance(d, AbsorptionDose)]
    system = augmented_system(model, kas, with_amounts)
    inputs = inputs_for(doses, system)
    out = outputs_by_segments(system, t, h, inputs) if (h is not None and not with_amounts) else None
    if out is None:
        z = modal_recurrence(system, t, inputs) if h is not None else modal_closed_form(system, t, inputs)
        out = system.output_weights @ z
    np.maximum(out, 0.0, out=out)                                # clip round-off below zero
    effect = out[1] if system.ce_index is not None else out[0].copy()
    result = PKResult(t, out[0], effect, model=model, doses=doses)
    if with_amounts:
        n_amount = system.n + len(system.depot_index)
        result.amounts_mg = (system.vecs[:n_amount] @ z).T
        result.eliminated_mg = system.vecs[system.elim_index] @ z
    return result


# --------------------------------------------------------------------------- summaries of one result
def auc_infinity_mg_min_per_l(model: CompartmentModel, doses: Dose | Iterable[Dose]) -> float:
    """Exact plasma AUC from the first dose to infinity (mg·min/L), from the modal solution.

    For linear kinetics this equals (bioavailable dose)/CL; the tests check that.
    """
    doses = validate_doses(doses)
    kas = [d.ka_per_min for d in doses if isinstance(d, AbsorptionDose)]
    system = augmented_system(model, kas, False)
    inputs = inputs_for(doses, system)
    total = system.inv[:, inputs.imp_s] @ inputs.imp_a          # modal input of every instantaneous dose
    total = total + system.inv[:, 0] * float(np.sum(inputs.inf_rate * (inputs.inf_end - inputs.inf_start)))
    # each mode's input integrates to total_i / (−λ_i)
    return float(system.vecs[0] @ (total / -system.lam)) / model.v1_l


def cmax_tmax(result: PKResult, which: str = "plasma") -> tuple[float, float]:
    """(Cmax in ng/mL, tmax in min) of the plasma (or ``which="effect"``) curve on its grid."""
    y = result.plasma_ng_per_ml if which == "plasma" else result.effect_site_ng_per_ml
    i = int(np.argmax(y))
    return float(y[i]), float(result.times_min[i])


def auc_trapezoid_ng_h_per_ml(result: PKResult) -> float:
    """Plasma AUC over the simulated window by the trapezoid rule (ng·h/mL = µg·h/L)."""
    return float(np.trapezoid(result.plasma_ng_per_ml, result.times_min) / 60.0)
