"""The daily withdrawal symptom checklist: ten common symptoms, each 0-3.

Our own wording, built from the symptoms reported for kratom withdrawal
(kratom-facts.md §1.7). It is a symptom checklist, not a validated scale: SOWS
is copyrighted and COWS is clinician-rated (anchors-pain-nof1.md §2).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from kratom_journal.domain.checkins import parse_severity
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.findings import SourceRef

# name -> the question as shown; joint and bone pain is left out on purpose: for
# people with chronic pain it is already the pain score.
SYMPTOMS: dict[str, str] = {
    "muscle-aches": "Muscle aches or spasms",
    "insomnia": "Trouble sleeping",
    "runny-nose-eyes": "Runny nose or watery eyes",
    "hot-cold-flushes": "Hot or cold flushes, feverish",
    "sweating": "Sweating",
    "diarrhoea": "Diarrhoea or stomach cramps",
    "restlessness": "Restlessness, can't keep still",
    "irritability": "Irritability, anxiety or tension",
    "low-mood": "Low mood",
    "craving": "Craving",
}
MAX_TOTAL = 3 * len(SYMPTOMS)
SEVERE = 3
LEVELS = ("none", "mild", "moderate", "severe")
DISCLAIMER = (
    "A symptom checklist in our own words, not a validated withdrawal scale; "
    "totals compare your days with each other, not with a clinical cut-off."
)
# The symptom list's sources (kratom-facts.md §1.7), graded as that brief grades
# them; as-of is the year of the source, as there.
SOURCES: tuple[SourceRef, ...] = (
    SourceRef(
        "Singh, Müller & Vicknasingam: Kratom dependence, withdrawal symptoms and "
        "craving in regular users",
        "Drug Alcohol Depend 139:132-137",
        2014,
        "",
        date(2014, 1, 1),
        "high",
    ),
    SourceRef(
        "Smith et al.: Kratom use disorder and withdrawal among US adults with regular use",
        "J Addict Med 16:666",
        2022,
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC9402806",
        date(2022, 1, 1),
        "high",
    ),
    SourceRef(
        "NIDA: Kratom research topic page",
        "National Institute on Drug Abuse",
        2024,
        "https://nida.nih.gov/research-topics/kratom",
        date(2024, 1, 1),
        "medium",
    ),
)
_ALIASES = {
    "aches": "muscle-aches",
    "spasms": "muscle-aches",
    "sleep": "insomnia",
    "runny-nose": "runny-nose-eyes",
    "watery-eyes": "runny-nose-eyes",
    "flushes": "hot-cold-flushes",
    "chills": "hot-cold-flushes",
    "fever": "hot-cold-flushes",
    "diarrhea": "diarrhoea",
    "cramps": "diarrhoea",
    "restless": "restlessness",
    "anxiety": "irritability",
    "irritable": "irritability",
    "mood": "low-mood",
    "cravings": "craving",
}


@dataclass(frozen=True)
class WithdrawalCheck:
    """One day's checklist: every symptom scored, absent ones as 0."""

    id: UUID
    owner_id: UUID
    at: datetime
    zone: str
    symptoms: Mapping[str, int]
    created_at: datetime
    note: str | None = None
    deleted_at: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.symptoms.values())


def needs_crisis_support(symptoms: Mapping[str, int]) -> bool:
    """Severe low mood gets urgent guidance with the crisis lines (domain/crisis.py)."""
    return symptoms.get("low-mood", 0) >= SEVERE


def craving_is_severe(symptoms: Mapping[str, int]) -> bool:
    return symptoms.get("craving", 0) >= SEVERE


def parse_symptom(text: str) -> tuple[str, int]:
    """Parse "muscle-aches=2" or "Craving=moderate" into a checklist name and 0-3."""
    name, sep, level = text.partition("=")
    name = "-".join(name.strip().lower().replace("_", " ").split())
    if not sep or not name:
        raise InputError(
            "symptom", f"{text!r} is not NAME=0-3, e.g. muscle-aches=2 or craving=mild"
        )
    name = _ALIASES.get(name, name)
    if name not in SYMPTOMS:
        close = difflib.get_close_matches(name, SYMPTOMS, n=2)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise InputError(
            "symptom",
            f"{name!r} is not on the checklist; {hint}it has: {', '.join(SYMPTOMS)}",
        )
    return name, parse_severity(level, "symptom")


def full_checklist(scores: Mapping[str, int]) -> dict[str, int]:
    """Every symptom in checklist order; the ones not given score 0."""
    return {name: scores.get(name, 0) for name in SYMPTOMS}


def check_scores(scores: Mapping[str, int], where: str) -> None:
    for name, level in scores.items():
        if name not in SYMPTOMS:
            raise InputError(f"{where}.{name}", "is not on the checklist")
        if isinstance(level, bool) or level not in range(4):
            raise InputError(f"{where}.{name}", f"{level!r} is outside 0-3")
