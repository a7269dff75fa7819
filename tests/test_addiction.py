"""Notebooks 09–10: epidemiology series, chronic harms, deaths, trials, their explorers and claims."""

from __future__ import annotations

import pytest

import course_data
from widgets.explorers.epidemiology import EpidemiologyExplorer, dopamine_pet_figure
from widgets.explorers.treatment_trials import TreatmentTrialsExplorer
from widgets.models.epidemiology import (
    abuse_liability, chronic_harms, deaths, family_ids, flagged_figures, fold_change, series_family,
)
from widgets.models.treatment import forest_rows, risk_difference_wald, trial_summary, unreported
from widgets.validation import CourseInputError


# ------------------------------------------------------------------ data rules
def test_each_family_has_one_unit_and_a_denominator_in_its_axis_title():
    families = course_data.load("epidemiology_families").set_index("id")
    data = course_data.load("epidemiology")
    for fid in family_ids():
        assert data.loc[data["family"] == fid, "unit"].nunique() == 1, fid
        title = families.loc[fid, "y_title"]
        assert "%" in title or "count" in title or "per million" in title, title


def test_figures_from_partial_sources_are_flagged():
    status = course_data.load("sources").set_index("id")["evidence_status"]
    data = course_data.load("epidemiology")
    for row in data.itertuples():
        if status[row.source_id] == "PARTIAL":
            assert isinstance(row.status_flag, str) and "PARTIAL" in row.status_flag, row.id


def test_nsduh_peak_is_flagged_as_a_conflict_not_hidden():
    flagged = flagged_figures()
    peak = flagged[flagged["value"] == 0.9]
    assert len(peak) == 1 and "CONFLICT" in peak["status_flag"].iloc[0]
    fam = series_family("nsduh", include_flagged=True)
    assert any(any(s.flagged) for s in fam.series)
    fam = series_family("nsduh", include_flagged=False)
    assert not any(any(s.flagged) for s in fam.series)


def test_published_epidemiology_numbers():
    fam = series_family("csew-prevalence", include_flagged=False)
    young = next(s for s in fam.series if s.name == "CSEW ages 16–24")
    assert dict(zip(young.periods, young.values)) == {"2018/19": 1.3, "2022/23": 3.8, "2023/24": 2.9}
    nsduh = next(s for s in series_family("nsduh").series if "12+" in s.name)
    assert fold_change(nsduh.values[0], nsduh.values[-1]) == pytest.approx(0.34 / 0.19)
    dep = {s.name: s.values[0] for s in series_family("dependence").series}
    assert dep["Global Drug Survey 2018"] == 8.55 and dep["Online survey of ketamine users (Winstock 2012)"] == 17


def test_unknown_family_is_rejected_with_a_message():
    with pytest.raises(CourseInputError, match="family must be one of"):
        series_family("nope")


def test_chronic_harm_numbers():
    bladder = chronic_harms("bladder").set_index("finding")
    assert bladder.loc["Had urinary symptoms", "value"] == 26.6
    liver = chronic_harms("liver and bile ducts")
    assert set(liver["value"]) == {9.8, 61.9, 69.0}
    assert (chronic_harms()["n"] >= 1).all()


def test_deaths_mark_the_campaign_figure_as_unofficial():
    table = deaths().set_index("period")
    assert not table.loc["2023", "official"] and table.loc["2023", "value"] == 53
    assert table.loc["1999–2024", "value"] == 696 and table.loc["1999–2024", "official"]


def test_pet_studies_disagree():
    pet = abuse_liability("human dopamine PET")
    assert (pet["value"] == 0).sum() == 2 and (pet["value"] < -10).sum() == 4
    fig = dopamine_pet_figure()
    assert fig.layout.title.text and "%" in fig.layout.xaxis.title.text


# ------------------------------------------------------------------ trials
def test_wald_difference_reproduces_the_derived_krupitsky_interval():
    rd, low, high = risk_difference_wald(13, 26, 6, 27)
    assert (round(rd, 1), round(low, 1), round(high, 1)) == (27.8, 3.0, 52.6)
    row = course_data.load("treatment_trials").set_index("id").loc["krupitsky2007-abstinence"]
    assert (row.estimate, row.ci_low, row.ci_high) == (27.8, 3.0, 52.6)


def test_wald_rejects_impossible_counts():
    with pytest.raises(CourseInputError, match="events_1"):
        risk_difference_wald(30, 26, 6, 27)


