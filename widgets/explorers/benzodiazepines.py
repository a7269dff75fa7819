"""Benzodiazepine comparison explorer (notebook 05): normalised time courses with half-life bands."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from widgets.explorer import Explorer, labelled_dropdown, labelled_slider
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models.benzodiazepines import DRUGS, drug_course


@lru_cache(maxsize=None)
def _course(drug: str):
    """Courses on the full 14-day grid, computed once per drug (updates only slice them)."""
    return drug_course(drug, _T_H)
from widgets.style import OKABE_ITO, base_layout

_COLOURS = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
_FILLS = ["rgba(0,114,178,0.18)", "rgba(213,94,0,0.18)"]
_DASHES = ["solid", "dash"]
_STEP_H = 0.1
_MAX_DAYS = 14
_T_H = np.arange(0.0, _MAX_DAYS * 24.0 + _STEP_H / 2, _STEP_H)


def _fmt_h(hours: float) -> str:
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


class BenzodiazepineComparisonExplorer(Explorer):
    title = "Benzodiazepine comparison: how long does it last, and does it build up?"
    figure_summary = (
        "Each drug's level over the days shown, as a multiple of its own single-dose peak, with a shaded band for its "
        "published half-life range and a line at half the single-dose peak. A half-life long against the dosing "
        "interval makes each dose add onto the last, so the curve climbs in steps towards a plateau; a short one "
        "falls back near zero between doses. Changing a drug, the dosing or the days shown redraws its curve and "
        "band."
    )
    prompt = (
        "Teaching model, not for clinical decisions: one-compartment curves, each scaled to its own single-dose peak, "
        "built from each drug's tabulated half-life and tmax (rate constants DERIVED). Shaded bands span the published "
        "half-life range. Predict first: with one dose a day, which drug builds up most over a week, and by how much?"
    )
    demo_changes = [("drug_b", "lorazepam"), ("regimen", "single dose"), ("days", 3.0), ("drug_a", "clonazepam")]
    invalid_change = ("drug_b", "oxazepam")
    prediction = PREDICTIONS["BenzodiazepineComparisonExplorer"]

    def build_controls(self):
        options = [(d.capitalize(), d) for d in DRUGS]
        return {
            "drug_a": labelled_dropdown("Drug A", options, "diazepam"),
            "drug_b": labelled_dropdown("Drug B", options, "midazolam"),
            "regimen": labelled_dropdown("Dosing", ["once daily (every 24 h)", "single dose"], "once daily (every 24 h)"),
            "days": labelled_slider("Time shown (days)", 7, 1, _MAX_DAYS, 1),
        }

    def build_figure(self):
        traces = []
        for i in range(2):
            # band: upper edge (long half-life), then lower edge filled to it
            traces.append(go.Scatter(x=[], y=[], mode="lines", line=dict(width=0, color=_COLOURS[i]), showlegend=False, hoverinfo="skip"))
            traces.append(go.Scatter(x=[], y=[], mode="lines", line=dict(width=0, color=_COLOURS[i]), fill="tonexty",
                                     fillcolor=_FILLS[i], name=f"Drug {'AB'[i]}: half-life range", hoverinfo="skip"))
            traces.append(go.Scatter(x=[], y=[], mode="lines", line=dict(color=_COLOURS[i], dash=_DASHES[i], width=3), name=f"Drug {'AB'[i]}"))
        traces.append(go.Scatter(x=[0, 14], y=[0.5, 0.5], mode="lines", line=dict(color="#555", dash="dot", width=1.5),
                                 name="half of single-dose peak", hoverinfo="skip"))
        layout = base_layout("Normalised concentration over time (teaching model)", "Time after first dose (days)",
                             "Level ÷ single-dose peak (ratio)",
                             legend=dict(orientation="h", y=-0.22, x=0), margin=dict(l=80, r=30, t=80, b=120), height=520)
        return FigureWidget(data=traces, layout=layout)

    def update(self, drug_a, drug_b, regimen, days):
        n = int(round(days * 24.0 / _STEP_H)) + 1
        repeated = regimen.startswith("once daily")
        courses = [_course(drug_a), _course(drug_b)]
        t_days = _T_H[:n] / 24.0
        ends = []
        with self.figure.batch_update():
            for i, course in enumerate(courses):
                curves = [c[:n] for c in (course.repeated if repeated else course.single)]
                label = f"{course.drug.capitalize()} (t½ {course.half_lives_h[0]:g}–{course.half_lives_h[2]:g} h, tmax {course.tmax_h:g} h)"
                upper, band, line = self.figure.data[3 * i: 3 * i + 3]
                upper.x, upper.y = t_days, np.maximum(curves[0], curves[2])
                band.x, band.y = t_days, np.minimum(curves[0], curves[2])
                band.name = f"{course.drug.capitalize()}: half-life range"
                line.x, line.y, line.name = t_days, curves[1], label
                ends.append(float(curves[1][-1]))
            self.figure.data[6].x = [0, days]
            self.figure.layout.xaxis.range = [0, days]
        parts = []
        for course, drawn in zip(courses, ends):
            name = course.drug.capitalize()
            text = (f"{name} falls below half its peak {_fmt_h(course.half_of_peak_h[1])} after a dose "
                    f"(range {_fmt_h(course.half_of_peak_h[0])}–{_fmt_h(course.half_of_peak_h[2])})")
            if repeated:
                text += (f", accumulation ratio ×{course.accumulation[1]:.2f} (×{course.accumulation[0]:.2f}–×{course.accumulation[2]:.2f}), "
                         f"90% of steady state after {_fmt_h(course.steady_state_90_h[1])}, "
                         f"level just before the dose at day {days:g} ×{drawn:.2f} of the single-dose peak")
            else:
                text += f", {drawn:.0%} of its peak left after {days:g} days"
            parts.append(text)
        return "; ".join(parts) + "."
