"""Titration ceilings: recorded where side effects ended a session, kept for later
sessions, and warned about by the safety check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from kratom_journal.domain import ceilings
from kratom_journal.domain import titration as t
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.findings import Severity
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Quantity, Unit
from kratom_journal.domain.safety import ProposedDose, SafetyInput, check
from tests.domain.safety_facts import FACTS

D = Decimal
T0 = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)  # yesterday's session
NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
OWNER = UUID(int=1)
PROFILE = Profile(owner_id=OWNER, timezone="Europe/Berlin")
ROOMY = t.Limits(dose_cap_g=D(5), day_room_g=D(10))


def waiting(grams: str, started: datetime) -> t.Session:
    return t.Session(
        id=uuid4(),
        started_at=started,
        baseline_pain=6,
        target_pain=None,
        wait=timedelta(minutes=45),
        step_g=D("0.5"),
        doses=((started, D(grams)),),
    )


def session(
    grams: str, pain: int, effects: dict[str, int], started: datetime = T0
) -> t.Session:
    at = started + timedelta(minutes=60)
    return t.check_in(waiting(grams, started), at, pain, effects, ROOMY)


def test_only_sessions_ended_by_side_effects_record_a_ceiling() -> None:
    found = ceilings.from_sessions(
        [
            session("1.5", 6, {"sedation": 1}),
            session("1", 3, {}),  # relief
            session("2", 6, {"nausea": 2}, T0 + timedelta(days=1)),
            session("1", 6, {}),  # a step offered: no ceiling
        ]
    )
    assert [(c.grams, c.effects) for c in found] == [
        (D("1.5"), ("sedation",)),
        (D(2), ("nausea",)),
    ]
    assert ceilings.lowest(found) == found[0]
    assert ceilings.lowest([]) is None


@pytest.mark.parametrize(
    ("grams", "ceiling", "outcome"),
    [
        ("1", "1.5", t.Outcome.CEILING),  # 1 + 0.5 reaches it
        ("1", "2", t.Phase.STEP_ALLOWED),
        ("1", None, t.Phase.STEP_ALLOWED),
    ],
)
def test_a_later_session_never_steps_to_its_ceiling(
    grams: str, ceiling: str | None, outcome: object
) -> None:
    limits = t.Limits(D(5), D(10), ceiling_g=None if ceiling is None else D(ceiling))
    at = NOW + timedelta(minutes=60)
    decided = t.check_in(waiting(grams, NOW), at, 6, {}, limits)
    assert outcome in (decided.outcome, decided.phase)
    if decided.outcome is t.Outcome.CEILING:
        assert "at or past your ceiling of 1.5 g" in decided.reason


def dose(grams: str, minutes_ago: int) -> Dose:
    return Dose(
        id=uuid4(),
        owner_id=OWNER,
        taken_at=NOW - timedelta(minutes=minutes_ago),
        zone="Europe/Berlin",
        grams=D(grams),
        quantity=Quantity(D(grams), Unit.GRAM),
        approximate=False,
        created_at=NOW,
    )


@pytest.mark.parametrize(
    ("grams", "earlier", "severity"),
    [
        ("2.5", (), Severity.HIGH_CAUTION),  # the issue: `check 2.5g` said nothing
        ("1.5", (), Severity.HIGH_CAUTION),  # at the ceiling
        ("1", (("0.5", 60),), Severity.HIGH_CAUTION),  # with a dose an hour ago
        ("1", (("0.5", 300),), None),  # that dose is outside the last 4 hours
        ("1", (), None),
    ],
)
def test_check_warns_at_or_above_the_ceiling(
    grams: str, earlier: tuple[tuple[str, int], ...], severity: Severity | None
) -> None:
    recorded = ceilings.from_sessions([session("1.5", 6, {"sedation": 1})])
    data = SafetyInput(
        profile=PROFILE,
        now=NOW,
        proposed=ProposedDose(D(grams), NOW),
        doses=[dose(g, ago) for g, ago in earlier],
        medications=[],
        intakes=[],
        ceilings=recorded,
    )
    found = {f.rule: f for f in check(data, FACTS)}
    warning = found.get("pattern:titration-ceiling")
    assert (None if warning is None else warning.severity) == severity
    if warning is not None:
        assert warning.title == "At or above your ceiling of 1.5 g"
        assert "Sedation ended your titration session of Sat 21 Nov" in warning.why


def test_a_ceiling_of_milder_effects_is_a_caution() -> None:
    recorded = ceilings.from_sessions([session("2", 6, {"nausea": 2})])
    data = SafetyInput(
        PROFILE, NOW, ProposedDose(D(3), NOW), [], [], [], {}, ceilings=recorded
    )
    (warning,) = [f for f in check(data, FACTS) if f.rule.endswith("ceiling")]
    assert warning.severity is Severity.CAUTION
