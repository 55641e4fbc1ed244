"""The shipped substances.json and interactions.json load, and cover what the brief asks.

The expected rows below are the severity table of research/kratom-facts.md §2.2 (compiled
2026-11-22); a row missing here or a changed tier is a safety regression.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from kratom_journal.domain.facts import resolve_substance
from kratom_journal.domain.names import key
from kratom_journal.knowledge.loader import load_file
from kratom_journal.knowledge.schema import (
    Interaction,
    InteractionFile,
    Substance,
    SubstanceFile,
)

SUBSTANCES = load_file("substances.json", SubstanceFile).substances
INTERACTIONS = load_file("interactions.json", InteractionFile).interactions
BY_ID = {s.id: s for s in SUBSTANCES}
RULES = {r.id: r for r in INTERACTIONS}
COMPILED = date(2026, 12, 2)  # the 2026-12 review of interactions (issue 13)

# One entry per row of the §2.2 table: (interaction id, tier as in the table).
EXPECTED_ROWS = [
    ("opioids", "avoid"),
    ("tramadol-tapentadol", "avoid"),
    ("benzodiazepines", "avoid"),
    ("alcohol", "avoid"),
    ("gabapentinoids", "avoid"),
    ("ghb-barbiturates-ketamine", "avoid"),
    ("sedating-antihistamines", "high-caution"),
    ("sedating-antipsychotics", "high-caution"),
    ("qt-prolonging", "high-caution"),
    ("stimulants", "high-caution"),
    ("modafinil", "high-caution"),
    ("maois", "avoid"),
    ("antidepressants", "caution"),
    ("dextromethorphan", "high-caution"),
    ("buprenorphine", "high-caution"),
    ("naltrexone", "avoid"),  # issue 13: precipitated withdrawal in case reports
    ("naloxone", "monitor"),  # a rescue drug in the table; shown as a note
    ("loperamide", "caution"),
    ("strong-cyp3a4-inhibitors", "caution"),
    ("strong-cyp3a4-inducers", "monitor"),
    ("cyp3a4-narrow-substrates", "caution"),
    ("cyp2d6-substrates", "monitor"),
    ("anticoagulants", "monitor"),
    ("hepatotoxic", "caution"),
    ("seizure-threshold", "caution"),
    ("cannabis", "monitor"),
    ("seven-oh-products", "avoid"),
    # Added by the 2026-12 review (issue 13): classes that had no rule, and new substances.
    ("carisoprodol", "avoid"),
    ("muscle-relaxants", "high-caution"),
    ("sedating-antidepressants", "high-caution"),
    ("tricyclics", "high-caution"),
    ("cocaine", "avoid"),
    ("phenibut", "avoid"),
    ("xylazine", "avoid"),
    ("lithium", "monitor"),
    ("moderate-cyp3a4-inhibitors", "caution"),
    ("cannabidiol", "caution"),
    ("kava-sedation", "caution"),
    ("doacs-cyp3a4-pgp", "caution"),
]

PAIN_CLINIC = [
    # opioids
    "oxycodone", "hydrocodone", "morphine", "hydromorphone", "oxymorphone", "fentanyl",
    "codeine", "dihydrocodeine", "methadone", "buprenorphine", "tramadol", "tapentadol",
    "heroin",
    # gabapentinoids, benzodiazepines, Z-drugs
    "gabapentin", "pregabalin", "alprazolam", "diazepam", "lorazepam", "clonazepam",
    "temazepam", "midazolam", "zolpidem", "zopiclone", "eszopiclone",
    # antidepressants
    "citalopram", "escitalopram", "fluoxetine", "sertraline", "paroxetine", "venlafaxine",
    "duloxetine", "amitriptyline", "nortriptyline", "phenelzine", "tranylcypromine",
    "selegiline", "linezolid", "methylene-blue", "bupropion",
    # antipsychotics, sedating antihistamines, muscle relaxants
    "quetiapine", "olanzapine", "diphenhydramine", "promethazine", "doxylamine",
    "hydroxyzine", "cyclobenzaprine", "tizanidine", "baclofen", "carisoprodol",
    "methocarbamol",
    # stimulants and wake-promoting drugs
    "amphetamine", "methylphenidate", "lisdexamfetamine", "modafinil", "armodafinil",
    # opioid antagonists, DXM, loperamide
    "naltrexone", "naloxone", "dextromethorphan", "loperamide",
    # QT-prolonging drugs
    "azithromycin", "clarithromycin", "erythromycin", "ciprofloxacin", "levofloxacin",
    "moxifloxacin", "ondansetron", "amiodarone", "sotalol",
    # CYP3A4 inhibitors, inducers and narrow-margin substrates
    "ketoconazole", "itraconazole", "ritonavir", "rifampin", "carbamazepine", "phenytoin",
    "tacrolimus", "cyclosporine", "simvastatin",
    # anticoagulants and antiplatelets
    "warfarin", "apixaban", "rivaroxaban", "dabigatran", "clopidogrel", "aspirin",
    # liver-straining drugs, NSAIDs
    "acetaminophen", "isoniazid", "methotrexate", "valproate", "ibuprofen", "naproxen",
    "diclofenac", "celecoxib", "meloxicam",
    # other substances
    "alcohol", "cannabis", "caffeine", "grapefruit", "st-johns-wort", "kava",
    "7-oh-concentrate",
    # combination products
    "oxycodone-acetaminophen", "hydrocodone-acetaminophen", "buprenorphine-naloxone",
    "tramadol-acetaminophen", "acetaminophen-codeine", "promethazine-codeine",
]  # fmt: skip

# Spot checks: a substance and a §2.2 row that must apply to it.
MUST_MATCH = [
    ("gabapentin", "gabapentinoids"),
    ("gabapentin-enacarbil", "gabapentinoids"),
    ("pregabalin", "gabapentinoids"),  # PsychonautWiki misses pregabalin; we must not
    ("oxycodone", "opioids"),
    ("fentanyl", "opioids"),
    ("heroin", "opioids"),
    ("methadone", "opioids"),
    ("methadone", "qt-prolonging"),
    ("tramadol", "tramadol-tapentadol"),
    ("tramadol", "cyp2d6-substrates"),
    ("tapentadol", "tramadol-tapentadol"),
    ("alprazolam", "benzodiazepines"),
    ("zolpidem", "benzodiazepines"),
    ("alcohol", "alcohol"),
    ("alcohol", "hepatotoxic"),
    ("sodium-oxybate", "ghb-barbiturates-ketamine"),
    ("diphenhydramine", "sedating-antihistamines"),
    ("promethazine-codeine", "opioids"),
    ("promethazine-codeine", "sedating-antihistamines"),
    ("quetiapine", "sedating-antipsychotics"),
    ("quetiapine", "qt-prolonging"),
    ("citalopram", "qt-prolonging"),
    ("citalopram", "antidepressants"),
    ("ondansetron", "qt-prolonging"),
    ("amiodarone", "qt-prolonging"),
    ("clarithromycin", "qt-prolonging"),
    ("clarithromycin", "strong-cyp3a4-inhibitors"),
    ("amphetamine", "stimulants"),
    ("caffeine", "stimulants"),
    ("armodafinil", "modafinil"),
    ("linezolid", "maois"),
    ("methylene-blue", "maois"),
    ("duloxetine", "antidepressants"),
    ("amitriptyline", "seizure-threshold"),
    ("bupropion", "antidepressants"),
    ("bupropion", "seizure-threshold"),
    ("dextromethorphan", "dextromethorphan"),
    ("buprenorphine-naloxone", "buprenorphine"),
    ("buprenorphine-naloxone", "naloxone"),
    ("naltrexone-bupropion", "naltrexone"),
    ("naloxone", "naloxone"),
    ("loperamide", "loperamide"),
    ("grapefruit", "strong-cyp3a4-inhibitors"),
    ("st-johns-wort", "strong-cyp3a4-inducers"),
    ("tacrolimus", "cyp3a4-narrow-substrates"),
    ("amlodipine", "cyp3a4-narrow-substrates"),
    ("metoprolol", "cyp2d6-substrates"),
    ("warfarin", "anticoagulants"),
    ("clopidogrel", "anticoagulants"),
    ("acetaminophen", "hepatotoxic"),
    ("oxycodone-acetaminophen", "opioids"),
    ("oxycodone-acetaminophen", "hepatotoxic"),
    ("kava", "hepatotoxic"),
    ("cannabis", "cannabis"),
    ("7-oh-concentrate", "seven-oh-products"),
]


def rules_for(substance: Substance) -> set[str]:
    return {
        r.id
        for r in INTERACTIONS
        if set(r.classes) & set(substance.classes) or substance.id in r.substances
    }


def test_both_files_load_with_their_schema_version() -> None:
    assert len(SUBSTANCES) >= 150
    assert len(INTERACTIONS) == len(EXPECTED_ROWS)


def test_at_least_150_medicines_or_combination_products() -> None:
    assert sum(s.kind in ("medicine", "combination") for s in SUBSTANCES) >= 150


def test_ids_are_unique() -> None:
    assert len(BY_ID) == len(SUBSTANCES)
    assert len(RULES) == len(INTERACTIONS)


@pytest.mark.parametrize("substance_id", PAIN_CLINIC)
def test_pain_clinic_drug_is_listed(substance_id: str) -> None:
    assert substance_id in BY_ID


@pytest.mark.parametrize(("rule_id", "tier"), EXPECTED_ROWS)
def test_every_table_row_is_present_with_its_tier(rule_id: str, tier: str) -> None:
    assert RULES[rule_id].tier == tier


@pytest.mark.parametrize(
    ("rule", "name"),
    [(r, c) for r in INTERACTIONS for c in r.classes],
    ids=lambda v: v.id if isinstance(v, Interaction) else v,
)
def test_every_interaction_class_has_members(rule: Interaction, name: str) -> None:
    assert any(name in s.classes for s in SUBSTANCES), (
        f"{rule.id}: empty class {name!r}"
    )


@pytest.mark.parametrize("rule", INTERACTIONS, ids=lambda r: r.id)
def test_every_interaction_names_existing_substances(rule: Interaction) -> None:
    assert rule.classes or rule.substances
    assert all(name in BY_ID for name in rule.substances)


@pytest.mark.parametrize(("substance_id", "rule_id"), MUST_MATCH)
def test_substance_is_covered_by_its_row(substance_id: str, rule_id: str) -> None:
    assert rule_id in rules_for(BY_ID[substance_id])


@pytest.mark.parametrize("substance_id", ["gabapentin", "pregabalin"])
def test_gabapentinoids_are_covered_at_tier_avoid(substance_id: str) -> None:
    tiers = {RULES[r].tier for r in rules_for(BY_ID[substance_id])}
    assert "avoid" in tiers


@pytest.mark.parametrize("substance_id", ["ibuprofen", "naproxen", "celecoxib"])
def test_nsaids_are_known_but_have_no_interaction_in_our_sources(
    substance_id: str,
) -> None:
    assert "nsaid" in BY_ID[substance_id].classes
    assert rules_for(BY_ID[substance_id]) == set()


def test_every_lookup_term_maps_to_exactly_one_substance() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for s in SUBSTANCES:
        for term in (s.id, s.name, *s.brands, *s.misspellings, *s.aliases):
            owners[key(term)].add(s.id)
    collisions = {term: ids for term, ids in owners.items() if len(ids) > 1}
    assert collisions == {}


def test_no_substance_repeats_a_lookup_term() -> None:
    for s in SUBSTANCES:
        terms = [key(t) for t in (s.name, *s.brands, *s.misspellings, *s.aliases)]
        assert len(terms) == len(set(terms)), s.id


@pytest.mark.parametrize(
    ("typed", "substance_id"),
    [
        ("Neurontin", "gabapentin"),
        ("gabapenten", "gabapentin"),
        ("Gabapentine", "gabapentin"),
        ("Horizant", "gabapentin-enacarbil"),
        ("LYRICA", "pregabalin"),
        ("lyrika", "pregabalin"),
        ("Kalma", "alprazolam"),
        ("OxyContin", "oxycodone"),
        ("oxicontin", "oxycodone"),
        ("Percocet", "oxycodone-acetaminophen"),
        ("Norco", "hydrocodone-acetaminophen"),
        ("Vicodin", "hydrocodone-acetaminophen"),
        ("Suboxone", "buprenorphine-naloxone"),
        ("Ultracet", "tramadol-acetaminophen"),
        ("co-codamol", "acetaminophen-codeine"),
        ("co codamol", "acetaminophen-codeine"),
        ("paracetamol", "acetaminophen"),
        ("Narcan", "naloxone"),
        ("7-OH", "7-oh-concentrate"),
    ],
)
def test_typed_names_resolve_to_their_substance(typed: str, substance_id: str) -> None:
    resolution = resolve_substance(typed, SUBSTANCES)
    assert resolution.substance is not None
    assert resolution.substance.id == substance_id


@pytest.mark.parametrize(
    "combination",
    [s for s in SUBSTANCES if s.kind == "combination"],
    ids=lambda s: s.id,
)
def test_combinations_name_their_parts_and_carry_their_classes(
    combination: Substance,
) -> None:
    assert len(combination.components) >= 2
    parts = [BY_ID[p] for p in combination.components]
    assert {c for p in parts for c in p.classes} <= set(combination.classes)


def test_only_combinations_have_components() -> None:
    assert all(not s.components for s in SUBSTANCES if s.kind != "combination")


@pytest.mark.parametrize("rule", INTERACTIONS, ids=lambda r: r.id)
def test_confidence_follows_the_evidence_codes(rule: Interaction) -> None:
    codes = set(rule.evidence)
    expected = "high" if codes & {"E", "K"} else "medium" if "C" in codes else "low"
    assert rule.confidence == expected


@pytest.mark.parametrize("rule", INTERACTIONS, ids=lambda r: r.id)
def test_interaction_text_is_sourced_dated_and_never_says_take_more(
    rule: Interaction,
) -> None:
    assert rule.sources
    assert all(s.url == "" or s.url.startswith("https://") for s in rule.sources)
    assert rule.as_of <= COMPILED
    assert "take more" not in rule.advice.casefold()
    if rule.tripsit:
        assert "proxy" in rule.tripsit


def test_naloxone_is_a_rescue_note() -> None:
    advice = RULES["naloxone"].advice.casefold()
    assert "reverses opioid toxicity" in advice
    assert "7-oh" in advice
    assert "carry" in advice


@pytest.mark.parametrize("substance", SUBSTANCES, ids=lambda s: s.id)
def test_substance_entries_carry_evidence(substance: Substance) -> None:
    assert substance.sources
    assert substance.as_of <= COMPILED
    assert substance.confidence in ("high", "medium", "low")
