"""The Hunter Serotonin Toxicity Criteria as a pure decision function (notebook 08).

Source: Dunkley et al. 2003 (``dunkley2003``; evidence rows ca:C24, ca:C25). The
rules apply only when a serotonergic drug has been taken; toxicity is present if
any of five rules is met. The rules are read from the ``hunter_criteria`` table.

EDUCATIONAL ONLY: this shows how a published decision rule is built. It is not a
diagnostic tool; diagnosis needs a clinician who examines the patient.
"""

from __future__ import annotations

from dataclasses import dataclass

import course_data
from widgets.validation import CourseInputError

FEATURES = {
    "spontaneous_clonus": "spontaneous clonus",
    "inducible_clonus": "inducible clonus",
    "ocular_clonus": "ocular clonus",
    "agitation": "agitation",
    "diaphoresis": "diaphoresis (sweating)",
    "tremor": "tremor",
    "hyperreflexia": "hyperreflexia",
    "hypertonia": "hypertonia",
    "temperature_above_38": "temperature above 38 °C",
}


@dataclass(frozen=True)
class Rule:
    order: int
    requires_all: tuple[str, ...]
    requires_any: tuple[str, ...]
    description: str

    def conditions(self) -> int:
        """Number of conditions in the rule (each 'any of' group counts once)."""
        return len(self.requires_all) + (1 if self.requires_any else 0)

    def conditions_met(self, present: set[str]) -> int:
        return sum(f in present for f in self.requires_all) + (1 if self.requires_any and present & set(self.requires_any) else 0)

    def is_met(self, present: set[str]) -> bool:
        return self.conditions_met(present) == self.conditions()


@dataclass(frozen=True)
class HunterResult:
    applies: bool
    toxicity: bool
    rules_met: tuple[int, ...]
    summary: str


def load_rules() -> tuple[Rule, ...]:
    """The five rules from the ``hunter_criteria`` table, in order."""
    table = course_data.load("hunter_criteria").sort_values("order")
    split = lambda cell: tuple(p for p in str(cell).split(";") if p) if isinstance(cell, str) else ()  # noqa: E731
    rules = tuple(Rule(int(r.order), split(r.requires_all), split(r.requires_any), r.description) for r in table.itertuples())
    unknown = {f for r in rules for f in r.requires_all + r.requires_any} - set(FEATURES)
    if unknown:
        raise CourseInputError(f"hunter_criteria names unknown features: {sorted(unknown)}")
    return rules


def hunter_criteria(serotonergic_drug: bool, rules: tuple[Rule, ...] | None = None, **features: bool) -> HunterResult:
    """Apply the Hunter decision rules to the clinical features given as keyword booleans.

    ``features`` keys must be among :data:`FEATURES`; missing keys count as absent.
    Returns which rules are met and whether the criteria are fulfilled (educational only).
    """
    unknown = set(features) - set(FEATURES)
    if unknown:
        raise CourseInputError(f"unknown feature(s) {sorted(unknown)}; allowed: {', '.join(FEATURES)}")
    rules = load_rules() if rules is None else rules
    present = {name for name, value in features.items() if bool(value)}
    if not serotonergic_drug:
        return HunterResult(False, False, (), "The Hunter criteria apply only after a serotonergic drug; without one they are not used.")
    met = tuple(r.order for r in rules if r.is_met(present))
    if met:
        first = next(r for r in rules if r.order == met[0])
        summary = f"Criteria fulfilled by rule {', '.join(map(str, met))} ({first.description.lower()})."
    else:
        summary = "No rule is met: the Hunter criteria for serotonin toxicity are not fulfilled."
    return HunterResult(True, bool(met), met, summary)
