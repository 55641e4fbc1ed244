"""CSV files: our own export's tables back as records, and doses from other trackers.

Our own CSV (`kratom export --format csv --table ...`) is recognised by its header: the
columns of exactly one table, nested values flattened (`certificate.lead_ppm`) or JSON.
Another tracker's CSV needs a mapping from our fields to its columns, for example
`time=Date,amount=Dose,note=Notes`; `unit=COLUMN` joins a separate unit column to the
amount. Rows are numbered as a spreadsheet shows them: the header is row 1. Pure: no I/O.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import types
import typing
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Union
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from kratom_journal.domain.doses import Dose
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.quantities import (
    Amount,
    Quantity,
    check_dose_grams,
    parse_quantity,
)
from kratom_journal.domain.records import KINDS, from_json

MAP_FIELDS = ("time", "amount", "unit", "note")
REQUIRED_MAP_FIELDS = ("time", "amount")
# Fixed, so the same row gets the same id in every import.
ID_NAMESPACE = UUID("0c7f4a8e-2d61-5e3b-8f09-6a5d1b2c3e47")


def _rows(text: str, source: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InputError(f"{source}: row {reader.line_num}", str(error)) from None
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise InputError(source, "is empty; a CSV file needs a header row")
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise InputError(
                f"{source}: row {number}", "has more cells than the header"
            )
    return header, [{k.strip(): v or "" for k, v in row.items()} for row in rows]


# ---- our own tables -------------------------------------------------------------


def own_table(header: list[str]) -> str | None:
    """The record kind whose export columns these are, or None."""
    names = {column.split(".", 1)[0] for column in header}
    for kind, cls in KINDS.items():
        if names == {f.name for f in dataclasses.fields(cls)}:
            return kind
    return None


def read_own_csv(text: str, source: str) -> tuple[str, list[dict[str, Any]]]:
    """The kind and the JSON form of each row of one of our exported tables."""
    header, rows = _rows(text, source)
    kind = own_table(header)
    if kind is None:
        raise InputError(
            f"{source}: columns",
            "are not those of a Kratom Journal table; for another tracker's CSV "
            "give --map, e.g. --map time=Date,amount=Dose",
        )
    cls = KINDS[kind]
    entries = []
    for number, row in enumerate(rows, start=2):
        where = f"{source}: row {number}"
        data = _unflatten(cls, row, where)
        try:
            from_json(cls, data, where)
        except InputError as error:
            raise _in_column(error, where) from None
        entries.append(data)
    return kind, entries


def _in_column(error: InputError, where: str) -> InputError:
    """Say "row 3, column grams" rather than "row 3.grams"."""
    if error.field.startswith(f"{where}."):
        column = error.field.removeprefix(f"{where}.")
        return InputError(f"{where}, column {column}", error.problem)
    return error


def _unflatten(cls: type[Any], row: Mapping[str, str], where: str) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    data: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
        name = spec.name
        hint, _ = _unwrap(hints[name])
        if dataclasses.is_dataclass(hint) and hint is not Quantity:
            nested = {k: v for k, v in row.items() if k.startswith(f"{name}.")}
            if not any(nested.values()):
                data[name] = None
                continue
            parts = typing.get_type_hints(typing.cast("type[Any]", hint))
            data[name] = {}
            for column, text in nested.items():
                key = column.removeprefix(f"{name}.")
                hint_of = parts.get(key, str)
                data[name][key] = _value(hint_of, text, f"{where}, column {column}")
        elif name in row:
            data[name] = _value(hints[name], row[name], f"{where}, column {name}")
    return data


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """The type inside `X | None`, and whether None is allowed."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return options[0], len(options) < len(typing.get_args(hint))
    return hint, False


def _value(hint: Any, text: str, where: str) -> Any:
    """A cell as the JSON value our record codec expects for this type."""
    hint, optional = _unwrap(hint)
    if text == "" and optional:
        return None
    origin = typing.get_origin(hint)
    try:
        if hint is int:
            return int(text)
        if hint is bool:
            return {"true": True, "false": False}[text]
        if hint is Any or origin in (tuple, Mapping, dict):
            return json.loads(text)
    except (ValueError, KeyError):
        raise InputError(where, f"{text!r} is not valid") from None
    return text


# ---- other trackers, through a column mapping -------------------------------------


def parse_mapping(spec: str) -> dict[str, str]:
    """Read "time=Date,amount=Dose,note=Notes" as {field: column}."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, column = part.partition("=")
        key, column = key.strip().lower(), column.strip()
        if not sep or not column:
            raise InputError("map", f"{part.strip()!r} is not FIELD=COLUMN")
        if key not in MAP_FIELDS:
            raise InputError("map", f"{key!r} is not one of {', '.join(MAP_FIELDS)}")
        if key in mapping:
            raise InputError("map", f"{key!r} is given twice")
        mapping[key] = column
    missing = [key for key in REQUIRED_MAP_FIELDS if key not in mapping]
    if missing:
        raise InputError(
            "map", f"needs {' and '.join(missing)}, e.g. time=Date,amount=Dose"
        )
    return mapping


def read_mapped_doses(
    text: str,
    mapping: Mapping[str, str],
    *,
    source: str,
    owner_id: UUID,
    zone: str,
    time_format: str | None,
    convert: Callable[[Quantity], Amount],
) -> list[Dose]:
    """Doses from another tracker's CSV; InputError names the row and the column.

    `convert` turns a quantity into grams (spoons and capsules need calibration).
    """
    header, rows = _rows(text, source)
    for key, column in mapping.items():
        if column not in header:
            raise InputError(
                f"{source}: --map {key}",
                f"there is no column {column!r}; the columns are {', '.join(header)}",
            )
    tz = ZoneInfo(zone)
    seen: Counter[str] = Counter()
    doses = []
    for number, row in enumerate(rows, start=2):
        if not any(value.strip() for value in row.values()):
            continue

        def cell(key: str, number: int = number, row: dict[str, str] = row) -> str:
            return row[mapping[key]].strip() if key in mapping else ""

        def where(key: str, number: int = number) -> str:
            return f"{source}: row {number}, column {mapping[key]!r}"

        taken_at = _time(cell("time"), time_format, tz, where("time"))
        written = f"{cell('amount')} {cell('unit')}".strip()
        place = where("unit" if "unit" in mapping and cell("amount") else "amount")
        try:
            amount = convert(parse_quantity(written, place))
            check_dose_grams(amount.grams, confirmed=True)
        except InputError as error:
            raise InputError(place, error.problem) from None
        seed = f"{owner_id}|{taken_at.isoformat()}|{amount.quantity.canonical()}"
        seen[seed] += 1
        doses.append(
            Dose(
                id=uuid5(ID_NAMESPACE, f"{seed}|{seen[seed]}"),
                owner_id=owner_id,
                taken_at=taken_at,
                zone=zone,
                grams=amount.grams,
                quantity=amount.quantity,
                approximate=amount.approximate,
                created_at=taken_at,
                note=cell("note") or None,
            )
        )
    return doses


def _time(text: str, time_format: str | None, tz: ZoneInfo, where: str) -> datetime:
    try:
        if time_format:
            parsed = datetime.strptime(text, time_format)
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        expected = f"the time format {time_format!r}" if time_format else "ISO 8601"
        raise InputError(
            where, f"{text!r} is not a time in {expected} (see --time-format)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    if not 1970 < parsed.year < 9999:
        raise InputError(where, f"{text!r} is not a plausible date")
    return parsed.astimezone(UTC)
