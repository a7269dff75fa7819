"""PK explorer (notebook 04): plasma and effect-site ketamine after label and trial regimens.

Thin layer over :mod:`widgets.models.pk`: controls → exact simulation on a 1-min
grid (12 h) → one figure updated in place → a readout that sets the prediction
beside the published measurements for the same regimen.

IV keeps a dose slider bounded to the label and trial range and an infusion time;
every other route offers only the published regimens of the ``regimens`` table
(the study's dose, timing and population weight). Every reachable setting is
valid, so the explorer declares no ``invalid_change``.
"""

from __future__ import annotations

import functools
import math

import ipywidgets as W
import numpy as np
import plotly.graph_objects as go

from widgets.evidence import short_citation as _short_citation
from widgets.explorer import CONTROL_STYLE, WIDE_CONTROL, Explorer, FloatSlider, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.figure_text import DescribedFigure, described
from widgets.models import pk
from widgets.style import OKABE_ITO, PALETTE, base_layout, line_style

WINDOW_MIN = 12 * 60
Y_TOP_NG_PER_ML = 5000.0          # default top of the log axis; it grows for higher peaks
FIGURE_HEIGHT_PX = 540            # controls, figure and readout fit one 1400×1000 screen
GRID_MIN = pk.time_grid(WINDOW_MIN, 1.0)          # 1-min grid, checked once
BAND_COLOURS = {
    "analgesia": OKABE_ITO["bluish_green"],
    "antidepressant infusion": OKABE_ITO["blue"],
    "psychotomimetic": OKABE_ITO["reddish_purple"],
    "emergence": OKABE_ITO["orange"],
    "anaesthesia": OKABE_ITO["vermillion"],
}
KE0_OPTIONS = [
    ("Model's own value", "table"),
    ("0.114 /min (derived from Olofsen 2012)", 0.114),
    ("0.652 /min (assumed in opentiva for Domino)", 0.652),
    ("5.2 /min (assumed in opentiva for Clements)", 5.2),
]
NO_REGIMEN = "iv-dose"            # the regimen control's only value while the route is IV
SPREAD_WORDS = {"SD": "mean ± SD", "CI": "interval", "range": "range", "unstated": "mean ±", "none": ""}
short_citation = functools.cache(_short_citation)


def study_citation(source_id: str, primary_study: str | None) -> str:
    """'Chong 2006', or 'Zarate 2006 (in Zanos 2018)' when the value was read in a review."""
    cited = short_citation(source_id)
    return f"{primary_study} (in {cited})" if primary_study else cited


