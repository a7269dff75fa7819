"""The PK explorer: wiring, readout numbers, bounds and measured overlays (headless)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from widgets.explorers.pk import PKExplorer, bioavailability_figure, context_sensitive_figure


def _number(text, label):
    return float(re.search(label + r" (\d+(?:\.\d+)?)", text).group(1))


def test_default_is_the_antidepressant_infusion_with_measurements():
    e = PKExplorer()
    assert not e.message_text
    assert "IV 0.5 mg/kg over 40 min at 70 kg" in e.readout_text
    assert _number(e.readout_text, "plasma Cmax") == 240
    assert "t1-zarate 185 vs predicted 240 ng/mL" in e.readout_text
    assert "t2-krystal 100–250" in e.readout_text
    measured = e.figure.data[-1]
    assert measured.visible and list(measured.y)[0] == 185
    assert "teaching model" in PKExplorer.prompt.lower() and "not for clinical decisions" in PKExplorer.prompt


def test_plasma_trace_matches_engine_and_effect_site_lags():
    e = PKExplorer(infusion_min=0.0)
    plasma, effect = np.array(e.figure.data[0].y), np.array(e.figure.data[1].y)
    assert np.argmax(effect) > np.argmax(plasma)
    assert effect.max() < plasma.max()


def test_overlay_shows_every_ketamine_model_and_their_spread():
    e = PKExplorer(overlay=True)
    overlays = [t for t in e.figure.data[2:-1] if t.visible]
    assert len(overlays) == 5
    assert "Models' Cmax spans 125 (kamp) to 253 ng/mL (herd)" in e.readout_text
    e.set(overlay=False)
    assert not any(t.visible for t in e.figure.data[2:-1])


@pytest.mark.parametrize("route, dose, ok", [
    ("iv", 4.5, True), ("iv", 5.0, False), ("im-clements", 6.5, True), ("im-clements", 1.0, False),
    ("oral-chong", 0.5, True), ("oral-chong", 1.0, False), ("esk-nasal-label", 1.2, True), ("sl-rolan", 2.0, False),
])
def test_doses_limited_to_label_and_trial_ranges(route, dose, ok):
    e = PKExplorer(route=route, dose_mg_per_kg=dose, infusion_min=0.0)
    if ok:
        assert not e.message_text and "plasma Cmax" in e.readout_text
    else:
        assert "dose_mg_per_kg for this route must be between" in e.message_text
        assert e.readout_text.startswith("No result")


def test_oral_matches_measured_25_mg_and_interaction_raises_exposure():
    e = PKExplorer(route="oral-chong", dose_mg_per_kg=0.35, infusion_min=0.0, model="kamp")
    assert "t5-oral25-cmax 22.8" in e.readout_text
    base_auc = _number(e.readout_text, r"AUC\(0–12 h\)")
    e.set(interacting_drug="ticlopidine")
    assert _number(e.readout_text, r"AUC\(0–12 h\)") == pytest.approx(2.4 * base_auc, rel=0.03)
    e.set(interacting_drug="rifampicin")
    assert _number(e.readout_text, r"AUC\(0–12 h\)") < 0.2 * base_auc


def test_ke0_choice_changes_effect_site_only():
    e = PKExplorer(infusion_min=0.0)
    plasma = np.array(e.figure.data[0].y)
    peak_fast = _number(e.readout_text, "effect-site peak")
    e.set(ke0=0.114)
    assert np.allclose(np.array(e.figure.data[0].y), plasma, rtol=1e-9, atol=1e-6)
    assert _number(e.readout_text, "effect-site peak") < peak_fast / 3


def test_weight_scales_per_kg_dose():
    light = PKExplorer(model="kamp", weight_kg=50)
    heavy = PKExplorer(model="kamp", weight_kg=100)
    assert _number(heavy.readout_text, "plasma Cmax") > _number(light.readout_text, "plasma Cmax")


def test_repeat_dosing_adds_peaks():
    e = PKExplorer(model="kamp", infusion_min=0.0, doses=3, interval_h=4)
    y = np.array(e.figure.data[0].y)
    assert y[4 * 60 + 2] > y[4 * 60 - 1] and y[8 * 60 + 2] > y[8 * 60 - 1]
    assert "×3 every 4 h" in e.readout_text


def test_static_figures_have_titles_and_units():
    for fig in (bioavailability_figure(), context_sensitive_figure()):
        assert fig.layout.title.text
        assert "(" in fig.layout.xaxis.title.text
    assert len(context_sensitive_figure().data) == 5
