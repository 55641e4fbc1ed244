"""Names as people really type them, through the CLI: label text on `med add`,
everyday words on `intake`, and what each implies for `check`, `log` and the
titration protocol."""

from __future__ import annotations

import pytest

from tests.conftest import Kratom


@pytest.mark.parametrize(
    ("label", "rule"),
    [
        ("Gabapentin 300 mg", "interaction:gabapentinoids"),
        ("Oxycodone HCl", "interaction:opioids"),
        ("fentanyl patch", "interaction:opioids"),
        ("alprazolam 0.5 mg", "interaction:benzodiazepines"),
        ("zolpidm", "interaction:benzodiazepines"),
    ],
)
def test_a_label_name_blocks_log_and_titration(
    kratom: Kratom, label: str, rule: str
) -> None:
    added = kratom.json("med", "add", label)
    assert added["findings"][0]["rule"] == rule
    assert added["findings"][0]["severity"] == "avoid"
    assert kratom("log", "1g").exit_code == 1
    assert kratom("titrate", "start").exit_code == 1
    assert kratom.json("history")["doses"] == []


def test_med_add_says_how_it_read_the_label(kratom: Kratom) -> None:
    output = kratom.ok("med", "add", "Gabapentin 300 mg").stdout
    assert "Read 'Gabapentin 300 mg' as gabapentin." in output
    typo = kratom.ok("med", "add", "zolpidm").stdout
    assert "Read 'zolpidm' as zolpidem, the closest name in our list" in typo
    assert "[AVOID]" in typo and "read as zolpidem" in typo


def test_a_combination_label_is_checked_for_every_part(kratom: Kratom) -> None:
    added = kratom.json("med", "add", "Oxycodone/APAP 10/325")
    assert added["matched"]["id"] == "oxycodone-acetaminophen"
    rules = {f["rule"] for f in added["findings"]}
    assert {"interaction:opioids", "interaction:hepatotoxic"} <= rules


@pytest.mark.parametrize(
    ("typed", "kind", "rule"),
    [
        ("2 beers", "alcohol", "intake:alcohol"),
        ("IPA", "alcohol", "intake:alcohol"),
        ("vodka", "alcohol", "intake:alcohol"),
        ("shots", "alcohol", "intake:alcohol"),
        ("weed", "substance", "intake:cannabis"),
        ("edible", "substance", "intake:cannabis"),
        ("fentanyl pill", "substance", "intake:opioids"),
        ("Percocet 10", "substance", "intake:opioids"),
        ("7-OH tablet", "substance", "intake:seven-oh-products"),
        ("cough syrup", "substance", "intake:sedating-antihistamines"),
    ],
)
def test_intake_reads_everyday_words_and_the_check_sees_them(
    kratom: Kratom, typed: str, kind: str, rule: str
) -> None:
    recorded = kratom.json("intake", typed)
    assert recorded["intake"]["kind"] == kind
    assert rule in {f["rule"] for f in recorded["findings"]}
    result = kratom("check", "2g", "--json")
    assert rule in result.stdout


def test_intake_prints_what_it_matched_and_what_it_implies(kratom: Kratom) -> None:
    output = kratom.ok("intake", "2 beers").stdout
    assert "Read '2 beers' as alcohol." in output
    assert "[AVOID] Kratom + alcohol" in output and "source:" in output


def test_unknown_intake_is_never_silent(kratom: Kratom) -> None:
    recorded = kratom.json("intake", "Zapzorin drops")
    assert recorded["matched"] is None
    [finding] = recorded["findings"]
    assert (finding["rule"], finding["severity"]) == (
        "intake:unknown-substance",
        "caution",
    )
    assert "not in our list" in kratom.ok("intake", "Zapzorin drops").stdout
    report = kratom.json("check", "2g")
    assert "intake:unknown-substance" in {f["rule"] for f in report["findings"]}


def test_everyday_coffee_raises_nothing(kratom: Kratom) -> None:
    recorded = kratom.json("intake", "coffee")
    assert (recorded["intake"]["kind"], recorded["findings"]) == ("caffeine", [])


def test_learn_reads_a_label_too(kratom: Kratom) -> None:
    assert kratom.json("learn", "Gabapentin 300 mg")["topic"] == "gabapentin"
    assert "read from 'zolpidm'" in kratom.json("learn", "zolpidm")["topic"]
