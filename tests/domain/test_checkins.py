"""Side effects, severities, PEG and 0-10 scores as a person types them."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from kratom_journal.domain.checkins import (
    KNOWN_SIDE_EFFECTS,
    CheckIn,
    Peg,
    parse_other_effect,
    parse_peg,
    parse_side_effect,
    urgent_effects,
)
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.scores import parse_score


@pytest.mark.parametrize(
    ("text", "name", "severity"),
    [
        ("nausea=2", "nausea", 2),
        ("Nausea=moderate", "nausea", 2),
        ("nausea=none", "nausea", 0),
        ("wobbles=MILD", "wobbles", 1),
        ("headache=severe", "headache", 3),
        ("  constipation = 3 ", "constipation", 3),
        ("dry mouth=1", "dry-mouth", 1),
        ("dry_mouth=1", "dry-mouth", 1),
        ("Racing Heart=2", "racing-heart", 2),
        # Aliases map to the listed name.
        ("drowsiness=2", "sedation", 2),
        ("drowsy=1", "sedation", 1),
        ("sleepy=1", "sedation", 1),
        ("lightheaded=1", "dizziness", 1),
        ("itchy=1", "itching", 1),
        ("palpitations=2", "racing-heart", 2),
        ("throwing up=3", "vomiting", 3),
        ("slow breathing=3", "breathing-difficulty", 3),
    ],
)
def test_side_effects(text: str, name: str, severity: int) -> None:
    assert parse_side_effect(text) == (name, severity)


@pytest.mark.parametrize("name", KNOWN_SIDE_EFFECTS)
def test_every_listed_side_effect_is_accepted(name: str) -> None:
    assert parse_side_effect(f"{name}=1") == (name, 1)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("nausae=2", "nausea"),
        ("headace=1", "headache"),
        ("constipated=1", "constipation"),
        ("itchng=1", "itching"),
    ],
)
def test_an_unknown_side_effect_suggests_close_names(
    text: str, suggestion: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_side_effect(text)
    error = caught.value
    assert error.field == "side-effect"
    assert f"did you mean {suggestion}" in error.problem
    assert "--other-effect" in error.problem


def test_an_unknown_side_effect_without_a_close_match_still_points_elsewhere() -> None:
    with pytest.raises(InputError) as caught:
        parse_side_effect("metallic taste=1")
    assert "did you mean" not in caught.value.problem
    assert "'metallic-taste' is not on the list" in caught.value.problem
    assert "--other-effect" in caught.value.problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nausea=4", "severity '4' is not 0-3"),
        ("nausea=-1", "is not 0-3"),
        ("nausea=", "is not 0-3"),
        ("nausea=strong", "is not 0-3"),
        ("nausea=1.5", "is not 0-3"),
        ("nausea", "is not NAME=SEVERITY"),
        ("=2", "is not NAME=SEVERITY"),
        ("", "is not NAME=SEVERITY"),
    ],
)
def test_bad_side_effect_entries(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_side_effect(text)
    assert caught.value.field == "side-effect"
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metallic taste=1", ("metallic-taste", 1)),
        ("Hiccups=severe", ("hiccups", 3)),
    ],
)
def test_other_effects_take_free_text(text: str, expected: tuple[str, int]) -> None:
    assert parse_other_effect(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hiccups=9", "is not 0-3"),
        ("hiccups", "is not NAME=SEVERITY"),
        ("x" * 81 + "=1", "longer than 80"),
    ],
)
def test_bad_other_effects(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_other_effect(text)
    assert caught.value.field == "other-effect"
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "peg"),
    [
        ("6,5,4", Peg(6, 5, 4)),
        ("6, 5, 4", Peg(6, 5, 4)),
        ("0,0,0", Peg(0, 0, 0)),
        ("10,10,10", Peg(10, 10, 10)),
    ],
)
def test_peg(text: str, peg: Peg) -> None:
    assert parse_peg(text) == peg


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("6,5", "needs three scores"),
        ("6,5,4,3", "needs three scores"),
        ("", "needs three scores"),
        ("6;5;4", "needs three scores"),
        ("6,5,11", "11 is outside 0-10"),
        ("6,-1,4", "-1 is outside 0-10"),
        ("6,5.5,4", "'5.5' is not a whole number"),
        ("six,5,4", "'six' is not a whole number"),
    ],
)
def test_bad_peg(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_peg(text)
    assert caught.value.field == "peg"
    assert problem in caught.value.problem


@pytest.mark.parametrize(("value", "score"), [("0", 0), (" 7 ", 7), ("10", 10), (3, 3)])
def test_scores(value: str | int, score: int) -> None:
    assert parse_score(value, "pain") == score


@pytest.mark.parametrize("value", ["11", "-1", "7.5", "seven", "", 11])
def test_bad_scores(value: str | int) -> None:
    with pytest.raises(InputError) as caught:
        parse_score(value, "pain")
    assert caught.value.field == "pain"


def test_urgent_effects_are_the_serious_ones_present() -> None:
    now = datetime(2026, 11, 22, 15, tzinfo=UTC)
    checkin = CheckIn(
        id=uuid4(),
        owner_id=uuid4(),
        at=now,
        zone="Europe/Berlin",
        pain=4,
        created_at=now,
        side_effects={"seizure": 2, "nausea": 3, "jaundice": 1, "fainting": 0},
    )
    assert urgent_effects(checkin) == ["jaundice", "seizure"]


@pytest.mark.parametrize(
    ("effects", "urgent"),
    [
        ({"sedation": 3}, ["sedation"]),
        ({"sedation": 2}, []),
        ({"vomiting": 3}, ["vomiting"]),
        ({"vomiting": 2}, []),
        ({"nausea": 3, "dizziness": 3}, []),
        (
            {"sedation": 3, "vomiting": 3, "seizure": 1},
            ["sedation", "seizure", "vomiting"],
        ),
    ],
)
def test_sedation_and_vomiting_are_urgent_only_when_severe(
    effects: dict[str, int], urgent: list[str]
) -> None:
    now = datetime(2026, 11, 22, 15, tzinfo=UTC)
    checkin = CheckIn(
        id=uuid4(),
        owner_id=uuid4(),
        at=now,
        zone="Europe/Berlin",
        pain=4,
        created_at=now,
        side_effects=effects,
    )
    assert urgent_effects(checkin) == urgent
