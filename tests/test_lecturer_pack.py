"""The lecturer pack (docs/LECTURER_PACK.md and the assignments, issue 14 §8): linked from the
README, its session plan consistent with the notebooks' own minutes and section timings, every
notebook covered, and rubrics whose points add up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACK = DOCS / "LECTURER_PACK.md"
ASSIGNMENTS = [DOCS / "ASSIGNMENT_1_INTERACTION_MONOGRAPH.md", DOCS / "ASSIGNMENT_2_CLAIM_APPRAISAL.md"]
SESSION_MINUTES = 120


def notebook(number: str) -> tuple[str, dict]:
    """(slug, notebook JSON) for a notebook number such as '04' or '05a'."""
    paths = [p for p in (ROOT / "notebooks").glob(f"{number}_*.ipynb")]
    assert len(paths) == 1, f"no single notebook numbered {number}"
    return paths[0].stem, json.loads(paths[0].read_text(encoding="utf-8"))


def section_key(markdown: str) -> str | None:
    """'4' for a cell headed '## 4. …', 'case' for '## N. Case: …', None for any other cell."""
    heading = re.search(r"^## (\d+)\. (.+)$", markdown, re.M)
    if not heading:
        return None
    return "case" if heading.group(2).startswith("Case:") else heading.group(1)


def section_minutes(nb: dict) -> dict[str, int]:
    """'4' → minutes from the section's 'About N minutes' instructor note; the case section also as 'case'."""
    minutes, current = {}, None
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            key = section_key(text)
            if key:
                current = key
            elif re.search(r"^## ", text, re.M):
                current = None
            found = re.search(r"About (\d+) min", text)
            if found and current and current not in minutes:
                minutes[current] = int(found.group(1))
    return minutes


def expand(sections: str) -> list[str]:
    """'1–3, 5, case' → ['1', '2', '3', '5', 'case']."""
    out = []
    for part in (p.strip() for p in sections.split(",")):
        if re.fullmatch(r"\d+[–-]\d+", part):
            low, high = map(int, re.split(r"[–-]", part))
            out += [str(i) for i in range(low, high + 1)]
        else:
            out.append(part)
    return out


def sessions() -> list[dict]:
    text = PACK.read_text(encoding="utf-8")
    blocks = re.split(r"^### Session (\d+): ", text, flags=re.M)[1:]
    result = []
    for number, body in zip(blocks[::2], blocks[1::2]):
        body = body.split("\n### ")[0]
        stated = int(re.search(r"\*\*In class: (\d+) minutes\.\*\*", body).group(1))
        rows = re.findall(r"^\| (.+?) \| (.+?) \| (\d+) \|$", body, re.M)
        rows = [r for r in rows if r[0] not in ("notebook", "---")]
        pre = re.search(r"Pre-reading: (.+?)(?:\n\n|$)", body, re.S).group(1)
        result.append({"number": int(number), "stated": stated, "rows": rows, "pre": pre})
    return result


def test_the_pack_is_linked_from_the_readme_and_its_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/LECTURER_PACK.md" in readme and "Teaching with this course" in readme
    for doc in [PACK, *ASSIGNMENTS, ROOT / "instructor" / "README.md"]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if not target.startswith("http"):
                assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"


def test_six_sessions_of_two_hours_whose_minutes_add_up():
    plan = sessions()
    assert [s["number"] for s in plan] == [1, 2, 3, 4, 5, 6]
    for s in plan:
        total = sum(int(minutes) for _, _, minutes in s["rows"])
        assert total == s["stated"] <= SESSION_MINUTES, f"session {s['number']}: rows add to {total}, stated {s['stated']}"


def test_session_rows_use_the_notebooks_own_minutes():
    for s in sessions():
        for name, sections, minutes in s["rows"]:
            if name.startswith("Assignment"):
                continue
            number = name.split()[0]
            slug, nb = notebook(number)
            if sections == "all":
                expected = nb["metadata"]["course"]["minutes"]
            else:
                timings = section_minutes(nb)
                missing = [x for x in expand(sections) if x not in timings]
                assert not missing, f"session {s['number']}: {slug} sections {missing} have no 'About N minutes'"
                expected = sum(timings[x] for x in expand(sections))
            assert int(minutes) == expected, f"session {s['number']}: {slug} {sections} takes {expected} min, plan says {minutes}"


def test_every_notebook_is_scheduled_in_class_or_as_pre_reading():
    scheduled = set()
    for s in sessions():
        scheduled |= {name.split()[0] for name, _, _ in s["rows"] if not name.startswith("Assignment")}
        scheduled |= set(re.findall(r"\b(\d\d[a-z]?) [A-Z]", s["pre"]))
    text = PACK.read_text(encoding="utf-8")
    scheduled |= set(re.findall(r"work through (\d\d) ", text))
    numbers = {p.stem.split("_")[0] for p in (ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb")}
    assert numbers <= scheduled, f"not in the plan: {sorted(numbers - scheduled)}"


def test_every_case_is_run_in_class():
    in_class = {name.split()[0] for s in sessions() for name, sections, _ in s["rows"] if "case" in sections or sections == "all"}
    for number in ("04", "06", "08", "09"):
        assert number in in_class, f"the case of notebook {number} is not scheduled"


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.stem)
def test_rubric_points_add_up_to_the_stated_total(path):
    text = path.read_text(encoding="utf-8")
    total = int(re.search(r"\*\*Total: (\d+) points\.\*\*", text).group(1))
    weight = int(re.search(r"\*\*Weight:\*\* (\d+) points", text).group(1))
    rows = re.findall(r"^\| [^|]+ \| (\d+) \| [^|]+ \| [^|]+ \| [^|]+ \|$", text, re.M)
    assert rows and sum(map(int, rows)) == total == weight
    assert re.search(r"dosing advice", text), "the rubric must say that dosing advice scores nothing"
