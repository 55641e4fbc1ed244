"""Export to our own JSON or CSV, and import our own JSON: preview, merge by id, never delete."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kratom_journal.domain import titration
from kratom_journal.domain.changes import Action
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.records import KINDS, Record, from_json, to_json
from kratom_journal.domain.text import NUL, NUL_PROBLEM
from kratom_journal.services import taper, trial
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.person import Picture, picture

if TYPE_CHECKING:
    from kratom_journal.store.repository import Repository
    from kratom_journal.store.staging import Staged

FORMAT = "kratom-journal"
VERSION = 1
# JSON section name for each record kind; products come first so doses can refer to them.
SECTIONS = {
    "product": "products",
    "medication": "medications",
    "dose": "doses",
    "checkin": "checkins",
    "intake": "intakes",
    "withdrawal": "withdrawal_checks",
    "event": "protocol_events",
    "ack": "acknowledgements",
}
CSV_TABLES = tuple(SECTIONS.values())


def export_json(journal: Journal, *, now: datetime) -> dict[str, Any]:
    """Everything of this owner, deleted entries included, so a round trip is lossless."""
    with journal.transaction(write=False) as repo:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "owner_id": str(journal.owner_id),
            "profile": to_json(journal.profile(repo)),
        }
        for kind, section in SECTIONS.items():
            document[section] = [
                to_json(r) for r in repo.all(kind, include_deleted=True)
            ]
        document["summary"] = _summary(picture(repo, journal.profile(repo), now))
    return document


def _summary(seen: Picture) -> dict[str, Any]:
    """The person as check, insights and the report read them (derived from the
    entries above; an import ignores it)."""
    history = seen.history

    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "today": seen.today.isoformat(),
        "journal_start": day(history.journal_start),
        "run_start": day(history.run_start),
        "last_use_day": day(history.last_use_day),
        "days_in_a_row": seen.days_in_a_row,
        "ceilings": [
            {
                "grams": str(c.grams),
                "at": c.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "effects": list(c.effects),
            }
            for c in seen.ceilings
        ],
    }


def export_csv(journal: Journal, table: str) -> str:
    """One table as CSV; nested values are flattened (certificate.lead_ppm) or JSON."""
    kinds = {section: kind for kind, section in SECTIONS.items()}
    if table not in kinds:
        raise InputError("table", f"{table!r} is not one of {', '.join(CSV_TABLES)}")
    with journal.transaction(write=False) as repo:
        rows = [
            _flatten(to_json(r)) for r in repo.all(kinds[table], include_deleted=True)
        ]
    columns = [f.name for f in dataclasses.fields(KINDS[kinds[table]])]
    header: list[str] = []
    for name in columns:
        header.extend(key for key in _all_keys(rows, name) if key not in header)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and key in ("certificate", "peg"):
            flat |= _flatten(value, f"{name}.")
        elif isinstance(value, Mapping | list):
            flat[name] = json.dumps(value, sort_keys=True)
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = "" if value is None else value
    return flat


def _all_keys(rows: list[dict[str, Any]], name: str) -> list[str]:
    keys = [name] if not rows or name in rows[0] else []
    for row in rows:
        keys.extend(
            k for k in row if (k == name or k.startswith(f"{name}.")) and k not in keys
        )
    return keys or [name]


@dataclass
class ImportPlan:
    """What an import would do. Conflicts keep the stored version."""

    added: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)
    profile: str = "unchanged"
    # What a conversion from another journal's file left out, and why.
    problems: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    # Ids of records whose creation was undone: written again over their hidden row.
    rewritten: set[Any] = field(default_factory=set)
    new_profile: Profile | None = None

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


def parse_document(text: str, source: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            source,
            f"is not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(
            source, f'is not a Kratom Journal export ("format": "{FORMAT}")'
        )
    if document.get("version") != VERSION:
        raise InputError(
            f"{source}: version",
            f"{document.get('version')!r} is not supported (only {VERSION})",
        )
    return document


def import_json(
    journal: Journal, text: str, *, source: str, now: datetime, dry_run: bool
) -> ImportPlan:
    """Merge an export into this journal by id. A bad file raises and writes nothing."""
    document = parse_document(text, source)
    return import_document(journal, document, source=source, now=now, dry_run=dry_run)


def import_document(
    journal: Journal,
    document: Mapping[str, Any],
    *,
    source: str,
    now: datetime,
    dry_run: bool,
) -> ImportPlan:
    """Merge a parsed export-format document by id (other journals' files are
    converted to one first), so every import previews and merges the same way.

    Planning (validating every entry and comparing it with what is stored) is
    nearly all the work of a big import, so it runs in a read transaction, which
    lets other writers through. The write transaction is short: it checks that
    nothing was written meanwhile (else it plans again under the lock) and adds
    everything in a few statements, so an import is all there or not at all.
    """
    with journal.transaction(write=False) as repo:
        # Read before planning: on PostgreSQL each statement sees the latest
        # commits, so a write landing during planning must still change the mark.
        planned_at = repo.write_mark()
        plan = _plan(repo, document, source)
        if dry_run:
            return plan
        staged = _stage(repo, plan, now)
    with journal.transaction() as repo:
        repo.hold_import_lock()
        if repo.write_mark() != planned_at:  # written meanwhile: plan again
            plan = _plan(repo, document, source)
            staged = _stage(repo, plan, now)
        repo.insert_staged(staged)
        # Entries whose every change was undone are written back over their
        # hidden rows, as new creations (few: one by one).
        for record in plan.records:
            if record.id in plan.rewritten:
                repo.replace(record, now, action=Action.CREATE)
        if plan.new_profile is not None:
            repo.save_profile(plan.new_profile, now)
    return plan


def _stage(repo: Repository, plan: ImportPlan, now: datetime) -> Staged:
    """The plan's new rows, prepared for the database before the write lock."""
    return repo.stage([r for r in plan.records if r.id not in plan.rewritten], now)


