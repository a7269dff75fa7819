"""The learner's progress, kept on this computer: quiz answers, predictions and exercise results.

One small JSON file in the user's Jupyter data directory
(``jupyter_core.paths.jupyter_data_dir()/ketamine-course/progress.json``), never in
the repository. Every change re-reads the file, applies itself and writes it back
atomically (a temporary file, then ``os.replace``) under a lock, so two open
notebooks do not overwrite each other's answers and a crash never leaves half a
file. An unreadable or corrupt file is kept as a backup and a fresh record is
started, with a one-line :attr:`ProgressStore.notice` instead of a traceback.

Exercises record their results with :func:`record_exercise`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets
import tempfile
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from widgets.validation import CourseInputError, check_range

FORMAT = 1
SECTIONS = ("quiz", "predictions", "exercises")
#: Outcomes of a quiz question: right (on the first or second attempt), wrong twice, or answer shown.
RESULTS = ("correct", "wrong", "revealed")
BINDER_VARIABLES = ("BINDER_LAUNCH_HOST", "BINDER_REQUEST")
CSV_COLUMNS = ("kind", "notebook", "section", "item", "result", "attempts", "latest_result", "score", "max_score",
               "detail", "updated")


def progress_path() -> Path:
    """Where progress is kept: the user's Jupyter data directory (JUPYTER_DATA_DIR if set)."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "ketamine-course" / "progress.json"


def on_binder() -> bool:
    """True in a Binder session, whose files vanish when the session ends."""
    return any(os.environ.get(v) for v in BINDER_VARIABLES)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _empty(learner_id: str | None = None) -> dict[str, Any]:
    return {"format": FORMAT, "learner_id": learner_id or secrets.token_hex(8), "created": _now(),
            **{s: {} for s in SECTIONS}}


def _problem_with(data: Any) -> str | None:
    """Why ``data`` is not a progress record, or None when it is one."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    if data.get("format") != FORMAT:
        return f"unknown format {data.get('format')!r}"
    if not isinstance(data.get("learner_id"), str) or not data["learner_id"]:
        return "it has no learner id"
    for section in SECTIONS:
        if not isinstance(data.get(section), dict) or not all(isinstance(v, dict) for v in data[section].values()):
            return f"its {section!r} part is malformed"
    return None


@dataclass
class NotebookProgress:
    """One notebook's line in the progress view."""

    notebook: str
    answered: int = 0
    correct: int = 0
    revealed: int = 0
    predictions: int = 0
    exercise_score: float = 0.0
    exercise_max: float = 0.0
    revisit: list[str] = field(default_factory=list)


