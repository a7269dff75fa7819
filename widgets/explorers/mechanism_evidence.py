"""Antidepressant-mechanism evidence map (notebook 02): findings by hypothesis and direction, filterable."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import plotly.graph_objects as go

from widgets.evidence import short_citation
from widgets.explorer import Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models import mechanisms as model
from widgets.style import OKABE_ITO, base_layout

SPECIES_SYMBOLS = {"human": "star", "rat": "circle", "mouse": "square", "rat and mouse": "diamond",
                   "rodent": "hexagon", "in vitro (recombinant)": "triangle-up"}
STRENGTH_SIZE = {"strong": 22, "moderate": 16, "weak": 10}
DIRECTION_X = {"against": 0, "mixed": 1, "supports": 2}


class MechanismEvidenceExplorer(Explorer):
    title = "Antidepressant-mechanism evidence map"
    figure_summary = (
        "A grid of markers, one per finding: the column is its direction (against, mixed, supports), the row its "
        "hypothesis, the marker's shape its species and its size the course's grade of strength. The filters hide the "
        "findings that do not match."
    )
    prompt = ("Each marker is one finding: column = direction (against, mixed, supports), row = hypothesis, shape = species, "
              "size = strength (course grade). Filter to compare. Predict first: which hypotheses have human evidence, "
              "and does any of them have findings graded strong?")
    demo_changes = [("hypothesis", "opioid system"), ("species", "human"), ("hypothesis", model.ALL), ("direction", "against")]
    prediction = PREDICTIONS["MechanismEvidenceExplorer"]

    def build_controls(self):
        self.table = model.evidence()
        return {
            "hypothesis": labelled_dropdown("Hypothesis", model.options("hypothesis"), model.ALL),
            "species": labelled_dropdown("Species", model.options("species"), model.ALL),
            "direction": labelled_dropdown("Direction", model.options("direction"), model.ALL),
            "strength": labelled_dropdown("Strength", [model.ALL, "moderate", "weak"], model.ALL),
        }

    def build_figure(self):
        t = self.table
        self.hypotheses = list(dict.fromkeys(t["hypothesis"]))
        rng = np.random.default_rng(0)  # fixed jitter so markers in one cell do not overlap
        order = t.groupby(["hypothesis", "direction"]).cumcount().to_numpy()
        self.x = np.array([DIRECTION_X[d] for d in t["direction"]]) + (order - 1.5) * 0.12
        self.y = np.array([self.hypotheses.index(h) for h in t["hypothesis"]]) + rng.uniform(-0.18, 0.18, len(t))
        e = html.escape
        hover = [f"<b>{e(r.hypothesis)}</b> ({e(r.direction)}, {e(r.strength)})<br>{e(r.finding)}<br>drug: {e(r.drug)}; {e(r.species)}; "
                 f"dose: {e(r.dose_or_concentration)}<br>{e(short_citation(r.source_id))}" for r in t.itertuples()]
        pts = go.Scatter(x=self.x.round(3).tolist(), y=self.y.round(3).tolist(), mode="markers", customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                         marker=dict(symbol=[SPECIES_SYMBOLS[s] for s in t["species"]], size=[STRENGTH_SIZE[s] for s in t["strength"]],
                                     color=[OKABE_ITO["blue"]] * len(t), line=dict(color="#333", width=1)), showlegend=False)
        legend = [go.Scatter(x=[None], y=[None], mode="markers", name=s, marker=dict(symbol=sym, size=12, color="#777"))
                  for s, sym in SPECIES_SYMBOLS.items()]
        layout = base_layout("Evidence for and against each antidepressant hypothesis (one marker per finding)",
                             "Direction of the finding (category)", "Hypothesis", height=520,
                             margin=dict(l=250, r=30, t=60, b=110), legend=dict(orientation="h", y=-0.25))
        layout["xaxis"].update(tickvals=[0, 1, 2], ticktext=["against", "mixed", "supports"], range=[-0.6, 2.6])
        layout["yaxis"].update(tickvals=list(range(len(self.hypotheses))), ticktext=self.hypotheses, range=[-0.6, len(self.hypotheses) - 0.4])
        return FigureWidget(data=[pts, *legend], layout=layout)

    def extra_widgets_below(self):
        self.details = W.HTML()
        return [self.details]

    def update(self, hypothesis, species, direction, strength):
        mask = model.filter_evidence(self.table, hypothesis=hypothesis, species=species, direction=direction, strength=strength).to_numpy()
        with self.figure.batch_update():
            self.figure.data[0].marker.color = [OKABE_ITO["vermillion"] if m else "#dddddd" for m in mask]
            self.figure.data[0].marker.opacity = 1.0
        rows = self.table[mask]
        self.details.value = "<table style='font-size:0.9em'><tr><th>Hypothesis</th><th>Finding</th><th>Drug; species; dose</th><th>Direction; strength</th><th>Source</th></tr>" + "".join(
            f"<tr><td>{html.escape(r.hypothesis)}</td><td>{html.escape(r.finding)}</td><td>{html.escape(r.drug)}; {html.escape(r.species)}; "
            f"{html.escape(r.dose_or_concentration)}</td><td>{r.direction}; {r.strength}</td><td>{html.escape(short_citation(r.source_id))}</td></tr>" for r in rows.itertuples()) + "</table>"
        if rows.empty:
            return "No finding matches these filters (that itself is informative: no study shown here reports one)."
        n = rows["direction"].value_counts()
        text = (f"{len(rows)} findings: {n.get('supports', 0)} support, {n.get('against', 0)} against, {n.get('mixed', 0)} mixed; "
                f"{(rows['species'] == 'human').sum()} in humans; graded strong: {(rows['strength'] == 'strong').sum()}.")
        if hypothesis != model.ALL:
            text += f" Overall: {model.balance(self.table, hypothesis)}."
        return text
