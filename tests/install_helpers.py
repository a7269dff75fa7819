"""Shared by the install tests: find interpreters, clone the committed course, make
environments, and execute notebooks in them (offline, as a student's kernel would)."""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import course_script

ROOT = Path(__file__).resolve().parents[1]
NETBLOCK = ROOT / "tests" / "netblock"
course = course_script.load()


def find_python(major: int, minor: int):
    """A working ``pythonX.Y`` on PATH or under pyenv (course.Interpreter), or None."""
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = [f"python{major}.{minor}"]
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", f"{major}.{minor}.*", "bin", f"python{major}.{minor}")), reverse=True)
    for candidate in candidates:
        found = course.probe([candidate])
        if found is not None and found.version == (major, minor):
            return found
    return None


def without_netblock(env: dict) -> dict:
    """The environment for pip, which needs the package registry (the notebooks do not)."""
    env = dict(env)
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p) != NETBLOCK]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    return env


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
