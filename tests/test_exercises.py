"""The "Your turn" exercises (issue 14 §4), built and graded with otter-grader.

* One ``otter assign`` build per test session (all sources), reused by every test.
* No drift: the committed lesson cells and packaged public tests equal a fresh build.
* For every exercise the reference solution scores 100 % and the blank student version 0 %
  under otter's offline grader (``otter run``; hidden tests included).
* In the lessons themselves ``grader.check`` reports "not implemented yet" for blanks and
  success for the solutions, with the tests that ship with the course.
* Solutions stay out of the learner's code cells (they appear only as folded worked answers).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from widgets import exercises
from widgets.exercises import CheckResult, expect_bool, expect_choice, expect_function, expect_number, failure_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from exercises import build  # noqa: E402  (the build tooling is not an installed package)

SOURCES = build.sources()
TOPIC_NOTEBOOKS = [f"{n:02d}" for n in range(1, 12)]


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> dict[str, build.Built]:
    return {b.slug: b for b in build.assign_all(tmp_path_factory.mktemp("exercises-dist"))}


def _questions(source: Path) -> list[str]:
    raw = [build.cell_text(c) for c in build.read_notebook(source)["cells"] if c["cell_type"] == "raw"]
    return [re.search(r"^name:\s*(\S+)", t, re.M).group(1) for t in raw if t.startswith("# BEGIN QUESTION")]


def _code(nb: dict) -> list[str]:
    return [build.cell_text(c) for c in nb["cells"] if c["cell_type"] == "code"]


# ------------------------------------------------------------------ structure and drift
def test_each_topic_notebook_has_two_or_three_exercises():
    assert [s.name[:2] for s in SOURCES] == TOPIC_NOTEBOOKS
    for source in SOURCES:
        assert (build.NOTEBOOKS_DIR / source.name).exists(), f"{source.name} has no lesson notebook"
        assert 2 <= len(_questions(source)) <= 3, f"{source.name}: {len(_questions(source))} exercises"
    names = [q for s in SOURCES for q in _questions(s)]
    assert len(names) == len(set(names)), "exercise names must be unique across the course"


def test_lessons_and_packaged_tests_match_a_fresh_otter_assign(builds):
    problems = build.drift(build.expected_files(list(builds.values())))
    assert not problems, "\n".join(problems) + "\nRun ./course exercises to rebuild."


def test_your_turn_section_sits_before_the_summary_with_stable_ids():
    for source in SOURCES:
        lesson = build.read_notebook(build.NOTEBOOKS_DIR / source.name)
        headings = [build.cell_text(c).splitlines()[0] for c in lesson["cells"] if c["cell_type"] == "markdown"
                    and build.cell_text(c).startswith("## ")]
        turn = next(h for h in headings if h.endswith("Your turn"))
        assert headings[headings.index(turn) + 1] == "## Summary", f"{source.stem}: Your turn must come just before the Summary"
        ids = [c["id"] for c in lesson["cells"]]
        assert len(ids) == len(set(ids))
        for question in _questions(source):
            assert f"{question}-check" in ids, f"{source.stem}: no stable check cell id for {question}"


def test_solutions_stay_out_of_the_learners_code_cells():
    for source in SOURCES:
        lesson = build.read_notebook(build.NOTEBOOKS_DIR / source.name)
        code = _code(lesson)
        blanks = {l.strip() for c in lesson["cells"] if "otter_answer_cell" in c["metadata"].get("tags", [])
                  for l in build.cell_text(c).splitlines()}
        markdown = [build.cell_text(c) for c in lesson["cells"] if c["cell_type"] == "markdown"]
        for question, solution in build.solutions_by_question(source).items():
            answer_lines = {l.strip() for l in solution.splitlines() if l.strip()} - blanks
            assert answer_lines, f"{source.stem} {question}: the student version shows the whole solution"
            leaked = [l for l in answer_lines if any(l in cell for cell in code)]
            assert not leaked, f"{source.stem} {question}: solution lines in code cells: {leaked}"
            worked = [m for m in markdown if solution in m]
            assert len(worked) == 1 and worked[0].startswith("<details><summary>Worked answer</summary>"), (
                f"{source.stem} {question}: the solution must appear once, folded in a worked answer")


def test_packaged_public_tests_hold_no_hidden_tests(builds):
    for slug, built in builds.items():
        packaged = sorted((build.PACKAGED_TESTS_DIR / slug).glob("*.py"))
        assert [p.name for p in packaged] == sorted(f"{q}.py" for q in _questions(build.SOURCES_DIR / f"{slug}.ipynb"))
        for path in packaged:
            assert "hidden=True" not in path.read_text(encoding="utf-8"), f"{path} ships a hidden test"
        autograder_tests = "".join(p.read_text(encoding="utf-8") for p in (built.autograder_notebook.parent / "tests").glob("*.py"))
        assert "hidden=False" in autograder_tests


# ------------------------------------------------------------------ grading with otter
@pytest.fixture(scope="module")
def grading_kernels(tmp_path_factory):
    """Grading kernels start with otter's import, before any course code; give them the stub that
    ``course_data`` sets in every learner's kernel (it skips a grammar jsonschema compiles and the
    course never uses: about 1.5 s of CPU per kernel). Nothing else differs."""
    ipython_dir = tmp_path_factory.mktemp("ipython")
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-course-data-stub.py").write_text('import sys\nsys.modules.setdefault("rfc3987_syntax", None)\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPYTHONDIR", str(ipython_dir))
        yield


@pytest.mark.parametrize("slug", [s.stem for s in SOURCES])
def test_solution_scores_full_marks_and_blank_scores_zero(builds, grading_kernels, slug):
    from otter.api import grade_submission

    built = builds[slug]
    solved = grade_submission(str(built.autograder_notebook), str(built.autograder_zip), quiet=True)
    blank = grade_submission(str(built.student_notebook), str(built.autograder_zip), quiet=True)
    questions = _questions(build.SOURCES_DIR / f"{slug}.ipynb")
    assert sorted(solved.test_files) == sorted(blank.test_files) == sorted(questions)
    for question in questions:
        result = solved.get_result(question)
        assert result.score == result.possible > 0, f"{slug} {question}: solution scored {result.score}/{result.possible}\n{result.summary()}"
        assert blank.get_result(question).score == 0, f"{slug} {question}: the blank version scored points"
    assert solved.percent == 1.0 and blank.total == 0
    hidden = [tc for name in questions for tc in solved.get_result(name).test_cases if tc.hidden]
    assert hidden or slug == "11_reading_sources", f"{slug}: no hidden tests"


def test_otter_run_grades_a_learners_lesson_notebook_offline(builds, grading_kernels, tmp_path):
    """The instructor's path: ``otter run`` on a filled-in lesson notebook, no Docker."""
    slug = "07_ssris"
    lesson = build.read_notebook(build.NOTEBOOKS_DIR / f"{slug}.ipynb")
    solutions = build.solutions_by_question(build.SOURCES_DIR / f"{slug}.ipynb")
    answers = iter(solutions.values())
    for cell in lesson["cells"]:
        if "otter_answer_cell" in cell["metadata"].get("tags", []):
            cell["source"] = next(answers)
    submission = tmp_path / f"{slug}.ipynb"
    submission.write_text(build.notebook_text(lesson), encoding="utf-8")
    out = tmp_path / "results"
    out.mkdir()
    run = subprocess.run([str(Path(sys.executable).parent / "otter"), "run", "-a", str(builds[slug].autograder_zip),
                          "-o", str(out), str(submission)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    tests = [t for t in json.loads((out / "results.json").read_text())["tests"] if "max_score" in t]
    assert sorted(t["name"] for t in tests) == sorted(solutions), tests
    assert sum(t["score"] for t in tests) == sum(t["max_score"] for t in tests) == len(solutions), tests


# ------------------------------------------------------------------ feedback in the lessons
@pytest.fixture(scope="module")
def executed_sections(tmp_path_factory):
    """Every lesson's Your-turn cells run in one kernel: blank first, then the solutions."""
    cells, expected = [], []
    for source in SOURCES:
        lesson = build.read_notebook(build.NOTEBOOKS_DIR / source.name)
        solutions = build.solutions_by_question(source)
        section = [c for c in lesson["cells"] if c["cell_type"] == "code"
                   and (c["id"].startswith(f"ex{source.stem[:2]}-") or c["id"].endswith("-check"))]
        for cell in section:
            cells.append(nbformat.v4.new_code_cell(build.cell_text(cell)))
            expected.append(("blank", cell["id"][:-len("-check")]) if cell["id"].endswith("-check") else None)
        for question, solution in solutions.items():
            cells += [nbformat.v4.new_code_cell(solution), nbformat.v4.new_code_cell(f'grader.check("{question}")')]
            expected += [None, ("solved", question)]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    data_dir = tmp_path_factory.mktemp("jupyter-data")
    env = dict(os.environ, JUPYTER_DATA_DIR=str(data_dir))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(build.NOTEBOOKS_DIR)}})
    client.execute(env=env)  # keyword arguments reach the kernel's start-up
    return nb, expected, data_dir


