"""The clinician report: a PDF read back as text, its first page as a PNG, and the
HTML with the same sections.

The journal (built once for the module through the CLI, then only read):

* Liver disease as a condition; tramadol as a current medication.
* Red Bali with a lab certificate: lead 3 ppm (over the limit), mitragynine 1.4%.
* 2 g Red Bali at 09:00 on each of the 15 days from Sun 8 Nov to today (Sun 22
  Nov, 15:00 in Berlin), with pain 6 at 08:50 and pain 6 - relief at 10:00; the
  after check-ins of three of them report nausea.
* Withdrawal checklists on 20 Nov (muscle-aches 2, insomnia 1: total 3) and 22 Nov
  (craving 1: total 1).
"""

from __future__ import annotations

import re
import statistics
import subprocess
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from scipy import stats

from kratom_journal.reports import clinician
from kratom_journal.services.journal import open_journal
from kratom_journal.services.report import ReportData, report
from tests.conftest import NOW, ZONE, Kratom

ARTIFACTS = Path(__file__).parents[2] / "artifacts" / "report"
RELIEF = [3, 2, 4, 3, 3, 2, 3, 4, 3, 2, 3, 3, 4, 2, 3]
NAUSEA_ON = {2, 7, 12}
DAYS = [date(2026, 11, 8) + timedelta(days=k) for k in range(15)]
SECTIONS = (
    "Dose pattern",
    "Pain and effect",
    "Side effects after doses",
    "Safety findings (interactions, conditions)",
    "Current medications",
    "Products and lab certificates",
    "Dependence signals and withdrawal",
    "Titration, taper and trial",
    "Knowledge sources of the findings shown",
)


def fill(kratom: Kratom) -> None:
    kratom.ok("profile", "set", "--condition", "liver disease")
    kratom.ok(
        "product", "add", "Red Bali", "--vendor", "Acme", "--lead-ppm", "3",
        "--mitragynine-pct", "1.4", "--microbial", "pass",
    )  # fmt: skip
    for k, (day, relief) in enumerate(zip(DAYS, RELIEF, strict=True)):
        kratom.ok("checkin", "--pain", "6", "--at", f"{day}T08:50")
        kratom.ok("log", "2g", "-p", "Red Bali", "--at", f"{day}T09:00", "--confirm")
        effects = ["-s", "nausea=1"] if k in NAUSEA_ON else []
        kratom.ok(
            "checkin", "--pain", str(6 - relief), *effects, "--at", f"{day}T10:00"
        )
    kratom.ok("withdrawal", "muscle-aches=2", "insomnia=1", "--at", "2026-11-20T20:00")
    kratom.ok("withdrawal", "craving=1", "--at", "2026-11-22T12:00")
    kratom.ok("med", "add", "tramadol")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    db = tmp_path_factory.mktemp("report") / "journal.sqlite3"
    fill(Kratom(db))
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    journal = open_journal(str(db), now=now, environ={"TZ": ZONE})
    try:
        return report(journal, days=90, now=now)
    finally:
        journal.close()


@pytest.fixture(scope="module")
def pdf(data: ReportData) -> bytes:
    return clinician.pdf(data)


