"""Static HTML for the course book: explorers, quizzes, widgets and figures without a kernel.

The book build (``python -m book.build``) executes every notebook with
``COURSE_BOOK_RENDER=1``; ``widgets/__init__`` then calls :func:`register`, which
registers these renderers as IPython *type printers*
(``display_formatter.ipython_display_formatter.for_type``). Type printers take
precedence over ``_ipython_display_``, so nothing else in the course changes:

* an explorer becomes its title, prompt, the settings it is shown at, its plotly
  figure (interactive: zoom, hover), its readout, a note that moving the controls
  needs a running kernel, and a launch link (``LAUNCH_PLACEHOLDER``, which the
  build replaces per page with a Binder or a run-it-yourself link);
* a quiz becomes its questions with their options and, folded in ``<details>``,
  the answer, the explanation with its evidence badges and each option's feedback;
* a "Your turn" check (``widgets.exercises.CheckResult``) becomes a note that checking needs
  a running kernel, with the launch link;
* a plotly figure becomes plotly's HTML without plotly.js (the book ships
  plotly.js once for the whole site), sized to the page width, with its description
  beneath it (:mod:`widgets.figure_text`);
* any other widget becomes its static HTML (an ``HTML`` widget's markup, a box's
  children; a control shows its description and value).

No widget state is embedded: one FigureWidget's state is about 5 MB.
"""

from __future__ import annotations

import html
import itertools
import random
import re
from typing import Any

import ipywidgets as W
from IPython.display import HTML, display
from plotly.basedatatypes import BaseFigure
import plotly.graph_objects as go

import course_data
from widgets.evidence import badge_html
from widgets.explorer import Explorer
from widgets.figure_text import caption_html
from widgets.quiz import Quiz

ENV_FLAG = "COURSE_BOOK_RENDER"
#: Replaced by the book build with the page's launch link (Binder, or how to run it locally).
LAUNCH_PLACEHOLDER = "<!--course-launch-->"
KERNEL_NOTE = "This is the explorer at its teaching settings. Moving the controls needs a running kernel:"
EXERCISE_NOTE = "Checking your answer needs a running kernel, where this cell says what to fix or that it is correct:"
GLOSSARY_PAGE = "glossary.html"

_figure_ids = itertools.count(1)
SELECTIONS = (W.Dropdown, W.RadioButtons, W.ToggleButtons, W.Select, W.SelectionSlider)


def register(shell: Any = None) -> bool:
    """Register the static renderers with the running IPython shell; False outside IPython."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    printers = shell.display_formatter.ipython_display_formatter
    printers.for_type(Explorer, lambda explorer: display(HTML(explorer_html(explorer))))
    printers.for_type(Quiz, lambda quiz: display(HTML(quiz_html(quiz))))
    printers.for_type(BaseFigure, lambda figure: display(HTML(figure_html(figure))))
    printers.for_type(W.Widget, lambda widget: display(HTML(widget_html(widget))))
    # A "Your turn" check (widgets.exercises, by name: its module imports otter only when a grader is made).
    printers.for_type_by_name("widgets.exercises", "CheckResult", lambda result: display(HTML(exercise_check_html())))
    return True


def exercise_check_html() -> str:
    """A "Your turn" check on a book page: the blank exercise's verdict would only say "not yet"."""
    return f"<p class='book-kernel-note'>{html.escape(EXERCISE_NOTE)} {LAUNCH_PLACEHOLDER}</p>"


# ---------------------------------------------------------------- figures
def figure_html(figure: BaseFigure) -> str:
    """plotly's HTML for ``figure`` (a copy), without plotly.js, as wide as the page."""
    static = go.Figure(figure)
    height = static.layout.height or 460
    # The live figures have a fixed width (an ipywidgets box does not autosize them);
    # on a book page the figure follows the column width instead.
    static.update_layout(width=None, autosize=True)
    drawn = static.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"course-figure-{next(_figure_ids)}",
        default_width="100%", default_height=f"{height}px",
        config={"responsive": True, "displaylogo": False},
    )
    return drawn + caption_html(figure)  # a static figure's description, as in JupyterLab


