"""'Your turn' exercises: immediate feedback in the notebook, autograded with otter-grader.

In a notebook's "Your turn" section::

    from widgets import exercises
    grader = exercises.grader("04_pharmacokinetics")
    ...
    grader.check("ex04_exposure")   # the check cell under each exercise

:func:`grader` returns an otter-grader ``Notebook`` that runs the **public** tests
packaged with the course (``widgets/exercise_tests/<notebook>/``), shows what to
fix in plain words and saves the score in the learner's progress. otter is
imported only when a notebook reaches its exercises, so kernels that never do
stay light. Instructors grade with the hidden tests too (``otter run`` with the
autograder zip that ``./course exercises`` builds; see docs/GRADING.md).

The test files (written by ``otter assign`` from ``exercises/<notebook>.ipynb``)
call the ``expect_*`` helpers below. Each raises ``AssertionError`` with a
message a learner can act on: a blank answer (``...``) gets
"not implemented yet: replace ... with …", a wrong one a hint, never a traceback.
"""

from __future__ import annotations

import functools
import html
import inspect
import math
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from widgets.validation import CourseInputError, check_number

TESTS_DIR = Path(__file__).resolve().parent / "exercise_tests"
COLOURS = {"passed": "#00734f", "failed": "#8a2b00", "note": "#555"}
VOILA_NOTE = "The exercises need an editable notebook: open this notebook in JupyterLab to try them."


# ------------------------------------------------------------------ in the notebook
def tests_dir(notebook: str) -> Path:
    """The packaged public tests of ``notebook`` (e.g. ``"04_pharmacokinetics"``)."""
    path = TESTS_DIR / notebook
    if not path.is_dir():
        known = sorted(p.name for p in TESTS_DIR.iterdir() if p.is_dir())
        raise ValueError(f"no exercises for notebook {notebook!r}; notebooks with exercises: {', '.join(known)}")
    return path


def grader(notebook: str):
    """The exercise grader of ``notebook``: ``grader.check(name)`` checks one exercise."""
    return _grader_class()(notebook)


def _record_progress(notebook: str, exercise_id: str, score: float, max_score: float) -> None:
    from widgets.progress import record_exercise

    record_exercise(notebook, exercise_id, score, max_score)


@functools.cache
def _grader_class():
    import otter  # here, not at module level: it adds about 14 MB and 2 s to a kernel

    class CourseGrader(otter.Notebook):
        """otter's Notebook with the course's tests, feedback and progress."""

        def __init__(self, notebook: str):
            self.course_notebook = notebook
            super().__init__(tests_dir=str(tests_dir(notebook)))

        def _log_event(self, *args: Any, **kwargs: Any) -> None:
            # otter 7.0.0 appends every init and check to a .OTTER_LOG file in the working
            # directory (the course's notebooks/ folder). The course keeps results in the
            # learner's progress instead, so nothing is written here.
            return None

        def check(self, question: str, global_env: dict | None = None) -> "CheckResult":
            # otter finds the learner's variables two frames up; an override adds a frame,
            # so pass the caller's globals explicitly.
            if global_env is None:
                global_env = inspect.currentframe().f_back.f_globals
            result = CheckResult(super().check(question, global_env))
            if not otter_grading_mode() and result.possible > 0:
                _record_progress(self.course_notebook, question, result.score, result.possible)
            return result

    return CourseGrader


def otter_grading_mode() -> bool:
    """True while otter's autograder runs a notebook (``otter run``). otter 7.0.0 keeps this on a
    private class attribute; it is read in this one place."""
    otter = sys.modules.get("otter")
    return bool(otter is not None and getattr(otter.Notebook, "_grading_mode", False))


_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): ?(.*)$", re.S)


def failure_text(message: str) -> str:
    """The learner-facing part of an otter test-case failure message.

    otter 7.0.0 formats a failed exception-based test case as::

        ❌ Test case failed
        Error at line 3 in test ex03_x:
          <the test's source line>
        AssertionError: <our message>

    Only ``<our message>`` is meant for the learner (the source line can give the answer away).
    """
    lines = (message or "").splitlines()
    for i, line in enumerate(lines):
        match = _EXCEPTION_LINE.match(line)
        if match and not line.startswith(" "):
            kind, text = match.groups()
            text = "\n".join([text, *lines[i + 1:]]).strip()
            return text if kind == "AssertionError" else f"the check stopped with {kind}: {text}"
    return (message or "").strip()


class CheckResult:
    """One exercise's check: passed or not, the points, and what to fix."""

    def __init__(self, test_file: Any):
        self.test_file = test_file
        self.name = test_file.name
        self.score = float(test_file.score)
        self.possible = float(test_file.possible)
        results = [r for r in test_file.test_case_results if not r.test_case.hidden]
        self.checks = len(results)
        self.problems = [failure_text(r.message) for r in results if not r.passed]
        self.passed = not self.problems

    def summary(self) -> str:
        if self.passed:
            return f"Correct: all {self.checks} checks passed." if self.checks > 1 else "Correct: the check passed."
        if self.checks == 1:
            return "Not yet: 1 check to fix."
        return f"Not yet: {len(self.problems)} of {self.checks} checks to fix."

    def __repr__(self) -> str:
        if _in_voila():
            return VOILA_NOTE
        return "\n".join([self.summary(), *(f"- {p}" for p in self.problems)])

    def _repr_html_(self) -> str:
        if _in_voila():  # the instructor demo shows no code, so a blank exercise's "not yet" is noise
            return f"<div class='course-exercise-check' style='color:{COLOURS['note']};margin:6px 0'>{html.escape(VOILA_NOTE)}</div>"
        colour = COLOURS["passed" if self.passed else "failed"]
        mark = "✔" if self.passed else "✘"
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
        return (
            f"<div class='course-exercise-check' role='status' aria-live='polite' "
            f"style='border-left:4px solid {colour};padding:4px 10px;margin:6px 0;max-width:60em'>"
            f"<b style='color:{colour}'>{mark} {html.escape(self.summary())}</b>"
            f"{f'<ul style=margin:4px 0>{items}</ul>' if items else ''}</div>"
        )


