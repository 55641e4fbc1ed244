"""Resolving names against a tuple of substances is remembered per tuple, with the
same answers as without; other sequences are resolved afresh each time."""

from __future__ import annotations

from kratom_journal.domain.facts import resolve_substance
from kratom_journal.domain.names import resolve_with, substance_index
from tests.domain.safety_facts import Sub

GABAPENTIN = Sub(id="gabapentin", name="Gabapentin", brands=("Neurontin",))
PREGABALIN = Sub(id="pregabalin", name="Pregabalin", brands=("Lyrica",))


def test_remembered_answers_equal_fresh_ones() -> None:
    substances = (GABAPENTIN, PREGABALIN)
    index = substance_index(substances)
    for typed in ("neurontin", "Gabapentin", "Lyrika", "vitamin d", "neurontin"):
        fresh = resolve_with(typed, substances, index)
        assert resolve_substance(typed, substances) == fresh
    lyrika = resolve_substance("Lyrika", substances)
    assert (lyrika.substance, lyrika.matched_by) == (PREGABALIN, "close")


def test_each_tuple_has_its_own_answers() -> None:
    first = (GABAPENTIN,)
    assert resolve_substance("Lyrica", first).substance is None
    second = (GABAPENTIN, PREGABALIN)
    assert resolve_substance("Lyrica", second).substance == PREGABALIN
    assert resolve_substance("Lyrica", first).substance is None


def test_a_list_is_resolved_as_it_is_now() -> None:
    substances = [GABAPENTIN]
    assert resolve_substance("Lyrica", substances).substance is None
    substances.append(PREGABALIN)
    assert resolve_substance("Lyrica", substances).substance == PREGABALIN
