"""PsychonautWiki Journal export files as the two apps write them (anchors-journals §1.13).

iOS writes every field, nulls included; Android leaves out fields that hold their
default. Times are epoch milliseconds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def ms(text: str) -> int:
    """Epoch milliseconds of an ISO 8601 UTC time."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


MORNING = ms("2026-11-20T07:00:00")  # 08:00 in Berlin

SCOOP = {
    "id": 3,
    "substanceName": "Kratom",
    "name": "Red Bali scoop",
    "creationDate": ms("2026-10-01T10:00:00"),
    "administrationRoute": "ORAL",
    "dose": 1.5,
    "estimatedDoseStandardDeviation": None,
    "isEstimate": False,
    "isArchived": False,
    "unit": "scoop",
    "unitPlural": "scoops",
    "originalUnit": "g",
    "note": "level scoop",
}


def ios_ingestion(substance: str, at: int, dose: float | None, units: str, **more: Any):
    ingestion = {
        "substanceName": substance,
        "time": at,
        "endTime": None,
        "creationDate": at + 60_000,
        "administrationRoute": "ORAL",
        "dose": dose,
        "isDoseAnEstimate": False,
        "estimatedDoseStandardDeviation": None,
        "units": units,
        "notes": "",
        "stomachFullness": None,
        "consumerName": None,
        "customUnitId": None,
    }
    return ingestion | more


def ios_file() -> dict[str, Any]:
    """One session: 2 g, 500 mg (an estimate), 2 scoops, coffee, and a friend's dose."""
    return {
        "experiences": [
            {
                "title": "Back pain day",
                "text": "Rainy, stiff back",
                "creationDate": MORNING,
                "sortDate": MORNING,
                "isFavorite": False,
                "location": {"name": "Home", "latitude": None, "longitude": None},
                "ingestions": [
                    ios_ingestion(
                        "Kratom",
                        MORNING,
                        2.0,
                        "g",
                        notes="before work",
                        stomachFullness="EMPTY",
                    ),
                    ios_ingestion(
                        "mitragyna speciosa",
                        MORNING + 3 * 3600_000,
                        500.0,
                        "mg",
                        isDoseAnEstimate=True,
                    ),
                    ios_ingestion(
                        "KRATOM", MORNING + 6 * 3600_000, 2.0, "g", customUnitId=3
                    ),
                    ios_ingestion("Caffeine", MORNING + 600_000, 100.0, "mg"),
                    ios_ingestion(
                        "Kratom", MORNING + 1000, 3.0, "g", consumerName="Sam"
                    ),
                ],
                "ratings": [
                    {
                        "option": "twoPlus",
                        "time": MORNING + 3600_000,
                        "creationDate": MORNING + 3600_000,
                    },
                    {"option": "plus", "time": None, "creationDate": MORNING},
                ],
                "timedNotes": [
                    {
                        "creationDate": MORNING + 2700_000,
                        "time": MORNING + 2700_000,
                        "note": "pain 6→4, no sedation",
                        "color": "BLUE",
                        "isPartOfTimeline": True,
                    }
                ],
            }
        ],
        "substanceCompanions": [{"substanceName": "Kratom", "color": "GREEN"}],
        "customSubstances": [],
        "customUnits": [dict(SCOOP)],
    }


def android_file() -> dict[str, Any]:
    """Defaults left out: no notes, no estimate flags, no ratings, no customUnits."""
    evening = MORNING + 12 * 3600_000
    return {
        "experiences": [
            {
                "title": "Evening",
                "text": "",
                "creationDate": evening,
                "sortDate": evening,
                "ingestions": [
                    {
                        "substanceName": "Kratom",
                        "time": evening,
                        "creationDate": evening,
                        "administrationRoute": "ORAL",
                        "dose": 2.5,
                        "units": "g",
                    },
                    {
                        "substanceName": "Kratom",
                        "time": evening + 3600_000,
                        "administrationRoute": "ORAL",
                        "units": "g",
                    },
                    {
                        "substanceName": "Alcohol",
                        "time": evening + 600_000,
                        "administrationRoute": "ORAL",
                        "dose": 1.0,
                        "units": "beer",
                    },
                ],
            }
        ],
        "substanceCompanions": [{"substanceName": "Kratom", "color": "GREEN"}],
    }
