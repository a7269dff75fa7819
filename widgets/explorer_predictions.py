"""The recorded prediction of each explorer (notebooks 01–10), in one place.

Each explorer class names its entry (``prediction = PREDICTIONS["TimelineExplorer"]``).
Every question is the explorer's "Predict, then check" question; every answer is
computed from the explorer's own model or table at the setting, never written here.
Setting values name the explorer's controls; other controls keep the values the
explorer was built with. See :mod:`widgets.prediction`.
"""

from __future__ import annotations

import math

import numpy as np

import course_data
from widgets.lazy_imports import lazy_module
from widgets.models.occupancy import free_concentration, ng_per_ml_to_micromolar
from widgets.prediction import PredictionSpec

# Each answer runs its own explorer's model: a kernel imports only the models it uses (scipy is heavy).
benzo = lazy_module("widgets.models.benzodiazepines")
combined_sedation, epidemiology, harm_weights, hunter, interaction, ketamine_ssri, mechanisms, pk, ssris, targets, \
    timeline, treatment = (lazy_module(f"widgets.models.{name}") for name in (
        "combined_sedation", "epidemiology", "harm_weights", "hunter", "interaction", "ketamine_ssri", "mechanisms",
        "pk", "ssris", "targets", "timeline", "treatment"))


# ---------------------------------------------------------------- answers from the models
def verified_event_count(v) -> float:
    return float(len(timeline.filter_events(timeline.timeline(), v["category"], v["status_filter"])))


def hypotheses_with_findings(v) -> float:
    table = mechanisms.evidence()
    mask = mechanisms.filter_evidence(table, hypothesis=v["hypothesis"], species=v["species"],
                                      direction=v["direction"], strength=v["strength"])
    return float(table[mask]["hypothesis"].nunique())


def targets_at_least_10_percent(v) -> float:
    """Targets whose median predicted occupancy is ≥ 10 % at the context's upper concentration."""
    high = targets.context_band(v["context"])[1] if v["context"] != "custom" else v["concentration_ng_per_ml"]
    return float(len(targets.targets_crossing(high, v["free_fraction"], 0.1)))


def pk_peak_plasma_ng_per_ml(v) -> float:
    """Plasma Cmax of the IV regimen in the 70-kg reference adult (for an infusion: the concentration when it ends)."""
    model = pk.model_with_interaction(v["model"], pk.REFERENCE_WEIGHT_KG, v["interacting_drug"], v["ke0"])
    doses = pk.iv_doses(v["dose_mg_per_kg"], v["infusion_min"])
    return pk.summarise(pk.simulate(model, doses, np.arange(0.0, 12 * 60 + 1.0))).cmax_ng_per_ml


def benzo_accumulation_ratio(v) -> float:
    return benzo.drug_course(v["drug_a"], np.array([0.0])).accumulation[1]


def probability_at_dose_pair_percent(v) -> float:
    hong = interaction.hong1993()
    um = v["midazolam_mg_per_kg"] / hong.midazolam.value_mg_per_kg
    uk = v["ketamine_mg_per_kg"] / hong.ketamine.value_mg_per_kg
    return 100 * float(interaction.probability_from_drive(interaction.hypnotic_drive(um, uk, v["alpha"]), v["slope"]))


def peak_combined_drive(v) -> float:
    return combined_sedation.combined_course(v["midazolam_mg_per_kg"], v["ketamine_mg_per_kg"], v["ketamine_delay_min"],
                                             v["alpha"], v["midazolam_model"], v["ketamine_ke0"]).peak_drive


def ratings_citing_primary_studies(v) -> float:
    from widgets.explorers.ratings import rows_for  # the explorer's own table (imported late: it imports this module)

    rows = rows_for(v["pair"])
    return float((rows[rows["rater_kind"] != "primary evidence"]["cites"] == "primary studies").sum())


def ratings_notebook(v) -> str:
    return "06_ketamine_benzodiazepines" if v["pair"] == "ketamine+benzodiazepines" else "08_ketamine_ssris"


