"""A journal damaged while the app runs: a clear 503 page, and JSON for the API.
A journal on read-only media: pages show it, writes answer 503 saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.web.app import create_app
from tests.damage import DAMAGES, settle
from tests.mounts import remount_read_only, tmpfs
from tests.web.conftest import BASE_URL, START, ZONE, Client, Clock


@pytest.fixture(params=["page overwritten", "header overwritten"])
def damaged(request: pytest.FixtureRequest, client: Client, journal: Journal) -> Client:
    response = client.post("/api/v1/doses", json={"amount": "2 g"})
    assert response.status_code == 201, response.text
    path = journal.database.sqlite_path
    assert path is not None
    journal.database.dispose()  # the app's next request opens a fresh connection
    settle(path)
    DAMAGES[request.param](path)
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


def test_a_journal_on_read_only_media_is_shown_and_writes_say_why(
    tmp_path: Path,
) -> None:
    with tmpfs(tmp_path / "media", "4m", "read-only media tests") as media:
        path = media / "web.sqlite3"
        writable = open_journal(str(path), now=START, environ={"TZ": ZONE})
        app = create_app(writable, clock=Clock())
        with Client(app, base_url=BASE_URL) as client:
            logged = client.post("/api/v1/doses", json={"amount": "2 g"})
            assert logged.status_code == 201, logged.text
        writable.close()
        remount_read_only(media)

        journal = open_journal(str(path), now=START, environ={"TZ": ZONE})
        try:
            app = create_app(journal, clock=Clock())
            with Client(app, base_url=BASE_URL) as client:
                assert client.get("/").status_code == 200
                history = client.get("/api/v1/history")
                assert [d["quantity"] for d in history.json()["doses"]] == ["2 g"]
                refused = client.post("/api/v1/doses", json={"amount": "1 g"})
                assert refused.status_code == 503
                assert "is read-only" in refused.json()["detail"]
        finally:
            journal.close()