def _in_voila() -> bool:
    """True in a Voilà kernel (Voilà 0.5 sets VOILA_KERNEL_ID in the kernel's environment)."""
    return "VOILA_KERNEL_ID" in os.environ


# ------------------------------------------------------------------ in the test files
def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _fail(text: str) -> AssertionError:
    return AssertionError(_sentence(text))


def _blank(name: str, what: str, where: str = "") -> AssertionError:
    return _fail(f"{name}: not implemented yet: replace ...{where} with {what}")


def _show(number: float) -> str:
    return f"{number:,.0f}" if abs(number) >= 1000 else f"{number:.3g}"


def _arg_text(arg: Any) -> str:
    if isinstance(arg, (int, float)) and not isinstance(arg, bool):
        return f"{arg:g}"
    if isinstance(arg, str):
        return repr(arg)
    size = getattr(arg, "size", None) or (len(arg) if hasattr(arg, "__len__") else None)
    return f"<{size} values>" if size else type(arg).__name__


def _as_number(value: Any, name: str, what: str) -> float:
    """``value`` as a finite float, or an AssertionError saying what to write instead."""
    if value is Ellipsis:
        raise _blank(name, what)
    if value is None:
        raise _fail(f"{name} has no value yet: run the cell where you set it ({what})")
    if isinstance(value, bool) or isinstance(value, str):
        raise _fail(f"{name} should be a number ({what}), not {'True/False' if isinstance(value, bool) else 'text'}")
    try:
        return check_number(name, value)
    except CourseInputError:
        kind = f"a {type(value).__name__}" if isinstance(value, (list, tuple, dict)) or hasattr(value, "shape") else repr(value)
        raise _fail(f"{name} should be a single finite number ({what}), not {kind}") from None


def _close(a: float, b: float, rel: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def expect_number(value: Any, name: str, expected: float, what: str, *, rel: float = 0.01,
                  hint: str = "", slips: Iterable[tuple[float, str]] = ()) -> None:
    """``value`` equals ``expected`` within ``rel``; ``slips`` maps a common wrong answer to its hint."""
    number = _as_number(value, name, what)
    if _close(number, expected, rel):
        return
    for slip_value, slip_hint in slips:
        if _close(number, slip_value, rel):
            raise _fail(f"{name} = {_show(number)} is not right yet: {slip_hint}")
    raise _fail(f"{name} = {_show(number)} is not right yet{': ' + hint if hint else ''}")


def expect_bool(value: Any, name: str, expected: bool, what: str, *, hint: str = "") -> None:
    """``value`` is the boolean ``expected``."""
    if value is Ellipsis:
        raise _blank(name, what)
    if not (isinstance(value, bool) or type(value).__name__ == "bool_"):  # numpy's bool too
        raise _fail(f"{name} should be True or False ({what}), not {value!r}")
    if bool(value) != expected:
        raise _fail(f"{name} = {bool(value)} is not right yet{': ' + hint if hint else ''}")


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def expect_choice(value: Any, name: str, expected: str, options: Sequence[str], what: str, *,
                  feedback: dict[str, str] | None = None, hint: str = "") -> None:
    """``value`` is the option ``expected`` (case, spaces, hyphens and underscores ignored)."""
    if value is Ellipsis:
        raise _blank(name, what)
    quoted = ", ".join(f'"{o}"' for o in options)
    if not isinstance(value, str):
        raise _fail(f"{name} should be text in quotes, one of {quoted}; not {value!r}")
    chosen = {_normalise(o): o for o in options}.get(_normalise(value))
    if chosen is None:
        raise _fail(f"{name} = {value!r} is not one of the options: {quoted}")
    if _normalise(chosen) != _normalise(expected):
        reason = (feedback or {}).get(chosen, hint)
        raise _fail(f"{name} = \"{chosen}\" is not right yet{': ' + reason if reason else ''}")


def expect_function(func: Any, name: str, cases: Iterable[tuple[tuple, float]], what: str, *,
                    rel: float = 0.01, hint: str = "") -> None:
    """``func(*args)`` returns ``expected`` for every ``(args, expected)`` in ``cases``."""
    if func is Ellipsis:
        raise _blank(name, what)
    if not callable(func):
        raise _fail(f"{name} is not defined yet: run the cell where you define it")
    for args, expected in cases:
        call = f"{name}({', '.join(_arg_text(a) for a in args)})"
        try:
            returned = func(*args)
        except Exception as error:  # the learner's code: report it as a hint, not a traceback
            raise _fail(f"{call} stopped with {type(error).__name__}: {error}") from None
        if returned is None or returned is Ellipsis:
            raise _blank(name, what, " in its body")
        number = _as_number(returned, call, what)
        if not _close(number, expected, rel):
            raise _fail(f"{call} returned {_show(number)}, which is not right yet{': ' + hint if hint else ''}")
