"""Build a journal of realistic generated data, quickly, for benchmarks.

`build_journal(path, years=5)` writes N years of one person's journal into a new
SQLite file: about three doses a day (1-4 g, some as "1 tsp" or "3 caps" of a
product), three check-ins a day with pain and now and then side effects, a
weekly other intake, three products and ten medications. Times are wall-clock
times in America/New_York converted to UTC, so every DST change of the period is
crossed (including a few night doses that fall in the skipped or repeated hour).
The random seed is fixed, so the same arguments give the same journal.

The database is opened (created and migrated) the normal way; the profile,
products and medications go through the Repository; doses, check-ins and
intakes are mapped with the store's own `to_row` and bulk-inserted through its
SQLAlchemy tables, with one change-log row each, all in ONE transaction.

Run on its own: `python bench/generate.py journal.sqlite3 --years 5`.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

ZONE = "America/New_York"
# The end of the generated period: Sunday 22 Nov 2026, 12:00 in New York.
END = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
SEED = 20261122
OWNER = UUID("6b7a1e1c-5d2f-4c3a-9e8b-2f4d6a8c0e11")

SIDE_EFFECTS = (
    "nausea",
    "constipation",
    "headache",
    "sedation",
    "dizziness",
    "itching",
    "dry-mouth",
    "sweating",
    "insomnia",
    "loss-of-appetite",
)
GRAMS = ("1g", "1.25g", "1.5g", "2g", "2g", "2.5g", "2.5g", "3g", "3.5g", "4g")
DOSE_NOTES = ("before work", "back flaring up", "after the gym", "with tea")
CHECKIN_NOTES = ("bad night", "long walk today", "rainy, joints ache", "good day")
WEEKLY_INTAKES = (("beer", "2 beers"), ("wine", "1 glass"), ("coffee", "2 cups"))


@dataclass
class GeneratedJournal:
    """What `build_journal` wrote, and how long it took."""

    path: Path
    owner_id: UUID
    zone: str
    start: datetime
    end: datetime
    days: int
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def build_journal(
    path: Path,
    years: float = 5,
    *,
    days: int | None = None,
    end: datetime = END,
    zone: str = ZONE,
    seed: int = SEED,
    change_log: bool = True,
    paired: bool = False,
) -> GeneratedJournal:
    """Write `years` (or `days`) of generated data ending at `end` into a new file.

    `end` is also the "now" of the journal: nothing is later than it, so run the
    CLI with KRATOM_NOW=end.isoformat() to see the whole period.

    `paired=True` writes the journal the insights need: three doses a day with a
    check-in just before and one to two hours after each, plus two or three
    top-up doses between them without check-ins (about 5.5 doses and 6 check-ins
    a day). Relief per gram falls slowly over the period, as with tolerance.
    """
    from kratom_journal.services.journal import open_journal

    started = time.perf_counter()
    if path.exists():
        raise FileExistsError(path)
    total_days = days if days is not None else round(365 * years)
    rng = random.Random(seed)
    tz = _zone(zone)
    last_day = end.astimezone(tz).date()
    first_day = last_day - timedelta(days=total_days - 1)
    start = datetime.combine(first_day, clock(0, 0), tz).astimezone(UTC)

    journal = open_journal(str(path), now=start, owner=str(OWNER), environ={"TZ": zone})
    try:
        with journal.transaction() as repo:
            profile = journal.profile(repo)
            repo.save_profile(
                dataclasses.replace(
                    profile,
                    location="US-NY",
                    birth_year=1978,
                    conditions=("chronic low back pain", "osteoarthritis"),
                ),
                start,
            )
            products = _products(rng, journal.owner_id, start)
            for product in products.values():
                repo.add(product, start)
            medications = _medications(rng, journal.owner_id, start, first_day)
            for medication in medications:
                repo.add(medication, start)
            maker = _Maker(rng, journal.owner_id, zone, products, end)
            for offset in range(total_days):
                day = first_day + timedelta(days=offset)
                if paired:
                    maker.paired_day(day, offset / total_days)
                else:
                    maker.day(day)
            _bulk_insert(repo.connection, maker.records, change_log=change_log)
        if not paired:
            _as_a_person_would(journal, end)
    finally:
        journal.close()
    result = GeneratedJournal(
        path=path,
        owner_id=journal.owner_id,
        zone=zone,
        start=start,
        end=end,
        days=total_days,
        seconds=time.perf_counter() - started,
    )
    result.counts = count_rows(path)
    return result


def _as_a_person_would(journal: Any, end: datetime) -> None:
    """The standing findings acknowledged long ago, and a log at `end` just shown
    its avoid findings: `kratom log 2g --confirm` then records, as a person's
    repeated command would, and does the whole acknowledgement review."""
    from kratom_journal.domain.errors import JournalError
    from kratom_journal.services.acknowledgements import acknowledge
    from kratom_journal.services.entries import DoseInput, log_dose

    long_ago = end - timedelta(days=30)
    try:
        acknowledge(journal, [], note="discussed with my GP", now=long_ago, every=True)
        log_dose(journal, DoseInput("2g"), now=end)
    except JournalError:  # blocked: what it showed is remembered
        pass


def count_rows(path: Path) -> dict[str, int]:
    """Rows per table of a journal file."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "products",
                "medications",
                "doses",
                "checkins",
                "intakes",
                "changes",
            )
        }
    finally:
        connection.close()


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _uuid(rng: random.Random) -> UUID:
    """A version-4 UUID from the seeded generator, so ids are reproducible."""
    return UUID(int=rng.getrandbits(128), version=4)


