"""Today's summary and the history of recent days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.days import DaySummary, summarize_day
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.errors import InputError, SafetyCheckUnavailable
from kratom_journal.domain.medications import Intake
from kratom_journal.domain.moments import day_bounds, days_ago_start, local_day
from kratom_journal.domain.products import Product
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Quantity, parse_quantity
from kratom_journal.domain.strength import (
    JudgedTotal,
    is_stronger_than_leaf,
    judged_total,
    leaf_content,
)
from kratom_journal.services.journal import Journal, parse_zone

MAX_HISTORY_DAYS = 36500


@dataclass(frozen=True)
class Today:
    profile: Profile
    summary: DaySummary
    products: dict[str, Product]
    # The day in the grams the daily cap judges, when a product stronger than leaf
    # was taken; None when every dose was plain leaf (then the total is leaf grams).
    judged: JudgedTotal | None = None

    @property
    def over_daily_cap(self) -> bool:
        """Over the cap in grams, or in leaf-equivalent grams where that is known."""
        judged = self.judged
        return self.summary.over_daily_cap or (
            judged is not None and judged.grams > self.summary.daily_cap_g
        )


def today(journal: Journal, *, now: datetime) -> Today:
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        zone = parse_zone(profile.timezone)
        day = local_day(now, zone, profile.day_boundary)
        start, end = day_bounds(day, zone, profile.day_boundary)
        doses = repo.doses_between(start, end)
        summary = summarize_day(
            profile, day, doses, repo.last_dose(), repo.last_checkin(), now
        )
        products = {str(p.id): p for p in repo.all("product", include_deleted=True)}
    return Today(profile, summary, products, judged_day(doses, products))


def judged_day(doses: list[Dose], products: dict[str, Product]) -> JudgedTotal | None:
    """The day's leaf-equivalent total, if a stronger product was taken. Without the
    knowledge, stronger products count as of unknown strength, never as leaf."""
    by_id = {p.id: p for p in products.values()}
    taken = [by_id.get(d.product_id) for d in doses if d.product_id is not None]
    if not any(is_stronger_than_leaf(product) for product in taken):
        return None
    from kratom_journal.services.safety import knowledge  # noqa: PLC0415 - pydantic

    try:
        leaf = leaf_content(knowledge())
    except SafetyCheckUnavailable:
        leaf = None
    return judged_total(doses, by_id, leaf)


@dataclass(frozen=True)
class History:
    profile: Profile
    start: datetime
    doses: list[Dose]
    checkins: list[CheckIn]
    intakes: list[Intake]
    products: dict[str, Product]


def history(journal: Journal, *, days: int, now: datetime) -> History:
    if not 1 <= days <= MAX_HISTORY_DAYS:
        raise InputError("days", f"{days} is outside 1-{MAX_HISTORY_DAYS}")
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        zone = parse_zone(profile.timezone)
        start = days_ago_start(now, days, zone, profile.day_boundary)
        # Entries a few minutes ahead of the clock are accepted, so read past now.
        end = now + timedelta(days=1)
        result = History(
            profile=profile,
            start=start,
            doses=repo.doses_between(start, end),
            checkins=repo.checkins_between(start, end),
            intakes=repo.intakes_between(start, end),
            products={str(p.id): p for p in repo.all("product", include_deleted=True)},
        )
    return result


@dataclass(frozen=True)
class QuickDose:
    """A one-tap dose button: an amount as the person wrote it, and its product."""

    amount: str
    product: str | None


QUICK_DOSE_DAYS = 30
MAX_QUICK_DOSES = 4


def quick_doses(journal: Journal, *, now: datetime) -> list[QuickDose]:
    """The person's presets, then their most recent distinct doses of the last 30
    days, newest first (at most four of those).

    Only amounts the person chose (presets are checked against the per-dose cap when
    set) or already took within the per-dose cap: the buttons repeat the person's own
    choices and never propose a larger amount. A recent dose the same as a preset
    ("2g" and "2 g") is shown once.
    """
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        products = {p.id: p for p in repo.products()}
        seen = [QuickDose(amount, None) for amount in profile.presets]
        keys: list[tuple[Quantity, str | None]] = [
            (parse_quantity(amount, "presets"), None) for amount in profile.presets
        ]
        limit = MAX_QUICK_DOSES + len(seen)
        # Newest first, read only until the buttons are found (usually a few of
        # the ~100 doses of 30 days). Entries a few minutes ahead of the clock are
        # accepted, so read past now.
        for dose in repo.doses_newest_first(
            now - timedelta(days=QUICK_DOSE_DAYS), now + timedelta(days=1)
        ):
            if len(seen) >= limit:
                break
            if dose.grams > profile.dose_cap_g:
                continue
            product = products.get(dose.product_id) if dose.product_id else None
            if dose.product_id is not None and product is None:
                continue  # a deleted product cannot be chosen again
            name = product.name if product else None
            if (dose.quantity, name) not in keys:
                keys.append((dose.quantity, name))
                seen.append(QuickDose(str(dose.quantity), name))
    return seen