# ---------------------------------------------------------------- widgets
def _classes(widget: W.Widget) -> str:
    return " ".join(getattr(widget, "_dom_classes", ()))


def _control_value(control: W.ValueWidget) -> str:
    if isinstance(control, W.Checkbox):
        return "on" if control.value else "off"
    if isinstance(control, SELECTIONS):
        if control.index is None:  # nothing chosen yet: show what can be chosen
            labels = [option[0] if isinstance(option, tuple) else option for option in control.options]
            return " · ".join(str(label) for label in labels) + " (choose one)"
        return str(control.label)
    if isinstance(control, (W.FloatSlider, W.FloatLogSlider)):
        return f"{control.value:g}"
    return "" if control.value is None else str(control.value)


def control_html(control: W.ValueWidget) -> str:
    """A control as static text: its description and the value it is shown at."""
    label = control.description or ""
    return (
        f"<span class='book-control'><span class='book-control-label'>{html.escape(label)}</span> "
        f"<b class='book-control-value'>{html.escape(_control_value(control))}</b></span>"
    )


def widget_html(widget: W.Widget, replacements: dict[int, str] | None = None) -> str:
    """Static HTML for a widget tree. ``replacements`` maps ``id(widget)`` to ready HTML."""
    replacements = replacements or {}
    if id(widget) in replacements:
        return replacements[id(widget)]
    if isinstance(widget, BaseFigure):
        return figure_html(widget)
    if widget.layout.display == "none":
        return ""
    classes = _classes(widget)
    if isinstance(widget, (W.HTML, W.HTMLMath)):
        if "course-key-terms" in classes:
            return key_terms_html(widget)
        return f"<div class='{html.escape(classes)}'>{widget.value}</div>" if classes else widget.value
    if isinstance(widget, W.Label):
        return f"<span>{html.escape(widget.value)}</span>"
    if isinstance(widget, W.Box):
        kind = "book-hbox" if isinstance(widget, W.HBox) else "book-vbox"
        inner = "".join(widget_html(child, replacements) for child in widget.children)
        return f"<div class='{kind} {html.escape(classes)}'>{inner}</div>"
    if isinstance(widget, W.Button):
        return ""  # an action needs the kernel; the kernel note says so
    if isinstance(widget, W.Output):
        parts = []
        for output in widget.outputs:
            data = output.get("data", {})
            if "text/html" in data:
                parts.append(data["text/html"])
            elif "text/plain" in data or output.get("text"):
                parts.append(f"<pre>{html.escape(data.get('text/plain') or output.get('text', ''))}</pre>")
        return "".join(parts)
    if isinstance(widget, W.ValueWidget) and isinstance(widget, W.DOMWidget):
        return control_html(widget)
    raise TypeError(f"the course book has no static rendering for {type(widget).__module__}.{type(widget).__name__}")


_TERM_ID = re.compile(r"id='glossary-([a-z0-9][a-z0-9-]*)'")


def key_terms_html(widget: W.HTML) -> str:
    """A notebook's key terms, each linked to its entry on the book's glossary page."""
    rows = []
    for term_id in _TERM_ID.findall(widget.value):
        entry = course_data.glossary_entry(term_id)
        badge = f" {badge_html(entry['source_id'])}" if entry.get("source_id") else ""
        rows.append(
            f"<dt id='glossary-{html.escape(term_id)}'><a class='book-glossary-link' "
            f"href='{GLOSSARY_PAGE}#term-{html.escape(term_id)}'>{html.escape(entry['term'])}</a></dt>"
            f"<dd>{html.escape(entry['definition'])}{badge}</dd>"
        )
    if not rows:
        raise ValueError("key_terms output without term ids: the book cannot link it to the glossary")
    return f"<dl class='course-glossary course-key-terms'>{''.join(rows)}</dl>"


