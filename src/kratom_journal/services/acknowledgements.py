"""Acknowledging standing findings once, and confirming only what was shown."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from uuid import uuid4

from kratom_journal.domain.acknowledgements import (
    SHOWN_FOR,
    STANDING_PREFIXES,
    Acknowledgement,
    Review,
    Shown,
    basis,
    condition_names,
    condition_rules,
    is_standing,
    review,
    shown,
)
from kratom_journal.domain.changes import Action
from kratom_journal.domain.errors import ConfirmationNeeded, InputError
from kratom_journal.domain.findings import FIRST_RULES, Finding
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.safety import (
    CheckResult,
    check_dose,
    check_now,
    knowledge,
    run_check,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from kratom_journal.domain.profiles import Profile
    from kratom_journal.store.repository import Repository


class FindingsNeedConfirmation(ConfirmationNeeded):
    """Avoid findings stand that no confirmation covers yet; they are now shown."""

    def __init__(self, new: Sequence[Finding], shown_now: Sequence[Finding]) -> None:
        self.new = list(new)
        # Every avoid finding this answer shows: the new ones first.
        self.findings = self.new + [f for f in shown_now if f not in self.new]
        titles = "; ".join(f.title for f in self.findings)
        super().__init__(
            f"the safety check found, at avoid level: {titles}. If this dose was "
            "already taken, or you choose to take it, repeat with --confirm to record "
            "it; nothing was saved."
        )


def review_findings(
    repo: Repository, profile: Profile, findings: Sequence[Finding], now: datetime
) -> Review:
    """Split a check's findings into those to show in full and those acknowledged."""
    acks = repo.acknowledgements()
    wanted = {ack.shown for ack in acks}
    candidates = [f for f in findings if shown(f) in wanted]
    if not candidates:  # the usual case costs one small query
        return Review(list(findings), [])
    bases = _bases(repo, profile, candidates, now, findings)
    later = {
        ack.id: repo.conditions_after(ack.id) for ack in acks if condition_names(ack)
    }
    return review(findings, acks, bases, later)


def _bases(
    repo: Repository,
    profile: Profile,
    findings: Sequence[Finding],
    now: datetime,
    every: Sequence[Finding],
) -> dict[Shown, str | None]:
    """Each of `findings`' current basis (`every`: the whole check's findings)."""
    today = now.astimezone(parse_zone(profile.timezone)).date()
    medications = (
        [m for m in repo.medications() if m.is_current(today)]
        if any(f.rule.startswith("interaction:") for f in findings)
        else []
    )
    conditions = (
        condition_rules(every, profile.conditions, knowledge().conditions)
        if any(f.rule.startswith("condition:") for f in findings)
        else {}
    )
    return {shown(f): basis(f, medications, conditions) for f in findings}


# A check repeated within this time does not write what it showed again.
RESHOW_AFTER = SHOWN_FOR / 6


def confirmable(repo: Repository, now: datetime) -> set[Shown]:
    """The avoid findings a bare --confirm covers: those shown in the last minutes."""
    return repo.shown_since(now - SHOWN_FOR)


def remember_shown(
    repo: Repository, findings: Sequence[Finding], now: datetime
) -> None:
    repo.remember_shown([shown(f) for f in findings], now, now - SHOWN_FOR)


@dataclass(frozen=True)
class Standing:
    """A standing finding now, and its acknowledgement if one still holds."""

    finding: Finding
    acknowledgement: Acknowledgement | None


def standing(journal: Journal, *, now: datetime) -> list[Standing]:
    """The findings from medications and conditions, acknowledged or not."""
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        return _standing(repo, profile, now)


def _standing(repo: Repository, profile: Profile, now: datetime) -> list[Standing]:
    findings = [f for f in run_check(repo, profile, now, None) if is_standing(f)]
    result = review_findings(repo, profile, findings, now)
    acked = {shown(f): ack for f, ack in result.acknowledged}
    return [Standing(f, acked.get(shown(f))) for f in findings]


