"""The course book (``./course book``): built once (reused while its inputs are unchanged)
and checked as files: every notebook a page in course order, explorers and quizzes as
static study text, glossary/abbreviations/references complete, every local link and
anchor resolving, nothing referenced outside the site, and the page-size budget.

The browser checks (pages load offline, hover, search) are in tests/browser/test_book_browser.py.
"""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

import course_data
from book import build, launch, pages
from book.notebook_info import all_notebooks
from widgets import book_render
from widgets.evidence import format_value

#: Budget per page: at most 3 MB of HTML; plotly.js (4.8 MB) is one file shared by every page.
PAGE_BUDGET_BYTES = 3_000_000
NOTEBOOKS = all_notebooks()
REQUIRED_ABBREVIATIONS = ["AUC", "ke0", "fu", "REMS", "MCDA", "Cmax", "tmax", "SERT", "NMDA", "GABA-A", "CYP", "PET"]


@pytest.fixture(scope="module")
def site() -> build.BookBuild:
    return build.build()


@functools.cache
def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: build.BookBuild, name: str) -> BeautifulSoup:
    return soup_of(site.site / f"{name}.html")


def html_pages(site: build.BookBuild) -> list[Path]:
    return sorted(site.site.glob("*.html"))


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def squash(value: str) -> str:
    return " ".join(value.split())


# ---------------------------------------------------------------- structure
def test_every_notebook_is_a_page_in_course_order(site):
    nav = [a["href"] for a in page(site, "index").select("nav.bd-docs-nav a.reference.internal")]
    assert nav[: len(NOTEBOOKS)] == [f"{info.stem}.html" for info in NOTEBOOKS]
    assert nav[len(NOTEBOOKS):] == [f"{name}.html" for name in build.REFERENCE_PAGES]
    for info in NOTEBOOKS:
        assert page(site, info.stem).select_one("h1").get_text().startswith(info.number)


def test_pages_stay_within_the_size_budget_and_ship_plotly_once(site):
    plotly_files = [p for p in site.site.rglob("*.js") if "plotly" in p.name]
    assert [p.relative_to(site.site).as_posix() for p in plotly_files] == ["_static/plotly/plotly.min.js"]
    sizes = {p.name: p.stat().st_size for p in html_pages(site)}
    assert max(sizes.values()) <= PAGE_BUDGET_BYTES, f"pages over {PAGE_BUDGET_BYTES} bytes: {sizes}"
    for path in html_pages(site):
        source = path.read_text(encoding="utf-8")
        assert "plotly.js v" not in source, f"{path.name} inlines plotly.js"
        if "Plotly.newPlot" in source:
            assert soup_of(path).select_one("head script[src^='_static/plotly/plotly.min.js']"), f"{path.name}: figures without plotly.js"


