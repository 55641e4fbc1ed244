"""Insights: conclusions with intervals, tables, SVG charts under the strict CSP, and
the N-of-1 trial analysis (page, API, browser).

The journal (`filled`), logged through the services with `at=`:

* 30 doses at 09:00 every other day from 23 Sep to 20 Nov, alternating 3.5 g Green
  Malay (even k) and 2.5 g Red Bali (odd k), each with pain 7 at 08:50 and pain
  7 - relief at 10:30; every 7th reports nausea.
* `with_trial` is a trial on its own "2 g" against "3 g" (3 pairs of 7-day periods,
  2-day washout, pain NRS) from 9 Oct, rated every evening: 4 on A, 6 on B.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from kratom_journal.domain.trial import trial_days
from kratom_journal.services import trial
from kratom_journal.services.entries import (
    CheckInInput,
    DoseInput,
    log_dose,
    record_checkin,
)
from kratom_journal.services.journal import Journal
from kratom_journal.services.products import ProductInput, add_product
from kratom_journal.web.chart_svg import without_css
from tests.web.conftest import START, Client, Live, inspect_page, texts

TODAY = date(2026, 11, 22)
RELIEF = [2, 3, 1, 2, 3, 2, 1, 3, 2, 2]
CHARTS = ("pain-over-time", "dose-response", "tolerance-trend")


def relief(k: int) -> int:
    return RELIEF[k % 10] + k % 2


def fill(journal: Journal) -> None:
    for name in ("Red Bali", "Green Malay"):
        add_product(journal, ProductInput(name=name), now=START, today=TODAY)
    for k in range(30):
        day = TODAY - timedelta(days=60 - 2 * k)
        amount, product = ("2.5 g", "Red Bali") if k % 2 else ("3.5 g", "Green Malay")
        effects = ["nausea=1"] if k % 7 == 0 else []
        record_checkin(journal, CheckInInput(pain=7, at=f"{day}T08:50"), now=START)
        log_dose(
            journal,
            DoseInput(amount=amount, product=product, at=f"{day}T09:00"),
            now=START,
        )
        record_checkin(
            journal,
            CheckInInput(pain=7 - relief(k), side_effects=effects, at=f"{day}T10:30"),
            now=START,
        )


def add_trial(journal: Journal) -> None:
    begun = START - timedelta(days=44)
    designed = trial.design(
        journal,
        trial.DesignInput(
            "2 g", "3 g", pairs=3, period_days=7, washout_days=2, outcome="nrs", seed=7
        ),
        now=begun,
    ).trial
    for day in trial_days(designed.design):
        if day.day < TODAY:
            pain = (4 if day.regimen == "A" else 6) + day.day_in_period % 2
            trial.log(
                journal, CheckInInput(pain=pain, at=f"{day.day}T20:00"), now=START
            )


@pytest.fixture
def filled(journal: Journal) -> Journal:
    fill(journal)
    return journal


@pytest.fixture
def with_trial(journal: Journal) -> Journal:
    add_trial(journal)
    return journal


@pytest.fixture
def everything(filled: Journal) -> Journal:
    # The trial's ratings mix with the doses' check-ins here: numbers are not checked.
    add_trial(filled)
    return filled


# -- API ----------------------------------------------------------------------------


def test_api_insights_give_relief_by_band_with_intervals(
    client: Client, filled: Journal
) -> None:
    body = client.get("/api/v1/insights", params={"days": 90}).json()
    assert body["period"] == {"first_day": "2026-09-23", "last_day": "2026-11-22"}
    assert body["pairs"] == {
        "used": 30,
        "left_out_overlapping": 0,
        "without_check_ins": 0,
    }
    bands = {row["band"]: row for row in body["relief_by_band"]}
    assert list(bands) == ["2-3 g", "3-4 g"]
    red = bands["2-3 g"]["relief"]
    assert red["n"] == 15
    assert red["value"] == round(
        statistics.fmean(relief(k) for k in range(1, 30, 2)), 3
    )
    assert red["low"] < red["value"] < red["high"]
    products = {row["name"]: row["pairs"] for row in body["relief_by_product"]}
    assert products == {"Red Bali": 15, "Green Malay": 15}
    assert body["use_pattern"]["doses"] == 30
    assert body["side_effects_by_band"][0]["reported"] == {"nausea": 2}
    effect = [c for c in body["conclusions"] if c["topic"] == "effect"]
    assert all(c["enough_data"] and "95% interval" in c["sentence"] for c in effect)
    assert body["charts"] == [f"/insights/charts/{n}.svg?days=90" for n in CHARTS]


def test_api_insights_on_an_empty_journal_say_not_enough_data(
    client: Client,
) -> None:
    body = client.get("/api/v1/insights").json()
    assert body["relief_by_band"] == [] and body["relief_per_extra_gram"] is None
    effect = next(c for c in body["conclusions"] if c["topic"] == "effect")
    assert not effect["enough_data"]
    assert effect["sentence"].startswith("Not enough data yet")


@pytest.mark.parametrize("days", ["0", "3651", "-5", "ninety", "1e9"])
def test_api_days_out_of_range_is_422_naming_days(client: Client, days: str) -> None:
    response = client.get("/api/v1/insights", params={"days": days})
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["detail"]] == ["days"]


def test_api_trial_analysis_is_404_without_a_trial(client: Client) -> None:
    response = client.get("/api/v1/trial/analysis")
    assert response.status_code == 404
    assert "no trial yet" in response.json()["detail"]


def test_api_trial_analysis_gives_the_verdict_and_the_mid_with_sources(
    client: Client, with_trial: Journal
) -> None:
    body = client.get("/api/v1/trial/analysis").json()
    assert body["design"]["regimen_a"] == "2 g"
    assert body["complete_pairs"] == 3
    # A was rated 2 points lower every day: every pair says A - B = -2.
    assert body["differences"] == [-2.0, -2.0, -2.0]
    assert body["randomization_p"] == 0.25 == body["smallest_p"]
    assert body["verdict"]
    assert body["mid"] > 0 and body["mid_sources"][0]["title"]
    assert body["chart"] == "/insights/charts/trial.svg"


# -- charts -------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_an_svg_without_inline_css(
    client: Client, filled: Journal, name: str
) -> None:
    response = client.get(f"/insights/charts/{name}.svg", params={"days": 90})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    # One policy, the strict one: the SVG needs no 'unsafe-inline'.
    [policy] = response.headers.get_list("content-security-policy")
    assert "style-src 'self';" in policy
    svg = ET.fromstring(response.content)
    assert not [e for e in svg.iter() if e.tag.endswith("style") or "style" in e.attrib]
    assert any(e.get("stroke-linecap") for e in svg.iter())


def test_unknown_chart_is_404_and_trial_chart_needs_a_trial(client: Client) -> None:
    assert client.get("/insights/charts/pie.svg").status_code == 404
    assert client.get("/insights/charts/trial.svg").status_code == 404
    assert client.get("/insights/charts/dose-response.svg?days=0").status_code == 422


def test_trial_chart_is_served_when_a_trial_exists(
    client: Client, with_trial: Journal
) -> None:
    response = client.get("/insights/charts/trial.svg")
    assert response.status_code == 200
    assert b"Your trial, day by day" in response.content
    assert b"style" not in response.content


def test_css_becomes_presentation_attributes_in_cascade_order() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><defs><style type="text/css">'
        b"*{stroke-linecap: butt; stroke-linejoin: round}</style></defs>"
        b'<g><path d="M 0 0" style="fill: #fff; stroke-linecap: square"/>'
        b"<text style=\"font-family: 'DejaVu Sans', sans-serif; cursor: x\">a</text>"
        b"</g></svg>"
    )
    root = ET.fromstring(without_css(svg))
    path, text = (
        root.iter("{http://www.w3.org/2000/svg}path"),
        root.iter("{http://www.w3.org/2000/svg}text"),
    )
    assert next(path).attrib == {
        "d": "M 0 0",
        "fill": "#fff",
        "stroke-linecap": "square",
        "stroke-linejoin": "round",
    }
    # A property with no presentation attribute is dropped.
    assert next(text).attrib == {
        "font-family": "'DejaVu Sans', sans-serif",
        "stroke-linecap": "butt",
        "stroke-linejoin": "round",
    }
    assert not list(root.iter("{http://www.w3.org/2000/svg}style"))


def test_the_app_starts_without_importing_matplotlib(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from kratom_journal.services.journal import open_journal\n"
        "from kratom_journal.web.app import create_app\n"
        "from kratom_journal.web.pages import insights\n"
        f"journal = open_journal({str(tmp_path / 'j.sqlite3')!r}, now=datetime.now(UTC))\n"
        "create_app(journal)\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- page ---------------------------------------------------------------------------


def test_page_shows_conclusions_tables_and_charts(
    client: Client, filled: Journal
) -> None:
    html = client.get("/insights").text
    conclusions = texts(html, r'<ul class="conclusions">(.*?)</ul>')
    assert "Pain fell by" in conclusions[0] and "95% interval" in conclusions[0]
    rows = texts(html, r'<table id="relief-by-band">.*?<tbody>(.*?)</tbody>')[0]
    assert "2-3 g" in rows and "3-4 g" in rows
    assert texts(html, r'id="relief-by-product".*?<tbody>(.*?)</tbody>')
    for name in CHARTS:
        assert f'src="/insights/charts/{name}.svg?days=90"' in html
    assert html.count('alt="Chart of') == 3
    assert 'href="/insights?days=90" aria-current="true"' in html
    assert "they are not a trial" in html  # the caveat
    assert "No trial yet" in html


def test_page_for_30_days_uses_30_day_charts(client: Client, filled: Journal) -> None:
    html = client.get("/insights", params={"days": 30}).text
    assert "24 Oct 2026 to 22 Nov 2026" in html
    assert 'src="/insights/charts/dose-response.svg?days=30"' in html


def test_empty_journal_page_says_not_enough_data_and_draws_no_chart(
    client: Client,
) -> None:
    html = client.get("/insights").text
    assert "Not enough data yet" in html
    assert '<img class="chart"' not in html


def test_page_shows_the_trial_analysis(client: Client, with_trial: Journal) -> None:
    html = client.get("/insights").text
    verdict = texts(html, r'id="trial-verdict">(.*?)</p>')[0]
    assert verdict == client.get("/api/v1/trial/analysis").json()["verdict"]
    assert "mean -2.0 (95% interval" in " ".join(html.split())
    assert "p = 0.250" in html
    assert 'src="/insights/charts/trial.svg"' in html
    assert "Sources (" in html  # the MID's sources


# -- browser ------------------------------------------------------------------------


def loaded_widths(page: Any) -> list[int]:
    widths: list[int] = page.evaluate(
        "Array.from(document.querySelectorAll('img.chart'), i => i.naturalWidth)"
    )
    return widths


def test_browser_shows_conclusions_and_charts_then_switches_period(
    page: Any, live: Live, everything: Journal
) -> None:
    page.goto("/insights")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Insights")
    conclusions = page.locator("#conclusions")
    assert "95% interval" in conclusions.inner_text()
    # Every chart (three insight charts and the trial) loaded under the strict CSP.
    assert len(loaded_widths(page)) == 4
    assert all(width > 0 for width in loaded_widths(page))
    assert page.get_by_role("img", name="Chart of the mean pain relief").is_visible()
    assert page.get_by_role("table", name="Pain relief after doses, by dose size")
    page.get_by_role("link", name="30 days").click()
    page.wait_for_url(live.url + "/insights?days=30")
    assert page.get_by_role("link", name="30 days").get_attribute("aria-current")
    assert all(width > 0 for width in loaded_widths(page))
    page.get_by_role("link", name="90 days").click()
    page.wait_for_url(live.url + "/insights?days=90")
    inspect_page(page, "insights")
    # Opened on its own, a chart is a document under the same strict policy: the
    # `page` fixture fails the test on any CSP violation it reports (matplotlib's own
    # SVG gives hundreds). An SVG document has no icon link, so Chromium asks for
    # /favicon.ico, which the app does not serve: answered here.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto("/insights/charts/pain-over-time.svg")
    assert page.locator("text").first.is_visible()


def test_browser_empty_journal_says_not_enough_data(page: Any) -> None:
    page.goto("/insights")
    assert "Not enough data yet" in page.locator("#conclusions").inner_text()
    assert loaded_widths(page) == []
