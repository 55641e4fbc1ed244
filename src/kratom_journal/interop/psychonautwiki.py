"""PsychonautWiki Journal export files (iOS and Android), as our doses and other intake.

The file format is in research/anchors-journals.md §1.13. Android leaves out fields
that hold their default and iOS writes explicit nulls, so every optional field may be
missing or null. Kratom ingestions ("Kratom", "Mitragyna speciosa", any case) become
doses; other substances become other intake, kept for interaction checks. An
experience's title, text, ratings and timed notes become part of the note of its first
kratom dose (or, without one, of its first other intake): they describe the session,
and a check-in needs a pain score the file does not have.

Ids are derived from the file's own values (substance, creation time, time), so
importing the same file again adds nothing. Pure: no I/O and no clock.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from kratom_journal.domain.doses import Dose, Stomach
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.medications import Intake, guess_intake_kind
from kratom_journal.domain.quantities import (
    MAX_DOSE_GRAMS,
    Calibration,
    format_number,
    parse_quantity,
    to_grams,
)
from kratom_journal.interop import json_fields as fields

if TYPE_CHECKING:
    from datetime import datetime

MAX_NAME = 120  # as for names typed in
KRATOM_NAMES = frozenset({"kratom", "mitragyna speciosa"})
# Fixed, so the same ingestion gets the same id in every import.
ID_NAMESPACE = UUID("6f1d7c52-3f0e-5b8a-9a41-2c0b7e5d9a10")
_STOMACH = {
    "EMPTY": Stomach.EMPTY,
    "QUARTERFULL": Stomach.LIGHT_MEAL,
    "HALFFULL": Stomach.LIGHT_MEAL,
    "FULL": Stomach.FULL,
    "VERYFULL": Stomach.FULL,
}
# Shulgin rating options as the app shows them.
_RATINGS = {
    "minus": "-",
    "plusMinus": "±",
    "plus": "+",
    "twoPlus": "++",
    "threePlus": "+++",
    "fourPlus": "++++",
}
_MARKER_KEYS = ("experiences", "customUnits", "customSubstances", "substanceCompanions")


def looks_like_psychonautwiki(document: object) -> bool:
    """A PW Journal export: no "format" key of ours, and PW's own top-level keys."""
    return (
        isinstance(document, Mapping)
        and "format" not in document
        and any(key in document for key in _MARKER_KEYS)
    )


@dataclass
class Conversion:
    doses: list[Dose] = field(default_factory=list)
    intakes: list[Intake] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _CustomUnit:
    unit: str
    plural: str | None
    dose: Decimal | None  # of the original unit, per one unit; None or 0: unknown
    original_unit: str
    estimate: bool

    def count(self, count: Decimal) -> str:
        """The count and the unit's word, e.g. "2 scoops"."""
        word = self.unit if count == 1 else (self.plural or f"{self.unit}s")
        return f"{_number(count)} {word}"

    def describe(self, count: Decimal) -> str:
        """E.g. "2 scoops (1 scoop = 1.5 g)"; just "2 scoops" if its dose is unknown."""
        if not self.dose:
            return self.count(count)
        per = f"{_number(self.dose)} {self.original_unit}".rstrip()
        return f"{self.count(count)} (1 {self.unit} = {per})"


def convert(document: object, *, source: str, owner_id: UUID, zone: str) -> Conversion:
    """Doses and other intake from a parsed PW export; InputError names the bad field."""
    root = fields.json_object(document, source)
    units = _custom_units(root, source)
    conversion = Conversion()
    seen: Counter[str] = Counter()
    tz = ZoneInfo(zone)
    for i, raw in enumerate(fields.json_list(root, "experiences", source)):
        where = f"{source}: experiences[{i}]"
        experience = fields.json_object(raw, where)
        first: list[Dose | Intake] = []
        for j, item in enumerate(fields.json_list(experience, "ingestions", where)):
            spot = f"{where}.ingestions[{j}]"
            record = _ingestion(
                fields.json_object(item, spot), spot, units, owner_id, zone, seen
            )
            if isinstance(record, str):
                conversion.problems.append(f"{spot}: {record}")
            elif isinstance(record, Dose):
                conversion.doses.append(record)
                first.append(record)
            else:
                conversion.intakes.append(record)
                first.append(record)
        context = _experience_note(experience, where, tz)
        if context is None:
            continue
        if not first:
            conversion.problems.append(
                f"{where}: its notes, with no ingestion to keep them with"
            )
            continue
        kratom = [r for r in first if isinstance(r, Dose)]
        target = min(kratom or first, key=_time_of)
        _attach(conversion, target, context)
    return conversion


def _time_of(record: Dose | Intake) -> datetime:
    return record.taken_at if isinstance(record, Dose) else record.at


def _attach(conversion: Conversion, target: Dose | Intake, context: str) -> None:
    note = f"{target.note}\n{context}" if target.note else context
    if isinstance(target, Dose):
        index = conversion.doses.index(target)
        conversion.doses[index] = dataclasses.replace(target, note=note)
    else:
        index = conversion.intakes.index(target)
        conversion.intakes[index] = dataclasses.replace(target, note=note)


