"""The graded claims of the five source texts, their model and the claim checker (notebook 11)."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import course_data
from widgets.explorers.claim_checker import ClaimCheckerExplorer, rubric_html, verdict_rubric_table
from widgets.models import claims as model
from widgets.validation import CourseInputError

SALES_SEED = "004_453cddbf4f9d5479.txt"
REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_11 = REPO / "notebooks" / "11_reading_sources.ipynb"

#: Sentence boundary: end punctuation, space, then a capital, digit, quote, bracket or µ.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'‘“\"(µ])")

#: Phrases that signal a different verdict than the row's own (an explanation must read as its verdict).
OFF_VERDICT_PHRASES = {
    "supported": ["overstat", "unsupported", "not shown", "unchecked", "cannot be checked", "contradict",
                  "no evidence", "speculation"],
    "partly supported": ["neither shown nor refuted", "cannot be checked", "is false"],
    "unsupported": ["contradict", "refut", "shows it false", "cannot exist", "is false", "wrong mechanism", "opposite"],
    "contradicted": ["plausible", "cannot be checked", "neither shown nor refuted", "may well be true", "unchecked",
                     "no evidence either way", "not shown"],
}
#: A 'partly supported' explanation must say where the claim stops holding.
LIMIT_WORDS = re.compile(r"\b(but|only|however|yet|although|though|not|no|instead|hypothesis|unsupported|overstat\w*)\b")
#: Machinery talk that learner-facing text must not contain.
MACHINERY = re.compile(r"evidence base|seed (text|file)|\bseed \d|\.txt\b|\bthe tests?\b|claims table", re.I)


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
        if row.verdict == "contradicted":
            checked = [s for s in row.evidence if status[s] in ("VERIFIED", "VERIFIED-2°")]
            assert checked, f"{row.id}: 'contradicted' needs at least one VERIFIED or VERIFIED-2° source"


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


# ----------------------------------------------------------------------------- the rubric
def test_the_rubric_defines_exactly_the_four_verdicts_in_the_schema():
    rubric = model.verdict_rubric()
    assert tuple(rubric) == model.VERDICTS == tuple(course_data.default_package().fields("claims")["verdict"]["constraints"]["enum"])
    assert rubric["contradicted"].startswith("good evidence shows it false")
    assert "cannot exist as stated" in rubric["contradicted"]
    assert rubric["unsupported"].startswith("no good evidence for it")
    assert "conditions, doses or populations" in rubric["partly supported"]
    assert rubric["supported"].startswith("the evidence backs it as stated")
    assert "hedged" in model.rubric_guidance()
    assert "rubric" in course_data.descriptor("claims")["description"]


def test_a_malformed_rubric_is_refused_with_the_verdicts_named(monkeypatch):
    broken = {"description": "x\n- supported: a\n- contradicted: b", "constraints": {"enum": list(model.VERDICTS)}}
    monkeypatch.setattr(model, "_verdict_field", lambda: broken)
    model.verdict_rubric.cache_clear()
    try:
        with pytest.raises(course_data.CourseDataError, match="partly supported"):
            model.verdict_rubric()
    finally:
        model.verdict_rubric.cache_clear()


def test_every_verdict_is_one_of_the_four(claims):
    assert set(claims["verdict"]) <= set(model.verdict_rubric())
    assert set(claims["verdict"]) == set(model.VERDICTS), "the 101 claims use all four verdicts"


def _contributing_rubric() -> dict[str, str]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Claims", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^- \*\*([a-z ]+)\*\*: (.+)$", section, flags=re.M))


def test_contributing_states_the_same_rubric_as_the_schema():
    assert _contributing_rubric() == model.verdict_rubric()


def test_notebook_11_renders_the_rubric_from_the_schema_and_defines_it_nowhere_else():
    cells = json.loads(NOTEBOOK_11.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert any("verdict_rubric_table()" in src for src in code), "notebook 11 must render the rubric with verdict_rubric_table()"
    shown = verdict_rubric_table().value
    for verdict, meaning in model.verdict_rubric().items():
        assert f"<b>{html.escape(verdict)}</b>: {html.escape(meaning)}" in shown
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for verdict in model.VERDICTS:  # no hand-written second definition (table row or bullet)
        assert not re.search(rf"^\|\s*\*\*{verdict}\*\*\s*\|", markdown, flags=re.M), f"notebook 11 redefines {verdict!r}"
        assert not re.search(rf"^- \*\*{verdict}\*\*:", markdown, flags=re.M), f"notebook 11 redefines {verdict!r}"


def test_notebook_11_prose_cites_names_not_ids_or_machinery():
    cells = json.loads(NOTEBOOK_11.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    source_ids = set(course_data.load("sources")["id"])
    words = set(re.findall(r"[a-z0-9][a-z0-9-]+", markdown))
    assert not (words & source_ids), f"source ids in notebook 11 prose: {sorted(words & source_ids)}"
    assert not re.search(r"\bC-[a-z]", markdown), "claim ids in notebook 11 prose"
    assert not MACHINERY.search(markdown), MACHINERY.search(markdown)
    assert not re.search(r"\((00[0-4])\)|\b00[0-4]\b", markdown), "source texts are named, not numbered"


# ----------------------------------------------------------------------------- explanations
def test_every_explanation_reads_as_its_verdict(claims):
    for row in claims.itertuples():
        text = row.explanation.lower()
        for phrase in OFF_VERDICT_PHRASES[row.verdict]:
            assert phrase not in text, f"{row.id} ({row.verdict}): explanation says {phrase!r}"
        if row.verdict == "partly supported":
            assert LIMIT_WORDS.search(text), f"{row.id}: a 'partly supported' explanation must say where the claim stops holding"


def test_explanations_are_two_or_three_sentences_for_learners(claims):
    source_ids = set(course_data.load("sources")["id"])
    notebooks = {slug.split('_')[0] for slug in course_data.load("course_plan")["slug"]}
    for row in claims.itertuples():
        sentences = SENTENCE_BREAK.split(row.explanation.strip())
        assert 2 <= len(sentences) <= 3, f"{row.id}: {len(sentences)} sentences"
        words = set(re.findall(r"[a-z0-9][a-z0-9-]+", row.explanation))
        assert not (words & source_ids), f"{row.id}: source ids in the explanation: {sorted(words & source_ids)}"
        assert not re.search(r"\bC-[a-z]", row.explanation), f"{row.id}: a claim id in the explanation"
        assert not MACHINERY.search(row.explanation), f"{row.id}: {MACHINERY.search(row.explanation).group(0)!r}"
        for number in re.findall(r"notebook (\d\d)", row.explanation):
            assert number in notebooks, f"{row.id}: points to notebook {number}, which the course plan lacks"
        quote = "" if pd.isna(row.quote) else str(row.quote)
        assert len(quote) <= 120


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


def test_the_claim_checker_shows_the_rubric_beside_the_buttons_and_on_reveal():
    explorer = ClaimCheckerExplorer()
    rubric = model.verdict_rubric()
    shown = explorer.rubric_html.value
    assert shown == rubric_html()
    for verdict, meaning in rubric.items():
        assert html.escape(meaning) in shown
    widgets = explorer.extra_widgets_above()
    assert widgets.index(explorer.rubric_html) == widgets.index(explorer.verdict_picker) + 1
    assert list(explorer.verdict_picker.tooltips) == [rubric[v] for v in model.VERDICTS]
    claim = explorer.current_claim
    explorer.verdict_picker.value = claim["verdict"]
    explorer.reveal()
    assert html.escape(rubric[claim["verdict"]]) in explorer.result_html.value
    assert f"Course verdict: {claim['verdict']} ({rubric[claim['verdict']]})" in explorer.result_text


def test_the_claim_checker_shows_names_not_ids():
    explorer = ClaimCheckerExplorer()
    explorer.set(seed="001_9cad3d2a99f79de5.txt")
    claim = explorer.current_claim
    explorer.verdict_picker.value = claim["verdict"]
    explorer.reveal()
    learner_text = " ".join([explorer.claim_html.value, explorer.result_html.value, explorer.readout_text,
                             *(label for label, _value in explorer.controls["seed"].options)])
    visible = re.sub(r"<[^>]+>", " ", learner_text)  # hover text (badge titles) is checked by the badge tests
    assert claim["id"] not in learner_text and not re.search(r"\bC-[a-z]", visible)
    assert ".txt" not in visible and not re.search(r"\b00[0-4]\b", visible)
    assert "Forum post: ketamine + SSRIs" in explorer.claim_html.value
    assert model.notebook_label(claim["notebook"]) in explorer.result_html.value
    assert model.notebook_label("06_ketamine_benzodiazepines").startswith("notebook 06, ")


def test_notebook_11_answers_match_the_graded_claims(claims):
    """The worked answers in notebook 11 quote counts from the claims table; they must stay true."""
    counts = model.verdict_counts(claims)
    share = counts.div(counts.sum(axis=1), axis=0)
    forum_ssri, side_effects, clinic = "001_9cad3d2a99f79de5.txt", "002_3a8b0e8f11631f0c.txt", "003_903277661336a548.txt"
    assert share["contradicted"].idxmax() == forum_ssri and counts.loc[forum_ssri, "contradicted"] == 3
    assert counts.loc[forum_ssri].sum() == 14
    assert counts["unsupported"].idxmax() == side_effects and counts.loc[side_effects, "unsupported"] == 6
    assert counts.loc[side_effects].sum() == 27 and counts.loc[side_effects, "partly supported"] == 11
    assert share["supported"].idxmax() == clinic and 0.45 <= share.loc[clinic, "supported"] <= 0.6
    mechanism = claims[claims["topic"] == "mechanism"]
    assert len(mechanism) == 16 and (mechanism["verdict"] == "partly supported").sum() == 9
    assert list(mechanism.loc[mechanism["verdict"] == "contradicted", "id"]) == ["C-mech-001-acetylcholine-reuptake"]
    verdict = claims.set_index("id")["verdict"]
    assert verdict["C-ssri-serotonin-syndrome"] == "contradicted"  # the worked example
    assert verdict["C-benzo-seizure-threshold"] == "partly supported"  # habit 2
    assert verdict["C-addiction-003-dopamine"] == "supported"  # habit 1
    assert verdict["C-benzo-sedation-respiratory"] == "supported"  # the exercise's comparison
    assert verdict["C-clinical-use-004-berman-2000"] == "partly supported"
