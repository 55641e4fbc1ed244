"""The safety check from the command line: check, log, med add, learn, law."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from kratom_journal.knowledge import loader
from tests.conftest import Kratom


def test_check_blocks_on_an_avoid_interaction_and_cites_sources(kratom: Kratom) -> None:
    added = kratom.json("med", "add", "Lyrica")
    assert added["matched"] == {"id": "pregabalin", "name": "pregabalin", "by": "brand"}
    assert added["findings"][0]["severity"] == "avoid"
    result = kratom("check", "2g", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["blocked"] is True
    top = report["findings"][0]
    assert (top["rule"], top["severity"]) == ("interaction:gabapentinoids", "avoid")
    assert top["sources"] and all(s["title"] and s["as_of"] for s in top["sources"])
    text = kratom("check", "2g").stdout
    assert "[AVOID] Kratom + gabapentin or pregabalin" in text and "source:" in text


def test_check_with_nothing_against_it_passes(kratom: Kratom) -> None:
    kratom.ok("profile", "set", "--location", "US-TX", "--birth-year", "1970")
    report = kratom.json("check", "2g")
    assert report["blocked"] is False
    assert {f["severity"] for f in report["findings"]} <= {"info"}


def test_log_over_an_avoid_finding_needs_confirm_and_remembers_it(
    kratom: Kratom,
) -> None:
    kratom.ok("med", "add", "oxycontin")
    blocked = kratom("log", "2g")
    assert blocked.exit_code == 1
    assert "Kratom + other opioids" in blocked.stderr and "--confirm" in blocked.stderr
    assert kratom.json("history")["doses"] == []
    dose = kratom.json("log", "2g", "--confirm")["dose"]
    assert dose["acknowledged"] == [
        {
            "rule": "interaction:opioids",
            "title": "Kratom + other opioids (your medication oxycontin)",
        }
    ]


def test_log_shows_the_redose_wait(kratom: Kratom) -> None:
    kratom.ok("log", "2g", "--at", "-30m")
    output = kratom.ok("log", "0.5g").stdout  # now is 15:00 in Berlin
    assert "Only 30 min since the last dose: wait until 15:15" in output


def test_med_add_unknown_says_ask_a_pharmacist(kratom: Kratom) -> None:
    output = kratom.ok("med", "add", "Zapzorin").stdout
    assert "not in our list: ask a pharmacist" in output


def test_med_add_without_known_interaction_says_exactly_that(kratom: Kratom) -> None:
    output = kratom.ok("med", "add", "ibuprofen").stdout
    assert "No known kratom interaction for ibuprofen" in output


def test_law_and_learn(kratom: Kratom) -> None:
    alabama = kratom.json("law", "us-al")["entries"][0]
    assert (alabama["code"], alabama["status"]) == ("US-AL", "banned")
    assert "confidence" in kratom.ok("law", "US-AL").stdout
    missing = kratom("law")
    assert missing.exit_code == 2 and "location" in missing.stderr
    claims = kratom.json("learn", "claims")["entries"]
    assert any(
        c["verdict"] == "wrong" and "tolerance" in c["claim"].lower() for c in claims
    )
    gabapentin = kratom.ok("learn", "Neurontin").stdout
    assert "Kratom + gabapentin or pregabalin" in gabapentin and "as of" in gabapentin
    assert kratom("learn", "nonsense-topic").exit_code == 2


def test_knowledge_status_lists_stale_and_low_confidence(kratom: Kratom) -> None:
    status = kratom.json("knowledge", "status")
    assert status["entries"] > 300
    assert any(e["topic"] == "law" for e in status["low_confidence"])
    assert all(e["as_of"] < "2025-11-22" for e in status["stale"])


@pytest.fixture
def broken_knowledge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real copy of the knowledge files with one of them corrupted."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in loader.FILES:
        with resources.as_file(
            resources.files("kratom_journal.knowledge") / name
        ) as path:
            shutil.copy(path, folder / name)
    data = json.loads((folder / "interactions.json").read_text())
    data["interactions"][0]["tier"] = "dangerous"
    (folder / "interactions.json").write_text(json.dumps(data))
    real = loader.load_knowledge
    monkeypatch.setattr(loader, "load_knowledge", lambda: real(folder))
    return folder


def test_a_broken_knowledge_file_refuses_to_answer(
    kratom: Kratom, broken_knowledge: Path
) -> None:
    result = kratom("check", "2g")
    assert result.exit_code == 1
    assert "the safety check cannot run" in result.stderr
    assert "interactions.json: interactions[0] (id 'opioids').tier" in result.stderr
    assert "No findings" not in result.stdout


def test_a_dose_is_still_recorded_when_the_check_cannot_run(
    kratom: Kratom, broken_knowledge: Path
) -> None:
    result = kratom("log", "2g")
    assert result.exit_code == 0
    assert "the safety check cannot run" in result.stderr
    assert kratom.json("today")["total_g"] == "2.000"


def law_findings(kratom: Kratom) -> dict[str, dict[str, str]]:
    found = kratom.json("check")["findings"]
    return {f["title"]: f for f in found if f["rule"].startswith("law:")}


def test_a_local_ban_applies_once_the_locality_names_the_place(kratom: Kratom) -> None:
    kratom.ok("profile", "set", "--location", "US-CA")
    elsewhere = law_findings(kratom)
    san_diego = next(t for t in elsewhere if t.startswith("San Diego, California:"))
    assert elsewhere[san_diego]["severity"] == "info"
    assert "applies only in San Diego" in san_diego
    assert "kratom profile set --locality" in elsewhere[san_diego]["advice"]

    shown = kratom.ok("profile", "set", "--locality", "  san   diego ").stdout
    assert "locality:     san diego" in shown
    here = law_findings(kratom)
    assert here["San Diego, California: kratom is banned"]["severity"] == (
        "high-caution"
    )
    # Oceanside's ban stays context, and no place is named twice.
    assert any("applies only in Oceanside" in t for t in here)
    assert not any("San Diego, San Diego" in t for t in here)
    assert kratom.json("profile", "show")["profile"]["locality"] == "san diego"

    kratom.ok("profile", "set", "--locality", "")
    assert kratom.json("profile", "show")["profile"]["locality"] is None


def test_a_bad_locality_names_the_field_and_writes_nothing(kratom: Kratom) -> None:
    kratom.ok("profile", "set", "--locality", "Toledo")
    result = kratom(
        "profile", "set", "--locality", "Toledo; rm -rf", "--birth-year", "1970"
    )
    assert result.exit_code == 2 and "locality" in result.stderr
    profile = kratom.json("profile", "show")["profile"]
    assert (profile["locality"], profile["birth_year"]) == ("Toledo", None)


def test_law_shows_when_an_entry_was_checked_and_what_is_pending(
    kratom: Kratom,
) -> None:
    ohio = kratom.ok("law", "US-OH").stdout
    assert "checked 2026-12-02" in ohio and "may become: banned" in ohio
    entry = kratom.json("law", "US-OH")["entries"][0]
    assert (entry["verified"], entry["may_become"]) == ("2026-12-02", "banned")
    assert "checked 2026-12-02" in kratom.ok("learn", "law").stdout
    kratom.ok("profile", "set", "--location", "US-OH")
    (state,) = [
        f for f in kratom.json("check")["findings"] if f["title"].startswith("Ohio:")
    ]
    assert state["severity"] == "caution" and "checked 2026-12-02" in state["advice"]
