"""Settings: time zone, day boundary, caps, presets and the unit defaults (page, API,
browser); presets become the first one-tap buttons on Today."""

from __future__ import annotations

from typing import Any

import pytest

from kratom_journal.services.journal import Journal
from kratom_journal.services.products import ProductInput, add_product
from tests.web.conftest import START, Client, Live, inspect_page, texts

FORM = {
    "timezone": "Europe/Berlin",
    "day_boundary": "04:00",
    "location": "",
    "locality": "",
    "birth_year": "",
    "conditions": "",
    "dose_cap": "5",
    "daily_cap": "10",
}


def save(client: Client, **changes: Any) -> Any:
    return client.submit("/settings", {**FORM, **changes}, follow_redirects=False)


def field_errors(html: str) -> dict[str, str]:
    return dict(
        zip(
            texts(html, r'<p class="error" id="([^"]+)-error"'),
            texts(html, r'<p class="error" id="[^"]+-error"[^>]*>(.*?)</p>'),
            strict=True,
        )
    )


def test_the_page_shows_the_stored_settings_and_the_unit_defaults(
    client: Client,
) -> None:
    page = client.get("/settings").text
    assert "<option selected>Europe/Berlin</option>" in page
    assert 'name="day_boundary" type="time" required value="04:00"' in page
    assert 'id="daily-cap" name="daily_cap"' in page and 'value="10"' in page
    assert texts(page, r'class="card unit">\s*<h3>(.*?)</h3>') == [
        "1 level teaspoon ≈ 2.2 g",
        "1 capsule (size 00) ≈ 0.5 g",
    ]
    assert "Sources (2)" in page and "medium confidence" in page
    assert "older than 12 months" in page  # the teaspoon entry is from 2020
    assert 'href="/products"' in page


def test_saving_the_form_changes_the_profile_and_today(client: Client) -> None:
    response = save(
        client,
        timezone="America/Chicago",
        day_boundary="05:30",
        location="us-tx",
        locality="  El   Paso ",
        birth_year="1970",
        conditions="Liver disease\n\nepilepsy\n",
        dose_cap="4",
        daily_cap="8",
        preset=["2 g", "", "1/2 tsp"],
    )
    assert response.status_code == 303 and response.headers["location"] == "/settings"
    assert "Settings saved." in client.get("/settings").text
    profile = client.get("/api/v1/profile").json()
    assert profile | {"owner_id": None} == {
        "owner_id": None,
        "timezone": "America/Chicago",
        "day_boundary": "05:30",
        "location": "US-TX",
        "birth_year": 1970,
        "conditions": ["liver disease", "epilepsy"],
        "dose_cap_g": "4.000",
        "daily_cap_g": "8.000",
        "presets": ["2 g", "1/2 tsp"],
        "locality": "El Paso",
    }
    assert 'name="locality"' in client.get("/settings").text
    today = client.get("/").text
    assert "of 8 g daily cap" in today and "Per-dose cap 4 g" in today

    # Emptied fields clear what they hold.
    save(client, timezone="America/Chicago", dose_cap="4", daily_cap="8")
    profile = client.get("/api/v1/profile").json()
    assert (profile["location"], profile["birth_year"]) == (None, None)
    assert profile["locality"] is None
    assert (profile["conditions"], profile["presets"]) == ([], [])


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"daily_cap": "16"}, "daily-cap", "at most 15 g"),
        ({"dose_cap": "9"}, "dose-cap", "at most 8 g"),
        ({"dose_cap": "6", "daily_cap": "5"}, "dose-cap", "above the daily cap"),
        ({"dose_cap": ""}, "dose-cap", "is required"),
        ({"timezone": "Mars/Olympus"}, "timezone", "is not an IANA time zone"),
        ({"timezone": "Europe"}, "timezone", "is not an IANA time zone"),
        ({"timezone": "x" * 300}, "timezone", "is not an IANA time zone"),
        ({"day_boundary": "25:00"}, "day-boundary", "is not a time of day"),
        ({"birth_year": "nineteen"}, "birth-year", "is not a year"),
        ({"birth_year": "2020"}, "birth-year", "this journal is for adults"),
        ({"location": "Texas"}, "location", "is not an ISO 3166 code"),
        ({"locality": "El Paso; <b>"}, "locality", "is not a place name"),
        ({"locality": "x" * 81}, "locality", "1-80 characters"),
        ({"conditions": "-back pain"}, "condition", "is not a condition name"),
        ({"preset": ["6 g"]}, "presets", "above the per-dose cap of 5 g"),
        ({"preset": ["two spoons"]}, "presets", "is not an amount"),
        ({"preset": [f"{n} caps" for n in range(1, 8)]}, "presets", "at most 6"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    client: Client, changes: dict[str, Any], field: str, problem: str
) -> None:
    before = client.get("/api/v1/profile").json()
    response = save(client, **{"daily_cap": "9", **changes})
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert list(errors) == [field]
    assert problem in errors[field]
    assert f'aria-describedby="{field}-error"' in response.text
    assert 'value="9"' in response.text or "daily_cap" in changes  # typed, kept
    assert client.get("/api/v1/profile").json() == before


def test_a_zone_not_in_the_list_stays_selected(client: Client) -> None:
    response = save(client, timezone="Mars/Olympus")
    assert response.status_code == 422
    assert "<option selected>Mars/Olympus</option>" in response.text
    assert response.text.count(" selected>") == 1


