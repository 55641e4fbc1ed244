"""N-of-1 analysis: the exact test by brute force, coverage and error rates by simulation."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from datetime import date, timedelta
from itertools import product
from statistics import fmean
from typing import Any

import numpy as np
import pytest

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.trial import Design, design_trial, trial_day, trial_days
from kratom_journal.domain.trial_analysis import (
    MID,
    Analysis,
    SideEffectRate,
    Status,
    analyze,
    randomization_p,
    required_days,
)
from kratom_journal.domain.trial_model import ar1_gls

START = date(2026, 1, 5)


def make(pairs: int = 4, period: int = 14, washout: int = 3, seed: int = 11) -> Design:
    return design_trial(
        "2 g",
        "3 g",
        pairs=pairs,
        period_days=period,
        washout_days=washout,
        outcome="peg",
        seed=seed,
        start=START,
    )


def simulate(
    design: Design,
    rng: np.random.Generator,
    *,
    effect: float,  # A minus B, points
    rho: float = 0.5,
    sd: float = 1.2,  # of the errors (stationary)
    drift: float = 0.01,  # points a day
    missing: float = 0.05,
) -> dict[date, float]:
    """Daily values from y = 5 + effect·A + drift·t + AR(1) error, some days missing."""
    days = trial_days(design)
    errors = np.empty(len(days))
    errors[0] = rng.normal(0, sd)
    for t in range(1, len(days)):
        errors[t] = rho * errors[t - 1] + rng.normal(0, sd * math.sqrt(1 - rho**2))
    daily = {}
    for t, day in enumerate(days):
        if rng.random() >= missing:
            value = 5 + effect * (day.regimen == "A") + drift * t + errors[t]
            daily[day.day] = float(np.clip(value, 0, 10))
    return daily


def simulate_trials(
    seed: int, runs: int, pairs: int = 4, **settings: Any
) -> list[Analysis]:
    """`runs` trials of `pairs` pairs of 14-day periods (3 washout days), each with
    its own randomized order."""
    rng = np.random.default_rng(seed)
    results = []
    for _ in range(runs):
        design = make(pairs, 14, 3, seed=int(rng.integers(2**63)))
        results.append(analyze(design, simulate(design, rng, **settings)))
    return results


# The exact randomization test ---------------------------------------------------


def brute_force_p(
    design: Design, daily: dict[date, float], off_plan: set[date]
) -> float:
    """Relabel the daily data under every possible order and recompute from scratch."""
    need = math.ceil(4 * (design.period_days - design.washout_days) / 7)

    def mean_difference(order: tuple[str, ...]) -> float:
        relabelled = replace(design, order=order)
        values: dict[tuple[int, str], list[float]] = {}
        for n in range(2 * design.pairs * design.period_days):
            day = design.start + timedelta(days=n)
            place = trial_day(relabelled, day)
            assert place is not None
            if not place.washout and day not in off_plan and day in daily:
                values.setdefault((place.pair, place.regimen), []).append(daily[day])
        differences = [
            fmean(values[(pair, "A")]) - fmean(values[(pair, "B")])
            for pair in range(1, design.pairs + 1)
            if len(values.get((pair, "A"), [])) >= need
            and len(values.get((pair, "B"), [])) >= need
        ]
        return fmean(differences)

    observed = abs(mean_difference(design.order))
    every = [mean_difference(o) for o in product(("AB", "BA"), repeat=design.pairs)]
    return sum(abs(m) >= observed - 1e-9 for m in every) / len(every)


def test_randomization_p_by_hand() -> None:
    # k = 3, every pair favours A: only the observed signs and their mirror image
    # are as extreme, 2 of 8.
    assert randomization_p([0.5, 1.0, 2.0]) == 0.25
    assert randomization_p([-0.5, -1.0, -2.0]) == 0.25
    # Every sign pattern of [1, -1, 1] has |sum| >= 1, so p = 1.
    assert randomization_p([1.0, -1.0, 1.0]) == 1.0
    # Ties count: sums of ±1 ±1 ±1 ±1 reaching |2| or more: 1 + 4 + 4 + 1 of 16.
    assert randomization_p([1.0, 1.0, -1.0, 1.0]) == 10 / 16
    assert randomization_p([0.0, 0.0]) == 1.0
    assert randomization_p([]) == 1.0
    assert randomization_p([3.0] * 6) == 2 / 64


def dataset(rng: np.random.Generator, design: Design, kind: str) -> dict[date, float]:
    days = trial_days(design)
    if kind == "integers":  # NRS-like whole numbers: many ties among period means
        return {d.day: float(rng.integers(3, 8)) for d in days}
    if kind == "constant periods":  # every pair differs by exactly ±1 or 0
        level = {(p, r): float(rng.integers(4, 6)) for p in range(1, 7) for r in "AB"}
        return {d.day: level[(d.pair, d.regimen)] for d in days}
    values = {d.day: float(rng.normal(5, 1.5)) for d in days}
    if kind == "gaps":  # random missing days, and one period too short to count
        values = {day: v for day, v in values.items() if rng.random() > 0.2}
        short = [d.day for d in days if d.pair == 2 and d.period == 1]
        for day in short[design.washout_days + 2 :]:
            values.pop(day, None)
    return values


@pytest.mark.parametrize("kind", ["normal", "integers", "constant periods", "gaps"])
@pytest.mark.parametrize("seed", range(3))
def test_randomization_p_equals_brute_force(kind: str, seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    design = make(pairs=int(rng.integers(3, 7)), period=7, washout=2, seed=seed)
    daily = dataset(rng, design, kind)
    off_plan = {d.day for d in trial_days(design) if rng.random() < 0.05}
    analysis = analyze(design, daily, off_plan=off_plan)
    if analysis.complete_pairs < 2:
        pytest.skip("this draw left fewer than 2 complete pairs")
    expected = brute_force_p(design, daily, off_plan)
    assert analysis.randomization_p == pytest.approx(expected, abs=1e-12)
    assert randomization_p(analysis.differences) == analysis.randomization_p
    assert analysis.smallest_p == 2 / 2**analysis.complete_pairs


def test_the_brute_force_cases_include_ties_and_short_periods() -> None:
    # Guards the test above: ties (p > the count of strictly larger) and a period
    # that does not count must both occur among its datasets.
    rng = np.random.default_rng(100)
    design = make(pairs=4, period=7, washout=2, seed=0)
    daily = dataset(rng, design, "constant periods")
    differences = analyze(design, daily).differences
    assert len({abs(d) for d in differences}) < len(differences)
    gaps = analyze(design, dataset(rng, design, "gaps"))
    assert not next(p for p in gaps.periods if (p.pair, p.period) == (2, 1)).counts


# A worked example ---------------------------------------------------------------


def stepped(design: Design, a: float, b: float) -> dict[date, float]:
    """Each period's mean is exactly `a` or `b`, with day-to-day ups and downs."""
    pattern = [0.5, -0.5, 0.25, -0.25, 0.0, 0.75, -0.75, 0.3, -0.3, 0.0, 0.0]
    values = {}
    for d in trial_days(design):
        if not d.washout:
            level = a if d.regimen == "A" else b
            values[d.day] = level + pattern[d.day_in_period - design.washout_days - 1]
    return values


