"""The clinician report download: a PDF attachment linked from the Insights page."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from kratom_journal.services.entries import DoseInput, log_dose
from kratom_journal.services.journal import Journal
from kratom_journal.services.medications import add_medication
from tests.web.conftest import START, Client

TODAY = START.date()


def test_the_report_downloads_as_a_pdf_attachment(
    client: Client, journal: Journal
) -> None:
    log_dose(journal, DoseInput(amount="2g", at="09:00", confirm=True), now=START)
    add_medication(journal, "tramadol", now=START, today=TODAY)
    response = client.get("/report.pdf?days=30")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="kratom-report-2026-11-22.pdf"'
    )
    pages = PdfReader(BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert 1 <= len(pages) <= 2
    assert "(30 days)" not in text  # the journal starts today: one day, not 30
    assert "Period: 22 Nov 2026 to 22 Nov 2026 (1 day)" in text
    assert "tramadol" in text
    assert "not a diagnosis" in text


def test_the_insights_page_links_to_the_report_for_its_period(client: Client) -> None:
    page = client.get("/insights?days=30").text
    assert '<a href="/report.pdf?days=30" download>' in page
    assert "Download the clinician report (PDF)" in page


def test_bad_days_are_422_not_a_pdf(client: Client) -> None:
    response = client.get("/report.pdf?days=0")
    assert response.status_code == 422
