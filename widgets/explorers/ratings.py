"""Ratings explorer (notebooks 06 and 08): how sources label a ketamine combination, beside the evidence.

Reusable for both pairs: ``RatingsExplorer(pair="ketamine+SSRIs")``.
"""

from __future__ import annotations

from functools import lru_cache

import html

import ipywidgets as W
import pandas as pd

import course_data
from widgets.evidence import PROVENANCE, short_citation
from widgets.explorer import Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.style import scroll_panel

PAIRS = {"ketamine+benzodiazepines": "Ketamine + benzodiazepines", "ketamine+SSRIs": "Ketamine + SSRIs"}
FILTERS = ["all rows", "published ratings and labels only", "primary evidence only", "rows that cite evidence"]
_CITES_FILL = {"none": "#fde0c5", "labels only": "#fff3c4", "primary studies": "#d4efe3",
               "trials mentioned without references": "#fff3c4", "is primary evidence": "#cfe8f7"}
_HEADER = ["Source", "Kind", "Label or finding (short quote)", "What it mostly weighs", "Cites evidence?",
           f"{PROVENANCE} (how the course checked it)"]


@lru_cache(maxsize=1)
def ratings_table() -> pd.DataFrame:
    """The ``ratings`` table joined with each row's evidence status and short citation."""
    table = course_data.load("ratings")
    sources = course_data.load("sources").set_index("id")
    table["evidence_status"] = table["source_id"].map(sources["evidence_status"])
    table["citation"] = table["source_id"].map(short_citation)
    return table


def rows_for(pair: str, show: str = "all rows") -> pd.DataFrame:
    table = ratings_table()
    rows = table[table["pair"] == pair]
    if show == "published ratings and labels only":
        rows = rows[rows["rater_kind"] != "primary evidence"]
    elif show == "primary evidence only":
        rows = rows[rows["rater_kind"] == "primary evidence"]
    elif show == "rows that cite evidence":
        rows = rows[rows["cites"] != "none"]
    return rows


def summary_line(pair: str, rows: pd.DataFrame, show: str = "all rows") -> str:
    """One-sentence readout about the rows shown: how many, their labels, how many cite primary studies, the primary evidence."""
    ratings = rows[rows["rater_kind"] != "primary evidence"]
    primary = rows[rows["rater_kind"] == "primary evidence"]
    parts = [f"{PAIRS[pair]}: showing {len(rows)} of {len(rows_for(pair))} rows ({show})."]
    if not ratings.empty:
        citing = ratings[ratings["cites"] == "primary studies"]
        labels = "; ".join(f"'{r.label}' ({r.rater})" for r in ratings.itertuples())
        parts.append(f"Labels: {labels}. {len(citing)} of these {len(ratings)} ratings or labels cite primary studies.")
    else:
        parts.append("No published rating or label is shown under this filter.")
    if not primary.empty:
        parts.append("Primary evidence: " + "; ".join(f"{r.label} ({r.citation})" for r in primary.itertuples()) + ".")
    return " ".join(parts)


class RatingsExplorer(Explorer):
    title = "Ratings beside the evidence"
    prompt = (
        "Each row is one source's label for the pair (short quotes, attributed), what the label mostly weighs "
        "(likelihood, severity, setting, dose or efficacy: the course's reading) and whether it cites evidence. "
        "Predict first: how many of the published ratings cite a primary study?"
    )
    demo_changes = [("pair", "ketamine+SSRIs"), ("show", "primary evidence only"), ("show", "rows that cite evidence")]
    prediction = PREDICTIONS["RatingsExplorer"]

    def build_controls(self):
        # scrolls inside the explorer, so the controls and the readout stay on one screen with it
        self.table = W.HTML(layout=W.Layout(width="100%")).add_class("ratings-table")
        for pair in PAIRS:  # precompute every view once, so control changes only swap HTML
            for show in FILTERS:
                _view(pair, show)
        return {
            "pair": labelled_dropdown("Drug pair", [(v, k) for k, v in PAIRS.items()], "ketamine+benzodiazepines"),
            "show": labelled_dropdown("Show", FILTERS, "all rows"),
        }

    def build_figure(self):
        return None  # the comparison is a table: an accessible HTML table instead of a plot

    def extra_widgets_above(self):
        return [self.table]

    def update(self, pair, show):
        table_html, text = _view(pair, show)
        self.table.value = scroll_panel(table_html, "Ratings table")
        return text


@lru_cache(maxsize=None)
def _view(pair: str, show: str) -> tuple[str, str]:
    """HTML table and readout for one pair and filter (computed once)."""
    rows = rows_for(pair, show)
    head = "".join(f"<th scope='col' style='text-align:left;padding:4px 8px;background:#e8e8e8'>{h}</th>" for h in _HEADER)
    body = []
    for r in rows.itertuples():
        quote = f"<br><i>{html.escape(r.quote)}</i>" if isinstance(r.quote, str) else ""
        cells = [
            f"{html.escape(r.rater)} <span style='color:#555'>[{html.escape(r.citation)}]</span>",
            html.escape(r.rater_kind),
            f"<b>{html.escape(r.label)}</b>{quote}",
            html.escape(r.weighs),
            f"<span style='background:{_CITES_FILL.get(r.cites, 'white')};padding:1px 4px'>{html.escape(r.cites)}</span>",
            html.escape(str(r.evidence_status)),
        ]
        body.append("<tr>" + "".join(f"<td style='padding:4px 8px;vertical-align:top;border-top:1px solid #ddd'>{c}</td>" for c in cells) + "</tr>")
    caption = f"How sources rate {PAIRS[pair].lower()}, and what they rest on ({show})"
    table = (f"<table style='border-collapse:collapse;font-size:0.92em;max-width:100%'>"
             f"<caption style='text-align:left;font-weight:bold;padding:4px 0'>{html.escape(caption)}</caption>"
             f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return table, summary_line(pair, rows, show)
