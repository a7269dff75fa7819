"""Every notebook follows the course template (see CONTRIBUTING.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

import course_data

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb"))
FIXED_SECTIONS = ["Learning objectives", "Prerequisites", "Setup", "Summary", "Key terms", "References"]
MAX_CODE_LINES = 15
YOUR_TURN = re.compile(r"^\d+\. Your turn$")
FORBIDDEN_CODE = [
    (re.compile(r"\bopen\(|read_csv|read_json|read_excel|read_table|np\.load|loadtxt|Path\("), "reads a file directly (use course_data)"),
    (re.compile(r"https?://|urlopen|requests\.|urllib"), "uses a URL"),
    (re.compile(r"['\"][^'\"]+\.(csv|tsv|json|xlsx|txt)['\"]"), "names a data file"),
    (re.compile(r"DataFrame\(|\[\s*\{|\{\s*['\"][^'\"]+['\"]\s*:\s*\["), "holds inline data (put it in course_data)"),
]


def _sections(nb):
    """(heading, [cells]) for each '## ' heading, in order."""
    sections, current = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    current = (line[3:].strip(), [])
                    sections.append(current)
        if current is not None:
            current[1].append(cell)
    return sections


def _calls(source: str, name: str) -> list[ast.Call]:
    tree = ast.parse(source)
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == name]


def _string_args(call: ast.Call) -> list[str]:
    return [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _assert_exercise_checks(slug: str, heading: str, code) -> None:
    """A "Your turn" section (built by ./course exercises) sets up this notebook's grader and ends with a check."""
    from widgets.exercises import tests_dir

    graders = [call for c in code for call in _calls(c.source, "grader") if _string_args(call) == [slug]]
    assert graders, f"{slug} '{heading}': needs grader = exercises.grader({slug!r})"
    checks = [call for c in code for call in _calls(c.source, "check")]
    assert checks and _calls(code[-1].source, "check"), f"{slug} '{heading}': the section's last code cell must be a grader.check(...)"
    packaged = {p.stem for p in tests_dir(slug).glob("*.py")}
    for call in checks:
        assert _string_args(call)[0] in packaged, f"{slug} '{heading}': no packaged test for {_string_args(call)}"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param.stem, nbformat.read(request.param, as_version=4)


def test_notebooks_exist():
    assert NOTEBOOKS and NOTEBOOKS[0].stem == "00_start_here"


def test_valid_nbformat_and_kernel(notebook):
    slug, nb = notebook
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"


def test_one_h1_in_first_cell(notebook):
    slug, nb = notebook
    h1 = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines() if re.match(r"^# \S", line)]
    assert len(h1) == 1, f"{slug}: expected one H1, found {h1}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), f"{slug}: the H1 must open the notebook"
    assert nb.cells[0].source.startswith(f"# {slug.split('_')[0]} "), f"{slug}: H1 should start with the notebook number"


def test_template_sections_in_order(notebook):
    slug, nb = notebook
    headings = [h for h, _ in _sections(nb)]
    positions = []
    for fixed in FIXED_SECTIONS:
        assert fixed in headings, f"{slug}: missing '## {fixed}'"
        positions.append(headings.index(fixed))
    assert positions == sorted(positions), f"{slug}: template sections out of order: {headings}"
    content = [h for h in headings if h not in FIXED_SECTIONS]
    assert content, f"{slug}: no content sections"
    assert all(headings.index("Setup") < headings.index(h) < headings.index("Summary") for h in content), (
        f"{slug}: content sections must sit between Setup and Summary"
    )


def test_metadata_and_estimated_time(notebook):
    slug, nb = notebook
    meta = nb.metadata.get("course", {})
    for key in ("title", "minutes", "objectives"):
        assert meta.get(key), f"{slug}: metadata.course.{key} missing"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    match = re.search(r"\*\*Estimated time:\*\*\s*(\d+)\s*min", text)
    assert match, f"{slug}: no '**Estimated time:** N minutes'"
    assert int(match.group(1)) == meta["minutes"], f"{slug}: estimated time differs from metadata"
    objectives = dict(_sections(nb))["Learning objectives"]
    numbered = [l for c in objectives if c.cell_type == "markdown" for l in c.source.splitlines() if re.match(r"^\d+\. ", l)]
    assert len(numbered) == len(meta["objectives"]) >= 2, f"{slug}: objectives list and metadata disagree"


def test_every_content_section_ends_with_a_self_check(notebook):
    slug, nb = notebook
    banks_sections = {q["section"] for q in course_data.questions(slug)}
    for heading, cells in _sections(nb):
        if heading in FIXED_SECTIONS:
            continue
        code = [c for c in cells if c.cell_type == "code"]
        assert code, f"{slug} '{heading}': no self-check"
        if YOUR_TURN.match(heading):  # exercises: the self-checks are the grader's check cells
            _assert_exercise_checks(slug, heading, code)
            continue
        quiz_calls = _calls(code[-1].source, "quiz")
        assert quiz_calls, f"{slug} '{heading}': the section's last code cell must be a quiz(...)"
        for call in quiz_calls:
            args = _string_args(call)
            section = next((k.value.value for k in call.keywords if k.arg == "section"), args[1] if len(args) > 1 else None)
            assert args and args[0] == slug, f"{slug} '{heading}': quiz must use this notebook's bank"
            assert section in banks_sections, f"{slug} '{heading}': quiz section {section!r} not in the bank"


def test_key_terms_and_references_resolve(notebook):
    slug, nb = notebook
    sections = dict(_sections(nb))
    key_calls = [call for c in sections["Key terms"] if c.cell_type == "code" for call in _calls(c.source, "key_terms")]
    assert key_calls, f"{slug}: Key terms needs a key_terms(...) cell"
    for term in (t for call in key_calls for t in _string_args(call)):
        course_data.glossary_entry(term)
    ref_calls = [call for c in sections["References"] if c.cell_type == "code" for call in _calls(c.source, "references")]
    assert ref_calls, f"{slug}: References needs a references(...) cell"
    for source_id in (s for call in ref_calls for s in _string_args(call)):
        row = course_data.source(source_id)
        assert row["doi"] or row["pmid"] or row["other_id"] or row["journal"] or row["kind"] == "derived", (
            f"{slug}: reference {source_id} has no DOI, PMID, identifier or journal citation"
        )


def test_outputs_cleared(notebook):
    slug, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{slug} cell {i}: outputs not cleared"


def test_images_have_alt_text(notebook):
    slug, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        assert not re.search(r"!\[\s*\]\(", cell.source), f"{slug} cell {i}: image without alt text"
        for tag in re.findall(r"<img\b[^>]*>", cell.source, flags=re.I):
            assert re.search(r"\balt=['\"][^'\"]+['\"]", tag), f"{slug} cell {i}: <img> without alt text"


def test_code_cells_are_short_calls_without_files_urls_or_data(notebook):
    slug, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = [l for l in cell.source.splitlines() if l.strip() and not l.strip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"{slug} cell {i}: {len(lines)} lines of code (max {MAX_CODE_LINES})"
        for pattern, why in FORBIDDEN_CODE:
            assert not pattern.search(cell.source), f"{slug} cell {i} {why}: {cell.source[:80]!r}"


def test_notebook_is_in_the_course_plan(notebook):
    slug, _ = notebook
    assert slug in set(course_data.load("course_plan")["slug"]), f"{slug} is not in course_data/tables/course_plan.csv"
