"""Mapping between domain records and table rows."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kratom_journal.domain.acknowledgements import Acknowledgement, Shown
from kratom_journal.domain.checkins import CheckIn, Peg
from kratom_journal.domain.doses import Dose, Stomach
from kratom_journal.domain.medications import Intake, IntakeKind, Medication
from kratom_journal.domain.products import LabCertificate, Product, ProductForm
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.quantities import parse_quantity
from kratom_journal.domain.records import Record, from_json, to_json
from kratom_journal.domain.withdrawal import WithdrawalCheck

if TYPE_CHECKING:
    from collections.abc import Mapping

_MG = Decimal(1000)


def _mg(grams: Decimal) -> int:
    return int(grams * _MG)


def _grams(mg: int) -> Decimal:
    return (Decimal(mg) / _MG).quantize(Decimal("0.001"))


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _shown(item: str | Mapping[str, Any]) -> Shown:
    """One confirmed finding; a plain rule id as stored before 0006."""
    if isinstance(item, str):
        return Shown(item, "")
    return Shown(item["rule"], item["title"])


def profile_to_row(profile: Profile) -> dict[str, Any]:
    return {
        "owner_id": profile.owner_id,
        "timezone": profile.timezone,
        "day_boundary": profile.day_boundary.strftime("%H:%M"),
        "location": profile.location,
        "birth_year": profile.birth_year,
        "conditions": list(profile.conditions),
        "dose_cap_mg": _mg(profile.dose_cap_g),
        "daily_cap_mg": _mg(profile.daily_cap_g),
        "presets": list(profile.presets),
        "locality": profile.locality,
    }


def profile_from_row(row: Mapping[Any, Any]) -> Profile:
    return Profile(
        owner_id=row["owner_id"],
        timezone=row["timezone"],
        day_boundary=time.fromisoformat(row["day_boundary"]),
        location=row["location"],
        birth_year=row["birth_year"],
        conditions=tuple(row["conditions"]),
        dose_cap_g=_grams(row["dose_cap_mg"]),
        daily_cap_g=_grams(row["daily_cap_mg"]),
        presets=tuple(row["presets"] or ()),
        locality=row["locality"],
    )


def to_row(record: Record) -> dict[str, Any]:
    base = {
        "id": record.id,
        "owner_id": record.owner_id,
        "created_at": record.created_at,
        "deleted_at": record.deleted_at,
    }
    if isinstance(record, Dose):
        return base | {
            "taken_at": record.taken_at,
            "zone": record.zone,
            "amount_mg": _mg(record.grams),
            "quantity": str(record.quantity),
            "approximate": record.approximate,
            "product_id": record.product_id,
            "stomach": record.stomach.value if record.stomach else None,
            "note": record.note,
            "acknowledged": [to_json(s) for s in record.acknowledged] or None,
        }
    if isinstance(record, CheckIn):
        peg = record.peg
        return base | {
            "at": record.at,
            "zone": record.zone,
            "pain": record.pain,
            "peg_pain": peg.pain if peg else None,
            "peg_enjoyment": peg.enjoyment if peg else None,
            "peg_activity": peg.activity if peg else None,
            "side_effects": dict(record.side_effects),
            "other_effects": dict(record.other_effects),
            "mood": record.mood,
            "energy": record.energy,
            "sleep": record.sleep,
            "note": record.note,
        }
    if isinstance(record, Product):
        certificate = record.certificate
        return base | {
            "name": record.name,
            "form": record.form.value,
            "vendor": record.vendor,
            "strain": record.strain,
            "batch": record.batch,
            "tsp_grams": _text(record.tsp_grams),
            "capsule_grams": _text(record.capsule_grams),
            "certificate": None if certificate is None else to_json(certificate),
        }
    if isinstance(record, Medication):
        return base | {
            "name": record.name,
            "dose_text": record.dose_text,
            "started": record.started,
            "stopped": record.stopped,
            "note": record.note,
        }
    if isinstance(record, WithdrawalCheck):
        return base | {
            "at": record.at,
            "zone": record.zone,
            "symptoms": dict(record.symptoms),
            "note": record.note,
        }
    if isinstance(record, Acknowledgement):
        return base | {
            "rule": record.rule,
            "title": record.title,
            "basis": record.basis,
            "note": record.note,
        }
    if isinstance(record, ProtocolEvent):
        return base | {
            "protocol": record.protocol.value,
            "session_id": record.session_id,
            "seq": record.seq,
            "at": record.at,
            "kind": record.kind,
            "data": dict(record.data),
        }
    return base | {
        "at": record.at,
        "zone": record.zone,
        "kind": record.kind.value,
        "name": record.name,
        "amount_text": record.amount_text,
        "note": record.note,
    }


def from_row(kind: str, row: Mapping[Any, Any]) -> Record:
    base = {
        "id": row["id"],
        "owner_id": row["owner_id"],
        "created_at": row["created_at"],
        "deleted_at": row["deleted_at"],
    }
    if kind == "dose":
        return Dose(
            **base,
            taken_at=row["taken_at"],
            zone=row["zone"],
            grams=_grams(row["amount_mg"]),
            quantity=parse_quantity(row["quantity"]),
            approximate=row["approximate"],
            product_id=row["product_id"],
            stomach=Stomach(row["stomach"]) if row["stomach"] else None,
            note=row["note"],
            acknowledged=tuple(_shown(item) for item in row["acknowledged"] or ()),
        )
    if kind == "checkin":
        has_peg = row["peg_pain"] is not None
        return CheckIn(
            **base,
            at=row["at"],
            zone=row["zone"],
            pain=row["pain"],
            peg=Peg(row["peg_pain"], row["peg_enjoyment"], row["peg_activity"])
            if has_peg
            else None,
            side_effects=dict(row["side_effects"]),
            other_effects=dict(row["other_effects"]),
            mood=row["mood"],
            energy=row["energy"],
            sleep=row["sleep"],
            note=row["note"],
        )
    if kind == "product":
        certificate = row["certificate"]
        return Product(
            **base,
            name=row["name"],
            form=ProductForm(row["form"]),
            vendor=row["vendor"],
            strain=row["strain"],
            batch=row["batch"],
            tsp_grams=_dec(row["tsp_grams"]),
            capsule_grams=_dec(row["capsule_grams"]),
            certificate=None
            if certificate is None
            else from_json(LabCertificate, certificate, "certificate"),
        )
    if kind == "medication":
        return Medication(
            **base,
            name=row["name"],
            dose_text=row["dose_text"],
            started=row["started"],
            stopped=row["stopped"],
            note=row["note"],
        )
    if kind == "withdrawal":
        return WithdrawalCheck(
            **base,
            at=row["at"],
            zone=row["zone"],
            symptoms=dict(row["symptoms"]),
            note=row["note"],
        )
    if kind == "ack":
        return Acknowledgement(
            **base,
            rule=row["rule"],
            title=row["title"],
            basis=row["basis"],
            note=row["note"],
        )
    if kind == "event":
        return ProtocolEvent(
            **base,
            protocol=Protocol(row["protocol"]),
            session_id=row["session_id"],
            seq=row["seq"],
            at=row["at"],
            kind=row["kind"],
            data=dict(row["data"]),
        )
    return Intake(
        **base,
        at=row["at"],
        zone=row["zone"],
        kind=IntakeKind(row["kind"]),
        name=row["name"],
        amount_text=row["amount_text"],
        note=row["note"],
    )
