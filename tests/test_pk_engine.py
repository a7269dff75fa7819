"""Closed-form checks of the exact PK engine (widgets.models.pk)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.integrate import solve_ivp

from widgets.models import pk
from widgets.models.pk import engine
from widgets.validation import CourseInputError

KETAMINE = ["domino", "clements", "hijazi", "herd", "kamp"]
ALL_MODELS = KETAMINE + ["albrecht-midazolam-under65", "albrecht-midazolam-65plus"]


def test_published_macro_half_lives():
    # opentiva-coded parameters reproduce the macro half-lives listed in mod:P57 and mod:P58
    assert np.allclose(pk.model_from_table("domino", 70).half_lives_min(), [0.40, 4.6, 114.6], atol=0.05)
    assert np.allclose(pk.model_from_table("clements", 70).half_lives_min(), [17.6, 182.9], atol=0.05)


@pytest.mark.parametrize("model_id", ALL_MODELS)
@pytest.mark.parametrize("route", ["iv-bolus", "iv-infusion", "oral-chong", "sl-rolan"])
def test_auc_infinity_is_f_dose_over_cl(model_id, route):
    model = pk.model_from_table(model_id, 70)
    doses = (pk.route_doses("iv", 20) if route == "iv-bolus" else
             pk.route_doses("iv", 20, infusion_min=40) if route == "iv-infusion" else pk.route_doses(route, 20))
    f = 1.0 if route.startswith("iv") else float(pk.routes().set_index("id").loc[route, "bioavailability"])
    expected = f * 20 / model.clearance_l_per_min
    assert pk.auc_infinity_mg_min_per_l(model, doses) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("model_id", ALL_MODELS)
def test_mass_balance(model_id):
    model = pk.model_from_table(model_id, 70)
    doses = [pk.bolus(0, 10), pk.infusion(5, 40, 30), pk.absorption_dose(60, 25, 0.05, 0.3)]
    t = np.arange(0, 600.5, 0.5)
    r = pk.simulate(model, doses, t, with_amounts=True)
    total = r.amounts_mg.sum(axis=1) + r.eliminated_mg
    given = 10 + 30 * np.clip((t - 5) / 40, 0, 1) + 25 * 0.3 * (t >= 60)
    assert np.allclose(total, given, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("model_id", KETAMINE)
def test_superposition_two_halves_equal_one_dose(model_id):
    model = pk.model_from_table(model_id, 70)
    t = np.linspace(0, 300, 3001)
    one = pk.simulate(model, [pk.bolus(3.3, 20)], t)
    two = pk.simulate(model, [pk.bolus(3.3, 10), pk.bolus(3.3, 10)], t)
    assert np.allclose(one.plasma_ng_per_ml, two.plasma_ng_per_ml, rtol=1e-12, atol=1e-12)
    assert np.allclose(one.effect_site_ng_per_ml, two.effect_site_ng_per_ml, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("model_id", ALL_MODELS)
def test_infusion_plateau_is_rate_over_cl_and_effect_site_equals_plasma(model_id):
    model = pk.model_from_table(model_id, 70)
    rate_mg_per_min = 0.3
    t = np.array([0.0, 9_000.0, 9_001.0])       # > 30 terminal half-lives of every model
    r = pk.simulate(model, [pk.infusion(0, 10_000, rate_mg_per_min * 10_000)], t)
    plateau = rate_mg_per_min / model.clearance_l_per_min * 1000
    assert r.plasma_ng_per_ml[-1] == pytest.approx(plateau, rel=1e-9)
    assert r.effect_site_ng_per_ml[-1] == pytest.approx(plateau, rel=1e-9)


def _ode_reference(model, doses, t):
    """solve_ivp on the same system (amounts, depots, effect site)."""
    kas = sorted({d.ka_per_min for d in doses if isinstance(d, pk.AbsorptionDose)})
    a = engine.augmented_system(model, kas, False).a
    n = model.compartments
    events = sorted({0.0, t[-1]} | {d.time_min + getattr(d, "lag_min", 0) for d in doses if not isinstance(d, pk.Infusion)}
                    | {x for d in doses if isinstance(d, pk.Infusion) for x in (d.start_min, d.start_min + d.duration_min)})
    x = np.zeros(a.shape[0])
    out = np.zeros((len(t), a.shape[0]))
    for lo, hi in zip(events[:-1], events[1:]):
        for d in doses:
            if isinstance(d, pk.Bolus) and d.time_min == lo:
                x[0] += d.amount_mg
            if isinstance(d, pk.AbsorptionDose) and d.time_min + d.lag_min == lo:
                x[n + kas.index(d.ka_per_min)] += d.amount_mg * d.bioavailability
        rate = sum(d.rate_mg_per_min for d in doses if isinstance(d, pk.Infusion) and d.start_min <= lo < d.start_min + d.duration_min)
        b = np.zeros_like(x); b[0] = rate
        inside = (t >= lo) & (t <= hi)
        sol = solve_ivp(lambda _s, y: a @ y + b, (lo, hi), x, method="LSODA", t_eval=t[inside], rtol=1e-10, atol=1e-13)
        out[inside] = sol.y.T
        x = sol.y[:, -1] if sol.y.shape[1] and t[inside][-1] == hi else solve_ivp(lambda _s, y: a @ y + b, (lo, hi), x, method="LSODA", rtol=1e-10, atol=1e-13).y[:, -1]
    return out[:, 0] / model.v1_l * 1000, out[:, -1] * 1000


@pytest.mark.parametrize("model_id", ALL_MODELS)
@pytest.mark.parametrize("route_id", ["iv", "im-clements", "in-adult-10mg", "esk-nasal-label", "oral-chong", "sl-rolan"])
def test_exact_solver_matches_solve_ivp(model_id, route_id):
    model = pk.model_from_table(model_id, 70)
    doses = pk.route_doses(route_id, 20, count=2, interval_min=90) + [pk.infusion(30, 40, 15)]
    t = np.arange(0, 361.0)
    exact = pk.simulate(model, doses, t)
    plasma, effect = _ode_reference(model, doses, t)
    for mine, ref in ((exact.plasma_ng_per_ml, plasma), (exact.effect_site_ng_per_ml, effect)):
        on = ref > 1e-3 * ref.max()
        # solve_ivp itself is good to about 1e-9 at rtol 1e-10; the engine is exact
        assert np.max(np.abs(mine[on] - ref[on]) / ref[on]) < 1e-8


def test_uniform_grid_recurrence_equals_closed_form_at_off_grid_dose_times():
    model = pk.model_from_table("domino", 70)
    doses = [pk.infusion(0.37, 39.91, 35), pk.bolus(61.234, 5), pk.absorption_dose(90.5, 10, 0.05, 0.2, lag_min=2.25)]
    t = np.arange(0, 240.25, 0.25)
    system = engine.augmented_system(model, [0.05], True)
    inputs = engine.inputs_for(tuple(doses), system)
    fast = system.vecs @ engine.modal_recurrence(system, t, inputs)   # recurrence (lfilter) path
    slow = system.vecs @ engine.modal_closed_form(system, t, inputs)  # closed-form sum per dose
    assert np.allclose(fast, slow, rtol=1e-10, atol=1e-10)
    jitter = t.copy(); jitter[1:] += 1e-9 * np.arange(1, len(t))      # non-uniform grid: public closed-form path
    assert np.allclose(pk.simulate(model, doses, jitter).plasma_ng_per_ml, pk.simulate(model, doses, t).plasma_ng_per_ml, rtol=1e-5)


def test_effect_site_lags_plasma_and_ke0_none_equals_plasma():
    model = pk.model_from_table("kamp", 70)
    t = np.arange(0, 120.0)
    r = pk.simulate(model, pk.route_doses("iv", 35, infusion_min=40), t)
    assert np.all(r.effect_site_ng_per_ml[1:41] < r.plasma_ng_per_ml[1:41])
    r0 = pk.simulate(model.with_ke0(None), pk.route_doses("iv", 35, infusion_min=40), t)
    assert np.array_equal(r0.effect_site_ng_per_ml, r0.plasma_ng_per_ml)


def test_coincident_ka_and_ke0_still_solved():
    model = pk.model_from_table("kamp", 70).with_ke0(0.1)
    t = np.arange(0, 300.0)
    r = pk.simulate(model, [pk.absorption_dose(0, 20, 0.1, 0.5)], t)
    near = pk.simulate(model.with_ke0(0.1001), [pk.absorption_dose(0, 20, 0.1, 0.5)], t)
    assert np.allclose(r.effect_site_ng_per_ml, near.effect_site_ng_per_ml, rtol=2e-3, atol=1e-6)


@pytest.mark.parametrize("call, fragment", [
    (lambda: pk.bolus(0, 0), "amount_mg must be"),
    (lambda: pk.bolus(0, -1), "amount_mg must be"),
    (lambda: pk.model_from_table("domino", 2.5), "weight_kg must be between 3 and 200 kg"),
    (lambda: pk.model_from_table("domino", 250), "weight_kg must be between 3 and 200 kg"),
    (lambda: pk.infusion(0, 0, 10), "duration_min must be"),
    (lambda: pk.absorption_dose(0, 10, 0.1, bioavailability=1.2), "bioavailability must be"),
    (lambda: pk.absorption_dose(0, 10, 0.1, bioavailability=0), "bioavailability must be"),
    (lambda: pk.bolus(-5, 10), "time_min must be"),
    (lambda: pk.simulate(pk.model_from_table("domino", 70), [pk.bolus(0, 1)], [-1, 0, 1]), "times_min must be ≥ 0"),
    (lambda: pk.simulate(pk.model_from_table("domino", 70), [pk.bolus(0, 1)], [0, 2, 1]), "strictly increasing"),
    (lambda: pk.model_from_table("nonexistent", 70), "model_id must be one of"),
    (lambda: pk.route_doses("rectal", 10), "route_id must be one of"),
    (lambda: pk.interaction_factors("grapefruit"), "interacting_drug must be one of"),
])
def test_bad_input_gives_clear_message(call, fragment):
    with pytest.raises(CourseInputError, match=fragment):
        call()


@settings(max_examples=50, deadline=None)
@given(model_id=st.sampled_from(ALL_MODELS), route_id=st.sampled_from(["iv", "im-clements", "in-children", "oral-chong", "sl-chong"]),
       dose_mg_per_kg=st.floats(0.01, 13), weight=st.floats(3, 200), infusion_min=st.one_of(st.none(), st.floats(0.5, 240)),
       count=st.integers(1, 5), interval=st.floats(1, 600), ke0=st.floats(0.01, 10))
def test_concentrations_finite_and_non_negative(model_id, route_id, dose_mg_per_kg, weight, infusion_min, count, interval, ke0):
    model = pk.model_from_table(model_id, weight, ke0_per_min=ke0)
    doses = pk.route_doses(route_id, min(dose_mg_per_kg * weight, 5000), infusion_min=infusion_min if route_id == "iv" else None,
                           count=count, interval_min=interval)
    r = pk.simulate(model, doses, np.arange(0, 24 * 60 + 1.0))
    for y in (r.plasma_ng_per_ml, r.effect_site_ng_per_ml):
        assert np.all(np.isfinite(y)) and np.all(y >= 0)


@pytest.mark.parametrize("model_id", ["domino", "clements", "albrecht-midazolam-under65"])
def test_segment_closed_form_equals_recurrence(model_id):
    # the two exact uniform-grid paths (few doses: closed-form segments; many doses: lfilter recurrence) agree
    model = pk.model_from_table(model_id, 70)
    doses = [pk.infusion(0.2, 40.05, 35), pk.bolus(61.01, 5), pk.absorption_dose(90.5, 10, 0.05, 0.2, lag_min=2.25)]
    t = np.arange(0, 480.0, 1 / 60)
    system = engine.augmented_system(model, [0.05], False)
    h = t[1] - t[0]
    segments = engine.outputs_by_segments(system, t, h, engine.inputs_for(tuple(doses), system))
    recurrence = system.output_weights @ engine.modal_recurrence(system, t, engine.inputs_for(tuple(doses), system))
    on = np.abs(recurrence) > 1e-6 * np.abs(recurrence).max(axis=1, keepdims=True)
    assert np.max(np.abs(segments - recurrence)[on] / np.abs(recurrence)[on]) < 1e-9
    many = tuple(pk.repeat(pk.bolus(0, 0.5), engine.MAX_SEGMENTS + 6, 5.0))   # too many segments: recurrence path
    assert engine.outputs_by_segments(system, t, h, engine.inputs_for(many, system)) is None
    r = pk.simulate(model, many, t)
    recurrence = system.output_weights @ engine.modal_recurrence(system, t, engine.inputs_for(many, system))
    assert np.allclose(r.plasma_ng_per_ml, recurrence[0], rtol=1e-12, atol=1e-12)
    assert r.plasma_ng_per_ml[-1] > 0


def test_time_grid_is_checked_once_read_only_and_gives_the_same_result():
    model = pk.model_from_table("domino", 70)
    doses = pk.route_doses("iv", 35, infusion_min=40) + [pk.bolus(61.5, 5)]
    grid = pk.time_grid(360, 1 / 60)
    assert len(grid) == 21_601 and grid[0] == 0 and grid[-1] == pytest.approx(360)
    assert engine.uniform_step(grid)[1] == pytest.approx(1 / 60)
    with pytest.raises(ValueError):
        grid[5] = 1.0                                    # read-only: the once-checked grid cannot change
    plain = np.array(grid)                               # a writable copy is checked on every call
    assert np.array_equal(pk.simulate(model, doses, grid).plasma_ng_per_ml, pk.simulate(model, doses, plain).plasma_ng_per_ml)
    for call, fragment in ((lambda: pk.time_grid(0, 1), "stop_min must be"), (lambda: pk.time_grid(10, 0), "step_min must be"),
                           (lambda: pk.time_grid(10, 1, start_min=-1), "start_min must be")):
        with pytest.raises(CourseInputError, match=fragment):
            call()
