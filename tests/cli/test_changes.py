"""Edit, delete and undo: nothing is lost, every change can be reversed."""

from __future__ import annotations

from tests.conftest import Kratom


def test_edit_changes_a_dose_and_undo_restores_it(kratom: Kratom) -> None:
    dose_id = kratom.json("log", "2g", "--note", "morning")["dose"]["id"]
    kratom.ok("edit", dose_id[:8], "--amount", "2.5g", "--note", "late morning")
    assert kratom.json("today")["total_g"] == "2.500"
    assert "Undone: edited dose" in kratom.ok("undo").stdout
    dose = kratom.json("today")["doses"][0]
    assert (dose["grams"], dose["note"]) == ("2.000", "morning")


def test_delete_hides_the_entry_and_undo_brings_it_back(kratom: Kratom) -> None:
    kratom.ok("log", "1g")
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    assert "kratom undo" in kratom.ok("delete", dose_id[:6]).stdout
    assert kratom.json("today")["total_g"] == "1.000"
    kratom.ok("undo")
    assert kratom.json("today")["total_g"] == "3.000"


def test_undo_of_a_log_removes_it_and_undo_steps_back_in_order(kratom: Kratom) -> None:
    kratom.ok("log", "1g")
    kratom.ok("log", "2g")
    kratom.ok("undo")
    assert kratom.json("today")["total_g"] == "1.000"
    kratom.ok("undo")
    assert kratom.json("today")["total_g"] == "0"
    assert kratom.ok("undo").stdout.strip() == "Nothing to undo."


def test_edit_a_checkin_and_an_intake(kratom: Kratom) -> None:
    checkin_id = kratom.json("checkin", "--pain", "6", "-s", "nausea=1")["checkin"][
        "id"
    ]
    intake_id = kratom.json("intake", "beer", "--amount", "1 pint")["intake"]["id"]
    kratom.ok("edit", checkin_id[:8], "--pain", "4", "-s", "nausea=0", "--mood", "6")
    kratom.ok("edit", intake_id[:8], "--amount", "2 pints")
    history = kratom.json("history")
    checkin, intake = history["checkins"][0], history["intakes"][0]
    assert (checkin["pain"], checkin["side_effects"], checkin["mood"]) == (
        4,
        {"nausea": 0},
        6,
    )
    assert (intake["kind"], intake["amount_text"]) == ("alcohol", "2 pints")


def test_edit_refuses_options_of_another_kind_and_unknown_ids(kratom: Kratom) -> None:
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    wrong = kratom("edit", dose_id[:8], "--pain", "3")
    assert wrong.exit_code == 2
    assert "--pain: does not apply to a dose" in wrong.stderr
    missing = kratom("edit", "abcdef12", "--amount", "1g")
    assert missing.exit_code == 2
    assert "no entry has an id starting with 'abcdef12'" in missing.stderr
    bad = kratom("edit", dose_id[:8], "--amount", "0g")
    assert bad.exit_code == 2
    assert kratom.json("today")["total_g"] == "2.000"


def test_editing_the_time_moves_the_dose_to_another_day(kratom: Kratom) -> None:
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    kratom.ok("edit", dose_id[:8], "--at", "yesterday 20:00")
    assert kratom.json("today")["total_g"] == "0"
    assert "total 2 g" in kratom.ok("history", "--days", "2").stdout


def test_edit_points_products_and_medications_to_their_own_commands(
    kratom: Kratom,
) -> None:
    product_id = kratom.json("product", "add", "Red Bali")["product"]["id"]
    result = kratom("edit", product_id[:8], "--note", "x")
    assert result.exit_code == 2
    assert "is a product; use `kratom product edit`" in result.stderr
    kratom.ok("delete", product_id[:8])
    assert kratom.json("product", "list")["products"] == []
    kratom.ok("undo")
    assert [p["name"] for p in kratom.json("product", "list")["products"]] == [
        "Red Bali"
    ]