def test_cocaine_difference_is_the_arm_difference():
    row = course_data.load("treatment_trials").set_index("id").loc["cocaine2019-abstinence"]
    assert row.estimate == pytest.approx(row.ketamine_arm - row.comparator_arm)


def test_forest_rows_and_published_intervals():
    ratios = {r.trial: r for r in forest_rows("ratio")}
    assert ratios["KARE 2022"].excludes_null(1.0) is False          # OR 0.80 (0.31–2.10): no difference in relapse
    assert ratios["Cocaine trial 2019 (Am J Psychiatry)"].excludes_null(1.0) is True  # HR 0.47 (0.24–0.92)
    diffs = forest_rows("difference", "alcohol")
    assert sorted((r.estimate, r.ci_low, r.ci_high) for r in diffs) == [(10.1, 1.1, 19.0), (15.9, 3.8, 28.1)]
    assert forest_rows("ratio", "heroin") == []
    assert len(unreported()) == 2 and set(trial_summary()["substance"]) == {"heroin", "cocaine", "alcohol"}


# ------------------------------------------------------------------ explorers
def test_epidemiology_explorer_labels_denominators_and_flags():
    explorer = EpidemiologyExplorer()
    assert explorer.figure.layout.yaxis.title.text == "Past-year use<br>(% of people in the age group)"
    assert "1.3% (2018/19) → 2.9% (2023/24)" in explorer.readout_text
    explorer.set(family="nsduh")
    assert "0.19% (2021) → 0.34% (2023)" in explorer.readout_text and "0.9%" in explorer.readout_text
    assert explorer.figure.data[-1].visible
    explorer.set(show_flagged=False)
    assert "Flagged figures hidden" in explorer.readout_text and not explorer.figure.data[-1].visible
    explorer.set(family="csew-count")
    assert "299,000" in explorer.readout_text and "count" in explorer.figure.layout.yaxis.title.text


def test_every_family_draws_without_a_message():
    explorer = EpidemiologyExplorer()
    for fid in family_ids():
        for flagged in (True, False):
            explorer.set(family=fid, show_flagged=flagged)
            assert not explorer.message_text, (fid, explorer.message_text)


def test_treatment_explorer_switches_axis_and_null_line():
    explorer = TreatmentTrialsExplorer()
    assert explorer.figure.layout.xaxis.type == "linear" and explorer.figure.layout.shapes[0].x0 == 0
    assert "3 of 3 interval(s) exclude 0" in explorer.readout_text
    explorer.set(measure="ratio")
    assert explorer.figure.layout.xaxis.type == "log" and explorer.figure.layout.shapes[0].x0 == 1
    assert "interval includes 1 for KARE 2022" in explorer.readout_text
    explorer.set(substance="heroin")
    assert explorer.readout_text.startswith("No heroin trial reports a relapse ratio") and not explorer.message_text


# ------------------------------------------------------------------ claims
def test_claims_for_seeds_002_003_cover_addiction_harms_and_treatment():
    claims = course_data.load("claims")
    mine = claims[claims["id"].str.match(r"^C-(addiction|harms|treatment)-") & claims["notebook"].isin(["09_addiction_risk", "10_addiction_treatment"])]
    assert len(mine) >= 30
    assert {"002_3a8b0e8f11631f0c.txt", "003_903277661336a548.txt", "004_453cddbf4f9d5479.txt"} <= set(mine["seed_file"])
    assert {"addiction", "harms", "treatment", "history"} <= set(mine["topic"])
    status = course_data.load("sources").set_index("id")["evidence_status"]
    for row in mine.itertuples():
        ids = row.evidence_source_ids.split(";")
        assert any(status[i] != "UNVERIFIED" for i in ids), row.id


def test_graded_claims_views():
    from widgets.models.treatment import graded_claims, verdict_counts

    treatment = graded_claims("003", "treatment")
    assert len(treatment) >= 6 and set(treatment["seed"]) == {"003 addiction-clinic page"}
    infusion = graded_claims("002", "addiction")
    row = infusion[infusion["claim"].str.contains("infusion")]
    assert list(row["verdict"]) == ["unsupported"]
    counts = verdict_counts()
    assert set(counts.index) == {"002 side-effects page", "003 addiction-clinic page", "004 uses article"}
    with pytest.raises(CourseInputError, match="seed must be one of"):
        graded_claims("009")
