"""Export, import and backup: lossless, previewable, never destructive."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Kratom

SECTIONS = (
    "products",
    "medications",
    "doses",
    "checkins",
    "intakes",
    "withdrawal_checks",
    "protocol_events",
)


def fill(kratom: Kratom) -> None:
    kratom.ok("product", "add", "Red Bali", "--tsp-grams", "2.3", "--lead-ppm", "0.4")
    kratom.ok(
        "log", "½ tsp", "-p", "Red Bali", "--stomach", "empty", "--note", "ünïcode ✓"
    )
    kratom.ok("log", "2g", "--at", "yesterday 20:00")
    kratom.ok("checkin", "--pain", "5", "--peg", "5,4,3", "-s", "nausea=1")
    kratom.ok("med", "add", "tramadol", "--dose", "50 mg")
    kratom.ok("intake", "coffee", "--amount", "2 cups")
    # tramadol + kratom is avoid-level: logging needs --confirm, and the dose keeps it
    blocked = kratom("log", "9g")
    assert blocked.exit_code == 1 and "Kratom + tramadol" in blocked.stderr
    logged = kratom.json("log", "9g", "--confirm")["dose"]
    assert "interaction:tramadol-tapentadol" in [
        shown["rule"] for shown in logged["acknowledged"]
    ]
    kratom.ok("ack", "interaction:tramadol-tapentadol", "--note", "asked my GP")
    kratom.ok("delete", logged["id"][:8])
    kratom.ok(
        "profile",
        "set",
        "--location",
        "DE",
        "--locality",
        "Berlin",
        "--condition",
        "arthritis",
    )


def records(document: dict[str, object]) -> dict[str, object]:
    return {section: document[section] for section in (*SECTIONS, "profile")}


def without_owner(document: dict[str, object]) -> dict[str, object]:
    text = json.dumps(records(document)).replace(str(document["owner_id"]), "OWNER")
    return json.loads(text)


def test_json_round_trip_is_lossless(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    fill(kratom)
    export = tmp_path / "export.json"
    kratom.ok("export", "--format", "json", "-o", str(export))
    original = json.loads(export.read_text())
    assert original["format"] == "kratom-journal" and original["version"] == 1
    assert len(original["doses"]) == 3  # the deleted dose is kept, marked deleted
    assert original["profile"]["locality"] == "Berlin"

    other = make_kratom()
    output = other.ok("import", str(export)).stdout
    assert (
        "Added: 1 products, 1 medications, 3 doses, 1 checkins, 1 intakes, "
        "1 acknowledgements." in output
    )
    # The acknowledged medication finding still holds in the imported journal.
    (tramadol,) = [
        item
        for item in other.json("ack")["standing"]
        if item["rule"] == "interaction:tramadol-tapentadol"
    ]
    assert tramadol["acknowledgement"]["note"] == "asked my GP"
    copy = json.loads(other.ok("export").stdout)
    assert without_owner(copy) == without_owner(original)
    assert other.json("today")["total_g"] == kratom.json("today")["total_g"]


def test_reimport_adds_nothing_and_dry_run_writes_nothing(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    fill(kratom)
    export = tmp_path / "export.json"
    export.write_text(kratom.ok("export").stdout)
    other = make_kratom()
    preview = other.json("import", str(export), "--dry-run")
    assert preview["added"]["doses"] == 3 and preview["dry_run"] is True
    assert other.json("history")["doses"] == []
    other.ok("import", str(export))
    again = other.json("import", str(export))
    assert again["added"] == {} and again["unchanged"]["doses"] == 3
    assert len(other.json("history")["doses"]) == 2


def test_import_keeps_the_stored_version_on_conflict(
    kratom: Kratom, tmp_path: Path
) -> None:
    dose_id = kratom.json("log", "2g")["dose"]["id"]
    document = json.loads(kratom.ok("export").stdout)
    document["doses"][0]["grams"] = "3.000"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document))
    result = kratom.json("import", str(changed))
    assert result["added"] == {}
    assert result["conflicts"] == [
        f"doses[0] id {dose_id[:8]}: differs from the stored entry; the stored one is kept"
    ]
    assert kratom.json("today")["total_g"] == "2.000"


def test_a_bad_file_changes_nothing_and_says_where(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    fill(kratom)
    document = json.loads(kratom.ok("export").stdout)
    document["checkins"][0]["pain"] = 14
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    other = make_kratom()
    result = other("import", str(bad))
    assert result.exit_code == 2
    assert "bad.json: checkins[0].pain: 14 is outside 0-10" in result.stderr
    assert other.json("history")["doses"] == []

    document = json.loads(kratom.ok("export").stdout)
    document["profile"]["locality"] = "Berlin; <script>"
    bad.write_text(json.dumps(document))
    result = other("import", str(bad))
    assert result.exit_code == 2
    assert "bad.json: profile.locality: 'Berlin; <script>' is not a place" in (
        result.stderr
    )
    assert other.json("profile", "show")["profile"]["locality"] is None

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kratom-journal",\n "version": 1,,}')
    result = other("import", str(broken))
    assert result.exit_code == 2
    assert "broken.json: is not JSON (line 2, column 15" in result.stderr


def test_csv_export_has_one_row_per_dose(kratom: Kratom) -> None:
    fill(kratom)
    rows = list(
        csv.DictReader(io.StringIO(kratom.ok("export", "--format", "csv").stdout))
    )
    assert len(rows) == 3
    assert {row["quantity"] for row in rows} == {"½ tsp", "2g", "9g"}
    assert sorted(row["grams"] for row in rows) == ["1.150", "2.000", "9.000"]
    checkins = kratom.ok("export", "--format", "csv", "--table", "checkins").stdout
    assert "peg.enjoyment" in checkins.splitlines()[0]


def test_backup_is_a_consistent_copy(kratom: Kratom, tmp_path: Path) -> None:
    fill(kratom)
    target = tmp_path / "copy.sqlite3"
    kratom.ok("backup", str(target))
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM doses").fetchone() == (3,)
    again = kratom("backup", str(target))
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_protocol_events_that_do_not_replay_are_refused(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    kratom.ok("titrate", "start", "--pain", "6")
    document = json.loads(kratom.ok("export").stdout)
    started = next(e for e in document["protocol_events"] if e["kind"] == "started")
    del started["data"]["baseline_pain"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    other = make_kratom()
    result = other("import", str(bad))
    assert result.exit_code == 2
    assert "bad.json: protocol_events: the titration events do not replay" in (
        result.stderr
    )
    assert other.json("history")["doses"] == []  # nothing of the file was imported
    assert other.json("titrate", "status")["session"] is None


def test_an_unwritable_output_is_bad_input_not_a_crash(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("log", "2g")
    missing = tmp_path / "no-such-folder"
    result = kratom("export", "-o", str(missing / "journal.json"))
    assert result.exit_code == 2
    assert "output: cannot write" in result.stderr
    result = kratom("plan", "export", "--ics", str(missing / "plan.ics"))
    assert result.exit_code == 2
    assert "ics: cannot write" in result.stderr
    assert not missing.exists()
