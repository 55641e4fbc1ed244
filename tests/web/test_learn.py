"""Learn: the knowledge topics with sources, confidence and as-of dates, claims as
fact versus fiction, freshness, look-ups and unknown topics (pages, API, browser)."""

from __future__ import annotations

from typing import Any

from kratom_journal.knowledge.loader import load_knowledge
from tests.web.conftest import Client, Live, inspect_page, texts

TOPICS = [
    "interactions",
    "conditions",
    "side-effects",
    "limits",
    "doses",
    "law",
    "claims",
    "medicines",
]


def test_learn_lists_the_topics_and_how_fresh_the_knowledge_is(client: Client) -> None:
    response = client.get("/learn")
    assert response.status_code == 200
    links = texts(response.text, r'<ul class="cards topics">(.*?)</ul>')[0]
    assert "Fact versus fiction" in links and "Interactions" in links
    status = client.get("/api/v1/knowledge").json()["status"]
    counts = texts(response.text, r'id="knowledge-status">(.*?)</div>')[0]
    assert f"{status['entries']} entries" in " ".join(counts.split())
    assert f"{len(status['stale'])} older than 12 months" in " ".join(counts.split())


def test_a_topic_shows_entries_with_sources_confidence_and_staleness(
    client: Client,
) -> None:
    page = client.get("/learn/conditions").text
    assert "<h1>Conditions</h1>" in page
    assert "Seizure disorder (epilepsy)" in page
    assert len(
        texts(page, r'<p class="meta">(As of \d{4}-\d\d-\d\d, \w+ confidence\.)')
    ) == len(load_knowledge().conditions)
    assert "Older than 12 months: this may be out of date." in page
    assert "Sources (" in page


def test_claims_are_presented_as_fact_versus_fiction(client: Client) -> None:
    page = client.get("/learn/claims").text
    assert "<h1>Fact versus fiction</h1>" in page
    claims = texts(page, r'<h2 class="claim">(.*?)</h2>')
    assert "“Consistency builds tolerance, enhancing analgesic benefits”" in claims
    verdicts = texts(page, r'<p class="verdict verdict-[a-z-]+">(.*?)</p>')
    assert len(verdicts) == len(claims) == len(load_knowledge().claims)
    assert "Wrong" in verdicts
    assert "Tolerance is a reduced response" in page


def test_dose_figures_are_labelled_as_context_not_advice(client: Client) -> None:
    page = client.get("/learn/doses").text
    assert "they are not advice on what to take" in page


def test_a_medicine_lookup_shows_its_interactions(client: Client) -> None:
    response = client.get("/learn", params={"q": "Ultram"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/learn/Ultram"
    page = client.get("/learn/Ultram").text
    assert "<h1>tramadol</h1>" in page
    assert "Kratom + tramadol or tapentadol (incl. &#34;krypton&#34;)" in page


def test_an_unknown_lookup_is_shown_next_to_the_field(client: Client) -> None:
    response = client.get("/learn", params={"q": "unicorn dust"})
    assert response.status_code == 404
    assert (
        "is not a topic, medicine or condition"
        in texts(response.text, r'id="topic-error"[^>]*>(.*?)</p>')[0]
    )
    assert 'value="unicorn dust"' in response.text


def test_an_unknown_topic_is_a_404_page(client: Client) -> None:
    response = client.get("/learn/nonsense-topic")
    assert response.status_code == 404
    assert "is not a topic" in response.text
    assert "<h1" in response.text


def test_api_knowledge_lists_topics_with_counts(client: Client) -> None:
    body = client.get("/api/v1/knowledge").json()
    assert [t["topic"] for t in body["topics"]] == TOPICS
    claims = next(t for t in body["topics"] if t["topic"] == "claims")
    assert (claims["title"], claims["entries"]) == (
        "Fact versus fiction",
        len(load_knowledge().claims),
    )
    assert body["status"]["entries"] == sum(t["entries"] for t in body["topics"])
    assert all(s["as_of"] for s in body["status"]["stale"])


def test_api_topic_entries_carry_sources_and_staleness(client: Client) -> None:
    body = client.get("/api/v1/knowledge/claims").json()
    assert body["topic"] == "claims"
    entry = body["entries"][0]
    assert {"claim", "verdict", "explanation", "sources", "as_of", "confidence"} <= set(
        entry
    )
    assert isinstance(entry["stale"], bool)
    medicine = client.get("/api/v1/knowledge/oxycodone").json()
    assert medicine["topic"] == "oxycodone"
    assert client.get("/api/v1/knowledge/nothing-here").status_code == 404


def test_browser_reads_the_knowledge_and_the_claims(page: Any, live: Live) -> None:
    page.goto("/learn")
    assert page.get_by_role("heading", name="How fresh the knowledge is").is_visible()
    inspect_page(page, "learn")
    page.get_by_label("Medicine or condition", exact=True).fill("oxycodone")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url(live.url + "/learn/oxycodone")
    assert page.get_by_role("heading", name="Kratom + other opioids").is_visible()
    page.get_by_role("link", name="All topics").click()
    page.get_by_role("link", name="Fact versus fiction").click()
    page.wait_for_url(live.url + "/learn/claims")
    first = page.locator("li.claim-card").first
    first.get_by_text("Sources (").click()
    assert first.locator(".sources li").first.is_visible()
    inspect_page(page, "learn-claims")