def test_a_clear_difference_by_hand() -> None:
    design = make()
    analysis = analyze(design, stepped(design, 4.0, 6.0))
    assert analysis.status is Status.EVIDENCE
    assert analysis.complete_pairs == 4
    assert analysis.differences == pytest.approx([-2.0] * 4)
    assert analysis.mean_difference == pytest.approx(-2.0)
    assert analysis.low == pytest.approx(-2.0)  # no spread between pairs
    assert analysis.randomization_p == 2 / 16
    assert analysis.model is not None
    assert analysis.model.effect == pytest.approx(-2.0, abs=0.3)
    assert analysis.model.p_a_better > 0.9
    assert analysis.verdict.startswith(
        "On 2 g, pain (PEG) was 2.0 points lower than on 3 g (95% interval 2.0 to 2.0) "
        "over 4 pairs of periods; the approximate chance that the difference is at "
        "least 1 point is "
    )
    assert analysis.needs is None
    assert [p.days_used for p in analysis.periods] == [11] * 8
    assert all(p.mean in (4.0, 6.0) for p in analysis.periods)


def test_the_better_regimen_is_named_either_way() -> None:
    design = make()
    analysis = analyze(design, stepped(design, 6.5, 4.0))
    assert analysis.status is Status.EVIDENCE
    assert analysis.verdict.startswith(
        "On 3 g, pain (PEG) was 2.5 points lower than on 2 g"
    )


