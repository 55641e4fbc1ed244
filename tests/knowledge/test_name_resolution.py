"""Names as people type them, read against the real knowledge base: label text,
combination products, typos and everyday words for other intake."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_journal.domain.facts import (
    matching_interactions,
    resolve_condition,
    resolve_substance,
)
from kratom_journal.domain.findings import Severity
from kratom_journal.domain.names import FORM_WORDS, SALT_WORDS
from kratom_journal.knowledge.loader import load_knowledge

FACTS = load_knowledge()
SUBSTANCES = FACTS.substances


def severity_of(typed: str) -> Severity:
    """The most severe finding the safety check gives this name as a medication."""
    resolution = resolve_substance(typed, SUBSTANCES)
    if resolution.substance is None:
        return Severity.CAUTION  # "not in our list: ask a pharmacist"
    rules = matching_interactions(resolution.substance, FACTS)
    return max((Severity.from_label(r.tier) for r in rules), default=Severity.INFO)


@pytest.mark.parametrize(
    ("typed", "substance_id"),
    [
        # as printed on a label or a pharmacy bag
        ("Gabapentin 300 mg", "gabapentin"),
        ("GABAPENTIN 300MG CAPSULE", "gabapentin"),
        ("Oxycodone HCl", "oxycodone"),
        ("oxycodone hydrochloride 10 mg ER tablet", "oxycodone"),
        ("fentanyl patch", "fentanyl"),
        ("Fentanyl 25 mcg/hr transdermal system", "fentanyl"),
        ("Duragesic 25 mcg/hr", "fentanyl"),
        ("suboxone film", "buprenorphine-naloxone"),
        ("Buprenorphine/naloxone 8mg/2mg sublingual film", "buprenorphine-naloxone"),
        ("alprazolam 0.5 mg", "alprazolam"),
        ("Xanax XR 1mg", "alprazolam"),
        ("Lyrica 75mg caps", "pregabalin"),
        ("Soma 350 mg", "carisoprodol"),
        ("morphine sulfate ER 15 mg", "morphine"),
        (
            "hydrocodone bitartrate and acetaminophen tablets",
            "hydrocodone-acetaminophen",
        ),
        ("Norco 10-325", "hydrocodone-acetaminophen"),
        ("Percocet 10", "oxycodone-acetaminophen"),
        ("Oxycodone/APAP 10/325", "oxycodone-acetaminophen"),
        ("oxycodone and acetaminophen", "oxycodone-acetaminophen"),
        ("Tylenol #3", "acetaminophen-codeine"),
        ("Tylenol 3 300 mg/30 mg", "acetaminophen-codeine"),
        ("Nurofen Plus", "ibuprofen-codeine"),
        ("valproate sodium", "valproate"),
        ("sodium oxybate", "sodium-oxybate"),
        ("metoprolol succinate ER 50mg", "metoprolol"),
        ("Tramadol 50mg #60", "tramadol"),
        ("St. John's Wort", "st-johns-wort"),
        ("7-OH tablet", "7-oh-concentrate"),
        ("fentanyl pill", "fentanyl"),
        # everyday words for other intake
        ("2 beers", "alcohol"),
        ("a couple of beers", "alcohol"),
        ("IPA", "alcohol"),
        ("wine", "alcohol"),
        ("glass of wine with dinner", "alcohol"),
        ("vodka", "alcohol"),
        ("shots", "alcohol"),
        ("3 shots", "alcohol"),
        ("weed", "cannabis"),
        ("joint", "cannabis"),
        ("edibles", "cannabis"),
        ("cough syrup", "cough-syrup"),
        ("lean", "promethazine-codeine"),
        ("coffee", "caffeine"),
    ],
)
def test_label_and_everyday_names_resolve(typed: str, substance_id: str) -> None:
    resolution = resolve_substance(typed, SUBSTANCES)
    assert resolution.substance is not None, typed
    assert resolution.substance.id == substance_id


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("zolpidm", "zolpidem"),
        ("oxycodne", "oxycodone"),
        ("tramadool", "tramadol"),
        ("Lyrcia", "pregabalin"),
        ("St Jons wort", "st-johns-wort"),
        ("oxycodne and acetaminophen", "oxycodone-acetaminophen"),
    ],
)
def test_a_typo_is_read_as_the_closest_name_and_says_so(typed: str, meant: str) -> None:
    resolution = resolve_substance(typed, SUBSTANCES)
    assert resolution.substance is not None
    assert (resolution.substance.id, resolution.matched_by) == (meant, "close")
    assert resolution.read_as == resolution.substance.name
    assert severity_of(typed) == severity_of(resolution.substance.name)


@pytest.mark.parametrize(
    "typed",
    ["vitamin D", "flu shot", "pot of tea", "Bud Light", "methimazole", "Zapzorin"],
)
def test_words_that_only_look_alike_are_not_read_as_a_substance(typed: str) -> None:
    assert resolve_substance(typed, SUBSTANCES).substance is None


def test_espresso_shot_is_coffee_not_alcohol() -> None:
    resolution = resolve_substance("espresso shot", SUBSTANCES)
    assert resolution.substance is not None
    assert resolution.substance.id == "caffeine"


def test_two_medicines_typed_as_one_are_both_checked() -> None:
    resolution = resolve_substance("gabapentin + oxycodone", SUBSTANCES)
    assert resolution.substance is not None
    tiers = {r.id for r in matching_interactions(resolution.substance, FACTS)}
    assert {"gabapentinoids", "opioids"} <= tiers


@pytest.mark.parametrize(
    ("typed", "at_least"),
    [
        ("Gabapentin 300 mg", Severity.AVOID),
        ("Oxycodone HCl", Severity.AVOID),
        ("fentanyl patch", Severity.AVOID),
        ("alprazolam 0.5 mg", Severity.AVOID),
        ("zolpidm", Severity.AVOID),
        ("Percocet 10", Severity.AVOID),
        ("7-OH tablet", Severity.AVOID),
        ("2 beers", Severity.AVOID),
        ("suboxone film", Severity.HIGH_CAUTION),
    ],
)
def test_what_the_issue_saw_is_no_longer_lost(typed: str, at_least: Severity) -> None:
    assert severity_of(typed) >= at_least


TERMS = sorted(
    {
        term
        for s in SUBSTANCES
        for term in (s.name, *s.brands, *s.misspellings, *s.aliases)
    }
)
DECORATIONS = st.lists(
    st.one_of(
        st.sampled_from(sorted(SALT_WORDS)),
        st.sampled_from(sorted(FORM_WORDS)),
        st.sampled_from(["300 mg", "0.5mg", "10/325", "#3", "x30", "25 mcg/hr", "5 %"]),
    ),
    max_size=3,
)


@settings(max_examples=400, deadline=None)
@given(
    term=st.sampled_from(TERMS),
    decorations=DECORATIONS,
    upper=st.booleans(),
    punctuation=st.sampled_from(["", ",", " -", " (", ";"]),
)
def test_a_salt_form_or_strength_never_lowers_the_severity(
    term: str, decorations: list[str], upper: bool, punctuation: str
) -> None:
    typed = " ".join([term + punctuation, *decorations])
    if upper:
        typed = typed.upper()
    assert severity_of(typed) >= severity_of(term), typed


@pytest.mark.parametrize(
    ("typed", "condition_id"),
    [
        ("Sleep apnoea", "respiratory-disease"),
        ("obstructive sleep apnea", "respiratory-disease"),
        ("history of seizures", "seizure-disorder"),
        ("LIVER DISEASE", "liver-disease"),
    ],
)
def test_conditions_are_read_by_the_same_resolver(
    typed: str, condition_id: str
) -> None:
    condition = resolve_condition(typed, FACTS.conditions)
    assert condition is not None
    assert condition.id == condition_id
