"""Check-ins: pain, PEG, side effects, other scores."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom


def test_checkin_records_every_field(kratom: Kratom) -> None:
    checkin = kratom.json(
        "checkin",
        "--pain",
        "6",
        "--peg",
        "6,5,4",
        "-s",
        "nausea=2",
        "-s",
        "drowsiness=mild",
        "--other-effect",
        "metallic taste=1",
        "--mood",
        "7",
        "--energy",
        "3",
        "--sleep",
        "5",
        "--note",
        "after lunch",
    )["checkin"]
    assert checkin["pain"] == 6
    assert checkin["peg"] == {"pain": 6, "enjoyment": 5, "activity": 4}
    assert checkin["side_effects"] == {"nausea": 2, "sedation": 1}
    assert checkin["other_effects"] == {"metallic-taste": 1}
    assert (checkin["mood"], checkin["energy"], checkin["sleep"]) == (7, 3, 5)
    assert "nausea moderate" in kratom.ok("history").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pain", "11"], "pain: 11 is outside 0-10"),
        (["--pain", "x"], "pain: 'x' is not a whole number"),
        (["--pain", "3", "-s", "nausae=2"], "did you mean nausea"),
        (["--pain", "3", "-s", "nausea=4"], "severity '4' is not 0-3"),
        (["--pain", "3", "--peg", "1,2"], "peg: '1,2' needs three scores"),
        (["--pain", "3", "--mood", "-1"], "mood: -1 is outside 0-10"),
    ],
)
def test_bad_checkin_exits_2_and_saves_nothing(
    kratom: Kratom, args: list[str], message: str
) -> None:
    result = kratom("checkin", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert kratom.json("history")["checkins"] == []


def test_missing_pain_is_a_usage_error(kratom: Kratom) -> None:
    result = kratom("checkin")
    assert result.exit_code == 2
    assert "--pain" in result.stderr


def test_serious_side_effect_says_get_urgent_help(kratom: Kratom) -> None:
    output = kratom.ok("checkin", "--pain", "3", "-s", "breathing-difficulty=1").stdout
    assert "Get urgent medical help" in output


@pytest.mark.parametrize(
    ("effect", "urgent", "says"),
    [
        ("sedation=severe", True, "Sedation or drowsiness (severe): Severe drowsiness"),
        ("sedation=moderate", False, ""),
        ("vomiting=3", True, "Vomiting (severe): Severe vomiting can dehydrate you"),
        ("vomiting=2", False, ""),
    ],
)
def test_severe_sedation_or_vomiting_gets_urgent_advice_moderate_does_not(
    kratom: Kratom, effect: str, urgent: bool, says: str
) -> None:
    output = kratom.ok("checkin", "--pain", "3", "-s", effect).stdout
    assert ("emergency number" in output) is urgent
    assert says in output
    data = kratom.json("checkin", "--pain", "3", "-s", effect, "--at", "-1m")
    assert [u["effect"] for u in data["urgent"]] == (
        [effect.partition("=")[0]] if urgent else []
    )


def test_severe_sedation_advice_says_what_to_do(kratom: Kratom) -> None:
    output = kratom.ok("checkin", "--pain", "3", "-s", "drowsy=3").stdout
    for words in ("hard to wake", "naloxone", "on their side", "Do not take more"):
        assert words in output