def test_a_form_without_its_csrf_token_is_refused(client: Client) -> None:
    client.token()
    response = client.post("/settings", data={**FORM, "daily_cap": "8"})
    assert response.status_code == 403
    assert client.get("/api/v1/profile").json()["daily_cap_g"] == "10.000"


def test_presets_come_first_on_today_then_recent_doses_once(client: Client) -> None:
    for amount, at in (("1.5 g", "-5h"), ("2g", "-4h"), ("1 g", "-3h")):
        client.post("/api/v1/doses", json={"amount": amount, "at": at})
    client.patch("/api/v1/profile", json={"presets": ["2 g", "3 caps"]})
    quick = client.get("/api/v1/today").json()["quick_doses"]
    # "2g" was taken and is a preset: it is offered once, as the preset.
    assert [q["amount"] for q in quick] == ["2 g", "3 caps", "1 g", "1.5 g"]
    assert texts(client.get("/").text, r'class="quick-dose">(.*?)</button>')[:2] == [
        "2 g",
        "3 caps",
    ]


def test_lowering_the_cap_below_a_preset_is_refused(client: Client) -> None:
    client.patch("/api/v1/profile", json={"presets": ["4 g"]})
    response = save(client, dose_cap="3", preset=["4 g"])
    assert response.status_code == 422
    assert (
        "4 g is above the per-dose cap of 3 g" in field_errors(response.text)["presets"]
    )


def test_calibrated_products_are_listed_with_the_defaults(
    client: Client, journal: Journal
) -> None:
    add_product(
        journal,
        ProductInput(name="Red Bali", tsp_grams="2.5"),
        now=START,
        today=START.date(),
    )
    page = client.get("/settings").text
    assert (
        "1 tsp = 2.5 g"
        in texts(page, r"<li><a href=\"/products/[^\"]+\">(.*?)</li>")[0]
    )


# -- the API ----------------------------------------------------------------------------


def test_api_profile_patch_changes_only_what_is_given(client: Client) -> None:
    profile = client.get("/api/v1/profile").json()
    assert (profile["daily_cap_g"], profile["presets"]) == ("10.000", [])
    response = client.patch(
        "/api/v1/profile",
        json={"daily_cap_g": "12", "presets": ["2 g"], "conditions": ["Arthritis"]},
    )
    assert response.status_code == 200
    assert response.json() == profile | {
        "daily_cap_g": "12.000",
        "presets": ["2 g"],
        "conditions": ["arthritis"],
    }
    cleared = client.patch(
        "/api/v1/profile", json={"conditions": [], "birth_year": None}
    ).json()
    assert (cleared["conditions"], cleared["presets"]) == ([], ["2 g"])
    placed = client.patch("/api/v1/profile", json={"locality": "San  Diego"}).json()
    assert placed == cleared | {"locality": "San Diego"}
    unplaced = client.patch("/api/v1/profile", json={"locality": None}).json()
    assert unplaced == cleared


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"daily_cap_g": "16"}, "daily_cap_g"),
        ({"dose_cap_g": "lots"}, "dose_cap_g"),
        ({"day_boundary": "25:00"}, "day_boundary"),
        ({"birth_year": 2020}, "birth_year"),
        ({"timezone": "Europe"}, "timezone"),
        ({"presets": ["9 g"]}, "presets"),
        ({"presets": ["1 g"] * 7}, "presets"),
        ({"conditions": ["-x"]}, "conditions"),
        ({"timezone": "x" * 65}, "timezone"),
        ({"locality": "San Diego!"}, "locality"),
        ({"locality": "x" * 121}, "locality"),
    ],
)
def test_api_profile_bad_values_are_422_per_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    before = client.get("/api/v1/profile").json()
    response = client.patch("/api/v1/profile", json=body)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["detail"]] == [field]
    assert client.get("/api/v1/profile").json() == before


# -- in the browser ---------------------------------------------------------------------


def test_settings_in_the_browser_change_today(page: Any, live: Live) -> None:
    add_product(
        live.journal,
        ProductInput(name="Red Bali", tsp_grams="2.4", capsule_grams="0.55"),
        now=START,
        today=START.date(),
    )
    page.goto("/settings")
    page.get_by_label("Daily cap (g)").fill("8")
    page.get_by_label("Preset 1").fill("1.5 g")
    page.get_by_label("Preset 2").fill("1/2 tsp")
    page.get_by_label("Location (ISO 3166 code)").fill("US-CA")
    page.get_by_label("City or county (optional)").fill("San Diego")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Settings saved.").wait_for()
    assert page.get_by_label("City or county (optional)").input_value() == "San Diego"
    inspect_page(page, "settings")

    page.get_by_role("link", name="Today").click()
    assert "of 8 g daily cap" in page.locator("#today-total").inner_text()
    page.get_by_role("button", name="1.5 g").click()
    page.get_by_text("Logged 1.5 g at 15:00. Today 1.5 g.").wait_for()


def test_the_default_caps_are_labelled_as_policy_not_a_health_limit(
    client: Client,
) -> None:
    page = " ".join(client.get("/settings").text.split())
    assert (
        "The defaults (5 g a dose, 10 g a day) are this app's starting policy, not a health limit"
        in page
    )
