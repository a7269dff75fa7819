"""Item-writing rules (course_data/item_rules.py): proven on small synthetic banks, then
applied to every bank of the course."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from course_data import item_rules as rules

ROOT = Path(__file__).resolve().parents[1]
BANKS = {b["notebook"]: b for b in rules.load_banks(ROOT / "course_data" / "questions")}
QUIZZED = rules.notebook_quizzes(ROOT / "notebooks")


def _mc(qid, concept, prompt, answer=1, level="understanding", section="a", texts=None, **extra):
    texts = texts or ["Short one", "Medium option", "A distractor that is the longest of all four here", "Tiny"]
    options = [{"text": t, "feedback": f"Why option {i + 1} of {qid} is not right: it misreads the {concept} idea."}
               for i, t in enumerate(texts)]
    del options[answer]["feedback"]
    return dict(id=qid, section=section, type="multiple_choice", level=level, concept=concept, prompt=prompt,
                options=options, answer=answer, explanation=f"The right answer for {concept}, with its reasoning.", **extra)


def _numeric(qid, concept, prompt, answer=50.0, tolerance=2.0, level="application", section="b", **extra):
    return dict(id=qid, section=section, type="numeric", level=level, concept=concept, prompt=prompt, answer=answer,
                tolerance=tolerance, unit="mg", explanation="Dose times bioavailability gives the amount.", **extra)


def good_bank(notebook="04_demo"):
    return {"notebook": notebook, "questions": [
        _mc("q04-one", "clearance-meaning", "What does clearance measure in a patient given an infusion?"),
        _mc("q04-two", "volume-meaning", "Why does a large volume of distribution lower the peak after a bolus?", answer=0),
        _mc("q04-three", "half-life-phase", "Which phase sets the terminal half-life reported by a long study?", answer=3),
        _numeric("q04-four", "oral-amount", "Of 250 mg taken orally at 20 % bioavailability, how many mg arrive?",
                 common_errors=[{"value": 250, "tolerance": 1, "feedback": "That is the whole dose, before the first pass."}]),
        _numeric("q04-five", "infusion-amount", "An infusion of 2 mg/min runs for 25 min: how many mg in total?", level="recall"),
    ]}


GOOD_QUIZZED = {"a", "b"}


def test_a_bank_that_follows_every_rule_has_no_problems():
    bank = good_bank()
    assert rules.bank_problems(bank, GOOD_QUIZZED) == []
    assert rules.course_problems([bank], {"04_demo": GOOD_QUIZZED}) == []


def test_r1_option_count_and_longest_correct_option():
    bank = good_bank()
    bank["questions"][0]["options"] = bank["questions"][0]["options"][:2]
    assert any("R1 has 2 options" in p for p in rules.bank_problems(bank))
    bank = good_bank()
    long_right = ["No", "A correct option that is by far the longest text in this item", "Maybe", "Perhaps"]
    for q in bank["questions"][:2]:  # 2 of 3 multiple-choice items: more than ⌊3/3⌋ = 1
        q["answer"] = 1
        q["options"] = [{"text": t, "feedback": f"Feedback {i} on {q['id']}: explains the misreading."}
                        for i, t in enumerate(long_right)]
    problems = rules.option_count_and_length_problems(bank)
    assert problems and "longest in 2 of 3" in problems[0] and "at most 1" in problems[0]
    assert len(rules.course_longest_problems([bank])) == 1
    tie = {"options": [{"text": "abc"}, {"text": "xyz"}, {"text": "a"}], "answer": 0}
    assert not rules.correct_is_strictly_longest(tie), "a tie is not 'strictly longest'"


def test_r2_every_distractor_has_its_own_feedback():
    bank = good_bank()
    options = bank["questions"][0]["options"]
    del options[0]["feedback"]
    options[2]["feedback"] = "Too short."
    options[3]["feedback"] = bank["questions"][0]["explanation"]
    problems = rules.feedback_problems(bank)
    assert any("option 1" in p and "no feedback" in p for p in problems)
    assert any("option 3" in p and "shorter than 20" in p for p in problems)
    assert any("option 4" in p and "repeats the explanation" in p for p in problems)
    bank = good_bank()
    options = bank["questions"][0]["options"]
    options[2]["feedback"] = options[0]["feedback"].upper()
    assert sum("same as another option" in p for p in rules.feedback_problems(bank)) == 2


@pytest.mark.parametrize("text", ["All of the above", "none of the above", "Both of these", "I don’t know", "Not sure yet"])
def test_r3_no_catch_all_options(text):
    bank = good_bank()
    bank["questions"][1]["options"][2]["text"] = text
    assert any("R3" in p for p in rules.catch_all_problems(bank))


def test_r4_concepts_unique_review_revisits_and_no_near_duplicates():
    first, second = good_bank("04_demo"), good_bank("05_demo")
    for q in second["questions"]:
        q["concept"] += "-b"
        q["prompt"] = f"A different question on {q['concept']}?"
    assert rules.concept_problems([first, second]) == []
    second["questions"][0]["concept"] = "clearance-meaning"
    assert any("already tested by 04_demo q04-one" in p for p in rules.concept_problems([first, second]))
    second["questions"][0]["concept"] = "new-concept"
    second["questions"][0]["prompt"] = "What does clearance measure, in a patient given an infusion?!"
    assert any("near-identical" in p for p in rules.concept_problems([first, second]))
    review = {"notebook": "12_review", "questions": [dict(good_bank()["questions"][0], id="q12-x")]}
    assert rules.concept_problems([first, review]) == [], "the review may revisit an earlier concept and prompt"
    review["questions"][0]["concept"] = "never-taught"
    assert any("not a concept of an earlier notebook" in p for p in rules.concept_problems([first, review]))
    assert rules.jaccard(rules.prompt_tokens("A, b c."), rules.prompt_tokens("a b C")) == 1.0


def test_r5_few_items_about_the_course():
    bank = good_bank()
    for q in bank["questions"][:3]:
        q["about_course"] = True
    assert any("R5 3 items" in p for p in rules.about_course_problems(bank))
    bank["notebook"] = "00_start_here"
    assert rules.about_course_problems(bank) == [], "00 may have up to 4"


def test_r6_most_items_above_recall_in_topic_notebooks():
    bank = good_bank()
    for q in bank["questions"][:3]:
        q["level"] = "recall"
    assert any("R6 only 1 of 5" in p for p in rules.level_problems(bank))
    bank["notebook"] = "00_start_here"
    assert rules.level_problems(bank) == [], "R6 applies to 01–11 only"
    bank["notebook"] = "11_reading_sources"
    assert rules.level_problems(bank)


def test_r7_numeric_tolerance_and_common_errors():
    bank = good_bank()
    numeric = bank["questions"][3]
    numeric["tolerance"] = 0
    assert any("tolerance 0 must be > 0" in p for p in rules.numeric_problems(bank))
    numeric["tolerance"] = 6  # > 10 % of 50
    assert any("≤ 5" in p for p in rules.numeric_problems(bank))
    numeric["tolerance"] = 5  # exactly 10 %: allowed
    assert rules.numeric_problems(bank) == []
    small = bank["questions"][4]
    small.update(answer=5, tolerance=1)  # below 10 the limit is 1
    assert rules.numeric_problems(bank) == []
    small["tolerance"] = 1.5
    assert any("≤ 1" in p for p in rules.numeric_problems(bank))
    small["tolerance"] = 1
    numeric["common_errors"] = [{"value": 45, "tolerance": 1, "feedback": "Inside the band by mistake."}]
    assert any("common error 45 lies inside" in p for p in rules.numeric_problems(bank))


def test_r8_quizzed_sections_have_items_and_every_section_is_quizzed():
    bank = good_bank()
    assert any("section 'b' has items but the notebook never quizzes it" in p for p in rules.section_problems(bank, {"a"}))
    assert any("section 'c' is quizzed but has 0" in p for p in rules.section_problems(bank, {"a", "b", "c"}))
    bank["questions"] = bank["questions"][:4]  # section b keeps one item
    assert any("section 'b' is quizzed but has 1" in p for p in rules.section_problems(bank, GOOD_QUIZZED))
    cells = ['quiz("04_demo", section="a")', 'x = 1\nquiz("04_demo", "b")', 'quiz("05_other", section="z")', "not python ("]
    assert rules.quizzed_sections(cells, "04_demo") == {"a", "b"}


def test_problems_name_the_bank_and_item():
    bank = good_bank()
    broken = copy.deepcopy(bank)
    del broken["questions"][0]["options"][0]["feedback"]
    assert rules.bank_problems(broken)[0].startswith("04_demo q04-one: R2")


# ---------------------------------------------------------------- the course's banks
@pytest.mark.parametrize("notebook", sorted(BANKS))
def test_bank_follows_the_item_writing_rules(notebook):
    problems = rules.bank_problems(BANKS[notebook], QUIZZED.get(notebook))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_course_wide_item_writing_rules():
    problems = rules.course_longest_problems(BANKS.values()) + rules.concept_problems(BANKS.values())
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_notebook_with_quizzes_has_a_bank():
    assert {nb for nb, sections in QUIZZED.items() if sections} <= set(BANKS)
