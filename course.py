#!/usr/bin/env python3
"""The course's one entry point, on Linux, macOS and Windows.

    ./course COMMAND [ARGS]        Linux, macOS (a thin wrapper that finds Python and runs this file)
    py course.py COMMAND [ARGS]    Windows

Each command sets itself up: it makes .venv with a supported Python (3.11, 3.12 or
3.13; ``PYTHON=/path/to/python`` chooses one), installs the pinned packages and the
course package, then does its job. This file uses the standard library only, because it
runs before the course's environment exists; it parses on Python 3.7+ so that an old
Python gets a clear message instead of a syntax error.

To add a command, write a function ``cmd_NAME(args)`` and decorate it with
``@command("NAME", "ARGS", "what it does")``; ``help`` lists it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # course_tool/, beside this file (also when imported)

from course_tool.common import NOTEBOOKS, ROOT, WINDOWS, CourseError, prog, say  # noqa: E402
from course_tool.demo import (DEMO_BUILD, DEMO_PORT, demo_environment, notebook_slug,  # noqa: E402
                              voila_demo_arguments, write_demo_notebook, write_plotly_preload)
from course_tool.links import default_branch, git_origin, links_text  # noqa: E402

VENV = ROOT / ".venv"
SUPPORTED = ((3, 11), (3, 12), (3, 13))
MACOS = sys.platform == "darwin"
# Measured in a fresh clone on 2 busy shared cores: 150 s for the runtime pins (about 190 MB
# of wheels, 900 MB installed), the pip cache already holding most of them; a slow
# connection adds the download time.
INSTALL_TIME = "about 2-3 minutes, longer on a slow connection"


def supported_names() -> str:
    return ", ".join(f"{major}.{minor}" for major, minor in SUPPORTED[:-1]) + f" or {'.'.join(map(str, SUPPORTED[-1]))}"


def how_to_get_python() -> str:
    if WINDOWS:
        return ("Install Python 3.13 from https://www.python.org/downloads/windows/ (or the Microsoft Store), "
                "then run: py course.py start")
    if MACOS:
        return ("Install Python 3.13 from https://www.python.org/downloads/macos/ or with Homebrew "
                "(brew install python@3.13), then run the command again, or choose one with "
                "PYTHON=/path/to/python3.13 ./course start")
    return ("On Debian or Ubuntu: sudo apt install python3 python3-venv (Ubuntu 24.04 has 3.12, Debian 12 has 3.11, "
            "Debian 13 has 3.13); elsewhere use your package manager or https://www.python.org. Then run the command "
            "again, or choose an interpreter with PYTHON=/path/to/python3.12 ./course start")


# --------------------------------------------------------------------- interpreters
class Interpreter:
    """A Python that runs: the command that starts it, its version and its executable."""

    def __init__(self, argv: list[str], version: tuple[int, int], executable: str):
        self.argv, self.version, self.executable = argv, version, executable

    @property
    def supported(self) -> bool:
        return self.version in SUPPORTED

    @property
    def name(self) -> str:
        return f"Python {self.version[0]}.{self.version[1]} ({self.executable})"


def probe(argv: list[str]) -> Interpreter | None:
    """Run ``argv`` as Python and ask its version; None if it does not run (missing, a broken
    venv, or a pyenv shim for a version that is not active)."""
    code = "import sys; sys.stdout.write('%d %d\\n%s\\n' % (sys.version_info[0], sys.version_info[1], sys.executable))"
    try:
        result = subprocess.run([*argv, "-c", code], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 2 or not re.fullmatch(r"\d+ \d+", lines[0].strip()):
        return None
    major, minor = map(int, lines[0].split())
    return Interpreter(argv, (major, minor), lines[1].strip())


def candidate_interpreters() -> list[list[str]]:
    """Where to look when PYTHON is not set: the Python running this file, then the usual names."""
    found = [[sys.executable]] if sys.executable else []
    if WINDOWS:
        found += [["py", f"-{major}.{minor}"] for major, minor in reversed(SUPPORTED)]
    else:
        found += [[f"python{major}.{minor}"] for major, minor in reversed(SUPPORTED)] + [["python3"]]
    return found


def find_interpreter(version: tuple[int, int]) -> Interpreter | None:
    """A working Python ``version``: ``pythonX.Y`` on PATH, else under pyenv (whose shims
    run only the versions it has activated)."""
    major, minor = version
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    names = [f"python{major}.{minor}"]
    names += [str(p) for p in sorted((pyenv_root / "versions").glob(f"{major}.{minor}.*/bin/python{major}.{minor}"), reverse=True)]
    for name in names:
        found = probe([name])
        if found is not None and found.version == version:
            return found
    return None


def requested_interpreter() -> list[str] | None:
    value = os.environ.get("PYTHON", "").strip()
    if not value:
        return None
    return [value] if WINDOWS or os.path.exists(value) else shlex.split(value)


def pick_interpreter() -> Interpreter:
    """The interpreter for a new .venv: PYTHON if set (refused if unsupported), else the first
    supported one found. Refuses before anything is installed."""
    requested = requested_interpreter()
    if requested:
        found = probe(requested)
        if found is None:
            raise CourseError(f"PYTHON={os.environ['PYTHON']} does not run as Python.\n{how_to_get_python()}")
        if not found.supported:
            raise CourseError(f"PYTHON={os.environ['PYTHON']} is {found.name}; the course needs Python "
                              f"{supported_names()}. Nothing was installed.\n{how_to_get_python()}")
        return found
    seen = []
    for argv in candidate_interpreters():
        found = probe(argv)
        if found is None:
            continue
        if found.supported:
            return found
        seen.append(found.name)
    have = f" Found only: {', '.join(sorted(set(seen)))}." if seen else " Found no Python at all."
    raise CourseError(f"the course needs Python {supported_names()}.{have} Nothing was installed.\n{how_to_get_python()}")


# --------------------------------------------------------------------- the virtual environment
def venv_python(venv: Path = VENV, windows: bool = WINDOWS) -> Path:
    return venv / ("Scripts/python.exe" if windows else "bin/python")


def pins_stamp(*names: str) -> str:
    """A short hash of the pin files' bytes (the same value as ``cat FILES | sha256sum | cut -c1-16``)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def stamp_path(requirements: str, venv: Path = VENV) -> Path:
    """requirements.txt → .venv/.runtime-stamp; requirements-NAME.txt → .venv/.NAME-stamp.
    A stamp holds the pins' hash and is written only once its install has finished."""
    match = re.fullmatch(r"requirements-(\w+)\.txt", requirements)
    return venv / (f".{match.group(1)}-stamp" if match else ".runtime-stamp")


