"""The clinician report as a PDF download, made from the same template as `kratom
report` (WeasyPrint is imported on the first download, never at start-up)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from kratom_journal.reports import clinician
from kratom_journal.services.report import report
from kratom_journal.web.api.insights import Days
from kratom_journal.web.deps import JournalDep, NowDep

router = APIRouter(include_in_schema=False)


@router.get("/report.pdf")
def report_pdf(journal: JournalDep, now: NowDep, days: Days = 90) -> Response:
    """A plain function: FastAPI runs it in the thread pool, so the second or two
    that drawing and printing take do not hold up other requests."""
    data = report(journal, days=days, now=now)
    name = f"kratom-report-{data.prepared_on.isoformat()}.pdf"
    return Response(
        clinician.pdf(data),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