def ssri_days_to_90_percent(v) -> float:
    half_life = ssris.half_life_range(v["drug"])
    hours = half_life.low_h if v["half_life"] == "shortest reported" else half_life.high_h
    return ssris.days_to_steady_state_fraction(hours / 24.0)


def _cyp2b6_in_vitro() -> dict[str, float]:
    table = ssris.cyp_table()
    rows = table[(table["enzyme"] == "CYP2B6") & (table["evidence_type"] == "in vitro") & table["value_um"].notna()]
    return rows.groupby("compound")["value_um"].min().sort_index().to_dict()


def cyp2b6_compounds(_v) -> tuple[str, ...]:
    return tuple(_cyp2b6_in_vitro())


def strongest_cyp2b6_inhibitor(_v) -> str:
    values = _cyp2b6_in_vitro()
    return min(values, key=values.get)


def cyp2b6_detail(v) -> str:
    values = _cyp2b6_in_vitro()
    return ", ".join(f"{c} {values[c]:g} µM" for c in sorted(values, key=values.get))


SERT_CHOICES = ("about 70 %, like an SSRI", "about 10 %", "about 0.1 %")
_SERT_LEVELS = (70.0, 10.0, 0.1)


def sert_occupancy_percent(v) -> float:
    ki = next(a for a in ketamine_ssri.sert_affinities() if a.id == v["affinity"])
    fu = next(f for f in ketamine_ssri.free_fractions() if f.id == v["free_fraction"])
    return float(ketamine_ssri.predicted_occupancy_percent(v["concentration_ng_per_ml"], ki.value_um, fu.fraction_unbound))


def nearest_sert_choice(v) -> str:
    """The choice nearest the predicted occupancy on a log scale (the choices are orders of magnitude apart)."""
    occupancy = sert_occupancy_percent(v)
    return min(zip(SERT_CHOICES, _SERT_LEVELS), key=lambda c: abs(math.log10(c[1]) - math.log10(occupancy)))[0]


HUNTER_CHOICES = ("Yes: at least one rule is met", "No: no rule is met")


def hunter_verdict(v) -> str:
    features = {k: bool(v[k]) for k in hunter.FEATURES}
    return HUNTER_CHOICES[0] if hunter.hunter_criteria(bool(v["serotonergic_drug"]), **features).toxicity else HUNTER_CHOICES[1]


def bp_peak_time_range_min(v) -> tuple[float, float]:
    """Earliest and latest peak time (min) over the published series."""
    table = course_data.load("blood_pressure")
    return float(table["peak_time_low_min"].min()), float(table["peak_time_high_min"].max())


TRIAL_CHOICES = ("higher in every trial shown", "higher in some trials, lower in others",
                 "about the same in every trial", "lower in every trial shown")


def _response_differences_pp(outcome: str) -> np.ndarray:
    from widgets.explorers.trials import trial_rows  # the explorer's own table (imported late: it imports this module)

    return trial_rows(outcome)["rate_difference_pp"].dropna().to_numpy(float)


def trial_direction(v) -> str:
    diffs = _response_differences_pp(v["outcome"])
    if np.all(np.abs(diffs) < 1):
        return TRIAL_CHOICES[2]
    if np.all(diffs > 0):
        return TRIAL_CHOICES[0]
    if np.all(diffs < 0):
        return TRIAL_CHOICES[3]
    return TRIAL_CHOICES[1]


def trial_detail(v) -> str:
    diffs = _response_differences_pp(v["outcome"])
    return f"differences from {diffs.min():+.1f} to {diffs.max():+.1f} percentage points"


def latest_young_adult_use_percent(v) -> float:
    family = epidemiology.series_family(v["family"], include_flagged=v["show_flagged"])
    series = next(s for s in family.series if "16–24" in s.name)
    latest = max((j for j, flagged in enumerate(series.flagged) if not flagged), key=lambda j: series.years[j])
    return float(series.values[latest])


HARM_CHOICES = ("it moves up (ranked more harmful)", "it moves down (ranked less harmful)", "it stays at the same rank")