def venv_version(venv: Path = VENV) -> tuple[int, int] | None:
    """The Python version pyvenv.cfg says the venv was made with."""
    try:
        text = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^\s*version(?:_info)?\s*=\s*(\d+)\.(\d+)", text, flags=re.M)
    return (int(match.group(1)), int(match.group(2))) if match else None


def venv_problem(venv: Path = VENV) -> str | None:
    """Why an existing .venv cannot be reused (None: it is complete and sound)."""
    python = venv_python(venv)
    if not python.exists() and not python.is_symlink():
        return "has no Python in it (an earlier set-up was interrupted)"
    found = probe([str(python)])
    if found is None:
        return "has a Python that does not run (was the Python it was made from removed or upgraded?)"
    if not found.supported:
        return f"was made with {found.name}, which the course does not support"
    made_with = venv_version(venv)
    if made_with and made_with != found.version:
        return f"was made with Python {made_with[0]}.{made_with[1]} but now runs {found.name}"
    requested = requested_interpreter()
    if requested:
        wanted = probe(requested)
        if wanted is not None and wanted.version != found.version:
            return f"uses Python {found.version[0]}.{found.version[1]} but PYTHON asks for {wanted.name}"
    if not stamp_path("requirements.txt", venv).exists():
        return "is incomplete (an earlier install did not finish)"
    return None


def pip_install(args: list[str], what: str) -> None:
    """pip with only its errors on screen (no progress bars or notices; pip's --log would
    bring those back, so there is none)."""
    command = [str(venv_python()), "-m", "pip", "install", "--quiet", "--quiet", "--disable-pip-version-check",
               "--no-input", *args]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise CourseError(
            f"pip could not install {what} (its error is above; for every detail run: "
            f"{venv_python().relative_to(ROOT)} -m pip install {' '.join(args)}).\n"
            "Often the cause is no network or a proxy. Fix it and run the command again: "
            "the incomplete .venv is then rebuilt."
        )


