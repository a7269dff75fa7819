"""Item-writing rules for the question banks, as pure functions.

Each check returns a list of readable problems ("04_pharmacokinetics q04-x: R2 …");
an empty list means the bank follows the rules. ``tests/test_item_bank.py`` applies
them to every bank; ``python -m course_data.item_rules`` prints the problems of the
banks on disk (useful while writing items).

The rules (issue 14 §1):

* **R1** a multiple-choice item has 3–5 options; the correct option is the strictly
  longest (in characters) in at most a third (rounded down) of each bank's
  multiple-choice items, and of the course's.
* **R2** every distractor has its own ``feedback`` (≥ 20 characters), different from
  the other options' feedback and from the item's ``explanation``.
* **R3** no joke or catch-all option ("all of the above", "I don't know", …).
* **R4** ``concept`` is unique across the banks except 12_review; every 12_review
  concept is a concept of an earlier bank; no two items outside 12_review have
  near-identical prompts (token Jaccard ≥ 0.8).
* **R5** at most 2 items per bank ask about the course itself (4 in 00_start_here).
* **R6** in banks 01–11 at least 60 % of items ask for understanding, application or
  analysis rather than recall.
* **R7** numeric items: 0 < tolerance ≤ 10 % of |answer| (≤ 1 when |answer| < 10);
  every ``common_errors`` value lies outside the accepted band.
* **R8** every section a notebook quizzes has ≥ 2 items, and every section of a bank
  is quizzed by its notebook.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

REVIEW_BANK = "12_review"
START_BANK = "00_start_here"
MC_OPTIONS = (3, 5)
MIN_FEEDBACK_CHARS = 20
CATCH_ALL_PHRASES = ("all of the above", "none of the above", "both of these", "i don't know", "not sure")
NEAR_DUPLICATE_JACCARD = 0.8
MAX_ABOUT_COURSE = 2
MAX_ABOUT_COURSE_START = 4
HIGHER_LEVELS = ("understanding", "application", "analysis")
MIN_HIGHER_SHARE = 0.6
MIN_ITEMS_PER_SECTION = 2

Bank = Mapping[str, Any]


def _where(bank: Bank, item: Mapping[str, Any]) -> str:
    return f"{bank.get('notebook', '?')} {item.get('id', '?')}"


def _mc_items(bank: Bank) -> list[Mapping[str, Any]]:
    return [q for q in bank.get("questions", []) if q.get("type") == "multiple_choice"]


def _normalised(text: str) -> str:
    return " ".join(str(text).replace("’", "'").casefold().split())


def correct_is_strictly_longest(item: Mapping[str, Any]) -> bool:
    """True when the correct option has more characters than every other option."""
    options = item.get("options", [])
    answer = item.get("answer")
    if not isinstance(answer, int) or not 0 <= answer < len(options):
        return False
    correct = len(options[answer].get("text", ""))
    return all(correct > len(o.get("text", "")) for i, o in enumerate(options) if i != answer)


def _longest_budget(n_items: int) -> int:
    return n_items // 3


# ---------------------------------------------------------------- rules on one bank
def option_count_and_length_problems(bank: Bank) -> list[str]:
    """R1 for one bank: 3–5 options; the correct option strictly longest in ≤ ⌊n/3⌋ items."""
    problems = []
    items = _mc_items(bank)
    low, high = MC_OPTIONS
    for q in items:
        n = len(q.get("options", []))
        if not low <= n <= high:
            problems.append(f"{_where(bank, q)}: R1 has {n} options; multiple choice needs {low}–{high}")
    longest = [q.get("id", "?") for q in items if correct_is_strictly_longest(q)]
    budget = _longest_budget(len(items))
    if len(longest) > budget:
        problems.append(
            f"{bank.get('notebook', '?')}: R1 the correct option is the longest in {len(longest)} of {len(items)} "
            f"multiple-choice items (at most {budget} allowed): {', '.join(longest)}"
        )
    return problems


def feedback_problems(bank: Bank) -> list[str]:
    """R2: every distractor has its own feedback of ≥ 20 characters, unlike the others and the explanation."""
    problems = []
    for q in _mc_items(bank):
        options = q.get("options", [])
        explanation = _normalised(q.get("explanation", ""))
        texts = [_normalised(o.get("feedback", "")) for o in options]
        for i, option in enumerate(options):
            if i == q.get("answer"):
                continue
            label = f"{_where(bank, q)}: R2 option {i + 1} ({option.get('text', '')[:40]!r})"
            feedback = texts[i]
            if not feedback:
                problems.append(f"{label} has no feedback")
                continue
            if len(option.get("feedback", "").strip()) < MIN_FEEDBACK_CHARS:
                problems.append(f"{label} feedback is shorter than {MIN_FEEDBACK_CHARS} characters")
            if feedback == explanation:
                problems.append(f"{label} feedback repeats the explanation")
            if any(feedback == other for j, other in enumerate(texts) if j != i):
                problems.append(f"{label} feedback is the same as another option's")
    return problems


def catch_all_problems(bank: Bank) -> list[str]:
    """R3: no joke or catch-all option."""
    problems = []
    for q in _mc_items(bank):
        for i, option in enumerate(q.get("options", [])):
            text = _normalised(option.get("text", ""))
            for phrase in CATCH_ALL_PHRASES:
                if phrase in text:
                    problems.append(f"{_where(bank, q)}: R3 option {i + 1} is a catch-all ({phrase!r})")
    return problems


def about_course_problems(bank: Bank) -> list[str]:
    """R5: at most 2 items about the course itself (4 in 00_start_here)."""
    limit = MAX_ABOUT_COURSE_START if bank.get("notebook") == START_BANK else MAX_ABOUT_COURSE
    about = [q.get("id", "?") for q in bank.get("questions", []) if q.get("about_course")]
    if len(about) > limit:
        return [f"{bank.get('notebook', '?')}: R5 {len(about)} items ask about the course itself "
                f"(at most {limit}): {', '.join(about)}"]
    return []


def level_problems(bank: Bank) -> list[str]:
    """R6: in banks 01–11, ≥ 60 % of items are understanding, application or analysis."""
    notebook = str(bank.get("notebook", ""))
    if not re.match(r"^(0[1-9]|1[01])[a-z]?_", notebook):
        return []
    items = bank.get("questions", [])
    higher = sum(q.get("level") in HIGHER_LEVELS for q in items)
    if items and higher < MIN_HIGHER_SHARE * len(items):
        return [f"{notebook}: R6 only {higher} of {len(items)} items ask for understanding, application or analysis "
                f"(at least {MIN_HIGHER_SHARE:.0%} needed)"]
    return []


def accepted_band(item: Mapping[str, Any]) -> tuple[float, float]:
    """The inclusive range of answers a numeric item accepts."""
    return item["answer"] - item["tolerance"], item["answer"] + item["tolerance"]


def numeric_problems(bank: Bank) -> list[str]:
    """R7: 0 < tolerance ≤ 10 % of |answer| (≤ 1 below 10); common errors outside the accepted band."""
    problems = []
    for q in bank.get("questions", []):
        if q.get("type") != "numeric":
            continue
        answer, tolerance = q.get("answer"), q.get("tolerance")
        if not isinstance(answer, (int, float)) or not isinstance(tolerance, (int, float)):
            problems.append(f"{_where(bank, q)}: R7 needs a numeric answer and tolerance")
            continue
        limit = 1.0 if abs(answer) < 10 else 0.1 * abs(answer)
        if not 0 < tolerance <= limit:
            problems.append(f"{_where(bank, q)}: R7 tolerance {tolerance:g} must be > 0 and ≤ {limit:g} for answer {answer:g}")
        low, high = accepted_band(q)
        for error in q.get("common_errors", []):
            if low <= error.get("value", answer) <= high:
                problems.append(f"{_where(bank, q)}: R7 common error {error.get('value')!r} lies inside the accepted band "
                                f"{low:g}–{high:g}")
    return problems


def section_problems(bank: Bank, quizzed_sections: Iterable[str] | None) -> list[str]:
    """R8: each section the notebook quizzes has ≥ 2 items; each bank section is quizzed.

    ``quizzed_sections``: the sections named by the notebook's ``quiz(..., section=...)`` calls
    (None when the notebook is not available: nothing is checked)."""
    if quizzed_sections is None:
        return []
    quizzed = set(quizzed_sections)
    counts: dict[str, int] = {}
    for q in bank.get("questions", []):
        counts[q.get("section", "?")] = counts.get(q.get("section", "?"), 0) + 1
    notebook = bank.get("notebook", "?")
    problems = [f"{notebook}: R8 section {s!r} is quizzed but has {counts.get(s, 0)} item(s) (at least {MIN_ITEMS_PER_SECTION})"
                for s in sorted(quizzed) if counts.get(s, 0) < MIN_ITEMS_PER_SECTION]
    problems += [f"{notebook}: R8 section {s!r} has items but the notebook never quizzes it"
                 for s in sorted(set(counts) - quizzed)]
    return problems


def bank_problems(bank: Bank, quizzed_sections: Iterable[str] | None = None) -> list[str]:
    """Every rule that can be checked on one bank alone (R1–R3, R5–R8)."""
    return (option_count_and_length_problems(bank) + feedback_problems(bank) + catch_all_problems(bank)
            + about_course_problems(bank) + level_problems(bank) + numeric_problems(bank)
            + section_problems(bank, quizzed_sections))


# ---------------------------------------------------------------- rules across banks
def prompt_tokens(prompt: str) -> frozenset[str]:
    """Lower-cased words of a prompt with punctuation stripped."""
    return frozenset(re.sub(r"[^\w\s]", " ", prompt.casefold()).split())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def course_longest_problems(banks: Iterable[Bank]) -> list[str]:
    """R1 course-wide: the correct option is the longest in at most a third of all multiple-choice items."""
    items = [q for bank in banks for q in _mc_items(bank)]
    longest = sum(correct_is_strictly_longest(q) for q in items)
    budget = _longest_budget(len(items))
    if longest > budget:
        return [f"course: R1 the correct option is the longest in {longest} of {len(items)} multiple-choice items "
                f"(at most {budget} allowed)"]
    return []


def concept_problems(banks: Iterable[Bank]) -> list[str]:
    """R4: concepts unique outside 12_review; 12_review revisits earlier concepts; no near-duplicate prompts."""
    banks = sorted(banks, key=lambda b: str(b.get("notebook", "")))
    problems = []
    first_seen: dict[str, str] = {}
    review_items = []
    prompts = []
    for bank in banks:
        for q in bank.get("questions", []):
            if bank.get("notebook") == REVIEW_BANK:
                review_items.append((bank, q))
                continue
            concept = q.get("concept", "")
            if concept in first_seen:
                problems.append(f"{_where(bank, q)}: R4 concept {concept!r} is already tested by {first_seen[concept]}")
            else:
                first_seen[concept] = _where(bank, q)
            prompts.append((_where(bank, q), prompt_tokens(q.get("prompt", ""))))
    for bank, q in review_items:
        if q.get("concept") not in first_seen:
            problems.append(f"{_where(bank, q)}: R4 review concept {q.get('concept')!r} is not a concept of an earlier notebook")
    for (where_a, a), (where_b, b) in itertools.combinations(prompts, 2):
        similarity = jaccard(a, b)
        if similarity >= NEAR_DUPLICATE_JACCARD:
            problems.append(f"{where_a} and {where_b}: R4 prompts are near-identical (word overlap {similarity:.2f})")
    return problems


def course_problems(banks: Iterable[Bank], quizzed: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """Every rule on every bank, plus the course-wide ones (R1 overall, R4).

    ``quizzed`` maps a bank's notebook to the sections its notebook quizzes (see
    :func:`quizzed_sections`); banks without an entry skip R8."""
    banks = list(banks)
    quizzed = quizzed or {}
    problems = []
    for bank in banks:
        problems += bank_problems(bank, quizzed.get(bank.get("notebook")))
    return problems + course_longest_problems(banks) + concept_problems(banks)


# ---------------------------------------------------------------- reading files
def quizzed_sections(code_cells: Iterable[str], notebook: str) -> set[str]:
    """Sections named by ``quiz("<notebook>", section="…")`` calls in a notebook's code cells."""
    sections = set()
    for source in code_cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "quiz":
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                keywords = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                section = keywords.get("section", args[1] if len(args) > 1 else None)
                if args and args[0] == notebook and section:
                    sections.add(section)
    return sections


def load_banks(questions_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(questions_dir).glob("*.json"))]


def notebook_quizzes(notebooks_dir: Path) -> dict[str, set[str]]:
    """For each notebook on disk, the sections its quiz calls name."""
    result = {}
    for path in sorted(Path(notebooks_dir).glob("[0-9][0-9]*_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells if c["cell_type"] == "code"]
        result[path.stem] = quizzed_sections(code, path.stem)
    return result


def main() -> int:
    root = Path(__file__).resolve().parent
    problems = course_problems(load_banks(root / "questions"), notebook_quizzes(root.parent / "notebooks"))
    print("\n".join(problems) if problems else "Every bank follows the item-writing rules.")
    print(f"{len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
