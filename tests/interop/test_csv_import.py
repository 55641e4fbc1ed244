"""CSV imports: our own tables come back exactly; other trackers' through a mapping."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.quantities import Amount, Calibration, Quantity, to_grams
from kratom_journal.interop.csv_import import (
    own_table,
    parse_mapping,
    read_mapped_doses,
    read_own_csv,
)

OWNER = UUID("11111111-2222-3333-4444-555555555555")
TRACKER = """Date,Dose,Unit,Notes,Mood
2026-11-20 08:30,2,g,before work,ok
2026-11-20 13:15,1/2,tsp,,good

2026-11-20 19:00,750,mg,"evening, with food",tired
"""


def grams(quantity: Quantity) -> Amount:
    return to_grams(quantity, Calibration(), Calibration(tsp_grams=Decimal("2.2")))


def read(text: str, spec: str, time_format: str | None = "%Y-%m-%d %H:%M"):
    return read_mapped_doses(
        text,
        parse_mapping(spec),
        source="tracker.csv",
        owner_id=OWNER,
        zone="Europe/Berlin",
        time_format=time_format,
        convert=grams,
    )


def test_mapped_columns_become_doses_in_the_given_zone() -> None:
    doses = read(TRACKER, "time=Date,amount=Dose,unit=Unit,note=Notes")
    assert [d.taken_at.isoformat() for d in doses] == [
        "2026-11-20T07:30:00+00:00",
        "2026-11-20T12:15:00+00:00",
        "2026-11-20T18:00:00+00:00",
    ]
    assert [d.grams for d in doses] == [Decimal(2), Decimal("1.1"), Decimal("0.75")]
    assert [d.approximate for d in doses] == [False, True, False]
    assert [d.note for d in doses] == ["before work", None, "evening, with food"]
    assert doses[0].zone == "Europe/Berlin"
    again = read(TRACKER, "time=Date,amount=Dose,unit=Unit,note=Notes")
    assert [d.id for d in again] == [d.id for d in doses]  # re-import finds them


def test_iso_times_with_an_offset_keep_it() -> None:
    text = "when,amount\n2026-11-20T08:30:00-05:00,2g\n"
    (dose,) = read(text, "time=when,amount=amount", time_format=None)
    assert dose.taken_at.isoformat() == "2026-11-20T13:30:00+00:00"


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        (
            "Date,Dose,Unit\n2026-11-20 08:30,2,g\n20/11/2026,2,g\n",
            "tracker.csv: row 3, column 'Date'",
            "'20/11/2026' is not a time in the time format '%Y-%m-%d %H:%M'",
        ),
        (
            "Date,Dose,Unit\n2026-11-20 08:30,2,g\n2026-11-20 09:30,2,spoonful\n",
            "tracker.csv: row 3, column 'Unit'",
            "unknown unit",
        ),
        (
            "Date,Dose,Unit\n2026-11-20 08:30,,\n",
            "tracker.csv: row 2, column 'Dose'",
            "empty",
        ),
        (
            "Date,Dose,Unit\n2026-11-20 08:30,90,g\n",
            "tracker.csv: row 2, column 'Unit'",
            "more than 50",
        ),
        (
            "Date,Dose\n2026-11-20 08:30,2\n",
            "tracker.csv: --map unit",
            "there is no column 'Unit'; the columns are Date, Dose",
        ),
    ],
)
def test_a_bad_row_names_its_row_and_column(
    text: str, field: str, problem: str
) -> None:
    with pytest.raises(InputError) as error:
        read(text, "time=Date,amount=Dose,unit=Unit")
    assert error.value.field == field
    assert problem in error.value.problem


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("time=Date", "needs amount"),
        (
            "time=Date,amount=Dose,when=X",
            "'when' is not one of time, amount, unit, note",
        ),
        ("time=Date,amount", "'amount' is not FIELD=COLUMN"),
        ("time=A,time=B,amount=C", "'time' is given twice"),
    ],
)
def test_a_bad_mapping_is_explained(spec: str, problem: str) -> None:
    with pytest.raises(InputError, match="map") as error:
        parse_mapping(spec)
    assert problem in error.value.problem


DOSES_CSV = (
    "id,owner_id,taken_at,zone,grams,quantity,approximate,created_at,product_id,"
    "stomach,note,deleted_at,acknowledged\n"
    "0b2f6a0e-6a43-4c1e-9d5d-1d6f2b0c9a11,11111111-2222-3333-4444-555555555555,"
    "2026-11-20T07:30:00Z,Europe/Berlin,1.100,1/2 tsp,true,2026-11-20T07:30:00Z,,"
    'empty,"a, b",,"[""interaction:x""]"\n'
)


def test_our_own_doses_table_reads_back_as_json_records() -> None:
    kind, (entry,) = read_own_csv(DOSES_CSV, "doses.csv")
    assert kind == "dose"
    assert entry["approximate"] is True and entry["product_id"] is None
    assert entry["acknowledged"] == ["interaction:x"] and entry["note"] == "a, b"
    assert entry["quantity"] == "1/2 tsp" and entry["grams"] == "1.100"


def test_our_own_table_with_a_bad_cell_names_row_and_column() -> None:
    text = DOSES_CSV.replace("1.100,", "lots,").replace(",true,", ",true,", 1)
    with pytest.raises(InputError) as error:
        read_own_csv(text, "doses.csv")
    assert error.value.field == "doses.csv: row 2, column grams"
    bad_flag = DOSES_CSV.replace(",true,", ",yes,")
    with pytest.raises(InputError, match=r"row 2, column approximate"):
        read_own_csv(bad_flag, "doses.csv")


def test_other_columns_are_not_taken_for_ours() -> None:
    assert own_table(["Date", "Dose"]) is None
    with pytest.raises(InputError, match="--map"):
        read_own_csv(TRACKER, "tracker.csv")
