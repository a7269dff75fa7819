"""Self-check items written for new content (notes/pending-questions-NN.json), waiting to be
merged into the question banks: they must already be valid bank items (schema v2), cite real
sources, and cover every quiz section a notebook calls that its bank does not have yet."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema
import nbformat
import pytest

import course_data

ROOT = Path(__file__).resolve().parents[1]
PENDING = sorted((ROOT / "notes").glob("pending-questions-*.json"))
SCHEMA = json.loads((ROOT / "course_data" / "question_bank.schema.json").read_text(encoding="utf-8"))


def _quiz_sections(slug: str) -> set[str]:
    nb = nbformat.read(ROOT / "notebooks" / f"{slug}.ipynb", as_version=4)
    sections = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "quiz":
                sections |= {k.value.value for k in node.keywords if k.arg == "section"}
    return sections


@pytest.mark.parametrize("path", PENDING, ids=lambda p: p.stem)
def test_pending_items_are_valid_bank_items(path):
    bank = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(bank)
    existing = {q["id"] for q in course_data.questions(bank["notebook"])}
    quizzed = _quiz_sections(bank["notebook"])
    for q in bank["questions"]:
        assert q["id"] not in existing, f"{q['id']} already in the bank"
        assert q["section"] in quizzed, f"{q['id']}: section {q['section']!r} is not quizzed in {bank['notebook']}"
        for source_id in q.get("source_ids", []):
            course_data.source(source_id)
        if q["type"] == "multiple_choice":
            for i, option in enumerate(q["options"]):
                if i != q["answer"]:
                    assert len(option.get("feedback", "")) >= 20, f"{q['id']} option {i}: each distractor needs its own feedback"


def test_every_quizzed_section_has_items_in_the_bank_or_pending():
    pending = {}
    for path in PENDING:
        bank = json.loads(path.read_text(encoding="utf-8"))
        for q in bank["questions"]:
            pending.setdefault((bank["notebook"], q["section"]), []).append(q["id"])
    for nb_path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        slug = nb_path.stem
        in_bank = {q["section"] for q in course_data.questions(slug)}
        for section in _quiz_sections(slug) - in_bank:
            assert len(pending.get((slug, section), [])) >= 2, f"{slug}: quiz section {section!r} has no bank items and fewer than 2 pending"
