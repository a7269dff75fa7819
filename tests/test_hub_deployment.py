"""JupyterHub + nbgitpuller, as it happens on a hub: the hub's image has the packages in
requirements.txt but not the course package; nbgitpuller clones the repository into the
student's (fresh) home; JupyterLab starts each kernel in notebooks/. The committed links
notebooks/course_data and notebooks/widgets make `import course_data, widgets` work there,
with no change to the notebooks' Setup cells."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import install_helpers
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("course_data", "widgets")


def test_links_to_the_packages_are_committed_as_links():
    listing = subprocess.run(["git", "ls-files", "-s", *[f"notebooks/{p}" for p in PACKAGES]], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    modes = {line.split()[-1]: line.split()[0] for line in listing}
    assert modes == {f"notebooks/{p}": "120000" for p in PACKAGES}, f"expected committed symlinks, got {listing}"
    for package in PACKAGES:
        link = ROOT / "notebooks" / package
        assert os.readlink(link) == f"../{package}", "the link must be relative, so that it works in any clone"


def test_links_do_not_change_packaging():
    """The wheel holds course_data and widgets once, nothing from notebooks/."""
    find_packages = pytest.importorskip("setuptools", reason="setuptools is not in this venv").find_packages
    found = find_packages(str(ROOT), include=["course_data*", "widgets*"])
    assert all(not name.startswith("notebooks") for name in found)
    assert sorted(p for p in found if "." not in p) == ["course_data", "widgets"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """(home, python): a fresh student home holding a clone of the course, and a hub image's
    environment made from requirements.txt alone, with the Python that runs the tests."""
    base = tmp_path_factory.mktemp("hub")
    home = base / "home" / "student"
    home.mkdir(parents=True)
    image = base / "image-env"
    subprocess.run([sys.executable, "-m", "venv", str(image)], check=True, timeout=300)
    python = image / "bin" / "python"
    offline = install_helpers.offline_pip(sys.version_info[:2], dict(os.environ))  # the wheels ./course test fetched
    pip = subprocess.run([str(python), "-m", "pip", "install", "-qq", "--disable-pip-version-check", "-r",
                          str(ROOT / "requirements.txt")], env=offline, capture_output=True, text=True, timeout=1200)
    assert pip.returncode == 0, pip.stderr[-3000:]
    install_helpers.clone_head(home / "ketamine-course")  # what nbgitpuller's git clone does
    return home, python


def test_course_package_is_not_in_the_hub_image(hub):
    home, python = hub
    result = subprocess.run([str(python), "-c", "import course_data"], cwd=home, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "No module named 'course_data'" in result.stderr


def test_clone_keeps_the_links_and_they_point_into_the_clone(hub):
    home, _ = hub
    notebooks = home / "ketamine-course" / "notebooks"
    for package in PACKAGES:
        assert (notebooks / package).is_symlink()
        assert (notebooks / package).resolve() == (home / "ketamine-course" / package).resolve()


def test_notebooks_run_from_notebooks_folder_without_the_course_package(hub):
    home, python = hub
    notebooks = home / "ketamine-course" / "notebooks"
    out = install_helpers.execute_notebooks(python, notebooks, ["00_start_here", "04_pharmacokinetics"], home)
    assert out.count("executed") == 2
    # And the code that ran is the clone's, not the image's or this worktree's.
    where = subprocess.run([str(python), "-c", "import course_data, widgets; print(course_data.__file__); print(widgets.__file__)"],
                           cwd=notebooks, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, HOME=str(home)))
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert Path(line).resolve().is_relative_to((home / "ketamine-course").resolve()), line
