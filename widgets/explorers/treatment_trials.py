"""Evidence (forest) plot of ketamine trials for substance use disorders (notebook 10)."""

from __future__ import annotations

import functools
import html

import plotly.graph_objects as go

from widgets.evidence import short_citation as _short_citation
from widgets.explorer import Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models.treatment import NULL_VALUE, forest_rows, unreported
from widgets.style import OKABE_ITO, base_layout, wrap_label

short_citation = functools.cache(_short_citation)

AXIS_TITLES = {
    "difference": "Difference, ketamine − comparator (pp; > 0 favours ketamine)",
    "ratio": "Relapse HR or OR (log scale; &lt; 1 favours ketamine)",
}
SINGULAR = {"difference": "an abstinence difference", "ratio": "a relapse ratio"}
GROUP_NAMES = {
    "difference": "Abstinence differences (percentage points)",
    "ratio": "Relapse ratios (hazard or odds ratio)",
}


class TreatmentTrialsExplorer(Explorer):
    title = "Ketamine for addiction: what the trials found"
    figure_summary = (
        "A forest plot: one row per trial outcome, a diamond at the estimate and a bar for its 95 % confidence "
        "interval, beside the no-difference line; a hollow diamond has no reported interval. Switching the measure "
        "changes between differences in abstinence and relapse ratios; choosing a substance keeps only its trials."
    )
    prompt = ("Each row is one trial outcome: the diamond is the estimate, the bar its 95% confidence interval (hollow "
              "diamond: no interval reported). Predict first: which of the alcohol results has an interval that crosses "
              "the 'no difference' line? Then switch to relapse ratios. Differences and ratios are never drawn on one axis.")
    demo_changes = [("measure", "ratio"), ("substance", "alcohol"), ("measure", "difference"), ("substance", "heroin")]
    prediction = PREDICTIONS["TreatmentTrialsExplorer"]

    def build_controls(self):
        return {
            "measure": labelled_dropdown("Effect measure", [(v, k) for k, v in GROUP_NAMES.items()], "difference"),
            "substance": labelled_dropdown("Substance", [("All", "all"), ("Heroin (opioid)", "heroin"),
                                                         ("Cocaine", "cocaine"), ("Alcohol", "alcohol")], "all"),
        }

    def build_figure(self):
        with_ci = go.Scatter(x=[], y=[], mode="markers", name="estimate with 95% CI",
                             marker=dict(symbol="diamond", size=14, color=OKABE_ITO["blue"]),
                             error_x=dict(type="data", symmetric=False, array=[], arrayminus=[], thickness=3, width=8),
                             hovertemplate="%{customdata}: %{x}<extra></extra>")
        no_ci = go.Scatter(x=[], y=[], mode="markers+text", name="estimate, no CI reported", textposition="top center",
                           marker=dict(symbol="diamond-open", size=14, color=OKABE_ITO["vermillion"], line=dict(width=3)),
                           hovertemplate="%{customdata}: %{x} (no interval)<extra></extra>")
        layout = base_layout("", AXIS_TITLES["difference"], "", height=440, margin=dict(l=330, r=40, t=60, b=110), showlegend=True,
                             legend=dict(orientation="h", yanchor="top", y=-0.22, x=0))
        layout["yaxis"]["autorange"] = "reversed"
        layout["xaxis"].update(range=[-10, 60], tickvals=[0.1, 0.2, 0.5, 1, 2, 5], tickmode="auto")
        layout["shapes"] = [dict(type="line", xref="x", yref="paper", x0=0, x1=0, y0=0, y1=1, line=dict(color="#444", dash="dash"))]
        return FigureWidget(data=[with_ci, no_ci], layout=layout)

    def update(self, measure, substance):
        rows = forest_rows(measure, substance)
        null = NULL_VALUE[measure]
        labels = [f"{r.trial.split(' (')[0]} · {r.substance}: {r.contrast}" for r in rows]
        hovers = [html.escape(f"{r.label}; effect source: {short_citation(r.source_id)}") for r in rows]
        ci = [(lab, r, h) for lab, r, h in zip(labels, rows, hovers) if r.has_interval]
        bare = [(lab, r, h) for lab, r, h in zip(labels, rows, hovers) if not r.has_interval]
        with self.figure.batch_update():
            a, b = self.figure.data
            a.x = [r.estimate for _, r, _ in ci]
            a.y = [lab for lab, _, _ in ci]
            a.customdata = [h for _, _, h in ci]
            a.error_x.array = [r.ci_high - r.estimate for _, r, _ in ci]
            a.error_x.arrayminus = [r.estimate - r.ci_low for _, r, _ in ci]
            b.x = [r.estimate for _, r, _ in bare]
            b.y = [lab for lab, _, _ in bare]
            b.customdata = [h for _, _, h in bare]
            b.text = ["no CI reported"] * len(bare)
            scope = "all substances" if substance == "all" else substance
            xaxis = self.figure.layout.xaxis
            xaxis.type = "log" if measure == "ratio" else "linear"
            xaxis.range = [-1, 0.7] if measure == "ratio" else [-10, 60]
            xaxis.tickmode = "array" if measure == "ratio" else "auto"
            xaxis.title.text = wrap_label(AXIS_TITLES[measure])
            shape = self.figure.layout.shapes[0]
            shape.x0 = shape.x1 = null
            self.figure.layout.title.text = f"Ketamine trials for addiction: {GROUP_NAMES[measure].lower()}, {scope}"
        missing = unreported(substance)
        missing_text = f" No effect size reported for: {'; '.join(missing)}." if missing else ""
        if not rows:
            return f"No {scope} trial reports {SINGULAR[measure]}.{missing_text}"
        unit = "pp" if measure == "difference" else ""
        clear = sum(1 for r in rows if r.excludes_null(null))
        crossing = [r for r in rows if r.excludes_null(null) is False]
        parts = [f"{r.trial} ({r.contrast}) {r.estimate:g}{unit}" + (f" ({r.ci_low:g} to {r.ci_high:g})" if r.has_interval else " (no CI)") for r in rows]
        cross_text = f"; interval includes {null:g} for {', '.join(r.trial for r in crossing)}" if crossing else ""
        sizes = [r.n for r in rows]
        return (f"{len(rows)} estimate(s), {scope}: {'; '.join(parts)}. {clear} of {len(ci)} interval(s) exclude {null:g}"
                f"{cross_text}. Sample sizes {min(sizes)}–{max(sizes)}.{missing_text}")
