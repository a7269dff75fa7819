"""The progress view (notebooks 00 and 12): each notebook's score, the sections to revisit, a CSV export.

The export is a download link made in the page (a ``data:`` URL), so it needs no
server round trip and works on Binder and in Voilà.
"""

from __future__ import annotations

import base64
import html
import os
from datetime import date

import ipywidgets as W

import course_data
from widgets import progress
from widgets.models.course_plan import notebook_number

BINDER_NOTE = ("You are on Binder: your progress lasts only for this session. "
               "Export it as CSV before you close the tab if you want to keep it.")
LOCAL_NOTE = "Saved on this computer, in your Jupyter data folder: it survives a kernel restart and a new session."
BOOK_NOTE = ("Your progress view appears here when you run this notebook in JupyterLab: it keeps your self-check "
             "answers and predictions on your computer and exports them as a CSV file you can hand in.")


def _plan() -> list[tuple[str, str]]:
    plan = course_data.load("course_plan")
    return list(zip(plan["slug"], plan["title"]))


def _bank_sizes() -> dict[str, int]:
    return {bank: len(course_data.questions(bank)) for bank in course_data.question_banks()}


def _cell(text: str, **style: str) -> str:
    css = "padding:4px 8px;vertical-align:top;border-top:1px solid #ddd;" + "".join(f"{k.replace('_', '-')}:{v};" for k, v in style.items())
    return f"<td style='{css}'>{text}</td>"


class ProgressView:
    """A table of the learner's saved progress with an "Export CSV" button."""

    def __init__(self, store: progress.ProgressStore | None = None):
        self.store = store or progress.store()
        self.titles = _plan()
        self.sizes = _bank_sizes()
        self.note = W.HTML().add_class("progress-note")
        self.table = W.HTML(layout=W.Layout(width="100%")).add_class("progress-table")
        self.export_button = W.Button(description="Export CSV", icon="download", button_style="primary",
                                      tooltip="Make a CSV file of your answers, predictions and exercise results to hand in")
        self.export_button.on_click(lambda _b: self.export())
        self.download = W.HTML().add_class("progress-download")
        self.csv_text = ""
        self.widget = W.VBox(
            [W.HTML("<h3 style='margin:6px 0;font-size:1.05em'>Your progress</h3>"), self.note, self.table,
             W.HBox([self.export_button, self.download], layout=W.Layout(align_items="center", grid_gap="12px"))],
            layout=W.Layout(border="1px solid #ccc", padding="6px 12px", margin="8px 0"),
        ).add_class("course-progress")
        self.store.subscribe(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the saved record (called after every answer, prediction or exercise in this kernel)."""
        rows = self.store.summary([slug for slug, _ in self.titles])
        titles = dict(self.titles)
        notes = [BINDER_NOTE if progress.on_binder() else LOCAL_NOTE]
        if self.store.notice:
            notes.insert(0, self.store.notice)
        self.note.value = "".join(f"<p style='margin:2px 0;max-width:60em'>{html.escape(n)}</p>" for n in notes)
        head = "".join(f"<th scope='col' style='text-align:left;padding:4px 8px;background:#e8e8e8'>{h}</th>"
                       for h in ("Notebook", "Self-checks (first answers)", "Predictions", "Exercises", "Sections to revisit"))
        body = []
        for row in rows:
            items = self.sizes.get(row.notebook, 0)
            if row.answered or row.revealed:
                shown = f", {row.revealed} shown" if row.revealed else ""
                score = f"<b>{row.correct} of {items}</b> correct ({row.answered} answered{shown})"
            else:
                score = f"not started ({items} questions)" if items else "no self-checks"
            exercises = (f"{row.exercise_score:g} of {row.exercise_max:g} points" if row.exercise_max else "none yet")
            revisit = html.escape("; ".join(row.revisit)) if row.revisit else ("none" if row.answered else "")
            name = f"{notebook_number(row.notebook)} {titles.get(row.notebook, row.notebook)}"
            body.append("<tr>" + _cell(html.escape(name)) + _cell(score) + _cell(str(row.predictions) if row.predictions else "none yet")
                        + _cell(exercises) + _cell(revisit, color="#8a2b00") + "</tr>")
        self.table.value = (f"<table style='border-collapse:collapse;font-size:0.92em;max-width:100%'>"
                            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def export(self) -> str:
        """Make the CSV and show a download link for it (built in the page: no server needed)."""
        self.csv_text = self.store.csv_text()
        rows = self.csv_text.count("\n") - 1
        name = f"ketamine-course-progress-{date.today().isoformat()}.csv"
        payload = base64.b64encode(self.csv_text.encode("utf-8")).decode("ascii")
        self.download.value = (f"<a download='{name}' href='data:text/csv;charset=utf-8;base64,{payload}' "
                               f"style='font-weight:bold'>Download {html.escape(name)}</a> "
                               f"<span style='color:#555'>({rows} {'row' if rows == 1 else 'rows'})</span>")
        return self.csv_text

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def progress_view() -> ProgressView | W.HTML:
    """The learner's saved progress across the course, with a CSV export.

    In the course book (a static page built elsewhere) there is no learner's progress to show,
    only how to keep it: the builder's own record must never appear on a published page."""
    from widgets.book_render import ENV_FLAG

    if os.environ.get(ENV_FLAG) == "1":
        return W.HTML(f"<p class='course-progress book-progress'>{html.escape(BOOK_NOTE)}</p>")
    return ProgressView()
