"""Trial evidence explorer (notebook 08): esketamine or ketamine given with an oral antidepressant."""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import course_data
from widgets.evidence import badge_html
from widgets.explorer import Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.evidence import short_citation
from widgets.figure import FigureWidget
from widgets.style import OKABE_ITO, base_layout, wrap_label

OUTCOMES = ("response", "remission", "relapse", "MADRS change")
EFFECT_AXIS = {
    "pp": "Difference (percentage points)",
    "ratio": "Hazard ratio (log scale)",
    "points": "MADRS difference (points)",
}


def trial_rows(outcome: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of ``antidepressant_trials`` for one outcome, with a label and the computed rate difference (pp)."""
    table = course_data.load("antidepressant_trials") if table is None else table
    rows = table[table["outcome"] == outcome].copy()
    rows["label"] = [
        f"{r.trial}, {r.timepoint}" + ("" if pd.isna(r.n_total) else f" (n={r.n_total})")
        + (f", {r.comparison.split(' vs ')[0].split(' + ')[0]}" if r.trial == "TRANSFORM-1" else "")
        for r in rows.itertuples()
    ]
    rows["rate_difference_pp"] = rows["rate_active_percent"] - rows["rate_control_percent"]
    return rows


class TrialEvidenceExplorer(Explorer):
    title = "Trials: esketamine or ketamine added to an oral antidepressant"
    figure_summary = (
        "Left panel: the share of patients with the chosen outcome in each arm of each trial, comparator and ketamine "
        "or esketamine. Right panel: the effect as the report gives it (filled, with its 95 % CI) or the difference "
        "of the reported rates (hollow, no CI), beside the no-difference line. Changing the outcome redraws both "
        "panels."
    )
    prompt = (
        "Every patient in these trials took an oral antidepressant (SSRIs among them) together with esketamine or ketamine. "
        "Predict first: does adding esketamine or ketamine raise the share of patients who respond? Left: the rates in each arm. "
        "Right: the effect size as the report gives it (filled, with 95 % CI) or, where only rates were reported, their "
        "difference computed by the course (hollow, no CI). Numbers a report does not give are left out, not estimated."
    )
    demo_changes = [("outcome", "remission"), ("outcome", "relapse"), ("outcome", "MADRS change")]
    prediction = PREDICTIONS["TrialEvidenceExplorer"]

    def build_controls(self):
        self.table = course_data.load("antidepressant_trials")
        self.views = {outcome: self._view(outcome) for outcome in OUTCOMES}
        return {"outcome": labelled_dropdown("Outcome", list(OUTCOMES), "response")}

    def build_figure(self):
        fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.08, column_widths=[0.5, 0.5],
                            subplot_titles=("Rates per arm", wrap_label("Effect: ketamine arm vs comparator", 24)))
        marker = lambda symbol, colour: dict(size=12, symbol=symbol, color=colour, line=dict(color="#222", width=1))  # noqa: E731
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", line=dict(color="#999", width=2), showlegend=False, hoverinfo="skip"), row=1, col=1)
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="comparator (antidepressant + placebo)", marker=marker("circle", OKABE_ITO["blue"])), row=1, col=1)
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="ketamine or esketamine + antidepressant", marker=marker("diamond", OKABE_ITO["vermillion"])), row=1, col=1)
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="reported effect (95 % CI)", marker=marker("square", OKABE_ITO["black"])), row=1, col=2)
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="difference of reported rates (computed; no CI)",
                                 marker=dict(size=12, symbol="square-open", color=OKABE_ITO["black"], line=dict(width=2))), row=1, col=2)
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", line=dict(color="#555", dash="dot", width=1.5), name="no difference", hoverinfo="skip"), row=1, col=2)
        layout = base_layout("Trial evidence: ketamine or esketamine with an oral antidepressant", "", "", height=560,
                             margin=dict(l=370, r=30, t=80, b=170), legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
        fig.update_layout(**{k: v for k, v in layout.items() if k not in ("xaxis", "yaxis")})
        fig.update_xaxes(title_text="Patients (%)", range=[0, 100], row=1, col=1)
        fig.update_xaxes(title_text=wrap_label(EFFECT_AXIS["pp"], 24), row=1, col=2)
        fig.update_yaxes(autorange="reversed")
        return FigureWidget(fig)

    def _view(self, outcome: str) -> dict:
        """Everything one outcome needs (computed once per outcome: pandas is too slow for every update)."""
        rows = trial_rows(outcome, self.table)
        labels = rows["label"].tolist()
        rated = rows[rows["rate_active_percent"].notna()]
        effect = rows[rows["effect_value"].notna()]
        computed = rows[rows["effect_value"].isna() & rows["rate_difference_pp"].notna()]
        unit = rows["effect_unit"].iloc[0]
        null = 1.0 if unit == "ratio" else 0.0
        line_x, line_y = [], []
        for r in rated.itertuples():
            line_x += [r.rate_control_percent, r.rate_active_percent, None]
            line_y += [r.label, r.label, None]
        parts = []
        for r in rows.itertuples():
            text = r.label
            if not pd.isna(r.rate_active_percent):
                text += f": {r.rate_active_percent:g} % vs {r.rate_control_percent:g} %"
            if not pd.isna(r.effect_value):
                text += f"{',' if not pd.isna(r.rate_active_percent) else ':'} {r.effect_measure} {r.effect_value:g} (95 % CI {r.ci_low:g} to {r.ci_high:g})"
            elif isinstance(r.p_value_text, str):
                text += f" ({r.p_value_text})" if not pd.isna(r.rate_active_percent) else f": {r.p_value_text}"
            parts.append(text + f" [{short_citation(r.source_id)}]")
        return dict(
            labels=labels, line=(line_x, line_y),
            control=(rated["rate_control_percent"].tolist(), rated["label"].tolist()),
            active=(rated["rate_active_percent"].tolist(), rated["label"].tolist()),
            effect=(effect["effect_value"].tolist(), effect["label"].tolist()),
            error=dict(type="data", symmetric=False, array=(effect["ci_high"] - effect["effect_value"]).tolist(),
                       arrayminus=(effect["effect_value"] - effect["ci_low"]).tolist(), thickness=2.5, width=7),
            computed=(computed["rate_difference_pp"].tolist(), computed["label"].tolist()),
            null=([null, null], [labels[0], labels[-1]]), unit=unit,
            readout=f"{outcome[0].upper()}{outcome[1:]}: " + "; ".join(parts) + ".",
        )

    def update(self, outcome):
        if outcome not in self.views:
            self.views[outcome] = self._view(outcome)
        v = self.views[outcome]
        with self.figure.batch_update():
            d = self.figure.data
            d[0].x, d[0].y = v["line"]
            d[1].x, d[1].y = v["control"]
            d[2].x, d[2].y = v["active"]
            d[3].x, d[3].y = v["effect"]
            d[3].error_x = v["error"]
            d[4].x, d[4].y = v["computed"]
            d[5].x, d[5].y = v["null"]
            self.figure.layout.xaxis2.title.text = wrap_label(EFFECT_AXIS[v["unit"]], 24)
            self.figure.layout.xaxis2.type = "log" if v["unit"] == "ratio" else "linear"
            self.figure.layout.yaxis.categoryarray = v["labels"]
        return v["readout"]


def claims_table(prefix: str = "C-ssri-") -> W.HTML:
    """The graded claims whose ids start with ``prefix`` (from the shared ``claims`` table), with evidence badges."""
    claims = course_data.load("claims")
    rows = claims[claims["id"].str.startswith(prefix)]
    body = "".join(
        f"<tr><td style='padding:4px 8px;vertical-align:top'>{html.escape(r.claim)}</td>"
        f"<td style='padding:4px 8px;vertical-align:top'><b>{html.escape(r.verdict)}</b></td>"
        f"<td style='padding:4px 8px;vertical-align:top'>{html.escape(r.explanation)} "
        + " ".join(badge_html(s.strip()) for s in r.evidence_source_ids.split(";")) + "</td></tr>"
        for r in rows.itertuples()
    )
    head = "<tr><th style='text-align:left;padding:4px 8px'>Claim in the source text</th><th style='text-align:left;padding:4px 8px'>Verdict</th><th style='text-align:left;padding:4px 8px'>Why, and the evidence</th></tr>"
    return W.HTML(f"<table class='course-claims' style='border-collapse:collapse;max-width:70em'>{head}{body}</table>")
