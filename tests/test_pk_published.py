"""The PK models against published measurements (evidence-base tables P and T)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import course_data
from widgets.models import pk

ADULT_KETAMINE = ["domino", "clements", "hijazi", "kamp"]


def _end_of_infusion(model_id, weight=70.0):
    model = pk.model_from_table(model_id, weight)
    r = pk.simulate(model, pk.route_doses("iv", 0.5 * weight, infusion_min=40), np.arange(0, 41.0))
    return r.plasma_ng_per_ml[-1]


@pytest.mark.parametrize("model_id", ADULT_KETAMINE)
def test_antidepressant_infusion_ends_in_published_range(model_id):
    # mpk:T1 (185 ng/mL) and mpk:T2 (100–250 ng/mL): 0.5 mg/kg over 40 min, 70 kg
    assert 100 <= _end_of_infusion(model_id) <= 250


def test_paediatric_herd_model_scaled_to_adult_overshoots_slightly():
    # Not fudged: the Herd & Anderson model, allometrically scaled to 70 kg, ends just above 250 ng/mL.
    assert 250 < _end_of_infusion("herd") < 260


def test_models_disagree_about_the_same_regimen():
    ends = [_end_of_infusion(m) for m in ADULT_KETAMINE]
    assert max(ends) / min(ends) > 1.8   # Kamp 125 vs Domino 240 ng/mL


def test_iv_dose_reproduces_kamp_clearance_auc():
    # mpk:P19: CL 79 L/h at 70 kg → AUC of 10 mg IV = 10/79 mg·h/L = 126.6 µg·h/L
    model = pk.model_from_table("kamp", 70)
    auc_ug_h_per_l = pk.auc_infinity_mg_min_per_l(model, pk.route_doses("iv", 10)) * 1000 / 60
    assert auc_ug_h_per_l == pytest.approx(10 / 79 * 1000, rel=1e-9)
    # and a simulated curve integrates to the same value (24 h window + tail < 0.1 %)
    r = pk.simulate(model, pk.route_doses("iv", 10), np.arange(0, 48 * 60 + 0.5, 0.5))
    assert pk.auc_trapezoid_ng_h_per_ml(r) == pytest.approx(auc_ug_h_per_l, rel=1e-3)
    # mpk:T3/T4: measured AUC 113 µg·h/L, i.e. the measured clearance (88 L/h) is within 12 % of Kamp's
    assert 113 / auc_ug_h_per_l == pytest.approx(0.89, abs=0.01)


def test_domino_clearance_matches_derived_value():
    # mpk:P48: CL = V1·k10 ≈ 27.6 mL/kg/min, Vss ≈ 2.76 L/kg
    model = pk.model_from_table("domino", 70)
    assert model.clearance_l_per_min * 1000 / 70 == pytest.approx(27.6, abs=0.05)
    assert model.vss_l / 70 == pytest.approx(2.76, abs=0.01)


def _auc_fold(drug, route_id, dose_mg):
    base = pk.auc_infinity_mg_min_per_l(pk.model_from_table("kamp", 70), pk.route_doses(route_id, dose_mg))
    with_drug = pk.auc_infinity_mg_min_per_l(pk.model_with_interaction("kamp", 70, drug),
                                             pk.route_doses(route_id, dose_mg, interacting_drug=drug))
    return with_drug / base


@pytest.mark.parametrize("row_id", ["clarithromycin-oral-auc", "ticlopidine-oral-auc", "itraconazole-oral-auc",
                                    "rifampicin-iv-auc", "rifampicin-oral-auc"])
def test_interaction_auc_folds_within_15_percent_of_published(row_id):
    row = course_data.load("drug_interactions").set_index("id").loc[row_id]
    route_id = "iv" if row["ketamine_route"] == "iv" else "oral-chong"
    fold = _auc_fold(row["interacting_drug"], route_id, 14)   # 0.2 mg/kg × 70 kg
    assert fold == pytest.approx(row["fold_change"], rel=0.15)


def test_oral_far_more_interaction_prone_than_iv():
    assert _auc_fold("rifampicin", "oral-chong", 20) < 0.2 < 0.8 < _auc_fold("rifampicin", "iv", 20)
    # inhibitors acting on first-pass leave IV exposure unchanged in this model (an assumption, ddi-split-derived)
    assert _auc_fold("clarithromycin", "iv", 20) == pytest.approx(1.0)


def test_clarithromycin_cmax_rise_is_underpredicted():
    # Published Cmax rose 3.6-fold (mpk:P35); a first-pass-only model predicts the AUC fold (2.6) for Cmax too.
    grid = np.arange(0, 24 * 60.0, 0.5)
    base = pk.cmax_tmax(pk.simulate(pk.model_from_table("kamp", 70), pk.route_doses("oral-chong", 14), grid))[0]
    inh = pk.cmax_tmax(pk.simulate(pk.model_with_interaction("kamp", 70, "clarithromycin"),
                                   pk.route_doses("oral-chong", 14, interacting_drug="clarithromycin"), grid))[0]
    assert inh / base == pytest.approx(2.6, rel=1e-6)
    assert inh / base < 0.75 * 3.6


def test_measured_vs_predicted_table():
    table = pk.measured_vs_predicted(70)
    assert set(table["model"]) == {"domino", "clements", "hijazi", "herd", "kamp"}
    auc = table[(table["measurement"] == "t3-iv10-auc")].set_index("model")["predicted"]
    assert auc["kamp"] == pytest.approx(1000 * 10 / 79, rel=1e-9)
    # every model predicts the 10-mg IV AUC within a factor of 2 of the measured 113 µg·h/L
    assert np.all((auc / 113 > 0.5) & (auc / 113 < 2))
    oral = table[table["measurement"] == "t5-oral25-cmax"].set_index("model")
    assert oral.loc["kamp", "within"] and oral.loc["clements", "within"]


def test_route_table_keeps_spread_between_studies():
    r = pk.routes()
    nasal = r[(r["route"] == "intranasal") & (r["form"] == "racemic")]["bioavailability"]
    assert nasal.min() == pytest.approx(0.11) and nasal.max() == pytest.approx(0.50)
    esk = r[(r["route"] == "intranasal") & (r["form"] == "S-ketamine")]["bioavailability"]
    assert set(esk.round(2)) == {0.48, 0.54}
    assert r.set_index("id").loc["im-clements", "bioavailability"] == pytest.approx(0.93)
    assert r.set_index("id").loc["sl-rolan", "bioavailability"] == pytest.approx(0.29)


@pytest.mark.parametrize("route_id", ["im-clements", "in-adult-10mg", "esk-nasal-label", "oral-chong", "sl-rolan"])
def test_derived_ka_reproduces_reported_tmax_in_one_compartment_model(route_id):
    row = pk.routes().set_index("id").loc[route_id]
    model = pk.model_from_table("kamp", 70)
    t = np.arange(0, 300, 0.05)
    tmax = pk.cmax_tmax(pk.simulate(model, pk.route_doses(route_id, 20), t))[1]
    assert tmax == pytest.approx(row["tmax_min"], abs=0.5)


def test_ke0_derived_from_olofsen():
    # mod:P61: ln 2 / 6.1 min = 0.114 per min
    assert np.log(2) / 6.1 == pytest.approx(pk.pk_models().set_index("id").loc["kamp", "ke0_per_min"], abs=5e-4)


def test_midazolam_models_are_available_for_notebook_06():
    for model_id, v1 in (("albrecht-midazolam-under65", 7.9), ("albrecht-midazolam-65plus", 8.5)):
        model = pk.model_from_table(model_id, 50)
        assert model.drug == "midazolam" and model.v1_l == pytest.approx(v1) and model.compartments == 3
        assert pk.model_from_table(model_id, 100).v1_l == pytest.approx(v1)   # not weight-scaled


# --------------------------------------------------------------------------- published regimens
def _evidence_row(shared_dir, ref):
    """The text of one evidence-base table row ('mpk:P3' → the '| P3 | …' line)."""
    files = {"mpk": "evidence-mechanism-pk.md", "ca": "evidence-combos-addiction.md"}
    key, row_id = ref.split(":")
    for line in (shared_dir / "reference" / files[key]).read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {row_id} |"):
            return line
    raise AssertionError(f"{ref} not found in the evidence base")


def _dose_number(row):
    return row["dose_mg"] if not pk.tables.is_missing(row["dose_mg"]) else row["dose_mg_per_kg"]


@pytest.mark.parametrize("regimen_id", list(pk.regimens()["id"]))
def test_every_regimen_dose_and_timing_is_stated_in_its_evidence_row(regimen_id, shared_dir):
    row = pk.regimen(regimen_id)
    per_kg, mg = pk.tables.is_missing(row["dose_mg_per_kg"]), pk.tables.is_missing(row["dose_mg"])
    assert per_kg != mg, f"{regimen_id}: exactly one of dose_mg and dose_mg_per_kg"
    dose = f"{_dose_number(row):g}"
    unit = "mg" if per_kg else "mg/kg"
    assert re.search(rf"(?<![\d.]){re.escape(dose)}(?![\d.])", row["description"]) and unit in row["description"]
    if pk.tables.is_missing(row["evidence_row"]):
        # read only in the source itself (its abstract); the note says where
        assert "abstract" in row["note"], f"{regimen_id}: no evidence row and no note on where the dose was read"
        return
    evidence = _evidence_row(shared_dir, row["evidence_row"])
    assert re.search(rf"(?<![\d.]){re.escape(dose)}(?![\d.])", evidence), f"{regimen_id}: {dose} not in {row['evidence_row']}"
    assert row["evidence_row"] in course_data.source(row["source_id"])["evidence_rows"].split(";")
    if row["count"] > 1:
        # repeated administrations only as the label gives them (Spravato: devices 5 min apart)
        assert "5-min rest between devices" in evidence and row["interval_min"] == 5
        assert row["count"] * row["dose_mg"] == float(re.search(r"(\d+) mg:", row["description"]).group(1))


def test_regimens_cover_every_route_but_iv_and_use_stated_weights():
    groups = {pk.regimen(r)["route_group"] for r in pk.regimens()["id"]}
    assert groups == set(pk.ROUTE_GROUPS) - {"iv"}
    for regimen_id in pk.regimens()["id"]:
        row = pk.regimen(regimen_id)
        if row["weight_kg"] == pk.REFERENCE_WEIGHT_KG:
            assert row["weight_basis"] == "70-kg reference adult" and pk.tables.is_missing(row["weight_source_id"])
        else:  # a study weight: derived openly from the study's stated range
            note = course_data.source(row["weight_source_id"])["note"]
            assert "10–30 kg" in note and f"= {row['weight_kg']:g} kg" in note


def test_regimen_doses_follow_the_table():
    doses = pk.regimen_doses("malinovsky-in-9")
    assert len(doses) == 1 and doses[0].amount_mg == pytest.approx(9 * 20) and doses[0].bioavailability == 0.50
    doses = pk.regimen_doses("spravato-56")
    assert [d.time_min for d in doses] == [0, 5] and {d.amount_mg for d in doses} == {28}
    assert doses[0].bioavailability == pytest.approx(0.54)
    assert pk.regimen_doses("chong-oral-25")[0].amount_mg == 25


@pytest.mark.parametrize("measurement, ref, text", [
    ("p13-in3-cmax", "mpk:P13", "496 ng/mL within 20 min"),
    ("p13-in9-cmax", "mpk:P13", "2104 ng/mL within 21 min"),
    ("p44-grant-oral-cmax", "mpk:P44", "Oral 0.5 mg/kg → 45±10 ng/mL (Grant 1981)"),
    ("p45-lahti-cmax", "mpk:P45", "Lahti 2001 (0.3 mg/kg bolus, schizophrenia) 120 ng/mL"),
])
def test_measured_rows_match_the_evidence_base(measurement, ref, text, shared_dir):
    assert text in _evidence_row(shared_dir, ref)
    row = pk.measured_concentrations().set_index("id").loc[measurement]
    assert f"{row['value']:g}" in text.replace("±", " ")
