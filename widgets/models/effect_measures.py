"""The statistics primer's worked examples (notebook 05a), computed from the course's own data.

Each function reads published rows (``antidepressant_trials``, ``combination_endpoints``,
``treatment_trials``, ``facts``) and applies the formulas of
:mod:`widgets.models.statistics`, setting the course's result beside what the
report gave where it gave one. Derivations: source ``statistics-primer-derived``.
Tables are for learners: sources appear as short citations, never as ids.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

import course_data
from widgets.models import statistics as st
from widgets.models.treatment import forest_rows
from widgets.validation import CourseInputError


def _citation(source_id: str) -> str:
    from widgets.evidence import short_citation  # display text for learners: citations, not ids

    return short_citation(source_id)


@functools.cache
def _trials() -> pd.DataFrame:
    return course_data.load("antidepressant_trials").set_index("id")


def trial_row(row_id: str) -> dict:
    """One row of ``antidepressant_trials`` as a dict (CourseInputError naming the known ids otherwise)."""
    table = _trials()
    if row_id not in table.index:
        raise CourseInputError(f"row_id must be one of {', '.join(table.index)}; got {row_id!r}")
    return {"id": row_id, **table.loc[row_id].to_dict()}


@dataclass(frozen=True)
class Arms:
    """Two arms of a trial: events of n in each (group 1 = esketamine or ketamine)."""

    events_1: int
    n_1: int
    events_2: int
    n_2: int

    @property
    def percent_1(self) -> float:
        return 100 * self.events_1 / self.n_1

    @property
    def percent_2(self) -> float:
        return 100 * self.events_2 / self.n_2


def arm_counts(row_id: str) -> Arms:
    """Events per arm, rebuilt from the reported rates and arm sizes (rate × n, rounded)."""
    row = trial_row(row_id)
    needed = ("n_active", "n_control", "rate_active_percent", "rate_control_percent")
    if any(pd.isna(row[k]) for k in needed):
        raise CourseInputError(f"{row['trial']} ({row['outcome']}, {row['timepoint']}) does not report both arm sizes and rates")
    n_1, n_2 = int(row["n_active"]), int(row["n_control"])
    return Arms(round(row["rate_active_percent"] * n_1 / 100), n_1, round(row["rate_control_percent"] * n_2 / 100), n_2)


def _range(low: float, high: float, digits: int = 2) -> str:
    def number(x: float) -> str:
        return f"{x:.{digits}f}".replace("-", "−")
    return f"{number(low)} to {number(high)}"


# ---------------------------------------------------------------- 1. risk difference and NNT
def risk_difference_table(row_id: str = "transform2-response") -> pd.DataFrame:
    """Rates, the risk difference with the course's Wald interval beside the reported one, and the NNT."""
    row = trial_row(row_id)
    if pd.isna(row["n_active"]) or pd.isna(row["n_control"]):
        raise CourseInputError(f"{row['trial']} ({row['outcome']}) does not report the arm sizes")
    mine = st.risk_difference_from_percentages(row["rate_active_percent"], row["n_active"],
                                               row["rate_control_percent"], row["n_control"])
    reported = (_range(row["ci_low"], row["ci_high"]) if row["effect_measure"] == "risk difference" and not pd.isna(row["ci_low"])
                else "not reported")
    rows = [
        (f"{row['outcome'].capitalize()} with esketamine ({int(row['n_active'])} people)", f"{row['rate_active_percent']:g} %"),
        (f"{row['outcome'].capitalize()} in the comparison arm ({int(row['n_control'])} people)", f"{row['rate_control_percent']:g} %"),
        ("Risk difference", f"{mine.value:.1f} percentage points"),
        ("95 % interval, Wald formula", f"{_range(mine.low, mine.high, 1)} points"),
        ("95 % interval, as reported", f"{reported} points" if reported != "not reported" else reported),
        ("Number needed to treat (100 ÷ difference, rounded up)", f"{st.number_needed(mine.value)}"),
    ]
    return pd.DataFrame(rows, columns=["quantity", f"{row['trial']}, {row['timepoint']} ({_citation(row['source_id'])})"]).set_index("quantity")


