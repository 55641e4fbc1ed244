"""Safety: medications and their interactions, conditions, location and the law, and
the dose check that writes nothing (pages, API, browser)."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import Client, Live, inspect_page, texts


def finding_titles(html: str) -> list[str]:
    return texts(html, r'<li class="finding sev-[a-z-]+">.*?<h\d>(.*?)</h\d>')


# -- medications --------------------------------------------------------------------


def test_adding_an_opioid_shows_its_avoid_warning_right_away(client: Client) -> None:
    response = client.submit(
        "/safety/medications",
        {"name": "oxycodone", "dose": "5 mg as needed"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/safety"
    page = client.get("/safety").text
    assert "Added oxycodone. Interaction check: avoid, Kratom + other opioids" in page
    assert "Kratom + other opioids (your medication oxycodone)" in finding_titles(page)
    assert 'class="finding sev-avoid"' in page
    assert "5 mg as needed" in page


def test_a_medicine_not_in_the_list_is_added_and_says_so(client: Client) -> None:
    page = client.submit("/safety/medications", {"name": "zapranolide"}).text
    assert "zapranolide: not in our list" in finding_titles(page)
    assert "Ask a pharmacist" in page


def test_bad_medication_input_keeps_the_text_and_saves_nothing(client: Client) -> None:
    response = client.submit(
        "/safety/medications", {"name": "tramadol", "started": "2027-01-01"}
    )
    assert response.status_code == 422
    assert (
        "is in the future"
        in texts(response.text, r'id="started-error"[^>]*>(.*?)</p>')[0]
    )
    assert 'value="tramadol"' in response.text
    assert 'aria-invalid="true" aria-describedby="started-error"' in response.text
    assert client.get("/api/v1/medications").json()["medications"] == []


def test_stopping_a_medication_removes_its_warning(client: Client) -> None:
    added = client.post("/api/v1/medications", json={"name": "tramadol"}).json()
    page = client.get("/safety").text
    assert 'class="finding sev-avoid"' in page
    response = client.submit(
        f"/safety/medications/{added['medication']['id']}/stop",
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/safety").text
    assert "Stopped tramadol on 2026-11-22." in page
    assert "sev-avoid" not in page
    assert client.get("/api/v1/medications").json()["medications"] == []


def test_forms_without_a_csrf_token_are_refused(client: Client) -> None:
    client.token()
    for url, data in [
        ("/safety/medications", {"name": "oxycodone"}),
        ("/safety/location", {"location": "GB"}),
        ("/safety/conditions", {"condition": "pregnancy"}),
    ]:
        assert client.post(url, data={**data, "csrf_token": "x"}).status_code == 403
    assert client.get("/api/v1/medications").json()["medications"] == []
    assert "Set your location" in client.get("/safety").text


# -- conditions and location --------------------------------------------------------


def test_a_condition_shows_its_finding_and_can_be_removed(client: Client) -> None:
    page = client.submit("/safety/conditions", {"condition": "Epilepsy"}).text
    assert "Added the condition epilepsy." in page
    assert "Kratom with Seizure disorder (epilepsy)" in finding_titles(page)
    page = client.submit("/safety/conditions/remove", {"condition": "epilepsy"}).text
    assert "Removed the condition epilepsy." in page
    assert "No conditions recorded." in page


def test_each_condition_shows_its_own_finding_with_crisis_support_first(
    client: Client,
) -> None:
    # The check sorts findings (crisis support first, then by severity); the page
    # still shows each one under the condition it is about.
    client.patch("/api/v1/profile", json={"location": "GB"})
    for name in ("liver disease", "pregnant", "suicidal thoughts"):
        client.submit("/safety/conditions", {"condition": name})
    page = client.get("/safety").text
    section = page.split('id="conditions"')[1].split('id="add-condition-h"')[0]
    parts = re.split(r'<li class="card">\s*<h3>(.*?)</h3>', section)[1:]
    cards = dict(zip(parts[::2], parts[1::2], strict=True))
    assert list(cards) == ["liver disease", "pregnant", "suicidal thoughts"]
    assert "Kratom with Liver disease" in cards["liver disease"]
    assert "Kratom with Pregnancy" in cards["pregnant"]
    assert "You are not alone" in cards["suicidal thoughts"]
    assert "Samaritans: call 116 123" in cards["suicidal thoughts"]


def test_a_bad_condition_name_is_shown_next_to_the_field(client: Client) -> None:
    response = client.submit("/safety/conditions", {"condition": "!!!"})
    assert response.status_code == 422
    assert texts(response.text, r'id="condition-error"[^>]*>(.*?)</p>')
    assert 'value="!!!"' in response.text


def test_location_shows_the_legal_status_with_sources_and_age(client: Client) -> None:
    page = client.submit("/safety/location", {"location": "us-tx"}).text
    assert "Location set to US-TX." in page
    assert "Texas" in page and "United States (federal)" in page
    assert "As of 2025-01-01, checked 2026-12-02, low confidence." in page
    assert "Older than 12 months: this may be out of date." in page
    assert "Sources (4)" in page and "Texas Senate Research Center" in page
    # Texas has an age limit; without a birth year the check says it cannot tell.
    assert "Texas has an age limit of 18" in finding_titles(page)


def legal_cards(html: str) -> dict[str, str]:
    """Each legal card's heading and its text."""
    listing = html.split('id="legal-status"', 1)[1].split("Laws change often", 1)[0]
    cards = listing.split('<li class="card legal">')[1:]
    return {texts(card, r"<h4>(.*?)</h4>")[0]: card for card in cards}


