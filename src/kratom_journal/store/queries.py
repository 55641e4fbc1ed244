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
