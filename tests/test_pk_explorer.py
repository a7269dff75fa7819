"""The PK explorer: wiring, readout numbers, bounded controls, published regimens only,
measured comparisons with short citations (headless)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import course_data
from widgets.explorers.pk import GRID_MIN, PKExplorer, bioavailability_figure, context_sensitive_figure
from widgets.models import pk

ROUTES = list(pk.ROUTE_GROUPS)


def _number(text, label):
    return float(re.search(label + r" (\d[\d,]*(?:\.\d+)?)", text).group(1).replace(",", ""))


def _texts(explorer):
    """Everything a learner reads in the explorer: readout, message, prompt, control labels and
    options, trace names and hover text, figure annotations."""
    parts = [explorer.readout_text, explorer.message_text, explorer.prompt, explorer.title]
    for control in explorer.controls.values():
        parts.append(control.description)
        for option in getattr(control, "options", []):
            parts.append(option[0] if isinstance(option, tuple) else str(option))
    for trace in explorer.figure.data:
        parts.append(trace.name or "")
        parts.extend(trace.hovertext or [])
    parts.extend(a.text for a in explorer.figure.layout.annotations)
    return "\n".join(parts)


def _internal_ids():
    """Ids a learner must never see: sources, measurements, regimens, routes, models."""
    ids = set(course_data.load("sources")["id"]) | set(pk.measured_concentrations()["id"])
    ids |= set(pk.regimens()["id"]) | set(pk.routes()["id"]) - {"iv"} | set(pk.pk_models()["id"])
    return ids


def _assert_no_ids(text):
    words = set(re.findall(r"[a-z0-9][a-z0-9.\-]*[a-z0-9]", text))
    leaked = sorted(words & _internal_ids())
    assert not leaked, f"internal ids in learner text: {leaked}"
    assert "Table T" not in text and "source " not in text


def test_default_is_the_antidepressant_infusion_compared_with_two_studies():
    e = PKExplorer()
    assert not e.message_text
    assert "IV 0.5 mg/kg over 40 min, 70-kg reference adult" in e.readout_text
    assert _number(e.readout_text, "plasma Cmax") == 240
    assert "Zarate 2006 (in Zanos 2018) measured 185 ng/mL at 40 min; this model predicts 240." in e.readout_text
    assert "Krystal 1994 (in Zanos 2018) measured 100–250 ng/mL (range) at 40 min; this model predicts 240." in e.readout_text
    measured = e.figure.data[-1]
    assert measured.visible and list(measured.y)[0] == 185
    assert list(measured.hovertext) == ["Zarate 2006 (in Zanos 2018): 185 ng/mL; 0.5 mg/kg IV over 40 min, depression",
                                        "Krystal 1994 (in Zanos 2018): 100–250 ng/mL (range); 0.5 mg/kg IV over 40 min, healthy volunteers"]
    assert "teaching model" in PKExplorer.prompt.lower() and "not for clinical or personal decisions" in PKExplorer.prompt


def test_plasma_trace_matches_engine_and_effect_site_lags():
    e = PKExplorer(infusion_min=0.0)
    plasma, effect = np.array(e.figure.data[0].y), np.array(e.figure.data[1].y)
    expected = pk.simulate(pk.model_from_table("domino", 70), pk.iv_doses(0.5, 0), GRID_MIN).plasma_ng_per_ml
    assert np.allclose(plasma, expected, rtol=1e-12)
    assert np.argmax(effect) > np.argmax(plasma)
    assert effect.max() < plasma.max()
    assert "IV 0.5 mg/kg as a 1-min bolus" in e.readout_text


def test_overlay_shows_every_ketamine_model_and_their_spread():
    e = PKExplorer(overlay=True)
    overlays = [t for t in e.figure.data[2:-1] if t.visible]
    assert len(overlays) == 5
    assert "The models' Cmax spans 125 (Kamp 2020 meta-analysis) to 253 ng/mL (Herd & Anderson)." in e.readout_text
    e.set(overlay=False)
    assert not any(t.visible for t in e.figure.data[2:-1])


def test_iv_dose_and_infusion_are_bounded_to_the_label_and_trial_range():
    e = PKExplorer()
    dose, minutes = e.controls["dose_mg_per_kg"], e.controls["infusion_min"]
    assert (dose.min, dose.max) == pk.IV_DOSE_RANGE_MG_PER_KG == (0.1, 4.5)
    assert (minutes.min, minutes.max) == (0, pk.IV_MAX_INFUSION_MIN)
    e.set(dose_mg_per_kg=13.0)              # a value out of range is clamped by the slider, not refused
    assert dose.value == 4.5 and not e.message_text
    assert "weight_kg" not in e.controls and "doses" not in e.controls and "interval_h" not in e.controls


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_shows_only_its_own_controls_and_regimens(route):
    e = PKExplorer()
    e.set(route=route)
    regimen = e.controls["regimen"]
    shown = {name for name, c in e.controls.items() if c.layout.display != "none"}
    if route == "iv":
        assert {"dose_mg_per_kg", "infusion_min"} <= shown and "regimen" not in shown
    else:
        assert "regimen" in shown and not {"dose_mg_per_kg", "infusion_min"} & shown
        assert [value for _label, value in regimen.options] == pk.regimen_ids(route)
        assert regimen.value == pk.regimen_ids(route)[0]
        for regimen_id in pk.regimen_ids(route):
            e.set(regimen=regimen_id)
            assert not e.message_text
            row = pk.regimen(regimen_id)
            assert row["description"] in e.readout_text
            weight = "a 70-kg reference adult" if row["weight_kg"] == 70 else "a 20-kg child"
            assert f"simulated for {weight}" in e.readout_text
    assert not e.message_text


def test_switching_route_redraws_once():
    e = PKExplorer()
    calls = []
    original = pk.simulate

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    pk_module = __import__("widgets.explorers.pk", fromlist=["pk"]).pk
    try:
        pk_module.simulate = counting
        e.set(route="oral")
    finally:
        pk_module.simulate = original
    assert len(calls) == 1 and "Chong 2006: 25 mg oral" in e.readout_text


def _reachable_settings():
    """Every setting a learner can reach: a route, then one of that route's regimens (non-IV) or
    any slider position (IV), and any model, ke0, interacting drug and overlay."""
    e = PKExplorer()
    c = e.controls
    steps = lambda s: st.integers(0, round((s.max - s.min) / s.step)).map(lambda k: round(s.min + k * s.step, 10))  # noqa: E731
    return st.fixed_dictionaries({
        "model": st.sampled_from([v for _l, v in c["model"].options]),
        "route": st.sampled_from(ROUTES),
        "regimen_index": st.integers(0, 10),
        "dose_mg_per_kg": steps(c["dose_mg_per_kg"]),
        "infusion_min": steps(c["infusion_min"]),
        "ke0": st.sampled_from([v for _l, v in c["ke0"].options]),
        "interacting_drug": st.sampled_from(list(c["interacting_drug"].options)),
        "overlay": st.booleans(),
    })


_SHARED = PKExplorer()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setting=_reachable_settings())
def test_no_reachable_setting_is_refused_and_none_reports_time_above_a_band(setting):
    e = _SHARED
    setting = dict(setting)
    index = setting.pop("regimen_index")
    e.set(route=setting.pop("route"))
    options = [v for _l, v in e.controls["regimen"].options]
    e.set(regimen=options[index % len(options)])
    for name in ("model", "ke0", "interacting_drug", "overlay", "dose_mg_per_kg", "infusion_min"):
        e.set(**{name: setting[name]})
    assert not e.message_text, f"{setting}: {e.message_text}"
    assert "plasma Cmax" in e.readout_text
    text = e.readout_text.lower()
    assert not re.search(r"\babove\b|time above|min above|minutes above|duration|lasts|band floor", text), e.readout_text
    _assert_no_ids(_texts(e))


def test_engine_offers_no_time_above_band_summary():
    assert not hasattr(pk, "time_above_min")
    assert not any("above" in name for name in vars(pk.summarise(pk.simulate(
        pk.model_from_table("kamp", 70), pk.iv_doses(0.5, 40), GRID_MIN))))


def test_oral_regimen_matches_measured_25_mg_and_interactions_change_exposure():
    e = PKExplorer(model="kamp", route="oral")
    assert "Chong 2006: 25 mg oral, neuropathic pain inpatients (n=6), simulated for a 70-kg reference adult" in e.readout_text
    assert "Chong 2006 measured a peak of 22.8 ± 12.8 ng/mL (mean ± SD); this model predicts a peak of 17." in e.readout_text
    e.set(regimen="peltoniemi2012-oral-0.3")
    base_auc = _number(e.readout_text, r"AUC\(0–12 h\)")
    e.set(interacting_drug="ticlopidine")
    assert _number(e.readout_text, r"AUC\(0–12 h\)") == pytest.approx(2.4 * base_auc, rel=0.03)
    e.set(interacting_drug="rifampicin")
    assert _number(e.readout_text, r"AUC\(0–12 h\)") < 0.2 * base_auc
    assert "with rifampicin" in e.readout_text


def test_measurements_taken_without_an_interacting_drug_are_not_compared_with_one():
    e = PKExplorer(model="kamp", route="oral")
    assert "Chong 2006 measured" in e.readout_text and e.figure.data[-1].visible
    e.set(interacting_drug="clarithromycin")
    assert "measured" not in e.readout_text and not e.figure.data[-1].visible
    e = PKExplorer(dose_mg_per_kg=0.5, infusion_min=40.0)
    assert "measured" in e.readout_text
    e.set(interacting_drug="rifampicin")
    assert "measured" not in e.readout_text


def test_review_values_name_the_original_study():
    e = PKExplorer(route="oral")
    e.set(regimen="grant-oral-0.5")
    assert "Grant 1981 (in Zanos 2018) measured a peak of 45 ± 10 ng/mL; this model predicts a peak of" in e.readout_text
    assert not e.figure.data[-1].visible        # no reported time: compared in the readout, not plotted
    e = PKExplorer(dose_mg_per_kg=0.3, infusion_min=0.0)
    assert "Lahti 2001 (in Zanos 2018) measured a peak of 120 ng/mL" in e.readout_text


def test_children_regimen_is_simulated_at_the_study_weight_and_compared():
    e = PKExplorer(model="herd", route="intranasal")
    assert e.controls["regimen"].value == "malinovsky-in-3"
    assert "simulated for a 20-kg child (middle of the study's 10–30 kg)" in e.readout_text
    assert "Malinovsky 1996 measured a peak of 496 ng/mL; this model predicts a peak of" in e.readout_text
    assert list(e.figure.data[-1].x) == [pytest.approx(20 / 60)]


def test_esketamine_session_is_the_labels_devices_five_minutes_apart():
    e = PKExplorer(route="esketamine-nasal")
    e.set(regimen="spravato-84")
    assert "Spravato label: 84 mg: 3 devices of 28 mg, 5 min apart (one session)" in e.readout_text
    assert [(d.time_min, d.amount_mg) for d in pk.regimen_doses("spravato-84")] == [(0, 28), (5, 28), (10, 28)]
    y = np.array(e.figure.data[0].y)
    assert y[0] < 1e-9 and y[30] > y[5] > 0


def test_ke0_choice_changes_effect_site_only():
    e = PKExplorer(infusion_min=0.0)
    plasma = np.array(e.figure.data[0].y)
    peak_fast = _number(e.readout_text, "effect-site peak")
    e.set(ke0=0.114)
    assert np.allclose(np.array(e.figure.data[0].y), plasma, rtol=1e-9, atol=1e-6)
    assert _number(e.readout_text, "effect-site peak") < peak_fast / 3


def test_axis_grows_for_high_peaks_and_returns():
    e = PKExplorer()
    assert 10 ** e.figure.layout.yaxis.range[1] == pytest.approx(5000)
    e.set(route="im")
    top = 10 ** e.figure.layout.yaxis.range[1]
    assert top > float(np.max(e.figure.data[0].y))
    e.set(route="oral")
    assert 10 ** e.figure.layout.yaxis.range[1] == pytest.approx(5000)
    assert e.figure.data[0].y[-1] < 1 and e.figure.layout.yaxis.range[0] == -1    # the oral tail stays visible


def test_static_figures_have_titles_units_and_citations():
    for fig in (bioavailability_figure(), context_sensitive_figure()):
        assert fig.layout.title.text
        assert "(" in fig.layout.xaxis.title.text
    assert len(context_sensitive_figure().data) == 5
    hover = "\n".join(bioavailability_figure().data[0].hovertext)
    assert "Pharmacotherapy 2022" in hover and "Chong 2006" in hover
    _assert_no_ids(hover)
