"""Mechanisms part of the course: target affinities, timeline, evidence map (notebooks 01–03)."""

from __future__ import annotations

import math

import pytest

import course_data
from widgets.explorers.mechanism_evidence import MechanismEvidenceExplorer
from widgets.explorers.timeline import TimelineExplorer
from widgets.models import mechanisms, targets, timeline


def _aff():
    return course_data.load("target_affinities").set_index("id")


def test_opioid_ki_values_derive_from_published_pki():
    # hirota1999: pKi µ 4.38, κ 4.55, δ 3.57 → Ki = 10^(6 − pKi) µM
    aff = _aff()
    for row, pki in (("mu-rac-hirota", 4.38), ("kappa-rac-hirota", 4.55), ("delta-rac-hirota", 3.57)):
        assert aff.loc[row, "value_um"] == pytest.approx(10 ** (6 - pki), rel=0.02)


def test_nmda_values_show_the_lab_spread():
    aff = _aff()
    rac = aff[(aff["target"] == "NMDA") & (aff["ligand"] == "racemic ketamine")]["value_um"]
    assert rac.max() / rac.min() > 20   # 0.119 µM (Sałat) to 3.1 µM (Seeman)
    # S-ketamine binds about 5× more tightly than R (Ebert 1997)
    assert aff.loc["nmda-r-ket-ebert", "value_um"] / aff.loc["nmda-s-ket-ebert", "value_um"] == pytest.approx(4.7, abs=0.1)


def test_transporter_rows_exist_for_notebook_08():
    aff = _aff()
    assert aff.loc["sert-rac-nishimura", "value_um"] == 162
    assert aff.loc["net-rac-nishimura", "value_um"] == 66.8
    assert aff.loc["dat-rac-nishimura", "value_um"] == 62.9
    assert {"SERT", "NET", "DAT"} <= set(aff["target"])


def test_no_target_without_a_verified_number():
    targets_present = set(_aff()["target"])
    assert not {"sigma-1", "GABA-A"} & targets_present


def test_mu_opioid_is_about_80_to_100_fold_weaker_than_nmda():
    aff = _aff()
    ratio = aff.loc["mu-rac-hirota", "value_um"] / aff.loc["nmda-rac-kapur", "value_um"]
    assert 80 <= ratio <= 100


def test_timeline_dates_and_disagreements():
    events = timeline.timeline().set_index("id")
    assert events.loc["synthesis", "year"] == 1962
    assert events.loc["nmda-1983", "year"] == 1983
    assert events.loc["schedule-iii-1999", "year"] == 1999
    assert events.loc["berman-2000", "year"] == 2000
    assert events.loc["esketamine-2019", "year"] == 2019
    groups = timeline.disagreements(timeline.timeline())
    assert groups["first human use"] == [(1964, "PARTIAL"), (1965, "VERIFIED-2°")]
    assert [y for y, _ in groups["first US availability"]] == [1969, 1970, 1971]


def test_timeline_filters():
    events = timeline.timeline()
    verified = timeline.filter_events(events, "all", "VERIFIED only")
    assert set(verified["status"]) == {"VERIFIED"}
    assert timeline.disagreements(verified) == {}
    assert set(timeline.filter_events(events, "regulation (UK)")["year"]) == {2006, 2014, 2025, 2026}


def test_timeline_explorer_draws_disagreement_lines():
    explorer = TimelineExplorer()
    lines = explorer.figure.data[0]
    assert [x for x in lines.x if x is not None] == [1964, 1965, 1969, 1970, 1971]
    explorer.set(status_filter="VERIFIED only")
    assert list(explorer.figure.data[0].x) == []
    assert "Disputed dates: none shown" in explorer.readout_text


def test_no_hypothesis_is_settled():
    table = mechanisms.evidence()
    assert not (table["strength"] == "strong").any()
    for hyp in table["hypothesis"].unique():
        assert "settled" not in mechanisms.balance(table, hyp).replace("not settled", "")


def test_key_rodent_glutamate_studies_record_drug_and_dose():
    table = mechanisms.evidence().set_index("id")
    assert "MK-801" in table.loc["dis-homayoun", "drug"]
    assert "mg/kg" in table.loc["dis-moghaddam", "dose_or_concentration"]
    assert table.loc["dis-moghaddam", "species"] == "rat"


def test_tally_counts():
    counts = mechanisms.tally(mechanisms.evidence())
    assert counts.loc["opioid system", "supports"] == 2
    assert counts.loc["opioid system", "against"] == 3
    assert counts.values.sum() == len(mechanisms.evidence())


def test_evidence_map_filters_move_readout_and_colours():
    explorer = MechanismEvidenceExplorer()
    assert explorer.readout_text.startswith(f"{len(mechanisms.evidence())} findings")
    explorer.set(hypothesis="opioid system", species="human")
    assert explorer.readout_text.startswith("3 findings: 1 support, 2 against")
    highlighted = [c for c in explorer.figure.data[0].marker.color if c != "#dddddd"]
    assert len(highlighted) == 3
    explorer.set(species="rat")
    assert explorer.readout_text.startswith("No finding matches")


def test_glutamate_rows_note_rodent_doses_do_not_translate():
    table = mechanisms.evidence().set_index("id")
    assert "do not translate" in table.loc["dis-moghaddam", "note"]
    # 6 human findings plus the two proton-MRS studies of prefrontal glutamate (disinhibition lane)
    assert math.isclose(len(table[table["species"] == "human"]), 8)
    assert set(table[table["species"] == "human"].index) >= {"dis-mrs-mdd", "dis-mrs-healthy"}


def test_balance_phrase_counts_mixed_and_strong_findings():
    import pandas as pd

    rows = pd.DataFrame({
        "hypothesis": ["h"] * 3,
        "direction": ["supports", "mixed", "supports"],
        "strength": ["weak", "moderate", "strong"],
    })
    text = mechanisms.balance(rows, "h")
    assert text.startswith("supporting and mixed findings, none against") and "1 graded strong" in text
    only_for = mechanisms.balance(rows[rows.direction == "supports"].assign(strength="weak"), "h")
    assert only_for.startswith("only supporting findings") and "none graded strong" in only_for
    both = pd.DataFrame({"hypothesis": ["h", "h"], "direction": ["supports", "against"], "strength": ["weak", "weak"]})
    assert mechanisms.balance(both, "h").startswith("contested")
