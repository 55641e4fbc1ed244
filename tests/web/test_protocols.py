"""Protocols: a titration step (API, page, browser), safety refusals, a taper plan with
its chart and checklist, and an N-of-1 trial from design to daily rating."""

from __future__ import annotations

from typing import Any

import pytest

from kratom_journal.services.entries import DoseInput, log_dose
from tests.web.conftest import Client, Clock, Live, inspect_page, texts


def start(client: Client, **body: Any) -> Any:
    return client.post("/api/v1/titration/start", json={"pain": 6, **body})


def status(client: Client) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/api/v1/protocols").json()
    return body


def add_opioid(client: Client) -> None:
    # An opioid taken with kratom is an avoid-level interaction in the knowledge base.
    from kratom_journal.services.medications import add_medication

    journal = client.app.state.journal  # type: ignore[attr-defined]
    now = client.app.state.clock()  # type: ignore[attr-defined]
    add_medication(journal, "oxycodone", now=now, today=now.date())


def flash(response: Any) -> str:
    """The one-time message on the page a form redirected to."""
    return texts(response.text, r'class="flash"[^>]*>\s*<p>(.*?)</p>')[0]


# -- titration ----------------------------------------------------------------------
def test_api_runs_a_titration_step_only_after_the_check_in_allows_it(
    client: Client, clock: Clock
) -> None:
    started = start(client, dose="1 g")
    assert started.status_code == 201
    session = started.json()["session"]
    assert (session["phase"], session["total_g"]) == ("waiting", "1.000")
    assert session["checkin_due"] == "2026-11-22T14:45:00Z"
    early = client.post("/api/v1/titration/step")
    assert early.status_code == 409
    assert "does not allow a step now" in early.json()["detail"]

    clock.advance(minutes=45)
    checked = client.post("/api/v1/titration/checkin", json={"pain": 5})
    assert checked.status_code == 201
    session = checked.json()["session"]
    assert session["phase"] == "step-allowed"
    assert "the protocol allows +0.5 g from 60 minutes" in session["reason"]
    assert "still be building for up to two hours" in session["reason"]
    assert session["step_from"] == "2026-11-22T15:00:00Z"
    before_peak = client.post("/api/v1/titration/step", json={})
    assert before_peak.status_code == 409
    assert "does not allow a step before 16:00" in before_peak.json()["detail"]
    clock.advance(minutes=15)
    stepped = client.post("/api/v1/titration/step", json={})
    assert stepped.status_code == 201
    assert stepped.json()["dose"]["grams"] == "0.500"
    assert status(client)["titration"]["session"]["total_g"] == "1.500"

    stopped = client.post("/api/v1/titration/stop")
    assert stopped.json()["session"]["outcome"] == "stopped"


def test_api_the_session_reads_the_journals_own_doses_and_check_ins(
    client: Client, clock: Clock
) -> None:
    start(client, dose="1 g")
    clock.advance(minutes=10)
    assert client.post("/api/v1/doses", json={"amount": "0.5 g"}).status_code == 201
    assert status(client)["titration"]["session"]["total_g"] == "1.500"
    clock.advance(minutes=45)
    # a plain check-in is the session's check-in, judged at the total it saw
    assert client.post("/api/v1/checkins", json={"pain": 3}).status_code == 201
    session = status(client)["titration"]["session"]
    assert session["outcome"] == "relief"
    assert "Relief reached at 1.5 g" in session["reason"]
    assert status(client)["titration"]["summary"]["effective_dose_median_g"] == "1.5"


def test_api_a_dose_logged_since_the_check_in_refuses_the_step(
    client: Client, clock: Clock
) -> None:
    start(client, dose="1 g")
    clock.advance(minutes=45)
    client.post("/api/v1/titration/checkin", json={"pain": 6})
    clock.advance(minutes=1)
    client.post("/api/v1/doses", json={"amount": "0.5 g"})
    refused = client.post("/api/v1/titration/step")
    assert refused.status_code == 409
    assert "a dose was logged since the last check-in" in refused.json()["detail"]
    assert status(client)["titration"]["session"]["total_g"] == "1.500"


