"""The README's commands: `./course start` serves JupyterLab on 127.0.0.1 and
prints the URL of 00_start_here; `./course demo` serves a notebook with Voilà;
a wrong notebook name gets a clear message."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
    finally:
        _stop(process)


def test_course_demo_with_unknown_notebook_lists_choices(tmp_path):
    result = subprocess.run(["./course", "demo", "99_nothing"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, HOME=str(tmp_path)))
    assert result.returncode == 2
    assert "no notebook notebooks/99_nothing.ipynb" in result.stderr and "00_start_here" in result.stderr