def test_a_model_that_cannot_be_fitted_is_not_a_crash_and_not_evidence() -> None:
    # The same rating every day of a regimen: nothing is left for the model's error.
    design = make()
    daily = {d.day: 4.0 if d.regimen == "A" else 6.0 for d in trial_days(design)}
    analysis = analyze(design, daily)
    assert analysis.model is None
    assert analysis.status is Status.NO_EVIDENCE
    assert analysis.mean_difference == pytest.approx(-2.0)
    assert "could not be fitted" in analysis.verdict
    assert any("could not be fitted" in limit for limit in analysis.limits)


def test_period_means_the_model_does_not_confirm_are_not_evidence() -> None:
    # Among noisy, strongly autocorrelated 3-pair trials, some have period means
    # whose interval excludes 0 while the model's does not.
    runs = simulate_trials(5, 60, pairs=3, effect=-1.0, rho=0.8, sd=1.5)
    split = [
        a
        for a in runs
        if a.low is not None
        and a.high is not None
        and (a.low > 0 or a.high < 0)
        and a.model is not None
        and a.model.low <= 0 <= a.model.high
    ]
    assert split
    for analysis in split:
        assert analysis.status is Status.NO_EVIDENCE
        assert analysis.verdict.startswith("The period means point to ")
        assert "the day-by-day model does not confirm it" in analysis.verdict


def test_no_difference_is_said_plainly() -> None:
    design = make(pairs=3)
    analysis = analyze(design, stepped(design, 5.0, 5.0))
    assert analysis.status is Status.NO_EVIDENCE
    assert analysis.verdict.startswith("No clear difference between 2 g and 3 g: ")
    assert "about the same on both" in analysis.verdict


# Simulation: coverage, false alarms, power ---------------------------------------


def test_the_model_interval_covers_the_truth_about_95_percent() -> None:
    truth = 0.5
    runs = simulate_trials(2024, 200, effect=truth)
    models = [a.model for a in runs]
    assert all(m is not None for m in models)
    covered = sum(m.low <= truth <= m.high for m in models if m is not None)
    assert 180 <= covered <= 198, covered
    # The model-free interval on k-1 df, for comparison.
    primary = sum(
        a.low <= truth <= a.high
        for a in runs
        if a.low is not None and a.high is not None
    )
    assert 180 <= primary <= 198, primary
    rho = fmean(m.rho for m in models if m is not None)
    assert 0.35 < rho < 0.65  # the simulated 0.5 is recovered


def test_null_trials_rarely_claim_evidence() -> None:
    runs = simulate_trials(7, 200, effect=0.0)
    statuses = [a.status for a in runs]
    assert statuses.count(Status.NOT_ENOUGH_DATA) == 0
    assert statuses.count(Status.NO_EVIDENCE) >= 190, statuses.count(Status.EVIDENCE)


@pytest.mark.parametrize(("effect", "better"), [(-2.0, "2 g"), (2.0, "3 g")])
def test_a_strong_effect_is_found_and_the_better_regimen_named(
    effect: float, better: str
) -> None:
    runs = simulate_trials(99, 40, effect=effect, pairs=6)
    found = [a for a in runs if a.status is Status.EVIDENCE]
    assert len(found) >= 36
    for analysis in found:
        assert analysis.verdict.startswith(f"On {better}, pain (PEG) was ")
        model = analysis.model
        assert model is not None
        chance = model.p_a_better if better == "2 g" else model.p_b_better
        assert chance > 0.5
        assert math.isclose(model.p_a_better + model.p_b_better + model.p_trivial, 1)


# The model against statsmodels' Kalman filter --------------------------------------


