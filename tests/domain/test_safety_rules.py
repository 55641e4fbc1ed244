"""Every safety rule: fires, does not fire, and its boundaries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from uuid import UUID, uuid4

import pytest

from kratom_journal.domain.doses import Dose
from kratom_journal.domain.facts import resolve_substance
from kratom_journal.domain.findings import Severity, is_blocked
from kratom_journal.domain.medications import Intake, IntakeKind, Medication
from kratom_journal.domain.person import UseHistory
from kratom_journal.domain.products import LabCertificate, Product, ProductForm
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Quantity, Unit
from kratom_journal.domain.safety import ProposedDose, SafetyInput, check
from tests.domain.safety_facts import FACTS

OWNER = UUID(int=7)
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # 10:00 in New York
PROFILE = Profile(
    owner_id=OWNER, timezone="America/New_York", location="US-TX", birth_year=1970
)


def dose(at: datetime, grams: str = "2", product: Product | None = None) -> Dose:
    return Dose(
        id=uuid4(),
        owner_id=OWNER,
        taken_at=at,
        zone="America/New_York",
        grams=Decimal(grams),
        quantity=Quantity(Fraction(grams), Unit.GRAM),
        approximate=False,
        created_at=at,
        product_id=product.id if product else None,
    )


def product(**fields: object) -> Product:
    base = Product(
        id=uuid4(),
        owner_id=OWNER,
        name="Red Bali",
        created_at=NOW,
        certificate=LabCertificate(
            mitragynine_pct=Decimal("1.5"),
            seven_oh_pct=Decimal("0.01"),
            lead_ppm=Decimal("0.2"),
            microbial_pass=True,
        ),
    )
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def run(
    grams: str | None = "2",
    *,
    at: datetime = NOW,
    doses: tuple[Dose, ...] = (),
    medications: tuple[str, ...] = (),
    intakes: tuple[Intake, ...] = (),
    profile: Profile = PROFILE,
    item: Product | None = None,
) -> dict[str, Severity]:
    meds = [
        Medication(id=uuid4(), owner_id=OWNER, name=name, created_at=NOW)
        for name in medications
    ]
    proposed = None if grams is None else ProposedDose(Decimal(grams), at, item)
    data = SafetyInput(
        profile=profile,
        now=NOW,
        proposed=proposed,
        doses=doses,
        medications=meds,
        intakes=intakes,
    )
    return {f.rule: f.severity for f in check(data, FACTS)}


def test_findings_are_sorted_most_severe_first_and_carry_sources() -> None:
    data = SafetyInput(
        profile=PROFILE,
        now=NOW,
        proposed=ProposedDose(Decimal(6), NOW),
        doses=(),
        medications=[
            Medication(id=uuid4(), owner_id=OWNER, name="Lyrica", created_at=NOW)
        ],
        intakes=(),
    )
    findings = check(data, FACTS)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, reverse=True)
    assert findings[0].rule == "interaction:gabapentinoids"
    assert findings[0].sources[0].url == "https://example.org/source"
    assert is_blocked(findings)


@pytest.mark.parametrize(
    ("typed", "expected", "matched_by"),
    [
        ("gabapentin", "gabapentin", "name"),
        ("Neurontin", "gabapentin", "brand"),
        ("NEURONTIN", "gabapentin", "brand"),
        ("gabapenten", "gabapentin", "misspelling"),
        ("Percocet", "oxycodone-acetaminophen", "brand"),
        ("oxycodone/acetaminophen", "oxycodone-acetaminophen", "name"),
    ],
)
def test_medicine_names_resolve(typed: str, expected: str, matched_by: str) -> None:
    resolution = resolve_substance(typed, FACTS.substances)
    assert resolution.substance is not None
    assert (resolution.substance.id, resolution.matched_by) == (expected, matched_by)


@pytest.mark.parametrize(
    ("medication", "rule", "severity"),
    [
        ("Neurontin", "interaction:gabapentinoids", Severity.AVOID),
        ("pregabalin", "interaction:gabapentinoids", Severity.AVOID),
        ("Percocet", "interaction:opioids", Severity.AVOID),  # via its oxycodone
        (
            "Percocet",
            "interaction:hepatotoxic",
            Severity.CAUTION,
        ),  # via its acetaminophen
        ("Advil", "interaction:no-known-interaction", Severity.INFO),
        ("Zapzorin", "interaction:unknown-medicine", Severity.CAUTION),
    ],
)
def test_medication_interactions(
    medication: str, rule: str, severity: Severity
) -> None:
    assert run(medications=(medication,))[rule] is severity


def test_an_unknown_medicine_says_ask_a_pharmacist() -> None:
    [finding] = [
        f
        for f in check(_with_medication("Zapzorin"), FACTS)
        if f.rule == "interaction:unknown-medicine"
    ]
    assert "Ask a pharmacist" in finding.advice
    assert finding.severity is Severity.CAUTION


def test_a_misspelt_medicine_is_read_as_the_closest_name_at_its_severity() -> None:
    findings = check(_with_medication("Gabapentyn"), FACTS)
    [finding] = [f for f in findings if f.rule == "interaction:gabapentinoids"]
    assert finding.severity is Severity.AVOID
    assert "read as gabapentin" in finding.title
    assert not any(f.rule == "interaction:unknown-medicine" for f in findings)


def _with_medication(name: str) -> SafetyInput:
    return SafetyInput(
        profile=PROFILE,
        now=NOW,
        proposed=None,
        doses=(),
        medications=[Medication(id=uuid4(), owner_id=OWNER, name=name, created_at=NOW)],
        intakes=(),
    )


@pytest.mark.parametrize(
    ("hours_ago", "fires"), [(1, True), (47.9, True), (48.1, False)]
)
def test_alcohol_in_the_last_48_hours(hours_ago: float, fires: bool) -> None:
    at = NOW - timedelta(hours=hours_ago)
    beer = Intake(
        id=uuid4(),
        owner_id=OWNER,
        at=at,
        zone="UTC",
        kind=IntakeKind.ALCOHOL,
        name="beer",
        created_at=at,
    )
    assert ("intake:alcohol" in run(intakes=(beer,))) is fires


@pytest.mark.parametrize(
    ("condition", "rule", "severity"),
    [
        ("pregnancy", "condition:pregnancy", Severity.AVOID),
        ("pregnant", "condition:pregnancy", Severity.AVOID),
        ("cirrhosis", "condition:liver-disease", Severity.HIGH_CAUTION),
        ("gout", "condition:unknown", Severity.INFO),
    ],
)
def test_conditions(condition: str, rule: str, severity: Severity) -> None:
    profile = dataclasses.replace(PROFILE, conditions=(condition,))
    assert run(profile=profile)[rule] is severity


@pytest.mark.parametrize(
    ("fields", "rule", "severity"),
    [
        (
            {"form": ProductForm.SEVEN_OH_CONCENTRATE},
            "product:seven-oh-concentrate",
            Severity.AVOID,
        ),
        (
            {"name": "Enhanced Red 7-OH shots"},
            "product:seven-oh-concentrate",
            Severity.AVOID,
        ),
        ({"certificate": None}, "product:no-certificate", Severity.CAUTION),
        (
            {
                "certificate": LabCertificate(
                    mitragynine_pct=Decimal("1.0"), seven_oh_pct=Decimal("0.03")
                )
            },
            "product:seven-oh-share",
            Severity.AVOID,
        ),  # 2.9% of alkaloids
        (
            {"certificate": LabCertificate(lead_ppm=Decimal("1.3"))},
            "product:lead-ppm",
            Severity.HIGH_CAUTION,
        ),
        (
            {"certificate": LabCertificate(microbial_pass=False)},
            "product:microbial-fail",
            Severity.AVOID,
        ),
        (
            {"certificate": LabCertificate(lead_ppm=Decimal("1.0"))},
            "product:lead-daily-exposure",
            Severity.HIGH_CAUTION,
        ),  # 1.0 ppm x 6 g = 6 ug
    ],
)
def test_product_rules(
    fields: dict[str, object], rule: str, severity: Severity
) -> None:
    assert run("6", item=product(**fields))[rule] is severity


@pytest.mark.parametrize(
    ("fields", "absent"),
    [
        ({}, "product:no-certificate"),
        (
            {
                "certificate": LabCertificate(
                    mitragynine_pct=Decimal("1.0"), seven_oh_pct=Decimal("0.02")
                )
            },
            "product:seven-oh-share",
        ),  # 1.96%: natural leaf range
        # Utah's lead limit is "less than 1.2 ppm": 1.2 itself is over it.
        ({"certificate": LabCertificate(lead_ppm=Decimal("1.19"))}, "product:lead-ppm"),
        (
            {"certificate": LabCertificate(lead_ppm=Decimal("0.8"))},
            "product:lead-daily-exposure",
        ),  # 0.8 x 6 = 4.8 ug, under 5
    ],
)
def test_product_rules_at_their_limits_do_not_fire(
    fields: dict[str, object], absent: str
) -> None:
    assert absent not in run("6", item=product(**fields))


CAP_RULES = {"dose:over-dose-cap", "dose:over-daily-cap", "dose:high-amount"}


@pytest.mark.parametrize(
    ("grams", "earlier", "rules"),
    [
        ("5", (), set()),
        ("5.001", (), {"dose:over-dose-cap"}),
        ("4", ("6",), set()),  # exactly the 10 g daily cap
        ("4", ("6.001",), {"dose:over-daily-cap"}),
        ("8.5", (), {"dose:over-dose-cap", "dose:high-amount"}),
    ],
)
def test_dose_caps(grams: str, earlier: tuple[str, ...], rules: set[str]) -> None:
    profile = dataclasses.replace(
        PROFILE, dose_cap_g=Decimal(5), daily_cap_g=Decimal(10)
    )
    doses = tuple(dose(NOW - timedelta(hours=5), g) for g in earlier)
    assert set(run(grams, doses=doses, profile=profile)) & CAP_RULES == rules


def test_hard_limits_apply_whatever_the_caps() -> None:
    profile = dataclasses.replace(
        PROFILE, dose_cap_g=Decimal(8), daily_cap_g=Decimal(15)
    )
    assert run("8.001", profile=profile)["dose:high-amount"] is Severity.HIGH_CAUTION
    day = (dose(NOW - timedelta(hours=4), "7"), dose(NOW - timedelta(hours=2), "7"))
    assert "dose:high-amount" in run("1.5", doses=day, profile=profile)
    assert "dose:high-amount" not in run("8", profile=profile)


@pytest.mark.parametrize(("minutes", "fires"), [(44, True), (45, False), (0, True)])
def test_redose_wait_boundary(minutes: int, fires: bool) -> None:
    last = dose(NOW - timedelta(minutes=minutes))
    rules = run(doses=(last,))
    assert ("dose:redose-too-soon" in rules) is fires


def test_redose_says_until_when_in_local_time() -> None:
    data = SafetyInput(
        profile=PROFILE,
        now=NOW,
        proposed=ProposedDose(Decimal(1), NOW),
        doses=(dose(NOW - timedelta(minutes=30)),),
        medications=(),
        intakes=(),
    )
    [finding] = [f for f in check(data, FACTS) if f.rule == "dose:redose-too-soon"]
    assert finding.title == "Only 30 min since the last dose: wait until 10:15"


def test_amount_still_active_counts_earlier_days() -> None:
    days = tuple(
        dose(NOW - timedelta(days=d, hours=h), "3")
        for d in range(1, 4)
        for h in (0, 6, 12)
    )
    assert run("2", doses=days)["dose:amount-still-active"] is Severity.CAUTION
    assert "dose:amount-still-active" not in run("2", doses=days[:1])


def daily(
    days: int, per_day: int = 1, grams: str = "2", start: int = 0
) -> tuple[Dose, ...]:
    return tuple(
        dose(NOW - timedelta(days=d, hours=2 + 3 * i), grams)
        for d in range(start, start + days)
        for i in range(per_day)
    )


@pytest.mark.parametrize(
    ("streak", "rule"),
    [
        (3, None),
        (4, "pattern:daily-use-tolerance"),
        (12, "pattern:daily-use-tolerance"),
        (13, "pattern:daily-use-dependence"),
    ],
)
def test_days_in_a_row(streak: int, rule: str | None) -> None:
    # the proposed dose today makes it streak + 1 days in a row
    rules = {
        r for r in run(doses=daily(streak, start=1)) if r.startswith("pattern:daily")
    }
    assert rules == ({rule} if rule else set())


def test_a_gap_day_breaks_the_streak() -> None:
    doses = daily(3, start=1) + daily(10, start=5)
    assert not {r for r in run(doses=doses) if r.startswith("pattern:daily")}


def test_third_dose_of_the_day() -> None:
    two = (dose(NOW - timedelta(hours=4)), dose(NOW - timedelta(hours=2)))
    assert run(doses=two)["pattern:many-doses-a-day"] is Severity.CAUTION
    assert "pattern:many-doses-a-day" not in run(doses=two[:1])


def test_rising_amount_against_four_weeks_earlier() -> None:
    earlier = daily(7, grams="2", start=28)
    # 2 + 6 x 3 = 20 g this week against 14 g four weeks ago: +43%
    assert "pattern:rising-amount" in run(
        "2", doses=earlier + daily(6, grams="3", start=1)
    )
    assert "pattern:rising-amount" not in run(
        "2", doses=earlier + daily(6, grams="2", start=1)
    )


def test_first_dose_drifting_earlier() -> None:
    def at(days_ago: int, hour: int) -> Dose:
        local = datetime(2026, 11, 22, hour, tzinfo=UTC) - timedelta(days=days_ago)
        return dose(local + timedelta(hours=5))  # New York is UTC-5 in November

    late = tuple(at(d, 11) for d in range(8, 20))
    early = tuple(at(d, 8) for d in range(1, 7))
    assert "pattern:first-dose-earlier" in run(None, doses=late + early)
    assert "pattern:first-dose-earlier" not in run(
        None, doses=late + tuple(at(d, 11) for d in range(1, 7))
    )


@pytest.mark.parametrize(
    ("location", "birth_year", "rules"),
    [
        (None, 1970, {"law:location-not-set"}),
        ("US-AL", 1970, {"law:banned", "law:legal"}),
        ("US-TX", 1970, {"law:regulated", "law:legal"}),
        ("US-TX", 2009, {"law:regulated", "law:legal", "law:under-age"}),
        ("US-TX", None, {"law:regulated", "law:legal", "law:age-unknown"}),
        (
            "US-CA",
            1970,
            {"law:sale-unlawful", "law:legal", "law:local-elsewhere"},
        ),  # San Diego's ban is context until the locality says San Diego
        ("TH", 1970, {"law:regulated"}),
        ("FR", 1970, {"law:unknown"}),
    ],
)
def test_law(location: str | None, birth_year: int | None, rules: set[str]) -> None:
    profile = dataclasses.replace(PROFILE, location=location, birth_year=birth_year)
    assert {r for r in run(None, profile=profile) if r.startswith("law:")} == rules


def test_banned_state_is_high_caution() -> None:
    profile = dataclasses.replace(PROFILE, location="US-AL")
    assert run(None, profile=profile)["law:banned"] is Severity.HIGH_CAUTION


def test_day_edges_follow_the_local_day_boundary_across_midnight() -> None:
    # 03:30 New York on the 22nd still belongs to the 21st (boundary 04:00)
    at = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
    evening = (
        dose(datetime(2026, 11, 22, 1, 0, tzinfo=UTC), "6"),
    )  # 20:00 on the 21st
    profile = dataclasses.replace(PROFILE, day_boundary=time(4, 0))
    assert "dose:over-daily-cap" in run("5", at=at, doses=evening, profile=profile)
    after = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)  # 04:30: a new day
    assert "dose:over-daily-cap" not in run(
        "5", at=after, doses=evening, profile=profile
    )


def test_daily_cap_on_the_25_hour_day_when_clocks_go_back() -> None:
    # New York, 2026-11-01: clocks go back at 02:00, so that local day has 25 hours.
    profile = dataclasses.replace(
        PROFILE, dose_cap_g=Decimal(8), daily_cap_g=Decimal(10)
    )
    early = dose(datetime(2026, 11, 1, 9, 0, tzinfo=UTC), "6")  # 05:00 EDT, after 04:00
    late = datetime(
        2026, 11, 2, 8, 30, tzinfo=UTC
    )  # 03:30 EST on the 2nd: still the 1st
    assert "dose:over-daily-cap" in run("5", at=late, doses=(early,), profile=profile)
    next_day = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # 04:30 EST: the 2nd
    assert "dose:over-daily-cap" not in run(
        "5", at=next_day, doses=(early,), profile=profile
    )


def whole_journal(days: int, *, start: int = 1) -> UseHistory:
    """A journal of `days` daily doses ending `start` days before NOW."""
    today = NOW.date()  # 10:00 in New York: the same day
    first = today - timedelta(days=start + days - 1)
    return UseHistory(first, first, today - timedelta(days=start))


@pytest.mark.parametrize(
    ("grams", "title"),
    [("2", "1826 days in a row with kratom"), (None, "1825 days in a row with kratom")],
)
def test_days_in_a_row_count_the_whole_journal_not_the_loaded_weeks(
    grams: str | None, title: str
) -> None:
    # six weeks loaded, five years logged; nothing logged yet today
    data = SafetyInput(
        profile=PROFILE,
        now=NOW,
        proposed=None if grams is None else ProposedDose(Decimal(grams), NOW),
        doses=daily(42, start=1),
        medications=(),
        intakes=(),
        history=whole_journal(1825),
    )
    [finding] = [f for f in check(data, FACTS) if f.rule.startswith("pattern:daily")]
    assert (finding.rule, finding.title) == ("pattern:daily-use-dependence", title)


def test_a_run_to_yesterday_still_counts_before_todays_first_dose() -> None:
    assert run(None, doses=daily(20, start=1))["pattern:daily-use-dependence"] is (
        Severity.CAUTION
    )


@pytest.mark.parametrize(
    ("journal_days", "fires"),
    [(30, False), (34, False), (35, True)],
)
def test_rising_amount_never_counts_days_before_the_journal_as_no_use(
    journal_days: int, fires: bool
) -> None:
    # 1 g a day since the journal began, 3 g a day this week
    doses = daily(journal_days - 7, grams="1", start=7) + daily(6, grams="3", start=1)
    data = SafetyInput(
        profile=PROFILE,
        now=NOW,
        proposed=ProposedDose(Decimal(3), NOW),
        doses=doses,
        medications=(),
        intakes=(),
        history=whole_journal(journal_days - 1),
    )
    rules = {f.rule for f in check(data, FACTS)}
    assert ("pattern:rising-amount" in rules) is fires
