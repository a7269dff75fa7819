"""Evidence badges, key numbers, key terms and reference lists.

Everything here renders rows of the data package; nothing holds its own facts.

Two different things are said about evidence, and are labelled apart wherever a
learner sees them:

* **provenance** (VERIFIED, VERIFIED-2°, PARTIAL, UNVERIFIED, DERIVED): how the course
  checked a number against its source (:data:`STATUS_MEANING`, the badges here);
* **certainty** (high, moderate, low, very low): how strong the evidence behind a
  finding is, from study design, size and consistency
  (:func:`widgets.models.interaction_card.certainty_of_evidence`).

The shared tables are append-only, so some of their cells still speak of the course's
own bookkeeping ("not shown in the evidence base", "see mpk:M24"). :func:`for_learners`
turns such text into what a learner can use, in one place, before it is shown.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import secrets
from typing import Iterable

import ipywidgets as W

import course_data
from widgets.style import STATUS_COLOURS, VISUALLY_HIDDEN

#: The word every learner-facing place uses for an evidence status.
PROVENANCE = "Provenance"

STATUS_MEANING = {
    "VERIFIED": "read in a primary source (abstract, label or study page)",
    "VERIFIED-2°": "read only in a secondary source that cites the primary",
    "PARTIAL": "source found, but the number is unclear or only the qualitative claim was seen",
    "UNVERIFIED": "recalled, not checked: not taught as fact",
    "DERIVED": "computed from verified inputs (derivation shown)",
}


_ROW_REF = re.compile(r"\b(mpk|ca|hist|mod|rat):([A-Z]+)(\d+)([a-z]?)(?:\s*[–-]\s*(?:\1:)?([A-Z]*)(\d+))?")
_BOOKKEEPING = [  # (pattern, replacement): the course's bookkeeping → the learner's terms
    (re.compile(r"\s*\((?:not shown|not seen) in the evidence base\)"), ""),
    (re.compile(r"\b(not shown|not seen|not given)(?: on the page)? in the evidence base"), r"\1"),
    (re.compile(r"\(the evidence base attributes it to ([^,()]+), unchecked\)"), r"(attributed to \1, unchecked)"),
    (re.compile(r";?\s*attribution as given in the evidence base"), "; attribution not checked"),
    (re.compile(r"\bin the (?:course's )?evidence base\b"), "in the sources read"),
    (re.compile(r"\b(?:the|this|our|course's) evidence base\b"), "the sources read"),
    (re.compile(r"\bevidence base\b"), "sources read"),
    (re.compile(r"\b(?:the|a) stored cop(y|ies)\b"), r"the cop\1 read"),
    # a unit lost in a shared row: an energy of stabilisation is per mole
    (re.compile(r"(\d) kcal\b(?!/)"), r"\1 kcal/mol"),
]


@functools.cache
def _sources_by_row() -> dict[str, tuple[str, ...]]:
    """Evidence-row reference (e.g. 'mpk:M24') → ids of the sources that back it."""
    index: dict[str, list[str]] = {}
    sources = course_data.load("sources")
    for source_id, rows in sources[sources["kind"] != "derived"][["id", "evidence_rows"]].itertuples(index=False):
        for ref in str(rows).split(";"):
            index.setdefault(ref.strip(), []).append(source_id)
    return {ref: tuple(ids) for ref, ids in index.items()}


def _cite_rows(match: re.Match) -> str:
    file_key, letters, first, suffix, last_letters, last = match.groups()
    numbers = range(int(first), int(last) + 1) if last else [int(first)]
    refs = [f"{file_key}:{last_letters or letters if n == numbers[-1] and last_letters else letters}{n}{suffix if not last else ''}" for n in numbers]
    cited = dict.fromkeys(short_citation(s) for ref in refs for s in _sources_by_row().get(ref, ()))
    return ", ".join(cited) if cited else "another source"


def for_learners(text: str | None) -> str:
    """Data text as a learner should read it: evidence-row ids become short citations,
    source ids become short citations, and talk of the course's evidence base becomes plain words.

    >>> for_learners("Label holder (not shown in the evidence base)")
    'Label holder'
    """
    if not text:
        return ""
    def parenthetical(match: re.Match) -> str:
        cited = _ROW_REF.sub(_cite_rows, match.group(1))
        before = text[: match.start()]
        if all(name.strip() in before for name in cited.split(",")):
            return ""  # the sentence already names these sources
        return f" (see {cited})"

    text = re.sub(r"\s*\((?:see |evidence rows? )?(?=(?:mpk|ca|hist|mod|rat):)([^()]*)\)", parenthetical, text)
    text = re.sub(r";\s*evidence rows? (?=(?:mpk|ca|hist|mod|rat):)[^();]*", "", text)
    text = _ROW_REF.sub(_cite_rows, text)
    for pattern, replacement in _BOOKKEEPING:
        text = pattern.sub(replacement, text)
    return _source_ids().sub(lambda m: short_citation(m.group(0)), text)


@functools.cache
def _source_ids() -> re.Pattern:
    ids = sorted(course_data.load("sources")["id"], key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9_./-])(?:" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9_-])")


def short_citation(source_id: str) -> str:
    """'Ebert 1997'-style label for a source (journal or label name where authors are not shown)."""
    row = course_data.source(source_id)
    year = f" {row['year']}" if row.get("year") else ""
    authors = row["authors"] or ""
    if row["kind"] == "derived":
        # "Course authors (from Hong 1993)" → "derived from Hong 1993"; no named study → "course calculation"
        inner = authors.split("(", 1)[-1].rstrip(")") if "(" in authors else ""
        return f"derived {inner}" if inner.startswith("from ") else "course calculation"
    if row["kind"] == "label":  # label ids are named <product>-label[-…] (checked by the data tests)
        return f"{source_id.split('-label')[0].capitalize()} label{year}"
    if row["kind"] in ("regulatory", "website", "dataset") or "not shown" in authors.lower() and not authors[:1].isupper():
        fallback = row["topic"] if "not shown" in authors.lower() else authors
        return f"{_short_name(row.get('journal') or fallback or row['topic'])}{year}"
    first = authors.split(",")[0].split(" et al")[0].split(" (")[0].strip()
    if not first or first.lower().startswith(("authors", "unattributed")):
        return f"{_short_name(row.get('journal') or row['topic'])}{year}"
    return f"{first.split()[0]}{year}"


_TRAILING_SMALL_WORDS = re.compile(r"(?:\s+(?:in|of|and|the|for|at|on|to|with|by|a|an|from))+$", re.I)


def _short_name(text: str, limit: int = 40) -> str:
    """A journal, site or topic name cut to a readable label: no parenthetical, no half words."""
    name = re.split(r"\s\(|;|:", text)[0]
    name = re.split(r"\s\d", name)[0].strip()
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0]
    return _TRAILING_SMALL_WORDS.sub("", name).rstrip(" ,.-")


def full_citation(source_id: str) -> str:
    """Plain-text reference: authors, year, title/topic, journal, DOI/PMID."""
    row = course_data.source(source_id)
    parts = [for_learners(row["authors"])]
    if row.get("year"):
        parts.append(f"({row['year']})")
    parts.append(for_learners(row.get("title") or row["topic"]).rstrip(".") + ".")
    if row.get("journal"):
        parts.append(for_learners(row["journal"]) + ".")
    ids = []
    if row.get("doi"):
        ids.append(f"doi:{row['doi']}")
    if row.get("pmid"):
        ids.append(f"PMID {row['pmid']}")
    if row.get("other_id"):
        ids.append(for_learners(row["other_id"]))
    if ids:
        parts.append("; ".join(ids) + ".")
    return " ".join(p for p in parts if p)


#: The panel a badge or provenance tag opens: the page's top layer (never clipped by a scrolling
#: table or output area), readable on any background.
POPOVER_PANEL_STYLE = (
    "max-width:min(38em,92vw);padding:12px 16px;border:2px solid #444;border-radius:6px;background:#fff;"
    "color:#222;font-size:0.95rem;font-weight:normal;line-height:1.45;text-align:left;white-space:normal;"
    "box-shadow:0 4px 18px rgba(0,0,0,0.3)"
)
#: Popover ids are unique on a page: a token per kernel (several notebooks' outputs can share
#: one JupyterLab page) and a counter.
_POPOVER_TOKEN = secrets.token_hex(3)
_popover_ids = itertools.count(1)


def disclosure_html(label_html: str, panel_html: str, *, css_class: str, button_style: str = "") -> str:
    """A button that opens a panel with the details (keyboard: Tab, then Enter or Space; touch: a tap).

    Built on the HTML ``popover`` attribute, so it needs no script: it works in JupyterLab's HTML
    widgets, in Voilà and on the static book pages alike. The browser exposes the button as
    expanded or collapsed, Escape or a click elsewhere closes the panel, and so does its Close
    button. A browser without popover support shows the panel's text inline instead.
    """
    panel_id = f"course-popover-{_POPOVER_TOKEN}-{next(_popover_ids)}"
    return (
        f"<span class='{css_class}'>"
        f"<button type='button' class='course-disclosure' popovertarget='{panel_id}' "
        f"style='font:inherit;color:inherit;background:transparent;cursor:pointer;{button_style}'>{label_html}</button>"
        f"<span id='{panel_id}' popover class='course-popover' style='{POPOVER_PANEL_STYLE}'>{panel_html} "
        f"<button type='button' popovertarget='{panel_id}' popovertargetaction='hide' "
        f"style='font:inherit;margin-left:6px;padding:1px 10px;cursor:pointer'>Close</button></span></span>"
    )


def badge_html(source_id: str) -> str:
    """Inline badge: status word + short citation; a press (or tap) opens the full reference and the
    status's meaning."""
    row = course_data.source(source_id)
    status = row["evidence_status"]
    colour = STATUS_COLOURS[status]
    panel = (f"<span style='display:block;margin-bottom:6px'><b>Reference:</b> {linked_citation(source_id)}</span>"
             f"<span style='display:block'><b>{PROVENANCE}: <span style='color:{colour}'>{html.escape(status)}</span></b>"
             f" — {html.escape(STATUS_MEANING[status])}.</span>")
    if row.get("note"):
        panel += f"<span style='display:block;margin-top:6px'><b>Note:</b> {html.escape(for_learners(row['note']))}</span>"
    label = (f"<span style='{VISUALLY_HIDDEN}'>{PROVENANCE}: </span>"
             f"<b style='color:{colour}'>{html.escape(status)}</b> · {html.escape(short_citation(source_id))}")
    return disclosure_html(
        label, panel, css_class="evidence-badge",
        button_style=(f"display:inline-block;border:2px solid {colour};border-radius:10px;padding:0 7px;"
                      f"margin:0 2px;font-size:0.85em;line-height:1.35;text-align:left;"
                      # a long citation wraps inside its badge rather than widen a phone's page
                      f"max-width:100%;box-sizing:border-box;white-space:normal"),
    )


