"""The source texts' claims, graded: filters, per-seed summaries and a learner's tally.

Pure functions over the shared ``claims`` table (``course_data.load("claims")``):
one row per substantive claim of the five seed texts, paraphrased, with the
course's verdict and the ids of the sources behind it. Nothing here draws; the
claim checker explorer (``widgets/explorers/claim_checker.py``) does that.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

import course_data
from widgets.models.course_plan import notebook_number
from widgets.validation import CourseInputError, check_choice

#: The four verdicts, from best to worst supported (the order of the verdict buttons).
VERDICTS: tuple[str, ...] = ("supported", "partly supported", "unsupported", "contradicted")

#: Short, neutral names for the five source texts (learner-facing; the file names are opaque).
SEED_LABELS = {
    "000_f822bfdd07818480.txt": "Forum post: ketamine + benzodiazepines",
    "001_9cad3d2a99f79de5.txt": "Forum post: ketamine + SSRIs",
    "002_3a8b0e8f11631f0c.txt": "Web page: side effects",
    "003_903277661336a548.txt": "Clinic page: ketamine for addiction",
    "004_453cddbf4f9d5479.txt": "Article on uses (with an advert)",
}

ALL = "all"


def seed_files() -> list[str]:
    """The five seed files, in order (the enum of the claims schema)."""
    field_spec = course_data.default_package().fields("claims")["seed_file"]
    return list(field_spec["constraints"]["enum"])


def topics() -> list[str]:
    """The allowed claim topics (the enum of the claims schema), in schema order."""
    return list(course_data.default_package().fields("claims")["topic"]["constraints"]["enum"])


def _verdict_field() -> dict:
    return course_data.default_package().fields("claims")["verdict"]


@lru_cache(maxsize=1)
def verdict_rubric() -> dict[str, str]:
    """The grading rubric, verdict → definition, in VERDICTS order.

    Its single source is the description of the claims schema's ``verdict`` field, one
    ``- verdict: definition`` line per verdict; notebook 11, the claim checker and
    CONTRIBUTING.md show this text. Raises CourseDataError if the description does not
    define exactly the schema's four verdicts.
    """
    lines = _verdict_field()["description"].splitlines()
    rubric = dict(line[2:].split(": ", 1) for line in lines if line.startswith("- "))
    enum = _verdict_field()["constraints"]["enum"]
    if sorted(rubric) != sorted(enum) or tuple(enum) != VERDICTS:
        raise course_data.CourseDataError(
            f"claims schema: the verdict description must define exactly {list(VERDICTS)}, got {sorted(rubric)}")
    return {verdict: rubric[verdict] for verdict in VERDICTS}


def rubric_guidance() -> str:
    """The sentence before the four definitions: how to read a claim before grading it."""
    first = _verdict_field()["description"].splitlines()[0]
    return first.removeprefix("The course's verdict under this rubric. ")


def seed_label(seed_file: str) -> str:
    """'Clinic page: ketamine for addiction' for a seed file name."""
    return SEED_LABELS.get(seed_file, seed_file)


def notebook_label(slug: str) -> str:
    """'notebook 06, Ketamine + benzodiazepines' for a notebook slug (title from the course plan)."""
    plan = course_data.load("course_plan").set_index("slug")["title"]
    title = plan.get(slug)
    return f"notebook {notebook_number(slug)}, {title}" if isinstance(title, str) else f"notebook {notebook_number(slug)}"


def load_claims() -> pd.DataFrame:
    """The validated claims table, sorted by seed file and id, with an ``evidence`` list column."""
    claims = course_data.load("claims").sort_values(["seed_file", "id"]).reset_index(drop=True)
    claims["evidence"] = [
        [s.strip() for s in str(cell).split(";") if s.strip()] for cell in claims["evidence_source_ids"]
    ]
    return claims


def filter_claims(claims: pd.DataFrame, seed_file: str = ALL, topic: str = ALL) -> pd.DataFrame:
    """Claims of one seed file and/or one topic (``"all"`` keeps everything).

    Raises CourseInputError for a seed file or topic the schema does not know.
    """
    check_choice("seed_file", seed_file, [ALL, *seed_files()])
    check_choice("topic", topic, [ALL, *topics()])
    keep = pd.Series(True, index=claims.index)
    if seed_file != ALL:
        keep &= claims["seed_file"] == seed_file
    if topic != ALL:
        keep &= claims["topic"] == topic
    return claims[keep]


def verdict_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Number of claims per seed file (rows, all five seeds) and verdict (columns, in VERDICTS order)."""
    tally = Counter(zip(claims["seed_file"], claims["verdict"]))
    seeds = seed_files()
    return pd.DataFrame([[tally[(s, v)] for v in VERDICTS] for s in seeds], index=pd.Index(seeds, name="seed_file"),
                        columns=list(VERDICTS), dtype=int)


def share_well_supported(counts: pd.DataFrame) -> pd.Series:
    """Per seed, the fraction (0–1) of its graded claims that are 'supported'; NaN when it has none."""
    totals = counts.sum(axis=1)
    return (counts["supported"] / totals.where(totals > 0)).astype(float)


def check_verdict(learner_verdict: str, course_verdict: str) -> bool:
    """Whether the learner's verdict is the course's (both must be one of VERDICTS)."""
    check_choice("your verdict", learner_verdict, VERDICTS)
    check_choice("course verdict", course_verdict, VERDICTS)
    return learner_verdict == course_verdict


def verdict_distance(learner_verdict: str, course_verdict: str) -> int:
    """Steps apart on the supported → contradicted scale (0 = same verdict, 3 = opposite ends)."""
    check_verdict(learner_verdict, course_verdict)
    return abs(VERDICTS.index(learner_verdict) - VERDICTS.index(course_verdict))


@dataclass
class Tally:
    """A learner's running agreement with the course, one entry per claim revealed.

    A claim revealed twice counts once (its latest answer).
    """

    answers: dict[str, tuple[str, str]] = field(default_factory=dict)

    def record(self, claim_id: str, learner_verdict: str, course_verdict: str) -> bool:
        agree = check_verdict(learner_verdict, course_verdict)
        self.answers[claim_id] = (learner_verdict, course_verdict)
        return agree

    @property
    def revealed(self) -> int:
        return len(self.answers)

    @property
    def agreed(self) -> int:
        return sum(mine == course for mine, course in self.answers.values())

    @property
    def near_misses(self) -> int:
        """Answers one step away from the course's verdict."""
        return sum(verdict_distance(mine, course) == 1 for mine, course in self.answers.values())

    def summary(self) -> str:
        if not self.revealed:
            return "No claims graded yet."
        pct = 100 * self.agreed / self.revealed
        return (f"You agreed with the course on {self.agreed} of {self.revealed} claims ({pct:.0f}%); "
                f"{self.near_misses} more were one step away.")


def claim_by_id(claims: pd.DataFrame, claim_id: str) -> dict:
    """One claim as a dict (raises CourseInputError if the id is not in ``claims``)."""
    hits = claims[claims["id"] == claim_id]
    if hits.empty:
        raise CourseInputError(f"claim must be one of the listed claim ids, got {claim_id!r}")
    return {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in hits.iloc[0].to_dict().items()}
