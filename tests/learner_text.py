"""What a learner reads, collected as text, and the ids and machinery words it must not show.

Used by tests/test_learner_text.py. Three sources of learner text:

* notebook markdown cells;
* every registered explorer, after building it and after each of its ``demo_changes``:
  readout, message, every HTML/label widget in it, control descriptions, option labels
  and tooltips, and the figure's learner-visible strings (trace names, text, hover text,
  custom data, hover templates, category labels, titles, tick labels, annotations);
* what the notebooks' code cells display, found by running those cells in this process
  and rendering each displayed object the way JupyterLab would (DataFrames through the
  course's table formatter, widgets through their values, printed text as printed).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as W
import pandas as pd

import course_data

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Ids that are also ordinary words, and would be false hits as whole tokens. Each entry
# says why it is allowed; an id is only listed when a real learner text uses the word.
ALLOWED_TOKENS: dict[str, str] = {
    # (none needed yet: every source, fact and claim id has a hyphen or a digit)
}

#: Machinery talk: the project's own process, not the learner's subject (case-insensitive).
MACHINERY = [
    r"evidence[ -]base\b",
    r"\bseed\s+(?:files?|texts?)\b",
    r"\bseeds?\s*0\d\d\b",
    r"(?-i:\(0\d\d\))",  # a seed named by its number, "(002)"
    r"\b(?:the|our|course's) tests\b",
    r"(?-i:\bTable [A-Z]\b)",
    r"the course'?s (?:own |shared )?tables?",
    r"stored cop(?:y|ies)",
    r"\bin our sources\b",
    r"\bsource[_ ]ids?\b",
    r"\bevidence_status\b",
    r"\bfact ids?\b",
    r"\bclaim ids?\b",
]

#: Evidence-row references as written in sources.csv (FILE:ID), e.g. mpk:M16, ca:C20, data:NAME, lit:ID.
EVIDENCE_ROW = r"\b(?:mpk|ca|hist|mod|rat|data|lit):[A-Za-z0-9_-]+"

#: Programming values that leak into running text (readouts, hover text, HTML).
RAW_IN_TEXT = re.compile(r"\bnan\b|\bNaN\b|<NA>|\bNaT\b|\binf\b|\bdtype:|\bTraitError\b|\bTraceback\b")
#: Units that lost part of themselves on the way to the page.
UNIT_SLIPS = re.compile(r"°c\b|\bkcal\b(?!/mol)(?![\"”])")  # a quoted "1 kcal" is a quotation
#: A table cell that shows a programming value, or was cut short.
RAW_CELL = re.compile(r"^(?:nan|NaN|None|<NA>|NaT|inf|-inf|null)$|…$|\.\.\.$|dtype:")


@functools.cache
def _id_pattern() -> re.Pattern:
    ids: set[str] = set()
    ids |= set(course_data.load("sources")["id"])
    ids |= set(course_data.load("facts")["id"])
    ids |= set(course_data.load("claims")["id"])
    ids -= set(ALLOWED_TOKENS)
    # table names written as identifiers (with an underscore) are unmistakable
    ids |= {name for name in course_data.table_names() if "_" in name}
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    # whole tokens: not inside a longer id, word or file name
    return re.compile(rf"(?<![A-Za-z0-9_./-])(?:{alternatives})(?![A-Za-z0-9_-])")


@dataclass(frozen=True)
class Hit:
    where: str
    found: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.found!r} in …{self.context}…"


def _visible(text: str) -> str:
    """HTML as the learner reads it: tags dropped, entities decoded (tooltips kept)."""
    titles = " ".join(a or b for a, b in re.findall(r"\btitle=(?:'([^']*)'|\"([^\"]*)\")", text))
    # <style> and <script> contents are not read
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body + " " + titles)


def find_ids(where: str, text: str) -> list[Hit]:
    """Hits for ids, evidence rows, machinery words and programming values in ``text``."""
    visible = _visible(text)
    hits = []
    patterns = [_id_pattern(), re.compile(EVIDENCE_ROW), RAW_IN_TEXT, UNIT_SLIPS] + [re.compile(p, re.I) for p in MACHINERY]
    for pattern in patterns:
        for match in pattern.finditer(visible):
            start, end = max(0, match.start() - 40), min(len(visible), match.end() + 40)
            hits.append(Hit(where, match.group(0), " ".join(visible[start:end].split())))
    return hits


def find_raw_cells(where: str, frame: pd.DataFrame) -> list[Hit]:
    """Cells of a displayed table that show NaN/None/dtype or end cut short."""
    return [
        Hit(f"{where} row {i + 1} column {column!r}", value, value)
        for column in frame.columns
        for i, value in enumerate(frame[column].astype(str))
        if RAW_CELL.search(value.strip())
    ]


# ---------------------------------------------------------------- notebooks: prose
def markdown_cells(path: Path) -> Iterator[tuple[str, str]]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            yield f"{path.name} cell {index} (markdown)", "".join(cell["source"])


# ---------------------------------------------------------------- widgets and figures
_FIGURE_KEYS = {"name", "text", "hovertext", "customdata", "hovertemplate", "texttemplate", "ticktext", "labels", "values", "header", "cells"}


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif hasattr(value, "tolist"):
        yield from _strings(value.tolist())


def _walk_text(node, path: str) -> Iterator[tuple[str, str]]:
    """Strings under 'text', 'ticktext' and string 'title' keys, at any depth (titles, ticks, annotations, colour bars)."""
    if isinstance(node, dict):
        for key, item in node.items():
            if key in ("text", "ticktext") or (key == "title" and isinstance(item, str)):
                for text in _strings(item):
                    yield f"{path}{key}", text
            elif key != "template":
                yield from _walk_text(item, f"{path}{key}.")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk_text(item, f"{path}{i}.")


def figure_texts(figure) -> Iterator[tuple[str, str]]:
    """Learner-visible strings of a plotly figure (traces and layout)."""
    spec = figure.to_plotly_json()
    for index, trace in enumerate(spec.get("data", [])):
        label = f"trace {index} ({trace.get('name') or trace.get('type')})"
        for key in _FIGURE_KEYS:
            for text in _strings(trace.get(key)):
                yield f"{label} {key}", text
        for axis in ("x", "y"):  # category labels are shown as tick labels
            for text in _strings(trace.get(axis)):
                yield f"{label} {axis} category", text
        nested = {k: v for k, v in trace.items() if isinstance(v, dict)}  # colour bars, marker and axis titles
        for key, text in _walk_text(nested, ""):
            yield f"{label} {key}", text
    for key, text in _walk_text(spec.get("layout", {}), ""):
        yield f"layout {key}", text
    meta = spec.get("layout", {}).get("meta")
    if isinstance(meta, dict) and meta.get("description"):  # widgets.figure_text.described: printed under the figure
        yield "layout description", meta["description"]


def widget_texts(widget, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string a learner can see in a widget tree (values, descriptions, options, tooltips)."""
    from widgets.figure import FigureWidget

    if isinstance(widget, FigureWidget):
        for key, text in figure_texts(widget):
            yield f"{where} figure {key}", text
        return
    name = type(widget).__name__
    for attribute in ("description", "tooltip", "placeholder"):
        text = getattr(widget, attribute, None)
        if isinstance(text, str) and text:
            yield f"{where} {name}.{attribute}", text
    if isinstance(widget, (W.HTML, W.HTMLMath, W.Label)):
        yield f"{where} {name}.value", widget.value
    elif isinstance(widget, (W.Text, W.Textarea)) and widget.value:
        yield f"{where} {name}.value", widget.value
    if hasattr(widget, "_options_labels"):
        for label in widget._options_labels:
            yield f"{where} {name} option", str(label)
    if isinstance(widget, W.Box):
        for child in widget.children:
            yield from widget_texts(child, where)