def provenance_tag_html(source_id: str) -> str:
    """A compact '[VERIFIED]' tag after a citation; a press opens what that provenance means."""
    status = course_data.source(source_id)["evidence_status"]
    panel = (f"<b>{PROVENANCE}: <span style='color:{STATUS_COLOURS[status]}'>{html.escape(status)}</span></b>"
             f" — {html.escape(STATUS_MEANING[status])}.")
    label = f"<span style='{VISUALLY_HIDDEN}'>{PROVENANCE}: </span>[{html.escape(status)}]"
    return disclosure_html(label, panel, css_class="card-provenance",
                           button_style=f"font-size:0.8em;color:{STATUS_COLOURS[status]};white-space:nowrap;"
                                        f"border:0;padding:0 2px")


def evidence_badge(source_id: str) -> W.HTML:
    """A widget showing a source's evidence status; press it for the full reference."""
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
    return f"<b>{html.escape(value)}</b> — {html.escape(for_learners(row['description']))} {badge_html(row['source_id'])}"


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
            f"<dd style='margin-left:1.5em'>{html.escape(for_learners(entry['definition']))}{badge}</dd>"
        )
    return W.HTML(f"<dl class='course-glossary'>{''.join(rows)}</dl>").add_class("course-key-terms")


def linked_citation(source_id: str) -> str:
    """:func:`full_citation` as HTML, its DOI and PMID linked."""
    row = course_data.source(source_id)
    text = html.escape(full_citation(source_id))
    if row.get("doi"):
        doi = html.escape(row["doi"])
        text = text.replace(f"doi:{doi}", f"<a href='https://doi.org/{doi}' target='_blank' rel='noopener'>doi:{doi}</a>")
    if row.get("pmid"):
        pmid = html.escape(row["pmid"])
        text = text.replace(f"PMID {pmid}", f"<a href='https://pubmed.ncbi.nlm.nih.gov/{pmid}/' target='_blank' rel='noopener'>PMID {pmid}</a>")
    return text


def references(*source_ids: str) -> W.HTML:
    """Numbered reference list with DOI/PMID links and evidence statuses."""
    items = [f"<li style='margin:3px 0'>{linked_citation(s)} {badge_html(s)}</li>" for s in source_ids]
    return W.HTML(f"<ol class='course-references' style='overflow-wrap:anywhere'>{''.join(items)}</ol>").add_class("course-references-widget")


def status_legend(statuses: Iterable[str] = tuple(STATUS_MEANING)) -> W.HTML:
    """The five provenance statuses with their meanings (how each number was checked, not how strong the evidence is)."""
    rows = "".join(
        f"<tr><td style='padding:3px 8px'><b style='color:{STATUS_COLOURS[s]}'>{html.escape(s)}</b></td>"
        f"<td style='padding:3px 8px'>{html.escape(STATUS_MEANING[s])}</td></tr>"
        for s in statuses
    )
    caption = (f"<caption style='text-align:left;font-weight:bold;padding:3px 8px'>{PROVENANCE}: how the course checked "
               f"each number against its source (not how strong the evidence is)</caption>")
    return W.HTML(f"<table class='course-status-legend'>{caption}{rows}</table>")
