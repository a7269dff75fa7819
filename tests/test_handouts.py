"""Handouts: one A4 PDF per notebook, printed by headless Chromium as part of the book build.

Each must exist, have one or two pages, and its text (read back with pypdf) must carry
the notebook's title, objectives, key numbers with their short citations, and key terms.
"""

from __future__ import annotations

import os
import unicodedata

import pytest
from pypdf import PdfReader

import course_data
from book import build, handouts
from book.notebook_info import all_notebooks

NOTEBOOKS = all_notebooks()


@pytest.fixture(scope="module")
def handout_pdfs():
    if handouts.chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true requires Chromium to print the handouts")
        pytest.skip("Chromium is not installed (/usr/bin/chromium): handouts not built")
    site = build.build()
    return {pdf.stem: pdf for pdf in site.handouts}


def flat(value: str) -> str:
    """Compared without whitespace: a table cell may wrap a value or a citation over two lines."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def pdf_text(path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.mark.parametrize("info", NOTEBOOKS, ids=[info.stem for info in NOTEBOOKS])
def test_each_notebook_has_a_one_or_two_page_handout_with_its_title_numbers_and_terms(handout_pdfs, info):
    pdf = handout_pdfs.get(info.stem)
    assert pdf is not None and pdf.exists(), f"no handout for {info.stem}"
    assert 1 <= len(PdfReader(pdf).pages) <= handouts.MAX_PAGES
    text = pdf_text(pdf)
    assert flat(info.label) in text
    for objective in info.objectives:
        assert flat(objective)[:60] in text, f"objective missing: {objective}"
    for number in handouts.key_numbers(info):
        assert flat(number.value) in text, f"key number {number.value} missing"
        assert flat(number.citation) in text, f"source {number.citation} missing"
    for term_id in info.term_ids:
        assert flat(course_data.glossary_entry(term_id)["term"]) in text, f"key term {term_id} missing"


def test_handouts_show_the_notebooks_own_key_numbers():
    pk = next(info for info in NOTEBOOKS if info.stem == "04_pharmacokinetics")
    values = [number.value for number in handouts.key_numbers(pk)]
    assert "79 L/h (69–90)" in values and len(values) == len(pk.fact_ids)
    # A notebook without show_facts calls falls back to the facts table's notebook column.
    facts = course_data.load("facts")
    for info in NOTEBOOKS:
        if not info.fact_ids:
            assert len(handouts.key_numbers(info)) == int((facts["notebook"] == info.stem).sum())


def test_a_handout_page_needs_nothing_from_outside():
    html = handouts.handout_html(NOTEBOOKS[4])
    assert "src=" not in html and "http" not in html.replace("http-equiv", "")