def explorer_texts(explorer, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where} readout", explorer.readout_text
    if explorer.message_text:
        yield f"{where} message", explorer.message_text
    yield from widget_texts(explorer.widget, where)


# ---------------------------------------------------------------- notebooks: displayed outputs
@dataclass
class Displayed:
    where: str
    obj: object


def run_notebook(path: Path) -> list[Displayed]:
    """Run the code cells of a notebook here; return what each cell displays, in order."""
    import IPython.display

    notebook = json.loads(path.read_text(encoding="utf-8"))
    shown: list[Displayed] = []
    namespace: dict = {"__name__": "__course_notebook__"}
    where = ""

    def fake_display(*objects, **_kwargs):
        for obj in objects:
            shown.append(Displayed(where, obj))

    with contextlib.ExitStack() as stack:
        stack.enter_context(_patched(IPython.display, "display", fake_display))
        import widgets.explorer

        stack.enter_context(_patched(widgets.explorer, "display", fake_display))
        for index, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code":
                continue
            where = f"{path.name} cell {index}"
            source = "".join(cell["source"])
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(tree, where, "exec"), namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), where, "eval"), namespace)
                    if value is not None:
                        shown.append(Displayed(where, value))
            if printed.getvalue():
                shown.append(Displayed(where, printed.getvalue()))
    return shown


@contextlib.contextmanager
def _patched(module, name, value):
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def displayed_texts(item: Displayed) -> Iterator[tuple[str, str]]:
    """What JupyterLab would show for a displayed object, as (where, text) pairs."""
    from widgets.explorer import Explorer
    from widgets.tables import learner_table_html

    obj = item.obj
    if isinstance(obj, Explorer):
        yield from explorer_texts(obj, f"{item.where} {type(obj).__name__}")
    elif hasattr(obj, "widget") and isinstance(getattr(obj, "widget"), W.Widget):
        yield from widget_texts(obj.widget, f"{item.where} {type(obj).__name__}")
    elif isinstance(obj, W.Widget):
        yield from widget_texts(obj, f"{item.where} {type(obj).__name__}")
    elif isinstance(obj, (pd.DataFrame, pd.Series)):
        yield f"{item.where} table", learner_table_html(obj)
    elif hasattr(obj, "to_plotly_json"):
        for key, text in figure_texts(obj):
            yield f"{item.where} figure {key}", text
    elif hasattr(obj, "_repr_html_"):
        yield f"{item.where} html", obj._repr_html_()
    else:
        yield f"{item.where} text", str(obj)
