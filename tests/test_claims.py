"""The graded claims of the five source texts, their model and the claim checker (notebook 11)."""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd
import pytest

import course_data
from widgets.explorers.claim_checker import ClaimCheckerExplorer
from widgets.models import claims as model
from widgets.validation import CourseInputError

SALES_SEED = "004_453cddbf4f9d5479.txt"


@pytest.fixture(scope="module")
def claims():
    return model.load_claims()


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("—", "-").replace("–", "-")
    return re.sub(r"\s+", " ", text).strip().casefold()


# ----------------------------------------------------------------------------- data
def test_schema_lists_exactly_the_seed_files(shared_dir):
    on_disk = sorted(p.name for p in (shared_dir / "seeds").glob("*.txt"))
    assert model.seed_files() == on_disk


def test_every_seed_text_has_graded_claims(claims):
    counts = claims.groupby("seed_file").size()
    for seed in model.seed_files():
        assert counts.get(seed, 0) >= 3, f"{seed}: only {counts.get(seed, 0)} graded claims"


def test_every_claims_evidence_resolves_and_backs_positive_verdicts(claims):
    status = course_data.load("sources").set_index("id")["evidence_status"]
    for row in claims.itertuples():
        assert row.evidence, f"{row.id}: no evidence source ids"
        for source_id in row.evidence:
            assert source_id in status.index, f"{row.id}: unknown source {source_id}"
        if row.verdict in ("supported", "partly supported"):
            usable = [s for s in row.evidence if status[s] != "UNVERIFIED"]
            assert usable, f"{row.id}: a {row.verdict!r} verdict rests only on UNVERIFIED sources"


def test_quotes_are_short_and_appear_in_their_seed_text(claims, shared_dir):
    texts = {p.name: _normalise(p.read_text(encoding="utf-8")) for p in (shared_dir / "seeds").glob("*.txt")}
    for row in claims.itertuples():
        if pd.isna(row.quote) or not str(row.quote).strip():
            continue
        assert len(row.quote) <= 120
        for fragment in re.split(r"\s*(?:…|\.\.\.)\s*", _normalise(str(row.quote))):
            assert fragment.strip(" \"'") in texts[row.seed_file], f"{row.id}: quote not found in {row.seed_file}: {fragment!r}"


def test_the_sales_pitch_is_named_as_a_red_flag_but_never_repeated(claims):
    pitch = claims[(claims["seed_file"] == SALES_SEED) & (claims["topic"] == "source-quality")]
    assert not pitch.empty and set(pitch["verdict"]) == {"contradicted"}
    for row in claims.itertuples():
        quote = "" if pd.isna(row.quote) else _normalise(str(row.quote))
        assert not ("buy" in quote and "prescription" in quote), f"{row.id} repeats the sales pitch"


# ----------------------------------------------------------------------------- model
def test_filters_and_counts(claims):
    seed = model.seed_files()[1]
    only_seed = model.filter_claims(claims, seed_file=seed)
    assert len(only_seed) and set(only_seed["seed_file"]) == {seed}
    counts = model.verdict_counts(claims)
    assert list(counts.index) == model.seed_files() and list(counts.columns) == list(model.VERDICTS)
    assert counts.values.sum() == len(claims)
    assert counts.loc[seed].sum() == len(only_seed)
    for verdict in model.VERDICTS:
        assert counts[verdict].sum() == (claims["verdict"] == verdict).sum()
    topic = claims["topic"].iloc[0]
    by_topic = model.filter_claims(claims, topic=topic)
    assert set(by_topic["topic"]) == {topic} and len(by_topic) == (claims["topic"] == topic).sum()
    share = model.share_well_supported(counts)
    assert share.between(0, 1).all()


def test_bad_filter_values_name_the_parameter(claims):
    with pytest.raises(CourseInputError, match="seed_file"):
        model.filter_claims(claims, seed_file="005_missing.txt")
    with pytest.raises(CourseInputError, match="topic"):
        model.filter_claims(claims, topic="astrology")
    with pytest.raises(CourseInputError, match="your verdict"):
        model.check_verdict("maybe", "supported")


def test_verdict_distance_and_tally():
    assert model.verdict_distance("supported", "contradicted") == 3
    assert model.verdict_distance("partly supported", "unsupported") == 1
    tally = model.Tally()
    assert tally.summary() == "No claims graded yet."
    assert tally.record("C-a", "supported", "supported") is True
    assert tally.record("C-b", "supported", "partly supported") is False
    assert tally.record("C-c", "contradicted", "supported") is False
    assert (tally.revealed, tally.agreed, tally.near_misses) == (3, 1, 1)
    tally.record("C-c", "supported", "supported")  # re-grading a claim replaces the earlier answer
    assert (tally.revealed, tally.agreed) == (3, 2)
    assert "2 of 3" in tally.summary() and "67%" in tally.summary()


def test_verdict_counts_of_an_empty_selection_are_zero(claims):
    empty = claims.iloc[0:0]
    assert model.verdict_counts(empty).values.sum() == 0