def number_needed_check(row_id: str = "sustain1-remitters", reported_fact: str = "sustain1-remitters-nnt") -> tuple[int, int]:
    """(NNT computed from the two event rates, NNT the report gives) for one trial outcome."""
    row = trial_row(row_id)
    difference = row["rate_control_percent"] - row["rate_active_percent"]   # relapse prevented
    return st.number_needed(difference), int(course_data.fact(reported_fact)["value"])


# ---------------------------------------------------------------- 2. risk ratio and odds ratio
def relative_measures_table(row_ids: tuple[str, ...] = ("pooled-response-day2", "pooled-response-day28")) -> pd.DataFrame:
    """For each row: the counts, both risks, the risk difference, the risk ratio and the odds ratio (95 % intervals)."""
    records = []
    for row_id in row_ids:
        row, arms = trial_row(row_id), arm_counts(row_id)
        rr = st.risk_ratio(arms.events_1, arms.n_1, arms.events_2, arms.n_2)
        odds = st.odds_ratio(arms.events_1, arms.n_1, arms.events_2, arms.n_2)
        records.append({
            "comparison": f"{row['trial']}: {row['outcome']}, {row['timepoint']}",
            "counts": f"{arms.events_1}/{arms.n_1} vs {arms.events_2}/{arms.n_2}",
            "risk (%)": f"{arms.percent_1:.1f} vs {arms.percent_2:.1f}",
            "risk difference (points)": f"{arms.percent_1 - arms.percent_2:.1f}",
            "risk ratio (95 % interval)": f"{rr.value:.2f} ({_range(rr.low, rr.high)})",
            "odds ratio (95 % interval)": f"{odds.value:.2f} ({_range(odds.low, odds.high)})",
            "source": _citation(row["source_id"]),
        })
    return pd.DataFrame(records).set_index("comparison")


@dataclass(frozen=True)
class OddsRatioInPeople:
    baseline_percent: float
    odds_ratio: st.Estimate
    exposed_percent: float
    exposed_low_percent: float
    exposed_high_percent: float

    @property
    def difference_points(self) -> float:
        return self.exposed_percent - self.baseline_percent

    @property
    def number_needed_to_harm(self) -> int:
        return st.number_needed(self.difference_points)


def odds_ratio_in_people(endpoint_id: str = "kb-airway-green",
                         baseline_fact: str = "green2009-airway-event-pct") -> OddsRatioInPeople:
    """What a published odds ratio means per hundred people, at a published event rate taken as the baseline."""
    table = course_data.load("combination_endpoints").set_index("id")
    if endpoint_id not in table.index:
        raise CourseInputError(f"endpoint_id must be one of {', '.join(table.index)}; got {endpoint_id!r}")
    row = table.loc[endpoint_id]
    if "odds ratio" not in str(row["measure"]):
        raise CourseInputError(f"{endpoint_id} is not an odds ratio (its measure is {row['measure']!r})")
    baseline = float(course_data.fact(baseline_fact)["value"])
    ratio = st.Estimate(float(row["value"]), float(row["value_low"]), float(row["value_high"]), 1.0)
    return OddsRatioInPeople(baseline, ratio, st.risk_with_odds_ratio(baseline, ratio.value),
                             st.risk_with_odds_ratio(baseline, ratio.low), st.risk_with_odds_ratio(baseline, ratio.high))


# ---------------------------------------------------------------- 3. intervals and p-values
MADRS_ROWS = ("transform2-madrs", "transform1-madrs-84", "transform1-madrs-56", "transform3-madrs")


def interval_table(row_ids: tuple[str, ...] = MADRS_ROWS) -> pd.DataFrame:
    """Mean differences with their 95 % intervals: does the interval exclude 0, and what p-value does it imply?"""
    records = []
    for row_id in row_ids:
        row = trial_row(row_id)
        estimate = st.Estimate(row["effect_value"], row["ci_low"], row["ci_high"], 0.0)
        records.append({
            "comparison": f"{row['trial']}: {row['comparison'].split(' + ')[0]}",
            "difference (points)": f"{estimate.value:.1f}".replace("-", "−"),
            "95 % interval": _range(estimate.low, estimate.high),
            "excludes 0": "yes" if estimate.excludes_null() else "no",
            "p implied by the interval": f"{st.p_value_from_interval(estimate.value, estimate.low, estimate.high):.3f}",
            "p as reported": row["p_value_text"] if isinstance(row["p_value_text"], str) else "not given in the source used",
            "source": _citation(row["source_id"]),
        })
    return pd.DataFrame(records).set_index("comparison")


