"""The README's commands: `./course start` serves JupyterLab on 127.0.0.1 and prints the URL
of 00_start_here; `./course demo` serves a notebook with Voilà; a wrong notebook name, an
unsupported Python or a half-built .venv gets a clear message and the right action.

The interpreter and .venv checks run course.py from a copy in a temporary folder, so they
never touch the course's own .venv."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import course_script
import pytest
from course_tool import demo
from course_tool.common import CourseError

ROOT = Path(__file__).resolve().parents[1]


course = course_script.load()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args, tmp_path):
    env = dict(os.environ, PORT=str(_free_port()), HOME=str(tmp_path))
    log = tmp_path / "server.log"
    handle = open(log, "w")
    process = subprocess.Popen(["./course", *args], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    return process, log, env["PORT"]


def _stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def _wait_for_url(log: Path, pattern: str, timeout_s: float = 90) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        match = re.search(pattern, log.read_text())
        if match:
            return match.group(0)
        time.sleep(0.3)
    raise AssertionError(f"no URL printed within {timeout_s} s:\n{log.read_text()[-2000:]}")


def _get(url: str, timeout_s: float = 90) -> tuple[int, str]:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_course_start_serves_start_here_on_localhost(tmp_path):
    process, log, port = _start(["start"], tmp_path)
    try:
        url = _wait_for_url(log, r"http://127\.0\.0\.1:\d+/lab/tree/notebooks/00_start_here\.ipynb\?token=[0-9a-f]+")
        assert f":{port}/" in url
        token = url.rsplit("token=", 1)[1]
        status, _ = _get(f"http://127.0.0.1:{port}/api/status?token={token}")
        assert status == 200
        status, body = _get(f"http://127.0.0.1:{port}/api/contents/notebooks/00_start_here.ipynb?token={token}&content=0")
        assert status == 200 and '"name": "00_start_here.ipynb"' in body.replace('":"', '": "')
        # It says which Python it uses.
        assert re.search(r"using Python 3\.1[123] in \.venv", log.read_text()), log.read_text()[-2000:]
        # Bound to loopback only: the port is not open on other interfaces.
        with socket.socket() as sock:
            sock.settimeout(1)
            hostname_ip = socket.gethostbyname(socket.gethostname())
            if not hostname_ip.startswith("127."):
                assert sock.connect_ex((hostname_ip, int(port))) != 0, "JupyterLab must bind to 127.0.0.1 only"
    finally:
        _stop(process)


@pytest.mark.browser
def test_course_demo_serves_voila_on_localhost(tmp_path):
    process, log, port = _start(["demo", "00_start_here"], tmp_path)
    try:
        url = _wait_for_url(log, r"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+")
        status, body = _get(url, timeout_s=120)
        assert status == 200 and "voila" in body.lower()
        # The course-demo template: no link to a CDN (or anywhere off this machine).
        assert not re.search(r"""<(?:link|script)\b[^>]*(?:src|href)=["']https?://|@import\s+url\(["']?https?:""", body), \
            "the demo page loads resources from off this machine"
        assert "cdn.jsdelivr.net" not in body
    finally:
        _stop(process)


def test_course_demo_with_unknown_notebook_lists_choices(tmp_path):
    result = subprocess.run(["./course", "demo", "99_nothing"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, HOME=str(tmp_path)))
    assert result.returncode == 2
    assert "no notebook notebooks/99_nothing.ipynb" in result.stderr and "00_start_here" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_command():
    result = subprocess.run(["./course", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    # Every command of the bash ./course it replaced (start, test, demo, bench, book, handouts,
    # exercises), and the new ones.
    for name in ("install", "start", "test", "demo", "links", "bench", "book", "handouts", "exercises"):
        assert re.search(rf"^\s+{name}\b", result.stdout, flags=re.M), f"help does not list {name}:\n{result.stdout}"
    assert "3.11, 3.12 or 3.13" in result.stdout
    unknown = subprocess.run(["./course", "frobnicate"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "usage:" in unknown.stderr


def test_exercises_and_book_commands_reach_their_builders():
    """`./course exercises --check` and `./course book --help` run the same modules the bash
    script ran (exercises.build, book.build) in .venv, with their arguments passed on."""
    check = subprocess.run(["./course", "exercises", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stderr[-3000:]
    assert "exercises: up to date" in check.stderr
    book = subprocess.run(["./course", "book", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert book.returncode == 0, book.stderr[-3000:]
    assert "usage: ./course book" in book.stdout and "--no-handouts" in book.stdout


def test_course_script_uses_no_gnu_only_tools():
    """macOS has no sha256sum, GNU sed -i, readlink -f ...: the wrapper stays POSIX sh and
    everything else is Python."""
    wrapper = (ROOT / "course").read_text()
    assert wrapper.startswith("#!/bin/sh\n")
    for tool in ("sha256sum", "readlink -f", "sed -i", "realpath", "[[", "BASH_SOURCE", "mapfile"):
        assert tool not in wrapper, f"./course uses {tool!r}"
    assert os.stat(ROOT / "course").st_mode & stat.S_IXUSR
    if shutil.which("dash"):
        assert subprocess.run(["dash", "-n", str(ROOT / "course")]).returncode == 0


def test_pins_stamp_is_sha256_of_the_pin_files():
    """Same value as the old `cat FILES | sha256sum | cut -c1-16`, so existing .venvs stay valid."""
    import hashlib

    expected = hashlib.sha256((ROOT / "requirements.txt").read_bytes() + (ROOT / "requirements-test.txt").read_bytes()).hexdigest()[:16]
    assert course.pins_stamp("requirements.txt", "requirements-test.txt") == expected
    assert course.stamp_path("requirements.txt").name == ".runtime-stamp"
    assert course.stamp_path("requirements-test.txt").name == ".test-stamp"
    assert course.stamp_path("requirements-book.txt").name == ".book-stamp"


def test_venv_python_path_per_platform(tmp_path):
    assert course.venv_python(tmp_path, windows=False) == tmp_path / "bin" / "python"
    assert course.venv_python(tmp_path, windows=True) == tmp_path / "Scripts" / "python.exe"


# ------------------------------------------------------------------ interpreter choice
@pytest.fixture
def course_copy(tmp_path):
    """A folder with course.py, its wrapper and the pin files: commands that refuse to
    install can run there without touching the real .venv."""
    folder = tmp_path / "course"
    folder.mkdir()
    for name in ("course", "course.py", "requirements.txt", "requirements-test.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, folder / name)
    shutil.copytree(ROOT / "course_tool", folder / "course_tool", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "notebooks").mkdir()
    shutil.copy2(ROOT / "notebooks" / "00_start_here.ipynb", folder / "notebooks")
    return folder


def fake_python(folder: Path, version: str, name: str = "fakepython") -> Path:
    """A stand-in interpreter that reports ``version`` (as course.py asks it)."""
    major, minor = version.split(".")
    script = folder / name
    script.write_text(f"#!/bin/sh\nprintf '%s\\n%s\\n' '{major} {minor}' \"$0\"\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("command", [["start"], ["install"], ["demo", "00_start_here"]])
@pytest.mark.parametrize("version", ["3.10", "3.14", "2.7"])
def test_unsupported_python_is_refused_before_anything_is_installed(course_copy, tmp_path, command, version):
    python = fake_python(tmp_path, version)
    result = subprocess.run(["./course", *command], cwd=course_copy, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHON=str(python)))
    assert result.returncode == 1, result.stderr
    assert f"is Python {version}" in result.stderr and "needs Python 3.11, 3.12 or 3.13" in result.stderr
    assert "Nothing was installed" in result.stderr and "Traceback" not in result.stderr
    assert ("python.org" in result.stderr) or ("apt install" in result.stderr), "the message must say what to install"
    assert not (course_copy / ".venv").exists(), "an unsupported Python must be refused before .venv is made"


def test_missing_python_named_by_PYTHON_is_refused(course_copy, tmp_path):
    result = subprocess.run(["./course", "start"], cwd=course_copy, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHON=str(tmp_path / "no-such-python")))
    assert result.returncode == 1 and "does not run as Python" in result.stderr
    assert not (course_copy / ".venv").exists()


def test_no_supported_python_anywhere_says_what_to_install(course_copy, tmp_path, monkeypatch):
    """Only Python 3.10 on PATH: course.py names what it found and what to install."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("python3", "python3.11", "python3.12", "python3.13"):
        fake_python(bin_dir, "3.10", name)
    monkeypatch.setattr(course, "candidate_interpreters", lambda: [[str(bin_dir / "python3")], [str(bin_dir / "python3.13")]])
    with pytest.raises(CourseError) as error:
        course.pick_interpreter()
    assert "needs Python 3.11, 3.12 or 3.13" in str(error.value) and "Found only: Python 3.10" in str(error.value)


def test_first_supported_candidate_is_chosen(monkeypatch, tmp_path):
    old, new = fake_python(tmp_path, "3.10", "py310"), fake_python(tmp_path, "3.12", "py312")
    monkeypatch.delenv("PYTHON", raising=False)
    monkeypatch.setattr(course, "candidate_interpreters", lambda: [[str(tmp_path / "missing")], [str(old)], [str(new)]])
    chosen = course.pick_interpreter()
    assert chosen.version == (3, 12) and chosen.argv == [str(new)]


# ------------------------------------------------------------------ half-built .venv
def _venv_without_pip(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120)
    return path


def test_complete_venv_is_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHON", raising=False)
    venv = _venv_without_pip(tmp_path / "venv")
    course.stamp_path("requirements.txt", venv).write_text("0123456789abcdef\n")
    assert course.venv_problem(venv) is None


def test_venv_from_an_interrupted_install_is_rebuilt(tmp_path, monkeypatch):
    """No stamp: pip was interrupted (or failed) before the install finished."""
    monkeypatch.delenv("PYTHON", raising=False)
    venv = _venv_without_pip(tmp_path / "venv")
    assert "incomplete" in course.venv_problem(venv)


def test_venv_without_python_is_rebuilt(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("version = 3.11.7\n")
    assert "no Python" in course.venv_problem(venv)


def test_venv_whose_python_does_not_run_is_rebuilt(tmp_path):
    venv = _venv_without_pip(tmp_path / "venv")
    python = course.venv_python(venv)
    python.unlink()
    python.symlink_to(tmp_path / "removed-python")  # the Python it was made from is gone
    assert "does not run" in course.venv_problem(venv)
    python.unlink()
    python.write_text("#!/bin/sh\nexit 1\n")  # a Python that fails to start
    python.chmod(0o755)
    assert "does not run" in course.venv_problem(venv)


def test_venv_of_another_python_version_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHON", raising=False)
    venv = _venv_without_pip(tmp_path / "venv")
    course.stamp_path("requirements.txt", venv).write_text("0123456789abcdef\n")
    config = venv / "pyvenv.cfg"
    config.write_text(re.sub(r"(?m)^version\s*=.*$", "version = 3.9.18", config.read_text()))
    assert "was made with Python 3.9" in course.venv_problem(venv)


def test_venv_of_an_unsupported_python_is_rebuilt(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake_python(venv / "bin", "3.10", "python")
    assert "does not support" in course.venv_problem(venv)


def test_venv_with_a_different_python_than_PYTHON_asks_for_is_rebuilt(tmp_path, monkeypatch):
    venv = _venv_without_pip(tmp_path / "venv")
    course.stamp_path("requirements.txt", venv).write_text("0123456789abcdef\n")
    other = "3.12" if sys.version_info[:2] != (3, 12) else "3.13"
    monkeypatch.setenv("PYTHON", str(fake_python(tmp_path, other)))
    assert f"PYTHON asks for Python {other}" in course.venv_problem(venv)


def test_half_built_venv_is_rebuilt_by_the_command(course_copy, tmp_path):
    """End to end: a .venv left by an interrupted first install is removed and made again
    (here with an empty pin list and a project with nothing to build, so it is quick)."""
    (course_copy / "requirements.txt").write_text("# nothing pinned\n")
    (course_copy / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
        '[project]\nname = "empty-course"\nversion = "0"\n')
    # A PEP 517/660 backend with nothing to build, so the editable install needs no download.
    (course_copy / "backend.py").write_text(EMPTY_BACKEND)
    _venv_without_pip(course_copy / ".venv")
    (course_copy / ".venv" / "marker").write_text("left over")
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}  # the network stays blocked: nothing to fetch
    result = subprocess.run([sys.executable, "course.py", "install"], cwd=course_copy, capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert ".venv is incomplete (an earlier install did not finish): rebuilding it" in result.stderr
    assert not (course_copy / ".venv" / "marker").exists(), "the half-built .venv was reused"
    assert (course_copy / ".venv" / ".runtime-stamp").exists()
    assert "using Python" in result.stderr and "Traceback" not in result.stderr
    again = subprocess.run([sys.executable, "course.py", "install"], cwd=course_copy, capture_output=True, text=True,
                           timeout=120, env=env)
    assert again.returncode == 0 and "installing" not in again.stderr and "rebuilding" not in again.stderr


EMPTY_BACKEND = '''
import base64, hashlib, os, zipfile

NAME, VERSION = "empty_course", "0"


def _wheel(directory):
    filename = f"{NAME}-{VERSION}-py3-none-any.whl"
    dist = f"{NAME}-{VERSION}.dist-info"
    files = {f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n",
             f"{dist}/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
    record = []
    with zipfile.ZipFile(os.path.join(directory, filename), "w") as wheel:
        for name, text in files.items():
            data = text.encode()
            wheel.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{name},sha256={digest},{len(data)}")
        wheel.writestr(f"{dist}/RECORD", "\\n".join(record + [f"{dist}/RECORD,,"]) + "\\n")
    return filename


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory)
'''


def test_demo_prefers_the_same_port_each_time():
    """A stable address keeps the browser's cache of the demo's JavaScript between sessions."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        taken = sock.getsockname()[1]
        sock.listen()
        other = course.free_port(taken)
        assert other != taken and other > 0
    assert course.free_port(taken) == taken  # free again
    assert demo.DEMO_PORT == 8866


def test_offline_install_wheels_include_the_build_backend():
    """The install tests run without network: `./course test` fetches the pins and pyproject's
    build requirements for each supported Python first."""
    assert course.build_requirements() == ["setuptools>=77"]
    assert course.wheelhouse((3, 12)) == ROOT / ".venv" / "wheelhouse" / "3.12"


def test_wheels_are_fetched_only_for_runs_that_include_an_install_test():
    needed = course.wheels_needed
    assert needed([]) and needed(["-q"]) and needed(["-k", "install", "-x"])  # the whole suite
    assert needed(["tests"]) and needed(["tests/"]) and needed(["tests/test_hub_deployment.py", "-q"])
    assert needed(["tests/test_install_pythons.py::test_course_installs_and_runs_on"])
    assert not needed(["tests/test_data_package.py", "-q"]) and not needed(["notebooks"])
    assert not needed(["notebooks/04_pharmacokinetics.ipynb", "tests/browser"])