def _ingestion(
    data: Mapping[str, Any],
    where: str,
    units: Mapping[int, _CustomUnit],
    owner_id: UUID,
    zone: str,
    seen: Counter[str],
) -> Dose | Intake | str:
    """A dose, an intake, or why the ingestion is left out."""
    substance = fields.text(data, "substanceName", where, required=True) or ""
    name = " ".join(substance.split())
    if not 0 < len(name) <= MAX_NAME:
        raise InputError(f"{where}.substanceName", f"must be 1-{MAX_NAME} characters")
    at = fields.instant(data, "time", where, required=True) or fields.EPOCH
    created = fields.instant(data, "creationDate", where) or at
    amount = fields.number(data, "dose", where)
    if amount is not None and amount < 0:
        raise InputError(f"{where}.dose", f"{_number(amount)} is negative")
    unit_id = fields.whole(data, "customUnitId", where)
    custom = None
    if unit_id is not None:
        custom = units.get(unit_id)
        if custom is None:
            raise InputError(
                f"{where}.customUnitId", f"{unit_id} is not in customUnits"
            )
    consumer = fields.text(data, "consumerName", where)
    if consumer:
        return f"taken by {consumer}, not by you"
    is_kratom = name.casefold() in KRATOM_NAMES
    seed = f"{owner_id}|{name.casefold()}|{created.isoformat()}|{at.isoformat()}"
    seen[seed] += 1
    record_id = uuid5(ID_NAMESPACE, f"{seed}|{seen[seed]}")
    estimate = fields.flag(data, "isDoseAnEstimate", where) or (
        custom is not None and custom.estimate
    )
    number, unit = (amount, fields.text(data, "units", where) or "")
    described = None
    if custom is not None and amount is not None:
        described = custom.describe(amount)
        number = amount * custom.dose if custom.dose else None
        unit = custom.original_unit
    if number == 0:
        number = None
    notes = [described] if described else []
    deviation = fields.number(data, "estimatedDoseStandardDeviation", where)
    if deviation is not None and custom is None:
        notes.append(f"estimate ± {_number(deviation)} {unit}".rstrip())
    route = (fields.text(data, "administrationRoute", where) or "ORAL").upper()
    if route != "ORAL":
        notes.append(f"route: {route.lower()}")
    notes.extend(filter(None, [(fields.text(data, "notes", where) or "").strip()]))
    note = "\n".join(notes) or None
    if not is_kratom:
        amount_text = None if number is None else f"{_number(number)} {unit}".strip()
        if amount_text is None and custom is not None and amount is not None:
            amount_text = custom.count(amount)
        if amount_text and estimate:
            amount_text = f"~{amount_text}"
        return Intake(
            id=record_id,
            owner_id=owner_id,
            at=at,
            zone=zone,
            kind=guess_intake_kind(name),
            name=name,
            created_at=created,
            amount_text=amount_text,
            note=note,
        )
    if number is None:
        return "kratom of unknown dose"
    try:
        quantity = parse_quantity(f"{_number(number)}{unit}", f"{where}.units")
    except InputError:
        return f"kratom in unit {unit!r}, which is neither g nor mg"
    if not quantity.unit.is_mass:
        return f"kratom in unit {unit!r}, which is neither g nor mg"
    grams = to_grams(quantity, Calibration(), Calibration()).grams
    if grams <= 0:
        return f"{quantity} rounds to less than 1 mg"
    if grams > MAX_DOSE_GRAMS:
        raise InputError(
            f"{where}.dose", f"{quantity} is more than {MAX_DOSE_GRAMS} g in one dose"
        )
    stomach = fields.text(data, "stomachFullness", where)
    return Dose(
        id=record_id,
        owner_id=owner_id,
        taken_at=at,
        zone=zone,
        grams=grams,
        quantity=quantity,
        approximate=estimate or deviation is not None,
        created_at=created,
        stomach=_STOMACH.get(stomach.upper()) if stomach else None,
        note=note,
    )


def _experience_note(data: Mapping[str, Any], where: str, tz: ZoneInfo) -> str | None:
    lines = []
    title = (fields.text(data, "title", where) or "").strip()
    text = (fields.text(data, "text", where) or "").strip()
    if title or text:
        heading = f"Experience {title!r}" if title else ""
        lines.append(": ".join(part for part in (heading, text) if part))
    for k, raw in enumerate(fields.json_list(data, "ratings", where)):
        spot = f"{where}.ratings[{k}]"
        rating = fields.json_object(raw, spot)
        option = fields.text(rating, "option", spot, required=True) or ""
        if option not in _RATINGS:
            raise InputError(f"{spot}.option", f"{option!r} is not a Shulgin rating")
        at = fields.instant(rating, "time", spot)
        when = f"at {at.astimezone(tz):%Y-%m-%d %H:%M}" if at else "(overall)"
        lines.append(f"Rating {_RATINGS[option]} {when}")
    for k, raw in enumerate(fields.json_list(data, "timedNotes", where)):
        spot = f"{where}.timedNotes[{k}]"
        timed = fields.json_object(raw, spot)
        at = fields.instant(timed, "time", spot, required=True) or fields.EPOCH
        note = (fields.text(timed, "note", spot) or "").strip()
        lines.append(f"Note at {at.astimezone(tz):%Y-%m-%d %H:%M}: {note}")
    return "\n".join(lines) or None


def _custom_units(root: Mapping[str, Any], source: str) -> dict[int, _CustomUnit]:
    units: dict[int, _CustomUnit] = {}
    for k, raw in enumerate(fields.json_list(root, "customUnits", source)):
        where = f"{source}: customUnits[{k}]"
        data = fields.json_object(raw, where)
        unit_id = fields.whole(data, "id", where)
        if unit_id is None:
            raise InputError(f"{where}.id", "is missing")
        units[unit_id] = _CustomUnit(
            unit=(
                fields.text(data, "unit", where)
                or fields.text(data, "name", where)
                or "unit"
            ),
            plural=fields.text(data, "unitPlural", where),
            dose=fields.number(data, "dose", where),
            original_unit=fields.text(data, "originalUnit", where) or "",
            estimate=fields.flag(data, "isEstimate", where),
        )
    return units


def _number(value: Decimal) -> str:
    return format_number(Fraction(value))
