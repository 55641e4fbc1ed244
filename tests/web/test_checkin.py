"""Check-in: taps for pain, side effects, mood, PEG (page, API, browser); urgent advice
for serious side effects; other intake through the API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Client, Live, inspect_page, texts


def checkins(client: Client) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/history").json()["checkins"])


def test_a_check_in_from_the_form_is_saved_and_said_on_today(client: Client) -> None:
    response = client.submit(
        "/checkin",
        {
            "pain": "4",
            "side_effects": ["", "nausea=2", "", "sedation=1"],
            "other_name": ["hiccups", ""],
            "other_level": ["1", "1"],
            "mood": "6",
            "energy": "",
            "peg_pain": "5",
            "peg_enjoyment": "4",
            "peg_activity": "3",
            "note": "after lunch",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    flash = texts(client.get("/").text, r'class="flash"[^>]*>\s*<p>(.*?)</p>')
    assert flash == [
        "Check-in saved: pain 4/10, PEG 5/4/3, nausea moderate, sedation mild, "
        "hiccups mild, mood 6/10 at 15:00."
    ]
    [saved] = checkins(client)
    assert saved["side_effects"] == {"nausea": 2, "sedation": 1}
    assert saved["other_effects"] == {"hiccups": 1}
    assert (saved["mood"], saved["energy"], saved["note"]) == (6, None, "after lunch")


def test_the_page_offers_eleven_pain_taps_and_every_known_side_effect(
    client: Client,
) -> None:
    from kratom_journal.domain.checkins import KNOWN_SIDE_EFFECTS

    page = client.get("/checkin").text
    pain = page.split("<legend>Pain now</legend>")[1].split("</fieldset>")[0]
    assert texts(pain, r"<span>(.*?)</span>") == [str(n) for n in range(11)]
    assert "0 none" in page and "10 worst" in page
    for name in KNOWN_SIDE_EFFECTS:
        assert f'id="se-{name}"' in page
    # Names are the knowledge base's plain words.
    assert 'for="se-sedation">Sedation or drowsiness</label>' in page


def test_without_pain_the_form_says_so_keeps_the_rest_and_saves_nothing(
    client: Client,
) -> None:
    response = client.submit(
        "/checkin", {"side_effects": ["nausea=3"], "note": "queasy", "mood": "2"}
    )
    assert response.status_code == 422
    assert texts(response.text, r'id="pain-error"[^>]*>(.*?)</p>') == [
        "choose how much pain you have now, 0 to 10"
    ]
    assert 'aria-invalid="true"' in response.text
    assert ">queasy</textarea>" in response.text
    assert '<option value="nausea=3" selected>severe</option>' in response.text
    assert 'name="mood" value="2" checked' in response.text
    assert checkins(client) == []


def test_half_a_peg_and_a_time_in_the_future_are_refused_next_to_the_field(
    client: Client,
) -> None:
    response = client.submit("/checkin", {"pain": "3", "peg_pain": "5"})
    assert response.status_code == 422
    assert texts(response.text, r'id="peg-error"[^>]*>(.*?)</p>') == [
        "give all three PEG scores (0-10), or none"
    ]
    assert 'name="pain" value="3" checked' in response.text
    later = client.submit("/checkin", {"pain": "3", "at": "tomorrow-ish"})
    assert later.status_code == 422
    assert "tomorrow-ish" in texts(later.text, r'id="at-error"[^>]*>(.*?)</p>')[0]
    assert 'value="tomorrow-ish"' in later.text
    assert checkins(client) == []


def test_a_serious_side_effect_shows_what_to_do_with_sources(client: Client) -> None:
    response = client.submit(
        "/checkin",
        {"pain": "2", "side_effects": ["breathing-difficulty=2"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/checkin?urgent=breathing-difficulty"
    page = client.get(response.headers["location"]).text
    assert "Check-in saved: pain 2/10, breathing difficulty moderate" in page
    [card] = texts(page, r'<section class="card urgent"(.*?)</section>')
    assert "Slow or difficult breathing" in card
    assert "call your local emergency number" in card
    assert "Sources (" in card
    # Only serious effects can be named in the link.
    assert "card urgent" not in client.get("/checkin?urgent=nausea,<b>").text


@pytest.mark.parametrize(
    ("effect", "location", "says"),
    [
        ("sedation=3", "/checkin?urgent=sedation", "hard to wake"),
        ("vomiting=3", "/checkin?urgent=vomiting", "cannot keep fluids down"),
        ("sedation=2", "/", ""),
        ("vomiting=2", "/", ""),
    ],
)
def test_severe_sedation_or_vomiting_shows_urgent_advice_moderate_does_not(
    client: Client, effect: str, location: str, says: str
) -> None:
    response = client.submit(
        "/checkin", {"pain": "2", "side_effects": [effect]}, follow_redirects=False
    )
    assert response.headers["location"] == location
    page = client.get(location).text
    cards = texts(page, r'<section class="card urgent"(.*?)</section>')
    if not says:
        assert cards == []
        return
    [card] = cards
    assert says in card
    assert "emergency number" in card
    assert "Sources (" in card


def test_a_form_without_its_csrf_token_is_refused(client: Client) -> None:
    client.token()
    response = client.post("/checkin", data={"pain": "3", "csrf_token": "forged"})
    assert response.status_code == 403
    assert checkins(client) == []


def test_api_records_a_check_in_and_names_urgent_effects(client: Client) -> None:
    response = client.post(
        "/api/v1/checkins",
        json={
            "pain": 3,
            "side_effects": {"nausea": 1, "seizure": 2},
            "peg": {"pain": 6, "enjoyment": 5, "activity": 4},
            "sleep": 7,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["checkin"]["pain"] == 3
    assert body["checkin"]["peg"] == {"pain": 6, "enjoyment": 5, "activity": 4}
    [urgent] = body["urgent"]
    assert urgent["effect"] == "seizure"
    assert "emergency number" in urgent["advice"]
    assert urgent["sources"]
    calm = client.post("/api/v1/checkins", json={"pain": 0}).json()
    assert calm["urgent"] == []
    assert len(checkins(client)) == 2


def test_api_names_severe_sedation_and_vomiting_as_urgent_not_moderate(
    client: Client,
) -> None:
    severe = client.post(
        "/api/v1/checkins",
        json={"pain": 3, "side_effects": {"sedation": 3, "vomiting": 3, "nausea": 3}},
    ).json()
    advice = {u["effect"]: u["advice"] for u in severe["urgent"]}
    assert set(advice) == {"sedation", "vomiting"}
    assert "naloxone" in advice["sedation"]
    assert "choking" in advice["vomiting"]
    assert all(u["sources"] for u in severe["urgent"])
    moderate = client.post(
        "/api/v1/checkins", json={"pain": 3, "side_effects": {"sedation": 2}}
    ).json()
    assert moderate["urgent"] == []


def test_api_bad_check_ins_are_422_with_the_field(client: Client) -> None:
    cases = [
        ({"pain": 11}, "pain"),
        ({"pain": 2, "side_effects": {"hiccup": 1}}, "side-effect"),
        ({"pain": 2, "side_effects": {"nausea": 4}}, "side_effects.nausea"),
        ({"pain": 2, "at": "in an hour"}, "at"),
        ({"side_effects": {}}, "pain"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/checkins", json=body)
        assert response.status_code == 422, body
        assert field in [p["field"] for p in response.json()["detail"]], body
    assert checkins(client) == []


def test_api_records_other_intake(client: Client) -> None:
    response = client.post(
        "/api/v1/intakes", json={"name": "coffee", "amount": "2 cups", "at": "-30m"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["amount_text"]) == ("caffeine", "2 cups")
    assert body["at"] == "2026-11-22T13:30:00Z"
    bad = client.post("/api/v1/intakes", json={"name": "tea", "kind": "herbal"})
    assert bad.status_code == 422
    assert [i["name"] for i in client.get("/api/v1/history").json()["intakes"]] == [
        "coffee"
    ]


def test_browser_checks_in_with_taps_and_sees_it_on_today_and_history(
    page: Any, live: Live
) -> None:
    page.goto("/checkin")
    page.get_by_role("radiogroup", name="Pain now").get_by_text("4", exact=True).click()
    page.get_by_text("Common side effects").click()
    page.get_by_label("Nausea").select_option(label="mild")
    page.get_by_text("Mood, energy, sleep").click()
    page.get_by_role("radiogroup", name="Mood").get_by_text("7", exact=True).click()
    page.get_by_text("Time and note").click()
    page.get_by_label("Note", exact=True).fill("stiff back")
    assert page.get_by_role("radio", name="4", exact=True).first.is_checked()
    inspect_page(page, "checkin")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(live.url + "/")
    assert (
        "Check-in saved: pain 4/10, nausea mild, mood 7/10 at 15:00."
        in page.get_by_role("status").inner_text()
    )
    page.get_by_role("link", name="History").first.click()
    entry = page.locator(".entry-checkin")
    assert "pain 4/10, nausea mild, mood 7/10" in entry.inner_text()
    assert "stiff back" in entry.inner_text()

    # Correct it from History: a bad time is shown next to the field, then fixed.
    page.get_by_role("link", name="Edit check-in at 15:00").click()
    assert page.get_by_role("radio", name="4", exact=True).first.is_checked()
    page.get_by_role("radiogroup", name="Pain now").get_by_text("3", exact=True).click()
    page.get_by_label("When").fill("soonish")
    page.get_by_role("button", name="Save changes").click()
    assert "is not a time" in page.locator("#at-error").inner_text()
    inspect_page(page, "history-edit-checkin")
    page.get_by_label("When").fill("15:00")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(live.url + "/history")
    assert "pain 3/10, nausea mild" in page.locator(".entry-checkin").inner_text()


def test_browser_severe_sedation_shows_what_to_do_first(page: Any, live: Live) -> None:
    page.goto("/checkin")
    page.get_by_role("radiogroup", name="Pain now").get_by_text("2", exact=True).click()
    page.get_by_text("Common side effects").click()
    page.get_by_label("Sedation or drowsiness").select_option(label="severe")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(live.url + "/checkin?urgent=sedation")
    alert = page.get_by_role("alert")
    assert "Sedation or drowsiness" in alert.inner_text()
    assert "call your local emergency number now" in alert.inner_text()
    assert "sedation severe" in page.get_by_role("status").inner_text()
    inspect_page(page, "checkin-urgent-sedation")
