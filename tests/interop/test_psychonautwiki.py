"""PsychonautWiki Journal exports become doses and other intake, leniently and exactly."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_journal.domain.doses import Stomach
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.medications import IntakeKind
from kratom_journal.interop.psychonautwiki import convert, looks_like_psychonautwiki
from tests.interop.pw_files import MORNING, android_file, ios_file, ms

OWNER = UUID("11111111-2222-3333-4444-555555555555")


def run(document: Any, owner: UUID = OWNER):
    return convert(document, source="pw.json", owner_id=owner, zone="Europe/Berlin")


def test_ios_file_kratom_in_g_mg_and_a_custom_unit_becomes_doses() -> None:
    result = run(ios_file())
    doses = sorted(result.doses, key=lambda d: d.taken_at)
    assert [d.grams for d in doses] == [Decimal("2.000"), Decimal("0.500"), Decimal(3)]
    assert [str(d.quantity) for d in doses] == ["2g", "500mg", "3g"]
    assert [d.approximate for d in doses] == [False, True, False]
    assert doses[0].stomach is Stomach.EMPTY and doses[0].zone == "Europe/Berlin"
    assert doses[0].taken_at.isoformat() == "2026-11-20T07:00:00+00:00"
    assert doses[2].note == "2 scoops (1 scoop = 1.5 g)"
    # The session's notes and ratings go with its first kratom dose, in local time.
    assert doses[0].note == (
        "before work\n"
        "Experience 'Back pain day': Rainy, stiff back\n"
        "Rating ++ at 2026-11-20 09:00\n"
        "Rating + (overall)\n"
        "Note at 2026-11-20 08:45: pain 6→4, no sedation"
    )
    (coffee,) = result.intakes
    assert (coffee.name, coffee.kind, coffee.amount_text) == (
        "Caffeine",
        IntakeKind.CAFFEINE,
        "100 mg",
    )
    assert result.problems == [
        "pw.json: experiences[0].ingestions[4]: taken by Sam, not by you"
    ]


def test_android_file_with_defaults_left_out() -> None:
    result = run(android_file())
    (dose,) = result.doses
    assert dose.grams == Decimal("2.500") and dose.approximate is False
    assert dose.note == "Experience 'Evening'"
    (beer,) = result.intakes
    assert (beer.kind, beer.amount_text, beer.note) == (
        IntakeKind.ALCOHOL,
        "1 beer",
        None,
    )
    assert result.problems == [
        "pw.json: experiences[0].ingestions[1]: kratom of unknown dose"
    ]


def test_ids_come_from_the_file_so_a_second_conversion_matches() -> None:
    first, second = run(ios_file()), run(ios_file())
    assert [d.id for d in first.doses] == [d.id for d in second.doses]
    assert len({d.id for d in first.doses} | {i.id for i in first.intakes}) == 4
    other_person = run(ios_file(), owner=UUID(int=7))
    assert {d.id for d in other_person.doses}.isdisjoint(d.id for d in first.doses)


def test_two_identical_ingestions_are_both_kept() -> None:
    document = android_file()
    ingestion = document["experiences"][0]["ingestions"][0]
    document["experiences"][0]["ingestions"].append(copy.deepcopy(ingestion))
    doses = run(document).doses
    assert len(doses) == 2 and doses[0].id != doses[1].id


def test_estimates_routes_and_units_it_cannot_weigh() -> None:
    document = {
        "experiences": [
            {
                "ingestions": [
                    {
                        "substanceName": "Kratom",
                        "time": MORNING,
                        "administrationRoute": "sublingual",
                        "dose": 2,
                        "units": "g",
                        "estimatedDoseStandardDeviation": 0.25,
                    },
                    {
                        "substanceName": "Kratom",
                        "time": MORNING,
                        "dose": 1,
                        "units": "tsp",
                    },
                ]
            }
        ]
    }
    result = run(document)
    (dose,) = result.doses
    assert dose.approximate and dose.note == "estimate ± 0.25 g\nroute: sublingual"
    assert result.problems == [
        "pw.json: experiences[0].ingestions[1]: kratom in unit 'tsp', which is "
        "neither g nor mg"
    ]


def test_a_custom_unit_of_unknown_dose() -> None:
    document = ios_file()
    document["customUnits"][0]["dose"] = 0  # how iOS stores "unknown dose"
    document["customUnits"].append({"id": 4, "unit": "cup", "originalUnit": "mg"})
    ingestions = document["experiences"][0]["ingestions"]
    ingestions.append(
        {"substanceName": "Coffee", "time": MORNING, "dose": 2, "customUnitId": 4}
    )
    result = run(document)
    assert len(result.doses) == 2
    assert (
        "pw.json: experiences[0].ingestions[2]: kratom of unknown dose"
        in result.problems
    )
    assert [i.amount_text for i in result.intakes] == ["100 mg", "2 cups"]


def test_recognises_pw_files_but_not_ours() -> None:
    assert looks_like_psychonautwiki(android_file())
    assert looks_like_psychonautwiki({"experiences": []})
    assert not looks_like_psychonautwiki({"format": "kratom-journal", "doses": []})
    assert not looks_like_psychonautwiki([])


def broken(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = ios_file()
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


INGESTION = ("experiences", 0, "ingestions", 1)


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        ((*INGESTION, "dose"), "two", "experiences[0].ingestions[1].dose", "not a number"),
        ((*INGESTION, "dose"), -1, "experiences[0].ingestions[1].dose", "negative"),
        ((*INGESTION, "dose"), 60000, "experiences[0].ingestions[1].dose", "more than 50"),
        ((*INGESTION, "time"), KeyError, "experiences[0].ingestions[1].time", "missing"),
        ((*INGESTION, "time"), "noon", "experiences[0].ingestions[1].time", "whole number"),
        ((*INGESTION, "time"), 10**18, "experiences[0].ingestions[1].time", "epoch"),
        ((*INGESTION, "substanceName"), 5, "experiences[0].ingestions[1].substanceName", "text"),
        ((*INGESTION, "customUnitId"), 9, "experiences[0].ingestions[1].customUnitId", "not in"),
        ((*INGESTION, "isDoseAnEstimate"), "yes", "experiences[0].ingestions[1].isDoseAnEstimate",
         "true or false"),
        (("experiences", 0, "ratings", 0, "option"), "great", "experiences[0].ratings[0].option",
         "Shulgin"),
        (("experiences", 0, "ingestions"), {}, "experiences[0].ingestions", "not a list"),
        (("experiences", 0), [], "experiences[0]", "not a JSON object"),
        (("customUnits", 0, "dose"), "1.5", "customUnits[0].dose", "not a number"),
    ],
)  # fmt: skip
def test_a_bad_value_names_where_it_is(
    path: tuple[Any, ...], value: Any, field: str, problem: str
) -> None:
    with pytest.raises(InputError) as error:
        run(broken(path, value))
    assert error.value.field == f"pw.json: {field}"
    assert problem in error.value.problem


json_values = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
)
ingestion_keys = st.sampled_from(
    [
        "substanceName",
        "time",
        "creationDate",
        "dose",
        "units",
        "notes",
        "customUnitId",
        "isDoseAnEstimate",
        "stomachFullness",
        "administrationRoute",
        "consumerName",
        "estimatedDoseStandardDeviation",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    changes=st.dictionaries(ingestion_keys, json_values, max_size=4),
    substance=st.sampled_from(["Kratom", "Caffeine"]),
)
def test_any_ingestion_converts_or_names_its_bad_field(
    changes: dict[str, Any], substance: str
) -> None:
    document = ios_file()
    ingestion = {"substanceName": substance, "time": ms("2026-01-01T00:00:00")}
    document["experiences"][0]["ingestions"] = [ingestion | changes]
    try:
        result = run(document)
    except InputError as error:
        assert error.field.startswith("pw.json: experiences[0].")
    else:
        skipped = [p for p in result.problems if "ingestions[0]" in p]
        assert len(result.doses) + len(result.intakes) + len(skipped) == 1
