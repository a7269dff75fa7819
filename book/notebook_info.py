"""What the book and the handouts need from each notebook's source (no execution).

Everything is read from the notebook file itself: its metadata (``course.title``,
``course.objectives``), its H1, its ``## Summary`` cell, and the ids passed to the
``show_facts(...)``, ``key_terms(...)`` and ``references(...)`` calls in its code
cells (found with :mod:`ast`, so a reformatted call is still found).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"


@dataclass
class NotebookInfo:
    stem: str
    title: str          # the metadata title ("Pharmacokinetics")
    heading: str        # the H1 without its number ("Pharmacokinetics: routes, …")
    minutes: int | None
    objectives: list[str]
    summary_markdown: str
    fact_ids: list[str] = field(default_factory=list)
    term_ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.stem.split("_", 1)[0]   # "04", or "05a" for a lettered notebook

    @property
    def label(self) -> str:
        """'04 Pharmacokinetics'."""
        return f"{self.number} {self.title}"


def notebook_paths(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The course's notebooks in course order (their number)."""
    return sorted(folder.glob("[0-9][0-9]*_*.ipynb"))


def _call_ids(code: str, function: str) -> list[str]:
    """String arguments of every ``function(...)`` call in ``code``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    ids = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == function:
            ids.extend(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return ids


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def read(path: Path) -> NotebookInfo:
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("course", {})
    first = nb.cells[0].source if nb.cells else ""
    h1 = next((line[2:].strip() for line in first.splitlines() if line.startswith("# ")), meta.get("title", path.stem))
    heading = re.sub(r"^\d{2}[a-z]?\s+", "", h1)
    summary = next((c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Summary")), "")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return NotebookInfo(
        stem=path.stem,
        title=meta.get("title", heading),
        heading=heading,
        minutes=meta.get("minutes"),
        objectives=list(meta.get("objectives", [])),
        summary_markdown=summary.split("\n", 1)[1].strip() if "\n" in summary else "",
        fact_ids=_unique([i for cell in code for i in _call_ids(cell, "show_facts")]),
        term_ids=_unique([i for cell in code for i in _call_ids(cell, "key_terms")]),
        source_ids=_unique([i for cell in code for i in _call_ids(cell, "references")]),
    )


def all_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[NotebookInfo]:
    return [read(path) for path in notebook_paths(folder)]
