"""Plain-text rendering of records for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta
    from decimal import Decimal

    from kratom_journal.domain.checkins import CheckIn
    from kratom_journal.domain.doses import Dose
    from kratom_journal.domain.medications import Intake
    from kratom_journal.domain.products import Product


def short_id(record: Any) -> str:
    return str(record.id)[:8]


def grams(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return f"{text} g"


def local(instant: datetime, zone: str, fmt: str = "%H:%M") -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime(fmt)


def ago(delta: timedelta) -> str:
    from kratom_journal.domain.moments import format_duration

    return f"{format_duration(delta)} ago"


def dose_line(
    dose: Dose, products: dict[str, Product], zone: str, fmt: str = "%H:%M"
) -> str:
    amount = grams(dose.grams)
    if not dose.quantity.unit.is_mass:
        amount = (
            f"{dose.quantity} ≈ {amount}"
            if dose.approximate
            else f"{dose.quantity} = {amount}"
        )
    elif dose.approximate:
        amount = f"≈ {amount}"
    parts = [local(dose.taken_at, zone, fmt), "dose", amount]
    if dose.product_id is not None and str(dose.product_id) in products:
        parts.append(products[str(dose.product_id)].name)
    if dose.stomach is not None:
        parts.append(f"stomach {dose.stomach.value}")
    if dose.note:
        parts.append(f"“{dose.note}”")
    return f"  {short_id(dose)}  " + "  ".join(parts)


def checkin_summary(checkin: CheckIn) -> str:
    parts = [f"pain {checkin.pain}/10"]
    if checkin.peg is not None:
        peg = checkin.peg
        parts.append(f"PEG {peg.pain}/{peg.enjoyment}/{peg.activity}")
    severities = ["none", "mild", "moderate", "severe"]
    effects = {**checkin.side_effects, **checkin.other_effects}
    named = [
        f"{name} {severities[level]}" for name, level in effects.items() if level > 0
    ]
    if named:
        parts.append(", ".join(named))
    for name in ("mood", "energy", "sleep"):
        value = getattr(checkin, name)
        if value is not None:
            parts.append(f"{name} {value}/10")
    if checkin.note:
        parts.append(f"“{checkin.note}”")
    return "  ".join(parts)


def checkin_line(checkin: CheckIn, zone: str, fmt: str = "%H:%M") -> str:
    return (
        f"  {short_id(checkin)}  {local(checkin.at, zone, fmt)}  check-in  "
        + checkin_summary(checkin)
    )


def intake_line(intake: Intake, zone: str, fmt: str = "%H:%M") -> str:
    parts = [local(intake.at, zone, fmt), intake.kind.value, intake.name]
    if intake.amount_text:
        parts.append(intake.amount_text)
    if intake.note:
        parts.append(f"“{intake.note}”")
    return f"  {short_id(intake)}  " + "  ".join(parts)


def product_lines(product: Product) -> list[str]:
    lines = [f"{product.name}  ({product.form.value})  id {short_id(product)}"]
    for label, value in (
        ("vendor", product.vendor),
        ("strain", product.strain),
        ("batch", product.batch),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    if product.tsp_grams is not None:
        lines.append(f"  1 level tsp = {grams(product.tsp_grams)} (measured)")
    if product.capsule_grams is not None:
        lines.append(f"  1 capsule = {grams(product.capsule_grams)} (measured)")
    certificate = product.certificate
    if certificate is None:
        lines.append("  lab certificate: none recorded")
    else:
        lines.append("  lab certificate:")
        for name, value in vars(certificate).items():
            if value is not None:
                shown = (
                    ("pass" if value else "fail") if isinstance(value, bool) else value
                )
                lines.append(f"    {name.replace('_', ' ')}: {shown}")
    return lines


SEVERITY_MARK = {
    "avoid": "AVOID",
    "high-caution": "HIGH CAUTION",
    "caution": "CAUTION",
    "info": "info",
}


def finding_lines(findings: list[Any], *, sources: bool = True) -> list[str]:
    """Findings, most severe first, each with why, what to do and where it comes from."""
    lines: list[str] = []
    for finding in findings:
        lines.append(f"[{SEVERITY_MARK[finding.severity.label]}] {finding.title}")
        lines.append(f"    why: {finding.why}")
        lines.append(f"    what to do: {finding.advice}")
        if sources:
            lines.extend(f"    {line}" for line in source_lines(finding.sources))
    return lines


def acknowledged_line(findings: list[Any]) -> str:
    """Standing findings acknowledged earlier, in one line instead of in full:
    cautions and above by title, informational ones counted."""
    named = [f"{f.title} [{f.severity.label}]" for f in findings if f.severity > 0]
    info = len(findings) - len(named)
    if info:
        named.append(f"{info} for information" if named else f"{info} informational")
    return (
        f"Acknowledged, unchanged since: {'; '.join(named)} (`kratom ack` shows them)."
    )


def source_lines(refs: Iterable[Any]) -> list[str]:
    """'source: title, publisher year url (as of date, grade confidence)' per source."""
    lines = []
    for ref in refs:
        url = f" {ref.url}" if ref.url else ""
        lines.append(
            f"source: {ref.title}, {ref.publisher} {ref.year}{url} "
            f"(as of {ref.as_of}, {ref.confidence} confidence)"
        )
    return lines


def match_json(resolution: Any) -> dict[str, Any] | None:
    found = resolution.substance
    if found is None:
        return None
    return {"id": found.id, "name": found.name, "by": resolution.matched_by}


def finding_json(finding: Any) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "title": finding.title,
        "why": finding.why,
        "advice": finding.advice,
        "sources": [source_json(r) for r in finding.sources],
    }


def source_json(ref: Any) -> dict[str, Any]:
    return {
        "title": ref.title,
        "publisher": ref.publisher,
        "year": ref.year,
        "url": ref.url,
        "as_of": ref.as_of.isoformat(),
        "confidence": ref.confidence,
    }
