"""Export downloads and import with a preview (page, API, browser): the preview
writes nothing, the confirmation imports exactly what was previewed, a bad file
says where it is bad and changes nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kratom_journal.services.journal import open_journal
from kratom_journal.web.app import create_app
from tests.web.conftest import (
    BASE_URL,
    START,
    ZONE,
    Client,
    Clock,
    Live,
    inspect_page,
    texts,
)


@pytest.fixture
def other(tmp_path: Path, clock: Clock) -> Iterator[Client]:
    """A second journal (another person's device) to import into."""
    journal = open_journal(
        str(tmp_path / "other.sqlite3"), now=START, environ={"TZ": ZONE}
    )
    with Client(create_app(journal, clock=clock), base_url=BASE_URL) as client:
        yield client
    journal.close()


def fill(client: Client) -> None:
    client.patch("/api/v1/profile", json={"presets": ["2 g"], "location": "DE"})
    client.post("/api/v1/doses", json={"amount": "2 g", "at": "-2h"})
    client.post("/api/v1/doses", json={"amount": "1.5 g", "note": "after lunch"})


def export(client: Client) -> bytes:
    response = client.get("/settings/export.json")
    assert response.status_code == 200
    return response.content


def upload(client: Client, data: bytes, name: str = "export.json") -> Any:
    return client.post(
        "/settings/import",
        data={"csrf_token": client.token()},
        files={"file": (name, data, "application/json")},
    )


def counts(html: str) -> tuple[str, str, str]:
    new, duplicates, problems = (
        texts(html, rf'id="total-{name}">(.*?)</td>')[0]
        for name in ("new", "duplicates", "problems")
    )
    return new, duplicates, problems


def doses(client: Client) -> list[str]:
    document = client.get("/api/v1/export").json()
    return sorted(d["quantity"] for d in document["doses"])


# -- export -----------------------------------------------------------------------------


def test_the_json_export_is_a_dated_download_of_everything(client: Client) -> None:
    fill(client)
    response = client.get("/settings/export.json")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == (
        'attachment; filename="kratom-journal-2026-11-22.json"'
    )
    document = json.loads(response.content)
    assert document["format"] == "kratom-journal"
    assert document["profile"]["presets"] == ["2 g"]
    assert sorted(d["quantity"] for d in document["doses"]) == ["1.5 g", "2 g"]
    assert document == client.get("/api/v1/export").json()


def test_a_table_downloads_as_csv(client: Client) -> None:
    fill(client)
    response = client.get("/settings/export/doses.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition == 'attachment; filename="kratom-journal-doses-2026-11-22.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(row["note"] for row in rows) == ["", "after lunch"]
    assert client.get("/api/v1/export/doses.csv").text == response.text
    assert client.get("/settings/export/passwords.csv").status_code == 404
    assert client.get("/api/v1/export/passwords.csv").status_code == 404


# -- import with a preview --------------------------------------------------------------


def test_preview_writes_nothing_and_confirm_imports_what_was_shown(
    client: Client, other: Client
) -> None:
    fill(client)
    data = export(client)
    preview = upload(other, data)
    assert preview.status_code == 200
    assert counts(preview.text) == ("2", "0", "0")
    assert "Profile: updated." in preview.text
    assert doses(other) == []  # nothing written yet
    [token] = texts(preview.text, r'name="token" value="([^"]+)"')
    assert "Import 2 new entries" in preview.text

    done = other.submit(
        "/settings/import/confirm", {"token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    assert "Imported 2 new entries and the profile from export.json." in (
        other.get("/settings").text
    )
    assert doses(other) == ["1.5 g", "2 g"]
    assert other.get("/api/v1/profile").json()["presets"] == ["2 g"]

    # The token is used up: confirming again imports nothing twice.
    again = other.submit("/settings/import/confirm", {"token": token})
    assert again.status_code == 422
    assert "expired or was already used" in again.text
    assert counts(upload(other, data).text) == ("0", "2", "0")


def test_a_journal_changed_since_the_preview_shows_the_new_preview(
    client: Client, other: Client
) -> None:
    fill(client)
    data = export(client)
    [token] = texts(upload(other, data).text, r'name="token" value="([^"]+)"')
    other.post("/api/v1/import", content=data)  # e.g. imported in another tab
    response = other.submit("/settings/import/confirm", {"token": token})
    assert response.status_code == 409
    assert "The journal changed since the preview" in response.text
    assert counts(response.text) == ("0", "2", "0")
    assert "Nothing to import" in response.text


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b'{"format": "kratom-journal",\n "version": 1,,}', "is not JSON (line 2"),
        (b'{"format": "other"}', "is not a Kratom Journal export"),
        (b"\xff\xfe not text", "is not UTF-8 text"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ],
)
def test_a_bad_file_says_where_and_changes_nothing(
    other: Client, data: bytes, where: str
) -> None:
    response = upload(other, data, "bad.json")
    assert response.status_code == 422
    [problem] = texts(response.text, r'id="file-error"[^>]*>(.*?)</p>')
    assert problem.startswith("bad.json") and where in problem
    assert 'aria-describedby="file-error"' in response.text
    assert doses(other) == []


def test_a_bad_entry_is_named_by_its_place_in_the_file(
    client: Client, other: Client
) -> None:
    fill(client)
    document = json.loads(export(client))
    document["doses"][1]["grams"] = "60"
    response = upload(other, json.dumps(document).encode())
    assert response.status_code == 422
    [problem] = texts(response.text, r'id="file-error"[^>]*>(.*?)</p>')
    assert problem == "export.json: doses[1].grams: 60 is outside 0-50 g"
    assert doses(other) == []
    assert other.get("/api/v1/profile").json()["presets"] == []


def test_no_file_too_large_a_file_or_no_token_is_refused(other: Client) -> None:
    missing = other.post("/settings/import", data={"csrf_token": other.token()})
    assert missing.status_code == 422
    assert "choose an export file" in missing.text
    large = upload(other, b" " * (20 * 1024 * 1024 + 1), "huge.json")
    assert large.status_code == 422
    assert "huge.json is larger than 20 MB" in large.text
    forged = other.post(
        "/settings/import",
        data={"csrf_token": "forged"},
        files={"file": ("e.json", b"{}", "application/json")},
    )
    assert forged.status_code == 403


def test_an_export_from_before_presets_still_imports(
    client: Client, other: Client
) -> None:
    fill(client)
    document = json.loads(export(client))
    del document["profile"]["presets"]
    response = other.post("/api/v1/import", json=document)
    assert response.status_code == 200
    assert response.json()["profile"] == "updated"
    assert other.get("/api/v1/profile").json()["presets"] == []


# -- the API ----------------------------------------------------------------------------


def test_api_import_dry_run_counts_and_writes_nothing(
    client: Client, other: Client
) -> None:
    fill(client)
    document = client.get("/api/v1/export").json()
    dry = other.post("/api/v1/import?dry_run=true", json=document)
    assert dry.status_code == 200
    assert dry.json() == {
        "dry_run": True,
        "added": {"doses": 2},
        "unchanged": {},
        "conflicts": [],
        "profile": "updated",
        "total_added": 2,
    }
    assert doses(other) == []
    done = other.post("/api/v1/import", json=document).json()
    assert (done["dry_run"], done["total_added"]) == (False, 2)
    assert doses(other) == ["1.5 g", "2 g"]
    again = other.post("/api/v1/import", json=document).json()
    assert (again["total_added"], again["unchanged"]) == (0, {"doses": 2})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b"[]", "body"),
        (b'{"format": "kratom-journal", "version": 1, "doses": {}}', "body: doses"),
        (b'{"format": "kratom-journal", "version": 2}', "body: version"),
        (
            b'{"format": "kratom-journal", "version": 1, "profile": '
            b'{"owner_id": "0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d", "timezone": "Europe"}}',
            "body: profile.timezone",  # a folder of the zone database, not a zone
        ),
        (b" " * (20 * 1024 * 1024 + 1), "body"),
    ],
)
def test_api_import_bad_documents_are_422_and_change_nothing(
    other: Client, body: bytes, field: str
) -> None:
    response = other.post("/api/v1/import", content=body)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["detail"]] == [field]
    assert doses(other) == []


# -- in the browser ---------------------------------------------------------------------


def test_export_then_import_the_same_file_in_the_browser(
    page: Any, live: Live, tmp_path: Path
) -> None:
    page.goto("/")
    for amount in ("2 g", "1.5 g"):
        page.get_by_label("Amount", exact=True).fill(amount)
        page.get_by_role("button", name="Log dose").click()
        page.get_by_text(f"Logged {amount}").wait_for()
    page.get_by_role("link", name="Settings").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "kratom-journal-2026-11-22.json"

    page.get_by_label("Export file").set_input_files(saved)
    page.get_by_role("button", name="Preview import").click()
    page.get_by_role("heading", name="Import preview").wait_for()
    assert (
        page.locator("#import-summary").inner_text().startswith("0 new, 2 already here")
    )
    assert page.get_by_role("button", name="Import").count() == 0
    inspect_page(page, "import-preview")
