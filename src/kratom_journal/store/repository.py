"""Reading and writing one owner's journal; every query filters by owner.

Every write also appends to the change log in the same transaction, which is
what `undo` reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from sqlalchemy import (
    Connection,
    String,
    and_,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from kratom_journal.domain.acknowledgements import Acknowledgement, Shown
from kratom_journal.domain.analysis_input import DoseEvent, Rating
from kratom_journal.domain.changes import Action, Change
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.records import Record, kind_of, to_json
from kratom_journal.store import queries, schema
from kratom_journal.store.rows import from_row, profile_from_row, profile_to_row, to_row
from kratom_journal.store.staging import Staged, prepare

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from uuid import UUID

    from kratom_journal.domain.checkins import CheckIn
    from kratom_journal.domain.doses import Dose
    from kratom_journal.domain.medications import Intake, Medication
    from kratom_journal.domain.products import Product
    from kratom_journal.domain.withdrawal import WithdrawalCheck

PROFILE_KIND = "profile"
# PostgreSQL advisory lock key for imports (migrations use 74657431).
_IMPORT_LOCK = 74657432


class Repository:
    """One owner's records over one connection (and so one transaction)."""

    def __init__(self, connection: Connection, owner_id: UUID) -> None:
        self.connection = connection
        self.owner_id = owner_id
        # One repository serves one transaction, so one command: its changes share
        # a batch, and undo reverses them together.
        self.batch = uuid4()
        # The change log's number of this command's first change, once it wrote one:
        # the id that names the command to `undo` and `redo`.
        self.first_seq: int | None = None
        # The profile as read in this transaction; every write to it goes through
        # this repository (save_profile, restore), which forgets it.
        self._profile: Profile | None = None

    # profile -------------------------------------------------------------
    def profile(self) -> Profile | None:
        if self._profile is not None:
            return self._profile
        row = (
            self.connection.execute(queries.profile_query(), {"owner": self.owner_id})
            .mappings()
            .first()
        )
        self._profile = None if row is None else profile_from_row(row)
        return self._profile

    def save_profile(self, profile: Profile, now: datetime) -> None:
        before = self.profile()
        self._profile = None
        values = profile_to_row(profile) | {"updated_at": now}
        if before is None:
            self.connection.execute(insert(schema.profiles).values(values))
        else:
            self.connection.execute(
                update(schema.profiles)
                .where(schema.profiles.c.owner_id == self.owner_id)
                .values(values)
            )
        self._log(
            Action.CREATE if before is None else Action.UPDATE,
            PROFILE_KIND,
            self.owner_id,
            None if before is None else to_json(before),
            to_json(profile),
            now,
        )

    # records -------------------------------------------------------------
    def add(self, record: Record, now: datetime) -> None:
        self._check_owner(record)
        table = schema.TABLES[kind_of(record)]
        self.connection.execute(insert(table).values(to_row(record)))
        self._log(Action.CREATE, kind_of(record), record.id, None, to_json(record), now)

    def stage(self, records: Iterable[Record], now: datetime) -> Staged:
        """What adding `records` writes, prepared for the driver, in the order
        given (products before the doses that refer to them). Reads nothing: a big
        import stages before it takes the write lock, then holds it only briefly."""
        rows: dict[str, list[dict[str, Any]]] = {}
        logged: list[dict[str, Any]] = []
        for record in records:
            self._check_owner(record)
            kind = kind_of(record)
            rows.setdefault(kind, []).append(to_row(record))
            logged.append(
                {
                    "owner_id": self.owner_id,
                    "at": now,
                    "action": Action.CREATE.value,
                    "kind": kind,
                    "record_id": record.id,
                    "before": None,
                    "after": to_json(record),
                    "batch": self.batch,
                }
            )
        dialect = self.connection.dialect
        staged = Staged(self.batch)
        for kind, values in rows.items():
            staged.statements.append(prepare(dialect, schema.TABLES[kind], values))
        if logged:
            staged.statements.append(prepare(dialect, schema.changes, logged))
        return staged

    def insert_staged(self, staged: Staged) -> None:
        """Run staged inserts. Their change-log batch becomes this transaction's,
        so what else it writes (an imported profile) is undone with them."""
        self.batch = staged.batch
        for sql, parameters in staged.statements:
            self.connection.exec_driver_sql(sql, parameters)
        if self.first_seq is None and staged.statements:
            # The command's change id (see _log), which the driver did not return.
            first = self.connection.execute(
                select(func.min(schema.changes.c.seq)).where(
                    schema.changes.c.owner_id == self.owner_id,
                    schema.changes.c.batch == self.batch,
                )
            ).scalar()
            self.first_seq = None if first is None else int(first)

    def hold_import_lock(self) -> None:
        """One import writes at a time. SQLite's BEGIN IMMEDIATE already admits one
        writer; PostgreSQL takes a lock held until this transaction ends, so a
        second import's check that nothing changed sees the first one's rows."""
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK}
            )

    def write_mark(self) -> tuple[Any, ...]:
        """Changes whenever anything is written or undone, by anyone: a plan made
        in one transaction still holds in a later one if this is the same."""
        table = schema.changes
        row = self.connection.execute(
            select(func.max(table.c.seq), func.count(table.c.undone_at))
        ).one()
        return tuple(row)

    def replace(
        self, record: Record, now: datetime, action: Action = Action.UPDATE
    ) -> None:
        self._check_owner(record)
        kind = kind_of(record)
        before = self.get(kind, record.id, include_deleted=True)
        self._write(record)
        self._log(
            action,
            kind,
            record.id,
            None if before is None else to_json(before),
            to_json(record),
            now,
        )

    def restore(self, record: Record | Profile) -> None:
        """Write a record back as it was, without logging (used by undo)."""
        if isinstance(record, Profile):
            self._profile = None
            self.connection.execute(
                update(schema.profiles)
                .where(schema.profiles.c.owner_id == self.owner_id)
                .values(profile_to_row(record))
            )
        else:
            self._check_owner(record)
            self._write(record)

    def _write(self, record: Record) -> None:
        table = schema.TABLES[kind_of(record)]
        self.connection.execute(
            update(table)
            .where(and_(table.c.id == record.id, table.c.owner_id == self.owner_id))
            .values(to_row(record))
        )

    def get(self, kind: str, record_id: UUID, *, include_deleted: bool = False) -> Any:
        table = schema.TABLES[kind]
        query = select(table).where(
            and_(table.c.id == record_id, table.c.owner_id == self.owner_id)
        )
        if not include_deleted:
            query = query.where(table.c.deleted_at.is_(None))
        row = self.connection.execute(query).mappings().first()
        return None if row is None else from_row(kind, row)

    def id_taken_by_other_owner(self, kind: str, record_id: UUID) -> bool:
        table = schema.TABLES[kind]
        row = self.connection.execute(
            select(table.c.owner_id).where(table.c.id == record_id)
        ).first()
        return row is not None and row[0] != self.owner_id

    def has_changed_profile(self) -> bool:
        """Whether the profile was edited after it was created (an undone edit,
        e.g. of an undone import, is not an edit)."""
        table = schema.changes
        row = self.connection.execute(
            select(table.c.seq)
            .where(
                table.c.owner_id == self.owner_id,
                table.c.kind == PROFILE_KIND,
                table.c.action == Action.UPDATE.value,
                table.c.undone_at.is_(None),
            )
            .limit(1)
        ).first()
        return row is not None

    def find_by_prefix(self, prefix: str) -> list[Record]:
        """Live records of any kind whose id starts with `prefix` (hex, no dashes ok)."""
        compact = prefix.replace("-", "")
        # SQLite keeps UUIDs as 32 hex digits, PostgreSQL shows them with dashes.
        pattern = (
            compact if self.connection.dialect.name == "sqlite" else _dashed(compact)
        )
        found: list[Record] = []
        for kind, table in schema.TABLES.items():
            # Protocol events and acknowledgements are never shown or typed by id.
            if kind in ("event", "ack"):
                continue
            rows = self.connection.execute(
                select(table).where(
                    table.c.owner_id == self.owner_id,
                    table.c.deleted_at.is_(None),
                    cast(table.c.id, String).like(f"{pattern}%"),
                )
            ).mappings()
            found.extend(from_row(kind, row) for row in rows)
        return found

    def all(self, kind: str, *, include_deleted: bool = False) -> list[Any]:
        rows = self.connection.execute(
            queries.all_query(kind, include_deleted), {"owner": self.owner_id}
        ).mappings()
        return [from_row(kind, row) for row in rows]

    # time ranges ---------------------------------------------------------
    def doses_between(self, start: datetime, end: datetime) -> list[Dose]:
        return self._between("dose", "taken_at", start, end)

    def doses_newest_first(self, start: datetime, end: datetime) -> Iterator[Dose]:
        """Doses in [start, end), newest first (same instant: by id), read as they
        are consumed, so that a caller needing only the first few reads only those."""
        result = self.connection.execute(
            queries.between_query("dose", "taken_at", newest_first=True),
            {"owner": self.owner_id, "start": start, "end": end},
        )
        try:
            for row in result.mappings():
                dose: Any = from_row("dose", row)
                yield dose
        finally:
            result.close()

    def checkins_between(self, start: datetime, end: datetime) -> list[CheckIn]:
        return self._between("checkin", "at", start, end)

    def intakes_between(self, start: datetime, end: datetime) -> list[Intake]:
        return self._between("intake", "at", start, end)

    def withdrawals_between(
        self, start: datetime, end: datetime
    ) -> list[WithdrawalCheck]:
        return self._between("withdrawal", "at", start, end)

    def _between(
        self, kind: str, column: str, start: datetime, end: datetime
    ) -> list[Any]:
        rows = self.connection.execute(
            queries.between_query(kind, column),
            {"owner": self.owner_id, "start": start, "end": end},
        ).mappings()
        return [from_row(kind, row) for row in rows]

    def dose_events(self, start: datetime, end: datetime) -> list[DoseEvent]:
        """Doses in [start, end) with just what the analysis needs, in time order."""
        table = schema.doses
        rows = self.connection.execute(
            select(table.c.taken_at, table.c.amount_mg, table.c.product_id)
            .where(self._live_between(table, table.c.taken_at, start, end))
            .order_by(table.c.taken_at, table.c.id)
        )
        return [DoseEvent(at, mg / 1000, product) for at, mg, product in rows]

    def ratings(self, start: datetime, end: datetime) -> list[Rating]:
        """Check-ins in [start, end) as pain and effects, in time order."""
        table = schema.checkins
        rows = self.connection.execute(
            select(
                table.c.at, table.c.pain, table.c.side_effects, table.c.other_effects
            )
            .where(self._live_between(table, table.c.at, start, end))
            .order_by(table.c.at, table.c.id)
        )
        # Listed effects win over a free-text one of the same name.
        return [
            Rating(at, pain, {**other, **listed}) for at, pain, listed, other in rows
        ]

    def _live_between(
        self, table: Any, column: Any, start: datetime, end: datetime
    ) -> Any:
        return and_(
            table.c.owner_id == self.owner_id,
            table.c.deleted_at.is_(None),
            column >= start,
            column < end,
        )

    def first_entry_at(self) -> datetime | None:
        """When the earliest live dose or check-in happened: where the journal begins."""
        firsts = [
            self.connection.execute(
                select(func.min(table.c[column])).where(
                    table.c.owner_id == self.owner_id, table.c.deleted_at.is_(None)
                )
            ).scalar()
            for table, column in (
                (schema.doses, "taken_at"),
                (schema.checkins, "at"),
            )
        ]
        present = [first for first in firsts if first is not None]
        return min(present) if present else None

    def last_dose_at(self, before: datetime) -> datetime | None:
        """When the latest live dose before `before` was taken."""
        table = schema.doses
        at: datetime | None = self.connection.execute(
            select(func.max(table.c.taken_at)).where(
                table.c.owner_id == self.owner_id,
                table.c.deleted_at.is_(None),
                table.c.taken_at < before,
            )
        ).scalar()
        return at

    def dose_gaps(
        self, before: datetime, at_least: timedelta
    ) -> Iterator[tuple[datetime, datetime | None]]:
        """(dose, the dose before it) newest first, for doses before `before` that
        follow the one before by at least `at_least`, and for the first dose; read
        as consumed, so that a caller needing only the latest reads only that."""
        dialect = self.connection.dialect.name
        gap = (
            f"-{at_least.total_seconds():.0f} seconds"
            if dialect == "sqlite"
            else at_least
        )
        result = self.connection.execute(
            queries.dose_gaps_query(dialect),
            {"owner": self.owner_id, "before_time": before, "gap": gap},
        )
        try:
            for taken, previous in result:
                yield _utc(taken), None if previous is None else _utc(previous)
        finally:
            result.close()

    def last_dose(self) -> Dose | None:
        dose: Dose | None = self._last("dose", "taken_at")
        return dose

    def last_checkin(self) -> CheckIn | None:
        checkin: CheckIn | None = self._last("checkin", "at")
        return checkin

    def _last(self, kind: str, column: str) -> Any:
        row = (
            self.connection.execute(
                queries.last_query(kind, column), {"owner": self.owner_id}
            )
            .mappings()
            .first()
        )
        return None if row is None else from_row(kind, row)

    def products(self) -> list[Product]:
        return self.all("product")

    def medications(self) -> list[Medication]:
        return self.all("medication")

    # acknowledgements ----------------------------------------------------
    def acknowledgements(self) -> list[Acknowledgement]:
        """Standing findings acknowledged and not withdrawn, oldest first."""
        return self.all("ack")

    def conditions_after(self, record_id: UUID) -> list[list[str]]:
        """The profile's conditions after each edit made after the record was
        written (undone edits left out): whether a condition was removed since."""
        table = schema.changes
        written = (
            select(func.min(table.c.seq))
            .where(table.c.owner_id == self.owner_id, table.c.record_id == record_id)
            .scalar_subquery()
        )
        rows = self.connection.execute(
            select(table.c.after)
            .where(
                table.c.owner_id == self.owner_id,
                table.c.kind == PROFILE_KIND,
                table.c.seq > written,
                table.c.undone_at.is_(None),
            )
            .order_by(table.c.seq)
        ).scalars()
        return [list((after or {}).get("conditions", ())) for after in rows]

    def shown_since(self, start: datetime) -> set[Shown]:
        """Avoid findings shown to the person from `start` on."""
        table = schema.shown_findings
        rows = self.connection.execute(
            select(table.c.rule, table.c.title).where(
                table.c.owner_id == self.owner_id, table.c.shown_at >= start
            )
        )
        return {Shown(rule, title) for rule, title in rows}

    def remember_shown(
        self, findings: Iterable[Shown], now: datetime, forget_before: datetime
    ) -> None:
        """Keep what a blocked log showed (screen state: not in the change log)."""
        table = schema.shown_findings
        self.connection.execute(
            delete(table).where(
                table.c.owner_id == self.owner_id, table.c.shown_at < forget_before
            )
        )
        values = [
            {
                "id": uuid4(),
                "owner_id": self.owner_id,
                "rule": item.rule,
                "title": item.title,
                "shown_at": now,
            }
            for item in findings
        ]
        if values:
            self.connection.execute(insert(table), values)

    # change log ----------------------------------------------------------
    def _log(
        self,
        action: Action,
        kind: str,
        record_id: UUID,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        now: datetime,
    ) -> None:
        result = self.connection.execute(
            insert(schema.changes).values(
                owner_id=self.owner_id,
                at=now,
                action=action.value,
                kind=kind,
                record_id=record_id,
                before=before,
                after=after,
                batch=self.batch,
            )
        )
        key = result.inserted_primary_key
        if self.first_seq is None and key is not None:
            self.first_seq = int(key[0])

    def last_changes(self) -> list[Change]:
        """The newest change not yet undone and the rest of its batch, newest first."""
        table = schema.changes
        live = and_(table.c.owner_id == self.owner_id, table.c.undone_at.is_(None))
        newest = select(table.c.seq, table.c.batch).where(live)
        newest = newest.order_by(table.c.seq.desc()).limit(1)
        # One statement, so one snapshot: read in two, a concurrent undo committing
        # in between (PostgreSQL) would leave the newest batch empty.
        rows = self.connection.execute(
            select(table)
            .where(
                live,
                or_(
                    table.c.seq
                    == newest.with_only_columns(table.c.seq).scalar_subquery(),
                    # A NULL batch (written before batches existed) matches nothing.
                    table.c.batch
                    == newest.with_only_columns(table.c.batch).scalar_subquery(),
                ),
            )
            .order_by(table.c.seq.desc())
        ).mappings()
        return [_change(row) for row in rows]

    def add_event(
        self,
        protocol: Protocol,
        session_id: UUID,
        seq: int,
        kind: str,
        at: datetime,
        now: datetime,
        data: dict[str, Any] | None = None,
    ) -> ProtocolEvent:
        """Record one protocol event (logged for undo like any entry)."""
        event = ProtocolEvent(
            id=uuid4(),
            owner_id=self.owner_id,
            protocol=protocol,
            session_id=session_id,
            seq=seq,
            at=at,
            kind=kind,
            created_at=now,
            data=data or {},
        )
        self.add(event, now)
        return event

    def protocol_events(self, protocol: Protocol) -> list[ProtocolEvent]:
        """Every live event of one protocol, all sessions, in order."""
        rows = self.connection.execute(
            queries.events_query(), {"owner": self.owner_id, "protocol": protocol.value}
        ).mappings()
        return [cast_event(from_row("event", row)) for row in rows]

    def mark_undone(self, change: Change, now: datetime) -> None:
        self.claim_undo([change], now)

    def command(self, seq: int) -> list[Change]:
        """Every change of the command that made change `seq` (undone or not),
        newest first; [] when this owner has no such change."""
        table = schema.changes
        row = (
            self.connection.execute(
                select(table).where(
                    table.c.owner_id == self.owner_id, table.c.seq == seq
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return []
        if row["batch"] is None:  # written before batches existed
            return [_change(row)]
        rows = self.connection.execute(
            select(table)
            .where(table.c.owner_id == self.owner_id, table.c.batch == row["batch"])
            .order_by(table.c.seq.desc())
        ).mappings()
        return [_change(r) for r in rows]

    def last_undone(self) -> list[Change]:
        """The command undone most recently, newest change first ([] when none).
        Undo takes back a command's changes newest first and so did the earliest
        last: at the same instant the earliest change counts as the later undo."""
        table = schema.changes
        row = self.connection.execute(
            select(table.c.seq)
            .where(table.c.owner_id == self.owner_id, table.c.undone_at.is_not(None))
            .order_by(table.c.undone_at.desc(), table.c.seq)
            .limit(1)
        ).first()
        return [] if row is None else self.command(row[0])

    def later_changes(self, changes: list[Change]) -> list[Change]:
        """Changes not undone, made after `changes`, to any record they touched."""
        table = schema.changes
        return self._touching(
            changes,
            table.c.undone_at.is_(None),
            table.c.seq > max(c.seq for c in changes),
        )

    def earlier_undone(self, changes: list[Change]) -> list[Change]:
        """Undone changes made before `changes` to any record they touched."""
        table = schema.changes
        return self._touching(
            changes,
            table.c.undone_at.is_not(None),
            table.c.seq < min(c.seq for c in changes),
        )

    def _touching(self, changes: list[Change], *conditions: Any) -> list[Change]:
        table = schema.changes
        touched = {(c.kind, c.record_id) for c in changes}
        rows = self.connection.execute(
            select(table)
            .where(
                table.c.owner_id == self.owner_id,
                table.c.record_id.in_({record_id for _, record_id in touched}),
                *conditions,
            )
            .order_by(table.c.seq)
        ).mappings()
        return [c for c in map(_change, rows) if (c.kind, c.record_id) in touched]

    def creation_undone(self, kind: str, record_id: UUID) -> bool:
        """Whether every change to this record was undone, its creation included:
        as far as the journal is concerned it was never written."""
        table = schema.changes
        undone = self.connection.execute(
            select(table.c.undone_at).where(
                table.c.owner_id == self.owner_id,
                table.c.record_id == record_id,
                table.c.kind == kind,
            )
        ).scalars()
        states = [at is not None for at in undone]
        return bool(states) and all(states)

    def claim_undo(self, changes: list[Change], now: datetime) -> bool:
        """Mark the changes undone if none of them is: a compare-and-set, so that of
        two transactions undoing the same command only one succeeds (on PostgreSQL
        the second waits for the first's row locks, then finds the rows undone)."""
        return self._claim(changes, undone=False, values={"undone_at": now})

    def claim_redo(self, changes: list[Change]) -> bool:
        """Mark undone changes live again if all of them still are undone."""
        return self._claim(changes, undone=True, values={"undone_at": None})

    def _claim(
        self, changes: list[Change], *, undone: bool, values: dict[str, Any]
    ) -> bool:
        table = schema.changes
        state = (
            table.c.undone_at.is_not(None) if undone else table.c.undone_at.is_(None)
        )
        result = self.connection.execute(
            update(table)
            .where(
                table.c.owner_id == self.owner_id,
                table.c.seq.in_([c.seq for c in changes]),
                state,
            )
            .values(values)
        )
        return result.rowcount == len(changes)

    def _check_owner(self, record: Record) -> None:
        if record.owner_id != self.owner_id:
            raise ValueError("a record of another owner cannot be written here")

    def owners(self) -> list[UUID]:
        return list(
            self.connection.execute(select(schema.profiles.c.owner_id)).scalars()
        )


def _change(row: Any) -> Change:
    return Change(
        seq=row["seq"],
        owner_id=row["owner_id"],
        at=row["at"],
        action=Action(row["action"]),
        kind=row["kind"],
        record_id=row["record_id"],
        before=row["before"],
        after=row["after"],
        undone_at=row["undone_at"],
    )


def cast_event(record: Record) -> ProtocolEvent:
    assert isinstance(record, ProtocolEvent)
    return record


def _dashed(compact: str) -> str:
    """Re-insert the dashes of the canonical UUID form into a hex prefix."""
    parts, start = [], 0
    for end in (8, 12, 16, 20, 32):
        if start >= len(compact):
            break
        parts.append(compact[start:end])
        start = end
    return "-".join(parts)


def _utc(value: datetime | str) -> datetime:
    """An instant read without its column type (a window's output): SQLite gives
    naive UTC text, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
