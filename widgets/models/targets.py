"""Target engagement: predicted fraction of each molecular target occupied by ketamine.

The chain is explicit and applied once per step (sources in brackets):

1. total plasma concentration, ng/mL  →  µM by the molar mass of ketamine free base
   (237.7 g/mol; ``ketamine-mw``), :func:`widgets.models.occupancy.ng_per_ml_to_micromolar`;
2. total µM  →  free (unbound) µM = total × fu, :func:`~widgets.models.occupancy.free_concentration`,
   with fu = 1 − percent bound / 100 from the ``plasma_protein_binding`` table (``ppb-fu-derived``);
3. free µM and each reported Ki / IC50 (``target_affinities`` table)  →  fraction occupied
   C/(C + Ki), :func:`~widgets.models.occupancy.fraction_occupied`.

This is a binding (mass-action) prediction at equilibrium. It says nothing about
function (block, agonism), ignores Mg2+, metabolites and the brain/plasma ratio, and
mixes species and assays: see notebook 03.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

import course_data
from widgets.evidence import short_citation
from widgets.models.occupancy import fraction_occupied, free_concentration, ng_per_ml_to_micromolar, occupancy_band
from widgets.validation import CourseInputError, check_range

#: Highest total plasma concentration the explorer accepts (ng/mL). The highest
#: clinical value in the course data is 2400 ng/mL (anaesthesia, ``zanos2018``).
MAX_CONCENTRATION_NG_PER_ML = 10_000.0

#: Ligand labels counted as "ketamine itself" in the ladder (metabolites and the
#: Ketalar formulation are shown in the table but not in the ladder).
PARENT_LIGANDS = ("racemic ketamine", "S-ketamine", "R-ketamine", "ketamine (form not stated)", "ketamine")

THRESHOLDS = (0.10, 0.50)


@lru_cache(maxsize=1)
def affinities() -> pd.DataFrame:
    """The ``target_affinities`` table (µM), validated."""
    return course_data.load("target_affinities")


def parent_affinities() -> pd.DataFrame:
    """Rows for ketamine itself (racemate, enantiomers, form not stated), not metabolites or formulations."""
    table = affinities()
    return table[table["ligand"].isin(PARENT_LIGANDS)].reset_index(drop=True)


def fraction_unbound_from_percent_bound(percent_bound: float) -> float:
    """fu = 1 − percent bound / 100 (``ppb-fu-derived``)."""
    pct = check_range("percent_bound", percent_bound, 0, 100, "%", high_inclusive=False)
    return 1.0 - pct / 100.0


def free_fraction_options() -> list[tuple[str, float]]:
    """(label, fu) choices: whole-plasma binding values marked usable, plus 'no correction' (fu = 1)."""
    table = course_data.load("plasma_protein_binding")
    table = table[table["use_for_free_fraction"].fillna(False).astype(bool)]
    options: list[tuple[str, float]] = []
    for row in table.itertuples():
        for pct in sorted({row.percent_bound_high, row.percent_bound_low}, reverse=True):
            fu = round(fraction_unbound_from_percent_bound(pct), 2)
            options.append((f"fu {fu:.2f}: {row.drug}, {pct:g}% bound ({short_citation(row.source_id)})", fu))
    options.append(("fu 1.00: no binding correction (total concentration)", 1.0))
    return options


def engagement_by_value(total_ng_per_ml: float, fraction_unbound: float, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per reported affinity: the free concentration (µM) and the predicted fraction occupied."""
    total = check_range("total_ng_per_ml", total_ng_per_ml, 0, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    free_um = float(free_concentration(ng_per_ml_to_micromolar(total), fraction_unbound))
    frame = (parent_affinities() if table is None else table).copy()
    frame["free_um"] = free_um
    frame["fraction_occupied"] = fraction_occupied(free_um, frame["value_um"].to_numpy(float))
    return frame


@dataclass(frozen=True)
class Ladder:
    """Precomputed per-target arrays for fast repeated evaluation (explorers)."""

    targets: list[str]           # ordered by median reported value, most potent first
    contested: np.ndarray         # bool per target
    row_target_index: np.ndarray  # per reported value: index into targets
    row_value_um: np.ndarray      # per reported value: Ki / IC50 in µM
    rows: pd.DataFrame            # the reported values, in the same order

    def occupancy(self, free_um: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(per-value fraction, per-target median, per-target min, per-target max) at a free concentration in µM."""
        per_value = fraction_occupied(free_um, self.row_value_um)
        n = len(self.targets)
        median = np.empty(n)
        low = np.empty(n)
        high = np.empty(n)
        for i in range(n):
            values = per_value[self.row_target_index == i]
            median[i], low[i], high[i] = np.median(values), values.min(), values.max()
        return per_value, median, low, high


def build_ladder(table: pd.DataFrame | None = None) -> Ladder:
    """Group the reported values by target, ordered by their median value (µM)."""
    rows = parent_affinities() if table is None else table.reset_index(drop=True)
    order = rows.groupby("target")["value_um"].median().sort_values()
    targets = list(order.index)
    contested = np.array([bool(rows.loc[rows["target"] == t, "contested"].fillna(False).all()) for t in targets])
    index = np.array([targets.index(t) for t in rows["target"]])
    return Ladder(targets, contested, index, rows["value_um"].to_numpy(float), rows)


def context_band(context: str) -> tuple[float, float, list[str]]:
    """(lowest, highest total ng/mL, source ids) over the rows of ``clinical_concentrations`` for a context."""
    table = course_data.load("clinical_concentrations")
    rows = table[table["context"] == context]
    if rows.empty:
        raise CourseInputError(f"context must be one of {', '.join(sorted(table['context'].unique()))}; got {context!r}")
    return float(rows["low_ng_per_ml"].min()), float(rows["high_ng_per_ml"].max()), sorted(set(rows["source_id"]))


def targets_crossing(total_ng_per_ml: float, fraction_unbound: float, threshold: float) -> list[str]:
    """Targets whose median predicted occupancy is ≥ ``threshold`` (a fraction, 0–1)."""
    check_range("threshold", threshold, 0, 1, low_inclusive=False, high_inclusive=False)
    total = check_range("total_ng_per_ml", total_ng_per_ml, 0, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    ladder = build_ladder()
    free_um = float(free_concentration(ng_per_ml_to_micromolar(total), fraction_unbound))
    _, median, _, _ = ladder.occupancy(free_um)
    return [t for t, m in zip(ladder.targets, median) if m >= threshold]


def concentration_for_occupancy_ng_per_ml(ki_um: float, occupancy: float, fraction_unbound: float) -> float:
    """Total plasma ng/mL at which a site with this Ki is ``occupancy`` occupied: C_free = Ki·f/(1−f)."""
    from widgets.models.occupancy import micromolar_to_ng_per_ml

    f = check_range("occupancy", occupancy, 0, 1, low_inclusive=False, high_inclusive=False)
    ki = check_range("ki_um", ki_um, 0, None, "µM", low_inclusive=False)
    fu = check_range("fraction_unbound", fraction_unbound, 0, 1, low_inclusive=False)
    return float(micromolar_to_ng_per_ml(ki * f / (1 - f) / fu))


def affinity_rows(ligands: list[str] | None = None, target_names: list[str] | None = None) -> pd.DataFrame:
    """Reported affinities for display, filtered by ligand and/or target (value_um in µM)."""
    table = affinities()
    if ligands is not None:
        table = table[table["ligand"].isin(ligands)]
    if target_names is not None:
        table = table[table["target"].isin(target_names)]
    columns = ["target", "ligand", "measure", "value_um", "assay", "species", "contested", "source_id"]
    return table[columns].rename(columns={"value_um": "value (µM)"}).reset_index(drop=True)


def protein_binding() -> pd.DataFrame:
    """The ``plasma_protein_binding`` table with the unbound fraction each whole-plasma value implies."""
    table = course_data.load("plasma_protein_binding")
    table["fu_from_high_value"] = (1 - table["percent_bound_high"] / 100).round(2)
    return table[["drug", "percent_bound_low", "percent_bound_high", "matrix", "quality", "use_for_free_fraction",
                  "fu_from_high_value", "source_id"]]


def whole_plasma_free_fraction_band() -> tuple[float, float]:
    """(lowest, highest) unbound fraction from the whole-plasma binding rows marked usable (``ppb-fu-derived``).

    Dayton 1983 (47 % bound) and the esketamine label (43–45 %) give fu 0.53–0.57.
    """
    fus = [fu for _label, fu in free_fraction_options() if fu < 1.0]
    return min(fus), max(fus)


def engagement_band(low_ng_per_ml: float, high_ng_per_ml: float, fu_low: float, fu_high: float,
                    target_names: list[str] | None = None) -> pd.DataFrame:
    """Predicted occupancy (%) of each reported affinity at both ends of a concentration and free-fraction band.

    Columns: target, ligand, measure, value (µM), source (short citation), and the occupancy at
    the low end (low ng/mL × fu_low) and the high end (high ng/mL × fu_high), rounded to 0.1 %.
    """
    low = check_range("low_ng_per_ml", low_ng_per_ml, 0, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    high = check_range("high_ng_per_ml", high_ng_per_ml, low, MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
    table = parent_affinities()
    if target_names is not None:
        table = table[table["target"].isin(target_names)]
    occ_low, occ_high = occupancy_band(float(ng_per_ml_to_micromolar(low)), float(ng_per_ml_to_micromolar(high)),
                                       table["value_um"].to_numpy(float), fu_low, fu_high)
    return pd.DataFrame({
        "target": table["target"].to_numpy(), "ligand": table["ligand"].to_numpy(), "measure": table["measure"].to_numpy(),
        "value (µM)": table["value_um"].to_numpy(), "source": [short_citation(s) for s in table["source_id"]],
        f"occupancy at {low:g} ng/mL, fu {fu_low:.2f} (%)": np.round(100 * occ_low, 1),
        f"occupancy at {high:g} ng/mL, fu {fu_high:.2f} (%)": np.round(100 * occ_high, 1),
    })
