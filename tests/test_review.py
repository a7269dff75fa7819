"""The cumulative review (notebook 12): mixed draw from every bank, links back, key numbers."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import course_data
from widgets.explorers.review import ReviewQuizExplorer, key_numbers
from widgets.models import review as model
from widgets.quiz import Quiz
from widgets.validation import CourseInputError

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_every_bank_except_the_review_is_drawn_from():
    banks = model.review_banks()
    assert "12_review" not in banks and set(banks) == set(course_data.question_banks()) - {"12_review"}
    drawn = model.draw_review(n_questions=len(banks), seed=3)
    assert sorted(model.coverage(drawn)) == sorted(banks)
    assert all(n == 1 for n in model.coverage(drawn).values()), "with one question per bank, banks take turns"


def test_draw_is_seeded_mixed_and_without_repeats():
    total = sum(len(qs) for qs in model.question_pool().values())
    n = min(12, total)
    first = [q["id"] for q in model.draw_review(n, seed=1)]
    assert first == [q["id"] for q in model.draw_review(n, seed=1)], "same seed, same set"
    assert len(set(first)) == len(first) == n
    if total > n:
        assert first != [q["id"] for q in model.draw_review(n, seed=2)], "another seed gives another set"
    everything = model.draw_review(10_000 if total > 500 else 500, seed=0)
    assert len(everything) == total and len({q["id"] for q in everything}) == total


def test_bad_question_count_names_the_parameter():
    with pytest.raises(CourseInputError, match="n_questions must be between 1 and 500"):
        model.draw_review(0)


def test_each_drawn_question_links_back_to_its_notebook_and_section():
    for q in model.draw_review(40, seed=5):
        assert q["link"].startswith(f"{q['notebook']}.ipynb — ")
        assert q["explanation"].endswith(f"Review: {q['link']}.")
        assert q["prompt"].startswith(f"[{q['notebook'].split('_')[0]} ")
    q = {"notebook": "04_pharmacokinetics", "section": "routes", "section_title": "2. Routes"}
    assert model.section_label(q) == "04_pharmacokinetics.ipynb — 2. Routes"
    assert model.section_label({"notebook": "04_x", "section": "routes"}) == "04_x.ipynb — section “routes”"


def test_section_titles_match_the_notebooks_headings():
    for bank, questions in model.question_pool().items():
        path = NOTEBOOKS / f"{bank}.ipynb"
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        headings = {line[3:].strip() for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("## ")}
        for q in questions:
            assert q.get("section_title"), f"{bank} {q['id']}: no section_title to link back to"
            title = q["section_title"]
            number = re.match(r"^(\d+)\. ", title)
            if number:  # "2. Routes" must point at the notebook's section 2
                ok = any(h.startswith(number.group(0)) for h in headings)
            else:
                ok = any(h.casefold().startswith(title.casefold()) for h in headings)
            assert ok, f"{bank} {q['id']}: section_title {title!r} does not name a heading of {bank}"


def test_review_explorer_renders_a_quiz_with_links_and_updates():
    explorer = ReviewQuizExplorer()
    assert isinstance(explorer.quiz, Quiz) and explorer.quiz.widget in explorer.quiz_box.children
    banks = model.review_banks()
    assert len(explorer.quiz.questions) == min(12, sum(len(v) for v in model.question_pool().values()))
    assert sum(explorer.figure.data[0].y) == len(explorer.quiz.questions)
    for nb in {q["notebook"] for q in explorer.questions}:
        assert f"href='{nb}.ipynb'" in explorer.links.value
    question = explorer.quiz.questions[0]
    spec = question.spec
    question.answer(spec["answer"] if spec["type"] == "numeric" else int(spec["answer"]))
    assert question.correct and "Review: " in question.feedback_text
    assert explorer.quiz.score == (1, len(explorer.quiz.questions))
    first_ids = [q["id"] for q in explorer.questions]
    explorer.set(set_number=2)
    assert explorer.quiz.score[0] == 0, "a new set starts unanswered"
    assert "Set 2:" in explorer.readout_text
    if sum(len(v) for v in model.question_pool().values()) > 12:
        assert [q["id"] for q in explorer.questions] != first_ids
    if len(banks) <= 12:
        assert re.search(rf"from {len(banks)} of {len(banks)} notebooks", explorer.readout_text)
    explorer.set(n_questions=20)
    assert len(explorer.quiz.questions) == min(20, sum(len(v) for v in model.question_pool().values()))
    assert sum(explorer.figure.data[0].y) == len(explorer.quiz.questions)


def test_changing_the_review_set_reuses_the_question_widgets():
    """A new set is loaded into the same Question widgets, so the browser builds no new quiz.
    (A slot adds an input once, the first time it holds a numeric question after a multiple-
    choice one or the reverse; a longer set adds slots, once.)"""
    import ipywidgets as W

    explorer = ReviewQuizExplorer()
    widgets_before = [q.widget for q in explorer.quiz.questions]
    explorer.quiz.questions[0].answer(0)
    explorer.set(set_number=7)
    explorer.set(set_number=1)
    created: list = []
    previous = W.Widget._widget_construction_callback
    W.Widget.on_widget_constructed(created.append)
    try:
        explorer.set(set_number=7)
    finally:
        W.Widget._widget_construction_callback = previous
    assert [q.widget for q in explorer.quiz.questions] == widgets_before
    assert created == [], "revisiting a set must not create widgets"
    assert [q.spec["id"] for q in explorer.quiz.questions] == [q["id"] for q in explorer.questions]
    assert explorer.quiz.score[0] == 0 and not any(q.answered for q in explorer.quiz.questions)
    explorer.set(n_questions=6)
    assert [q.widget for q in explorer.quiz.questions] == widgets_before[:6]
    assert explorer.quiz.body.children == tuple(widgets_before[:6])


def test_key_numbers_list_every_fact_grouped_by_notebook_in_course_order():
    facts = course_data.load("facts")
    grouped = model.facts_by_notebook()
    assert sorted(f for ids in grouped.values() for f in ids) == sorted(facts["id"])
    plan = list(course_data.load("course_plan")["slug"])
    assert list(grouped) == sorted(grouped, key=lambda nb: plan.index(nb) if nb in plan else len(plan))
    html_text = key_numbers().value
    assert html_text.count("<li") == len(facts)
    assert html_text.count("evidence-badge") == len(facts)
    assert f"{len(facts)} key numbers from {len(grouped)} notebooks" in html_text


def test_the_first_drawn_figure_already_shows_the_set():
    explorer = ReviewQuizExplorer(set_number=4)
    counts = model.coverage(model.draw_review(12, seed=4))
    assert list(explorer.figure._widget_data[0]["y"]) == [counts.get(b, 0) for b in model.review_banks()]
