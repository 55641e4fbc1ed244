"""Sample records of every kind, as a person would enter them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from kratom_journal.domain.acknowledgements import Acknowledgement, Shown
from kratom_journal.domain.checkins import CheckIn, Peg
from kratom_journal.domain.doses import Dose, Stomach
from kratom_journal.domain.medications import Intake, IntakeKind, Medication
from kratom_journal.domain.products import LabCertificate, Product, ProductForm
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.quantities import Calibration, parse_quantity, to_grams
from kratom_journal.domain.withdrawal import WithdrawalCheck
from kratom_journal.store.repository import Repository

if TYPE_CHECKING:
    from kratom_journal.domain.records import Record
    from kratom_journal.store.database import Database

OWNER = UUID("0a0a0a0a-0000-4000-8000-000000000001")
OTHER = UUID("0b0b0b0b-0000-4000-8000-000000000002")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Microseconds on purpose: they must survive both backends.
NOW = datetime(2026, 11, 22, 14, 0, 0, 123456, tzinfo=UTC)
KINDS = (
    "product",
    "dose",
    "checkin",
    "medication",
    "intake",
    "withdrawal",
    "event",
    "ack",
)


def product(owner: UUID = OWNER, **changes: Any) -> Product:
    made = Product(
        id=uuid4(),
        owner_id=owner,
        name="Red Bali (batch 7)",
        created_at=NOW,
        form=ProductForm.LEAF_POWDER,
        vendor="Leaf & Co",
        strain="Red Bali",
        batch="RB-2026-07",
        tsp_grams=Decimal("2.35"),
        capsule_grams=Decimal("0.5"),
        certificate=LabCertificate(
            mitragynine_pct=Decimal("1.42"),
            seven_oh_pct=Decimal("0.02"),
            lead_ppm=Decimal("0.310"),
            arsenic_ppm=Decimal("0.05"),
            cadmium_ppm=Decimal("0.1"),
            mercury_ppm=Decimal("0.001"),
            microbial_pass=True,
            lab_name="Example Labs",
            test_date=date(2026, 10, 1),
        ),
    )
    return dataclasses.replace(made, **changes)


def dose(
    owner: UUID = OWNER,
    *,
    quantity: str = "1/3 tsp",
    calibration: Calibration | None = None,
    **changes: Any,
) -> Dose:
    """A dose entered as `quantity`; teaspoons convert at 2.35 g unless told otherwise."""
    parsed = parse_quantity(quantity)
    amount = to_grams(
        parsed, calibration or Calibration(tsp_grams=Decimal("2.35")), Calibration()
    )
    made = Dose(
        id=uuid4(),
        owner_id=owner,
        taken_at=datetime(2026, 11, 22, 8, 30, 15, 654321, tzinfo=BERLIN),
        zone="Europe/Berlin",
        grams=amount.grams,
        quantity=amount.quantity,
        approximate=amount.approximate,
        created_at=NOW,
        stomach=Stomach.LIGHT_MEAL,
        note="with breakfast",
        acknowledged=(Shown("intake:alcohol", "Kratom + alcohol (beer, 48 hours)"),),
    )
    return dataclasses.replace(made, **changes)


def checkin(owner: UUID = OWNER, **changes: Any) -> CheckIn:
    made = CheckIn(
        id=uuid4(),
        owner_id=owner,
        at=datetime(2026, 11, 22, 21, 45, 0, 1, tzinfo=NEW_YORK),
        zone="America/New_York",
        pain=6,
        created_at=NOW,
        peg=Peg(pain=6, enjoyment=5, activity=4),
        side_effects={"nausea": 2, "constipation": 1},
        other_effects={"metallic taste": 1},
        mood=7,
        energy=4,
        sleep=5,
        note="back pain eased after an hour",
    )
    return dataclasses.replace(made, **changes)


def medication(owner: UUID = OWNER, **changes: Any) -> Medication:
    made = Medication(
        id=uuid4(),
        owner_id=owner,
        name="Sertraline",
        created_at=NOW,
        dose_text="50 mg daily",
        started=date(2025, 3, 1),
        stopped=None,
        note="prescribed by GP",
    )
    return dataclasses.replace(made, **changes)


def intake(owner: UUID = OWNER, **changes: Any) -> Intake:
    made = Intake(
        id=uuid4(),
        owner_id=owner,
        at=datetime(2026, 11, 22, 19, 0, tzinfo=BERLIN),
        zone="Europe/Berlin",
        kind=IntakeKind.ALCOHOL,
        name="beer",
        created_at=NOW,
        amount_text="2 pints",
        note=None,
    )
    return dataclasses.replace(made, **changes)


def withdrawal(owner: UUID = OWNER, **changes: Any) -> WithdrawalCheck:
    made = WithdrawalCheck(
        id=uuid4(),
        owner_id=owner,
        at=datetime(2026, 11, 22, 9, 0, tzinfo=BERLIN),
        zone="Europe/Berlin",
        symptoms={"muscle-aches": 2, "insomnia": 1, "craving": 3},
        created_at=NOW,
        note="a rough night",
    )
    return dataclasses.replace(made, **changes)


def event(owner: UUID = OWNER, **changes: Any) -> ProtocolEvent:
    made = ProtocolEvent(
        id=uuid4(),
        owner_id=owner,
        protocol=Protocol.TITRATION,
        session_id=UUID("5e5e5e5e-0000-4000-8000-000000000005"),
        seq=2,
        at=datetime(2026, 11, 22, 10, 45, 0, 250000, tzinfo=BERLIN),
        kind="checked",
        created_at=NOW,
        data={"pain": 4, "effects": {"nausea": 1}, "dose_cap_g": "5"},
    )
    return dataclasses.replace(made, **changes)


def ack(owner: UUID = OWNER, **changes: Any) -> Acknowledgement:
    made = Acknowledgement(
        id=uuid4(),
        owner_id=owner,
        rule="interaction:gabapentinoids",
        title="Kratom + gabapentin or pregabalin (your medication Neurontin ✓)",
        basis="medication:0123456789abcdef",
        created_at=NOW,
        note="discussed with my prescriber on 1 Dec",
    )
    return dataclasses.replace(made, **changes)


def sample(kind: str, owner: UUID = OWNER, **changes: Any) -> Record:
    """A record of `kind` (see KINDS)."""
    makers: dict[str, Any] = {
        "product": product,
        "dose": dose,
        "checkin": checkin,
        "medication": medication,
        "intake": intake,
        "withdrawal": withdrawal,
        "event": event,
        "ack": ack,
    }
    made: Record = makers[kind](owner, **changes)
    return made


def edited(record: Record) -> Record:
    """The same record with a user-visible change of each kind's main fields."""
    if isinstance(record, Product):
        return dataclasses.replace(
            record, name="Green Maeng Da", tsp_grams=Decimal("2.6"), certificate=None
        )
    if isinstance(record, Dose):
        amount = to_grams(
            parse_quantity("1 1/2 tsp"),
            Calibration(),
            Calibration(tsp_grams=Decimal(2)),
        )
        return dataclasses.replace(
            record,
            grams=amount.grams,
            quantity=amount.quantity,
            approximate=amount.approximate,
            stomach=None,
            note=None,
            taken_at=record.taken_at + timedelta(minutes=20),
        )
    if isinstance(record, CheckIn):
        return dataclasses.replace(record, pain=3, peg=None, side_effects={}, mood=None)
    if isinstance(record, Medication):
        return dataclasses.replace(record, stopped=date(2026, 11, 1), dose_text=None)
    if isinstance(record, WithdrawalCheck):
        return dataclasses.replace(record, symptoms={"craving": 1}, note=None)
    if isinstance(record, ProtocolEvent):
        return dataclasses.replace(record, data={"pain": 2}, seq=3)
    if isinstance(record, Acknowledgement):
        return dataclasses.replace(record, note=None, basis="condition:COPD")
    return dataclasses.replace(record, kind=IntakeKind.CAFFEINE, name="coffee")


def add(database: Database, *records: Record, now: datetime = NOW) -> None:
    """Write records in one transaction, each through its owner's repository."""
    with database.transaction() as connection:
        for record in records:
            Repository(connection, record.owner_id).add(record, now)