def test_blank_exercises_run_cleanly_and_checks_say_what_to_fix(executed_sections):
    nb, expected, _ = executed_sections
    errors = [(c.source[:60], o.get("ename")) for c in nb.cells for o in c.outputs if o.output_type == "error"]
    assert not errors
    blanks = [(cell, tag[1]) for cell, tag in zip(nb.cells, expected) if tag and tag[0] == "blank"]
    assert len(blanks) == sum(len(_questions(s)) for s in SOURCES)
    for cell, question in blanks:
        text = cell.outputs[-1]["data"]["text/plain"]
        assert text.startswith("Not yet"), f"{question}: {text}"
        assert "not implemented yet: replace ... " in text, f"{question}: {text}"
        assert "Traceback" not in text and "Error at line" not in text, f"{question}: {text}"
        assert "✘ Not yet" in cell.outputs[-1]["data"]["text/html"]


def test_solutions_pass_their_checks_in_the_lesson(executed_sections):
    nb, expected, _ = executed_sections
    solved = [(cell, tag[1]) for cell, tag in zip(nb.cells, expected) if tag and tag[0] == "solved"]
    assert solved
    for cell, question in solved:
        assert cell.outputs[-1]["data"]["text/plain"].startswith("Correct"), f"{question}: {cell.outputs[-1]['data']['text/plain']}"


