"""Demo mode's notebook: each lesson's Setup cell and the cells that show explorers, nothing
else (no lesson text, quizzes, tables or static figures), and it runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_tool import demo
from course_tool.common import CourseError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _code(source: str) -> dict:
    return {"cell_type": "code", "id": source[:8], "metadata": {}, "source": source, "outputs": [], "execution_count": None}


def _markdown(source: str) -> dict:
    return {"cell_type": "markdown", "id": source[:8], "metadata": {}, "source": source}


def test_demo_cells_keep_setup_and_explorers_only():
    cells = [
        _markdown("# 04 Pharmacokinetics"), _markdown("## Learning objectives\n1. ..."),
        _code("print('before setup')"),
        _markdown("## Setup\n\nRun the cell below first."),
        _code("from widgets.explorers.pk import PKExplorer, bioavailability_figure"),
        _markdown("## 1. Routes"), _code("bioavailability_figure()"), _code('quiz("04_pharmacokinetics", section="routes")'),
        _code("PKExplorer()"), _markdown("<details><summary>Show answer</summary>..."),
        _code('RatingsExplorer(pair="ketamine+SSRIs")'), _code("explorer = pk_explorers.PKExplorer(weight_kg=70)"),
        _code("key_terms('auc')"),
    ]
    chosen = [demo.cell_source(c) for c in demo.demo_cells(cells)]
    assert chosen == ["from widgets.explorers.pk import PKExplorer, bioavailability_figure", "PKExplorer()",
                      'RatingsExplorer(pair="ketamine+SSRIs")']


def test_demo_cells_refuse_a_notebook_without_setup():
    with pytest.raises(CourseError, match="no '## Setup' section"):
        demo.demo_cells([_markdown("# Title"), _code("PKExplorer()")])


def _explorer_calls(sources: list[str]) -> int:
    return sum(len(re.findall(r"\b\w+Explorer\(", source)) for source in sources)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_demo_notebook_of_each_lesson(path, tmp_path):
    lesson = nbformat.read(path, as_version=4)
    demo_nb = nbformat.read(demo.write_demo_notebook(path, tmp_path), as_version=4)
    nbformat.validate(demo_nb)
    lesson_code = [c.source for c in lesson.cells if c.cell_type == "code"]
    demo_code = [c.source for c in demo_nb.cells if c.cell_type == "code"]
    assert demo_code[0] == lesson_code[0], "the demo starts with the lesson's Setup cell"
    # Every explorer the lesson shows, in order, and nothing else.
    assert _explorer_calls(demo_code) == _explorer_calls(lesson_code)
    assert demo_code[1:] == [s for s in lesson_code[1:] if re.search(r"\b[A-Z]\w*Explorer\(", s)]
    assert not any("quiz(" in s or "key_terms(" in s or "references(" in s for s in demo_code[1:])
    # One title line, no lesson prose.
    markdown = [c.source for c in demo_nb.cells if c.cell_type == "markdown"]
    assert len(markdown) == 1 and markdown[0] == "# " + lesson.cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert all(not c.get("outputs") for c in demo_nb.cells if c.cell_type == "code")
    assert demo_nb.metadata.kernelspec.name == lesson.metadata.kernelspec.name
    # Written like the course's notebooks (indent 1, UTF-8 kept).
    assert (tmp_path / path.name).read_text(encoding="utf-8").startswith('{\n "cells": [')


def test_demo_notebooks_command_writes_every_lesson(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "course.py"), "demo-notebooks", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


def test_demo_notebook_runs(tmp_path):
    """The demo of notebook 06 (several explorers) executes without error, offline, and shows each one."""
    from nbclient import NotebookClient

    path = demo.write_demo_notebook(ROOT / "notebooks" / "06_ketamine_benzodiazepines.ipynb", tmp_path)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    lesson = nbformat.read(ROOT / "notebooks" / "06_ketamine_benzodiazepines.ipynb", as_version=4)
    expected = _explorer_calls([c.source for c in lesson.cells if c.cell_type == "code"])
    assert expected >= 3 and len(widgets) == expected, json.dumps(outputs)[:2000]


def test_plotly_preload_copies_the_bundle_widgets_figure_uses(tmp_path):
    """The demo page preloads plotly's bundle under the key widgets.figure's figures use."""
    from widgets import figure

    key = demo.write_plotly_preload(Path(sys.executable), tmp_path)
    assert key and f'Symbol.for("{key}")' in figure.SHARED_BUNDLE_LOADER_ESM
    copied = tmp_path / demo.PLOTLY_PRELOAD_FILE
    assert copied.read_bytes() == figure.PLOTLY_WIDGET_BUNDLE.read_bytes()
    arguments = demo.plotly_preload_arguments(key)
    resources = json.loads(arguments[0].split("=", 1)[1])
    assert resources == {"course_demo": {"plotly_bundle": "voila/files/plotly-widgetbundle.js", "plotly_bundle_key": key}}
    allowlist = json.loads(arguments[1].split("=", 1)[1])
    assert [p for p in allowlist if re.fullmatch(p, "plotly-widgetbundle.js")] and not [
        p for p in allowlist if re.fullmatch(p, "secrets.ipynb") or re.fullmatch(p, "other.js")]
    assert demo.plotly_preload_arguments(None) == []
