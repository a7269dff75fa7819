"""Fixtures shared by the tests. Test-wide isolation (network, temporary home, a fresh
validation cache) is set up by the repository's root conftest.py, so that it also
applies when pytest is given only notebooks/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "test-artifacts"


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
