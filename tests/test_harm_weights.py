"""Nutt 2010 MCDA: reproduce Figure 2, re-weighting behaviour, ranks, explorer."""

from __future__ import annotations

import numpy as np
import pytest

import course_data
from widgets.explorers.harm_weights import HarmWeightExplorer, ketamine_rank, top_drug
from widgets.models.harm_weights import (
    criterion_weights, harm_data, harm_ranks, harm_table, implied_users_share_pct, reproduction_error, weighted_scores,
)
from widgets.validation import CourseInputError

# Figure 2 is published to one decimal, so a faithful reproduction is within half a unit of the last digit.
FIGURE2_TOLERANCE = 0.05


def test_data_shape_matches_the_paper():
    data = harm_data()
    assert data.scores.shape == (20, 16)
    assert (data.clusters == "users").sum() == 9 and (data.clusters == "others").sum() == 7
    assert data.weights.max() == 100  # swing weights: the most important criterion gets 100
    assert data.weights.sum() == 784


def test_figure2_reproduced_within_rounding():
    error = reproduction_error().abs()
    assert (error <= FIGURE2_TOLERANCE).all().all(), error.max()


@pytest.mark.parametrize("drug, users, others, overall", [
    ("alcohol", 25.8, 46.0, 71.9), ("heroin", 33.6, 21.6, 55.2), ("crack-cocaine", 36.6, 17.5, 54.1), ("ketamine", 13.3, 1.8, 15.1),
])
def test_published_numbers_for_key_drugs(drug, users, others, overall):
    row = harm_table().loc[drug]
    assert row["to_users"] == pytest.approx(users, abs=FIGURE2_TOLERANCE)
    assert row["to_others"] == pytest.approx(others, abs=FIGURE2_TOLERANCE)
    assert row["overall"] == pytest.approx(overall, abs=FIGURE2_TOLERANCE)


def test_ketamine_hand_computation():
    # users: (40·5 + 50·15 + 32·30 + 32·20 + 45·30 + 45·80 + 45·30 + 35·20 + 35·25) / 784 = 10425/784
    row = harm_table().loc["ketamine"]
    assert row["to_users"] == pytest.approx(10425 / 784)
    assert row["to_others"] == pytest.approx(1405 / 784)
    assert ketamine_rank() == 11


def test_implied_cluster_weights_round_to_46_and_54():
    data = harm_data()
    share = implied_users_share_pct(data.weights, data.clusters)
    assert share == pytest.approx(100 * 359 / 784)
    assert round(share) == 46 and round(100 - share) == 54


def test_hierarchical_model_at_the_implied_share_equals_the_flat_model():
    data = harm_data()
    share = implied_users_share_pct(data.weights, data.clusters)
    flat = weighted_scores(data.scores, data.weights, data.clusters)
    hier = weighted_scores(data.scores, data.weights, data.clusters, users_share_pct=share)
    np.testing.assert_allclose(flat.to_numpy(), hier.to_numpy(), atol=1e-9)


def test_rounded_46_54_cluster_weights_stay_within_0_2_of_figure2():
    table = harm_table(users_share_pct=46.0)
    assert (table["overall"] - table["published_overall"]).abs().max() < 0.2


@pytest.mark.parametrize("criterion", list(harm_data().criterion_ids))
def test_one_criterion_only_gives_that_criterions_ranking(criterion):
    data = harm_data()
    column = data.scores[:, data.criterion_ids.index(criterion)]
    table = harm_table(criterion)
    np.testing.assert_allclose(table["overall"].to_numpy(), column)
    np.testing.assert_array_equal(table["rank"].to_numpy(), harm_ranks(column))


@pytest.mark.parametrize("preset, share", [("published", None), ("equal", 50.0), ("users-only", None), ("others-only", 10.0), ("injury", 90.0)])
def test_ranks_are_a_permutation(preset, share):
    ranks = harm_table(preset, share)["rank"].to_numpy()
    assert sorted(ranks) == list(range(1, 21))


def test_ties_still_give_a_permutation():
    assert list(harm_ranks(np.array([5.0, 7.0, 5.0, 1.0]))) == [2, 1, 3, 4]


def test_weight_on_users_only_reorders_the_top():
    assert top_drug("published") == "Alcohol"
    assert top_drug("users-only") == "Crack cocaine"
    assert top_drug("others-only") == "Alcohol"
    assert harm_table(users_share_pct=100.0)["rank"].equals(harm_table("users-only")["rank"])


def test_multiplying_a_weight_by_one_changes_nothing():
    base = harm_table()
    same = harm_table(emphasise="dependence", factor=1.0)
    np.testing.assert_allclose(base["overall"], same["overall"])


def test_bad_inputs_give_clear_messages():
    data = harm_data()
    with pytest.raises(CourseInputError, match="must not all be zero"):
        weighted_scores(data.scores, np.zeros(16), data.clusters)
    with pytest.raises(CourseInputError, match="users_share_pct"):
        weighted_scores(data.scores, data.weights, data.clusters, users_share_pct=120)
    with pytest.raises(CourseInputError, match="preset"):
        criterion_weights("nonsense")
    with pytest.raises(CourseInputError, match="factor"):
        criterion_weights("published", "dependence", -1)


def test_source_row_carries_the_provenance():
    source = course_data.source("nutt2010")
    assert "c80e715ef0eea308ec4d4ddaeeae834e26c7413c" in source["other_id"]
    assert "franasal/MCDA-drug-harms" in source["other_id"]
    assert source["evidence_status"] == "VERIFIED-2°"


def test_explorer_readout_numbers():
    explorer = HarmWeightExplorer()
    assert explorer.readout_text.startswith("Ketamine ranks 11th of 20 (score 15.1; same place as published)")
    assert "Alcohol 71.9, Heroin 55.2, Crack cocaine 54.1" in explorer.readout_text
    explorer.set(preset="dependence")
    assert "Crack cocaine 100.0, Tobacco 95.0, Heroin 80.0" in explorer.readout_text
    assert "score 30.0, tied with 3 other drugs" in explorer.readout_text
    labels = list(explorer.figure.data[0].y)
    assert sum(label.startswith("◀ KETAMINE") for label in labels) == 1


def test_explorer_shows_a_message_when_all_weights_are_zero():
    explorer = HarmWeightExplorer(preset="injury", emphasise="injury")
    explorer.set(factor=0.0)
    assert "must not all be zero" in explorer.message_text
    assert explorer.readout_text.startswith("No result")