def ratio_interval_table() -> pd.DataFrame:
    """The addiction-treatment trials' relapse ratios: the interval, whether it excludes 1, the implied p."""
    records = []
    for r in forest_rows("ratio"):
        records.append({
            "comparison": f"{r.trial}: {r.outcome.split(' (')[0]}",
            "ratio": f"{r.estimate:g}",
            "95 % interval": f"{r.ci_low:g} to {r.ci_high:g}",
            "excludes 1": "yes" if r.excludes_null(1.0) else "no",
            "p implied by the interval": f"{st.p_value_from_interval(r.estimate, r.ci_low, r.ci_high, ratio=True):.2f}",
            "source": _citation(r.source_id),
        })
    return pd.DataFrame(records).set_index("comparison")


# ---------------------------------------------------------------- 4. hazard ratios
@dataclass(frozen=True)
class HazardExample:
    trial: str
    hazard_ratio: st.Estimate
    relapse_1_percent: float
    relapse_2_percent: float
    predicted_relapse_1_percent: float   # from the comparator's relapse and the HR, under proportional hazards

    @property
    def risk_ratio(self) -> float:
        return self.relapse_1_percent / self.relapse_2_percent


def hazard_ratio_example(row_id: str = "sustain1-remitters") -> HazardExample:
    """A reported hazard ratio beside the crude relapse proportions, and what proportional hazards predicts."""
    row = trial_row(row_id)
    if row["effect_measure"] != "hazard ratio" or pd.isna(row["rate_active_percent"]):
        raise CourseInputError(f"{row_id} needs a hazard ratio and both relapse proportions")
    predicted = 100 - st.event_free_with_hazard_ratio(100 - row["rate_control_percent"], row["effect_value"])
    return HazardExample(row["trial"], st.Estimate(row["effect_value"], row["ci_low"], row["ci_high"], 1.0),
                         row["rate_active_percent"], row["rate_control_percent"], predicted)



def odds_ratio_in_people_table(endpoint_id: str = "kb-airway-green",
                               baseline_fact: str = "green2009-airway-event-pct") -> pd.DataFrame:
    """:func:`odds_ratio_in_people` as a table: the odds ratio, the risks it implies, extra events and NNH per 100."""
    o = odds_ratio_in_people(endpoint_id, baseline_fact)
    low_extra, high_extra = o.exposed_low_percent - o.baseline_percent, o.exposed_high_percent - o.baseline_percent
    rows = [
        ("Odds ratio (95 % interval)", f"{o.odds_ratio.value:g} ({o.odds_ratio.low:g} to {o.odds_ratio.high:g})"),
        ("Risk taken as the baseline", f"{o.baseline_percent:g} %"),
        ("Risk the odds ratio implies with the exposure", f"{o.exposed_percent:.1f} % ({o.exposed_low_percent:.1f} to {o.exposed_high_percent:.1f})"),
        ("Extra events per 100", f"{o.difference_points:.1f} ({low_extra:.1f} to {high_extra:.1f})"),
        ("Number needed to harm (one extra event per …)", f"{o.number_needed_to_harm} ({st.number_needed(high_extra)} to {st.number_needed(low_extra)})"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value"]).set_index("quantity")


def hazard_ratio_table(row_id: str = "sustain1-remitters") -> pd.DataFrame:
    """:func:`hazard_ratio_example` as a table: HR, crude relapse proportions, risk ratio, proportional-hazards prediction."""
    h = hazard_ratio_example(row_id)
    rows = [
        ("Hazard ratio for relapse (95 % interval)", f"{h.hazard_ratio.value:g} ({h.hazard_ratio.low:g} to {h.hazard_ratio.high:g})"),
        ("Relapsed by the end, continuing esketamine", f"{h.relapse_1_percent:g} %"),
        ("Relapsed by the end, switched to placebo spray", f"{h.relapse_2_percent:g} %"),
        ("Risk ratio of those proportions", f"{h.risk_ratio:.2f}"),
        ("Relapse on esketamine predicted from the HR (proportional hazards)", f"{h.predicted_relapse_1_percent:.1f} %"),
    ]
    return pd.DataFrame(rows, columns=["quantity", f"{h.trial} ({_citation(trial_row(row_id)['source_id'])})"]).set_index("quantity")