@pytest.fixture(scope="module")
def text(pdf: bytes) -> str:
    pages = PdfReader(BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_pdf_has_one_or_two_a4_pages(pdf: bytes) -> None:
    reader = PdfReader(BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_every_section_is_there_in_order(text: str) -> None:
    places = [text.find(section) for section in SECTIONS]
    assert -1 not in places, [s for s, p in zip(SECTIONS, places, strict=True) if p < 0]
    assert places == sorted(places)


def test_who_prepared_it_the_period_and_the_disclaimer(
    text: str, data: ReportData
) -> None:
    assert f"Prepared by person {data.prepared_by} (pseudonymous id)" in text
    assert len(data.prepared_by) == 8
    assert "on 22 Nov 2026" in text
    # The journal starts on 8 Nov: days before it are unknown, not rest days.
    assert "Period: 08 Nov 2026 to 22 Nov 2026 (15 days)" in text
    assert "prepared it from their own journal" in text
    assert "not a diagnosis" in text


def test_the_dose_pattern_numbers(text: str) -> None:
    assert "Grams per day (all 15 days) 2.00 g" in text
    assert "30.0 g in 15 doses" in text
    assert "Doses per day with use 1.0" in text
    assert "Days with use / rest days 15 / 0" in text
    assert "last 7 days 2.00 g against 2.00 g the 7 days before" in text


def test_the_pain_trend_and_the_effect_estimate_with_its_interval(text: str) -> None:
    assert "30 pain ratings (0-10) on 15 days" in text
    after = [6 - relief for relief in RELIEF]
    assert f"mean {statistics.fmean([6] * 15 + after):.1f}" in text
    mean = statistics.fmean(RELIEF)
    low, high = stats.t.interval(
        0.95, len(RELIEF) - 1, loc=mean, scale=stats.sem(RELIEF)
    )
    assert f"2-3 g 15 {mean:.1f} ({low:.1f} to {high:.1f})" in text
    assert "Pain trend:" in text and "points per week (95% interval" in text


def test_side_effects_findings_medications_and_products(text: str) -> None:
    assert "2-3 g 15 nausea 3" in text
    assert "Kratom with Liver disease" in text
    assert "(your medication tramadol)" in text
    assert "Flag: Lead 3 ppm (limit" in text
    assert "Red Bali (leaf-powder, Acme): certificate; mitragynine 1.4%" in text


def test_every_standing_finding_and_its_sources_as_of_date(
    text: str, data: ReportData
) -> None:
    shown = [f for f in data.safety if f.rule.startswith("interaction:")]
    assert shown
    for finding in shown:
        assert finding.title in text
    for source in data.sources:
        assert f"As of {source.as_of.isoformat()}; confidence {source.confidence}" in (
            text
        )
    assert data.sources


def test_dependence_signals_and_withdrawal_totals(text: str) -> None:
    assert "15 days in a row with kratom" in text  # today's dose included
    # Latest of each day: 3 on 20 Nov, 1 on 22 Nov.
    assert (
        "Withdrawal checklist (total of 0-30): 2 days recorded; latest 1 on 22 Nov, "
        "highest 3, mean 2.0." in text
    )
    assert "Titration: no session recorded." in text
    assert "Taper: no plan." in text


def test_the_service_matches_the_safety_check(data: ReportData) -> None:
    assert data.withdrawal.by_day == {date(2026, 11, 20): 3, date(2026, 11, 22): 1}
    assert [m.name for m in data.medications] == ["tramadol"]
    assert data.products[0].flags[0].name == "lead-ppm"


def test_page_one_as_a_png_for_review(pdf: bytes) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / "clinician-report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
         str(source), str(ARTIFACTS / "clinician-report-page1")],
        check=True,
    )  # fmt: skip
    png = ARTIFACTS / "clinician-report-page1.png"
    assert png.stat().st_size > 10_000
    with Image.open(png) as image:
        width, height = image.size
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 2_000  # text and a chart, not a blank page


def test_the_html_has_the_same_sections_and_is_self_contained(
    data: ReportData,
) -> None:
    html = clinician.html(data)
    plain = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for section in SECTIONS:
        assert section in plain
    assert clinician.DISCLAIMER in plain
    assert "<style>" in html and "@page" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "http://" not in html.split("</style>")[0]
    assert not re.search(r'(src|href)="https?:', html)


def test_an_empty_journal_says_not_enough_data_yet(tmp_path: Path) -> None:
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    journal = open_journal(str(tmp_path / "empty.sqlite3"), now=now, environ={})
    try:
        empty = report(journal, days=90, now=now)
    finally:
        journal.close()
    pages = PdfReader(BytesIO(clinician.pdf(empty))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert len(pages) == 1
    assert "Not enough data yet: no doses logged in this period." in text
    assert "Not enough data yet: no pain ratings in this period." in text
    assert "None recorded." in text
    assert "not a diagnosis" in text


def test_titration_and_taper_status(kratom: Kratom) -> None:
    kratom.ok("titrate", "start", "--pain", "6", "--at", "2026-11-22T14:00")
    kratom.ok("titrate", "checkin", "--pain", "3", "--at", "2026-11-22T14:50")
    kratom.ok("taper", "plan", "--from", "4g/day", "--method", "linear", "--weeks", "4")
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    journal = open_journal(str(kratom.db), now=now, environ={"TZ": ZONE})
    try:
        html = clinician.render_html(report(journal, days=30, now=now))
    finally:
        journal.close()
    plain = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "Titration: last session 22 Nov 2026 14:00, baseline pain 6, 1 g in 1 dose; "
        "ended (relief)." in plain
    )
    assert (
        "Smallest effective dose: median 1 g (range 1 g-1 g) over 1 session." in plain
    )
    assert "Taper: from 4 g/day in 4 weekly steps (22 Nov to 13 Dec 2026)." in plain
    assert "Today's target" in plain
