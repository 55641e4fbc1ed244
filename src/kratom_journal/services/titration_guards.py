"""What stops a titration session or a step: caps, ceilings, a session already
run today, products stronger than leaf, avoid-level findings, and findings or
check-ins about sedation or breathing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain import ceilings, sedation_risk, titration
from kratom_journal.domain.errors import InputError, Refused, SafetyCheckUnavailable
from kratom_journal.domain.findings import Finding, Severity
from kratom_journal.domain.moments import day_bounds, local_day
from kratom_journal.domain.safety import ProposedDose
from kratom_journal.domain.strength import EXTRACT_WORDS, is_stronger_than_leaf
from kratom_journal.services import titration_book
from kratom_journal.services.journal import parse_zone
from kratom_journal.services.safety import run_check

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kratom_journal.domain.products import Product
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.store.repository import Repository


def day_total(repo: Repository, profile: Profile, at: datetime) -> Decimal:
    zone = parse_zone(profile.timezone)
    start, end = day_bounds(
        local_day(at, zone, profile.day_boundary), zone, profile.day_boundary
    )
    return sum((d.grams for d in repo.doses_between(start, end)), Decimal(0))


def avoid_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.AVOID]


def session_product(repo: Repository, session: titration.Session) -> Product | None:
    if session.product_id is None:
        return None
    product: Product | None = repo.get("product", session.product_id)
    return product


def parse_minutes(
    text: str | int | None, field: str, low: int, high: int, default: int
) -> timedelta:
    if text is None:
        return timedelta(minutes=default)
    try:
        minutes = int(str(text).strip().removesuffix("min").removesuffix("m"))
    except ValueError:
        raise InputError(field, f"{text!r} is not a number of minutes") from None
    if not low <= minutes <= high:
        raise InputError(
            field, f"{minutes} minutes is outside the protocol's {low}-{high}"
        )
    return timedelta(minutes=minutes)


def one_session_a_day(
    profile: Profile, sessions: Sequence[titration.Session], at: datetime
) -> None:
    zone = parse_zone(profile.timezone)
    day = local_day(at, zone, profile.day_boundary)
    for session in sessions:
        if local_day(session.started_at, zone, profile.day_boundary) == day:
            started = session.started_at.astimezone(zone).strftime("%H:%M")
            raise Refused(
                f"a session already ran today (started {started}); the protocol runs "
                "one session a day"
            )


def check_baseline(baseline: int, target: int | None) -> None:
    if baseline == 0:
        raise InputError(
            "pain",
            "is 0; the protocol looks for the smallest dose that relieves pain, so "
            "there is nothing to measure it against",
        )
    if target is not None and target >= baseline:
        raise InputError(
            "target-pain", f"{target} must be below your pain now ({baseline})"
        )


def check_caps(
    repo: Repository, profile: Profile, at: datetime, grams: Decimal, session_g: Decimal
) -> None:
    if session_g + grams > profile.dose_cap_g:
        raise Refused(
            f"{(session_g + grams).normalize():f} g in this session would pass your "
            f"per-dose cap of {profile.dose_cap_g.normalize():f} g; the protocol stops "
            "at the cap"
        )
    day = day_total(repo, profile, at) + grams
    if day > profile.daily_cap_g:
        raise Refused(
            f"today's total would be {day.normalize():f} g, above your daily cap of "
            f"{profile.daily_cap_g.normalize():f} g; the protocol stops at the cap"
        )


def check_ceiling(
    repo: Repository, profile: Profile, before: datetime, total: Decimal, what: str
) -> None:
    ceiling = lowest_ceiling(repo, profile, before)
    if ceiling is not None and total >= ceiling:
        raise Refused(
            f"the protocol does not {what}: {total.normalize():f} g in this session "
            f"would reach your ceiling of {ceiling.normalize():f} g, where side effects "
            "ended an earlier session"
        )


def refuse_stronger_than_leaf(product: Product | None) -> None:
    """The protocol's start and steps are grams of plain leaf: a gram of an extract
    can be many grams of leaf, so it does not titrate one."""
    if product is None or not is_stronger_than_leaf(product):
        return
    why = EXTRACT_WORDS.get(
        product.form, "its certificate is above about 2% mitragynine"
    )
    raise Refused(
        f"the start-low protocol is written in grams of plain leaf, and {product.name} "
        f"is stronger than leaf ({why}); the protocol does not titrate it"
    )


def refuse_avoid(findings: list[Finding], what: str) -> None:
    avoid = avoid_findings(findings)
    if avoid:
        reasons = "; ".join(f"{f.title} ({f.advice})" for f in avoid)
        raise Refused(
            f"the protocol does not {what}: the safety check found {reasons}. "
            "`kratom check` shows the sources"
        )


def sedated(repo: Repository, profile: Profile, at: datetime) -> list[str]:
    """Severe sedation or breathing difficulty at a check-in of the last day."""
    window = sedation_risk.SEVERE_SEDATION_WINDOW
    recent = repo.checkins_between(at - window, at + timedelta(microseconds=1))
    zone = parse_zone(profile.timezone)
    return [
        f"severe sedation or breathing difficulty at the check-in of "
        f"{c.at.astimezone(zone):%a %H:%M}"
        for c in sedation_risk.severe_sedation(recent, at)
    ]


def refuse_escalation(
    repo: Repository, profile: Profile, findings: list[Finding], at: datetime
) -> None:
    stops = sedation_risk.stops_escalation(findings)
    reasons = [f"{f.title} ({f.advice})" for f in stops] + sedated(repo, profile, at)
    if reasons:
        raise Refused(
            f"the protocol does not step: the safety check found {'; '.join(reasons)}. "
            "`kratom check` shows the sources"
        )


def step_limits(
    repo: Repository,
    profile: Profile,
    session: titration.Session,
    at: datetime,
    now: datetime,
) -> titration.Limits:
    """The caps and what stops one more step at `at`: avoid-level findings, findings
    about sedation or breathing of high caution, a recent severe sedation."""
    proposed = ProposedDose(session.step_g, at, session_product(repo, session))
    try:
        findings = run_check(repo, profile, now, proposed)
        blocked = [f.title for f in sedation_risk.stops_escalation(findings)]
    except SafetyCheckUnavailable as error:
        blocked = [str(error)]
    blocked += sedated(repo, profile, at)
    room = profile.daily_cap_g - day_total(repo, profile, at)
    ceiling = lowest_ceiling(repo, profile, session.started_at)
    return titration.Limits(profile.dose_cap_g, room, tuple(blocked), ceiling)


def lowest_ceiling(
    repo: Repository, profile: Profile, before: datetime
) -> Decimal | None:
    found = titration_book.recorded_ceilings(repo, profile, before=before)
    lowest = ceilings.lowest(found)
    return None if lowest is None else lowest.grams
