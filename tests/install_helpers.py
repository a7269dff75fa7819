"""Shared by the install tests: find interpreters, clone the committed course, make
environments, and execute notebooks in them (offline, as a student's kernel would)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import course_script
import pytest

ROOT = Path(__file__).resolve().parents[1]
NETBLOCK = ROOT / "tests" / "netblock"
course = course_script.load()


def offline_pip(version: tuple[int, int], env: dict) -> dict:
    """``env`` for pip installing from the wheels `./course test` fetched for Python ``version``
    (the tests have no network); skips the test, saying why, where there are none."""
    folder = course.wheelhouse(version)
    if not (folder / ".stamp").exists():
        pytest.skip(f"no wheels for Python {version[0]}.{version[1]} in {folder}: the tests run offline, and "
                    "`./course test` fetches them before it starts pytest: run the tests that way")
    return dict(env, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(folder))


def clone_head(destination: Path) -> Path:
    """A git clone of the committed course (HEAD), as a student or nbgitpuller gets it."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(destination)], check=True, timeout=300)
    subprocess.run(["git", "-c", "advice.detachedHead=false", "checkout", "-q", head], cwd=destination, check=True, timeout=300)
    return destination


# Runs inside the environment under test: its own nbclient and kernel, the kernel started in
# the folder given (as JupyterLab starts it next to the notebook).
_EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
folder, names = sys.argv[1], sys.argv[2:]
for name in names:
    nb = nbformat.read(f"{folder}/{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, (name, errors)
    print("executed", name, sys.version_info[:2], flush=True)
"""


def execute_notebooks(python: Path, folder: Path, names: list[str], home: Path) -> str:
    """Execute notebooks ``names`` from ``folder`` with ``python``'s nbclient and kernel,
    offline (tests/netblock), with ``home`` as HOME and a fresh data-validation cache."""
    env = dict(os.environ)
    env.update(HOME=str(home), COURSE_DATA_CACHE=str(home / ".cache" / "course-data"),
               JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"), IPYTHONDIR=str(home / "ipython"))
    env["PYTHONPATH"] = os.pathsep.join([str(NETBLOCK)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    result = subprocess.run([str(python), "-c", _EXECUTE, str(folder), *names], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"notebooks failed with {python}:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout
