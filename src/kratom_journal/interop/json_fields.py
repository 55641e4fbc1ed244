"""Reading fields of another program's JSON leniently, naming the bad field exactly.

A missing key and null are the same (PW Journal's Android app leaves out fields that
hold their default; the iOS app writes null). Errors are InputError with the path,
e.g. "file.json: experiences[3].ingestions[0].dose".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from kratom_journal.domain.errors import InputError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def json_object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(where, "is not a JSON object")
    return value


def json_list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}.{key}", "is not a list")
    return value


def text(
    data: Mapping[str, Any], key: str, where: str, *, required: bool = False
) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise InputError(f"{where}.{key}", "is missing")
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}.{key}", f"{value!r} is not text")
    return value


def flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(f"{where}.{key}", f"{value!r} is not true or false")
    return value


def number(data: Mapping[str, Any], key: str, where: str) -> Decimal | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}.{key}", f"{value!r} is not a number")
    if not math.isfinite(value) or abs(value) > 1e9:
        raise InputError(f"{where}.{key}", f"{value!r} is not a plausible amount")
    # Doubles such as 0.1 + 0.2 come back at the precision anyone can weigh.
    return Decimal(str(value)).quantize(Decimal("0.000001")).normalize()


def whole(data: Mapping[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}.{key}", f"{value!r} is not a whole number")
    return value


def instant(
    data: Mapping[str, Any], key: str, where: str, *, required: bool = False
) -> datetime | None:
    """Epoch milliseconds, as both apps write them."""
    millis = whole(data, key, where)
    if millis is None:
        if required:
            raise InputError(f"{where}.{key}", "is missing")
        return None
    try:
        instant = EPOCH + timedelta(milliseconds=millis)
    except OverflowError:
        instant = EPOCH
    if not 1970 < instant.year < 9999:
        raise InputError(
            f"{where}.{key}", f"{millis} is not a time in epoch milliseconds"
        )
    return instant
