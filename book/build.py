"""Build the course book: every notebook executed, one static, offline HTML site.

    python -m book.build [--force] [--jobs N] [--no-handouts]      (./course book)

Steps, all offline (every asset comes from an installed package):

1. print the handouts (:mod:`book.handouts`) into ``_build/handouts/`` when Chromium is there;
2. execute every notebook with the book's static renderers (:mod:`book.execute`,
   :mod:`widgets.book_render`), then put each page's launch link in place and turn links
   between notebooks into links between pages;
3. stage them in ``_build/book-src/`` with the front page, the running page, the generated
   glossary, abbreviations, references and handouts pages (:mod:`book.pages`), the book's
   CSS and plotly.js (``plotly/package_data/plotly.min.js``, once for the whole site);
4. run Jupyter Book 1 (Sphinx + MyST-NB, execution off) and put the site in ``_build/book/``.

A build whose inputs (notebooks, data, widgets, this package, the pins) are unchanged
since the last one is reused unless ``--force`` is given; ``_build/book/.build-stamp``
records the inputs' hash.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import plotly
import yaml

from book import execute, handouts, pages
from book.launch import Launch
from book.notebook_info import ROOT, NotebookInfo, all_notebooks, notebook_paths
from widgets.book_render import LAUNCH_PLACEHOLDER

BOOK_DIR = Path(__file__).resolve().parent
BUILD_DIR = ROOT / "_build"
SITE_DIR = BUILD_DIR / "book"
STAGING_DIR = BUILD_DIR / "book-src"
WORK_DIR = BUILD_DIR / "book-work"
STAMP = ".build-stamp"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
#: Files whose content decides the book; a change to any of them means a rebuild.
INPUT_GLOBS = ("notebooks/*.ipynb", "course_data/**/*", "widgets/**/*.py", "book/**/*", "requirements*.txt")
NOTEBOOK_LINK = re.compile(r"""href=(['"])(\d{2}[a-z]?_[a-z0-9_]+)\.ipynb(#[^'"]*)?\1""")
REFERENCE_PAGES = ("glossary", "abbreviations", "references", "handouts", "running")


@dataclass
class BookBuild:
    site: Path
    notebooks: list[NotebookInfo]
    handouts: list[Path] = field(default_factory=list)
    launch: Launch | None = None
    reused: bool = False
    seconds: float = 0.0


def settings() -> tuple[dict, dict]:
    """(Jupyter Book configuration, the course's own settings) from book/_config.yml."""
    config = yaml.safe_load((BOOK_DIR / "_config.yml").read_text(encoding="utf-8"))
    return config, config.pop("course", {}) or {}


def inputs_hash(extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for pattern in INPUT_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


# ---------------------------------------------------------------- notebook pages
def page_banner(info: NotebookInfo, launch: Launch, has_handout: bool) -> str:
    parts = ["This page is the notebook with its outputs"
             + (f" (about {info.minutes} minutes of study)" if info.minutes else "")
             + ". To move its explorers yourself, " + launch.link_html(info.stem) + "."]
    if has_handout:
        parts.append(f"<a href='handouts/{html.escape(info.stem)}.pdf'>Printable handout (PDF)</a>.")
    return "<div class='book-page-banner'>" + " ".join(parts) + "</div>"


def finish_notebook(nb: nbformat.NotebookNode, info: NotebookInfo, launch: Launch, has_handout: bool) -> None:
    """Launch links in place, notebook links → page links, no widget state, a banner under the title."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
                text = text.replace(LAUNCH_PLACEHOLDER, launch.link_html(info.stem))
                data["text/html"] = NOTEBOOK_LINK.sub(lambda m: f"href={m[1]}{m[2]}.html{m[3] or ''}{m[1]}", text)
    nb.metadata.pop("widgets", None)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(page_banner(info, launch, has_handout), id="book-banner"))


# ---------------------------------------------------------------- staging
def toc(notebooks: list[NotebookInfo]) -> dict:
    return {
        "format": "jb-book",
        "root": "index",
        "parts": [
            {"caption": "The course", "chapters": [{"file": info.stem} for info in notebooks]},
            {"caption": "Reference", "chapters": [{"file": name} for name in REFERENCE_PAGES]},
        ],
    }


def stage(notebooks: list[NotebookInfo], executed: dict[str, nbformat.NotebookNode], handout_pdfs: list[Path],
          config: dict) -> Path:
    shutil.rmtree(STAGING_DIR, ignore_errors=True)
    (STAGING_DIR / "_static" / "plotly").mkdir(parents=True)
    for stem, nb in executed.items():
        nbformat.write(nb, STAGING_DIR / f"{stem}.ipynb")
    index = (BOOK_DIR / "pages" / "index.md").read_text(encoding="utf-8")
    (STAGING_DIR / "index.md").write_text(index.replace("<!-- notebook-table -->", pages.notebook_table(notebooks)), encoding="utf-8")
    shutil.copy(BOOK_DIR / "pages" / "running.md", STAGING_DIR / "running.md")
    built = {pdf.stem for pdf in handout_pdfs}
    generated = {
        "glossary": pages.glossary_page(notebooks),
        "abbreviations": pages.abbreviations_page(),
        "references": pages.references_page(),
        "handouts": pages.handouts_page(notebooks, built),
    }
    for name, text in generated.items():
        (STAGING_DIR / f"{name}.md").write_text(text, encoding="utf-8")
    for name in ("course-book.css", "course-book.js"):
        shutil.copy(BOOK_DIR / "static" / name, STAGING_DIR / "_static" / name)
    shutil.copy(PLOTLY_JS, STAGING_DIR / "_static" / "plotly" / "plotly.min.js")
    extra = STAGING_DIR / "extra" / "handouts"
    extra.mkdir(parents=True)
    for pdf in handout_pdfs:
        shutil.copy(pdf, extra / pdf.name)
    (STAGING_DIR / "_toc.yml").write_text(yaml.safe_dump(toc(notebooks), sort_keys=False), encoding="utf-8")
    sidebars = config["sphinx"]["config"]["html_theme_options"]["secondary_sidebar_items"]
    sidebars.update({info.stem: [] for info in notebooks})
    (STAGING_DIR / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return STAGING_DIR


def run_jupyter_book(source: Path, log=print) -> Path:
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(source), "--path-output", str(WORK_DIR),
               "--builder", "html", "--warningiserror", "--keep-going", "--quiet"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise execute.BookBuildError(f"Jupyter Book failed (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return WORK_DIR / "_build" / "html"


# ---------------------------------------------------------------- the build
def build(force: bool = False, jobs: int = 2, with_handouts: bool = True, log=print) -> BookBuild:
    start = time.perf_counter()
    config, course_settings = settings()
    launch = Launch.from_settings(course_settings, ROOT)
    can_print = with_handouts and handouts.chromium() is not None
    stamp = inputs_hash(f"launch={launch};handouts={can_print}")
    notebooks = all_notebooks()
    if not force and (SITE_DIR / STAMP).exists() and (SITE_DIR / STAMP).read_text().strip() == stamp:
        pdfs = sorted((SITE_DIR / "handouts").glob("*.pdf"))
        log(f"[book] {SITE_DIR.relative_to(ROOT)} is up to date (inputs unchanged); --force rebuilds it")
        return BookBuild(SITE_DIR, notebooks, pdfs, launch, reused=True)

    handout_pdfs: list[Path] = []
    if can_print:
        log("[book] printing the handouts")
        handout_pdfs = handouts.build_handouts(handouts.OUT_DIR, notebooks, log=log)
    elif with_handouts:
        log("[book] NOTE: Chromium is not installed: the handouts are not built (apt-get install chromium)")
    log(f"[book] executing {len(notebooks)} notebooks ({jobs} at a time)")
    executed = execute.execute_all(notebook_paths(), jobs=jobs, log=log)
    has_handout = {pdf.stem for pdf in handout_pdfs}
    for info in notebooks:
        finish_notebook(executed[info.stem], info, launch, info.stem in has_handout)
    log("[book] building the site with Jupyter Book")
    html_dir = run_jupyter_book(stage(notebooks, executed, handout_pdfs, config), log=log)
    shutil.rmtree(SITE_DIR, ignore_errors=True)
    shutil.copytree(html_dir, SITE_DIR)
    (SITE_DIR / ".nojekyll").touch()  # GitHub Pages: serve _static/ and _sources/ as they are
    (SITE_DIR / STAMP).write_text(stamp + "\n")
    seconds = time.perf_counter() - start
    log(f"[book] done in {seconds:.0f} s: open {SITE_DIR / 'index.html'} "
        f"or serve it with: python -m http.server -d {SITE_DIR.relative_to(ROOT)}")
    return BookBuild(SITE_DIR, notebooks, sorted((SITE_DIR / "handouts").glob("*.pdf")), launch, seconds=seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./course book", description="Build the course book (offline) in _build/book/.")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed since the last build")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time (default 2)")
    parser.add_argument("--no-handouts", action="store_true", help="skip printing the handout PDFs")
    args = parser.parse_args(argv)
    try:
        build(force=args.force, jobs=args.jobs, with_handouts=not args.no_handouts)
    except execute.BookBuildError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