def test_api_a_high_caution_sedation_finding_blocks_the_step(
    client: Client, clock: Clock
) -> None:
    from kratom_journal.services.medications import add_medication

    journal = client.app.state.journal  # type: ignore[attr-defined]
    add_medication(journal, "quetiapine", now=clock.now, today=clock.now.date())
    assert start(client).status_code == 201  # high caution: the start is a low dose
    clock.advance(minutes=60)
    checked = client.post("/api/v1/titration/checkin", json={"pain": 6}).json()
    assert checked["session"]["outcome"] == "blocked"
    assert "quetiapine" in checked["session"]["reason"]
    refused = client.post("/api/v1/titration/step")
    assert refused.status_code == 409


def test_api_a_ceiling_is_kept_and_checked(client: Client, clock: Clock) -> None:
    start(client, dose="1 g")
    clock.advance(minutes=60)
    client.post("/api/v1/titration/checkin", json={"pain": 6})
    client.post("/api/v1/titration/step")
    clock.advance(minutes=45)
    client.post(
        "/api/v1/titration/checkin", json={"pain": 6, "side_effects": {"sedation": 1}}
    )
    ceilings = status(client)["titration"]["ceilings"]
    assert [(c["grams"], c["effects"]) for c in ceilings] == [("1.500", ["sedation"])]
    clock.advance(days=1)
    checked = client.post("/api/v1/safety/check", json={"amount": "2.5 g"}).json()
    assert "At or above your ceiling of 1.5 g" in [
        f["title"] for f in checked["findings"]
    ]
    start(client, dose="1 g")
    clock.advance(minutes=60)
    session = client.post("/api/v1/titration/checkin", json={"pain": 6}).json()
    assert session["session"]["outcome"] == "ceiling"