def _products(rng: random.Random, owner: UUID, now: datetime) -> dict[str, Any]:
    from kratom_journal.domain.products import LabCertificate, Product, ProductForm

    return {
        "powder": Product(
            id=_uuid(rng),
            owner_id=owner,
            name="Red Bali",
            created_at=now,
            vendor="Leaf & Co",
            strain="red vein",
            batch="RB-2104",
            tsp_grams=Decimal("2.3"),
            certificate=LabCertificate(
                mitragynine_pct=Decimal("1.4"),
                seven_oh_pct=Decimal("0.02"),
                lead_ppm=Decimal("0.3"),
                microbial_pass=True,
                lab_name="ACME Labs",
                test_date=date(2021, 3, 2),
            ),
        ),
        "capsules": Product(
            id=_uuid(rng),
            owner_id=owner,
            name="Green Maeng Da caps",
            created_at=now,
            form=ProductForm.CAPSULES,
            vendor="Leaf & Co",
            capsule_grams=Decimal("0.55"),
        ),
        # No measured spoon: its teaspoons convert by the documented default.
        "uncalibrated": Product(
            id=_uuid(rng),
            owner_id=owner,
            name="White Borneo",
            created_at=now,
            vendor="Borneo Direct",
        ),
    }


def _medications(
    rng: random.Random, owner: UUID, now: datetime, first_day: date
) -> list[Any]:
    from kratom_journal.domain.medications import Medication

    return [
        Medication(
            id=_uuid(rng),
            owner_id=owner,
            name="Ibuprofen",
            created_at=now,
            dose_text="400 mg as needed",
            started=first_day - timedelta(days=400),
        ),
        Medication(
            id=_uuid(rng),
            owner_id=owner,
            name="Sertraline",
            created_at=now,
            dose_text="50 mg daily",
            started=first_day - timedelta(days=90),
            stopped=first_day + timedelta(days=500),
            note="stopped after talking to my doctor",
        ),
        Medication(
            id=_uuid(rng),
            owner_id=owner,
            name="Vitamin D",
            created_at=now,
            dose_text="1000 IU",
            started=first_day,
        ),
        # Seven more, none at avoid level, so that `check` has ten to resolve.
        *(
            Medication(
                id=_uuid(rng),
                owner_id=owner,
                name=name,
                created_at=now,
                started=first_day,
            )
            for name in (
                "Metoprolol",
                "Atorvastatin",
                "Amlodipine",
                "Warfarin",
                "Omeprazole",
                "Levothyroxine",
                "Duloxetine",
            )
        ),
    ]


