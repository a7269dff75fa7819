"""Saved progress (widgets/progress.py) and the progress view (widgets/progress_view.py)."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from widgets import progress
from widgets.progress_view import BINDER_NOTE, LOCAL_NOTE, ProgressView
from widgets.validation import CourseInputError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path):
    return progress.ProgressStore(tmp_path / "ketamine-course" / "progress.json")


def _run(code: str, data_dir: Path) -> str:
    """Run ``code`` in a fresh Python process with its own Jupyter data directory (as a new kernel would)."""
    env = dict(os.environ, JUPYTER_DATA_DIR=str(data_dir))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_file_lives_in_the_jupyter_data_directory_not_the_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    assert progress.progress_path() == tmp_path / "data" / "ketamine-course" / "progress.json"
    assert ROOT not in progress.progress_path().parents


def test_progress_survives_a_new_python_process(tmp_path):
    """What one kernel saves, a kernel started after a restart reads back."""
    _run("from widgets import progress\n"
         "s = progress.store()\n"
         "s.record_quiz('04_pharmacokinetics', 'q04-a', 'routes', 'correct', 1, section_title='1. Routes')\n"
         "s.record_quiz('04_pharmacokinetics', 'q04-b', 'models', 'wrong', 2, section_title='2. Models')\n"
         "s.record_prediction('04_pharmacokinetics', '04-pk', 'Peak?', '150 ng/mL', '240 ng/mL', '38 % low', -0.375)\n"
         "progress.record_exercise('05_benzodiazepines', 'accumulation', 2, 3)\n"
         "print(s.learner_id)", tmp_path)
    out = _run("import json\nfrom widgets import progress\n"
               "rows = {r.notebook: r for r in progress.store().summary(['04_pharmacokinetics', '05_benzodiazepines'])}\n"
               "r, e = rows['04_pharmacokinetics'], rows['05_benzodiazepines']\n"
               "print(json.dumps([r.correct, r.answered, r.predictions, r.revisit, e.exercise_score, e.exercise_max,"
               " progress.store().learner_id]))", tmp_path)
    correct, answered, predictions, revisit, score, max_score, learner = json.loads(out)
    assert (correct, answered, predictions, revisit, score, max_score) == (1, 2, 1, ["2. Models"], 2, 3)
    saved = json.loads((tmp_path / "ketamine-course" / "progress.json").read_text(encoding="utf-8"))
    assert saved["learner_id"] == learner and saved["format"] == progress.FORMAT


def test_writes_are_atomic_a_failed_write_leaves_the_old_file(store, monkeypatch):
    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1)
    before = store.path.read_text(encoding="utf-8")
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (replaced.append((Path(src), Path(dst))), real_replace(src, dst))[1])
    store.record_quiz("04_pharmacokinetics", "q04-b", "routes", "wrong", 2)
    (source, target), = replaced
    assert target == store.path and source.parent == store.path.parent and source.name.startswith(".progress-")

    def crash(data, handle, **kwargs):
        handle.write('{"format": 1, "learner_id": "half')  # a crash half-way through writing
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress.json, "dump", crash)
    during = store.path.read_text(encoding="utf-8")
    store.record_quiz("04_pharmacokinetics", "q04-c", "routes", "correct", 1)
    assert store.path.read_text(encoding="utf-8") == during != before, "the file is the last complete one"
    assert "could not be saved" in store.notice and "No space left" in store.notice
    assert not list(store.path.parent.glob(".progress-*")), "no temporary file left behind"


@pytest.mark.parametrize("content, reason", [
    ("{not json", "invalid JSON"), ("[1, 2]", "not a JSON object"), ('{"format": 99}', "unknown format"),
    ('{"format": 1, "learner_id": "x", "quiz": [], "predictions": {}, "exercises": {}}', "'quiz' part is malformed"),
    (b"\xff\xfe\x00bad", "UnicodeDecodeError"),
])
def test_a_corrupt_file_gives_one_line_keeps_a_backup_and_starts_fresh(store, content, reason):
    store.path.parent.mkdir(parents=True)
    (store.path.write_bytes if isinstance(content, bytes) else store.path.write_text)(content)
    data = store.read()
    assert data["quiz"] == {} and data["learner_id"]
    assert reason in store.notice and "\n" not in store.notice and "fresh record" in store.notice
    backups = list(store.path.parent.glob("progress.unreadable-*.json"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == (content if isinstance(content, bytes) else content.encode())
    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1)
    assert json.loads(store.path.read_text(encoding="utf-8"))["quiz"]["04_pharmacokinetics"]["q04-a"]["result"] == "correct"


def test_an_unwritable_folder_gives_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    store = progress.ProgressStore(blocker / "progress.json")
    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1)
    assert "could not be saved" in store.notice and "export it as CSV" in store.notice


def test_two_kernels_writing_keep_each_others_records(tmp_path):
    path = tmp_path / "progress.json"
    first, second = progress.ProgressStore(path), progress.ProgressStore(path)
    first.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1)
    second.record_quiz("05_benzodiazepines", "q05-a", "binding", "wrong", 2)
    first.record_exercise("05_benzodiazepines", "ex1", 1, 2)
    data = progress.ProgressStore(path).read()
    assert set(data["quiz"]) == {"04_pharmacokinetics", "05_benzodiazepines"} and data["exercises"]["05_benzodiazepines"]
    assert first.learner_id == second.learner_id


def test_learner_id_is_random_once_and_then_kept(tmp_path):
    a, b = progress.ProgressStore(tmp_path / "a.json"), progress.ProgressStore(tmp_path / "b.json")
    assert a.learner_id != b.learner_id
    assert progress.ProgressStore(tmp_path / "a.json").learner_id == a.learner_id


def test_exercise_results_are_checked(store):
    with pytest.raises(CourseInputError, match="score must be between 0 and 3"):
        store.record_exercise("04_pharmacokinetics", "ex1", 4, 3)
    with pytest.raises(CourseInputError, match="max_score must be > 0"):
        store.record_exercise("04_pharmacokinetics", "ex1", 0, 0)
    with pytest.raises(CourseInputError, match="result must be one of"):
        store.record_quiz("04_pharmacokinetics", "q", "s", "maybe", 1)
    store.record_exercise("04_pharmacokinetics", "ex1", 1, 3)
    store.record_exercise("04_pharmacokinetics", "ex1", 3, 3)  # the latest attempt counts
    row, = store.summary(["04_pharmacokinetics"])
    assert (row.exercise_score, row.exercise_max) == (3, 3)


def test_summary_scores_first_answers_and_lists_sections_still_to_revisit(store):
    record = store.record_quiz
    record("04_pharmacokinetics", "q1", "routes", "wrong", 2, section_title="1. Routes")
    record("04_pharmacokinetics", "q2", "models", "revealed", 0, section_title="2. Models")
    record("04_pharmacokinetics", "q3", "models", "correct", 1, section_title="2. Models")
    record("04_pharmacokinetics", "q1", "routes", "correct", 1, section_title="1. Routes")  # later put right
    row, other = store.summary(["04_pharmacokinetics", "05_benzodiazepines"])
    assert (row.correct, row.answered, row.revealed) == (1, 2, 1)
    assert row.revisit == ["2. Models"]
    assert other.notebook == "05_benzodiazepines" and other.answered == 0 and other.revisit == []


def test_csv_export_has_one_row_per_record(store):
    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "wrong", 2, answered_in="12_review")
    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1)
    store.record_prediction("04_pharmacokinetics", "04-pk", "Peak?", "150 ng/mL", "240 ng/mL", "38 % low", -0.375)
    store.record_exercise("05_benzodiazepines", "accumulation", 2.5, 3)
    rows = list(csv.DictReader(io.StringIO(store.csv_text())))
    assert tuple(rows[0]) == progress.CSV_COLUMNS
    quiz_row, prediction, exercise = rows
    assert quiz_row | {"updated": ""} == dict(kind="quiz", notebook="04_pharmacokinetics", section="routes", item="q04-a",
                                               result="wrong", attempts="2", latest_result="correct", score="", max_score="",
                                               detail="12_review", updated="")
    assert prediction["kind"] == "prediction" and prediction["result"] == "38 % low"
    assert prediction["detail"] == "predicted 150 ng/mL; model 240 ng/mL"
    assert (exercise["kind"], exercise["notebook"], exercise["score"], exercise["max_score"]) == ("exercise", "05_benzodiazepines", "2.5", "3")


def test_progress_view_shows_scores_revisits_and_exports_a_download_link(store, monkeypatch):
    monkeypatch.delenv("BINDER_LAUNCH_HOST", raising=False)
    monkeypatch.delenv("BINDER_REQUEST", raising=False)
    view = ProgressView(store)
    assert LOCAL_NOTE in view.note.value and "not started" in view.table.value
    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1, section_title="1. Routes")
    store.record_quiz("04_pharmacokinetics", "q04-b", "models", "wrong", 2, section_title="2. Models and their disagreement")
    assert "<b>1 of " in view.table.value, "the view follows new answers in the same kernel"
    assert "2. Models and their disagreement" in view.table.value
    view.export_button.click()
    link = view.download.value
    assert "download='ketamine-course-progress-" in link and "href='data:text/csv;charset=utf-8;base64," in link
    payload = link.split("base64,", 1)[1].split("'", 1)[0]
    assert base64.b64decode(payload).decode("utf-8") == view.csv_text == store.csv_text()
    assert "(2 rows)" in link


def test_on_binder_the_view_says_progress_lasts_one_session(store, monkeypatch):
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    assert progress.on_binder()
    assert BINDER_NOTE in ProgressView(store).note.value
    monkeypatch.delenv("BINDER_LAUNCH_HOST")
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/example/course/main")
    assert progress.on_binder()


def test_the_view_shows_a_corrupt_file_notice(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{oops")
    view = ProgressView(store)
    assert "could not be read" in view.note.value and "Traceback" not in view.note.value


def test_the_course_book_shows_how_to_keep_progress_never_the_builders_record(store, monkeypatch):
    from widgets.book_render import ENV_FLAG
    from widgets.progress_view import BOOK_NOTE, progress_view

    store.record_quiz("04_pharmacokinetics", "q04-a", "routes", "correct", 1)
    monkeypatch.setattr(progress, "store", lambda: store)
    monkeypatch.setenv(ENV_FLAG, "1")
    shown = progress_view()
    assert BOOK_NOTE in shown.value and "04" not in shown.value
    monkeypatch.delenv(ENV_FLAG)
    assert "<b>1 of " in progress_view().table.value