def test_local_laws_apply_only_in_the_profiles_locality(client: Client) -> None:
    client.submit("/safety/location", {"location": "US-CA"})
    cards = legal_cards(client.get("/safety").text)
    assert list(cards)[-2:] == ["San Diego, California", "Oceanside, California"]
    assert "Applies only in San Diego" in cards["San Diego, California"]
    assert 'href="/settings#locality"' in cards["San Diego, California"]
    assert "Applies only" not in cards["California"]

    client.patch("/api/v1/profile", json={"locality": "san diego"})
    cards = legal_cards(client.get("/safety").text)
    assert "Applies only" not in cards["San Diego, California"]
    assert (
        "Applies only in Oceanside; your locality is san diego"
        in cards["Oceanside, California"]
    )


def test_a_pending_ban_and_the_check_date_are_shown(client: Client) -> None:
    client.submit("/safety/location", {"location": "US-OH"})
    ohio = legal_cards(client.get("/safety").text)["Ohio"]
    assert "The law here is changing; it may become: banned." in ohio
    assert "checked 2026-12-02" in ohio
    learn = client.get("/learn/law").text
    assert "checked 2026-12-02" in learn and "it may become: banned" in learn


def test_a_malformed_location_is_refused_next_to_the_field(client: Client) -> None:
    response = client.submit("/safety/location", {"location": "Texas"})
    assert response.status_code == 422
    assert (
        "is not an ISO 3166 code"
        in texts(response.text, r'id="location-error"[^>]*>(.*?)</p>')[0]
    )
    assert 'value="Texas"' in response.text
    assert client.get("/api/v1/safety").json()["findings"][0]["rule"] == (
        "law:location-not-set"
    )


def test_a_place_without_data_says_so(client: Client) -> None:
    page = client.submit("/safety/location", {"location": "ZZ"}).text
    assert "No legal information for ZZ in our data." in page
    assert "Location cleared." in client.submit("/safety/location", {}).text


# -- the dose check -----------------------------------------------------------------


def test_the_dose_check_shows_findings_and_records_nothing(client: Client) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    response = client.get("/safety", params={"amount": "9 g"})
    assert response.status_code == 200
    result = texts(response.text, r'<div id="check-result">(.*?)</div>\s*</section>')[0]
    assert "For 9 g at Sun 15:00" in result
    assert "At least one finding is at avoid level." in result
    assert "Kratom + other opioids (your medication oxycodone)" in result
    assert 'value="9 g"' in response.text
    assert client.get("/api/v1/today").json()["doses"] == []


def test_the_dose_check_names_a_bad_amount(client: Client) -> None:
    response = client.get("/safety", params={"amount": "lots"})
    assert response.status_code == 422
    assert texts(response.text, r'id="amount-error"[^>]*>(.*?)</p>')
    assert 'value="lots"' in response.text


# -- API ----------------------------------------------------------------------------