def create_venv(interpreter: Interpreter) -> None:
    say(f"creating .venv with {interpreter.name}")
    result = subprocess.run([*interpreter.argv, "-m", "venv", str(VENV)], capture_output=True, text=True)
    if result.returncode != 0 or not venv_python().exists():
        shutil.rmtree(VENV, ignore_errors=True)
        hint = ""
        if "ensurepip" in (result.stdout + result.stderr):
            major, minor = interpreter.version
            hint = f"\nOn Debian or Ubuntu install the venv module first: sudo apt install python{major}.{minor}-venv"
        raise CourseError(f"{interpreter.name} could not create a virtual environment:\n"
                          f"{(result.stderr or result.stdout).strip()}{hint}")


def ensure_venv(*extra_requirements: str) -> Path:
    """A complete .venv with requirements.txt, the course package and each extra requirements
    file installed; returns its Python. A half-built .venv is rebuilt, not reused."""
    if requested_interpreter():
        pick_interpreter()  # an explicit PYTHON that is missing or unsupported is refused, even with a .venv
    fresh = True
    if VENV.exists():
        problem = venv_problem()
        if problem:
            interpreter = pick_interpreter()  # refuses an unsupported Python before anything is removed
            say(f".venv {problem}: rebuilding it")
            shutil.rmtree(VENV)
            create_venv(interpreter)
        else:
            fresh = False
    else:
        create_venv(pick_interpreter())
    for requirements in ["requirements.txt", *extra_requirements]:
        # Each file is installed together with the runtime pins, so that it cannot move them.
        files = ["requirements.txt"] if requirements == "requirements.txt" else ["requirements.txt", requirements]
        stamp, path = pins_stamp(*files), stamp_path(requirements)
        if path.exists() and path.read_text().strip() == stamp:
            continue
        started = time.monotonic()
        if requirements == "requirements.txt":
            when = f"first run: {INSTALL_TIME}" if fresh else "the pins changed"
            say(f"installing the pinned packages and the course into .venv ({when})")
            pip_install(["-r", "requirements.txt"], "the pinned packages")
            pip_install(["--no-deps", "-e", "."], "the course package")
        else:
            say(f"installing the packages in {requirements}")
            pip_install([arg for name in files for arg in ("-r", name)], f"the packages in {requirements}")
        path.write_text(stamp + "\n")
        say(f"installed in {time.monotonic() - started:.0f} s")
    found = probe([str(venv_python())])
    say(f"using Python {found.version[0]}.{found.version[1]} in .venv" if found else f"using {venv_python()}")
    return venv_python()


WHEELHOUSE = VENV / "wheelhouse"  # wheels of the runtime pins, one folder per Python version


