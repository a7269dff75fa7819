"""Where a reader of the static book can run a notebook: Binder, or their own computer.

A Binder link is shown only when the repository's GitHub name is known (set in
``book/_config.yml`` → ``course.binder_repository``, or read from
``git remote get-url origin`` when that is a GitHub URL); otherwise the link goes
to the book's own "Running the course" page, which explains ``./course start``.
So the book never shows a dead link.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

GITHUB_REMOTE = re.compile(
    r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<repo>[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
REPOSITORY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+$")
RUNNING_PAGE = "running.html"


def github_repository(remote_url: str) -> str | None:
    """'owner/name' for a GitHub remote URL (https or ssh), else None."""
    match = GITHUB_REMOTE.match(remote_url.strip())
    return match.group("repo") if match else None


def origin_url(root: Path) -> str:
    try:
        result = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


@dataclass(frozen=True)
class Launch:
    """How the book links a notebook to somewhere it can run."""

    repository: str | None  # 'owner/name' on GitHub, or None: run locally
    ref: str = "HEAD"
    binderhub_url: str = "https://mybinder.org"

    @classmethod
    def from_settings(cls, settings: dict, root: Path) -> "Launch":
        configured = (settings.get("binder_repository") or "").strip()
        if configured and not REPOSITORY_NAME.match(configured):
            raise ValueError(f"book/_config.yml: course.binder_repository must look like 'owner/name', not {configured!r}")
        repository = configured or github_repository(origin_url(root))
        return cls(repository, settings.get("binder_ref") or "HEAD", (settings.get("binderhub_url") or cls.binderhub_url).rstrip("/"))

    def binder_url(self, stem: str) -> str | None:
        if not self.repository:
            return None
        path = quote(f"notebooks/{stem}.ipynb", safe="")
        return f"{self.binderhub_url}/v2/gh/{self.repository}/{quote(self.ref, safe='')}?labpath={path}"

    def link_html(self, stem: str) -> str:
        """The link shown beside an explorer and at the top of a notebook's page."""
        url = self.binder_url(stem)
        if url:
            return f"<a class='course-launch' href='{html.escape(url)}'>open this notebook on Binder</a>"
        return (
            f"<a class='course-launch' href='{RUNNING_PAGE}'>run it on your computer</a> "
            f"(<code>./course start</code>, then open <code>notebooks/{html.escape(stem)}.ipynb</code>)"
        )
