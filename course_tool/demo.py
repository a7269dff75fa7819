"""Demo mode: a lesson's explorers without the lesson (Voila, offline), for a projector."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from course_tool.common import NOTEBOOKS, ROOT, CourseError

DEMO_BUILD = ROOT / "build" / "demo"  # generated demo notebooks (git-ignored)
DEMO_TEMPLATES = ROOT / "demo"  # holds voila/templates/course-demo (a Jupyter data dir)


def notebook_slug(name: str) -> str:
    """'notebooks/04_pharmacokinetics.ipynb' → '04_pharmacokinetics'; unknown names list the choices."""
    slug = Path(name).name
    slug = slug[: -len(".ipynb")] if slug.endswith(".ipynb") else slug
    if not (NOTEBOOKS / f"{slug}.ipynb").is_file():
        choices = "\n".join(f"  {path.stem}" for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
        raise CourseError(f"no notebook notebooks/{slug}.ipynb; choose one of:\n{choices}", code=2)
    return slug


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


_EXPLORER_CALL = re.compile(r"(?<![\w.])[A-Z]\w*Explorer\s*\(")


def demo_cells(cells: list[dict]) -> list[dict]:
    """The cells a demo shows: the Setup cell (the first code cell after the '## Setup'
    heading) and every code cell that shows an explorer. Lesson text, quizzes, tables and
    static figures are left out; each explorer carries its own title and prompt."""
    chosen, setup_found, after_setup_heading = [], False, False
    for cell in cells:
        source = cell_source(cell)
        if cell.get("cell_type") == "markdown":
            after_setup_heading = after_setup_heading or bool(re.match(r"\s*##\s+Setup\b", source))
            continue
        if cell.get("cell_type") != "code":
            continue
        if after_setup_heading and not setup_found:
            chosen.append(cell)
            setup_found = True
        elif _EXPLORER_CALL.search(source):
            chosen.append(cell)
    if not setup_found:
        raise CourseError("this notebook has no '## Setup' section followed by a code cell: it cannot be demoed")
    return chosen


def demo_notebook(lesson: dict) -> dict:
    """A notebook with the lesson's title, its Setup cell and its explorer cells, outputs cleared."""
    title = lesson.get("metadata", {}).get("course", {}).get("title") or "Demo"
    heading = next((cell_source(c) for c in lesson["cells"] if c.get("cell_type") == "markdown"), "")
    match = re.match(r"\s*#\s+(.+)", heading)
    cells = [{"cell_type": "markdown", "id": "demo-title", "metadata": {},
              "source": f"# {match.group(1).strip() if match else title}"}]
    for cell in demo_cells(lesson["cells"]):
        cells.append(dict(cell, outputs=[], execution_count=None))
    return dict(lesson, cells=cells)


def write_demo_notebook(lesson_path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lesson = json.loads(lesson_path.read_text(encoding="utf-8"))
    target = folder / lesson_path.name
    target.write_text(json.dumps(demo_notebook(lesson), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


DEMO_PORT = 8866  # Voila's usual port
DEMO_REFILL_DELAY_S = 15
DEMO_UNUSED_EXTENSIONS = ("jupyterlab-plotly", "jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview")


def voila_demo_page_arguments(plotly_key: str | None = None) -> list[str]:
    """How a demo page is drawn: the course-demo template (nothing from a CDN), code hidden,
    plotly's bundle preloaded (with the key from write_plotly_preload), and no front-end
    extensions a demo never uses: plotly's static-figure renderer (4.8 MB of JavaScript
    parsed on every page; explorers draw with FigureWidget), syntax colours (no code is
    shown) and JupyterLab's Voila preview button."""
    return ["--strip_sources=True", "--theme=light", "--template=course-demo",
            "--VoilaConfiguration.extension_denylist=" + json.dumps(list(DEMO_UNUSED_EXTENSIONS)),
            *plotly_preload_arguments(plotly_key)]


def voila_demo_arguments(port: str, token: str, plotly_key: str | None = None) -> list[str]:
    """Voila for a projector: the demo page, and two kernels kept pre-heated (the notebook
    already run in them), so a page - and a reload - shows live explorers without waiting
    for Python."""
    return ["--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", f"--token={token}", *voila_demo_page_arguments(plotly_key),
            "--preheat_kernel=True", "--pool_size=2",
            # Refill the pool once the page that took a kernel is up, not while it loads (2 cores).
            f"--VoilaKernelManager.fill_delay={DEMO_REFILL_DELAY_S}",
            # A closed page's kernel is shut down by the page; any left over without a connection
            # (a crashed tab) is stopped after two idle minutes. Open pages are never culled.
            "--MappingKernelManager.cull_idle_timeout=120", "--MappingKernelManager.cull_interval=60"]


PLOTLY_PRELOAD_FILE = "plotly-widgetbundle.js"

# Asks the course's own environment where plotly's widget bundle is and under which key its
# figures look for it in the page (widgets.figure); copies the bundle next to the demo notebook.
_PLOTLY_PRELOAD_CODE = """
import json, re, shutil, sys
from widgets import figure
key = re.search(r'Symbol[.]for[(]"([^"]+)"[)]', figure.SHARED_BUNDLE_LOADER_ESM)
if key:
    shutil.copyfile(figure.PLOTLY_WIDGET_BUNDLE, sys.argv[1])
print(json.dumps(key.group(1) if key else None))
"""


def write_plotly_preload(python: Path, folder: Path) -> str | None:
    """Put plotly's widget bundle beside the demo notebook, so that the demo page can load it
    while the page is still starting (and the browser can cache it), instead of receiving
    and evaluating 5 MB of JavaScript only once the figure's widget arrives. Returns the key
    widgets.figure looks the bundle up by, or None (then the figures load it themselves)."""
    result = subprocess.run([str(python), "-c", _PLOTLY_PRELOAD_CODE, str(folder / PLOTLY_PRELOAD_FILE)],
                            capture_output=True, text=True, cwd=ROOT)
    try:
        return json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 else None
    except (IndexError, ValueError):
        return None


def plotly_preload_arguments(key: str | None) -> list[str]:
    """Voila settings for the course-demo template's plotly preload (none without a key)."""
    if not key:
        return []
    resources = {"course_demo": {"plotly_bundle": f"voila/files/{PLOTLY_PRELOAD_FILE}", "plotly_bundle_key": key}}
    allow = [r".*\.(png|jpg|gif|svg)", re.escape(PLOTLY_PRELOAD_FILE)]  # Voila's default list, and the bundle
    return [f"--VoilaConfiguration.resources={json.dumps(resources)}",
            f"--VoilaConfiguration.file_allowlist={json.dumps(allow)}"]


def demo_environment(base: dict | None = None) -> dict:
    """Voila finds the course-demo template through JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in [str(DEMO_TEMPLATES), env.get("JUPYTER_PATH", "")] if p)
    return env
