"""Cumulative review (notebook 12): a mixed quiz drawn from every notebook's question bank.

Controls choose how many questions and which reproducible set; the quiz below is
a :class:`widgets.quiz.Quiz` whose explanations point back to the section that
teaches each question, with links to the notebooks. The figure shows how many
questions of the current set come from each notebook.
"""

from __future__ import annotations

import html

import ipywidgets as W
import plotly.graph_objects as go

from widgets.explorer import CONTROL_STYLE, Explorer, IntSlider, labelled_dropdown
from widgets.figure import FigureWidget
from widgets.models import review as model
from widgets.models.course_plan import notebook_number
from widgets.quiz import Question, Quiz
from widgets.style import OKABE_ITO, base_layout


def _sections_text(questions: list[dict], bank: str) -> str:
    """'§1 §3': the sections of ``bank`` that the drawn questions check (by their number where titled 'N. …')."""
    labels = []
    for q in questions:
        if q["notebook"] == bank:
            title = q.get("section_title") or q["section"]
            label = "§" + (title.split(".", 1)[0] if title.split(".", 1)[0].isdigit() else q["section"])
            if label not in labels:
                labels.append(label)
    return " ".join(sorted(labels))


class ReviewQuizExplorer(Explorer):
    title = "Cumulative review: questions from the whole course"
    figure_summary = (
        "Vertical bars, one per notebook, counting this set's questions drawn from it, labelled with the sections "
        "covered. Changing the set or the number of questions redraws the bars."
    )
    prompt = ("Answer each question, then check it: the feedback says where in the course to review it. "
              "Change the question set for a new mix; the bars show which notebooks this set draws on.")
    demo_changes = [("set_number", 2), ("n_questions", 20)]

    def build_controls(self):
        self.questions: list[dict] = []
        # Question widgets are reused from set to set (Question.load): changing the set updates
        # them in place instead of making the browser build a new quiz.
        self.slots: list[Question] = []
        self.quiz = Quiz([], title="Review", notebook=model.REVIEW_BANK)
        self.quiz_box = W.VBox([self.quiz.widget]).add_class("review-quiz")
        self.links = W.HTML().add_class("review-links")
        return {
            "set_number": IntSlider(value=1, min=1, max=50, step=1, description="Question set",
                                    continuous_update=False, style=CONTROL_STYLE),
            "n_questions": labelled_dropdown("Number of questions", [6, 12, 20, 40], 12),
        }

    def build_figure(self):
        # Draw the initial set here (not only in update()): changes made to a FigureWidget before
        # it is first displayed do not reach the browser.
        self.questions = model.draw_review(self.controls["n_questions"].value, seed=int(self.controls["set_number"].value))
        banks = model.review_banks()
        counts = model.coverage(self.questions)
        bar = go.Bar(x=[notebook_number(b) for b in banks], y=[counts.get(b, 0) for b in banks], marker=dict(color=OKABE_ITO["blue"]),
                     text=[_sections_text(self.questions, b) for b in banks], textposition="outside", cliponaxis=False,
                     hovertemplate="notebook %{x}: %{y} questions (sections %{text})<extra></extra>")
        layout = base_layout("Questions in this set, by notebook (labels: sections covered)", "Notebook (number)",
                             "Questions (count)", height=300, showlegend=False, margin=dict(l=70, r=30, t=60, b=60))
        layout["xaxis"]["type"] = "category"
        layout["yaxis"]["rangemode"] = "tozero"
        layout["yaxis"]["dtick"] = 1
        return FigureWidget(data=[bar], layout=layout)

    def extra_widgets_below(self):
        return [self.quiz_box, self.links]

    def update(self, set_number, n_questions):
        self.questions = model.draw_review(n_questions, seed=int(set_number))
        counts = model.coverage(self.questions)
        banks = model.review_banks()
        with self.figure.batch_update():
            self.figure.data[0].x = [notebook_number(b) for b in banks]
            self.figure.data[0].y = [counts.get(b, 0) for b in banks]
            self.figure.data[0].text = [_sections_text(self.questions, b) for b in banks]
        for i, spec in enumerate(self.questions):
            if i < len(self.slots):
                self.slots[i].load(spec)
            else:  # a longer set than any before: one more slot
                self.slots.append(Question(spec, notebook=model.REVIEW_BANK))  # recorded under the spec's own notebook
        self.quiz.show(self.slots[:len(self.questions)], title=f"Review set {set_number}: {len(self.questions)} questions")
        sections = sorted({(q["notebook"], q["link"]) for q in self.questions})
        items = "".join(f"<li><a href='{html.escape(nb)}.ipynb' target='_blank'>{html.escape(link)}</a></li>"
                        for nb, link in sections)
        self.links.value = f"<details><summary>Sections this set covers ({len(sections)})</summary><ul>{items}</ul></details>"
        return (f"Set {set_number}: {len(self.questions)} questions from {len(counts)} of {len(banks)} notebooks "
                f"({', '.join(f'{notebook_number(b)}×{n}' for b, n in counts.items())}).")


def key_numbers() -> W.HTML:
    """Every row of the shared ``facts`` table, grouped by notebook, each with unit and evidence badge."""
    from widgets.evidence import fact_html

    titles = model.notebook_titles()
    grouped = model.facts_by_notebook()
    parts = []
    for notebook, fact_ids in grouped.items():
        heading = f"{notebook_number(notebook)} {titles.get(notebook, notebook)}"
        items = "".join(f"<li style='margin:3px 0'>{fact_html(f)}</li>" for f in fact_ids)
        parts.append(f"<h3 style='margin:10px 0 2px 0;font-size:1.05em'>{html.escape(heading)} "
                     f"<span style='font-weight:normal;font-size:0.85em'>({html.escape(notebook)}.ipynb)</span></h3>"
                     f"<ul style='margin:2px 0'>{items}</ul>")
    total = sum(len(v) for v in grouped.values())
    intro = f"<p>{total} key numbers from {len(grouped)} notebooks. Select a badge (click, tap, or Tab then Enter) for the full reference.</p>"
    return W.HTML(intro + "".join(parts)).add_class("course-key-numbers")
