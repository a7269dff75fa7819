"""Doses: IV boluses, IV infusions and first-order absorption doses (validated on creation).

Amounts in mg of free base, times in min.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from widgets.validation import check_range

MAX_DOSE_MG = 5000.0  # generous upper bound that only rejects nonsense (e.g. 13 mg/kg × 200 kg = 2600 mg)
MAX_RATE_PER_MIN = 100.0


def _check_time(name: str, value: float) -> float:
    return check_range(name, value, 0, None, "min")


def _check_amount(value: float) -> float:
    return check_range("amount_mg", value, 0, MAX_DOSE_MG, "mg", low_inclusive=False)


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
        object.__setattr__(self, "ka_per_min", check_range("ka_per_min", self.ka_per_min, 0, MAX_RATE_PER_MIN, "1/min",
                                                           low_inclusive=False))
        object.__setattr__(self, "bioavailability", check_range("bioavailability", self.bioavailability, 0, 1,
                                                                low_inclusive=False))
        object.__setattr__(self, "lag_min", _check_time("lag_min", self.lag_min))


Dose = Bolus | Infusion | AbsorptionDose
DOSE_TYPES = (Bolus, Infusion, AbsorptionDose)


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
