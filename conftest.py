"""Set-up for every pytest run of the course, whatever paths it is given (tests/, notebooks/).

* Network isolation: a real network namespace where possible, a Python connect block
  always (tests/netblock/isolation.py explains both).
* Jupyter, IPython and the course's validation cache use a temporary home, and course
  data is validated for real (a fresh validation cache per run).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

_spec = importlib.util.spec_from_file_location("course_test_isolation", Path(__file__).parent / "tests" / "netblock" / "isolation.py")
isolation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(isolation)

_home: Path | None = None


def pytest_configure(config):
    global _home
    isolation.enter_network_namespace(config)  # may re-execute pytest inside a network namespace
    isolation.block_python_connections()
    _home = isolation.use_temporary_home()


def pytest_report_header(config):
    return f"network isolation: {os.environ.get(isolation.MODE_VARIABLE)}"


def pytest_unconfigure(config):
    if _home is not None:
        shutil.rmtree(_home, ignore_errors=True)
