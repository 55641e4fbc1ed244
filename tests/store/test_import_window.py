"""An import plans in a read transaction and writes in a short one. A write that
lands in between (even of the very entries being imported) is planned around, on
both backends: the import adds exactly what is still missing, in one batch, and two
imports of one file at once add it once. Rows staged for the driver beforehand store
exactly what adding them one by one does."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from kratom_journal.domain.records import to_json
from kratom_journal.services import transfer
from kratom_journal.services.journal import Journal
from kratom_journal.store import schema
from kratom_journal.store.database import open_database
from kratom_journal.store.repository import Repository
from tests.store import samples
from tests.store.samples import NOW, OWNER, add

if TYPE_CHECKING:
    from kratom_journal.domain.doses import Dose
    from kratom_journal.store.database import Database


def document(doses: list[Dose]) -> dict[str, Any]:
    return {
        "format": transfer.FORMAT,
        "version": transfer.VERSION,
        "doses": [to_json(dose) for dose in doses],
    }


@pytest.mark.parametrize("meanwhile", ["another entry", "one of the imported entries"])
def test_a_write_between_planning_and_writing_is_planned_around(
    database: Database, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    incoming = [samples.dose(note=f"imported {i}") for i in range(40)]
    written = (
        samples.dose(note="logged") if meanwhile == "another entry" else incoming[7]
    )
    planned, wrote = threading.Event(), threading.Event()
    plans: list[transfer.ImportPlan] = []
    real_plan = transfer._plan

    def plan_then_wait(*args: Any) -> transfer.ImportPlan:
        plan = real_plan(*args)
        plans.append(plan)
        if len(plans) == 1:
            planned.set()
            assert wrote.wait(timeout=60)
        return plan

    monkeypatch.setattr(transfer, "_plan", plan_then_wait)
    journal = Journal(database, OWNER)
    results: list[transfer.ImportPlan] = []
    importer = threading.Thread(
        target=lambda: results.append(
            transfer.import_document(
                journal, document(incoming), source="f.json", now=NOW, dry_run=False
            )
        )
    )
    importer.start()
    try:
        assert planned.wait(timeout=60)
        add(database, written)  # commits while the import is between its phases
    finally:
        wrote.set()
        importer.join(timeout=120)
    assert not importer.is_alive()

    assert len(plans) == 2  # planned again under the write lock
    expected_new = 40 if meanwhile == "another entry" else 39
    assert results[0].added["doses"] == expected_new
    with database.transaction(write=False) as connection:
        stored = Repository(connection, OWNER).all("dose")
        batches = set(
            connection.execute(
                select(schema.changes.c.batch).where(
                    schema.changes.c.record_id.in_([d.id for d in incoming]),
                    schema.changes.c.record_id != written.id,
                )
            ).scalars()
        )
    assert {d.id for d in stored} == {d.id for d in incoming} | {written.id}
    assert len(batches) == 1  # one import, one batch: one undo takes it back


KINDS = [
    "product",
    "medication",
    "dose",
    "checkin",
    "intake",
    "withdrawal",
    "event",
    "ack",
]


def change_log(database: Database) -> list[tuple[Any, ...]]:
    table = schema.changes
    with database.transaction(write=False) as connection:
        rows = connection.execute(
            select(
                table.c.owner_id,
                table.c.at,
                table.c.action,
                table.c.kind,
                table.c.record_id,
                table.c.before,
                table.c.after,
                table.c.undone_at,
            ).order_by(table.c.seq)
        ).all()
    return [tuple(row) for row in rows]


def test_staged_inserts_store_exactly_what_adding_one_by_one_stores(
    db_url: str,
) -> None:
    records = [samples.sample(kind) for kind in KINDS]
    one_by_one = open_database(db_url)
    try:
        add(one_by_one, *records)
        with one_by_one.transaction(write=False) as connection:
            expected = {k: Repository(connection, OWNER).all(k) for k in KINDS}
        expected_log = change_log(one_by_one)
        with one_by_one.transaction() as connection:  # start again, staged this time
            for table in reversed(schema.metadata.sorted_tables):
                if table.name not in ("alembic_version", "profiles"):
                    connection.execute(table.delete())
        with one_by_one.transaction(write=False) as connection:
            staged = Repository(connection, OWNER).stage(records, NOW)
        with one_by_one.transaction() as connection:
            Repository(connection, OWNER).insert_staged(staged)
        with one_by_one.transaction(write=False) as connection:
            found = {k: Repository(connection, OWNER).all(k) for k in KINDS}
        assert found == expected
        assert change_log(one_by_one) == expected_log
    finally:
        one_by_one.dispose()


def test_two_imports_of_one_file_at_once_add_it_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    incoming = [samples.dose(note=f"imported {i}") for i in range(30)]
    both_planned = threading.Barrier(2, timeout=60)
    real_plan = transfer._plan
    planned_once: set[int] = set()

    def plan_then_meet(*args: Any) -> transfer.ImportPlan:
        plan = real_plan(*args)
        me = threading.get_ident()
        if me not in planned_once:  # each import's first plan: wait for the other
            planned_once.add(me)
            both_planned.wait()
        return plan

    monkeypatch.setattr(transfer, "_plan", plan_then_meet)
    journal = Journal(database, OWNER)
    results: list[transfer.ImportPlan] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(
                transfer.import_document(
                    journal, document(incoming), source="f.json", now=NOW, dry_run=False
                )
            )
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert errors == []
    assert sorted(r.added["doses"] for r in results) == [0, 30]
    with database.transaction(write=False) as connection:
        assert len(Repository(connection, OWNER).all("dose")) == 30
