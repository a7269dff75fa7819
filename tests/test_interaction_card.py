"""Interaction summary cards: the certainty rule on synthetic findings, and the cards of both pairs."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import course_data
import learner_text as lt
from widgets.explorers.interaction_card import card_html, interaction_card
from widgets.models import interaction_card as model
from widgets.models.interaction_card import Finding, certainty_of_evidence, participants
from widgets.style import STATUS_COLOURS

ROOT = Path(__file__).resolve().parents[1]


def _finding(design="RCT", population="500 adults", direction="reduced", n=0):
    return Finding(f"f{n}", "endpoint", "a finding", direction, design, population, "hong1993")


# ---------------------------------------------------------------- the rule on synthetic rows
def test_a_large_consistent_direct_randomised_body_is_high():
    result = certainty_of_evidence([_finding(), _finding(population="300 adults", n=1)])
    assert result.level == "high" and result.start == "high"
    assert result.steps == ("starts high (randomised trials)", "no step down")


@pytest.mark.parametrize(("design", "start"), [
    ("RCT", "high"), ("isobologram", "moderate"), ("volunteer study", "moderate"), ("PK study", "moderate"),
    ("PET study", "moderate"), ("meta-analysis", "low"), ("observational", "low"), ("registry", "low"),
    ("in vitro", "low"), ("uncontrolled series", "very low"), ("case report", "very low"),
])
def test_each_design_starts_where_the_rule_says(design, start):
    assert certainty_of_evidence([_finding(design=design, population="900 patients")]).start == start


def test_the_strongest_design_sets_the_start():
    assert certainty_of_evidence([_finding(design="observational"), _finding(design="RCT", n=1)]).start == "high"


def test_too_few_participants_steps_down_once():
    result = certainty_of_evidence([_finding(population="150 adults"), _finding(population="149 adults", n=1)])
    assert result.level == "moderate"
    assert "down one: fewer than 400 participants (299 in all)" in result.steps


def test_no_stated_size_counts_as_too_few():
    result = certainty_of_evidence([_finding(population="surgical patients")])
    assert result.level == "moderate" and any("no study states its size" in s for s in result.steps)


def test_findings_that_disagree_step_down_once():
    result = certainty_of_evidence([_finding(direction="reduced"), _finding(direction="not reduced", n=1)])
    assert result.level == "moderate"
    assert "down one: the findings point different ways (reduced, not reduced)" in result.steps
    # "reduced" and "partly reduced" point the same way
    assert certainty_of_evidence([_finding(direction="reduced"), _finding(direction="partly reduced", n=1)]).level == "high"


@pytest.mark.parametrize("population,design", [("500 healthy volunteers", "RCT"), ("600 mice", "RCT"), ("500 adults", "PET study")])
def test_only_volunteers_animals_or_mechanisms_step_down_once(population, design):
    result = certainty_of_evidence([_finding(population=population, design=design)])
    assert _level_below(result.start, 1) == result.level
    assert any("only volunteers, animals or a mechanism" in s for s in result.steps)


def test_indirectness_needs_every_study_to_be_indirect():
    mixed = [_finding(population="500 healthy volunteers"), _finding(population="500 patients", n=1)]
    assert certainty_of_evidence(mixed).level == "high"


def test_every_step_down_adds_up_and_stops_at_very_low():
    worst = [_finding(population="20 healthy volunteers", direction="increased"),
             _finding(population="20 healthy volunteers", direction="none observed", n=1)]
    result = certainty_of_evidence(worst)
    assert result.level == "very low" and len([s for s in result.steps if s.startswith("down one")]) == 3
    floor = certainty_of_evidence([_finding(design="case report", population="1 patient", direction="increased"),
                                   _finding(design="in vitro", population="enzymes in vitro", direction="reduced", n=1)])
    assert floor.level == "very low"  # started low, three steps down: never below the bottom


def test_labels_and_reviews_neither_set_nor_lower_the_rating():
    body = [_finding(), _finding(design="label", population="esketamine-treated patients", direction="increased", n=1),
            _finding(design="review", population="published reports", direction="worsened", n=2)]
    result = certainty_of_evidence(body)
    assert result.level == "high" and result.rated_ids == ("f0",)
    only_statements = certainty_of_evidence([_finding(design="label"), _finding(design="review", n=1)])
    assert only_statements.level == "very low" and "no study" in only_statements.explanation


def test_the_rule_never_rates_up():
    giant = certainty_of_evidence([_finding(design="observational", population="100000 patients")])
    assert giant.level == "low"


def test_an_unknown_design_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="no starting level"):
        certainty_of_evidence([_finding(design="anecdote")])


def test_participants_are_read_from_the_start_of_the_population():
    assert participants("170 female surgical patients") == 170
    assert participants("8,282 paediatric sedations") == 8282
    assert participants("adults aged 65 and over") is None
    assert participants("") is None


def _level_below(level: str, steps: int) -> str:
    return model.LEVELS[max(model.LEVELS.index(level) - steps, 0)]


# ---------------------------------------------------------------- the cards of both pairs
PAIRS = list(model.PAIRS)


def test_every_endpoint_has_guidance_and_every_guidance_row_an_endpoint():
    assert model.endpoints_missing_guidance() == []


def test_every_guidance_statement_has_its_source():
    guidance = course_data.load("interaction_guidance")
    for text, source in (("outside_clinic", "outside_source_id"), ("monitor", "monitor_source_id")):
        assert (guidance[text].isna() == guidance[source].isna()).all(), f"{text} and {source} must be filled together"


@pytest.mark.parametrize("pair", PAIRS)
def test_the_card_shows_every_endpoint_and_every_finding(pair):
    table = course_data.load("combination_endpoints")
    rows = table[table["pair"] == pair]
    card = model.card(pair)
    assert [e.endpoint for e in card.endpoints] == list(dict.fromkeys(rows["endpoint"]))
    assert sum(len(e.findings) for e in card.endpoints) == len(rows)
    page = card_html(pair)
    for endpoint in rows["endpoint"].unique():
        assert f">{endpoint.capitalize()}</th>" in page
    for direction in rows["direction"].unique():
        assert f"<b>{direction}</b>:" in page


@pytest.mark.parametrize("pair", PAIRS)
def test_the_published_labels_sit_side_by_side(pair):
    ratings = course_data.load("ratings")
    published = ratings[(ratings["pair"] == pair) & (ratings["rater_kind"] != "primary evidence")]
    page = card_html(pair)
    strip = page.split("class='card-labels'", 1)[1].split("Endpoint by endpoint", 1)[0]
    assert "display:flex;flex-wrap:wrap" in strip
    positions = [strip.index(f">{html.escape(label)}<") for label in published["label"]]
    assert positions == sorted(positions), "labels in the ratings table's order, in one strip"
    assert len(re.findall(r"role='listitem'", strip)) == len(published)


def test_certainty_of_each_endpoint():
    """What the stated rule gives on the course's endpoint data (worked through in the rule's docstring)."""
    assert model.certainty_by_endpoint("ketamine+benzodiazepines") == {
        "hypnosis": "low",                         # isobologram (moderate), 170 participants
        "anaesthesia": "low",                      # the same study
        "emergence reactions": "low",              # RCTs (high), 367 participants, reduced vs not reduced
        "psychotomimetic effects": "very low",     # volunteer studies, 34 participants, volunteers only
        "sedation and cognition": "very low",      # one volunteer study of 23 (the label does not count)
        "airway and respiratory events": "moderate",  # an RCT and 8282 sedations, but increased vs none observed
        "antidepressant response": "very low",     # observational, 146 participants
        "ketamine half-life": "very low",          # PK studies without stated size, lengthened vs shortened
        "co-use in poisonings and deaths": "very low",  # registries without stated size
    }
    assert model.certainty_by_endpoint("ketamine+SSRIs") == {
        "serotonin toxicity": "very low",          # PET (moderate), 11 participants, none observed vs one possible case
        "blood pressure": "very low",              # one observational study of 49
        "antidepressant response": "high",         # five RCTs, 792 participants, all improved
        "ketamine exposure": "very low",           # in vitro only
    }


@pytest.mark.parametrize("pair", PAIRS)
def test_provenance_and_certainty_are_labelled_apart(pair):
    page = card_html(pair)
    assert "Certainty of evidence</th>" in page and "[provenance]" in page
    # each tag is a button "[STATUS]" whose panel says what that provenance means
    tags = re.findall(r"<span class='card-provenance'><button [^>]*>.*?\[([^\]]+)\]</button><span [^>]*popover[^>]*>(.*?)<button", page)
    assert tags and all(f"Provenance: <span style='color:{STATUS_COLOURS[status]}'>{status}</span>" in panel for status, panel in tags)
    assert "It is not the same as certainty" in page
    levels = re.findall(r"<b>(High|Moderate|Low|Very low)</b>", page)
    assert len(levels) == len(model.card(pair).endpoints)
    assert model.RULE_SUMMARY.split(": ", 1)[1] in page.replace("&#x27;", "'")
    assert "<details class='card-rule'>" in page


@pytest.mark.parametrize("pair", PAIRS)
def test_the_card_is_plain_html_with_no_ids_or_machinery(pair):
    page = card_html(pair)
    assert "<script" not in page and "plotly" not in page.lower()
    assert not lt.find_ids(pair, page), lt.find_ids(pair, page)[:5]
    without_ids = lambda text: re.sub(r"course-popover-\w+-\d+", "", text)  # popover ids are unique per call
    assert without_ids(interaction_card(pair).data) == without_ids(page)


def test_data_text_on_the_card_is_escaped(monkeypatch):
    real_load = course_data.load

    def load(name):
        frame = real_load(name)
        if name == "interaction_guidance":
            frame["monitor"] = frame["monitor"] + " <i>x</i>"
        return frame

    monkeypatch.setattr(model.course_data, "load", load)
    page = card_html("ketamine+SSRIs")
    assert "&lt;i&gt;x&lt;/i&gt;" in page and "<i>x</i>" not in page


def test_the_card_is_shown_in_notebooks_06_and_08():
    for stem, pair in (("06_ketamine_benzodiazepines", "ketamine+benzodiazepines"), ("08_ketamine_ssris", "ketamine+SSRIs")):
        notebook = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
        assert any(f'interaction_card("{pair}")' in s for s in sources), stem


def test_an_unknown_pair_is_refused_with_a_sentence():
    from widgets.validation import CourseInputError

    with pytest.raises(CourseInputError, match="pair must be one of"):
        model.card("ketamine+alcohol")
