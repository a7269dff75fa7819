"""Target-engagement ladder (notebook 03): predicted % of each target occupied at a plasma concentration."""

from __future__ import annotations

import html

import ipywidgets as W
import plotly.graph_objects as go

import course_data
from widgets.evidence import short_citation
from widgets.explorer import CONTROL_STYLE, Explorer, FloatText, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models import targets as model
from widgets.models.occupancy import free_concentration, ng_per_ml_to_micromolar
from widgets.style import OKABE_ITO, base_layout
from widgets.validation import check_range

CUSTOM = "custom"
LIGAND_SYMBOLS = {"racemic ketamine": "circle", "S-ketamine": "triangle-right", "R-ketamine": "triangle-left"}


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %" if x >= 0.01 else "<1 %"


class TargetEngagementExplorer(Explorer):
    title = "Target-engagement ladder"
    figure_summary = (
        "Horizontal bars, one per target in order of median affinity, each as long as the predicted share of its "
        "sites bound by free ketamine, with a dot for each reported value. A higher concentration or free fraction "
        "lengthens every bar; the order of the targets stays the same."
    )
    prompt = ("Choose a clinical context (or set your own total plasma concentration) and a free fraction. Predict first: "
              "at the antidepressant infusion, which targets pass 10 % and 50 % occupancy? Bars: median over the reported "
              "values; dots: each lab's value. A teaching model of binding at equilibrium, not of effect, and not for clinical decisions.")
    demo_changes = [("context", "anaesthesia"), ("context", "analgesia"), ("context", CUSTOM),
                    ("concentration_ng_per_ml", 1500.0), ("free_fraction", 1.0)]
    invalid_change = ("concentration_ng_per_ml", 50_000.0)
    prediction = PREDICTIONS["TargetEngagementExplorer"]
    figure_key = ("Dark bar: median at the set value or the upper end of the context; light inner bar: lower end of the "
                  "context; hatched orange: contested; markers: each reported value (● racemic, ▶ S-, ◀ R-ketamine, "
                  "◆ form not stated).")

    def build_controls(self):
        table = course_data.load("clinical_concentrations")
        contexts = list(dict.fromkeys(table["context"]))
        self.bands = {c: model.context_band(c) for c in contexts}
        options = [("Set a concentration (box)", CUSTOM)] + [
            (f"{c} ({lo:g}–{hi:g} ng/mL)" if lo != hi else f"{c} ({lo:g} ng/mL)", c) for c, (lo, hi, _) in self.bands.items()]
        fu_options = model.free_fraction_options()
        return {
            "context": labelled_dropdown("Clinical context", options, "antidepressant infusion"),
            "concentration_ng_per_ml": FloatText(value=185.0, description="Total plasma ketamine (ng/mL), if set",
                                                 style=CONTROL_STYLE),
            "free_fraction": labelled_dropdown("Free fraction fu", fu_options, fu_options[0][1]),
        }

    def build_figure(self):
        self.ladder = model.build_ladder()
        rows = self.ladder.rows
        self.labels = [f"{t} (contested)" if c else t for t, c in zip(self.ladder.targets, self.ladder.contested)]
        self.row_labels = [self.labels[i] for i in self.ladder.row_target_index]
        n = len(self.labels)
        patterns = ["/" if c else "" for c in self.ladder.contested]
        colours = [OKABE_ITO["orange"] if c else OKABE_ITO["blue"] for c in self.ladder.contested]
        high = go.Bar(y=self.labels, x=[0.0] * n, orientation="h", name="median, upper end of context (or set value)",
                      marker=dict(color=colours, pattern=dict(shape=patterns), line=dict(color="#333", width=1)),
                      hovertemplate="%{y}: %{x:.1f} % occupied (median)<extra></extra>")
        low = go.Bar(y=self.labels, x=[0.0] * n, orientation="h", name="median, lower end of context",
                     marker=dict(color=OKABE_ITO["sky_blue"], line=dict(color="#333", width=1)), width=0.35)
        hover = [f"{html.escape(r.ligand)}, {html.escape(r.measure)} {r.value_um:g} µM<br>{html.escape(r.assay)}<br>"
                 f"{html.escape(r.species)}; {html.escape(short_citation(r.source_id))}"
                 for r in rows.itertuples()]
        points = go.Scatter(y=self.row_labels, x=[0.0] * len(rows), mode="markers", name="each reported value (upper end)",
                            marker=dict(symbol=[LIGAND_SYMBOLS.get(l, "diamond") for l in rows["ligand"]], size=10,
                                        color=OKABE_ITO["black"], line=dict(color="white", width=1)),
                            text=hover, hovertemplate="%{text}<br>%{x:.1f} % occupied<extra></extra>")
        layout = base_layout("Predicted occupancy of each target by free ketamine (binding model)",
                             "Predicted occupancy (% of sites bound at equilibrium)", "Target (ordered by median Ki/IC50)",
                             height=540, barmode="overlay", margin=dict(l=190, r=30, t=60, b=70), showlegend=False)
        layout["xaxis"].update(range=[0, 100], ticksuffix=" %")
        layout["yaxis"].update(autorange="reversed")
        layout["shapes"] = [dict(type="line", x0=v, x1=v, y0=0, y1=1, yref="paper", line=dict(dash=d, color="#444", width=2))
                            for v, d in ((10, "dot"), (50, "dash"))]
        layout["annotations"] = [dict(x=v, y=1.0, yref="paper", yanchor="bottom", xanchor="left", text=f" {v} %", showarrow=False)
                                 for v in (10, 50)]
        return FigureWidget(data=[high, low, points], layout=layout)

    def update(self, context, concentration_ng_per_ml, free_fraction):
        set_value = check_range("concentration_ng_per_ml", concentration_ng_per_ml, 0, model.MAX_CONCENTRATION_NG_PER_ML, "ng/mL")
        if context == CUSTOM:
            low_ng, high_ng, where = set_value, set_value, "Set value"
        else:
            low_ng, high_ng, sources = self.bands[context]
            where = f"{context.capitalize()} ({', '.join(dict.fromkeys(map(short_citation, sources)))})"
        free_high = float(free_concentration(ng_per_ml_to_micromolar(high_ng), free_fraction))
        free_low = float(free_concentration(ng_per_ml_to_micromolar(low_ng), free_fraction))
        per_value, median, _, _ = self.ladder.occupancy(free_high)
        _, median_low, _, _ = self.ladder.occupancy(free_low)
        with self.figure.batch_update():
            self.figure.data[0].x = (100 * median).round(2).tolist()
            self.figure.data[1].x = (100 * median_low).round(2).tolist() if low_ng != high_ng else [0.0] * len(median)
            self.figure.data[1].visible = low_ng != high_ng
            self.figure.data[2].x = (100 * per_value).round(2).tolist()
        over50 = [l for l, m in zip(self.labels, median) if m >= 0.5]
        over10 = [l for l, m in zip(self.labels, median) if 0.1 <= m < 0.5]
        conc = f"{high_ng:g} ng/mL" if low_ng == high_ng else f"{low_ng:g}–{high_ng:g} ng/mL (bars at {high_ng:g})"
        total_um = float(ng_per_ml_to_micromolar(high_ng))
        return (f"{where}: {conc} total = {total_um:.2f} µM, free {free_high:.2f} µM at fu {free_fraction:.2f}. "
                f"≥ 50 %: {', '.join(over50) or 'none'}. 10–50 %: {', '.join(over10) or 'none'}. "
                f"All other targets < 10 % (medians over reported values).")
