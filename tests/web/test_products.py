"""Products: calibration and lab certificates, each value beside its limit with the
source; pages (add, edit, 422 re-render, CSRF), the API, and a browser."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Client, Live, inspect_page, texts

UTAH = "Utah Admin. Code R70-580-5"


def add(client: Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/products", json={"name": "Red Bali", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def check(view: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [c for c in view["checks"] if c["name"] == name]
    return found


# -- pages -----------------------------------------------------------------------------


def test_adding_a_product_with_lead_over_the_limit_shows_the_limit_and_its_source(
    client: Client,
) -> None:
    response = client.submit(
        "/products",
        {"name": "Red Bali", "vendor": "Leafy", "batch": "RB-7", "lead_ppm": "1.5"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Added Red Bali." in page
    lead = texts(page, r'data-check="lead-ppm">(.*?)</li>')[0]
    assert "Over the limit: 1.5 ppm; the limit is below 1.2 ppm." in lead
    assert UTAH in lead
    assert "as of 2024-12-01, high confidence" in lead
    assert "Lead 1.5 ppm is over the 1.2 ppm limit" in page
    listing = client.get("/products").text
    assert "Leafy" in listing
    assert "RB-7" in listing
    assert "high caution" in texts(listing, r'<ul class="flags"(.*?)</ul>')[0]


def test_a_product_without_a_certificate_says_so_in_the_list(client: Client) -> None:
    client.submit("/products", {"name": "Green Maeng Da", "tsp_grams": "2.5"})
    listing = client.get("/products").text
    assert "none recorded" in listing
    assert "1 tsp = 2.5 g" in listing
    assert "No lab certificate recorded for Green Maeng Da" in listing


def test_bad_number_re_renders_with_the_field_named_and_saves_nothing(
    client: Client,
) -> None:
    response = client.submit("/products", {"name": "Red Bali", "lead_ppm": "lots"})
    assert response.status_code == 422
    assert texts(response.text, r'id="lead-ppm-error"[^>]*>(.*?)</p>') == [
        "&#39;lots&#39; is not a number"
    ]
    assert "lead-ppm:" in response.text
    assert 'value="lots"' in response.text
    assert 'value="Red Bali"' in response.text
    assert 'aria-invalid="true" aria-describedby="lead-ppm-error"' in response.text
    assert client.get("/api/v1/products").json()["products"] == []


def test_editing_the_calibration_and_certificate_from_the_product_page(
    client: Client,
) -> None:
    product = add(client, tsp_grams="2.3", lead_ppm="0.4")["product"]
    page = client.get(f"/products/{product['id']}").text
    assert 'value="2.3"' in page
    assert 'value="0.4"' in page
    form = {
        "name": "Red Bali",
        "form": "capsules",
        "capsule_grams": "0.5",
        "tsp_grams": "",  # cleared
        "lead_ppm": "0.4",
        "microbial": "fail",
        "lab_name": "Acme Labs",
        "test_date": "2026-10-01",
    }
    response = client.submit(
        f"/products/{product['id']}/edit", form, follow_redirects=False
    )
    assert response.status_code == 303
    view = client.get("/api/v1/products/red bali").json()
    saved = view["product"]
    assert (saved["form"], saved["tsp_grams"], saved["capsule_grams"]) == (
        "capsules",
        None,
        "0.500",
    )
    assert saved["certificate"]["lab_name"] == "Acme Labs"
    assert check(view, "microbial")["status"] == "fail"
    assert view["findings"][0]["rule"] == "product:microbial-fail"
    page = client.get(f"/products/{product['id']}").text
    assert "Saved Red Bali." in page
    assert texts(page, r'data-check="microbial">.*?"verdict">(.*?)</p>') == [
        "Failed the lab's microbial test."
    ]


def test_a_bad_edit_is_422_next_to_the_field_and_changes_nothing(
    client: Client,
) -> None:
    product = add(client, tsp_grams="2.3")["product"]
    response = client.submit(
        f"/products/{product['id']}/edit",
        {"name": "Red Bali", "tsp_grams": "3", "test_date": "2027-01-01"},
    )
    assert response.status_code == 422
    assert (
        "is in the future"
        in texts(response.text, r'id="test-date-error"[^>]*>(.*?)</p>')[0]
    )
    assert 'value="3"' in response.text  # the typed value is kept
    assert client.get("/api/v1/products/red bali").json()["product"]["tsp_grams"] == (
        "2.300"
    )


def test_edit_form_without_its_csrf_token_is_refused(client: Client) -> None:
    product = add(client)["product"]
    client.token()
    response = client.post(
        f"/products/{product['id']}/edit",
        data={"name": "Renamed", "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/products/{product['id']}").status_code == 200


def test_an_unknown_product_page_is_404(client: Client) -> None:
    assert client.get("/products/nothing-like-it").status_code == 404


def test_a_seven_oh_concentrate_is_marked_avoid_on_its_page(client: Client) -> None:
    product = add(client, name="Pseudo tabs", form="7oh-concentrate")["product"]
    page = client.get(f"/products/{product['id']}").text
    assert "finding sev-avoid" in page
    assert "looks like a concentrated 7-OH" in page


# -- API -------------------------------------------------------------------------------


def test_api_product_carries_limit_checks_with_sources(client: Client) -> None:
    view = add(
        client,
        lead_ppm="1.5",
        cadmium_ppm="0.1",
        mitragynine_pct="1.2",
        seven_oh_pct="0.5",
        microbial="pass",
    )
    lead = check(view, "lead-ppm")
    assert (lead["measured"], lead["limit"], lead["unit"], lead["status"]) == (
        "1.5",
        "1.2",
        "ppm",
        "over",
    )
    assert lead["sources"][0]["title"].startswith(UTAH)
    assert lead["sources"][0]["as_of"] == "2024-12-01"
    # At the default daily cap of 10 g: 1.5 ppm x 10 g = 15 ug, over USP's 5 ug/day.
    per_day = check(view, "lead-per-day")
    assert (per_day["measured"], per_day["limit"], per_day["status"]) == (
        "15",
        "5",
        "over",
    )
    assert check(view, "cadmium-ppm")["status"] == "within"
    assert check(view, "arsenic-ppm")["status"] == "not measured"
    assert check(view, "microbial")["status"] == "pass"
    share = check(view, "seven-oh-share")
    assert (share["measured"], share["status"]) == ("29.41", "over")
    # 0.5% 7-OH in leaf is also above the DEA's proposed 0.050% botanical threshold.
    dea = check(view, "seven-oh-botanical-pct")
    assert (dea["measured"], dea["limit"], dea["status"]) == ("0.5", "0.05", "over")
    # Every limit the certificate is over is a finding too (one verdict everywhere).
    assert [f["rule"] for f in view["findings"]] == [
        "product:seven-oh-share",
        "product:seven-oh-botanical-pct",
        "product:lead-ppm",
        "product:lead-at-daily-cap",
    ]
    listed = client.get("/api/v1/products").json()["products"]
    assert [p["product"]["name"] for p in listed] == ["Red Bali"]


def test_api_patch_changes_only_the_given_fields(client: Client) -> None:
    product = add(client, vendor="Leafy", lead_ppm="1.5")["product"]
    response = client.patch(
        f"/api/v1/products/{product['id'][:8]}", json={"lead_ppm": "0.3"}
    )
    assert response.status_code == 200
    view = response.json()
    assert view["product"]["vendor"] == "Leafy"
    assert check(view, "lead-ppm")["status"] == "within"
    assert view["findings"] == []


def test_api_errors_name_the_field(client: Client) -> None:
    add(client)
    bad = client.patch("/api/v1/products/red bali", json={"mercury_ppm": "-1"})
    assert bad.status_code == 422
    assert [(p["field"], p["problem"]) for p in bad.json()["detail"]] == [
        ("mercury-ppm", "'-1' is outside 0-100000")
    ]
    duplicate = client.post("/api/v1/products", json={"name": "red bali"})
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"][0]["field"] == "name"
    assert client.patch("/api/v1/products/nothing", json={}).status_code == 404
    assert client.get("/api/v1/products/nothing").status_code == 404
    form = client.post("/api/v1/products", json={"name": "X", "form": "pill"})
    assert form.status_code == 422
    assert form.json()["detail"][0]["field"] == "form"


def test_api_total_alkaloids_decide_the_seven_oh_share(client: Client) -> None:
    view = add(
        client, mitragynine_pct="1", seven_oh_pct="0.03", total_alkaloids_pct="3"
    )
    assert view["product"]["certificate"]["total_alkaloids_pct"] == "3"
    share = check(view, "seven-oh-share")
    assert (share["measured"], share["status"]) == ("1", "within")
    patched = client.patch(
        "/api/v1/products/red bali", json={"total_alkaloids_pct": ""}
    ).json()
    share = check(patched, "seven-oh-share")
    assert (share["measured"], share["status"]) == ("2.91", "over")
    assert "upper estimate" in share["label"]
    bad = client.patch("/api/v1/products/red bali", json={"total_alkaloids_pct": "0.5"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "total-alkaloids-pct"


def test_api_only_seven_oh_listed_cannot_judge_the_share(client: Client) -> None:
    view = add(client, seven_oh_pct="0.01")
    assert check(view, "seven-oh-share")["status"] == "not measured"
    assert [(f["rule"], f["severity"]) for f in view["findings"]] == [
        ("product:seven-oh-share-unknown", "info")
    ]


def test_api_lead_exactly_at_the_less_than_limit_is_over(client: Client) -> None:
    view = add(client, lead_ppm="1.2")
    lead = check(view, "lead-ppm")
    assert (lead["status"], lead["strict"]) == ("over", True)
    assert view["findings"][0]["title"] == (
        "Lead 1.2 ppm is at the limit, which requires less than 1.2 ppm"
    )


def test_an_extract_page_shows_its_leaf_equivalent(client: Client) -> None:
    product = add(client, name="Gold extract", form="extract", mitragynine_pct="45")[
        "product"
    ]
    page = client.get(f"/products/{product['id']}").text
    assert "1 g of Gold extract is roughly 22-45 g of leaf" in page
    unknown = add(client, name="Mystery extract", form="extract")["product"]
    page = client.get(f"/products/{unknown['id']}").text
    assert "Mystery extract is an extract of unknown strength" in page


def test_api_seven_oh_mg_per_unit_is_checked_against_the_dea_threshold(
    client: Client,
) -> None:
    view = add(client, name="Tabs", form="other", seven_oh_mg_per_unit="1.01")
    per_unit = check(view, "seven-oh-per-unit-mg")
    assert (per_unit["measured"], per_unit["limit"], per_unit["status"]) == (
        "1.01",
        "1",
        "over",
    )
    page = client.get(f"/products/{view['product']['id']}").text
    assert "<dt>7-OH per unit</dt><dd>1.01 mg</dd>" in page


def test_the_total_alkaloids_field_is_on_the_form_and_the_page(client: Client) -> None:
    assert 'name="total_alkaloids_pct"' in client.get("/products").text
    response = client.submit(
        "/products",
        {"name": "Red Bali", "seven_oh_pct": "0.02", "total_alkaloids_pct": "1.5"},
        follow_redirects=False,
    )
    page = client.get(response.headers["location"]).text
    assert "<dt>Total alkaloids</dt><dd>1.5 %</dd>" in page
    assert 'value="1.5"' in page


def test_logging_an_extract_answers_with_its_strength_and_leaf_total(
    client: Client,
) -> None:
    add(client, name="Gold", form="extract", mitragynine_pct="45", seven_oh_pct="0.9")
    logged = client.post(
        "/api/v1/doses", json={"amount": "3g", "product": "Gold", "confirm": True}
    )
    assert logged.status_code == 201, logged.text
    body = logged.json()
    assert body["strength"] == {
        "mitragynine_mg": "1350",
        "seven_oh_mg": "27",
        "leaf_equivalent_g": {"low": "67.5", "high": "135"},
        "strength_unknown": False,
    }
    assert (body["today_total_g"], body["today_leaf_equivalent_g"]) == (
        "3.000",
        "67.500",
    )
    today = client.get("/api/v1/today").json()
    assert (today["leaf_equivalent_g"], today["over_daily_cap"]) == ("67.500", True)
    page = client.get("/").text
    assert (
        "About 67.5 g leaf-equivalent"
        in texts(page, r'id="leaf-equivalent">(.*?)</p>')[0]
    )


def test_logging_plain_leaf_keeps_the_gram_total(client: Client) -> None:
    add(client, mitragynine_pct="1.5")
    body = client.post(
        "/api/v1/doses", json={"amount": "2g", "product": "Red Bali"}
    ).json()
    assert body["strength"]["mitragynine_mg"] == "30"
    assert body["strength"]["leaf_equivalent_g"] is None
    assert body["today_leaf_equivalent_g"] is None
    assert 'id="leaf-equivalent"' not in client.get("/").text


# -- in a browser ----------------------------------------------------------------------


def test_browser_adds_a_product_sees_lead_flagged_and_edits_the_calibration(
    page: Any, live: Live
) -> None:
    page.goto("/products")
    page.get_by_label("Name").fill("Red Bali")
    page.get_by_label("Vendor (optional)").fill("Leafy Co")
    page.get_by_label("Batch or lot number (optional)").fill("RB-2611")
    page.get_by_label("Grams per level teaspoon").fill("2.3")
    page.get_by_text("Lab certificate (COA)").click()
    page.get_by_label("Mitragynine %").fill("1.4")
    page.get_by_label("7-OH % (7-hydroxymitragynine)").fill("0.02")
    page.get_by_label("Total alkaloids % (optional)").fill("1.5")
    page.get_by_label("Lead, ppm").fill("1.5")
    page.get_by_label("Cadmium, ppm").fill("0.2")
    page.get_by_label("Microbial test").select_option("pass")
    page.get_by_label("Laboratory").fill("Acme Labs")
    page.get_by_label("Test date").fill("2026-10-01")
    page.get_by_role("button", name="Add product").click()

    page.get_by_role("heading", name="Red Bali", level=1).wait_for()
    assert "Total alkaloids 1.5 %" in " ".join(
        page.locator("#certificate").inner_text().split()
    )
    lead = page.locator('[data-check="lead-ppm"]')
    assert "Over the limit: 1.5 ppm; the limit is below 1.2 ppm." in lead.inner_text()
    assert "as of 2024-12-01, high confidence" in lead.inner_text()
    lead.get_by_text("Sources (1)").first.click()
    assert UTAH in lead.get_by_role("listitem").first.inner_text()
    assert (
        "Lead 1.5 ppm is over the 1.2 ppm limit"
        in page.locator(".findings").inner_text()
    )
    inspect_page(page, "product")

    page.get_by_label("Grams per level teaspoon").fill("2.6")
    page.get_by_label("Grams per capsule").fill("0.5")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").wait_for()
    assert "Saved Red Bali." in page.get_by_role("status").inner_text()
    assert page.locator("#tsp").inner_text() == "2.6 g (measured)"
    assert page.locator("#capsule").inner_text() == "0.5 g (measured)"

    page.get_by_role("link", name="All products").click()
    page.get_by_role("heading", name="Products", level=1).wait_for()
    item = page.locator("#products li.product").first
    assert "1 tsp = 2.6 g · 1 capsule = 0.5 g" in " ".join(item.inner_text().split())
    assert "Lead 1.5 ppm is over the 1.2 ppm limit" in item.inner_text()
    inspect_page(page, "products")


def test_without_its_knowledge_the_product_says_the_checks_could_not_run(
    client: Client, monkeypatch: Any
) -> None:
    from kratom_journal.domain.errors import SafetyCheckUnavailable
    from kratom_journal.services import product_checks

    def broken() -> None:
        raise SafetyCheckUnavailable("the knowledge did not load")

    add(client, lead_ppm="1.5")
    monkeypatch.setattr(product_checks, "knowledge", broken)
    view = client.get("/api/v1/products/red bali").json()
    assert (view["findings"], view["checks"]) == ([], [])
    assert view["check_unavailable"] == "the knowledge did not load"
    page = client.get("/products/red bali").text
    assert "The product checks could not run" in page
    assert "No flags" not in page
