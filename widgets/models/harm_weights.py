"""Multicriteria decision analysis (MCDA) of drug harms, as in Nutt, King & Phillips 2010.

Twenty drugs were scored 0–100 on 16 harm criteria (source ``nutt2010``); each
criterion has a *swing weight* (the most important criterion = 100). The
weighted score of drug *d* is a weighted mean of its criterion scores:

    overall_d = Σ_i w_i · s_di / Σ_i w_i                     (0–100 scale)

and the part scores "to users" and "to others" are the same sums restricted to
each cluster's criteria (so they add up to the overall score). This reproduces
the published Figure 2 to within its rounding (±0.05). Seen hierarchically,
the implied cluster weights are 359/784 = 45.8 % (users) and 425/784 = 54.2 %
(others), published rounded as 46 and 54 (source ``nutt2010-clusters``).

A learner can change the cluster share: each cluster's criteria are then
normalised within the cluster and the cluster gets the chosen share of the
total weight. If one cluster has no weight at all, the other cluster carries
everything (its share is moot).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

import course_data
from widgets.validation import CourseInputError, check_choice, check_range

CLUSTERS = ("users", "others")
PRESETS = ("published", "equal", "users-only", "others-only")


@dataclass(frozen=True)
class HarmData:
    drug_ids: tuple[str, ...]
    drug_labels: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    criterion_labels: tuple[str, ...]
    clusters: np.ndarray           # cluster name per criterion
    weights: np.ndarray            # published swing weights per criterion (0–100)
    scores: np.ndarray             # drugs × criteria, 0–100
    published: pd.DataFrame        # Figure 2: to_users, to_others, overall (index drug_id)


@functools.cache
def harm_data() -> HarmData:
    """The Nutt 2010 criteria, weights, scores and Figure 2 totals from course_data."""
    criteria = course_data.load("harm_criteria")
    published = course_data.load("harm_published").sort_values("figure_position")
    scores = course_data.load("harm_scores").pivot(index="drug_id", columns="criterion_id", values="score")
    scores = scores.loc[list(published["drug_id"]), list(criteria["id"])].astype(float)
    return HarmData(
        drug_ids=tuple(published["drug_id"]),
        drug_labels=tuple(published["drug"]),
        criterion_ids=tuple(criteria["id"]),
        criterion_labels=tuple(criteria["label"]),
        clusters=criteria["cluster"].to_numpy(dtype=str),
        weights=criteria["weight"].to_numpy(dtype=float),
        scores=scores.to_numpy(),
        published=published.set_index("drug_id")[["drug", "to_users", "to_others", "overall"]],
    )


def implied_users_share_pct(weights: np.ndarray, clusters: np.ndarray) -> float:
    """Share (%) of the total criterion weight that sits in the 'users' cluster."""
    weights = np.asarray(weights, dtype=float)
    return float(100.0 * weights[np.asarray(clusters) == "users"].sum() / weights.sum())


def _check_weights(weights: np.ndarray, n: int) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (n,):
        raise CourseInputError(f"criterion weights must be {n} numbers, one per criterion; got shape {weights.shape}")
    for value in weights:
        check_range("criterion weight", value, 0, 500)
    if weights.sum() <= 0:
        raise CourseInputError("criterion weights must not all be zero: give at least one criterion a weight above 0")
    return weights


def weighted_scores(scores: np.ndarray, weights: np.ndarray, clusters: np.ndarray,
                    users_share_pct: float | None = None) -> pd.DataFrame:
    """Part scores to users and to others and the overall score (0–100) per drug.

    ``users_share_pct`` None keeps the cluster shares implied by the weights
    (Nutt 2010's model); a number (0–100 %) sets the users cluster's share.
    """
    scores = np.asarray(scores, dtype=float)
    clusters = np.asarray(clusters)
    weights = _check_weights(weights, scores.shape[1])
    users = clusters == "users"
    if users_share_pct is None:
        parts = {c: scores[:, clusters == c] @ weights[clusters == c] / weights.sum() for c in CLUSTERS}
    else:
        share = check_range("users_share_pct (weight on harm to users)", users_share_pct, 0, 100, "%") / 100.0
        sums = {"users": weights[users].sum(), "others": weights[~users].sum()}
        shares = {"users": share, "others": 1.0 - share}
        if sums["users"] == 0:
            shares = {"users": 0.0, "others": 1.0}
        elif sums["others"] == 0:
            shares = {"users": 1.0, "others": 0.0}
        if sum(shares[c] for c in CLUSTERS if sums[c] > 0) == 0:
            raise CourseInputError(
                f"users_share_pct {users_share_pct:g}% puts all weight on a cluster whose criteria all have weight 0; "
                "give that cluster's criteria some weight or change the share")
        parts = {c: (scores[:, clusters == c] @ weights[clusters == c] / sums[c] * shares[c]) if sums[c] > 0
                 else np.zeros(len(scores)) for c in CLUSTERS}
    frame = pd.DataFrame({"to_users": parts["users"], "to_others": parts["others"]})
    frame["overall"] = frame["to_users"] + frame["to_others"]
    return frame


def harm_ranks(overall: np.ndarray) -> np.ndarray:
    """Rank 1 = most harmful; ties broken by order in the data, so ranks are a permutation of 1..n."""
    order = np.argsort(-np.asarray(overall, dtype=float), kind="stable")
    ranks = np.empty(len(order), dtype=int)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def criterion_weights(preset: str = "published", emphasise: str = "none", factor: float = 1.0) -> np.ndarray:
    """Weights per criterion for a preset, with one criterion's weight multiplied by ``factor``.

    Presets: 'published' (Nutt 2010 swing weights), 'equal' (all 100),
    'users-only' / 'others-only' (published weights in one cluster, 0 in the
    other), or a criterion id (that criterion 100, all others 0).
    """
    data = harm_data()
    check_choice("preset", preset, PRESETS + data.criterion_ids)
    check_choice("emphasise", emphasise, ("none",) + data.criterion_ids)
    factor = check_range("factor (weight multiplier)", factor, 0, 5)
    if preset == "published":
        weights = data.weights.copy()
    elif preset == "equal":
        weights = np.full(len(data.weights), 100.0)
    elif preset in ("users-only", "others-only"):
        weights = np.where(data.clusters == preset.split("-")[0], data.weights, 0.0)
    else:
        weights = np.where(np.array(data.criterion_ids) == preset, 100.0, 0.0)
    if emphasise != "none":
        weights[data.criterion_ids.index(emphasise)] *= factor
    return weights


def harm_table(preset: str = "published", users_share_pct: float | None = None,
               emphasise: str = "none", factor: float = 1.0) -> pd.DataFrame:
    """One row per drug: part and overall scores (0–100), rank, and the published Figure 2 values."""
    data = harm_data()
    weights = criterion_weights(preset, emphasise, factor)
    frame = weighted_scores(data.scores, weights, data.clusters, users_share_pct)
    frame.insert(0, "drug", data.drug_labels)
    frame.index = pd.Index(data.drug_ids, name="drug_id")
    frame["rank"] = harm_ranks(frame["overall"].to_numpy())
    published = data.published
    frame["published_overall"] = published["overall"]
    frame["published_rank"] = harm_ranks(published["overall"].to_numpy())
    return frame


def reproduction_error() -> pd.DataFrame:
    """Computed minus published Figure 2 values (published are rounded to 0.1)."""
    table = harm_table()
    published = harm_data().published
    return pd.DataFrame({c: table[c] - published[c] for c in ("to_users", "to_others", "overall")})
