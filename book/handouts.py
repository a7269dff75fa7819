"""One printable handout (A4 PDF, one or two pages) per notebook.

Made from the notebook's own source and the data package, with no execution:
objectives (``course.objectives``), the key points of its ``## Summary``, its key
numbers (the ``show_facts`` ids it uses, else the facts table's rows for it) with
short citations and evidence statuses, and its key terms with their definitions.
The HTML page is printed by the same headless Debian Chromium the browser tests use
(Playwright ``page.pdf``), offline: the page has no external assets and every
request off the page is refused.

    python -m book.handouts [OUT_DIR]      # default _build/handouts
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

import course_data
from book.notebook_info import ROOT, NotebookInfo, all_notebooks
from widgets.evidence import format_value, short_citation

OUT_DIR = ROOT / "_build" / "handouts"
TEMPLATES = Path(__file__).resolve().parent / "templates"
CHROMIUM_CANDIDATES = (Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAX_PAGES = 2
# Print scales tried in turn: a handout that fits on one page at one of the first three
# (body text 9.4 to 8.3 pt) is printed so; otherwise it is printed on two pages at the
# largest scale that fits them.
SCALES = (1.0, 0.94, 0.88, 0.82, 0.76)
ONE_PAGE_SCALES = SCALES[:3]


@dataclass
class KeyNumber:
    value: str
    description: str
    citation: str
    status: str


def chromium() -> Path | None:
    """Debian's Chromium binary (the real one, skipping the wrapper script), if installed."""
    return next((path for path in CHROMIUM_CANDIDATES if path.exists()), None)


def key_numbers(info: NotebookInfo) -> list[KeyNumber]:
    fact_ids = info.fact_ids
    if not fact_ids:
        facts = course_data.load("facts")
        fact_ids = list(facts.loc[facts["notebook"] == info.stem, "id"])
    numbers = []
    for fact_id in fact_ids:
        row = course_data.fact(fact_id)
        source = course_data.source(row["source_id"])
        numbers.append(KeyNumber(
            value=format_value(row["value"], row["value_low"], row["value_high"], row["unit"]),
            description=row["description"], citation=short_citation(row["source_id"]), status=source["evidence_status"],
        ))
    return numbers


def handout_html(info: NotebookInfo) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return environment.get_template("handout.html").render(
        info=info,
        summary_html=MarkdownIt("commonmark").render(info.summary_markdown),
        facts=key_numbers(info),
        terms=[course_data.glossary_entry(term_id) for term_id in info.term_ids],
    )


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def print_fitted(page, pdf: Path) -> float:
    """Print ``page`` to ``pdf`` on one page if a scale in SCALES allows, else on two; return the scale."""
    def print_at(scale: float) -> int:
        page.pdf(path=str(pdf), format="A4", scale=scale, print_background=True, prefer_css_page_size=True)
        return page_count(pdf)

    for scale in ONE_PAGE_SCALES:
        if print_at(scale) == 1:
            return scale
    for scale in SCALES:
        if print_at(scale) <= MAX_PAGES:
            return scale
    raise RuntimeError(f"handout {pdf.name} needs more than {MAX_PAGES} pages even at scale {SCALES[-1]}")


def build_handouts(out_dir: Path = OUT_DIR, notebooks: list[NotebookInfo] | None = None, log=print) -> list[Path]:
    """Write ``<stem>.html`` and ``<stem>.pdf`` for every notebook into ``out_dir``; return the PDFs."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise FileNotFoundError("Chromium is not installed (/usr/bin/chromium): cannot print the handouts")
    notebooks = notebooks if notebooks is not None else all_notebooks()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # the handout needs nothing from anywhere
            for info in notebooks:
                source = out_dir / f"{info.stem}.html"
                source.write_text(handout_html(info), encoding="utf-8")
                page.set_content(source.read_text(encoding="utf-8"), wait_until="load")
                pdf = out_dir / f"{info.stem}.pdf"
                scale = print_fitted(page, pdf)
                log(f"  handout {pdf.name}: {page_count(pdf)} page(s), scale {scale:g}")
                pdfs.append(pdf)
        finally:
            browser.close()
    return pdfs


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else OUT_DIR
    try:
        pdfs = build_handouts(out_dir)
    except FileNotFoundError as exc:
        print(f"[handouts] {exc}. Install it with: apt-get install chromium", file=sys.stderr)
        return 1
    print(f"[handouts] {len(pdfs)} handouts in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
