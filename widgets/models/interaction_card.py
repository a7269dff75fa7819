"""Interaction summary cards (notebooks 06 and 08): one drug pair, its published labels and,
for each endpoint, the direction of the findings, the setting, what to monitor and a
certainty of evidence.

Data: ``ratings`` (how raters label the pair), ``combination_endpoints`` (one row per
finding: direction, population, design, source) and ``interaction_guidance`` (setting
and monitoring, one row per pair and endpoint).

Two things are said about each finding and kept apart:

* **certainty** of evidence (high, moderate, low, very low): how strong the evidence
  for an endpoint is, from :func:`certainty_of_evidence`, a GRADE-like rule over the
  design, size, consistency and directness recorded in ``combination_endpoints``;
* **provenance** (VERIFIED, PARTIAL, …): how the course checked each source
  (``sources.evidence_status``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

import course_data
from widgets.validation import check_choice

LEVELS = ("very low", "low", "moderate", "high")

#: Where each study design starts, before any step down.
START = {
    "RCT": "high",
    # Investigators gave the drugs and measured under control, but the tables do not
    # record randomisation: one step below a randomised trial.
    "isobologram": "moderate",
    "volunteer study": "moderate",
    "PK study": "moderate",
    "PET study": "moderate",
    # A meta-analysis starts where the studies it pools start; the one in these tables
    # pools observational sedation series (a meta-analysis of trials is recorded as RCT).
    "meta-analysis": "low",
    "observational": "low",
    "registry": "low",
    "in vitro": "low",
    # No comparison group at all.
    "uncontrolled series": "very low",
    "case report": "very low",
}
#: Statements, not measurements: shown on the card, but they do not set the rating.
NOT_RATED = ("review", "label")
#: Designs that measure a mechanism in place of the outcome itself.
MECHANISM_DESIGNS = ("PET study", "in vitro")
_INDIRECT_POPULATION = re.compile(r"\b(?:volunteers?|rats?|mice|mouse|monkeys?|animals?|in vitro)\b", re.I)

#: Direction of each finding as a sign, for the consistency step: findings disagree when their signs differ.
DIRECTION_SIGN = {
    "increased": 1, "worsened": 1, "lengthened": 1, "synergistic": 1, "improved": 1, "possible case": 1,
    "reduced": -1, "partly reduced": -1, "blunted": -1, "shortened": -1, "not reduced": 0,
    "no change": 0, "none observed": 0, "additive": 0, "not listed": 0,
    "co-occurring": 2,  # how often the drugs are found together: comparable only with itself
}
#: Fewer participants than this, over the studies that set the rating, is too few (the course's threshold).
MIN_PARTICIPANTS = 400

RULE_SUMMARY = (
    "Certainty of evidence, by a GRADE-like rule: randomised trials start high, other controlled studies in people "
    "moderate, observational studies low and single cases very low; too few participants, findings that point different "
    "ways, or evidence only from volunteers, animals or mechanisms each lower it one step, and nothing raises it."
)


@dataclass(frozen=True)
class Finding:
    """One row of ``combination_endpoints``, as the rule and the card read it."""

    id: str
    endpoint: str
    finding: str
    direction: str
    design: str
    population: str
    source_id: str
    size_text: str = ""


@dataclass(frozen=True)
class Certainty:
    level: str
    start: str
    steps: tuple[str, ...]  # each step down, in words
    rated_ids: tuple[str, ...]  # the findings that set the rating

    @property
    def explanation(self) -> str:
        return "; ".join(self.steps)


def participants(population: str) -> int | None:
    """The number of participants a population text starts with ('170 female surgical patients' → 170), if any."""
    match = re.match(r"\s*(\d[\d,]*)\s", population or "")
    return int(match.group(1).replace(",", "")) if match else None


def is_indirect(finding: Finding) -> bool:
    """Evidence about something other than people using the drugs: healthy volunteers, animals, a mechanism."""
    return finding.design in MECHANISM_DESIGNS or bool(_INDIRECT_POPULATION.search(finding.population))


def certainty_of_evidence(findings: Sequence[Finding]) -> Certainty:
    """Certainty of evidence for one endpoint (high, moderate, low or very low), by this rule:

    1. Only studies set the rating: labels and reviews are shown on the card but are
       judgements, not measurements, so they are left out. With no study left, the
       certainty is very low.
    2. Start from the strongest design among the studies (:data:`START`): randomised
       trials high; other controlled studies in people (isobologram, volunteer,
       pharmacokinetic and PET studies) moderate; observational studies, registries, a
       meta-analysis of observational series and in-vitro work low; uncontrolled series
       and case reports very low.
    3. Step down once for each of:
       * imprecision: the studies together report fewer than :data:`MIN_PARTICIPANTS`
         participants (a study that states no size counts as none);
       * inconsistency: the studies' directions point different ways
         (:data:`DIRECTION_SIGN`: more, less, no difference);
       * indirectness: every study is in healthy volunteers or animals, or measures a
         mechanism (PET, in vitro) instead of the outcome.
    4. Never below very low, and never up: GRADE allows rating up for a large effect or
       a dose–response gradient, but these tables do not record either reliably.

    The rule cannot see risk of bias (blinding, dropouts) or unpublished studies, which
    would only lower a rating: read "high" as "no reason to step down found".
    """
    studies = [f for f in findings if f.design not in NOT_RATED]
    if not studies:
        return Certainty("very low", "very low", ("only labels or reviews: no study measured this",), ())
    unknown = sorted({f.design for f in studies} - set(START))
    if unknown:
        raise ValueError(f"no starting level for design(s) {unknown}; add them to START")
    start = max((START[f.design] for f in studies), key=LEVELS.index)
    steps: list[str] = [f"starts {start} ({_start_reason(start)})"]
    level = LEVELS.index(start)

    sizes = [participants(f.population) for f in studies]
    total = sum(n for n in sizes if n)
    if total < MIN_PARTICIPANTS:
        stated = f"{total} in all" if total else "no study states its size"
        steps.append(f"down one: fewer than {MIN_PARTICIPANTS} participants ({stated})")
        level -= 1
    signs = {DIRECTION_SIGN[f.direction] for f in studies}
    if len(signs) > 1:
        directions = ", ".join(dict.fromkeys(f.direction for f in studies))
        steps.append(f"down one: the findings point different ways ({directions})")
        level -= 1
    if all(is_indirect(f) for f in studies):
        steps.append("down one: only volunteers, animals or a mechanism, not people using the drugs")
        level -= 1
    if len(steps) == 1:
        steps.append("no step down")
    return Certainty(LEVELS[max(level, 0)], start, tuple(steps), tuple(f.id for f in studies))


def _start_reason(start: str) -> str:
    return {"high": "randomised trials", "moderate": "controlled studies in people, not randomised",
            "low": "observational or laboratory studies", "very low": "no comparison group"}[start]


# ---------------------------------------------------------------- the card's data
PAIRS = {"ketamine+benzodiazepines": "Ketamine + benzodiazepines", "ketamine+SSRIs": "Ketamine + SSRIs"}


@dataclass(frozen=True)
class Label:
    rater: str
    kind: str
    label: str
    cites: str
    source_id: str


@dataclass(frozen=True)
class EndpointSummary:
    endpoint: str
    findings: tuple[Finding, ...]
    certainty: Certainty
    evidence_setting: str
    setting_detail: str
    outside_clinic: str
    outside_source_id: str
    monitor: str
    monitor_source_id: str


@dataclass(frozen=True)
class Card:
    pair: str
    title: str
    labels: tuple[Label, ...]
    endpoints: tuple[EndpointSummary, ...]


def _size_text(row) -> str:
    has_value, has_spread = not pd.isna(row.value), not pd.isna(row.value_low) and not pd.isna(row.value_high)
    if not has_value and not has_spread:  # a qualitative finding
        return ""
    unit = "" if row.unit in ("ratio", "none") else (row.unit if row.unit == "%" else f" {row.unit}")
    value = f"{row.value:g}{unit}" if has_value else ""
    spread = f"{row.value_low:g} to {row.value_high:g}{unit}" if has_spread else ""
    number = f"{value} ({spread})" if value and spread else value or spread
    return f"{number}: {row.measure}" if not pd.isna(row.measure) else number


def findings(pair: str) -> list[Finding]:
    """The ``combination_endpoints`` rows of one pair, in table order."""
    table = course_data.load("combination_endpoints")
    check_choice("pair", pair, sorted(set(table["pair"])))
    return [Finding(r.id, r.endpoint, r.finding, r.direction, r.design, r.population, r.source_id, _size_text(r))
            for r in table[table["pair"] == pair].itertuples()]


def card(pair: str) -> Card:
    """Everything the interaction summary card of ``pair`` shows, endpoints in table order."""
    check_choice("pair", pair, list(PAIRS))
    ratings = course_data.load("ratings")
    labels = tuple(Label(r.rater, r.rater_kind, r.label, r.cites, r.source_id)
                   for r in ratings[(ratings["pair"] == pair) & (ratings["rater_kind"] != "primary evidence")].itertuples())
    guidance = course_data.load("interaction_guidance").set_index(["pair", "endpoint"])
    rows = findings(pair)
    endpoints = []
    for endpoint in dict.fromkeys(f.endpoint for f in rows):
        group = tuple(f for f in rows if f.endpoint == endpoint)
        g = guidance.loc[(pair, endpoint)]
        text = {k: "" if pd.isna(g[k]) else str(g[k]) for k in g.index}
        endpoints.append(EndpointSummary(
            endpoint, group, certainty_of_evidence(group), text["evidence_setting"], text["setting_detail"],
            text["outside_clinic"], text["outside_source_id"], text["monitor"], text["monitor_source_id"],
        ))
    return Card(pair, PAIRS[pair], labels, tuple(endpoints))


def certainty_by_endpoint(pair: str) -> dict[str, str]:
    """{endpoint: certainty level} for a pair."""
    return {e.endpoint: e.certainty.level for e in card(pair).endpoints}


def endpoints_missing_guidance() -> list[tuple[str, str]]:
    """(pair, endpoint) of combination_endpoints with no interaction_guidance row, and the reverse."""
    found = set(course_data.load("combination_endpoints")[["pair", "endpoint"]].itertuples(index=False, name=None))
    guided = set(course_data.load("interaction_guidance")[["pair", "endpoint"]].itertuples(index=False, name=None))
    return sorted(found ^ guided)
