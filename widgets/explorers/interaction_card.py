"""Interaction summary card (notebooks 06 and 08): plain HTML, readable without a kernel.

``interaction_card("ketamine+SSRIs")`` returns an IPython HTML object: the published
labels side by side, then one row per endpoint with the direction of the findings,
the setting, what to monitor and the certainty of evidence. Provenance (how the
course checked each source) is shown beside each citation and labelled as such;
certainty (how strong the evidence is) has its own column and its rule is stated.
The data and the rule live in :mod:`widgets.models.interaction_card`.
"""

from __future__ import annotations

import html

from IPython.display import HTML

import course_data
from widgets.evidence import PROVENANCE, STATUS_MEANING, for_learners, provenance_tag_html, short_citation
from widgets.models import interaction_card as model

GRADE_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}
_CELL = "padding:5px 6px;vertical-align:top;border-top:1px solid #ccc;text-align:left;overflow-wrap:break-word"
_HEAD = "padding:5px 8px;vertical-align:bottom;text-align:left;background:#ececec"


def _e(text: str) -> str:
    return html.escape(for_learners(text))


def _cite(source_id: str) -> str:
    """'Green 2009' with its provenance beside it (press it for the meaning)."""
    return f"{html.escape(short_citation(source_id))} {provenance_tag_html(source_id)}"


def _labels_strip(card: model.Card) -> str:
    """The raters' labels side by side: one box each, wrapping onto a new line on narrow screens."""
    boxes = "".join(
        f"<div role='listitem' style='flex:1 1 9.5em;max-width:16em;border:1px solid #bbb;border-radius:6px;padding:5px 7px'>"
        f"<div style='font-size:0.85em'>{html.escape(label.rater)} <span style='color:#555'>({html.escape(label.kind)})</span></div>"
        f"<div style='font-weight:bold;margin:2px 0'>{_e(label.label)}</div>"
        f"<div style='font-size:0.8em;color:#555'>cites: {html.escape(label.cites)}</div></div>"
        for label in card.labels)
    citing = sum(label.cites == "primary studies" for label in card.labels)
    return (f"<div style='font-weight:bold;padding:4px 0'>Published labels, side by side ({citing} of {len(card.labels)} "
            f"cite a primary study)</div><div class='card-labels' role='list' style='display:flex;flex-wrap:wrap;gap:6px;"
            f"margin:2px 0 10px 0'>{boxes}</div>")


def _findings_cell(summary: model.EndpointSummary) -> str:
    by_direction: dict[str, list[model.Finding]] = {}
    for finding in summary.findings:
        by_direction.setdefault(finding.direction, []).append(finding)
    lines = []
    for direction, group in by_direction.items():
        cites = ", ".join(dict.fromkeys(
            _cite(f.source_id) + (" <i>(label or review)</i>" if f.design in model.NOT_RATED else "") for f in group))
        lines.append(f"<div><b>{html.escape(direction)}</b>: {cites}</div>")
    details = "".join(
        f"<li>{_e(f.finding)}{(' <i>' + _e(f.size_text) + '</i>') if f.size_text else ''} "
        f"<span style='color:#555'>({html.escape(f.design)}; {_e(f.population)}; {html.escape(short_citation(f.source_id))})</span></li>"
        for f in summary.findings)
    return (f"{''.join(lines)}<details style='margin-top:3px'><summary style='cursor:pointer'>What each study found</summary>"
            f"<ul style='margin:3px 0;padding-left:1.2em'>{details}</ul></details>")


def _setting_cell(summary: model.EndpointSummary) -> str:
    text = f"<b>{html.escape(summary.evidence_setting.capitalize())}</b>: {_e(summary.setting_detail)}"
    if summary.outside_clinic:
        text += (f"<div style='margin-top:4px'><i>Outside a clinic:</i> {_e(summary.outside_clinic)} "
                 f"({html.escape(short_citation(summary.outside_source_id))})</div>")
    return text


def _monitor_cell(summary: model.EndpointSummary) -> str:
    if not summary.monitor:
        return "<span style='color:#555'>No specific advice in the sources shown</span>"
    return f"{_e(summary.monitor)} ({html.escape(short_citation(summary.monitor_source_id))})"


