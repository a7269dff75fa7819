"""The source texts' claims, graded: filters, per-seed summaries and a learner's tally.

Pure functions over the shared ``claims`` table (``course_data.load("claims")``):
one row per substantive claim of the five seed texts, paraphrased, with the
course's verdict and the ids of the sources behind it. Nothing here draws; the
claim checker explorer (``widgets/explorers/claim_checker.py``) does that.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

import course_data
from widgets.validation import CourseInputError, check_choice

#: The four verdicts, from best to worst supported.
VERDICTS: tuple[str, ...] = ("supported", "partly supported", "unsupported", "contradicted")

#: What each verdict means in this course.
VERDICT_MEANING = {
    "supported": "the evidence base backs the claim as stated",
    "partly supported": "part of the claim holds, or it holds only with a caveat the text leaves out",
    "unsupported": "no evidence in the course's evidence base backs it (it may be untestable, vague or simply unsourced)",
    "contradicted": "the evidence says otherwise",
}

#: Short, neutral names for the five seed texts (the file names are opaque).
SEED_LABELS = {
    "000_f822bfdd07818480.txt": "000 Forum post: ketamine + benzodiazepines",
    "001_9cad3d2a99f79de5.txt": "001 Forum post: ketamine + SSRIs",
    "002_3a8b0e8f11631f0c.txt": "002 Web page: side effects",
    "003_903277661336a548.txt": "003 Clinic page: ketamine for addiction",
    "004_453cddbf4f9d5479.txt": "004 Spam-laden article: uses",
}

ALL = "all"


def seed_files() -> list[str]:
    """The five seed files, in order (the enum of the claims schema)."""
    field_spec = course_data.default_package().fields("claims")["seed_file"]
    return list(field_spec["constraints"]["enum"])


def topics() -> list[str]:
    """The allowed claim topics (the enum of the claims schema), in schema order."""
    return list(course_data.default_package().fields("claims")["topic"]["constraints"]["enum"])


def seed_label(seed_file: str) -> str:
    """'003 Clinic page: ketamine for addiction' for a seed file name."""
    return SEED_LABELS.get(seed_file, seed_file)


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


def seed_summary_sentence(counts: pd.DataFrame) -> str:
    """One line per seed: 'Seed 000: 3 supported, 2 partly supported, …' joined by '; '."""
    parts = []
    for seed_file, row in counts.iterrows():
        total = int(row.sum())
        if total == 0:
            continue
        detail = ", ".join(f"{int(row[v])} {v}" for v in VERDICTS if row[v])
        parts.append(f"{seed_file[:3]}: {total} claims ({detail})")
    return "; ".join(parts) if parts else "no claims graded"
