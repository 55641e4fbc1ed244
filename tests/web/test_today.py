"""Today: log a dose (page, API, browser) and see the total; confirmations; bad input."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Client, Clock, Live, inspect_page, texts


def total(client: Client) -> str:
    return texts(client.get("/").text, r'id="today-total">(.*?)<span')[0]


def test_a_dose_logged_from_the_form_changes_the_total_and_offers_undo(
    client: Client,
) -> None:
    assert total(client) == "0 g"
    response = client.submit("/doses", {"amount": "2 g"}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get("/").text
    assert total(client) == "2 g"
    assert "Logged 2 g at 15:00. Today 2 g." in page
    assert 'action="/undo"' in page


def test_bad_amount_names_the_field_keeps_the_text_and_saves_nothing(
    client: Client,
) -> None:
    response = client.submit("/doses", {"amount": "two spoons"})
    assert response.status_code == 422
    assert (
        "is not an amount"
        in texts(response.text, r'id="amount-error"[^>]*>(.*?)</p>')[0]
    )
    assert 'value="two spoons"' in response.text
    assert client.get("/api/v1/today").json()["doses"] == []


def test_a_form_without_its_csrf_token_is_refused(client: Client) -> None:
    client.token()
    response = client.post("/doses", data={"amount": "2 g", "csrf_token": "forged"})
    assert response.status_code == 403
    assert "nothing was saved" in response.text
    assert client.get("/api/v1/today").json()["total_g"] == "0"


def test_one_tap_buttons_repeat_recent_doses_within_the_cap(client: Client) -> None:
    client.post("/api/v1/doses", json={"amount": "1.5 g"})
    client.post("/api/v1/doses", json={"amount": "6 g", "confirm": True})
    quick = client.get("/api/v1/today").json()["quick_doses"]
    assert quick == [{"amount": "1.5 g", "product": None}]
    assert "quick-dose" in client.get("/").text


def test_api_logs_a_dose_and_today_shows_it(client: Client) -> None:
    response = client.post("/api/v1/doses", json={"amount": "2 g", "note": "with tea"})
    assert response.status_code == 201
    body = response.json()
    assert body["dose"]["grams"] == "2.000"
    assert body["today_total_g"] == "2.000"
    today = client.get("/api/v1/today").json()
    assert [d["note"] for d in today["doses"]] == ["with tea"]
    assert today["minutes_since_last_dose"] == 0
    # when another dose would not stack is not a due item (no countdown to a dose)
    assert today["due"] == []


def test_api_bad_input_is_422_with_field_and_problem(client: Client) -> None:
    response = client.post(
        "/api/v1/doses", json={"amount": "2 g", "at": "yesterday-ish"}
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "at"
    missing = client.post("/api/v1/doses", json={"note": "x"}).json()["detail"]
    assert [(p["field"], p["problem"]) for p in missing] == [
        ("amount", "Field required")
    ]
    assert client.get("/api/v1/today").json()["doses"] == []


def _avoid_setup(client: Client) -> None:
    # An opioid taken with kratom is an avoid-level interaction in the knowledge base.
    from kratom_journal.services.medications import add_medication

    journal = client.app.state.journal  # type: ignore[attr-defined]
    now = client.app.state.clock()  # type: ignore[attr-defined]
    add_medication(journal, "oxycodone", now=now, today=now.date())


def test_an_avoid_finding_asks_for_confirmation_before_recording(
    client: Client,
) -> None:
    _avoid_setup(client)
    response = client.submit("/doses", {"amount": "2 g"})
    assert response.status_code == 409
    assert "Record it anyway" in response.text
    assert client.get("/api/v1/today").json()["doses"] == []
    api = client.post("/api/v1/doses", json={"amount": "2 g"})
    assert api.status_code == 409
    confirmed = client.submit(
        "/doses", {"amount": "2 g", "confirm": "1"}, follow_redirects=False
    )
    assert confirmed.status_code == 303
    assert client.get("/api/v1/today").json()["total_g"] == "2.000"


OPIOIDS = "Kratom + other opioids (your medication oxycodone)"
BEER = "Kratom + alcohol (beer in the last 48 hours)"


def test_the_confirm_form_names_what_it_showed_and_a_new_finding_stops_it(
    client: Client,
) -> None:
    from kratom_journal.services.entries import record_intake

    _avoid_setup(client)
    shown = client.submit("/doses", {"amount": "2 g"})
    assert shown.status_code == 409
    assert '<input type="hidden" name="shown" value="interaction:opioids">' in (
        shown.text
    )
    journal = client.app.state.journal  # type: ignore[attr-defined]
    now = client.app.state.clock()  # type: ignore[attr-defined]
    record_intake(journal, "beer", now=now, at="-1h")  # after the page was shown
    stale = client.submit(
        "/doses", {"amount": "2 g", "confirm": "1", "shown": "interaction:opioids"}
    )
    assert stale.status_code == 409
    assert stale.text.index(BEER) < stale.text.index(OPIOIDS)  # the new one first
    assert client.get("/api/v1/today").json()["doses"] == []
    confirmed = client.submit(
        "/doses",
        {
            "amount": "2 g",
            "confirm": "1",
            "shown": ["intake:alcohol", "interaction:opioids"],
        },
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    (dose,) = client.get("/api/v1/today").json()["doses"]
    assert dose["acknowledged"] == [
        {"rule": "interaction:opioids", "title": OPIOIDS},
        {"rule": "intake:alcohol", "title": BEER},
    ]


def test_api_confirm_covers_the_409s_findings_and_acknowledged_ones_need_none(
    client: Client,
) -> None:
    _avoid_setup(client)
    early = client.post("/api/v1/doses", json={"amount": "2 g", "confirm": True})
    assert early.status_code == 409  # never shown: not covered
    body = early.json()
    assert [f["title"] for f in body["findings"]] == [OPIOIDS]
    assert "repeat with --confirm" in body["detail"]
    narrowed = client.post(
        "/api/v1/doses",
        json={"amount": "2 g", "confirm": True, "shown": ["intake:alcohol"]},
    )
    assert narrowed.status_code == 409  # the client did not show this one
    logged = client.post("/api/v1/doses", json={"amount": "2 g", "confirm": True})
    assert logged.status_code == 201, logged.text

    from kratom_journal.services.acknowledgements import acknowledge

    journal = client.app.state.journal  # type: ignore[attr-defined]
    now = client.app.state.clock()  # type: ignore[attr-defined]
    acknowledge(journal, ["interaction:opioids"], note="with my doctor", now=now)
    again = client.post("/api/v1/doses", json={"amount": "1 g"})
    assert again.status_code == 201, again.text
    answer = again.json()
    assert [f["title"] for f in answer["acknowledged_findings"]] == [OPIOIDS]
    assert OPIOIDS not in [f["title"] for f in answer["findings"]]
    assert answer["dose"]["acknowledged"] == [
        {"rule": "interaction:opioids", "title": OPIOIDS}
    ]


def test_browser_logs_a_dose_from_today_and_sees_the_total_change(
    page: Any, live: Live
) -> None:
    page.goto("/")
    assert page.locator("#today-total").inner_text().startswith("0 g")
    page.get_by_label("Amount", exact=True).fill("2 g")
    page.get_by_role("button", name="Log dose").click()
    page.wait_for_url(live.url + "/")
    assert page.locator("#today-total").inner_text().startswith("2 g")
    assert "Logged 2 g" in page.get_by_role("status").inner_text()
    # The one-tap button now repeats it.
    page.get_by_role("button", name="2 g", exact=True).click()
    assert page.locator("#today-total").inner_text().startswith("4 g")
    assert page.locator("time[data-since]").inner_text() == "0 min ago"
    inspect_page(page, "today")


def test_openapi_lists_only_real_parameters(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    names = {
        parameter["name"]
        for path in spec["paths"].values()
        for operation in path.values()
        for parameter in operation.get("parameters", [])
    }
    # The journal and the clock come from the app, never from the request.
    assert not names & {"journal", "now", "request"}


def test_advice_names_pages_not_cli_commands(client: Client) -> None:
    # With no location set, the law finding's advice points to a command in the CLI.
    page = client.get("/").text
    assert "Your location is not set" in page
    assert "`kratom" not in page
    assert "the Settings page" in page


def test_today_notifies_the_check_in_and_never_counts_down_to_a_dose(
    client: Client, clock: Clock
) -> None:
    client.post("/api/v1/titration/start", json={"pain": 6})
    page = client.get("/").text
    # the check-in after a dose is what counts down and notifies
    assert 'data-due-item data-kind="titration-checkin"' in page
    assert "data-countdown" in page
    clock.advance(minutes=45)
    client.post("/api/v1/titration/checkin", json={"pain": 6})
    # before the peak nothing is due; after it the step is said, with no time
    assert client.get("/api/v1/today").json()["due"] == []
    clock.advance(minutes=15)
    (item,) = client.get("/api/v1/today").json()["due"]
    assert (item["kind"], item["due_at"]) == ("titration-step", None)
    page = client.get("/").text
    assert "data-countdown" not in page
    assert "data-due-item" not in page
