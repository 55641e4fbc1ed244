"""Editing from a stale page: two tabs (or a phone and a laptop) open one entry's
edit form, one saves, then the other saves what it still shows. The second save
must not put back what the first changed: it is refused with the entry as it is now."""

from __future__ import annotations

import re

from tests.web.conftest import Client

SHOWN = {"amount": "2 g", "at": "2026-11-22 15:00", "note": "with tea"}


def version_in(page: str) -> str:
    found = re.search(r'name="version" value="([^"]*)"', page)
    return found.group(1) if found else ""


def stored(client: Client) -> tuple[str, str]:
    saved = client.get("/api/v1/history").json()["doses"][0]
    return saved["quantity"], saved["note"]


def test_a_save_from_a_stale_form_is_refused_with_the_entry_as_it_is_now(
    client: Client,
) -> None:
    response = client.post("/api/v1/doses", json={"amount": "2 g", "note": "with tea"})
    entry = response.json()["dose"]["id"]
    url = f"/history/{entry}/edit"
    laptop = version_in(client.get(url).text)
    phone = version_in(client.get(url).text)
    saved = client.submit(
        url, {**SHOWN, "amount": "3 g", "version": phone}, follow_redirects=False
    )
    assert saved.status_code == 303
    stale = client.submit(url, {**SHOWN, "note": "after lunch", "version": laptop})
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.text
    assert 'value="3 g"' in stale.text  # the form now shows the entry as it is
    assert stored(client) == ("3 g", "with tea")
    # Saving again from the page the refusal showed works, and keeps the 3 g.
    again = client.submit(
        url,
        {
            **SHOWN,
            "amount": "3 g",
            "note": "after lunch",
            "version": version_in(stale.text),
        },
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert stored(client) == ("3 g", "after lunch")


def test_a_form_without_a_version_saves_as_before(client: Client) -> None:
    """Forms rendered before this change carry no version: they still save."""
    response = client.post("/api/v1/doses", json={"amount": "2 g", "note": "with tea"})
    entry = response.json()["dose"]["id"]
    saved = client.submit(
        f"/history/{entry}/edit", {**SHOWN, "note": "later"}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert stored(client) == ("2 g", "later")


SETTINGS = {
    "timezone": "Europe/Berlin",
    "day_boundary": "04:00",
    "location": "",
    "locality": "",
    "birth_year": "",
    "conditions": "",
    "dose_cap": "5",
    "daily_cap": "10",
}


def test_settings_saved_from_a_stale_page_are_refused_with_the_settings_as_now(
    client: Client,
) -> None:
    laptop = version_in(client.get("/settings").text)
    phone = version_in(client.get("/settings").text)
    saved = client.submit(
        "/settings",
        {**SETTINGS, "daily_cap": "8", "version": phone},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    stale = client.submit(
        "/settings", {**SETTINGS, "birth_year": "1971", "version": laptop}
    )
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.text
    assert 'value="8"' in stale.text
    profile = client.get("/api/v1/profile").json()
    assert (profile["daily_cap_g"], profile["birth_year"]) == ("8.000", None)
    again = client.submit(
        "/settings",
        {
            **SETTINGS,
            "daily_cap": "8",
            "birth_year": "1971",
            "version": version_in(stale.text),
        },
        follow_redirects=False,
    )
    assert again.status_code == 303
    profile = client.get("/api/v1/profile").json()
    assert (profile["daily_cap_g"], profile["birth_year"]) == ("8.000", 1971)


def test_a_product_saved_from_a_stale_page_is_refused_with_the_product_as_now(
    client: Client,
) -> None:
    response = client.post("/api/v1/products", json={"name": "Red Bali"})
    product = response.json()["product"]["id"]
    page, url = f"/products/{product}", f"/products/{product}/edit"
    laptop = version_in(client.get(page).text)
    phone = version_in(client.get(page).text)
    shown = {"name": "Red Bali", "form": "leaf-powder"}
    saved = client.submit(
        url, {**shown, "vendor": "Leaf & Co", "version": phone}, follow_redirects=False
    )
    assert saved.status_code == 303
    stale = client.submit(url, {**shown, "batch": "RB-7", "version": laptop})
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.text
    assert 'value="Leaf &amp; Co"' in stale.text
    stored = client.get("/api/v1/products/red bali").json()["product"]
    assert (stored["vendor"], stored["batch"]) == ("Leaf & Co", None)