def _plan(repo: Repository, document: Mapping[str, Any], source: str) -> ImportPlan:
    plan = ImportPlan()
    owner = repo.owner_id
    incoming_products: set[Any] = set()
    for kind, section in SECTIONS.items():
        entries = document.get(section, [])
        if not isinstance(entries, list):
            raise InputError(f"{source}: {section}", "is not a list")
        for index, data in enumerate(entries):
            where = f"{source}: {section}[{index}]"
            if isinstance(data, dict):
                data = data | {"owner_id": str(owner)}
            _refuse_nul(data, where)
            record = from_json(KINDS[kind], data, where)
            if hasattr(record, "zone"):
                parse_zone(record.zone, f"{where}.zone")
            if kind == "product":
                incoming_products.add(record.id)
            if kind == "dose" and record.product_id is not None:
                known = record.product_id in incoming_products or repo.get(
                    "product", record.product_id, include_deleted=True
                )
                if not known:
                    raise InputError(
                        f"{where}.product_id", "refers to a product not in the file"
                    )
            if repo.id_taken_by_other_owner(kind, record.id):
                raise InputError(
                    f"{where}.id", "belongs to another person in this database"
                )
            stored = repo.get(kind, record.id, include_deleted=True)
            # An entry whose creation was undone (an undone import) was never
            # written as far as the journal goes: importing it adds it again. One
            # the person deleted stays as it is.
            undone = (
                stored is not None
                and stored.deleted_at is not None
                and repo.creation_undone(kind, record.id)
            )
            if undone:
                plan.rewritten.add(record.id)
            if stored is None or undone:
                plan.added[section] += 1
                plan.records.append(record)
            elif stored == record:
                plan.unchanged[section] += 1
            else:
                plan.conflicts.append(
                    f"{section}[{index}] id {str(record.id)[:8]}: differs from the stored "
                    "entry; the stored one is kept"
                )
    _check_protocols(
        repo, [r for r in plan.records if isinstance(r, ProtocolEvent)], source
    )
    if "profile" in document:
        data = document["profile"]
        if isinstance(data, dict):
            data = data | {"owner_id": str(owner)}
        incoming = from_json(Profile, data, f"{source}: profile")
        parse_zone(incoming.timezone, f"{source}: profile.timezone")
        current = repo.profile()
        if current == incoming:
            plan.profile = "unchanged"
        elif current is None or not repo.has_changed_profile():
            plan.profile = "updated"
            plan.new_profile = incoming
        else:
            plan.profile = "kept: the stored one was edited (see `kratom profile set`)"
    return plan


def _refuse_nul(value: Any, where: str) -> None:
    """A NUL anywhere in an entry's text is bad input, named by its place in the
    file (the store would refuse it too, but could only name the column)."""
    if isinstance(value, str):
        if NUL in value:
            raise InputError(where, NUL_PROBLEM)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, f"{where}[{index}]")


def _check_protocols(
    repo: Repository, incoming: list[ProtocolEvent], source: str
) -> None:
    """Imported protocol events must replay together with the stored ones; a session
    that cannot be folded would break every protocol command, so nothing is imported."""
    replays: dict[Protocol, Callable[[list[ProtocolEvent]], object]] = {
        Protocol.TITRATION: titration.sessions,
        Protocol.TAPER: taper.fold,
        Protocol.TRIAL: trial.fold,
    }
    for protocol, replay in replays.items():
        new = [event for event in incoming if event.protocol is protocol]
        if not new:
            continue
        try:
            replay(repo.protocol_events(protocol) + new)
        except (
            InputError,
            LookupError,
            TypeError,
            ValueError,
            ArithmeticError,
        ) as error:
            raise InputError(
                f"{source}: protocol_events",
                f"the {protocol} events do not replay ({error!r})",
            ) from None
