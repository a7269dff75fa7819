"""The cumulative review (notebook 12): a mixed, seeded-random draw from every question bank.

Pure functions over ``course_data.question_banks()`` and ``course_data.questions()``.
Each drawn question keeps its bank's explanation and sources and gains a pointer
back to the section that teaches it ("04_pharmacokinetics.ipynb — 2. Routes").
"""

from __future__ import annotations

import random

import course_data
from widgets.models.course_plan import notebook_number
from widgets.validation import check_range

#: The review notebook's own bank holds its sections' self-checks, not course content.
REVIEW_BANK = "12_review"


def notebook_titles() -> dict[str, str]:
    """Course-plan title per notebook slug ('04_pharmacokinetics' → 'Pharmacokinetics')."""
    plan = course_data.load("course_plan")
    return dict(zip(plan["slug"], plan["title"]))


def review_banks(exclude: tuple[str, ...] = (REVIEW_BANK,)) -> list[str]:
    """Every question bank present (sorted), except ``exclude``."""
    return [b for b in course_data.question_banks() if b not in exclude]


def section_label(question: dict) -> str:
    """'04_pharmacokinetics.ipynb — 2. Routes': the notebook file and section a question checks."""
    title = question.get("section_title") or f"section “{question['section']}”"
    return f"{question['notebook']}.ipynb — {title}"


def question_pool(banks: list[str] | None = None) -> dict[str, list[dict]]:
    """All questions per bank, each a copy tagged with its ``notebook`` and ``link`` (section label)."""
    pool = {}
    for bank in review_banks() if banks is None else banks:
        questions = []
        for q in course_data.questions(bank):
            q = dict(q, notebook=bank)
            q["link"] = section_label(q)
            questions.append(q)
        pool[bank] = questions
    return pool


def draw_review(n_questions: int = 12, seed: int = 0, banks: list[str] | None = None) -> list[dict]:
    """A mixed selection of ``n_questions`` questions across the banks, reproducible for a ``seed``.

    Banks take turns (in a seeded random order), each giving one random question
    per turn, so every bank contributes once ``n_questions`` ≥ the number of banks
    and no bank dominates. The final order is shuffled. Each question's
    explanation ends with where to review it. Asking for more questions than the
    banks hold returns them all.
    """
    pool = question_pool(banks)
    total = sum(len(qs) for qs in pool.values())
    if total == 0:
        return []
    n = min(int(check_range("n_questions", n_questions, 1, 500, "questions")), total)
    rng = random.Random(seed)
    queues = {bank: rng.sample(qs, len(qs)) for bank, qs in pool.items()}
    order = rng.sample(sorted(queues), len(queues))
    chosen: list[dict] = []
    while len(chosen) < n:
        for bank in order:
            if queues[bank] and len(chosen) < n:
                chosen.append(queues[bank].pop())
    rng.shuffle(chosen)
    titles = notebook_titles()
    for q in chosen:
        q["prompt"] = f"[{notebook_number(q['notebook'])} {titles.get(q['notebook'], q['notebook'])}] {q['prompt']}"
        q["explanation"] = f"{q['explanation']} Review: {q['link']}."
    return chosen


def coverage(questions: list[dict]) -> dict[str, int]:
    """Number of drawn questions per notebook bank."""
    counts: dict[str, int] = {}
    for q in questions:
        counts[q["notebook"]] = counts.get(q["notebook"], 0) + 1
    return dict(sorted(counts.items()))


def facts_by_notebook() -> dict[str, list[str]]:
    """Ids of the shared ``facts`` table grouped by notebook, in course order (whatever rows exist)."""
    facts = course_data.load("facts")
    order = {slug: i for i, slug in enumerate(notebook_titles())}
    grouped: dict[str, list[str]] = {}
    for notebook, fact_id in sorted(zip(facts["notebook"], facts["id"]), key=lambda p: (order.get(p[0], len(order)), p[0])):
        grouped.setdefault(notebook, []).append(fact_id)
    return grouped