def _certainty_cell(certainty: model.Certainty) -> str:
    steps = "".join(f"<li>{html.escape(step)}</li>" for step in certainty.steps)
    return (f"<span aria-hidden='true' style='letter-spacing:1px'>{GRADE_SYMBOLS[certainty.level]}</span> "
            f"<b>{html.escape(certainty.level.capitalize())}</b>"
            f"<ul style='margin:3px 0;padding-left:1.1em;font-size:0.85em'>{steps}</ul>")


def _rule_details() -> str:
    doc = [
        "Only studies set the rating. Labels and reviews are shown but are judgements, not measurements; an endpoint with no study is very low.",
        "Start from the strongest design: randomised trials high; other controlled studies in people (isobologram, volunteer, "
        "pharmacokinetic and PET studies) moderate; observational studies, registries, a meta-analysis of observational series "
        "and laboratory work low; uncontrolled series and single case reports very low.",
        f"Step down once for too few participants (fewer than {model.MIN_PARTICIPANTS} across the studies, or no size stated), "
        "once if the findings point different ways, and once if every study is in volunteers or animals or measures a mechanism "
        "instead of the outcome.",
        "Never below very low, and never up: the tables do not record what would justify rating up (a very large effect, a dose–response gradient).",
        "The rule cannot see risk of bias (for example blinding that side effects give away) or unpublished studies; both could "
        "only lower a rating, so read “high” as “no reason to step down found”.",
    ]
    items = "".join(f"<li>{html.escape(line)}</li>" for line in doc)
    return (f"<details class='card-rule'><summary style='cursor:pointer'>How certainty is rated (the full rule)</summary>"
            f"<ol style='margin:4px 0'>{items}</ol></details>")


def card_html(pair: str) -> str:
    """The card of ``pair`` as one HTML fragment (no scripts, no plotly)."""
    card = model.card(pair)
    columns = (("Endpoint", 16), (f"What the studies found (source, [{PROVENANCE.lower()}])", 27), ("Setting of the evidence", 19),
               ("What to monitor", 19), ("Certainty of evidence", 19))
    widths = "".join(f"<col style='width:{w}%'>" for _, w in columns)
    head = "".join(f"<th scope='col' style='{_HEAD}'>{h}</th>" for h, _ in columns)
    rows = "".join(
        f"<tr><th scope='row' style='{_CELL}'>{html.escape(e.endpoint.capitalize())}</th>"
        f"<td style='{_CELL}'>{_findings_cell(e)}</td><td style='{_CELL}'>{_setting_cell(e)}</td>"
        f"<td style='{_CELL}'>{_monitor_cell(e)}</td><td style='{_CELL}'>{_certainty_cell(e.certainty)}</td></tr>"
        for e in card.endpoints)
    provenance = (f"<b>{PROVENANCE}</b> (in brackets after each source: "
                  + ", ".join(html.escape(s) for s in STATUS_MEANING)
                  + ") says how the course checked that source. It is not the same as certainty: a VERIFIED number "
                  "can come from very-low-certainty evidence.")
    return (
        f"<div class='interaction-card' style='max-width:100%;overflow-x:auto;font-size:0.93em;line-height:1.35'>"
        f"<h3 style='margin:6px 0'>{html.escape(card.title)}: interaction summary</h3>"
        f"<p style='margin:2px 0 6px 0'>A teaching summary of what labels and studies say, not clinical advice. "
        f"The setting column says where the evidence comes from: most of it was gathered with monitoring.</p>"
        f"{_labels_strip(card)}"
        f"<table class='card-endpoints' style='border-collapse:collapse;width:100%;table-layout:fixed'>"
        f"<caption style='text-align:left;font-weight:bold;padding:4px 0'>Endpoint by endpoint</caption>"
        f"<colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"<p style='margin:8px 0 2px 0'><b>Certainty of evidence</b> ({' '.join(f'{s} {l}' for l, s in GRADE_SYMBOLS.items())}): "
        f"{html.escape(model.RULE_SUMMARY.split(': ', 1)[1])}</p>{_rule_details()}"
        f"<p style='margin:6px 0'>{provenance}</p></div>"
    )


def interaction_card(pair: str) -> HTML:
    """The interaction summary card of ``pair`` ('ketamine+benzodiazepines' or 'ketamine+SSRIs')."""
    return HTML(card_html(pair))