def _check_rule(rule: str) -> None:
    if rule in FIRST_RULES:
        raise InputError("rule", f"{rule!r} is crisis support, always shown in full")
    if not rule.startswith(STANDING_PREFIXES):
        raise InputError(
            "rule",
            f"{rule!r} is not from a medication or a condition; other avoid-level "
            "findings are confirmed dose by dose (log --confirm)",
        )


def acknowledge(
    journal: Journal,
    rules: Sequence[str],
    *,
    note: str | None,
    now: datetime,
    every: bool = False,
) -> list[Standing]:
    """Acknowledge the standing findings of `rules` (or every one): they then show in
    one line, without --confirm, until the medication or condition changes."""
    from kratom_journal.services.entries import clean_note  # noqa: PLC0415

    text = clean_note(note)
    for rule in rules:
        _check_rule(rule)
    if not rules and not every:
        raise InputError("rule", "name a rule id (`kratom ack` lists them) or --all")
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        current = _standing(repo, profile, now)
        for rule in rules:
            if not any(item.finding.rule == rule for item in current):
                raise InputError(
                    "rule",
                    f"{rule!r} is not among your standing findings now; "
                    "`kratom ack` lists them",
                )
        chosen = [
            item.finding
            for item in current
            if item.acknowledgement is None and (every or item.finding.rule in rules)
        ]
        bases = _bases(repo, profile, chosen, now, [i.finding for i in current])
        done: list[Standing] = []
        for finding in chosen:
            ground = bases.get(shown(finding))
            if ground is None:
                continue
            ack = Acknowledgement(
                id=uuid4(),
                owner_id=journal.owner_id,
                rule=finding.rule,
                title=finding.title,
                basis=ground,
                created_at=now,
                note=text,
            )
            repo.add(ack, now)
            done.append(Standing(finding, ack))
    return done


def withdraw(journal: Journal, rules: Sequence[str], *, now: datetime) -> int:
    """Withdraw acknowledgements of `rules`: those findings show in full again."""
    if not rules:
        raise InputError("rule", "name the rule id(s) to withdraw")
    with journal.transaction() as repo:
        live = [a for a in repo.acknowledgements() if a.rule in rules]
        if not live:
            raise InputError(
                "rule", f"{', '.join(rules)}: nothing acknowledged under that rule id"
            )
        for ack in live:
            repo.replace(replace(ack, deleted_at=now), now, Action.DELETE)
    return len(live)


def reviewed_now(journal: Journal, *, now: datetime) -> tuple[CheckResult, Review]:
    """The standing findings without a dose, split by acknowledgement; writes
    nothing (a page that only shows them, as Today does)."""
    result = check_now(journal, now=now)
    return result, review_result(journal, result, now=now)


def review_result(journal: Journal, result: CheckResult, *, now: datetime) -> Review:
    """A check's findings split by acknowledgement; writes nothing."""
    with journal.transaction(write=False) as repo:
        return review_findings(repo, journal.profile(repo), result.findings, now)


def check_reviewed(
    journal: Journal,
    amount: str | None,
    *,
    product: str | None,
    at: str | None,
    now: datetime,
) -> tuple[CheckResult, Review]:
    """`check`, its findings split by acknowledgement; the avoid findings it shows
    are remembered, so that a log's bare --confirm covers them."""
    with journal.reading() as repo:  # one read transaction for the check and review
        if amount is None:
            result = check_now(journal, now=now)
        else:
            result = check_dose(journal, amount, product=product, at=at, now=now)
        reviewed = review_result(journal, result, now=now)
        # Shown moments ago (a repeated check): no write needed.
        fresh = repo.shown_since(now - RESHOW_AFTER)
        unsaved = [f for f in reviewed.avoid if shown(f) not in fresh]
    if unsaved:
        with journal.transaction() as writer:
            remember_shown(writer, reviewed.avoid, now)
    return result, reviewed
