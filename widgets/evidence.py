"""Evidence badges, key numbers, key terms and reference lists.

Everything here renders rows of the data package; nothing holds its own facts.
"""

from __future__ import annotations

import html
import re
from typing import Iterable

import ipywidgets as W

import course_data
from widgets.style import STATUS_COLOURS

STATUS_MEANING = {
    "VERIFIED": "read in a primary source (abstract, label or study page)",
    "VERIFIED-2°": "read only in a secondary source that cites the primary",
    "PARTIAL": "source found, but the number is unclear or only the qualitative claim was seen",
    "UNVERIFIED": "recalled, not checked: not taught as fact",
    "DERIVED": "computed from verified inputs (derivation shown)",
}


def short_citation(source_id: str) -> str:
    """'Ebert 1997'-style label for a source (journal or label name where authors are not shown)."""
    row = course_data.source(source_id)
    year = f" {row['year']}" if row.get("year") else ""
    authors = row["authors"] or ""
    if row["kind"] == "derived":
        inner = authors.split("(", 1)[-1].rstrip(")") if "(" in authors else authors
        return f"derived, {inner}"
    if row["kind"] == "label":  # label ids are named <product>-label[-…] (checked by the data tests)
        return f"{source_id.split('-label')[0].capitalize()} label{year}"
    if row["kind"] in ("regulatory", "website", "dataset") or "not shown" in authors.lower() and not authors[:1].isupper():
        fallback = row["topic"] if "not shown" in authors.lower() else authors
        name = (row.get("journal") or fallback or row["topic"]).split(":")[0]
        name = re.split(r"\s\d", name)[0].strip()
        return f"{name[:40]}{year}"
    first = authors.split(",")[0].split(" et al")[0].split(" (")[0].strip()
    if not first or first.lower().startswith(("authors", "unattributed")):
        name = re.split(r"\s\d", (row.get("journal") or row["topic"]).split(":")[0])[0].strip()
        return f"{name[:40]}{year}"
    return f"{first.split()[0]}{year}"


def full_citation(source_id: str) -> str:
    """Plain-text reference: authors, year, title/topic, journal, DOI/PMID."""
    row = course_data.source(source_id)
    parts = [row["authors"]]
    if row.get("year"):
        parts.append(f"({row['year']})")
    parts.append((row.get("title") or row["topic"]).rstrip(".") + ".")
    if row.get("journal"):
        parts.append(row["journal"] + ".")
    ids = []
    if row.get("doi"):
        ids.append(f"doi:{row['doi']}")
    if row.get("pmid"):
        ids.append(f"PMID {row['pmid']}")
    if row.get("other_id"):
        ids.append(row["other_id"])
    if ids:
        parts.append("; ".join(ids) + ".")
    return " ".join(p for p in parts if p)


def badge_html(source_id: str) -> str:
    """Inline HTML badge: status word + short citation, full reference on hover."""
    row = course_data.source(source_id)
    status = row["evidence_status"]
    colour = STATUS_COLOURS[status]
    tooltip = f"{full_citation(source_id)} Evidence status {status}: {STATUS_MEANING[status]}."
    if row.get("note"):
        tooltip += f" Note: {row['note']}"
    return (
        f"<span class='evidence-badge' title='{html.escape(tooltip, quote=True)}' "
        f"style='display:inline-block;border:2px solid {colour};border-radius:10px;padding:0 7px;"
        f"margin:0 2px;font-size:0.85em;white-space:nowrap;cursor:help'>"
        f"<b style='color:{colour}'>{html.escape(status)}</b> · {html.escape(short_citation(source_id))}</span>"
    )


def evidence_badge(source_id: str) -> W.HTML:
    """A widget showing a source's evidence status; hover for the full reference."""
    return W.HTML(badge_html(source_id)).add_class("evidence-badge-widget")


def format_value(value: float | None, low: float | None, high: float | None, unit: str) -> str:
    """'0.3 µM', '79 L/h (69–90)', '1200–2400 ng/mL' or '−3.2 points (−6.88 to 0.45)'.

    Negative numbers get a true minus sign, and a range with a negative end is written
    'a to b' (an en dash between two negatives would read as a double minus).
    """
    def number(x: float) -> str:
        return f"{x:g}".replace("-", "−")

    def span(a: float, b: float) -> str:
        return f"{number(a)} to {number(b)}" if min(a, b) < 0 else f"{number(a)}–{number(b)}"

    spacer = "" if unit in ("%",) else " "
    if value is not None:
        text = f"{number(value)}{spacer}{unit}"
        if low is not None and high is not None:
            text += f" ({span(low, high)})"
        return text
    return f"{span(low, high)}{spacer}{unit}"


def fact_html(fact_id: str) -> str:
    row = course_data.fact(fact_id)
    value = format_value(row["value"], row["value_low"], row["value_high"], row["unit"])
    return f"<b>{html.escape(value)}</b> — {html.escape(row['description'])} {badge_html(row['source_id'])}"


def show_facts(*fact_ids: str) -> W.HTML:
    """A list of key numbers, each with its unit and evidence badge."""
    items = "".join(f"<li style='margin:3px 0'>{fact_html(f)}</li>" for f in fact_ids)
    return W.HTML(f"<ul style='margin:4px 0'>{items}</ul>").add_class("course-facts")


def key_terms(*term_ids: str) -> W.HTML:
    """The notebook's key terms with their glossary definitions."""
    rows = []
    for term_id in term_ids:
        entry = course_data.glossary_entry(term_id)
        badge = f" {badge_html(entry['source_id'])}" if entry.get("source_id") else ""
        rows.append(
            f"<dt id='glossary-{html.escape(term_id)}' style='font-weight:bold;margin-top:6px'>{html.escape(entry['term'])}</dt>"
            f"<dd style='margin-left:1.5em'>{html.escape(entry['definition'])}{badge}</dd>"
        )
    return W.HTML(f"<dl class='course-glossary'>{''.join(rows)}</dl>").add_class("course-key-terms")


def references(*source_ids: str) -> W.HTML:
    """Numbered reference list with DOI/PMID links and evidence statuses."""
    items = []
    for source_id in source_ids:
        row = course_data.source(source_id)
        text = html.escape(full_citation(source_id))
        if row.get("doi"):
            doi = html.escape(row["doi"])
            text = text.replace(f"doi:{doi}", f"<a href='https://doi.org/{doi}' target='_blank' rel='noopener'>doi:{doi}</a>")
        if row.get("pmid"):
            pmid = html.escape(row["pmid"])
            text = text.replace(f"PMID {pmid}", f"<a href='https://pubmed.ncbi.nlm.nih.gov/{pmid}/' target='_blank' rel='noopener'>PMID {pmid}</a>")
        items.append(f"<li style='margin:3px 0'>{text} {badge_html(source_id)}</li>")
    return W.HTML(f"<ol class='course-references'>{''.join(items)}</ol>").add_class("course-references-widget")


def status_legend(statuses: Iterable[str] = tuple(STATUS_MEANING)) -> W.HTML:
    """The five evidence statuses with their meanings."""
    rows = "".join(
        f"<tr><td style='padding:3px 8px'><b style='color:{STATUS_COLOURS[s]}'>{html.escape(s)}</b></td>"
        f"<td style='padding:3px 8px'>{html.escape(STATUS_MEANING[s])}</td></tr>"
        for s in statuses
    )
    return W.HTML(f"<table class='course-status-legend'>{rows}</table>")
