"""Reading a period of the journal into insights, and drawing their charts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from kratom_journal.domain.dose_effect import AFTER_TO, BEFORE
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.insights import Insights, build_insights
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.use_pattern import TREND_WINDOWS
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.person import use_history

if TYPE_CHECKING:
    from datetime import datetime

DEFAULT_DAYS = 90
MAX_DAYS = 36500
CHARTS = ("pain-over-time", "dose-response", "tolerance-trend")


def insights(journal: Journal, *, days: int, now: datetime) -> Insights:
    """Insights over the last `days` local days, today included."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError("days", f"{days} is outside 1-{MAX_DAYS}")
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        zone = parse_zone(profile.timezone)
        boundary = profile.day_boundary
        last_day = local_day(now, zone, boundary)
        first_day = last_day - timedelta(days=days - 1)
        _, end = day_bounds(last_day, zone, boundary)
        history = use_history(repo, profile, end)
        journal_start = history.journal_start
        # Days before the journal began are not rest days: they are unknown.
        if journal_start is not None and first_day < journal_start <= last_day:
            first_day = journal_start
        start, _ = day_bounds(first_day, zone, boundary)
        # The 7/30/90-day comparisons look back twice the longest window.
        reach = last_day - timedelta(days=2 * max(TREND_WINDOWS) - 1)
        dose_start = min(start, day_bounds(reach, zone, boundary)[0])
        doses = repo.dose_events(dose_start, end)
        checkins = repo.ratings(start - BEFORE, end + AFTER_TO)
        names = {product.id: product.name for product in repo.products()}
    return build_insights(
        doses,
        checkins,
        first_day=first_day,
        last_day=last_day,
        zone=zone,
        boundary=boundary,
        product_names=names,
        journal_start=journal_start,
        # The same run `check` counts, over the whole journal, not the period's.
        current_run=history.current_run(last_day),
    )


def draw_charts(
    result: Insights, fmt: Literal["png", "svg"], zone: str
) -> dict[str, bytes]:
    """The insight charts by name, times on the person's clock; matplotlib is
    imported only here."""
    from kratom_journal.reports import charts  # noqa: PLC0415 - slow; only when drawing

    bands = [
        charts.BandEffect(
            band.label,
            relief.estimate.value,
            relief.estimate.low,
            relief.estimate.high,
            relief.pairs,
        )
        for band, relief in result.bands.items()
        if relief.estimate is not None
    ]
    trend = result.tolerance.trend
    local = parse_zone(zone)
    return {
        "pain-over-time": charts.pain_over_time(
            [(at.astimezone(local), float(pain)) for at, pain in result.pain],
            [(at.astimezone(local), grams) for at, grams in result.doses],
            fmt,
        ),
        "dose-response": charts.dose_response(bands, fmt),
        "tolerance-trend": charts.tolerance_trend(
            result.tolerance.weeks,
            None if trend is None else trend.slope.value,
            None if trend is None else trend.intercept,
            fmt,
        ),
    }
