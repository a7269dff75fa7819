"""SERT occupancy explorer (notebook 08): ketamine's predicted occupancy beside SSRIs and PET data."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import plotly.graph_objects as go

import course_data
from widgets.explorer import CONTROL_STYLE, Explorer, FloatLogSlider, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models import ketamine_ssri as model
from widgets.models.occupancy import free_concentration, ng_per_ml_to_micromolar
from widgets.evidence import short_citation
from widgets.style import OKABE_ITO, base_layout, wrap_label

CONC = np.logspace(1, 4, 241)  # 10 to 10 000 ng/mL
CONTEXTS = ("antidepressant infusion", "psychotomimetic", "anaesthesia")


class SertOccupancyExplorer(Explorer):
    title = "Does ketamine occupy the serotonin transporter?"
    figure_summary = (
        "SERT occupancy against total plasma ketamine, both on log scales: the predicted curve rises with "
        "concentration, a band shows SSRIs' occupancy at therapeutic doses measured by PET, a dotted line shows "
        "ketamine's PET measurement, and a marker sits at the chosen concentration. Moving the concentration moves "
        "the marker along the curve; another affinity or protein binding shifts the curve sideways."
    )
    prompt = (
        "Predict first: at the plasma level at the end of an antidepressant infusion (about 185 ng/mL), how much of the "
        "serotonin transporter (SERT) does ketamine occupy, compared with an SSRI? Move the concentration, then try the other "
        "affinity and protein-binding values. The curve is a binding prediction (teaching model, not for clinical decisions); "
        "the shaded band and the dotted line are measurements."
    )
    demo_changes = [("concentration_ng_per_ml", 2000.0), ("affinity", "sert-ketalar-martin"), ("free_fraction", "none")]
    prediction = PREDICTIONS["SertOccupancyExplorer"]

    def build_controls(self):
        self.affinities = {a.id: a for a in model.sert_affinities()}
        self.fractions = {f.id: f for f in model.free_fractions()}
        self.measured = model.measured_occupancy()
        self.ssri_low, self.ssri_high, self.ssri_source = model.ssri_occupancy_band(self.measured)
        slider = FloatLogSlider(value=185, base=10, min=1, max=4, step=0.01, description="Plasma ketamine (ng/mL)",
                                continuous_update=False, readout_format=".0f", style=CONTROL_STYLE)
        return {
            "concentration_ng_per_ml": slider,
            "affinity": labelled_dropdown("SERT affinity", [(a.label, a.id) for a in self.affinities.values()], next(iter(self.affinities))),
            "free_fraction": labelled_dropdown("Protein binding", [(f.label, f.id) for f in self.fractions.values()], next(iter(self.fractions))),
        }

    def build_figure(self):
        x_band = [CONC[0], CONC[-1], CONC[-1], CONC[0], CONC[0]]
        traces = [
            go.Scatter(x=x_band, y=[self.ssri_low, self.ssri_low, self.ssri_high, self.ssri_high, self.ssri_low], fill="toself", mode="lines",
                       fillcolor="rgba(0,158,115,0.25)", line=dict(color=OKABE_ITO["bluish_green"], width=1),
                       name=f"SSRIs at therapeutic doses: {self.ssri_low:g}–{self.ssri_high:g} % (PET)", hoverinfo="name"),
            go.Scatter(x=[100, 250], y=[10, 10], mode="lines+markers", line=dict(color=OKABE_ITO["vermillion"], width=3, dash="dot"),
                       marker=dict(symbol="triangle-down", size=10),
                       name=wrap_label("ketamine 0.5 mg/kg, human PET: below 10 % (drawn over plasma levels reported after 0.5 mg/kg over 40 min)", 60),
                       hoverinfo="name"),
            go.Scatter(x=CONC, y=np.ones_like(CONC), mode="lines", line=dict(color=OKABE_ITO["blue"], width=3),
                       name="ketamine: predicted occupancy", hovertemplate="%{x:.0f} ng/mL: %{y:.3g} %<extra></extra>"),
            go.Scatter(x=[185], y=[1], mode="markers", marker=dict(size=14, symbol="diamond", color=OKABE_ITO["orange"], line=dict(color="#222", width=1)),
                       name="chosen concentration", hovertemplate="%{x:.0f} ng/mL: %{y:.3g} %<extra></extra>"),
        ]
        shapes, annotations = [], []
        bands = course_data.load("clinical_concentrations")
        for i, context in enumerate(CONTEXTS):
            rows = bands[bands["context"] == context]
            low, high = float(rows["low_ng_per_ml"].min()), float(rows["high_ng_per_ml"].max())
            if high / low < 1.15:
                low, high = low / 1.07, high * 1.07
            shapes.append(dict(type="rect", xref="x", yref="paper", x0=low, x1=high, y0=0, y1=1,
                               fillcolor="rgba(120,120,120,0.12)", line=dict(width=0), layer="below"))
            annotations.append(dict(x=float(np.log10(np.sqrt(low * high))), y=0.02 + 0.06 * i, xref="x", yref="paper", showarrow=False,
                                    text=context, font=dict(size=12, color="#444"), bgcolor="rgba(255,255,255,0.7)"))
        layout = base_layout("SERT occupancy: ketamine (predicted) vs SSRIs and PET (measured)", "Total plasma ketamine (ng/mL, log scale)",
                             "SERT occupancy (%, log scale)", height=540, shapes=shapes, annotations=annotations,
                             legend=dict(orientation="h", yanchor="top", y=-0.18, x=0), margin=dict(l=80, r=30, t=60, b=150))
        layout["xaxis"].update(type="log", range=[1, 4], tickvals=[10, 30, 100, 300, 1000, 3000, 10000],
                               ticktext=["10", "30", "100", "300", "1000", "3000", "10 000"])
        layout["yaxis"].update(type="log", range=[-2, 2.05], tickvals=[0.01, 0.1, 1, 10, 100], ticktext=["0.01", "0.1", "1", "10", "100"])
        return FigureWidget(data=traces, layout=layout)

    def update(self, concentration_ng_per_ml, affinity, free_fraction):
        ki = self.affinities[affinity]
        fu = self.fractions[free_fraction]
        curve = model.predicted_occupancy_percent(CONC, ki.value_um, fu.fraction_unbound)
        point = float(model.predicted_occupancy_percent(concentration_ng_per_ml, ki.value_um, fu.fraction_unbound))
        total_um = float(ng_per_ml_to_micromolar(concentration_ng_per_ml))
        free_um = float(free_concentration(total_um, fu.fraction_unbound))
        with self.figure.batch_update():
            self.figure.data[2].y = curve
            self.figure.data[2].name = f"ketamine: predicted ({ki.measure} {ki.value_um:g} µM, fu {fu.fraction_unbound:.2f})"
            self.figure.data[3].x, self.figure.data[3].y = [concentration_ng_per_ml], [max(point, 0.0101)]
        mid = (self.ssri_low + self.ssri_high) / 2
        ratio = model.occupancy_ratio(mid, point) if point > 0 else float("inf")
        note = "; the Ketalar formulation, not pure ketamine" if "Ketalar" in ki.label else ""
        return (f"At {concentration_ng_per_ml:.0f} ng/mL ({total_um:.2f} µM total, {free_um:.2f} µM free) ketamine is predicted to occupy "
                f"{point:.2g} % of SERT ({ki.measure} {ki.value_um:g} µM, {short_citation(ki.source_id)}{note}). "
                f"SSRIs at therapeutic doses: {self.ssri_low:g}–{self.ssri_high:g} %, about {ratio:,.0f} times more (midpoint {mid:g} %). "
                f"Measured in humans: below 10 % after 0.5 mg/kg and not different from zero after 0.8 mg/kg.")