def test_api_side_effects_end_the_session_and_bad_input_names_the_field(
    client: Client, clock: Clock
) -> None:
    outside = start(client, dose="5 g")
    assert outside.status_code == 422
    assert outside.json()["detail"][0]["field"] == "dose"
    assert status(client)["titration"]["session"] is None
    start(client)
    clock.advance(minutes=45)
    unknown = client.post(
        "/api/v1/titration/checkin", json={"pain": 5, "side_effects": {"glow": 1}}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "side-effect"
    checked = client.post(
        "/api/v1/titration/checkin", json={"pain": 5, "side_effects": {"nausea": 1}}
    )
    session = checked.json()["session"]
    assert (session["phase"], session["outcome"]) == ("ended", "side-effects")


def test_api_refuses_a_start_while_an_avoid_finding_stands(client: Client) -> None:
    add_opioid(client)
    refused = start(client)
    assert refused.status_code == 409
    assert "the safety check found" in refused.json()["detail"]
    assert status(client)["titration"]["session"] is None


def test_page_start_form_shows_the_start_range_with_its_source(client: Client) -> None:
    page = client.get("/protocols").text
    assert "The protocol starts with 1 g to 2 g." in page
    assert "Sources (1)" in page
    assert 'action="/protocols/titration/start"' in page


def test_page_bad_dose_keeps_the_typed_values_and_saves_nothing(
    client: Client,
) -> None:
    response = client.submit("/protocols/titration/start", {"dose": "9", "pain": "7"})
    assert response.status_code == 422
    problem = texts(response.text, r'id="dose-error"[^>]*>(.*?)</p>')[0]
    assert "the protocol starts with 1-2 g" in problem
    assert 'value="9"' in response.text
    assert 'value="7" checked' in response.text
    assert status(client)["titration"]["session"] is None


def test_page_titration_form_without_csrf_token_is_refused(client: Client) -> None:
    client.token()
    response = client.post(
        "/protocols/titration/start", data={"dose": "1", "pain": "6"}
    )
    assert response.status_code == 403
    assert status(client)["titration"]["session"] is None


def test_page_step_refused_by_an_avoid_finding_shows_reason_and_findings(
    client: Client, clock: Clock
) -> None:
    start(client)
    add_opioid(client)
    clock.advance(minutes=45)
    client.submit("/protocols/titration/checkin", {"pain": "5"})
    page = client.get("/protocols").text
    assert "Record the +0.5 g step" not in page
    assert "The safety check found" in page
    refused = client.submit("/protocols/titration/step")
    assert refused.status_code == 409
    assert "Not recorded" in refused.text
    assert "The protocol does not allow a step now" in refused.text
    assert "What the safety check found" in refused.text
    assert 'class="finding sev-avoid"' in refused.text
    assert status(client)["titration"]["session"]["total_g"] == "1.000"


def test_page_check_in_is_offered_when_due_and_step_only_when_allowed(
    client: Client, clock: Clock
) -> None:
    started = client.submit("/protocols/titration/start", {"dose": "1.5", "pain": "6"})
    assert flash(started) == (
        "Titration started: 1.5 g at 15:00. Check-in due at 15:45."
    )
    page = client.get("/protocols").text
    assert 'data-due-item data-kind="titration-checkin"' in page
    assert 'datetime="2026-11-22T14:45:00Z" data-countdown data-clock="15:45"' in page
    assert "Record side effects before then" in page
    assert "Record the +0.5 g step" not in page
    clock.advance(minutes=45)
    assert "Check in now" in client.get("/protocols").text
    client.submit("/protocols/titration/checkin", {"pain": "5", "se-nausea": "none"})
    page = client.get("/protocols").text
    assert "The protocol allows +0.5 g from 16:00" in page
    assert "PMC10353077" in page  # the peak's source
    clock.advance(minutes=15)
    page = client.get("/protocols").text
    assert "The protocol allows +0.5 g now" in page
    assert "take more" not in page.lower()
    assert "Session total 2 g." in flash(client.submit("/protocols/titration/step"))
    client.submit("/protocols/titration/stop")
    page = client.get("/protocols").text
    assert "What your sessions show" in page
    assert "Last session" in page


def test_browser_runs_a_titration_step(page: Any, live: Live) -> None:
    page.goto("/protocols")
    page.get_by_label("First dose in grams").fill("1")
    baseline = page.get_by_role("group", name="Pain now (the baseline)")
    baseline.get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Start the titration").click()
    assert "Titration started: 1 g" in page.get_by_role("status").inner_text()
    assert page.locator("#titration-total").inner_text() == "1 g"
    assert page.locator("[data-countdown]").inner_text() == "in 45 min (15:45)"

    live.clock.advance(minutes=45)
    page.clock.set_fixed_time(live.clock.now)
    page.reload()
    assert page.locator("[data-countdown]").inner_text() == "now"
    inspect_page(page, "protocols-checkin")
    page.get_by_role("group", name="Pain now", exact=True).get_by_text(
        "5", exact=True
    ).click()
    page.get_by_role("button", name="Record the check-in").click()
    assert page.get_by_role(
        "heading", name="The protocol allows +0.5 g from 16:00"
    ).is_visible()
    live.clock.advance(minutes=15)
    page.clock.set_fixed_time(live.clock.now)
    page.reload()
    assert page.get_by_role(
        "heading", name="The protocol allows +0.5 g now"
    ).is_visible()
    inspect_page(page, "protocols")
    page.get_by_role("button", name="Record the +0.5 g step").click()
    assert "Session total 1.5 g" in page.get_by_role("status").inner_text()
    assert page.locator("#titration-total").inner_text() == "1.5 g"


# -- taper and withdrawal -------------------------------------------------------------
def test_api_taper_preview_saves_nothing_then_plan_hold_and_stop(
    client: Client,
) -> None:
    preview = client.post(
        "/api/v1/taper/plan", json={"from_amount": "4 g/day", "preview": True}
    )
    assert preview.status_code == 200
    assert preview.json()["saved"] is False
    assert status(client)["taper"]["plan"] is None
    saved = client.post("/api/v1/taper/plan", json={"from_amount": "4 g/day"})
    assert saved.status_code == 201
    steps = saved.json()["plan"]["steps"]
    assert steps[0]["target_g"] == "3.50" and steps[-1]["target_g"] == "0.00"
    taper = status(client)["taper"]
    assert (taper["running"], taper["target_g"], taper["checklist_due"]) == (
        True,
        "3.50",
        True,
    )
    again = client.post("/api/v1/taper/plan", json={"from_amount": "4 g/day"})
    assert again.status_code == 422
    held = client.post("/api/v1/taper/hold", json={"days": 3})
    assert held.json()["plan"]["holds"] == [{"on": "2026-11-22", "days": 3}]
    assert client.post("/api/v1/taper/stop").status_code == 200
    assert status(client)["taper"]["running"] is False


def test_api_withdrawal_checklist_scores_and_refuses_unknown_symptoms(
    client: Client,
) -> None:
    recorded = client.post(
        "/api/v1/withdrawal", json={"symptoms": {"craving": 2, "insomnia": 1}}
    )
    assert recorded.status_code == 201
    body = recorded.json()
    assert (body["total"], body["max_total"]) == (3, 30)
    assert body["withdrawal"]["symptoms"]["muscle-aches"] == 0
    bad = client.post("/api/v1/withdrawal", json={"symptoms": {"glow": 1}})
    assert (bad.status_code, bad.json()["detail"][0]["field"]) == (422, "symptom")
    empty = client.post("/api/v1/withdrawal", json={})
    assert empty.status_code == 422


@pytest.mark.parametrize(
    ("location", "levels", "shown", "not_shown"),
    [
        ("US-TX", {"low-mood": 3}, ["988", "call 911"], ["116 123", "1-800-662-4357"]),
        ("GB", {"low-mood": 3}, ["116 123", "call 999"], ["988"]),
        (None, {"low-mood": 3}, ["988", "116 123", "13 11 14", "9-8-8"], []),
        ("US-TX", {"low-mood": 3, "craving": 3}, ["988", "1-800-662-4357"], []),
    ],
)
def test_withdrawal_with_severe_low_mood_shows_the_crisis_lines(
    client: Client,
    location: str | None,
    levels: dict[str, int],
    shown: list[str],
    not_shown: list[str],
) -> None:
    client.patch("/api/v1/profile", json={"location": location})
    response = client.submit(
        "/protocols/withdrawal",
        {f"wd-{name}": str(level) for name, level in levels.items()},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/protocols?support=" + ",".join(levels)
    page = client.get(response.headers["location"]).text
    assert f"Recorded: withdrawal checklist total {sum(levels.values())} of 30." in page
    [card] = texts(page, r'<section class="card urgent" id="support"(.*?)</section>')
    assert "Support for low mood, now" in card
    assert "Sources (" in card
    for text in shown:
        assert text in card
    for text in not_shown:
        assert text not in card
    api = client.post("/api/v1/withdrawal", json={"symptoms": levels}).json()
    for text in shown:
        assert text in " ".join(api["support"]["lines"])
    assert api["support"]["sources"]


def test_withdrawal_without_severe_low_mood_shows_no_crisis_card(
    client: Client,
) -> None:
    response = client.submit(
        "/protocols/withdrawal",
        {"wd-low-mood": "2", "wd-craving": "3"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/protocols"
    assert 'id="support"' not in client.get("/protocols").text
    api = client.post("/api/v1/withdrawal", json={"symptoms": {"craving": 3}}).json()
    assert api["support"] is None


def test_page_taper_preview_shows_the_chart_and_saves_nothing(client: Client) -> None:
    preview = client.submit(
        "/protocols/taper/plan", {"from": "4 g/day", "action": "preview"}
    )
    assert preview.status_code == 200
    assert "<svg" in preview.text and "Previewed taper plan" in preview.text
    assert 'value="4 g/day"' in preview.text
    assert status(client)["taper"]["plan"] is None
    bad = client.submit("/protocols/taper/plan", {"from": "lots", "action": "save"})
    assert bad.status_code == 422
    assert texts(bad.text, r'id="from-error"[^>]*>(.*?)</p>')
    assert 'value="lots"' in bad.text


def test_page_taper_plan_table_chart_and_daily_checklist(
    client: Client, clock: Clock
) -> None:
    saved = client.submit(
        "/protocols/taper/plan", {"from": "4 g/day", "action": "save"}
    )
    assert flash(saved).startswith("Taper plan saved: 15 weekly steps")
    client.post("/api/v1/doses", json={"amount": "3 g"})
    page = client.get("/protocols").text
    assert texts(page, r'id="taper-today">(.*?)<span') == ["3 g"]
    assert 'role="img" aria-labelledby="plan-chart-title plan-chart-desc"' in page
    assert texts(
        page, r'<tr class="current" aria-current="step">\s*<td>(.*?)</td>'
    ) == ["1 (now)"]
    assert "Today's withdrawal checklist" in page
    nothing = client.submit("/protocols/withdrawal", {})
    assert nothing.status_code == 422
    assert (
        "No symptoms today"
        in texts(nothing.text, r'id="symptom-error"[^>]*>(.*?)</p>')[0]
    )
    none = client.submit("/protocols/withdrawal", {"none": "1"})
    assert flash(none) == "Recorded: withdrawal checklist total 0 of 30."
    page = client.get("/protocols").text
    assert "Today's withdrawal checklist: 0 of 30." in page
    assert "Start the titration" not in page  # titrating up works against a taper


def test_browser_shows_a_taper_plan_with_its_chart(page: Any, live: Live) -> None:
    page.goto("/protocols")
    page.get_by_label("Starting amount a day").fill("4 g/day")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("img", name="Previewed taper plan").is_visible()
    page.get_by_role("button", name="Save the plan").click()
    assert "Taper plan saved" in page.get_by_role("status").inner_text()
    chart = page.get_by_role("img", name="Taper plan")
    assert chart.is_visible()
    assert page.locator("#taper-plan tbody tr").count() == 15
    for grams in ("3 g", "4 g"):  # the second day is above its 3.5 g target
        log_dose(live.journal, DoseInput(grams), now=live.clock.now)
        live.clock.advance(days=1)
    page.clock.set_fixed_time(live.clock.now)
    page.reload()
    assert page.locator(".plan-chart rect.actual").count() == 2
    assert page.locator(".plan-chart rect.over").count() == 1
    page.get_by_role("group", name="Craving").get_by_text("mild").click()
    page.get_by_role("button", name="Record the checklist").click()
    assert "total 1 of 30" in page.get_by_role("status").inner_text()
    inspect_page(page, "protocols-taper")


def test_browser_severe_low_mood_shows_the_crisis_lines(page: Any, live: Live) -> None:
    page.goto("/protocols")
    page.get_by_label("Starting amount a day").fill("4 g/day")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("group", name="Low mood").get_by_text("severe").click()
    page.get_by_role("button", name="Record the checklist").click()
    page.wait_for_url(live.url + "/protocols?support=low-mood")
    alert = page.get_by_role("alert")
    assert "Support for low mood, now" in alert.inner_text()
    assert "988 Suicide & Crisis Lifeline (United States)" in alert.inner_text()
    assert "Samaritans (United Kingdom): call 116 123" in alert.inner_text()
    assert "your local emergency number" in alert.inner_text()
    assert "total 3 of 30" in page.get_by_role("status").inner_text()
    inspect_page(page, "protocols-withdrawal-support")


# -- trial ----------------------------------------------------------------------------
def test_api_trial_design_rating_and_stop(client: Client) -> None:
    designed = client.post(
        "/api/v1/trial/design",
        json={"regimen_a": "2 g", "regimen_b": "3 g", "outcome": "nrs", "seed": 7},
    )
    assert designed.status_code == 201
    assert designed.json()["trial"]["design"]["seed"] == 7
    trial = status(client)["trial"]
    assert trial["running"] is True and trial["rated_today"] is False
    logged = client.post("/api/v1/trial/log", json={"pain": 4})
    assert logged.status_code == 201
    assert logged.json()["washout"] is True
    assert status(client)["trial"]["rated_today"] is True
    stopped = client.post("/api/v1/trial/stop")
    assert stopped.json()["stopped_on"] == "2026-11-22"


def test_page_trial_design_then_peg_rating(client: Client) -> None:
    bad = client.submit(
        "/protocols/trial/design", {"regimen-a": "2 g", "regimen-b": "2 G"}
    )
    assert bad.status_code == 422
    assert texts(bad.text, r'id="regimen-b-error"[^>]*>(.*?)</p>')
    client.submit(
        "/protocols/trial/design",
        {"regimen-a": "2 g", "regimen-b": "3 g", "pairs": "3", "period-days": "7"},
    )
    page = client.get("/protocols").text
    assert 'data-title="Today\'s trial rating"' in page
    assert "How much pain interfered with enjoyment of life" in page
    assert 'href="/insights"' in page
    half = client.submit("/protocols/trial/log", {"peg-pain": "4"})
    assert half.status_code == 422
    logged = client.submit(
        "/protocols/trial/log",
        {"peg-pain": "4", "peg-enjoyment": "3", "peg-activity": "5"},
    )
    assert flash(logged).startswith("Logged pair 1, period 1, day 1")
    assert "Today's rating is recorded." in client.get("/protocols").text


def test_api_times_out_of_range_are_bad_input_and_leave_the_journal_readable(
    client: Client,
) -> None:
    start(client)
    for at in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:00Z"):
        response = client.post("/api/v1/titration/checkin", json={"pain": 5, "at": at})
        assert (response.status_code, response.json()["detail"][0]["field"]) == (
            422,
            "at",
        )
    client.post("/api/v1/titration/stop")
    client.post("/api/v1/taper/plan", json={"from_amount": "4 g/day"})
    early = client.post("/api/v1/taper/hold", json={"at": "-2h"})
    assert (early.status_code, early.json()["detail"][0]["field"]) == (422, "at")
    assert client.get("/api/v1/protocols").status_code == 200


def test_api_trial_uses_only_its_own_ratings(client: Client, clock: Clock) -> None:
    designed = client.post(
        "/api/v1/trial/design",
        json={
            "regimen_a": "2 g",
            "regimen_b": "3 g",
            "pairs": 3,
            "period_days": 7,
            "washout_days": 2,
            "outcome": "nrs",
            "seed": 7,
        },
    )
    assert designed.status_code == 201
    for offset in range(42):
        day = status(client)["trial"]["day"]
        rated = client.post("/api/v1/trial/log", json={"pain": 4 + offset % 3 - 1})
        assert rated.status_code == 201
        if day["regimen"] == "A":  # before/after check-ins on A days only
            for ago, pain in (("-3h", 3), ("-1h", 1)):
                extra = client.post("/api/v1/checkins", json={"pain": pain, "at": ago})
                assert extra.status_code == 201
        again = client.post("/api/v1/trial/log", json={"pain": 2})
        assert (again.status_code, again.json()["detail"][0]["field"]) == (
            422,
            "trial",
        )
        if offset == 10:  # both regimens have had days by now
            assert "on trial days are not used" in client.get("/protocols").text
        clock.advance(days=1)
    body = client.get("/api/v1/trial/analysis").json()
    assert body["verdict"].startswith("No clear difference")
    assert abs(body["mean_difference"]) < 0.5
    assert body["ignored_checkins"] == 42
    assert status(client)["trial"]["ignored_checkins"] == 42


def add_medication_named(client: Client, name: str) -> None:
    from kratom_journal.services.medications import add_medication

    journal = client.app.state.journal  # type: ignore[attr-defined]
    now = client.app.state.clock()  # type: ignore[attr-defined]
    add_medication(journal, name, now=now, today=now.date())


TRIAL_BODY = {"regimen_a": "2 g", "regimen_b": "4 g", "outcome": "nrs"}


def test_api_trial_design_is_checked_like_a_dose(client: Client) -> None:
    add_medication_named(client, "gabapentin")
    for extra in ({}, {"confirm": True}, {"preview": True}):
        refused = client.post("/api/v1/trial/design", json={**TRIAL_BODY, **extra})
        assert refused.status_code == 409
        assert "gabapentin" in refused.json()["detail"]
    assert status(client)["trial"]["trial"] is None


def test_api_trial_design_asks_to_acknowledge_high_caution(client: Client) -> None:
    add_medication_named(client, "quetiapine")
    asked = client.post("/api/v1/trial/design", json=TRIAL_BODY)
    assert asked.status_code == 409
    assert "confirm" in asked.json()["detail"]
    preview = client.post("/api/v1/trial/design", json={**TRIAL_BODY, "preview": True})
    assert preview.status_code == 200
    assert "high-caution" in {f["severity"] for f in preview.json()["findings"]}
    assert preview.json()["dependence"]["sources"]
    saved = client.post("/api/v1/trial/design", json={**TRIAL_BODY, "confirm": True})
    assert saved.status_code == 201
    rules = {f["rule"] for f in saved.json()["trial"]["acknowledged"]}
    assert "interaction:sedating-antipsychotics" in rules
    trial = status(client)["trial"]["trial"]
    assert trial["acknowledged"] == saved.json()["trial"]["acknowledged"]
    assert trial["daily_g"] == {"A": "2", "B": "4"}


def test_page_trial_design_refused_then_confirmed(client: Client) -> None:
    add_medication_named(client, "quetiapine")
    form = {"regimen-a": "2 g", "regimen-b": "4 g", "outcome": "nrs"}
    asked = client.submit("/protocols/trial/design", form)
    assert asked.status_code == 409
    assert "quetiapine" in asked.text
    assert 'name="confirm"' in asked.text
    saved = client.submit("/protocols/trial/design", {**form, "confirm": "1"})
    assert flash(saved).startswith("Trial saved")
    assert "builds tolerance and physical dependence" in flash(saved)
    assert (
        "Acknowledged at design: Kratom + quetiapine" in client.get("/protocols").text
    )


def test_api_and_page_show_the_trials_analysis_plan(client: Client) -> None:
    body = {**TRIAL_BODY, "pairs": 3, "period_days": 7, "washout_days": 2}
    saved = client.post("/api/v1/trial/design", json=body)
    assert saved.status_code == 201
    plan = status(client)["trial"]["trial"]["plan"]
    assert plan == saved.json()["trial"]["plan"]
    assert (plan["mid"], plan["periods"], plan["washout_days"]) == (2, 6, 2)
    assert "randomization" in plan["primary"]
    page = client.get("/protocols").text
    assert "Analysis plan (fixed when the trial was designed)" in page
    assert "Smallest difference that matters: 2 points." in page


def test_api_and_page_show_an_avoid_finding_that_arose_during_the_trial(
    client: Client,
) -> None:
    assert client.post("/api/v1/trial/design", json=TRIAL_BODY).status_code == 201
    assert status(client)["trial"]["avoid_findings"] == []
    add_medication_named(client, "gabapentin")
    (found,) = status(client)["trial"]["avoid_findings"]
    assert found["rule"] == "interaction:gabapentinoids"
    page = client.get("/protocols").text
    assert 'id="trial-avoid"' in page and "gabapentin" in page


def test_page_trial_design_refused_at_avoid_shows_the_finding(client: Client) -> None:
    add_medication_named(client, "gabapentin")
    form = {"regimen-a": "2 g", "regimen-b": "4 g", "outcome": "nrs", "confirm": "1"}
    refused = client.submit("/protocols/trial/design", form)
    assert refused.status_code == 409
    assert "What the safety check found" in refused.text
    assert "Kratom + gabapentin or pregabalin" in refused.text
    assert status(client)["trial"]["trial"] is None
