"""What the clinician report shows, gathered from the other services into one value.

Nothing here formats or draws: `reports/clinician.py` turns a `ReportData` into
HTML and PDF. Every health statement in it is a finding from the knowledge base
(with its sources and as-of dates) or a number computed from the journal.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING

from kratom_journal.domain.findings import Finding, SourceRef, sort_findings
from kratom_journal.domain.insights import Insights
from kratom_journal.domain.intake_summary import IntakeSummary, summarize_intake
from kratom_journal.domain.medications import Medication
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.products import Product
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.uncertainty import Trend, theil_sen
from kratom_journal.domain.withdrawal import MAX_TOTAL
from kratom_journal.services import taper, titration, trial, trial_results
from kratom_journal.services.insights import insights
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.medications import list_medications
from kratom_journal.services.product_checks import (
    LimitCheck,
    limit_checks,
    product_findings,
)
from kratom_journal.services.products import list_products
from kratom_journal.services.safety import check_now, knowledge

if TYPE_CHECKING:
    from kratom_journal.domain.trial import Design

# A pain trend needs ratings on this many days, spread over at least this span.
MIN_PAIN_DAYS = 7
MIN_PAIN_SPAN_DAYS = 14
SAFETY_RULES = ("interaction:", "intake:", "condition:")
DEPENDENCE_RULES = ("pattern:",)
FLAGGED = ("over", "fail")
# Product findings that a flagged certificate value already states.
COVERED_RULES = ("product:no-certificate", "product:seven-oh-share")
COVERED_ENDINGS = ("-ppm", "-fail", "-at-daily-cap")


@dataclass(frozen=True)
class PainTrend:
    """Daily mean pain over the period and its Theil-Sen slope per week."""

    ratings: int
    days: int
    mean: float | None
    trend: Trend | None  # slope in points per week; None: not enough data yet


@dataclass(frozen=True)
class ProductFlags:
    product: Product
    flags: list[LimitCheck]  # certificate values over a limit or a failed test
    findings: list[Finding]

    @property
    def other_findings(self) -> list[Finding]:
        """The findings that the flags and the certificate line do not already say."""
        return [
            finding
            for finding in self.findings
            if finding.rule not in COVERED_RULES
            and not finding.rule.endswith(COVERED_ENDINGS)
        ]


@dataclass(frozen=True)
class WithdrawalTotals:
    by_day: dict[date, int]  # the latest checklist total of each day
    max_total: int = MAX_TOTAL

    @property
    def latest(self) -> tuple[date, int] | None:
        return max(self.by_day.items()) if self.by_day else None

    @property
    def highest(self) -> int | None:
        return max(self.by_day.values()) if self.by_day else None

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.by_day.values()) if self.by_day else None


@dataclass(frozen=True)
class TrialReport:
    """The latest N-of-1 trial: its design (which is its analysis plan), how far it
    has come, and what the analysis says so far."""

    status: trial.Status
    result: trial_results.Result

    @property
    def design(self) -> Design:
        assert self.status.trial is not None
        return self.status.trial.design


@dataclass(frozen=True)
class ReportData:
    prepared_by: str  # pseudonymous: the owner id's first 8 characters
    prepared_on: date
    zone: str
    profile: Profile
    insights: Insights
    pain: PainTrend
    safety: list[Finding]  # interactions, other intake, conditions
    dependence: list[Finding]  # pattern-of-use signals
    medications: list[Medication]
    intake: IntakeSummary  # alcohol by week and other intake in the period
    products: list[ProductFlags]
    withdrawal: WithdrawalTotals
    titration: titration.Status
    taper: taper.Status
    trial: TrialReport | None = None

    @property
    def sources(self) -> list[SourceRef]:
        """The knowledge sources behind the findings shown, each once."""
        findings = [*self.safety, *self.dependence]
        for product in self.products:
            findings.extend(product.findings)
        refs: list[SourceRef] = []
        for finding in findings:
            refs.extend(ref for ref in finding.sources if ref not in refs)
        if self.trial is not None:  # where the difference that matters comes from
            refs.extend(ref for ref in self.trial.result.sources if ref not in refs)
        return refs


def pain_trend(insight: Insights, zone: tzinfo, boundary: time) -> PainTrend:
    """Pain by local day: the mean over the period and the weekly slope of the
    daily means (Theil-Sen, robust to a few odd days)."""
    daily: dict[date, list[int]] = {}
    for at, pain in insight.pain:
        daily.setdefault(local_day(at, zone, boundary), []).append(pain)
    ratings = len(insight.pain)
    mean = statistics.fmean(p for _, p in insight.pain) if ratings else None
    trend = None
    if daily:
        span = (max(daily) - min(daily)).days + 1
        if len(daily) >= MIN_PAIN_DAYS and span >= MIN_PAIN_SPAN_DAYS:
            points = [
                ((day - insight.first_day).days / 7, statistics.fmean(values))
                for day, values in sorted(daily.items())
            ]
            trend = theil_sen(points)
    return PainTrend(ratings, len(daily), mean, trend)


def _products(journal: Journal, profile: Profile) -> list[ProductFlags]:
    facts = knowledge()
    return [
        ProductFlags(
            product,
            [
                check
                for check in limit_checks(
                    product, facts, daily_cap_g=profile.daily_cap_g
                )
                if check.status in FLAGGED
            ],
            product_findings(product, facts, daily_cap_g=profile.daily_cap_g),
        )
        for product in list_products(journal)
    ]


def _withdrawal(journal: Journal, first: date, last: date) -> WithdrawalTotals:
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        return WithdrawalTotals(taper.checklist_totals(repo, profile, first, last))


def _intake(journal: Journal, first: date, last: date) -> IntakeSummary:
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        zone, boundary = parse_zone(profile.timezone), profile.day_boundary
        start, end = (
            day_bounds(first, zone, boundary)[0],
            day_bounds(last, zone, boundary)[1],
        )
        return summarize_intake(
            repo.intakes_between(start, end),
            first_day=first,
            last_day=last,
            zone=zone,
            boundary=boundary,
        )


def _trial(journal: Journal, now: datetime) -> TrialReport | None:
    status = trial.status(journal, now=now)
    if status.trial is None:
        return None
    return TrialReport(status, trial_results.analyze(journal, now=now))


def report(journal: Journal, *, days: int, now: datetime) -> ReportData:
    """Everything the report shows about the last `days` local days, today included,
    read in one transaction so that every section sees the same journal."""
    with journal.reading() as repo:
        result = insights(journal, days=days, now=now)  # checks `days`
        profile = journal.profile(repo)
        zone = parse_zone(profile.timezone)
        today = now.astimezone(zone).date()  # the calendar date, as printed
        findings = check_now(journal, now=now).findings
        return ReportData(
            prepared_by=str(journal.owner_id)[:8],
            prepared_on=today,
            zone=profile.timezone,
            profile=profile,
            insights=result,
            pain=pain_trend(result, zone, profile.day_boundary),
            safety=sort_findings(
                f for f in findings if f.rule.startswith(SAFETY_RULES)
            ),
            dependence=[f for f in findings if f.rule.startswith(DEPENDENCE_RULES)],
            medications=list_medications(journal, today=today, include_stopped=False),
            intake=_intake(journal, result.first_day, result.last_day),
            products=_products(journal, profile),
            withdrawal=_withdrawal(journal, result.first_day, result.last_day),
            titration=titration.status(journal, now=now),
            taper=taper.status(journal, now=now),
            trial=_trial(journal, now),
        )


def period_days(data: ReportData) -> int:
    """How many local days the report covers, both ends included."""
    return (data.insights.last_day - data.insights.first_day).days + 1
