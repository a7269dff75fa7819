"""Build the "Your turn" exercises with otter-grader and splice them into the lesson notebooks.

    ./course exercises           build, package the public tests, splice into notebooks/
    ./course exercises --check   change nothing; exit 1 if notebooks/ or the packaged tests
                                 differ from what a fresh build gives (drift)

Each source ``exercises/NN_slug.ipynb`` is an otter-assign notebook: one question per
exercise with its solution, public tests and hidden tests (see CONTRIBUTING.md).
``otter assign`` writes ``exercises/dist/NN_slug/``:

* ``student/``: the learner's version (solutions replaced by ``...``) and its public tests;
* ``autograder/``: the solutions notebook, every test (hidden ones too) and the autograder zip.

Then this module copies the public tests to ``widgets/exercise_tests/NN_slug/`` (they ship
with the course), the zip to ``exercises/dist/autograder/NN_slug-autograder.zip`` (for
instructors: ``otter run -a …zip NN_slug.ipynb``) and splices the student cells into
``notebooks/NN_slug.ipynb`` as a section "## N. Your turn" just before "## Summary",
with a worked answer (the reasoning and the solution code) folded after each exercise.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = ROOT / "exercises"
DIST_DIR = SOURCES_DIR / "dist"
NOTEBOOKS_DIR = ROOT / "notebooks"
PACKAGED_TESTS_DIR = ROOT / "widgets" / "exercise_tests"

SECTION_HEADING = re.compile(r"^## (?:\d+\. )?Your turn[ \t]*$", re.M)
NUMBERED_HEADING = re.compile(r"^## (\d+)\. ", re.M)
SOLUTION_PLACEHOLDER = "<!-- solution code: filled in by ./course exercises -->"
_SOLUTION_MARKERS = re.compile(r"\s*# (?:SOLUTION(?: NO PROMPT)?|SEED)\s*$")
_SOLUTION_BLOCK = re.compile(r"^\s*# (?:BEGIN|END) SOLUTION(?: NO PROMPT)?\s*$")


@dataclass(frozen=True)
class Built:
    """One source's otter-assign output."""

    slug: str
    student_notebook: Path
    public_tests: Path
    autograder_notebook: Path
    autograder_zip: Path


