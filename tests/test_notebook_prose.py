"""Lessons are for learners: markdown cells cite, they do not show internal ids or talk about
the project's machinery (issue 13 §7).

Checked in every markdown cell of notebooks 00–12, instructor notes included (instructors
read them aloud and project them, so they follow the same rule):

- process talk: "evidence base", "seed file/text", "seed 00x", "the tests", "the course's
  table", "Table T", "stored copy", "in our sources";
- internal ids: source, fact and claim ids, the names of course_data tables, evidence-base
  row references such as ``mpk:M12``, and seed numbers such as "(002)".

The patterns live in tests/learner_text.py, which also scans explorers and notebook
outputs (tests/test_learner_text.py): one definition of what a learner must not see.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from learner_text import find_ids

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb"))

def problems(text: str) -> list[str]:
    """Ids, process talk, raw values and unit slips, found by the one scanner all learner text uses."""
    return [f"{hit.found!r} in …{hit.context}…" for hit in find_ids("markdown", text)]


def _markdown_cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    return [(c.get("id"), c.source) for c in nb.cells if c.cell_type == "markdown"]


def test_the_checker_catches_process_talk_and_ids():
    assert problems("This value is not in the evidence base, so it is not taught.")
    assert problems("the SSRI forum post (seed 001)") and problems("a patchwork page (002)")
    assert problems("the tests check this") and problems("Measured (Table T)")
    assert problems("the arithmetic is in the source `ka-from-tmax-derived`")
    assert problems("see ketamine-molar-mass") and problems("as mpk:M12 says") and problems("the `target_affinities` table")
    assert not problems("Ebert 1997 found an S-ketamine Ki of 0.3 µM; the SSRI forum post disagrees (notebook 08).")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lessons_cite_and_do_not_talk_about_the_machinery(path):
    bad = []
    for cell_id, text in _markdown_cells(path):
        bad += [f"cell {cell_id}: {p}" for p in problems(text)]
    assert not bad, f"{path.stem}: " + "; ".join(bad)
