"""Text the journal cannot store faithfully is bad input on every backend: a NUL
character (PostgreSQL refuses it in text) is refused with the field named, 422,
nothing written and nothing logged; booleans are not numbers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kratom_journal.services.journal import open_journal
from kratom_journal.web.app import create_app
from tests.store.conftest import BACKENDS
from tests.web.conftest import BASE_URL, START, ZONE, Client, Clock

NUL = "private\x00words"


@pytest.fixture(params=BACKENDS)
def any_client(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[TestClient]:
    """A client of the app on SQLite and on PostgreSQL; a 500 is an answer here."""
    if request.param == "sqlite":
        url = str(tmp_path / "web.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
    journal = open_journal(url, now=START, environ={"TZ": ZONE})
    app = create_app(journal, clock=Clock())
    with Client(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        yield client
    journal.close()


def stored(client: TestClient) -> dict[str, Any]:
    """Everything the journal holds, as the export shows it."""
    exported: dict[str, Any] = client.get("/api/v1/export").json()
    exported.pop("exported_at", None)
    return exported


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/doses", {"amount": "2 g", "note": NUL}, "note"),
        ("/api/v1/products", {"name": NUL}, "name"),
        ("/api/v1/products", {"name": "Red", "vendor": NUL}, "vendor"),
        ("/api/v1/checkins", {"pain": 3, "note": NUL}, "note"),
        ("/api/v1/doses", {"amount": f"2 g{NUL}"}, "amount"),
        ("/api/v1/checkins", {"pain": 3, "other_effects": {NUL: 1}}, "other-effect"),
        ("/api/v1/intakes", {"name": NUL}, "name"),
        ("/api/v1/intakes", {"name": "beer", "amount": NUL}, "amount"),
        ("/api/v1/medications", {"name": NUL}, "name"),
        ("/api/v1/medications", {"name": "gabapentin", "dose_text": NUL}, "dose"),
        ("/api/v1/medications", {"name": "gabapentin", "note": NUL}, "note"),
        ("/api/v1/withdrawal", {"symptoms": {"anxiety": 1}, "note": NUL}, "note"),
    ],
)
def test_a_nul_character_is_bad_input_naming_the_field(
    any_client: TestClient,
    caplog: pytest.LogCaptureFixture,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = stored(any_client)
    with caplog.at_level(logging.DEBUG):
        response = any_client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["detail"]] == [field]
    assert stored(any_client) == before
    assert "private" not in caplog.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"conditions": [NUL]}, "conditions"),
        ({"locality": NUL}, "locality"),
        ({"timezone": NUL}, "timezone"),
        ({"presets": [NUL]}, "presets"),
    ],
)
def test_a_nul_character_in_the_profile_is_bad_input(
    any_client: TestClient, body: dict[str, Any], field: str
) -> None:
    before = stored(any_client)
    response = any_client.patch("/api/v1/profile", json=body)
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["detail"]] == [field]
    assert stored(any_client) == before


def test_a_form_with_a_nul_character_says_which_field(client: Client) -> None:
    response = client.submit("/doses", {"amount": "2 g", "note": NUL})
    assert response.status_code == 422
    assert "note" in response.text
    assert client.get("/api/v1/today").json()["doses"] == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/checkins", {"pain": True}, "pain"),
        ("/api/v1/checkins", {"pain": 3, "mood": False}, "mood"),
        ("/api/v1/doses", {"amount": True}, "amount"),
        # ... nor numbers (or "yes") booleans.
        ("/api/v1/doses", {"amount": "2 g", "confirm": 0}, "confirm"),
        ("/api/v1/doses", {"amount": "2 g", "approx": "yes"}, "approx"),
        ("/api/v1/taper/plan", {"weeks": True, "preview": True}, "weeks"),
    ],
)
def test_a_boolean_is_not_a_number(
    client: Client, path: str, body: dict[str, Any], field: str
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert field in [p["field"] for p in response.json()["detail"]]


def test_a_boolean_is_not_a_year_but_null_still_clears_it(client: Client) -> None:
    refused = client.patch("/api/v1/profile", json={"birth_year": True})
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["detail"]] == ["birth_year"]
    # An optional integer's null passes the boolean guard (it once gave a 500).
    cleared = client.patch("/api/v1/profile", json={"birth_year": None})
    assert cleared.status_code == 200
    preview = client.post("/api/v1/taper/plan", json={"weeks": None, "preview": True})
    assert preview.status_code < 500


def test_a_wrong_method_lists_every_method_of_the_path(client: Client) -> None:
    # PATCH and DELETE are separate routes of one path.
    response = client.put(f"/api/v1/entries/{'0' * 8}-0000-4000-8000-{'0' * 12}")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"PATCH", "DELETE"}
