"""Trials of ketamine for heroin, cocaine and alcohol use disorders (notebook 10).

Data from the course table ``treatment_trials``. Effect estimates are grouped so
that only like is drawn with like:

* ``difference``: absolute differences in percentage points, ketamine minus
  comparator (abstinence, or % of days abstinent); 0 = no difference;
* ``ratio``: relapse hazard or odds ratios; 1 = no difference, below 1 favours ketamine.

The one interval the course computes itself (Krupitsky 2007, source
``krupitsky2007-rd``) uses :func:`widgets.models.statistics.risk_difference_wald`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

import course_data
from widgets.models.statistics import risk_difference_wald  # noqa: F401  (the course's one Wald interval)
from widgets.validation import CourseInputError, check_choice

GROUPS = {
    "difference": ("abstinence difference", "days-abstinent difference"),
    "ratio": ("relapse ratio",),
}
NULL_VALUE = {"difference": 0.0, "ratio": 1.0}
SUBSTANCES = ("all", "heroin", "cocaine", "alcohol")


@functools.cache
def _trials() -> pd.DataFrame:
    return course_data.load("treatment_trials")


def trials() -> pd.DataFrame:
    """The whole ``treatment_trials`` table (a copy)."""
    return _trials().copy()


def trial_summary() -> pd.DataFrame:
    """One row per trial: substance, design, size, arms, psychotherapy, outcome, follow-up."""
    table = trials().drop_duplicates("trial")
    return table[["trial", "substance", "design", "n", "intervention", "comparator", "psychotherapy", "outcome", "follow_up", "source_id"]].reset_index(drop=True)


@dataclass(frozen=True)
class ForestRow:
    label: str
    trial: str
    contrast: str
    substance: str
    outcome: str
    estimate: float
    ci_low: float | None
    ci_high: float | None
    n: int
    source_id: str

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None

    def excludes_null(self, null: float) -> bool | None:
        """True if the interval excludes the null value, None if no interval."""
        if not self.has_interval:
            return None
        return not (self.ci_low <= null <= self.ci_high)


def forest_rows(group: str = "difference", substance: str = "all") -> list[ForestRow]:
    """Estimates of one measure group (see GROUPS), optionally for one substance."""
    check_choice("group", group, list(GROUPS))
    check_choice("substance", substance, SUBSTANCES)
    return list(_forest_rows(group, substance))


@functools.cache
def _forest_rows(group: str, substance: str) -> tuple[ForestRow, ...]:
    table = _trials()
    table = table[table["measure"].isin(GROUPS[group])]
    if substance != "all":
        table = table[table["substance"] == substance]
    rows = []
    for r in table.itertuples():
        if pd.isna(r.estimate):
            raise CourseInputError(f"trial row {r.id} has measure {r.measure!r} but no estimate")
        rows.append(ForestRow(
            label=f"{r.trial}: {r.contrast}, {r.outcome} ({r.follow_up}; n={r.n})", trial=r.trial, contrast=r.contrast, substance=r.substance, outcome=r.outcome,
            estimate=float(r.estimate), ci_low=None if pd.isna(r.ci_low) else float(r.ci_low),
            ci_high=None if pd.isna(r.ci_high) else float(r.ci_high), n=int(r.n), source_id=r.effect_source_id,
        ))
    return tuple(rows)


def unreported(substance: str = "all") -> list[str]:
    """Trials (or trial outcomes) whose effect size is not in the evidence base."""
    check_choice("substance", substance, SUBSTANCES)
    return list(_unreported(substance))


@functools.cache
def _unreported(substance: str) -> tuple[str, ...]:
    table = _trials()
    table = table[table["measure"] == "not reported"]
    if substance != "all":
        table = table[table["substance"] == substance]
    return tuple(f"{r.trial} ({r.substance}, n={r.n})" for r in table.itertuples())


CLAIM_ID_PATTERN = r"^C-(addiction|harms|treatment)-"
SEED_NAMES = {
    "002_3a8b0e8f11631f0c.txt": "002 side-effects page",
    "003_903277661336a548.txt": "003 addiction-clinic page",
    "004_453cddbf4f9d5479.txt": "004 uses article",
}


def graded_claims(seed: str | None = None, topic: str | None = None) -> pd.DataFrame:
    """The course's verdicts on the addiction, harm and treatment claims of seed texts 002–004.

    ``seed`` is a seed file name or its three-digit number ('002'); ``topic`` a claims topic.
    """
    claims = course_data.load("claims")
    claims = claims[claims["id"].str.match(CLAIM_ID_PATTERN) & claims["seed_file"].isin(list(SEED_NAMES))]
    if seed is not None:
        names = {name[:3]: name for name in SEED_NAMES} | {name: name for name in SEED_NAMES}
        check_choice("seed", seed, list(names))
        claims = claims[claims["seed_file"] == names[seed]]
    if topic is not None:
        check_choice("topic", topic, sorted(set(claims["topic"])))
        claims = claims[claims["topic"] == topic]
    out = claims.assign(seed=claims["seed_file"].map(SEED_NAMES))
    return out[["seed", "topic", "claim", "verdict", "explanation", "evidence_source_ids"]].reset_index(drop=True)


def verdict_counts() -> pd.DataFrame:
    """How many claims of each seed got each verdict."""
    table = graded_claims()
    return table.pivot_table(index="seed", columns="verdict", values="claim", aggfunc="count", fill_value=0)
