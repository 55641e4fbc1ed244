"""Insights and the N-of-1 trial analysis: GET /insights, GET /trial/analysis.

The shapes are those of `kratom insights --json` and `kratom trial analyze --json`;
the Insights page renders the same models, so the page and the API never disagree.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kratom_journal.domain.errors import NotFoundError
from kratom_journal.services import trial, trial_results
from kratom_journal.services.insights import CHARTS, insights
from kratom_journal.web.api.insights_models import InsightsOut
from kratom_journal.web.api.trial_models import TrialAnalysisOut
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS

router = APIRouter(tags=["insights"], responses=ERRORS)

MAX_DAYS = 3650
Days = Annotated[
    int,
    Query(ge=1, le=MAX_DAYS, description="How many days to look back, today included."),
]


def chart_urls(days: int) -> list[str]:
    return [f"/insights/charts/{name}.svg?days={days}" for name in CHARTS]


@router.get("/insights", response_model=InsightsOut)
def get_insights(journal: JournalDep, now: NowDep, days: Days = 90) -> InsightsOut:
    """What doses did to pain (by dose band and product, with 95% intervals), whether
    relief per gram is falling (tolerance), side effects by dose, and the use pattern.
    A conclusion without enough data says so (`enough_data: false`) and what it needs.
    `charts` are the URLs of the SVG charts of the same period."""
    result = insights(journal, days=days, now=now)
    return InsightsOut.of(result, chart_urls(days))


def trial_result(journal: JournalDep, now: NowDep) -> trial_results.Result | None:
    """The latest trial's analysis, or None when there has never been a trial."""
    if trial.status(journal, now=now).trial is None:
        return None
    return trial_results.analyze(journal, now=now)


@router.get(
    "/trial/analysis",
    response_model=TrialAnalysisOut,
    responses={404: {"description": "There is no trial yet"}},
)
def get_trial_analysis(journal: JournalDep, now: NowDep) -> TrialAnalysisOut:
    """The latest N-of-1 trial's analysis with the days rated so far: the verdict,
    per-period means, paired differences (A - B) with a 95% interval, the exact
    randomization p, the AR(1) model, side effects and the minimal important
    difference with its sources. 404 when no trial has been designed."""
    result = trial_result(journal, now)
    if result is None:
        raise NotFoundError(
            "trial", "there is no trial yet; design one on the Protocols page"
        )
    return TrialAnalysisOut.of(result, "/insights/charts/trial.svg")