def test_checks_write_no_otter_log_into_the_notebooks_folder(executed_sections):
    assert not (build.NOTEBOOKS_DIR / ".OTTER_LOG").exists()


def test_importing_the_exercise_module_does_not_import_otter():
    code = "import widgets.exercises, sys; print('otter' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_unknown_notebook_gets_a_clear_message():
    with pytest.raises(ValueError, match="no exercises for notebook '99_nothing'.*04_pharmacokinetics"):
        exercises.tests_dir("99_nothing")


# ------------------------------------------------------------------ the check helpers
def _message(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        check(*args, **kwargs)
    return str(info.value)


def test_expect_number_messages():
    assert _message(expect_number, ..., "x", 2.0, "the dose") == "x: not implemented yet: replace ... with the dose."
    assert "has no value yet" in _message(expect_number, None, "x", 2.0, "the dose")
    assert "should be a number (the dose), not text" in _message(expect_number, "2", "x", 2.0, "the dose")
    assert "not True/False" in _message(expect_number, True, "x", 1.0, "the dose")
    assert "single finite number (the dose), not nan" in _message(expect_number, float("nan"), "x", 2.0, "the dose")
    assert _message(expect_number, 3.0, "x", 2.0, "d", slips=[(3.0, "you doubled it")]) == "x = 3 is not right yet: you doubled it."
    assert _message(expect_number, 18_000.0, "x", 2.0, "d") == "x = 18,000 is not right yet."
    expect_number(2.01, "x", 2.0, "d")  # inside the 1 % tolerance
    import numpy as np
    expect_number(np.float64(2.0), "x", 2.0, "d")


def test_expect_function_reports_the_learners_error_without_a_traceback():
    def broken(a):
        return 1 / 0

    assert _message(expect_function, broken, "f", [((2.0,), 1.0)], "w") == "f(2) stopped with ZeroDivisionError: division by zero."
    assert _message(expect_function, lambda a: None, "f", [((2.0,), 1.0)], "a return of a") == (
        "f: not implemented yet: replace ... in its body with a return of a.")
    assert "returned 3" in _message(expect_function, lambda a: 3.0, "f", [((2.0,), 1.0)], "w")
    expect_function(lambda a: a / 2, "f", [((2.0,), 1.0)], "w")


def test_expect_choice_and_bool():
    expect_choice("  Partly_Supported ", "v", "partly supported", ["supported", "partly supported"], "w")
    assert "is not one of the options" in _message(expect_choice, "maybe", "v", "supported", ["supported"], "w")
    assert "in quotes" in _message(expect_choice, 3, "v", "supported", ["supported"], "w")
    assert _message(expect_choice, "A", "s", "C", ["A", "C"], "w", feedback={"A": "binding is real"}) == (
        's = "A" is not right yet: binding is real.')
    assert "should be True or False" in _message(expect_bool, "yes", "b", True, "w")
    assert _message(expect_bool, False, "b", True, "w", hint="look again") == "b = False is not right yet: look again."


def test_failure_text_keeps_only_the_learners_message_from_otter():
    from otter.test_files.exception_test import ExceptionTestFile

    source = (
        "from otter.test_files import test_case\nOK_FORMAT = False\nname = 'q'\npoints = 1\n"
        "@test_case(points=None, hidden=False)\ndef test_a(x):\n"
        "    from widgets.exercises import expect_number\n    expect_number(x, 'x', 42.0, 'the answer')\n"
        "@test_case(points=None, hidden=False)\ndef test_b(y):\n    return len(y)\n"
    )
    test_file = ExceptionTestFile.from_string(source, path="q.py")
    test_file.run({"x": ..., "y": 5})
    messages = [failure_text(r.message) for r in test_file.test_case_results]
    assert messages == ["x: not implemented yet: replace ... with the answer.",
                        "the check stopped with TypeError: object of type 'int' has no len()"]
    result = CheckResult(test_file)
    assert not result.passed and result.summary() == "Not yet: 2 of 2 checks to fix."
    assert "42.0" not in repr(result) and "expect_number" not in repr(result)
    assert "✘" in result._repr_html_() and "role='status'" in result._repr_html_()


# ------------------------------------------------------------------ the grader object
def test_check_records_the_score_and_writes_no_otter_log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    recorded = []
    monkeypatch.setattr(exercises, "_record_progress", lambda *args: recorded.append(args))
    grader = exercises.grader("07_ssris")
    blank = grader.check("ex07_washout", global_env={"left_shortest": ..., "left_longest": 2 ** (-28 / 15)})
    assert not blank.passed and blank.summary() == "Not yet: 1 of 2 checks to fix."
    assert blank.problems == ["left_shortest: not implemented yet: replace ... with the fraction (0 to 1) left after 28 days with t½ 7 days."]
    solved = grader.check("ex07_washout", global_env={"left_shortest": 2 ** -4, "left_longest": 2 ** (-28 / 15)})
    assert solved.passed and solved.summary() == "Correct: all 2 checks passed."
    assert recorded == [("07_ssris", "ex07_washout", 0.5, 1.0), ("07_ssris", "ex07_washout", 1.0, 1.0)]
    assert list(tmp_path.iterdir()) == [], "otter wrote files into the working directory"


def test_no_progress_is_recorded_while_otter_grades(tmp_path, monkeypatch):
    import otter

    monkeypatch.chdir(tmp_path)
    recorded = []
    monkeypatch.setattr(exercises, "_record_progress", lambda *args: recorded.append(args))
    assert not exercises.otter_grading_mode()
    monkeypatch.setattr(otter.Notebook, "_grading_mode", True)  # what otter run's kernel sets (otter 7.0.0)
    assert exercises.otter_grading_mode()
    exercises.grader("07_ssris").check("ex07_washout", global_env={"left_shortest": 2 ** -4, "left_longest": 2 ** (-28 / 15)})
    assert recorded == []


def test_a_check_saves_the_latest_score_in_the_learners_progress(tmp_path, monkeypatch):
    from widgets import progress

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    grader = exercises.grader("07_ssris")
    grader.check("ex07_washout", global_env={"left_shortest": ..., "left_longest": 2 ** (-28 / 15)})
    assert progress.store().read()["exercises"]["07_ssris"]["ex07_washout"]["score"] == 0.5
    grader.check("ex07_washout", global_env={"left_shortest": 2 ** -4, "left_longest": 2 ** (-28 / 15)})
    row = progress.store().summary(["07_ssris"])[0]
    assert (row.exercise_score, row.exercise_max) == (1.0, 1.0)


def test_the_lessons_checks_land_in_the_progress_file(executed_sections):
    _, _, data_dir = executed_sections
    saved = json.loads(next(data_dir.rglob("progress.json")).read_text())["exercises"]
    for source in SOURCES:
        for question in _questions(source):
            entry = saved[source.stem][question]
            assert entry["score"] == entry["max_score"] == 1.0, f"{source.stem} {question}: {entry}"


def test_in_the_book_a_check_becomes_a_note_with_the_launch_link(tmp_path, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from traitlets.config import Config

    from widgets import book_render

    monkeypatch.chdir(tmp_path)
    result = exercises.grader("07_ssris").check("ex07_washout", global_env={"left_shortest": ..., "left_longest": ...})
    shell = InteractiveShell.instance(config=Config({"HistoryManager": {"enabled": False}}))
    try:
        assert book_render.register(shell)
        with capture_output() as captured:
            shell.display_formatter.format(result)
        (output,) = captured.outputs
        page = output.data["text/html"]
        assert book_render.LAUNCH_PLACEHOLDER in page and "needs a running kernel" in page and "Not yet" not in page
    finally:
        InteractiveShell.clear_instance()


def test_in_the_voila_demo_a_check_says_where_to_try_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = exercises.grader("07_ssris").check("ex07_washout", global_env={"left_shortest": ..., "left_longest": ...})
    assert repr(result).startswith("Not yet")
    monkeypatch.setenv("VOILA_KERNEL_ID", "demo")
    assert repr(result) == exercises.VOILA_NOTE and "JupyterLab" in result._repr_html_() and "Not yet" not in result._repr_html_()
