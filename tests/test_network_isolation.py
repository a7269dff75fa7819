"""Notebook kernels cannot reach the network during the tests; loopback still works.

Probed from inside a real Jupyter kernel, started the way nbval starts one. With a
network namespace (root on Linux, see tests/netblock/isolation.py) DNS, UDP and
non-Python processes fail too; with only the Python connect block they are not
covered, and those checks are skipped with that reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODE = os.environ.get("COURSE_TESTS_ISOLATION")


def _nameserver() -> str:
    """An address outside this machine that the host can reach: its DNS resolver (else a documentation address)."""
    try:
        for line in Path("/etc/resolv.conf").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "nameserver" and not parts[1].startswith(("127.", "::1")):
                return parts[1]
    except OSError:
        pass
    return "192.0.2.1"


PROBE = r"""
import json, socket, subprocess, sys, threading
far = FAR
results = {}

def attempt(name, action):
    try:
        action()
        results[name] = "reached"
    except Exception as exc:
        results[name] = f"blocked: {type(exc).__name__}: {exc}"

attempt("dns", lambda: socket.getaddrinfo("pypi.org", 443))
attempt("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"probe", (far, 53)))
attempt("tcp", lambda: socket.create_connection((far, 53), timeout=5).close())

curl = subprocess.run(["curl", "-sS", "--max-time", "8", "-o", "/dev/null", f"http://{far}:53/"], capture_output=True, text=True)
results["curl"] = f"blocked: exit {curl.returncode}: {curl.stderr.strip()}" if curl.returncode in (6, 7) else f"reached (exit {curl.returncode})"
child = subprocess.run([sys.executable, "-c", f"import socket; socket.create_connection(({far!r}, 53), timeout=5)"], capture_output=True, text=True)
results["python subprocess"] = "reached" if child.returncode == 0 else "blocked: " + child.stderr.strip().splitlines()[-1]

server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
client = socket.create_connection(server.getsockname(), timeout=5); peer, _ = server.accept()
client.sendall(b"ping"); results["loopback tcp"] = peer.recv(4).decode()
receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); receiver.bind(("127.0.0.1", 0)); receiver.settimeout(5)
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"pong", receiver.getsockname())
results["loopback udp"] = receiver.recv(4).decode()
print("RESULTS" + json.dumps(results))
"""


@pytest.fixture(scope="module")
def kernel_results() -> dict[str, str]:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=120)
    printed: list[str] = []

    def collect(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))

    try:
        client.execute_interactive(PROBE.replace("FAR", repr(_nameserver())), timeout=120, output_hook=collect)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    text = "".join(printed)
    assert "RESULTS" in text, f"the probe did not finish in the kernel:\n{text}"
    return json.loads(text.split("RESULTS", 1)[1])


def test_loopback_works_inside_a_kernel(kernel_results):
    assert kernel_results["loopback tcp"] == "ping"
    assert kernel_results["loopback udp"] == "pong"


@pytest.mark.parametrize("channel", ["tcp", "python subprocess"])
def test_python_connections_out_fail_inside_a_kernel(kernel_results, channel):
    assert kernel_results[channel].startswith("blocked"), f"{channel} reached {_nameserver()} from a kernel: {kernel_results[channel]}"


@pytest.mark.parametrize("channel", ["dns", "udp", "curl"])
def test_dns_udp_and_other_programs_fail_inside_a_kernel(kernel_results, channel):
    if MODE != "network namespace":
        pytest.skip(f"isolation is {MODE!r}: without a network namespace (root and unshare -n) {channel} is not blocked")
    assert kernel_results[channel].startswith("blocked"), f"{channel} got out of the namespace: {kernel_results[channel]}"


def test_the_namespace_is_used_wherever_it_is_available():
    sys.path.insert(0, str(ROOT / "tests" / "netblock"))
    try:
        import isolation
    finally:
        sys.path.pop(0)
    if os.environ.get("COURSE_TESTS_NETWORK") == "allow":
        pytest.skip("COURSE_TESTS_NETWORK=allow: the namespace was switched off for this run")
    expected = isolation.NAMESPACE if isolation.namespace_available() else isolation.PYTHON_BLOCK
    assert MODE == expected


def test_pytest_on_notebooks_alone_is_isolated_too():
    """The set-up lives in the root conftest.py, so `pytest notebooks/…` gets it without tests/."""
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_TESTS_ISOLATION", "PYTHONPATH")}
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-p", "no:randomly", "notebooks/00_start_here.ipynb"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"network isolation: {MODE}" in run.stdout, run.stdout[:2000]
