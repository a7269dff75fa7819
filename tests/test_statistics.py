"""Effect measures (widgets.models.statistics) against closed-form results, and the statistics
primer's worked examples (widgets.models.effect_measures) against the published numbers."""

from __future__ import annotations

import math
import re

import pytest

import course_data
from widgets.explorers.statistics import odds_ratio_figure
from widgets.models import effect_measures as em
from widgets.models import statistics as st
from widgets.validation import CourseInputError


# ------------------------------------------------------------------ closed forms
def test_wald_risk_difference_by_hand():
    rd = st.risk_difference_from_percentages(69.3, 114, 52.0, 109)
    se = math.sqrt(0.693 * 0.307 / 114 + 0.52 * 0.48 / 109)
    assert rd.value == pytest.approx(17.3)
    assert (rd.low, rd.high) == pytest.approx((100 * (0.173 - 1.959964 * se), 100 * (0.173 + 1.959964 * se)))
    assert (round(rd.low, 1), round(rd.high, 1)) == (4.7, 29.9)
    assert rd.null == 0 and rd.excludes_null()


def test_counts_and_percentages_give_the_same_interval():
    assert st.risk_difference_wald(13, 26, 6, 27) == pytest.approx(
        tuple(getattr(st.risk_difference_from_percentages(50.0, 26, 600 / 27, 27), k) for k in ("value", "low", "high")))
    rd, low, high = st.risk_difference_wald(13, 26, 6, 27)
    assert (round(rd, 1), round(low, 1), round(high, 1)) == (27.8, 3.0, 52.6)


def test_number_needed_rounds_up_and_is_symmetric():
    assert st.number_needed(17.3) == 6
    assert st.number_needed(20.0) == 5          # exact: no rounding up past 5
    assert st.number_needed(-18.6) == 6         # a harm or a fall gives the same count
    assert st.number_needed(1.0) == 100
    with pytest.raises(CourseInputError, match="risk_difference_pp is 0"):
        st.number_needed(0.0)


def test_risk_and_odds_ratio_of_a_textbook_table():
    # 10/100 events against 20/100: RR 0.5, OR (10/90)/(20/80) = 4/9
    assert st.risk_ratio(10, 100, 20, 100).value == pytest.approx(0.5)
    assert st.odds_ratio(10, 100, 20, 100).value == pytest.approx(4 / 9)


def test_log_scale_intervals_by_hand():
    rr = st.risk_ratio(55, 318, 19, 203)
    se_rr = math.sqrt(1 / 55 - 1 / 318 + 1 / 19 - 1 / 203)
    assert rr.value == pytest.approx((55 / 318) / (19 / 203))
    assert (rr.low, rr.high) == pytest.approx((rr.value * math.exp(-1.959964 * se_rr), rr.value * math.exp(1.959964 * se_rr)))
    odds = st.odds_ratio(55, 318, 19, 203)
    se_or = math.sqrt(1 / 55 + 1 / 263 + 1 / 19 + 1 / 184)
    assert odds.value == pytest.approx((55 / 263) / (19 / 184))
    assert math.log(odds.high) - math.log(odds.value) == pytest.approx(1.959964 * se_or)
    assert odds.value > rr.value > 1, "for a positive association the odds ratio lies further from 1"


def test_zero_cells_and_impossible_counts_are_refused():
    with pytest.raises(CourseInputError, match="every cell"):
        st.odds_ratio(0, 10, 3, 10)
    with pytest.raises(CourseInputError, match="at least one event"):
        st.risk_ratio(3, 10, 0, 10)
    with pytest.raises(CourseInputError, match="events_1"):
        st.risk_ratio(12, 10, 3, 10)
    with pytest.raises(CourseInputError, match="percent_2"):
        st.risk_difference_from_percentages(50, 10, 120, 10)