class ProgressStore:
    """Progress saved in one JSON file (see the module docstring)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        #: The last problem with the file, as one sentence for the learner ('' if none).
        self.notice = ""
        self._learner_id: str | None = None
        self._listeners: list[weakref.ref] = []

    # ------------------------------------------------------------ file handling
    def _backup_name(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.path.with_name(f"{self.path.stem}.unreadable-{stamp}-{secrets.token_hex(2)}.json")

    def _read(self) -> dict[str, Any]:
        """The record on disk; a fresh one if there is none, or if it cannot be read (kept as a backup)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        except (OSError, UnicodeDecodeError) as exc:
            return self._start_fresh(f"{type(exc).__name__}: {exc}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._start_fresh(f"invalid JSON at line {exc.lineno}")
        problem = _problem_with(data)
        return self._start_fresh(problem) if problem else data

    def _start_fresh(self, reason: str) -> dict[str, Any]:
        backup = self._backup_name()
        try:
            os.replace(self.path, backup)
            kept = f"it was kept as {backup.name} and"
        except OSError:
            kept = "it could not be moved aside, and"
        self.notice = f"Your saved progress in {self.path} could not be read ({reason}); {kept} a fresh record was started."
        return _empty(self._learner_id)

    def _write(self, data: dict[str, Any]) -> bool:
        """Write ``data`` atomically: a temporary file in the same folder, then os.replace."""
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent, prefix=".progress-",
                                             suffix=".tmp", delete=False) as handle:
                temporary = handle.name
                json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
            return True
        except OSError as exc:
            self.notice = f"Your progress could not be saved in {self.path.parent} ({exc.strerror or exc}); export it as CSV to keep it."
            if temporary:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return False

    @contextlib.contextmanager
    def _locked(self):
        """An exclusive lock beside the file (POSIX), so two kernels do not interleave their updates."""
        try:
            import fcntl

            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path.with_suffix(".lock"), "a")
        except (ImportError, OSError):  # no fcntl (Windows) or a read-only folder: update without a lock
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _update(self, change: Callable[[dict[str, Any]], None]) -> None:
        with self._locked():
            data = self._read()
            change(data)
            self._learner_id = data["learner_id"]
            self._write(data)
        self._notify()

    def read(self) -> dict[str, Any]:
        """The current record (a fresh read of the file)."""
        data = self._read()
        self._learner_id = self._learner_id or data["learner_id"]
        return data

    # ------------------------------------------------------------ identity
    @property
    def learner_id(self) -> str:
        """A random id for this learner on this computer, created once and kept in the file.

        It seeds the order of quiz options, so the order stays the same across sessions."""
        if self._learner_id is None:
            self._learner_id = self.read()["learner_id"]
            if not self.path.exists():  # a new learner: keep the id for the next session
                self._update(lambda data: data.__setitem__("learner_id", self._learner_id))
        return self._learner_id

    # ------------------------------------------------------------ recording
    def record_quiz(self, notebook: str, question_id: str, section: str, result: str, attempts: int,
                    section_title: str | None = None, answered_in: str | None = None) -> None:
        """One quiz question's outcome. The first outcome is kept as the score; later ones as the latest result."""
        if result not in RESULTS:
            raise CourseInputError(f"result must be one of {', '.join(RESULTS)}, got {result!r}")

        def change(data):
            entry = data["quiz"].setdefault(notebook, {}).setdefault(question_id, {})
            entry.setdefault("first_result", result)
            entry.setdefault("first_attempts", attempts)
            entry.update(section=section, result=result, attempts=attempts, updated=_now())
            if section_title:
                entry["section_title"] = section_title
            if answered_in and answered_in != notebook:
                entry["answered_in"] = answered_in

        self._update(change)

    def record_prediction(self, notebook: str, prediction_id: str, question: str, predicted: str, model: str,
                          closeness: str, error_fraction: float | None = None, right: bool | None = None) -> None:
        """A locked prediction and how close it came to the model."""
        record = dict(question=question, predicted=predicted, model=model, closeness=closeness,
                      error_fraction=error_fraction, right=right, updated=_now())
        self._update(lambda data: data["predictions"].setdefault(notebook, {}).__setitem__(prediction_id, record))

    def record_exercise(self, notebook: str, exercise_id: str, score: float, max_score: float) -> None:
        """An exercise's result: ``score`` points of ``max_score`` (the latest attempt counts)."""
        max_score = check_range("max_score", max_score, 0, None, "points", low_inclusive=False)
        score = check_range("score", score, 0, max_score, "points")
        record = dict(score=score, max_score=max_score, updated=_now())
        self._update(lambda data: data["exercises"].setdefault(notebook, {}).__setitem__(exercise_id, record))

    # ------------------------------------------------------------ reading back
    def quiz_results(self, notebook: str) -> dict[str, dict[str, Any]]:
        return self.read()["quiz"].get(notebook, {})

    def summary(self, notebooks: list[str]) -> list[NotebookProgress]:
        """One line per notebook (in the order given, then any others with records)."""
        data = self.read()
        recorded = set().union(*(data[s] for s in SECTIONS))
        rows = []
        for notebook in notebooks + sorted(recorded - set(notebooks)):
            row = NotebookProgress(notebook)
            for entry in data["quiz"].get(notebook, {}).values():
                first = entry.get("first_result")
                row.answered += first in ("correct", "wrong")
                row.correct += first == "correct"
                row.revealed += first == "revealed"
                title = entry.get("section_title") or entry.get("section", "")
                if entry.get("result") != "correct" and title not in row.revisit:
                    row.revisit.append(title)
            row.predictions = len(data["predictions"].get(notebook, {}))
            for entry in data["exercises"].get(notebook, {}).values():
                row.exercise_score += entry.get("score", 0)
                row.exercise_max += entry.get("max_score", 0)
            row.revisit.sort()
            rows.append(row)
        return rows

    def csv_text(self) -> str:
        """Every record as CSV (one row per quiz question, prediction and exercise), for handing in."""
        data = self.read()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for notebook in sorted(set().union(*(data[s] for s in SECTIONS))):
            for item, e in sorted(data["quiz"].get(notebook, {}).items()):
                writer.writerow(dict(kind="quiz", notebook=notebook, section=e.get("section", ""), item=item,
                                     result=e.get("first_result", ""), attempts=e.get("first_attempts", ""),
                                     latest_result=e.get("result", ""), detail=e.get("answered_in", ""),
                                     updated=e.get("updated", "")))
            for item, e in sorted(data["predictions"].get(notebook, {}).items()):
                writer.writerow(dict(kind="prediction", notebook=notebook, item=item, result=e.get("closeness", ""),
                                     detail=f"predicted {e.get('predicted', '')}; model {e.get('model', '')}",
                                     updated=e.get("updated", "")))
            for item, e in sorted(data["exercises"].get(notebook, {}).items()):
                writer.writerow(dict(kind="exercise", notebook=notebook, item=item, score=f"{e.get('score', 0):g}",
                                     max_score=f"{e.get('max_score', 0):g}", updated=e.get("updated", "")))
        return out.getvalue()

    # ------------------------------------------------------------ listeners
    def subscribe(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change made in this kernel (kept as a weak reference)."""
        ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
        self._listeners.append(ref)

    def _notify(self) -> None:
        alive = []
        for ref in self._listeners:
            callback = ref()
            if callback is not None:
                alive.append(ref)
                callback()
        self._listeners = alive


_STORES: dict[Path, ProgressStore] = {}


def store() -> ProgressStore:
    """The progress store of this user (one per data directory and kernel)."""
    path = progress_path()
    if path not in _STORES:
        _STORES[path] = ProgressStore(path)
    return _STORES[path]


def record_exercise(notebook: str, exercise_id: str, score: float, max_score: float) -> None:
    """Save an exercise result (``score`` of ``max_score`` points) in the learner's progress."""
    store().record_exercise(notebook, exercise_id, score, max_score)