# ---------------------------------------------------------------- explorers
def explorer_html(explorer: Explorer) -> str:
    """An explorer at its current settings: controls as text, interactive figure, readout, kernel note."""
    replacements: dict[int, str] = {}
    if explorer.prediction_box is not None:  # no prediction can be locked here: its question, the answer folded
        replacements[id(explorer.prediction_box.widget)] = explorer.prediction_box.static_html()
    controls_box = next((c for c in explorer.widget.children if "explorer-controls" in _classes(c)), None)
    if controls_box is not None:
        settings = " ".join(control_html(control) for control in explorer.controls.values())
        replacements[id(controls_box)] = f"<p class='explorer-controls book-settings'><b>Shown at:</b> {settings}</p>"
    for value in vars(explorer).values():  # a quiz inside an explorer (the review) is shown as a study text
        if isinstance(value, Quiz):
            replacements[id(value.widget)] = quiz_html(value)
    inner = "".join(widget_html(child, replacements) for child in explorer.widget.children)
    note = f"<p class='book-kernel-note'>{html.escape(KERNEL_NOTE)} {LAUNCH_PLACEHOLDER}</p>"
    return f"<div class='book-vbox {html.escape(_classes(explorer.widget))}'>{inner}{note}</div>"


# ---------------------------------------------------------------- quizzes
def display_order(spec: dict[str, Any]) -> list[int]:
    """Option indices in a fixed shuffled order per question (the authored order puts no cue in the book)."""
    order = list(range(len(spec["options"])))
    random.Random(spec["id"]).shuffle(order)
    return order


def question_html(spec: dict[str, Any]) -> str:
    """One question: prompt, options (A, B, …) and, folded, the answer, explanation and feedback."""
    prompt = f"<p class='book-question-prompt'>{html.escape(spec['prompt'])}</p>"
    sources = " ".join(badge_html(s) for s in spec.get("source_ids", []))
    explanation = f"<p>{html.escape(spec['explanation'])} {sources}</p>"
    if spec["type"] == "multiple_choice":
        order = display_order(spec)
        letters = {index: chr(ord("A") + position) for position, index in enumerate(order)}
        options = "".join(f"<li>{html.escape(spec['options'][i]['text'])}</li>" for i in order)
        asked = f"<ol class='book-options' type='A'>{options}</ol>"
        right = spec["answer"]
        answer = f"<p><b>Answer: {letters[right]}.</b> {html.escape(spec['options'][right]['text'])}"
        if spec["options"][right].get("feedback"):
            answer += f" {html.escape(spec['options'][right]['feedback'])}"
        answer += "</p>"
        title = "Why the other answers are tempting:"
        feedback = "".join(
            f"<li><b>{letters[i]}.</b> {html.escape(spec['options'][i]['feedback'])}</li>"
            for i in order if i != right and spec["options"][i].get("feedback")
        )
    else:
        asked = f"<p class='book-numeric'>Answer with a number ({html.escape(spec['unit'])}).</p>"
        answer = (f"<p><b>Answer: {spec['answer']:g} {html.escape(spec['unit'])}</b> "
                  f"(answers within ±{spec['tolerance']:g} count as correct).</p>")
        title = "Common wrong answers:"
        feedback = "".join(
            f"<li><b>{error['value']:g} {html.escape(spec['unit'])}:</b> {html.escape(error['feedback'])}</li>"
            for error in spec.get("common_errors", [])
        )
    if feedback:
        feedback = f"<p class='book-feedback-title'>{title}</p><ul class='book-feedback'>{feedback}</ul>"
    return (
        f"<li class='book-question'>{prompt}{asked}"
        f"<details class='book-answer'><summary>Show answer</summary>{answer}{explanation}{feedback}</details></li>"
    )


def quiz_html(quiz: Quiz) -> str:
    """A quiz as a study text: every question with its answer folded."""
    title = widget_html(quiz.header)
    items = "".join(question_html(question.spec) for question in quiz.questions)
    return f"<div class='course-quiz book-quiz'>{title}<ol class='book-questions'>{items}</ol></div>"