def test_risk_from_odds_ratio_inverts_the_odds_ratio():
    assert st.risk_with_odds_ratio(50, 3) == pytest.approx(75)
    assert st.risk_with_odds_ratio(20, 1) == pytest.approx(20)
    p1 = st.risk_with_odds_ratio(3.9, 1.39) / 100
    assert (p1 / (1 - p1)) / (0.039 / 0.961) == pytest.approx(1.39)
    assert round(100 * p1, 1) == 5.3


def test_proportional_hazards():
    assert st.event_free_with_hazard_ratio(50, 0.5) == pytest.approx(100 * math.sqrt(0.5))
    assert st.event_free_with_hazard_ratio(54.7, 1.0) == pytest.approx(54.7)
    assert st.event_free_with_hazard_ratio(54.7, 0.49) == pytest.approx(100 * 0.547 ** 0.49)
    with pytest.raises(CourseInputError, match="hazard_ratio"):
        st.event_free_with_hazard_ratio(50, 0)


def test_p_value_from_an_interval():
    # an estimate exactly 1.96 standard errors from 0 has p = 0.05
    assert st.p_value_from_interval(1.959964, 0.0, 2 * 1.959964) == pytest.approx(0.05)
    assert st.standard_error_from_interval(-6.88, 0.45) == pytest.approx(7.33 / (2 * 1.959964))
    # TRANSFORM-1 84 mg: the report's P = .088
    assert st.p_value_from_interval(-3.2, -6.88, 0.45) == pytest.approx(0.088, abs=0.002)
    # ratios on the log scale: 0.60 (0.40-0.90) is symmetric there (0.6² = 0.4 × 0.9)
    z = math.log(0.6) / ((math.log(0.9) - math.log(0.4)) / (2 * 1.959964))
    assert st.p_value_from_interval(0.6, 0.4, 0.9, ratio=True) == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert st.p_value_from_interval(0.6, 0.4, 0.9, ratio=True) == pytest.approx(0.014, abs=0.001)
    with pytest.raises(CourseInputError, match="no width"):
        st.p_value_from_interval(1.0, 1.0, 1.0)
    with pytest.raises(CourseInputError, match="low"):
        st.p_value_from_interval(0.5, 0.0, 0.9, ratio=True)


# ------------------------------------------------------------------ worked examples from the course's data
def _counts_in_note(row_id: str) -> tuple[int, int, int, int]:
    note = em.trial_row(row_id)["note"]
    return tuple(int(x) for x in re.match(r"(\d+)/(\d+) vs (\d+)/(\d+)", note).groups())


@pytest.mark.parametrize("row_id", ["pooled-response-day2", "pooled-response-day28"])
def test_counts_rebuilt_from_rates_match_the_reported_counts(row_id):
    arms = em.arm_counts(row_id)
    assert (arms.events_1, arms.n_1, arms.events_2, arms.n_2) == _counts_in_note(row_id)


def test_counts_need_both_arm_sizes():
    with pytest.raises(CourseInputError, match="arm sizes"):
        em.arm_counts("transform1-response-56")
    with pytest.raises(CourseInputError, match="row_id must be one of"):
        em.trial_row("transform-9")


def test_risk_difference_table_sets_the_formula_beside_the_report():
    table = em.risk_difference_table("transform2-response")
    values = table.iloc[:, 0].tolist()
    assert values[2] == "17.3 percentage points"
    assert values[3] == "4.7 to 29.9 points" and values[4] == "4.01 to 30.60 points"
    assert values[5] == "6"
    assert "Clin Pharmacol Ther 2021" in table.columns[0]


def test_nnt_computed_from_sustain1_rates_is_the_reported_one():
    computed, reported = em.number_needed_check("sustain1-remitters", "sustain1-remitters-nnt")
    assert computed == reported == 6


def test_relative_measures_table():
    table = em.relative_measures_table()
    day2, day28 = table.iloc[0], table.iloc[1]
    assert day2["risk ratio (95 % interval)"].startswith("1.85") and day2["odds ratio (95 % interval)"].startswith("2.03")
    assert day28["risk ratio (95 % interval)"].startswith("1.30") and day28["odds ratio (95 % interval)"].startswith("1.72")
    assert set(table["source"]) == {"Turkoz 2021"}


