"""`kratom import` from other journals: preview, merge, re-import adds nothing, bad files
write nothing and say where they are bad."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Kratom
from tests.interop.pw_files import android_file, ios_file


def write(path: Path, document: Any) -> str:
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def nothing_stored(kratom: Kratom) -> bool:
    history = kratom.json("history", "--days", "30")
    return history["doses"] == [] and history["intakes"] == []


def test_psychonautwiki_files_preview_import_and_reimport(
    kratom: Kratom, tmp_path: Path
) -> None:
    ios = write(tmp_path / "ios.json", ios_file())
    android = write(tmp_path / "android.json", android_file())

    preview = kratom.json("import", ios, "--dry-run")
    assert preview["format"] == "psychonautwiki" and preview["dry_run"] is True
    assert preview["added"] == {"doses": 3, "intakes": 1}
    assert preview["problems"] == [
        "ios.json: experiences[0].ingestions[4]: taken by Sam, not by you"
    ]
    assert nothing_stored(kratom)

    text = kratom.ok("import", ios).stdout
    assert "Added: 3 doses, 1 intakes." in text
    assert "Left out: ios.json: experiences[0].ingestions[4]: taken by Sam" in text
    kratom.ok("import", android, "--format", "psychonautwiki")

    history = kratom.json("history", "--days", "7")
    assert sorted(d["quantity"] for d in history["doses"]) == [
        "2.5g",
        "2g",
        "3g",
        "500mg",
    ]
    assert sorted(i["name"] for i in history["intakes"]) == ["Alcohol", "Caffeine"]
    first = min(history["doses"], key=lambda d: d["taken_at"])
    assert "Rating ++ at 2026-11-20 09:00" in first["note"]
    assert "Note at 2026-11-20 08:45: pain 6→4, no sedation" in first["note"]

    again = kratom.json("import", ios)
    assert again["added"] == {} and again["unchanged"] == {"doses": 3, "intakes": 1}
    assert again["conflicts"] == []
    assert len(kratom.json("history", "--days", "7")["doses"]) == 4


def test_a_malformed_psychonautwiki_file_writes_nothing_and_says_where(
    kratom: Kratom, tmp_path: Path
) -> None:
    document = ios_file()
    document["experiences"].append(android_file()["experiences"][0])
    document["experiences"][1]["ingestions"][0]["dose"] = "2 grams"
    result = kratom("import", write(tmp_path / "bad.json", document))
    assert result.exit_code == 2
    assert "bad.json: experiences[1].ingestions[0].dose: '2 grams' is not a number" in (
        result.stderr
    )
    assert nothing_stored(kratom)  # the good first experience was not written either


def test_the_zone_option_sets_where_entries_were_made(
    kratom: Kratom, tmp_path: Path
) -> None:
    android = write(tmp_path / "android.json", android_file())
    kratom.ok("import", android, "--zone", "America/Chicago")
    (dose,) = kratom.json("history", "--days", "7")["doses"]
    assert dose["zone"] == "America/Chicago"
    bad = kratom("import", android, "--zone", "Mars/Base")
    assert bad.exit_code == 2 and "zone" in bad.stderr


TRACKER = """Date,Dose,Unit,Notes
2026-11-20 08:30,2,g,before work
2026-11-20 13:15,1/2,tsp,
"""


def test_another_trackers_csv_through_a_mapping(kratom: Kratom, tmp_path: Path) -> None:
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER, encoding="utf-8")
    args = (
        "import",
        str(path),
        "--map",
        "time=Date,amount=Dose,unit=Unit,note=Notes",
        "--time-format",
        "%Y-%m-%d %H:%M",
    )
    preview = kratom.json(*args, "--dry-run")
    assert preview["format"] == "csv" and preview["added"] == {"doses": 2}
    assert nothing_stored(kratom)
    kratom.ok(*args)
    doses = kratom.json("history", "--days", "7")["doses"]
    assert [(d["taken_at"], d["quantity"], d["note"]) for d in doses] == [
        ("2026-11-20T07:30:00Z", "2 g", "before work"),
        ("2026-11-20T12:15:00Z", "1/2 tsp", None),
    ]
    assert doses[1]["approximate"] is True  # default teaspoon, no calibration
    assert kratom.json(*args)["added"] == {}


def test_a_bad_csv_row_writes_nothing_and_names_row_and_column(
    kratom: Kratom, tmp_path: Path
) -> None:
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER + "yesterday,2,g,\n", encoding="utf-8")
    result = kratom(
        "import", str(path), "--map", "time=Date,amount=Dose,unit=Unit",
        "--time-format", "%Y-%m-%d %H:%M",
    )  # fmt: skip
    assert result.exit_code == 2
    assert (
        "tracker.csv: row 4, column 'Date': 'yesterday' is not a time" in result.stderr
    )
    assert nothing_stored(kratom)
    wrong = kratom("import", str(path), "--map", "time=Date", "--dry-run")
    assert wrong.exit_code == 2 and "map: needs amount" in wrong.stderr


def test_our_own_csv_tables_round_trip(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    kratom.ok("product", "add", "Red Bali", "--tsp-grams", "2.3", "--lead-ppm", "0.4")
    kratom.ok("log", "½ tsp", "-p", "Red Bali", "--stomach", "empty", "--note", "a, b")
    kratom.ok("log", "2g", "--at", "yesterday 20:00")
    kratom.ok("checkin", "--pain", "5", "--peg", "5,4,3", "-s", "nausea=1")
    other = make_kratom()
    for table in ("products", "doses", "checkins"):
        path = tmp_path / f"{table}.csv"
        path.write_text(kratom.ok("export", "--format", "csv", "--table", table).stdout)
        assert other.json("import", str(path))["added"] == {
            table: 1 + (table == "doses")
        }
        assert other.json("import", str(path))["added"] == {}

    def sections(k: Kratom) -> dict[str, Any]:
        document = json.loads(k.ok("export").stdout)
        text = json.dumps({s: document[s] for s in ("products", "doses", "checkins")})
        return json.loads(text.replace(document["owner_id"], "OWNER"))

    assert sections(other) == sections(kratom)


def test_options_that_do_not_fit_the_file_are_refused(
    kratom: Kratom, tmp_path: Path
) -> None:
    ours = tmp_path / "export.json"
    ours.write_text(kratom.ok("export").stdout)
    result = kratom("import", str(ours), "--zone", "Europe/Paris")
    assert result.exit_code == 2 and "zone: applies to" in result.stderr
    result = kratom("import", str(ours), "--format", "psychonautwiki")
    assert result.exit_code == 2 and "is not a PsychonautWiki Journal export" in (
        result.stderr
    )
