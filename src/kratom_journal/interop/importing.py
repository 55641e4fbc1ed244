"""`kratom import`: read a file in any supported format and merge it like our own export.

Every format is first turned into a document in our own export format, then merged by
`services.transfer.import_document`, so the preview, the duplicate check and the
never-delete rule are the same for all of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.quantities import (
    Amount,
    Calibration,
    Quantity,
    to_grams,
)
from kratom_journal.domain.records import to_json
from kratom_journal.interop import csv_import, psychonautwiki
from kratom_journal.services.journal import parse_zone
from kratom_journal.services.profiles import show_profile
from kratom_journal.services.transfer import (
    FORMAT,
    SECTIONS,
    VERSION,
    ImportPlan,
    import_document,
    parse_document,
)

if TYPE_CHECKING:
    from datetime import datetime

    from kratom_journal.services.journal import Journal

FORMATS = ("auto", "json", "psychonautwiki", "csv")


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    mapping: str | None = None  # CSV from another tracker: "time=Date,amount=Dose"
    time_format: str | None = None  # strptime format of that CSV's time column
    zone: str | None = None  # zone of times without an offset; default: the profile's


def import_file(
    journal: Journal,
    text: str,
    *,
    source: str,
    options: ImportOptions,
    now: datetime,
    dry_run: bool,
) -> tuple[str, ImportPlan]:
    """The format read and what the import adds; a bad file raises and writes nothing."""
    fmt = options.format
    if fmt not in FORMATS:
        raise InputError("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "auto":
        is_csv = source.lower().endswith(".csv") or options.mapping is not None
        fmt = "csv" if is_csv else _json_format(text, source)
    if fmt != "csv" and (options.mapping or options.time_format):
        raise InputError("map", "--map and --time-format apply to CSV files only")
    if options.zone is not None and not (
        fmt == "psychonautwiki" or (fmt == "csv" and options.mapping)
    ):
        raise InputError(
            "zone", "applies to PsychonautWiki files and mapped CSV files only"
        )
    if fmt == "json":
        document = parse_document(text, source)
        plan = import_document(
            journal, document, source=source, now=now, dry_run=dry_run
        )
        return fmt, plan
    problems: list[str] = []
    if fmt == "psychonautwiki":
        document = _from_psychonautwiki(journal, text, source, options, problems)
    else:
        document = _from_csv(journal, text, source, options)
    plan = import_document(journal, document, source=source, now=now, dry_run=dry_run)
    plan.problems.extend(problems)
    return fmt, plan


def _json_format(text: str, source: str) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return "json"  # parse_document reports where the JSON is broken
    return (
        "psychonautwiki" if psychonautwiki.looks_like_psychonautwiki(data) else "json"
    )


def _zone(journal: Journal, options: ImportOptions) -> str:
    if options.zone is None:
        return show_profile(journal).timezone
    parse_zone(options.zone, "zone")
    return options.zone


def _document(**sections: list[Any]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION} | sections


def _from_psychonautwiki(
    journal: Journal,
    text: str,
    source: str,
    options: ImportOptions,
    problems: list[str],
) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            source,
            f"is not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None
    if not psychonautwiki.looks_like_psychonautwiki(data):
        raise InputError(
            source, 'is not a PsychonautWiki Journal export (no "experiences")'
        )
    conversion = psychonautwiki.convert(
        data, source=source, owner_id=journal.owner_id, zone=_zone(journal, options)
    )
    problems.extend(conversion.problems)
    return _document(
        doses=[to_json(dose) for dose in conversion.doses],
        intakes=[to_json(intake) for intake in conversion.intakes],
    )


def _from_csv(
    journal: Journal, text: str, source: str, options: ImportOptions
) -> dict[str, Any]:
    if options.mapping is None:
        if options.time_format:
            raise InputError("time-format", "applies only with --map")
        kind, entries = csv_import.read_own_csv(text, source)
        return _document(**{SECTIONS[kind]: entries})
    doses = csv_import.read_mapped_doses(
        text,
        csv_import.parse_mapping(options.mapping),
        source=source,
        owner_id=journal.owner_id,
        zone=_zone(journal, options),
        time_format=options.time_format,
        convert=_grams,
    )
    return _document(doses=[to_json(dose) for dose in doses])


def _grams(quantity: Quantity) -> Amount:
    """Grams for a past dose; spoons and capsules use the documented defaults."""
    defaults = Calibration()
    if not quantity.unit.is_mass:
        from kratom_journal.knowledge.units import default_calibration  # noqa: PLC0415

        defaults = default_calibration()
    return to_grams(quantity, Calibration(), defaults)
