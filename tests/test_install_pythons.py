"""The README's install works on every supported Python: for 3.12 and 3.13 (where the
machine has them), `PYTHON=pythonX.Y ./course install` in a fresh clone makes .venv with
that Python, and notebooks 00 and 04 execute in it. (3.11 is the interpreter the rest of
the suite runs on.) Skipped, with the reason shown, where the interpreter is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import install_helpers
import pytest


@pytest.mark.parametrize("version", [(3, 12), (3, 13)], ids=["3.12", "3.13"])
def test_course_installs_and_runs_on(version, tmp_path):
    interpreter = install_helpers.find_python(*version)
    if interpreter is None:
        pytest.skip(f"Python {version[0]}.{version[1]} is not on this machine (not on PATH, not under pyenv): "
                    "its install test is SKIPPED")
    clone = install_helpers.clone_head(tmp_path / "course")
    env = install_helpers.without_netblock(dict(os.environ, PYTHON=interpreter.executable))
    started = time.monotonic()
    result = subprocess.run([sys.executable, "course.py", "install"], cwd=clone, env=env, capture_output=True, text=True,
                            timeout=1200)
    install_s = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-5000:]
    name = f"Python {version[0]}.{version[1]}"
    assert f"creating .venv with {name}" in result.stderr and f"using {name} in .venv" in result.stderr
    # Readable: our own lines only (pip is silent unless it fails).
    noise = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("[course]")]
    assert not noise, f"install printed pip noise:\n" + "\n".join(noise[:20])
    python = clone / ".venv" / "bin" / "python"
    out = install_helpers.execute_notebooks(python, clone / "notebooks", ["00_start_here", "04_pharmacokinetics"], tmp_path / "home")
    assert out.count("executed") == 2 and f"({version[0]}, {version[1]})" in out
    print(f"{name}: install {install_s:.0f} s")
