"""Insights: the conclusions with their intervals, tables, charts and the trial analysis.

Charts are SVG images at /insights/charts/{name}.svg, drawn on request (matplotlib
is imported then, never when the app starts) with their CSS rewritten as
attributes so the app's strict Content-Security-Policy holds for them too.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.services import trial_results
from kratom_journal.services.insights import CHARTS, draw_charts, insights
from kratom_journal.services.profiles import show_profile
from kratom_journal.web.api.insights import Days, chart_urls, trial_result
from kratom_journal.web.api.insights_models import InsightsOut
from kratom_journal.web.api.trial_models import TrialAnalysisOut
from kratom_journal.web.chart_svg import without_css
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.templating import render

if TYPE_CHECKING:
    from kratom_journal.domain.insights import Insights

router = APIRouter(include_in_schema=False)

PERIODS = (30, 90, 365)
TOPICS = {
    "effect": "What doses did",
    "dose-response": "Dose size",
    "tolerance": "Tolerance",
    "side-effects": "Side effects",
    "product": "By product",
    "pattern": "Use pattern",
}
SVG = "image/svg+xml"
TRIAL_CHART = "trial"


@router.get("/insights", response_class=HTMLResponse)
def insights_page(
    request: Request, journal: JournalDep, now: NowDep, days: Days = 90
) -> HTMLResponse:
    result = insights(journal, days=days, now=now)
    view = InsightsOut.of(result, chart_urls(days))
    trial_view, trial_problem = None, None
    try:
        analysed = trial_result(journal, now)
    except SafetyCheckUnavailable as error:
        analysed, trial_problem = None, str(error)
    if analysed is not None:
        trial_view = TrialAnalysisOut.of(
            analysed, f"/insights/charts/{TRIAL_CHART}.svg"
        )
    context = {
        "view": view,
        "days": days,
        "periods": PERIODS,
        "topics": {
            title: [c for c in view.conclusions if c.topic == topic]
            for topic, title in TOPICS.items()
        },
        "charts": _charts_shown(result, days),
        "trial": trial_view,
        "trial_problem": trial_problem,
    }
    return render(request, "insights.html", context)


def _charts_shown(result: Insights, days: int) -> dict[str, dict[str, str]]:
    """The charts that have something to show, each with its URL and alt text."""
    shown = {}
    span = f"{result.first_day:%d %b %Y} to {result.last_day:%d %b %Y}"
    if result.pain or result.doses:
        shown["pain-over-time"] = (
            f"Chart of your pain ratings (0 to 10) and your doses in grams, {span}: "
            f"{len(result.pain)} check-ins and {len(result.doses)} doses."
        )
    if any(relief.estimate is not None for relief in result.bands.values()):
        shown["dose-response"] = (
            "Chart of the mean pain relief after doses in each dose band, with 95% "
            "intervals; the table below gives the same numbers."
        )
    if result.tolerance.weeks:
        trend = " and its trend line" if result.tolerance.trend else ""
        shown["tolerance-trend"] = (
            f"Chart of relief per gram week by week{trend}; the weekly numbers are "
            "in the table below."
        )
    return {
        name: {"url": f"/insights/charts/{name}.svg?days={days}", "alt": alt}
        for name, alt in shown.items()
    }


@router.get("/insights/charts/{name}.svg")
def chart(name: str, journal: JournalDep, now: NowDep, days: Days = 90) -> Response:
    """One chart as SVG; unknown names are 404."""
    if name == TRIAL_CHART:
        analysed = trial_result(journal, now)
        if analysed is None:
            raise HTTPException(404, "There is no trial yet.")
        return Response(
            without_css(trial_results.draw_chart(analysed, "svg")), media_type=SVG
        )
    if name not in CHARTS:
        raise HTTPException(404, f"There is no chart named {name!r}.")
    result = insights(journal, days=days, now=now)
    zone = show_profile(journal).timezone
    return Response(insight_charts(result, zone)[name], media_type=SVG)


# The page's three <img> ask at once, and one drawing gives all three charts: the
# last few drawings are kept, keyed by everything they are drawn from.
_drawn: OrderedDict[str, dict[str, bytes]] = OrderedDict()
_drawing = threading.Lock()
KEEP = 4


def insight_charts(result: Insights, zone: str) -> dict[str, bytes]:
    key = hashlib.sha256(f"{zone}|{result!r}".encode()).hexdigest()
    with _drawing:  # matplotlib draws one chart at a time anyway
        charts = _drawn.get(key)
        if charts is None:
            drawn = draw_charts(result, "svg", zone)
            charts = {name: without_css(svg) for name, svg in drawn.items()}
            _drawn[key] = charts
            while len(_drawn) > KEEP:
                _drawn.popitem(last=False)
        _drawn.move_to_end(key)
        return charts
