"""The clinician report: one Jinja template rendered to HTML, and to PDF by WeasyPrint.

The HTML is self-contained (its print CSS inlined, the chart an SVG data: URI), so
the file opens offline and the PDF is made from exactly the same document.
WeasyPrint and matplotlib are imported only when a report is made.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kratom_journal.domain.dose_effect import MIN_PAIRS
from kratom_journal.domain.errors import InputError
from kratom_journal.services.insights import draw_charts
from kratom_journal.services.journal import parse_zone
from kratom_journal.services.report import (
    MIN_PAIN_DAYS,
    MIN_PAIN_SPAN_DAYS,
    period_days,
)

if TYPE_CHECKING:
    from datetime import datetime

    from kratom_journal.domain.uncertainty import Estimate
    from kratom_journal.services.report import ReportData

TEMPLATES = Path(__file__).parent / "templates"
CHART = "pain-over-time"
NOT_ENOUGH = "Not enough data yet"
DISCLAIMER = (
    "The person this report is about prepared it from their own journal with Kratom "
    "Journal. It is information to support a conversation, not a diagnosis and not "
    "medical advice."
)
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def grams(value: Decimal | float | int | None, places: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return f"{format(value.normalize(), 'f')} g"
    return f"{value:.{places}f} g"


def count(n: int, noun: str) -> str:
    """ "1 day", "15 days"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def number(value: Decimal | float | int) -> str:
    """A measured value as written: 30.000 reads 30, 1.40 reads 1.4."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return f"{value:g}"


def interval(estimate: Estimate, scale: float = 1.0) -> str:
    low, high = sorted((estimate.low * scale, estimate.high * scale))
    return f"{low:.1f} to {high:.1f}"


def signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters.update(
    grams=grams, count=count, number=number, interval=interval, signed=signed
)


def _local(zone: str) -> Any:
    local = parse_zone(zone)

    def format_local(instant: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
        return "" if instant is None else instant.astimezone(local).strftime(fmt)

    return format_local


def chart_uri(data: ReportData) -> str | None:
    """The pain-over-time chart as an SVG data: URI; None when nothing is logged."""
    result = data.insights
    if not (result.pain or result.doses):
        return None
    svg = draw_charts(result, "svg", data.zone)[CHART]
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(data: ReportData, *, chart: str | None = None) -> str:
    """The report as one self-contained HTML document."""
    template = _environment.get_template("report.html")
    return template.render(
        r=data,
        days=period_days(data),
        # Our own file, not user input: inlined as it is.
        style=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        chart=chart,
        local=_local(data.zone),
        not_enough=NOT_ENOUGH,
        disclaimer=DISCLAIMER,
        min_pairs=MIN_PAIRS,
        min_pain_days=MIN_PAIN_DAYS,
        min_pain_span=MIN_PAIN_SPAN_DAYS,
    )


def html(data: ReportData) -> str:
    return render_html(data, chart=chart_uri(data))


def pdf(data: ReportData) -> bytes:
    """The same document as an A4 PDF."""
    import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415 - slow import

    document = weasyprint.HTML(string=html(data), base_url=str(TEMPLATES))
    return bytes(document.write_pdf())


def format_of(path: Path) -> str:
    """ "pdf" or "html" from the file's suffix; anything else is bad input."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(
            "output", f"{path.name!r} must end in .pdf or .html (the suffix picks one)"
        )
    return found
