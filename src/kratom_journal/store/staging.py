"""Rows made ready for the database before the write lock is taken.

A big import must hold SQLite's write lock only briefly, or every other writer
waits. Turning records into rows, and rows into the values the database driver
takes (UUIDs, UTC instants, JSON), is most of the cost of writing them, so it is
done beforehand, in Python; under the lock the driver only runs one prepared
INSERT per table over all the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import insert

if TYPE_CHECKING:
    from sqlalchemy import Dialect, Table


@dataclass
class Staged:
    """Prepared INSERTs (SQL text and driver parameters), in the order to run them,
    and the change-log batch they belong to."""

    batch: UUID
    statements: list[tuple[str, list[Any]]] = field(default_factory=list)


def prepare(
    dialect: Dialect, table: Table, rows: list[dict[str, Any]]
) -> tuple[str, list[Any]]:
    """One INSERT for `rows` (all with the same keys), with each value converted
    as SQLAlchemy would convert it for this dialect."""
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    converters = {}
    for key in keys:
        converter = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if converter is not None:
            converters[key] = converter

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        converted = dict(row)
        for key, converter in converters.items():
            converted[key] = converter(converted[key])
        return converted

    converted = [convert(row) for row in rows]
    if compiled.positional:
        order = compiled.positiontup or []
        return compiled.string, [
            tuple(row[name] for name in order) for row in converted
        ]
    return compiled.string, converted