def _ketamine_ranks(v) -> tuple[int, int, int]:
    """(rank with these weights, published rank, number of drugs), as the explorer computes them."""
    data = harm_weights.harm_data()
    default_share = round(harm_weights.implied_users_share_pct(data.weights, data.clusters), 1)
    share = None if (v["preset"] == "published" and abs(v["users_share_pct"] - default_share) < 0.051) else v["users_share_pct"]
    table = harm_weights.harm_table(v["preset"], share, v["emphasise"], v["factor"])
    return int(table.loc["ketamine", "rank"]), int(table.loc["ketamine", "published_rank"]), len(table)


def ketamine_rank_move(v) -> str:
    rank, published, _ = _ketamine_ranks(v)
    return HARM_CHOICES[0] if rank < published else HARM_CHOICES[1] if rank > published else HARM_CHOICES[2]


def ketamine_rank_detail(v) -> str:
    rank, published, n = _ketamine_ranks(v)
    return f"rank {published} of {n} with the published weights, {rank} with these"


NO_RESULT = "none of them"


def _ratio_rows(v):
    return treatment.forest_rows(v["measure"], v["substance"])


def ratio_choices(v) -> tuple[str, ...]:
    return tuple(f"{r.trial}: {r.outcome}" for r in _ratio_rows(v)) + (NO_RESULT,)


def result_compatible_with_no_effect(v) -> str:
    crossing = [f"{r.trial}: {r.outcome}" for r in _ratio_rows(v) if r.excludes_null(1.0) is False]
    return crossing[0] if len(crossing) == 1 else NO_RESULT


def ratio_detail(v) -> str:
    return "; ".join(f"{r.trial} {r.estimate:g} ({r.ci_low:g}–{r.ci_high:g})" for r in _ratio_rows(v) if r.has_interval)


