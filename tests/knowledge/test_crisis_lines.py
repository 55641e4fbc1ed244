"""The crisis lines and the side effects that are urgent when severe, as shipped."""

from __future__ import annotations

import pytest

from kratom_journal.domain.checkins import URGENT_WHEN_SEVERE
from kratom_journal.knowledge.loader import load_knowledge

KNOWLEDGE = load_knowledge()


@pytest.mark.parametrize(
    ("country", "name", "number", "emergency"),
    [
        ("US", "988 Suicide & Crisis Lifeline", "988", "911"),
        ("GB", "Samaritans", "116 123", "999"),
        ("AU", "Lifeline", "13 11 14", "000"),
        ("CA", "9-8-8 Suicide Crisis Helpline", "9-8-8", "911"),
    ],
)
def test_each_country_has_its_crisis_line_with_its_own_page(
    country: str, name: str, number: str, emergency: str
) -> None:
    [line] = [
        x for x in KNOWLEDGE.crisis_lines if x.country == country and x.kind == "crisis"
    ]
    assert (line.name, line.emergency) == (name, emergency)
    assert number in line.contact
    assert line.sources[0].url.startswith("https://")
    assert line.confidence == "high"


def test_the_us_substance_use_helpline_is_samhsas() -> None:
    [line] = [x for x in KNOWLEDGE.crisis_lines if x.kind == "substance-use"]
    assert (line.country, line.name) == ("US", "SAMHSA's National Helpline")
    assert "1-800-662-4357" in line.contact
    assert line.sources[0].url == "https://www.samhsa.gov/find-help/national-helpline"


def test_side_effects_urgent_when_severe_match_the_check_in_and_say_what_to_do() -> (
    None
):
    marked = {e.id: e for e in KNOWLEDGE.side_effects if e.urgent_when_severe}
    assert set(marked) == URGENT_WHEN_SEVERE
    sedation, vomiting = marked["sedation"], marked["vomiting"]
    assert not sedation.urgent and sedation.kind == "common"
    for words in ("emergency number", "naloxone", "on their side", "Do not take more"):
        assert words in sedation.urgent_advice
    for words in ("keep fluids down", "choking", "emergency number"):
        assert words in vomiting.urgent_advice
    assert len(sedation.sources) > 2 and len(vomiting.sources) > 2
