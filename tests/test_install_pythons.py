"""The README's install works on every supported Python: for 3.12 and 3.13 (where the
machine has them), `PYTHON=pythonX.Y ./course install` in a fresh clone makes .venv with
that Python, and notebooks 00 and 04 execute in it. (3.11 is the interpreter the rest of
the suite runs on.) Skipped, with the reason shown, where the interpreter is missing.
pip installs offline, from the wheels `./course test` fetched before the tests started."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import install_helpers
import pytest

VERSIONS = [(3, 12), (3, 13)]


@pytest.fixture(scope="module")
def installs(tmp_path_factory):
    """Both installs run at once (pip mostly waits on one core each): version → (clone, stderr, seconds)."""
    running = {}
    for version in VERSIONS:
        interpreter = install_helpers.course.find_interpreter(version)
        if interpreter is None or not (install_helpers.course.wheelhouse(version) / ".stamp").exists():
            continue
        clone = install_helpers.clone_head(tmp_path_factory.mktemp(f"python{version[0]}{version[1]}") / "course")
        # Offline, like every test: pip installs from the wheels `./course test` fetched.
        env = install_helpers.offline_pip(version, dict(os.environ, PYTHON=interpreter.executable))
        process = subprocess.Popen([sys.executable, "course.py", "install"], cwd=clone, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        running[version] = (clone, process, time.monotonic())
    done = {}
    for version, (clone, process, started) in running.items():
        _, stderr = process.communicate(timeout=1800)
        done[version] = (clone, process.returncode, stderr, time.monotonic() - started)
    return done


@pytest.mark.parametrize("version", VERSIONS, ids=[f"{major}.{minor}" for major, minor in VERSIONS])
def test_course_installs_and_runs_on(version, installs, tmp_path):
    name = f"Python {version[0]}.{version[1]}"
    if install_helpers.course.find_interpreter(version) is None:
        pytest.skip(f"{name} is not on this machine (not on PATH, not under pyenv): its install test is SKIPPED")
    install_helpers.offline_pip(version, {})  # skips, saying why, without the wheels
    clone, returncode, stderr, seconds = installs[version]
    assert returncode == 0, stderr[-5000:]
    assert f"creating .venv with {name}" in stderr and f"using {name} in .venv" in stderr
    # Readable: our own lines only (pip is silent unless it fails).
    noise = [line for line in stderr.splitlines() if line.strip() and not line.startswith("[course]")]
    assert not noise, "install printed pip noise:\n" + "\n".join(noise[:20])
    python = clone / ".venv" / "bin" / "python"
    out = install_helpers.execute_notebooks(python, clone / "notebooks", ["00_start_here", "04_pharmacokinetics"], tmp_path / "home")
    assert out.count("executed") == 2 and f"({version[0]}, {version[1]})" in out
    print(f"{name}: install {seconds:.0f} s (both versions installed at once)")
