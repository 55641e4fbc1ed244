"""Records written to the store come back exactly, for their owner only."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from sqlalchemy.exc import StatementError

from kratom_journal.domain.acknowledgements import Shown
from kratom_journal.domain.changes import Action, Change
from kratom_journal.domain.errors import StoreError
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Calibration
from kratom_journal.domain.records import kind_of, to_json
from kratom_journal.store.repository import Repository
from tests.store import samples
from tests.store.samples import BERLIN, KINDS, NOW, OTHER, OWNER, add

if TYPE_CHECKING:
    from kratom_journal.domain.records import Record
    from kratom_journal.store.database import Database


def last_change(repo: Repository) -> Change | None:
    changes = repo.last_changes()
    return changes[0] if changes else None


def read(database: Database, kind: str, record_id: UUID, **options: bool) -> Any:
    """The record of `kind` with this id, as OWNER sees it (None when not found)."""
    with database.transaction(write=False) as connection:
        return Repository(connection, OWNER).get(kind, record_id, **options)


def stored_sample(database: Database, kind: str) -> Record:
    """A sample of `kind`; a dose refers to a stored product, as it would in use."""
    if kind != "dose":
        return samples.sample(kind)
    product = samples.product()
    add(database, product)
    return samples.dose(product_id=product.id)


@pytest.mark.parametrize("kind", KINDS)
def test_added_record_comes_back_equal(database: Database, kind: str) -> None:
    record = stored_sample(database, kind)
    add(database, record)
    assert read(database, kind, record.id) == record


@pytest.mark.parametrize("kind", KINDS)
def test_replaced_record_comes_back_edited(database: Database, kind: str) -> None:
    record = stored_sample(database, kind)
    add(database, record)
    changed = samples.edited(record)
    assert changed != record
    with database.transaction() as connection:
        Repository(connection, OWNER).replace(changed, NOW + timedelta(minutes=1))
    assert read(database, kind, record.id) == changed


@pytest.mark.parametrize("kind", KINDS)
def test_soft_delete_hides_and_restore_brings_back(
    database: Database, kind: str
) -> None:
    record = stored_sample(database, kind)
    add(database, record)
    deleted = dataclasses.replace(record, deleted_at=NOW + timedelta(hours=1))
    with database.transaction() as connection:
        Repository(connection, OWNER).replace(deleted, NOW, action=Action.DELETE)

    assert read(database, kind, record.id) is None
    assert read(database, kind, record.id, include_deleted=True) == deleted
    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        assert repo.all(kind) == []
        assert [r.id for r in repo.all(kind, include_deleted=True)] == [record.id]
        assert repo.find_by_prefix(str(record.id)[:8]) == []

    with database.transaction() as connection:
        Repository(connection, OWNER).restore(record)
    assert read(database, kind, record.id) == record


def test_dose_keeps_the_fractional_quantity_as_entered(database: Database) -> None:
    dose = samples.dose(
        quantity="1/3 tsp", calibration=Calibration(tsp_grams=Decimal(3))
    )
    add(database, dose)
    got = read(database, "dose", dose.id)
    assert got is not None
    assert str(got.quantity) == "1/3 tsp"
    assert got.grams == Decimal("1.000")
    assert got.approximate is False


@pytest.mark.parametrize("grams", ["0.001", "0.5", "2.345", "15.001", "49.999"])
def test_dose_grams_survive_exactly(database: Database, grams: str) -> None:
    dose = samples.dose(quantity=f"{grams}g")
    assert dose.grams == Decimal(grams)
    add(database, dose)
    got = read(database, "dose", dose.id)
    assert got is not None
    assert got.grams == Decimal(grams)
    assert got.grams.as_tuple().exponent == -3  # stored and read back in milligrams


def test_product_decimals_survive_as_text(database: Database) -> None:
    product = samples.product(tsp_grams=Decimal("2.350"), capsule_grams=Decimal("0.45"))
    add(database, product)
    got = read(database, "product", product.id)
    assert got is not None
    assert str(got.tsp_grams) == "2.350"
    assert str(got.capsule_grams) == "0.45"
    assert got.certificate == product.certificate
    assert str(got.certificate.lead_ppm) == "0.310"


def test_instants_come_back_as_aware_utc_with_microseconds(database: Database) -> None:
    taken = datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=BERLIN)  # just before DST
    dose = samples.dose(
        taken_at=taken,
        created_at=datetime(2026, 3, 29, 0, 0, 0, 1, tzinfo=UTC),
        deleted_at=datetime(2026, 3, 29, 2, 0, 0, 500000, tzinfo=UTC),
    )
    add(database, dose)
    got = read(database, "dose", dose.id, include_deleted=True)
    assert got is not None
    for name in ("taken_at", "created_at", "deleted_at"):
        value = getattr(got, name)
        assert value.tzinfo is UTC, name
        assert value == getattr(dose, name), name
    assert got.taken_at == datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)


def test_naive_instants_are_refused(database: Database) -> None:
    dose = samples.dose(taken_at=datetime(2026, 11, 22, 8, 0))
    with pytest.raises(StatementError, match="naive datetimes are not stored"):
        add(database, dose)
    with database.transaction(write=False) as connection:
        assert Repository(connection, OWNER).all("dose") == []


def test_profile_round_trip(database: Database) -> None:
    profile = Profile(
        owner_id=OWNER,
        timezone="Europe/Berlin",
        day_boundary=time(5, 30),
        location="US-TX",
        birth_year=1980,
        conditions=("liver disease", "depression"),
        dose_cap_g=Decimal("4.5"),
        daily_cap_g=Decimal("12.25"),
        presets=("2 g", "½ tsp", "1500mg"),
        locality="Coeur d'Alene",
    )
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        assert repo.profile() is None
        repo.save_profile(profile, NOW)
        assert not repo.has_changed_profile()
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        assert repo.profile() == profile
        repo.save_profile(dataclasses.replace(profile, location=None), NOW)
        assert repo.has_changed_profile()
    with database.transaction(write=False) as connection:
        stored = Repository(connection, OWNER).profile()
        assert stored == dataclasses.replace(profile, location=None)
        assert Repository(connection, OTHER).profile() is None


# time ranges ---------------------------------------------------------------


def test_doses_between_is_half_open_and_ordered(database: Database) -> None:
    start = datetime(2026, 11, 22, 4, 0, tzinfo=BERLIN)
    end = start + timedelta(days=1)
    tick = timedelta(microseconds=1)
    at = {
        "before": start - tick,
        "first": start,
        "noon": start + timedelta(hours=8),
        "last": end - tick,
        "end": end,
    }
    doses = {name: samples.dose(taken_at=when) for name, when in at.items()}
    gone = samples.dose(taken_at=start + timedelta(hours=1), deleted_at=NOW)
    others = samples.dose(OTHER, taken_at=start + timedelta(hours=2))
    # Written newest first, so that the order must come from the query.
    add(database, *reversed(doses.values()), gone, others)

    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        found = repo.doses_between(start, end)
        # The same instants given in UTC select the same doses.
        assert repo.doses_between(start.astimezone(UTC), end.astimezone(UTC)) == found
    assert [d.id for d in found] == [doses[n].id for n in ("first", "noon", "last")]


def test_checkins_and_intakes_between(database: Database) -> None:
    start = datetime(2026, 11, 22, 4, 0, tzinfo=BERLIN)
    end = start + timedelta(days=1)
    inside = samples.checkin(at=start), samples.intake(at=end - timedelta(seconds=1))
    outside = samples.checkin(at=end), samples.intake(at=start - timedelta(seconds=1))
    foreign = samples.checkin(OTHER, at=start), samples.intake(OTHER, at=start)
    add(database, *inside, *outside, *foreign)

    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        assert repo.checkins_between(start, end) == [inside[0]]
        assert repo.intakes_between(start, end) == [inside[1]]


def test_last_dose_and_checkin_skip_deleted_and_other_owners(
    database: Database,
) -> None:
    base = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    older = samples.dose(taken_at=base)
    newer = samples.dose(taken_at=base + timedelta(hours=2))
    deleted = samples.dose(taken_at=base + timedelta(hours=3), deleted_at=NOW)
    foreign = samples.dose(OTHER, taken_at=base + timedelta(hours=4))
    checkin = samples.checkin(at=base)
    foreign_checkin = samples.checkin(OTHER, at=base + timedelta(hours=1))
    add(database, newer, older, deleted, foreign, checkin, foreign_checkin)

    with database.transaction(write=False) as connection:
        mine = Repository(connection, OWNER)
        assert mine.last_dose() == newer
        assert mine.last_checkin() == checkin
        theirs = Repository(connection, OTHER)
        assert theirs.last_dose() == foreign
        assert theirs.last_checkin() == foreign_checkin
        nobody = Repository(connection, UUID(int=7))
        assert nobody.last_dose() is None
        assert nobody.last_checkin() is None


# owners --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_owners_never_see_each_others_records(database: Database, kind: str) -> None:
    mine = samples.sample(kind, OWNER)
    theirs = samples.sample(kind, OTHER)
    add(database, mine, theirs)

    with database.transaction(write=False) as connection:
        for owner, own, foreign in ((OWNER, mine, theirs), (OTHER, theirs, mine)):
            repo = Repository(connection, owner)
            assert repo.all(kind, include_deleted=True) == [own]
            assert repo.get(kind, own.id) == own
            assert repo.get(kind, foreign.id, include_deleted=True) is None
            assert repo.find_by_prefix(str(foreign.id)) == []
            # Protocol events and acknowledgements are never typed by id, so
            # prefixes do not find them.
            typed = [] if kind in ("event", "ack") else [own]
            assert repo.find_by_prefix(str(own.id)) == typed
            assert repo.id_taken_by_other_owner(kind, foreign.id)
            assert not repo.id_taken_by_other_owner(kind, own.id)


def test_records_of_another_owner_cannot_be_written(database: Database) -> None:
    theirs = samples.product(OTHER)
    add(database, theirs)
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        for write in (repo.add, repo.replace):
            with pytest.raises(ValueError, match="another owner"):
                write(dataclasses.replace(theirs, name="mine now"), NOW)
        with pytest.raises(ValueError, match="another owner"):
            repo.restore(dataclasses.replace(theirs, name="mine now"))
    with database.transaction(write=False) as connection:
        assert Repository(connection, OTHER).all("product") == [theirs]


def test_a_shared_prefix_across_owners_finds_only_ones_own(database: Database) -> None:
    mine = samples.dose(id=UUID("abcdef12-0000-4000-8000-000000000001"))
    theirs = samples.dose(OTHER, id=UUID("abcdef12-0000-4000-8000-000000000002"))
    add(database, mine, theirs)
    with database.transaction(write=False) as connection:
        assert Repository(connection, OWNER).find_by_prefix("abcdef12") == [mine]
        assert Repository(connection, OTHER).find_by_prefix("abcdef12") == [theirs]


# find_by_prefix --------------------------------------------------------------

SHARED = "abcdef12-3456-4789"
FIRST = UUID(f"{SHARED}-8abc-def012345678")
SECOND = UUID(f"{SHARED}-9fff-000000000000")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("abcd", {FIRST, SECOND}),
        ("abcdef12", {FIRST, SECOND}),
        ("abcdef12-", {FIRST, SECOND}),
        ("abcdef12-34", {FIRST, SECOND}),
        ("abcdef1234", {FIRST, SECOND}),
        ("abcdef12-3456-4789-8", {FIRST}),
        ("abcdef12345647898", {FIRST}),
        ("abcdef12-3456-4789-9fff", {SECOND}),
        (str(FIRST), {FIRST}),
        (FIRST.hex, {FIRST}),
        ("abcdef13", set()),
        ("abcdef12-3456-4789-7", set()),
    ],
)
def test_find_by_prefix(database: Database, prefix: str, expected: set[UUID]) -> None:
    # Different kinds on purpose: the prefix search spans all of them.
    first = samples.dose(id=FIRST)
    second = samples.checkin(id=SECOND)
    other = samples.medication(id=UUID("00000000-3456-4789-8abc-def012345678"))
    add(database, first, second, other)
    with database.transaction(write=False) as connection:
        found = Repository(connection, OWNER).find_by_prefix(prefix)
    assert {record.id for record in found} == expected
    assert all(record in (first, second) for record in found)


# change log ----------------------------------------------------------------


def test_change_log_gives_the_newest_change_and_undo_steps_back(
    database: Database,
) -> None:
    product = samples.product()
    renamed = dataclasses.replace(product, name="Renamed")
    deleted = dataclasses.replace(renamed, deleted_at=NOW + timedelta(minutes=2))
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        repo.add(product, NOW)
        repo.replace(renamed, NOW + timedelta(minutes=1))
        repo.replace(deleted, NOW + timedelta(minutes=2), action=Action.DELETE)
        # Another person's later change does not interleave with ours.
        Repository(connection, OTHER).add(
            samples.product(OTHER), NOW + timedelta(hours=1)
        )

    expected = [
        (Action.DELETE, to_json(renamed), to_json(deleted), NOW + timedelta(minutes=2)),
        (Action.UPDATE, to_json(product), to_json(renamed), NOW + timedelta(minutes=1)),
        (Action.CREATE, None, to_json(product), NOW),
    ]
    seqs = []
    for action, before, after, at in expected:
        with database.transaction() as connection:
            repo = Repository(connection, OWNER)
            change = last_change(repo)
            assert change is not None
            assert (change.action, change.before, change.after) == (
                action,
                before,
                after,
            )
            assert change.at == at
            assert change.at.tzinfo is UTC
            assert (change.kind, change.record_id, change.owner_id) == (
                "product",
                product.id,
                OWNER,
            )
            seqs.append(change.seq)
            repo.mark_undone(change, NOW + timedelta(hours=2))
    assert seqs == sorted(seqs, reverse=True)
    with database.transaction(write=False) as connection:
        assert last_change(Repository(connection, OWNER)) is None
        theirs = last_change(Repository(connection, OTHER))
        assert theirs is not None
        assert theirs.action is Action.CREATE


@pytest.mark.parametrize("kind", KINDS)
def test_every_write_is_logged_with_its_kind(database: Database, kind: str) -> None:
    record = samples.sample(kind)
    add(database, record)
    with database.transaction(write=False) as connection:
        change = last_change(Repository(connection, OWNER))
    assert change is not None
    assert change.kind == kind_of(record) == kind
    assert change.after == to_json(record)


# transactions --------------------------------------------------------------


class Boom(Exception):
    pass


def test_an_exception_in_a_transaction_writes_nothing(database: Database) -> None:
    with pytest.raises(Boom), database.transaction() as connection:
        repo = Repository(connection, OWNER)
        repo.add(samples.product(), NOW)
        repo.save_profile(Profile(owner_id=OWNER, timezone="UTC"), NOW)
        raise Boom
    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        assert repo.all("product", include_deleted=True) == []
        assert repo.profile() is None
        assert last_change(repo) is None


def test_a_failing_statement_rolls_back_the_whole_transaction(
    database: Database,
) -> None:
    kept = samples.product()
    add(database, kept)
    unknown_product = UUID(int=99)
    with (
        pytest.raises(StoreError, match="refused a change"),
        database.transaction() as connection,
    ):
        repo = Repository(connection, OWNER)
        repo.add(samples.medication(), NOW)
        repo.add(samples.dose(product_id=unknown_product), NOW)
    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        assert repo.all("medication") == []
        assert repo.all("dose") == []
        assert repo.products() == [kept]
        change = last_change(repo)
        assert change is not None
        assert change.record_id == kept.id


def test_a_duplicate_id_is_refused(database: Database) -> None:
    record = samples.product()
    add(database, record)
    with pytest.raises(StoreError, match="nothing was saved"):
        add(database, dataclasses.replace(record, name="copy"))
    assert read(database, "product", record.id) == record


def test_shown_findings_are_per_owner_and_forgotten_after_their_window(
    database: Database,
) -> None:
    beer = Shown("intake:alcohol", "Kratom + alcohol (beer in the last 48 hours)")
    opioids = Shown("interaction:opioids", "Kratom + other opioids (oxycodone ✓)")
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        repo.remember_shown([beer], NOW, NOW - timedelta(minutes=30))
        Repository(connection, OTHER).remember_shown([opioids], NOW, NOW)
    later = NOW + timedelta(minutes=40)
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        assert repo.shown_since(NOW - timedelta(minutes=30)) == {beer}
        assert repo.shown_since(later - timedelta(minutes=30)) == set()
        repo.remember_shown([opioids], later, later - timedelta(minutes=30))
        # Screen state: not in the change log, so `undo` never reverses it.
        assert repo.last_changes() == []
    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        assert repo.shown_since(NOW - timedelta(days=1)) == {opioids}  # beer forgotten
        assert Repository(connection, OTHER).shown_since(NOW) == {opioids}


def test_conditions_after_a_record_lists_each_later_profile_edit(
    database: Database,
) -> None:
    profile = Profile(owner_id=OWNER, timezone="Europe/Berlin", conditions=("COPD",))
    ack = samples.ack()
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        repo.save_profile(profile, NOW)
        repo.add(ack, NOW)  # the same instant: order decides, not the clock
        assert repo.conditions_after(ack.id) == []
        repo.save_profile(dataclasses.replace(profile, conditions=()), NOW)
        repo.save_profile(profile, NOW)
        assert repo.conditions_after(ack.id) == [[], ["COPD"]]
