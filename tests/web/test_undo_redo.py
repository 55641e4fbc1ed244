"""Undo names the change it undoes, on both databases: a double-tapped Undo undoes
once; redo re-applies; the API's undo and redo take a change id (page, API, browser)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from kratom_journal.services.journal import Journal, open_journal
from tests.web.conftest import START, ZONE, Client, Live

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    """The app's journal on each backend (the browser test stays on SQLite)."""
    if request.param == "sqlite":
        url = str(tmp_path / "web.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
    opened = open_journal(url, now=START, environ={"TZ": ZONE})
    yield opened
    opened.close()


def log_on_today(client: Client, amount: str) -> Any:
    return client.submit("/doses", {"amount": amount}, follow_redirects=False)


def doses(client: Client) -> list[str]:
    return [d["quantity"] for d in client.get("/api/v1/history").json()["doses"]]


def flash_form(html: str) -> tuple[str, str, str]:
    """(message, action, change) of the flash message and its button."""
    message = re.search(r'class="flash"[^>]*>\s*<p>(.*?)</p>', html, re.S)
    form = re.search(
        r'<form method="post" action="(/undo|/redo)"[^>]*>.*?name="change" '
        r'value="(\d+)"',
        html,
        re.S,
    )
    assert message is not None
    if form is None:
        return message.group(1), "", ""
    return message.group(1), form.group(1), form.group(2)


def test_a_double_tapped_undo_on_history_undoes_only_its_change(
    client: Client,
) -> None:
    client.post("/api/v1/doses", json={"amount": "1 g"})  # older, unrelated
    log_on_today(client, "2 g")
    message, action, change = flash_form(client.get("/history").text)
    assert (message.startswith("Logged"), action) == (True, "/undo"), message
    for _tap in range(2):
        client.submit(
            "/undo", {"change": change, "next": "/history"}, follow_redirects=False
        )
    message, action, _ = flash_form(client.get("/history").text)
    assert message == "Already undone; nothing else was changed."
    assert action == ""
    assert doses(client) == ["1 g"]


def test_undo_offers_redo_and_redo_offers_undo(client: Client) -> None:
    log_on_today(client, "2 g")
    _, _, logged = flash_form(client.get("/").text)
    client.submit("/undo", {"change": logged}, follow_redirects=False)
    message, action, change = flash_form(client.get("/").text)
    assert (message, action, change) == (
        "Undone: the new dose was removed.",
        "/redo",
        logged,
    )
    assert doses(client) == []
    client.submit("/redo", {"change": change}, follow_redirects=False)
    message, action, change = flash_form(client.get("/").text)
    assert (message, action, change) == ("Redone: the dose is back.", "/undo", logged)
    assert doses(client) == ["2 g"]
    client.submit("/redo", {"change": logged}, follow_redirects=False)  # again
    assert flash_form(client.get("/").text)[0] == (
        f"Change {logged} is not undone; there is nothing to redo."
    )
    assert doses(client) == ["2 g"]
    assert client.submit("/undo", {"change": "x"}).status_code == 422


def test_api_undo_and_redo_name_the_change(client: Client) -> None:
    client.post("/api/v1/doses", json={"amount": "1 g"})
    logged = client.post("/api/v1/doses", json={"amount": "2 g"})
    change = int(logged.headers["kratom-change"])
    undone = client.post(f"/api/v1/undo?change={change}")
    assert undone.status_code == 200
    assert undone.json()["change"] == change
    again = client.post(f"/api/v1/undo?change={change}")
    assert again.status_code == 409
    assert again.json()["detail"] == (
        f"change {change} was already undone; nothing else was undone"
    )
    assert doses(client) == ["1 g"]
    assert client.post("/api/v1/undo?change=999").status_code == 404
    assert client.post("/api/v1/undo?change=0").status_code == 422
    redone = client.post("/api/v1/redo").json()
    assert (redone["change"], redone["message"]) == (
        change,
        "Redone: the dose is back.",
    )
    assert sorted(doses(client)) == ["1 g", "2 g"]
    assert client.post("/api/v1/redo").json() == {
        "change": None,
        "redone": [],
        "message": "Nothing to redo.",
    }
    assert client.post(f"/api/v1/redo?change={change}").status_code == 409
    assert "kratom-change" not in client.get("/api/v1/history").headers


# -- in a browser ----------------------------------------------------------------------


@pytest.mark.parametrize("journal", ["sqlite"], indirect=True)
def test_browser_double_click_on_undo_undoes_once(page: Any, live: Live) -> None:
    from playwright.sync_api import expect

    from kratom_journal.services.entries import DoseInput, log_dose

    log_dose(live.journal, DoseInput("1 g"), now=live.clock.now)
    page.goto("/")
    page.get_by_label("Amount", exact=True).fill("2 g")
    page.get_by_role("button", name="Log dose").click()
    page.wait_for_load_state()
    assert "Logged" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Undo").dblclick()
    # (The browser may send one request or two; either answer is right.)
    expect(page.get_by_role("status")).to_contain_text(
        re.compile("Undone: the new dose was removed.|Already undone")
    )
    page.goto("/history")
    assert page.locator(".day-total").inner_text() == "Total 1 g"
