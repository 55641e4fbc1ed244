"""The pre-dose safety check: gather the journal, load the knowledge, run the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.findings import Finding, is_blocked
from kratom_journal.domain.moments import parse_at
from kratom_journal.domain.quantities import Amount, Calibration
from kratom_journal.domain.safety import ProposedDose, SafetyInput, check
from kratom_journal.services.amounts import convert_amount
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.lookups import find_product
from kratom_journal.services.person import ceilings, use_history

if TYPE_CHECKING:
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.knowledge.loader import Knowledge
    from kratom_journal.store.repository import Repository

# Long enough for every pattern rule's amounts (four weeks ago plus a week); runs
# of use come from the whole journal (services/person.py).
HISTORY = timedelta(days=42)
INTAKE_WINDOW = timedelta(hours=48)


def knowledge() -> Knowledge:
    """The knowledge base, or a refusal: never "no findings" without it."""
    # Imported here: pydantic and the schema cost ~75 ms, which check-ins, edits and
    # undo (all importing this module) should not pay.
    from kratom_journal.knowledge.loader import load_knowledge  # noqa: PLC0415
    from kratom_journal.knowledge.units import KnowledgeError  # noqa: PLC0415

    try:
        return load_knowledge()
    except KnowledgeError as error:
        raise SafetyCheckUnavailable(
            f"the safety check cannot run because its knowledge did not load ({error}); "
            "it cannot tell whether this is safe"
        ) from None


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    proposed: ProposedDose | None

    @property
    def blocked(self) -> bool:
        return is_blocked(self.findings)


def gather(
    repo: Repository, profile: Profile, now: datetime, proposed: ProposedDose | None
) -> SafetyInput:
    at = proposed.at if proposed is not None else now
    until = at + timedelta(minutes=10)
    today = now.astimezone(parse_zone(profile.timezone)).date()  # the person's date
    doses = repo.doses_between(at - HISTORY, until)
    return SafetyInput(
        profile=profile,
        now=now,
        proposed=proposed,
        doses=doses,
        medications=[m for m in repo.medications() if m.is_current(today)],
        intakes=repo.intakes_between(at - INTAKE_WINDOW, until),
        products={p.id: p for p in repo.all("product", include_deleted=True)},
        history=use_history(repo, profile, until, [d.taken_at for d in doses]),
        ceilings=ceilings(repo, profile),
    )


def run_check(
    repo: Repository, profile: Profile, now: datetime, proposed: ProposedDose | None
) -> list[Finding]:
    return check(gather(repo, profile, now, proposed), knowledge())


def propose(
    repo: Repository,
    profile: Profile,
    amount: str,
    product_name: str | None,
    at: str | None,
    now: datetime,
    *,
    confirm: bool,
) -> tuple[ProposedDose, Amount]:
    """The dose as typed, in grams and as an instant: checked, not yet stored."""
    product = find_product(repo, product_name) if product_name else None
    calibration = product.calibration if product else Calibration()
    converted = convert_amount(amount, calibration, confirm=confirm)
    when = parse_at(at, now=now, zone=parse_zone(profile.timezone))
    return ProposedDose(grams=converted.grams, at=when, product=product), converted


def check_dose(
    journal: Journal, amount: str, *, product: str | None, at: str | None, now: datetime
) -> CheckResult:
    """What the rules say about taking `amount` now (or at `at`); writes nothing."""
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        proposed, _ = propose(repo, profile, amount, product, at, now, confirm=True)
        return CheckResult(run_check(repo, profile, now, proposed), proposed)


def check_now(journal: Journal, *, now: datetime) -> CheckResult:
    """The standing findings (medications, conditions, law, patterns) without a dose."""
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        return CheckResult(run_check(repo, profile, now, None), None)
