"""Combined time-course explorer (notebook 06): midazolam then ketamine in a clinical sedation scenario."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from widgets.explorer import Explorer, labelled_dropdown, labelled_slider
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models.combined_sedation import (
    KETAMINE_KE0, KETAMINE_RANGE_MG_PER_KG, MAX_DELAY_MIN, MIDAZOLAM_MODELS, MIDAZOLAM_RANGE_MG_PER_KG, c50_ng_per_ml,
    combined_course, times_min,
)
from widgets.models.interaction import ALPHA_MAX, ALPHA_MIN
from widgets.style import OKABE_ITO, base_layout


class CombinedTimeCourseExplorer(Explorer):
    title = "Midazolam then ketamine over time: combined hypnotic drive (teaching model)"
    figure_summary = (
        "Top panel: effect-site concentrations of midazolam (left axis) and ketamine (right axis) over time. Bottom "
        "panel: each drug as a fraction of its hypnotic ED50, their combined drive and the ED50 line; the combined "
        "drive peaks shortly after the ketamine dose and then falls as both drugs leave the effect site. Changing the "
        "doses, the delay, α or the models redraws every curve."
    )
    prompt = (
        "Teaching model of IV doses given by clinicians in a monitored setting; not for clinical decisions. Top: effect-site "
        "concentrations from the course's PK engine (Albrecht midazolam, Domino ketamine). Bottom: each drug as a fraction of "
        "its Hong 1993 hypnotic ED50 and the two combined through the response surface. Predict: neither dose alone reaches "
        "the ED50 line; does the pair cross it, when, and for how long?"
    )
    demo_changes = [("ketamine_mg_per_kg", 0.5), ("ketamine_delay_min", 15.0), ("alpha", -0.72), ("midazolam_model", "age ≥ 65"),
                    ("midazolam_mg_per_kg", 0.03),
                    ("ketamine_ke0", "0.114/min (from measured S-ketamine equilibration)")]
    invalid_change = None
    prediction = PREDICTIONS["CombinedTimeCourseExplorer"]

    def build_controls(self):
        return {
            "midazolam_mg_per_kg": labelled_slider("Midazolam IV bolus at 0 min (mg/kg)", 0.07, *MIDAZOLAM_RANGE_MG_PER_KG, 0.005,
                                                   readout_format=".3f"),
            "ketamine_mg_per_kg": labelled_slider("Ketamine IV bolus (mg/kg)", 0.3, *KETAMINE_RANGE_MG_PER_KG, 0.05),
            "ketamine_delay_min": labelled_slider("Ketamine given after midazolam (min)", 5, 0, MAX_DELAY_MIN, 1),
            "alpha": labelled_slider("Interaction parameter α (0 = additive)", 0.0, ALPHA_MIN, ALPHA_MAX, 0.01),
            "midazolam_model": labelled_dropdown("Midazolam PK model (Albrecht)", list(MIDAZOLAM_MODELS), "age < 65"),
            "ketamine_ke0": labelled_dropdown("Ketamine effect-site rate ke0 (1/min)", list(KETAMINE_KE0), next(iter(KETAMINE_KE0))),
        }

    def build_figure(self):
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.45, 0.55],
                            specs=[[{"secondary_y": True}], [{}]],
                            subplot_titles=("Effect-site concentration", "Hypnotic drive (1 = hypnosis ED50, Hong 1993)"))
        t = times_min()
        fig.add_trace(go.Scatter(x=t, y=[], name="midazolam (ng/mL, left axis)", line=dict(color=OKABE_ITO["blue"], width=3)), row=1, col=1)
        fig.add_trace(go.Scatter(x=t, y=[], name="ketamine (ng/mL, right axis)", line=dict(color=OKABE_ITO["vermillion"], dash="dash", width=3)),
                      row=1, col=1, secondary_y=True)
        fig.add_trace(go.Scatter(x=t, y=[], name="midazolam ÷ its C50", line=dict(color=OKABE_ITO["blue"], dash="dot", width=2)), row=2, col=1)
        fig.add_trace(go.Scatter(x=t, y=[], name="ketamine ÷ its C50", line=dict(color=OKABE_ITO["vermillion"], dash="dashdot", width=2)), row=2, col=1)
        fig.add_trace(go.Scatter(x=t, y=[], name="combined drive", line=dict(color="black", width=4)), row=2, col=1)
        fig.add_trace(go.Scatter(x=[t[0], t[-1]], y=[1, 1], name="ED50 line (50% no response to command)", mode="lines",
                                 line=dict(color=OKABE_ITO["bluish_green"], width=2, dash="longdash")), row=2, col=1)
        fig.update_layout(**base_layout("Midazolam + ketamine: concentrations and combined drive (teaching model)", "", "",
                                        height=640, legend=dict(orientation="h", y=-0.14, x=0), margin=dict(l=80, r=80, t=80, b=130)))
        fig.update_xaxes(title_text="Time after midazolam (min)", row=2, col=1)
        fig.update_yaxes(title_text="Midazolam (ng/mL)", row=1, col=1, secondary_y=False, rangemode="tozero")
        fig.update_yaxes(title_text="Ketamine (ng/mL)", row=1, col=1, secondary_y=True, rangemode="tozero", showgrid=False, tickmode="auto", nticks=5)
        fig.update_yaxes(title_text="ED50-equivalents (no unit)", row=2, col=1, rangemode="tozero")
        return FigureWidget(fig)

    def update(self, midazolam_mg_per_kg, ketamine_mg_per_kg, ketamine_delay_min, alpha, midazolam_model, ketamine_ke0):
        c = combined_course(midazolam_mg_per_kg, ketamine_mg_per_kg, ketamine_delay_min, alpha, midazolam_model, ketamine_ke0)
        with self.figure.batch_update():
            self.figure.data[0].y = c.midazolam_ng_per_ml
            self.figure.data[1].y = c.ketamine_ng_per_ml
            self.figure.data[2].y = c.u_midazolam
            self.figure.data[3].y = c.u_ketamine
            self.figure.data[4].y = c.drive
        crossing = (f"at or above the ED50 line for {c.minutes_above_one:g} min" if c.minutes_above_one > 0
                    else "never reaches the ED50 line")
        return (f"Peak drive {c.peak_drive:.2f} ED50-equivalents at {c.peak_time_min:g} min, {crossing} "
                f"(alone: midazolam peaks at {c.peak_u_midazolam_alone:.2f}, ketamine at {c.peak_u_ketamine_alone:.2f}; α = {alpha:.2f}; "
                f"C50 midazolam {c50_ng_per_ml('midazolam'):.0f}, ketamine {c50_ng_per_ml('ketamine', ketamine_ke0):.0f} ng/mL, DERIVED).")
