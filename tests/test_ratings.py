"""Ratings table and the reusable RatingsExplorer (notebooks 06 and 08), and the graded claims of the benzodiazepine text."""

from __future__ import annotations

import pytest

import course_data
from widgets.explorers.ratings import PAIRS, RatingsExplorer, rows_for


@pytest.fixture(scope="module")
def ratings():
    return course_data.load("ratings").set_index("id")


def test_both_pairs_present_with_short_quotes(ratings):
    assert set(ratings["pair"]) == set(PAIRS)
    assert ratings["quote"].dropna().str.len().max() <= 120
    assert ratings["label"].str.len().max() <= 60  # short labels only


@pytest.mark.parametrize("row_id, label", [
    ("kb-tripsit-chart", "Caution"), ("kb-tripsit-factsheet", "avoid"), ("kb-drugscom", "Major"),
    ("ks-tripsit-chart", "Low Risk & No Synergy"), ("ks-esketamine-label", "approved regimen"),
])
def test_labels_as_in_the_evidence_base(ratings, row_id, label):
    assert ratings.loc[row_id, "label"] == label


def test_which_ratings_cite_evidence(ratings):
    benzo = ratings[(ratings["pair"] == "ketamine+benzodiazepines") & (ratings["rater_kind"] != "primary evidence")]
    assert set(benzo.loc[benzo["cites"] == "primary studies"].index) == {"kb-andrade"}
    assert ratings.loc["kb-drugscom", "cites"] == "labels only"
    assert (ratings.loc[["kb-tripsit-chart", "ks-tripsit-chart", "ks-droracle"], "cites"] == "none").all()
    primary = ratings[ratings["rater_kind"] == "primary evidence"]
    assert set(primary["cites"]) == {"is primary evidence"}
    assert {"hong1993", "green2009", "spies2018", "hu2016"} <= set(primary["source_id"])


def test_explorer_for_each_pair_and_filter():
    explorer = RatingsExplorer()
    assert explorer.readout_text.startswith("Ketamine + benzodiazepines: showing 9 of 9 rows")
    assert "1 of these 7 ratings or labels cite primary studies" in explorer.readout_text
    assert "'Major' (Drugs.com (professional))" in explorer.readout_text and "&lt;table" not in explorer.table.value
    explorer.set(show="primary evidence only")
    assert "showing 2 of 9 rows" in explorer.readout_text
    assert explorer.table.value.count("<tr>") == 1 + 2  # header + two rows
    ssri = RatingsExplorer(pair="ketamine+SSRIs")
    assert ssri.readout_text.startswith("Ketamine + SSRIs: showing 10 of 10 rows")
    assert "Low Risk &amp; No Synergy" in ssri.table.value
    assert set(rows_for("ketamine+SSRIs", "rows that cite evidence")["id"]) == {"ks-andrade", "ks-ucsf", "ks-spies", "ks-hu"}


def test_benzodiazepine_text_claims_are_graded_with_evidence():
    claims = course_data.load("claims").set_index("id")
    ours = claims[claims.index.str.startswith("C-benzo-")]
    expected = {
        "C-benzo-mechanism-affinity": "supported",
        "C-benzo-sedation-respiratory": "supported",
        "C-benzo-antidepressant-loss": "partly supported",
        "C-benzo-anxiety-management": "partly supported",
        "C-benzo-seizure-threshold": "partly supported",
    }
    for claim_id, verdict in expected.items():
        assert ours.loc[claim_id, "verdict"] == verdict
    assert (ours["seed_file"] == "000_f822bfdd07818480.txt").all()
    assert ours["evidence_source_ids"].str.len().min() > 0
    assert "green2009" in ours.loc["C-benzo-sedation-respiratory", "evidence_source_ids"]
