"""The record kinds of a journal, and their plain-JSON form.

One codec serves the export file and the undo log, so both round-trip exactly:
UUIDs, instants (ISO 8601 UTC), dates, Decimals (as strings), quantities (as
entered, e.g. "1/2 tsp") and nested certificate and PEG values.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Union
from uuid import UUID

from kratom_journal.domain.acknowledgements import Acknowledgement, Shown
from kratom_journal.domain.checkins import KNOWN_SIDE_EFFECTS, CheckIn, Peg
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.medications import Intake, Medication
from kratom_journal.domain.products import (
    MAX_CALIBRATION_GRAMS,
    LabCertificate,
    Product,
    parse_name,
)
from kratom_journal.domain.profiles import (
    Profile,
    check_caps,
    parse_locality,
    parse_presets,
)
from kratom_journal.domain.protocol_events import ProtocolEvent
from kratom_journal.domain.quantities import (
    MAX_DOSE_GRAMS,
    MILLIGRAM,
    Quantity,
    parse_quantity,
)
from kratom_journal.domain.scores import parse_score
from kratom_journal.domain.withdrawal import WithdrawalCheck, check_scores

Record = (
    Product
    | Dose
    | CheckIn
    | Medication
    | Intake
    | WithdrawalCheck
    | ProtocolEvent
    | Acknowledgement
)
KINDS: dict[str, type[Any]] = {
    "product": Product,
    "dose": Dose,
    "checkin": CheckIn,
    "medication": Medication,
    "intake": Intake,
    "withdrawal": WithdrawalCheck,
    "event": ProtocolEvent,
    "ack": Acknowledgement,
}
KIND_OF: dict[type[Any], str] = {cls: kind for kind, cls in KINDS.items()}


def kind_of(record: object) -> str:
    return KIND_OF[type(record)]


def to_json(record: object) -> dict[str, Any]:
    """A record (or profile) as a JSON-compatible dict."""
    encoded = _encode(record)
    assert isinstance(encoded, dict)
    return encoded


def _encode(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Quantity):
            return str(value)
        return {
            f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    return value


# A class's annotations do not change, and resolving them is slow.
_HINTS: dict[type, dict[str, Any]] = {}


def _type_hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def from_json(cls: type[Any], data: Mapping[str, Any], where: str) -> Any:
    """Build a record of `cls` from its JSON form; InputError names the bad field."""
    if not isinstance(data, Mapping):
        raise InputError(where, "is not an object")
    hints = _type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InputError(f"{where}.{unknown[0]}", "is not a known field")
    values: dict[str, Any] = {}
    for name, spec in known.items():
        if name not in data:
            has_default = (
                spec.default is not dataclasses.MISSING
                or spec.default_factory is not dataclasses.MISSING
            )
            if has_default:
                continue
            raise InputError(f"{where}.{name}", "is missing")
        values[name] = _decode(hints[name], data[name], f"{where}.{name}")
    record = cls(**values)
    check_record(record, where)
    return record


def _decode(hint: Any, value: Any, where: str) -> Any:
    if hint is Any:  # plain JSON kept as it is, nulls included (protocol event data)
        return value
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None:
            return None
        return _decode(options[0], value, where)
    if value is None:
        raise InputError(where, "must not be null")
    try:
        return _decode_value(hint, origin, value, where)
    except (ValueError, TypeError, InvalidOperation, AttributeError) as error:
        raise InputError(where, f"{value!r} is not valid ({error})") from None


def _decode_value(hint: Any, origin: Any, value: Any, where: str) -> Any:
    if hint is Quantity:
        return parse_quantity(str(value), where)
    if hint is Shown and isinstance(value, str):  # a plain rule id, before 0006
        return Shown(value, "")
    if dataclasses.is_dataclass(hint):
        return from_json(typing.cast("type[Any]", hint), value, where)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if hint is datetime:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError("an instant needs a UTC offset")
        return parsed.astimezone(UTC)
    if hint is date:
        return date.fromisoformat(str(value))
    if hint is time:
        return time.fromisoformat(str(value))
    if hint is UUID:
        return UUID(str(value))
    if hint is Decimal:
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError("not a finite number")
        return number
    if hint is bool:
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected a whole number")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise TypeError("expected text")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return tuple(_decode(typing.get_args(hint)[0], item, where) for item in value)
    if origin in (Mapping, dict, typing.Mapping):
        if not isinstance(value, dict):
            raise TypeError("expected an object")
        item_hint = typing.get_args(hint)[1]
        return {
            str(key): _decode(item_hint, item, f"{where}.{key}")
            for key, item in value.items()
        }
    raise TypeError(f"cannot decode {hint}")


def check_record(record: object, where: str) -> None:
    """Range checks that hold for every stored record, wherever it came from."""
    if isinstance(record, Dose):
        if not 0 < record.grams <= MAX_DOSE_GRAMS:
            raise InputError(
                f"{where}.grams", f"{record.grams} is outside 0-{MAX_DOSE_GRAMS} g"
            )
        if record.grams != record.grams.quantize(MILLIGRAM):
            raise InputError(
                f"{where}.grams",
                f"{record.grams} has more than 3 decimals (milligrams)",
            )
    elif isinstance(record, CheckIn):
        for name in ("pain", "mood", "energy", "sleep"):
            score = getattr(record, name)
            if score is not None:
                parse_score(score, f"{where}.{name}")
        if record.peg is not None:
            for name in ("pain", "enjoyment", "activity"):
                parse_score(getattr(record.peg, name), f"{where}.peg.{name}")
        for group in ("side_effects", "other_effects"):
            for name, severity in getattr(record, group).items():
                if severity not in range(4):
                    raise InputError(
                        f"{where}.{group}.{name}", f"{severity} is outside 0-3"
                    )
        for name in record.side_effects:
            if name not in KNOWN_SIDE_EFFECTS:
                raise InputError(
                    f"{where}.side_effects.{name}", "is not a known side effect"
                )
    elif isinstance(record, WithdrawalCheck):
        check_scores(record.symptoms, f"{where}.symptoms")
    elif isinstance(record, Product):
        _check_product(record, where)
    elif isinstance(record, Profile):
        try:
            check_caps(record.dose_cap_g, record.daily_cap_g)
        except InputError as error:  # name the field in the JSON, not the option
            name = "dose_cap_g" if error.field == "dose-cap" else "daily_cap_g"
            raise InputError(f"{where}.{name}", error.problem) from None
        try:
            parse_presets(record.presets, record.dose_cap_g)
        except InputError as error:
            raise InputError(f"{where}.presets", error.problem) from None
        if (
            record.locality is not None
            and parse_locality(record.locality, f"{where}.locality") != record.locality
        ):
            raise InputError(f"{where}.locality", "has extra spaces")


def _check_product(product: Product, where: str) -> None:
    parse_name(product.name, f"{where}.name")
    for name in ("tsp_grams", "capsule_grams"):
        grams = getattr(product, name)
        if grams is not None and not 0 < grams <= MAX_CALIBRATION_GRAMS:
            raise InputError(
                f"{where}.{name}", f"{grams} is outside 0-{MAX_CALIBRATION_GRAMS} g"
            )
    certificate = product.certificate
    if certificate is None:
        return
    for name, value in vars(certificate).items():
        if isinstance(value, Decimal):
            high = Decimal(100) if name.endswith("_pct") else Decimal(100000)
            if not 0 <= value <= high:
                raise InputError(
                    f"{where}.certificate.{name}", f"{value} is outside 0-{high}"
                )


__all__ = [
    "KINDS",
    "LabCertificate",
    "Peg",
    "Profile",
    "Record",
    "from_json",
    "to_json",
]
