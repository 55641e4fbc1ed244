"""The side effects that are urgent when severe, as shipped."""

from __future__ import annotations

from kratom_journal.domain.checkins import URGENT_WHEN_SEVERE
from kratom_journal.knowledge.loader import load_knowledge

KNOWLEDGE = load_knowledge()


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
