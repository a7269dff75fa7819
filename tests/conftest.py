"""Test-wide set-up.

* Every subprocess (nbval kernels, JupyterLab, Voilà) gets tests/netblock on
  PYTHONPATH, which refuses non-loopback connections: notebooks must work offline.
* Course data is validated for real (a fresh validation cache per test run).
* Jupyter and the kernel write into a temporary home, not the user's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "test-artifacts"

_session_home = Path(tempfile.mkdtemp(prefix="course-tests-"))
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in [str(ROOT / "tests" / "netblock"), os.environ.get("PYTHONPATH", "")] if p
)
os.environ["COURSE_DATA_CACHE"] = str(_session_home / "cache")
for var, sub in {
    "IPYTHONDIR": "ipython",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
    "MPLCONFIGDIR": "mpl",
}.items():
    os.environ[var] = str(_session_home / sub)
    (_session_home / sub).mkdir(parents=True, exist_ok=True)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_session_home, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (the evidence base and seeds); required under CI."""
    if not SHARED.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing: CI must run with shared/ beside the repository")
        pytest.skip(f"{SHARED} not found: evidence cross-checks skipped")
    return SHARED


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
