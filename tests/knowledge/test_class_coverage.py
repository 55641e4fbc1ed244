"""Every medicine class is reviewed, and the classes issue 13 found uncovered now warn.

A class with neither an interaction rule nor a reviewed-none marker would give its
medicines "No known kratom interaction" without anyone having looked: a false all-clear.
The tables below run the shipped knowledge through the same rule the safety check uses.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING

import pytest

from kratom_journal.domain.facts import resolve_condition, resolve_substance
from kratom_journal.domain.findings import Finding, Severity
from kratom_journal.domain.health_rules import interaction_findings
from kratom_journal.knowledge.loader import FILES, load_knowledge
from kratom_journal.knowledge.units import KnowledgeError

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Kratom

KNOWLEDGE = load_knowledge()
REVIEWED = date(2026, 12, 2)


def findings_for(typed: str) -> list[Finding]:
    resolution = resolve_substance(typed, KNOWLEDGE.substances)
    assert resolution.substance is not None, f"{typed!r} does not resolve"
    return interaction_findings(resolution.substance, KNOWLEDGE, typed, "interaction")


def worst(findings: list[Finding]) -> Severity:
    return max(f.severity for f in findings)


def test_every_class_has_a_rule_or_a_reviewed_none_marker() -> None:
    used = {c for s in KNOWLEDGE.substances for c in s.classes}
    ruled = {c for r in KNOWLEDGE.interactions for c in r.classes}
    reviewed = {m.class_name for m in KNOWLEDGE.reviewed_none}
    assert sorted(used - ruled - reviewed) == []


def test_reviewed_none_markers_are_sourced_dated_and_explained() -> None:
    assert KNOWLEDGE.reviewed_none
    for marker in KNOWLEDGE.reviewed_none:
        assert marker.sources and marker.as_of <= REVIEWED, marker.class_name
        assert "our sources" in marker.note, marker.class_name


@pytest.mark.parametrize(
    ("typed", "at_least"),
    [
        ("Soma", Severity.AVOID),
        ("carisoprodol", Severity.AVOID),
        ("cyclobenzaprine", Severity.HIGH_CAUTION),
        ("Flexeril", Severity.HIGH_CAUTION),
        ("tizanidine", Severity.HIGH_CAUTION),
        ("baclofen", Severity.HIGH_CAUTION),
        ("methocarbamol", Severity.HIGH_CAUTION),
        ("metaxalone", Severity.HIGH_CAUTION),
        ("orphenadrine", Severity.HIGH_CAUTION),
        ("trazodone", Severity.HIGH_CAUTION),
        ("mirtazapine", Severity.HIGH_CAUTION),
        ("Remeron", Severity.HIGH_CAUTION),
        ("amitriptyline", Severity.HIGH_CAUTION),
        ("naltrexone", Severity.AVOID),
        ("Vivitrol", Severity.AVOID),
        ("Contrave", Severity.AVOID),
        ("cocaine", Severity.AVOID),
        ("phenibut", Severity.AVOID),
        ("xylazine", Severity.AVOID),
        ("tranq", Severity.AVOID),
        ("fluconazole", Severity.HIGH_CAUTION),  # QT on top of CYP3A4
        ("CBD", Severity.CAUTION),
        ("kava", Severity.CAUTION),
        ("apixaban", Severity.CAUTION),
        ("Xarelto", Severity.CAUTION),
    ],
)
def test_combination_warns_at_least_at(typed: str, at_least: Severity) -> None:
    assert worst(findings_for(typed)) >= at_least


def test_soma_from_the_command_line_is_no_longer_an_all_clear(kratom: Kratom) -> None:
    added = kratom.json("med", "add", "Soma")
    assert added["matched"]["id"] == "carisoprodol"
    assert added["findings"][0]["severity"] == "avoid"
    assert kratom("check", "2g", "--json").exit_code == 1


@pytest.mark.parametrize(
    "typed", ["naltrexone", "phenibut", "xylazine", "lithium", "fluconazole", "CBD"]
)
def test_new_substances_resolve_and_have_a_finding(typed: str) -> None:
    rules = {f.rule for f in findings_for(typed)}
    assert rules and "interaction:no-known-interaction" not in rules


def test_lithium_is_an_explicit_no_data_monitor_note() -> None:
    (finding,) = findings_for("Lithobid")
    assert finding.rule == "interaction:lithium"
    assert finding.severity is Severity.INFO
    assert "no data" in finding.why.casefold()


def test_trazodone_is_covered_by_the_qt_rule() -> None:
    assert "interaction:qt-prolonging" in {f.rule for f in findings_for("trazodone")}


@pytest.mark.parametrize(
    "typed", ["ibuprofen", "omeprazole", "lisinopril", "rosuvastatin", "sumatriptan"]
)
def test_reviewed_none_classes_still_say_no_known_interaction(typed: str) -> None:
    (finding,) = findings_for(typed)
    assert finding.rule == "interaction:no-known-interaction"
    assert finding.severity is Severity.INFO


@pytest.mark.parametrize(
    ("wording", "condition_id"),
    [
        ("obstructive sleep apnea", "respiratory-disease"),
        ("Obstructive Sleep Apnoea", "respiratory-disease"),
        ("sleep apnoea", "respiratory-disease"),
        ("OSA", "respiratory-disease"),
        ("COPD", "respiratory-disease"),
        ("asthma", "respiratory-disease"),
        ("opioid addiction", "substance-use-disorder"),
        ("opioid use disorder", "substance-use-disorder"),
        ("OUD", "substance-use-disorder"),
        ("alcoholism", "substance-use-disorder"),
        ("alcohol use disorder", "substance-use-disorder"),
        ("hepatitis C", "liver-disease"),
        ("hep C", "liver-disease"),
        ("cirrhosis", "liver-disease"),
        ("fatty liver", "liver-disease"),
        ("heart failure", "heart-disease"),
        ("CHF", "heart-disease"),
        ("anxiety", "psychiatric-illness"),
        ("generalized anxiety disorder", "psychiatric-illness"),
        ("depression", "psychiatric-illness"),
        ("bipolar", "psychiatric-illness"),
        ("epilepsy", "seizure-disorder"),
        ("chronic kidney disease", "kidney-disease"),
        ("CKD", "kidney-disease"),
        ("renal failure", "kidney-disease"),
        ("dialysis", "kidney-disease"),
        ("anorexia", "eating-disorder"),
        ("bulimia", "eating-disorder"),
        ("eating disorder", "eating-disorder"),
    ],
)
def test_everyday_wording_resolves_to_its_condition(
    wording: str, condition_id: str
) -> None:
    condition = resolve_condition(wording, KNOWLEDGE.conditions)
    assert condition is not None, wording
    assert condition.id == condition_id


def test_breastfeeding_cites_lactmed() -> None:
    (breastfeeding,) = [c for c in KNOWLEDGE.conditions if c.id == "breastfeeding"]
    assert any("LactMed" in s.title for s in breastfeeding.sources)
    assert not any("Mayo" in s.title for s in breastfeeding.sources)


# -- the loader refuses markers it cannot trust -------------------------------------
def copy_with_markers(folder: Path, markers: list[dict[str, object]]) -> Path:
    shipped = resources.files("kratom_journal.knowledge")
    for name in FILES:
        with resources.as_file(shipped.joinpath(name)) as path:
            shutil.copy(path, folder / name)
    data = json.loads((folder / "interactions.json").read_text(encoding="utf-8"))
    data["reviewed_none"] = markers
    (folder / "interactions.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def marker(name: str) -> dict[str, object]:
    return {
        "class": name,
        "note": "No kratom interaction in our sources.",
        "sources": [{"title": "T", "publisher": "P", "year": 2026}],
        "as_of": "2026-12-02",
        "confidence": "low",
    }


@pytest.mark.parametrize(
    ("markers", "message"),
    [
        ([marker("no-such-class")], "no substance is in this class"),
        ([marker("opioid")], "an interaction rule covers this class"),
        ([marker("nsaid"), marker("nsaid")], "listed twice"),
    ],
)
def test_loader_rejects_a_bad_reviewed_none_marker(
    tmp_path: Path, markers: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(copy_with_markers(tmp_path, markers))


def test_a_marker_without_sources_names_its_field(tmp_path: Path) -> None:
    bare = {"class": "nsaid", "note": "No kratom interaction in our sources."}
    with pytest.raises(KnowledgeError, match=r"reviewed_none\[0\]\.sources"):
        load_knowledge(copy_with_markers(tmp_path, [bare]))


def test_no_known_interaction_says_it_was_reviewed_and_cites_the_review() -> None:
    [finding] = findings_for("ibuprofen 200 mg")
    assert finding.rule == "interaction:no-known-interaction"
    marker = next(m for m in KNOWLEDGE.reviewed_none if m.class_name == "nsaid")
    assert marker.note in finding.why
    assert {s.title for s in marker.sources} <= {s.title for s in finding.sources}