def sources() -> list[Path]:
    return sorted(SOURCES_DIR.glob("[0-9][0-9]_*.ipynb"))


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_text(nb: dict) -> str:
    """The course's notebook JSON style: indent 1, UTF-8 kept, trailing newline."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def cell_text(cell: dict) -> str:
    """A cell's source as one string (notebooks store it as a list of lines or a string)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def assign(source: Path, dist: Path) -> Built:
    """Run ``otter assign`` on one source into ``dist/<slug>/`` (replaced if present)."""
    import course_data  # noqa: F401  (keeps jsonschema's slow optional grammar out, as in kernels)
    from otter.assign import main as otter_assign

    out = dist / source.stem
    if out.exists():
        shutil.rmtree(out)
    otter_assign(str(source), str(out))
    zips = sorted((out / "autograder").glob("*-autograder_*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"otter assign wrote {len(zips)} autograder zips for {source.name}; expected one")
    return Built(source.stem, out / "student" / source.name, out / "student" / "tests",
                 out / "autograder" / source.name, zips[0])


def solution_code(source: str) -> str:
    """A solution cell as the learner should read it: otter's markers removed."""
    kept = [_SOLUTION_MARKERS.sub("", line) for line in source.splitlines() if not _SOLUTION_BLOCK.match(line)]
    return "\n".join(kept).strip("\n")


def solutions_by_question(source: Path) -> dict[str, str]:
    """Each question's solution code (the code cells between BEGIN and END SOLUTION)."""
    solutions: dict[str, list[str]] = {}
    question, inside = None, False
    for cell in read_notebook(source)["cells"]:
        text = cell_text(cell)
        if cell["cell_type"] == "raw":
            name = re.search(r"^name:\s*(\S+)", text, re.M)
            if text.startswith("# BEGIN QUESTION") and name:
                question = name.group(1)
            inside = text.startswith("# BEGIN SOLUTION") or (inside and not text.startswith("# END SOLUTION"))
        elif inside and cell["cell_type"] == "code":
            solutions.setdefault(question, []).append(solution_code(text))
    return {q: "\n\n".join(parts) for q, parts in solutions.items()}


def section_cells(built: Built, source: Path) -> list[dict]:
    """The student cells, ready for the lesson: stable ids, outputs cleared, worked answers filled in."""
    solutions = solutions_by_question(source)
    cells, question = [], None
    for cell in read_notebook(built.student_notebook)["cells"]:
        text = cell_text(cell)
        cell = dict(cell, source=_lines(text))
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            check = re.fullmatch(r'grader\.check\("([\w-]+)"\)\s*', text)
            if check:  # otter gives check cells random ids: derive stable ones from the question
                question = check.group(1)
                cell["id"] = f"{question}-check"
        if SOLUTION_PLACEHOLDER in text:  # the worked answer after this question's check
            code = f"```python\n{solutions[question]}\n```"
            cell["source"] = _lines(text.replace(SOLUTION_PLACEHOLDER, code))
        cells.append(cell)
    return cells


def _is_heading(cell: dict, pattern: re.Pattern) -> bool:
    return cell["cell_type"] == "markdown" and bool(pattern.match(cell_text(cell)))


def splice(lesson: dict, cells: list[dict], student_metadata: dict) -> dict:
    """``lesson`` with its "Your turn" section (if any) replaced by ``cells``, just before the Summary."""
    summary_heading = re.compile(r"^## Summary")
    summary = next(i for i, c in enumerate(lesson["cells"]) if _is_heading(c, summary_heading))
    start = next((i for i, c in enumerate(lesson["cells"][:summary]) if _is_heading(c, SECTION_HEADING)), summary)
    before, after = lesson["cells"][:start], lesson["cells"][summary:]
    numbers = [int(n) for c in before if c["cell_type"] == "markdown" for n in NUMBERED_HEADING.findall(cell_text(c))]
    title = SECTION_HEADING.sub(f"## {max(numbers, default=0) + 1}. Your turn", cell_text(cells[0]), count=1)
    nb = dict(lesson, cells=[*before, dict(cells[0], source=_lines(title)), *cells[1:], *after])
    nb["metadata"] = dict(lesson["metadata"], otter=student_metadata["otter"])
    return nb


def assign_all(dist: Path) -> list[Built]:
    """``otter assign`` every source into ``dist``."""
    return [assign(source, dist) for source in sources()]


def expected_files(builds: list[Built]) -> dict[Path, str]:
    """Every repository file the exercises produce, with the content these builds give it."""
    files: dict[Path, str] = {}
    for built in builds:
        source = SOURCES_DIR / f"{built.slug}.ipynb"
        lesson_path = NOTEBOOKS_DIR / source.name
        student = read_notebook(built.student_notebook)
        lesson = splice(read_notebook(lesson_path), section_cells(built, source), student["metadata"])
        files[lesson_path] = notebook_text(lesson)
        for test in sorted(built.public_tests.glob("*.py")):
            files[PACKAGED_TESTS_DIR / built.slug / test.name] = test.read_text(encoding="utf-8")
    return files


def stale_files(expected: dict[Path, str]) -> list[Path]:
    """Packaged test files that no source produces any more."""
    return sorted(set(PACKAGED_TESTS_DIR.glob("*/*.py")) - set(expected))


def drift(expected: dict[Path, str]) -> list[str]:
    """What differs between the repository and a fresh build (empty: no drift)."""
    problems = [f"{p.relative_to(ROOT)} differs from what otter assign generates now"
                for p, text in expected.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    return problems + [f"{p.relative_to(ROOT)} has no source exercise any more" for p in stale_files(expected)]


def write(expected: dict[Path, str], builds: list[Built], dist: Path) -> None:
    for path in stale_files(expected):
        path.unlink()
    for path, text in expected.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    zips = dist / "autograder"
    zips.mkdir(parents=True, exist_ok=True)
    for built in builds:
        shutil.copyfile(built.autograder_zip, zips / f"{built.slug}-autograder.zip")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./course exercises", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the notebooks or packaged tests drifted")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="exercises-") as tmp:
            problems = drift(expected_files(assign_all(Path(tmp))))
        for problem in problems:
            print(f"drift: {problem}", file=sys.stderr)
        print("exercises: up to date" if not problems else "exercises: run ./course exercises to rebuild", file=sys.stderr)
        return 1 if problems else 0
    builds = assign_all(DIST_DIR)
    write(expected_files(builds), builds, DIST_DIR)
    print(f"exercises: {len(sources())} notebooks spliced; autograder zips in {(DIST_DIR / 'autograder').relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
