"""Tables as a learner sees them.

Models return plain DataFrames (ids, NaN for missing values, snake_case columns): good
for code and tests, not for a learner who reads no code. Every DataFrame or Series a
notebook cell displays goes through :func:`learner_table_html` instead of pandas' own
HTML (the formatter is registered once per kernel by ``import widgets``):

* a ``source_id`` column (or ``…_source_id``, ``evidence_source_ids``) becomes a
  "Source" column of short citations ("Zarate 2006", "Spravato label");
* a missing value reads "—"; no NaN, None, <NA> or "dtype" line;
* no cell is cut short with "…" (pandas cuts text at 50 characters), and all text is
  HTML-escaped.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

MISSING = "—"

# Unit suffixes of snake_case column names, shown as "(unit)" in the header.
_UNIT_SUFFIXES = {
    "_mg_per_kg": "mg/kg", "_ng_per_ml": "ng/mL", "_l_per_h": "L/h", "_per_min": "per min", "_percent": "%",
    "_pct": "%", "_um": "µM", "_nm": "nM", "_min": "min", "_h": "h", "_d": "days", "_mg": "mg", "_l": "L", "_kg": "kg",
}


def _citations(cell: Any) -> str:
    from widgets.evidence import short_citation

    if _is_missing(cell):
        return MISSING
    ids = [part.strip() for part in str(cell).split(";") if part.strip()]
    return "; ".join(short_citation(i) for i in ids)


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def format_cell(value: Any) -> str:
    """One cell as text: '—' when missing, numbers without trailing zeros, yes/no for booleans."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        if not math.isfinite(value):
            return MISSING
        return f"{int(value)}" if float(value).is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def header(name: Any) -> str:
    """A column name as a header: 'source_id' → 'Source', 'ed50_mg_per_kg' → 'Ed50 (mg/kg)'."""
    text = str(name)
    if text == "source_id" or text.endswith("_source_id"):
        prefix = text[: -len("source_id")].rstrip("_").replace("_", " ")
        return f"Source ({prefix})" if prefix else "Source"
    if text in ("evidence_source_ids", "source_ids"):
        return "Evidence"
    unit = ""
    for suffix, shown in _UNIT_SUFFIXES.items():
        if text.endswith(suffix):
            text, unit = text[: -len(suffix)], f" ({shown})"
            break
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:] + unit


def learner_frame(table: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """A display copy of ``table``: citations for source ids, text cells, readable headers."""
    frame = table.to_frame() if isinstance(table, pd.Series) else table.copy()
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    shown = pd.DataFrame(index=range(len(frame)))
    for column in frame.columns:
        values = frame[column].tolist()
        name = str(column)
        if name == "source_id" or name.endswith("_source_id") or name in ("evidence_source_ids", "source_ids"):
            cells = [_citations(v) for v in values]
        else:
            cells = [format_cell(v) for v in values]
        shown[header(column)] = cells
    return shown


def learner_table_html(table: pd.DataFrame | pd.Series, caption: str = "") -> str:
    """A plain, escaped HTML table of ``table`` (see :func:`learner_frame`); no cell is cut short."""
    frame = learner_frame(table)
    head = "".join(f"<th scope='col' style='text-align:left;padding:4px 8px'>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td style='text-align:left;vertical-align:top;padding:4px 8px'>{html.escape(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    cap = f"<caption style='text-align:left;font-weight:bold'>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='course-table' style='border-collapse:collapse'>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def install_formatter() -> None:
    """Show every DataFrame and Series in this IPython kernel through :func:`learner_table_html`."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, learner_table_html)
    formatter.for_type(pd.Series, learner_table_html)
    # text/plain would still print "dtype: float64" for a Series where HTML is not shown
    shell.display_formatter.formatters["text/plain"].for_type(pd.Series, lambda s, p, cycle: p.text(learner_frame(s).to_string(index=False)))


