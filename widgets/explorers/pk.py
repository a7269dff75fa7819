"""PK explorer (notebook 04): plasma and effect-site ketamine after label and trial doses.

Thin layer over :mod:`widgets.models.pk`: controls → exact simulation on a 1-min
grid (12 h) → one figure updated in place → a one-line readout.
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np
import plotly.graph_objects as go

from widgets.explorer import CONTROL_LAYOUT, CONTROL_STYLE, Explorer, labelled_dropdown, labelled_slider
from widgets.figure import FigureWidget
from widgets.models import pk
from widgets.style import OKABE_ITO, PALETTE, base_layout, line_style

WINDOW_MIN = 12 * 60
GRID_MIN = np.arange(0.0, WINDOW_MIN + 1.0, 1.0)
BAND_COLOURS = {
    "analgesia": OKABE_ITO["bluish_green"],
    "antidepressant infusion": OKABE_ITO["blue"],
    "psychotomimetic": OKABE_ITO["reddish_purple"],
    "emergence": OKABE_ITO["orange"],
    "anaesthesia": OKABE_ITO["vermillion"],
}
KE0_OPTIONS = [
    ("Model's own value (see table)", "table"),
    ("0.114 /min (derived from Olofsen 2012)", 0.114),
    ("0.652 /min (assumed in opentiva for Domino)", 0.652),
    ("5.2 /min (assumed in opentiva for Clements)", 5.2),
]


class PKExplorer(Explorer):
    title = "Ketamine pharmacokinetics: plasma and effect site"
    prompt = (
        "Teaching model, not for clinical decisions: doses are limited to label and trial ranges. "
        "Predict first: for 0.5 mg/kg IV over 40 min, where does the plasma curve end relative to the "
        "measured 100–250 ng/mL? Then switch the route to oral, or tick 'all models', and predict again."
    )
    demo_changes = [("dose_mg_per_kg", 1.0), ("model", "kamp"), ("infusion_min", 0.0), ("overlay", True),
                    ("ke0", 0.652), ("dose_mg_per_kg", 0.3), ("route", "oral-chong"), ("interacting_drug", "rifampicin")]
    invalid_change = ("dose_mg_per_kg", 13.0)

    def build_controls(self):
        models = pk.pk_models("ketamine")
        self._model_names = dict(zip(models["id"], models["name"]))
        routes = pk.routes()
        self._route_labels = dict(zip(routes["id"], routes["label"]))
        self._route_kind = dict(zip(routes["id"], routes["route"]))
        drugs = ["none"] + sorted(set(pk.drug_interactions()["interacting_drug"]))
        return {
            "model": labelled_dropdown("Model", [(n, i) for i, n in self._model_names.items()], "domino"),
            "route": labelled_dropdown("Route (study)", [(l, i) for i, l in self._route_labels.items()], "iv"),
            "dose_mg_per_kg": labelled_slider("Dose (mg/kg, free base)", 0.5, 0.1, 13.0, 0.05),
            "weight_kg": labelled_slider("Body weight (kg)", 70, 10, 150, 1),
            "infusion_min": labelled_slider("IV infusion time (min; 0 = bolus over 1 min)", 40, 0, 120, 5),
            "doses": W.IntSlider(value=1, min=1, max=3, step=1, description="Number of doses", continuous_update=False,
                                 style=CONTROL_STYLE, layout=CONTROL_LAYOUT),
            "interval_h": labelled_slider("Dose interval (h)", 4, 1, 6, 0.5),
            "ke0": labelled_dropdown("Effect-site ke0", KE0_OPTIONS, "table"),
            "interacting_drug": labelled_dropdown("Interacting drug", [(d if d != "none" else "none", d) for d in drugs], "none"),
            "overlay": W.Checkbox(value=False, description="Overlay all models (plasma)", indent=False,
                                  layout=CONTROL_LAYOUT),
        }

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
            traces.append(go.Scatter(x=hours, y=np.ones_like(hours), name=name, line=style, visible=False, meta=model_id))
        traces.append(go.Scatter(x=[], y=[], mode="markers", name="Measured (Table T)",
                                 marker=dict(symbol="diamond", size=12, color=OKABE_ITO["black"],
                                             line=dict(width=3, color=OKABE_ITO["black"])),
                                 error_y=dict(type="data", symmetric=False, array=[], arrayminus=[], thickness=2),
                                 hovertext=[], hoverinfo="text+y"))
        layout = base_layout("Plasma and effect-site ketamine (teaching model)", "Time after first dose (h)",
                             "Concentration (ng/mL, log scale)", height=640, shapes=shapes, annotations=annotations,
                             margin=dict(l=80, r=260, t=60, b=60),
                             legend=dict(orientation="h", yanchor="top", y=-0.14, x=0, entrywidth=0.5,
                                         entrywidthmode="fraction", font=dict(size=13)))
        layout["yaxis"].update(type="log", range=[0, math.log10(5000)])
        layout["xaxis"].update(range=[0, WINDOW_MIN / 60])
        return FigureWidget(data=traces, layout=layout)

    def _doses(self, model_id, route, dose_mg_per_kg, weight_kg, infusion_min, doses, interval_h, drug):
        amount = dose_mg_per_kg * weight_kg
        # an IV "bolus" is given over 1 min, as the label advises giving it slowly over 60 s (mpk:D1)
        inf = (infusion_min if infusion_min > 0 else 1.0) if self._route_kind[route] == "iv" else None
        return pk.route_doses(route, amount, infusion_min=inf, count=doses, interval_min=interval_h * 60,
                              interacting_drug=drug)

    def update(self, model, route, dose_mg_per_kg, weight_kg, infusion_min, doses, interval_h, ke0,
               interacting_drug, overlay):
        dose = pk.check_dose_for_route(route, dose_mg_per_kg)
        regimen = self._doses(model, route, dose, weight_kg, infusion_min, doses, interval_h, interacting_drug)
        selected = pk.model_with_interaction(model, weight_kg, interacting_drug, ke0)
        result = pk.simulate(selected, regimen, GRID_MIN)
        summary = pk.summarise(result)
        overlays = {}
        if overlay:
            for model_id in self._model_names:
                other = pk.model_with_interaction(model_id, weight_kg, interacting_drug, None)
                overlays[model_id] = pk.simulate(other, regimen, GRID_MIN).plasma_ng_per_ml
        measured = self._measured(route, dose, weight_kg, infusion_min, doses)
        data = self.figure.data
        with self.figure.batch_update():
            data[0].y = result.plasma_ng_per_ml
            data[0].name = f"Plasma: {self._model_names[model]}"
            data[1].y = result.effect_site_ng_per_ml
            data[1].name = f"Effect site (ke0 {selected.ke0_per_min:g} /min)"
            for trace in data[2:-1]:
                y = overlays.get(trace.meta)
                if y is not None:
                    trace.y = y
                if trace.visible != (y is not None):
                    trace.visible = y is not None
            if measured or data[-1].visible:
                self._set_measured(measured)
        route_text = self._route_labels[route].split(" (")[0]
        how = ((f" over {infusion_min:g} min" if infusion_min > 0 else " as a 1-min bolus")
               if self._route_kind[route] == "iv" else "")
        repeat = f" ×{doses} every {interval_h:g} h" if doses > 1 else ""
        above = ", ".join(f"{c} {m:.0f} min" for c, m in summary.minutes_above.items() if m > 0) or "none"
        text = (f"{self._model_names[model]}, {route_text} {dose:g} mg/kg{how}{repeat} at {weight_kg:g} kg"
                f"{'' if interacting_drug == 'none' else ' with ' + interacting_drug}: "
                f"plasma Cmax {summary.cmax_ng_per_ml:.0f} ng/mL at {summary.tmax_min:.0f} min, "
                f"effect-site peak {summary.effect_peak_ng_per_ml:.0f} ng/mL at {summary.effect_tpeak_min:.0f} min, "
                f"AUC(0–12 h) {summary.auc_window_ng_h_per_ml:.0f} ng·h/mL; time above band floors: {above}.")
        if overlay:
            ends = {m: y[int(np.argmax(y))] for m, y in overlays.items()}
            lo, hi = min(ends, key=ends.get), max(ends, key=ends.get)
            text += f" Models' Cmax spans {ends[lo]:.0f} ({lo}) to {ends[hi]:.0f} ng/mL ({hi})."
        if measured:
            parts = [f"{m['id']} {m['shown']} vs predicted "
                     f"{float(np.interp(m['x_h'] * 60, GRID_MIN, result.plasma_ng_per_ml)):.0f} ng/mL" for m in measured]
            text += " Measured (Table T): " + "; ".join(parts) + "."
        return text

    def _set_measured(self, measured):
        self.figure.data[-1].update(x=[m["x_h"] for m in measured], y=[m["y"] for m in measured],
                                    marker_symbol=[m["symbol"] for m in measured],
                                    error_y=dict(array=[m["up"] for m in measured],
                                                 arrayminus=[m["down"] for m in measured]),
                                    hovertext=[m["hover"] for m in measured], visible=bool(measured))

    def _measured(self, route, dose, weight_kg, infusion_min, doses):
        """Table T points whose regimen matches the current one (first dose only)."""
        if not hasattr(self, "_measured_rows"):
            table = pk.measured_concentrations()
            self._measured_rows = [row.to_dict() for _, row in table[table["quantity"] != "AUC"].iterrows()]
        points = []
        for row in self._measured_rows:
            if row["route_id"] != route:
                continue
            if row["route_id"] != route:
                continue
            per_kg = row["dose_mg_per_kg"]
            amount = dose * weight_kg
            if not pk._na(per_kg):
                if abs(per_kg - dose) > 1e-9:
                    continue
            elif abs(amount - row["dose_mg"]) > 0.03 * row["dose_mg"]:
                continue
            row_inf = None if pk._na(row["infusion_min"]) else float(row["infusion_min"])
            cur_inf = (infusion_min if infusion_min > 0 else 1.0) if route == "iv" else None
            if row_inf != cur_inf or pk._na(row["time_min"]):
                continue
            low, high, value = (None if pk._na(row[k]) else float(row[k]) for k in ("low", "high", "value"))
            centre = value if value is not None else math.sqrt(low * high)
            shown = f"{value:g}" if value is not None else f"{low:g}–{high:g}"
            spread = f" ({row['spread']} {low:g}–{high:g})" if (low is not None and value is not None) else ""
            points.append(dict(id=row["id"], x_h=float(row["time_min"]) / 60, y=centre,
                               symbol="diamond" if value is not None else "line-ew-open",
                               up=(high - centre) if high is not None else 0,
                               down=(centre - low) if low is not None else 0, shown=shown,
                               hover=f"{row['id']}: {shown} ng/mL{spread}; {row['regimen']}; source {row['source_id']}"))
        return points



def bioavailability_figure() -> go.Figure:
    """Dot plot of bioavailability by route and study (``routes`` table), with reported ranges."""
    table = pk.routes()
    table = table[table["route"] != "iv"].iloc[::-1]
    x = table["bioavailability"] * 100
    hi = (table["bioavailability_high"].fillna(table["bioavailability"]) * 100) - x
    lo = x - (table["bioavailability_low"].fillna(table["bioavailability"]) * 100)
    symbols = {"im": "square", "intranasal": "circle", "oral": "diamond", "sublingual": "triangle-up"}
    fig = go.Figure(go.Scatter(
        x=x, y=table["label"], mode="markers",
        marker=dict(size=13, color=[PALETTE[list(symbols).index(r)] for r in table["route"]],
                    symbol=[symbols[r] for r in table["route"]], line=dict(width=1, color="#333")),
        error_x=dict(type="data", symmetric=False, array=hi, arrayminus=lo, thickness=2),
        hovertext=table["population"] + " · source " + table["source_id"], hoverinfo="text+x", showlegend=False))
    fig.update_layout(**base_layout("Bioavailability by route and study (IV = 100%)", "Absolute bioavailability (%)", "",
                                    height=520, margin=dict(l=420, r=30, t=60, b=60)))
    fig.update_xaxes(range=[0, 100])
    return fig


def context_sensitive_figure(weight_kg: float = 70.0) -> go.Figure:
    """Context-sensitive half-time (min) against infusion duration for each ketamine model."""
    durations = np.array([5, 10, 20, 40, 60, 90, 120, 180, 240, 360, 480])
    fig = go.Figure()
    for j, (model_id, name) in enumerate(zip(pk.pk_models("ketamine")["id"], pk.pk_models("ketamine")["name"])):
        model = pk.model_from_table(model_id, weight_kg)
        y = [pk.context_sensitive_half_time_min(model, d) for d in durations]
        fig.add_trace(go.Scatter(x=durations, y=y, name=name, mode="lines+markers", line=line_style(j)))
    fig.update_layout(**base_layout("Context-sensitive half-time: how long plasma takes to halve after an infusion",
                                    "Infusion duration (min)", "Half-time after stopping (min)", height=480,
                                    legend=dict(orientation="h", yanchor="top", y=-0.18, x=0)))
    return fig
