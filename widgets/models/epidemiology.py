"""Epidemiology, chronic harms, deaths and abuse-liability evidence for notebook 09.

Pure data shaping on the course tables ``epidemiology`` (+ ``epidemiology_families``),
``chronic_harms``, ``deaths`` and ``abuse_liability``. Series are grouped in
*families* that share a measure and a denominator, so that only comparable
series are ever drawn on one axis. Figures flagged PARTIAL or conflicting
(``status_flag``) are returned separately so that explorers can show them
marked, never silently mixed in.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

import course_data
from widgets.validation import check_choice


@dataclass(frozen=True)
class Series:
    name: str
    years: tuple[float, ...]        # decimal year, middle of each survey period
    values: tuple[float, ...]       # in ``unit``
    periods: tuple[str, ...]
    flagged: tuple[bool, ...]
    flags: tuple[str, ...]
    population: str
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    y_title: str
    unit: str
    note: str
    series: tuple[Series, ...]


@functools.cache
def _epi() -> tuple[pd.DataFrame, pd.DataFrame]:
    return course_data.load("epidemiology"), course_data.load("epidemiology_families").set_index("id")


def family_ids() -> list[str]:
    """Ids of the series families, in table order."""
    return list(_epi()[1].index)


def family_options() -> list[tuple[str, str]]:
    """(title, id) pairs for a dropdown."""
    families = _epi()[1]
    return [(row.title, fid) for fid, row in families.iterrows()]


def series_family(family: str, include_flagged: bool = True) -> Family:
    """All series of one family (same measure and denominator), sorted by year.

    With ``include_flagged`` False, figures with a status flag (PARTIAL or
    conflicting) are dropped; series left empty are dropped too.
    """
    data, families = _epi()
    check_choice("family", family, list(families.index))
    rows = data[data["family"] == family].sort_values("year")
    if not include_flagged:
        rows = rows[rows["status_flag"].isna()]
    units = set(rows["unit"]) or set(data.loc[data["family"] == family, "unit"])
    assert len(units) == 1, f"family {family} mixes units {units}"  # guarded by the data tests too
    series = []
    for name, group in rows.groupby("series", sort=False):
        flags = tuple("" if pd.isna(f) else str(f) for f in group["status_flag"])
        series.append(Series(
            name=str(name), years=tuple(group["year"]), values=tuple(group["value"]), periods=tuple(group["period"]),
            flagged=tuple(bool(f) for f in flags), flags=flags, population=str(group["population"].iloc[0]),
            source_ids=tuple(dict.fromkeys(group["source_id"])),
        ))
    meta = families.loc[family]
    return Family(id=family, title=meta["title"], y_title=meta["y_title"], unit=units.pop(), note=meta["note"], series=tuple(series))


def flagged_figures() -> pd.DataFrame:
    """Every epidemiological figure with a PARTIAL or conflict flag."""
    data = _epi()[0]
    return data[data["status_flag"].notna() & data["status_flag"].str.contains("PARTIAL|CONFLICT", regex=True)][
        ["series", "period", "value", "unit", "status_flag", "source_id"]].reset_index(drop=True)


def fold_change(first: float, last: float) -> float:
    """last / first (e.g. 0.19 % → 0.34 % is 1.79-fold)."""
    return float(last) / float(first)


def _findings(table_name: str, column: str, choice: str | None, columns: list[str]) -> pd.DataFrame:
    """Rows of a findings table, optionally only those whose ``column`` equals ``choice``.

    Qualitative rows carry a placeholder unit in the data; it is blanked here so
    no unit is shown without a number."""
    table = course_data.load(table_name)
    if choice is not None:
        check_choice(column, choice, sorted(set(table[column])))
        table = table[table[column] == choice]
    table = table.copy()
    table.loc[table["value"].isna(), "unit"] = pd.NA
    return table[columns].reset_index(drop=True)


def chronic_harms(organ: str | None = None) -> pd.DataFrame:
    """Chronic-harm findings, optionally for one organ system."""
    return _findings("chronic_harms", "organ", organ,
                     ["organ", "finding", "population", "n", "value", "unit", "dose_or_frequency", "after_stopping", "source_id"])


def deaths() -> pd.DataFrame:
    """Death counts with place, period, whether official, and source."""
    return course_data.load("deaths")[["place", "period", "description", "qualifier", "value", "official", "source_id", "note"]]


def abuse_liability(kind: str | None = None) -> pd.DataFrame:
    """Abuse-liability evidence (self-administration, PET, drug liking, post-marketing), optionally one kind."""
    return _findings("abuse_liability", "kind", kind,
                     ["kind", "short_label", "subjects", "finding", "value", "spread", "unit", "comparison", "source_id"])


def dopamine_pet() -> pd.DataFrame:
    """Human PET studies: % change in striatal D2/3 radioligand binding with ketamine (negative = less binding)."""
    table = course_data.load("abuse_liability")
    return table[table["kind"] == "human dopamine PET"][["id", "short_label", "subjects", "finding", "value", "spread", "source_id"]].reset_index(drop=True)
