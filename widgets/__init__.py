"""The course's importable toolkit.

* ``widgets.models``: pure science (no UI), plain functions with units in names.
* ``widgets.explorers``: thin ipywidgets + plotly explorers over those models.
* shared parts: :mod:`widgets.style` (plotly template), :mod:`widgets.explorer`
  (the explorer pattern), :mod:`widgets.quiz`, :mod:`widgets.evidence`
  (evidence badges, key numbers, key terms, references), :mod:`widgets.tables`
  (how a displayed DataFrame reads: citations, no NaN, nothing cut short).
"""

import os

import course_data  # noqa: F401  (first: it keeps a slow optional import out of every kernel)
from widgets.lazy_imports import defer_plotly_nbformat

defer_plotly_nbformat()  # before plotly.io is imported: nbformat is loaded only if ever used
from widgets import style as _style  # noqa: F401  (registers the plotly template)
from widgets.evidence import evidence_badge, key_terms, references, show_facts, status_legend
from widgets.explorer import Explorer
from widgets.quiz import Quiz, quiz
from widgets.tables import install_formatter as _install_table_formatter
from widgets.validation import CourseInputError

_install_table_formatter()  # DataFrames shown in a notebook read as learner tables (widgets.tables)

if os.environ.get("COURSE_BOOK_RENDER") == "1":  # the course book build: static HTML, no widget state
    from widgets import book_render

    book_render.register()

__all__ = [
    "CourseInputError",
    "Explorer",
    "Quiz",
    "evidence_badge",
    "key_terms",
    "quiz",
    "references",
    "show_facts",
    "status_legend",
]
