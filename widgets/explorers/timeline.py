"""History timeline explorer (notebook 01): dated events by lane, coloured by evidence status."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from widgets.evidence import PROVENANCE, for_learners, short_citation
from widgets.explorer import Explorer, labelled_dropdown
from widgets.explorer_predictions import PREDICTIONS
from widgets.figure import FigureWidget
from widgets.models import timeline as model
from widgets.style import STATUS_COLOURS, base_layout

STATUS_SYMBOLS = {"VERIFIED": "circle", "VERIFIED-2°": "square", "PARTIAL": "diamond-open", "DERIVED": "x"}


class TimelineExplorer(Explorer):
    title = "Ketamine's history as data"
    figure_summary = (
        "Markers along a calendar-year axis, one per dated event, in lanes by kind of event; colour and shape give "
        "the provenance of the date, and dotted lines join dates that sources disagree on. The lane and provenance "
        "filters hide the other events."
    )
    prompt = ("Each marker is a dated event with its source; colour and shape give the provenance of the date (how the course checked it against its source). "
              "Dotted lines join dates that sources disagree on. Predict first: which lane has the most disputed dates, "
              "and which dates survive the filter 'VERIFIED only'?")
    demo_changes = [("status_filter", "VERIFIED only"), ("category", "regulation (UK)"),
                    ("category", "chemistry and first use"), ("status_filter", "all")]
    prediction = PREDICTIONS["TimelineExplorer"]

    def build_controls(self):
        self.events = model.timeline()
        cats = [("All lanes", model.ALL)] + [(c, c) for c in model.categories()]
        return {"category": labelled_dropdown("Lane", cats, model.ALL),
                "status_filter": labelled_dropdown(f"{PROVENANCE} filter", list(model.STATUS_FILTERS), "all")}

    def build_figure(self):
        ev = self.events
        self.lanes = model.categories()
        # numeric lanes with a cycling offset inside each lane, so that labels of close events do not overlap
        offsets = ev.groupby("category").cumcount().to_numpy() % 3
        self.y_pos = [self.lanes.index(c) + (o - 1) * 0.3 for c, o in zip(ev["category"], offsets)]
        self.hover = [f"<b>{html.escape(r.date_text)}</b>: {html.escape(r.event)}<br>{PROVENANCE.lower()} {r.status}; "
                      f"{html.escape(short_citation(r.source_id))}"
                      + (f"<br>{html.escape(for_learners(r.note))}" if isinstance(r.note, str) else "") for r in ev.itertuples()]
        markers = go.Scatter(x=[], y=[], mode="markers+text", textposition="middle right", textfont=dict(size=12), name="event",
                             marker=dict(size=13, line=dict(width=1.5, color="#333")),
                             hovertemplate="%{customdata}<extra></extra>", showlegend=False)
        lines = go.Scatter(x=[], y=[], mode="lines", line=dict(dash="dot", width=3, color="#D55E00"),
                           name="dates that sources disagree on", hoverinfo="skip")
        legend = [go.Scatter(x=[None], y=[None], mode="markers", name=f"{PROVENANCE.lower()}: {s}",
                             marker=dict(symbol=STATUS_SYMBOLS[s], color=STATUS_COLOURS[s], size=12, line=dict(width=1.5, color="#333")))
                  for s in ("VERIFIED", "VERIFIED-2°", "PARTIAL")]
        layout = base_layout("Ketamine's history: dated events and the evidence behind each date", "Year (calendar year)", "Lane",
                             height=480, margin=dict(l=190, r=30, t=60, b=90), legend=dict(orientation="h", y=-0.22))
        layout["xaxis"].update(range=[1958, 2032], dtick=5)
        layout["yaxis"].update(tickvals=list(range(len(self.lanes))), ticktext=self.lanes, range=[-0.5, len(self.lanes) - 0.5],
                               showgrid=False)
        self._cache = {}
        for category in [model.ALL, *self.lanes]:
            for status_filter in model.STATUS_FILTERS:
                self._cache[(category, status_filter)] = self._compute(category, status_filter)
        return FigureWidget(data=[lines, markers, *legend], layout=layout)

    def _compute(self, category, status_filter):
        shown = model.filter_events(self.events, category, status_filter)
        idx = list(shown.index)
        groups = model.disagreements(shown)
        xs, ys = [], []
        for g in groups:
            rows = shown[shown["disagreement_group"] == g]
            xs += [int(v) for v in rows["year"]] + [None]
            ys += [self.y_pos[i] for i in rows.index] + [None]
        traces = dict(x=[int(v) for v in shown["year"]], y=[self.y_pos[i] for i in idx], text=[str(y) for y in shown["year"]],
                      customdata=[self.hover[i] for i in idx], colors=[STATUS_COLOURS[s] for s in shown["status"]],
                      symbols=[STATUS_SYMBOLS[s] for s in shown["status"]], line_x=xs, line_y=ys)
        if shown.empty:
            return traces, f"No events in lane '{category}' pass the filter '{status_filter}'."
        dispute = "; ".join(f"{g}: " + " vs ".join(f"{y} ({s})" for y, s in v) for g, v in groups.items())
        lane = "all lanes" if category == model.ALL else f"lane '{category}'"
        return traces, (f"{len(shown)} events in {lane} ({status_filter}), {shown['year'].min()}–{shown['year'].max()}. "
                        f"Disputed dates: {dispute or 'none shown'}.")

    def update(self, category, status_filter):
        key = (category, status_filter)
        if key not in self._cache:  # every combination is small: computed once, then reused
            self._cache[key] = self._compute(category, status_filter)
        traces, readout = self._cache[key]
        with self.figure.batch_update():
            m = self.figure.data[1]
            m.x, m.y, m.text, m.customdata = traces["x"], traces["y"], traces["text"], traces["customdata"]
            m.marker.color, m.marker.symbol = traces["colors"], traces["symbols"]
            self.figure.data[0].x, self.figure.data[0].y = traces["line_x"], traces["line_y"]
        return readout
