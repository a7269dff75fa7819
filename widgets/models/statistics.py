"""Effect measures and their intervals, as small closed-form functions (notebook 05a).

Two groups are compared: group 1 (usually the treated or exposed group) and
group 2 (the comparator). Risks are given either as counts (``events`` of ``n``
people) or as percentages of ``n`` people.

* risk difference (percentage points), with a Wald interval:
  RD = p1 − p2, SE = √(p1(1−p1)/n1 + p2(1−p2)/n2), RD ± z·SE;
* number needed to treat (or to harm): 100 / |RD in percentage points|, rounded up;
* risk ratio, with the log-scale (Katz) interval: SE(ln RR) = √(1/a − 1/n1 + 1/c − 1/n2);
* odds ratio, with the log-scale (Woolf) interval: SE(ln OR) = √(1/a + 1/b + 1/c + 1/d);
* the risk an odds ratio implies at a given baseline risk: p1 = OR·p0 / (1 − p0 + OR·p0);
* the share still event-free under a hazard ratio, if hazards are proportional: S1 = S2^HR;
* the standard error and two-sided p-value that a reported 95 % interval implies
  (for ratios on the log scale, where their intervals are symmetric).

These are teaching formulas: trials often report intervals from adjusted or exact
methods, which differ a little from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from widgets.validation import CourseInputError, check_positive, check_range

#: The standard normal quantile for a two-sided 95 % interval.
Z_95 = 1.959964


@dataclass(frozen=True)
class Estimate:
    """An effect estimate with its interval (``low``–``high``) and the value meaning "no difference"."""

    value: float
    low: float
    high: float
    null: float

    def excludes_null(self) -> bool:
        """True when the whole interval lies on one side of the no-difference value."""
        return not (self.low <= self.null <= self.high)


def _check_counts(events_1: float, n_1: float, events_2: float, n_2: float) -> None:
    for name, value in (("n_1", n_1), ("n_2", n_2)):
        check_range(name, value, 1, None, "people")
    check_range("events_1", events_1, 0, n_1, "people")
    check_range("events_2", events_2, 0, n_2, "people")


def _check_percentages(percent_1: float, n_1: float, percent_2: float, n_2: float) -> None:
    for name, value in (("n_1", n_1), ("n_2", n_2)):
        check_range(name, value, 1, None, "people")
    check_range("percent_1", percent_1, 0, 100, "%")
    check_range("percent_2", percent_2, 0, 100, "%")


# ---------------------------------------------------------------- absolute measures
def risk_difference_from_percentages(percent_1: float, n_1: float, percent_2: float, n_2: float,
                                     z: float = Z_95) -> Estimate:
    """Risk difference in percentage points (group 1 minus group 2) with a Wald interval."""
    _check_percentages(percent_1, n_1, percent_2, n_2)
    p1, p2 = percent_1 / 100, percent_2 / 100
    se = math.sqrt(p1 * (1 - p1) / n_1 + p2 * (1 - p2) / n_2)
    rd = p1 - p2
    return Estimate(100 * rd, 100 * (rd - z * se), 100 * (rd + z * se), 0.0)


def risk_difference_wald(events_1: int, n_1: int, events_2: int, n_2: int, z: float = Z_95) -> tuple[float, float, float]:
    """Difference in proportions (group 1 minus group 2) in percentage points, with a Wald 95 % interval.

    RD = x1/n1 − x2/n2; SE = √(p1(1−p1)/n1 + p2(1−p2)/n2); interval RD ± z·SE.
    Returns (difference, low, high).
    """
    _check_counts(events_1, n_1, events_2, n_2)
    estimate = risk_difference_from_percentages(100 * events_1 / n_1, n_1, 100 * events_2 / n_2, n_2, z)
    return estimate.value, estimate.low, estimate.high


def number_needed(risk_difference_pp: float) -> int:
    """People who must be treated (or exposed) for one more (or one fewer) event: 100 / |RD|, rounded up.

    Called the number needed to treat (NNT) when the difference is a benefit and the
    number needed to harm (NNH) when it is a harm; the arithmetic is the same.
    """
    rd = check_range("risk_difference_pp", risk_difference_pp, -100, 100, "percentage points")
    if rd == 0:
        raise CourseInputError("risk_difference_pp is 0: with no difference, no number of people gives one more event")
    # round away tiny float noise before rounding up (100 / 20 must give 5, not 6)
    return math.ceil(round(100 / abs(rd), 9))


# ---------------------------------------------------------------- relative measures
def risk_ratio(events_1: int, n_1: int, events_2: int, n_2: int, z: float = Z_95) -> Estimate:
    """Risk ratio (p1 / p2) with the log-scale interval exp(ln RR ± z·√(1/a − 1/n1 + 1/c − 1/n2))."""
    _check_counts(events_1, n_1, events_2, n_2)
    if events_1 == 0 or events_2 == 0:
        raise CourseInputError("risk_ratio needs at least one event in each group (a risk of 0 has no ratio)")
    rr = (events_1 / n_1) / (events_2 / n_2)
    se = math.sqrt(1 / events_1 - 1 / n_1 + 1 / events_2 - 1 / n_2)
    return Estimate(rr, rr * math.exp(-z * se), rr * math.exp(z * se), 1.0)


def odds_ratio(events_1: int, n_1: int, events_2: int, n_2: int, z: float = Z_95) -> Estimate:
    """Odds ratio ((a/b) / (c/d)) with the log-scale (Woolf) interval exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d))."""
    _check_counts(events_1, n_1, events_2, n_2)
    cells = (events_1, n_1 - events_1, events_2, n_2 - events_2)
    if min(cells) == 0:
        raise CourseInputError("odds_ratio needs every cell of the 2×2 table above 0 (events and non-events in each group)")
    a, b, c, d = cells
    ratio = (a / b) / (c / d)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return Estimate(ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se), 1.0)


def risk_with_odds_ratio(baseline_risk_percent: float, odds_ratio_value: float) -> float:
    """The risk (%) in the exposed group that an odds ratio implies at a given baseline risk (%).

    From OR = [p1/(1−p1)] / [p0/(1−p0)] solved for p1: p1 = OR·p0 / (1 − p0 + OR·p0).
    """
    p0 = check_range("baseline_risk_percent", baseline_risk_percent, 0, 100, "%") / 100
    ratio = check_positive("odds_ratio_value", odds_ratio_value)
    return 100 * ratio * p0 / (1 - p0 + ratio * p0)


def event_free_with_hazard_ratio(comparator_event_free_percent: float, hazard_ratio: float) -> float:
    """Share (%) still event-free in group 1 when group 2 has ``comparator_event_free_percent``.

    Under proportional hazards the survival curves satisfy S1(t) = S2(t)^HR at every time t.
    """
    s2 = check_range("comparator_event_free_percent", comparator_event_free_percent, 0, 100, "%") / 100
    hr = check_positive("hazard_ratio", hazard_ratio)
    return 100 * s2 ** hr


# ---------------------------------------------------------------- what an interval implies
def standard_error_from_interval(low: float, high: float, ratio: bool = False, z: float = Z_95) -> float:
    """The standard error a reported interval implies: (high − low) / 2z (ratios: on the log scale)."""
    if ratio:
        low, high = math.log(check_positive("low", low)), math.log(check_positive("high", high))
    check_range("high", high, low, None)
    return (high - low) / (2 * z)


def p_value_from_interval(estimate: float, low: float, high: float, ratio: bool = False, z: float = Z_95) -> float:
    """Two-sided p-value for "no difference" implied by an estimate and its 95 % interval.

    z-statistic = estimate / SE (ratios: ln estimate / SE of ln); p = erfc(|z| / √2).
    Approximate: it assumes the interval is symmetric (on the log scale for ratios).
    """
    se = standard_error_from_interval(low, high, ratio, z)
    if se == 0:
        raise CourseInputError("the interval has no width, so it implies no p-value")
    centre = math.log(check_positive("estimate", estimate)) if ratio else estimate
    return math.erfc(abs(centre / se) / math.sqrt(2))