# ---------------------------------------------------------------- one prediction per explorer
PREDICTIONS: dict[str, PredictionSpec] = {
    "TimelineExplorer": PredictionSpec(
        "01-timeline-verified-events", "01_ketamine_at_a_glance",
        "How many of the dated events will survive the filter 'VERIFIED only'?",
        {"category": timeline.ALL, "status_filter": "VERIFIED only"}, verified_event_count, unit="events", count=True,
        source="the timeline shows"),
    "MechanismEvidenceExplorer": PredictionSpec(
        "02-mechanisms-human-evidence", "02_nmda_receptor",
        "How many of the hypotheses have at least one finding from humans?",
        {"hypothesis": mechanisms.ALL, "species": "human", "direction": mechanisms.ALL, "strength": mechanisms.ALL},
        hypotheses_with_findings, unit="hypotheses", count=True, source="the evidence map shows"),
    "TargetEngagementExplorer": PredictionSpec(
        "03-targets-over-10-percent", "03_target_engagement",
        "At the antidepressant infusion, how many targets will ketamine occupy by 10 % or more (median of the reported values)?",
        {"context": "antidepressant infusion"}, targets_at_least_10_percent, unit="targets", count=True),
    "PKExplorer": PredictionSpec(
        "04-pk-end-of-infusion", "04_pharmacokinetics",
        "For 0.5 mg/kg IV over 40 min, what plasma concentration will the selected model reach when the infusion ends "
        "(its peak)?",
        {"route": "iv", "dose_mg_per_kg": 0.5, "infusion_min": 40.0, "interacting_drug": "none"},
        pk_peak_plasma_ng_per_ml, unit="ng/mL"),
    "BenzodiazepineComparisonExplorer": PredictionSpec(
        "05-benzo-accumulation", "05_benzodiazepines",
        "With one dose a day, how many times higher will Drug A's level be at steady state than after the first dose "
        "(its accumulation ratio)?",
        {"drug_a": "diazepam", "regimen": "once daily (every 24 h)"}, benzo_accumulation_ratio, unit="times"),
    "InteractionSurfaceExplorer": PredictionSpec(
        "06-surface-additive-probability", "06_ketamine_benzodiazepines",
        "With α = 0 (simple additivity), what probability of no response to a verbal command will the model give at "
        "Hong's combination dose?",
        {"alpha": 0.0}, probability_at_dose_pair_percent, unit="%"),
    "CombinedTimeCourseExplorer": PredictionSpec(
        "06-combined-peak-drive", "06_ketamine_benzodiazepines",
        "Neither dose alone reaches the ED50 line (a drive of 1). What peak combined drive will the pair reach?",
        {"alpha": 0.0, "ketamine_delay_min": 5.0}, peak_combined_drive, unit="ED50-equivalents"),
    "RatingsExplorer": PredictionSpec(
        "ratings-cite-primary-studies", ratings_notebook,
        "How many of the published ratings and labels for this pair cite a primary study?",
        {"show": "all rows"}, ratings_citing_primary_studies, unit="ratings", count=True, source="the table shows"),
    "SSRIKineticsExplorer": PredictionSpec(
        "07-ssri-days-to-90-percent", "07_ssris",
        "Taken every day, after how many days will sertraline reach 90 % of its steady-state level?",
        {"drug": "sertraline", "half_life": "shortest reported"}, ssri_days_to_90_percent, unit="days"),
    "CYPInhibitionExplorer": PredictionSpec(
        "07-cyp2b6-strongest", "07_ssris",
        "Which SSRI inhibits CYP2B6, the enzyme that metabolises ketamine, most strongly in vitro (the lowest Ki or IC50)?",
        {}, strongest_cyp2b6_inhibitor, choices=cyp2b6_compounds, detail=cyp2b6_detail,
        source="the in vitro values give"),
    "SertOccupancyExplorer": PredictionSpec(
        "08-sert-occupancy", "08_ketamine_ssris",
        "At the plasma level at the end of an antidepressant infusion, how much of the serotonin transporter "
        "will ketamine occupy?",
        {"concentration_ng_per_ml": 185.0}, nearest_sert_choice, choices=SERT_CHOICES,
        detail=lambda v: f"predicted occupancy {sert_occupancy_percent(v):.2g} %"),
    "HunterCriteriaExplorer": PredictionSpec(
        "08-hunter-forum-symptoms", "08_ketamine_ssris",
        "Someone on a serotonergic drug has the forum post's symptoms: agitation, confusion, a fast heart rate and "
        "high blood pressure. Do these findings meet any Hunter rule?",
        {"serotonergic_drug": True, "agitation": True}, hunter_verdict, choices=HUNTER_CHOICES,
        source="the rules give"),
    "BloodPressureExplorer": PredictionSpec(
        "08-bp-peak-time", "08_ketamine_ssris",
        "How many minutes after an esketamine dose or the start of a 40-minute ketamine infusion does blood pressure peak?",
        {"measure": "peak time"}, bp_peak_time_range_min, unit="min", source="the published series give"),
    "TrialEvidenceExplorer": PredictionSpec(
        "08-trials-response", "08_ketamine_ssris",
        "Compared with the antidepressant-only arm, how often do patients in the esketamine or ketamine arm respond?",
        {"outcome": "response"}, trial_direction, choices=TRIAL_CHOICES, detail=trial_detail, source="the trials show"),
    "EpidemiologyExplorer": PredictionSpec(
        "09-csew-young-adults-latest", "09_addiction_risk",
        "What share of 16–24-year-olds in England and Wales used ketamine in the past year, in the most recent survey shown?",
        {"family": "csew-prevalence", "show_flagged": True}, latest_young_adult_use_percent, unit="%",
        source="the survey gives"),
    "HarmWeightExplorer": PredictionSpec(
        "09-harm-dependence-only", "09_addiction_risk",
        "If only dependence counted, what would happen to ketamine's place in the ranking?",
        {"preset": "dependence"}, ketamine_rank_move, choices=HARM_CHOICES, detail=ketamine_rank_detail),
    "TreatmentTrialsExplorer": PredictionSpec(
        "10-treatment-ratio-no-effect", "10_addiction_treatment",
        "Among the relapse ratios, which result is compatible with no effect (its 95 % interval includes 1)?",
        {"measure": "ratio", "substance": "all"}, result_compatible_with_no_effect, choices=ratio_choices,
        detail=ratio_detail, source="the intervals show"),
}
