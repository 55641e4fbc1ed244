"""The API reads the same picture of the person as the CLI: runs of use over the
whole journal, in the safety check, the standing findings and insights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.seed import daily_doses

if TYPE_CHECKING:
    from kratom_journal.services.journal import Journal
    from tests.web.conftest import Client


def runs(findings: list[dict[str, str]]) -> list[str]:
    return [f["title"] for f in findings if f["rule"].startswith("pattern:daily")]


def test_safety_and_insights_count_the_whole_journal(
    client: Client, journal: Journal
) -> None:
    daily_doses(journal, 400)  # up to yesterday; nothing logged yet today
    standing = client.get("/api/v1/safety").json()["findings"]
    assert runs(standing) == ["400 days in a row with kratom"]
    checked = client.post("/api/v1/safety/check", json={"amount": "2g"}).json()
    assert runs(checked["findings"]) == ["401 days in a row with kratom"]
    pattern = client.get("/api/v1/insights").json()["use_pattern"]
    assert pattern["current_streak"] == 400


def test_taper_from_auto_refuses_a_journal_shorter_than_its_window(
    client: Client, journal: Journal
) -> None:
    daily_doses(journal, 2, grams="4")
    refused = client.post(
        "/api/v1/taper/plan", json={"from_amount": "auto", "preview": True}
    )
    assert refused.status_code == 422
    assert "from" in refused.text and "began on 20 Nov 2026" in refused.text
    daily_doses(journal, 14, grams="4", last_days_ago=3)  # now 16 days back
    planned = client.post(
        "/api/v1/taper/plan", json={"from_amount": "auto", "preview": True}
    )
    assert planned.status_code == 200
    assert planned.json()["plan"]["from_g"] == "4.00"  # 14 days of 4 g


def test_the_products_api_gives_the_same_certificate_verdict(client: Client) -> None:
    added = client.post(
        "/api/v1/products",
        json={"name": "Green", "lead_ppm": "0.8", "microbial_pass": True},
    )
    assert added.status_code == 201, added.text
    rules = {f["rule"] for f in added.json()["findings"]}
    assert "product:lead-at-daily-cap" in rules
    checked = client.post(
        "/api/v1/safety/check", json={"amount": "2g", "product": "Green"}
    ).json()
    assert "product:lead-at-daily-cap" in {f["rule"] for f in checked["findings"]}
