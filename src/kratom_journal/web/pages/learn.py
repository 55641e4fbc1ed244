"""Learn: the knowledge base, topic by topic, every entry with its sources, confidence
and as-of date; claims as fact versus fiction; and how fresh the knowledge is."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.errors import NotFoundError
from kratom_journal.domain.findings import cite, is_stale
from kratom_journal.services.reference import label
from kratom_journal.web.api.knowledge import TOPICS, knowledge_view, topic_of
from kratom_journal.web.api.safety import local_today
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.templating import redirect, render

router = APIRouter(include_in_schema=False)

TAGS = ("tier", "severity", "status", "kind")
TEXTS = {
    "contact": "Contact",
    "concern": "Concern",
    "mechanism": "How",
    "details": "Details",
    "description": "What it is",
    "summary": "Summary",
    "advice": "What to do",
    "urgent_advice": "Get help now if",
    "note": "Note",
    "tripsit": "TripSit rating",
}
LISTS = {
    "brands": "Brands",
    "classes": "Classes",
    "aliases": "Also called",
    "substances": "Medicines",
}
EVIDENCE = {
    "E": "deaths or population data",
    "C": "case reports",
    "K": "clinical studies",
    "V": "lab or animal studies",
    "M": "mechanism or drug class only",
}
VERDICTS = {"false-as-stated": "False as stated"}


def _figures(entry: Any) -> list[tuple[str, str]]:
    """Numbers of dose references and limits, with their unit."""
    unit = getattr(entry, "unit", "")
    shown = []
    for field, name in (
        ("low", "Low"),
        ("high", "High"),
        ("typical", "Typical"),
        ("value", "Limit"),
    ):
        value = getattr(entry, field, None)
        if value is not None:
            shown.append((name, f"{format(value.normalize(), 'f')} {unit}"))
    element = getattr(entry, "element", None)
    if element:
        shown.insert(0, ("Element", element))
    age = getattr(entry, "age_limit", None)
    if age:
        shown.append(("Age limit", str(age)))
    return shown


def entry_view(entry: Any, today: date) -> dict[str, Any]:
    """What the page shows of any knowledge entry."""
    texts = [
        (name, getattr(entry, f)) for f, name in TEXTS.items() if getattr(entry, f, "")
    ]
    lists = [
        (name, ", ".join(getattr(entry, f)))
        for f, name in LISTS.items()
        if getattr(entry, f, None)
    ]
    evidence = getattr(entry, "evidence", None)
    if evidence:
        lists.append(("Evidence", ", ".join(EVIDENCE[e] for e in evidence)))
    verdict = getattr(entry, "verdict", "")
    return {
        "id": getattr(entry, "id", ""),
        "label": label(entry),
        "claim": getattr(entry, "claim", ""),
        "verdict": verdict,
        "verdict_label": VERDICTS.get(verdict, verdict.capitalize()),
        "explanation": getattr(entry, "explanation", ""),
        "tags": [(f, str(getattr(entry, f))) for f in TAGS if getattr(entry, f, None)],
        "urgent": getattr(entry, "urgent", False),
        "in_flux": getattr(entry, "in_flux", False),
        "may_become": getattr(entry, "may_become", None),
        "texts": texts,
        "lists": lists,
        "figures": _figures(entry),
        "as_of": entry.as_of,
        "verified": getattr(entry, "verified", None),
        "confidence": entry.confidence,
        "stale": is_stale(entry, today),
        "sources": cite(entry),
    }


@router.get("/learn", response_class=HTMLResponse, response_model=None)
def learn_page(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The topics and the knowledge's freshness; `q` looks up a medicine or condition."""
    error = None
    if q.strip():
        try:
            topic_of(q)
        except NotFoundError as problem:
            error = problem
        else:
            return redirect(f"/learn/{quote(q.strip(), safe='')}")
    view = knowledge_view(local_today(journal, now))
    return render(
        request,
        "learn.html",
        {"view": view, "q": q, "error": error},
        status_code=404 if error else 200,
    )


@router.get("/learn/{topic}", response_class=HTMLResponse)
def topic_page(
    request: Request, topic: str, journal: JournalDep, now: NowDep
) -> HTMLResponse:
    """One topic's entries (or a medicine's or condition's); unknown names are 404."""
    found = topic_of(topic[:200])
    today = local_today(journal, now)
    title, description = TOPICS.get(found.title, (found.title, ""))
    entries = [entry_view(e, today) for e in found.entries]
    return render(
        request,
        "learn_topic.html",
        {
            "topic": found.title,
            "title": title,
            "description": description,
            "entries": entries,
            "stale": sum(1 for e in entries if e["stale"]),
            "low": sum(1 for e in entries if e["confidence"] == "low"),
        },
    )