# ----------------------------------------------------------------------------- explorer
def _bar_totals(explorer):
    return [sum(values) for values in zip(*(trace.x for trace in explorer.figure.data))]


def test_reveal_needs_a_verdict_first_then_shows_verdict_explanation_and_badges(claims):
    explorer = ClaimCheckerExplorer()
    claim = explorer.current_claim
    assert claim is not None and claim["id"] == explorer.claim_picker.value
    assert explorer.reveal_button.disabled, "Reveal must be disabled before a verdict is picked"
    assert explorer.result_html.value == ""
    explorer.reveal()  # a programmatic reveal without a verdict is refused with a message
    assert "Pick your verdict first" in explorer.message_text and explorer.tally.revealed == 0
    wrong = next(v for v in model.VERDICTS if v != claim["verdict"])
    explorer.verdict_picker.value = wrong
    assert not explorer.reveal_button.disabled
    explorer.reveal_button.click()
    shown = explorer.result_html.value
    assert f">{claim['verdict']}</b>" in shown
    assert html.escape(claim["explanation"]) in shown
    assert shown.count("evidence-badge") == len(claim["evidence"])
    assert "Course verdict: " + claim["verdict"] in explorer.result_text
    assert explorer.tally.revealed == 1 and explorer.tally.agreed == 0
    assert "0 of 1" in explorer.tally_html.value and "0 of 1" in explorer.readout_text
    assert explorer.reveal_button.disabled and explorer.verdict_picker.disabled


def test_agreeing_updates_the_tally_and_next_claim_resets_the_card():
    explorer = ClaimCheckerExplorer()
    first = explorer.current_claim
    explorer.verdict_picker.value = first["verdict"]
    explorer.reveal_button.click()
    assert "You agree with the course." in explorer.result_text
    assert explorer.tally.agreed == 1 and "1 of 1" in explorer.tally_html.value
    explorer.next_button.click()
    second = explorer.current_claim
    assert second["id"] != first["id"]
    assert explorer.verdict_picker.value is None and not explorer.verdict_picker.disabled
    assert explorer.reveal_button.disabled and explorer.result_html.value == ""
    explorer.verdict_picker.value = second["verdict"]
    explorer.reveal_button.click()
    assert explorer.tally.revealed == 2 and explorer.tally.agreed == 2


def test_filters_change_the_claim_list_and_the_summary_figure(claims):
    explorer = ClaimCheckerExplorer()
    figure = explorer.figure
    assert len(explorer.claim_picker.options) == len(claims)
    assert sum(_bar_totals(explorer)) == len(claims)
    assert _bar_totals(explorer) == [int((claims["seed_file"] == s).sum()) for s in model.seed_files()]

    explorer.set(seed=SALES_SEED)
    ids = [value for _label, value in explorer.claim_picker.options]
    assert ids == list(claims.loc[claims["seed_file"] == SALES_SEED, "id"])
    assert list(explorer.figure.data[0].marker.opacity) == [0.3, 0.3, 0.3, 0.3, 1.0]
    assert f"{len(ids)} claim" in explorer.readout_text

    topic = "mechanism"
    explorer.set(seed=model.ALL, topic=topic)
    expected = claims[claims["topic"] == topic]
    assert sum(_bar_totals(explorer)) == len(expected)
    assert len(explorer.claim_picker.options) == len(expected)
    assert "mechanism" in explorer.figure.layout.title.text
    assert explorer.figure is figure


def test_a_filter_with_no_claims_says_so_without_error():
    explorer = ClaimCheckerExplorer()
    counts = model.verdict_counts(model.filter_claims(explorer.claims, topic="regulation"))
    empty_seed = next((s for s in model.seed_files() if counts.loc[s].sum() == 0), None)
    if empty_seed is None:
        pytest.skip("every source text has a regulation claim")
    explorer.set(topic="regulation", seed=empty_seed)
    assert explorer.readout_text.startswith("No graded claims") and not explorer.message_text
    assert explorer.current_claim is None and explorer.verdict_picker.disabled and explorer.reveal_button.disabled


def test_every_claim_points_to_a_planned_notebook(claims):
    planned = set(course_data.load("course_plan")["slug"])
    unknown = sorted(set(claims["notebook"]) - planned)
    assert not unknown, f"claims point to notebooks not in the course plan: {unknown}"


def test_the_first_drawn_figure_already_shows_the_counts(claims):
    """The browser gets the widget's synced state when it first displays the figure, so that state
    (not only the Python-side traces) must hold the counts (FigureWidget changes made before display are lost)."""
    explorer = ClaimCheckerExplorer(topic="mechanism")
    synced = [trace["x"] for trace in explorer.figure._widget_data]
    counts = model.verdict_counts(model.filter_claims(claims, topic="mechanism"))
    assert [list(map(int, xs)) for xs in synced] == [list(counts[v]) for v in model.VERDICTS]
    assert "mechanism" in explorer.figure._widget_layout["title"]["text"]