def test_odds_ratio_in_people():
    o = em.odds_ratio_in_people()
    assert o.baseline_percent == 3.9 and o.odds_ratio.value == 1.39
    assert o.exposed_percent == pytest.approx(st.risk_with_odds_ratio(3.9, 1.39))
    assert o.number_needed_to_harm == math.ceil(100 / (o.exposed_percent - 3.9)) == 70
    table = em.odds_ratio_in_people_table()
    assert table.loc["Number needed to harm (one extra event per …)", "value"] == "70 (36 to 335)"
    with pytest.raises(CourseInputError, match="not an odds ratio"):
        em.odds_ratio_in_people("kb-hypnosis-hong")


def test_interval_table_agrees_with_reported_p_values():
    table = em.interval_table()
    assert list(table["excludes 0"]) == ["yes", "no", "yes", "no"]
    for comparison, row in table.iterrows():
        reported = re.search(r"p = (0\.\d+)", row["p as reported"])
        if reported and "TRANSFORM-1" in comparison:
            assert float(row["p implied by the interval"]) == pytest.approx(float(reported.group(1)), abs=0.003)
    assert "−7.31 to −0.64" in table["95 % interval"].tolist()


def test_ratio_interval_table():
    table = em.ratio_interval_table()
    verdicts = dict(zip([c.split(":")[0] for c in table.index], table["excludes 1"]))
    assert verdicts == {"Cocaine trial 2019 (Am J Psychiatry)": "yes", "KARE 2022": "no"}


def test_hazard_ratio_example_matches_proportional_hazards():
    h = em.hazard_ratio_example("sustain1-remitters")
    assert h.hazard_ratio.value == 0.49 and h.risk_ratio == pytest.approx(26.7 / 45.3)
    assert h.predicted_relapse_1_percent == pytest.approx(100 - 100 * (0.547 ** 0.49))
    assert abs(h.predicted_relapse_1_percent - h.relapse_1_percent) < 1.5
    with pytest.raises(CourseInputError, match="hazard ratio"):
        em.hazard_ratio_example("transform2-response")


def test_worked_example_tables_show_citations_not_ids():
    ids = set(course_data.load("sources")["id"]) | set(course_data.load("facts")["id"])
    ids = {i for i in ids if "-" in i}
    for table in (em.risk_difference_table(), em.relative_measures_table(), em.interval_table(), em.ratio_interval_table(),
                  em.hazard_ratio_table(), em.odds_ratio_in_people_table()):
        text = table.to_string() + " ".join(map(str, table.columns))
        assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
        assert "nan" not in text.lower().split()


def test_derived_source_note_states_the_computed_numbers():
    note = course_data.source("statistics-primer-derived")["note"]
    day2 = em.relative_measures_table().iloc[0]
    assert day2["risk ratio (95 % interval)"].split()[0] in note and day2["odds ratio (95 % interval)"].split()[0] in note
    assert "4.7 to 29.9" in note
    assert f"{em.hazard_ratio_example().predicted_relapse_1_percent:.1f} %" in note
    assert f"{em.odds_ratio_in_people().exposed_percent:.1f} %" in note


def test_odds_ratio_figure_marks_the_two_published_odds_ratios():
    fig = odds_ratio_figure()
    markers = [t for t in fig.data if t.mode == "markers"]
    assert len(markers) == 2
    assert markers[0].y[0] == pytest.approx(st.risk_with_odds_ratio(3.9, 1.39) / 3.9)
    assert markers[1].y[0] == pytest.approx(float(em.relative_measures_table().iloc[0]["risk ratio (95 % interval)"].split()[0]), abs=0.005)
    curves = [t for t in fig.data if t.mode != "markers"]
    assert all(list(c.y) == sorted(c.y, reverse=True) for c in curves), "the implied risk ratio falls as the baseline rises"
    assert "%" in fig.layout.xaxis.title.text
