"""Binder and nbgitpuller links for the repository's own remote (``./course links``), and
the parsing of a git remote that the course book's launch links use too."""

from __future__ import annotations

import subprocess
import re
import urllib.parse

from course_tool.common import ROOT, CourseError, prog


START_NOTEBOOK = "notebooks/00_start_here.ipynb"
DEMO_NOTEBOOK = "build/demo/04_pharmacokinetics.ipynb"  # written by postBuild (course.py demo-notebooks)


def git_origin(root=ROOT) -> str | None:
    """The URL of the repository's remote 'origin' (None when there is none)."""
    try:
        result = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def default_branch() -> str | None:
    """origin's default branch if git knows it, else the current branch."""
    for argv in (["git", "symbolic-ref", "--short", "refs/remotes/origin/HEAD"], ["git", "branch", "--show-current"]):
        try:
            result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        name = result.stdout.strip()
        if result.returncode == 0 and name:
            return name.split("/", 1)[1] if name.startswith("origin/") else name
    return None


def parse_remote(url: str) -> dict | None:
    """A public web address for a git remote: host, owner/name path and https URL (None for a local path)."""
    url = url.strip()
    match = (re.fullmatch(r"[\w.-]+@([\w.-]+):(?!/)(.+?)(?:\.git)?/?", url)  # git@github.com:owner/name.git
             or re.fullmatch(r"(?:https?|git|ssh)://(?:[^@/]+@)?([\w.-]+)(?::\d+)?/(.+?)(?:\.git)?/?", url))
    if not match:
        return None
    host, path = match.group(1).lower(), match.group(2).strip("/")
    if "/" not in path:
        return None
    return {"host": host, "path": path, "https": f"https://{host}/{path}", "name": path.rsplit("/", 1)[1]}


def binder_url(remote: dict, ref: str = "HEAD", notebook: str = START_NOTEBOOK, voila: bool = False,
               binderhub: str = "https://mybinder.org") -> str:
    """A BinderHub launch link (mybinder.org unless ``binderhub`` names another):
    gh/OWNER/REPO, gl/OWNER%2FREPO, or git/<escaped URL>."""
    if remote["host"] == "github.com":
        spec = f"gh/{remote['path']}"
    elif remote["host"] == "gitlab.com":
        spec = f"gl/{urllib.parse.quote(remote['path'], safe='')}"
    else:
        spec = f"git/{urllib.parse.quote(remote['https'], safe='')}"
    if voila:
        query = "urlpath=" + urllib.parse.quote(f"voila/render/{notebook}", safe="")
    else:
        query = "labpath=" + urllib.parse.quote(notebook, safe="")
    return f"{binderhub.rstrip('/')}/v2/{spec}/{urllib.parse.quote(ref, safe='')}?{query}"


def nbgitpuller_url(remote: dict, hub: str, branch: str | None, notebook: str = START_NOTEBOOK) -> str:
    """A JupyterHub link that clones (or updates) the repository into the student's home
    folder and opens ``notebook`` in JupyterLab."""
    query = [("repo", remote["https"])]
    if branch:
        query.append(("branch", branch))
    query += [("targetpath", remote["name"]), ("urlpath", f"lab/tree/{remote['name']}/{notebook}")]
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urllib.parse.urlencode(query, safe='/')}"


def links_text(origin: str | None, branch: str | None, hub: str | None) -> str:
    """What `links` prints; a CourseError when origin is missing or not a public address."""
    if not origin:
        raise CourseError("This repository has no remote called 'origin', so there is nothing to link to yet.\n"
                "Publish it first, e.g. on GitHub: git remote add origin https://github.com/OWNER/REPO.git && "
                "git push -u origin main\nthen run this command again.")
    remote = parse_remote(origin)
    if remote is None:
        raise CourseError(f"origin is {origin}, which is not a public web address (a local folder?). Binder and nbgitpuller "
                "need a public repository, e.g. on GitHub. Point origin at it (git remote set-url origin "
                "https://github.com/OWNER/REPO.git), push, and run this command again.")
    start = binder_url(remote)
    lines = [
        f"Repository: {remote['https']} (from origin; the links work once it is public and pushed)",
        "",
        "Binder (no install), JupyterLab on notebook 00:",
        f"  {start}",
        "Binder, instructor demo of notebook 04 in Voila (explorers only):",
        f"  {binder_url(remote, notebook=DEMO_NOTEBOOK, voila=True)}",
        "README badge (Markdown):",
        f"  [![Launch on Binder](https://mybinder.org/badge_logo.svg)]({start})",
        "",
        "JupyterHub + nbgitpuller (the hub's image needs the packages in requirements.txt; "
        f"branch {branch or 'the default'}):",
    ]
    if hub:
        lines.append(f"  {nbgitpuller_url(remote, hub, branch)}")
    else:
        lines.append(f"  {nbgitpuller_url(remote, 'https://YOUR-HUB', branch)}")
        lines.append(f"  (replace https://YOUR-HUB with your hub's address, or run: {prog()} links --hub https://your-hub.example.edu)")
    return "\n".join(lines)
