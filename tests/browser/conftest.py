"""Browser-test fixtures: skip (visibly) without Chromium, except under CI=true."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import axe_audit  # noqa: E402
import harness  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if harness.CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        return  # the chromium fixture fails loudly instead
    reason = "Chromium is not installed (/usr/bin/chromium): browser tests SKIPPED. Install it with `apt-get install chromium`."
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def chromium():
    if not harness.CHROMIUM.exists():
        pytest.fail("CI=true requires Chromium for the browser tests, and /usr/bin/chromium is missing")
    return harness.chromium_executable()


@pytest.fixture(scope="module")
def lab(chromium):
    with harness.jupyter_server("lab") as server:
        yield server


@pytest.fixture(scope="module")
def voila(chromium):
    with harness.jupyter_server("voila") as server:
        yield server


@pytest.fixture(scope="module")
def page(chromium):
    with harness.chromium_page() as page:
        yield page


@pytest.fixture(scope="session")
def screenshots(artifacts_dir):
    folder = artifacts_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter):
    """The axe-core audits of this run: course content and each host's own interface, page by page."""
    lines = axe_audit.summary_lines()
    if lines:
        terminalreporter.section("accessibility (axe-core)")
        for line in lines:
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"report: {axe_audit.REPORT_DIR.relative_to(axe_audit.ROOT)}/axe-report.md")
