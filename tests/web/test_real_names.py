"""Names as people type them, through the web app and the API; and one answer
everywhere: the Safety page, the Today page's dose button, the API and the CLI
give the same findings for the same journal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Kratom
from tests.web.conftest import Client, texts


def finding_titles(html: str) -> set[str]:
    return set(texts(html, r'<li class="finding sev-[a-z-]+">.*?<h\d>(.*?)</h\d>'))


def test_a_label_name_is_read_and_warned_about(client: Client) -> None:
    added = client.post(
        "/api/v1/medications", json={"name": "Gabapentin 300 mg"}
    ).json()
    assert added["matched"] == {"id": "gabapentin", "name": "gabapentin", "by": "label"}
    assert added["read"] == "Read 'Gabapentin 300 mg' as gabapentin."
    assert added["findings"][0]["severity"] == "avoid"
    page = client.submit("/safety/medications", {"name": "zolpidm"}).text
    assert "Read &#39;zolpidm&#39; as zolpidem, the closest name in our list" in page
    assert (
        "Kratom + benzodiazepines or Z-drugs (your medication zolpidm, read as zolpidem)"
        in finding_titles(page)
    )


def test_intake_answers_what_it_read_and_implies(client: Client) -> None:
    beers = client.post("/api/v1/intakes", json={"name": "2 beers"})
    assert beers.status_code == 201
    body = beers.json()
    assert (body["kind"], body["matched"]["id"]) == ("alcohol", "alcohol")
    assert {(f["rule"], f["severity"]) for f in body["findings"]} >= {
        ("intake:alcohol", "avoid")
    }
    unknown = client.post("/api/v1/intakes", json={"name": "Zapzorin drops"}).json()
    assert unknown["matched"] is None
    assert [f["rule"] for f in unknown["findings"]] == ["intake:unknown-substance"]
    coffee = client.post("/api/v1/intakes", json={"name": "coffee"}).json()
    assert (coffee["kind"], coffee["findings"]) == ("caffeine", [])


def test_page_button_api_and_cli_give_the_same_findings(
    client: Client, tmp_path: Path
) -> None:
    for name in ("Gabapentin 300 mg", "zolpidm", "Soma 350 mg"):
        client.post("/api/v1/medications", json={"name": name})
    for name in ("2 beers", "Zapzorin drops"):
        client.post("/api/v1/intakes", json={"name": name})

    standing = client.get("/api/v1/safety").json()["findings"]
    checked = client.post("/api/v1/safety/check", json={"amount": "2 g"}).json()
    button = client.submit("/doses", {"amount": "2 g"})  # the one-tap dose form
    assert button.status_code == 409
    cli = Kratom(tmp_path / "web.sqlite3", now="2026-11-22T15:00:00+01:00")
    from_cli = json.loads(cli("check", "2g", "--json").stdout)["findings"]

    def serious(findings: list[dict[str, str]]) -> set[tuple[str, str, str]]:
        return {
            (f["rule"], f["severity"], f["title"])
            for f in findings
            if f["rule"].startswith(("interaction:", "intake:"))
        }

    expected = serious(standing)
    assert (
        "intake:unknown-substance",
        "caution",
        "Zapzorin drops: not in our list",
    ) in expected
    assert {rule for rule, _, _ in expected} >= {
        "interaction:gabapentinoids",
        "interaction:benzodiazepines",
        "intake:alcohol",
    }
    assert serious(checked["findings"]) == expected
    assert serious(from_cli) == expected
    titles = {title for _, _, title in expected}
    assert titles <= finding_titles(client.get("/safety").text)
    avoid_titles = {title for _, severity, title in expected if severity == "avoid"}
    assert avoid_titles <= set(
        texts(button.text, r"<h\d>(.*?)</h\d>")
    ) | finding_titles(button.text)
