"""The instructors' summative bank (instructor/summative_bank.json, issue 14 §8): valid against
the question-bank schema, written to the item rules, built from sources the course holds, and
kept apart from everything a learner sees (the banks, the notebooks, the installed package)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
import setuptools

import course_data

ROOT = Path(__file__).resolve().parents[1]
BANK_PATH = ROOT / "instructor" / "summative_bank.json"
SCHEMA = json.loads((ROOT / "course_data" / "question_bank.schema.json").read_text(encoding="utf-8"))
LEARNER_BANKS = {name: course_data.questions(name) for name in course_data.question_banks()}
#: Prompts sharing this much of their vocabulary count as copies (stricter than the learner rule of 0.8).
COPY_JACCARD = 0.6
#: A run of this many words from a summative prompt must not appear in any notebook.
SHINGLE_WORDS = 8


@pytest.fixture(scope="module")
def bank() -> dict:
    return json.loads(BANK_PATH.read_text(encoding="utf-8"))


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.casefold()).split()


def jaccard(a: str, b: str) -> float:
    x, y = set(words(a)), set(words(b))
    return len(x & y) / len(x | y)


def test_the_bank_follows_the_learner_schema(bank):
    jsonschema.validate(bank, SCHEMA)
    assert len(bank["questions"]) >= 20
    ids = [q["id"] for q in bank["questions"]]
    assert len(ids) == len(set(ids)) and all(i.startswith("q99-") for i in ids)


def test_the_bank_follows_the_item_rules(bank):
    rules = pytest.importorskip("course_data.item_rules", reason="the item rules land with the quiz engine (wp/quiz)")
    assert rules.bank_problems(bank) == []
    assert rules.course_longest_problems([bank]) == []


def test_items_ask_for_more_than_recall_and_cover_the_course(bank):
    items = bank["questions"]
    higher = [q for q in items if q["level"] in ("understanding", "application", "analysis")]
    assert len(higher) >= 0.8 * len(items), "a summative test should mostly ask for application and analysis"
    plan = set(course_data.load("course_plan")["slug"])
    assessed = {q["section"] for q in items}
    assert assessed <= plan, f"sections must name notebooks of the course: {sorted(assessed - plan)}"
    assert len(assessed) >= 10, "the bank should assess most of the course"


def test_every_item_cites_sources_the_course_holds(bank):
    for q in bank["questions"]:
        assert q.get("source_ids"), f"{q['id']}: no sources"
        for source_id in q["source_ids"]:
            assert course_data.source(source_id)["evidence_status"] != "UNVERIFIED", f"{q['id']}: {source_id} is unverified"
        if q["type"] == "numeric":
            assert 0 < q["tolerance"] <= (1 if abs(q["answer"]) < 10 else 0.1 * abs(q["answer"]))
            for error in q.get("common_errors", []):
                assert abs(error["value"] - q["answer"]) > q["tolerance"], f"{q['id']}: a common error is accepted"


def test_no_summative_item_is_in_a_learner_bank(bank):
    learner = [q for questions in LEARNER_BANKS.values() for q in questions]
    learner_ids = {q["id"] for q in learner}
    learner_concepts = {q["concept"] for q in learner}
    for q in bank["questions"]:
        assert q["id"] not in learner_ids, f"{q['id']} is also a learner item"
        assert q["concept"] not in learner_concepts, f"{q['id']}: concept {q['concept']!r} is tested in a learner bank"
        close = [(p["id"], round(jaccard(q["prompt"], p["prompt"]), 2)) for p in learner if jaccard(q["prompt"], p["prompt"]) >= COPY_JACCARD]
        assert not close, f"{q['id']}: near-identical to learner items {close}"


def test_no_summative_item_is_in_a_learner_notebook(bank):
    texts = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path.stem] = " ".join(words(" ".join("".join(c["source"]) for c in cells)))
    for q in bank["questions"]:
        prompt = words(q["prompt"])
        shingles = {" ".join(prompt[i:i + SHINGLE_WORDS]) for i in range(len(prompt) - SHINGLE_WORDS + 1)}
        for stem, text in texts.items():
            assert q["id"] not in text, f"{q['id']} is named in {stem}"
            found = [s for s in shingles if s in text]
            assert not found, f"{q['id']}: its prompt appears in {stem}: {found[0]!r}"


def test_the_bank_is_not_shipped_in_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = setuptools.find_packages(where=str(ROOT), include=config["packages"]["find"]["include"])
    assert packages and not any(p.split(".")[0] == "instructor" for p in packages)
    assert not (ROOT / "instructor" / "__init__.py").exists(), "instructor/ must not become a package"
    package_files = {p.resolve() for name in packages for pattern in config.get("package-data", {}).get(name.split(".")[0], [])
                     for p in (ROOT / name.replace(".", "/")).glob(pattern)}
    assert BANK_PATH.resolve() not in package_files
    # and the installed course finds no summative bank where it loads question banks
    assert not any("summative" in name for name in course_data.question_banks())
    assert not list(Path(course_data.__file__).parent.rglob("*summative*"))
