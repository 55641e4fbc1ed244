"""The safety rules look up some entries by id; the shipped data must have them."""

from __future__ import annotations

from kratom_journal.domain import dose_rules, pattern_rules, strength
from kratom_journal.knowledge.loader import load_knowledge


def test_every_reference_a_rule_names_exists_with_a_value_where_needed() -> None:
    references = {r.id: r for r in load_knowledge().dose_references}
    for needed in (dose_rules.WAIT_REFERENCE, dose_rules.HALF_LIFE_REFERENCE):
        assert references[needed].typical is not None, needed
    assert dose_rules.DOSE_TIERS_REFERENCE in references
    leaf = references[strength.LEAF_CONTENT_REFERENCE]
    assert leaf.low is not None and leaf.high is not None
    assert set(pattern_rules.DEPENDENCE_REFERENCES) <= set(references)


def test_the_limits_the_product_rules_use_exist() -> None:
    limits = load_knowledge().limits
    kinds = {(limit.kind, limit.element) for limit in limits}
    assert ("seven-oh-share", None) in kinds
    for kind in (
        "seven-oh-botanical-pct",
        "seven-oh-processed-pct",
        "seven-oh-per-unit-mg",
    ):
        assert (kind, None) in kinds
    for element in ("lead", "arsenic", "cadmium", "mercury"):
        assert ("metal-ppm", element) in kinds and ("metal-pde", element) in kinds


def test_the_seven_oh_interaction_the_product_rule_cites_exists() -> None:
    from kratom_journal.domain.product_rules import SEVEN_OH_CLASS

    rules = [r for r in load_knowledge().interactions if SEVEN_OH_CLASS in r.classes]
    assert rules and all(r.tier == "avoid" and r.sources for r in rules)