def _ng(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def measured_text(m: pk.MeasuredComparison) -> str:
    """The measured value as the study reported it: '185 ng/mL', '100–250 ng/mL (range)',
    '22.8 ± 12.8 ng/mL (mean ± SD)', '45 ± 10 ng/mL'."""
    if m.value is None:
        return f"{m.low:,g}–{m.high:,g} ng/mL ({SPREAD_WORDS[m.spread]})"
    if m.low is None:
        return f"{m.value:,g} ng/mL"
    if m.spread in ("SD", "unstated"):
        words = f" ({SPREAD_WORDS[m.spread]})" if m.spread == "SD" else ""
        return f"{m.value:,g} ± {m.high - m.value:.3g} ng/mL{words}"
    return f"{m.value:,g} ng/mL ({SPREAD_WORDS[m.spread]} {m.low:,g}–{m.high:,g})"


def comparison_sentence(m: pk.MeasuredComparison) -> str:
    """'Chong 2006 measured a peak of 22.8 ± 12.8 ng/mL (mean ± SD); this model predicts a peak of 36.'"""
    who = study_citation(m.source_id, m.primary_study)
    if m.quantity == "Cmax":
        return f"{who} measured a peak of {measured_text(m)}; this model predicts a peak of {_ng(m.predicted_ng_per_ml)}."
    return f"{who} measured {measured_text(m)} at {m.time_min:g} min; this model predicts {_ng(m.predicted_ng_per_ml)}."


class PKExplorer(Explorer):
    title = "Ketamine pharmacokinetics: plasma and effect site"
    figure_summary = (
        "Concentration over time on a log scale: the plasma curve rises while the drug goes in and then falls, the "
        "effect-site curve follows plasma with a delay, and markers show concentrations measured in the published "
        "studies. Changing the model, route, regimen, dose, infusion time or ke0 redraws the curves; the overlay adds "
        "every model's plasma curve."
    )
    prompt = (
        "A teaching model of published studies, not for clinical or personal decisions: routes other than IV offer "
        "only the studies' regimens. Predict: after 0.5 mg/kg IV over 40 min, does plasma end inside the measured "
        "100–250 ng/mL? Then overlay all models, or pick an oral regimen, and predict again."
    )
    demo_changes = [("dose_mg_per_kg", 1.0), ("model", "kamp"), ("infusion_min", 0.0), ("overlay", True),
                    ("ke0", 0.652), ("route", "oral"), ("regimen", "peltoniemi2012-oral-0.3"),
                    ("interacting_drug", "rifampicin"), ("route", "esketamine-nasal")]
    invalid_change = None   # every reachable setting is valid by construction (tests/test_pk_explorer.py samples them)
    prediction = PREDICTIONS["PKExplorer"]

    def build_controls(self):
        models = pk.pk_models("ketamine")
        self._model_names = dict(zip(models["id"], models["name"]))
        self._regimen_labels = {rid: self._regimen_label(rid) for rid in pk.regimens()["id"]}
        low, high = pk.IV_DOSE_RANGE_MG_PER_KG
        drugs = ["none"] + sorted(set(pk.drug_interactions()["interacting_drug"]))
        controls = {
            "model": labelled_dropdown("Model", [(n, i) for i, n in self._model_names.items()], "domino"),
            "route": labelled_dropdown("Route", [(label, key) for key, (_r, _f, label) in pk.ROUTE_GROUPS.items()], "iv"),
            # long study labels: the regimen list takes a whole row of the controls grid
            "regimen": W.Dropdown(options=self._regimen_options("iv"), value=NO_REGIMEN, description="Study regimen",
                                  style=CONTROL_STYLE).add_class(WIDE_CONTROL),
            "dose_mg_per_kg": FloatSlider(value=0.5, min=low, max=high, step=0.05, description="IV dose (mg/kg)",
                                          continuous_update=False, style=CONTROL_STYLE),
            "infusion_min": FloatSlider(value=40, min=0, max=pk.IV_MAX_INFUSION_MIN, step=5,
                                        description="Infusion (min, 0 = bolus)", continuous_update=False, style=CONTROL_STYLE),
            "ke0": labelled_dropdown("Effect-site ke0", KE0_OPTIONS, "table"),
            "interacting_drug": labelled_dropdown("Interacting drug", drugs, "none"),
            "overlay": W.Checkbox(value=False, description="Overlay all models (plasma)", indent=False),
        }
        # registered before the explorer's own observer, so the regimen list matches the route before the redraw
        controls["route"].observe(self._route_changed, names="value")
        self._show_route_controls(controls, "iv")
        return controls

    # ---------------------------------------------------------------- route-dependent controls
    def _regimen_label(self, regimen_id: str) -> str:
        row = pk.regimen(regimen_id)
        return f"{study_citation(row['source_id'], row['primary_study'] or None)}: {row['description']}"

    def _regimen_options(self, route_group: str) -> list[tuple[str, str]]:
        ids = pk.regimen_ids(route_group)
        return [(self._regimen_labels[i], i) for i in ids] if ids else [("IV: set the dose and infusion time", NO_REGIMEN)]

    @staticmethod
    def _show_route_controls(controls, route_group: str) -> None:
        iv = route_group == "iv"
        controls["regimen"].layout.display = "none" if iv else None
        for name in ("dose_mg_per_kg", "infusion_min"):
            controls[name].layout.display = None if iv else "none"

    def _route_changed(self, change) -> None:
        regimen = self.controls["regimen"]
        options = self._regimen_options(change["new"])
        regimen.options = options   # its value change redraws once; the route's own redraw is then a repeat
        regimen.value = options[0][1]
        self._show_route_controls(self.controls, change["new"])

    # ---------------------------------------------------------------- figure
    def build_figure(self):
        self._bands = pk.concentration_bands()
        shapes, annotations = [], []
        for i, (context, low, high, _src) in enumerate(self._bands):
            colour = BAND_COLOURS.get(context, PALETTE[i % len(PALETTE)])
            lo, hi = (low * 0.985, high * 1.015) if high == low else (low, high)
            shapes.append(dict(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=lo, y1=hi, fillcolor=colour,
                               opacity=0.13, line=dict(width=1, color=colour), layer="below"))
            # annotations on a log axis take log10 of the value (shapes take data values)
            # overlapping bands: label psychotomimetic at its floor and the single-value band just above its line
            anchor_y, yanchor = {"psychotomimetic": (low, "bottom"), "antidepressant infusion": (high, "bottom")}.get(
                context, (math.sqrt(lo * hi), "middle"))
            annotations.append(dict(xref="paper", x=1.01, xanchor="left", yref="y", y=math.log10(anchor_y), yanchor=yanchor,
                                    text=f"{context} ({low:g}–{high:g})" if high != low else f"{context} ({low:g})",
                                    showarrow=False, font=dict(size=12, color=colour)))
        hours = GRID_MIN / 60
        traces = [
            go.Scatter(x=hours, y=np.ones_like(hours), name="Plasma (selected model)", line=line_style(0)),
            go.Scatter(x=hours, y=np.ones_like(hours), name="Effect site",
                       line=dict(color=OKABE_ITO["black"], dash="dash", width=3)),
        ]
        for j, (model_id, name) in enumerate(self._model_names.items()):
            style = line_style(j + 1)
            style["width"] = 1.5
            traces.append(go.Scatter(x=hours, y=np.ones_like(hours), name=_short_name(name), line=style, visible=False,
                                     meta=model_id))
        traces.append(go.Scatter(x=[], y=[], mode="markers", name="Measured in the studies",
                                 marker=dict(symbol="diamond", size=12, color=OKABE_ITO["black"],
                                             line=dict(width=3, color=OKABE_ITO["black"])),
                                 error_y=dict(type="data", symmetric=False, array=[], arrayminus=[], thickness=2),
                                 hovertext=[], hoverinfo="text+y"))
        layout = base_layout("Plasma and effect-site ketamine (teaching model)", "Time after first dose (h)",
                             "Concentration (ng/mL, log scale)", height=FIGURE_HEIGHT_PX, shapes=shapes,
                             annotations=annotations, margin=dict(l=80, r=260, t=50, b=110),
                             # entries at their own width, wrapping to new rows: a fixed entry width let a long
                             # model name run into its neighbour
                             legend=dict(orientation="h", yanchor="top", y=-0.2, x=0, font=dict(size=13)))
        layout["yaxis"].update(type="log", range=[0, math.log10(Y_TOP_NG_PER_ML)])
        layout["xaxis"].update(range=[0, WINDOW_MIN / 60])
        return FigureWidget(data=traces, layout=layout)

    # ---------------------------------------------------------------- model calls
    def _regimen(self, route, regimen, dose_mg_per_kg, infusion_min, interacting_drug):
        """(doses, weight kg, text, measured rows) for the current setting."""
        if route == "iv":
            how = f"over {infusion_min:g} min" if infusion_min > 0 else f"as a {pk.IV_BOLUS_OVER_MIN:g}-min bolus"
            return (pk.iv_doses(dose_mg_per_kg, infusion_min), pk.REFERENCE_WEIGHT_KG,
                    f"IV {dose_mg_per_kg:g} mg/kg {how}, 70-kg reference adult",
                    pk.iv_measurements(dose_mg_per_kg, infusion_min, interacting_drug))
        row = pk.regimen(regimen)
        text = f"{self._regimen_labels[regimen]}, simulated for {_weight_words(row['weight_basis'])}"
        return pk.regimen_doses(regimen, interacting_drug), float(row["weight_kg"]), text, pk.regimen_measurements(regimen, interacting_drug)

    def update(self, model, route, regimen, dose_mg_per_kg, infusion_min, ke0, interacting_drug, overlay):
        state = (model, route, regimen, dose_mg_per_kg, infusion_min, ke0, interacting_drug, overlay)
        if state == getattr(self, "_last_state", None):
            return self._last_text      # a route change redraws once, through the regimen it selects
        doses, weight, regimen_text, measured_rows = self._regimen(route, regimen, dose_mg_per_kg, infusion_min,
                                                                   interacting_drug)
        selected = pk.model_with_interaction(model, weight, interacting_drug, ke0)
        result = pk.simulate(selected, doses, GRID_MIN)
        summary = pk.summarise(result)
        overlays = {}
        if overlay:
            for model_id in self._model_names:
                other = pk.model_with_interaction(model_id, weight, interacting_drug, None)
                overlays[model_id] = pk.simulate(other, doses, GRID_MIN).plasma_ng_per_ml
        comparisons = pk.compare_with_measured(result, measured_rows)
        data = self.figure.data
        with self.figure.batch_update():
            data[0].y = result.plasma_ng_per_ml
            data[0].name = f"Plasma: {_short_name(self._model_names[model])}"
            data[1].y = result.effect_site_ng_per_ml
            data[1].name = f"Effect site (ke0 {selected.ke0_per_min:g}/min)"
            for trace in data[2:-1]:
                y = overlays.get(trace.meta)
                if y is not None:
                    trace.y = y
                if trace.visible != (y is not None):
                    trace.visible = y is not None
            if comparisons or data[-1].visible:
                self._set_measured([c for c in comparisons if c.time_min is not None])
            top = max([summary.cmax_ng_per_ml] + [float(y.max()) for y in overlays.values()])
            # grow for a high peak; go down to 0.1 ng/mL when the selected curve ends below 1 (oral tails)
            y_range = [0 if result.plasma_ng_per_ml[-1] >= 1 else -1, math.log10(max(Y_TOP_NG_PER_ML, 1.5 * top))]
            if list(self.figure.layout.yaxis.range) != y_range:
                self.figure.layout.yaxis.range = y_range
        text = (f"{self._model_names[model]}, {regimen_text}"
                f"{'' if interacting_drug == 'none' else ', with ' + interacting_drug}: "
                f"plasma Cmax {_ng(summary.cmax_ng_per_ml)} ng/mL at {summary.tmax_min:.0f} min, "
                f"effect-site peak {_ng(summary.effect_peak_ng_per_ml)} ng/mL at {summary.effect_tpeak_min:.0f} min, "
                f"AUC(0–12 h) {summary.auc_window_ng_h_per_ml:,.0f} ng·h/mL.")
        if overlay:
            peaks = {m: float(y.max()) for m, y in overlays.items()}
            lo, hi = min(peaks, key=peaks.get), max(peaks, key=peaks.get)
            text += (f" The models' Cmax spans {_ng(peaks[lo])} ({_short_name(self._model_names[lo])}) to "
                     f"{_ng(peaks[hi])} ng/mL ({_short_name(self._model_names[hi])}).")
        if comparisons:
            text += " " + " ".join(comparison_sentence(c) for c in comparisons)
        self._last_state, self._last_text = state, text
        return text

    def _set_measured(self, comparisons):
        points = [_measured_point(c) for c in comparisons]
        self.figure.data[-1].update(x=[p["x_h"] for p in points], y=[p["y"] for p in points],
                                    marker_symbol=[p["symbol"] for p in points],
                                    error_y=dict(array=[p["up"] for p in points], arrayminus=[p["down"] for p in points]),
                                    hovertext=[p["hover"] for p in points], visible=bool(points))


def _weight_words(basis: str) -> str:
    return basis if basis.startswith("a ") else f"a {basis}"


def _short_name(model_name: str) -> str:
    return model_name.split(" (")[0]


def _measured_point(m: pk.MeasuredComparison) -> dict:
    """One plotted measurement: a diamond at the value (a bar for a range) with its spread."""
    centre = m.value if m.value is not None else math.sqrt(m.low * m.high)
    hover = f"{study_citation(m.source_id, m.primary_study)}: {measured_text(m)}; {m.regimen}"
    return dict(x_h=m.time_min / 60, y=centre, symbol="diamond" if m.value is not None else "line-ew-open",
                up=(m.high - centre) if m.high is not None else 0, down=(centre - m.low) if m.low is not None else 0,
                hover=hover)


ROUTE_NAMES = {"im": "intramuscular", "intranasal": "intranasal", "oral": "oral", "sublingual": "sublingual"}


def bioavailability_figure() -> DescribedFigure:
    """Dot plot of bioavailability by route and study (``routes`` table), with reported ranges."""
    table = pk.routes()
    table = table[table["route"] != "iv"].iloc[::-1]
    x = table["bioavailability"] * 100
    hi = (table["bioavailability_high"].fillna(table["bioavailability"]) * 100) - x
    lo = x - (table["bioavailability_low"].fillna(table["bioavailability"]) * 100)
    symbols = {"im": "square", "intranasal": "circle", "oral": "diamond", "sublingual": "triangle-up"}
    hover = [f"{population} · {short_citation(source)}" for population, source in zip(table["population"], table["source_id"])]
    fig = go.Figure(go.Scatter(
        x=x, y=table["label"], mode="markers",
        marker=dict(size=13, color=[PALETTE[list(symbols).index(r)] for r in table["route"]],
                    symbol=[symbols[r] for r in table["route"]], line=dict(width=1, color="#333")),
        error_x=dict(type="data", symmetric=False, array=hi, arrayminus=lo, thickness=2),
        hovertext=hover, hoverinfo="text+x", showlegend=False))
    fig.update_layout(**base_layout("Bioavailability by route and study (IV = 100%)", "Absolute bioavailability (%)", "",
                                    height=520, margin=dict(l=420, r=30, t=60, b=60)))
    fig.update_xaxes(range=[0, 100])
    spans = []
    for route, values in x.groupby(table["route"], sort=False):
        low, high = values.min(), values.max()
        spans.append(f"{ROUTE_NAMES.get(route, route)} {low:.0f} %" if len(values) == 1 or low == high
                     else f"{ROUTE_NAMES.get(route, route)} {low:.0f}–{high:.0f} % ({len(values)} measurements)")
    return described(fig, "Absolute bioavailability (the share of a dose that reaches the circulation; IV = 100 %) for "
                          "each route and study, one row each, with a bar where a range was reported; the marker's shape "
                          "gives the route. Study values by route: " + "; ".join(reversed(spans)) + ".")


def context_sensitive_figure(weight_kg: float = 70.0) -> DescribedFigure:
    """Context-sensitive half-time (min) against infusion duration for each ketamine model."""
    durations = np.array([5, 10, 20, 40, 60, 90, 120, 180, 240, 360, 480])
    fig = go.Figure()
    models = pk.pk_models("ketamine")
    for j, (model_id, name) in enumerate(zip(models["id"], models["name"])):
        model = pk.model_from_table(model_id, weight_kg)
        y = [pk.context_sensitive_half_time_min(model, d) for d in durations]
        fig.add_trace(go.Scatter(x=durations, y=y, name=name, mode="lines+markers", line=line_style(j)))
    fig.update_layout(**base_layout("Context-sensitive half-time: how long plasma takes to halve after an infusion",
                                    "Infusion duration (min)", "Half-time after stopping (min)", height=480,
                                    legend=dict(orientation="h", yanchor="top", y=-0.18, x=0)))
    ends = [(trace.name, trace.y[0], trace.y[-1]) for trace in fig.data]
    changes = "; ".join(f"{name} {first:.0f} min throughout" if round(first) == round(last)
                        else f"{name} from {first:.0f} to {last:.0f} min" for name, first, last in ends)
    longest = sorted(last for _, _, last in ends)
    return described(fig, "How long plasma ketamine takes to halve after an infusion stops, against how long the "
                          f"infusion lasted ({durations[0]} to {durations[-1]} min), one line per model. "
                          f"Half-time from the shortest to the longest infusion: {changes}. After the longest infusion "
                          f"the models range from {longest[0]:.0f} to {longest[-1]:.0f} min.")
