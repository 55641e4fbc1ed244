"""Standing findings acknowledged through the API: doses then need no confirmation
for them until the medication changes; bad rule ids are 422 and save nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Client

OPIOIDS = "Kratom + other opioids (your medication oxycodone)"


def standing(client: Client) -> list[dict[str, Any]]:
    response = client.get("/api/v1/acknowledgements")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["standing"]
    return items


def test_acknowledged_until_the_medication_changes(client: Client) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    (item,) = [i for i in standing(client) if i["finding"]["severity"] == "avoid"]
    assert (item["finding"]["title"], item["acknowledgement"]) == (OPIOIDS, None)
    assert client.post("/api/v1/doses", json={"amount": "2 g"}).status_code == 409

    made = client.post(
        "/api/v1/acknowledgements",
        json={"rules": ["interaction:opioids"], "note": "my prescriber knows"},
    )
    assert made.status_code == 201, made.text
    (done,) = made.json()["standing"]
    assert done["acknowledgement"]["note"] == "my prescriber knows"
    logged = client.post("/api/v1/doses", json={"amount": "2 g"})
    assert logged.status_code == 201, logged.text
    assert [f["title"] for f in logged.json()["acknowledged_findings"]] == [OPIOIDS]

    # Stopped: the finding is gone; started again: a new record, to acknowledge anew.
    stopped = client.post("/api/v1/medications/oxycodone/stop", json={})
    assert stopped.status_code < 300, stopped.text
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    assert [
        i["acknowledgement"]
        for i in standing(client)
        if i["finding"]["rule"] == "interaction:opioids"
    ] == [None]
    assert client.post("/api/v1/doses", json={"amount": "1 g"}).status_code == 409


def test_withdraw_shows_the_finding_in_full_again(client: Client) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    client.post("/api/v1/acknowledgements", json={"all": True})
    assert client.post("/api/v1/doses", json={"amount": "2 g"}).status_code == 201
    withdrawn = client.post(
        "/api/v1/acknowledgements/withdraw", json={"rules": ["interaction:opioids"]}
    )
    assert withdrawn.json() == {"withdrawn": 1}
    assert client.post("/api/v1/doses", json={"amount": "1 g"}).status_code == 409


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"rules": ["intake:alcohol"]}, "is not from a medication or a condition"),
        ({"rules": ["condition:pregnancy"]}, "is not among your standing findings"),
        ({}, "name a rule id"),
    ],
)
def test_bad_rules_are_422_naming_the_field_and_save_nothing(
    client: Client, body: dict[str, Any], problem: str
) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    response = client.post("/api/v1/acknowledgements", json=body)
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "rule" and problem in detail["problem"]
    assert all(i["acknowledgement"] is None for i in standing(client))


def test_today_offers_to_acknowledge_and_then_lists_it_in_one_line(
    client: Client,
) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    page = client.get("/").text
    assert 'name="rule" value="interaction:opioids"' in page
    assert client.submit("/acknowledgements", {}).status_code == 422  # none ticked
    done = client.submit(
        "/acknowledgements",
        {"rule": "interaction:opioids", "note": "my prescriber knows"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    today = client.get("/api/v1/today").json()
    assert [f["title"] for f in today["acknowledged_findings"]] == [OPIOIDS]
    assert OPIOIDS not in [f["title"] for f in today["findings"]]
    page = client.get("/").text
    assert f"Acknowledged, unchanged since: {OPIOIDS} (avoid)" in page
    assert 'value="interaction:opioids"' not in page


def test_the_safety_check_answers_like_a_dose_would(client: Client) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    before = client.post("/api/v1/safety/check", json={"amount": "2 g"}).json()
    assert before["blocked"] is True and before["acknowledged_findings"] == []
    client.post("/api/v1/acknowledgements", json={"rules": ["interaction:opioids"]})
    for answer in (
        client.get("/api/v1/safety").json(),
        client.post("/api/v1/safety/check", json={"amount": "2 g"}).json(),
    ):
        assert answer["blocked"] is False  # a dose needs no confirmation now
        assert [f["title"] for f in answer["acknowledged_findings"]] == [OPIOIDS]
        assert OPIOIDS not in [f["title"] for f in answer["findings"]]


def test_acknowledged_on_today_then_one_line_on_safety_until_withdrawn(
    page: Any, live: Any
) -> None:
    """In Chromium: tick a standing finding on Today with a note; Today and Safety
    then list it in one line (Safety keeps the details one tap away), a dose needs
    no confirmation for it, and withdrawing it on Safety shows it in full again."""
    from playwright.sync_api import expect

    page.goto("/safety")
    page.get_by_label("Medication name").fill("oxycodone")
    page.get_by_role("button", name="Add medication").click()
    page.goto("/")
    page.get_by_text("Read these? Acknowledge a finding").click()
    page.get_by_label(f"{OPIOIDS} (avoid)").check()
    page.get_by_label("Note (optional)").fill("discussed with my prescriber")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Acknowledged 1 finding")
    expect(page.locator("#acknowledged")).to_contain_text(OPIOIDS)

    page.goto("/safety")
    card = page.locator("li.finding.acknowledged")
    expect(card).to_have_count(1)
    expect(card.locator("summary").first).to_have_text(
        f"Acknowledged 2026-11-22 (“discussed with my prescriber”): {OPIOIDS} (avoid)"
    )
    expect(card.get_by_text("What to do:")).to_be_hidden()  # folded away
    card.locator("summary").first.click()
    card.get_by_role("button", name="Show in full again").click()
    expect(page.get_by_role("status")).to_contain_text("Acknowledgement withdrawn")
    expect(page.locator("li.finding.acknowledged")).to_have_count(0)
    expect(
        page.locator("li.finding.sev-avoid").get_by_role("heading", name=OPIOIDS)
    ).to_be_visible()
