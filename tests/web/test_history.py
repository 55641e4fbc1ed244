"""History: entries by local day with totals; edit, delete and undo (page, API,
browser)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Client, Clock, Live, inspect_page, texts

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def dose(client: Client, amount: str = "2 g", **extra: Any) -> str:
    response = client.post("/api/v1/doses", json={"amount": amount, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["dose"]["id"])


def checkin(client: Client, **body: Any) -> str:
    response = client.post("/api/v1/checkins", json={"pain": 5, **body})
    assert response.status_code == 201, response.text
    return str(response.json()["checkin"]["id"])


def doses(client: Client) -> list[str]:
    return [d["quantity"] for d in client.get("/api/v1/history").json()["doses"]]


def flash(html: str) -> str:
    return texts(html, r'class="flash"[^>]*>\s*<p>(.*?)</p>')[0]


def test_days_newest_first_with_totals_and_a_kind_filter(
    client: Client, clock: Clock
) -> None:
    dose(client, "2 g", note="with tea")
    checkin(client, side_effects={"nausea": 1})
    client.post("/api/v1/intakes", json={"name": "coffee"})
    clock.advance(days=1)
    dose(client, "1.5 g")
    clock.advance(hours=2)
    dose(client, "1 g")
    page = client.get("/history").text
    assert texts(page, r'<h2 id="day-[^"]*">(.*?)</h2>') == [
        "Today, Mon 23 Nov",
        "Yesterday, Sun 22 Nov",
    ]
    assert texts(page, r'class="day-total">(.*?)</p>') == ["Total 2.5 g", "Total 2 g"]
    whats = texts(page, r'<p class="what">(.*?)</p>')
    assert [" ".join(w.split()) for w in whats] == [
        "17:00 Dose 1 g",
        "15:00 Dose 1.5 g",
        "15:00 Dose 2 g “with tea”",
        "15:00 Check-in pain 5/10, nausea mild",
        "15:00 coffee (caffeine)",
    ]
    only = client.get("/history?kind=checkins").text
    assert texts(only, r"<strong>(Check-in|Dose[^<]*)</strong>") == ["Check-in"]
    today = client.get("/history?days=1").text
    assert len(texts(today, r'<p class="what">(.*?)</p>')) == 2
    assert client.get("/history?kind=everything").status_code == 422


def test_an_empty_history_says_so(client: Client) -> None:
    page = client.get("/history?days=30").text
    assert "Nothing recorded in the last 30 days." in page


def test_editing_a_dose_saves_only_what_changed(client: Client) -> None:
    entry = dose(client, "2 g", note="with tea")
    form = client.get(f"/history/{entry}/edit?next=/history%3Fdays%3D30").text
    assert 'value="2g"' in form or 'value="2 g"' in form
    assert 'name="next" value="/history?days=30"' in form
    response = client.submit(
        f"/history/{entry}/edit",
        {
            "amount": "3 g",
            "at": "2026-11-22 15:00",
            "note": "with tea",
            "next": "/history?days=30",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/history?days=30"
    page = client.get("/history?days=30").text
    assert flash(page) == "Saved the dose of Sun 22 Nov 15:00: 3 g."
    assert texts(page, r'class="day-total">(.*?)</p>') == ["Total 3 g"]
    saved = client.get("/api/v1/history").json()["doses"][0]
    # The time was shown to the minute and left alone: it is unchanged.
    assert (saved["taken_at"], saved["note"]) == ("2026-11-22T14:00:00Z", "with tea")


def test_a_bad_edit_is_shown_next_to_the_field_and_changes_nothing(
    client: Client,
) -> None:
    entry = dose(client, "2 g")
    response = client.submit(
        f"/history/{entry}/edit", {"amount": "two spoons", "at": "2026-11-22 15:00"}
    )
    assert response.status_code == 422
    assert (
        "is not an amount"
        in texts(response.text, r'id="amount-error"[^>]*>(.*?)</p>')[0]
    )
    assert 'value="two spoons"' in response.text
    assert doses(client) == ["2 g"]


def test_a_very_large_amount_needs_the_confirm_box(client: Client) -> None:
    entry = dose(client, "2 g")
    fields = {"amount": "20 g", "at": "2026-11-22 15:00"}
    asked = client.submit(f"/history/{entry}/edit", fields)
    assert asked.status_code == 409
    assert "tick the box below" in asked.text
    assert doses(client) == ["2 g"]
    confirmed = client.submit(
        f"/history/{entry}/edit", {**fields, "confirm": "1"}, follow_redirects=False
    )
    assert confirmed.status_code == 303
    assert doses(client) == ["20 g"]


def test_editing_a_check_in_replaces_effects_and_clears_a_score(
    client: Client,
) -> None:
    entry = checkin(client, side_effects={"nausea": 2}, mood=6)
    form = client.get(f"/history/{entry}/edit").text
    assert 'name="pain" value="5" checked' in form
    assert '<option value="nausea=2" selected>moderate</option>' in form
    response = client.submit(
        f"/history/{entry}/edit",
        {
            "pain": "3",
            "side_effects": ["", "headache=1"],
            "mood": "",
            "at": "2026-11-22 15:00",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    [saved] = client.get("/api/v1/history").json()["checkins"]
    assert (saved["pain"], saved["side_effects"], saved["mood"]) == (
        3,
        {"headache": 1},
        None,
    )
    unchanged = client.submit(
        f"/history/{entry}/edit",
        {"pain": "3", "side_effects": ["headache=1"], "at": "2026-11-22 15:00"},
    )
    assert "Nothing changed." in unchanged.text
    assert 'action="/undo"' not in unchanged.text  # nothing of this to undo


def test_editing_other_intake(client: Client) -> None:
    intake = client.post("/api/v1/intakes", json={"name": "beer"}).json()["id"]
    response = client.submit(
        f"/history/{intake}/edit",
        {
            "name": "wine",
            "intake_kind": "alcohol",
            "amount": "1 glass",
            "at": "2026-11-22 15:00",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    [saved] = client.get("/api/v1/history").json()["intakes"]
    assert (saved["name"], saved["amount_text"]) == ("wine", "1 glass")


def test_delete_then_undo_brings_the_entry_back(client: Client) -> None:
    entry = dose(client, "2 g")
    response = client.submit(
        f"/history/{entry}/delete", {"next": "/history?days=30"}, follow_redirects=False
    )
    assert response.headers["location"] == "/history?days=30"
    page = client.get("/history?days=30").text
    assert flash(page) == "Deleted the dose of Sun 22 Nov 15:00. Undo brings it back."
    assert 'name="next" value="/history?days=30"' in page
    assert doses(client) == []
    undone = client.submit(
        "/undo", {"next": "/history?days=30"}, follow_redirects=False
    )
    assert undone.headers["location"] == "/history?days=30"
    assert flash(client.get("/history").text) == "Undone: the deleted dose is back."
    assert doses(client) == ["2 g"]


def test_undo_goes_back_only_to_this_app_and_says_when_there_is_nothing(
    client: Client,
) -> None:
    dose(client, "2 g")
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        client.post("/api/v1/doses", json={"amount": "1 g"})
        response = client.submit("/undo", {"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/", target
    # The dose logged on Today is undone; Today is where that happened.
    assert flash(client.get("/").text) == "Undone: the new dose was removed."
    client.submit("/undo")
    response = client.submit("/undo", follow_redirects=False)
    assert flash(client.get("/history").text) == "Nothing to undo."
    assert response.headers["location"] == "/"


def test_unknown_and_malformed_ids(client: Client) -> None:
    assert client.get(f"/history/{UNKNOWN}/edit").status_code == 404
    assert client.submit(f"/history/{UNKNOWN}/delete").status_code == 404
    assert client.get("/history/12ab/edit").status_code == 422


def test_delete_and_undo_forms_without_their_csrf_token_are_refused(
    client: Client,
) -> None:
    entry = dose(client, "2 g")
    client.token()
    assert (
        client.post(f"/history/{entry}/delete", data={"csrf_token": "x"}).status_code
        == 403
    )
    assert client.post("/undo", data={}).status_code == 403
    assert doses(client) == ["2 g"]


# -- the API ---------------------------------------------------------------------------


def test_api_history_lists_the_last_days(client: Client, clock: Clock) -> None:
    dose(client, "2 g")
    checkin(client)
    clock.advance(days=3)
    dose(client, "1 g")
    body = client.get("/api/v1/history?days=2").json()
    assert [d["quantity"] for d in body["doses"]] == ["1 g"]
    assert body["checkins"] == []
    assert len(client.get("/api/v1/history?days=7").json()["doses"]) == 2
    assert client.get("/api/v1/history?days=0").status_code == 422


def test_api_edits_an_entry(client: Client) -> None:
    entry = checkin(client, mood=4, note="x")
    response = client.patch(
        f"/api/v1/entries/{entry}",
        json={"pain": 2, "mood": None, "side_effects": {"itching": 1}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "checkin"
    edited = body["checkin"]
    assert (edited["pain"], edited["mood"], edited["side_effects"]) == (
        2,
        None,
        {"itching": 1},
    )
    assert edited["note"] == "x"


def test_api_edit_errors(client: Client) -> None:
    entry = dose(client, "2 g")
    wrong_kind = client.patch(f"/api/v1/entries/{entry}", json={"pain": 3})
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["detail"][0]["field"] == "pain"
    unknown_field = client.patch(f"/api/v1/entries/{entry}", json={"grams": 3})
    assert unknown_field.status_code == 422
    no_product = client.patch(f"/api/v1/entries/{entry}", json={"product": "Red Bali"})
    assert no_product.status_code == 422
    assert no_product.json()["detail"][0]["field"] == "product"
    assert client.patch(f"/api/v1/entries/{entry}", json={}).status_code == 422
    assert (
        client.patch(f"/api/v1/entries/{entry}", json={"at": None}).status_code == 422
    )
    big = client.patch(f"/api/v1/entries/{entry}", json={"amount": "20 g"})
    assert big.status_code == 409
    assert "confirm: true" in big.json()["detail"]
    assert (
        client.patch(f"/api/v1/entries/{UNKNOWN}", json={"note": "x"}).status_code
        == 404
    )
    assert client.patch("/api/v1/entries/12ab", json={"note": "x"}).status_code == 422
    assert doses(client) == ["2 g"]


def test_api_delete_and_undo(client: Client) -> None:
    entry = dose(client, "2 g")
    deleted = client.delete(f"/api/v1/entries/{entry}")
    assert deleted.status_code == 200
    assert deleted.json()["kind"] == "dose"
    assert doses(client) == []
    assert client.delete(f"/api/v1/entries/{entry}").status_code == 404
    assert client.delete("/api/v1/entries/not-an-id").status_code == 422
    undone = client.post("/api/v1/undo").json()
    assert undone["message"] == "Undone: the deleted dose is back."
    assert undone["undone"] == [
        {
            "action": "delete",
            "kind": "dose",
            "id": entry,
            "description": "the deleted dose is back",
        }
    ]
    assert doses(client) == ["2 g"]
    client.post("/api/v1/undo")  # the dose itself
    nothing = client.post("/api/v1/undo")
    assert nothing.status_code == 200
    assert nothing.json() == {
        "change": None,
        "undone": [],
        "message": "Nothing to undo.",
    }


# -- in a browser ----------------------------------------------------------------------


def test_browser_edits_a_dose_deletes_it_and_undoes_the_delete(
    page: Any, live: Live
) -> None:
    from kratom_journal.services.entries import (
        CheckInInput,
        DoseInput,
        log_dose,
        record_checkin,
    )

    log_dose(live.journal, DoseInput("2 g", note="with tea"), now=live.clock.now)
    record_checkin(
        live.journal, CheckInInput(4, ["nausea=1"], mood=6), now=live.clock.now
    )
    live.clock.advance(minutes=90)
    page.clock.set_fixed_time(live.clock.now)
    log_dose(live.journal, DoseInput("1.5 g"), now=live.clock.now)

    page.goto("/history")
    assert page.locator(".day-total").inner_text() == "Total 3.5 g"
    inspect_page(page, "history")
    page.get_by_role("link", name="Edit dose 2 g at 15:00").click()
    page.get_by_label("Amount", exact=True).fill("2.5 g")
    inspect_page(page, "history-edit")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(live.url + "/history")
    assert (
        "Saved the dose of Sun 22 Nov 15:00: 2.5 g."
        in page.get_by_role("status").inner_text()
    )
    assert page.locator(".day-total").inner_text() == "Total 4 g"

    page.get_by_role("button", name="Delete dose 2.5 g at 15:00").click()
    assert "Deleted the dose" in page.get_by_role("status").inner_text()
    assert page.locator(".day-total").inner_text() == "Total 1.5 g"
    assert page.get_by_text("with tea").count() == 0
    page.get_by_role("status").get_by_role("button", name="Undo").click()
    assert "the deleted dose is back" in page.get_by_role("status").inner_text()
    assert page.locator(".day-total").inner_text() == "Total 4 g"
    assert page.get_by_text("“with tea”").is_visible()
