"""The book's generated pages: glossary, abbreviations, references and handouts.

Each page is MyST Markdown whose lists are HTML blocks built from the data
package, so every entry has a stable anchor (``glossary.html#term-<id>``,
``abbreviations.html#abbr-<abbreviation>``) and Sphinx's search indexes the text.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

import course_data
from book.notebook_info import NotebookInfo
from widgets.evidence import badge_html, full_citation, references, status_legend

GLOSSARY_INTRO = """\
# Glossary

Every key term of the course, defined in the course's words. Each notebook ends with
its key terms, which link here; each entry here links back to the notebooks that use it.
Abbreviations have [their own list](abbreviations.md). A badge gives the source of a
definition that needs one (hover over it for the full reference).
"""

ABBREVIATIONS_INTRO = """\
# Abbreviations

The abbreviations used in the course's text and figures. Where the glossary defines the
idea, the abbreviation links to it.
"""

REFERENCES_INTRO = """\
# References

Every source the course's numbers and claims rest on, in alphabetical order, with its DOI or
PubMed link where it has one and its **evidence status**: how well the course checked it.
One paper used at two statuses appears once for each. Unverified claims are shown as such
and never taught as fact.
"""

HANDOUTS_INTRO = """\
# Handouts

One printable page (A4, at most two sides) per notebook: its objectives, the key points of
its summary, its key numbers with their sources, and its key terms. They are made from the
same notebooks and data as this book.
"""


def anchor(text: str) -> str:
    """A fragment id from free text: 'Mg2+' → 'mg2plus', 'GABA-A' → 'gaba-a'."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower().replace("+", "plus")).strip("-")


def _notebook_link(info: NotebookInfo, fragment: str = "") -> str:
    return f"<a href='{info.stem}.html{fragment}'>{html.escape(info.label)}</a>"


def glossary_page(notebooks: list[NotebookInfo]) -> str:
    glossary = course_data.load("glossary")
    by_stem = {info.stem: info for info in notebooks}
    used_in: dict[str, list[NotebookInfo]] = defaultdict(list)
    for info in notebooks:
        for term_id in info.term_ids:
            used_in[term_id].append(info)
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in glossary.to_dict("records"):
        initial = next((ch for ch in row["term"].upper() if ch.isalnum()), "#")
        groups["0–9" if initial.isdigit() else initial].append(row)
    parts = [GLOSSARY_INTRO]
    for letter in sorted(groups, key=lambda k: (k[0].isalpha(), k)):
        entries = []
        for row in sorted(groups[letter], key=lambda r: r["term"].lower()):
            notes = []
            if row["notebook"] in by_stem:
                notes.append(f"Introduced in {_notebook_link(by_stem[row['notebook']])}.")
            others = [i for i in used_in[row["id"]] if i.stem != row["notebook"]]
            if others:
                notes.append("Also a key term in " + ", ".join(_notebook_link(i, f"#glossary-{row['id']}") for i in others) + ".")
            badge = f" {badge_html(row['source_id'])}" if row.get("source_id") else ""
            entries.append(
                f"<dt id='term-{html.escape(row['id'])}'>{html.escape(row['term'])}</dt>"
                f"<dd>{html.escape(row['definition'])}{badge}"
                f"<br><span class='book-term-where'>{' '.join(notes)}</span></dd>"
            )
        parts.append(f"## {letter}\n\n<dl class='book-glossary'>\n" + "\n".join(entries) + "\n</dl>\n")
    return "\n".join(parts)


def abbreviations_page() -> str:
    rows = []
    for row in sorted(course_data.load("abbreviations").to_dict("records"), key=lambda r: r["abbreviation"].lower()):
        expansion = html.escape(row["expansion"])
        if row.get("source_id"):
            expansion += f" {badge_html(row['source_id'])}"
        term = row.get("glossary_id")
        see = f"<a href='glossary.html#term-{html.escape(term)}'>{html.escape(course_data.glossary_entry(term)['term'])}</a>" if term else ""
        rows.append(
            f"<tr id='abbr-{anchor(row['abbreviation'])}'><th scope='row'>{html.escape(row['abbreviation'])}</th>"
            f"<td>{expansion}</td><td>{see}</td></tr>"
        )
    table = (
        "<table class='book-abbreviations'>\n<thead><tr><th scope='col'>Abbreviation</th><th scope='col'>Stands for</th>"
        "<th scope='col'>Glossary</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
    )
    return ABBREVIATIONS_INTRO + "\n" + table


def references_page() -> str:
    ids = sorted(course_data.load("sources")["id"], key=lambda s: full_citation(s).lower())
    legend = status_legend().value
    listing = references(*ids).value
    return (
        REFERENCES_INTRO
        + "\n## Evidence statuses\n\n<div class='book-status-legend'>" + legend + "</div>\n"
        + f"\n## Sources ({len(ids)})\n\n<div class='book-references'>" + listing + "</div>\n"
    )


def handouts_page(notebooks: list[NotebookInfo], built: set[str]) -> str:
    if not built:
        return HANDOUTS_INTRO + (
            "\nThe handouts were not built with this copy of the book. They are printed with "
            "Debian's headless Chromium: build them with `./course book` or `./course handouts`.\n"
        )
    items = "\n".join(
        f"<li><a href='handouts/{info.stem}.pdf'>{html.escape(info.label)} (PDF)</a></li>"
        for info in notebooks if info.stem in built
    )
    return HANDOUTS_INTRO + f"\n<ul class='book-handouts'>\n{items}\n</ul>\n"


def notebook_table(notebooks: list[NotebookInfo]) -> str:
    """The course's notebooks, for the book's front page."""
    rows = "\n".join(
        f"<tr><td>{info.number}</td><td>{_notebook_link(info)}</td>"
        f"<td>{html.escape(info.heading.split(':', 1)[-1].strip())}</td><td>{info.minutes or ''} min</td></tr>"
        for info in notebooks
    )
    return (
        "<table class='book-notebooks'>\n<thead><tr><th scope='col'>#</th><th scope='col'>Notebook</th>"
        "<th scope='col'>What it covers</th><th scope='col'>Time</th></tr></thead>\n<tbody>\n" + rows + "\n</tbody>\n</table>\n"
    )