def test_the_site_references_nothing_outside_itself(site):
    fetched = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
               "embed": "src", "object": "data", "link": "href"}
    for path in html_pages(site):
        soup = soup_of(path)
        for tag, attribute in fetched.items():
            for element in soup.find_all(tag):
                value = element.get(attribute) or ""
                if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{path.name}: <{tag} {attribute}={value!r}> loads from outside the site"
        source = path.read_text(encoding="utf-8")
        for marker in ("widget-state+json", "require.min.js", "require.js", "embed-amd.js", "mathjax", "thebe"):
            assert marker not in source.lower(), f"{path.name} contains {marker!r}"
    for css in site.site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(url\()?\s*['\"]?(https?:)?//", css.read_text(errors="replace")), css


def test_every_local_link_and_anchor_resolves(site):
    checked = 0
    for path in html_pages(site):
        for a in soup_of(path).find_all("a", href=True):
            parts = urlsplit(a["href"])
            if parts.scheme or a["href"].startswith("//"):
                continue  # external (DOI, PubMed, Binder): a link, never fetched by the page
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.exists(), f"{path.name}: link {a['href']!r} points at nothing"
            if parts.fragment and target.suffix == ".html":
                soup = soup_of(target)
                assert soup.find(id=parts.fragment) or soup.find(attrs={"name": parts.fragment}), \
                    f"{path.name}: link {a['href']!r}: no anchor #{parts.fragment} in {target.name}"
            checked += 1
    assert checked > 500


# ---------------------------------------------------------------- explorers
def test_explorers_are_static_with_settings_figure_readout_note_and_launch_link(site):
    for info in NOTEBOOKS:
        soup = page(site, info.stem)
        cells = nbformat.read(build.ROOT / "notebooks" / f"{info.stem}.ipynb", as_version=4).cells
        code = [cell.source for cell in cells if cell.cell_type == "code"]
        explorers = soup.select(".course-explorer")
        assert len(explorers) == sum(src.count("Explorer(") for src in code), info.stem
        for explorer in explorers:
            name = next(c for c in explorer["class"] if c.startswith("explorer-class-"))
            where = f"{info.stem} {name}"
            assert explorer.select_one("h3"), f"{where}: no title"
            settings = text(explorer.select_one(".book-settings"))
            assert settings.startswith("Shown at:") and not re.search(r"\b(None|nan|NaN)\b", settings), f"{where}: {settings}"
            readout = text(explorer.select_one(".explorer-readout"))
            assert readout.startswith("Readout:") and len(readout) > 20, f"{where}: {readout!r}"
            assert "needs a running kernel" in text(explorer.select_one(".book-kernel-note")), where
            link = explorer.select_one(".book-kernel-note a.course-launch")
            expected = site.launch.binder_url(info.stem) or launch.RUNNING_PAGE
            assert link and link["href"] == expected, f"{where}: launch link {link}"
            if name != "explorer-class-RatingsExplorer":  # the ratings comparison is a table, not a plot
                assert explorer.select_one(".plotly-graph-div"), f"{where}: no figure"
        assert book_render.LAUNCH_PLACEHOLDER not in str(soup), f"{info.stem}: a launch link was not filled in"
        assert "widget-view+json" not in str(soup) and "Jupyter widget" not in text(soup), f"{info.stem}: a live widget view"


def test_every_notebook_page_links_to_where_it_can_run_and_its_handout(site):
    for info in NOTEBOOKS:
        banner = page(site, info.stem).select_one(".book-page-banner")
        assert banner and banner.select_one("a.course-launch"), info.stem
        if site.handouts:
            assert banner.select_one(f"a[href='handouts/{info.stem}.pdf']"), info.stem


# ---------------------------------------------------------------- quizzes
def test_quizzes_are_study_text_with_answers_explanations_and_feedback_folded(site):
    every_question = {squash(q["prompt"]): q for nb in course_data.question_banks() for q in course_data.questions(nb)}
    for info in NOTEBOOKS:
        bank = {squash(q["prompt"]) for q in course_data.questions(info.stem)}
        shown = page(site, info.stem).select(".book-quiz .book-question")
        prompts = {text(q.select_one(".book-question-prompt")) for q in shown}
        assert bank <= prompts, f"{info.stem}: questions missing from the book"
        for question in shown:
            prompt = text(question.select_one(".book-question-prompt"))
            # The cumulative review (12) prefixes each question with its notebook: "[07 SSRIs] …".
            spec = every_question[re.sub(r"^\[\d{2}[a-z]? [^]]+\] ", "", prompt)]
            answer = question.select_one("details.book-answer")
            assert answer is not None and not answer.has_attr("open"), f"{info.stem}: answer not folded: {prompt}"
            folded = text(answer)
            assert squash(spec["explanation"]) in folded, f"{info.stem}: explanation missing: {prompt}"
            if spec["type"] == "multiple_choice":
                options = [text(li) for li in question.select("ol.book-options > li")]
                assert sorted(options) == sorted(squash(o["text"]) for o in spec["options"])
                letter = "ABCDEF"[options.index(squash(spec["options"][spec["answer"]]["text"]))]
                assert f"Answer: {letter}." in folded, f"{info.stem}: wrong answer letter: {prompt}"
                for option in spec["options"]:
                    if option.get("feedback"):
                        assert squash(option["feedback"]) in folded
            else:
                assert f"Answer: {spec['answer']:g} {spec['unit']}" in folded
                for error in spec.get("common_errors", []):
                    assert squash(error["feedback"]) in folded


def test_multiple_choice_options_are_shuffled_per_question_and_the_answer_letter_follows():
    spec = {"id": "q99-demo", "type": "multiple_choice", "prompt": "Which?", "answer": 0, "explanation": "Because.",
            "options": [{"text": "right"}, {"text": "wrong one", "feedback": "tempting because A"},
                        {"text": "wrong two", "feedback": "tempting because B"}, {"text": "wrong three", "feedback": "tempting because C"}]}
    order = book_render.display_order(spec)
    assert sorted(order) == [0, 1, 2, 3] and order == book_render.display_order(spec)
    shuffled = {tuple(book_render.display_order({**spec, "id": f"q99-demo-{i}"})) for i in range(20)}
    assert len(shuffled) > 5, "the display order does not depend on the question"
    soup = BeautifulSoup(book_render.question_html(spec), "html.parser")
    options = [text(li) for li in soup.select("ol.book-options > li")]
    assert f"Answer: {'ABCD'[options.index('right')]}. right" in text(soup.select_one("details"))
    assert "tempting because B" in text(soup.select_one("details"))


# ---------------------------------------------------------------- glossary, abbreviations, references
def test_glossary_anchors_every_term_and_key_terms_link_to_it(site):
    glossary = page(site, "glossary")
    for row in course_data.load("glossary").to_dict("records"):
        entry = glossary.find(id=f"term-{row['id']}")
        assert entry is not None and text(entry) == squash(row["term"]), row["id"]
        assert squash(row["definition"]) in text(entry.find_next_sibling("dd"))
    for info in NOTEBOOKS:
        links = [a["href"] for a in page(site, info.stem).select(".course-key-terms a.book-glossary-link")]
        assert links == [f"glossary.html#term-{term}" for term in info.term_ids], info.stem


def test_abbreviations_page_lists_every_abbreviation_with_an_anchor(site):
    table = page(site, "abbreviations")
    rows = course_data.load("abbreviations").to_dict("records")
    for row in rows:
        entry = table.find(id=f"abbr-{pages.anchor(row['abbreviation'])}")
        assert entry is not None and text(entry.th) == row["abbreviation"]
        assert squash(row["expansion"]) in text(entry)
    assert set(REQUIRED_ABBREVIATIONS) <= {row["abbreviation"] for row in rows}


def course_text() -> str:
    """What a learner reads: notebook cells, glossary, facts, question banks, claims and table labels."""
    notebooks = sorted((build.ROOT / "notebooks").glob("*.ipynb"))
    parts = [cell.source for path in notebooks for cell in nbformat.read(path, as_version=4).cells]
    for name in ("glossary", "facts", "claims", "epidemiology", "antidepressant_trials"):
        parts.append(course_data.load(name).astype(str).to_csv())
    parts += [str(course_data.questions(nb)) for nb in course_data.question_banks()]
    return "\n".join(parts)


def test_every_abbreviation_is_used_in_the_course_text():
    corpus = course_text()
    for abbreviation in course_data.load("abbreviations")["abbreviation"]:
        assert re.search(rf"(?<![A-Za-z0-9]){re.escape(abbreviation)}(?![A-Za-z0-9])", corpus), \
            f"{abbreviation!r} is listed but the course never uses it"


def test_references_page_lists_every_source_with_doi_and_pubmed_links(site):
    references = page(site, "references")
    sources = course_data.load("sources").to_dict("records")
    assert len(references.select(".book-references ol > li")) == len(sources)
    links = {a["href"] for a in references.select(".book-references a[href]")}
    for row in sources:
        if row.get("doi"):
            assert f"https://doi.org/{row['doi']}" in links, row["id"]
        if row.get("pmid"):
            assert f"https://pubmed.ncbi.nlm.nih.gov/{row['pmid']}/" in links, row["id"]
    statuses = text(references.select_one(".book-status-legend"))
    assert all(status in statuses for status in ("VERIFIED", "VERIFIED-2°", "PARTIAL", "UNVERIFIED", "DERIVED"))


def test_key_numbers_on_notebook_pages_match_the_facts_table(site):
    info = next(i for i in NOTEBOOKS if i.stem == "04_pharmacokinetics")
    facts = text(page(site, info.stem).select_one(".course-facts") or page(site, info.stem))
    for fact_id in info.fact_ids[:4]:
        row = course_data.fact(fact_id)
        assert format_value(row["value"], row["value_low"], row["value_high"], row["unit"]) in facts


# ---------------------------------------------------------------- launch links
def test_github_remotes_give_a_binder_repository_and_others_none():
    assert launch.github_repository("https://github.com/uni-x/ketamine-course.git") == "uni-x/ketamine-course"
    assert launch.github_repository("git@github.com:uni-x/ketamine-course.git") == "uni-x/ketamine-course"
    assert launch.github_repository("ssh://git@github.com/uni-x/ketamine-course") == "uni-x/ketamine-course"
    for other in ("/work/wt/book", "https://gitlab.com/a/b.git", "https://github.com/only-owner", ""):
        assert launch.github_repository(other) is None, other


def test_launch_link_is_binder_for_a_github_origin_and_local_instructions_otherwise(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    local = launch.Launch.from_settings({}, tmp_path)
    assert local.repository is None and local.binder_url("04_pharmacokinetics") is None
    assert "href='running.html'" in local.link_html("04_pharmacokinetics") and "./course start" in local.link_html("x")
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", "https://github.com/uni-x/ketamine-course.git"], check=True)
    remote = launch.Launch.from_settings({"binderhub_url": "https://mybinder.org/"}, tmp_path)
    assert remote.binder_url("04_pharmacokinetics") == \
        "https://mybinder.org/v2/gh/uni-x/ketamine-course/HEAD?labpath=notebooks%2F04_pharmacokinetics.ipynb"
    configured = launch.Launch.from_settings({"binder_repository": "other/course", "binder_ref": "main"}, tmp_path)
    assert configured.binder_url("00_start_here").startswith("https://mybinder.org/v2/gh/other/course/main?")
    with pytest.raises(ValueError, match="owner/name"):
        launch.Launch.from_settings({"binder_repository": "https://github.com/other/course"}, tmp_path)


# ---------------------------------------------------------------- renderers and reuse
def test_static_renderers_take_precedence_over_live_widgets():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from traitlets.config import Config

    from widgets import quiz
    from widgets.explorers.pk import PKExplorer, bioavailability_figure

    shell = InteractiveShell.instance(config=Config({"HistoryManager": {"enabled": False}}))
    try:
        assert book_render.register(shell)
        for obj, marker in ((PKExplorer(), "course-explorer"), (quiz("04_pharmacokinetics", section="routes"), "book-quiz"),
                            (bioavailability_figure(), "plotly-graph-div")):
            with capture_output() as captured:
                shell.display_formatter.format(obj)
            (output,) = captured.outputs
            assert marker in output.data["text/html"], type(obj).__name__
            assert "application/vnd.jupyter.widget-view+json" not in output.data
    finally:
        InteractiveShell.clear_instance()


def test_an_unchanged_book_is_reused(site):
    again = build.build()
    assert again.reused and again.site == site.site


def test_book_pins_are_exact_and_installed_by_the_course_command():
    for line in (build.ROOT / "requirements-book.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.\-+]+", line), f"requirements-book.txt: {line!r} is not pinned with =="
    course = (build.ROOT / "course.py").read_text()
    assert "requirements-book.txt" in course and '"-m", "book.build"' in course
