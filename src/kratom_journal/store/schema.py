"""The database schema (SQLAlchemy Core). Every row carries its owner's id."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from kratom_journal.store.columns import UtcDateTime

metadata = MetaData()


def _owned(name: str, *columns: Column[object], timed: str | None = None) -> Table:
    """A table of an owner's records, soft-deletable, indexed by owner (and time)."""
    table = Table(
        name,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("owner_id", Uuid, nullable=False),
        *columns,
        Column("created_at", UtcDateTime, nullable=False),
        Column("deleted_at", UtcDateTime),
    )
    Index(f"ix_{name}_owner", table.c.owner_id, *([table.c[timed]] if timed else []))
    return table


profiles = Table(
    "profiles",
    metadata,
    Column("owner_id", Uuid, primary_key=True),
    Column("timezone", String(64), nullable=False),
    Column("day_boundary", String(5), nullable=False),
    Column("location", String(8)),
    Column("birth_year", Integer),
    Column("conditions", JSON, nullable=False),
    Column("dose_cap_mg", Integer, nullable=False),
    Column("daily_cap_mg", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("presets", JSON),  # dose-button amounts as written; NULL before 0004
    Column("locality", String(80)),  # a city or county, for local laws (0005)
)

products = _owned(
    "products",
    Column("name", String(120), nullable=False),
    Column("form", String(20), nullable=False),
    Column("vendor", String(120)),
    Column("strain", String(120)),
    Column("batch", String(120)),
    Column("tsp_grams", String(16)),
    Column("capsule_grams", String(16)),
    Column("certificate", JSON),
)

doses = _owned(
    "doses",
    Column("taken_at", UtcDateTime, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("amount_mg", Integer, nullable=False),
    Column("quantity", String(40), nullable=False),
    Column("approximate", Boolean, nullable=False),
    Column("product_id", Uuid, ForeignKey("products.id")),
    Column("stomach", String(12)),
    Column("note", Text),
    # Avoid findings logged past: [{"rule", "title"}] (plain rule ids before 0006).
    Column("acknowledged", JSON),
    timed="taken_at",
)

checkins = _owned(
    "checkins",
    Column("at", UtcDateTime, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("pain", Integer, nullable=False),
    Column("peg_pain", Integer),
    Column("peg_enjoyment", Integer),
    Column("peg_activity", Integer),
    Column("side_effects", JSON, nullable=False),
    Column("other_effects", JSON, nullable=False),
    Column("mood", Integer),
    Column("energy", Integer),
    Column("sleep", Integer),
    Column("note", Text),
    timed="at",
)

medications = _owned(
    "medications",
    Column("name", String(120), nullable=False),
    Column("dose_text", String(120)),
    Column("started", Date),
    Column("stopped", Date),
    Column("note", Text),
)

intakes = _owned(
    "intakes",
    Column("at", UtcDateTime, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("name", String(120), nullable=False),
    Column("amount_text", String(60)),
    Column("note", Text),
    timed="at",
)

withdrawal_checks = _owned(
    "withdrawal_checks",
    Column("at", UtcDateTime, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("symptoms", JSON, nullable=False),
    Column("note", Text),
    timed="at",
)

protocol_events = _owned(
    "protocol_events",
    Column("protocol", String(12), nullable=False),
    Column("session_id", Uuid, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("data", JSON, nullable=False),
)
Index(
    "ix_protocol_events_session",
    protocol_events.c.owner_id,
    protocol_events.c.protocol,
    protocol_events.c.session_id,
)
# One number per live event of a session (0007): two writers that both counted the
# events cannot both store the next one. An undone event gives its number back.
_live_event = protocol_events.c.deleted_at.is_(None)
Index(
    "uq_protocol_events_seq",
    protocol_events.c.owner_id,
    protocol_events.c.protocol,
    protocol_events.c.session_id,
    protocol_events.c.seq,
    unique=True,
    sqlite_where=_live_event,
    postgresql_where=_live_event,
)

# Standing findings (a medication's, a condition's) the person acknowledged (0006).
acknowledgements = _owned(
    "acknowledgements",
    Column("rule", String(120), nullable=False),
    Column("title", Text, nullable=False),
    Column("basis", Text, nullable=False),
    Column("note", Text),
    timed="created_at",
)

# Avoid findings a blocked log or check showed, for a bare --confirm to cover (0006);
# short-lived screen state, so neither in the change log nor in exports.
shown_findings = Table(
    "shown_findings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, nullable=False),
    Column("rule", String(120), nullable=False),
    Column("title", Text, nullable=False),
    Column("shown_at", UtcDateTime, nullable=False),
)
Index("ix_shown_findings_owner", shown_findings.c.owner_id, shown_findings.c.shown_at)

changes = Table(
    "changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("owner_id", Uuid, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("action", String(8), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("record_id", Uuid, nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("undone_at", UtcDateTime),
    # The transaction that made the change: undo reverses a whole command at once.
    Column("batch", Uuid),
)
Index("ix_changes_owner", changes.c.owner_id, changes.c.seq)
# Where a record's history begins: when an acknowledgement was given (0006).
Index("ix_changes_record", changes.c.owner_id, changes.c.record_id)

# The answer to each write sent with an Idempotency-Key, so that a retry gets it
# again instead of writing twice (migration 0008); short-lived, not in the change log.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("owner_id", Uuid, primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # of method, path and body
    Column("status", Integer),  # NULL while the first request is running
    Column("headers", JSON),
    Column("body", Text),
    Column("created_at", UtcDateTime, nullable=False),
)

TABLES: dict[str, Table] = {
    "product": products,
    "dose": doses,
    "checkin": checkins,
    "medication": medications,
    "intake": intakes,
    "withdrawal": withdrawal_checks,
    "event": protocol_events,
    "ack": acknowledgements,
}
