"""Single-study values carried through as bands (issue 13 §3): occupancy bands, the infusion
concentration band and the derived numbers the notebooks teach from them."""

from __future__ import annotations

import numpy as np
import pytest

import course_data
from widgets.models import ketamine_ssri, ssris, targets
from widgets.models.occupancy import fraction_occupied, free_concentration, ng_per_ml_to_micromolar, occupancy_band
from widgets.validation import CourseInputError


def _fact(fact_id):
    return course_data.fact(fact_id)


# ---------------------------------------------------------------- the closed form
def test_band_ends_are_the_closed_form_at_the_band_ends():
    # free = total × fu; occupancy = free/(free + Ki). With Ki = 1 µM:
    low, high = occupancy_band(1.0, 3.0, 1.0, 0.5, 1.0)
    assert float(low) == pytest.approx(0.5 / 1.5)      # 1 µM × 0.5 = 0.5 µM free
    assert float(high) == pytest.approx(3.0 / 4.0)     # 3 µM × 1.0 = 3 µM free


def test_band_collapses_to_the_point_value_and_brackets_interior_points():
    ki = np.array([0.119, 0.3, 3.1, 162.0])
    point = fraction_occupied(free_concentration(0.78, 0.55), ki)
    low, high = occupancy_band(0.78, 0.78, ki, 0.55, 0.55)
    assert low == pytest.approx(point) and high == pytest.approx(point)
    low, high = occupancy_band(100 / 237.7, 250 / 237.7, ki, 0.53, 0.57)
    inside = fraction_occupied(free_concentration(185 / 237.7, 0.55), ki)
    assert np.all(low < inside) and np.all(inside < high)


@pytest.mark.parametrize("args", [(2.0, 1.0, 1.0, 0.5, 0.6), (1.0, 2.0, 1.0, 0.6, 0.5), (1.0, 2.0, 1.0, 0.0, 0.5), (-1.0, 2.0, 1.0, 0.5, 0.6)])
def test_band_rejects_reversed_or_impossible_inputs(args):
    with pytest.raises(CourseInputError):
        occupancy_band(*args)


# ---------------------------------------------------------------- the data the bands come from
def test_antidepressant_infusion_context_spans_the_studies():
    low, high, sources = targets.context_band("antidepressant infusion")
    assert (low, high) == (100.0, 250.0)          # Krystal 1994 range around the Zarate 2006 mean of 185
    table = course_data.load("clinical_concentrations").set_index("id")
    assert table.loc["antidepressant-zarate", "low_ng_per_ml"] == 185
    assert sources == ["zanos2018"]


def test_free_fraction_band_is_the_whole_plasma_values():
    assert targets.whole_plasma_free_fraction_band() == (0.53, 0.57)


def test_model_band_fact_matches_the_pk_engine():
    from widgets.models import pk

    rows = pk.measured_vs_predicted(70)
    adult = rows[(rows["measurement"] == "t1-zarate") & rows["model"].isin(["domino", "clements", "hijazi", "kamp"])]
    fact = _fact("infusion-end-conc-models")
    assert round(adult["predicted"].min()) == fact["value_low"] == 125
    assert round(adult["predicted"].max()) == fact["value_high"] == 240
    # every adult model lies inside the measured healthy-volunteer range
    krystal = _fact("infusion-end-conc-krystal")
    assert adult["predicted"].between(krystal["value_low"], krystal["value_high"]).all()


def test_converted_concentrations_are_marked_derived():
    table = course_data.load("clinical_concentrations")
    status = course_data.load("sources").set_index("id")["evidence_status"]
    converted = table[table["kind"].str.startswith("converted")]
    assert set(converted["id"]) == {"emergence-idvall", "anaesthesia-idvall"}
    assert (status[converted["source_id"]] == "DERIVED").all()


# ---------------------------------------------------------------- the taught numbers
def test_nmda_band_matches_the_taught_facts():
    band = targets.engagement_band(100, 250, 0.53, 0.57, target_names=["NMDA"])
    low_col, high_col = band.columns[-2], band.columns[-1]
    ebert = band[(band["ligand"] == "S-ketamine")].iloc[0]
    fact = _fact("nmda-occupancy-band-ebert")
    assert (ebert[low_col], ebert[high_col]) == (fact["value_low"], fact["value_high"]) == (42.6, 66.6)
    median = _fact("nmda-occupancy-band-median")
    assert band[low_col].median() == median["value_low"] and band[high_col].median() == median["value_high"]
    # the single value used before (185 ng/mL, fu 0.53) sits inside the band
    point = 100 * float(np.median(fraction_occupied(free_concentration(ng_per_ml_to_micromolar(185.0), 0.53),
                                                    band["value (µM)"].to_numpy())))
    assert median["value_low"] < point < median["value_high"]


def test_band_table_shows_citations_not_ids():
    band = targets.engagement_band(100, 250, 0.53, 0.57, target_names=["NMDA"])
    assert "source_id" not in band.columns
    assert "Ebert 1997" in set(band["source"])


def test_sert_band_matches_the_taught_fact():
    low, high = ketamine_ssri.predicted_occupancy_band_percent(100, 250, 162.0, 0.53, 0.57)
    fact = _fact("sert-occupancy-band")
    assert (round(low, 2), round(high, 2)) == (fact["value_low"], fact["value_high"]) == (0.14, 0.37)
    assert low < float(ketamine_ssri.predicted_occupancy_percent(185, 162.0, 0.53)) < high
    with pytest.raises(CourseInputError):
        ketamine_ssri.predicted_occupancy_band_percent(250, 100, 162.0, 0.53, 0.57)


def test_norfluoxetine_chain_numbers_match_the_model():
    # longest reported half-lives across the sources: fluoxetine 144 h, norfluoxetine 384 h
    parent = ssris.half_life_range("fluoxetine").high_h / 24
    metabolite = ssris.half_life_range("norfluoxetine").high_h / 24
    assert (parent, metabolite) == (6.0, 16.0)
    assert round(ssris.days_to_steady_state_fraction(parent, metabolite)) == _fact("norfluoxetine-90pct-longest")["value"] == 64
    assert round(ssris.days_to_washout(parent, metabolite)) == _fact("norfluoxetine-washout-longest")["value"] == 91
    # the one-step rule on the metabolite alone is shorter: the parent's own build-up and washout add to it
    assert ssris.days_to_fraction_of_steady_state(metabolite) == pytest.approx(53.2, abs=0.1)
    tcrm = _fact("norfluoxetine-half-life-tcrm")
    assert (tcrm["value_low"], tcrm["value_high"]) == (96 / 24, 384 / 24)


def test_ranges_with_negative_ends_read_as_ranges():
    from widgets.evidence import fact_html, format_value

    assert format_value(-4.0, -7.31, -0.64, "points") == "−4 points (−7.31 to −0.64)"
    assert format_value(-3.2, -6.88, 0.45, "points") == "−3.2 points (−6.88 to 0.45)"
    assert format_value(79, 69, 90, "L/h") == "79 L/h (69–90)"          # positive ranges unchanged
    assert format_value(None, 100, 250, "ng/mL") == "100–250 ng/mL"
    assert "−3.2 points (−6.88 to 0.45)" in fact_html("transform1-84-madrs")
