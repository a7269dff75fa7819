"""Execute the course's notebooks for the book, with the static renderers switched on.

nbclient runs each notebook in a fresh kernel whose environment has
``COURSE_BOOK_RENDER=1`` (so ``widgets`` registers :mod:`widgets.book_render`), in
the repository's ``notebooks/`` folder as JupyterLab would, and without storing
widget state (MyST-NB would embed it: about 5 MB per figure, plus require.js and
the widget manager from a CDN). Two notebooks run at a time by default.
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CELL_TIMEOUT_S = 180  # as nbval in the test suite


class BookBuildError(RuntimeError):
    """The book could not be built; the message names the notebook or file."""


# The book's kernels keep their quiz and prediction progress in a throw-away folder,
# so building the book never writes into the builder's own course progress.
_PROGRESS_DIR = tempfile.mkdtemp(prefix="course-book-progress-")


def kernel_environment() -> dict[str, str]:
    return {**os.environ, "COURSE_BOOK_RENDER": "1", "JUPYTER_DATA_DIR": _PROGRESS_DIR}


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Run one notebook; return it with its outputs and the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute(env=kernel_environment())
    except CellExecutionError as exc:
        raise BookBuildError(f"{path.name}: a cell failed while building the book:\n{exc}") from None
    return nb, time.perf_counter() - start


def execute_all(paths: list[Path], jobs: int = 2, log=print) -> dict[str, nbformat.NotebookNode]:
    """Run every notebook (``jobs`` at a time); return them by file stem, in the given order."""
    def run(path: Path):
        nb, seconds = execute(path)
        log(f"  executed {path.name} in {seconds:.1f} s")
        return path.stem, nb

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = dict(pool.map(run, paths))
    return {path.stem: done[path.stem] for path in paths}
