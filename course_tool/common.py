"""What every part of course.py shares: the repository's folders, the error a user can
fix, and how messages are printed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WINDOWS = os.name == "nt"


class CourseError(Exception):
    """A problem the user can fix: printed as a message, never a traceback."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def prog() -> str:
    """How the user called us (the wrapper sets COURSE_PROG)."""
    return os.environ.get("COURSE_PROG") or ("py course.py" if WINDOWS else "python3 course.py")


def say(message: str) -> None:
    tag = "[course]"
    if sys.stderr.isatty() and not WINDOWS and not os.environ.get("NO_COLOR"):
        tag = "\033[1m[course]\033[0m"
    for line in message.splitlines() or [""]:
        print(f"{tag} {line}", file=sys.stderr, flush=True)
