"""Edit, delete and undo: nothing is lost, every change can be reversed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import Kratom

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


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


# -- undo by change id, redo -----------------------------------------------------------


def test_undo_names_its_change_and_a_second_undo_of_it_changes_nothing(
    kratom: Kratom,
) -> None:
    kratom.ok("log", "1g")
    kratom.ok("log", "2g")
    undone = kratom.json("undo")
    change = undone["change"]
    assert [u["action"] for u in undone["undone"]] == ["create"]
    again = kratom("undo", str(change))
    assert again.exit_code == 1
    assert f"change {change} was already undone; nothing else was undone" in (
        again.stderr
    )
    assert kratom.json("today")["total_g"] == "1.000"  # the older dose stays
    missing = kratom("undo", "999")
    assert missing.exit_code == 2
    assert "there is no change 999" in missing.stderr
    assert kratom("undo", "0").exit_code == 2


def test_undo_of_an_older_change_that_a_later_one_changed_is_refused(
    kratom: Kratom,
) -> None:
    kratom.ok("log", "1g")
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    kratom.ok("edit", dose_id[:8], "--amount", "3g")
    edit = kratom.json("undo")["change"]
    kratom.ok("redo")
    log = edit - 1  # the log of 2 g was the command before the edit
    refused = kratom("undo", str(log))
    assert refused.exit_code == 1
    assert f"change {log} cannot be undone: change {edit} (edited dose" in (
        refused.stderr
    )
    assert kratom.json("today")["total_g"] == "4.000"
    # An unrelated older change can be undone by its id, alone.
    first = log - 1
    assert "Undone: added dose" in kratom.ok("undo", str(first)).stdout
    assert kratom.json("today")["total_g"] == "3.000"


def test_redo_reapplies_what_undo_took_back_in_order(kratom: Kratom) -> None:
    kratom.ok("log", "1g")
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    kratom.ok("delete", dose_id[:8])
    kratom.ok("undo")  # the delete: the dose is back
    kratom.ok("undo")  # the log of 2 g
    assert kratom.json("today")["total_g"] == "1.000"
    redone = kratom.ok("redo").stdout
    assert redone.startswith("Redone: added dose") and "`kratom undo" in redone
    assert kratom.json("today")["total_g"] == "3.000"
    assert kratom.json("redo")["redone"][0]["action"] == "delete"
    assert kratom.json("today")["total_g"] == "1.000"
    assert kratom.ok("redo").stdout.strip() == "Nothing to redo."


def test_redo_is_refused_when_a_later_change_touched_the_same_entry(
    kratom: Kratom,
) -> None:
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    kratom.ok("edit", dose_id[:8], "--amount", "3g")
    edit = kratom.json("undo")["change"]
    kratom.ok("edit", dose_id[:8], "--amount", "4g")
    refused = kratom("redo")
    assert refused.exit_code == 1
    assert f"change {edit} cannot be redone: change {edit + 1} (edited dose" in (
        refused.stderr
    )
    assert kratom.json("today")["total_g"] == "4.000"
    not_undone = kratom("redo", str(edit + 1))
    assert not_undone.exit_code == 1
    assert "is not undone; there is nothing to redo" in not_undone.stderr


def test_redo_of_an_edit_waits_for_the_entry_it_edited(kratom: Kratom) -> None:
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    kratom.ok("edit", dose_id[:8], "--amount", "3g")
    edit = kratom.json("undo")["change"]
    log = kratom.json("undo")["change"]
    refused = kratom("redo", str(edit))
    assert refused.exit_code == 1
    assert f"change {log} (added dose {dose_id[:8]}) before it is undone" in (
        refused.stderr
    )
    assert kratom.json("today")["total_g"] == "0"
    kratom.ok("redo", str(log))
    kratom.ok("redo", str(edit))
    assert kratom.json("today")["total_g"] == "3.000"


def test_an_undone_import_can_be_imported_again(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    kratom.ok("product", "add", "Red Bali", "--tsp-grams", "2.3")
    kratom.ok("log", "½ tsp", "-p", "Red Bali")
    kratom.ok("log", "2g", "--at", "yesterday 20:00")
    kratom.ok("checkin", "--pain", "5")
    deleted = kratom.json("log", "1g")["dose"]["id"]
    kratom.ok("delete", deleted[:8])
    kratom.ok("profile", "set", "--location", "DE")
    export = tmp_path / "export.json"
    export.write_text(kratom.ok("export").stdout)
    other = make_kratom()
    first = other.json("import", str(export))
    assert "Undone:" in other.ok("undo").stdout
    assert other.json("history", "--days", "7")["doses"] == []
    again = other.json("import", str(export))
    assert again["conflicts"] == []
    assert again["added"] == first["added"]
    assert again["profile"] == "updated"
    history = other.json("history", "--days", "7")
    assert len(history["doses"]) == 2 and len(history["checkins"]) == 1
    assert other.json("today")["total_g"] == kratom.json("today")["total_g"]
    # The first import cannot be redone over the second.
    assert other("redo").exit_code == 1
    # ...and the second can be undone and imported a third time.
    other.ok("undo")
    assert other.json("import", str(export))["added"] == first["added"]


def test_import_does_not_bring_back_an_entry_the_person_deleted(
    kratom: Kratom, tmp_path: Path
) -> None:
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    export = tmp_path / "export.json"
    export.write_text(kratom.ok("export").stdout)
    kratom.ok("delete", dose_id[:8])
    result = kratom.json("import", str(export))
    assert result["added"] == {}
    assert kratom.json("today")["total_g"] == "0"