class _Maker:
    """Makes one person's domain records day by day."""

    def __init__(
        self,
        rng: random.Random,
        owner: UUID,
        zone: str,
        products: dict[str, Any],
        end: datetime,
    ) -> None:
        from kratom_journal.knowledge.units import default_calibration

        self.rng = rng
        self.owner = owner
        self.zone = zone
        self.tz = _zone(zone)
        self.products = products
        self.end = end
        self.defaults = default_calibration()
        self.pain = 5.0
        self.records: list[Any] = []

    def at(self, day: date, hour: int, minute: int, spread_minutes: int) -> datetime:
        """A UTC instant near a local wall time; a time in a DST gap moves an hour on."""
        from kratom_journal.domain.errors import InputError
        from kratom_journal.domain.moments import local_to_utc

        wall = datetime.combine(day, clock(hour, minute)) + timedelta(
            minutes=self.rng.randint(-spread_minutes, spread_minutes),
            seconds=self.rng.randint(0, 59),
        )
        try:
            return local_to_utc(wall, self.tz)
        except InputError:  # the clocks jumped forward: they read an hour later
            return local_to_utc(wall + timedelta(hours=1), self.tz)

    def clocks_change(self, day: date) -> bool:
        before = datetime.combine(day, clock(0, 0), self.tz).utcoffset()
        return before != datetime.combine(day, clock(12, 0), self.tz).utcoffset()

    def logged(self, instant: datetime) -> datetime:
        """When the entry was typed in: mostly at once, sometimes later that day."""
        if self.rng.random() < 0.9:
            return instant + timedelta(seconds=self.rng.randint(1, 90))
        return instant + timedelta(minutes=self.rng.randint(5, 240))

    def keep(self, record: Any, instant: datetime) -> None:
        if instant <= self.end:
            self.records.append(record)

    def day(self, day: date) -> None:
        rng = self.rng
        # Pain drifts from day to day and is pulled back towards a usual level.
        self.pain += 0.15 * (5.0 - self.pain) + rng.gauss(0, 0.6)
        self.pain = min(8.5, max(1.5, self.pain))
        slots = [(7, 45, 60), (13, 0, 75), (19, 30, 75)]
        count = rng.choices((2, 3, 4), weights=(2, 7, 1))[0]
        if count == 2:
            slots.pop(1)
        elif count == 4:
            slots.append((22, 30, 40))
        for hour, minute, spread in slots:
            self.dose(self.at(day, hour, minute, spread))
        # A night dose, still part of this local day; always on the nights the
        # clocks change, when 01:00-02:59 is repeated or partly skipped.
        if rng.random() < 0.05 or self.clocks_change(day + timedelta(days=1)):
            self.dose(self.at(day + timedelta(days=1), 1, 45, 45))
        for index, (hour, minute) in enumerate(((8, 30), (14, 30), (21, 30))):
            self.checkin(self.at(day, hour, minute, 50), index)
        if day.weekday() == 5:
            name, amount = WEEKLY_INTAKES[day.toordinal() // 7 % len(WEEKLY_INTAKES)]
            self.intake(self.at(day, 20, 0, 60), name, amount)

    def paired_day(self, day: date, progress: float) -> None:
        """Main doses with check-ins around them, and top-ups well clear of them."""
        rng = self.rng
        self.pain += 0.15 * (5.5 - self.pain) + rng.gauss(0, 0.6)
        self.pain = min(8.5, max(2.5, self.pain))
        relief_per_gram = 0.7 - 0.35 * progress  # tolerance: less per gram over time
        for hour, minute in ((7, 30), (13, 30), (19, 30)):
            taken = self.at(day, hour, minute, 20)
            before = round(self.pain + rng.gauss(0, 1))
            self.checkin(taken - timedelta(minutes=rng.randint(5, 30)), 0, pain=before)
            grams = self.dose(taken)
            relief = relief_per_gram * grams + rng.gauss(0, 1)
            effects = {}
            if rng.random() < 0.04 * grams:
                effects[rng.choice(SIDE_EFFECTS)] = rng.choices((1, 2), (4, 1))[0]
            self.checkin(
                taken + timedelta(minutes=rng.randint(60, 120)),
                1,
                pain=round(before - relief),
                side_effects=effects,
            )
        for hour, minute in rng.sample(
            ((11, 15), (17, 15), (22, 45)), rng.choice((2, 3))
        ):
            self.dose(self.at(day, hour, minute, 10))

    def dose(self, instant: datetime) -> float:
        from kratom_journal.domain.doses import Dose, Stomach
        from kratom_journal.domain.quantities import (
            Calibration,
            parse_quantity,
            to_grams,
        )

        rng = self.rng
        roll = rng.random()
        product = None
        if roll < 0.08:
            text, product = "3 caps", self.products["capsules"]
        elif roll < 0.18:
            text = "1 tsp"
            product = self.products["powder" if rng.random() < 0.7 else "uncalibrated"]
        else:
            text = rng.choice(GRAMS)
            if rng.random() < 0.5:
                product = self.products["powder"]
        calibration = product.calibration if product else Calibration()
        amount = to_grams(parse_quantity(text), calibration, self.defaults)
        self.keep(
            Dose(
                id=_uuid(rng),
                owner_id=self.owner,
                taken_at=instant,
                zone=self.zone,
                grams=amount.grams,
                quantity=amount.quantity,
                approximate=amount.approximate or rng.random() < 0.02,
                created_at=self.logged(instant),
                product_id=product.id if product else None,
                stomach=rng.choice(list(Stomach)) if rng.random() < 0.4 else None,
                note=rng.choice(DOSE_NOTES) if rng.random() < 0.03 else None,
            ),
            instant,
        )
        return float(amount.grams)

    def checkin(
        self,
        instant: datetime,
        index: int,
        *,
        pain: int | None = None,
        side_effects: dict[str, int] | None = None,
    ) -> None:
        from kratom_journal.domain.checkins import CheckIn, Peg

        rng = self.rng
        if pain is None:
            pain = round(self.pain + rng.gauss(0, 1) - (0.5 if index == 1 else 0))
        pain = min(10, max(0, pain))
        if side_effects is None:
            side_effects = {}
            if rng.random() < 0.2:
                for name in rng.sample(SIDE_EFFECTS, rng.choice((1, 1, 2))):
                    side_effects[name] = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        other = {"metallic taste": 1} if rng.random() < 0.02 else {}
        peg = None
        if index == 2 and rng.random() < 0.3:
            peg = Peg(pain, min(10, pain + rng.randint(-1, 2)), rng.randint(2, 9))
        self.keep(
            CheckIn(
                id=_uuid(rng),
                owner_id=self.owner,
                at=instant,
                zone=self.zone,
                pain=pain,
                created_at=self.logged(instant),
                peg=peg,
                side_effects=side_effects,
                other_effects=other,
                mood=rng.randint(3, 8) if index == 2 and rng.random() < 0.5 else None,
                energy=rng.randint(2, 8) if index == 1 and rng.random() < 0.5 else None,
                sleep=rng.randint(2, 9) if index == 0 and rng.random() < 0.6 else None,
                note=rng.choice(CHECKIN_NOTES) if rng.random() < 0.03 else None,
            ),
            instant,
        )

    def intake(self, instant: datetime, name: str, amount: str) -> None:
        from kratom_journal.domain.medications import Intake, guess_intake_kind

        self.keep(
            Intake(
                id=_uuid(self.rng),
                owner_id=self.owner,
                at=instant,
                zone=self.zone,
                kind=guess_intake_kind(name),
                name=name,
                created_at=self.logged(instant),
                amount_text=amount,
            ),
            instant,
        )


def _bulk_insert(connection: Any, records: list[Any], *, change_log: bool) -> None:
    """executemany() per table through the store's tables and row mapping."""
    from sqlalchemy import insert

    from kratom_journal.domain.changes import Action
    from kratom_journal.domain.records import kind_of, to_json
    from kratom_journal.store import schema
    from kratom_journal.store.rows import to_row

    by_kind: dict[str, list[dict[str, Any]]] = {}
    changes: list[dict[str, Any]] = []
    # The change log is in the order the entries were typed in.
    for record in sorted(records, key=lambda record: record.created_at):
        kind = kind_of(record)
        by_kind.setdefault(kind, []).append(to_row(record))
        if change_log:
            changes.append(
                {
                    "owner_id": record.owner_id,
                    "at": record.created_at,
                    "action": Action.CREATE.value,
                    "kind": kind,
                    "record_id": record.id,
                    "before": None,
                    "after": to_json(record),
                    "undone_at": None,
                }
            )
    for kind, rows in by_kind.items():
        connection.execute(insert(schema.TABLES[kind]), rows)
    if changes:
        connection.execute(insert(schema.changes), changes)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="new SQLite file to write")
    parser.add_argument("--years", type=float, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--paired", action="store_true", help="check-ins around doses, for insights"
    )
    args = parser.parse_args(argv)
    result = build_journal(args.path, args.years, seed=args.seed, paired=args.paired)
    counts = ", ".join(f"{n} {table}" for table, n in result.counts.items())
    print(f"{result.path}: {result.days} days, {counts} in {result.seconds:.2f} s")
    print(f"KRATOM_DB={result.path} KRATOM_NOW={result.end.isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
