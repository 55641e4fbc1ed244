"""The records a FHIR export shows: what a clinician's system should receive.

Deleted entries stay out (unlike our own JSON export, which keeps them so nothing is
lost); a deleted product still appears when a dose that is kept names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.medications import Medication
from kratom_journal.domain.products import Product
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.withdrawal import WithdrawalCheck
from kratom_journal.services.journal import Journal, parse_zone

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class ClinicalRecords:
    """One person's records for a clinical export, each kind in time (or name) order."""

    profile: Profile
    today: date  # the person's calendar date, which decides if a medication is current
    products: tuple[Product, ...] = ()
    doses: tuple[Dose, ...] = ()
    medications: tuple[Medication, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    withdrawal_checks: tuple[WithdrawalCheck, ...] = ()


def clinical_records(journal: Journal, *, now: datetime) -> ClinicalRecords:
    """Everything a FHIR export needs, read in one transaction."""
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        doses = tuple(repo.all("dose"))
        named = {dose.product_id for dose in doses if dose.product_id is not None}
        products = tuple(
            product
            for product in repo.all("product", include_deleted=True)
            if product.deleted_at is None or product.id in named
        )
        return ClinicalRecords(
            profile=profile,
            today=now.astimezone(parse_zone(profile.timezone)).date(),
            products=products,
            doses=doses,
            medications=tuple(repo.all("medication")),
            checkins=tuple(repo.all("checkin")),
            withdrawal_checks=tuple(repo.all("withdrawal")),
        )
