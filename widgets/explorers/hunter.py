"""Hunter Serotonin Toxicity Criteria as an interactive checklist (notebook 08). Educational, not diagnostic."""

from __future__ import annotations

import ipywidgets as W
import plotly.graph_objects as go

from widgets.explorer import CONTROL_STYLE, Explorer
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models import hunter as model
from widgets.style import OKABE_ITO, base_layout


def _checkbox(description: str, value: bool = False) -> W.Checkbox:
    return W.Checkbox(value=value, description=description, indent=False, style=CONTROL_STYLE)


class HunterCriteriaExplorer(Explorer):
    title = "Hunter Serotonin Toxicity Criteria: a decision checklist (educational, not diagnostic)"
    figure_summary = (
        "Horizontal bars, one per rule of the Hunter criteria, each as long as the share of that rule's conditions "
        "that are ticked; a rule at 100 % is met. Ticking findings fills the bars."
    )
    prompt = (
        "EDUCATIONAL ONLY: this shows how a published decision rule works; it cannot diagnose anyone. Predict first: does "
        "agitation with a fast heart rate and high blood pressure (the symptoms the forum post lists) meet any rule? Tick "
        "findings and watch which of the five rules fill up. The bars show how many of each rule's conditions are met."
    )
    demo_changes = [("inducible_clonus", True), ("agitation", True), ("tremor", True), ("serotonergic_drug", False)]
    prediction = PREDICTIONS["HunterCriteriaExplorer"]

    def build_controls(self):
        self.rules = model.load_rules()
        controls = {"serotonergic_drug": _checkbox("Serotonergic drug taken", True)}
        controls.update({name: _checkbox(label[:1].upper() + label[1:]) for name, label in model.FEATURES.items()})
        return controls

    def build_figure(self):
        labels = [f"Rule {r.order}: {r.description}" for r in self.rules]
        bar = go.Bar(y=labels, x=[0] * len(labels), orientation="h", text=[""] * len(labels), textposition="outside", cliponaxis=False,
                     marker=dict(color=["#bbbbbb"] * len(labels), line=dict(color="#333", width=1), pattern=dict(shape=[""] * len(labels))),
                     hovertemplate="%{y}: %{x:.0f} % of conditions met<extra></extra>")
        layout = base_layout("Hunter criteria: share of each rule's conditions met", "Conditions met (% of the rule)", "",
                             height=420, showlegend=False, margin=dict(l=520, r=90, t=60, b=60))
        layout["xaxis"].update(range=[0, 100])
        layout["yaxis"].update(autorange="reversed")
        return FigureWidget(data=[bar], layout=layout)

    def update(self, serotonergic_drug, **features):
        result = model.hunter_criteria(serotonergic_drug, rules=self.rules, **features)
        present = {name for name, value in features.items() if value}
        shares = [100.0 * r.conditions_met(present) / r.conditions() for r in self.rules]
        met = [r.is_met(present) for r in self.rules]
        if not serotonergic_drug:
            colours, patterns = ["#dddddd"] * len(shares), ["x"] * len(shares)
        else:
            colours = [OKABE_ITO["vermillion"] if m else OKABE_ITO["sky_blue"] for m in met]
            patterns = ["" if m else "/" for m in met]
        texts = [f"{r.conditions_met(present)}/{r.conditions()}" + (" met" if m and serotonergic_drug else "") for r, m in zip(self.rules, met)]
        with self.figure.batch_update():
            bar = self.figure.data[0]
            bar.x, bar.text = shares, texts
            bar.marker.color, bar.marker.pattern.shape = colours, patterns
        findings = ", ".join(model.FEATURES[f] for f in model.FEATURES if f in present) or "none"
        return f"{result.summary} Findings ticked: {findings}. Educational only, not a diagnosis."
