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
from dataclasses import dataclass
from pathlib import Path

from course_tool import links

REPOSITORY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+$")
RUNNING_PAGE = "running.html"


def github_repository(remote_url: str) -> str | None:
    """'owner/name' for a GitHub remote URL (https or ssh), else None."""
    remote = links.parse_remote(remote_url)
    return remote["path"] if remote and remote["host"] == "github.com" and REPOSITORY_NAME.match(remote["path"]) else None


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
        repository = configured or github_repository(links.git_origin(root) or "")
        return cls(repository, settings.get("binder_ref") or "HEAD", (settings.get("binderhub_url") or cls.binderhub_url).rstrip("/"))

    def binder_url(self, stem: str) -> str | None:
        if not self.repository:
            return None
        remote = links.parse_remote(f"https://github.com/{self.repository}")
        return links.binder_url(remote, self.ref, f"notebooks/{stem}.ipynb", binderhub=self.binderhub_url)

    def link_html(self, stem: str) -> str:
        """The link shown beside an explorer and at the top of a notebook's page."""
        url = self.binder_url(stem)
        if url:
            return f"<a class='course-launch' href='{html.escape(url)}'>open this notebook on Binder</a>"
        return (
            f"<a class='course-launch' href='{RUNNING_PAGE}'>run it on your computer</a> "
            f"(<code>./course start</code>, then open <code>notebooks/{html.escape(stem)}.ipynb</code>)"
        )
