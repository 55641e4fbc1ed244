"""The SELECT statements every page runs, built once: building a statement costs
more than running it on a small result. Values are bound when they run."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from kratom_journal.store import schema

TIME_COLUMNS = {
    "dose": "taken_at",
    "checkin": "at",
    "intake": "at",
    "withdrawal": "at",
    "event": "at",
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
    """Each live dose before `before` that follows the one before it by at least
    `hours` (and the first dose, with no dose before it), newest first: where a run
    of days with doses can start. The window runs in the database, so a five-year
    daily journal sends back only its few real gaps."""
    table = schema.doses
    previous = func.lag(table.c.taken_at).over(order_by=(table.c.taken_at, table.c.id))
    lagged = (
        select(table.c.taken_at.label("taken"), previous.label("before"))
        .where(
            table.c.owner_id == bindparam("owner"),
            table.c.deleted_at.is_(None),
            table.c.taken_at < bindparam("before_time"),
        )
        .subquery()
    )
    if dialect == "sqlite":  # naive UTC text
        hours = (func.julianday(lagged.c.taken) - func.julianday(lagged.c.before)) * 24
    else:
        hours = func.extract("epoch", lagged.c.taken - lagged.c.before) / 3600
    return (
        select(lagged.c.taken, lagged.c.before)
        .where(lagged.c.before.is_(None) | (hours >= bindparam("hours")))
        .order_by(lagged.c.taken.desc())
    )
