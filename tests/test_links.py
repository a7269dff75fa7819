"""`./course links`: Binder and nbgitpuller links for the repository's real remote, and a
clear message (never a dead link) when there is none. The README shows no dead badge."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from course_tool import demo, links
from course_tool.common import CourseError

ROOT = Path(__file__).resolve().parents[1]



@pytest.mark.parametrize("url", [
    "https://github.com/uni-pharm/ketamine-course.git",
    "https://github.com/uni-pharm/ketamine-course",
    "https://github.com/uni-pharm/ketamine-course/",
    "git@github.com:uni-pharm/ketamine-course.git",
    "git@github.com:uni-pharm/ketamine-course",
    "ssh://git@github.com/uni-pharm/ketamine-course.git",
    "https://someone@github.com/uni-pharm/ketamine-course.git",
])
def test_github_remote_forms_give_the_same_links(url):
    remote = links.parse_remote(url)
    assert remote == {"host": "github.com", "path": "uni-pharm/ketamine-course",
                      "https": "https://github.com/uni-pharm/ketamine-course", "name": "ketamine-course"}
    assert links.binder_url(remote) == (
        "https://mybinder.org/v2/gh/uni-pharm/ketamine-course/HEAD?labpath=notebooks%2F00_start_here.ipynb")


def test_binder_voila_link_opens_the_demo_notebook():
    remote = links.parse_remote("git@github.com:uni-pharm/ketamine-course.git")
    url = links.binder_url(remote, notebook=links.DEMO_NOTEBOOK, voila=True)
    assert url == ("https://mybinder.org/v2/gh/uni-pharm/ketamine-course/HEAD"
                   "?urlpath=voila%2Frender%2Fbuild%2Fdemo%2F04_pharmacokinetics.ipynb")
    # postBuild writes that demo notebook on Binder.
    assert "python course.py demo-notebooks" in (ROOT / "postBuild").read_text()
    assert links.DEMO_NOTEBOOK == f"{demo.DEMO_BUILD.relative_to(ROOT).as_posix()}/04_pharmacokinetics.ipynb"


def test_gitlab_and_other_hosts_use_binder_providers_for_them():
    gitlab = links.parse_remote("git@gitlab.com:group/ketamine-course.git")
    assert links.binder_url(gitlab).startswith("https://mybinder.org/v2/gl/group%2Fketamine-course/HEAD?")
    other = links.parse_remote("https://git.uni.example/pharm/ketamine-course.git")
    assert links.binder_url(other).startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.uni.example%2Fpharm%2Fketamine-course/HEAD?")


@pytest.mark.parametrize("url", ["/work/main", "../course", "file:///srv/git/course.git", "C:\\courses\\ketamine"])
def test_local_remotes_are_not_public(url):
    assert links.parse_remote(url) is None
    with pytest.raises(CourseError, match="not a public web address"):
        links.links_text(url, "main", None)


def test_nbgitpuller_link_clones_into_home_and_opens_notebook_00():
    remote = links.parse_remote("git@github.com:uni-pharm/ketamine-course.git")
    url = links.nbgitpuller_url(remote, "https://hub.uni.example/", "main")
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hub.uni.example/hub/user-redirect/git-pull"
    query = dict(urllib.parse.parse_qsl(parts.query))
    # nbgitpuller names the folder after the last part of repo: no ".git" in it.
    assert query == {"repo": "https://github.com/uni-pharm/ketamine-course", "branch": "main",
                     "targetpath": "ketamine-course",
                     "urlpath": "lab/tree/ketamine-course/notebooks/00_start_here.ipynb"}


def _repo_with(tmp_path: Path, origin: str | None) -> Path:
    """A git repository holding a copy of course.py and course_tool/, with ``origin`` as its remote."""
    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy2(ROOT / "course.py", folder / "course.py")
    shutil.copytree(ROOT / "course_tool", folder / "course_tool", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True, env=env)
    if origin:
        subprocess.run(["git", "remote", "add", "origin", origin], cwd=folder, check=True, env=env)
    return folder


def _links(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "course.py", "links", *args], cwd=folder, capture_output=True, text=True, timeout=60)


def test_links_command_prints_working_links_for_origin(tmp_path):
    folder = _repo_with(tmp_path, "git@github.com:uni-pharm/ketamine-course.git")
    result = _links(folder, "--hub", "https://hub.uni.example")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "https://mybinder.org/v2/gh/uni-pharm/ketamine-course/HEAD?labpath=notebooks%2F00_start_here.ipynb" in out
    assert "[![Launch on Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/uni-pharm/ketamine-course/HEAD?labpath=" in out
    assert "https://hub.uni.example/hub/user-redirect/git-pull?repo=https%3A//github.com/uni-pharm/ketamine-course&branch=main" in out
    assert "OWNER" not in out and "REPO" not in out


def test_links_command_without_hub_says_where_to_put_it(tmp_path):
    result = _links(_repo_with(tmp_path, "https://github.com/uni-pharm/ketamine-course.git"))
    assert result.returncode == 0
    assert "https://YOUR-HUB/hub/user-redirect/git-pull?" in result.stdout and "--hub" in result.stdout


def test_links_command_without_remote_explains_and_prints_no_link(tmp_path):
    result = _links(_repo_with(tmp_path, None))
    assert result.returncode == 1
    assert "no remote called 'origin'" in result.stderr and "git remote add origin" in result.stderr
    assert "mybinder.org/v2" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_links_command_with_a_local_remote_explains(tmp_path):
    result = _links(_repo_with(tmp_path, str(tmp_path / "elsewhere")))
    assert result.returncode == 1 and "not a public web address" in result.stderr
    assert "mybinder.org/v2" not in result.stdout


def test_links_command_rejects_stray_arguments(tmp_path):
    result = _links(_repo_with(tmp_path, None), "--hubb")
    assert result.returncode == 2 and "usage:" in result.stderr


def test_readme_shows_no_dead_binder_badge():
    """No OWNER/REPO placeholder badge; the README says how to make the real one."""
    readme = (ROOT / "README.md").read_text()
    assert "OWNER/REPO" not in re.sub(r"`[^`]*`", "", readme), "the README shows a placeholder link outside code"
    assert not re.search(r"\[!\[[^\]]*\]\([^)]*\)\]\(https://mybinder\.org/v2/gh/OWNER", readme)
    assert "./course links" in readme and "badge" in readme.lower()
