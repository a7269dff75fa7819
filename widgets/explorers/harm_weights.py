"""Harm-weight lab (notebook 09): re-weight the Nutt 2010 MCDA and watch the ranks move."""

from __future__ import annotations

import plotly.graph_objects as go

from widgets.explorer import Explorer, labelled_dropdown, labelled_slider
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models.harm_weights import criterion_weights, harm_data, harm_table, implied_users_share_pct
from widgets.style import OKABE_ITO, base_layout

HIGHLIGHT = "ketamine"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class HarmWeightExplorer(Explorer):
    title = "Harm-weight lab: re-weighting the Nutt 2010 drug-harm scores"
    figure_summary = (
        "Stacked horizontal bars, one per drug in order of weighted harm score, split into harm to users and harm to "
        "others; a marker shows each drug's published overall score, and ketamine's bar is hatched. Changing the "
        "weights re-ranks the drugs and changes the bars; the markers, the published scores, stay where they are."
    )
    prompt = ("Bars show each drug's weighted harm score (0–100) split into harm to users and harm to others; ketamine is "
              "hatched and marked ◀. Predict, then check: if only 'dependence' counted, would ketamine rise or fall in the "
              "ranking? And if all weight went to harm to users? The expert scores stay fixed; only the value judgements "
              "(weights) change. A teaching model of a 2010 UK expert exercise, not a measure of any person's risk.")
    demo_changes = [("preset", "dependence"), ("preset", "equal"), ("users_share_pct", 80.0),
                    ("emphasise", "drug-specific-impairment"), ("factor", 3.0)]
    prediction = PREDICTIONS["HarmWeightExplorer"]

    def build_controls(self):
        data = harm_data()
        presets = [("Published weights (Nutt 2010)", "published"), ("Equal weights (all criteria 100)", "equal"),
                   ("Harms to users only", "users-only"), ("Harms to others only", "others-only")]
        presets += [(f"Only: {label}", cid) for cid, label in zip(data.criterion_ids, data.criterion_labels)]
        self.default_share = round(implied_users_share_pct(data.weights, data.clusters), 1)
        return {
            "preset": labelled_dropdown("Criterion weights", presets, "published"),
            "users_share_pct": labelled_slider("Weight on harm to users (%)", self.default_share, 0, 100, 0.1),
            "emphasise": labelled_dropdown("Criterion to re-weight",
                                           [("(none)", "none")] + list(zip(data.criterion_labels, data.criterion_ids)), "none"),
            "factor": labelled_slider("Multiply its weight by (×)", 2.0, 0, 5, 0.5),
        }

    def build_figure(self):
        bar = dict(orientation="h", marker=dict(line=dict(color="#333", width=1)))
        traces = [
            go.Bar(x=[], y=[], name="Harm to users", marker_color=OKABE_ITO["blue"], **bar,
                   hovertemplate="%{y}: %{x:.1f} to users<extra></extra>"),
            go.Bar(x=[], y=[], name="Harm to others", marker_color=OKABE_ITO["orange"], **bar,
                   hovertemplate="%{y}: %{x:.1f} to others<extra></extra>"),
            go.Scatter(x=[], y=[], mode="markers", name="Published overall (Nutt 2010, Fig. 2)",
                       marker=dict(symbol="line-ns-open", size=18, color="#000", line=dict(width=3)),
                       hovertemplate="%{y}: published %{x:.1f}<extra></extra>"),
        ]
        layout = base_layout("Weighted harm score by drug: published weights (Nutt 2010)", "Weighted harm score (0–100 scale)", "",
                             barmode="stack", height=640, margin=dict(l=190, r=30, t=60, b=110),
                             legend=dict(orientation="h", yanchor="top", y=-0.1, x=0))
        layout["yaxis"]["autorange"] = "reversed"
        layout["xaxis"]["range"] = [0, 100]
        return FigureWidget(data=traces, layout=layout)

    def update(self, preset, users_share_pct, emphasise, factor):
        share = None if (preset == "published" and abs(users_share_pct - self.default_share) < 0.051) else users_share_pct
        table = harm_table(preset, share, emphasise, factor).sort_values("rank")
        labels = [f"◀ {d.upper()}" if i == HIGHLIGHT else d for i, d in zip(table.index, table["drug"])]
        patterns = ["/" if i == HIGHLIGHT else "" for i in table.index]
        show_published = preset == "published" and emphasise == "none"
        with self.figure.batch_update():
            for trace, column in zip(self.figure.data[:2], ("to_users", "to_others")):
                trace.x = table[column].to_numpy()
            if labels != getattr(self, "_labels", None):
                self._labels = labels
                for trace in self.figure.data[:2]:
                    trace.y = labels
                    trace.marker.pattern.shape = patterns
                self.figure.data[2].x = table["published_overall"].to_numpy()
                self.figure.data[2].y = labels
            if self.figure.data[2].visible != show_published:
                self.figure.data[2].visible = show_published
            name = next(k for k, v in self.controls["preset"].options if v == preset)
            self.figure.layout.title.text = f"Weighted harm score by drug: {name[0].lower() + name[1:]}"
        ket = table.loc[HIGHLIGHT]
        top = ", ".join(f"{r.drug} {r.overall:.1f}" for r in table.head(3).itertuples())
        moved = int(ket["published_rank"]) - int(ket["rank"])
        published = _ordinal(int(ket["published_rank"]))
        move = "same place as published" if moved == 0 else (f"up {moved} from published {published}" if moved > 0 else f"down {-moved} from published {published}")
        weights = criterion_weights(preset, emphasise, factor)
        one_cluster = min(weights[harm_data().clusters == c].sum() for c in ("users", "others")) == 0
        if one_cluster:
            weight_note = "all weight in one cluster, so the users' share slider has no effect"
        else:
            weight_note = f"users' share {users_share_pct:g}%" if share is not None else "cluster shares as published (45.8% users)"
        extra = f"; {dict((v, k) for k, v in self.controls['emphasise'].options)[emphasise]} ×{factor:g}" if emphasise != "none" else ""
        ties = int((table["overall"].sub(ket["overall"]).abs() < 1e-9).sum()) - 1
        tie_text = f", tied with {ties} other drug{'s' if ties > 1 else ''}" if ties else ""
        return (f"Ketamine ranks {_ordinal(int(ket['rank']))} of {len(table)} (score {ket['overall']:.1f}{tie_text}; {move}). "
                f"Top three: {top}. Weights: {weight_note}{extra}.")


def ketamine_rank(preset: str = "published", users_share_pct: float | None = None) -> int:
    """Ketamine's rank (1 = most harmful) under a weighting; used in tests and the notebook."""
    return int(harm_table(preset, users_share_pct).loc[HIGHLIGHT, "rank"])


def top_drug(preset: str = "published") -> str:
    """The drug ranked most harmful under a preset."""
    return str(harm_table(preset).sort_values("rank")["drug"].iloc[0])
