"""Antidepressant-mechanism evidence map (notebook 02): the ``mechanism_evidence`` table, filtered and tallied.

Strength grades are the course's (see the table's description): no row is graded
strong, and no hypothesis is treated as settled.
"""

from __future__ import annotations

import pandas as pd

import course_data
from widgets.validation import check_choice

ALL = "all"
DIRECTIONS = ("supports", "against", "mixed")


def evidence() -> pd.DataFrame:
    return course_data.load("mechanism_evidence")


def options(column: str) -> list[str]:
    """Filter choices for a column: 'all' followed by the values in table order."""
    return [ALL, *dict.fromkeys(evidence()[column])]


def filter_evidence(table: pd.DataFrame, **filters: str) -> pd.Series:
    """Boolean mask of rows matching every filter (column=value; 'all' matches everything)."""
    mask = pd.Series(True, index=table.index)
    for column, value in filters.items():
        if column not in table.columns:
            raise KeyError(column)
        check_choice(column, value, [ALL, *dict.fromkeys(table[column])])
        if value != ALL:
            mask &= table[column] == value
    return mask


def tally(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings per hypothesis and direction (rows: hypotheses, columns: supports/against/mixed)."""
    counts = pd.crosstab(table["hypothesis"], table["direction"])
    return counts.reindex(columns=list(DIRECTIONS), fill_value=0)


def balance(table: pd.DataFrame, hypothesis: str) -> str:
    """One-phrase summary: 'contested' if there is evidence both ways, otherwise what there is, and whether any finding is graded strong."""
    rows = table[table["hypothesis"] == hypothesis]
    has_for, has_against = (rows["direction"] == "supports").any(), (rows["direction"] == "against").any()
    has_mixed = (rows["direction"] == "mixed").any()
    strong = int((rows["strength"] == "strong").sum())
    strength = f"{strong} graded strong" if strong else "none graded strong"
    if has_for and has_against:
        return f"contested (evidence both for and against; {strength})"
    if has_for:
        kinds = "supporting and mixed findings" if has_mixed else "only supporting findings"
        return f"{kinds}, none against, in the studies shown ({strength}); not settled"
    if has_against:
        return f"mostly evidence against ({strength})"
    return "mixed evidence only"
