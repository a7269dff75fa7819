"""Install and CI plumbing: pins agree, the CI script runs the README command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("- ").strip()
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([A-Za-z0-9_.\-+]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_environment_yml_pins_match_requirements():
    requirements = _pins((ROOT / "requirements.txt").read_text().splitlines())
    env_text = (ROOT / "environment.yml").read_text()
    pip_block = env_text.split("- pip:", 1)[1].splitlines()
    environment = _pins(pip_block)
    assert requirements, "requirements.txt pins nothing"
    assert environment == requirements, f"environment.yml and requirements.txt differ: {set(environment.items()) ^ set(requirements.items())}"
    assert "python=3.11" in env_text and "conda-forge" in env_text


def test_every_requirement_is_pinned_exactly():
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.\-+]+", line), f"{name}: {line!r} is not pinned with =="


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\s*(\./course \w+)\s*$", quick_start, flags=re.M)
    assert commands == ["./course start", "./course test"], f"quick start must show exactly the two commands, got {commands}"
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec \./course test\s*$", ci, flags=re.M), ".ci/run must call the README's test command"


def test_binder_installs_the_course_package():
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post_build
    assert "python course.py demo-notebooks" in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_readme_shows_how_to_make_the_binder_badge():
    """The badge example in the README opens notebook 00 (the real one comes from `./course links`)."""
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"mybinder\.org/v2/\S+labpath=notebooks(%2F|/)00_start_here\.ipynb", readme)


def test_supported_pythons_agree():
    """pyproject's requires-python, course.py's check and environment.yml name the same range."""
    import course_script

    course = course_script.load()
    assert course.SUPPORTED == ((3, 11), (3, 12), (3, 13))
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^requires-python = ">=3\.11,<3\.14"', pyproject, flags=re.M)
    env_python = re.search(r"^\s*- python=(\d+)\.(\d+)\s*$", (ROOT / "environment.yml").read_text(), flags=re.M)
    assert env_python and (int(env_python.group(1)), int(env_python.group(2))) in course.SUPPORTED
    assert "Python 3.11, 3.12 or 3.13" in (ROOT / "README.md").read_text()


def test_network_is_blocked_for_test_subprocesses():
    """Notebook kernels inherit tests/netblock: a download attempt fails loudly."""
    import os
    import subprocess
    import sys

    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
        "except ConnectionRefusedError as exc:\n"
        "    print('blocked:', exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), timeout=60)
    assert "blocked: network blocked during course tests" in result.stdout, result.stdout + result.stderr
    local = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); c = socket.create_connection(s.getsockname()); print('local ok')"
    assert "local ok" in subprocess.run([sys.executable, "-c", local], capture_output=True, text=True, env=dict(os.environ), timeout=60).stdout


def test_test_files_have_unique_names():
    """pytest imports test modules by file name (rootdir-relative 'prepend' mode): two files
    with the same name in tests/ and tests/browser/ stop the whole run at collection."""
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py") if "__pycache__" not in p.parts]
    assert len(names) == len(set(names)), sorted(n for n in set(names) if names.count(n) > 1)
