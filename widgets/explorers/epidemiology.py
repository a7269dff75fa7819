"""Epidemiology explorer (notebook 09): one family of comparable series at a time.

Also a static figure of the human dopamine PET studies, which disagree.
"""

from __future__ import annotations

import functools
import html

import ipywidgets as W
import plotly.graph_objects as go

from widgets.evidence import short_citation as _short_citation
from widgets.explorer import CONTROL_STYLE, Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.figure_text import DescribedFigure, described
from widgets.models.epidemiology import dopamine_pet, family_options, series_family
from widgets.style import DASHES, PALETTE, SYMBOLS, base_layout

MAX_SERIES = 4
short_citation = functools.cache(_short_citation)


def _fmt(value: float, unit: str) -> str:
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "%":
        return f"{value:g}%"
    return f"{value:g} {unit}"


class EpidemiologyExplorer(Explorer):
    title = "Ketamine use, dependence and poisonings over time"
    figure_summary = (
        "Lines with points over the survey years, one per series of the chosen family of figures; a cross marks a "
        "flagged figure (provenance PARTIAL, or conflicting). Choosing another family changes the measure on the "
        "vertical axis; unticking the box hides the flagged figures."
    )
    prompt = ("Pick one family of figures: series in a family share a measure and a denominator (named in the y-axis title), "
              "so only they share an axis. Predict first: has past-year use among 16–24-year-olds in England & Wales gone "
              "up or down since 2018/19? Then untick the box to hide figures whose provenance is PARTIAL or that conflict (drawn as ✕).")
    demo_changes = [("family", "nsduh"), ("show_flagged", False), ("family", "dependence")]
    prediction = PREDICTIONS["EpidemiologyExplorer"]

    def build_controls(self):
        return {
            "family": labelled_dropdown("Figures to show", family_options(), "csew-prevalence"),
            "show_flagged": W.Checkbox(value=True, description="Show flagged figures (provenance PARTIAL, or conflicting; drawn as ✕)",
                                       indent=False, style=CONTROL_STYLE),
        }

    def build_figure(self):
        traces = [go.Scatter(x=[], y=[], mode="lines+markers+text", name="", visible=False, textposition="top center",
                             line=dict(color=PALETTE[i], dash=DASHES[i], width=3), marker=dict(size=11, symbol=SYMBOLS[i]),
                             hovertemplate="%{customdata}<extra></extra>")
                  for i in range(MAX_SERIES)]
        traces.append(go.Scatter(x=[], y=[], mode="markers+text", name="flagged (provenance PARTIAL, or conflicting)", textposition="middle right",
                                 marker=dict(size=16, symbol="x-thin-open", color="#000", line=dict(width=3)),
                                 hovertemplate="%{customdata}<extra></extra>"))
        layout = base_layout("", "Year (middle of the survey period)", "", height=500,
                             legend=dict(orientation="h", yanchor="top", y=-0.18, x=0), margin=dict(l=100, r=30, t=80, b=130))
        layout["yaxis"]["rangemode"] = "tozero"
        return FigureWidget(data=traces, layout=layout)

    def update(self, family, show_flagged):
        fam = series_family(family, include_flagged=show_flagged)
        flagged_x, flagged_y, flagged_text, flagged_labels = [], [], [], []
        parts = []
        with self.figure.batch_update():
            for i in range(MAX_SERIES):
                trace = self.figure.data[i]
                if i < len(fam.series):
                    s = fam.series[i]
                    keep = [j for j, f in enumerate(s.flagged) if not f]
                    trace.x = [s.years[j] for j in keep]
                    trace.y = [s.values[j] for j in keep]
                    trace.text = [_fmt(s.values[j], fam.unit) for j in keep]
                    cites = ", ".join(short_citation(x) for x in s.source_ids)
                    trace.customdata = [html.escape(f"{s.name}, {s.periods[j]}: {_fmt(s.values[j], fam.unit)} ({s.population}; {cites})") for j in keep]
                    trace.name = s.name
                    trace.visible = True
                    for j, f in enumerate(s.flagged):
                        if f:
                            flagged_x.append(s.years[j])
                            flagged_y.append(s.values[j])
                            flagged_text.append(html.escape(f"{s.name} {s.periods[j]}: {_fmt(s.values[j], fam.unit)} — {s.flags[j]}"))
                            flagged_labels.append(f"{_fmt(s.values[j], fam.unit)} {s.name} (flagged)")
                    if keep:
                        first, last = keep[0], keep[-1]
                        if first == last:
                            parts.append(f"{s.name}: {_fmt(s.values[first], fam.unit)} ({s.periods[first]})")
                        else:
                            peak = max(keep, key=lambda j: s.values[j])
                            peak_text = (f", peak {_fmt(s.values[peak], fam.unit)} ({s.periods[peak]})"
                                         if peak not in (first, last) else "")
                            parts.append(f"{s.name}: {_fmt(s.values[first], fam.unit)} ({s.periods[first]}) → "
                                         f"{_fmt(s.values[last], fam.unit)} ({s.periods[last]}){peak_text}")
                else:
                    trace.visible = False
                    trace.x, trace.y = [], []
            flag_trace = self.figure.data[MAX_SERIES]
            flag_trace.x, flag_trace.y = flagged_x, flagged_y
            flag_trace.customdata = flagged_text
            flag_trace.text = flagged_labels
            flag_trace.visible = bool(flagged_x)
            self.figure.layout.title.text = fam.title
            self.figure.layout.yaxis.title.text = fam.y_title.replace(" (", "<br>(", 1)
            top = max([v for ser in fam.series for v in ser.values] or [1.0])
            self.figure.layout.yaxis.range = [0, top * 1.25]
        flag_note = (f" Flagged: {len(flagged_x)} figure(s), e.g. {flagged_text[0]}." if flagged_x
                     else (" Flagged figures hidden." if not show_flagged else " No flagged figures."))
        return f"{fam.title}. " + "; ".join(parts) + "." + flag_note


def dopamine_pet_figure() -> DescribedFigure:
    """Static figure: % change in striatal D2/3 binding with ketamine in four human PET studies."""
    pet = dopamine_pet()
    labels = list(pet["short_label"])
    errors = list(pet["spread"].fillna(0))
    fig = go.Figure(go.Scatter(
        x=pet["value"], y=labels, mode="markers", marker=dict(size=13, symbol="diamond", color=PALETTE[0]),
        error_x=dict(type="data", array=errors, visible=True), hovertext=pet["finding"], hoverinfo="text+x",
    ))
    fig.add_vline(x=0, line=dict(color="#444", dash="dash"))
    fig.update_layout(**base_layout("Human PET: change in striatal D2/3 binding with ketamine (± SD where reported)",
                                    "Change in D2/3 binding (%; negative = read as more dopamine)", "",
                                    height=380, showlegend=False, margin=dict(l=230, r=30, t=60, b=70)))
    fig.update_yaxes(autorange="reversed")
    values = list(pet["value"])
    below = [v for v in values if v < 0]
    pattern = (f"{len(below)} of {len(values)} measurements are below zero (from {max(below):g} to {min(below):g} %)".replace("-", "−")
               if below else f"none of the {len(values)} measurements is below zero")
    unchanged = sum(v == 0 for v in values)
    if unchanged:
        pattern += f"; {unchanged} show no change"
    return described(fig, "Change in striatal D2/3 receptor binding with ketamine in human PET studies, one row per study "
                          "and region, with ± SD where reported, beside a dashed line at zero; a fall in binding is read "
                          f"as more dopamine released. {pattern[0].upper()}{pattern[1:]}.")
