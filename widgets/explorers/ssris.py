"""SSRI explorers (notebook 07): time to steady state and washout; CYP-inhibition heat map."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from widgets.evidence import badge_html, for_learners, short_citation
from widgets.explorer import Explorer, labelled_dropdown, labelled_slider
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models import ssris as model
from widgets.style import OKABE_ITO, base_layout

DAYS = np.linspace(0.0, 240.0, 481)
ENZYMES = ("CYP2D6", "CYP1A2", "CYP3A4", "CYP2C19", "CYP2B6")
COMPOUNDS = ("fluoxetine", "norfluoxetine", "sertraline", "citalopram", "escitalopram", "paroxetine", "fluvoxamine")
GRADE_TEXT = {1: "+", 2: "++", 3: "+++"}


class SSRIKineticsExplorer(Explorer):
    title = "SSRIs: time to steady state and washout"
    figure_summary = (
        "The average level over time as a percentage of steady state: it climbs towards 100 % while the drug is "
        "taken, a marker shows when 90 % is reached, and after the line where dosing stops it decays; for fluoxetine "
        "a second curve shows its active metabolite, norfluoxetine. Changing the drug, the half-life or the stop day "
        "redraws the curves."
    )
    prompt = (
        "Predict first: if a drug is taken every day for 60 days and then stopped, which SSRI is still present a month "
        "later? Pick a drug and a half-life from the range the sources report. The curves show the average level as a "
        "percentage of steady state (a teaching model with first-order kinetics, not for clinical decisions)."
    )
    demo_changes = [("drug", "fluoxetine"), ("half_life", "longest reported"), ("stop_day", 30.0)]
    invalid_change = ("stop_day", 0.0)
    prediction = PREDICTIONS["SSRIKineticsExplorer"]

    def build_controls(self):
        self.table = model.ssri_table()
        return {
            "drug": labelled_dropdown("SSRI", list(model.SSRIS), "sertraline"),
            "half_life": labelled_dropdown("Half-life", ["shortest reported", "longest reported"], "shortest reported"),
            "stop_day": labelled_slider("Stop after (days)", 60, 0, 120, 5),
        }

    def build_figure(self):
        layout = base_layout("Approach to steady state and washout (average level)", "Time since the first dose (days)",
                             "Level (% of steady state)", yaxis=dict(title=dict(text="Level (% of steady state)"), range=[0, 105]),
                             height=500, legend=dict(orientation="h", yanchor="top", y=-0.2, x=0),
                             margin=dict(l=70, r=30, t=60, b=120))
        traces = [
            go.Scatter(x=DAYS, y=np.zeros_like(DAYS), name="parent drug", line=dict(color=OKABE_ITO["blue"], width=3)),
            go.Scatter(x=[], y=[], name="norfluoxetine (active metabolite)", line=dict(color=OKABE_ITO["vermillion"], width=3, dash="dash")),
            go.Scatter(x=[0, DAYS[-1]], y=[90, 90], name="90 % of steady state", mode="lines",
                       line=dict(color="#555", width=1.5, dash="dot"), hoverinfo="skip"),
            go.Scatter(x=[], y=[], name="dosing stopped", mode="lines", line=dict(color=OKABE_ITO["black"], width=1.5, dash="longdash"), hoverinfo="skip"),
            go.Scatter(x=[], y=[], name="90 % reached", mode="markers", marker=dict(symbol="diamond", size=12, color=OKABE_ITO["orange"], line=dict(color="#222", width=1))),
        ]
        return FigureWidget(data=traces, layout=layout)

    def update(self, drug, half_life, stop_day):
        model.check_range("stop_day", stop_day, 0, None, "days", low_inclusive=False)
        hl = model.half_life_range(drug, self.table)
        t_half_d = (hl.low_h if half_life == "shortest reported" else hl.high_h) / 24.0
        metabolite = model.METABOLITES.get(drug)
        m_half_d = None
        if metabolite:
            mhl = model.half_life_range(metabolite, self.table)
            m_half_d = (mhl.low_h if half_life == "shortest reported" else mhl.high_h) / 24.0
        parent = 100 * model.on_off_profile(DAYS, stop_day, t_half_d)
        t90 = model.days_to_steady_state_fraction(t_half_d)
        wash = model.days_to_washout(t_half_d)
        markers_x, markers_y = ([t90], [90.0]) if t90 <= stop_day else ([], [])
        with self.figure.batch_update():
            self.figure.data[0].y = parent
            self.figure.data[0].name = f"{drug} (t½ {t_half_d:.2g} d)"
            if m_half_d is not None:
                self.figure.data[1].x, self.figure.data[1].y = DAYS, 100 * model.on_off_profile(DAYS, stop_day, t_half_d, m_half_d)
                self.figure.data[1].name = f"norfluoxetine (active metabolite, t½ {m_half_d:.2g} d)"
                m90 = model.days_to_steady_state_fraction(t_half_d, m_half_d)
                m_wash = model.days_to_washout(t_half_d, m_half_d)
                if m90 <= stop_day:
                    markers_x, markers_y = markers_x + [m90], markers_y + [90.0]
            else:
                self.figure.data[1].x, self.figure.data[1].y = [], []
            self.figure.data[3].x, self.figure.data[3].y = [stop_day, stop_day], [0, 105]
            self.figure.data[4].x, self.figure.data[4].y = markers_x, markers_y
        kinetics = "non-linear kinetics, so only approximate" if hl.kinetics == "non-linear" else f"{hl.kinetics} kinetics"
        text = (f"{drug.capitalize()} (t½ {t_half_d * 24:.0f} h = {t_half_d:.2g} days, {half_life}; {kinetics}): "
                f"90 % of steady state after {t90:.1f} days; washed out (97 %, five half-lives) {wash:.1f} days after stopping")
        if m_half_d is not None:
            text += (f"; norfluoxetine (t½ {m_half_d:.2g} days): 90 % after {m90:.0f} days, "
                     f"washed out {m_wash:.0f} days after stopping")
        text += f". Dosing stopped on day {stop_day:g}" + (", before 90 % was reached" if t90 > stop_day else "")
        return text + f". Sources: {', '.join(short_citation(s) for s in hl.source_ids)}."


class CYPInhibitionExplorer(Explorer):
    title = "SSRIs and CYP enzymes: in vitro constants and in vivo effects"
    figure_summary = (
        "Two grids of SSRIs (rows) by CYP enzymes (columns): on the left the inhibition constant measured in vitro, "
        "darker for stronger inhibition (a lower number); on the right the change in enzyme activity measured in "
        "people. Blank cells have no reported value. Choosing an SSRI outlines its row in both grids."
    )
    prompt = (
        "Left: inhibition constants measured in vitro (Ki or IC50 in µM; darker = stronger, lower number). Right: the change "
        "in enzyme activity seen in people at usual doses. Predict: which SSRI inhibits CYP2B6, the enzyme that metabolises "
        "ketamine, most strongly in vitro, and is there any in vivo value for CYP2B6? Blank cells: no value reported."
    )
    demo_changes = [("compound", "fluvoxamine"), ("compound", "citalopram")]
    prediction = PREDICTIONS["CYPInhibitionExplorer"]

    def build_controls(self):
        return {"compound": labelled_dropdown("Highlight", list(COMPOUNDS), "paroxetine")}

    def build_figure(self):
        self.table = model.cyp_table()
        vitro = model.cyp_matrix("in vitro", COMPOUNDS, ENZYMES, self.table)
        vivo = model.cyp_matrix("in vivo", COMPOUNDS, ENZYMES, self.table)
        x, y = list(range(len(ENZYMES))), list(range(len(COMPOUNDS)))
        vitro_text = [["" if np.isnan(v) else f"{v:g}" for v in row] for row in vitro]
        vivo_text = [["" if np.isnan(v) else GRADE_TEXT[int(v)] for v in row] for row in vivo]
        for i, compound in enumerate(COMPOUNDS):  # non-numeric in vitro findings (e.g. "weak")
            for j, enzyme in enumerate(ENZYMES):
                hits = self.table[(self.table.compound == compound) & (self.table.enzyme == enzyme)
                                  & (self.table.evidence_type == "in vitro") & self.table.value_um.isna()]
                if not hits.empty and not vitro_text[i][j]:
                    vitro_text[i][j] = hits.strength_text.iloc[0]
        fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.06,
                            subplot_titles=("In vitro: Ki or IC50 (µM)", "In vivo at usual doses: activity change"))
        fig.add_trace(go.Heatmap(z=_json_safe(np.log10(vitro)), x=x, y=y, text=vitro_text, texttemplate="%{text}", zmin=-1, zmax=2,
                                 colorscale="Blues", reversescale=True, hoverongaps=False,
                                 colorbar=dict(title=dict(text="Ki or IC50 (µM)", side="top"), orientation="h", x=0.21, y=-0.3, yanchor="top", len=0.42, thickness=14,
                                               tickvals=[-1, 0, 1, 2], ticktext=["0.1", "1", "10", "100"]),
                                 hovertemplate="%{text} µM<extra>in vitro</extra>"), row=1, col=1)
        fig.add_trace(go.Heatmap(z=_json_safe(vivo), x=x, y=y, text=vivo_text, texttemplate="%{text}", zmin=0.5, zmax=3.5,
                                 colorscale="Oranges", hoverongaps=False,
                                 colorbar=dict(title=dict(text="Change in enzyme activity", side="top"), orientation="h", x=0.79, y=-0.3, yanchor="top", len=0.42, thickness=14,
                                               tickvals=[1, 2, 3], ticktext=["+ &lt;50 %", "++ 50–150 %", "+++ &gt;150 %"]),
                                 hovertemplate="%{text}<extra>in vivo</extra>"), row=1, col=2)
        for col in (1, 2):
            fig.add_trace(go.Scatter(x=[], y=[], mode="lines", line=dict(color=OKABE_ITO["vermillion"], width=4),
                                     showlegend=False, hoverinfo="skip"), row=1, col=col)
        layout = base_layout("CYP inhibition by SSRIs: in vitro vs in vivo evidence", "Enzyme", "", height=580,
                             margin=dict(l=120, r=40, t=90, b=170))
        fig.update_layout(**{k: v for k, v in layout.items() if k not in ("xaxis", "yaxis")})
        ticks = dict(tickvals=x, ticktext=list(ENZYMES), title=dict(text="Enzyme"), showgrid=False)
        yticks = dict(tickvals=y, ticktext=list(COMPOUNDS), autorange="reversed", showgrid=False)
        fig.update_xaxes(**ticks)
        fig.update_yaxes(**yticks)
        fig.update_yaxes(showticklabels=False, row=1, col=2)
        return FigureWidget(fig)

    def update(self, compound):
        i = COMPOUNDS.index(compound)
        box_x = [-0.5, len(ENZYMES) - 0.5, len(ENZYMES) - 0.5, -0.5, -0.5]
        box_y = [i - 0.5, i - 0.5, i + 0.5, i + 0.5, i - 0.5]
        with self.figure.batch_update():
            for k in (2, 3):
                self.figure.data[k].x, self.figure.data[k].y = box_x, box_y
        rows = self.table[self.table.compound == compound]
        parts = []
        vitro = rows[rows.evidence_type == "in vitro"]
        if not vitro.empty:
            parts.append("in vitro " + ", ".join(
                f"{r.enzyme} {r.measure} {r.value_um:g} µM" if r.value_um == r.value_um else f"{r.enzyme} {r.strength_text}"
                for r in vitro.itertuples()))
        vivo = rows[rows.evidence_type == "in vivo"]
        parts.append("in vivo " + (", ".join(f"{r.enzyme} {GRADE_TEXT[int(r.in_vivo_grade)]}" for r in vivo.itertuples())
                                   if not vivo.empty else "no value reported"))
        review = rows[rows.evidence_type == "review (qualitative)"]
        if not review.empty:
            parts.append("review: " + ", ".join(f"{r.strength_text} ({r.enzyme})" for r in review.itertuples()))
        return f"{compound.capitalize()}: " + "; ".join(parts) + ". CYP2B6 values are in vitro only."


def _json_safe(matrix) -> list:
    """Blank cells as None: NaN is not valid JSON and the widget message would warn in the notebook."""
    array = np.asarray(matrix, dtype=float)
    return np.where(np.isnan(array), None, array).tolist()


def ssri_table() -> W.HTML:
    """The ``ssris`` table as an HTML table with evidence badges (empty cells: no value reported)."""
    table = model.ssri_table()
    fmt = lambda lo, hi: "" if lo != lo else (f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}")  # noqa: E731
    rows = []
    for r in table.itertuples():
        cells = [
            r.compound + (" (metabolite)" if r.is_metabolite else ""),
            fmt(r.half_life_low_h, r.half_life_high_h) or "—",
            r.half_life_context if isinstance(r.half_life_context, str) else "",
            r.kinetics if isinstance(r.kinetics, str) else "—",
            "—" if r.protein_binding_percent != r.protein_binding_percent else f"{r.protein_binding_percent:g}",
        ]
        note = html.escape(for_learners(r.note)) if isinstance(r.note, str) else ""
        rows.append("<tr>" + "".join(f"<td style='padding:3px 8px'>{html.escape(str(c))}</td>" for c in cells)
                    + f"<td style='padding:3px 8px'>{badge_html(r.source_id)}</td><td style='padding:3px 8px;font-size:0.9em'>{note}</td></tr>")
    head = "".join(f"<th style='text-align:left;padding:3px 8px'>{h}</th>" for h in
                   ("Compound", "Half-life (h)", "As stated", "Kinetics", "Protein bound (%)", "Source", "Note"))
    caption = "<caption style='text-align:left;font-weight:bold'>SSRIs: one row per compound and source (— = no value reported)</caption>"
    return W.HTML(f"<table class='course-ssri-table' style='border-collapse:collapse'>{caption}<tr>{head}</tr>{''.join(rows)}</table>")