def build_requirements() -> list[str]:
    """pyproject.toml's [build-system] requires (for an offline editable install)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r"^requires\s*=\s*\[([^\]]*)\]", text, flags=re.M)
    return re.findall(r'"([^"]+)"', match.group(1)) if match else []


def wheelhouse(version: tuple[int, int]) -> Path:
    return WHEELHOUSE / f"{version[0]}.{version[1]}"


OFFLINE_INSTALL_TESTS = ("tests/test_install_pythons.py", "tests/test_hub_deployment.py")  # they use the wheels


def wheels_needed(pytest_args: list[str]) -> bool:
    """Whether a test run includes an install test: it names no existing path (the whole
    suite), or a path that is or holds one of OFFLINE_INSTALL_TESTS. Arguments that are
    not paths (options, -k expressions) are ignored."""
    paths = [(ROOT / arg.split("::", 1)[0]).resolve() for arg in pytest_args if not arg.startswith("-")]
    paths = [path for path in paths if path.exists()]
    if not paths:
        return True
    tests = [(ROOT / name).resolve() for name in OFFLINE_INSTALL_TESTS]
    return any(test == path or path in test.parents for path in paths for test in tests)


def fetch_test_wheels() -> None:
    """Before the tests cut the network off: the runtime pins' wheels for every supported
    Python on this machine, so that the install and hub tests install offline (once per
    change of requirements.txt; about 30 s and 190 MB each)."""
    stamp = pins_stamp("requirements.txt", "pyproject.toml")
    own = probe([str(venv_python())])
    for version in SUPPORTED:
        folder = wheelhouse(version)
        if (folder / ".stamp").exists() and (folder / ".stamp").read_text().strip() == stamp:
            continue
        interpreter = own if own and own.version == version else find_interpreter(version)
        if interpreter is None:
            continue
        say(f"fetching the packages' wheels for Python {version[0]}.{version[1]} for the install tests (once)")
        shutil.rmtree(folder, ignore_errors=True)
        command = [*interpreter.argv, "-m", "pip", "download", "--quiet", "--quiet", "--disable-pip-version-check",
                   "--no-input", "-r", "requirements.txt", *build_requirements(), "-d", str(folder)]
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            say(f"NOTE: could not fetch them: the install test for Python {version[0]}.{version[1]} will be skipped")
            shutil.rmtree(folder, ignore_errors=True)
            continue
        (folder / ".stamp").write_text(stamp + "\n")


def ensure_chromium() -> None:
    """Debian's chromium for the browser tests (Playwright never downloads a browser)."""
    chromium = Path("/usr/bin/chromium")
    if chromium.exists():
        return
    if not WINDOWS and not MACOS and os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's chromium for the browser tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, stdout=subprocess.DEVNULL)
    if chromium.exists():
        return
    if os.environ.get("CI") == "true":
        raise CourseError("chromium is required under CI=true and could not be installed")
    say("NOTE: Chromium (/usr/bin/chromium) is not installed: the browser tests will be SKIPPED.\n"
        "      On Debian or Ubuntu: sudo apt-get install chromium")


