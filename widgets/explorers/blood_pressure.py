"""Blood pressure with esketamine and racemic ketamine infusions (notebook 08)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

import course_data
from widgets.explorer import Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.evidence import short_citation
from widgets.figure import FigureWidget
from widgets.style import OKABE_ITO, base_layout, wrap_label

MEASURES = {
    "peak time": ("peak_time_low_min", "peak_time_high_min", "Time of the blood-pressure peak after dosing (min)"),
    "mean rise": ("mean_rise_systolic_mmhg", "mean_rise_diastolic_mmhg", "Mean rise at the peak (mmHg)"),
    "severe rises": ("severe_share_low_percent", "severe_share_high_percent", "Patients with a large rise (%)"),
}


class BloodPressureExplorer(Explorer):
    title = "Blood pressure: the documented ketamine + antidepressant issue"
    figure_summary = (
        "Each marker is one published series of patients, placed at its reported value for the chosen measure, with a "
        "bar where a range was reported. Changing the measure switches between when blood pressure peaked, how much "
        "it rose and how many patients had a large rise."
    )
    prompt = (
        "Predict first: after an esketamine dose or a 40-minute ketamine infusion, when does blood pressure peak, and by how "
        "much does it rise on average? Switch between measures; each marker is one published series, with its size and source. "
        "Ranges are drawn as bars. These are group averages from monitored clinical settings."
    )
    demo_changes = [("measure", "mean rise"), ("measure", "severe rises")]
    prediction = PREDICTIONS["BloodPressureExplorer"]

    def build_controls(self):
        self.table = course_data.load("blood_pressure")
        self.labels = {r.id: f"{r.series}" + ("" if pd.isna(r.n_patients) else f", n={r.n_patients}")
                       + ("" if pd.isna(r.n_sessions) else f", {r.n_sessions} sessions") for r in self.table.itertuples()}
        return {"measure": labelled_dropdown("Measure", list(MEASURES), "peak time")}

    def build_figure(self):
        first = dict(mode="markers", marker=dict(size=13, symbol="diamond", color=OKABE_ITO["vermillion"], line=dict(color="#222", width=1)))
        second = dict(mode="markers", marker=dict(size=12, symbol="circle", color=OKABE_ITO["blue"], line=dict(color="#222", width=1)))
        title = ("Blood pressure after esketamine or racemic ketamine<br><sup>Szarmach 2020 (n=49, IV ketamine): peaks were higher in "
                 "patients also taking an SSRI (systolic p=0.020, diastolic p=0.048)</sup>")
        layout = base_layout(title, MEASURES["peak time"][2], "", height=480,
                             margin=dict(l=400, r=40, t=90, b=110), legend=dict(orientation="h", yanchor="top", y=-0.22, x=0))
        layout["yaxis"].update(autorange="reversed")
        return FigureWidget(data=[go.Scatter(x=[], y=[], name="value", **first), go.Scatter(x=[], y=[], name="", **second)], layout=layout)

    def update(self, measure):
        low_col, high_col, axis_title = MEASURES[measure]
        rows = self.table[self.table[low_col].notna() | self.table[high_col].notna()]
        labels = [self.labels[i] for i in rows["id"]]
        hover = [html.escape(short_citation(r.source_id)) + (f"<br>definition: {html.escape(r.severe_definition)}" if measure == "severe rises" and isinstance(r.severe_definition, str) else "")
                 for r in rows.itertuples()]
        parts = []
        with self.figure.batch_update():
            main, other = self.figure.data
            if measure == "mean rise":
                main.x, main.y, main.name = rows[low_col].tolist(), labels, "systolic"
                other.x, other.y, other.name = rows[high_col].tolist(), labels, "diastolic"
                main.error_x = other.error_x = dict(visible=False)
                parts = [f"{r.series}: +{r[low_col]:g}/+{r[high_col]:g} mmHg ({short_citation(r.source_id)})" for _, r in rows.iterrows()]
            else:
                low, high = rows[low_col].to_numpy(float), rows[high_col].to_numpy(float)
                mid = (low + high) / 2
                main.x, main.y = mid.tolist(), labels
                main.name = "reported value (bar = reported range)"
                main.error_x = dict(type="data", symmetric=False, array=(high - mid).tolist(), arrayminus=(mid - low).tolist(), visible=True, thickness=3, width=8)
                other.x, other.y, other.name = [], [], ""
                unit = "min" if measure == "peak time" else "%"
                for (_, r), lo, hi in zip(rows.iterrows(), low, high):
                    value = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
                    parts.append(f"{r.series}: {value} {unit} ({short_citation(r.source_id)})")
            main.customdata = other.customdata = hover
            main.hovertemplate = other.hovertemplate = "%{y}: %{x}<br>%{customdata}<extra></extra>"
            self.figure.layout.xaxis.title.text = wrap_label(axis_title)
            self.figure.layout.xaxis.rangemode = "tozero"
        missing = len(self.table) - len(rows)
        tail = f" {missing} series {'reports' if missing == 1 else 'report'} no value for this measure." if missing else ""
        if measure == "severe rises":
            tail += " Definitions differ: the label counts rises of at least 40 mmHg systolic or 25 mmHg diastolic; the infusion series count hypertension by their own definitions."
        return f"{measure.capitalize()}: " + "; ".join(parts) + "." + tail + " With an SSRI also taken, peaks were higher in one study (Szarmach 2020)."
