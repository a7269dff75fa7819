"""Course map explorer (notebook 00): the notebooks, their time and objectives."""

from __future__ import annotations

import itertools

import plotly.graph_objects as go

from widgets.explorer import Explorer, labelled_dropdown
from widgets.figure import FigureWidget
from widgets.models.course_plan import course_map, notebook_number
from widgets.style import OKABE_ITO, base_layout


class CourseMapExplorer(Explorer):
    title = "Course map"
    figure_summary = (
        "Horizontal bars, one per notebook in course order, each as long as its estimated study time and starting "
        "where the ones before it end; the chosen notebook's bar is highlighted. Choosing a notebook moves the "
        "highlight and puts its objectives in the readout."
    )
    prompt = "Pick a notebook to see its objectives and where it sits in the course. Bars show the estimated time; the highlighted bar is your choice."
    demo_changes = [("notebook", "04_pharmacokinetics"), ("notebook", "09_addiction_risk")]

    def build_controls(self):
        self.entries = course_map()
        options = [(f"{notebook_number(e.slug)} {e.title}", e.slug) for e in self.entries]
        return {"notebook": labelled_dropdown("Notebook", options, self.entries[0].slug)}

    def build_figure(self):
        labels = [f"{notebook_number(e.slug)} {e.title}" for e in self.entries]
        minutes = [e.minutes for e in self.entries]
        starts = list(itertools.accumulate([0] + minutes[:-1]))
        bar = go.Bar(
            y=labels, x=minutes, base=starts, orientation="h",
            text=[f"{m} min{'' if e.available else ' (planned)'}" for m, e in zip(minutes, self.entries)],
            textposition="outside", cliponaxis=False,
            marker=dict(color=[OKABE_ITO["sky_blue"]] * len(labels), line=dict(color="#333", width=1),
                        pattern=dict(shape=["" if e.available else "/" for e in self.entries])),
            hovertemplate="%{y}: %{x} min<extra></extra>",
        )
        layout = base_layout("Course map: cumulative study time", "Cumulative time (min)", "",
                             height=520, showlegend=False, margin=dict(l=300, r=150, t=60, b=60))
        layout["yaxis"]["autorange"] = "reversed"
        return FigureWidget(data=[bar], layout=layout)

    def update(self, notebook):
        index = [e.slug for e in self.entries].index(notebook)
        entry = self.entries[index]
        colours = [OKABE_ITO["sky_blue"]] * len(self.entries)
        colours[index] = OKABE_ITO["vermillion"]
        with self.figure.batch_update():
            self.figure.data[0].marker.color = colours
        before = sum(e.minutes for e in self.entries[:index])
        status = "available" if entry.available else "planned"
        return (f"{notebook_number(entry.slug)} {entry.title}: {entry.minutes} min ({status}), starts after {before} min of the course. "
                f"Objectives: {'; '.join(entry.objectives)}.")