# --------------------------------------------------------------------- running things
def free_port(preferred: int = 0) -> int:
    """``preferred`` if it is free on 127.0.0.1, else any free port."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise CourseError("no free port on 127.0.0.1")


def run_final(argv: list[str], env: dict | None = None) -> int:
    """Hand over to ``argv``: exec on POSIX (signals reach it directly), a child on Windows."""
    env = dict(os.environ if env is None else env)
    sys.stdout.flush()
    sys.stderr.flush()
    if WINDOWS:
        try:
            return subprocess.call(argv, env=env, cwd=ROOT)
        except KeyboardInterrupt:
            return 130
    os.chdir(ROOT)
    os.execve(argv[0], argv, env)
    return 0  # not reached


def is_root() -> bool:
    return not WINDOWS and os.geteuid() == 0


COMMANDS: dict = {}


def command(name: str, arguments: str, summary: str):
    def register(function):
        COMMANDS[name] = (function, arguments, summary)
        return function

    return register


@command("install", "[test]", "set up .venv and stop (before class or going offline); 'test' adds test and book packages")
def cmd_install(args: list[str]) -> int:
    if args not in ([], ["test"]):
        raise CourseError(f"usage: {prog()} install [test]", code=2)
    ensure_venv(*(TEST_REQUIREMENTS if args else ()))
    say(f"ready: {prog()} start opens the course")
    return 0


@command("start", "", "JupyterLab on notebooks/00_start_here.ipynb (127.0.0.1 only)")
def cmd_start(args: list[str]) -> int:
    python = ensure_venv()
    port = os.environ.get("PORT") or str(free_port())
    token = secrets.token_hex(16)
    say(f"JupyterLab: http://127.0.0.1:{port}/lab/tree/notebooks/00_start_here.ipynb?token={token}")
    say("(open that URL in your browser; Ctrl+C stops the server)")
    argv = [str(python), "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
            "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb", *args]
    if is_root():
        argv.append("--allow-root")
    return run_final(argv)


TEST_REQUIREMENTS = ("requirements-test.txt", "requirements-book.txt")  # the suite builds and checks the book


@command("test", "[PYTEST ARGS]", "the whole test suite (browser tests included), or the tests named")
def cmd_test(args: list[str]) -> int:
    python = ensure_venv(*TEST_REQUIREMENTS)
    ensure_chromium()
    if wheels_needed(args):
        fetch_test_wheels()
    say(f"running the test suite: {python} -m pytest {' '.join(args)}".rstrip())
    return run_final([str(python), "-m", "pytest", *args], dict(os.environ, MPLBACKEND="Agg"))


@command("demo", "[NOTEBOOK]", "instructor demo: a notebook's explorers, no code (Voila, 127.0.0.1)")
def cmd_demo(args: list[str]) -> int:
    slug = notebook_slug(args[0] if args else "00_start_here")
    python = ensure_venv()
    notebook = write_demo_notebook(NOTEBOOKS / f"{slug}.ipynb", DEMO_BUILD)
    preload = write_plotly_preload(python, DEMO_BUILD)
    # The same address each time (when free), so the browser's cache of Voila's and plotly's
    # JavaScript (about 9 MB) still serves the next demo: a first page then opens like a reload.
    port = os.environ.get("PORT") or str(free_port(DEMO_PORT))
    token = secrets.token_hex(16)
    say(f"Instructor demo of {slug} (Voila, explorers only): http://127.0.0.1:{port}/?token={token}")
    say("(give it about 20 s to prepare two copies of the explorers, then every page opens in a few seconds;\n"
        " Ctrl+C stops the server)")
    return run_final([str(python), "-m", "voila", str(notebook), *voila_demo_arguments(port, token, preload)],
                     demo_environment())


@command("demo-notebooks", "[FOLDER]", "write each lesson's demo notebook to FOLDER (default build/demo)")
def cmd_demo_notebooks(args: list[str]) -> int:
    folder = Path(args[0]).resolve() if args else DEMO_BUILD
    for lesson in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        print(write_demo_notebook(lesson, folder))
    return 0


@command("links", "[--hub URL]", "the Binder and nbgitpuller links for this repository's remote")
def cmd_links(args: list[str]) -> int:
    hub = None
    if args[:1] == ["--hub"] and len(args) == 2:
        hub = args[1]
    elif args:
        raise CourseError(f"usage: {prog()} links [--hub https://your-hub.example.edu]", code=2)
    print(links_text(git_origin(), default_branch(), hub))
    return 0


@command("book", "[--force]", "the course book (static HTML, offline) in _build/book/, with handouts")
def cmd_book(args: list[str]) -> int:
    python = ensure_venv(*TEST_REQUIREMENTS)
    ensure_chromium()
    return run_final([str(python), "-m", "book.build", *args])


@command("handouts", "", "only the printable handouts (PDF) in _build/handouts/")
def cmd_handouts(args: list[str]) -> int:
    python = ensure_venv(*TEST_REQUIREMENTS)
    ensure_chromium()
    return run_final([str(python), "-m", "book.handouts", *args])


@command("exercises", "[--check]", "rebuild the \"Your turn\" exercises and autograders (otter-grader)")
def cmd_exercises(args: list[str]) -> int:
    python = ensure_venv()
    return run_final([str(python), "-m", "exercises.build", *args])


@command("bench", "[kernel|browser|notebooks|pk|memory|throttled]", "benchmarks (not part of the tests)")
def cmd_bench(args: list[str]) -> int:
    python = ensure_venv("requirements-test.txt")
    ensure_chromium()
    return run_final([str(python), "-m", "benchmarks", *args])


def usage() -> str:
    width = max(len(f"{name} {arguments}".strip()) for name, (_, arguments, _) in COMMANDS.items())
    lines = [f"usage: {prog()} COMMAND", ""]
    for name, (_, arguments, summary) in COMMANDS.items():
        lines.append(f"  {f'{name} {arguments}'.strip():<{width}}  {summary}")
    lines += ["", f"Python {supported_names()}; PYTHON=/path/to/python chooses one. First run installs "
                  f"into .venv ({INSTALL_TIME})."]
    return "\n".join(lines)


# --------------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    name, args = (argv[0], argv[1:]) if argv else ("help", [])
    if name in ("help", "-h", "--help"):
        print(usage())
        return 0
    if name not in COMMANDS:
        print(usage(), file=sys.stderr)
        return 2
    try:
        return COMMANDS[name][0](args)
    except CourseError as error:
        say(f"ERROR: {error}" if error.code == 1 else str(error))
        return error.code
    except KeyboardInterrupt:
        say("interrupted: the next run finishes (or rebuilds) .venv")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
