"""A trial's analysis with the data so far, and its chart."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from kratom_journal.domain import trial
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.findings import SourceRef
from kratom_journal.services.trial import latest_trial, local_today
from kratom_journal.services.trial_ratings import (
    daily_outcomes,
    difference_reference,
    minimal_difference,
    ratings_of,
)

if TYPE_CHECKING:
    # numpy and scipy take most of a second to import: only `analyze` loads them.
    from kratom_journal.domain.trial_analysis import Analysis  # noqa: TC004
    from kratom_journal.services.journal import Journal


@dataclass(frozen=True)
class Result:
    analysis: Analysis
    daily: dict[date, float]  # each day's outcome, for the chart
    sources: tuple[SourceRef, ...]  # where the minimal important difference comes from


def analyze(journal: Journal, *, now: datetime) -> Result:
    """The latest trial's analysis with the data so far."""
    from kratom_journal.domain.trial_analysis import (  # noqa: PLC0415 - slow import
        analyze as run_analysis,
    )

    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        current = latest_trial(repo)
        if current is None:
            raise InputError(
                "trial", "there is no trial yet; `kratom trial design` starts one"
            )
        ratings = ratings_of(repo, profile, current)
        today = local_today(profile, now)
    daily, effects = daily_outcomes(ratings, current.design.outcome)
    as_of = today if current.stopped_on is None else min(today, current.stopped_on)
    if current.plan is None:  # designed before plans were stored
        mid, sources = minimal_difference(current.design.outcome)
    else:  # the difference fixed at design time, with its entry's sources
        _, sources = difference_reference(current.plan.mid_reference)
        mid = current.plan.mid
    analysis = run_analysis(
        current.design,
        daily,
        off_plan=current.off_plan,
        side_effects=effects,
        as_of=as_of,
        mid=mid,
        ignored_checkins=ratings.ignored(as_of),
    )
    if current.plan is None:
        analysis = dataclasses.replace(
            analysis, limits=(LEGACY_LIMIT, *analysis.limits)
        )
    return Result(analysis, daily, sources)


LEGACY_LIMIT = (
    "This trial was designed before trial ratings were kept apart from other "
    "check-ins: only ratings logged with `kratom trial log` since then count, and "
    "its analysis plan was not stored."
)


def draw_chart(result: Result, fmt: Literal["png", "svg"]) -> bytes:
    """The trial day by day; matplotlib is imported only here."""
    from kratom_journal.reports import charts  # noqa: PLC0415 - slow; only when drawing

    design_ = result.analysis.design
    points = [
        charts.TrialDayPoint(d.day, result.daily.get(d.day), d.regimen, d.washout)
        for d in trial.trial_days(design_)
    ]
    return charts.trial_chart(points, design_.regimen_a, design_.regimen_b, fmt)
