"""The SELECT statements every page runs, built once: building a statement costs
more than running it on a small result. Values are bound when they run."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Interval,
    Select,
    and_,
    bindparam,
    exists,
    func,
    select,
)

from kratom_journal.store import schema

TIME_COLUMNS = {
    "dose": "taken_at",
    "checkin": "at",
    "intake": "at",
    "withdrawal": "at",
    "event": "at",
    "ack": "created_at",
}


@cache
def profile_query() -> Select[Any]:
    table = schema.profiles
    return select(table).where(table.c.owner_id == bindparam("owner"))


@cache
def all_query(kind: str, include_deleted: bool) -> Select[Any]:
    table = schema.TABLES[kind]
    query = select(table).where(table.c.owner_id == bindparam("owner"))
    if not include_deleted:
        query = query.where(table.c.deleted_at.is_(None))
    time_column = TIME_COLUMNS.get(kind)
    # Entries read best in time order; products and medications by name.
    order = table.c[time_column] if time_column else func.lower(table.c.name)
    return query.order_by(order, table.c.id)


@cache
def between_query(kind: str, column: str, *, newest_first: bool = False) -> Select[Any]:
    table = schema.TABLES[kind]
    when = table.c[column].desc() if newest_first else table.c[column]
    return (
        select(table)
        .where(
            table.c.owner_id == bindparam("owner"),
            table.c.deleted_at.is_(None),
            table.c[column] >= bindparam("start"),
            table.c[column] < bindparam("end"),
        )
        .order_by(when, table.c.id)
    )


@cache
def last_query(kind: str, column: str) -> Select[Any]:
    table = schema.TABLES[kind]
    return (
        select(table)
        .where(table.c.owner_id == bindparam("owner"), table.c.deleted_at.is_(None))
        .order_by(table.c[column].desc(), table.c.id.desc())
        .limit(1)
    )


@cache
def events_query() -> Select[Any]:
    table = schema.protocol_events
    return (
        select(table)
        .where(
            table.c.owner_id == bindparam("owner"),
            table.c.protocol == bindparam("protocol"),
            table.c.deleted_at.is_(None),
        )
        .order_by(table.c.at, table.c.seq, table.c.id)
    )


@cache
def dose_gaps_query(dialect: str) -> Select[Any]:
    """Each live dose before `before_time` with no other dose in the `gap` before
    it, and the dose before it (None for the first dose), newest first: where a run
    of days with doses can start. Each row is an index probe, read as consumed, so
    the latest gap costs no more than the doses since."""
    dose, earlier = schema.doses.alias("dose"), schema.doses.alias("earlier")
    reach: ColumnElement[Any]
    # SQLite keeps naive UTC text, and `gap` is a modifier such as '-79200 seconds'.
    if dialect == "sqlite":
        reach = func.datetime(dose.c.taken_at, bindparam("gap"))
    else:
        reach = dose.c.taken_at - bindparam("gap", type_=Interval())
    live_earlier = and_(
        earlier.c.owner_id == dose.c.owner_id,
        earlier.c.deleted_at.is_(None),
        earlier.c.taken_at < dose.c.taken_at,
    )
    before = select(func.max(earlier.c.taken_at)).where(live_earlier).scalar_subquery()
    return (
        select(dose.c.taken_at, before)
        .where(
            dose.c.owner_id == bindparam("owner"),
            dose.c.deleted_at.is_(None),
            dose.c.taken_at < bindparam("before_time"),
            ~exists().where(live_earlier, earlier.c.taken_at >= reach),
        )
        .order_by(dose.c.taken_at.desc())
    )