def test_the_gap_likelihood_matches_a_kalman_filter() -> None:
    """With missing days, ar1_gls equals SARIMAX's exact diffuse likelihood and GLS."""
    from scipy import optimize
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    rng = np.random.default_rng(5)
    design = make(pairs=3, period=10, washout=2)
    daily = simulate(design, rng, effect=-1.0, missing=0.15)
    days = trial_days(design)
    used = [d for d in days if not d.washout and d.day in daily]
    times = np.array([(d.day - START).days for d in used], dtype=np.int64)
    y = np.array([daily[d.day] for d in used])
    x = np.column_stack(
        [np.ones(len(used)), [d.regimen == "A" for d in used], times / 7.0]
    )
    rhos = np.array([-0.3, 0.2, 0.5, 0.8])
    ours, beta, cov, rss = ar1_gls(times, y, x, rhos)

    # The same regression on the full daily series, NaN where no value is used.
    series = np.full(len(days), np.nan)
    series[times] = y
    full_x = np.column_stack([np.ones(len(days)), [d.regimen == "A" for d in days]])
    full_x = np.column_stack([full_x, np.arange(len(days)) / 7.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAX(
            series,
            exog=full_x,
            order=(1, 0, 0),
            trend="n",
            mle_regression=False,
            use_exact_diffuse=True,
        )
        theirs = []
        for i, rho in enumerate(rhos):
            # Their likelihood has σ² free: profile it out numerically.
            best = optimize.minimize_scalar(
                lambda log_s2, r=rho: -model.loglike(np.array([r, np.exp(log_s2)])),
                bounds=(-5, 5),
                method="bounded",
                options={"xatol": 1e-10},
            )
            theirs.append(-best.fun)
            assert np.exp(best.x) == pytest.approx(rss[i] / (len(y) - 3), rel=1e-4)
            state = model.filter(np.array([rho, rss[i] / (len(y) - 3)]))
            names = model.state_names
            coefficient = state.filtered_state[names.index("beta.x1"), -1]
            variance = state.filtered_state_cov[
                names.index("beta.x1"), names.index("beta.x1"), -1
            ]
            assert beta[i, 1] == pytest.approx(coefficient, abs=1e-8)
            assert cov[i, 1, 1] == pytest.approx(variance, rel=1e-6)
    # Equal up to a constant, so equal differences between values of ρ.
    assert np.diff(ours) == pytest.approx(np.diff(theirs), abs=1e-6)


# Minimum data, exclusions, side effects -------------------------------------------


def test_one_complete_pair_is_not_enough() -> None:
    design = make()
    daily = {
        day: v
        for day, v in stepped(design, 4.0, 6.0).items()
        if day < START + timedelta(28)
    }
    analysis = analyze(design, daily, as_of=START + timedelta(days=30))
    assert analysis.status is Status.NOT_ENOUGH_DATA
    assert analysis.complete_pairs == 1
    assert analysis.differences == pytest.approx([-2.0])
    assert analysis.mean_difference is None and analysis.model is None
    assert analysis.randomization_p is None
    assert analysis.verdict.startswith(
        "Not enough data yet: 1 pair of periods complete"
    )
    assert analysis.needs is not None
    assert analysis.needs.startswith(
        "1 more complete pair of periods is needed (1 of 2"
    )
    assert "at least 7 of its 11 days after the washout" in analysis.needs
    assert "Too few days" not in analysis.needs


def test_a_trial_that_ran_out_of_days_says_so() -> None:
    design = make(pairs=3)
    daily = {
        day: v
        for day, v in stepped(design, 4.0, 6.0).items()
        if day < START + timedelta(28)
    }
    analysis = analyze(design, daily, as_of=design.end)
    assert analysis.status is Status.NOT_ENOUGH_DATA
    assert analysis.needs is not None and "Too few days are left" in analysis.needs
    assert any(
        "4 periods had fewer than 7 of 11 days rated" in x for x in analysis.limits
    )


def test_no_data_at_all() -> None:
    analysis = analyze(make(), {})
    assert analysis.status is Status.NOT_ENOUGH_DATA
    assert analysis.complete_pairs == 0
    assert analysis.needs is not None
    assert analysis.needs.startswith("2 more complete pairs of periods are needed")
    assert analysis.smallest_p == 1.0


@pytest.mark.parametrize(("rated", "counts"), [(6, False), (7, True)])
def test_a_period_counts_only_with_enough_rated_days(rated: int, counts: bool) -> None:
    design = make(pairs=3)  # 11 analysable days a period: 7 needed
    assert required_days(11) == 7
    assert (required_days(4), required_days(5), required_days(12)) == (3, 3, 7)
    daily = stepped(design, 4.0, 6.0)
    period = [d.day for d in trial_days(design) if d.pair == 3 and d.period == 2]
    for day in period[3 + rated :]:
        del daily[day]
    analysis = analyze(design, daily)
    last = analysis.periods[-1]
    assert (last.days_expected, last.days_used, last.counts) == (11, rated, counts)
    assert analysis.complete_pairs == (3 if counts else 2)


def test_washout_off_plan_outside_and_later_days_change_nothing() -> None:
    rng = np.random.default_rng(3)
    design = make()
    daily = simulate(design, rng, effect=-1.0, missing=0.0)
    off_plan = {START + timedelta(days=n) for n in (5, 20, 40, 41, 90)}
    as_of = START + timedelta(days=100)
    before = analyze(design, daily, off_plan=off_plan, as_of=as_of)
    changed = dict(daily)
    for d in trial_days(design):
        if d.washout or d.day in off_plan or d.day > as_of:
            changed[d.day] = float(rng.uniform(0, 10))
    changed[START - timedelta(days=1)] = 10.0
    changed[design.end] = 0.0
    after = analyze(design, changed, off_plan=off_plan, as_of=as_of)
    assert after == before
    # ...whereas changing one analysed day does change the result.
    analysed = next(d.day for d in trial_days(design) if not d.washout)
    changed[analysed] = 10.0 - daily[analysed]
    assert analyze(design, changed, off_plan=off_plan, as_of=as_of) != before
    assert "5 off-plan days were left out." in before.limits


def test_off_plan_days_reduce_a_periods_days() -> None:
    design = make(pairs=3)
    daily = stepped(design, 4.0, 6.0)
    period = [d.day for d in trial_days(design) if d.pair == 1 and d.period == 1]
    analysis = analyze(design, daily, off_plan=set(period[3:8]))
    first = analysis.periods[0]
    assert (first.days_expected, first.days_used, first.counts) == (11, 6, False)
    assert analysis.complete_pairs == 2


def test_side_effects_are_counted_per_regimen() -> None:
    design = make(pairs=3, period=7, washout=2)
    days = trial_days(design)
    a_days = [d.day for d in days if d.regimen == "A" and not d.washout]
    b_days = [d.day for d in days if d.regimen == "B" and not d.washout]
    washout = next(d.day for d in days if d.washout)
    logs: dict[date, dict[str, int]] = {}
    for day in a_days[:10]:
        logs[day] = {"constipation": 2}
    for day in a_days[10:12]:
        logs[day] = {}  # logged, nothing reported
    for day in b_days[:8]:
        logs[day] = {"constipation": 0, "drowsiness": 1}
    logs[washout] = {"nausea": 3}  # washout days are not analysed
    logs[a_days[12]] = {"nausea": 1}
    analysis = analyze(
        design, stepped(design, 4.0, 6.0), side_effects=logs, off_plan={a_days[12]}
    )
    assert analysis.side_effects == (
        SideEffectRate("constipation", "A", 10, 12),
        SideEffectRate("constipation", "B", 0, 8),
        SideEffectRate("drowsiness", "A", 0, 12),
        SideEffectRate("drowsiness", "B", 8, 8),
    )


@pytest.mark.parametrize("value", [11.0, -0.5, float("nan"), float("inf"), True, "5"])
def test_bad_outcome_values_are_refused(value: Any) -> None:
    with pytest.raises(InputError) as error:
        analyze(make(), {START: value})
    assert error.value.field == "outcome"
    assert "2026-01-05" in error.value.problem


def test_the_limits_say_what_the_design_cannot_do() -> None:
    design = make(pairs=3)
    analysis = analyze(design, stepped(design, 4.5, 5.0))
    text = " ".join(analysis.limits)
    assert "not blinded" in text
    assert "smallest two-sided randomization p-value possible is 0.25" in text
    assert "first 3 days of every period (18 days so far)" in text
    assert "No days were marked off-plan." in text
    assert "approximate" in text
    assert "clinician" in text
    assert MID == 1.0
