"""Logging doses, check-ins and other intake: parse, check, save in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import uuid4

from kratom_journal.domain.acknowledgements import Acknowledgement, Shown, unconfirmed
from kratom_journal.domain.acknowledgements import shown as shown_as
from kratom_journal.domain.checkins import (
    CheckIn,
    parse_other_effect,
    parse_peg,
    parse_side_effect,
)
from kratom_journal.domain.doses import Dose, parse_stomach
from kratom_journal.domain.errors import InputError, SafetyCheckUnavailable
from kratom_journal.domain.facts import resolve_substance
from kratom_journal.domain.findings import Finding
from kratom_journal.domain.medications import Intake, IntakeKind, guess_intake_kind
from kratom_journal.domain.moments import parse_at
from kratom_journal.domain.products import parse_name
from kratom_journal.domain.scores import parse_score
from kratom_journal.domain.text import refuse_nul
from kratom_journal.services.acknowledgements import (
    FindingsNeedConfirmation,
    confirmable,
    remember_shown,
    review_findings,
)
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.safety import knowledge, propose, run_check

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from kratom_journal.domain.profiles import Profile
    from kratom_journal.domain.quantities import Amount
    from kratom_journal.domain.safety_input import ProposedDose

MAX_NOTE = 2000


def clean_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    refuse_nul(note, "note")
    if len(note) > MAX_NOTE:
        raise InputError("note", f"is {len(note)} characters; at most {MAX_NOTE}")
    return note.strip()


@dataclass(frozen=True)
class DoseInput:
    amount: str
    product: str | None = None
    at: str | None = None
    note: str | None = None
    stomach: str | None = None
    approx: bool = False
    confirm: bool = False
    # Rule ids of the avoid findings a form or client displayed: with `confirm`,
    # only those (if also recently shown) are confirmed. None: all recently shown.
    shown: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Logged:
    """A stored dose and what the safety check said about it."""

    dose: Dose
    findings: list[Finding]  # to show in full
    check_unavailable: str | None = None
    # Standing findings acknowledged earlier: listed in one line.
    acknowledged: list[tuple[Finding, Acknowledgement]] = field(default_factory=list)


def log_dose(journal: Journal, entry: DoseInput, *, now: datetime) -> Logged:
    """Check, then store. An avoid finding needs `confirm`, which covers only avoid
    findings the person was shown in the last minutes (a blocked log shows them and
    remembers so); a new one blocks again and is shown first. Standing findings the
    person acknowledged need no confirmation. The dose keeps what it was logged past.
    If the check cannot run, the dose is still recorded (a journal must stay
    truthful) and the result says the check was unavailable."""
    blocked: FindingsNeedConfirmation | None = None
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        proposed, amount = propose(
            repo,
            profile,
            entry.amount,
            entry.product,
            entry.at,
            now,
            confirm=entry.confirm,
        )
        unavailable: str | None = None
        try:
            findings = run_check(repo, profile, now, proposed)
        except SafetyCheckUnavailable as error:
            findings, unavailable = [], str(error)
        reviewed = review_findings(repo, profile, findings, now)
        avoid = reviewed.avoid
        seen = confirmable(repo, now) if avoid and entry.confirm else set()
        if entry.shown is not None:
            seen = {item for item in seen if item.rule in entry.shown}
        new = unconfirmed(avoid, seen, confirm=entry.confirm)
        if new:
            # Saved in this transaction; the dose is not.
            remember_shown(repo, avoid, now)
            blocked = FindingsNeedConfirmation(new, avoid)
        else:
            dose = new_dose(
                journal.owner_id,
                profile,
                proposed,
                amount,
                now,
                approx=entry.approx,
                stomach=entry.stomach,
                note=entry.note,
                acknowledged=tuple(
                    shown_as(f) for f in [*avoid, *reviewed.acknowledged_avoid]
                ),
            )
            repo.add(dose, now)
    if blocked is not None:
        raise blocked
    return Logged(dose, reviewed.open, unavailable, reviewed.acknowledged)


def new_dose(
    owner_id: UUID,
    profile: Profile,
    proposed: ProposedDose,
    amount: Amount,
    now: datetime,
    *,
    approx: bool = False,
    stomach: str | None = None,
    note: str | None = None,
    acknowledged: tuple[Shown, ...] = (),
) -> Dose:
    """The dose record for a checked proposal."""
    return Dose(
        id=uuid4(),
        owner_id=owner_id,
        taken_at=proposed.at,
        zone=profile.timezone,
        grams=amount.grams,
        quantity=amount.quantity,
        approximate=amount.approximate or approx,
        created_at=now,
        product_id=proposed.product.id if proposed.product else None,
        stomach=parse_stomach(stomach) if stomach else None,
        note=clean_note(note),
        acknowledged=acknowledged,
    )


@dataclass(frozen=True)
class CheckInInput:
    pain: str | int
    side_effects: Sequence[str] = ()
    other_effects: Sequence[str] = ()
    peg: str | None = None
    mood: str | int | None = None
    energy: str | int | None = None
    sleep: str | int | None = None
    note: str | None = None
    at: str | None = None


def _optional_score(value: str | int | None, field: str) -> int | None:
    return None if value is None else parse_score(value, field)


def parse_effects(entry: CheckInInput) -> tuple[dict[str, int], dict[str, int]]:
    known = dict(parse_side_effect(text) for text in entry.side_effects)
    other = dict(parse_other_effect(text) for text in entry.other_effects)
    return known, other


def record_checkin(journal: Journal, entry: CheckInInput, *, now: datetime) -> CheckIn:
    parse_score(entry.pain, "pain")  # bad input fails before taking the write lock
    parse_effects(entry)
    with journal.transaction() as repo:
        checkin = new_checkin(journal.owner_id, journal.profile(repo), entry, now)
        repo.add(checkin, now)
    return checkin


def new_checkin(
    owner_id: UUID, profile: Profile, entry: CheckInInput, now: datetime
) -> CheckIn:
    """The check-in record for `entry`; InputError names a bad field."""
    pain = parse_score(entry.pain, "pain")
    known, other = parse_effects(entry)
    return CheckIn(
        id=uuid4(),
        owner_id=owner_id,
        at=parse_at(entry.at, now=now, zone=parse_zone(profile.timezone)),
        zone=profile.timezone,
        pain=pain,
        created_at=now,
        peg=parse_peg(entry.peg) if entry.peg else None,
        side_effects=known,
        other_effects=other,
        mood=_optional_score(entry.mood, "mood"),
        energy=_optional_score(entry.energy, "energy"),
        sleep=_optional_score(entry.sleep, "sleep"),
        note=clean_note(entry.note),
    )


def parse_intake_kind(text: str | None, name: str) -> IntakeKind:
    if text is None:
        return _intake_kind_of(name)
    try:
        return IntakeKind(text.strip().lower())
    except ValueError:
        choices = ", ".join(kind.value for kind in IntakeKind)
        raise InputError("kind", f"{text!r} is not one of {choices}") from None


def _intake_kind_of(name: str) -> IntakeKind:
    """Alcohol or caffeine when the name reads as one ("2 beers", "IPA"), by the
    same reading as the safety check; by a short word list if it cannot load."""
    try:
        found = resolve_substance(name, knowledge().substances).substance
    except SafetyCheckUnavailable:
        return guess_intake_kind(name)
    kinds = {"alcohol": IntakeKind.ALCOHOL, "caffeine": IntakeKind.CAFFEINE}
    return kinds.get(found.id, IntakeKind.SUBSTANCE) if found else IntakeKind.SUBSTANCE


def record_intake(
    journal: Journal,
    name: str,
    *,
    now: datetime,
    amount: str | None = None,
    kind: str | None = None,
    at: str | None = None,
    note: str | None = None,
) -> Intake:
    clean_name = parse_name(name, "name")
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        intake = Intake(
            id=uuid4(),
            owner_id=journal.owner_id,
            at=parse_at(at, now=now, zone=parse_zone(profile.timezone)),
            zone=profile.timezone,
            kind=parse_intake_kind(kind, clean_name),
            name=clean_name,
            created_at=now,
            amount_text=parse_name(amount, "amount", max_length=60) if amount else None,
            note=clean_note(note),
        )
        repo.add(intake, now)
    return intake
