"""Isolation for every pytest run of the course (``tests/``, ``notebooks/``, or both).

Loaded by the repository's root ``conftest.py``, so it applies however pytest is
started (``./course test``, ``python -m pytest``, ``pytest notebooks/``).

Network, in two layers:

1. **A network namespace** where the tests run as root on Linux and ``unshare -n``
   works: the pytest process re-executes itself once inside a new network namespace
   that has only a loopback interface (``unshare -n sh -c "ip link set lo up; exec …"``).
   Everything the tests start (nbval kernels, JupyterLab, Voilà, Chromium, curl, pip)
   then has no route out: TCP, UDP and DNS all fail; 127.0.0.1 works.
2. **A Python connect block** everywhere: ``tests/netblock`` goes on ``PYTHONPATH``, so
   every Python process the tests start loads ``sitecustomize.py``, which refuses
   ``socket.connect`` to anything but loopback. Where layer 1 is unavailable (not root,
   macOS, a container without the privilege) it is the only block, and it misses DNS,
   UDP and non-Python processes.

``COURSE_TESTS_ISOLATION`` tells the tests which applies ("network namespace" or
"python connect block"). ``COURSE_TESTS_NETWORK=allow`` skips layer 1 (layer 2 stays).

Files: Jupyter, IPython and the course's validation cache write into a temporary
home, not the user's (:func:`use_temporary_home`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MODE_VARIABLE = "COURSE_TESTS_ISOLATION"
NAMESPACE = "network namespace"
PYTHON_BLOCK = "python connect block"
NETBLOCK_DIR = Path(__file__).resolve().parent


def namespace_available() -> bool:
    """True where ``unshare -n`` can make a network namespace with a working loopback."""
    if sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    if not (shutil.which("unshare") and shutil.which("ip") and shutil.which("sh")):
        return False
    try:
        subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], check=True, timeout=20, capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _started_as_pytest_command() -> bool:
    """Re-executing is safe only for a command-line run (not ``pytest.main`` inside another program)."""
    first = Path(sys.argv[0]).name if sys.argv else ""
    return first in ("pytest", "py.test") or sys.argv[0].endswith(os.path.join("pytest", "__main__.py"))


def enter_network_namespace(config) -> None:
    """Re-execute this pytest run inside a new network namespace, once, where possible.

    Called from ``pytest_configure``: pytest has parsed its arguments but printed and
    collected nothing yet. Its output capture is stopped first so that the new process
    writes to the real terminal.
    """
    if os.environ.get(MODE_VARIABLE):  # decided already: this is the re-executed run (or a child of it)
        return
    if os.environ.get("COURSE_TESTS_NETWORK") == "allow" or not _started_as_pytest_command() or not namespace_available():
        os.environ[MODE_VARIABLE] = PYTHON_BLOCK
        return
    os.environ[MODE_VARIABLE] = NAMESPACE
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.stop_global_capturing()
    sys.stdout.flush()
    sys.stderr.flush()
    command = [sys.executable, "-m", "pytest", *sys.argv[1:]]
    os.execvp("unshare", ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', *command])


def block_python_connections() -> None:
    """Put the connect block on PYTHONPATH for every Python subprocess."""
    parts = [str(NETBLOCK_DIR), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(NETBLOCK_DIR)]]
    os.environ["PYTHONPATH"] = os.pathsep.join(parts)


def use_temporary_home() -> Path:
    """Point Jupyter, IPython, matplotlib and the course's validation cache at a fresh temporary folder."""
    home = Path(tempfile.mkdtemp(prefix="course-tests-"))
    os.environ["COURSE_DATA_CACHE"] = str(home / "cache")
    for variable, folder in {
        "IPYTHONDIR": "ipython",
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_DATA_DIR": "jupyter-data",  # where learners' progress is saved (widgets/progress.py)
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        "MPLCONFIGDIR": "mpl",
    }.items():
        os.environ[variable] = str(home / folder)
        (home / folder).mkdir(parents=True, exist_ok=True)
    return home
