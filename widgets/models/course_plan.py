"""The course map: planned notebooks merged with the notebooks' own metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import course_data

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
#: Notebook files of the course: two digits, an optional letter (05a), an underscore.
NOTEBOOK_GLOB = "[0-9][0-9]*_*.ipynb"


def notebook_number(slug: str) -> str:
    """The number a notebook is shown by: '04' for '04_pharmacokinetics', '05a' for '05a_statistics_primer'."""
    return slug.split("_", 1)[0]


@dataclass(frozen=True)
class NotebookEntry:
    slug: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    available: bool


def notebook_metadata(path: Path) -> dict:
    """The ``course`` block of a notebook's metadata (title, minutes, objectives…)."""
    return json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("course", {})


def course_map(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[NotebookEntry]:
    """Every planned notebook; a notebook's own metadata wins once it exists."""
    entries = []
    for row in course_data.load("course_plan").itertuples():
        path = notebooks_dir / f"{row.slug}.ipynb"
        meta = notebook_metadata(path) if path.exists() else {}
        entries.append(
            NotebookEntry(
                slug=row.slug,
                title=meta.get("title", row.title),
                minutes=int(meta.get("minutes", row.minutes)),
                objectives=tuple(meta.get("objectives", [o.strip() for o in row.objectives.split(";")])),
                available=path.exists(),
            )
        )
    return entries