def test_api_adds_lists_and_stops_medications(client: Client) -> None:
    response = client.post(
        "/api/v1/medications", json={"name": "Ultram", "dose_text": "50 mg"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["matched"] == {"id": "tramadol", "name": "tramadol", "by": "brand"}
    assert body["findings"][0]["severity"] == "avoid"
    assert body["findings"][0]["sources"]
    listed = client.get("/api/v1/medications").json()["medications"]
    assert [(m["name"], m["dose_text"]) for m in listed] == [("Ultram", "50 mg")]
    stopped = client.post("/api/v1/medications/ultram/stop", json={})
    assert stopped.status_code == 200
    assert stopped.json()["medication"]["stopped"] == "2026-11-22"
    assert client.get("/api/v1/medications").json()["medications"] == []
    everything = client.get("/api/v1/medications", params={"include_stopped": True})
    assert len(everything.json()["medications"]) == 1


def test_api_stop_of_an_unknown_medication_is_404(client: Client) -> None:
    response = client.post("/api/v1/medications/nothing/stop")
    assert response.status_code == 404
    assert "no current medication" in response.json()["detail"]


def test_api_bad_medication_input_is_422(client: Client) -> None:
    response = client.post("/api/v1/medications", json={"name": "x", "started": "soon"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "started"
    assert client.post("/api/v1/medications", json={"name": "  "}).status_code == 422
    assert client.get("/api/v1/medications").json()["medications"] == []


def test_api_safety_and_dose_check(client: Client) -> None:
    client.post("/api/v1/medications", json={"name": "oxycodone"})
    standing = client.get("/api/v1/safety").json()
    assert standing["blocked"] is True
    check = client.post("/api/v1/safety/check", json={"amount": "2 g"})
    assert check.status_code == 200
    body = check.json()
    assert (body["grams"], body["blocked"]) == ("2.000", True)
    assert client.get("/api/v1/today").json()["doses"] == []
    bad = client.post("/api/v1/safety/check", json={"amount": "2 g", "at": "later"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "at"


def test_api_law(client: Client) -> None:
    body = client.get("/api/v1/law/us-tx").json()
    assert body["location"] == "US-TX"
    assert [e["code"] for e in body["entries"]] == ["US-TX", "US"]
    texas = body["entries"][0]
    assert (texas["status"], texas["stale"], texas["confidence"]) == (
        "regulated",
        True,
        "low",
    )
    assert texas["verified"] == "2026-12-02" and texas["applies"] is True
    assert "Texas Senate Research Center" in [s["publisher"] for s in texas["sources"]]
    assert client.get("/api/v1/law/ZZ").status_code == 404
    local = client.get("/api/v1/law/us-ca", params={"locality": "San Diego"}).json()
    applies = {(e["name"], e["applies"]) for e in local["entries"]}
    assert {("San Diego, California", True), ("Oceanside, California", False)} <= (
        applies
    )
    nowhere = client.get("/api/v1/law/us-ca").json()
    assert [e["applies"] for e in nowhere["entries"] if e["locality"]] == [False] * 2
    ohio = client.get("/api/v1/law/US-OH").json()["entries"][0]
    assert (ohio["may_become"], ohio["verified"]) == ("banned", "2026-12-02")
    malformed = client.get("/api/v1/law/Texas")
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["field"] == "location"


# -- browser ------------------------------------------------------------------------


def test_browser_adds_a_medicine_and_sets_a_location(page: Any, live: Live) -> None:
    page.goto("/safety")
    page.get_by_label("Medication name").fill("tramadol")
    page.get_by_role("button", name="Add medication").click()
    page.wait_for_url(live.url + "/safety")
    assert "Added tramadol" in page.get_by_role("status").inner_text()
    card = page.locator("li[data-medication=tramadol]")
    warning = card.locator("li.finding.sev-avoid")
    assert warning.locator(".badge").inner_text().lower() == "avoid"
    assert warning.get_by_role(
        "heading",
        name='Kratom + tramadol or tapentadol (incl. "krypton") (your medication tramadol)',
    ).is_visible()

    page.get_by_label("Location (ISO 3166 code)").fill("US-TX")
    page.get_by_role("button", name="Save location").click()
    page.wait_for_url(live.url + "/safety")
    texas = page.locator("#legal-status li.legal").first
    assert texas.get_by_role("heading", name="Texas").is_visible()
    assert texas.locator(".status").inner_text().lower() == "regulated"
    texas.get_by_text("Sources (4)").click()
    assert texas.get_by_text("Texas Senate Research Center").is_visible()

    page.get_by_label("Amount").fill("2 g")
    page.get_by_role("button", name="Check this dose").click()
    assert page.locator("#check-result").get_by_text("For 2 g at").is_visible()
    inspect_page(page, "safety")
