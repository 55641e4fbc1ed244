"""A journal damaged while the app runs: a clear 503 page, and JSON for the API."""

from __future__ import annotations

import pytest

from kratom_journal.services.journal import Journal
from tests.damage import doses_page_overwritten, settle
from tests.web.conftest import Client


@pytest.fixture
def damaged(client: Client, journal: Journal) -> Client:
    response = client.post("/api/v1/doses", json={"amount": "2 g"})
    assert response.status_code == 201, response.text
    path = journal.database.sqlite_path
    assert path is not None
    journal.database.dispose()  # the app's next request opens a fresh connection
    settle(path)
    doses_page_overwritten(path)
    return client


@pytest.mark.parametrize("url", ["/", "/history"])
def test_a_page_on_a_damaged_journal_is_a_clear_503(damaged: Client, url: str) -> None:
    response = damaged.get(url)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "is damaged" in response.text
    assert "Backups are in" in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/api/v1/history", None),
        ("POST", "/api/v1/doses", {"amount": "1 g"}),
    ],
)
def test_the_api_on_a_damaged_journal_answers_json_503(
    damaged: Client, method: str, url: str, body: object
) -> None:
    response = damaged.request(method, url, json=body)
    assert response.status_code == 503
    assert "is damaged" in response.json()["detail"]
