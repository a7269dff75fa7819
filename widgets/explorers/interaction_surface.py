"""Interaction-surface explorer (notebook 06): ketamine × midazolam, Hong 1993 on an isobologram."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from widgets.explorer import Explorer, labelled_slider
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models.interaction import (
    ALPHA_MAX, ALPHA_MIN, SLOPE_MAX, SLOPE_MIN, drive_for_probability, hong1993, hong_alpha,
    hong_interaction_index, hypnotic_drive, isobole_u_ketamine, probability_from_drive,
)
from widgets.style import OKABE_ITO, base_layout

_N = 81
_LEVELS = (0.1, 0.5, 0.9)
_ISOBOLE_STYLE = {0.1: ("dot", OKABE_ITO["sky_blue"]), 0.5: ("solid", "black"), 0.9: ("dashdot", OKABE_ITO["reddish_purple"])}


class InteractionSurfaceExplorer(Explorer):
    title = "Ketamine + midazolam: response surface and isoboles (hypnosis)"
    figure_summary = (
        "A colour map of the modelled probability of no response to command over pairs of midazolam (horizontal) and "
        "ketamine (vertical) doses, with isoboles at 10, 50 and 90 %, the straight Loewe additivity line, Hong 1993's "
        "measured ED50s and your dose pair. An isobole bowed towards the origin, inside the straight line, means the "
        "pair needs less of each drug than additivity predicts. Changing α or the steepness reshapes the isoboles; "
        "the doses move your marker."
    )
    prompt = (
        "Teaching model, not for clinical decisions. Colour = modelled probability of losing response to a verbal command "
        "(Hong 1993's hypnosis endpoint) for IV doses in mg/kg; lines = isoboles (dose pairs with equal effect). "
        "The default interaction parameter α puts Hong's combination ED50 on the 50 % isobole. Predict: where does the "
        "50 % isobole go when you set α to 0, and what does it look like?"
    )
    demo_changes = [("alpha", 0.0), ("alpha", 1.5), ("ketamine_mg_per_kg", 0.4), ("midazolam_mg_per_kg", 0.05), ("slope", 6.0)]
    invalid_change = None
    prediction = PREDICTIONS["InteractionSurfaceExplorer"]

    def build_controls(self):
        self.hong = hong1993()
        self.alpha_hong = round(hong_alpha(), 2)
        return {
            "alpha": labelled_slider("Interaction parameter α (0 = additive)", self.alpha_hong, ALPHA_MIN, ALPHA_MAX, 0.01),
            "slope": labelled_slider("Steepness m (assumed; no unit)", 3.0, SLOPE_MIN, SLOPE_MAX, 0.5),
            "midazolam_mg_per_kg": labelled_slider("Midazolam dose (mg/kg IV)", self.hong.combo_midazolam_mg_per_kg, 0.0, 0.3, 0.001,
                                                   readout_format=".3f"),
            "ketamine_mg_per_kg": labelled_slider("Ketamine dose (mg/kg IV)", self.hong.combo_ketamine_mg_per_kg, 0.0, 0.74, 0.01),
        }

    def build_figure(self):
        h = self.hong
        self.ed_m, self.ed_k = h.midazolam.value_mg_per_kg, h.ketamine.value_mg_per_kg
        self.x = np.linspace(0.0, 2 * self.ed_m, _N)  # midazolam mg/kg
        self.y = np.linspace(0.0, 2 * self.ed_k, _N)  # ketamine mg/kg
        self.um_grid, self.uk_grid = np.meshgrid(self.x / self.ed_m, self.y / self.ed_k)
        self.um_line = np.linspace(0.0, 2.0, 161)
        heat = go.Heatmap(x=self.x, y=self.y, z=np.zeros((_N, _N)), zmin=0, zmax=1, colorscale="Cividis",
                          colorbar=dict(title=dict(text="P(no response<br>to command)"), tickformat=".0%", len=0.8),
                          hovertemplate="midazolam %{x:.3f} mg/kg<br>ketamine %{y:.2f} mg/kg<br>P %{z:.0%}<extra></extra>")
        traces = [heat]
        for level in _LEVELS:
            dash, colour = _ISOBOLE_STYLE[level]
            traces.append(go.Scatter(x=[], y=[], mode="lines", line=dict(color=colour, dash=dash, width=4 if level == 0.5 else 3),
                                     name=f"{level:.0%} isobole (model)"))
        traces.append(go.Scatter(x=[self.ed_m, 0], y=[0, self.ed_k], mode="lines", line=dict(color=OKABE_ITO["orange"], dash="dash", width=3),
                                 name="Loewe additivity line (50 %)"))
        traces.append(go.Scatter(
            x=[self.ed_m, 0], y=[0, self.ed_k], mode="markers", marker=dict(symbol="square", size=12, color=OKABE_ITO["vermillion"], line=dict(color="black", width=1)),
            error_x=dict(type="data", symmetric=False, array=[h.midazolam.ci_high_mg_per_kg - self.ed_m, 0], arrayminus=[self.ed_m - h.midazolam.ci_low_mg_per_kg, 0], color="black", thickness=2.5, width=6),
            error_y=dict(type="data", symmetric=False, array=[0, h.ketamine.ci_high_mg_per_kg - self.ed_k], arrayminus=[0, self.ed_k - h.ketamine.ci_low_mg_per_kg], color="black", thickness=2.5, width=6),
            name="Hong 1993 single-drug ED50 (95% CI)"))
        traces.append(go.Scatter(x=[], y=[], mode="markers", marker=dict(symbol="x", size=12, color="black", line=dict(width=2)),
                                 name="your dose pair"))
        traces.append(go.Scatter(x=[h.combo_midazolam_mg_per_kg], y=[h.combo_ketamine_mg_per_kg], mode="markers",
                                 marker=dict(symbol="diamond", size=14, color=OKABE_ITO["yellow"], line=dict(color="black", width=1.5)),
                                 name="Hong 1993 combination ED50"))
        traces.append(go.Scatter(x=[], y=[], mode="text", text=[f"{level:.0%}" for level in _LEVELS], textposition="top right",
                                 textfont=dict(size=15, color="white"), showlegend=False, hoverinfo="skip"))
        layout = base_layout("Hypnosis isobologram and response surface (teaching model)", "Midazolam dose (mg/kg IV)",
                             "Ketamine dose (mg/kg IV)", height=560,
                             legend=dict(orientation="h", y=-0.2, x=0), margin=dict(l=80, r=30, t=60, b=150))
        layout["xaxis"]["range"] = [-0.02 * self.ed_m, 2 * self.ed_m]
        layout["yaxis"]["range"] = [-0.02 * self.ed_k, 2 * self.ed_k]
        return FigureWidget(data=traces, layout=layout)

    def update(self, alpha, slope, midazolam_mg_per_kg, ketamine_mg_per_kg):
        um, uk = midazolam_mg_per_kg / self.ed_m, ketamine_mg_per_kg / self.ed_k
        drive = float(hypnotic_drive(um, uk, alpha))
        p = float(probability_from_drive(drive, slope))
        p_add = float(probability_from_drive(um + uk, slope))
        with self.figure.batch_update():
            if (alpha, slope) != getattr(self, "_surface_drawn_for", None):  # a dose change only moves the marker
                self._draw_surface(alpha, slope)
            self.figure.data[6].x = [midazolam_mg_per_kg]
            self.figure.data[6].y = [ketamine_mg_per_kg]
        index, low, high = hong_interaction_index()
        return (f"α = {alpha:.2f}, m = {slope:g}: midazolam {midazolam_mg_per_kg:.3f} + ketamine {ketamine_mg_per_kg:.2f} mg/kg "
                f"= {um:.2f} + {uk:.2f} ED50 fractions (sum {um + uk:.2f}); drive {drive:.2f} ED50-equivalents, "
                f"P(no response to command) {p:.0%} (additive α = 0 would give {p_add:.0%}). "
                f"Hong 1993 interaction index {index:.2f} (rough bounds {low:.2f}–{high:.2f}).")

    def _draw_surface(self, alpha: float, slope: float) -> None:
        z = probability_from_drive(hypnotic_drive(self.um_grid, self.uk_grid, alpha), slope)
        # 3 decimals are finer than the colour scale can show, and a quarter of the bytes to send
        self.figure.data[0].z = np.round(z, 3)
        label_x, label_y = [], []
        for i, level in enumerate(_LEVELS, start=1):
            d = drive_for_probability(level, slope)
            uk_line = isobole_u_ketamine(self.um_line, d, alpha)
            self.figure.data[i].x = self.um_line * self.ed_m
            self.figure.data[i].y = uk_line * self.ed_k
            # label where the isobole crosses the diagonal uₘ = uₖ (or its last drawn point)
            gap = np.where(np.isnan(uk_line), np.inf, np.abs(uk_line - self.um_line))
            j = int(np.argmin(gap))
            label_x.append(self.um_line[j] * self.ed_m)
            label_y.append(uk_line[j] * self.ed_k)
        self.figure.data[8].x, self.figure.data[8].y = label_x, label_y
        self._surface_drawn_for = (alpha, slope)
