"""History as data (notebook 01): the ``timeline`` table, filtered, with date disagreements."""

from __future__ import annotations

import pandas as pd

import course_data
from widgets.validation import check_choice

ALL = "all"
STATUS_FILTERS = ("all", "VERIFIED only", "exclude PARTIAL")


def timeline() -> pd.DataFrame:
    """All events, sorted by year (sources: the ``source_id`` of each row)."""
    return course_data.load("timeline").sort_values(["year", "id"], kind="stable").reset_index(drop=True)


def categories() -> list[str]:
    return list(dict.fromkeys(timeline()["category"]))


def filter_events(events: pd.DataFrame, category: str = ALL, status_filter: str = "all") -> pd.DataFrame:
    """Events in ``category`` (or all) that pass ``status_filter`` ('all', 'VERIFIED only', 'exclude PARTIAL')."""
    check_choice("category", category, [ALL, *dict.fromkeys(events["category"])])
    check_choice("status_filter", status_filter, STATUS_FILTERS)
    mask = pd.Series(True, index=events.index)
    if category != ALL:
        mask &= events["category"] == category
    if status_filter == "VERIFIED only":
        mask &= events["status"] == "VERIFIED"
    elif status_filter == "exclude PARTIAL":
        mask &= events["status"] != "PARTIAL"
    return events[mask]


def disagreements(events: pd.DataFrame) -> dict[str, list[tuple[int, str]]]:
    """For each disagreement group present in ``events`` with ≥ 2 rows: [(year, status), …] sorted by year."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for row in events.dropna(subset=["disagreement_group"]).itertuples():
        groups.setdefault(str(row.disagreement_group), []).append((int(row.year), str(row.status)))
    return {g: sorted(v) for g, v in groups.items() if len(v) >= 2}
