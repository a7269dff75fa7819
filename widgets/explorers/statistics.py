"""Figures for the statistics primer (notebook 05a): thin drawings of :mod:`widgets.models.statistics`."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from widgets.models import effect_measures as em
from widgets.models import statistics as st
from widgets.figure_text import DescribedFigure, described
from widgets.style import OKABE_ITO, base_layout

BASELINE_RISKS_PERCENT = np.linspace(1.0, 70.0, 70)


def odds_ratio_figure() -> DescribedFigure:
    """The risk ratio that a fixed odds ratio implies, as the baseline risk rises (two published odds ratios)."""
    airway = em.odds_ratio_in_people()
    arms = em.arm_counts("pooled-response-day2")
    pooled_or = st.odds_ratio(arms.events_1, arms.n_1, arms.events_2, arms.n_2).value
    fig = go.Figure()
    said = []
    for odds, name, colour, marker_at, label in (
        (airway.odds_ratio.value, f"odds ratio {airway.odds_ratio.value:g} (airway events in children)", OKABE_ITO["vermillion"],
         airway.baseline_percent, "3.9 % of sedations had an airway event"),
        (pooled_or, f"odds ratio {pooled_or:.2f} (day-2 response, TRANSFORM-1+2)", OKABE_ITO["blue"],
         arms.percent_2, f"{arms.percent_2:.1f} % responded by day 2 without esketamine"),
    ):
        ratios = [st.risk_with_odds_ratio(p, odds) / p for p in BASELINE_RISKS_PERCENT]
        fig.add_trace(go.Scatter(x=BASELINE_RISKS_PERCENT, y=ratios, name=name, line=dict(color=colour, width=3)))
        at = st.risk_with_odds_ratio(marker_at, odds) / marker_at
        fig.add_trace(go.Scatter(x=[marker_at], y=[at], mode="markers", marker=dict(size=12, color=colour, symbol="diamond"),
                                 name=f"{label}: risk ratio {at:.2f}", hoverinfo="name"))
        said.append(f"an odds ratio of {odds:.2f} is a risk ratio of {at:.2f} at a baseline risk of {marker_at:.1f} % "
                    f"and of {ratios[-1]:.2f} at {BASELINE_RISKS_PERCENT[-1]:.0f} %")
    fig.add_hline(y=1, line=dict(color=OKABE_ITO["black"], dash="dot", width=1))
    fig.update_layout(**base_layout(
        "The same odds ratio means a smaller risk ratio when the outcome is common",
        "Risk without the exposure or treatment (%)", "Implied risk ratio (no unit)",
        # a plain figure (not a widget) can fit its cell: no fixed width, so nothing is cut at 1280 px
        height=480, width=None, autosize=True, legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
        margin=dict(l=80, r=30, t=60, b=150)))
    fig.update_yaxes(rangemode="tozero")
    return described(fig, "For two published odds ratios, the risk ratio each one implies, drawn against the risk without "
                          f"the exposure or treatment from {BASELINE_RISKS_PERCENT[0]:.0f} to {BASELINE_RISKS_PERCENT[-1]:.0f} %; "
                          "a diamond marks each study's own baseline and a dotted line marks a ratio of 1. Both curves fall "
                          "towards 1 as the outcome becomes common: " + "; ".join(said) + ".")
