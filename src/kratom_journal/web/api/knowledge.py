"""The knowledge base behind the safety check: GET /knowledge, GET /knowledge/{topic},
and the law at a place: GET /law/{location}."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from kratom_journal.domain.errors import InputError, NotFoundError
from kratom_journal.domain.findings import cite, is_stale
from kratom_journal.domain.law_rules import applies
from kratom_journal.domain.profiles import parse_location
from kratom_journal.services.reference import TOPICS as KEYS
from kratom_journal.services.reference import Topic, label, law, learn, status
from kratom_journal.web.api.safety import local_today
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS, Source

router = APIRouter(tags=["knowledge"], responses=ERRORS)

# What each topic holds, in a person's words.
TOPICS: dict[str, tuple[str, str]] = {
    "interactions": (
        "Interactions",
        "Kratom with medicines, alcohol and other substances.",
    ),
    "conditions": ("Conditions", "Health conditions where kratom needs extra care."),
    "side-effects": (
        "Side effects",
        "Common and serious effects, and when to get help.",
    ),
    "limits": ("Product limits", "7-OH share, heavy metals and microbial limits."),
    "doses": (
        "Dose and timing figures",
        "Reported figures, shown as context, never as advice.",
    ),
    "law": ("Law", "Kratom's legal status by country, state and city."),
    "claims": ("Fact versus fiction", "Common claims about kratom, checked."),
    "medicines": ("Medicines", "The medicine names and brands the check recognises."),
}


class TopicSummary(BaseModel):
    topic: str
    title: str
    description: str
    entries: int
    stale: int = Field(description="Entries older than 12 months.")
    low_confidence: int


class StaleOut(BaseModel):
    topic: str
    entry: str
    as_of: date


class LowConfidenceOut(BaseModel):
    topic: str
    entry: str


class StatusOut(BaseModel):
    entries: int
    stale: list[StaleOut]
    low_confidence: list[LowConfidenceOut]


class KnowledgeOut(BaseModel):
    topics: list[TopicSummary]
    status: StatusOut


class TopicOut(BaseModel):
    topic: str
    entries: list[dict[str, Any]] = Field(
        description="Each entry as in the knowledge file (with its sources, as_of "
        "and confidence), plus `stale`: older than 12 months."
    )


def knowledge_view(today: date) -> KnowledgeOut:
    """Every topic with its counts, and the entries that need re-checking."""
    found = status(today)
    topics = []
    for name in KEYS:
        title, description = TOPICS.get(name, (name, ""))
        topics.append(
            TopicSummary(
                topic=name,
                title=title,
                description=description,
                entries=len(topic_of(name).entries),
                stale=sum(1 for t, _ in found.stale if t == name),
                low_confidence=sum(1 for t, _ in found.low_confidence if t == name),
            )
        )
    return KnowledgeOut(
        topics=topics,
        status=StatusOut(
            entries=found.total,
            stale=[
                StaleOut(topic=t, entry=label(e), as_of=e.as_of) for t, e in found.stale
            ],
            low_confidence=[
                LowConfidenceOut(topic=t, entry=label(e))
                for t, e in found.low_confidence
            ],
        ),
    )


def topic_of(name: str) -> Topic:
    """A topic, medicine or condition; NotFoundError when it is none of these."""
    try:
        found = learn(name)
    except InputError as error:
        raise NotFoundError(error.field, error.problem) from None
    if not isinstance(found, Topic):  # a blank name lists the topics
        raise NotFoundError("topic", "give a topic, medicine or condition name")
    return found


@router.get("/knowledge", response_model=KnowledgeOut)
def get_knowledge(journal: JournalDep, now: NowDep) -> KnowledgeOut:
    """The topics, their entry counts, and every stale or low-confidence entry."""
    return knowledge_view(local_today(journal, now))


@router.get("/knowledge/{topic}", response_model=TopicOut)
def get_topic(
    topic: Annotated[
        str,
        Path(
            min_length=1,
            max_length=120,
            description="A topic (interactions, conditions, side-effects, limits, "
            "doses, law, claims, medicines), or a medicine or condition name.",
        ),
    ],
    journal: JournalDep,
    now: NowDep,
) -> TopicOut:
    """A topic's entries with their sources, confidence and as-of dates."""
    found = topic_of(topic)
    today = local_today(journal, now)
    return TopicOut(
        topic=found.title,
        entries=[
            {**e.model_dump(mode="json"), "stale": is_stale(e, today)}
            for e in found.entries
        ],
    )


# -- the law --------------------------------------------------------------------------


class LegalOut(BaseModel):
    code: str
    name: str
    locality: str
    status: str
    age_limit: int | None
    in_flux: bool
    may_become: str | None = Field(
        description="The status a pending change (bill, proposed rule) would bring."
    )
    details: str
    as_of: date
    verified: date | None = Field(
        description="When the entry was last checked against current sources."
    )
    confidence: str
    stale: bool = Field(description="Older than 12 months: may be out of date.")
    applies: bool = Field(
        description="False for a local law when the locality given is not that place."
    )
    sources: list[Source]

    @classmethod
    def of(cls, entry: Any, today: date, locality: str | None = None) -> LegalOut:
        return cls(
            code=entry.code,
            name=entry.name,
            locality=entry.locality,
            status=entry.status,
            age_limit=entry.age_limit,
            in_flux=entry.in_flux,
            may_become=entry.may_become,
            details=entry.details,
            as_of=entry.as_of,
            verified=entry.verified,
            confidence=entry.confidence,
            stale=is_stale(entry, today),
            applies=applies(entry, locality),
            sources=[
                Source.model_validate(s, from_attributes=True) for s in cite(entry)
            ],
        )


class LawOut(BaseModel):
    location: str
    locality: str | None
    entries: list[LegalOut]


def law_at(location: str, today: date, locality: str | None = None) -> LawOut:
    """The entries for an ISO 3166 code; 422 when malformed, 404 when not covered."""
    code = parse_location(location)
    try:
        entries = law(code)
    except InputError as error:
        raise NotFoundError(error.field, error.problem) from None
    return LawOut(
        location=code,
        locality=locality,
        entries=[LegalOut.of(e, today, locality) for e in entries],
    )


@router.get("/law/{location}", response_model=LawOut)
def get_law(
    location: Annotated[
        str,
        Path(max_length=20, description="ISO 3166 code, e.g. US-TX, GB, TH."),
    ],
    journal: JournalDep,
    now: NowDep,
    locality: Annotated[
        str | None,
        Query(
            max_length=80,
            description="A city or county; local laws elsewhere "
            "come with applies: false.",
        ),
    ] = None,
) -> LawOut:
    """Kratom's legal status at a place: its own entry, its country's, local bans."""
    return law_at(location, local_today(journal, now), locality)
