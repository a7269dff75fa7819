"""One set of timings everywhere: each notebook's estimated time is the sum of its sections'
'About N minutes' notes (rounded up to 5), and the course plan, the README table, the
instructor guide and the lecturer pack's pre-reading all say the same."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from test_lecturer_pack import PACK, expand, notebook, section_key, section_minutes, sessions

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
GUIDE = ROOT / "docs" / "INSTRUCTOR_GUIDE.md"


def numbered_sections(nb: dict) -> list[str]:
    """Section keys ('1', '2', …, 'case') in notebook order."""
    keys = (section_key("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown")
    return [k for k in keys if k]


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def lesson(request) -> tuple[str, dict]:
    return request.param.stem, json.loads(request.param.read_text(encoding="utf-8"))


def test_estimated_time_is_the_sum_of_the_sections(lesson):
    slug, nb = lesson
    sections, minutes = numbered_sections(nb), section_minutes(nb)
    if not sections:  # 00 has no numbered sections
        return
    missing = [s for s in sections if s not in minutes]
    assert not missing, f"{slug}: sections {missing} have no 'About N minutes' note"
    total = sum(minutes.values())
    assert nb["metadata"]["course"]["minutes"] == -(-total // 5) * 5, f"{slug}: sections add to {total} min"


def test_course_plan_and_readme_agree_with_the_notebooks():
    plan = {row["slug"]: int(row["minutes"]) for row in csv.DictReader(open(ROOT / "course_data" / "tables" / "course_plan.csv", encoding="utf-8"))}
    readme = dict(re.findall(r"^\| (\d\d[a-z]?) \|.*\| (\d+) min \|$", (ROOT / "README.md").read_text(encoding="utf-8"), re.M))
    for path in NOTEBOOKS:
        minutes = json.loads(path.read_text(encoding="utf-8"))["metadata"]["course"]["minutes"]
        assert plan[path.stem] == minutes, f"course_plan.csv: {path.stem}"
        assert int(readme[path.stem.split("_")[0]]) == minutes, f"README table: {path.stem}"


def test_instructor_guide_timings_match_the_notebooks():
    text = GUIDE.read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        number = path.stem.split("_")[0]
        nb = json.loads(path.read_text(encoding="utf-8"))
        block = re.search(rf"^## {number} .*?\((\d+) min\)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
        assert block, f"instructor guide: no section for {number}"
        assert int(block.group(1)) == nb["metadata"]["course"]["minutes"], f"instructor guide heading: {number}"
        minutes = section_minutes(nb)
        if minutes:
            timing = re.search(r"\*\*Timing:\*\*(.*?)(?=\n- \*\*|\n\n|\Z)", block.group(2), re.S).group(1)
            stated = [int(m) for m in re.findall(r"\((\d+)\)", timing)]
            assert stated == list(minutes.values()), f"instructor guide timing for {number}: {stated} vs {minutes}"


def test_pre_reading_minutes_match_the_notebooks():
    for s in sessions():
        for number, scope, minutes in re.findall(r"\b(\d\d[a-z]?) [A-Z][^(]*\((all|sections? [^,]+), (\d+) min\)", s["pre"]):
            slug, nb = notebook(number)
            if scope == "all":
                expected = nb["metadata"]["course"]["minutes"]
            else:
                timings = section_minutes(nb)
                expected = sum(timings[x] for x in expand(scope.split(" ", 1)[1]))
            assert int(minutes) == expected, f"session {s['number']} pre-reading {slug} {scope}: {expected} min, pack says {minutes}"
    after = re.search(r"work through (\d\d) .*?\(all, (\d+) min\)", PACK.read_text(encoding="utf-8"))
    assert int(after.group(2)) == notebook(after.group(1))[1]["metadata"]["course"]["minutes"]
